/*
 * parallel.c: jail -p N: configured jails run by N worker processes.
 * Jails are taken level by level of the dependency graph (a jail's level
 * is one more than its deepest dependency's), so nothing starts before
 * what it depends on is up; within a level, workers share the jails.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf.h"
#include "jail.h"
#include "targets.h"
#include "util.h"

/* Dependency level of every jail in order (deps come earlier in it). */
static int *
levels(struct vj_conf *conf, struct vj_cfjail **order, size_t n, bool stop)
{
	int *lv = calloc(conf->njails + 1, sizeof(int)), *lvl;
	size_t i, k;

	lvl = calloc(n + 1, sizeof(int));
	if (lv == NULL || lvl == NULL) {
		free(lv);
		free(lvl);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		size_t idx = (size_t)(order[i] - conf->jails);

		for (k = 0; k < order[i]->ndeps; k++)
			if (order[i]->deps[k].jail != NULL) {
				size_t d = (size_t)(order[i]->deps[k].jail -
				    conf->jails);

				if (lv[d] + 1 > lv[idx])
					lv[idx] = lv[d] + 1;
			}
		lvl[i] = lv[idx];
	}
	/* Removal runs dependents first: the deepest level first. */
	if (stop)
		for (i = 0; i < n; i++)
			lvl[i] = -lvl[i];
	free(lv);
	return lvl;
}

/* Does a jail of this run depend on another (set before forking)? */
static bool run_has_deps;

/* The worker of each jail of the level, in turn, except that blocks
 * naming the same jail go to one worker, which finishes the jail's
 * creation before it looks at the next block (-1: not in the level). */
static int *
assign(struct vj_cfjail **order, const int *lvl, size_t n, int level, int nw)
{
	size_t cap = 2 * n + 2, i, h;
	size_t *slot = malloc(cap * sizeof(*slot));
	int *who = malloc((n + 1) * sizeof(*who)), seen = 0;

	if (slot == NULL || who == NULL) {
		free(slot);
		free(who);
		return NULL;
	}
	for (i = 0; i < cap; i++)
		slot[i] = n;	/* empty */
	for (i = 0; i < n; i++) {
		who[i] = -1;
		if (lvl[i] != level)
			continue;
		for (h = vj_hash_str(order[i]->name) % cap; slot[h] < n &&
		    strcmp(order[slot[h]]->name, order[i]->name) != 0;
		    h = (h + 1) % cap)
			;
		if (slot[h] < n)
			who[i] = who[slot[h]];
		else {
			slot[h] = i;
			who[i] = seen++ % nw;
		}
	}
	free(slot);
	return who;
}

/* A worker: run its jails of the level; report failures. */
static void __attribute__((noreturn))
worker(struct vj_cfjail **order, const int *who, size_t n, int w, int op,
    struct run *r, int report)
{
	size_t i;
	int status = 0;

	/* Jails of one level never wait on each other; but a creation
	 * that fails late must still be known by index to skip those
	 * depending on it, so with dependencies none is deferred. */
	removal_window(pure_removal(op));
	creation_window(op == OP_CREATE && !run_has_deps);
	for (i = 0; i < n; i++) {
		if (who[i] != w)
			continue;
		if (config_run_one(order[i], op, r) < 0 &&
		    write(report, &i, sizeof(i)) < 0)
			_exit(2);
	}
	if (removal_drain() < 0)
		status = 1;	/* reported by name; fails the run */
	if (creation_drain() < 0)
		status = 1;
	fflush(NULL);
	_exit(status);
}

/* Run one level with nw workers; marks failures in failed[]. */
static int
run_level(struct vj_cfjail **order, const int *lvl, size_t n, int level,
    int nw, int op, struct run *r, bool *failed)
{
	int pfd[2], w, st, rc = 0, *who = assign(order, lvl, n, level, nw);
	size_t i;

	if (who == NULL || pipe(pfd) < 0) {
		free(who);
		return -1;
	}
	fflush(NULL);
	for (w = 0; w < nw; w++)
		if (fork() == 0) {
			close(pfd[0]);
			worker(order, who, n, w, op, r, pfd[1]);
		}
	free(who);
	close(pfd[1]);
	while (read(pfd[0], &i, sizeof(i)) == sizeof(i))
		if (i < n) {
			failed[i] = true;
			rc = -1;	/* as sequentially: the run fails */
		}
	close(pfd[0]);
	while (wait(&st) > 0 || errno == EINTR)
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			rc = -1;
	return rc;
}

/* Run the ordered jails with up to opt.paralimit workers per level. */
int
config_run_parallel(struct vj_conf *conf, struct vj_cfjail **order,
    size_t n, int op, struct run *r)
{
	bool stop = (op & OP_REMOVE) && !(op & OP_CREATE);
	int *lvl = levels(conf, order, n, stop), lo = 0, hi = 0, level, rc = 0;
	bool *failed = calloc(n + 1, sizeof(bool));
	size_t i;

	if (lvl == NULL || failed == NULL) {
		free(lvl);
		free(failed);
		return -1;
	}
	for (i = 0; i < n; i++) {
		lo = lvl[i] < lo ? lvl[i] : lo;
		hi = lvl[i] > hi ? lvl[i] : hi;
	}
	run_has_deps = any_deps(order, n);
	for (level = lo; level <= hi; level++) {
		/* A jail whose dependency failed is skipped, as sequentially. */
		for (i = 0; i < n; i++)
			if (lvl[i] == level && !stop &&
			    config_dep_failed(conf, order, n, i, failed)) {
				config_skip(order[i]);
				failed[i] = true;
				lvl[i] = hi + 1;
				rc = -1;
			}
		if (run_level(order, lvl, n, level, opt.paralimit, op, r,
		    failed) < 0)
			rc = -1;
	}
	free(lvl);
	free(failed);
	return rc;
}
