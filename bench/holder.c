/*
 * holder.c: the process that holds an instance's namespaces (a tiny init),
 * and the barrier that proves the kernel has freed destroyed namespaces.
 */
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/sched.h>

#include "bench.h"

#define HOLDER_STACK	16384
#define STACKS_PER_CHUNK 1024

/*
 * A system call that never writes errno.  A CLONE_VM holder shares the
 * creator's memory and TLS, so it must not touch the creator's errno.
 */
static long
raw_sys(long nr, long a, long b, long c, long d)
{
#if defined(__x86_64__)
	register long r10 __asm__("r10") = d;
	long ret;

	__asm__ volatile ("syscall"
	    : "=a"(ret)
	    : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10)
	    : "rcx", "r11", "memory");
	return ret;
#elif defined(__aarch64__)
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;

	__asm__ volatile ("svc 0"
	    : "+r"(x0)
	    : "r"(x8), "r"(x1), "r"(x2), "r"(x3)
	    : "memory");
	return x0;
#else
	return syscall(nr, a, b, c, d);
#endif
}

/*
 * The holder: PID 1 of the instance.  It dies with its creator, reaps
 * whatever is reparented to it and otherwise sleeps.  SIGCHLD is blocked,
 * so it is queued (not ignored, even for a pid-namespace init) and wakes
 * rt_sigtimedwait(); no handler, so nothing depends on libc.
 */
static int
holder_main(void *arg)
{
	unsigned long mask = 1UL << (SIGCHLD - 1);
	struct { void *handler; unsigned long flags, restorer, mask; } dfl = {
		.handler = SIG_DFL,
	};
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	unsigned i;

	(void)arg;
	/* The creator's handlers: back to SIG_DFL, which an init ignores. */
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		raw_sys(SYS_rt_sigaction, sigs[i], (long)&dfl, 0, 8);
	raw_sys(SYS_rt_sigprocmask, SIG_BLOCK, (long)&mask, 0, sizeof(mask));
	raw_sys(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0);
	for (;;) {
		while (raw_sys(SYS_wait4, -1, 0, WNOHANG | __WALL, 0) > 0)
			;
		raw_sys(SYS_rt_sigtimedwait, (long)&mask, 0, 0, sizeof(mask));
	}
	return 0;
}

/* A fresh stack for a CLONE_VM holder; stacks are carved from big chunks. */
static void *
holder_stack(void)
{
	static char *chunk;
	static int used = STACKS_PER_CHUNK;

	if (used == STACKS_PER_CHUNK) {
		chunk = mmap(NULL, (size_t)HOLDER_STACK * STACKS_PER_CHUNK,
		    PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (chunk == MAP_FAILED)
			return NULL;
		used = 0;
	}
	used++;
	return chunk + (size_t)used * HOLDER_STACK;	/* the top */
}

/*
 * Start a holder in new namespaces (nsflags).  vm: a clone(CLONE_VM)
 * child sharing our memory (one stack page); otherwise a fork-like clone3
 * child (a COW copy of us).  Returns its pid, and a pidfd if asked.
 */
pid_t
vjb_holder_new(int nsflags, bool vm, int *pidfdp)
{
	int pf = pidfdp != NULL ? CLONE_PIDFD : 0;
	struct clone_args ca = {
		.flags = (uint64_t)(nsflags | pf),
		.pidfd = (uint64_t)(uintptr_t)pidfdp,
		.exit_signal = SIGCHLD,
	};
	pid_t pid;

	if (vm) {
		void *top = holder_stack();

		if (top == NULL)
			return -1;
		return clone(holder_main, top, CLONE_VM | nsflags | pf |
		    SIGCHLD, NULL, pidfdp);
	}
	pid = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid == 0)
		_exit(holder_main(NULL));
	return pid;
}

/* Wait for a killed holder; 0 when it was reaped. */
int
vjb_holder_reap(pid_t pid)
{
	while (waitpid(pid, NULL, __WALL) < 0) {
		if (errno != EINTR)
			return -1;
	}
	return 0;
}

/* One sentinel: a netns with a veth to us, destroyed; wait for its veth. */
static int
sentinel(struct vjb_nl *nl, int k, double timeout_ms)
{
	struct vjb_mon mon;
	char name[IFNAMSIZ];
	int idx, ret = -1;
	pid_t pid;

	if (vjb_mon_open(&mon) < 0)
		return -1;
	pid = vjb_holder_new(CLONE_NEWNET, true, NULL);
	if (pid < 0)
		goto out;
	snprintf(name, sizeof(name), "vjbs%dx%d", (int)pid, k);
	vjb_nl_veth(nl, name, 0, false, "s0", pid);
	if (vjb_nl_flush(nl) == 0 && (idx = vjb_nl_ifindex(nl, name)) > 0)
		ret = vjb_mon_track(&mon, idx);
	kill(pid, SIGKILL);
	vjb_holder_reap(pid);
	if (ret == 0)
		ret = vjb_mon_wait(&mon, nl, timeout_ms);
out:
	vjb_mon_close(&mon);
	return ret;
}

/*
 * The "really freed" barrier.  cleanup_net() runs one at a time on the
 * netns workqueue and each run takes the whole list of dying namespaces.
 * A sentinel destroyed now lands in the run holding ours or a later one;
 * a second sentinel, destroyed after the first one's veth vanished, lands
 * in a strictly later run, so when its veth vanishes every run holding
 * ours has finished (exit ops, rcu_barrier, ucounts).  A caller that saw
 * all its own veths vanish knows those runs had started: one sentinel is
 * then enough.
 */
int
vjb_barrier(struct vjb_nl *nl, int nsentinels, double timeout_ms)
{
	int k;

	for (k = 0; k < nsentinels; k++)
		if (sentinel(nl, k, timeout_ms) < 0)
			return -1;
	return 0;
}

/*
 * Run argv inside the namespaces of pid, the way jexec must: setns into
 * all five at once through a pidfd, then fork (the pid namespace applies
 * to children) and exec.  Returns the command's exit status.
 */
int
vjb_enter(pid_t pid, char *const argv[])
{
	int pidfd, status;
	pid_t child;

	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0 || setns(pidfd, VJB_NSFLAGS) < 0) {
		perror("baseline: enter");
		return 125;
	}
	close(pidfd);
	child = fork();
	if (child == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	if (child < 0 || waitpid(child, &status, 0) < 0)
		return 125;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
