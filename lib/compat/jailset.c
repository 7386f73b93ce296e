/*
 * jailset.c: jailparam_set and jail_setv: libjail parameters become a
 * native parameter set, and JAIL_CREATE / JAIL_UPDATE / JAIL_ATTACH
 * become vj_jail_create / vj_jail_update / vj_jail_attach.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "util.h"

/* Add each comma-separated element of an array value. */
static int
add_elems(struct vj_params *ps, const char *name, const char *text)
{
	vj_autofree char *copy = strdup(text);
	char *cur, *next;

	if (copy == NULL || vj_params_add(ps, name, NULL) < 0)
		return -1;
	for (cur = copy; *cur != '\0'; cur = next) {
		next = cur + strcspn(cur, ",");
		if (*next == ',')
			*next++ = '\0';
		if (vj_params_add(ps, name, cur) < 0)
			return -1;
	}
	return 0;
}

/* Add one libjail parameter to a native set. */
static int
add_param(struct vj_params *ps, struct jailparam *jp)
{
	vj_autofree char *text = NULL;

	if (strcmp(jp->jp_name, "lastjid") == 0)
		return 0;
	if (jp->jp_value == NULL)	/* a bare name: "persist" */
		return vj_params_set(ps, jp->jp_name,
		    (jp->jp_flags & (JP_BOOL | JP_NOBOOL | JP_JAILSYS)) ?
		    NULL : "");
	if ((text = jailparam_export(jp)) == NULL)
		return -1;
	if (jp->jp_elemlen != 0)
		return add_elems(ps, jp->jp_name, text);
	return vj_params_set(ps, jp->jp_name, text);
}

/* Build the native set; -1 with jail_errmsg on failure. */
static int
to_native(struct jailparam *jp, unsigned njp, struct vj_params *ps)
{
	unsigned i;

	for (i = 0; i < njp; i++)
		if (add_param(ps, &jp[i]) < 0)
			return jail_errmsg[0] ? -1 :
			    compat_errmsg(errno, "%s", strerror(errno));
	return 0;
}

/* The jid of the jail an update names (jid, else name), or -1/ENOENT. */
static int
update_target(struct vj_ctx *ctx, struct vj_params *ps, int flags)
{
	const char *jid = vj_params_get(ps, "jid");
	const char *name = vj_params_get(ps, "name");
	struct vj_error err = { 0 };
	int by_jid = jid != NULL && strtol(jid, NULL, 10) != 0, found;

	if (!by_jid && name == NULL)
		return compat_errmsg(ENOENT, "no jail specified");
	found = vj_jail_find(ctx, by_jid ? jid : name, flags & JAIL_DYING,
	    &err);
	if (found < 0)
		return compat_fail(&err);
	vj_params_unset(ps, "jid");
	if (!by_jid)
		vj_params_unset(ps, "name");	/* it was the key */
	return found;
}

/* Update the jail the parameters name, then attach if asked. */
static int
do_update(struct vj_ctx *ctx, struct vj_params *ps, int jid, int flags)
{
	struct vj_error err = { 0 };

	if (vj_jail_update(ctx, jid, ps, &err) < 0)
		return compat_fail(&err);
	if (!(flags & JAIL_ATTACH))
		return jid;
	if (vj_jail_attach(ctx, jid, &err) < 0)
		return compat_fail(&err);
	compat_ctx_reset();
	return jid;
}

/* Create a jail (attaching the caller if asked). */
static int
do_create(struct vj_ctx *ctx, struct vj_params *ps, int flags)
{
	struct vj_error err = { 0 };
	int jid;

	jid = vj_jail_create(ctx, ps, flags & (VJ_CREATE | VJ_ATTACH), &err);
	if (jid < 0)
		return compat_fail(&err);
	if (flags & JAIL_ATTACH)
		compat_ctx_reset();
	return jid;
}

/* Pick create or update; CREATE|UPDATE updates a jail that exists. */
static int
set_native(struct vj_ctx *ctx, struct vj_params *ps, int flags)
{
	int jid = -1;

	if (!(flags & (JAIL_CREATE | JAIL_UPDATE)))
		return compat_errmsg(EINVAL, "jail_set: %s", strerror(EINVAL));
	if (flags & JAIL_UPDATE) {
		jid = update_target(ctx, ps, flags);
		if (jid >= 0)
			return do_update(ctx, ps, jid, flags);
		if (!(flags & JAIL_CREATE) || errno != ENOENT)
			return -1;
	}
	return do_create(ctx, ps, flags);
}

/* Create, change or attach to a jail; returns its jid. */
int
jailparam_set(struct jailparam *jp, unsigned njp, int flags)
{
	struct vj_params ps = { 0 };
	struct vj_ctx *ctx = compat_ctx();
	int jid = -1;

	jail_errmsg[0] = '\0';
	if (ctx != NULL && to_native(jp, njp, &ps) == 0)
		jid = set_native(ctx, &ps, flags);
	vj_params_free(&ps);
	return jid;
}

/* Make room for one more parameter; NULL with jail_errmsg on failure. */
static struct jailparam *
grow(struct jailparam **jp, unsigned n, unsigned *cap)
{
	struct jailparam *nj;

	if (n < *cap)
		return &(*jp)[n];
	*cap = *cap ? 2 * *cap : 16;
	nj = realloc(*jp, *cap * sizeof(*nj));
	if (nj == NULL) {
		compat_errmsg(errno, "%s", strerror(errno));
		return NULL;
	}
	*jp = nj;
	return &nj[n];
}

/* Set a jail from a NULL-terminated list of name/value strings. */
int
jail_setv(int flags, ...)
{
	struct jailparam *jp = NULL, *p;
	const char *name;
	unsigned n = 0, cap = 0;
	va_list ap;
	int jid = -1, bad = 0;

	va_start(ap, flags);
	while (!bad && (name = va_arg(ap, const char *)) != NULL) {
		if ((p = grow(&jp, n, &cap)) == NULL ||
		    jailparam_init(p, name) < 0)
			bad = -1;
		else if (n++, jailparam_import(p, va_arg(ap, char *)) < 0)
			bad = -1;
	}
	va_end(ap);
	if (!bad)
		jid = jailparam_set(jp, n, flags);
	jailparam_free(jp, n);
	free(jp);
	return jid;
}
