/*
 * compat.h: private helpers of the libjail(3) compatibility layer.
 *
 * The layer keeps one native context per thread and turns every native
 * error into jail_errmsg + errno, as FreeBSD's libjail does.
 */
#ifndef VJ_COMPAT_H
#define VJ_COMPAT_H

#include "jail.h"
#include "vjail.h"

/* FreeBSD's sysctl type mask and access flags, kept in jp_ctltype. */
#ifndef CTLTYPE
#define CTLTYPE		0xf
#endif
#ifndef CTLFLAG_RD
#define CTLFLAG_RD	((int)0x80000000u)
#define CTLFLAG_WR	0x40000000
#define CTLFLAG_TUN	0x00080000
#define CTLFLAG_RW	(CTLFLAG_RD | CTLFLAG_WR)
#define CTLFLAG_RDTUN	(CTLFLAG_RD | CTLFLAG_TUN)
#endif

/* jp_structtype of address arrays. */
#define JPS_IN_ADDR	1
#define JPS_IN6_ADDR	2

/* The calling thread's native context, made on first use (NULL + errmsg). */
struct vj_ctx *compat_ctx(void);
/* Drop the thread's context (after jail_attach the caller's jail changed). */
void	compat_ctx_reset(void);
/* Copy a native error into jail_errmsg and errno; returns -1. */
int	compat_fail(const struct vj_error *);
/* Format jail_errmsg, set errno; returns -1. */
int	compat_errmsg(int errnum, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Fill jp (whose jp_name is set) from values of a native parameter. */
int	compat_fill(struct jailparam *jp, const struct vj_param *p);

#endif
