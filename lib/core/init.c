/*
 * init.c: clone a jail's init and run its reaper loop.
 *
 * The init shares the creator's address space (CLONE_VM), as the kernel's
 * own threads would: no page tables to copy and no copy-on-write storm in
 * a creator that makes thousands of jails.  The price is discipline:
 *   - before the go, the init only waits; the creator runs ATTACH;
 *   - from the go until it reports, the init uses libc (malloc, errno)
 *     for VJ_PH_CHILD.  Either the creator is blocked on the sync socket
 *     meanwhile, or the init runs on thread-local storage lent by a
 *     parked thread (donor.c) and the creator goes on beside it;
 *   - after it reports, it runs only raw system calls on its own stack,
 *     touching no libc state (errno lives in a thread's TLS).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "init.h"
#include "proc.h"
#include "rawsys.h"
#include "subsys.h"
#include "util.h"

#define INIT_STACK	(128 * 1024)
/* linux/nsfs.h of Linux 6.8 and later. */
#define VJ_NS_GET_MNTNS_ID	_IOR(0xb7, 0x5, uint64_t)

/* The message the init sends back after its setup. */
struct init_result {
	int	errnum;		/* 0: ready */
	char	msg[VJ_ERRMSG_MAX];
};

/* What the init needs, kept at the top of its own stack: a creator
 * may clone the next init before this one has run at all. */
struct init_args {
	struct vj_jail	*j;
	int		 sync;
	void		*stack;
};
/* Where the arguments sit, and the stack below them. */
#define ARGS_SPACE	64

/* A detached procfs of the init's own pid namespace, to count processes. */
static int
open_own_proc(void)
{
	int fs, mnt, dir;

	fs = (int)syscall(SYS_fsopen, "proc", FSOPEN_CLOEXEC);
	if (fs < 0)
		return -1;
	if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
		close(fs);
		return -1;
	}
	mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, 0);
	close(fs);
	if (mnt < 0)
		return -1;
	/* fsmount gives a path-only descriptor; getdents needs a real one. */
	dir = openat(mnt, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(mnt);
	return dir;
}

/* Will the jail's /proc be a proc of its own pid namespace (mount.c:
 * path=/, unset or empty, or mount.procfs)?  Then the init counts
 * processes there rather than mount a proc of its own, which costs a
 * superblock per jail, and an expedited RCU grace period when its
 * detached mount is let go. */
static bool
jail_has_proc(const struct vj_jail *j)
{
	const char *path = vj_params_get(&j->params, "path");

	return path == NULL || *path == '\0' || strcmp(path, "/") == 0 ||
	    vj_jail_bool(j, "mount.procfs");
}

/* The jail's /proc, once set up, checked to be a proc of the init's pid
 * namespace (the init is 1 there); -1 with errno set if it is not.  Held
 * open, it lists that namespace's pids whatever the jail mounts over or
 * under it later; the host looks below it only without crossing a mount
 * (proc.c). */
static int
open_jail_proc(void)
{
	char self[16];
	struct statfs sf;
	int dir;

	dir = open("/proc", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dir < 0)
		return -1;
	if (fstatfs(dir, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC &&
	    readlinkat(dir, "self", self, sizeof(self)) == 1 && self[0] == '1')
		return dir;
	close(dir);
	errno = EXDEV;
	return -1;
}

/* Are there processes in the namespace besides the init itself? */
static int VJ_NO_TLS
others_alive(int procfd)
{
	char buf[2048];
	long n, off;
	struct dirent64 {
		uint64_t d_ino;
		int64_t d_off;
		unsigned short d_reclen;
		unsigned char d_type;
		char d_name[];
	} *de;

	if (procfd < 0 || vj_raw(SYS_lseek, procfd, 0, SEEK_SET, 0) < 0)
		return 1;
	while ((n = vj_raw(SYS_getdents64, procfd, (long)buf, sizeof(buf),
	    0)) > 0) {
		for (off = 0; off < n; off += de->d_reclen) {
			de = (struct dirent64 *)(buf + off);
			if (de->d_name[0] >= '1' && de->d_name[0] <= '9' &&
			    !(de->d_name[0] == '1' && de->d_name[1] == '\0'))
				return 1;
		}
	}
	return n < 0;
}

/* A do-nothing handler: an init's signals with SIG_DFL are dropped. */
static void
noop(int sig)
{
	(void)sig;
}

/* Catch the signals the init serves through a signalfd, and block every
 * other: the init inherits its creator's handlers, which a process in
 * the jail could otherwise run in it, in the creator's memory. */
static int
init_signals(void)
{
	struct sigaction sa = { .sa_handler = noop };
	sigset_t set;

	sigfillset(&set);
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGRTMIN, &sa, NULL);
	sigprocmask(SIG_SETMASK, &set, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGRTMIN);
	return signalfd(-1, &set, SFD_CLOEXEC);
}

