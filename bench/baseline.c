/*
 * baseline.c: the kernel's work per jail and nothing else, with raw
 * syscalls and batched rtnetlink.  Per instance: a holder cloned into
 * NEWNET|NEWUTS|NEWIPC|NEWNS|NEWPID, one veth whose host end sits on a
 * shared bridge (1000 ports each) and whose peer is created directly in
 * the instance as eth0, an IPv4 /16 address, eth0 and lo up.  Teardown
 * kills the holders and waits until the kernel has really freed every
 * namespace (see vjb_barrier()).  Also the measuring tools bench/run uses.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "bench.h"

#define LO_IFINDEX	1	/* loopback is ifindex 1 in every netns */

enum mode { M_RUN, M_LATENCY, M_HOLD, M_BARRIER, M_ENTER, M_TIME, M_MEMINFO,
	    M_PSS };

struct opts {
	enum mode	 mode;
	long		 n;
	int		 reps, warmup;
	int		 sentinels;	/* --barrier: -1 for automatic */
	int		 settle_ms;	/* pause between create and remove */
	bool		 vm, addrgen_none, json;
	const char	*prefix;	/* names: <prefix><i>, <prefix>br<k> */
	const char	*wait_prefix;	/* --barrier: links to see vanish */
	pid_t		 enter_pid;
	const char	*since;		/* --pss-jailed: count processes started after */
	bool		 save;		/* --pss-jailed --save: write the time to it */
	const char	*comm;		/* --pss-jailed: only processes so named */
	char	       **argv;		/* --enter, --time: the command */
};

struct inst {
	pid_t	pid;
	int	hidx;		/* host end ifindex, 0 if not made */
};

/* Everything one bulk run made, so that teardown can undo it. */
struct run {
	const struct opts *o;
	struct vjb_nl	 nl;		/* host netns */
	int		 hostns;
	struct inst	*in;
	long		 nmade;
	int		*br;		/* bridge ifindexes */
	int		 nbr;
	char		 err[512];
};

/* Timings of one teardown, in ms from the first kill. */
struct td_times {
	double	reap, gone, brdel, freed;
};

/*
 * Let a new instance settle before removing it: references the kernel
 * drops only after an RCU grace period (our closed netlink socket among
 * them) would otherwise delay its cleanup and blur the removal figures.
 */
static void
settle(const struct opts *o)
{
	if (o->settle_ms > 0)
		usleep((useconds_t)o->settle_ms * 1000);
}

/* Record the first error of a run. */
static void
run_err(struct run *r, const char *what, const char *detail)
{
	if (r->err[0] == '\0')
		snprintf(r->err, sizeof(r->err), "%s: %s%s%s", what,
		    strerror(errno), detail[0] ? ": " : "", detail);
}

/* The instance's address: 10.<bridge>.<j/256>.<j%256>/16, j from 1. */
static uint32_t
inst_addr(long i)
{
	long b = i / VJB_PORTS_PER_BRIDGE, j = i % VJB_PORTS_PER_BRIDGE + 1;

	return htonl((uint32_t)(10 << 24 | b << 16 | j));
}

/* Create the bridges (down, addrgenmode none if asked, then up). */
static int
bridges_create(struct run *r, int nbr)
{
	char name[IFNAMSIZ];
	int k;

	r->br = calloc((size_t)nbr, sizeof(*r->br));
	if (r->br == NULL)
		return -1;
	for (k = 0; k < nbr; k++) {
		snprintf(name, sizeof(name), "%sbr%d", r->o->prefix, k);
		vjb_nl_bridge(&r->nl, name);
		if (r->o->addrgen_none)
			vjb_nl_addrgen_none(&r->nl, 0, name);
		vjb_nl_up(&r->nl, 0, name);
		if (vjb_nl_flush(&r->nl) < 0) {
			run_err(r, name, r->nl.err);
			vjb_nl_del(&r->nl, 0, name);	/* a half-made one */
			vjb_nl_flush(&r->nl);
			return -1;
		}
		r->br[k] = vjb_nl_ifindex(&r->nl, name);
		r->nbr = k + 1;
	}
	return 0;
}

