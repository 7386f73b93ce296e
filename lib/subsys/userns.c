/*
 * userns.c: a user namespace of the jail's own (user.map), so the jail's
 * root is an unprivileged range of host ids: whatever escapes lands as
 * nobody on the host.  FreeBSD's jailed root is uid 0 narrowed by the
 * kernel; this is stronger, and an option, because the jail's root then
 * owns nothing of the host's file system (path=/ becomes read-only).
 *
 *   user.map=auto     a free range of user.count ids, chosen here
 *   user.map=<uid>    jail ids 0.. are host ids <uid>.. (gids the same)
 *   user.map=<uid>:<gid>
 *
 * Second in the table, right after prison: its maps are written in
 * VJ_PH_ATTACH before any other subsystem works in the namespaces (the
 * network moves links into a netns this namespace owns), and in
 * VJ_PH_CHILD / VJ_PH_ENTER it makes the process jail root before the
 * others mount or restrict anything.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "error.h"
#include "lifecycle.h"
#include "security.h"
#include "state.h"
#include "subsys.h"
#include "util.h"

/* Auto ranges: below 2^31 (ids are signed in too many programs), above
 * systemd-nspawn's container ranges, below systemd's foreign range. */
#define AUTO_FIRST	0x70000000UL
#define AUTO_LAST	0x7ffdffffUL
#define ID_MAX		0xfffffffeUL

static const struct vj_pdef userns_params[] = {
	{ "user.map", VJ_PT_STRING, VJ_PF_CREATE, NULL,
	    "auto, or the host uid[:gid] of the jail's root: a user namespace" },
	{ "user.count", VJ_PT_INT, VJ_PF_CREATE, "65536",
	    "how many ids the jail has" },
	{ NULL, 0, 0, NULL, NULL }
};

struct range {
	unsigned long	uid, gid, count;
};

/* Parse user.map "<uid>[:<gid>]" (not "auto"). */
static int
parse_map(const char *v, struct range *r)
{
	char *end;

	errno = 0;
	r->uid = strtoul(v, &end, 10);
	r->gid = r->uid;
	if (*end == ':')
		r->gid = strtoul(end + 1, &end, 10);
	if (errno != 0 || *end != '\0' || *v < '0' || *v > '9')
		return -1;
	return 0;
}

/* The jail's range, as noted (HOST phase on) or as set. */
static int
jail_range(const struct vj_jail *j, struct range *r)
{
	const char *noted = vj_jail_noted(j, "user.base");
	const char *v = noted ? noted : vj_params_get(&j->params, "user.map");

	r->count = (unsigned long)vj_jail_int(j, "user.count", 65536);
	if (v == NULL || strcmp(v, "auto") == 0)
		return -1;
	return parse_map(v, r);
}

/* Do two ranges share an id? */
static bool
overlap(const struct range *a, const struct range *b)
{
	return (a->uid < b->uid + b->count && b->uid < a->uid + a->count) ||
	    (a->gid < b->gid + b->count && b->gid < a->gid + a->count);
}

/* Warn when the host's passwd names an id of the range: an escape
 * would act as that account, not as nobody. */
static void
warn_host_accounts(const struct vj_jail *j, const struct range *r)
{
	vj_autofile FILE *f = fopen("/etc/passwd", "re");
	vj_autofree char *line = NULL;
	size_t cap = 0;
	unsigned long uid;
	char *colon;

	while (f != NULL && getline(&line, &cap, f) > 0) {
		if ((colon = strchr(line, ':')) == NULL ||
		    (colon = strchr(colon + 1, ':')) == NULL)
			continue;
		uid = strtoul(colon + 1, NULL, 10);
		if (uid >= r->uid && uid < r->uid + r->count) {
			*strchr(line, ':') = '\0';
			vj_warn(j->ctx, "user.map: host uid %lu (%s) is in the "
			    "jail's range: an escape would act as it", uid,
			    line);
			return;
		}
	}
}

