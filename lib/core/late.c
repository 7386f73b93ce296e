/*
 * late.c: VJ_PH_LATE, the host settings a jail gets once its init serves
 * (a bridge port's master, the host end up), queued into one netlink
 * batch that several jails share.
 *
 * Why: a bridge port is added under the rtnl lock by walking the bridge's
 * lists of ports, in memory the kernel touches for nothing else.  Between
 * two jails' ports a creator makes a whole network namespace, which
 * evicts those lists from the caches: measured with 600 jails on one
 * bridge, adding one port cost four times what it cost when the ports
 * were added back to back.  A creator of many jails (creating.c) runs
 * this phase for up to VJ_LATE_BATCH of them together; a single creation
 * runs it alone, right after the init's verdict.
 */
#include <errno.h>

#include "error.h"
#include "jailobj.h"
#include "lifecycle.h"
#include "nl.h"
#include "subsys.h"

/* The batch the current VJ_PH_LATE queues into, opened on first use: a
 * jail with nothing to set opens no socket. */
struct vj_nl *
vj_jail_late_nl(struct vj_jail *j, struct vj_error *err)
{
	struct vj_ctx *ctx = j->ctx;
	struct vj_nl *nl;

	if (ctx->late_nl != NULL)
		return ctx->late_nl;
	if ((nl = vj_nl_open(err)) == NULL)
		return NULL;
	if (vj_nl_batch_begin(nl, err) < 0) {
		vj_nl_close(nl);
		return NULL;
	}
	ctx->late_nl = nl;
	return nl;
}

/* Queue one jail's late settings into the context's batch. */
int
vj_late_queue(struct vj_jail *j, struct vj_error *err)
{
	return vj_subsys_setup(j, VJ_PH_LATE, err);
}

/* Send what the jails queued and collect every answer (no batch: 0). */
int
vj_late_send(struct vj_ctx *ctx, struct vj_error *err)
{
	struct vj_nl *nl = ctx->late_nl;
	int rc;

	if (nl == NULL)
		return 0;
	ctx->late_nl = NULL;
	rc = vj_nl_batch_end(nl, err);
	vj_nl_close(nl);
	return rc;
}

/* Drop a batch that will not be sent (a queueing failed half-way). */
void
vj_late_cancel(struct vj_ctx *ctx)
{
	vj_nl_close(ctx->late_nl);	/* drops its open batch unsent */
	ctx->late_nl = NULL;
}

/* One jail's late settings in a batch of its own. */
int
vj_late_one(struct vj_jail *j, struct vj_error *err)
{
	if (vj_late_queue(j, err) < 0) {
		vj_late_cancel(j->ctx);
		return -1;
	}
	return vj_late_send(j->ctx, err);
}
