/*
 * jexec.h: the parts of jexec(8).
 */
#ifndef JEXEC_H
#define JEXEC_H

#include <err.h>
#include "vjail.h"

/* Print "jexec: message" and exit 1. */
/* "PROG: message" on stderr and exit 1: err(3)'s errx. */
#define die(...)	errx(1, __VA_ARGS__)
/* Start the command in the jail, wait for it, and return the exit status
 * a shell would give it (128 + signal for a killed command). */
int	run(struct vj_ctx *, int jid, struct vj_spawn *);

#endif
