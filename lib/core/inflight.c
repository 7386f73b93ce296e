/*
 * inflight.c: removals a context has started and not finished, oldest
 * first.  vj_jail_remove_start adds one and vj_jail_remove_finish drops
 * it; a parent's teardown leaves a child found here to that child's own
 * finish, and starting a jail found here again fails (it would be
 * released twice).  vj_jail_remove_queue keeps up to VJ_RM_INFLIGHT of
 * them started for a remover of many jails (the batch workers, jail -r):
 * an init's death takes about a millisecond (its mount namespace goes,
 * then an RCU grace period), and inits killed together die side by side,
 * their network stacks freed by the kernel in larger batches.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "lifecycle.h"

/* Is a removal of jid started in ctx and not finished? */
bool
vj_inflight_has(const struct vj_ctx *ctx, int jid)
{
	size_t i;

	for (i = 0; i < ctx->ninflight; i++)
		if (vj_removal_jid(ctx->inflight[i]) == jid)
			return true;
	return false;
}

/* Note a started removal, last. */
int
vj_inflight_add(struct vj_ctx *ctx, struct vj_removal *r)
{
	struct vj_removal **v;
	size_t cap = ctx->capinflight * 2 + VJ_RM_INFLIGHT;

	if (ctx->ninflight == ctx->capinflight) {
		if ((v = realloc(ctx->inflight, cap * sizeof(*v))) == NULL)
			return -1;
		ctx->inflight = v;
		ctx->capinflight = cap;
	}
	ctx->inflight[ctx->ninflight++] = r;
	return 0;
}

/* Forget a finished removal, keeping the order of the others. */
void
vj_inflight_drop(struct vj_ctx *ctx, const struct vj_removal *r)
{
	size_t i;

	for (i = 0; i < ctx->ninflight; i++)
		if (ctx->inflight[i] == r) {
			memmove(ctx->inflight + i, ctx->inflight + i + 1,
			    (--ctx->ninflight - i) * sizeof(*ctx->inflight));
			return;
		}
}

/* Finish the oldest queued removal and tell its caller; 0 if none. */
static int
finish_oldest(struct vj_ctx *ctx)
{
	struct vj_error err = { 0 };
	struct vj_removal *r = NULL;
	vj_removed_fn done;
	void *tag;
	size_t i;
	int rc;

	for (i = 0; i < ctx->ninflight && r == NULL; i++)
		if (vj_removal_queued(ctx->inflight[i], &done, &tag))
			r = ctx->inflight[i];
	if (r == NULL)
		return 0;
	rc = vj_jail_remove_finish(r, &err);
	done(tag, rc, &err);
	return 1;
}

/* Start removing jid, first finishing the oldest queued removal when
 * VJ_RM_INFLIGHT are started; done(tag, ...) hears of each at its end. */
int
vj_jail_remove_queue(struct vj_ctx *ctx, int jid, int flags, void *tag,
    vj_removed_fn done, struct vj_error *err)
{
	struct vj_removal *r;

	if (done == NULL)
		return vj_err_set(err, EINVAL, "remove: no completion given");
	if (ctx->ninflight >= VJ_RM_INFLIGHT)
		finish_oldest(ctx);
	if ((r = vj_jail_remove_start(ctx, jid, flags, err)) == NULL)
		return -1;
	vj_removal_set_done(r, done, tag);
	return 0;
}

/* Finish every queued removal, oldest first. */
void
vj_jail_remove_flush(struct vj_ctx *ctx)
{
	while (finish_oldest(ctx))
		;
}
