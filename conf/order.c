/*
 * order.c: which configured jails an operation runs on, and in what order.
 *
 * Edges come from depend=... and, light, from a.b to its parent a.  A
 * start runs what a jail depends on first (pulled in when not asked for);
 * a removal runs the jails that depend on it first.  Ties keep file order
 * for a start and reverse it for a removal, as jail(8) does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "error.h"

/* Working state of one ordering. */
struct order {
	struct vj_conf	 *c;
	int		  stop;
	unsigned char	 *in;		/* selected */
	unsigned char	 *done;		/* emitted */
	size_t		 *wait;		/* edges still unresolved */
};

/* Index of a jail in the configuration. */
static size_t
idx(const struct order *o, const struct vj_cfjail *j)
{
	return (size_t)(j - o->c->jails);
}

/* Does jail a depend on jail b (directly)? */
static int
depends(const struct vj_cfjail *a, const struct vj_cfjail *b)
{
	size_t k;

	for (k = 0; k < a->ndeps; k++)
		if (a->deps[k].jail == b)
			return 1;
	return 0;
}

/* Mark the targets; -1 when a named jail does not exist. */
static int
select_targets(struct order *o, const char *const *t, size_t nt,
    struct vj_error *err)
{
	struct vj_conf *c = o->c;
	struct vj_cfjail *j;
	size_t i, k;

	for (i = 0; i < c->njails; i++)
		if (nt == 0)
			c->jails[i].oflags |= VJ_CFO_WILD;
	for (k = 0; k < nt; k++) {
		if (strcmp(t[k], "*") == 0 || vj_conf_wild_name(t[k])) {
			for (i = 0; i < c->njails; i++)
				if (strcmp(t[k], "*") == 0 ||
				    vj_conf_wild_match(c->jails[i].name, t[k]))
					c->jails[i].oflags |= VJ_CFO_WILD;
			continue;
		}
		if ((j = vj_conf_find(c, t[k])) == NULL)
			return vj_err_set(err, ENOENT, "\"%s\" not found", t[k]);
		j->oflags |= VJ_CFO_TARGET;
	}
	for (i = 0; i < c->njails; i++)
		o->in[i] = c->jails[i].oflags != 0;
	return 0;
}

/* Select jail k as needed by the selection; push it to look at later. */
static void
need(struct order *o, size_t k, size_t *stack, size_t *top)
{
	if (o->in[k])
		return;
	o->in[k] = 1;
	o->c->jails[k].oflags |= VJ_CFO_DEPEND;
	stack[(*top)++] = k;
}

/* Add what the selection needs: dependencies, or for a stop dependents. */
static void
close_over(struct order *o, size_t *stack)
{
	struct vj_conf *c = o->c;
	struct vj_cfjail *j;
	size_t i, k, top = 0;

	for (i = 0; i < c->njails; i++)
		if (o->in[i])
			stack[top++] = i;
	while (top > 0) {
		j = &c->jails[stack[--top]];
		if (!o->stop) {
			for (k = 0; k < j->ndeps; k++)
				if (j->deps[k].jail != NULL)
					need(o, idx(o, j->deps[k].jail), stack,
					    &top);
			continue;
		}
		for (k = 0; k < c->njails; k++)
			if (depends(&c->jails[k], j))
				need(o, k, stack, &top);
	}
}

/* Every selected jail's dependencies must exist. */
static int
check_defined(const struct order *o, struct vj_error *err)
{
	const struct vj_cfjail *j;
	size_t i, k;

	for (i = 0; i < o->c->njails; i++) {
		j = &o->c->jails[i];
		for (k = 0; o->in[i] && k < j->ndeps; k++)
			if (j->deps[k].jail == NULL)
				return vj_err_set(err, ENOENT,
				    "%s: depends on undefined jail \"%s\"",
				    j->name, j->deps[k].name);
	}
	return 0;
}

/* The jail that must wait for jail j along edge k: j itself or the dep. */
static size_t
blocked(const struct order *o, const struct vj_cfjail *j, size_t k)
{
	return o->stop ? idx(o, j->deps[k].jail) : idx(o, j);
}