/* Delete the bridges (their ports should be gone already). */
static void
bridges_delete(struct run *r)
{
	int k;

	for (k = 0; k < r->nbr; k++)
		if (r->br[k] > 0)
			vjb_nl_del(&r->nl, r->br[k], NULL);
	if (vjb_nl_flush(&r->nl) < 0)
		run_err(r, "delete bridges", r->nl.err);
	r->nbr = 0;
}

/* Open a netlink socket inside the netns of pid: setns there and back. */
static int
nl_open_in(struct run *r, pid_t pid, struct vjb_nl *jnl)
{
	int pidfd, ret = -1;

	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -1;
	if (setns(pidfd, CLONE_NEWNET) == 0) {
		ret = vjb_nl_open(jnl);
		if (setns(r->hostns, CLONE_NEWNET) < 0)
			abort();	/* stuck in a jail: never go on */
	}
	close(pidfd);
	return ret;
}

/* Give instance i its veth, address and links up. */
static int
inst_links(struct run *r, long i)
{
	const struct opts *o = r->o;
	struct inst *in = &r->in[i];
	char name[IFNAMSIZ];
	struct vjb_nl jnl;
	int eidx;

	snprintf(name, sizeof(name), "%s%ld", o->prefix, i);
	vjb_nl_veth(&r->nl, name, r->br[i / VJB_PORTS_PER_BRIDGE],
	    !o->addrgen_none, "eth0", in->pid);
	if (o->addrgen_none) {
		vjb_nl_addrgen_none(&r->nl, 0, name);
		vjb_nl_up(&r->nl, 0, name);
	}
	if (vjb_nl_flush(&r->nl) < 0) {
		in->hidx = vjb_nl_ifindex(&r->nl, name);
		run_err(r, name, r->nl.err);
		return -1;
	}
	in->hidx = vjb_nl_ifindex(&r->nl, name);
	if (nl_open_in(r, in->pid, &jnl) < 0) {
		run_err(r, "netns socket", "");
		return -1;
	}
	eidx = vjb_nl_ifindex(&jnl, "eth0");
	if (o->addrgen_none)
		vjb_nl_addrgen_none(&jnl, eidx, NULL);
	vjb_nl_addr4(&jnl, eidx, inst_addr(i), 16);
	vjb_nl_up(&jnl, eidx, NULL);
	vjb_nl_up(&jnl, LO_IFINDEX, NULL);
	if (eidx < 0 || vjb_nl_flush(&jnl) < 0) {
		run_err(r, "eth0", jnl.err);
		vjb_nl_close(&jnl);
		return -1;
	}
	vjb_nl_close(&jnl);
	return 0;
}

/* Start instance i's holder. */
static int
inst_ns(struct run *r, long i)
{
	r->in[i].pid = vjb_holder_new(VJB_NSFLAGS, r->o->vm, NULL);
	r->in[i].hidx = 0;
	if (r->in[i].pid < 0) {
		run_err(r, "clone", "");
		return -1;
	}
	r->nmade = i + 1;
	return 0;
}

/*
 * Tear down instances [first, nmade): kill, reap, wait for the host veth
 * ends to vanish, delete the bridges if asked, then the freed barrier.
 */
