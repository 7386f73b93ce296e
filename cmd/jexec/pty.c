/*
 * pty.c: a command on a terminal gets a terminal of its own.
 *
 * FreeBSD's jexec runs the command on the caller's terminal.  Whatever
 * the jail leaves behind would then keep that terminal, make itself its
 * foreground process group, read what the admin types after jexec
 * returns and write on the admin's screen.  So when any of fds 0, 1, 2
 * is a terminal whose foreground jexec is in, the command gets a new
 * pseudo-terminal as its session's controlling terminal, on each of
 * those fds that was a terminal, with the caller's modes and window
 * size, and jexec relays between the two: the caller's input (in raw
 * mode) when fd 0 is the terminal, the command's output always.  ^C, ^\
 * and ^Z reach the command through the pty.  When the command ends, what
 * it wrote is drained (a bounded amount: something left behind may keep
 * writing) and the master closed, which hangs up whatever stayed on the
 * pty: it never sees the caller's terminal.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "jexec.h"

/* At most this much of the command's output is drained after it ends. */
#define DRAIN_MAX	(64 * 1024)

/* The first of fds 0, 1, 2 that is a terminal, or -1. */
int
pty_terminal_fd(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++)
		if (isatty(fd))
			return fd;
	return -1;
}

/* Write all of buf to fd; -1 on an error. */
static int
write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A new pty: the jail's own, else the host's (the command's terminal
 * then has no name in the jail); the master, -1 if neither. */
static int
open_master(struct vj_ctx *ctx, int jid)
{
	struct vj_error err = { 0 };
	int m = vj_jail_openpt(ctx, jid, &err);

	if (m >= 0)
		return m;
	m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m >= 0 && unlockpt(m) < 0) {
		close(m);
		m = -1;
	}
	return m;
}

/* Open a pty like the caller's terminal p->term; point sp at it. */
int
pty_open(struct pty *p, struct vj_ctx *ctx, int jid, struct vj_spawn *sp)
{
	struct winsize ws;

	p->term = pty_terminal_fd();
	p->input = p->term == 0;
	p->slave = -1;
	p->master = open_master(ctx, jid);
	if (p->master < 0 || (p->slave = ioctl(p->master, TIOCGPTPEER,
	    O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0 ||
	    tcgetattr(p->term, &p->saved) < 0) {
		warn("no terminal of its own for the command, it shares "
		    "this one");
		if (p->slave >= 0)
			close(p->slave);
		if (p->master >= 0)
			close(p->master);
		return -1;
	}
	tcsetattr(p->slave, TCSANOW, &p->saved);
	if (ioctl(p->term, TIOCGWINSZ, &ws) == 0)
		ioctl(p->slave, TIOCSWINSZ, &ws);
	sp->fd_in = isatty(0) ? p->slave : -1;
	sp->fd_out = isatty(1) ? p->slave : -1;
	sp->fd_err = isatty(2) ? p->slave : -1;
	sp->setsid = 1;
	sp->ctty = 1;
	sp->foreground = 0;
	return 0;
}

/* The caller's terminal raw (on) while we relay its input in its
 * foreground, or as it was; SIGTTOU held, as a shell may have put us in
 * the background meanwhile. */
static void
set_raw(const struct pty *p, int on)
{
	struct termios t = p->saved;
	sigset_t ttou, old;

	if (!p->input || (on && tcgetpgrp(p->term) != getpgrp()))
		return;
	if (on)
		cfmakeraw(&t);
	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU);
	sigprocmask(SIG_BLOCK, &ttou, &old);
	tcsetattr(p->term, TCSADRAIN, on ? &t : &p->saved);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* Copy what is readable on from to fd to: the bytes copied, -1 if none
 * were ready, 0 at EOF or on an error. */
static ssize_t
pump(int from, int to)
{
	char buf[4096];
	ssize_t n = read(from, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return -1;
	if (n <= 0 || write_all(to, buf, (size_t)n) < 0)
		return 0;
	return n;
}

/* The command stopped (a signal from outside: ^Z goes to its own
 * terminal): stop with it, as a shell's job would, and on our
 * resumption resume it. */
static void
follow_stop(const struct pty *p, pid_t pid)
{
	set_raw(p, 0);
	kill(getpid(), SIGSTOP);
	set_raw(p, 1);
	kill(pid, SIGCONT);
}

/* A signal came: 1 with *st once the command has ended. */
static int
on_signal(const struct pty *p, int sigfd, pid_t pid, int *st)
{
	struct signalfd_siginfo si;
	struct winsize ws;

	if (read(sigfd, &si, sizeof(si)) != sizeof(si))
		return 0;
	if (si.ssi_signo == SIGWINCH) {
		if (ioctl(p->term, TIOCGWINSZ, &ws) == 0)
			ioctl(p->master, TIOCSWINSZ, &ws);
		return 0;
	}
	if (si.ssi_signo == SIGCONT) {	/* fg after a stop from outside */
		set_raw(p, 1);
		return 0;
	}
	while (waitpid(pid, st, WNOHANG | WUNTRACED) == pid)
		if (WIFSTOPPED(*st))
			follow_stop(p, pid);
		else
			return 1;
	return 0;
}

/* What the command wrote before it ended: what is ready, up to
 * DRAIN_MAX bytes. */
static void
drain(int master, int out)
{
	struct pollfd pf = { .fd = master, .events = POLLIN };
	size_t total = 0;
	ssize_t n;

	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
	while (total < DRAIN_MAX && poll(&pf, 1, 0) > 0 &&
	    (pf.revents & POLLIN) && (n = pump(master, out)) > 0)
		total += (size_t)n;
}

/* The signals the relay takes through a descriptor. */
static int
relay_signals(sigset_t *old)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGWINCH);
	sigaddset(&set, SIGCONT);
	sigprocmask(SIG_BLOCK, &set, old);
	if ((fd = signalfd(-1, &set, SFD_CLOEXEC)) < 0)
		die("signalfd: %s", strerror(errno));
	return fd;
}

/* Relay until the command ends; returns its wait status.  *child is
 * cleared as soon as it is reaped: no signal goes to a reused pid. */
int
pty_relay(struct pty *p, pid_t pid, volatile sig_atomic_t *child)
{
	struct pollfd pf[3];
	sigset_t old;
	int out = isatty(1) ? 1 : p->term, in_open = p->input, st = 0;
	int ended;

	close(p->slave);
	pf[0].fd = relay_signals(&old);
	pf[1].fd = p->master;
	set_raw(p, 1);
	/* It may have ended before SIGCHLD was held. */
	ended = waitpid(pid, &st, WNOHANG) == pid && !WIFSTOPPED(st);
	while (!ended) {
		pf[0].events = pf[1].events = pf[2].events = POLLIN;
		pf[2].fd = in_open ? 0 : -1;
		if (poll(pf, 3, -1) < 0 && errno != EINTR)
			break;	/* hang it up below, then wait for it */
		if (pf[0].revents & POLLIN)
			ended = on_signal(p, pf[0].fd, pid, &st);
		if ((pf[1].revents & (POLLIN | POLLHUP)) &&
		    !pump(p->master, out))
			pf[1].fd = -1;	/* no one on the pty now */
		if ((pf[2].revents & (POLLIN | POLLHUP)) && !pump(0, p->master))
			in_open = 0;
	}
	if (ended)
		*child = 0;
	drain(p->master, out);
	close(p->master);	/* hangs up what the command left behind */
	set_raw(p, 0);
	if (!ended && waitpid(pid, &st, 0) == pid)
		*child = 0;
	close(pf[0].fd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return st;
}
