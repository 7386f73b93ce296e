/*
 * vjlib.c: contestant (b) through the library.  Creates N jails with
 * vj_jail_create_many() from a parameter template (-j workers, default one
 * per CPU), measures them while held, removes them with
 * vj_jail_remove_many() and waits until the kernel has freed everything,
 * with the same barrier as the baseline.  Output as baseline's.
 *
 * With --latency R it instead creates and removes one jail R times with
 * vj_jail_create() and vj_jail_remove() in this process, as the baseline's
 * latency mode does, and prints the medians: the jail(8) contestant pays
 * two execs per run that neither of these does.
 *
 * usage: vjlib [-n N] [-j WORKERS] [-p name=value]... [--wait-prefix P]
 *	       [--rm-wait] [--comm NAME] [--json]
 *	 vjlib --latency R [--settle MS] [-p name=value]... [--wait-prefix P]
 * In values, %i is the instance number, %b its bridge (i / 1000), %a its
 * address (10.b.x.y, as the baseline's) and %% a percent sign.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "vjail.h"

#define MAXP	64
#define PIDNS_SAVE "/tmp/vjb-vjlib.pidns"	/* when creation began */

struct lopts {
	long		 n;
	const char	*tmpl[MAXP];	/* name=value templates */
	int		 ntmpl;
	const char	*wait_prefix;	/* host links the jails own */
	const char	*comm;		/* name of the jails' processes */
	int		 rm_flags;
	int		 workers;	/* 0: one per CPU */
	int		 reps;		/* --latency: single-jail runs */
	int		 settle_ms;	/* --latency: pause before removal */
	bool		 json;
};

/* Expand %i, %b, %a and %% of a template for instance i into out. */
static void
expand(const char *t, long i, char *out, size_t len)
{
	long b = i / VJB_PORTS_PER_BRIDGE, j = i % VJB_PORTS_PER_BRIDGE + 1;
	size_t o = 0;

	for (; *t != '\0' && o + 32 < len; t++) {
		if (*t != '%' || t[1] == '\0') {
			out[o++] = *t;
			continue;
		}
		switch (*++t) {
		case 'i': o += (size_t)sprintf(out + o, "%ld", i); break;
		case 'b': o += (size_t)sprintf(out + o, "%ld", b); break;
		case 'a': o += (size_t)sprintf(out + o, "10.%ld.%ld.%ld", b,
			      j / 256, j % 256); break;
		default: out[o++] = *t; break;
		}
	}
	out[o] = '\0';
}

/* Build the parameters of instance i from the templates. */
static int
build_params(const struct lopts *o, long i, struct vj_params *p)
{
	char buf[1024], *eq;
	int k;

	memset(p, 0, sizeof(*p));
	for (k = 0; k < o->ntmpl; k++) {
		expand(o->tmpl[k], i, buf, sizeof(buf));
		eq = strchr(buf, '=');
		if (eq != NULL)
			*eq++ = '\0';
		if (vj_params_set(p, buf, eq) < 0)
			return -1;
	}
	return 0;
}

/* Create the jails with vj_jail_create_many(); returns how many exist,
 * *jids filled (failed ones -1), err holding the first failure. */
static long
create_all(const struct lopts *o, struct vj_ctx *ctx, int *jids,
    struct vj_error *err)
{
	struct vj_params *p = calloc((size_t)o->n, sizeof(*p));
	const struct vj_params **pp = calloc((size_t)o->n, sizeof(*pp));
	struct vj_error *errs = calloc((size_t)o->n, sizeof(*errs));
	long i, made = 0;

	for (i = 0; p != NULL && pp != NULL && errs != NULL && i < o->n; i++) {
		if (build_params(o, i, &p[i]) < 0)
			break;
		pp[i] = &p[i];
	}
	if (i == o->n)
		made = vj_jail_create_many(ctx, pp, (size_t)o->n, VJ_CREATE,
		    o->workers, jids, errs);
	else
		snprintf(err->ve_msg, sizeof(err->ve_msg),
		    "parameters of instance %ld", i);
	for (i = 0; errs != NULL && i < o->n; i++)
		if (jids[i] < 0 && err->ve_msg[0] == '\0')
			*err = errs[i];
	for (i = 0; p != NULL && i < o->n; i++)
		vj_params_free(&p[i]);
	free(p);
	free(pp);
	free(errs);
	return made < 0 ? 0 : made;
}

