/*
 * filter.c: one seccomp filter per entering process.  Subsystems record
 * rules as data; the filter is compiled by libseccomp only when this rule
 * set has not been seen before in this address space, and the compiled
 * program is loaded straight with seccomp(2).  Every jail's init shares
 * its creator's memory, so a creator of a thousand alike jails compiles
 * once.  A compiled program also travels as an image (rules + program)
 * that the jail's store keeps (filter_cache.c): jexec adopts it before
 * forking and compiles nothing when the rules are still the same.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "error.h"
#include "filter.h"
#include "seccomp_abi.h"
#include "util.h"

#define MAX_CMPS	6
#define MAX_RULES	256
#define IMAGE_MAGIC	"vjbpf3"	/* 3: with filter_newer.c's prefix */

/* One recorded rule. */
struct rule {
	int		nr;
	int		errnum;
	unsigned	n;
	struct vj_cmp	cmp[MAX_CMPS];
};

/* The rules being gathered, per thread: inits that set themselves up
 * side by side each run on a thread's storage of their own (donor.c).
 * On the heap, made on first use: not 20 KiB in every thread's TLS. */
static __thread struct rule *rules;
static __thread unsigned nrules;
/* The last compiled rule set and its program (see the top), shared by
 * every init of the address space: guarded by cache_lock, which a fork
 * takes first (at_fork), so no child starts with it held. */
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t fork_hooks = PTHREAD_ONCE_INIT;
static struct rule cached_rules[MAX_RULES];
static unsigned ncached;
static struct sock_filter *cached_prog;
static unsigned short cached_len;
/* Where the next program compiled is written as an image, or -1. */
static __thread int save_fd = -1;
/* Compiled here since the last image was adopted or written out. */
static bool fresh;
/* The libseccomp filter, only while compiling (under cache_lock). */
static scmp_filter_ctx building;

/* The head of an image; the rules and the program follow it.  rule_size
 * makes an image of a build with another struct rule a miss. */
struct image_head {
	char		magic[8];
	uint32_t	rule_size;
	uint32_t	nrules;
	uint32_t	len;
};
/* What to run once it is loaded. */
static __thread int (*then)(struct vj_error *);

