/* get.c: read every parameter of a jail, as jls and jail_get see them. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "lifecycle.h"
#include "state.h"
#include "subsys.h"
#include "util.h"

struct fill {
	const struct vj_jail	*j;
	struct vj_params	*out;
	int			 rc;
};

/* The values put_ids() fills from the record itself. */
static bool
is_id(const char *name)
{
	static const char *const ids[] = {
		"jid", "name", "parent", "dying", "children.cur",
	};
	size_t i;

	for (i = 0; i < VJ_ARRAY_LEN(ids); i++)
		if (strcmp(ids[i], name) == 0)
			return true;
	return false;
}

/* Add a registered parameter's value (or its default).  The registry
 * names each parameter once, so only the ids can already be there. */
static void
fill_default(const struct vj_pdef *d, void *arg)
{
	struct fill *f = arg;
	const struct vj_param *p;
	struct vj_param *q;
	const char *dv;
	size_t k;

	if (d->flags & (VJ_PF_INTERNAL | VJ_PF_NOSHOW | VJ_PF_PREFIX) ||
	    is_id(d->name))
		return;
	if ((q = vj_params_append(f->out, d->name)) == NULL) {
		f->rc = -1;
		return;
	}
	p = vj_params_find(&f->j->params, d->name);
	if (p == NULL) {
		dv = d->defval ? d->defval : d->type == VJ_PT_IPV4 ||
		    d->type == VJ_PT_IPV6 ? NULL : "";
		if (dv != NULL && vj_param_push(q, dv) < 0)
			f->rc = -1;
		return;
	}
	for (k = 0; k < p->nvals; k++)
		if (vj_param_push(q, p->vals[k]) < 0)
			f->rc = -1;
}

/* Put the values only the record knows: ids, state, counts. */
static int
put_ids(struct vj_jail *j, bool alive, struct vj_params *out)
{
	char num[32];
	int parent = j->parent == j->ctx->self_jid ? 0 : j->parent;

	snprintf(num, sizeof(num), "%d", j->jid);
	if (vj_params_set(out, "jid", num) < 0 ||
	    vj_params_set(out, "name", vj_jail_shortname(j)) < 0)
		return -1;
	snprintf(num, sizeof(num), "%d", parent);
	if (vj_params_set(out, "parent", num) < 0 ||
	    vj_params_set(out, "dying", alive ? "false" : "true") < 0)
		return -1;
	snprintf(num, sizeof(num), "%d", vj_jail_descendants(j));
	return vj_params_set(out, "children.cur", num);
}

/* Every parameter of a jail, read-only ones included.  A walk with
 * vj_jail_next has just loaded the record: use it, not the disk. */
int
vj_jail_get(struct vj_ctx *ctx, int jid, struct vj_params *out,
    struct vj_error *err)
{
	struct vj_jail *j = vj_jail_take_cached(ctx, jid);
	struct fill f = { .out = out, .rc = 0 };
	bool alive = ctx->cached_alive;	/* what the walk saw, if cached */

	if (j == NULL && (j = vj_jail_load(ctx, jid, err)) != NULL)
		alive = vj_jail_alive(j);
	if (j == NULL)
		return -1;
	f.j = j;
	if (put_ids(j, alive, out) < 0)
		f.rc = -1;
	vj_param_foreach(fill_default, &f);
	/* Set prefix parameters (epair.eth0.ip4, ...) are shown as set. */
	for (size_t i = 0; i < j->params.n; i++) {
		const struct vj_pdef *d = vj_param_lookup(j->params.v[i].name);

		if (d != NULL && (d->flags & VJ_PF_PREFIX) && vj_params_copy_one(
		    out, &j->params.v[i]) < 0)
			f.rc = -1;
	}
	vj_jail_free(j);
	if (f.rc < 0)
		return vj_err_sys(err, "jail %d", jid);
	return 0;
}
