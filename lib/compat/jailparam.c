/*
 * jailparam.c: struct jailparam as libjail(3) has it: names checked
 * against the registry, values converted between text and the binary
 * forms FreeBSD programs expect (int, unsigned long, in_addr arrays...).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compat.h"
#include "util.h"

/* How one registry type looks through libjail. */
struct ptype {
	int	 vj;		/* VJ_PT_* */
	int	 ctl;		/* CTLTYPE_* */
	unsigned flags;		/* JP_BOOL, JP_JAILSYS */
	size_t	 size;		/* value size, or element size of arrays */
	int	 stype;		/* JPS_* of arrays, 0 for scalars */
};

static const struct ptype ptypes[] = {
	{ VJ_PT_STRING, CTLTYPE_STRING, 0, 0, 0 },
	{ VJ_PT_INT, CTLTYPE_INT, 0, sizeof(int), 0 },
	{ VJ_PT_ULONG, CTLTYPE_ULONG, 0, sizeof(unsigned long), 0 },
	{ VJ_PT_BOOL, CTLTYPE_INT, JP_BOOL, sizeof(int), 0 },
	{ VJ_PT_JAILSYS, CTLTYPE_INT, JP_JAILSYS, sizeof(int), 0 },
	{ VJ_PT_IPV4, CTLTYPE_STRUCT, 0, sizeof(struct in_addr), JPS_IN_ADDR },
	{ VJ_PT_IPV6, CTLTYPE_STRUCT, 0, sizeof(struct in6_addr),
	    JPS_IN6_ADDR },
};

static const char *const bool_names[] = { "false", "true" };
static const char *const jailsys_names[] = { "disable", "new", "inherit" };

/* The libjail view of a registry type. */
static const struct ptype *
ptype_of(int vj)
{
	size_t i;

	for (i = 0; i < VJ_ARRAY_LEN(ptypes); i++)
		if (ptypes[i].vj == vj)
			return &ptypes[i];
	return &ptypes[0];
}

/* Is name the "no" form of the boolean d ("allow.nomount")? */
static int
is_nobool(const struct vj_pdef *d, const char *name)
{
	return d->type == VJ_PT_BOOL && !(d->flags & VJ_PF_PREFIX) &&
	    strcmp(d->name, name) != 0;
}

/* Fill the type fields of jp from the registry entry d. */
static void
set_type(struct jailparam *jp, const struct vj_pdef *d)
{
	const struct ptype *t = ptype_of(d->type);
	int access = (d->flags & VJ_PF_RDONLY) ? CTLFLAG_RD :
	    (d->flags & VJ_PF_CREATE) ? CTLFLAG_RDTUN : CTLFLAG_RW;

	jp->jp_ctltype = t->ctl | access;
	jp->jp_flags |= t->flags;
	jp->jp_structtype = t->stype;
	if (t->stype != 0)
		jp->jp_elemlen = t->size;
	else
		jp->jp_valuelen = t->size;
	if (is_nobool(d, jp->jp_name))
		jp->jp_flags = (jp->jp_flags & ~JP_BOOL) | JP_NOBOOL;
}

/* Find a parameter libjail may use: jail(8)'s own ones are unknown. */
static const struct vj_pdef *
kernel_param(const char *name)
{
	const struct vj_pdef *d = vj_param_lookup(name);

	if (d == NULL || (d->flags & VJ_PF_INTERNAL))
		return NULL;
	if (d->type == VJ_PT_JAILSYS && !(d->flags & VJ_PF_PREFIX) &&
	    strcmp(d->name, name) != 0)
		return NULL;	/* "novnet": only booleans take "no" here */
	return d;
}

/* Clear a jail parameter and copy in its name. */
int
jailparam_init(struct jailparam *jp, const char *name)
{
	int lastjid = strcmp(name, "lastjid") == 0;
	const struct vj_pdef *d = lastjid ? NULL : kernel_param(name);

	memset(jp, 0, sizeof(*jp));
	if (!lastjid && d == NULL)
		return compat_errmsg(ENOENT, "unknown parameter: %s", name);
	jp->jp_name = strdup(name);
	if (jp->jp_name == NULL)
		return compat_errmsg(errno, "%s", strerror(errno));
	if (d != NULL) {
		set_type(jp, d);
		return 0;
	}
	jp->jp_ctltype = CTLTYPE_INT | CTLFLAG_WR;	/* lastjid */
	jp->jp_valuelen = sizeof(int);
	return 0;
}

