/*
 * nshandle.h: the handles a parent jail holds on its children's
 * namespaces, so that its root may enter them as FreeBSD's may
 * jail_attach into a child jail (nshandle.c says why they are needed).
 */
#ifndef VJ_NSHANDLE_H
#define VJ_NSHANDLE_H

#include "jailobj.h"

/* While j's init waits (VJ_PH_ATTACH): bind its namespaces into its
 * parent jail's mount namespace.  Nothing for a top-level jail. */
int	vj_nshandle_publish(struct vj_jail *j, struct vj_error *);
/* Remove j's handles from its parent's mount namespace; a parent that
 * is gone took them with it. */
void	vj_nshandle_withdraw(struct vj_jail *j);
/* In a new jail's mount namespace (VJ_PH_CHILD): drop the handles copied
 * from its parent's, so that it holds none on its siblings. */
void	vj_nshandle_drop_copied(const struct vj_jail *);
/* Join the namespaces in flags (CLONE_NEW*) of j, a child of the
 * caller's jail, through the handles. */
int	vj_nshandle_join(struct vj_jail *j, unsigned long flags,
	    struct vj_error *);

#endif
