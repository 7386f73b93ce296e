/*
 * policy.c: capability mode as data, in the spirit of FreeBSD's
 * sys/kern/capabilities.conf: a process may use the descriptors it holds
 * and read limited state of its own; every global namespace (paths, pids,
 * protocol addresses, System V and POSIX IPC names, namespaces, file
 * handles, the system clock) is refused with ECAPMODE.
 *
 * A name libseccomp does not know on this machine is skipped, so one
 * list serves x86-64, i386 and x32.  Anything not listed is refused:
 * a system call newer than this list is denied until someone reads it.
 */
#include <linux/sched.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "capsicum_int.h"

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP	262
#endif
#ifndef P_PIDFD
#define P_PIDFD		3
#endif

/* Allowed whatever their arguments. */
const char *const cap_allowed_calls[] = {
	/* I/O on held descriptors. */
	"read", "write", "readv", "writev", "pread64", "pwrite64", "preadv",
	"pwritev", "preadv2", "pwritev2", "lseek", "_llseek", "close",
	"close_range", "dup", "dup2", "dup3", "fcntl", "fcntl64", "ioctl",
	"fstat", "fstat64", "fstatfs", "fstatfs64", "fsync", "fdatasync",
	"syncfs", "sync_file_range", "ftruncate", "ftruncate64", "fallocate",
	"fadvise64", "fadvise64_64", "readahead", "flock", "fchmod", "fchown",
	"fchown32", "fgetxattr", "fsetxattr", "flistxattr", "fremovexattr",
	"getdents", "getdents64", "sendfile", "sendfile64", "splice", "tee",
	"vmsplice", "copy_file_range",
	/* Waiting on descriptors, and descriptors of one's own. */
	"poll", "ppoll", "ppoll_time64", "select", "_newselect", "pselect6",
	"pselect6_time64", "epoll_create", "epoll_create1", "epoll_ctl",
	"epoll_wait", "epoll_pwait", "epoll_pwait2", "eventfd", "eventfd2",
	"signalfd", "signalfd4", "timerfd_create", "timerfd_settime",
	"timerfd_settime64", "timerfd_gettime", "timerfd_gettime64",
	"inotify_init", "inotify_init1", "inotify_rm_watch", "pipe", "pipe2",
	"memfd_create", "io_setup", "io_destroy", "io_submit", "io_cancel",
	"io_getevents", "io_pgetevents", "io_pgetevents_time64",
	"mq_timedsend", "mq_timedsend_time64", "mq_timedreceive",
	"mq_timedreceive_time64", "mq_notify", "mq_getsetattr",
	/* Sockets: creation is narrowed by argument (cap_arg_rules);
	 * bind and connect name global addresses and are refused. */
	"socket", "socketpair", "accept", "accept4", "listen", "shutdown",
	"getsockname", "getpeername", "getsockopt", "setsockopt", "sendto",
	"recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg",
	"recvmmsg_time64",
	/* Memory of one's own. */
	"brk", "mmap", "mmap2", "munmap", "mremap", "mprotect",
	"pkey_mprotect", "pkey_alloc", "pkey_free", "madvise", "msync",
	"mincore", "mlock", "mlock2", "munlock", "mlockall", "munlockall",
	"membarrier", "get_mempolicy", "set_mempolicy", "mbind",
	"remap_file_pages",
	/* The process itself: identity, threads, limits, scheduling of
	 * itself (pids other than 0 are refused by cap_arg_rules). */
	"getpid", "getppid", "gettid", "getuid", "geteuid", "getgid",
	"getegid", "getuid32", "geteuid32", "getgid32", "getegid32",
	"getresuid", "getresgid", "getresuid32", "getresgid32", "getgroups",
	"getgroups32", "getpgid", "getpgrp", "getsid", "setuid", "setgid",
	"setuid32", "setgid32", "setreuid", "setregid", "setreuid32",
	"setregid32", "setresuid", "setresgid", "setresuid32", "setresgid32",
	"setfsuid", "setfsgid", "setfsuid32", "setfsgid32", "setgroups",
	"setgroups32", "setpgid", "setsid", "capget", "capset", "umask",
	"getrlimit", "setrlimit", "ugetrlimit", "prlimit64", "getrusage",
	"getpriority", "setpriority", "sched_yield", "sched_getparam",
	"sched_setparam", "sched_getscheduler", "sched_setscheduler",
	"sched_getattr", "sched_setattr", "sched_getaffinity",
	"sched_setaffinity", "sched_get_priority_max",
	"sched_get_priority_min", "sched_rr_get_interval",
	"sched_rr_get_interval_time64", "getcpu",
	"clone", "fork", "vfork", "exit", "exit_group", "waitid",
	"set_tid_address", "set_robust_list", "rseq", "futex",
	"futex_time64", "futex_waitv", "arch_prctl", "set_thread_area",
	"get_thread_area", "restart_syscall",
	/* Signals: confined to the own Landlock domain by its signal scope
	 * (kill-to-self in FreeBSD's words); pidfds held are descriptors. */
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigreturn",
	"rt_sigpending", "rt_sigsuspend", "rt_sigtimedwait",
	"rt_sigtimedwait_time64", "sigaltstack", "sigaction", "sigprocmask",
	"sigpending", "sigsuspend", "signal", "pause", "kill", "tkill",
	"tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "pidfd_send_signal",
	/* Time: reading clocks, and timers of one's own. */
	"clock_gettime", "clock_gettime64", "clock_getres",
	"clock_getres_time64", "clock_nanosleep", "clock_nanosleep_time64",
	"nanosleep", "gettimeofday", "time", "times", "alarm", "getitimer",
	"setitimer", "timer_create", "timer_settime", "timer_settime64",
	"timer_gettime", "timer_gettime64", "timer_getoverrun",
	"timer_delete",
	/* Limited global state, read only. */
	"uname", "olduname", "oldolduname", "sysinfo", "getrandom",
	/* Narrowing oneself further only ever takes away. */
	"seccomp", "landlock_create_ruleset", "landlock_add_rule",
	"landlock_restrict_self",
	NULL
};

