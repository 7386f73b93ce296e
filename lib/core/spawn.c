/*
 * spawn.c: start a process inside a jail (exec.start, command, jexec) and
 * attach the caller to one (jail_attach).  The child joins every
 * namespace of the init at once with setns(pidfd), lets the host side
 * place it (cgroups), then each subsystem restricts it (VJ_PH_ENTER).
 * A parent jail, which may not trace its child's init, enters through
 * the handles it holds on its children (nshandle.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "filter.h"
#include "lifecycle.h"
#include "nshandle.h"
#include "proc.h"
#include "subsys.h"
#include "user.h"
#include "util.h"

#define ALL_NS	(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | \
		 CLONE_NEWNET | CLONE_NEWCGROUP)

/* Load a running jail and open its init's pidfd. */
static struct vj_jail *
running(struct vj_ctx *ctx, int jid, struct vj_error *err)
{
	struct vj_jail *j = vj_jail_load(ctx, jid, err);

	if (j == NULL)
		return NULL;
	if (!vj_jail_alive(j) || vj_jail_pidfd(j, err) < 0) {
		vj_err_set(err, ENOENT, "jail %d is not running", jid);
		vj_jail_free(j);
		return NULL;
	}
	return j;
}

/* Join the jail's namespaces other than pid (which the parent joined). */
static int
join(struct vj_jail *j, struct vj_error *err)
{
	/* Joining the user namespace we are already in is refused. */
	unsigned long flags = ALL_NS;

	if (!(vj_subsys_clone_flags(j) & CLONE_NEWUSER))
		flags &= ~(unsigned long)CLONE_NEWUSER;
	if (setns(j->pidfd, (int)flags) == 0)
		return 0;
	if (errno == EPERM && j->ctx->self_jid > 0)	/* a parent jail */
		return vj_nshandle_join(j, flags, err);
	return vj_err_sys(err, "setns into jail %d", j->jid);
}

/* Set pid_for_children to the jail's pid namespace. */
static int
join_pid(struct vj_jail *j, struct vj_error *err)
{
	if (setns(j->pidfd, CLONE_NEWPID) == 0)
		return 0;
	if (errno == EPERM && j->ctx->self_jid > 0)	/* a parent jail */
		return vj_nshandle_join(j, CLONE_NEWPID, err);
	return vj_err_sys(err, "setns into jail %d", j->jid);
}

/* Point the standard descriptors where the spec says. */
static int
wire_fds(const struct vj_spawn *sp)
{
	if (sp->fd_in >= 0 && dup2(sp->fd_in, 0) < 0)
		return -1;
	if (sp->fd_out >= 0 && dup2(sp->fd_out, 1) < 0)
		return -1;
	if (sp->fd_err >= 0 && dup2(sp->fd_err, 2) < 0)
		return -1;
	return 0;
}

/* The first of fds 0, 1, 2 that is a terminal (or 0, which fails). */
static int
first_tty(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++)
		if (isatty(fd))
			return fd;
	return 0;
}

/* Become a process group of our own and the terminal's foreground one. */
static void
take_terminal(void)
{
	sigset_t ttou, old;

	setpgid(0, 0);
	if (!isatty(0))
		return;
	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU);
	sigprocmask(SIG_BLOCK, &ttou, &old);
	tcsetpgrp(0, getpgrp());
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* The descriptors between the parent and the child of a spawn. */
struct link {
	int	go[2];		/* the parent placed the child: go on */
	int	report[2];	/* the child's error, or EOF once it exec'd */
	int	image;		/* where the child saves a compiled filter */
};

/* In the child: enter, restrict, become the user, exec. */
static void __attribute__((noreturn))
spawn_child(struct vj_jail *j, const struct vj_spawn *sp,
    const struct vj_user *hostuser, const struct link *l)
{
	int go = l->go[0], report = l->report[1];
	struct vj_error err = { 0 };
	struct vj_user u;
	char c, cwd[4096];

	/* security: nobody in the jail may trace or read us while we still
	 * hold the host's privileges (CVE-2016-9962); exec resets it. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (join(j, &err) < 0)
		goto fail;
	if (read(go, &c, 1) != 1)	/* host side placed us (cgroups) */
		_exit(127);
	vj_filter_save_to(l->image);
	if (vj_subsys_setup(j, VJ_PH_ENTER, &err) < 0)
		goto fail;
	if (sp->user != NULL && !sp->user_in_jail)
		u = *hostuser;
	else if (vj_user_lookup(sp->user, &u, &err) < 0)
		goto fail;
	if (vj_user_become(&u, sp, &err) < 0)
		goto fail;
	/* security: a cwd reached through a descriptor from outside is not
	 * under the jail's root: getcwd() says so (CVE-2024-21626). */
	if (getcwd(cwd, sizeof(cwd)) == NULL) {
		vj_err_sys(&err, "working directory outside the jail");
		goto fail;
	}
	if (wire_fds(sp) < 0) {
		vj_err_sys(&err, "dup2");
		goto fail;
	}
	if (sp->setsid && (setsid() < 0 ||
	    (sp->ctty && ioctl(first_tty(), TIOCSCTTY, 0) < 0))) {
		vj_err_sys(&err, "a session with its terminal");
		goto fail;
	} else if (!sp->setsid && sp->foreground)
		take_terminal();
	syscall(SYS_close_range, 3, ~0U, 0x4 /* CLOSE_RANGE_CLOEXEC */);
	fcntl(report, F_SETFD, FD_CLOEXEC);
	if (sp->envp != NULL)
		execvpe(sp->argv[0], sp->argv, sp->envp);
	else
		execvp(sp->argv[0], sp->argv);
	vj_err_sys(&err, "%s", sp->argv[0]);
fail:
	if (write(report, &err, sizeof(err)) < 0)
		_exit(127);
	_exit(126);
}