/* Remove the jails that exist (jids[i] > 0) with vj_jail_remove_many(). */
static void
remove_all(const struct lopts *o, struct vj_ctx *ctx, const int *jids)
{
	struct vj_error *errs = calloc((size_t)o->n, sizeof(*errs));
	int *live = calloc((size_t)o->n, sizeof(*live));
	size_t n = 0, k;
	long i;

	if (errs == NULL || live == NULL)
		exit(1);
	for (i = 0; i < o->n; i++)
		if (jids[i] > 0)
			live[n++] = jids[i];
	if (vj_jail_remove_many(ctx, live, n, o->rm_flags, o->workers,
	    errs) != (int)n)
		for (k = 0; k < n; k++)
			if (errs[k].ve_msg[0] != '\0')
				fprintf(stderr, "vjlib: remove %d: %s\n",
				    live[k], errs[k].ve_msg);
	free(errs);
	free(live);
}

/* Parse the command line; exits on a usage error. */
static void
parse_opts(int argc, char **argv, struct lopts *o)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "wait-prefix", required_argument, NULL, 'w' },
		{ "rm-wait", no_argument, NULL, 'R' },
		{ "comm", required_argument, NULL, 'c' },
		{ "latency", required_argument, NULL, 'L' },
		{ "settle", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct lopts){ .n = 100, .wait_prefix = "vjblh" };
	while ((c = getopt_long(argc, argv, "n:p:j:", lo, NULL)) != -1) {
		switch (c) {
		case 'n': o->n = atol(optarg); break;
		case 'j': o->workers = atoi(optarg); break;
		case 'p':
			if (o->ntmpl == MAXP)
				exit(2);
			o->tmpl[o->ntmpl++] = optarg;
			break;
		case 'J': o->json = true; break;
		case 'w': o->wait_prefix = optarg; break;
		case 'R': o->rm_flags |= VJ_RM_WAIT; break;
		case 'c': o->comm = optarg; break;
		case 'L': o->reps = atoi(optarg); break;
		case 'S': o->settle_ms = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: vjlib [-n N] [-j WORKERS] [-p name=value]... "
			    "[--wait-prefix P] [--rm-wait] [--comm NAME] [--json]\n"
			    "       vjlib --latency R [--settle MS] [-p name=value]... "
			    "[--wait-prefix P] [--json]\n");
			exit(2);
		}
	}
	if (o->ntmpl == 0) {
		o->tmpl[o->ntmpl++] = "name=vjbl%i";
		o->tmpl[o->ntmpl++] = "vnet=new";
		o->tmpl[o->ntmpl++] = "persist";
	}
	if (o->n < 1 || o->reps < 0 || o->settle_ms < 0)
		exit(2);
}

/* One jail created and removed in this process; times in ms into t[4]
 * (create, reap, host veth gone, freed).  Returns -1 on a failure. */
static int
latency_once(const struct lopts *o, struct vj_ctx *ctx, struct vjb_nl *nl,
    double t[4], struct vj_error *err)
{
	struct vjb_mon mon;
	struct vj_params p;
	double t0;
	int jid, links, rc;

	if (build_params(o, 0, &p) < 0) {
		snprintf(err->ve_msg, sizeof(err->ve_msg), "parameters");
		return -1;
	}
	t0 = vjb_now_ms();
	jid = vj_jail_create(ctx, &p, VJ_CREATE, err);
	t[0] = vjb_now_ms() - t0;
	vj_params_free(&p);
	if (jid < 0)
		return -1;
	if (o->settle_ms > 0)
		usleep((useconds_t)o->settle_ms * 1000);
	/* Listening from now on, as the baseline's teardown does: a link
	 * monitor open during creation taxes every link change. */
	if (vjb_mon_open(&mon) < 0) {
		snprintf(err->ve_msg, sizeof(err->ve_msg), "link monitor");
		return -1;
	}
	links = vjb_links_with_prefix(nl, o->wait_prefix, &mon);
	t0 = vjb_now_ms();
	rc = vj_jail_remove(ctx, jid, o->rm_flags, err);
	t[1] = vjb_now_ms() - t0;
	vjb_mon_wait(&mon, nl, 60e3);
	t[2] = vjb_now_ms() - t0;
	vjb_barrier(nl, links > 0 ? 1 : 2, 60e3);
	t[3] = vjb_now_ms() - t0;
	vjb_mon_close(&mon);
	return rc;
}

