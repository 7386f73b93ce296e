/*
 * run.c: start the command in the jail and wait for it.
 *
 * On a terminal the command gets a terminal of its own (pty.c).  Where
 * none can be had, it gets a process group of its own and the caller's
 * terminal's foreground (an interactive shell needs both); jexec takes
 * the terminal back when it stops or ends, and hands it over again when
 * jexec is continued.  Signals sent to jexec by a process (kill, a
 * supervisor) are passed on to it.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jexec.h"

/* Signals passed on to the command when a process sends them to jexec. */
static const int forwarded[] = {
	SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGALRM,
};

static volatile sig_atomic_t child;
static volatile sig_atomic_t pending[NSIG];

/* Pass a signal on, unless the terminal sent it to both of us already. */
static void
forward(int sig, siginfo_t *info, void *uctx)
{
	int saved = errno;

	(void)uctx;
	if (info != NULL && info->si_code == SI_KERNEL)
		return;		/* from the terminal: the command has it */
	if (child > 0)
		kill(child, sig);
	else
		pending[sig] = 1;
	errno = saved;
}

/* Install the forwarding handlers. */
static void
catch_signals(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = forward;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaction(forwarded[i], &sa, NULL);
}

/* Deliver what arrived before the command's pid was known. */
static void
flush_pending(void)
{
	size_t i;
	int sig;

	for (i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++) {
		sig = forwarded[i];
		if (pending[sig]) {
			pending[sig] = 0;
			kill(child, sig);
		}
	}
}

/* The status a shell reports for a wait status. */
static int
shell_status(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return 1;
}

/* Give the terminal's foreground to process group pgrp. */
static void
give_terminal(pid_t pgrp)
{
	sigset_t ttou, old;

	if (!isatty(0))
		return;
	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU);
	sigprocmask(SIG_BLOCK, &ttou, &old);
	tcsetpgrp(0, pgrp);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* Wait for the command; follow it when ^Z stops it. */
static int
wait_command(pid_t pid)
{
	int st;

	for (;;) {
		if (waitpid(pid, &st, WUNTRACED) < 0) {
			if (errno == EINTR)
				continue;
			die("waitpid: %s", strerror(errno));
		}
		if (!WIFSTOPPED(st))
			return st;
		/* Stop with it, as a shell's job would, then resume it. */
		give_terminal(getpgrp());
		kill(getpid(), SIGSTOP);
		give_terminal(pid);
		kill(pid, SIGCONT);
	}
}

/* Start the command, wait for it, return its shell status. */
int
run(struct vj_ctx *ctx, int jid, struct vj_spawn *sp)
{
	struct vj_error err = { 0 };
	struct pty pty;
	int term = pty_terminal_fd();
	/* In the terminal's foreground only: a background job keeps to
	 * the terminal's rules (SIGTTIN, SIGTTOU). */
	int own_tty = term >= 0 && tcgetpgrp(term) == getpgrp() &&
	    pty_open(&pty, ctx, jid, sp) == 0;
	pid_t pid;
	int st;

	catch_signals();
	if (!own_tty) {
		sp->foreground = isatty(0) && tcgetpgrp(0) == getpgrp();
		/* With no descriptor on a terminal, nothing needs ours: a
		 * session of its own keeps the command (and what it leaves
		 * behind) from reaching it through /dev/tty after we
		 * return. */
		sp->setsid = !isatty(0) && !isatty(1) && !isatty(2);
	}
	if (vj_jail_spawn(ctx, jid, sp, &pid, &err) < 0)
		die("%s", err.ve_msg);
	child = pid;
	flush_pending();
	st = own_tty ? pty_relay(&pty, pid, &child) : wait_command(pid);
	child = 0;
	if (sp->foreground)
		give_terminal(getpgrp());
	/* A jail without persist ends with its last process: tell its init
	 * that one has gone. */
	vj_jail_nudge(ctx, jid, NULL);
	return shell_status(st);
}
