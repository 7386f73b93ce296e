/*
 * test_batch.c: vj_jail_create_many and vj_jail_remove_many against the
 * kernel, as root: jails "vjtb*" made by two workers, one of them with a
 * name already taken, then all removed; then removals in two steps
 * (vj_jail_remove_start/_finish) side by side, and creations queued in
 * one process (vj_jail_create_queue).  TAP output; skips if not root.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "vjail.h"

#define N	6

static struct vj_params params[N];
static const struct vj_params *pp[N];

/* Parameters of jail i: name vjtb<i> (vjtb0 twice: i = N - 1 clashes). */
static void
build(void)
{
	char name[32];
	int i;

	for (i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "vjtb%d", i == N - 1 ? 0 : i);
		vj_params_set(&params[i], "name", name);
		vj_params_set(&params[i], "persist", NULL);
		if (i % 2)
			vj_params_set(&params[i], "vnet", "new");
		pp[i] = &params[i];
	}
}

/* Did every jail but the clashing one come, each with its own jid? */
static void
check_created(struct vj_ctx *ctx, const int *jids, int made,
    const struct vj_error *errs)
{
	struct vj_error e;
	int i, k, distinct = 1, found = 1;

	ok(made == N - 1, "create_many: %d of %d made (one name clashes)",
	    made, N);
	for (i = 0; i < N - 1; i++) {
		for (k = 0; k < i; k++)
			distinct &= jids[i] != jids[k];
		found &= jids[i] > 0 && vj_jail_find(ctx, params[i].v[0].vals[0],
		    0, &e) == jids[i];
	}
	ok(distinct && found, "create_many: distinct jids, found by name");
	ok((jids[0] > 0) != (jids[N - 1] > 0), "create_many: the clash lost");
	ok(jids[0] > 0 ? errs[N - 1].ve_errno == EEXIST :
	    errs[0].ve_errno == EEXIST, "create_many: the loser says EEXIST");
}

/* Three jails removed in two steps, all started before any finishes;
 * then a batch whose list names a jail that is gone. */
static void
check_two_step(struct vj_ctx *ctx)
{
	struct vj_removal *r[3];
	struct vj_error err = { 0 }, errs[4];
	int jids[4], i, started = 0, dying = 0, finished = 0;

	for (i = 0; i < 3; i++)
		jids[i] = vj_jail_create(ctx, &params[i], VJ_CREATE, &err);
	for (i = 0; i < 3; i++)
		started += (r[i] = vj_jail_remove_start(ctx, jids[i], 0,
		    &err)) != NULL;
	ok(started == 3, "remove_start: 3 started");
	/* Started, not finished: still found among the dying only. */
	for (i = 0; i < 3; i++)
		dying += vj_jail_find(ctx, params[i].v[0].vals[0], 0, &err) < 0 &&
		    vj_jail_find(ctx, params[i].v[0].vals[0], VJ_DYING, &err) ==
		    jids[i];
	ok(dying == 3, "remove_start: dying until finished");
	for (i = 0; i < 3; i++)
		finished += r[i] != NULL && vj_jail_remove_finish(r[i], &err) == 0;
	ok(finished == 3 && vj_jail_find(ctx, "vjtb1", VJ_DYING, &err) < 0,
	    "remove_finish: all 3 gone");
	ok(vj_jail_remove_start(ctx, jids[0], 0, &err) == NULL &&
	    err.ve_errno == ENOENT, "remove_start: a gone jail says ENOENT");
	for (i = 0; i < 3; i++)
		jids[i] = vj_jail_create(ctx, &params[i], VJ_CREATE, &err);
	jids[3] = jids[0] + 100000;	/* no such jail */
	memset(errs, 0, sizeof(errs));
	ok(vj_jail_remove_many(ctx, jids, 4, 0, 1, errs) == 3 &&
	    errs[3].ve_errno == ENOENT && errs[0].ve_msg[0] == '\0',
	    "remove_many: 3 removed, the missing one reported");
}

/* Trace lines, from the workers too, appended to a file (the arg). */
static void
trace_to_file(void *arg, const char *line)
{
	dprintf(*(int *)arg, "%s\n", line);
}

