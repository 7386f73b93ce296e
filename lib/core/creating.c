/*
 * creating.c: creations a context has started and not finished, oldest
 * first, for a creator of many jails (jail -c over a jail.conf, the batch
 * workers).  Each jail's init sets itself up (its mounts, /proc and /sys
 * masks, /dev, seccomp: VJ_PH_CHILD) on thread-local storage lent by a
 * parked thread (donor.c), while the creator builds the next jail's
 * namespaces and links.  On two CPUs that hides most of an init's setup
 * behind the next jail's network work, which is what the kernel's locks
 * serialise anyway.  At most VJ_CR_INFLIGHT inits set up at once; done()
 * hears of each creation at its end, in the order they were queued.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "donor.h"
#include "error.h"
#include "lifecycle.h"

/* One creation whose init is setting itself up. */
struct vj_creation {
	struct vj_jail	*j;
	int		 sync;
	int		 flags;
	vj_created_fn	 done;
	void		*tag;
};

/* In a forked child, the creations in flight are the parent's: forget
 * our copies (the parent finishes them and hears of them). */
static void
forget_parents(struct vj_ctx *ctx)
{
	size_t i;

	if (ctx->creating_owner == getpid())
		return;
	for (i = 0; i < ctx->ncreating; i++) {
		close(ctx->creating[i].sync);
		ctx->creating[i].j->init_tls = NULL;
		vj_jail_free(ctx->creating[i].j);
	}
	ctx->ncreating = 0;
	ctx->creating_owner = getpid();
}

/* Finish the oldest creation and tell its caller; 0 if none. */
static int
finish_oldest(struct vj_ctx *ctx)
{
	struct vj_creation c;
	struct vj_error err = { 0 };
	int jid;

	forget_parents(ctx);
	if (ctx->ncreating == 0)
		return 0;
	c = ctx->creating[0];
	memmove(ctx->creating, ctx->creating + 1,
	    --ctx->ncreating * sizeof(*ctx->creating));
	jid = vj_create_end(c.j, c.sync, c.flags, &err);
	c.done(c.tag, jid, &err);
	return 1;
}

/* Room for one more creation in flight. */
static int
grow(struct vj_ctx *ctx)
{
	struct vj_creation *v;

	if (ctx->creating != NULL)
		return 0;
	v = calloc(VJ_CR_INFLIGHT, sizeof(*v));
	if (v == NULL)
		return -1;
	ctx->creating = v;
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
	while (ctx->ncreating >= VJ_CR_INFLIGHT ||
	    (j == NULL && ctx->ncreating > 0))
		finish_oldest(ctx);	/* and a failure after those before */
	if (j == NULL || vj_create_go(j, sync, err) < 0)
		return -1;
	if (tls == NULL) {	/* on our own TLS: we must wait for it */
		done(tag, vj_create_end(j, sync, flags, err), err);
		return 0;
	}
	vj_trace(ctx, "%s: init setting up while the next is made", j->name);
	ctx->creating[ctx->ncreating++] = (struct vj_creation){ j, sync,
	    flags, done, tag };
	return 0;
}

/* Finish every creation in flight, oldest first. */
void
vj_jail_create_flush(struct vj_ctx *ctx)
{
	while (finish_oldest(ctx))
		;
}

/* Flush, then end this process's donors (vj_ctx_free). */
void
vj_creating_free(struct vj_ctx *ctx)
{
	vj_jail_create_flush(ctx);
	free(ctx->creating);
	ctx->creating = NULL;
	vj_donors_free(&ctx->donors);
}
