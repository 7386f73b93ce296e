/*
 * rawsys.h: system calls for a task that shares its creator's memory
 * (CLONE_VM) and thread-local storage: a jail's init (init.c) and the
 * namespace maker (netns.c).  Such a task must not touch errno, which
 * lives in the creator's TLS, nor anything else of libc's state.
 */
#ifndef VJ_RAWSYS_H
#define VJ_RAWSYS_H

#include <errno.h>
#include <sched.h>
#include <unistd.h>

#if defined(__x86_64__) && !defined(VJ_INIT_NO_VM)
/* Helper tasks share the creator's address space. */
#define VJ_SHARES_VM	CLONE_VM

/* A system call that never touches errno; -errno on failure. */
static inline long
vj_raw(long n, long a, long b, long c, long d)
{
	long ret;
	register long r10 __asm__("r10") = d;

	__asm__ volatile ("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b),
	    "d"(c), "r"(r10) : "rcx", "r11", "memory");
	return ret;
}
#else
/* Elsewhere (or built with -DVJ_INIT_NO_VM) a helper task gets an
 * address space of its own (fork-like), so libc's errno is its own too
 * and syscall(2) will do. */
#define VJ_SHARES_VM	0

/* A system call; -errno on failure. */
static inline long
vj_raw(long n, long a, long b, long c, long d)
{
	long ret = syscall(n, a, b, c, d);

	return ret < 0 ? -errno : ret;
}
#endif

/* What such a task runs reads no thread-local storage, not even a stack
 * protector's canary (%fs:0x28): the TLS it set up on may be a thread's
 * that is gone by then. */
#if defined(__has_attribute) && __has_attribute(no_stack_protector)
#define VJ_NO_TLS	__attribute__((no_stack_protector))
#else
#define VJ_NO_TLS
#endif

#endif
