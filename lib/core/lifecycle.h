/*
 * lifecycle.h: loading, creating and removing jails (lifecycle.c) and
 * starting processes in them (spawn.c).
 */
#ifndef VJ_LIFECYCLE_H
#define VJ_LIFECYCLE_H

#include "jailobj.h"

/* A fresh jail object bound to ctx. */
struct vj_jail *vj_jail_new(struct vj_ctx *);
/* Free a jail object and close its handles. */
void	vj_jail_free(struct vj_jail *);
/* Load jail jid as the caller may see it (ENOENT otherwise). */
struct vj_jail *vj_jail_load(struct vj_ctx *, int jid, struct vj_error *);
/* The jail the last vj_jail_next loaded, if it is jid; the caller owns
 * it then. */
struct vj_jail *vj_jail_take_cached(struct vj_ctx *, int jid);
/* Is the jail's init alive (the jail "exists")? */
bool	vj_jail_alive(const struct vj_jail *);
/* Is the jail's record abandoned: no live init and no live owner? */
bool	vj_jail_stale(const struct vj_jail *);
/* Open a pidfd on the jail's init (kept in j->pidfd). */
int	vj_jail_pidfd(struct vj_jail *, struct vj_error *);
/* The full teardown of a loaded jail (idempotent). */
int	vj_jail_destroy(struct vj_jail *, int flags, struct vj_error *);
/* How many jails live below this one (children.cur). */
int	vj_jail_descendants(struct vj_jail *);
/* Count, up to limit, the recorded jails other than jid skip that nobody
 * abandoned and that match accepts. */
int	vj_jail_count_live(struct vj_ctx *, int skip,
	    bool (*match)(const struct vj_jail *, const void *),
	    const void *arg, int limit);
/* Short name as seen from the caller ("child" inside "parent"). */
const char *vj_jail_shortname(const struct vj_jail *);

/* A started removal: its jail, and whether a queue waits for it (then
 * *done and *tag are set). */
int	vj_removal_jid(const struct vj_removal *);
bool	vj_removal_queued(const struct vj_removal *, vj_removed_fn *done,
	    void **tag);
void	vj_removal_set_done(struct vj_removal *, vj_removed_fn, void *tag);
/* inflight.c: the removals a context has started and not finished. */
bool	vj_inflight_has(const struct vj_ctx *, int jid);
int	vj_inflight_add(struct vj_ctx *, struct vj_removal *);
void	vj_inflight_drop(struct vj_ctx *, const struct vj_removal *);

/* A creation in three parts (lifecycle.c), for creating.c's queue. */
struct vj_jail *vj_create_begin(struct vj_ctx *, const struct vj_params *,
	    void *tls, int *sync, struct vj_error *);
int	vj_create_go(struct vj_jail *, int sync, struct vj_error *);
int	vj_create_end(struct vj_jail *, int sync, int flags,
	    struct vj_error *);
/* vj_create_end in three steps, for a creator that runs VJ_PH_LATE for
 * several jails at once: the init's verdict (0 once it serves, else -1
 * with the jail rolled back and freed), then vj_late_queue() (late.c),
 * then vj_create_run() (the jid, j freed; -1 rolled back and freed) or
 * vj_create_abandon() (rolled back and freed). */
int	vj_create_verdict(struct vj_jail *, int sync, struct vj_error *);
int	vj_create_run(struct vj_jail *, int flags, struct vj_error *);
void	vj_create_abandon(struct vj_jail *);
/* late.c: VJ_PH_LATE queued into the context's shared batch; the batch
 * sent (0 when nothing was queued) or dropped; one jail on its own. */
int	vj_late_queue(struct vj_jail *, struct vj_error *);
int	vj_late_send(struct vj_ctx *, struct vj_error *);
void	vj_late_cancel(struct vj_ctx *);
int	vj_late_one(struct vj_jail *, struct vj_error *);
/* creating.c: flush the creations in flight and end the donors; is a
 * jail of that full name (or, name NULL, that jid) among them? */
void	vj_creating_free(struct vj_ctx *);
bool	vj_creating_has(const struct vj_ctx *, const char *name, int jid);

#endif