static void
teardown(struct run *r, long first, bool bridges, struct td_times *t)
{
	double t0, tmo = 120e3 + 50.0 * (double)(r->nmade - first);
	struct vjb_mon mon;
	bool seen = true;
	long i;

	if (vjb_mon_open(&mon) < 0)
		run_err(r, "link monitor", "");
	/* An instance without a veth cannot show its cleanup run started. */
	for (i = first; i < r->nmade; i++)
		if (r->in[i].hidx <= 0 ||
		    vjb_mon_track(&mon, r->in[i].hidx) < 0)
			seen = false;
	t0 = vjb_now_ms();
	for (i = first; i < r->nmade; i++)
		kill(r->in[i].pid, SIGKILL);
	for (i = first; i < r->nmade; i++)
		vjb_holder_reap(r->in[i].pid);
	t->reap = vjb_now_ms() - t0;
	if (mon.fd < 0 || vjb_mon_wait(&mon, &r->nl, tmo) < 0) {
		run_err(r, "waiting for veths to vanish", "");
		seen = false;
	}
	t->gone = vjb_now_ms() - t0;
	if (bridges)
		bridges_delete(r);
	t->brdel = vjb_now_ms() - t0;
	if (vjb_barrier(&r->nl, seen ? 1 : 2, tmo) < 0)
		run_err(r, "freed barrier", "");
	t->freed = vjb_now_ms() - t0;
	vjb_mon_close(&mon);
	r->nmade = first;
}

/* Open the host side of a run and allocate room for n instances. */
static int
run_init(struct run *r, const struct opts *o, long n)
{
	memset(r, 0, sizeof(*r));
	r->o = o;
	r->hostns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	r->in = calloc((size_t)n, sizeof(*r->in));
	if (r->hostns < 0 || r->in == NULL || vjb_nl_open(&r->nl) < 0) {
		perror("baseline");
		return -1;
	}
	return 0;
}

/* User-space memory of the holders while held, in kB (see README). */
static long
holders_pss(struct run *r, long self_before)
{
	long i, sum = vjb_pss_kb(getpid()) - self_before;

	if (!r->o->vm)
		for (i = 0; i < r->nmade; i++)
			sum += vjb_pss_kb(r->in[i].pid);
	return sum;
}

/* Print the result of a bulk run. */
static void
print_run(const struct run *r, long n, const double *ph,
    const struct td_times *t, const struct vjb_kmem *k, long user)
{
	const struct opts *o = r->o;
	double nn = (double)n;

	if (o->json) {
		printf("{\"tool\":\"baseline\",\"n\":%ld,\"holder\":\"%s\","
		    "\"addrgen_none\":%s,\"bridges\":%ld,\"ok\":%s,"
		    "\"error\":", n, o->vm ? "vm" : "fork",
		    o->addrgen_none ? "true" : "false",
		    (n + VJB_PORTS_PER_BRIDGE - 1) / VJB_PORTS_PER_BRIDGE,
		    r->err[0] ? "false" : "true");
		vjb_json_str(r->err);
		printf(",\"ns_ms\":%.1f,\"links_ms\":%.1f,"
		    "\"create_ms\":%.1f,\"reap_ms\":%.1f,\"gone_ms\":%.1f,"
		    "\"brdel_ms\":%.1f,\"freed_ms\":%.1f,\"kmem_kb\":%ld,"
		    "\"slab_kb\":%ld,\"percpu_kb\":%ld,\"kstack_kb\":%ld,"
		    "\"ptables_kb\":%ld,\"user_kb\":%ld}\n", ph[0], ph[1],
		    ph[0] + ph[1], t->reap, t->gone, t->brdel, t->freed,
		    vjb_kmem_total(k), k->slab, k->percpu, k->kstack,
		    k->ptables, user);
		return;
	}
	printf("baseline N=%ld holder=%s addrgen=%s%s%s\n", n,
	    o->vm ? "vm" : "fork", o->addrgen_none ? "none" : "default",
	    r->err[0] ? "  ERROR: " : "", r->err);
	printf("  create  %9.1f ms  (%.3f ms/inst: ns %.3f, links %.3f)\n",
	    ph[0] + ph[1], (ph[0] + ph[1]) / nn, ph[0] / nn, ph[1] / nn);
	printf("  teardown: reap %.1f, links gone %.1f, bridges deleted %.1f, "
	    "freed %.1f ms (%.3f ms/inst)\n", t->reap, t->gone, t->brdel,
	    t->freed, t->freed / nn);
	printf("  kernel memory %ld kB (%.1f kB/inst: slab %ld, percpu %ld, "
	    "kstack %ld, ptables %ld kB)\n", vjb_kmem_total(k),
	    (double)vjb_kmem_total(k) / nn, k->slab, k->percpu, k->kstack,
	    k->ptables);
	printf("  user memory %ld kB (%.1f kB/inst)\n", user,
	    (double)user / nn);
}