/* Allowed unless the directory argument is AT_FDCWD: lookups relative to
 * a held directory, which Landlock confines beneath the directories held
 * at cap_enter. */
const struct cap_dirfd cap_dirfd_calls[] = {
	{ "openat", 0 }, { "openat2", 0 }, { "mkdirat", 0 },
	{ "mknodat", 0 }, { "fchownat", 0 }, { "futimesat", 0 },
	{ "newfstatat", 0 }, { "fstatat64", 0 }, { "statx", 0 },
	{ "unlinkat", 0 }, { "renameat", 0 }, { "renameat", 2 },
	{ "renameat2", 0 }, { "renameat2", 2 }, { "linkat", 0 },
	{ "linkat", 2 }, { "symlinkat", 1 }, { "readlinkat", 0 },
	{ "fchmodat", 0 }, { "fchmodat2", 0 }, { "faccessat", 0 },
	{ "faccessat2", 0 }, { "utimensat", 0 },
	{ "utimensat_time64", 0 }, { "execveat", 0 },
	{ NULL, 0 }
};

/* prctl, for the options that only read and the one that only takes
 * away. */
const int cap_prctl_options[] = {
	PR_GET_PDEATHSIG, PR_GET_DUMPABLE, PR_GET_UNALIGN, PR_GET_KEEPCAPS,
	PR_GET_FPEMU, PR_GET_FPEXC, PR_GET_TIMING, PR_GET_NAME, PR_GET_ENDIAN,
	PR_GET_SECCOMP, PR_CAPBSET_READ, PR_GET_TSC, PR_GET_SECUREBITS,
	PR_GET_TIMERSLACK, PR_MCE_KILL_GET, PR_GET_CHILD_SUBREAPER,
	PR_GET_NO_NEW_PRIVS, PR_GET_TID_ADDRESS, PR_GET_THP_DISABLE,
	PR_GET_FP_MODE, PR_GET_SPECULATION_CTRL, PR_GET_TAGGED_ADDR_CTRL,
	PR_GET_IO_FLUSHER, PR_SET_NO_NEW_PRIVS,
	-1
};

