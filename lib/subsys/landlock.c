/*
 * landlock.c: Landlock where it fits a jail.
 *
 * A jail without vnet shares the host's network namespace, and with it
 * the host's abstract UNIX socket names (@/containerd-shim..., X11):
 * FreeBSD has no such names, so this is a hole of Linux's own
 * (CVE-2020-15257).  unix.abstract=new closes it with Landlock's scoping
 * (ABI 6, Linux 6.12): a process may then connect only to abstract
 * sockets bound in its own Landlock domain.
 *
 * Why no more Landlock: a domain belongs to a process tree, and a jail's
 * processes are not one tree (jexec and exec.start start siblings).
 * Each gets a domain of its own, so scoping signals, or confining ptrace,
 * would cut jailed processes off from each other; and a file-system
 * ruleset would forbid mounting to the jail for good.  With
 * unix.abstract=new, processes started apart cannot reach each other's
 * abstract sockets either (documented in jail-security.7).
 *
 * One file-system right is handled all the same, where the jail may not
 * mount anyway: REFER (moving a file to another directory), granted
 * beneath the whole root.  Landlock counts REFER as denied by every layer
 * that does not grant it, so once a program in the jail stacks a domain
 * of its own that handles files (cap_enter, any Landlock sandbox), a
 * scoping-only layer would make every cross-directory rename and link
 * fail with EXDEV.  Granting it everywhere takes nothing away; but a
 * domain that handles a file-system right forbids mount(2), which is why
 * jails that may mount or nest keep the scoping-only layer (and the
 * EXDEV, documented in jail-security.7).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "error.h"
#include "jailobj.h"
#include "landlock_abi.h"
#include "security.h"
#include "subsys.h"

static const struct vj_pdef landlock_params[] = {
	{ "unix.abstract", VJ_PT_JAILSYS, VJ_PF_CREATE, "inherit",
	    "new: connect only to abstract sockets of the own process tree" },
	{ NULL, 0, 0, NULL, NULL }
};

/* The kernel's Landlock ABI, or -1 with the reason in err. */
static int
landlock_abi(struct vj_error *err)
{
	int abi = ll_abi();

	if (abi >= 0)
		return abi;
	if (errno == EOPNOTSUPP)
		return vj_err_set(err, ENOSYS, "unsupported: Landlock is not "
		    "enabled (add landlock to the lsm= boot parameter)");
	return vj_err_set(err, ENOSYS, "unsupported: the kernel has no "
	    "Landlock (CONFIG_SECURITY_LANDLOCK, Linux 5.13)");
}

/* Is abstract-socket scoping asked for? */
static bool
scoped(const struct vj_jail *j)
{
	return strcmp(vj_jail_sys(j, "unix.abstract", "inherit"), "new") == 0;
}

/* Validate: "disable" has no Landlock meaning; "new" needs ABI 6. */
static int
landlock_check(struct vj_jail *j, struct vj_error *err)
{
	int abi;

	if (strcmp(vj_jail_sys(j, "unix.abstract", "inherit"), "disable") == 0)
		return vj_err_set(err, EINVAL,
		    "unix.abstract: invalid value \"disable\"");
	if (!scoped(j))
		return 0;
	abi = landlock_abi(err);
	if (abi < 0)
		return vj_err_wrap(err, "unix.abstract");
	if (abi < LL_ABI_SCOPES)
		return vj_err_set(err, ENOSYS, "unix.abstract: unsupported: "
		    "Landlock ABI %d, scoping needs ABI 6 (Linux 6.12)", abi);
	return 0;
}

/* Does the jail's domain handle REFER (see the top)? */
static bool
handles_refer(const struct vj_jail *j)
{
	return !vj_sec_may_mount(j) && !vj_sec_nesting(j);
}

/* Grant REFER beneath the root to a ruleset. */
static int
grant_refer(int ruleset, struct vj_error *err)
{
	struct ll_path_beneath_attr pb = { .allowed_access = LL_FS_REFER };
	int rc = 0;

	pb.parent_fd = open("/", O_PATH | O_CLOEXEC);
	if (pb.parent_fd < 0)
		return vj_err_sys(err, "unix.abstract: /");
	if (syscall(SYS_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH,
	    &pb, 0) < 0)
		rc = vj_err_sys(err, "unix.abstract: landlock rule");
	close(pb.parent_fd);
	return rc;
}

/* Put the calling process in a domain scoping abstract sockets.  It runs
 * before security drops CAP_SYS_ADMIN, which Landlock wants without
 * no_new_privs. */
static int
landlock_enter(struct vj_jail *j, struct vj_error *err)
{
	struct ll_ruleset_attr attr = {
		.scoped = LL_SCOPE_ABSTRACT_UNIX_SOCKET,
	};
	long fd;
	int rc = 0;

	if (!scoped(j))
		return 0;
	if (handles_refer(j))
		attr.handled_access_fs = LL_FS_REFER;
	fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (fd < 0)
		return vj_err_sys(err, "unix.abstract: landlock ruleset");
	if (handles_refer(j))
		rc = grant_refer((int)fd, err);
	if (rc == 0 && syscall(SYS_landlock_restrict_self, (int)fd, 0) < 0)
		rc = vj_err_sys(err, "unix.abstract: landlock_restrict_self");
	close((int)fd);
	return rc;
}

/* Setup by phase. */
static int
landlock_setup(struct vj_jail *j, enum vj_phase ph, struct vj_error *err)
{
	switch (ph) {
	case VJ_PH_CHECK:
		return landlock_check(j, err);
	case VJ_PH_CHILD:
	case VJ_PH_ENTER:
		return landlock_enter(j, err);
	default:
		return 0;
	}
}

/* Show the kernel's Landlock and what the jail uses. */
static void
landlock_show(const struct vj_jail *j, FILE *out)
{
	struct vj_error e;
	int abi = landlock_abi(&e);

	if (abi < 0)
		fprintf(out, "\tlandlock %s\n", e.ve_msg);
	else
		fprintf(out, "\tlandlock ABI %d, unix.abstract %s\n", abi,
		    scoped(j) ? "new (scoped)" : "inherit");
}

const struct vj_subsys vj_subsys_landlock = {
	.name = "landlock",
	.params = landlock_params,
	.setup = landlock_setup,
	.show = landlock_show,
};