/* How many traced lines are exactly "<name>: removing". */
static int
count_removing(int fd, const char *name)
{
	char buf[65536], want[128];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	int count = 0;
	char *p;

	buf[n > 0 ? n : 0] = '\0';
	snprintf(want, sizeof(want), "%s: removing\n", name);
	for (p = buf; (p = strstr(p, want)) != NULL; p += strlen(want))
		count += p == buf || p[-1] == '\n';
	return count;
}

/* One jail listed twice, and a child listed before its parent, in one
 * worker's window: each torn down once (traced once), all gone. */
static void
check_window_clashes(struct vj_ctx *ctx)
{
	struct vj_params pp2 = { 0 }, pc = { 0 };
	struct vj_error err = { 0 }, errs[3];
	int jids[3], tfd = open("/tmp", O_TMPFILE | O_RDWR | O_APPEND, 0600);

	jids[0] = vj_jail_create(ctx, &params[0], VJ_CREATE, &err);
	jids[1] = jids[0];
	memset(errs, 0, sizeof(errs));
	ok(jids[0] > 0 && vj_jail_remove_many(ctx, jids, 2, 0, 1, errs) == 1 &&
	    errs[1].ve_errno == EBUSY && vj_jail_find(ctx, "vjtb0", VJ_DYING,
	    &err) < 0, "remove_many: a jail listed twice is removed once");
	vj_params_set(&pp2, "name", "vjtbp");
	vj_params_set(&pp2, "persist", NULL);
	vj_params_set(&pp2, "children.max", "1");
	vj_params_set(&pc, "name", "vjtbp.c");
	vj_params_set(&pc, "persist", NULL);
	jids[1] = vj_jail_create(ctx, &pp2, VJ_CREATE, &err);
	jids[0] = vj_jail_create(ctx, &pc, VJ_CREATE, &err);
	memset(errs, 0, sizeof(errs));
	vj_ctx_set_trace(ctx, trace_to_file, &tfd);
	ok(jids[0] > 0 && jids[1] > 0 && tfd >= 0 &&
	    vj_jail_remove_many(ctx, jids, 2, 0, 1, errs) == 2 &&
	    vj_jail_find(ctx, "vjtbp", VJ_DYING, &err) < 0 &&
	    vj_jail_find(ctx, "vjtbp.c", VJ_DYING, &err) < 0 &&
	    count_removing(tfd, "vjtbp.c") == 1,
	    "remove_many: a child before its parent, both removed once");
	vj_ctx_set_trace(ctx, NULL, NULL);
	if (tfd >= 0)
		close(tfd);
	vj_params_free(&pp2);
	vj_params_free(&pc);
}

/* What the creation queue reported, in order. */
static int qtags[8], qjids[8], nq;

static void
queued_done(void *tag, int jid, const struct vj_error *err)
{
	(void)err;
	if (nq < 8) {
		qtags[nq] = (int)(long)tag;
		qjids[nq++] = jid;
	}
}

/* Parameters of queued jail vjtq<i>, vnet on every other one. */
static void
queue_params(struct vj_params *p, const char *name, int i)
{
	memset(p, 0, sizeof(*p));
	vj_params_set(p, "name", name);
	vj_params_set(p, "persist", NULL);
	if (i % 2)
		vj_params_set(p, "vnet", "new");
}

/* vj_jail_create_queue: ends reported in queue order, a failed start
 * after those before it, an init's failure rolled back. */
