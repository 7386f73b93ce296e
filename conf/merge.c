/*
 * merge.c: one jail's assignments from its block, the wildcard blocks and
 * the global parameters, with jail.conf(5)'s precedence.
 *
 * In file order, wildcards that come before the jail's own block give it
 * defaults, the block overrides them, and wildcards after it override the
 * block.  "=" replaces, "+=" appends.  A name and its "no" form are one
 * parameter (the later spelling wins); jid and name are set only once; a
 * $variable may not share a name with a parameter.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cfint.h"
#include "error.h"

/* jail(8)'s own parameter names, which a $variable may not take. */
static const char *const reserved[] = {
	"allow.dying", "command", "depend", "exec.clean", "exec.consolelog",
	"exec.fib", "exec.jail_user", "exec.poststart", "exec.poststop",
	"exec.prepare", "exec.prestart", "exec.prestop", "exec.release",
	"exec.created", "exec.start", "exec.stop", "exec.system_jail_user",
	"exec.system_user", "exec.timeout", "interface", "ip_hostname",
	"mount", "mount.devfs", "mount.fdescfs", "mount.procfs",
	"mount.fstab", "stop.timeout", "vnet.interface", "zfs.dataset",
	"allow.chflags", "allow.mount", "allow.raw_sockets",
	"allow.set_hostname", "allow.socket_af", "allow.sysvipc",
	"devfs_ruleset", "host.hostname", "ip4.addr", "ip6.addr", "jid",
	"name", "path", "persist", "securelevel", "vnet",
};

/* Is x the "no" form of y, or y the "no" form of x? */
static int
no_form(const char *x, const char *y)
{
	return (strncmp(x, "no", 2) == 0 && strcmp(x + 2, y) == 0) ||
	    (strncmp(y, "no", 2) == 0 && strcmp(x, y + 2) == 0);
}

/* Same parameter, but for a "no" before one component of one name? */
int
cf_equalopts(const char *a, const char *b)
{
	const char *dot;
	size_t i = 0, n;

	if (strcmp(a, b) == 0)
		return 1;
	for (;;) {
		if (no_form(a + i, b + i))
			return 1;
		if ((dot = strchr(a + i, '.')) == NULL)
			return 0;
		n = (size_t)(dot - a) + 1;
		if (strncmp(a + i, b + i, n - i) != 0)
			return 0;
		i = n;
	}
}

/* Is name a wildcard: a component that is exactly "*"? */
int
vj_conf_wild_name(const char *name)
{
	const char *c = name, *dot;

	for (;;) {
		dot = strchr(c, '.');
		if (c[0] == '*' && (c[1] == '\0' || c + 1 == dot))
			return 1;
		if (dot == NULL)
			return 0;
		c = dot + 1;
	}
}

/* Does name match wild?  "*" is one component, a final "*" one or more. */
int
vj_conf_wild_match(const char *name, const char *wild)
{
	const char *j = name, *w = wild, *jd, *wd;
	size_t jn, wn;

	while ((jd = strchr(j, '.')) != NULL && (wd = strchr(w, '.')) != NULL) {
		jn = (size_t)(jd - j);
		wn = (size_t)(wd - w);
		if (!(wn == 1 && w[0] == '*') &&
		    !(jn == wn && memcmp(j, w, jn) == 0))
			return 0;
		j = jd + 1;
		w = wd + 1;
	}
	return strcmp(j, w) == 0 || strcmp(w, "*") == 0;
}

/* Find an assignment by exact name. */
struct cfparam *
cf_plist_find(const struct cfplist *pl, const char *name)
{
	size_t i;

	for (i = 0; i < pl->n; i++)
		if (strcmp(pl->v[i].name, name) == 0)
			return &pl->v[i];
	return NULL;
}

/* Find an assignment to the same parameter (see cf_equalopts). */
static struct cfparam *
find_opt(const struct cfplist *pl, const char *name)
{
	size_t i;

	for (i = 0; i < pl->n; i++)
		if (cf_equalopts(pl->v[i].name, name))
			return &pl->v[i];
	return NULL;
}

/* Append an empty assignment; NULL when out of memory. */
struct cfparam *
cf_plist_push(struct cfplist *pl)
{
	struct cfparam *nv;
	size_t cap;

	if (pl->n == pl->cap) {
		cap = pl->cap ? pl->cap * 2 : 8;
		if ((nv = realloc(pl->v, cap * sizeof(*nv))) == NULL)
			return NULL;
		pl->v = nv;
		pl->cap = cap;
	}
	memset(&pl->v[pl->n], 0, sizeof(pl->v[0]));
	return &pl->v[pl->n++];
}

/* Free a value's text and variables. */
void
cf_str_free(struct cfstr *s)
{
	size_t i;

	for (i = 0; i < s->nvars; i++)
		free(s->vars[i].name);
	free(s->vars);
	free(s->s);
	memset(s, 0, sizeof(*s));
}

/* Deep-copy a value into an empty one; -1 when out of memory. */
int
cf_str_copy(struct cfstr *dst, const struct cfstr *src)
{
	size_t i;

	memset(dst, 0, sizeof(*dst));
	if ((dst->s = malloc(src->len + 1)) == NULL)
		return -1;
	memcpy(dst->s, src->s, src->len + 1);
	dst->len = src->len;
	if (src->nvars == 0)
		return 0;
	if ((dst->vars = calloc(src->nvars, sizeof(*dst->vars))) == NULL)
		goto fail;
	for (; dst->nvars < src->nvars; dst->nvars++) {
		i = dst->nvars;
		dst->vars[i].pos = src->vars[i].pos;
		if ((dst->vars[i].name = strdup(src->vars[i].name)) == NULL)
			goto fail;
	}
	return 0;
fail:
	cf_str_free(dst);
	return -1;
}

