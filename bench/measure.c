/*
 * measure.c: clocks, kernel memory from /proc/meminfo, user memory (PSS)
 * from /proc/PID/smaps_rollup, and a hyperfine-like command timer.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/kcmp.h>

#include "bench.h"

extern char **environ;

volatile sig_atomic_t vjb_stop;

/* SIGINT/SIGTERM/SIGHUP: stop creating and tear down. */
static void
on_signal(int sig)
{
	(void)sig;
	vjb_stop = 1;
}

/* Catch the signals that ask a run to stop (no SA_RESTART: waits end). */
void
vjb_catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* Monotonic time in milliseconds. */
double
vjb_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Read the kernel-side memory fields of /proc/meminfo (kB). */
int
vjb_kmem_read(struct vjb_kmem *k)
{
	char line[256];
	FILE *f = fopen("/proc/meminfo", "re");

	memset(k, 0, sizeof(*k));
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		sscanf(line, "Slab: %ld", &k->slab);
		sscanf(line, "Percpu: %ld", &k->percpu);
		sscanf(line, "KernelStack: %ld", &k->kstack);
		sscanf(line, "PageTables: %ld", &k->ptables);
	}
	fclose(f);
	return 0;
}

/* Slab + Percpu + KernelStack + PageTables, in kB. */
long
vjb_kmem_total(const struct vjb_kmem *k)
{
	return k->slab + k->percpu + k->kstack + k->ptables;
}

/* PSS of one process in kB (0 for kernel threads), -1 if unreadable. */
long
vjb_pss_kb(pid_t pid)
{
	char path[64], line[256];
	long pss = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	f = fopen(path, "re");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "Pss: %ld", &pss) == 1)
			break;
	fclose(f);
	return pss;
}

/* The pid namespace of a process ("pid:[inode]") into ns; false if gone. */
static bool
pidns_of(const char *pid, char *ns, size_t len)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%s/ns/pid", pid);
	n = readlink(path, ns, len - 1);
	if (n < 0)
		return false;
	ns[n] = '\0';
	return true;
}

/* Is the command name of pid comm (any process if comm is NULL)? */
static bool
comm_is(const char *pid, const char *comm)
{
	char path[64], buf[64];
	ssize_t n;
	int fd;

	if (comm == NULL)
		return true;
	snprintf(path, sizeof(path), "/proc/%s/comm", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return strcmp(buf, comm) == 0;
}

/* Processes seen so far with distinct address spaces, sorted by kcmp. */
struct mm_set {
	pid_t	*pid;
	size_t	 n, cap;
};

/*
 * Add pid's address space to the set; false if a process already there
 * shares it (CLONE_VM: vjail's inits share one mm, whose PSS each of them
 * reports in full, so it must be counted once).
 */
static bool
mm_add(struct mm_set *s, pid_t pid)
{
	size_t lo = 0, hi = s->n, mid;
	pid_t *p;
	long c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = syscall(SYS_kcmp, pid, s->pid[mid], KCMP_VM, 0, 0);
		if (c == 0)
			return false;
		if (c < 0)
			return true;	/* gone, or no kcmp: count it */
		if (c == 1)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		p = realloc(s->pid, s->cap * sizeof(*p));
		if (p == NULL)
			return true;
		s->pid = p;
	}
	memmove(s->pid + lo + 1, s->pid + lo, (s->n - lo) * sizeof(*p));
	s->pid[lo] = pid;
	s->n++;
	return true;
}

/* Clock ticks since boot, as /proc/PID/stat counts start times. */
static unsigned long long
ticks_now(void)
{
	double up = 0;
	FILE *f = fopen("/proc/uptime", "re");

	if (f != NULL) {
		if (fscanf(f, "%lf", &up) != 1)
			up = 0;
		fclose(f);
	}
	return (unsigned long long)(up * (double)sysconf(_SC_CLK_TCK));
}

/* A process's start time in clock ticks since boot (0 if unknown). */
static unsigned long long
start_ticks(const char *pid)
{
	char path[64], buf[1024], *p;
	unsigned long long t = 0;
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	if ((f = fopen(path, "re")) == NULL)
		return 0;
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	for (i = 0; p != NULL && i < 20; i++)	/* field 22: starttime */
		p = strchr(p + 1, ' ');
	if (p != NULL)
		t = strtoull(p + 1, NULL, 10);
	return t;
}

