/*
 * jexec.h: the parts of jexec(8).
 */
#ifndef JEXEC_H
#define JEXEC_H

#include "vjail.h"

/* Print "jexec: message" and exit 1. */
void	die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* Start the command in the jail, wait for it, and return the exit status
 * a shell would give it (128 + signal for a killed command). */
int	run(struct vj_ctx *, int jid, struct vj_spawn *);

#endif
