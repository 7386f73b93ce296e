/*
 * jexec.h: the parts of jexec(8).
 */
#ifndef JEXEC_H
#define JEXEC_H

#include <err.h>
#include <signal.h>
#include <sys/types.h>
#include <termios.h>
#include "vjail.h"

/* Print "jexec: message" and exit 1. */
/* "PROG: message" on stderr and exit 1: err(3)'s errx. */
#define die(...)	errx(1, __VA_ARGS__)
/* Start the command in the jail, wait for it, and return the exit status
 * a shell would give it (128 + signal for a killed command). */
int	run(struct vj_ctx *, int jid, struct vj_spawn *);

/* The command's own terminal (pty.c). */
struct pty {
	int		master, slave;
	int		term;		/* the caller's terminal: fd 0, 1 or 2 */
	int		input;		/* it is fd 0: its input is relayed */
	struct termios	saved;		/* its modes, as they were */
};
/* The first of fds 0, 1, 2 that is a terminal, or -1. */
int	pty_terminal_fd(void);
/* Open a pty (the jail's own if it can) like the caller's terminal and
 * point sp at it; -1 (warned) if there is none: the command then shares
 * the caller's. */
int	pty_open(struct pty *, struct vj_ctx *, int jid, struct vj_spawn *);
/* Relay between the caller's terminal and the pty until the command
 * ends (*child cleared once it is reaped); close the pty; return the
 * command's wait status. */
int	pty_relay(struct pty *, pid_t, volatile sig_atomic_t *child);

#endif