/* Serve one signal; returns 0 when the init should leave. */
static int VJ_NO_TLS
serve(const struct signalfd_siginfo *si, int *persist, int procfd)
{
	if (si->ssi_signo == SIGCHLD)
		while (vj_raw(SYS_wait4, -1, 0, WNOHANG | __WALL, 0) > 0)
			;
	/* Control comes only from outside: there the sender's pid is 0. */
	if (si->ssi_signo == (uint32_t)SIGRTMIN && si->ssi_pid == 0 &&
	    si->ssi_int != VJ_INIT_CHECK)
		*persist = si->ssi_int == VJ_INIT_PERSIST;
	return *persist || others_alive(procfd);
}

/* The init's loop, raw system calls only: reap, and leave when empty
 * unless persistent. */
static void __attribute__((noreturn)) VJ_NO_TLS
init_loop(int persist, int procfd, int sfd)
{
	struct signalfd_siginfo si;
	struct pollfd pfd = { .fd = sfd, .events = POLLIN };
	struct timespec tick;

	for (;;) {
		/* Without persist, look now and then too: a process that
		 * jexec started ends without telling us.  The kernel writes
		 * the time left into tick (libc's ppoll would hide that). */
		tick.tv_sec = 2;
		tick.tv_nsec = 0;
		if (vj_raw(SYS_ppoll, (long)&pfd, 1, persist ? 0 : (long)&tick,
		    0) == 0) {
			if (!others_alive(procfd))
				vj_raw(SYS_exit_group, 0, 0, 0, 0);
			continue;
		}
		if (vj_raw(SYS_read, sfd, (long)&si, sizeof(si), 0) != sizeof(si))
			continue;
		if (!serve(&si, &persist, procfd))
			vj_raw(SYS_exit_group, 0, 0, 0, 0);
	}
}

/* Point fds 0-2 at /dev/null, move keep[] to 3.. (keep[0], the procfs,
 * lands on VJ_INIT_PROCFD) and close the rest. */
static void
init_fds(int devnull, int *keep, int nkeep)
{
	int k, hi = VJ_INIT_PROCFD + nkeep + 16;

	dup2(devnull, 0);
	dup2(devnull, 1);
	dup2(devnull, 2);
	/* Park the kept descriptors high first, so moving one into place
	 * cannot overwrite another. */
	for (k = 0; k < nkeep; k++)
		if (keep[k] >= 0)
			keep[k] = fcntl(keep[k], F_DUPFD_CLOEXEC, hi);
	syscall(SYS_close_range, VJ_INIT_PROCFD, hi - 1, 0);
	for (k = 0; k < nkeep; k++)
		if (keep[k] >= 0)
			keep[k] = dup3(keep[k], VJ_INIT_PROCFD + k,
			    O_CLOEXEC) < 0 ? -1 : VJ_INIT_PROCFD + k;
	syscall(SYS_close_range, VJ_INIT_PROCFD + nkeep, ~0U, 0);
}

/* Give back the stack pages the setup used and the loop will not. */
static void
trim_stack(const struct init_args *a)
{
	char here;
	uintptr_t lo = (uintptr_t)a->stack, top = (uintptr_t)&here - 8192;

	top &= ~(uintptr_t)4095;
	if (top > lo)
		madvise(a->stack, top - lo, MADV_DONTNEED);
}

