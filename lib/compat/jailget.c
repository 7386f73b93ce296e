/*
 * jailget.c: jailparam_get and jail_getv: find a jail by lastjid, jid or
 * name, read its parameters natively and convert them to libjail form.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "util.h"

/* The address part of a stored address entry ("em0|192.0.2.1/24"). */
static void
addr_part(const char *v, char *buf, size_t len)
{
	const char *bar = strchr(v, '|');

	if (bar != NULL)
		v = bar + 1;
	snprintf(buf, len, "%.*s", (int)strcspn(v, "/ "), v);
}

/* What an unset scalar reads as, by libjail type. */
static const char *
empty_value(const struct jailparam *jp)
{
	if (jp->jp_flags & JP_JAILSYS)
		return "inherit";
	if (jp->jp_flags & (JP_BOOL | JP_NOBOOL))
		return "false";
	if (jp->jp_elemlen != 0 ||
	    (jp->jp_ctltype & CTLTYPE) == CTLTYPE_STRING)
		return "";
	return "0";
}

/* A native parameter's values as one text, comma-separated. */
static char *
join_vals(const struct jailparam *jp, const struct vj_param *p)
{
	char buf[256], *out = NULL;
	size_t len = 0, k;
	FILE *f;

	if (p == NULL || p->nvals == 0 ||
	    (p->nvals == 1 && p->vals[0][0] == '\0'))
		return strdup(empty_value(jp));
	f = open_memstream(&out, &len);
	if (f == NULL)
		return NULL;
	for (k = 0; k < p->nvals; k++) {
		if (k > 0)
			fputc(',', f);
		if (jp->jp_structtype != 0) {
			addr_part(p->vals[k], buf, sizeof(buf));
			fputs(buf, f);
		} else
			fputs(p->vals[k], f);
	}
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* Move a converted value into jp, honouring a caller's raw buffer. */
static void
take_value(struct jailparam *jp, struct jailparam *tmp)
{
	if (jp->jp_flags & JP_RAWVALUE) {
		if (tmp->jp_valuelen < jp->jp_valuelen)
			jp->jp_valuelen = tmp->jp_valuelen;
		memcpy(jp->jp_value, tmp->jp_value, jp->jp_valuelen);
		free(tmp->jp_value);
		return;
	}
	free(jp->jp_value);
	jp->jp_value = tmp->jp_value;
	jp->jp_valuelen = tmp->jp_valuelen;
}

/* Fill jp from the values of a native parameter (NULL: unset). */
int
compat_fill(struct jailparam *jp, const struct vj_param *p)
{
	vj_autofree char *text = join_vals(jp, p);
	struct jailparam tmp = *jp;

	if (text == NULL)
		return compat_errmsg(errno, "%s", strerror(errno));
	tmp.jp_value = NULL;
	tmp.jp_flags &= ~JP_RAWVALUE;
	if (jailparam_import(&tmp, text) < 0)
		return -1;
	if ((jp->jp_flags & JP_NOBOOL) && tmp.jp_value != NULL)
		*(int *)tmp.jp_value = !*(int *)tmp.jp_value;
	take_value(jp, &tmp);
	return 0;
}

/* The parameter that names the jail: lastjid, a non-zero jid, or name. */
static struct jailparam *
find_key(struct jailparam *jp, unsigned njp)
{
	struct jailparam *jid = NULL, *name = NULL;
	unsigned i;

	for (i = 0; i < njp; i++) {
		if (strcmp(jp[i].jp_name, "lastjid") == 0)
			return jp[i].jp_value != NULL ? &jp[i] : NULL;
		if (strcmp(jp[i].jp_name, "jid") == 0 && jp[i].jp_value &&
		    jp[i].jp_valuelen == sizeof(int) && *(int *)jp[i].jp_value)
			jid = &jp[i];
		else if (strcmp(jp[i].jp_name, "name") == 0 && jp[i].jp_value)
			name = &jp[i];
	}
	return jid != NULL ? jid : name;
}

/* The jid the key parameter designates, as the kernel would answer. */
static int
key_jid(struct vj_ctx *ctx, const struct jailparam *key, int flags)
{
	struct vj_error err = { 0 };
	char num[16];
	int v, jid;

	flags &= JAIL_DYING;
	if (strcmp(key->jp_name, "name") == 0) {
		jid = vj_jail_find(ctx, key->jp_value, flags, &err);
		return jid < 0 ? compat_fail(&err) : jid;
	}
	v = *(int *)key->jp_value;
	if (strcmp(key->jp_name, "lastjid") == 0) {
		jid = vj_jail_next(ctx, v, flags, &err);
		if (jid < 0 && err.ve_errno == ENOENT)
			return compat_errmsg(ENOENT, "no jail after %d", v);
		return jid < 0 ? compat_fail(&err) : jid;
	}
	snprintf(num, sizeof(num), "%d", v);
	jid = vj_jail_find(ctx, num, flags, &err);
	if (jid < 0 && err.ve_errno == ENOENT)
		return compat_errmsg(ENOENT, "jail %d not found", v);
	return jid < 0 ? compat_fail(&err) : jid;
}

/* The native name of a libjail parameter ("allow.nomount" -> allow.mount). */
static const char *
native_name(const struct jailparam *jp)
{
	const struct vj_pdef *d = vj_param_lookup(jp->jp_name);

	if (d == NULL || (d->flags & VJ_PF_PREFIX))
		return jp->jp_name;
	return d->name;
}

/* Find a jail and read the parameters in jp[] (the key is left alone). */
int
jailparam_get(struct jailparam *jp, unsigned njp, int flags)
{
	struct jailparam *key = find_key(jp, njp);
	struct vj_params ps = { 0 };
	struct vj_error err = { 0 };
	struct vj_ctx *ctx;
	unsigned i;
	int jid, rc = 0;

	if (key == NULL)
		return compat_errmsg(ENOENT, "no jail specified");
	if ((ctx = compat_ctx()) == NULL || (jid = key_jid(ctx, key,
	    flags)) < 0)
		return -1;
	if (vj_jail_get(ctx, jid, &ps, &err) < 0)
		return compat_fail(&err);
	for (i = 0; rc == 0 && i < njp; i++)
		if (&jp[i] != key && strcmp(jp[i].jp_name, "lastjid") != 0)
			rc = compat_fill(&jp[i], vj_params_find(&ps,
			    native_name(&jp[i])));
	vj_params_free(&ps);
	return rc < 0 ? -1 : jid;
}

/* Count the name/value pairs of a NULL-terminated argument list. */
static unsigned
count_pairs(va_list ap)
{
	va_list tap;
	unsigned n = 0;

	va_copy(tap, ap);
	while (va_arg(tap, char *) != NULL) {
		(void)va_arg(tap, char *);
		n++;
	}
	va_end(tap);
	return n;
}

/* Import the key of a jail_getv list: lastjid, non-zero jid, or name. */
static int
import_key(struct jailparam *jp, unsigned njp, char **vals)
{
	unsigned i, k = njp;

	for (i = 0; i < njp; i++) {
		if (strcmp(jp[i].jp_name, "lastjid") == 0 ||
		    (strcmp(jp[i].jp_name, "jid") == 0 &&
		    strtol(vals[i], NULL, 10) != 0)) {
			k = i;
			break;
		}
		if (strcmp(jp[i].jp_name, "name") == 0 && k == njp)
			k = i;
	}
	if (k == njp)
		return compat_errmsg(ENOENT, "no jail specified");
	if (jailparam_import(&jp[k], vals[k]) < 0)
		return -1;
	return (int)k;
}

/* Copy the values read into the caller's buffers (all but the key). */
static int
export_into(struct jailparam *jp, unsigned njp, char **vals, int key)
{
	char *text;
	unsigned i;

	for (i = 0; i < njp; i++) {
		if ((int)i == key)
			continue;
		if ((text = jailparam_export(&jp[i])) == NULL)
			return -1;
		strcpy(vals[i], text);	/* the caller made room, as libjail */
		free(text);
	}
	return 0;
}

/* Read parameters of a jail named by a NULL-terminated pair list. */
int
jail_getv(int flags, ...)
{
	struct jailparam *jp;
	va_list ap;
	char **vals;
	unsigned n, i;
	int key, jid = -1;

	va_start(ap, flags);
	n = count_pairs(ap);
	jp = calloc(n + 1, sizeof(*jp));
	vals = calloc(n + 1, sizeof(*vals));
	for (i = 0; jp != NULL && vals != NULL && i < n; i++) {
		if (jailparam_init(&jp[i], va_arg(ap, char *)) < 0)
			break;
		vals[i] = va_arg(ap, char *);
	}
	va_end(ap);
	if (jp == NULL || vals == NULL)
		compat_errmsg(ENOMEM, "%s", strerror(ENOMEM));
	else if (i == n && (key = import_key(jp, n, vals)) >= 0 &&
	    (jid = jailparam_get(jp, n, flags)) >= 0 &&
	    export_into(jp, n, vals, key) < 0)
		jid = -1;
	if (jp != NULL)
		jailparam_free(jp, i);
	free(jp);
	free(vals);
	return jid;
}
