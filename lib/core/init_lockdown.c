/*
 * init_lockdown.c: the seccomp program a jail's init runs under once it
 * is set up.  The init only reaps and waits (init.c's loop), so instead
 * of the jail's policy (hundreds of instructions, a deny list made for
 * programs) it gets an allow list of the few calls that loop makes, and
 * any other call kills it, which ends the jail.  A call that is not on
 * the list cannot happen: nothing of the jail's runs in the init, and
 * nobody in the jail can trace it (it is not dumpable).
 *
 * It is also far cheaper to load: the kernel compiles a program for each
 * init and runs it once per system call number of every ABI to fill its
 * action cache.  With the jail's policy that was a sixth of what making
 * a wired jail cost.
 */
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "init.h"
#include "util.h"

#if defined(__x86_64__)
#define NATIVE_ARCH	AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_ARCH	AUDIT_ARCH_AARCH64
#endif

#ifdef NATIVE_ARCH
/* What the init's loop calls, and the kernel's own returns.  Numbers of
 * the native ABI only: an x32 number carries a high bit and an i386
 * caller another arch, so neither matches. */
static const int allowed[] = {
	SYS_read, SYS_write, SYS_close, SYS_ppoll, SYS_wait4, SYS_lseek,
	SYS_getdents64, SYS_exit, SYS_exit_group, SYS_rt_sigreturn,
	SYS_restart_syscall,
};

#define NALLOWED	VJ_ARRAY_LEN(allowed)
#define PROG_LEN	(NALLOWED + 5)

/* Lock the calling init down; 0, or -1 with errno set. */
int
vj_init_lockdown(void)
{
	struct sock_filter prog[PROG_LEN];
	struct sock_fprog fprog = { PROG_LEN, prog };
	size_t i, n = 0;

	/* 0-2: another ABI is killed; then one test per allowed call,
	 * jumping to the last instruction (allow) on a match. */
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, arch));
	prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    NATIVE_ARCH, 0, NALLOWED + 1);
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, nr));
	for (i = 0; i < NALLOWED; i++)
		prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ |
		    BPF_K, (unsigned)allowed[i], NALLOWED - i, 0);
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_KILL_PROCESS);
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_ALLOW);
	/* The init has no capabilities left: no_new_privs lets it load. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog);
}

/* Is there a lockdown for this architecture? */
bool
vj_init_lockdown_available(void)
{
	return true;
}
#else
/* No program written for this architecture: the init keeps the jail's
 * policy and capability work instead (subsys.c, security_caps.c). */
int
vj_init_lockdown(void)
{
	return 0;
}

bool
vj_init_lockdown_available(void)
{
	return false;
}
#endif