/* Create n instances (ph[0]: ns phase ms, ph[1]: links phase ms). */
static int
create_all(struct run *r, long n, double *ph)
{
	int nbr = (int)((n + VJB_PORTS_PER_BRIDGE - 1) / VJB_PORTS_PER_BRIDGE);
	double t0 = vjb_now_ms();
	long i;

	ph[0] = ph[1] = 0;
	if (bridges_create(r, nbr) < 0)
		return -1;
	for (i = 0; i < n && !vjb_stop; i++)
		if (inst_ns(r, i) < 0)
			return -1;
	ph[0] = vjb_now_ms() - t0;
	t0 = vjb_now_ms();
	for (i = 0; i < r->nmade && !vjb_stop; i++)
		if (inst_links(r, i) < 0)
			return -1;
	ph[1] = vjb_now_ms() - t0;
	if (vjb_stop)
		snprintf(r->err, sizeof(r->err), "interrupted");
	return vjb_stop ? -1 : 0;
}

/* Subtract b from a, field by field. */
static void
kmem_sub(struct vjb_kmem *a, const struct vjb_kmem *b)
{
	a->slab -= b->slab;
	a->percpu -= b->percpu;
	a->kstack -= b->kstack;
	a->ptables -= b->ptables;
}

/* Bulk mode: create N, measure while held, tear down, print. */
static int
run_bulk(const struct opts *o)
{
	struct td_times t = { 0 };
	struct vjb_kmem k0, k1;
	double ph[2];
	long self0, user;
	struct run r;

	if (run_init(&r, o, o->n) < 0)
		return 1;
	vjb_kmem_read(&k0);
	self0 = vjb_pss_kb(getpid());
	create_all(&r, o->n, ph);
	vjb_kmem_read(&k1);
	kmem_sub(&k1, &k0);
	user = holders_pss(&r, self0);
	settle(o);
	teardown(&r, 0, true, &t);
	print_run(&r, o->n, ph, &t, &k1, user);
	vjb_nl_close(&r.nl);
	return r.err[0] ? 1 : 0;
}

/* Print median and range of one latency series. */
static void
print_series(const char *name, double *v, int n, bool json, bool last)
{
	double med = vjb_median(v, (size_t)n);

	if (json)
		printf("\"%s_ms\":%.3f,\"%s_min_ms\":%.3f,\"%s_max_ms\":%.3f%s",
		    name, med, name, v[0], name, v[n - 1], last ? "" : ",");
	else
		printf("  %-7s median %8.3f ms  (min %.3f, max %.3f)\n", name,
		    med, v[0], v[n - 1]);
}

/*
 * Latency mode: one instance created and removed reps times on one
 * bridge.  Removal is timed to reap, to its veth gone, and to freed.
 */
static int
run_latency(const struct opts *o)
{
	double *v[4], t0;
	struct td_times t;
	struct run r;
	int k, rep;

	if (run_init(&r, o, 1) < 0)
		return 1;
	for (k = 0; k < 4; k++)
		v[k] = calloc((size_t)o->reps, sizeof(double));
	if (bridges_create(&r, 1) < 0)
		goto out;
	for (rep = 0; rep < o->reps && !vjb_stop; rep++) {
		t0 = vjb_now_ms();
		if (inst_ns(&r, 0) < 0 || inst_links(&r, 0) < 0) {
			teardown(&r, 0, false, &t);
			goto out;
		}
		v[0][rep] = vjb_now_ms() - t0;
		settle(o);
		teardown(&r, 0, false, &t);
		v[1][rep] = t.reap;
		v[2][rep] = t.gone;
		v[3][rep] = t.freed;
	}
	if (o->json)
		printf("{\"tool\":\"baseline\",\"mode\":\"latency\","
		    "\"holder\":\"%s\",\"reps\":%d,", o->vm ? "vm" : "fork",
		    rep);
	else
		printf("baseline latency, one instance, %d runs, holder=%s\n",
		    rep, o->vm ? "vm" : "fork");
	print_series("create", v[0], rep, o->json, false);
	print_series("reap", v[1], rep, o->json, false);
	print_series("gone", v[2], rep, o->json, false);
	print_series("freed", v[3], rep, o->json, true);
	if (o->json)
		printf("}\n");
out:
	bridges_delete(&r);
	if (r.err[0])
		fprintf(stderr, "baseline: %s\n", r.err);
	return r.err[0] || vjb_stop ? 1 : 0;
}