static void
check_create_queue(struct vj_ctx *ctx)
{
	const char *names[5] = { "vjtq0", "vjtq1", "vjtq2", "vjtq1", "vjtq4" };
	struct vj_params p[5];
	struct vj_error err = { 0 };
	int i, rc[5], inorder = 1, found = 1, live[5], n = 0;

	for (i = 0; i < 5; i++)
		queue_params(&p[i], names[i], i);
	ok(vj_jail_create_queue(ctx, &p[0], VJ_ATTACH, NULL, queued_done,
	    &err) < 0 && err.ve_errno == EINVAL, "create_queue: VJ_ATTACH "
	    "refused");
	for (i = 0; i < 5; i++) {
		rc[i] = vj_jail_create_queue(ctx, &p[i], 0, (void *)(long)i,
		    queued_done, &err);
		if (i == 3)
			ok(rc[3] < 0 && err.ve_errno == EEXIST && nq == 3,
			    "create_queue: the clash fails after the 3 before "
			    "it ended (%d)", nq);
	}
	vj_jail_create_flush(ctx);
	for (i = 0; i < nq; i++)
		inorder &= qtags[i] == (i < 3 ? i : 4) && qjids[i] > 0;
	ok(nq == 4 && inorder, "create_queue: 4 ends, in queue order");
	for (i = 0; i < nq; i++) {
		found &= vj_jail_find(ctx, names[qtags[i]], 0, &err) ==
		    qjids[i];
		live[n++] = qjids[i];
	}
	ok(found, "create_queue: every jail runs once flushed");
	/* Every init fails its own setup: each end says so, nothing stays. */
	nq = 0;
	setenv("VJAIL_FAIL_AT", "mount:child", 1);
	for (i = 0; i < 2; i++) {
		vj_params_set(&p[i], "name", i ? "vjtqf1" : "vjtqf0");
		vj_jail_create_queue(ctx, &p[i], 0, (void *)(long)i,
		    queued_done, &err);
	}
	vj_jail_create_flush(ctx);
	unsetenv("VJAIL_FAIL_AT");
	ok(nq == 2 && qjids[0] < 0 && qjids[1] < 0 &&
	    vj_jail_find(ctx, "vjtqf0", 0, &err) < 0 &&
	    vj_jail_find(ctx, "vjtqf1", 0, &err) < 0,
	    "create_queue: failed inits reported and rolled back");
	ok(vj_jail_remove_many(ctx, live, (size_t)n, 0, 1, NULL) == n,
	    "create_queue: all removed");
	/* Workers forked with a creation in flight: it ends first, here. */
	nq = 0;
	vj_params_set(&p[0], "name", "vjtqw0");
	vj_params_set(&p[1], "name", "vjtqw1");
	vj_params_set(&p[2], "name", "vjtqw2");
	{
		const struct vj_params *two[2] = { &p[1], &p[2] };
		int jw[2];

		vj_jail_create_queue(ctx, &p[0], 0, (void *)0L, queued_done,
		    &err);
		ok(vj_jail_create_many(ctx, two, 2, 0, 2, jw, NULL) == 2 &&
		    nq == 1 && qjids[0] > 0, "create_queue: flushed before "
		    "create_many forks its workers");
		live[0] = qjids[0];
		live[1] = jw[0];
		live[2] = jw[1];
		ok(vj_jail_remove_many(ctx, live, 3, 0, 1, NULL) == 3,
		    "create_queue: those three removed");
	}
	for (i = 0; i < 5; i++)
		vj_params_free(&p[i]);
}

int
main(void)
{
	struct vj_error err = { 0 }, errs[N];
	struct vj_ctx *ctx;
	int jids[N], live[N], i, made, n = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (geteuid() != 0) {
		printf("ok 1 # SKIP not root\n1..1\n");
		return 0;
	}
	ctx = vj_ctx_new(&err);
	build();
	memset(errs, 0, sizeof(errs));
	ok(vj_jail_create_many(ctx, pp, N, VJ_CREATE | VJ_ATTACH, 2, jids,
	    errs) == -1 && errno == EINVAL, "create_many: VJ_ATTACH refused");
	made = vj_jail_create_many(ctx, pp, N, VJ_CREATE, 2, jids, errs);
	check_created(ctx, jids, made, errs);
	for (i = 0; i < N; i++)
		if (jids[i] > 0)
			live[n++] = jids[i];
	ok(vj_jail_remove_many(ctx, live, (size_t)n, 0, 2, errs) == n,
	    "remove_many: all %d removed", n);
	ok(vj_jail_find(ctx, "vjtb0", 0, &err) < 0 &&
	    vj_jail_find(ctx, "vjtb4", 0, &err) < 0, "remove_many: gone");
	check_two_step(ctx);
	check_window_clashes(ctx);
	check_create_queue(ctx);
	for (i = 0; i < N; i++)
		vj_params_free(&params[i]);
	vj_ctx_free(ctx);
	return tap_done();
}
