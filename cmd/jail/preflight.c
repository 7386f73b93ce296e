/*
 * preflight.c: before wiring many jails, the host limits that break at
 * scale, each with the way to raise it.  Hard limits (pids, bridge ports)
 * stop the run; soft ones warn.  Read from /proc only (no netlink).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "conf.h"
#include "jail.h"
#include "targets.h"

#define BRIDGE_MAX_PORTS	1023	/* BR_MAX_PORTS less port 0 */
#define KMEM_PER_JAIL_KB	450	/* measured: namespaces + veth + init */

/* A number from /proc/sys, or -1. */
static long
sysctl_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (f != NULL) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* How many processes exist now. */
static long
count_processes(void)
{
	struct dirent *de;
	DIR *d = opendir("/proc");
	long n = 0;

	while (d != NULL && (de = readdir(d)) != NULL)
		n += de->d_name[0] >= '1' && de->d_name[0] <= '9';
	if (d != NULL)
		closedir(d);
	return n;
}

/* Available memory in kB (MemAvailable). */
static long
mem_available_kb(void)
{
	char line[128];
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "MemAvailable: %ld", &v) == 1)
			break;
	if (f != NULL)
		fclose(f);
	return v;
}

/* One finding; returns 1 for a hard one. */
static int
say(bool hard, const char *what, long have, long need, const char *fix)
{
	fprintf(stderr, "jail: preflight: %s: %s is %ld, %ld needed (%s)\n",
	    hard ? "error" : "warning", what, have, need, fix);
	return hard;
}

/* The kernel-wide limits for n more jails. */
static int
check_kernel(long n)
{
	long pids = sysctl_long("/proc/sys/kernel/pid_max");
	long netns = sysctl_long("/proc/sys/user/max_net_namespaces");
	long ino = sysctl_long("/proc/sys/fs/inotify/max_user_instances");
	long gc3 = sysctl_long("/proc/sys/net/ipv4/neigh/default/gc_thresh3");
	long mem = mem_available_kb(), procs = count_processes();
	int hard = 0;

	if (pids >= 0 && procs + n > pids)
		hard |= say(true, "kernel.pid_max", pids, procs + n,
		    "raise with: sysctl -w kernel.pid_max=4194304");
	if (netns >= 0 && n > netns)
		hard |= say(true, "user.max_net_namespaces", netns, n,
		    "raise with: sysctl -w user.max_net_namespaces=<more>");
	if (mem >= 0 && n * KMEM_PER_JAIL_KB > mem)
		hard |= say(true, "MemAvailable (kB)", mem,
		    n * KMEM_PER_JAIL_KB, "fewer jails, or more memory");
	if (ino >= 0 && n > ino)
		say(false, "fs.inotify.max_user_instances", ino, n,
		    "for jails running systemd or other inotify users: "
		    "sysctl -w fs.inotify.max_user_instances=<more>");
	if (gc3 >= 0 && n > gc3)
		say(false, "net.ipv4.neigh.default.gc_thresh3", gc3, n,
		    "for a router or host with a neighbour on every jail of a "
		    "segment: raise gc_thresh1/2/3 for net.ipv4 and net.ipv6");
	return hard;
}

/* Ports each configured bridge would get. */
static int
check_bridges(const struct vj_conf *conf)
{
	struct { const char *name; long ports; } br[64];
	size_t i, k, nbr = 0;
	int hard = 0;

	for (i = 0; i < conf->njails; i++)
		for (k = 0; k < conf->jails[i].params.n; k++) {
			const struct vj_param *p = &conf->jails[i].params.v[k];
			size_t b;
			size_t len = strlen(p->name);

			if (strncmp(p->name, "epair.", 6) != 0 || len < 7 ||
			    strcmp(p->name + len - 7, ".bridge") != 0 ||
			    p->nvals == 0)
				continue;
			for (b = 0; b < nbr && strcmp(br[b].name,
			    p->vals[0]) != 0; b++)
				;
			if (b == nbr && nbr < 64)
				br[nbr++] = (typeof(br[0])){ p->vals[0], 0 };
			if (b < nbr)
				br[b].ports++;
		}
	for (i = 0; i < nbr; i++)
		if (br[i].ports > BRIDGE_MAX_PORTS) {
			fprintf(stderr, "jail: preflight: error: bridge %s: %ld "
			    "ports, a Linux bridge takes at most %d (spread "
			    "the jails over several bridges)\n", br[i].name,
			    br[i].ports, BRIDGE_MAX_PORTS);
			hard = 1;
		}
	return hard;
}

/* Check the host for the jails of a configuration; -1 on a hard limit.
 * Quiet about soft limits below 64 jails. */
int
preflight(const struct vj_conf *conf, bool verbose)
{
	struct rlimit rl;
	int hard;

	if (conf->njails < 64 && !verbose)
		return check_bridges(conf) ? -1 : 0;
	hard = check_kernel((long)conf->njails) | check_bridges(conf);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && verbose)
		fprintf(stderr, "jail: preflight: open files limit %ld\n",
		    (long)rl.rlim_cur);
	if (verbose && !hard)
		fprintf(stderr, "jail: preflight: %zu jails: no hard limit "
		    "in the way\n", conf->njails);
	return hard ? -1 : 0;
}