/* The filter, made on first use, for every ABI of the machine. */
static scmp_filter_ctx
filter(struct vj_error *err)
{
	if (building != NULL)
		return building;
	building = seccomp_init(SCMP_ACT_ALLOW);
	if (building == NULL) {
		vj_err_set(err, ENOMEM, "seccomp_init");
		return NULL;
	}
	if (vj_seccomp_add_abis(building) < 0) {
		seccomp_release(building);
		building = NULL;
		vj_err_set(err, EINVAL, "seccomp: cannot add the x86 ABIs");
		return NULL;
	}
	/* no_new_privs is the security subsystem's decision, not ours. */
	seccomp_attr_set(building, SCMP_FLTATR_CTL_NNP, 0);
	/* Every thread of an attaching caller gets the filter. */
	seccomp_attr_set(building, SCMP_FLTATR_CTL_TSYNC, 1);
	/* Syscalls in a binary tree, not one long chain: each syscall of a
	 * jailed process runs a few tests, not a hundred, and the kernel's
	 * action cache, which emulates the program for every syscall number
	 * of every ABI whenever an init loads it, finishes in a fraction of
	 * the time (it was half of a jail's seccomp cost). */
	seccomp_attr_set(building, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	return building;
}

/* Around a fork: an init may be compiling or loading under the lock. */
static void
lock_cache(void)
{
	pthread_mutex_lock(&cache_lock);
}

static void
unlock_cache(void)
{
	pthread_mutex_unlock(&cache_lock);
}

static void
at_fork(void)
{
	pthread_atfork(lock_cache, unlock_cache, unlock_cache);
}

/* Make a syscall fail with errnum when every test holds. */
int
vj_filter_deny_cmp(const char *name, int errnum, unsigned n,
    const struct vj_cmp *cmp, struct vj_error *err)
{
	int nr = seccomp_syscall_resolve_name(name);
	struct rule *r;

	if (nr == __NR_SCMP_ERROR)
		return 0;	/* not a syscall on this machine */
	if (n > MAX_CMPS)
		return vj_err_set(err, EINVAL, "seccomp: %s: too many tests",
		    name);
	pthread_once(&fork_hooks, at_fork);
	if (rules == NULL && (rules = calloc(MAX_RULES,
	    sizeof(*rules))) == NULL)
		return vj_err_set(err, ENOMEM, "seccomp: rules");
	if (nrules == MAX_RULES)
		return vj_err_set(err, E2BIG, "seccomp: too many rules");
	r = &rules[nrules++];
	memset(r, 0, sizeof(*r));
	r->nr = nr;
	r->errnum = errnum;
	r->n = n;
	if (n > 0)
		memcpy(r->cmp, cmp, n * sizeof(*cmp));
	return 0;
}

/* Add the recorded rules to the libseccomp filter. */
static int
add_rules(scmp_filter_ctx f, struct vj_error *err)
{
	struct scmp_arg_cmp args[MAX_CMPS];
	unsigned k, i;
	int rc;

	for (k = 0; k < nrules; k++) {
		/* SCMP_CMP_MASKED_EQ with a 32-bit mask: libseccomp then
		 * ignores the high half, which the kernel ignores too. */
		for (i = 0; i < rules[k].n; i++)
			args[i] = SCMP_CMP(rules[k].cmp[i].argno,
			    SCMP_CMP_MASKED_EQ,
			    (uint64_t)rules[k].cmp[i].mask,
			    (uint64_t)rules[k].cmp[i].value);
		rc = seccomp_rule_add_array(f,
		    SCMP_ACT_ERRNO((uint32_t)rules[k].errnum), rules[k].nr,
		    rules[k].n, args);
		if (rc < 0 && rc != -EEXIST)
			return vj_err_set(err, -rc, "seccomp: rule for %d: %s",
			    rules[k].nr, strerror(-rc));
	}
	return 0;
}

/* Write the cached rules and program to save_fd, once; a failure only
 * costs the next process a compile. */
static void
save_image(void)
{
	struct image_head h = { IMAGE_MAGIC, sizeof(struct rule), ncached,
	    cached_len };

	if (save_fd < 0 || cached_prog == NULL)
		return;
	fresh = false;
	if (vj_write_all(save_fd, &h, sizeof(h)) < 0 ||
	    vj_write_all(save_fd, cached_rules, ncached * sizeof(*rules)) < 0 ||
	    vj_write_all(save_fd, cached_prog, cached_len *
	    sizeof(*cached_prog)) < 0)
		(void)ftruncate(save_fd, 0);	/* never half an image */
	save_fd = -1;
}

/* Compile the recorded rules with libseccomp into cached_prog. */
static int
compile(struct vj_error *err)
{
	struct sock_filter *prog = NULL;
	off_t len;
	int fd, rc = -1;

	if (filter(err) == NULL || add_rules(building, err) < 0)
		goto out;
	fd = memfd_create("vjail-seccomp", MFD_CLOEXEC);
	if (fd < 0) {
		vj_err_sys(err, "seccomp: memfd");
		goto out;
	}
	if (seccomp_export_bpf(building, fd) < 0 ||
	    (len = lseek(fd, 0, SEEK_CUR)) <= 0 ||
	    len / (off_t)sizeof(*prog) + VJ_FILTER_NEWER_LEN > BPF_MAXINSNS ||
	    (prog = malloc(sizeof(vj_filter_newer) + (size_t)len)) == NULL ||
	    pread(fd, prog + VJ_FILTER_NEWER_LEN, (size_t)len, 0) != len) {
		vj_err_set(err, EIO, "seccomp: cannot compile the filter");
		free(prog);
		close(fd);
		goto out;
	}
	close(fd);
	memcpy(prog, vj_filter_newer, sizeof(vj_filter_newer));
	free(cached_prog);
	cached_prog = prog;
	cached_len = (unsigned short)(len / (off_t)sizeof(*prog) +
	    VJ_FILTER_NEWER_LEN);
	memcpy(cached_rules, rules, nrules * sizeof(*rules));
	ncached = nrules;
	fresh = true;
	save_image();
	rc = 0;
out:
	if (building != NULL)
		seccomp_release(building);
	building = NULL;
	return rc;
}

/* Take a program compiled before (an image, as save_image writes it) as
 * the one compiled last: the rules it was made from travel with it, so
 * cache_hit() uses it only for exactly those rules. */
int
vj_filter_adopt(const void *image, size_t size)
{
	const struct image_head *h = image;
	const char *p = (const char *)image + sizeof(*h);
	struct sock_filter *prog;
	size_t rsize, psize;

	if (size < sizeof(*h) || memcmp(h->magic, IMAGE_MAGIC,
	    sizeof(IMAGE_MAGIC)) != 0 || h->rule_size != sizeof(struct rule) ||
	    h->nrules > MAX_RULES || h->len == 0 || h->len > BPF_MAXINSNS)
		return -1;
	rsize = h->nrules * sizeof(struct rule);
	psize = h->len * sizeof(*prog);
	if (size != sizeof(*h) + rsize + psize ||
	    (prog = malloc(psize)) == NULL)
		return -1;
	memcpy(prog, p + rsize, psize);
	pthread_mutex_lock(&cache_lock);
	memcpy(cached_rules, p, rsize);
	ncached = h->nrules;
	free(cached_prog);
	cached_prog = prog;
	cached_len = (unsigned short)h->len;
	fresh = false;
	pthread_mutex_unlock(&cache_lock);
	return 0;
}

/* Is there a program compiled here, not yet written as an image? */
bool
vj_filter_fresh(void)
{
	bool rc;

	pthread_mutex_lock(&cache_lock);
	rc = fresh && cached_prog != NULL;
	pthread_mutex_unlock(&cache_lock);
	return rc;
}

/* Write the last program compiled as an image to fd, now. */
void
vj_filter_save_now(int fd)
{
	save_fd = fd;
	pthread_mutex_lock(&cache_lock);
	save_image();
	pthread_mutex_unlock(&cache_lock);
}

/* Write the next program compiled to fd as an image. */
void
vj_filter_save_to(int fd)
{
	save_fd = fd;
}

/* Is the recorded rule set the one compiled last? */
static bool
cache_hit(void)
{
	return cached_prog != NULL && ncached == nrules && (nrules == 0 ||
	    memcmp(cached_rules, rules, nrules * sizeof(*rules)) == 0);
}

/* Make a syscall fail with errnum. */
int
vj_filter_deny(const char *name, int errnum, struct vj_error *err)
{
	return vj_filter_deny_cmp(name, errnum, 0, NULL, err);
}

/* Make a syscall fail when one argument equals a value. */
int
vj_filter_deny_arg(const char *name, int errnum, unsigned argno,
    unsigned long long value, struct vj_error *err)
{
	struct vj_cmp c = { argno, 0xffffffffU, (uint32_t)value };

	return vj_filter_deny_cmp(name, errnum, 1, &c, err);
}

/* Make a syscall fail when (argument & mask) == value. */
int
vj_filter_deny_masked(const char *name, int errnum, unsigned argno,
    uint32_t mask, uint32_t value, struct vj_error *err)
{
	struct vj_cmp c = { argno, mask, value };

	return vj_filter_deny_cmp(name, errnum, 1, &c, err);
}

/* Register what runs after loading. */
void
vj_filter_then(int (*fn)(struct vj_error *))
{
	then = fn;
}

/* Forget gathered rules. */
void
vj_filter_reset(void)
{
	pthread_mutex_lock(&cache_lock);
	if (building != NULL)
		seccomp_release(building);
	building = NULL;
	pthread_mutex_unlock(&cache_lock);
	nrules = 0;
	then = NULL;
}

/* Compile the gathered rules unless they were compiled last, load them
 * on every thread when install, then run the after-load hook. */
static int
finish(bool install, struct vj_error *err)
{
	int (*fn)(struct vj_error *) = then;
	struct sock_fprog prog;

	then = NULL;
	if (nrules > 0) {
		pthread_mutex_lock(&cache_lock);
		if (!cache_hit() && compile(err) < 0) {
			pthread_mutex_unlock(&cache_lock);
			nrules = 0;
			return -1;
		}
		/* A hit on the store's shared program: keep it beside the
		 * jail's record too (vj_filter_cache_prepare asked). */
		save_image();
		nrules = 0;
		prog.len = cached_len;
		prog.filter = cached_prog;
		/* Under the lock: another init may replace the program. */
		if (install && syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		    SECCOMP_FILTER_FLAG_TSYNC, &prog) != 0) {
			pthread_mutex_unlock(&cache_lock);
			return vj_err_sys(err, "seccomp");
		}
		pthread_mutex_unlock(&cache_lock);
	}
	return fn != NULL ? fn(err) : 0;
}

/* Load the gathered rules (every thread), then the after-load hook. */
int
vj_filter_load(struct vj_error *err)
{
	return finish(true, err);
}

/* A jail's init: compile the gathered rules for the jail's processes
 * (the creator shares the program through the store), but load nothing;
 * the init locks itself down with a program of its own (init_lockdown.c). */
int
vj_filter_prepare(struct vj_error *err)
{
	return finish(false, err);
}

/* Can the kernel run seccomp filters returning errno? */
int
vj_filter_probe(struct vj_error *err)
{
	uint32_t action = SECCOMP_RET_ERRNO;

	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0 && errno == EINVAL)
		return vj_err_set(err, ENOSYS, "unsupported: seccomp: the "
		    "kernel is built without CONFIG_SECCOMP");
	if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) < 0)
		return vj_err_set(err, errno == EINVAL ? ENOSYS : errno,
		    "unsupported: seccomp filters: %s (needs Linux 4.14 with "
		    "CONFIG_SECCOMP_FILTER)", strerror(errno));
	return 0;
}
