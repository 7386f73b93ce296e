/*
 * capsicum_int.h: the parts of libvjcap shared by its files: the policy
 * as data (policy.c), its two seccomp filters (seccomp.c), the Landlock
 * layer (grant.c) and cap_enter itself (capmode.c).
 *
 * The library offers FreeBSD's API, whose contract is errno: internal
 * functions likewise return 0 or -1 with errno set, and never print.
 */
#ifndef VJ_CAPSICUM_INT_H
#define VJ_CAPSICUM_INT_H

#include <stdint.h>

/* A *at call and which argument is a directory descriptor. */
struct cap_dirfd {
	const char	*call;
	unsigned	 argno;
};

/* How an argument rule compares. */
enum cap_cmp {
	CAP_EQ32,	/* (low 32 bits & mask) == value: exact on an int */
	CAP_NE,		/* all 64 bits != value: junk in the high half of
			 * an int argument makes it differ, so it errs on
			 * the side of refusing */
};

/* A call refused with ECAPMODE when its argument compares true. */
struct cap_argrule {
	const char	*call;
	unsigned	 argno;
	enum cap_cmp	 cmp;
	uint32_t	 mask;
	uint64_t	 value;
};

/* Calls allowed in capability mode whatever their arguments. */
extern const char *const cap_allowed_calls[];
/* *at calls: allowed unless a directory argument is AT_FDCWD. */
extern const struct cap_dirfd cap_dirfd_calls[];
/* prctl options allowed: the ones that only read (-1 ends the list). */
extern const int cap_prctl_options[];
/* Calls refused by argument (in the second filter). */
extern const struct cap_argrule cap_arg_rules[];
/* Socket families that may be created (-1 ends the list). */
extern const int cap_socket_families[];

/* Install the two seccomp filters on every thread (TSYNC). */
int	cap_seccomp_enter(void);
/* Confine lookups to the directories held now (Landlock).  Returns 1
 * when confined, 0 when this kernel has no usable Landlock. */
int	cap_landlock_enter(void);

#endif
