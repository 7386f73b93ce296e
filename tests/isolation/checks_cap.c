/*
 * checks_cap.c: check 43 of security.md §3.3, capability mode inside a
 * jail.  The jail's own seccomp filter and Landlock domain must let a
 * program stack its own (seccomp with no_new_privs, landlock_*), and
 * cap_enter must then hold as it does on the host.  The cases live in
 * the capability-mode test program (tests/capmode); this check runs it
 * twice, plain and with a second thread (-t), and counts its TAP lines.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "probe.h"

/* The TAP lines of one run. */
struct tally {
	int	pass, skip, fail, plan;
};

/* Count one TAP line; echo failures as comments. */
static void
count(struct tally *t, const char *line)
{
	if (strncmp(line, "not ok", 6) == 0) {
		t->fail++;
		printf("# %s", line);
	} else if (strncmp(line, "ok", 2) == 0) {
		if (strstr(line, "# SKIP") != NULL)
			t->skip++;
		else
			t->pass++;
	} else if (strncmp(line, "1..", 3) == 0)
		sscanf(line + 3, "%d", &t->plan);
	else if (strncmp(line, "#   ", 4) == 0)
		printf("# %s", line);
}

/* Run the program with one optional argument; its tally, or -1. */
static int
run(const char *arg, struct tally *t)
{
	char line[512];
	int p[2];
	pid_t pid;
	FILE *f;

	if (pipe(p) < 0)
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execl(opt.capmode, opt.capmode, arg, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	f = fdopen(p[0], "r");
	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		count(t, line);
	if (f != NULL)
		fclose(f);
	return reap(pid);
}

/* 43: cap_enter in the jail, plain and with a second thread. */
void
c_capmode(int n)
{
	const char *args[] = { NULL, "-t" };
	struct tally t;
	size_t i;
	int st;

	if (opt.capmode == NULL)
		return skip(n, "no capability-mode test program given (-C)",
		    "cap_enter");
	for (i = 0; i < 2; i++) {
		memset(&t, 0, sizeof(t));
		st = run(args[i], &t);
		tap(st == 0 && t.fail == 0 && t.pass > 0 &&
		    t.plan == t.pass + t.skip, n, "capmode_test%s%s: %d passed, "
		    "%d unsupported, %d failed (status %d)", args[i] ? " " : "",
		    args[i] ? args[i] : "", t.pass, t.skip, t.fail, st);
	}
}
