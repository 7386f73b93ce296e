/*
 * checks_sys.c: capability mode's cases that are not about files:
 * entering, identifiers, scheduling, timers, resources, pipes, memory,
 * sockets, processes, threads, namespaces, prctl, foreign ABIs.
 */
#include <fcntl.h>
#include <linux/sched.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "capmode.h"

#define HIGH	0xdeadbeef00000000ULL	/* junk for an argument's high half */

/* cap_getmode says 0 before and 1 after; cap_sandboxed agrees. */
static void
c_enter_getmode(void)
{
	unsigned int mode = 7;

	ALLOWED(cap_getmode(&mode));
	want_true("mode 0 before cap_enter", mode == 0);
	want_true("not sandboxed before", !cap_sandboxed());
	enter();
	ALLOWED(cap_getmode(&mode));
	want_true("mode 1 after cap_enter", mode == 1);
	want_true("sandboxed after", cap_sandboxed());
	FAILS_WITH(EFAULT, cap_getmode(NULL));
}

/* A second cap_enter is a no-op: twenty of them must not run out of
 * Landlock's sixteen layers. */
static void
c_enter_twice(void)
{
	int i;

	enter();
	for (i = 0; i < 20; i++)
		ALLOWED(cap_enter());
	want_true("still sandboxed", cap_sandboxed());
	ALLOWED(write(env.filefd, "x", 1));
}

/* Who am I: every identifier call works. */
static void
c_identifiers(void)
{
	uid_t r, e, s;
	gid_t g[64];

	enter();
	ALLOWED(getpid());
	ALLOWED(getppid());
	ALLOWED(gettid());
	ALLOWED(getuid());
	ALLOWED(geteuid());
	ALLOWED(getgid());
	ALLOWED(getegid());
	ALLOWED(getresuid(&r, &e, &s));
	ALLOWED(getresgid(&r, &e, &s));
	ALLOWED(getgroups(64, g));
	ALLOWED(getpgid(0));
	ALLOWED(getpgrp());
	ALLOWED(getsid(0));
	ALLOWED(setuid(getuid()));
	ALLOWED(umask(022));
}

/* Scheduling of oneself works; of another process is refused. */
static void
c_sched(void)
{
	struct sched_param p;
	cpu_set_t set;

	enter();
	ALLOWED(sched_yield());
	ALLOWED(sched_getparam(0, &p));
	ALLOWED(sched_getscheduler(0));
	ALLOWED(sched_getaffinity(0, sizeof(set), &set));
	ALLOWED(sched_setaffinity(0, sizeof(set), &set));
	ALLOWED(sched_get_priority_max(SCHED_FIFO));
	ALLOWED(sched_get_priority_min(SCHED_FIFO));
	DENIED(sched_getparam(getppid(), &p));
	DENIED(sched_setaffinity(1, sizeof(set), &set));
}