/* Validate user.map and user.count; probe the kernel. */
static int
userns_check(struct vj_jail *j, struct vj_error *err)
{
	const char *v = vj_params_get(&j->params, "user.map");
	long count = vj_jail_int(j, "user.count", 65536);
	char buf[32];
	struct range r;

	if (v == NULL)
		return 0;
	if (count < 1 || count > 0x10000000L)
		return vj_err_set(err, EINVAL, "user.count: invalid value");
	if (strcmp(v, "auto") != 0 && (parse_map(v, &r) < 0 || r.uid == 0 ||
	    r.gid == 0 || r.uid + (unsigned long)count - 1 > ID_MAX ||
	    r.gid + (unsigned long)count - 1 > ID_MAX))
		return vj_err_set(err, EINVAL, "user.map: invalid value \"%s\""
		    " (auto, or uid[:gid] of unprivileged host ids)", v);
	if (strcmp(v, "auto") != 0) {
		r.count = (unsigned long)count;
		warn_host_accounts(j, &r);
	}
	if (vj_sec_nesting(j))
		return vj_err_set(err, EINVAL, "user.map: unsupported with "
		    "children.max: child jails need the host's state store");
	if (vj_read_file("/proc/sys/user/max_user_namespaces", buf,
	    sizeof(buf)) > 0 && atol(buf) == 0)
		return vj_err_set(err, ENOSYS, "user.map: unsupported: "
		    "user.max_user_namespaces is 0");
	if (access("/proc/self/uid_map", F_OK) < 0)
		return vj_err_set(err, ENOSYS, "user.map: unsupported: the "
		    "kernel is built without CONFIG_USER_NS");
	return 0;
}

/* What range_free looks for: a jail whose range meets want; its name
 * goes into owner. */
struct range_probe {
	const struct range *want;
	char		*owner;
	size_t		 len;
};

static bool
range_meets(const struct vj_jail *c, const void *arg)
{
	const struct range_probe *p = arg;
	struct range r;

	if (jail_range(c, &r) < 0 || !overlap(&r, p->want))
		return false;
	snprintf(p->owner, p->len, "%s", c->name);
	return true;
}

/* Is a range free of every other live jail's?  If not, who has it. */
static bool
range_free(struct vj_jail *self, const struct range *want, char *owner,
    size_t len)
{
	struct range_probe p = { want, owner, len };

	return vj_jail_count_live(self->ctx, self->jid, range_meets, &p,
	    1) == 0;
}

/* Choose the range (the first free auto slot) and note it. */
static int
choose_range(struct vj_jail *j, struct vj_error *err)
{
	const char *v = vj_params_get(&j->params, "user.map");
	struct range r = { 0, 0, 0 };
	char note[48], owner[VJ_NAME_MAX];

	r.count = (unsigned long)vj_jail_int(j, "user.count", 65536);
	if (strcmp(v, "auto") != 0) {
		parse_map(v, &r);
		if (!range_free(j, &r, owner, sizeof(owner)))
			return vj_err_set(err, EBUSY, "user.map: host ids %lu-%lu"
			    " overlap those of jail %s", r.uid,
			    r.uid + r.count - 1, owner);
	} else {
		for (r.uid = AUTO_FIRST; r.uid + r.count - 1 <= AUTO_LAST;
		    r.uid += (r.count + 0xffff) & ~0xffffUL) {
			r.gid = r.uid;
			if (range_free(j, &r, owner, sizeof(owner)))
				break;
		}
		if (r.uid + r.count - 1 > AUTO_LAST)
			return vj_err_set(err, ENOSPC,
			    "user.map: no free range of host ids left");
	}
	snprintf(note, sizeof(note), "%lu:%lu", r.uid, r.gid);
	return vj_jail_note(j, "user.base", note, err);
}

/* Host side, before the clone: the range, chosen under a lock so two
 * jails created at once never share one. */
