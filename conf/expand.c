/*
 * expand.c: $variable substitution in one jail's merged assignments.
 *
 * A reference names a parameter or variable of the same jail (exact
 * name).  An assignment whose values still hold references is resolved
 * first and moved just before the one that needs it, so -e shows it
 * there, as FreeBSD does.  A list value can only stand alone as a whole
 * string, and then becomes several values.  Variables are dropped after.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cfint.h"
#include "error.h"

/* Does an assignment still hold references? */
static int
has_vars(const struct cfparam *p)
{
	size_t i;

	for (i = 0; i < p->nvals; i++)
		if (p->vals[i].nvars > 0)
			return 1;
	return 0;
}

/* Index of the assignment named name, or -1. */
static long
lookup(const struct cfplist *pl, const char *name)
{
	size_t i;

	for (i = 0; i < pl->n; i++)
		if (strcmp(pl->v[i].name, name) == 0)
			return (long)i;
	return -1;
}

/* Move pl->v[from] to index to (to < from), shifting the others up. */
static void
move_before(struct cfplist *pl, size_t from, size_t to)
{
	struct cfparam tmp = pl->v[from];

	memmove(&pl->v[to + 1], &pl->v[to], (from - to) * sizeof(tmp));
	pl->v[to] = tmp;
}

/* Count n more bytes of substituted text against the limits. */
static int
budget(struct cfbuild *b, size_t have, size_t n, const char *jail,
    const char *pname, struct vj_error *err)
{
	if (have + n > CF_MAX_VALUE || b->text + n > CF_MAX_TEXT)
		return vj_err_set(err, E2BIG, "%s: %s: value too long", jail,
		    pname);
	b->text += n;
	return 0;
}

/* Put val's text where s's first reference stands, and drop it. */
static int
splice(struct cfstr *s, const struct cfstr *val)
{
	size_t pos = s->vars[0].pos, i;
	char *ns;

	if ((ns = realloc(s->s, s->len + val->len + 1)) == NULL)
		return -1;
	memmove(ns + pos + val->len, ns + pos, s->len - pos + 1);
	memcpy(ns + pos, val->s, val->len);
	s->s = ns;
	s->len += val->len;
	free(s->vars[0].name);
	for (i = 1; i < s->nvars; i++) {
		s->vars[i - 1] = s->vars[i];
		s->vars[i - 1].pos += val->len;
	}
	s->nvars--;
	return 0;
}

/* Insert copies of q's second and later values after p->vals[k]. */
static int
insert_rest(struct cfparam *p, size_t k, const struct cfparam *q)
{
	size_t extra = q->nvals - 1, i;
	struct cfstr *nv;

	nv = realloc(p->vals, (p->nvals + extra) * sizeof(*nv));
	if (nv == NULL)
		return -1;
	p->vals = nv;
	memmove(&nv[k + 1 + extra], &nv[k + 1],
	    (p->nvals - k - 1) * sizeof(*nv));
	for (i = 0; i < extra; i++)
		memset(&nv[k + 1 + i], 0, sizeof(*nv));
	p->nvals += extra;
	for (i = 0; i < extra; i++)
		if (cf_str_copy(&nv[k + 1 + i], &q->vals[i + 1]) < 0)
			return -1;
	return 0;
}

/* Substitute the first reference of p->vals[k] with q's value(s). */
static int
substitute(struct cfbuild *b, struct cfparam *p, size_t k,
    const struct cfparam *q, const char *jail, struct vj_error *err)
{
	struct cfstr *s = &p->vals[k];
	size_t i, n = q->vals[0].len;

	if (q->nvals > 1 && (s->len > 0 || s->nvars > 1))
		return vj_err_set(err, EINVAL,
		    "%s: %s: array cannot be substituted inline", jail,
		    p->name);
	for (i = 1; i < q->nvals; i++)
		n += q->vals[i].len;
	if (budget(b, s->len, n, jail, p->name, err) < 0)
		return -1;
	if (splice(s, &q->vals[0]) < 0 ||
	    (q->nvals > 1 && insert_rest(p, k, q) < 0))
		return vj_err_sys(err, "%s", jail);
	return 0;
}

/*
 * Resolve the references of pl->v[at], gen marking the chain being
 * resolved.  Returns 1 when a referenced assignment that still needs
 * resolving was moved to index at (resolve that one first), 0 when done.
 */
static int
resolve(struct cfbuild *b, struct cfplist *pl, size_t at, int gen,
    const char *jail, struct vj_error *err)
{
	struct cfparam *p = &pl->v[at];
	const char *vname;
	size_t k;
	long q;

	for (k = 0; k < p->nvals; k++) {
		while (p->vals[k].nvars > 0) {
			vname = p->vals[k].vars[0].name;
			q = lookup(pl, vname);
			if (q < 0 || pl->v[q].nvals == 0)
				return vj_err_set(err, ENOENT, "%s: %s: "
				    "variable \"%s\" not found", jail,
				    p->name, vname);
			if (pl->v[q].gen == gen)
				return vj_err_set(err, ELOOP,
				    "%s: %s: variable loop", jail, vname);
			if (has_vars(&pl->v[q])) {
				pl->v[q].gen = gen;
				move_before(pl, (size_t)q, at);
				return 1;
			}
			if (substitute(b, p, k, &pl->v[q], jail, err) < 0)
				return -1;
		}
	}
	return 0;
}

/* Drop the $variables, keeping parameters in order. */
static void
drop_vars(struct cfplist *pl)
{
	size_t i, o = 0;

	for (i = 0; i < pl->n; i++) {
		if (pl->v[i].flags & CF_VAR)
			cf_param_free(&pl->v[i]);
		else
			pl->v[o++] = pl->v[i];
	}
	pl->n = o;
}

/* Substitute every reference of one jail's assignments. */
int
cf_expand(struct cfbuild *b, const char *jail, struct cfplist *pl,
    struct vj_error *err)
{
	size_t i;
	int gen = 0, rc;

	for (i = 0; i < pl->n; i++) {
		pl->v[i].gen = ++gen;
		while ((rc = resolve(b, pl, i, gen, jail, err)) == 1)
			;
		if (rc < 0)
			return -1;
	}
	drop_vars(pl);
	return 0;
}
