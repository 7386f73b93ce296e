/*
 * creating.c: creations a context has started and not finished, oldest
 * first, for a creator of many jails (jail -c over a jail.conf, the batch
 * workers).  Each jail's init sets itself up (its mounts, /proc and /sys
 * masks, /dev, seccomp: VJ_PH_CHILD) on thread-local storage lent by a
 * parked thread (donor.c), while the creator builds the next jail's
 * namespaces and links.  On two CPUs that hides most of an init's setup
 * behind the next jail's network work, which is what the kernel's locks
 * serialise anyway.  At most VJ_CR_INFLIGHT inits set up at once.
 *
 * An init that serves waits, with up to VJ_LATE_BATCH others, for the
 * host settings of their last phase (VJ_PH_LATE: bridge ports), which
 * are sent in one batch (late.c says why); should that batch fail, each
 * jail's settings are tried again alone, so that a failure is its own
 * jail's.  done() hears of each creation at its end, in the order they
 * were queued.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "donor.h"
#include "error.h"
#include "lifecycle.h"

#define VJ_LATE_BATCH	16

/* One creation whose init is setting itself up (or, in ctx->ready,
 * serves and waits for its late settings). */
struct vj_creation {
	struct vj_jail	*j;
	int		 sync;
	int		 flags;
	vj_created_fn	 done;
	void		*tag;
	int		 failed;	/* its late settings failed: err says */
	struct vj_error	 err;
};

/* Free our copies of a list of creations, which a parent finishes. */
static void
forget(struct vj_creation *c, size_t *n)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		if (c[i].sync >= 0)
			close(c[i].sync);
		c[i].j->init_tls = NULL;
		vj_jail_free(c[i].j);
	}
	*n = 0;
}

/* In a forked child, the creations in flight are the parent's: forget
 * our copies (the parent finishes them and hears of them). */
static void
forget_parents(struct vj_ctx *ctx)
{
	if (ctx->creating_owner == getpid())
		return;
	forget(ctx->creating, &ctx->ncreating);
	forget(ctx->ready, &ctx->nready);
	vj_late_cancel(ctx);
	ctx->creating_owner = getpid();
}

/* Queue the late settings of every waiting jail into one batch and send
 * it; if that fails, each jail's alone, to know whose they were. */
static void
late_settings(struct vj_ctx *ctx)
{
	struct vj_error err;
	size_t i;

	for (i = 0; i < ctx->nready; i++)
		if (vj_late_queue(ctx->ready[i].j, &err) < 0) {
			vj_late_cancel(ctx);
			break;
		}
	if (i == ctx->nready && vj_late_send(ctx, &err) == 0)
		return;
	for (i = 0; i < ctx->nready; i++) {
		ctx->ready[i].err = (struct vj_error){ 0 };
		ctx->ready[i].failed = vj_late_one(ctx->ready[i].j,
		    &ctx->ready[i].err) < 0;
	}
}

/* Apply the waiting jails' late settings, let them run and tell their
 * callers, in order. */
static void
finish_ready(struct vj_ctx *ctx)
{
	struct vj_creation batch[VJ_LATE_BATCH], *c;
	size_t i, n = ctx->nready;
	int jid;

	if (n == 0)
		return;
	late_settings(ctx);
	/* done() may queue more: tell from a copy. */
	memcpy(batch, ctx->ready, n * sizeof(*batch));
	ctx->nready = 0;
	for (i = 0; i < n; i++) {
		c = &batch[i];
		if (c->failed) {
			vj_create_abandon(c->j);
			jid = -1;
		} else
			jid = vj_create_run(c->j, c->flags, &c->err);
		c->done(c->tag, jid, &c->err);
	}
}

/* Take the oldest init's verdict: one more jail waits for its late
 * settings, or a failure is told after those before it; 0 if none. */
static int
finish_oldest(struct vj_ctx *ctx)
{
	struct vj_creation c;

	forget_parents(ctx);
	if (ctx->ncreating == 0)
		return 0;
	c = ctx->creating[0];
	memmove(ctx->creating, ctx->creating + 1,
	    --ctx->ncreating * sizeof(*ctx->creating));
	c.err = (struct vj_error){ 0 };
	c.failed = 0;
	if (vj_create_verdict(c.j, c.sync, &c.err) < 0) {
		finish_ready(ctx);
		c.done(c.tag, -1, &c.err);
		return 1;
	}
	c.sync = -1;
	ctx->ready[ctx->nready++] = c;
	if (ctx->nready == VJ_LATE_BATCH)
		finish_ready(ctx);
	return 1;
}

