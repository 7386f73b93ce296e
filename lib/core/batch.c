/*
 * batch.c: many jails created or removed at once, by worker processes
 * (vj_jail_create_many, vj_jail_remove_many).  The kernel's namespace
 * and link work is serialised by its own locks; what runs beside it is
 * ours (records, mounts in each jail's namespace, waits on each init),
 * so one worker per CPU roughly halves the time on two CPUs.
 *
 * Workers are forked, not threads: creating a jail clones an init,
 * enters namespaces and changes the calling process's state, which a
 * thread would share.  Worker w takes items w, w + nw, ... and reports
 * each one through a pipe in one write of at most PIPE_BUF bytes.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "jailobj.h"
#include "vjail.h"

/* What a worker sends back for one item. */
struct outcome {
	size_t		 i;
	int		 jid;		/* or -1 */
	struct vj_error	 err;
};

_Static_assert(sizeof(struct outcome) <= PIPE_BUF,
    "an outcome must be one atomic pipe write");

/* The items of a batch: jails to create, or jails to remove. */
struct job {
	struct vj_ctx			*ctx;
	const struct vj_params *const	*params;	/* create, or NULL */
	const int			*jids;		/* remove */
	int				 flags;
};

/* Record an outcome in the caller's arrays. */
static void
keep(const struct outcome *o, int *out, struct vj_error *errs, size_t *ok)
{
	if (out != NULL)
		out[o->i] = o->jid;
	if (errs != NULL)
		errs[o->i] = o->err;
	if (o->jid >= 0)
		(*ok)++;
}

/* Send one outcome to the caller; a worker that cannot report exits. */
static void
report_one(int report, size_t i, int jid, const struct vj_error *err)
{
	struct outcome o;

	memset(&o, 0, sizeof(o));
	o.i = i;
	o.jid = jid;
	if (jid < 0)
		o.err = *err;
	if (write(report, &o, sizeof(o)) != (ssize_t)sizeof(o))
		_exit(2);
}

/* Where a worker reports queued items.  The worker is a process of its
 * own, so these two are its alone. */
static int report_fd = -1;
static const struct job *report_job;

/* A queued removal ended: report item i (the tag) to the caller. */
static void
removed(void *tag, int rc, const struct vj_error *err)
{
	size_t i = (size_t)(uintptr_t)tag;

	report_one(report_fd, i, rc < 0 ? -1 : report_job->jids[i], err);
}

/* Remove every nw-th item from w, VJ_RM_INFLIGHT of them in flight. */
static void
remove_items(const struct job *b, size_t n, size_t w, size_t nw, int report)
{
	struct vj_error err;
	size_t i;

	report_fd = report;
	report_job = b;
	for (i = w; i < n; i += nw) {
		memset(&err, 0, sizeof(err));
		if (vj_jail_remove_queue(b->ctx, b->jids[i], b->flags,
		    (void *)(uintptr_t)i, removed, &err) < 0)
			report_one(report, i, -1, &err);
	}
	vj_jail_remove_flush(b->ctx);
}

/* A queued creation ended: report item i (the tag). */
static void
created(void *tag, int jid, const struct vj_error *err)
{
	report_one(report_fd, (size_t)(uintptr_t)tag, jid, err);
}

/* Create every nw-th item from w, each init setting itself up while
 * the next jail is made (vj_jail_create_queue). */
static void
create_items(const struct job *b, size_t n, size_t w, size_t nw, int report)
{
	struct vj_error err;
	size_t i;

	report_fd = report;
	for (i = w; i < n; i += nw) {
		memset(&err, 0, sizeof(err));
		if (vj_jail_create_queue(b->ctx, b->params[i], b->flags,
		    (void *)(uintptr_t)i, created, &err) < 0)
			report_one(report, i, -1, &err);
	}
	vj_jail_create_flush(b->ctx);
}

/* A worker: run every nw-th item from w, report each, exit. */
static void __attribute__((noreturn))
worker(const struct job *b, size_t n, size_t w, size_t nw, int report)
{
	if (b->params != NULL)
		create_items(b, n, w, nw, report);
	else
		remove_items(b, n, w, nw, report);
	fflush(NULL);	/* what the trace and warning hooks printed */
	_exit(0);
}

/* The number of workers: asked, or one per online CPU; at most n. */
static size_t
workers_for(int asked, size_t n)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nw = asked > 0 ? (size_t)asked : cpus > 0 ? (size_t)cpus : 1;

	return nw < n ? nw : n;
}

/* Run n items with nw workers; items never reported count as failed. */
static int
run_all(const struct job *b, size_t n, int asked, int *out,
    struct vj_error *errs)
{
	size_t nw = workers_for(asked, n), w, ok = 0, i;
	pid_t *pids = calloc(nw, sizeof(*pids));
	bool *seen = calloc(n, sizeof(*seen));
	struct outcome o;
	int pfd[2];

	vj_jail_create_flush(b->ctx);	/* the workers start with none */
	if (pids == NULL || seen == NULL || pipe2(pfd, O_CLOEXEC) < 0) {
		free(pids);
		free(seen);
		return -1;
	}
	fflush(NULL);	/* no worker prints the caller's pending output */
	for (w = 0; w < nw; w++)
		if ((pids[w] = fork()) == 0) {
			close(pfd[0]);
			worker(b, n, w, nw, pfd[1]);
		}
	close(pfd[1]);
	while (read(pfd[0], &o, sizeof(o)) == (ssize_t)sizeof(o))
		if (o.i < n && !seen[o.i]) {
			seen[o.i] = true;
			keep(&o, out, errs, &ok);
		}
	close(pfd[0]);
	for (w = 0; w < nw; w++)
		while (pids[w] > 0 && waitpid(pids[w], NULL, 0) < 0 &&
		    errno == EINTR)
			;
	free(pids);
	/* Items of a worker that died or was never forked failed. */
	for (i = 0; i < n; i++)
		if (!seen[i]) {
			memset(&o, 0, sizeof(o));
			o.i = i;
			o.jid = -1;
			vj_err_set(&o.err, ECHILD, "worker lost");
			keep(&o, out, errs, &ok);
		}
	free(seen);
	return (int)ok;
}

/* Create n jails with up to `workers` at a time. */
int
vj_jail_create_many(struct vj_ctx *ctx, const struct vj_params *const *params,
    size_t n, int flags, int workers, int *jids, struct vj_error *errs)
{
	struct job b = { ctx, params, NULL, flags };

	if (flags & VJ_ATTACH) {
		errno = EINVAL;		/* a worker, not the caller, would be */
		return -1;
	}
	return n == 0 ? 0 : run_all(&b, n, workers, jids, errs);
}

/* Remove n jails with up to `workers` at a time. */
int
vj_jail_remove_many(struct vj_ctx *ctx, const int *jids, size_t n, int flags,
    int workers, struct vj_error *errs)
{
	struct job b = { ctx, NULL, jids, flags };

	return n == 0 ? 0 : run_all(&b, n, workers, NULL, errs);
}