#define ALL32		0xffffffffU

/* Refused by argument.  Pids: 0 is the caller, anything else names
 * another process.  Sockets: raw and packet sockets reach below the
 * protocols, MPTCP escapes Landlock's TCP rules. */
const struct cap_argrule cap_arg_rules[] = {
	{ "socket", 1, CAP_EQ32, 0xf, SOCK_RAW },
	{ "socket", 1, CAP_EQ32, 0xf, SOCK_PACKET },
	{ "socket", 2, CAP_EQ32, ALL32, IPPROTO_MPTCP },
	/* An explicit destination is a protocol address (FreeBSD refuses
	 * it in sendto; sendmsg's msg_name is behind a pointer). */
	{ "sendto", 4, CAP_NE, 0, 0 },
	/* Typing into a terminal held open would run commands outside
	 * the sandbox (the jail's own filter refuses these too). */
	{ "ioctl", 1, CAP_EQ32, ALL32, TIOCSTI },
	{ "ioctl", 1, CAP_EQ32, ALL32, TIOCLINUX },
	{ "clone", 0, CAP_EQ32, CLONE_NEWNS, CLONE_NEWNS },
	{ "clone", 0, CAP_EQ32, CLONE_NEWCGROUP, CLONE_NEWCGROUP },
	{ "clone", 0, CAP_EQ32, CLONE_NEWUTS, CLONE_NEWUTS },
	{ "clone", 0, CAP_EQ32, CLONE_NEWIPC, CLONE_NEWIPC },
	{ "clone", 0, CAP_EQ32, CLONE_NEWUSER, CLONE_NEWUSER },
	{ "clone", 0, CAP_EQ32, CLONE_NEWPID, CLONE_NEWPID },
	{ "clone", 0, CAP_EQ32, CLONE_NEWNET, CLONE_NEWNET },
	/* waitid on a pidfd is pdwait; on a pid it is wait4. */
	{ "waitid", 0, CAP_NE, 0, P_PIDFD },
	{ "prlimit64", 0, CAP_NE, 0, 0 },
	{ "getpriority", 0, CAP_NE, 0, 0 },	/* PRIO_PROCESS ... */
	{ "getpriority", 1, CAP_NE, 0, 0 },	/* ... of oneself */
	{ "setpriority", 0, CAP_NE, 0, 0 },
	{ "setpriority", 1, CAP_NE, 0, 0 },
	{ "sched_getparam", 0, CAP_NE, 0, 0 },
	{ "sched_setparam", 0, CAP_NE, 0, 0 },
	{ "sched_getscheduler", 0, CAP_NE, 0, 0 },
	{ "sched_setscheduler", 0, CAP_NE, 0, 0 },
	{ "sched_getattr", 0, CAP_NE, 0, 0 },
	{ "sched_setattr", 0, CAP_NE, 0, 0 },
	{ "sched_getaffinity", 0, CAP_NE, 0, 0 },
	{ "sched_setaffinity", 0, CAP_NE, 0, 0 },
	{ "sched_rr_get_interval", 0, CAP_NE, 0, 0 },
	{ "sched_rr_get_interval_time64", 0, CAP_NE, 0, 0 },
	{ NULL, 0, 0, 0, 0 }
};

/* Local and Internet sockets; netlink (FreeBSD's routing sockets),
 * packet and every other family are refused. */
const int cap_socket_families[] = { AF_UNIX, AF_INET, AF_INET6, -1 };