/* Free the contents of njp parameters (not the array). */
void
jailparam_free(struct jailparam *jp, unsigned njp)
{
	unsigned i;

	for (i = 0; i < njp; i++) {
		free(jp[i].jp_name);
		jp[i].jp_name = NULL;
		if (!(jp[i].jp_flags & JP_RAWVALUE))
			free(jp[i].jp_value);
		jp[i].jp_value = NULL;
	}
}

struct all {
	struct jailparam *jp;
	int	 n, cap, failed;
};

/* Add one registry entry to the list jailparam_all builds. */
static void
all_add(const struct vj_pdef *d, void *arg)
{
	struct all *a = arg;
	struct jailparam *nj;

	if (a->failed || (d->flags & (VJ_PF_INTERNAL | VJ_PF_NOSHOW |
	    VJ_PF_PREFIX)))
		return;
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 64;
		nj = realloc(a->jp, (size_t)a->cap * sizeof(*nj));
		if (nj == NULL) {
			a->failed = compat_errmsg(errno, "%s", strerror(errno));
			return;
		}
		a->jp = nj;
	}
	if (jailparam_init(&a->jp[a->n], d->name) < 0)
		a->failed = -1;
	else
		a->n++;
}

/* Every parameter a jail has, in registry order. */
int
jailparam_all(struct jailparam **jpp)
{
	struct all a = { NULL, 0, 0, 0 };

	vj_param_foreach(all_add, &a);
	if (a.failed) {
		jailparam_free(a.jp, (unsigned)a.n);
		free(a.jp);
		return -1;
	}
	*jpp = a.jp;
	return a.n;
}

/* Take a caller's buffer as the value, unconverted. */
int
jailparam_import_raw(struct jailparam *jp, void *value, size_t valuelen)
{
	if (!(jp->jp_flags & JP_RAWVALUE))
		free(jp->jp_value);
	jp->jp_value = value;
	jp->jp_valuelen = valuelen;
	jp->jp_flags |= JP_RAWVALUE;
	return 0;
}

/* Match text[0..len) against names (any case) or a number. */
static int
import_enum(const char *const *names, int n, const char *text, size_t len,
    int *out)
{
	char *end;
	int i;

	for (i = 0; i < n; i++)
		if (strlen(names[i]) == len &&
		    strncasecmp(text, names[i], len) == 0) {
			*out = i;
			return 0;
		}
	*out = (int)strtol(text, &end, 10);
	return len > 0 && end == text + len ? 0 : -1;
}

/* Convert one integer-like element; -1 with jail_errmsg on bad text. */
static int
import_int(struct jailparam *jp, int i, const char *text, size_t len)
{
	int *iv = jp->jp_value;
	char *end;

	if (jp->jp_flags & (JP_BOOL | JP_NOBOOL)) {
		if (import_enum(bool_names, 2, text, len, &iv[i]) == 0)
			return 0;
		return compat_errmsg(EINVAL, "%s: unknown boolean value "
		    "\"%.*s\"", jp->jp_name, (int)len, text);
	}
	if (jp->jp_flags & JP_JAILSYS) {
		if (len == 0) {		/* bare "vnet" means new */
			iv[i] = JAIL_SYS_NEW;
			return 0;
		}
		if (import_enum(jailsys_names, 3, text, len, &iv[i]) == 0)
			return 0;
		return compat_errmsg(EINVAL, "%s: unknown jailsys value "
		    "\"%.*s\"", jp->jp_name, (int)len, text);
	}
	errno = 0;
	if ((jp->jp_ctltype & CTLTYPE) == CTLTYPE_ULONG)
		((unsigned long *)jp->jp_value)[i] = strtoul(text, &end, 10);
	else
		iv[i] = (int)strtol(text, &end, 10);
	if (len == 0 || end != text + len || errno == ERANGE)
		return compat_errmsg(EINVAL, "%s: non-integer value \"%.*s\"",
		    jp->jp_name, (int)len, text);
	return 0;
}

/* Convert one address element. */
static int
import_addr(struct jailparam *jp, int i, const char *text, size_t len)
{
	char buf[INET6_ADDRSTRLEN + 1];
	int v6 = jp->jp_structtype == JPS_IN6_ADDR;
	void *dst = (char *)jp->jp_value + (size_t)i * jp->jp_elemlen;

	snprintf(buf, sizeof(buf), "%.*s", (int)len, text);
	if (len < sizeof(buf) &&
	    inet_pton(v6 ? AF_INET6 : AF_INET, buf, dst) == 1)
		return 0;
	return compat_errmsg(EINVAL, "%s: not an IPv%d address: %s",
	    jp->jp_name, v6 ? 6 : 4, buf);
}

