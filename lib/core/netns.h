/*
 * netns.h: new network namespaces as descriptors (netns.c).
 */
#ifndef VJ_NETNS_H
#define VJ_NETNS_H

#include "jailobj.h"

/* A new network namespace, as an nsfs descriptor (close-on-exec), made
 * by a vfork-like child with CLONE_NEWNET | extra (e.g. CLONE_NEWUSER:
 * born with its own user namespace); -1 with errno. */
int	vj_netns_new(unsigned long extra);
/* A new network namespace owned by a user namespace that the creations
 * of ctx share (a task of the caller's makes them ahead); -1 with errno
 * set (a host that makes no user namespace: EPERM, ENOSPC...). */
int	vj_netns_owned(struct vj_ctx *);
/* End that task (vj_ctx_free). */
void	vj_netns_end(struct vj_ctx *);

#endif