/* Hold mode: create N, print the holder pids, wait for a signal. */
static int
run_hold(const struct opts *o)
{
	struct td_times t;
	double ph[2];
	struct run r;
	long i;

	if (run_init(&r, o, o->n) < 0)
		return 1;
	if (create_all(&r, o->n, ph) == 0) {
		for (i = 0; i < r.nmade; i++)
			printf("%d\n", (int)r.in[i].pid);
		fflush(stdout);
		while (!vjb_stop)
			pause();
	}
	teardown(&r, 0, true, &t);
	if (r.err[0] && strcmp(r.err, "interrupted") != 0)
		fprintf(stderr, "baseline: %s\n", r.err);
	return 0;
}

/* Barrier mode: wait for links named prefix* to vanish, then sentinels. */
static int
run_barrier(const struct opts *o)
{
	struct vjb_mon mon;
	struct vjb_nl nl;
	int n = 0, ret;

	if (vjb_nl_open(&nl) < 0 || vjb_mon_open(&mon) < 0) {
		perror("baseline: barrier");
		return 1;
	}
	if (o->wait_prefix != NULL) {
		n = vjb_links_with_prefix(&nl, o->wait_prefix, &mon);
		if (n < 0 || vjb_mon_wait(&mon, &nl, 600e3) < 0) {
			perror("baseline: waiting for links to vanish");
			return 1;
		}
	}
	/* No link seen: nothing proves the cleanup runs had started. */
	if (o->sentinels >= 0)
		n = o->sentinels;
	else
		n = o->wait_prefix != NULL ? 1 : 2;
	ret = vjb_barrier(&nl, n, 600e3);
	if (ret < 0)
		perror("baseline: barrier");
	vjb_mon_close(&mon);
	vjb_nl_close(&nl);
	return ret < 0 ? 1 : 0;
}

/* Memory modes: kernel memory now, or PSS of all jailed processes. */
static int
run_mem(const struct opts *o)
{
	struct vjb_kmem k;
	long n, pss;

	if (o->mode == M_PSS) {
		pss = vjb_pss_foreign(&n, o->since, o->save, o->comm);
		if (o->save)
			return pss < 0;
		if (o->json)
			printf("{\"procs\":%ld,\"pss_kb\":%ld}\n", n, pss);
		else
			printf("%ld processes in other pid namespaces, "
			    "PSS %ld kB\n", n, pss);
		return pss < 0;
	}
	vjb_kmem_read(&k);
	if (o->json)
		printf("{\"kmem_kb\":%ld,\"slab_kb\":%ld,\"percpu_kb\":%ld,"
		    "\"kstack_kb\":%ld,\"ptables_kb\":%ld}\n",
		    vjb_kmem_total(&k), k.slab, k.percpu, k.kstack, k.ptables);
	else
		printf("%ld\n", vjb_kmem_total(&k));
	return 0;
}

static const char usage[] =
"usage: baseline [-n N] [--vm] [--ipv6] [--json] [--prefix P] [--settle MS]\n"
"       baseline --latency R [--vm] [--ipv6] [--json] [--settle MS]\n"
"       baseline --hold [-n N] [--vm]    (pids on stdout; SIGTERM ends)\n"
"       baseline --barrier [--wait-prefix P] [--sentinels K]\n"
"       baseline --enter PID -- CMD...\n"
"       baseline --time R [--warmup W] [--json] -- CMD...\n"
"       baseline --meminfo [--json]\n"
"       baseline --pss-jailed [--save F | --since F] [--comm NAME] [--json]\n";

