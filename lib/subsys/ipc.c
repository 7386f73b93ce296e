/*
 * ipc.c: SysV and POSIX IPC (sysvmsg, sysvsem, sysvshm).
 *   new      the jail's own IPC namespace (its own keys)
 *   inherit  the host's objects
 *   disable  the calls fail with ENOSYS, as in FreeBSD
 * Linux has one IPC namespace for all three kinds, so "new" and "inherit"
 * cannot be mixed.  POSIX message queues follow sysvmsg.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "filter.h"
#include "jailobj.h"
#include "subsys.h"

static const struct vj_pdef ipc_params[] = {
	{ "sysvmsg", VJ_PT_JAILSYS, 0, "disable", "SysV messages and POSIX queues" },
	{ "sysvsem", VJ_PT_JAILSYS, 0, "disable", "SysV semaphores" },
	{ "sysvshm", VJ_PT_JAILSYS, 0, "disable", "SysV shared memory" },
	{ "allow.sysvipc", VJ_PT_BOOL, 0, "false",
	    "deprecated: all three set to inherit" },
	{ NULL, 0, 0, NULL, NULL }
};

static const char *const kinds[] = { "sysvmsg", "sysvsem", "sysvshm" };

/* With the i386 entry points' own names (libseccomp maps each name to
 * every ABI that has it). */
static const char *const msg_calls[] = {
	"msgget", "msgsnd", "msgrcv", "msgctl", "mq_open", "mq_unlink",
	"mq_timedsend", "mq_timedreceive", "mq_timedsend_time64",
	"mq_timedreceive_time64", "mq_notify", "mq_getsetattr", NULL
};
static const char *const sem_calls[] = {
	"semget", "semop", "semtimedop", "semtimedop_time64", "semctl", NULL
};
static const char *const shm_calls[] = {
	"shmget", "shmat", "shmdt", "shmctl", NULL
};
static const char *const *const calls[] = { msg_calls, sem_calls, shm_calls };

/* The effective mode of one kind. */
static const char *
ipc_mode(const struct vj_jail *j, int kind)
{
	const char *v = vj_params_get(&j->params, kinds[kind]);

	if (v != NULL)
		return v;
	return vj_jail_bool(j, "allow.sysvipc") ? "inherit" : "disable";
}

/* Is any kind set to mode? */
static bool
any(const struct vj_jail *j, const char *mode)
{
	int k;

	for (k = 0; k < 3; k++)
		if (strcmp(ipc_mode(j, k), mode) == 0)
			return true;
	return false;
}

/* Refuse what Linux cannot do. */
static int
ipc_check(struct vj_jail *j, struct vj_error *err)
{
	if (any(j, "new") && any(j, "inherit"))
		return vj_err_set(err, EINVAL, "sysvmsg, sysvsem, sysvshm: "
		    "Linux has one IPC namespace: \"new\" and \"inherit\" "
		    "cannot be mixed");
	return 0;
}

/* Deny the calls of every disabled kind. */
static int
ipc_deny(struct vj_jail *j, struct vj_error *err)
{
	const char *const *c;
	int k;

	for (k = 0; k < 3; k++) {
		if (strcmp(ipc_mode(j, k), "disable") != 0)
			continue;
		for (c = calls[k]; *c != NULL; c++)
			if (vj_filter_deny(*c, ENOSYS, err) < 0)
				return -1;
	}
	return 0;
}

/* Setup by phase. */
static int
ipc_setup(struct vj_jail *j, enum vj_phase ph, struct vj_error *err)
{
	switch (ph) {
	case VJ_PH_CHECK:
		return ipc_check(j, err);
	/* The init gathers them too, though its own filter is narrower:
	 * the program compiled from its rules is the one a creator shares
	 * with the jail's processes, which match it only with these. */
	case VJ_PH_CHILD:
	case VJ_PH_ENTER:
		return ipc_deny(j, err);
	default:
		return 0;
	}
}

/* A new IPC namespace unless a kind is "inherit": a disabled kind is
 * refused by the filter, and the namespace hides the host's objects
 * from /proc/sysvipc too (FreeBSD's jail sees none of them). */
static unsigned long
ipc_clone_flags(const struct vj_jail *j)
{
	return any(j, "inherit") ? 0 : CLONE_NEWIPC;
}

/* Show the modes. */
static void
ipc_show(const struct vj_jail *j, FILE *out)
{
	fprintf(out, "\tsysvmsg %s sysvsem %s sysvshm %s\n", ipc_mode(j, 0),
	    ipc_mode(j, 1), ipc_mode(j, 2));
}

const struct vj_subsys vj_subsys_ipc = {
	.name = "ipc",
	.params = ipc_params,
	.clone_flags = ipc_clone_flags,
	.setup = ipc_setup,
	.show = ipc_show,
};
