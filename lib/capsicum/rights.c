/*
 * rights.c: Capsicum's per-descriptor rights, which Linux cannot give.
 *
 * FreeBSD keeps a rights set on each descriptor and checks it in every
 * system call that uses the descriptor; rights only ever shrink, and
 * they follow the descriptor through dup and SCM_RIGHTS.  Linux keeps
 * only the open mode on the open file description, and a seccomp filter
 * sees descriptor numbers, which are reused, never descriptor identity.
 * So every call here fails with ENOSYS: a program that asks to limit a
 * descriptor learns that it was not limited, instead of believing it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>

#include "sys/capsicum.h"

/* Fail with ENOSYS (for the int-returning calls). */
static int
no_rights(void)
{
	errno = ENOSYS;
	return -1;
}

/* Fail with ENOSYS (for the builders returning a rights pointer). */
static cap_rights_t *
no_rights_set(void)
{
	errno = ENOSYS;
	return NULL;
}

/* Build a rights set: there is nothing to build it for. */
cap_rights_t *
__cap_rights_init(int version, cap_rights_t *rights, ...)
{
	(void)version;
	(void)rights;
	return no_rights_set();
}

/* Add rights to a set. */
cap_rights_t *
__cap_rights_set(cap_rights_t *rights, ...)
{
	(void)rights;
	return no_rights_set();
}

/* Take rights from a set. */
cap_rights_t *
__cap_rights_clear(cap_rights_t *rights, ...)
{
	(void)rights;
	return no_rights_set();
}

/* Are these rights in a set? */
bool
__cap_rights_is_set(const cap_rights_t *rights, ...)
{
	(void)rights;
	errno = ENOSYS;
	return false;
}

/* Is a set well formed? */
bool
cap_rights_is_valid(const cap_rights_t *rights)
{
	(void)rights;
	errno = ENOSYS;
	return false;
}

/* Add one set to another. */
cap_rights_t *
cap_rights_merge(cap_rights_t *dst, const cap_rights_t *src)
{
	(void)dst;
	(void)src;
	return no_rights_set();
}

/* Take one set from another. */
cap_rights_t *
cap_rights_remove(cap_rights_t *dst, const cap_rights_t *src)
{
	(void)dst;
	(void)src;
	return no_rights_set();
}

/* Does one set hold another? */
bool
cap_rights_contains(const cap_rights_t *big, const cap_rights_t *little)
{
	(void)big;
	(void)little;
	errno = ENOSYS;
	return false;
}

/* Limit a descriptor's rights. */
int
cap_rights_limit(int fd, const cap_rights_t *rights)
{
	(void)fd;
	(void)rights;
	return no_rights();
}

/* Read a descriptor's rights. */
int
__cap_rights_get(int version, int fd, cap_rights_t *rights)
{
	(void)version;
	(void)fd;
	(void)rights;
	return no_rights();
}

/* Limit a descriptor's ioctl commands. */
int
cap_ioctls_limit(int fd, const unsigned long *cmds, size_t ncmds)
{
	(void)fd;
	(void)cmds;
	(void)ncmds;
	return no_rights();
}

/* Read a descriptor's ioctl commands. */
ssize_t
cap_ioctls_get(int fd, unsigned long *cmds, size_t maxcmds)
{
	(void)fd;
	(void)cmds;
	(void)maxcmds;
	return no_rights();
}

/* Limit a descriptor's fcntl commands. */
int
cap_fcntls_limit(int fd, uint32_t fcntlrights)
{
	(void)fd;
	(void)fcntlrights;
	return no_rights();
}

/* Read a descriptor's fcntl commands. */
int
cap_fcntls_get(int fd, uint32_t *fcntlrightsp)
{
	(void)fd;
	(void)fcntlrightsp;
	return no_rights();
}
