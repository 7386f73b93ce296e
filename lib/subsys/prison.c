/*
 * prison.c: the jail itself: ids, name, persistence and nesting
 * (children.max), the handles a parent holds on its children's
 * namespaces (nshandle.c), and the record in the state store.  First in the table,
 * so its teardown (removing the record) runs last.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "lifecycle.h"
#include "nshandle.h"
#include "proc.h"
#include "state.h"
#include "subsys.h"
#include "util.h"

static const struct vj_pdef prison_params[] = {
	{ "jid", VJ_PT_INT, VJ_PF_CREATE, NULL, "jail id" },
	{ "name", VJ_PT_STRING, 0, NULL, "jail name (parent.child when nested)" },
	{ "parent", VJ_PT_INT, VJ_PF_RDONLY, "0", "jid of the parent jail" },
	{ "dying", VJ_PT_BOOL, VJ_PF_RDONLY, "false", "being removed" },
	{ "persist", VJ_PT_BOOL, 0, "false", "exist with no process" },
	{ "children.max", VJ_PT_INT, 0, "0", "how many child jails" },
	{ "children.cur", VJ_PT_INT, VJ_PF_RDONLY, "0", "current child jails" },
	{ "cpuset.id", VJ_PT_INT, VJ_PF_RDONLY, "0", "cpuset (always 0)" },
	{ "meta", VJ_PT_STRING, 0, "", "free text, hidden from the jail" },
	{ "env", VJ_PT_STRING, 0, "", "free text, readable in the jail" },
	{ NULL, 0, 0, NULL, NULL }
};

/* A jail inside a jail: the parent's children.max decides (FreeBSD's
 * messages). */
static int
check_nesting(struct vj_jail *j, struct vj_error *err)
{
	struct vj_jail *self;
	long max;
	int rc = 0;

	if (j->parent == 0)
		return 0;
	self = vj_jail_new(j->ctx);
	if (self == NULL || vj_state_load(j->ctx, j->parent, self,
	    NULL) < 0) {
		vj_jail_free(self);
		return vj_err_set(err, EPERM, "jail_set: %s", strerror(EPERM));
	}
	max = vj_jail_int(self, "children.max", 0);
	if (max <= 0)
		rc = vj_err_set(err, EPERM, "jail_set: %s", strerror(EPERM));
	else if (vj_jail_descendants(self) >= max)
		rc = vj_err_set(err, EAGAIN, "prison limit exceeded");
	vj_jail_free(self);
	return rc;
}

/* Index the init's pid namespace so processes can find their jail. */
static int
index_pidns(struct vj_jail *j, bool link, struct vj_error *err)
{
	char pid[32], num[32];
	unsigned long ino;

	snprintf(pid, sizeof(pid), "%d", (int)j->init_pid);
	ino = vj_proc_pidns(pid);
	if (ino == 0)
		return vj_err_sys(err, "pid namespace of init %s", pid);
	if (link)
		return vj_state_index_pidns(j, ino, err);
	/* Without the link, the inode still lets a viewer in another pid
	 * namespace find the init. */
	snprintf(num, sizeof(num), "%lu", ino);
	return vj_jail_note(j, "pidns", num, err);
}

/* May the jail make jails (children.max > 0)? */
static bool
may_nest(const struct vj_jail *j)
{
	return vj_jail_int(j, "children.max", 0) > 0;
}

/* Remember for good that the jail may have had children, so removal
 * looks for them even after children.max went back to 0. */
static int
mark_nested(struct vj_jail *j, struct vj_error *err)
{
	if (vj_jail_noted(j, "prison.nested") != NULL)
		return 0;
	return vj_jail_note(j, "prison.nested", "1", err);
}

/* Setup: nesting rules, then the pid namespace index. */
static int
prison_setup(struct vj_jail *j, enum vj_phase ph, struct vj_error *err)
{
	switch (ph) {
	case VJ_PH_CHECK:
		return check_nesting(j, err);
	case VJ_PH_ATTACH:
		/* Only a jail that may make jails needs to find itself. */
		return index_pidns(j, may_nest(j), err) < 0 ||
		    (may_nest(j) && mark_nested(j, err) < 0) ||
		    vj_nshandle_publish(j, err) < 0 ? -1 : 0;
	case VJ_PH_UPDATE:
		return may_nest(j) && (index_pidns(j, true, err) < 0 ||
		    mark_nested(j, err) < 0) ? -1 : 0;
	default:
		return 0;
	}
}

/* Teardown: the record goes last of all. */
static int
prison_teardown(struct vj_jail *j, enum vj_tphase ph, struct vj_error *err)
{
	if (ph != VJ_TD_RELEASE)
		return 0;
	vj_nshandle_withdraw(j);
	return vj_state_release(j, err);
}

/* Every jail has its own pid and mount namespaces. */
static unsigned long
prison_clone_flags(const struct vj_jail *j)
{
	(void)j;
	return CLONE_NEWPID | CLONE_NEWNS;
}

/* Show ids and the init. */
static void
prison_show(const struct vj_jail *j, FILE *out)
{
	fprintf(out, "\tjid %d name %s parent %d init %d state %d\n", j->jid,
	    j->name, j->parent, (int)j->init_pid, (int)j->state);
}

const struct vj_subsys vj_subsys_prison = {
	.name = "prison",
	.params = prison_params,
	.clone_flags = prison_clone_flags,
	.setup = prison_setup,
	.teardown = prison_teardown,
	.show = prison_show,
};
