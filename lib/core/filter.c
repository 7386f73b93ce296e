/* filter.c: one libseccomp filter per entering process. */
#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "error.h"
#include "filter.h"

#define MAX_CMPS	6

/* The filter being built; only ever used in a single-threaded child. */
static scmp_filter_ctx building;
/* What to run once it is loaded. */
static int (*then)(struct vj_error *);

/* Add the foreign ABIs of the machine to a fresh filter. */
static int
add_arches(scmp_filter_ctx f)
{
	static const uint32_t x86[] = { SCMP_ARCH_X86, SCMP_ARCH_X32 };
	size_t i;
	int rc;

	/* The native ABI is already there.  An ABI the kernel can run but
	 * the filter did not list would be killed (the bad-arch action),
	 * never let through. */
	if (seccomp_arch_native() != SCMP_ARCH_X86_64)
		return 0;
	for (i = 0; i < sizeof(x86) / sizeof(x86[0]); i++) {
		rc = seccomp_arch_add(f, x86[i]);
		if (rc < 0 && rc != -EEXIST)
			return rc;
	}
	return 0;
}

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
	if (add_arches(building) < 0) {
		seccomp_release(building);
		building = NULL;
		vj_err_set(err, EINVAL, "seccomp: cannot add the x86 ABIs");
		return NULL;
	}
	/* no_new_privs is the security subsystem's decision, not ours. */
	seccomp_attr_set(building, SCMP_FLTATR_CTL_NNP, 0);
	/* Every thread of an attaching caller gets the filter. */
	seccomp_attr_set(building, SCMP_FLTATR_CTL_TSYNC, 1);
	return building;
}

/* Make a syscall fail with errnum when every test holds. */
int
vj_filter_deny_cmp(const char *name, int errnum, unsigned n,
    const struct vj_cmp *cmp, struct vj_error *err)
{
	struct scmp_arg_cmp args[MAX_CMPS];
	scmp_filter_ctx f = filter(err);
	int nr = seccomp_syscall_resolve_name(name);
	unsigned i;
	int rc;

	if (f == NULL)
		return -1;
	if (nr == __NR_SCMP_ERROR)
		return 0;	/* not a syscall on this machine */
	if (n > MAX_CMPS)
		return vj_err_set(err, EINVAL, "seccomp: %s: too many tests",
		    name);
	/* SCMP_CMP_MASKED_EQ with a 32-bit mask: libseccomp then ignores
	 * the high half, which the kernel ignores for these arguments. */
	for (i = 0; i < n; i++)
		args[i] = SCMP_CMP(cmp[i].argno, SCMP_CMP_MASKED_EQ,
		    (uint64_t)cmp[i].mask, (uint64_t)cmp[i].value);
	rc = seccomp_rule_add_array(f, SCMP_ACT_ERRNO((uint32_t)errnum), nr,
	    n, args);
	if (rc < 0 && rc != -EEXIST)
		return vj_err_set(err, -rc, "seccomp: rule for %s: %s", name,
		    strerror(-rc));
	return 0;
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
	if (building != NULL)
		seccomp_release(building);
	building = NULL;
	then = NULL;
}

/* Load the gathered rules, then the after-load hook. */
int
vj_filter_load(struct vj_error *err)
{
	int (*fn)(struct vj_error *) = then;
	int rc = 0;

	then = NULL;
	if (building != NULL) {
		rc = seccomp_load(building);
		seccomp_release(building);
		building = NULL;
	}
	if (rc < 0)
		return vj_err_set(err, -rc, "seccomp_load: %s", strerror(-rc));
	return fn != NULL ? fn(err) : 0;
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
