/* init.c: clone a jail's init and run its reaper loop. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "init.h"
#include "proc.h"
#include "subsys.h"
#include "util.h"

/* The message the init sends back after its setup. */
struct init_result {
	int	errnum;		/* 0: ready */
	char	msg[VJ_ERRMSG_MAX];
};

/* A detached procfs of the init's own pid namespace, to count processes. */
static int
open_own_proc(void)
{
	int fs, mnt, dir;

	fs = (int)syscall(SYS_fsopen, "proc", FSOPEN_CLOEXEC);
	if (fs < 0)
		return -1;
	if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
		close(fs);
		return -1;
	}
	mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, 0);
	close(fs);
	if (mnt < 0)
		return -1;
	/* fsmount gives a path-only descriptor; getdents needs a real one. */
	dir = openat(mnt, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(mnt);
	return dir;
}

/* Are there processes in the namespace besides the init itself? */
static bool
others_alive(int procfd)
{
	char buf[4096];
	long n, off;
	struct dirent64 {
		uint64_t d_ino;
		int64_t d_off;
		unsigned short d_reclen;
		unsigned char d_type;
		char d_name[];
	} *de;

	if (procfd < 0 || lseek(procfd, 0, SEEK_SET) < 0)
		return true;
	while ((n = syscall(SYS_getdents64, procfd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; off += de->d_reclen) {
			de = (struct dirent64 *)(buf + off);
			if (de->d_name[0] >= '1' && de->d_name[0] <= '9' &&
			    strcmp(de->d_name, "1") != 0)
				return true;
		}
	}
	return n < 0;
}

/* A do-nothing handler: an init's signals with SIG_DFL are dropped. */
static void
noop(int sig)
{
	(void)sig;
}

/* Block and catch the signals the init serves, through a signalfd. */
static int
init_signals(void)
{
	struct sigaction sa = { .sa_handler = noop };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGRTMIN);
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGRTMIN, &sa, NULL);
	sigprocmask(SIG_BLOCK, &set, NULL);
	return signalfd(-1, &set, SFD_CLOEXEC);
}

/* Serve one signal; returns false when the init should leave. */
static bool
serve(const struct signalfd_siginfo *si, bool *persist, int procfd)
{
	if (si->ssi_signo == SIGCHLD)
		while (waitpid(-1, NULL, WNOHANG | __WALL) > 0)
			;
	/* Control comes only from outside: there the sender's pid is 0. */
	if (si->ssi_signo == (uint32_t)SIGRTMIN && si->ssi_pid == 0 &&
	    si->ssi_int != VJ_INIT_CHECK)
		*persist = si->ssi_int == VJ_INIT_PERSIST;
	return *persist || others_alive(procfd);
}

/* The init's loop: reap, and leave when empty unless persistent. */
static void __attribute__((noreturn))
init_loop(bool persist, int procfd)
{
	struct signalfd_siginfo si;
	struct pollfd pfd;
	int sfd = init_signals();

	pfd.fd = sfd;
	pfd.events = POLLIN;
	prctl(PR_SET_NAME, "vjail-init");
	for (;;) {
		/* Without persist, poll now and then too: a process that
		 * jexec started ends without telling us. */
		if (poll(&pfd, 1, persist ? -1 : 2000) == 0) {
			if (!others_alive(procfd))
				_exit(0);
			continue;
		}
		if (read(sfd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (!serve(&si, &persist, procfd))
			_exit(0);
	}
}

/* Point fds 0-2 at /dev/null and close everything else but keep. */
static void
init_fds(int devnull, int keep1, int keep2)
{
	int fd;

	dup2(devnull, 0);
	dup2(devnull, 1);
	dup2(devnull, 2);
	for (fd = 3; fd < 1024; fd++)
		if (fd != keep1 && fd != keep2)
			close(fd);
}

/* The child side: wait for the go, set up, report, then serve. */
static void __attribute__((noreturn))
init_child(struct vj_jail *j, int sync)
{
	struct init_result res = { 0 };
	struct vj_error err = { 0 };
	int devnull, procfd;
	char go;

	if (read(sync, &go, 1) != 1)
		_exit(1);	/* the creator died: nothing to serve */
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	procfd = open_own_proc();
	if (vj_subsys_setup(j, VJ_PH_CHILD, &err) < 0) {
		res.errnum = err.ve_errno ? err.ve_errno : EIO;
		memcpy(res.msg, err.ve_msg, sizeof(res.msg));
	}
	if (write(sync, &res, sizeof(res)) != sizeof(res) || res.errnum != 0)
		_exit(1);
	close(sync);
	prctl(PR_SET_DUMPABLE, 0);	/* nobody in the jail may trace it */
	init_fds(devnull, procfd, -1);
	close(devnull);
	init_loop(vj_jail_bool(j, "persist"), procfd);
}

/* Clone the init into new namespaces; it waits on *syncfd. */
int
vj_init_clone(struct vj_jail *j, int *syncfd, struct vj_error *err)
{
	struct clone_args ca;
	int sp[2], pidfd = -1;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		return vj_err_sys(err, "socketpair");
	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_PIDFD | j->clone_flags;
	ca.pidfd = (uint64_t)(uintptr_t)&pidfd;
	ca.exit_signal = 0;
	pid = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid < 0) {
		close(sp[0]);
		close(sp[1]);
		return vj_err_sys(err, "clone");
	}
	if (pid == 0) {
		close(sp[0]);
		init_child(j, sp[1]);
	}
	close(sp[1]);
	j->init_pid = pid;
	j->pidfd = pidfd;
	j->init_start = vj_proc_start(pid);
	j->init_ns = j->ctx->self_pidns;
	*syncfd = sp[0];
	return 0;
}

/* Let the init set itself up and read its verdict. */
int
vj_init_release(struct vj_jail *j, int syncfd, struct vj_error *err)
{
	struct init_result res;
	ssize_t n;

	(void)j;
	if (write(syncfd, "g", 1) != 1)
		return vj_err_sys(err, "init");
	do
		n = read(syncfd, &res, sizeof(res));
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(res))
		return vj_err_set(err, EIO, "init: died during setup");
	if (res.errnum != 0)
		return vj_err_set(err, res.errnum, "%s", res.msg);
	return 0;
}

/* Send a control value to a running init. */
int
vj_init_control(struct vj_jail *j, int value, struct vj_error *err)
{
	union sigval sv = { .sival_int = value };

	if (j->init_pid <= 0 || !vj_proc_alive(j->init_pid, j->init_start))
		return vj_err_set(err, ESRCH, "jail %d: init is gone", j->jid);
	if (sigqueue(j->init_pid, SIGRTMIN, sv) < 0)
		return vj_err_sys(err, "jail %d: signal init", j->jid);
	return 0;
}
