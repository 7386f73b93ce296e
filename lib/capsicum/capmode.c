/*
 * capmode.c: cap_enter(2), cap_getmode(2) and cap_sandboxed(3) on Linux.
 *
 * cap_enter = no_new_privs + a Landlock domain (grant.c) + two seccomp
 * filters (seccomp.c).  All three are irreversible, inherited by children
 * and kept across execve, as capability mode is on FreeBSD.
 *
 * The mode is not a flag anybody keeps: cap_getmode asks the kernel by
 * probing fchdir(-1), which capability mode refuses (ECAPMODE) before
 * the kernel would find the descriptor bad (EBADF).  A process-local
 * flag would be lost across execve; PR_GET_SECCOMP says only that some
 * filter is loaded, and every jailed process has one.
 */
#include <errno.h>
#include <stdbool.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "capsicum_int.h"
#include "sys/capsicum.h"

/* Ask the kernel whether capability mode's filter is loaded. */
int
cap_getmode(unsigned int *modep)
{
	int saved = errno;

	if (modep == NULL) {
		errno = EFAULT;
		return -1;
	}
	*modep = fchdir(-1) < 0 && errno == ECAPMODE;
	errno = saved;
	return 0;
}

/* Is the process in capability mode? */
bool
cap_sandboxed(void)
{
	unsigned int mode = 0;

	return cap_getmode(&mode) == 0 && mode != 0;
}

/*
 * Enter capability mode.  A second call is a no-op, as on FreeBSD: it
 * also spares Landlock's budget of 16 stacked domains.  Landlock goes
 * first so that a failure leaves the process more confined than before,
 * never less.  Without Landlock, seccomp alone cannot stop absolute
 * paths given to the *at calls, so capability mode is refused (ENOSYS)
 * rather than half given.
 */
int
cap_enter(void)
{
	if (cap_sandboxed())
		return 0;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	switch (cap_landlock_enter()) {
	case -1:
		return -1;
	case 0:
		errno = ENOSYS;
		return -1;
	default:
		return cap_seccomp_enter();
	}
}
