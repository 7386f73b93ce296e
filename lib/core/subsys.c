/*
 * subsys.c: the ordered table of virtualized subsystems and the walker
 * that runs it forwards (setup) and backwards (teardown).
 *
 * Order matters: a subsystem may rely on those before it.  prison is
 * first (ids and state), so it is torn down last; security is last, so it
 * restricts a process after everything else has set it up.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "filter.h"
#include "init.h"
#include "jailobj.h"
#include "subsys.h"

extern const struct vj_subsys vj_subsys_prison;
extern const struct vj_subsys vj_subsys_userns;
extern const struct vj_subsys vj_subsys_ipc;
extern const struct vj_subsys vj_subsys_uts;
extern const struct vj_subsys vj_subsys_net;
extern const struct vj_subsys vj_subsys_ip;
extern const struct vj_subsys vj_subsys_limits;
extern const struct vj_subsys vj_subsys_epair;
extern const struct vj_subsys vj_subsys_mount;
extern const struct vj_subsys vj_subsys_landlock;
extern const struct vj_subsys vj_subsys_security;

const struct vj_subsys *const vj_subsystems[] = {
	&vj_subsys_prison,	/* jid, name, persist, children: the jail itself */
	/* Right after prison: the uid/gid maps are written (ATTACH) and the
	 * process becomes the jail's root (CHILD, ENTER) before any other
	 * subsystem works in namespaces the user namespace owns. */
	&vj_subsys_userns,	/* user.map: a user namespace of its own */
	&vj_subsys_ipc,		/* SysV and POSIX IPC */
	&vj_subsys_uts,		/* host.* */
	&vj_subsys_net,		/* vnet: the network stack, lent interfaces */
	&vj_subsys_ip,		/* ip4.addr, ip6.addr: restricted shared stack */
	&vj_subsys_limits,	/* limit.*: resource limits in cgroups */
	&vj_subsys_epair,	/* epairs, bridges, addresses, routes */
	&vj_subsys_mount,	/* path, mount.*: the root and what is in it */
	/* Before security: it needs CAP_SYS_ADMIN (or no_new_privs). */
	&vj_subsys_landlock,	/* unix.abstract: Landlock scoping */
	/* Last: restricts a process once everything else has set it up;
	 * the seccomp filter is loaded right after it. */
	&vj_subsys_security,	/* allow.*, securelevel: caps, seccomp */
};
const size_t vj_nsubsystems = sizeof(vj_subsystems) / sizeof(vj_subsystems[0]);

static const char *const phase_names[VJ_PH_COUNT] = {
	"check", "host", "attach", "child", "late", "update", "enter-host", "enter",
};

static const char *const tphase_names[VJ_TD_COUNT] = { "stop", "release" };

/* Name of a setup phase. */
const char *
vj_phase_name(enum vj_phase ph)
{
	return phase_names[ph];
}

/* Name of a teardown phase. */
const char *
vj_tphase_name(enum vj_tphase ph)
{
	return tphase_names[ph];
}

/* The index of a subsystem, or -1. */
int
vj_subsys_index(const char *name)
{
	size_t i;

	for (i = 0; i < vj_nsubsystems; i++)
		if (strcmp(vj_subsystems[i]->name, name) == 0)
			return (int)i;
	return -1;
}

/* Test hook: VJAIL_FAIL_AT=subsys:phase makes that step fail. */
static bool
injected(const char *subsys, const char *phase)
{
	const char *at = getenv("VJAIL_FAIL_AT");
	size_t len = strlen(subsys);

	return at != NULL && strncmp(at, subsys, len) == 0 &&
	    at[len] == ':' && strcmp(at + len + 1, phase) == 0;
}

/* Run one setup phase over every subsystem, in table order. */
int
vj_subsys_setup(struct vj_jail *j, enum vj_phase ph, struct vj_error *err)
{
	const struct vj_subsys *s;
	size_t i;

	for (i = 0; i < vj_nsubsystems; i++) {
		s = vj_subsystems[i];
		if (ph == VJ_PH_HOST)
			j->begun |= 1UL << i;
		if (s->setup == NULL)
			continue;
		if (ph != VJ_PH_ENTER && ph != VJ_PH_CHILD)
			vj_trace(j->ctx, "%s: %s %s", j->name, phase_names[ph],
			    s->name);
		if (injected(s->name, phase_names[ph]))
			return vj_err_set(err, EIO, "%s: injected failure",
			    s->name);
		if (s->setup(j, ph, err) < 0)
			return -1;
	}
	/* A process entering the jail gets one filter, loaded last; the
	 * init, which runs nothing of the jail's, a narrower one of its own
	 * once it is set up (init_lockdown.c). */
	if (ph == VJ_PH_ENTER)
		return vj_filter_load(err);
	if (ph == VJ_PH_CHILD)
		return vj_init_lockdown_available() ? vj_filter_prepare(err) :
		    vj_filter_load(err);
	return 0;
}

/* Run one teardown phase over begun subsystems, in reverse order. */
int
vj_subsys_teardown(struct vj_jail *j, enum vj_tphase ph, struct vj_error *err)
{
	struct vj_error e2;
	const struct vj_subsys *s;
	size_t i;
	int rc = 0;

	for (i = vj_nsubsystems; i-- > 0;) {
		s = vj_subsystems[i];
		if (!(j->begun & (1UL << i)) || s->teardown == NULL)
			continue;
		vj_trace(j->ctx, "%s: %s %s", j->name, tphase_names[ph],
		    s->name);
		if (s->teardown(j, ph, &e2) < 0 && rc == 0) {
			if (err != NULL)
				*err = e2;
			rc = -1;
		}
	}
	return rc;
}

/* The namespaces every subsystem asks for. */
unsigned long
vj_subsys_clone_flags(const struct vj_jail *j)
{
	unsigned long flags = 0;
	size_t i;

	for (i = 0; i < vj_nsubsystems; i++)
		if (vj_subsystems[i]->clone_flags != NULL)
			flags |= vj_subsystems[i]->clone_flags(j);
	return flags;
}

/* Every subsystem's view of a jail, in order (the shared debug hook). */
void
vj_subsys_show(const struct vj_jail *j, FILE *out)
{
	size_t i;

	for (i = 0; i < vj_nsubsystems; i++) {
		fprintf(out, "[%zu] %s%s\n", i, vj_subsystems[i]->name,
		    j->begun & (1UL << i) ? "" : " (not set up)");
		if (vj_subsystems[i]->show != NULL)
			vj_subsystems[i]->show(j, out);
	}
}
