/*
 * command.c: running exec.* commands, on the host or inside the jail, as
 * jail(8) does: a string with shell characters goes to /bin/sh -c, any
 * other is split on blanks and exec'd; exec.timeout bounds each one.
 */
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jail.h"

#define SHELL_CHARS	"!\"$&'()*;<>?[\\]`{|}~"

/* Does a command need the shell? */
static bool
needs_shell(const char *s)
{
	return strpbrk(s, SHELL_CHARS) != NULL;
}

/* Split a command on blanks into a NULL-terminated argv (one allocation). */
static char **
split_words(const char *s)
{
	size_t n = 2, len = strlen(s) + 1, i = 0;
	char **argv, *buf, *tok, *save = NULL;

	for (const char *p = s; *p; p++)
		n += (*p == ' ' || *p == '\t');
	argv = malloc(n * sizeof(char *) + len);
	if (argv == NULL)
		return NULL;
	buf = (char *)(argv + n);
	memcpy(buf, s, len);
	for (tok = strtok_r(buf, " \t\n", &save); tok;
	    tok = strtok_r(NULL, " \t\n", &save))
		argv[i++] = tok;
	argv[i] = NULL;
	return argv;
}

/* argv for one configured command string. */
static char **
command_argv(const char *s)
{
	char **argv;

	if (!needs_shell(s))
		return split_words(s);
	argv = malloc(4 * sizeof(char *));
	if (argv == NULL)
		return NULL;
	argv[0] = "/bin/sh";
	argv[1] = "-c";
	argv[2] = (char *)(uintptr_t)s;
	argv[3] = NULL;
	return argv;
}

/* Put JID, JNAME and JPATH in the environment of commands. */
static void
set_jail_env(const struct cjail *j)
{
	char num[32];
	const char *path = cparam(j, "path");

	snprintf(num, sizeof(num), "%d", j->jid);
	setenv("JID", num, 1);
	setenv("JNAME", jail_label(j), 1);
	setenv("JPATH", path ? path : "", 1);
}

/* Milliseconds left before the exec.timeout deadline (-1: none). */
static int
ms_left(const struct timespec *deadline)
{
	struct timespec now;
	long ms;

	if (deadline->tv_sec == 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (deadline->tv_sec - now.tv_sec) * 1000 +
	    (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms > 0 ? (int)ms : 0;
}

/* Wait for a command; report failure, a signal or a timeout. */
static int
finish(struct cjail *j, pid_t pid, const char *what)
{
	long tmo = 0;
	struct timespec deadline = { 0, 0 };
	struct pollfd pfd;
	int status, fd;

	if (cparam(j, "exec.timeout") != NULL)
		tmo = atol(cparam(j, "exec.timeout"));
	if (tmo > 0) {
		clock_gettime(CLOCK_MONOTONIC, &deadline);
		deadline.tv_sec += tmo;
	}
	fd = (int)syscall(SYS_pidfd_open, pid, 0);
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (fd >= 0 && poll(&pfd, 1, ms_left(&deadline)) == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		close(fd);
		jail_warnx(j, "%s: timed out", what);
		return -1;
	}
	if (fd >= 0)
		close(fd);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status)) {
		jail_warnx(j, "%s: exited on signal %d", what, WTERMSIG(status));
		return -1;
	}
	if (WEXITSTATUS(status) != 0) {
		jail_warnx(j, "%s: failed", what);
		return -1;
	}
	return 0;
}

/* Become exec.system_user in a host command's child. */
static void
become_host_user(const char *user)
{
	struct passwd *pw = getpwnam(user);

	if (pw == NULL) {
		fprintf(stderr, "jail: %s: no such user\n", user);
		_exit(1);
	}
	if (initgroups(pw->pw_name, pw->pw_gid) < 0 ||
	    setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0) {
		perror("jail: exec.system_user");
		_exit(1);
	}
}

/* Run one command on the host and wait for it. */
static int
run_host(struct cjail *j, const char *cmd)
{
	char **argv = command_argv(cmd);
	const char *user = cparam(j, "exec.system_user");
	pid_t pid;
	int rc;

	if (argv == NULL || argv[0] == NULL) {
		free(argv);
		return 0;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		set_jail_env(j);
		if (user != NULL)
			become_host_user(user);
		execvp(argv[0], argv);
		fprintf(stderr, "jail: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	free(argv);
	if (pid < 0) {
		jail_warnx(j, "fork: %s", strerror(errno));
		return -1;
	}
	rc = finish(j, pid, cmd);
	return rc;
}

/* Build the environment of a command run in the jail. */
static char **
jail_envp(const struct cjail *j)
{
	static char *clean[2] = { NULL, NULL };

	if (cparam_bool(j, "exec.clean"))
		return clean;	/* vj_jail_spawn's login mode fills it */
	set_jail_env(j);
	return NULL;
}

/* Run an argv inside the jail, with exec.* settings, and wait. */
int
run_argv_in_jail(struct cjail *j, char *const argv[])
{
	struct vj_spawn sp = { .fd_in = -1, .fd_out = -1, .fd_err = -1 };
	const char *log = cparam(j, "exec.consolelog");
	struct vj_error err;
	int fd = -1, rc;
	pid_t pid;

	sp.argv = argv;
	sp.login = cparam_bool(j, "exec.clean");
	sp.envp = sp.login ? NULL : jail_envp(j);
	sp.user = cparam(j, "exec.jail_user");
	sp.user_in_jail = !cparam_bool(j, "exec.system_jail_user");
	if (log != NULL) {
		fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (fd < 0) {
			jail_warnx(j, "%s: %s", log, strerror(errno));
			return -1;
		}
		sp.fd_out = sp.fd_err = fd;
	}
	fflush(NULL);
	rc = vj_jail_spawn(ctx, j->jid, &sp, &pid, &err);
	if (fd >= 0)
		close(fd);
	if (rc < 0) {
		jail_warnx(j, "%s", err.ve_msg);
		return -1;
	}
	return finish(j, pid, argv[0]);
}

/* Run every value of an exec.* parameter, in order. */
int
run_commands(struct cjail *j, const char *param, bool in_jail)
{
	const struct vj_param *p = vj_params_find(&j->params, param);
	char **argv;
	size_t k;
	int rc;

	for (k = 0; p != NULL && k < p->nvals; k++) {
		if (p->vals[k][0] == '\0')
			continue;
		if (opt.verbose > 0)
			jail_note(j, "run command%s: %s", in_jail ?
			    " in jail" : "", p->vals[k]);
		if (!in_jail) {
			rc = run_host(j, p->vals[k]);
		} else {
			argv = command_argv(p->vals[k]);
			rc = argv ? run_argv_in_jail(j, argv) : -1;
			free(argv);
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}