/* Fork with pid_for_children set to the jail's pid namespace. */
static pid_t
fork_into(struct vj_jail *j, struct vj_error *err)
{
	vj_autoclose int own = open("/proc/self/ns/pid_for_children",
	    O_RDONLY | O_CLOEXEC);
	pid_t pid;

	if (own < 0)
		return vj_err_sys(err, "open own pid namespace");
	if (join_pid(j, err) < 0)
		return -1;
	pid = fork();
	if (pid != 0 && setns(own, CLONE_NEWPID) < 0)
		abort();	/* cannot happen: it is our own namespace */
	if (pid < 0)
		return vj_err_sys(err, "fork");
	return pid;
}

/* The parent side once the child exists: place it, release it, and
 * learn whether its exec worked. */
static int
spawn_parent(struct vj_jail *j, pid_t pid, int go, int report,
    struct vj_error *err)
{
	struct vj_error cerr;
	ssize_t n;

	j->spawn_pid = pid;
	if (vj_subsys_setup(j, VJ_PH_ENTER_HOST, err) < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	if (write(go, "g", 1) != 1)
		return vj_err_sys(err, "spawn");
	do
		n = read(report, &cerr, sizeof(cerr));
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(cerr)) {
		waitpid(pid, NULL, 0);
		*err = cerr;
		return -1;
	}
	return 0;
}

/* Close what a spawn opened. */
static void
link_close(struct link *l)
{
	close(l->go[0]);
	close(l->go[1]);
	close(l->report[0]);
	close(l->report[1]);
	close(l->image);
}

/* Start a process in the jail. */
int
vj_jail_spawn(struct vj_ctx *ctx, int jid, const struct vj_spawn *sp,
    pid_t *pidp, struct vj_error *err)
{
	struct vj_jail *j;
	struct link l = { { -1, -1 }, { -1, -1 }, -1 };
	struct vj_user hostuser;
	int rc = -1;
	pid_t pid;

	vj_jail_create_flush(ctx);	/* it may be one of them */
	if ((j = running(ctx, jid, err)) == NULL)
		return -1;
	if (sp->user != NULL && !sp->user_in_jail &&
	    vj_user_lookup(sp->user, &hostuser, err) < 0)
		goto out;
	if (pipe2(l.go, O_CLOEXEC) < 0 || pipe2(l.report, O_CLOEXEC) < 0) {
		vj_err_sys(err, "pipe");
		goto out;
	}
	l.image = vj_filter_cache_prepare(j);
	pid = fork_into(j, err);
	if (pid < 0)
		goto out;
	if (pid == 0)
		spawn_child(j, sp, &hostuser, &l);
	close(l.report[1]);
	l.report[1] = -1;
	rc = spawn_parent(j, pid, l.go[1], l.report[0], err);
	if (rc == 0) {
		*pidp = pid;
		vj_filter_cache_keep(j, l.image);
	}
out:
	link_close(&l);
	vj_jail_free(j);
	return rc;
}

/* Move the caller into the jail, as jail_attach(2). */
int
vj_jail_attach(struct vj_ctx *ctx, int jid, struct vj_error *err)
{
	struct vj_jail *j;
	int rc = -1;

	/* Joining a mount namespace needs a single-threaded caller: end
	 * the threads that lent TLS to inits (donor.c). */
	vj_creating_free(ctx);
	if ((j = running(ctx, jid, err)) == NULL)
		return -1;
	j->spawn_pid = getpid();
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);	/* security: as in spawn_child */
	if (vj_subsys_setup(j, VJ_PH_ENTER_HOST, err) < 0 ||
	    join(j, err) < 0 || join_pid(j, err) < 0 ||
	    vj_subsys_setup(j, VJ_PH_ENTER, err) < 0)
		goto out;
	rc = 0;
out:
	vj_jail_free(j);
	return rc;
}
