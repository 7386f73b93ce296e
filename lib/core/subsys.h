/*
 * subsys.h: the subsystem framework, a userland VNET_SYSINIT/SYSUNINIT.
 *
 * Each virtualized subsystem (uts, ipc, mount, net, ...) is one file in
 * lib/subsys/ exporting one struct vj_subsys, listed once in the ordered
 * table in subsys.c.  Creation runs every hook of a phase in table order;
 * teardown walks the same table backwards, and a failed creation rolls
 * back through it.  Every teardown is idempotent: "already gone" is
 * success, so `jail -r` after a crash finishes whatever was begun.
 */
#ifndef VJ_SUBSYS_H
#define VJ_SUBSYS_H

#include <stdio.h>

#include "vjail.h"

struct vj_jail;

/* Setup phases, in the order creation runs them. */
enum vj_phase {
	VJ_PH_CHECK,	/* validate parameters, probe features; no side effects */
	VJ_PH_HOST,	/* host side, before the init exists (make host objects) */
	VJ_PH_ATTACH,	/* host side, init cloned and waiting: j->init_pid valid */
	VJ_PH_CHILD,	/* inside the new init, before it starts serving */
	VJ_PH_LATE,	/* host side, the init serves, the jail is not yet
			 * running: host settings a creator of many jails
			 * applies to several at once, queued into one
			 * netlink batch (vj_jail_late_nl) */
	VJ_PH_UPDATE,	/* host side, jail running: apply j->params (jail -m) */
	VJ_PH_ENTER_HOST, /* host side, a process spawned into the jail waits */
	VJ_PH_ENTER,	/* inside a joining process after setns, before exec */
	VJ_PH_COUNT
};

/* Teardown phases, in the order removal runs them. */
enum vj_tphase {
	VJ_TD_STOP,	/* processes and namespaces still alive (return links) */
	VJ_TD_RELEASE,	/* processes gone: remove host objects and state */
	VJ_TD_COUNT
};

/* A subsystem: one module of lib/subsys/. */
struct vj_subsys {
	const char		*name;
	const struct vj_pdef	*params;	/* parameters it owns, {NULL} ends */
	/* Namespaces it needs at clone time, given the parameters (CLONE_NEW*). */
	unsigned long		(*clone_flags)(const struct vj_jail *);
	int			(*setup)(struct vj_jail *, enum vj_phase,
				    struct vj_error *);
	int			(*teardown)(struct vj_jail *, enum vj_tphase,
				    struct vj_error *);
	/* Print the subsystem's view of a jail (debug, `jls -v` extras). */
	void			(*show)(const struct vj_jail *, FILE *);
};

/* The ordered table. */
extern const struct vj_subsys *const vj_subsystems[];
extern const size_t vj_nsubsystems;

/* Run one setup phase over every subsystem in order; journals HOST/ATTACH.
 * On failure the error names the subsystem; the caller rolls back. */
int	vj_subsys_setup(struct vj_jail *, enum vj_phase, struct vj_error *);
/* Run one teardown phase over every begun subsystem, in reverse order.
 * Every hook runs even if an earlier one failed; the first error is kept. */
int	vj_subsys_teardown(struct vj_jail *, enum vj_tphase, struct vj_error *);
/* The clone flags every subsystem asks for. */
unsigned long vj_subsys_clone_flags(const struct vj_jail *);
/* Print every subsystem's show() for a jail, in order. */
void	vj_subsys_show(const struct vj_jail *, FILE *);
/* The index of a subsystem in the table, or -1. */
int	vj_subsys_index(const char *name);

/* Names of phases for traces. */
const char *vj_phase_name(enum vj_phase);
const char *vj_tphase_name(enum vj_tphase);

#endif