/* Import a string value. */
static int
import_string(struct jailparam *jp, const char *value)
{
	char *copy = strdup(value);

	if (copy == NULL)
		return compat_errmsg(errno, "%s", strerror(errno));
	if (!(jp->jp_flags & JP_RAWVALUE))
		free(jp->jp_value);
	jp->jp_flags &= ~JP_RAWVALUE;
	jp->jp_value = copy;
	jp->jp_valuelen = strlen(copy) + 1;
	return 0;
}

/* Number of elements in value: commas + 1, none for "" and "-". */
static int
count_elems(const struct jailparam *jp, const char *value)
{
	int n = 1;

	if (jp->jp_elemlen == 0)
		return 1;
	if (value[0] == '\0' || strcmp(value, "-") == 0)
		return 0;
	for (; (value = strchr(value, ',')) != NULL; value++)
		n++;
	return n;
}

/* Convert a text value to the parameter's binary form. */
int
jailparam_import(struct jailparam *jp, const char *value)
{
	vj_autofree void *old = NULL;
	size_t len, size;
	int n, i, rc = 0;

	if (value == NULL)
		return 0;
	if ((jp->jp_ctltype & CTLTYPE) == CTLTYPE_STRING)
		return import_string(jp, value);
	n = count_elems(jp, value);
	size = jp->jp_elemlen ? jp->jp_elemlen * (size_t)n : jp->jp_valuelen;
	if (!(jp->jp_flags & JP_RAWVALUE))
		old = jp->jp_value;
	jp->jp_flags &= ~JP_RAWVALUE;
	jp->jp_value = calloc(1, size ? size : 1);
	if (jp->jp_value == NULL)
		return compat_errmsg(errno, "%s", strerror(errno));
	jp->jp_valuelen = size;
	for (i = 0; rc == 0 && i < n; i++, value += len + 1) {
		len = n == 1 ? strlen(value) : strcspn(value, ",");
		rc = jp->jp_structtype ? import_addr(jp, i, value, len) :
		    import_int(jp, i, value, len);
	}
	if (rc < 0) {
		free(jp->jp_value);
		jp->jp_value = NULL;
	}
	return rc;
}

/* Format element i of a non-string parameter into buf. */
static void
export_elem(const struct jailparam *jp, int i, char *buf, size_t len)
{
	int iv;

	if (jp->jp_structtype != 0) {
		if (inet_ntop(jp->jp_structtype == JPS_IN6_ADDR ? AF_INET6 :
		    AF_INET, (const char *)jp->jp_value + (size_t)i *
		    jp->jp_elemlen, buf, (socklen_t)len) == NULL)
			buf[0] = '\0';
		return;
	}
	if ((jp->jp_ctltype & CTLTYPE) == CTLTYPE_ULONG) {
		snprintf(buf, len, "%lu", ((unsigned long *)jp->jp_value)[i]);
		return;
	}
	iv = ((int *)jp->jp_value)[i];
	if ((jp->jp_flags & (JP_BOOL | JP_NOBOOL)) && (unsigned)iv < 2)
		snprintf(buf, len, "%s", bool_names[iv]);
	else if ((jp->jp_flags & JP_JAILSYS) && (unsigned)iv < 3)
		snprintf(buf, len, "%s", jailsys_names[iv]);
	else
		snprintf(buf, len, "%d", iv);
}

/* Convert a parameter's value to malloc'd text (lists comma-separated). */
char *
jailparam_export(struct jailparam *jp)
{
	char buf[INET6_ADDRSTRLEN + 32], *out = NULL;
	size_t outlen = 0;
	FILE *f;
	int n, i;

	if ((jp->jp_ctltype & CTLTYPE) == CTLTYPE_STRING ||
	    jp->jp_value == NULL) {
		out = strdup(jp->jp_value != NULL ? (char *)jp->jp_value : "");
		if (out == NULL)
			compat_errmsg(errno, "%s", strerror(errno));
		return out;
	}
	n = jp->jp_elemlen ? (int)(jp->jp_valuelen / jp->jp_elemlen) : 1;
	f = open_memstream(&out, &outlen);
	if (f == NULL) {
		compat_errmsg(errno, "%s", strerror(errno));
		return NULL;
	}
	for (i = 0; i < n; i++) {
		export_elem(jp, i, buf, sizeof(buf));
		fprintf(f, "%s%s", i ? "," : "", buf);
	}
	if (fclose(f) != 0) {
		compat_errmsg(errno, "%s", strerror(errno));
		free(out);
		return NULL;
	}
	return out;
}
