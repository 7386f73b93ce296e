/*
 * columns.c: the parameters jls prints: names checked against the
 * registry, "all" expanded and sorted, jailsys parents found for -s,
 * and each parameter's value read out of a jail's parameter set.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jls.h"

/* Index of a column by name, or -1. */
static int
col_find(const struct jls *j, const char *name)
{
	size_t i;

	for (i = 0; i < j->ncols; i++)
		if (strcmp(j->cols[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Resolve "meta.key" / "env.key" to the string holding the key. */
static const struct vj_pdef *
key_param(const char *name, const char **key)
{
	static const char *const holders[] = { "meta", "env" };
	const struct vj_pdef *d;
	size_t i, len;

	for (i = 0; i < sizeof(holders) / sizeof(holders[0]); i++) {
		len = strlen(holders[i]);
		if (strncmp(name, holders[i], len) != 0 || name[len] != '.' ||
		    name[len + 1] == '\0')
			continue;
		d = vj_param_lookup(holders[i]);
		if (d != NULL && d->type == VJ_PT_STRING) {
			*key = name + len + 1;
			return d;
		}
	}
	return NULL;
}

/* Fill a column from the registry; -1/ENOENT if jls cannot show it. */
static int
col_resolve(struct col *c, const char *name)
{
	const struct vj_pdef *d = vj_param_lookup(name);
	int renamed;

	if (d == NULL)
		d = key_param(name, &c->key);
	if (d == NULL || (d->flags & VJ_PF_INTERNAL)) {
		errno = ENOENT;
		return -1;
	}
	renamed = c->key == NULL && !(d->flags & VJ_PF_PREFIX) &&
	    strcmp(d->name, name) != 0;
	if (renamed && d->type != VJ_PT_BOOL) {
		errno = ENOENT;		/* only booleans take "no" here */
		return -1;
	}
	c->native = (d->flags & VJ_PF_PREFIX) ? NULL : d->name;
	c->type = c->key != NULL ? VJ_PT_STRING : d->type;
	c->flags = d->flags;
	c->nobool = renamed;
	return 0;
}

/* Add a column (user: to print); returns its index, -1 if unknown. */
int
cols_add(struct jls *j, const char *name, int user)
{
	struct col *nc, c = { .parent = -1, .user = user };
	int i = col_find(j, name);

	if (i >= 0) {
		j->cols[i].user |= user;
		return i;
	}
	if (strcmp(name, "all") == 0)
		return cols_add_all(j);
	if (col_resolve(&c, name) < 0)
		return -1;
	nc = realloc(j->cols, (j->ncols + 1) * sizeof(*nc));
	if (nc == NULL)
		return -1;
	j->cols = nc;
	if ((c.name = strdup(name)) == NULL)
		return -1;
	if (c.native == NULL)
		c.native = c.name;	/* a prefix entry: its own name */
	if (c.key != NULL)
		c.key = c.name + (c.key - name);
	j->cols[j->ncols] = c;
	return (int)j->ncols++;
}

struct names {
	const char	**v;
	size_t		  n;
};

/* Collect a registry entry that "all" shows. */
static void
collect(const struct vj_pdef *d, void *arg)
{
	struct names *ns = arg;
	const char **nv;

	if (d->flags & (VJ_PF_INTERNAL | VJ_PF_NOSHOW | VJ_PF_PREFIX))
		return;
	nv = realloc(ns->v, (ns->n + 1) * sizeof(*nv));
	if (nv == NULL)
		return;
	ns->v = nv;
	ns->v[ns->n++] = d->name;
}

/* Top-level names first, then by name. */
static int
cmp_names(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int dx = strchr(x, '.') != NULL, dy = strchr(y, '.') != NULL;

	return dx != dy ? dx - dy : strcmp(x, y);
}

/* Add every parameter "all" stands for, sorted. */
int
cols_add_all(struct jls *j)
{
	struct names ns = { NULL, 0 };
	size_t i;
	int rc = 0;

	vj_param_foreach(collect, &ns);
	qsort(ns.v, ns.n, sizeof(*ns.v), cmp_names);
	for (i = 0; rc >= 0 && i < ns.n; i++)
		if ((rc = cols_add(j, ns.v[i], 1)) >= 0)
			j->cols[rc].inall = 1;
	free(ns.v);
	j->all = 1;
	return rc < 0 ? -1 : 0;
}

/* The names of a jail's prefix parameters (epair.e0.ip4...), sorted as
 * "all" sorts; NULL (and *n = 0) if it has none. */
static const char **
prefix_names(const struct vj_params *ps, size_t *n)
{
	const struct vj_pdef *d;
	const char **v = NULL, **nv;
	size_t i;

	*n = 0;
	for (i = 0; i < ps->n; i++) {
		d = vj_param_lookup(ps->v[i].name);
		if (d == NULL || !(d->flags & VJ_PF_PREFIX) ||
		    (d->flags & (VJ_PF_INTERNAL | VJ_PF_NOSHOW)))
			continue;
		if ((nv = realloc(v, (*n + 1) * sizeof(*v))) == NULL)
			break;
		v = nv;
		v[(*n)++] = ps->v[i].name;
	}
	if (*n > 1)
		qsort(v, *n, sizeof(*v), cmp_names);
	return v;
}

/* Call fn for a jail's prefix parameter, as a column of its own. */
static int
walk_prefix(const struct jls *j, const char *name, const struct vj_params *ps,
    col_fn fn, void *arg)
{
	struct col c = { .parent = -1, .user = 1 };

	if (col_resolve(&c, name) < 0)
		return 0;
	c.name = (char *)(uintptr_t)name;
	c.native = name;
	return col_skipped(j, &c, ps) ? 0 : fn(j, &c, ps, arg);
}

/* Call fn for each column printed for one jail. */
int
cols_walk(const struct jls *j, const struct vj_params *ps, col_fn fn,
    void *arg)
{
	size_t i, k = 0, n = 0;
	const char **extra = j->all ? prefix_names(ps, &n) : NULL;
	int rc = 0;

	for (i = 0; rc >= 0 && i < j->ncols; i++) {
		if (!j->cols[i].user || col_skipped(j, &j->cols[i], ps))
			continue;
		while (rc >= 0 && j->cols[i].inall && k < n &&
		    cmp_names(&extra[k], &j->cols[i].name) < 0)
			rc = walk_prefix(j, extra[k++], ps, fn, arg);
		if (rc >= 0)
			rc = fn(j, &j->cols[i], ps, arg);
	}
	while (rc >= 0 && k < n)
		rc = walk_prefix(j, extra[k++], ps, fn, arg);
	free(extra);
	return rc;
}

/* For -s: note each column's jailsys parent ("host" of host.hostname). */
int
cols_add_parents(struct jls *j)
{
	const struct vj_pdef *d;
	size_t i, n = j->ncols;
	char parent[256];
	int k;

	for (i = 0; i < n; i++) {
		if (!j->cols[i].user || strchr(j->cols[i].name, '.') == NULL)
			continue;
		snprintf(parent, sizeof(parent), "%.*s",
		    (int)strcspn(j->cols[i].name, "."), j->cols[i].name);
		d = vj_param_lookup(parent);
		if (d == NULL || d->type != VJ_PT_JAILSYS ||
		    strcmp(d->name, parent) != 0)
			continue;
		if ((k = cols_add(j, parent, 0)) < 0)
			return -1;
		j->cols[i].parent = k;
	}
	return 0;
}

/* Free the column list. */
void
cols_free(struct jls *j)
{
	size_t i;

	for (i = 0; i < j->ncols; i++)
		free(j->cols[i].name);
	free(j->cols);
	j->cols = NULL;
	j->ncols = 0;
}

/* The address part of a stored address ("em0|192.0.2.1/24"). */
void
addr_part(const char *v, char *buf, size_t len)
{
	const char *bar = strchr(v, '|');

	if (bar != NULL)
		v = bar + 1;
	snprintf(buf, len, "%.*s", (int)strcspn(v, "/ "), v);
}

/* The value of key in "k=v" lines, or NULL. */
static char *
key_value(const char *text, const char *key)
{
	size_t klen = strlen(key), len;
	const char *line;

	for (line = text; line != NULL && *line != '\0';) {
		len = strcspn(line, "\n");
		if (len > klen && strncmp(line, key, klen) == 0 &&
		    line[klen] == '=')
			return strndup(line + klen + 1, len - klen - 1);
		line = line[len] != '\0' ? line + len + 1 : NULL;
	}
	return NULL;
}

/* Is the column an address list? */
static int
is_addr(const struct col *c)
{
	return c->type == VJ_PT_IPV4 || c->type == VJ_PT_IPV6;
}

/* The text of a column for one jail, or NULL for a missing meta key. */
char *
col_text(const struct col *c, const struct vj_params *ps)
{
	const struct vj_param *p = vj_params_find(ps, c->native);
	char buf[256], *out = NULL;
	size_t len = 0, k;
	FILE *f;

	if (c->key != NULL)
		return key_value(p && p->nvals ? p->vals[0] : "", c->key);
	if (c->nobool)
		return strdup(col_bool(c, ps) ? "true" : "false");
	if (p == NULL || p->nvals == 0)
		return strdup("");
	if ((f = open_memstream(&out, &len)) == NULL)
		return NULL;
	for (k = 0; k < p->nvals; k++) {
		if (k > 0)
			fputc(',', f);
		if (is_addr(c))
			addr_part(p->vals[k], buf, sizeof(buf));
		fputs(is_addr(c) ? buf : p->vals[k], f);
	}
	fclose(f);
	return out;
}

/* Number of values of a column (a list may have none). */
size_t
col_count(const struct col *c, const struct vj_params *ps)
{
	const struct vj_param *p = vj_params_find(ps, c->native);

	return p != NULL ? p->nvals : 0;
}

/* A boolean column's value, inverted for a "no" name. */
int
col_bool(const struct col *c, const struct vj_params *ps)
{
	const char *v = vj_params_get(ps, c->native);
	int on = v != NULL && strcmp(v, "true") == 0;

	return c->nobool ? !on : on;
}

/* Is a column empty where its parameter has no default: unset, so that
 * jail(8) makes the same jail without it (and may refuse "" for it)? */
static int
unset(const struct col *c, const struct vj_params *ps)
{
	const struct vj_pdef *d = vj_param_lookup(c->native);
	const struct vj_param *p = vj_params_find(ps, c->native);

	if (c->key != NULL || d == NULL || d->defval != NULL)
		return 0;
	return p == NULL || p->nvals == 0 ||
	    (p->nvals == 1 && p->vals[0][0] == '\0');
}

/* -s leaves out read-only parameters, unset ones, those with no Linux
 * meaning (jail(8) would warn about them), and children of unused
 * jailsys. */
int
col_skipped(const struct jls *j, const struct col *c,
    const struct vj_params *ps)
{
	const char *pv;

	if (!(j->pflags & P_SKIP))
		return 0;
	if ((c->flags & (VJ_PF_RDONLY | VJ_PF_NOLINUX)) || unset(c, ps))
		return 1;
	if (c->parent < 0)
		return 0;
	pv = vj_params_get(ps, j->cols[c->parent].native);
	return pv != NULL && (strcmp(pv, "disable") == 0 ||
	    strcmp(pv, "inherit") == 0);
}