/* Drop every value of an assignment. */
static void
clear_vals(struct cfparam *p)
{
	size_t i;

	for (i = 0; i < p->nvals; i++)
		cf_str_free(&p->vals[i]);
	free(p->vals);
	p->vals = NULL;
	p->nvals = 0;
}

/* Free an assignment's name and values. */
void
cf_param_free(struct cfparam *p)
{
	clear_vals(p);
	free(p->name);
	p->name = NULL;
}

/* Free a list of assignments. */
void
cf_plist_free(struct cfplist *pl)
{
	size_t i;

	for (i = 0; i < pl->n; i++)
		cf_param_free(&pl->v[i]);
	free(pl->v);
	memset(pl, 0, sizeof(*pl));
}

/* Append copies of src's values to dst's. */
static int
add_vals(struct cfparam *dst, const struct cfparam *src)
{
	struct cfstr *nv;
	size_t i;

	if (src->nvals == 0)
		return 0;
	nv = realloc(dst->vals, (dst->nvals + src->nvals) * sizeof(*nv));
	if (nv == NULL)
		return -1;
	dst->vals = nv;
	for (i = 0; i < src->nvals; i++, dst->nvals++)
		if (cf_str_copy(&nv[dst->nvals], &src->vals[i]) < 0)
			return -1;
	return 0;
}

/* Is name one of jail(8)'s own parameters? */
static int
is_reserved(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (cf_equalopts(name, reserved[i]))
			return 1;
	return 0;
}

/* The error for a $variable named like a parameter. */
static int
same_name(const char *jail, const char *name, struct vj_error *err)
{
	return vj_err_set(err, EINVAL, "%s: variable \"$%s\" cannot have "
	    "the same name as a parameter.", jail, name);
}

/* Change an existing assignment: rename, replace or append. */
static int
update(struct cfparam *dp, const struct cfparam *p, const char *jail,
    struct vj_error *err)
{
	char *nn;

	if ((p->flags ^ dp->flags) & CF_VAR)
		return same_name(jail, p->name, err);
	if (dp->flags & CF_IMMUTABLE)
		return vj_err_set(err, EINVAL,
		    "%s: cannot redefine parameter \"%s\".", jail, dp->name);
	if (strcmp(dp->name, p->name) != 0) {
		if ((nn = strdup(p->name)) == NULL)
			return vj_err_sys(err, "%s", jail);
		free(dp->name);
		dp->name = nn;
	}
	if (!(p->flags & CF_APPEND) || p->nvals == 0)
		clear_vals(dp);
	if (add_vals(dp, p) < 0)
		return vj_err_sys(err, "%s", jail);
	dp->flags |= p->flags;
	dp->file = p->file;
	dp->line = p->line;
	return 0;
}

/* Apply one assignment to a jail's list (FreeBSD's add_param). */
static int
add_param(struct cfplist *out, const struct cfparam *p, const char *jail,
    struct vj_error *err)
{
	struct cfparam *dp = find_opt(out, p->name);

	if (dp != NULL)
		return update(dp, p, jail, err);
	if ((p->flags & CF_VAR) && is_reserved(p->name))
		return same_name(jail, p->name, err);
	if ((dp = cf_plist_push(out)) == NULL)
		return vj_err_sys(err, "%s", jail);
	dp->flags = p->flags;
	if (!(p->flags & CF_VAR) && (cf_equalopts(p->name, "jid") ||
	    cf_equalopts(p->name, "name")))
		dp->flags |= CF_IMMUTABLE;
	dp->file = p->file;
	dp->line = p->line;
	if ((dp->name = strdup(p->name)) == NULL || add_vals(dp, p) < 0)
		return vj_err_sys(err, "%s", jail);
	return 0;
}

/* Apply every assignment of a block. */
static int
add_block(struct cfplist *out, const struct cfblock *blk, const char *jail,
    struct vj_error *err)
{
	size_t i;

	for (i = 0; i < blk->params.n; i++)
		if (add_param(out, &blk->params.v[i], jail, err) < 0)
			return -1;
	return 0;
}

/* Set name (or jid) to the block name, as the block header implies. */
static int
add_implied(struct cfplist *out, const struct cfblock *j, const char *name,
    struct vj_error *err)
{
	struct cfstr val = { .s = j->name, .len = strlen(j->name) };
	struct cfparam p = {
		.name = (char *)(uintptr_t)name, .vals = &val, .nvals = 1,
		.file = j->file, .line = j->line,
	};

	return add_param(out, &p, j->name, err);
}

/* Is a block name a jid (a non-zero number)? */
static int
numeric(const char *name)
{
	char *end;

	return strtol(name, &end, 10) != 0 && *end == '\0';
}

/* Build jail j's assignments, variables not yet substituted. */
int
cf_merge_jail(const struct cfbuild *b, const struct cfblock *j,
    struct cfplist *out, struct vj_error *err)
{
	const struct cfblock *w;
	int did_self = 0;
	size_t i;

	if (add_implied(out, j, numeric(j->name) ? "jid" : "name", err) < 0)
		return -1;
	for (i = 0; i < b->nblocks; i++) {
		w = b->blocks[i];
		if (!vj_conf_wild_name(w->name))
			continue;
		if (!did_self && j->seq < w->seq) {
			if (add_block(out, j, j->name, err) < 0)
				return -1;
			did_self = 1;
		}
		if (vj_conf_wild_match(j->name, w->name) &&
		    add_block(out, w, j->name, err) < 0)
			return -1;
	}
	if (!did_self && add_block(out, j, j->name, err) < 0)
		return -1;
	if (find_opt(out, "name") == NULL)
		return add_implied(out, j, "name", err);
	return 0;
}