/* Latency mode: o->reps single-jail runs, medians printed as JSON. */
static int
run_latency(const struct lopts *o, struct vj_ctx *ctx, struct vjb_nl *nl)
{
	static const char *const names[4] = { "create", "reap", "gone",
	    "freed" };
	struct vj_error err = { 0 };
	double *v[4], t[4];
	int k, rep;

	for (k = 0; k < 4; k++)
		if ((v[k] = calloc((size_t)o->reps, sizeof(double))) == NULL)
			return 1;
	for (rep = 0; rep < o->reps && !vjb_stop; rep++) {
		if (latency_once(o, ctx, nl, t, &err) < 0)
			break;
		for (k = 0; k < 4; k++)
			v[k][rep] = t[k];
	}
	if (rep < o->reps) {
		fprintf(stderr, "vjlib: latency run %d: %s\n", rep,
		    err.ve_msg);
		return 1;
	}
	printf("{\"tool\":\"vjlib\",\"mode\":\"latency\",\"reps\":%d", rep);
	for (k = 0; k < 4; k++)
		printf(",\"%s_ms\":%.3f", names[k], vjb_median(v[k],
		    (size_t)rep));
	printf("}\n");
	return 0;
}

/* Entry point: create, measure, remove, wait for freed, print. */
int
main(int argc, char **argv)
{
	struct vj_error err = { 0 };
	struct vjb_kmem k0, k1;
	struct vjb_mon mon;
	struct vjb_nl nl;
	double t0, tc, tr, tg, tf;
	long made, nprocs, pss, links;
	struct vj_ctx *ctx;
	int *jids;
	struct lopts o;

	parse_opts(argc, argv, &o);
	vjb_catch_signals();
	jids = calloc((size_t)o.n, sizeof(*jids));
	ctx = vj_ctx_new(&err);
	if (jids == NULL || ctx == NULL || vjb_nl_open(&nl) < 0) {
		fprintf(stderr, "vjlib: %s\n", err.ve_msg);
		return 1;
	}
	if (o.reps > 0)
		return run_latency(&o, ctx, &nl);
	vjb_pss_foreign(&nprocs, PIDNS_SAVE, true, NULL);
	vjb_kmem_read(&k0);
	t0 = vjb_now_ms();
	made = create_all(&o, ctx, jids, &err);
	tc = vjb_now_ms() - t0;
	vjb_kmem_read(&k1);
	pss = vjb_pss_foreign(&nprocs, PIDNS_SAVE, false, o.comm);
	unlink(PIDNS_SAVE);
	/* The link monitor opens only now, as the baseline's teardown does:
	 * one open during creation is sent every link change. */
	if (vjb_mon_open(&mon) < 0) {
		fprintf(stderr, "vjlib: link monitor\n");
		return 1;
	}
	links = vjb_links_with_prefix(&nl, o.wait_prefix, &mon);
	t0 = vjb_now_ms();
	remove_all(&o, ctx, jids);
	tr = vjb_now_ms() - t0;
	vjb_mon_wait(&mon, &nl, 600e3);
	tg = vjb_now_ms() - t0;
	vjb_barrier(&nl, links > 0 ? 1 : 2, 600e3);
	tf = vjb_now_ms() - t0;
	printf("{\"tool\":\"vjlib\",\"n\":%ld,\"made\":%ld,\"links\":%ld,"
	    "\"ok\":%s,\"error\":", o.n, made, links,
	    made == o.n ? "true" : "false");
	vjb_json_str(made == o.n ? "" : err.ve_msg);
	printf(",\"create_ms\":%.1f,\"reap_ms\":%.1f,\"gone_ms\":%.1f,"
	    "\"brdel_ms\":%.1f,\"freed_ms\":%.1f,\"kmem_kb\":%ld,"
	    "\"user_kb\":%ld,\"procs\":%ld}\n", tc, tr, tg, tg, tf,
	    vjb_kmem_total(&k1) - vjb_kmem_total(&k0), pss, nprocs);
	vj_ctx_free(ctx);
	return made == o.n ? 0 : 1;
}