/* Clocks and timers of one's own work; setting the clock is refused. */
static void
c_timers(void)
{
	struct timespec ts, nap = { 0, 1000 };
	struct itimerspec its = { { 0, 0 }, { 10, 0 } }, old;
	struct itimerval itv = { { 0, 0 }, { 10, 0 } };
	timer_t t;
	int fd;

	enter();
	ALLOWED(clock_gettime(CLOCK_MONOTONIC, &ts));
	ALLOWED(clock_getres(CLOCK_REALTIME, &ts));
	ALLOWED(nanosleep(&nap, NULL));
	ALLOWED(clock_nanosleep(CLOCK_MONOTONIC, 0, &nap, NULL));
	ALLOWED(timer_create(CLOCK_MONOTONIC, NULL, &t));
	ALLOWED(timer_settime(t, 0, &its, &old));
	ALLOWED(timer_gettime(t, &old));
	ALLOWED(timer_delete(t));
	ALLOWED(setitimer(ITIMER_REAL, &itv, NULL));
	ALLOWED(getitimer(ITIMER_REAL, &itv));
	ALLOWED(alarm(30));
	fd = ALLOWED(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
	ALLOWED(timerfd_settime(fd, 0, &its, NULL));
	ALLOWED(timerfd_gettime(fd, &old));
	clock_gettime(CLOCK_REALTIME, &ts);
	DENIED(clock_settime(CLOCK_REALTIME, &ts));
}

/* Limits and usage of oneself; another process's are refused. */
static void
c_resources(void)
{
	struct rlimit rl;
	struct rusage ru;

	enter();
	ALLOWED(getrlimit(RLIMIT_NOFILE, &rl));
	ALLOWED(setrlimit(RLIMIT_NOFILE, &rl));
	ALLOWED(prlimit(0, RLIMIT_NOFILE, NULL, &rl));
	DENIED(prlimit(getppid(), RLIMIT_NOFILE, NULL, &rl));
	ALLOWED(getrusage(RUSAGE_SELF, &ru));
	ALLOWED(getpriority(PRIO_PROCESS, 0));
	DENIED(setpriority(PRIO_PROCESS, (id_t)getppid(), 0));
	DENIED(setpriority(PRIO_USER, 0, 0));
}

/* Pipes, polling, event descriptors. */
static void
c_pipes(void)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct pollfd pf;
	fd_set rd;
	struct timeval tv = { 0, 0 };
	int p[2], ep, efd;
	char c;

	enter();
	ALLOWED(pipe2(p, O_CLOEXEC));
	ALLOWED(write(p[1], "x", 1));
	pf = (struct pollfd){ .fd = p[0], .events = POLLIN };
	ALLOWED(poll(&pf, 1, 0));
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	ALLOWED(select(p[0] + 1, &rd, NULL, NULL, &tv));
	ep = ALLOWED(epoll_create1(EPOLL_CLOEXEC));
	ALLOWED(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	ALLOWED(epoll_wait(ep, &ev, 1, 0));
	ALLOWED(read(p[0], &c, 1));
	efd = ALLOWED(eventfd(0, EFD_CLOEXEC));
	ALLOWED(eventfd_write(efd, 1));
}

/* Anonymous and file mappings, protections, memfd. */
static void
c_mmap(void)
{
	void *m;
	unsigned char vec;
	int fd;

	enter();
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	want_true("anonymous mmap", m != MAP_FAILED);
	ALLOWED(mprotect(m, 4096, PROT_READ));
	ALLOWED(madvise(m, 4096, MADV_DONTNEED));
	ALLOWED(mincore(m, 4096, &vec));
	ALLOWED(msync(m, 4096, MS_ASYNC));
	ALLOWED(munmap(m, 4096));
	m = mmap(NULL, 8, PROT_READ, MAP_SHARED, env.filefd, 0);
	want_true("mmap of a held file", m != MAP_FAILED);
	fd = ALLOWED(memfd_create("capmode", MFD_CLOEXEC));
	ALLOWED(ftruncate(fd, 4096));
}

/* getrandom reads limited global state: allowed. */
static void
c_getrandom(void)
{
	char buf[16];

	enter();
	want_true("getrandom 16 bytes", getrandom(buf, sizeof(buf), 0) == 16);
}

/* Global names of processes: wait4, ptrace; clone3 asks for ENOSYS. */
static void
c_processes(void)
{
	struct clone_args ca = { .exit_signal = SIGCHLD };
	pid_t pid;
	int st, p[2];
	char c = 0;

	ALLOWED(pipe(p));
	enter();
	pid = fork();
	if (pid == 0)
		_exit(write(p[1], cap_sandboxed() ? "y" : "n", 1) == 1 ? 0 : 1);
	want_true("fork", pid > 0);
	ALLOWED(read(p[0], &c, 1));
	want_true("a child inherits capability mode", c == 'y');
	DENIED(waitpid(pid, &st, 0));
	DENIED(wait4(-1, &st, WNOHANG, NULL));
	DENIED(waitid(P_PID, (id_t)pid, NULL, WEXITED | WNOHANG));
	DENIED(ptrace(PTRACE_TRACEME, 0, NULL, NULL));
	DENIED(ptrace(PTRACE_ATTACH, getppid(), NULL, NULL));
	FAILS_WITH(ENOSYS, syscall(SYS_clone3, &ca, sizeof(ca)));
	ALLOWED(kill(getpid(), 0));
}

/* abort(): a signal to oneself still works (the child dies of it). */
static void
c_abort(void)
{
	enter();
	abort();
}

/* Another process is out of reach of signals (Landlock's scope). */
static void
c_signal_scope(void)
{
	enter();
	if (env.landlock_abi >= 6)
		FAILS_WITH(EPERM, kill(getppid(), 0));
	ALLOWED(raise(0));
}

/* Namespaces, mounts, handles, io_uring, bpf: refused. */
static void
c_global(void)
{
	int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);

	enter();
	DENIED(unshare(CLONE_NEWUSER));
	DENIED(unshare(CLONE_NEWNS));
	DENIED(setns(fd, 0));
	DENIED(syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0));
	DENIED(mount("none", "/mnt", "tmpfs", 0, NULL));
	DENIED(umount2("/mnt", 0));
	DENIED(syscall(SYS_io_uring_setup, 1, NULL));
	DENIED(syscall(SYS_bpf, 0, NULL, 0));
	DENIED(syscall(SYS_pidfd_open, getppid(), 0));
	DENIED(syscall(SYS_kcmp, getpid(), getppid(), 0, 0, 0));
	DENIED(syscall(SYS_shmget, 42, 4096, 0600));
	DENIED(syscall(SYS_chroot, "/"));
	DENIED(syscall(SYS_reboot, 0, 0, 0, NULL));
}