/* The child side: wait for the go, set up, report, then serve. */
static int
init_child(void *arg)
{
	struct init_args *a = arg;
	struct init_result res = { 0 };
	struct vj_error err = { 0 };
	int devnull, procfd, sfd, persist, keep[4];
	bool own_proc;
	char go;

	if (read(a->sync, &go, 1) != 1)
		vj_raw(SYS_exit_group, 1, 0, 0, 0);	/* the creator died */
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	own_proc = !jail_has_proc(a->j);
	procfd = own_proc ? open_own_proc() : -1;
	if (vj_subsys_setup(a->j, VJ_PH_CHILD, &err) < 0) {
		res.errnum = err.ve_errno ? err.ve_errno : EIO;
		memcpy(res.msg, err.ve_msg, sizeof(res.msg));
	} else if (!own_proc && (procfd = open_jail_proc()) < 0) {
		res.errnum = errno;
		snprintf(res.msg, sizeof(res.msg), "init: /proc: %s (not a "
		    "proc of the jail's pid namespace)", strerror(errno));
	}
	/* Everything that may touch libc state happens before the report. */
	persist = vj_jail_bool(a->j, "persist");
	prctl(PR_SET_DUMPABLE, 0);	/* nobody in the jail may trace it */
	prctl(PR_SET_NAME, "vjail-init");
	sfd = init_signals();
	keep[0] = procfd;
	keep[1] = sfd;
	keep[2] = a->sync;
	keep[3] = a->j->heldfd;	/* kept for the jail's life */
	init_fds(devnull, keep, 4);	/* closes devnull too */
	trim_stack(a);
	if (vj_init_lockdown() < 0 && res.errnum == 0) {
		res.errnum = errno;
		snprintf(res.msg, sizeof(res.msg), "init: seccomp: %s",
		    strerror(errno));
	}
	if (vj_raw(SYS_write, keep[2], (long)&res, sizeof(res), 0) !=
	    sizeof(res) || res.errnum != 0)
		vj_raw(SYS_exit_group, 1, 0, 0, 0);
	vj_raw(SYS_close, keep[2], 0, 0, 0);
	init_loop(persist, keep[0], keep[1]);
}

/* Clone the init into new namespaces once; it waits on *syncfd. */
static int
clone_init(struct vj_jail *j, int *syncfd, struct vj_error *err)
{
	struct init_args *args;
	int sp[2], pidfd = -1, flags = VJ_SHARES_VM | CLONE_PIDFD;
	void *stack;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		return vj_err_sys(err, "socketpair");
	stack = mmap(NULL, INIT_STACK, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED) {
		close(sp[0]);
		close(sp[1]);
		return vj_err_sys(err, "init stack");
	}
	args = (struct init_args *)((char *)stack + INIT_STACK - ARGS_SPACE);
	args->j = j;
	args->sync = sp[1];
	args->stack = stack;
	if (VJ_SHARES_VM && j->init_tls != NULL)
		flags |= CLONE_SETTLS;
	pid = clone(init_child, args, flags | (int)j->clone_flags, args,
	    &pidfd, j->init_tls);
	if (pid < 0) {
		munmap(stack, INIT_STACK);
		close(sp[0]);
		close(sp[1]);
		return vj_err_sys(err, "clone");
	}
	close(sp[1]);
	j->init_pid = pid;
	j->pidfd = pidfd;
	j->init_stack = stack;
	*syncfd = sp[0];
	return 0;
}

/* Undo clone_init before the go: the init dies, then its stack goes. */
static void
discard_init(struct vj_jail *j, int syncfd)
{
	siginfo_t si;
	int rc;

	close(syncfd);
	syscall(SYS_pidfd_send_signal, j->pidfd, SIGKILL, NULL, 0);
	do
		rc = waitid((idtype_t)P_PIDFD, (id_t)j->pidfd, &si,
		    WEXITED | __WALL);
	while (rc < 0 && errno == EINTR);
	close(j->pidfd);
	/* Its stack is ours again only once it is gone: were the wait to
	 * fail, the stack stays mapped (a leak, never a use after free). */
	if (rc == 0)
		munmap(j->init_stack, INIT_STACK);
	j->pidfd = -1;
	j->init_pid = 0;
	j->init_stack = NULL;
}

/* The kernel's id of a mount namespace, 0 if unknown. */
static uint64_t
mntns_id(const char *path)
{
	vj_autoclose int fd = open(path, O_RDONLY | O_CLOEXEC);
	uint64_t id = 0;

	if (fd < 0 || ioctl(fd, VJ_NS_GET_MNTNS_ID, &id) < 0)
		return 0;
	return id;
}

