/* ctx.c: the library context: state location and the caller's jail. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "jailobj.h"
#include "netns.h"
#include "lifecycle.h"
#include "proc.h"
#include "state.h"
#include "util.h"

/* Learn which jail (if any) the caller lives in. */
static void
find_self(struct vj_ctx *ctx)
{
	char path[300], buf[512];
	int jid;

	ctx->self_pidns = vj_proc_pidns("self");
	jid = vj_state_pidns_jid(ctx, ctx->self_pidns);
	if (jid <= 0) {
		/* A jail without children.max sees only a "self" marker. */
		snprintf(path, sizeof(path), "%s/self", ctx->rundir);
		if (vj_read_file(path, buf, sizeof(buf)) <= 0 ||
		    sscanf(buf, "%d", &jid) != 1)
			return;
	}
	ctx->self_jid = jid;
	snprintf(path, sizeof(path), "%s/jail/%d", ctx->rundir, jid);
	{
		struct vj_jail j;
		struct vj_error e;

		memset(&j, 0, sizeof(j));
		j.ctx = ctx;
		if (vj_state_load(ctx, jid, &j, &e) == 0 && j.name[0])
			snprintf(ctx->self_prefix, sizeof(ctx->self_prefix),
			    "%s.", j.name);
		vj_params_free(&j.params);
		vj_params_free(&j.notes);
	}
}

/* A new context. */
struct vj_ctx *
vj_ctx_new(struct vj_error *err)
{
	struct vj_ctx *ctx = calloc(1, sizeof(*ctx));
	const char *dir = getenv("VJAIL_RUNDIR");

	if (ctx == NULL) {
		vj_err_sys(err, "context");
		return NULL;
	}
	snprintf(ctx->rundir, sizeof(ctx->rundir), "%s",
	    dir != NULL && *dir == '/' ? dir : "/run/vjail");
	find_self(ctx);
	return ctx;
}

/* Free a context. */
void
vj_ctx_free(struct vj_ctx *ctx)
{
	if (ctx == NULL)
		return;
	vj_creating_free(ctx);		/* every queued creation ends */
	vj_jail_remove_flush(ctx);	/* every queued removal ends */
	vj_netns_end(ctx);
	free(ctx->list);
	free(ctx->spare);
	free(ctx->inflight);
	vj_jail_free(ctx->cached);
	free(ctx);
}

/* Install the trace hook. */
void
vj_ctx_set_trace(struct vj_ctx *ctx, void (*fn)(void *, const char *),
    void *arg)
{
	ctx->trace = fn;
	ctx->trace_arg = arg;
}

/* Install the warning hook. */
void
vj_ctx_set_warn(struct vj_ctx *ctx, void (*fn)(void *, const char *),
    void *arg)
{
	ctx->warn = fn;
	ctx->warn_arg = arg;
}

/* The jid of the caller's own jail, 0 on the host. */
int
vj_ctx_self(const struct vj_ctx *ctx)
{
	return ctx->self_jid;
}
