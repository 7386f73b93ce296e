/*
 * init.h: each jail's init, PID 1 of its pid namespace.  It holds the
 * jail's namespaces, reaps orphans, and (without persist) leaves when the
 * last other process has gone.  It is forked, never exec'd: an exec costs
 * milliseconds here and a fork shares almost every page.
 */
#ifndef VJ_INIT_H
#define VJ_INIT_H

#include <stdbool.h>

#include "jailobj.h"

/* The init keeps a procfs of its own pid namespace on this descriptor;
 * the host borrows it (pidfd_getfd) to list the jail's processes. */
#define VJ_INIT_PROCFD		3

/* Control values sent to an init with sigqueue(SIGRTMIN). */
#define VJ_INIT_NOPERSIST	0	/* leave when no other process is left */
#define VJ_INIT_PERSIST		1	/* stay with no process */
#define VJ_INIT_CHECK		2	/* count processes now */

/* Clone the init into new namespaces; it waits for vj_init_release. */
int	vj_init_clone(struct vj_jail *, int *syncfd, struct vj_error *);
/* The same, for a child of a jail other than the caller's own (a.b made
 * from the host): cloned from inside the parent's namespaces. */
int	vj_init_clone_under(struct vj_jail *, int *syncfd, struct vj_error *);
/* Let the init run its VJ_PH_CHILD setup, and collect its result. */
int	vj_init_release(struct vj_jail *, int syncfd, struct vj_error *);
/* The same in two steps, for a creator that goes on meanwhile: the init
 * then needs thread-local storage of its own (j->init_tls, donor.c). */
int	vj_init_go(struct vj_jail *, int syncfd, struct vj_error *);
int	vj_init_verdict(struct vj_jail *, int syncfd, struct vj_error *);
/* In the init, once it is set up: allow only what its loop calls
 * (init_lockdown.c); 0, or -1 with errno set. */
int	vj_init_lockdown(void);
/* Has this build a lockdown for the init (else the init gets the jail's
 * policy and capability work, as any process entering the jail)? */
bool	vj_init_lockdown_available(void);
/* Send a control value to a running init. */
int	vj_init_control(struct vj_jail *, int value, struct vj_error *);

#endif