/* The save time in a --since file ("since T", clock ticks since boot),
 * or 0 without one. */
static unsigned long long
saved_ticks(const char *path)
{
	unsigned long long t = 0;
	FILE *f = path != NULL ? fopen(path, "re") : NULL;

	if (f != NULL) {
		if (fscanf(f, "since %llu", &t) != 1)
			t = 0;
		fclose(f);
	}
	return t;
}

/*
 * With save, write the time to the file `since`.  Otherwise sum the PSS
 * (kB) of the processes in pid namespaces other than ours (in jails)
 * started since then, counting only processes named comm if it is not
 * NULL, and each address space once.  By start time, not by namespace:
 * the kernel reuses namespace numbers, so a new jail could get the
 * number of one that was still dying at the save.
 */
long
vjb_pss_foreign(long *nprocs, const char *since, bool save, const char *comm)
{
	char ours[64], ns[64];
	unsigned long long t0 = save ? 0 : saved_ticks(since);
	struct mm_set mms = { 0 };
	struct dirent *d;
	long sum = 0, pss;
	FILE *out;
	DIR *dir;

	*nprocs = 0;
	if (save) {
		if ((out = fopen(since, "we")) == NULL)
			return -1;
		fprintf(out, "since %llu\n", ticks_now());
		return fclose(out) != 0 ? -1 : 0;
	}
	dir = opendir("/proc");
	if (!pidns_of("self", ours, sizeof(ours)) || dir == NULL) {
		if (dir != NULL)
			closedir(dir);
		return -1;
	}
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] < '0' || d->d_name[0] > '9' ||
		    !pidns_of(d->d_name, ns, sizeof(ns)) ||
		    strcmp(ns, ours) == 0 || start_ticks(d->d_name) < t0 ||
		    !comm_is(d->d_name, comm))
			continue;
		(*nprocs)++;
		if (!mm_add(&mms, (pid_t)atoi(d->d_name)))
			continue;
		pss = vjb_pss_kb((pid_t)atoi(d->d_name));
		if (pss >= 0)
			sum += pss;
	}
	closedir(dir);
	free(mms.pid);
	return sum;
}

/* Compare doubles for qsort. */
static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median of v[0..n) (sorts v). */
double
vjb_median(double *v, size_t n)
{
	if (n == 0)
		return -1;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Spawn argv with output to /dev/null and wait; its exit status or -1. */
static int
spawn_wait(char *const argv[], posix_spawn_file_actions_t *fa)
{
	pid_t pid;
	int st;

	if (posix_spawnp(&pid, argv[0], fa, NULL, argv, environ) != 0)
		return -1;
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/*
 * Time argv reps times after warmup runs (posix_spawn, no shell, output
 * discarded), as hyperfine -N does.  Prints median, min, max, mean in ms.
 */
int
vjb_time_cmd(int reps, int warmup, char *const argv[], bool json)
{
	posix_spawn_file_actions_t fa;
	double *t, sum = 0, med;
	int i, st;

	t = calloc((size_t)reps, sizeof(*t));
	if (t == NULL || reps < 1)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	for (i = -warmup; i < reps; i++) {
		double t0 = vjb_now_ms();

		st = spawn_wait(argv, &fa);
		if (st != 0) {
			fprintf(stderr, "baseline: %s: exit status %d\n",
			    argv[0], st);
			free(t);
			return -1;
		}
		if (i >= 0) {
			t[i] = vjb_now_ms() - t0;
			sum += t[i];
		}
	}
	posix_spawn_file_actions_destroy(&fa);
	med = vjb_median(t, (size_t)reps);
	if (json)
		printf("{\"reps\":%d,\"median_ms\":%.3f,\"min_ms\":%.3f,"
		    "\"max_ms\":%.3f,\"mean_ms\":%.3f}\n", reps, med, t[0],
		    t[reps - 1], sum / reps);
	else
		printf("%d runs: median %.3f ms, min %.3f, max %.3f, "
		    "mean %.3f\n", reps, med, t[0], t[reps - 1], sum / reps);
	free(t);
	return 0;
}

/* Print s as a JSON string (quotes and escapes included). */
void
vjb_json_str(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", (unsigned char)*s);
		else
			putchar(*s);
	}
	putchar('"');
}
