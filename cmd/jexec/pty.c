/*
 * pty.c: an interactive command gets a terminal of its own.
 *
 * FreeBSD's jexec runs the command on the caller's terminal.  Whatever
 * the jail leaves behind would then keep that terminal, make itself its
 * foreground process group and read what the admin types after jexec
 * returns.  So when fd 0 is a terminal the command gets a new
 * pseudo-terminal as its session's controlling terminal (on each of
 * 0, 1, 2 that was a terminal), and jexec, in the terminal's foreground,
 * relays between the two with its own terminal in raw mode.  Window size changes are passed on; ^Z
 * reaches the command through the pty, and when the command stops,
 * jexec stops too and resumes it on fg.  When the command ends its
 * output is drained and the master closed: whatever stayed on the pty
 * is hung up, and never sees the caller's terminal.
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

/* The terminal the relay writes to: the first of 1, 2, 0 that is one. */
static int
output_fd(void)
{
	return isatty(1) ? 1 : isatty(2) ? 2 : 0;
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

/* Open a pty with the caller's modes and size, and point sp at it. */
int
pty_open(struct pty *p, struct vj_ctx *ctx, int jid, struct vj_spawn *sp)
{
	struct winsize ws;

	p->slave = -1;
	p->master = open_master(ctx, jid);
	if (p->master < 0 || (p->slave = ioctl(p->master, TIOCGPTPEER,
	    O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0 ||
	    tcgetattr(0, &p->saved) < 0) {
		warn("no terminal of its own for the command, it shares "
		    "this one");
		if (p->slave >= 0)
			close(p->slave);
		if (p->master >= 0)
			close(p->master);
		return -1;
	}
	tcsetattr(p->slave, TCSANOW, &p->saved);
	if (ioctl(0, TIOCGWINSZ, &ws) == 0)
		ioctl(p->slave, TIOCSWINSZ, &ws);
	sp->fd_in = p->slave;
	sp->fd_out = isatty(1) ? p->slave : -1;
	sp->fd_err = isatty(2) ? p->slave : -1;
	sp->setsid = 1;
	sp->ctty = 1;
	sp->foreground = 0;
	return 0;
}

/* Our terminal raw (on), or as it was; even if a shell has put us in
 * the background meanwhile (SIGTTOU would stop us). */
static void
set_raw(const struct pty *p, int on)
{
	struct termios t = p->saved;
	sigset_t ttou, old;

	if (on)
		cfmakeraw(&t);
	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU);
	sigprocmask(SIG_BLOCK, &ttou, &old);
	tcsetattr(0, TCSADRAIN, on ? &t : &p->saved);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* Copy what is readable on from to fd to; 0 at EOF or on an error. */
static int
pump(int from, int to)
{
	char buf[4096];
	ssize_t n = read(from, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 1;
	if (n <= 0)
		return 0;
	return write_all(to, buf, (size_t)n) == 0;
}

/* The command stopped: stop with it, as a shell's job would, and on
 * our resumption give it back the terminal and resume it. */
static void
follow_stop(const struct pty *p, pid_t pid)
{
	set_raw(p, 0);
	kill(getpid(), SIGSTOP);
	set_raw(p, 1);
	kill(pid, SIGCONT);
}

/* A SIGCHLD or SIGWINCH came: 1 with *st once the command has ended. */
static int
on_signal(const struct pty *p, int sigfd, pid_t pid, int *st)
{
	struct signalfd_siginfo si;
	struct winsize ws;

	if (read(sigfd, &si, sizeof(si)) != sizeof(si))
		return 0;
	if (si.ssi_signo == SIGWINCH) {
		if (ioctl(0, TIOCGWINSZ, &ws) == 0)
			ioctl(p->master, TIOCSWINSZ, &ws);
		return 0;
	}
	while (waitpid(pid, st, WNOHANG | WUNTRACED) == pid)
		if (WIFSTOPPED(*st))
			follow_stop(p, pid);
		else
			return 1;
	return 0;
}

/* What the command wrote before it ended, without waiting for more. */
static void
drain(int master, int out)
{
	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
	while (pump(master, out) == 1) {
		struct pollfd pf = { .fd = master, .events = POLLIN };

		if (poll(&pf, 1, 0) <= 0)
			break;
	}
}

/* Relay until the command ends; returns its wait status. */
int
pty_relay(struct pty *p, pid_t pid)
{
	struct pollfd pf[3];
	sigset_t set, old;
	int out = output_fd(), in_open = 1, st = 0, ended = 0;

	close(p->slave);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGWINCH);
	sigprocmask(SIG_BLOCK, &set, &old);
	pf[0].fd = signalfd(-1, &set, SFD_CLOEXEC);
	if (pf[0].fd < 0)
		die("signalfd: %s", strerror(errno));
	pf[1].fd = p->master;
	set_raw(p, 1);
	/* It may have ended before SIGCHLD was blocked. */
	ended = waitpid(pid, &st, WNOHANG) == pid && !WIFSTOPPED(st);
	while (!ended) {
		pf[0].events = pf[1].events = POLLIN;
		pf[2].fd = in_open ? 0 : -1;
		pf[2].events = POLLIN;
		if (poll(pf, 3, -1) < 0 && errno != EINTR)
			break;
		if (pf[0].revents & POLLIN)
			ended = on_signal(p, pf[0].fd, pid, &st);
		if ((pf[1].revents & (POLLIN | POLLHUP)) &&
		    !pump(p->master, out))
			pf[1].fd = -1;	/* no one on the pty now */
		if ((pf[2].revents & (POLLIN | POLLHUP)) && !pump(0, p->master))
			in_open = 0;
	}
	drain(p->master, out);
	close(p->master);	/* hangs up what the command left behind */
	set_raw(p, 0);
	close(pf[0].fd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return st;
}