static const struct option longopts[] = {
	{ "vm",		 no_argument,	    NULL, 'v' },
	{ "ipv6",	 no_argument,	    NULL, '6' },
	{ "json",	 no_argument,	    NULL, 'j' },
	{ "prefix",	 required_argument, NULL, 'p' },
	{ "latency",	 required_argument, NULL, 'L' },
	{ "hold",	 no_argument,	    NULL, 'H' },
	{ "barrier",	 no_argument,	    NULL, 'B' },
	{ "wait-prefix", required_argument, NULL, 'w' },
	{ "sentinels",	 required_argument, NULL, 's' },
	{ "settle",	 required_argument, NULL, 'S' },
	{ "enter",	 required_argument, NULL, 'E' },
	{ "time",	 required_argument, NULL, 'T' },
	{ "warmup",	 required_argument, NULL, 'W' },
	{ "meminfo",	 no_argument,	    NULL, 'M' },
	{ "pss-jailed",	 no_argument,	    NULL, 'P' },
	{ "since",	 required_argument, NULL, 'i' },
	{ "save",	 required_argument, NULL, 'a' },
	{ "comm",	 required_argument, NULL, 'c' },
	{ "help",	 no_argument,	    NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Parse the command line into o; exits on a usage error. */
static void
parse_opts(int argc, char **argv, struct opts *o)
{
	int c;

	*o = (struct opts){ .n = 100, .reps = 20, .warmup = 3, .sentinels = -1,
	    .settle_ms = 200,
	    .addrgen_none = true, .prefix = "vjba" };
	while ((c = getopt_long(argc, argv, "n:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': o->n = atol(optarg); break;
		case 'v': o->vm = true; break;
		case '6': o->addrgen_none = false; break;
		case 'j': o->json = true; break;
		case 'p': o->prefix = optarg; break;
		case 'L': o->mode = M_LATENCY; o->reps = atoi(optarg); break;
		case 'H': o->mode = M_HOLD; break;
		case 'B': o->mode = M_BARRIER; break;
		case 'w': o->wait_prefix = optarg; break;
		case 's': o->sentinels = atoi(optarg); break;
		case 'S': o->settle_ms = atoi(optarg); break;
		case 'E': o->mode = M_ENTER; o->enter_pid = atoi(optarg); break;
		case 'T': o->mode = M_TIME; o->reps = atoi(optarg); break;
		case 'W': o->warmup = atoi(optarg); break;
		case 'M': o->mode = M_MEMINFO; break;
		case 'P': o->mode = M_PSS; break;
		case 'i': o->since = optarg; break;
		case 'a': o->since = optarg; o->save = true; break;
		case 'c': o->comm = optarg; break;
		default:
			fputs(usage, c == 'h' ? stdout : stderr);
			exit(c == 'h' ? 0 : 2);
		}
	}
	o->argv = argv + optind;
	if (o->n < 1 || o->reps < 1 || strlen(o->prefix) > 6 ||
	    o->n > 255L * VJB_PORTS_PER_BRIDGE ||
	    ((o->mode == M_ENTER || o->mode == M_TIME) && !o->argv[0])) {
		fputs(usage, stderr);
		exit(2);
	}
}

/* Entry point: dispatch on the mode. */
int
main(int argc, char **argv)
{
	struct opts o;

	parse_opts(argc, argv, &o);
	setvbuf(stdout, NULL, _IOLBF, 0);
	vjb_catch_signals();
	switch (o.mode) {
	case M_RUN:	return run_bulk(&o);
	case M_LATENCY:	return run_latency(&o);
	case M_HOLD:	return run_hold(&o);
	case M_BARRIER:	return run_barrier(&o);
	case M_ENTER:	return vjb_enter(o.enter_pid, o.argv);
	case M_TIME:	return vjb_time_cmd(o.reps, o.warmup, o.argv, o.json)
			    < 0;
	default:	return run_mem(&o);
	}
}