static int
userns_host(struct vj_jail *j, struct vj_error *err)
{
	char path[300];
	vj_autoclose int fd = -1;

	if (vj_params_get(&j->params, "user.map") == NULL)
		return 0;
	snprintf(path, sizeof(path), "%s/userns.lock", j->ctx->rundir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 || flock(fd, LOCK_EX) < 0)
		return vj_err_sys(err, "user.map: %s", path);
	return choose_range(j, err);	/* the lock goes with the fd */
}

/* Write one id map of the waiting init through its /proc directory. */
static int
write_map(int piddir, const char *file, unsigned long base,
    unsigned long count, struct vj_error *err)
{
	vj_autoclose int fd = openat(piddir, file, O_WRONLY | O_CLOEXEC);
	char line[64];
	int len = snprintf(line, sizeof(line), "0 %lu %lu\n", base, count);

	/* The kernel takes a map in one write only. */
	if (fd < 0 || write(fd, line, (size_t)len) != len)
		return vj_err_sys(err, "user.map: %s", file);
	return 0;
}

/* Host side, init waiting: write its uid and gid maps. */
static int
userns_attach(struct vj_jail *j, struct vj_error *err)
{
	vj_autoclose int piddir = -1;
	struct range r;
	char path[64];

	if (vj_params_get(&j->params, "user.map") == NULL)
		return 0;
	if (jail_range(j, &r) < 0)
		return vj_err_set(err, EINVAL, "user.map: no range chosen");
	/* The init is our unreaped child: its pid cannot be reused. */
	snprintf(path, sizeof(path), "/proc/%d", (int)j->init_pid);
	piddir = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (piddir < 0)
		return vj_err_sys(err, "user.map: %s", path);
	if (write_map(piddir, "uid_map", r.uid, r.count, err) < 0 ||
	    write_map(piddir, "gid_map", r.gid, r.count, err) < 0)
		return -1;
	return 0;
}

/* In the namespace: become its root (the host's root is unmapped). */
static int
become_root(struct vj_jail *j, struct vj_error *err)
{
	if (vj_params_get(&j->params, "user.map") == NULL)
		return 0;
	/* The system calls, not glibc's wrappers: in a process with other
	 * threads those signal every thread to change ids in step, and an
	 * init setting up beside its creator (donor.c) is not one of them:
	 * ids are per process here, and the init is a process of its own. */
	if (syscall(SYS_setgroups, 0, NULL) < 0 ||
	    syscall(SYS_setresgid, 0, 0, 0) < 0 ||
	    syscall(SYS_setresuid, 0, 0, 0) < 0)
		return vj_err_sys(err, "user.map: become the jail's root");
	return 0;
}

/* Setup by phase. */
static int
userns_setup(struct vj_jail *j, enum vj_phase ph, struct vj_error *err)
{
	switch (ph) {
	case VJ_PH_CHECK:
		return userns_check(j, err);
	case VJ_PH_HOST:
		return userns_host(j, err);
	case VJ_PH_ATTACH:
		return userns_attach(j, err);
	case VJ_PH_CHILD:
	case VJ_PH_ENTER:
		return become_root(j, err);
	default:
		return 0;
	}
}

/* A user namespace when user.map is set. */
static unsigned long
userns_clone_flags(const struct vj_jail *j)
{
	return vj_params_get(&j->params, "user.map") ? CLONE_NEWUSER : 0;
}

/* Show the map. */
static void
userns_show(const struct vj_jail *j, FILE *out)
{
	struct range r;

	if (jail_range(j, &r) < 0)
		fprintf(out, "\tuser namespace: none (ids are the host's)\n");
	else
		fprintf(out, "\tuid 0-%lu -> %lu-%lu, gid 0-%lu -> %lu-%lu\n",
		    r.count - 1, r.uid, r.uid + r.count - 1, r.count - 1,
		    r.gid, r.gid + r.count - 1);
}

const struct vj_subsys vj_subsys_userns = {
	.name = "userns",
	.params = userns_params,
	.clone_flags = userns_clone_flags,
	.setup = userns_setup,
	.show = userns_show,
};
