/* params.c: struct vj_params, an ordered multi-valued name=value set. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "jailobj.h"

/* Find a parameter by exact name. */
struct vj_param *
vj_params_find(const struct vj_params *ps, const char *name)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		if (strcmp(ps->v[i].name, name) == 0)
			return &ps->v[i];
	return NULL;
}

/* The first value of a parameter, or NULL. */
const char *
vj_params_get(const struct vj_params *ps, const char *name)
{
	const struct vj_param *p = vj_params_find(ps, name);

	return p != NULL && p->nvals > 0 ? p->vals[0] : NULL;
}

/* Append an empty parameter without looking for one of that name: for
 * a caller that knows it is new (a full set of ~150 built with
 * vj_params_add compared names quadratically: jls over many jails). */
struct vj_param *
vj_params_append(struct vj_params *ps, const char *name)
{
	struct vj_param *p, *nv;
	size_t cap;

	if (ps->n == ps->cap) {
		cap = ps->cap ? ps->cap * 2 : 16;
		nv = realloc(ps->v, cap * sizeof(*nv));
		if (nv == NULL)
			return NULL;
		ps->v = nv;
		ps->cap = cap;
	}
	p = &ps->v[ps->n];
	memset(p, 0, sizeof(*p));
	p->name = strdup(name);
	if (p->name == NULL)
		return NULL;
	ps->n++;
	return p;
}

/* Find or append an empty parameter. */
static struct vj_param *
slot(struct vj_params *ps, const char *name)
{
	struct vj_param *p = vj_params_find(ps, name);

	return p != NULL ? p : vj_params_append(ps, name);
}

/* Drop every value of a parameter. */
static void
clear_vals(struct vj_param *p)
{
	size_t i;

	for (i = 0; i < p->nvals; i++)
		free(p->vals[i]);
	free(p->vals);
	p->vals = NULL;
	p->nvals = 0;
}

/* Append one value to a parameter. */
int
vj_param_push(struct vj_param *p, const char *value)
{
	char **nv, *copy;

	copy = strdup(value);
	nv = realloc(p->vals, (p->nvals + 1) * sizeof(*nv));
	if (copy == NULL || nv == NULL) {
		free(copy);
		if (nv != NULL)
			p->vals = nv;
		return -1;
	}
	p->vals = nv;
	p->vals[p->nvals++] = copy;
	return 0;
}

/* Append one value (a list element); value NULL adds the name only. */
int
vj_params_add(struct vj_params *ps, const char *name, const char *value)
{
	struct vj_param *p = slot(ps, name);

	if (p == NULL)
		return -1;
	return value == NULL ? 0 : vj_param_push(p, value);
}

/* Replace every value with one. */
int
vj_params_set(struct vj_params *ps, const char *name, const char *value)
{
	struct vj_param *p = slot(ps, name);

	if (p == NULL)
		return -1;
	clear_vals(p);
	return vj_params_add(ps, name, value);
}

/* Remove a parameter entirely. */
int
vj_params_unset(struct vj_params *ps, const char *name)
{
	struct vj_param *p = vj_params_find(ps, name);
	size_t i;

	if (p == NULL)
		return 0;
	i = (size_t)(p - ps->v);
	clear_vals(p);
	free(p->name);
	memmove(&ps->v[i], &ps->v[i + 1], (ps->n - i - 1) * sizeof(*p));
	ps->n--;
	return 0;
}

/* Append one parameter (all its values) to dst. */
int
vj_params_copy_one(struct vj_params *dst, const struct vj_param *p)
{
	struct vj_param *q;
	size_t k;

	if (vj_params_add(dst, p->name, NULL) < 0)
		return -1;
	for (k = 0; k < p->nvals; k++)
		if (vj_params_add(dst, p->name, p->vals[k]) < 0)
			return -1;
	q = vj_params_find(dst, p->name);
	q->file = p->file;
	q->line = p->line;
	return 0;
}

/* Deep-copy src into an empty dst. */
int
vj_params_copy(struct vj_params *dst, const struct vj_params *src)
{
	size_t i;

	for (i = 0; i < src->n; i++)
		if (vj_params_copy_one(dst, &src->v[i]) < 0)
			return -1;
	return 0;
}

/* Free every parameter. */
void
vj_params_free(struct vj_params *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++) {
		clear_vals(&ps->v[i]);
		free(ps->v[i].name);
	}
	free(ps->v);
	ps->v = NULL;
	ps->n = ps->cap = 0;
}