/* Room for one more creation in flight. */
static int
grow(struct vj_ctx *ctx)
{
	if (ctx->creating != NULL)
		return 0;
	ctx->creating = calloc(VJ_CR_INFLIGHT, sizeof(*ctx->creating));
	ctx->ready = calloc(VJ_LATE_BATCH, sizeof(*ctx->ready));
	if (ctx->creating == NULL || ctx->ready == NULL) {
		free(ctx->creating);
		free(ctx->ready);
		ctx->creating = NULL;
		ctx->ready = NULL;
		return -1;
	}
	return 0;
}

/* Is the jail to be made a child of another ("a.b")? */
static bool
nested(const struct vj_params *in)
{
	const char *name = vj_params_get(in, "name");

	return name != NULL && strchr(name, '.') != NULL;
}

/* Start creating a jail; its end is reported to done(tag, jid or -1,
 * error).  A jail whose start fails is reported by the return value,
 * after those before it. */
int
vj_jail_create_queue(struct vj_ctx *ctx, const struct vj_params *in,
    int flags, void *tag, vj_created_fn done, struct vj_error *err)
{
	struct vj_jail *j;
	void *tls;
	int sync;

	if (done == NULL || (flags & VJ_ATTACH))
		return vj_err_set(err, EINVAL, "create: %s", done == NULL ?
		    "no completion given" : "VJ_ATTACH cannot be queued");
	if (grow(ctx) < 0)
		return vj_err_sys(err, "create");
	forget_parents(ctx);
	/* No donor to be had (all lent, or none on this machine), or a
	 * child jail, whose parent must be running and whose init is
	 * cloned by a forked helper: after every other, on our TLS. */
	tls = nested(in) ? NULL : vj_donor_lend(&ctx->donors);
	if (tls == NULL)
		vj_jail_create_flush(ctx);
	/* This jail's namespaces and links while the last init sets up. */
	j = vj_create_begin(ctx, in, tls, &sync, err);
	while (ctx->ncreating >= VJ_CR_INFLIGHT)
		finish_oldest(ctx);
	if (j == NULL || vj_create_go(j, sync, err) < 0) {
		vj_jail_create_flush(ctx);	/* told after those before */
		return -1;
	}
	if (tls == NULL) {	/* on our own TLS: we must wait for it */
		done(tag, vj_create_end(j, sync, flags, err), err);
		return 0;
	}
	vj_trace(ctx, "%s: init setting up while the next is made", j->name);
	ctx->creating[ctx->ncreating++] = (struct vj_creation){ .j = j,
	    .sync = sync, .flags = flags, .done = done, .tag = tag };
	return 0;
}

/* Is one of this process's creations in flight of that name or jid? */
static bool
among(const struct vj_creation *c, size_t n, const char *name, int jid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (name != NULL ? strcmp(c[i].j->name, name) == 0 :
		    c[i].j->jid == jid)
			return true;
	return false;
}

/* Is a jail of that full name (or, name NULL, jid) still being made? */
bool
vj_creating_has(const struct vj_ctx *ctx, const char *name, int jid)
{
	if (ctx->creating_owner != getpid())
		return false;	/* a parent's, not ours */
	return among(ctx->creating, ctx->ncreating, name, jid) ||
	    among(ctx->ready, ctx->nready, name, jid);
}

/* Finish every creation in flight, oldest first. */
void
vj_jail_create_flush(struct vj_ctx *ctx)
{
	while (finish_oldest(ctx))
		;
	finish_ready(ctx);
}

/* Flush, then end this process's donors (vj_ctx_free). */
void
vj_creating_free(struct vj_ctx *ctx)
{
	vj_jail_create_flush(ctx);
	free(ctx->creating);
	free(ctx->ready);
	ctx->creating = NULL;
	ctx->ready = NULL;
	vj_donors_free(&ctx->donors);
}
