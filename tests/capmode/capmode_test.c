/*
 * capmode_test.c: the capability-mode test program's harness.
 *
 *   capmode_test [-t]      run every case, print TAP
 *   capmode_test --exec-child   (internal) what a case execs in
 *                          capability mode: exits 0 if still confined
 *
 * -t keeps a second thread alive whenever a case calls cap_enter, so
 * the seccomp filters must reach it (TSYNC).  Run as root for the cases
 * that need privileges to mean something (raw sockets, handles).
 * Static, so a program exec'd in capability mode needs no loader (which
 * would open libraries by path and be refused).
 */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "capmode.h"

#define CASE_SECONDS	30	/* a watchdog per case */

struct cm_env env;
static int nfail;
static int ntap;

/* Print one failed assertion. */
static void
fail(const char *fmt, ...)
{
	va_list ap;

	nfail++;
	printf("#   ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* The name of an errno, or "success". */
static const char *
ename(long rc, int err)
{
	if (rc >= 0)
		return "success";
	if (err == ECAPMODE)
		return "ECAPMODE";
	return strerrorname_np(err) ? strerrorname_np(err) : "E?";
}

/* Assert a failure with ECAPMODE. */
void
want_capmode(const char *what, long rc, int err)
{
	if (rc != -1 || err != ECAPMODE)
		fail("%s: %s, wanted ECAPMODE", what, ename(rc, err));
}

/* Assert a success. */
void
want_ok(const char *what, long rc, int err)
{
	if (rc < 0)
		fail("%s: %s, wanted success", what, ename(rc, err));
}

/* Assert anything but ECAPMODE. */
void
want_not_capmode(const char *what, long rc, int err)
{
	if (rc < 0 && err == ECAPMODE)
		fail("%s: ECAPMODE, wanted it allowed", what);
}

/* Assert a failure with one errno. */
void
want_errno(const char *what, long rc, int err, int wanted)
{
	if (rc != -1 || err != wanted)
		fail("%s: %s, wanted %s", what, ename(rc, err),
		    ename(-1, wanted));
}

/* Assert a condition. */
void
want_true(const char *what, bool cond)
{
	if (!cond)
		fail("%s: false", what);
}

/* The failures counted in this case. */
int
failures(void)
{
	return nfail;
}

/* The second thread of -t: alive, doing nothing, until the case ends. */
static void *
idle(void *arg)
{
	struct timespec ts = { 1, 0 };

	(void)arg;
	for (;;)
		nanosleep(&ts, NULL);
	return NULL;
}

/* Enter capability mode (with -t, a second thread first). */
void
enter(void)
{
	pthread_t t;

	if (env.thread && pthread_create(&t, NULL, idle, NULL) != 0) {
		fail("pthread_create failed");
		exit(1);
	}
	if (cap_enter() != 0) {
		fail("cap_enter: %s", strerror(errno));
		fflush(stdout);
		_exit(1);
	}
}

/* Print one TAP line. */
static void
tap(bool ok, const char *name)
{
	printf("%sok %d - %s%s\n", ok ? "" : "not ", ++ntap, name,
	    env.thread ? " (-t)" : "");
	fflush(stdout);
}

/* Run one case in a child; its verdict. */
static bool
run_case(const struct cm_case *c)
{
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		alarm(CASE_SECONDS);
		c->run();
		fflush(stdout);
		_exit(failures() ? 1 : 0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return false;
	if (c->signal != 0)
		return WIFSIGNALED(st) && WTERMSIG(st) == c->signal;
	if (WIFSIGNALED(st))
		printf("#   killed by signal %d\n", WTERMSIG(st));
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* Remove a directory tree beneath a held directory (no symlinks
 * followed: unlinkat on each name). */
static void
remove_tree(int at, const char *name)
{
	int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	DIR *d;
	struct dirent *e;

	if (fd < 0) {
		unlinkat(at, name, 0);
		return;
	}
	d = fdopendir(fd);
	while (d != NULL && (e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			remove_tree(fd, e->d_name);
	if (d != NULL)
		closedir(d);
	unlinkat(at, name, AT_REMOVEDIR);
}

/* The scratch directory and the descriptors every case holds. */
static int
make_env(const char *argv0)
{
	snprintf(env.dir, sizeof(env.dir), "/tmp/capmode.XXXXXX");
	if (mkdtemp(env.dir) == NULL)
		return -1;
	env.dirfd = open(env.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (env.dirfd < 0 || mkdirat(env.dirfd, "sub", 0755) < 0)
		return -1;
	env.filefd = openat(env.dirfd, "f", O_RDWR | O_CREAT | O_CLOEXEC,
	    0644);
	if (env.filefd < 0 || write(env.filefd, "capmode\n", 8) != 8)
		return -1;
	env.exefd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (env.exefd < 0)
		env.exefd = open(argv0, O_RDONLY | O_CLOEXEC);
	env.landlock_abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0,
	    1U);
	return env.exefd < 0 ? -1 : 0;
}

/* What a case execs in capability mode: still confined? */
static int
exec_child(void)
{
	errno = 0;
	if (!cap_sandboxed())
		return 1;
	if (open("/etc/passwd", O_RDONLY) >= 0 || errno != ECAPMODE)
		return 2;
	return 0;
}

/* The kinds the kernel cannot give: reported, never silently dropped. */
static const char *const unsupported[] = {
	"cap_rights_limit/cap_rights_get semantics # SKIP needs kernel "
	    "per-fd rights",
	"cap_ioctls_limit # SKIP needs kernel per-fd rights",
	"cap_fcntls_limit # SKIP needs kernel per-fd rights",
	"rights kept across dup and SCM_RIGHTS # SKIP needs kernel per-fd "
	    "rights",
	"pdfork/pdkill/pdwait4, close kills the child # SKIP needs kernel "
	    "process descriptors",
	"strict lookup beneath a dirfd (ENOTCAPABLE for absolute, .., "
	    "symlinks) # SKIP Landlock grants objects, not lookups",
	"fstatat/fchmodat/fchownat/faccessat/utimensat confined to held "
	    "dirs # SKIP no Landlock right for metadata",
	"kill(other pid) fails with ECAPMODE # SKIP Landlock refuses with "
	    "EPERM",
	"sendmsg with msg_name refused # SKIP seccomp cannot read it",
	NULL
};

int
main(int argc, char **argv)
{
	const struct cm_case *lists[] = { cases_sys, cases_fs, NULL };
	const struct cm_case *const *l, *c;
	const char *const *u;
	int failed = 0;

	if (argc > 1 && strcmp(argv[1], "--exec-child") == 0)
		return exec_child();
	env.thread = argc > 1 && strcmp(argv[1], "-t") == 0;
	if (make_env(argv[0]) < 0) {
		printf("Bail out! scratch directory: %s\n", strerror(errno));
		return 1;
	}
	for (l = lists; *l != NULL; l++)
		for (c = *l; c->name != NULL; c++) {
			bool ok = run_case(c);

			failed += !ok;
			tap(ok, c->name);
		}
	for (u = unsupported; *u != NULL; u++)
		printf("ok %d - %s\n", ++ntap, *u);
	remove_tree(AT_FDCWD, env.dir);
	printf("1..%d\n", ntap);
	return failed ? 1 : 0;
}