/* prctl: the options that read; none that set. */
static void
c_prctl(void)
{
	char name[16];

	enter();
	ALLOWED(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
	ALLOWED(prctl(PR_GET_NAME, name, 0, 0, 0));
	ALLOWED(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	ALLOWED(prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
	DENIED(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0));
	DENIED(prctl(PR_SET_NAME, "other", 0, 0, 0));
	DENIED(prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0));
}

/* Junk in the high half of an int argument changes nothing: the kernel
 * reads the low half, and so does the filter. */
static void
c_high_word(void)
{
	long rc;

	enter();
	rc = ALLOWED(syscall(SYS_prctl, HIGH | PR_GET_NO_NEW_PRIVS, 0, 0, 0,
	    0));
	want_true("PR_GET_NO_NEW_PRIVS with a high word says 1", rc == 1);
	DENIED(syscall(SYS_prctl, HIGH | PR_SET_DUMPABLE, 1, 0, 0, 0));
	DENIED(syscall(SYS_openat, HIGH | (uint32_t)AT_FDCWD, "f",
	    O_RDONLY));
	rc = ALLOWED(syscall(SYS_openat, HIGH | (uint32_t)env.dirfd, "f",
	    O_RDONLY));
	DENIED(syscall(SYS_socket, AF_INET, HIGH | SOCK_RAW, IPPROTO_ICMP));
	DENIED(syscall(SYS_socket, HIGH | AF_NETLINK, SOCK_RAW, 0));
}

/* Typing into a terminal held open would run commands outside the
 * sandbox: TIOCSTI and TIOCLINUX are refused, whatever the high half. */
static void
c_terminal_injection(void)
{
	enter();
	DENIED(ioctl(0, TIOCSTI, "x"));
	DENIED(syscall(SYS_ioctl, 0, HIGH | TIOCSTI, "x"));
	DENIED(ioctl(0, TIOCLINUX, "x"));
}

/* Which sockets may be made, and where they may not go. */
static void
c_sockets_denied(void)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	struct sockaddr_in in = { .sin_family = AF_INET };
	int s, u;

	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	in.sin_port = htons(9);
	strcpy(un.sun_path, "\0capmode-test");
	enter();
	DENIED(socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
	DENIED(socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6));
	DENIED(socket(AF_NETLINK, SOCK_RAW, 0));
	DENIED(socket(AF_PACKET, SOCK_RAW, 0));
	DENIED(socket(AF_INET, SOCK_PACKET, 0));
	DENIED(socket(AF_INET, SOCK_STREAM, 262));	/* IPPROTO_MPTCP */
	DENIED(socket(AF_VSOCK, SOCK_STREAM, 0));
	s = ALLOWED(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	u = ALLOWED(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
	DENIED(bind(s, (struct sockaddr *)&in, sizeof(in)));
	DENIED(connect(s, (struct sockaddr *)&in, sizeof(in)));
	DENIED(bind(u, (struct sockaddr *)&un, sizeof(un)));
	DENIED(connect(u, (struct sockaddr *)&un, sizeof(un)));
	DENIED(sendto(s, "x", 1, 0, (struct sockaddr *)&in, sizeof(in)));
}

/* Socket calls on descriptors: all allowed. */
static void
c_sockets_allowed(void)
{
	struct sockaddr_in in = { .sin_family = AF_INET };
	socklen_t len = sizeof(in);
	struct mmsghdr mm;
	char buf[8], msg[8] = "mmsg";
	struct iovec iov = { msg, 4 };
	int sp[2], l, one = 1;

	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	ALLOWED(bind(l, (struct sockaddr *)&in, sizeof(in)));
	enter();
	ALLOWED(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sp));
	ALLOWED(send(sp[0], "x", 1, 0));
	ALLOWED(recv(sp[1], buf, sizeof(buf), 0));
	memset(&mm, 0, sizeof(mm));
	mm.msg_hdr.msg_iov = &iov;
	mm.msg_hdr.msg_iovlen = 1;
	ALLOWED(sendmmsg(sp[0], &mm, 1, 0));
	ALLOWED(recvmmsg(sp[1], &mm, 1, MSG_DONTWAIT, NULL));
	ALLOWED(setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	ALLOWED(getsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, &len));
	len = sizeof(in);
	ALLOWED(getsockname(l, (struct sockaddr *)&in, &len));
	ALLOWED(listen(l, 1));
	FAILS_WITH(EAGAIN, accept4(l, NULL, NULL, SOCK_CLOEXEC));
	ALLOWED(shutdown(sp[0], SHUT_RDWR));
	ALLOWED(socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0));
}