/* Count, per selected jail, the edges that must be resolved first. */
static void
count_waits(struct order *o)
{
	const struct vj_cfjail *j;
	size_t i, k;

	for (i = 0; i < o->c->njails; i++) {
		j = &o->c->jails[i];
		for (k = 0; o->in[i] && k < j->ndeps; k++)
			if (o->in[idx(o, j->deps[k].jail)])
				o->wait[blocked(o, j, k)]++;
	}
}

/* Emit jail i: resolve the edges that waited for it. */
static void
emit(struct order *o, size_t i)
{
	const struct vj_cfjail *j;
	size_t a, k;

	o->done[i] = 1;
	for (a = 0; a < o->c->njails; a++) {
		j = &o->c->jails[a];
		for (k = 0; o->in[a] && k < j->ndeps; k++) {
			if (!o->in[idx(o, j->deps[k].jail)])
				continue;
			if (o->stop ? a == i : idx(o, j->deps[k].jail) == i)
				o->wait[blocked(o, j, k)]--;
		}
	}
}

/* The next jail ready to run, or -1 when none is. */
static long
next_ready(const struct order *o)
{
	size_t n = o->c->njails, i, r;

	for (r = 0; r < n; r++) {
		i = o->stop ? n - 1 - r : r;
		if (o->in[i] && !o->done[i] && o->wait[i] == 0)
			return (long)i;
	}
	return -1;
}

/* A stuck jail that jail i waits for (every stuck jail has one). */
static size_t
waits_for(const struct order *o, size_t i)
{
	const struct vj_conf *c = o->c;
	size_t k;

	for (k = 0; k < c->njails; k++)
		if (o->in[k] && !o->done[k] && (o->stop ?
		    depends(&c->jails[k], &c->jails[i]) :
		    depends(&c->jails[i], &c->jails[k])))
			return k;
	return i;
}

/* Name a jail on a cycle among the stuck ones: its first in file order. */
static int
report_loop(const struct order *o, struct vj_error *err)
{
	size_t n = o->c->njails, i, k, steps, best;

	for (i = 0; i < n && !(o->in[i] && !o->done[i]); i++)
		;
	for (steps = 0; steps < n; steps++)	/* now i is on a cycle */
		i = waits_for(o, i);
	best = i;
	for (k = waits_for(o, i); k != i; k = waits_for(o, k))
		if (k < best)
			best = k;
	return vj_err_set(err, ELOOP, "%s: dependency loop",
	    o->c->jails[best].name);
}

/* Select, close over dependencies, sort into out; returns the count. */
static long
sort(struct order *o, const char *const *targets, size_t nt,
    struct vj_cfjail **out, struct vj_error *err)
{
	struct vj_conf *c = o->c;
	size_t i, n = 0;
	long r;

	if (select_targets(o, targets, nt, err) < 0)
		return -1;
	close_over(o, o->wait);		/* wait is free scratch till now */
	memset(o->wait, 0, (c->njails + 1) * sizeof(*o->wait));
	if (check_defined(o, err) < 0)
		return -1;
	count_waits(o);
	while ((r = next_ready(o)) >= 0) {
		out[n++] = &c->jails[r];
		emit(o, (size_t)r);
	}
	for (i = 0; i < c->njails; i++)
		if (o->in[i] && !o->done[i])
			return report_loop(o, err);
	return (long)n;
}

/* The jails an operation runs on, in dependency order. */
int
vj_conf_order(struct vj_conf *c, const char *const *targets, size_t nt,
    int flags, struct vj_cfjail ***orderp, size_t *np, struct vj_error *err)
{
	struct order o = { .c = c, .stop = (flags & VJ_ORDER_STOP) != 0 };
	struct vj_cfjail **out;
	size_t i;
	long n = -1;

	for (i = 0; i < c->njails; i++)
		c->jails[i].oflags = 0;
	o.in = calloc(c->njails + 1, 1);
	o.done = calloc(c->njails + 1, 1);
	o.wait = calloc(c->njails + 1, sizeof(*o.wait));
	out = calloc(c->njails + 1, sizeof(*out));
	if (o.in == NULL || o.done == NULL || o.wait == NULL || out == NULL)
		vj_err_sys(err, "jail.conf");
	else
		n = sort(&o, targets, nt, out, err);
	free(o.in);
	free(o.done);
	free(o.wait);
	if (n < 0) {
		free(out);
		return -1;
	}
	*orderp = out;
	*np = (size_t)n;
	return 0;
}