/* A child jail's parent keeps a handle on the child's mount namespace
 * (nshandle.c), and the kernel binds a mount namespace file only into
 * an older namespace (by id).  Ids come from per-CPU batches, so a
 * namespace made on one CPU can have a lower id than an older one made
 * on the other.  True if the init's namespace is newer than ours. */
static bool
mntns_after_ours(pid_t pid)
{
	char path[64];
	uint64_t ours = mntns_id("/proc/self/ns/mnt"), theirs;

	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)pid);
	theirs = mntns_id(path);
	return ours == 0 || theirs == 0 || theirs > ours;
}

/* Clone the init again on each CPU in turn until its mount namespace is
 * newer than ours (the CPU that made ours always gives a newer id). */
static int
reclone_newer(struct vj_jail *j, int *syncfd, struct vj_error *err)
{
	cpu_set_t saved, one;
	int cpu = -1, ncpu = get_nprocs_conf(), rc = 0;
	bool restore = sched_getaffinity(0, sizeof(saved), &saved) == 0;

	/* Every CPU, not only those of our affinity mask: the one that
	 * made the parent's namespace may lie outside it. */
	while (rc == 0 && !mntns_after_ours(j->init_pid)) {
		discard_init(j, *syncfd);
		*syncfd = -1;	/* closed: never twice, should the clone fail */
		do {
			CPU_ZERO(&one);
			CPU_SET(++cpu, &one);
		} while (cpu < ncpu &&
		    sched_setaffinity(0, sizeof(one), &one) < 0);
		if (cpu >= ncpu) {
			rc = vj_err_set(err, EAGAIN, "clone: no CPU gives a "
			    "mount namespace newer than the parent jail's");
			break;
		}
		rc = clone_init(j, syncfd, err);
	}
	if (cpu >= 0 && restore)
		sched_setaffinity(0, sizeof(saved), &saved);
	return rc;
}

/* Clone the init; a child jail's needs a mount namespace newer than its
 * parent's (mntns_after_ours), which a top-level jail never checks. */
int
vj_init_clone(struct vj_jail *j, int *syncfd, struct vj_error *err)
{
	if (clone_init(j, syncfd, err) < 0)
		return -1;
	if (j->parent > 0 && (j->clone_flags & CLONE_NEWNS) &&
	    reclone_newer(j, syncfd, err) < 0)
		return -1;
	j->init_start = vj_proc_start(j->init_pid);
	j->init_ns = j->ctx->self_pidns;
	return 0;
}

/* Let the init set itself up (VJ_PH_CHILD). */
int
vj_init_go(struct vj_jail *j, int syncfd, struct vj_error *err)
{
	(void)j;
	if (write(syncfd, "g", 1) != 1)
		return vj_err_sys(err, "init");
	return 0;
}

/* Wait for the verdict of an init let go: 0 once it serves. */
int
vj_init_verdict(struct vj_jail *j, int syncfd, struct vj_error *err)
{
	struct init_result res;
	ssize_t n;

	(void)j;
	do
		n = read(syncfd, &res, sizeof(res));
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(res))
		return vj_err_set(err, EIO, "init: died during setup");
	if (res.errnum != 0)
		return vj_err_set(err, res.errnum, "%s", res.msg);
	return 0;
}

/* Let the init set itself up and read its verdict. */
int
vj_init_release(struct vj_jail *j, int syncfd, struct vj_error *err)
{
	if (vj_init_go(j, syncfd, err) < 0)
		return -1;
	return vj_init_verdict(j, syncfd, err);
}

/* Send a control value to a running init. */
int
vj_init_control(struct vj_jail *j, int value, struct vj_error *err)
{
	union sigval sv = { .sival_int = value };

	if (j->init_pid <= 0 || !vj_proc_alive(j->init_pid, j->init_start))
		return vj_err_set(err, ESRCH, "jail %d: init is gone", j->jid);
	if (sigqueue(j->init_pid, SIGRTMIN, sv) < 0)
		return vj_err_sys(err, "jail %d: signal init", j->jid);
	return 0;
}