/* A thread that exists before cap_enter is confined too (TSYNC). */
static void *
confined(void *arg)
{
	(void)arg;
	DENIED(open("/etc/passwd", O_RDONLY));
	DENIED(syscall(SYS_open, "/etc/passwd", O_RDONLY));
	DENIED(syscall(SYS_getcwd, (char[64]){ 0 }, 64));
	return NULL;
}

static pthread_barrier_t gate;

/* The thread started before cap_enter: it tries after. */
static void *
early_thread(void *arg)
{
	pthread_barrier_wait(&gate);
	return confined(arg);
}

/* Threads before and after cap_enter are both confined. */
static void
c_new_thread(void)
{
	pthread_t early, late;

	pthread_barrier_init(&gate, NULL, 2);
	want_true("thread before cap_enter",
	    pthread_create(&early, NULL, early_thread, NULL) == 0);
	enter();
	pthread_barrier_wait(&gate);
	pthread_join(early, NULL);
	want_true("thread after cap_enter",
	    pthread_create(&late, NULL, confined, NULL) == 0);
	pthread_join(late, NULL);
}

#ifdef __x86_64__
/* A system call through the i386 entry point (int $0x80). */
static long
i386_call(long nr, long a, long b)
{
	long rc;

	__asm__ volatile("int $0x80" : "=a"(rc) : "a"(nr), "b"(a), "c"(b)
	    : "memory");
	return rc;
}

/* Does this kernel take i386 calls (a child tries, it may die)? */
static bool
i386_works(void)
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0)
		_exit(i386_call(20, 0, 0) > 0 ? 0 : 1);	/* getpid */
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0;
}

/* The i386 and x32 entry points get the same policy. */
static void
c_foreign_abis(void)
{
	bool i386 = i386_works();

	enter();
	if (i386) {
		want_true("i386 getpid allowed", i386_call(20, 0, 0) > 0);
		want_true("i386 open refused with ECAPMODE",
		    i386_call(5, 0, 0) == -ECAPMODE);
		want_true("i386 chdir refused with ECAPMODE",
		    i386_call(12, 0, 0) == -ECAPMODE);
	} else
		printf("# no i386 entry point in this kernel\n");
	DENIED(syscall(0x40000000 | SYS_openat, AT_FDCWD, "f", O_RDONLY));
	DENIED(syscall(0x40000000 | 2, "/etc/passwd", O_RDONLY));
	PASSES(syscall(0x40000000 | SYS_getpid));
}
#endif

const struct cm_case cases_sys[] = {
	{ "cap_enter, cap_getmode, cap_sandboxed", c_enter_getmode, 0 },
	{ "a second cap_enter is a no-op", c_enter_twice, 0 },
	{ "allowed identifier syscalls", c_identifiers, 0 },
	{ "allowed sched syscalls (self only)", c_sched, 0 },
	{ "allowed timer syscalls, clock_settime denied", c_timers, 0 },
	{ "allowed resource syscalls (self only)", c_resources, 0 },
	{ "allowed pipe and poll syscalls", c_pipes, 0 },
	{ "allowed mmap syscalls", c_mmap, 0 },
	{ "getrandom allowed", c_getrandom, 0 },
	{ "fork inherits; wait4, ptrace denied; clone3 ENOSYS",
	    c_processes, 0 },
	{ "abort to self works", c_abort, SIGABRT },
	{ "signals to other processes refused (Landlock scope)",
	    c_signal_scope, 0 },
	{ "namespaces, mount, io_uring, bpf, SysV, pidfd_open denied",
	    c_global, 0 },
	{ "prctl: GET options only", c_prctl, 0 },
	{ "high-word argument check", c_high_word, 0 },
	{ "terminal injection (TIOCSTI, TIOCLINUX) refused",
	    c_terminal_injection, 0 },
	{ "disallowed socket syscalls", c_sockets_denied, 0 },
	{ "allowed socket syscalls", c_sockets_allowed, 0 },
	{ "thread created before cap_enter is confined (TSYNC)",
	    c_new_thread, 0 },
#ifdef __x86_64__
	{ "i386 and x32 entry points confined", c_foreign_abis, 0 },
#endif
	{ NULL, NULL, 0 }
};
