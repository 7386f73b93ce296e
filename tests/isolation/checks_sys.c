/*
 * checks_sys.c: checks 19-42 of security.md §3.3: processes, IPC,
 * capabilities, the syscall filter, foreign ABIs, time, hostname and
 * the network.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <linux/fs.h>
#include <linux/keyctl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"

#define BIT(c)	(1ULL << (c))

/* Does any process's argv contain text? */
static bool
process_with(const char *text)
{
	char path[300], buf[4096];
	struct dirent *de;
	DIR *d = opendir("/proc");
	long len, i;
	bool found = false;

	while (d != NULL && !found && (de = readdir(d)) != NULL) {
		/* Not ourselves, whose argv names the marker, nor the init,
		 * whose argv is its creator's (our command line again). */
		if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
		    atoi(de->d_name) == getpid() || atoi(de->d_name) == 1)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", de->d_name);
		len = slurp(path, buf, sizeof(buf));
		for (i = 0; i < len; i++)
			if (buf[i] == '\0')
				buf[i] = ' ';
		found = len > 0 && strstr(buf, text) != NULL;
	}
	if (d != NULL)
		closedir(d);
	return found;
}

/* 19: only the jail's processes; its init is pid 1. */
static void
c_pids(int n)
{
	char comm[64];

	if (slurp("/proc/1/comm", comm, sizeof(comm)) < 0)
		return skip(n, "no /proc in this jail", "pid isolation");
	tap(strcmp(comm, "vjail-init\n") == 0, n, "pid 1 is the jail's init");
	if (opt.procmark != NULL)
		tap(!process_with(opt.procmark), n, "host process \"%s\" "
		    "invisible", opt.procmark);
}

/* 20: the init cannot be traced; a child only with allow.*proc_debug. */
static void
c_ptrace(int n)
{
	pid_t pid;
	long rc;

	CALL(rc, ptrace(PTRACE_ATTACH, 1, NULL, NULL));
	want_err(n, "ptrace attach to pid 1", rc, errno, ERRS(EPERM));
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	CALL(rc, ptrace(PTRACE_ATTACH, pid, NULL, NULL));
	want(n, allowed("unprivileged_proc_debug"), "ptrace attach to own child",
	    rc, errno, ERRS(EPERM));
	kill(pid, SIGKILL);
	reap(pid);
}

/* 21: kill(-1) is checked from the host. */
static void
c_kill_all(int n)
{
	skip(n, "checked from the host by tests/integration/security.sh",
	    "kill -1 contained");
}

/* 22: a host (or other jail's) SysV key is out of reach. */
static void
c_sysv(int n)
{
	const char *mode;
	key_t key;
	long rc;

	if (opt.shmkey == NULL || (mode = strchr(opt.shmkey, ':')) == NULL)
		return skip(n, "no key given (-k key:mode)", "SysV isolation");
	key = (key_t)strtol(opt.shmkey, NULL, 0);
	CALL(rc, shmget(key, 0, 0));
	if (strcmp(mode + 1, "inherit") == 0)
		want_ok(n, "shmget of the host's key (inherit)", rc, errno);
	else
		want_err(n, "shmget of a foreign key", rc, errno,
		    strcmp(mode + 1, "new") == 0 ? ERRS(ENOENT) : ERRS(ENOSYS));
}

/* 23: a host abstract socket is unreachable (own network stack). */
static void
c_abstract(int n)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t len;
	long rc;
	int fd;

	if (opt.abstract == NULL || (!opt.vnet && !opt.scoped))
		return skip(n, opt.abstract ? "a shared stack shares abstract "
		    "sockets without unix.abstract=new" : "no name given (-U)",
		    "abstract sockets");
	snprintf(sa.sun_path + 1, sizeof(sa.sun_path) - 1, "%s",
	    opt.abstract);
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
	    strlen(opt.abstract));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CALL(rc, connect(fd, (struct sockaddr *)&sa, len));
	/* Landlock's scoping says EPERM; another stack has no such name. */
	want_err(n, "connect to the host's abstract socket", rc, errno,
	    opt.vnet ? ERRS(ECONNREFUSED) : ERRS(EPERM));
	close(fd);
}

/* A hex field of /proc/self/status. */
static unsigned long long
status_hex(const char *field)
{
	char buf[4096], *p;

	if (slurp("/proc/self/status", buf, sizeof(buf)) < 0 ||
	    (p = strstr(buf, field)) == NULL)
		return ~0ULL;
	return strtoull(p + strlen(field), NULL, 16);
}

/* The bounding set this jail's parameters call for. */
static unsigned long long
expected_caps(void)
{
	unsigned long long c = BIT(0) | BIT(1) | BIT(3) | BIT(4) | BIT(5) |
	    BIT(6) | BIT(7) | BIT(8) | BIT(11) | BIT(15) | BIT(18) | BIT(28);

	if (!allowed("suser"))
		return 0;
	c |= allowed("reserved_ports") ? BIT(10) : 0;
	c |= allowed("raw_sockets") ? BIT(13) : 0;
	c |= allowed("chflags") ? BIT(9) : 0;
	c |= allowed("mlock") ? BIT(14) : 0;
	c |= allowed("read_msgbuf") ? BIT(34) : 0;
	c |= allowed("settime") || allowed("adjtime") ? BIT(25) : 0;
	/* A vnet stack owned by a user namespace of its own is configured
	 * by the owner rule, without CAP_NET_ADMIN (lib/subsys/net.c). */
	if (!(opt.vnet && !opt.userns && !opt.nesting &&
	    allowed("reserved_ports")))
		c |= allowed("routing") || opt.vnet ? BIT(12) : 0;
	c |= allowed("setaudit") ? BIT(29) | BIT(30) | BIT(37) : 0;
	c |= allowed("extattr") ? BIT(31) : 0;
	if (opt.may_mount || opt.nesting || (opt.userns &&
	    allowed("set_hostname")))
		c |= BIT(21);
	return c;
}

/* 24: the bounding and effective sets are exactly the jail's. */
static void
c_caps(int n)
{
	unsigned long long want_caps = expected_caps();
	unsigned long long bnd = status_hex("CapBnd:");
	unsigned long long eff = status_hex("CapEff:");

	tap(bnd == want_caps, n, "CapBnd %llx, wanted %llx", bnd, want_caps);
	tap(eff == want_caps, n, "CapEff %llx, wanted %llx", eff, want_caps);
}

/* 25: nothing inheritable, nothing ambient. */
static void
c_inh(int n)
{
	tap(status_hex("CapInh:") == 0, n, "CapInh is 0");
	tap(status_hex("CapAmb:") == 0, n, "CapAmb is 0");
}

/* Run the setuid copy as nobody; its euid, or -1. */
static int
suid_euid(void)
{
	char buf[32] = "";
	int p[2];
	pid_t pid;

	if (pipe(p) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(1);
		execl(opt.suid, "probe", "euid", (char *)NULL);
		_exit(1);
	}
	close(p[1]);
	if (read(p[0], buf, sizeof(buf) - 1) < 0)
		buf[0] = '\0';
	close(p[0]);
	reap(pid);
	return buf[0] ? atoi(buf) : -1;
}

/* 26: no_new_privs, and a setuid binary gives nothing. */
static void
c_nnp(int n)
{
	char buf[4096], *p;
	int want_nnp = allowed("setuid") ? 0 : 1, euid, want_euid;

	if (slurp("/proc/self/status", buf, sizeof(buf)) < 0 ||
	    (p = strstr(buf, "NoNewPrivs:")) == NULL)
		return skip(n, "no /proc in this jail", "no_new_privs");
	tap(atoi(p + 11) == want_nnp, n, "NoNewPrivs is %d", want_nnp);
	if (opt.suid == NULL || !allowed("suser"))
		return skip(n, opt.suid ? "root cannot become nobody without "
		    "allow.suser" : "no setuid copy given (-S)",
		    "setuid ignored");
	euid = suid_euid();
	/* In a user namespace the host's root owns the copy: unmapped, so
	 * the bit is ignored whatever no_new_privs says. */
	want_euid = allowed("setuid") && !opt.userns ? 0 : 65534;
	tap(euid == want_euid, n, "setuid-root binary run by nobody: euid "
	    "%d, wanted %d", euid, want_euid);
}

/* 27: no module loading. */
static void
c_modules(int n)
{
	long rc;

	CALL(rc, syscall(SYS_finit_module, -1, "", 0));
	want_err(n, "finit_module", rc, errno, ERRS(EPERM));
	CALL(rc, syscall(SYS_init_module, NULL, 0, ""));
	want_err(n, "init_module", rc, errno, ERRS(EPERM));
	CALL(rc, syscall(SYS_delete_module, "probe", 0));
	want_err(n, "delete_module", rc, errno, ERRS(EPERM));
}

/* 28: the kernel keyrings (not namespaced) are out of reach. */
static void
c_keys(int n)
{
	char buf[64];
	long rc;

	CALL(rc, syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID,
	    KEY_SPEC_USER_KEYRING, 0));
	want_err(n, "keyctl", rc, errno, ERRS(EPERM));
	CALL(rc, syscall(SYS_add_key, "user", "probe", "x", 1,
	    KEY_SPEC_PROCESS_KEYRING));
	want_err(n, "add_key", rc, errno, ERRS(EPERM));
	tap(slurp("/proc/keys", buf, sizeof(buf)) <= 0, n, "/proc/keys empty");
}

/* unshare(flags) in a child: 0 if it worked, else the errno. */
static int
try_unshare(int flags)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(unshare(flags) == 0 ? 0 : errno);
	return reap(pid);
}

/* 29: no namespaces of its own unless children.max > 0. */
static void
c_nested_ns(int n)
{
	int e, fd;
	long rc;

	e = try_unshare(CLONE_NEWUSER);
	want(n, opt.nesting, "unshare(NEWUSER)", e ? -1 : 0, e, ERRS(EPERM));
	e = try_unshare(CLONE_NEWNS);
	want(n, opt.nesting, "unshare(NEWNS)", e ? -1 : 0, e, ERRS(EPERM));
	fd = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
	CALL(rc, setns(fd, CLONE_NEWUTS));
	want(n, opt.nesting, "setns", rc, errno, ERRS(EPERM));
	close(fd);
	CALL(rc, syscall(SYS_clone3, NULL, 0));
	want_err(n, "clone3", rc, errno, opt.nesting ? ERRS(EINVAL) :
	    ERRS(ENOSYS));
}

/* One call of the sweep that must be refused. */
#define SWEEP(name, call, errs)	do {					\
	long _rc;							\
	CALL(_rc, call);						\
	want_err(n, name, _rc, errno, errs);				\
} while (0)

/* 30: seccomp is on and refuses the dangerous calls. */
static void
c_sweep(int n)
{
	char page[64];
	struct iovec local = { page, 1 }, remote = { (void *)0x10000, 1 };
	bool mnt = opt.may_mount || opt.nesting;

	tap(status_hex("Seccomp:") == 2, n, "Seccomp: 2 (filter)");
	SWEEP("reboot", syscall(SYS_reboot, 0, 0, 0, NULL), ERRS(EPERM));
	SWEEP("kexec_load", syscall(SYS_kexec_load, 0, 0, NULL, 0), ERRS(EPERM));
	SWEEP("bpf", syscall(SYS_bpf, 0, NULL, 0), ERRS(EPERM));
	SWEEP("perf_event_open", syscall(SYS_perf_event_open, NULL, 0, -1, -1,
	    0), ERRS(EPERM));
	SWEEP("userfaultfd", syscall(SYS_userfaultfd, 0), ERRS(EPERM));
	SWEEP("io_uring_setup", syscall(SYS_io_uring_setup, 1, NULL),
	    allowed("io_uring") ? ERRS(EFAULT) : ERRS(ENOSYS));
	if (!mnt) {
		SWEEP("mount", syscall(SYS_mount, "x", "/nonexistent", "tmpfs", 0, NULL),
		    ERRS(EPERM));
		SWEEP("umount2", syscall(SYS_umount2, "/nonexistent", 0),
		    ERRS(EPERM));
		SWEEP("pivot_root", syscall(SYS_pivot_root, "/x", "/y"),
		    ERRS(EPERM));
	}
	/* Calls newer than the policy, open_tree_attr (467) first: ENOSYS
	 * in every jail, as on an older kernel. */
	SWEEP("open_tree_attr", syscall(467, AT_FDCWD, "/proc", 1 /* CLONE */,
	    NULL, 0), ERRS(ENOSYS));
	SWEEP("syscall 500", syscall(500, 0, 0, 0), ERRS(ENOSYS));
	SWEEP("swapon", syscall(SYS_swapon, "/nonexistent", 0), ERRS(EPERM));
	SWEEP("acct", syscall(SYS_acct, NULL), ERRS(EPERM));
	SWEEP("iopl", syscall(SYS_iopl, 3), ERRS(EPERM));
	SWEEP("clock_settime", syscall(SYS_clock_settime, CLOCK_REALTIME, NULL),
	    allowed("settime") ? ERRS(EFAULT) : ERRS(EPERM));
	SWEEP("process_vm_writev to pid 1", process_vm_writev(1, &local, 1,
	    &remote, 1, 0), ERRS(EPERM));
	if (!allowed("read_msgbuf"))
		SWEEP("syslog", syscall(SYS_syslog, 10, NULL, 0), ERRS(EPERM));
	SWEEP("quotactl", syscall(SYS_quotactl, 0, NULL, 0, NULL),
	    allowed("quotas") ? ERRS(EINVAL, ENOENT, EFAULT, ENODEV) :
	    ERRS(EPERM));
	if (!allowed("mlock"))
		SWEEP("mlock", mlock(page, sizeof(page)), ERRS(EPERM));
}

/* 31: an ioctl command with high bits set is still TIOCSTI. */
static void
c_high_bits(int n)
{
	char c = 'x';

	SWEEP("ioctl((1<<32)|TIOCSTI)", syscall(SYS_ioctl, 0,
	    (1UL << 32) | TIOCSTI, &c), ERRS(EPERM));
}

/* 32: no typing into the caller's terminal. */
static void
c_tiocsti(int n)
{
	char c = 'x';

	SWEEP("ioctl(TIOCSTI)", ioctl(0, TIOCSTI, &c), ERRS(EPERM));
}

/* An i386 system call through int $0x80. */
static long
int80(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile ("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b),
	    "d"(c) : "memory", "r8", "r9", "r10", "r11");
	return ret;
}

/* 33: the i386 and x32 entry points get the same policy. */
static void
c_abis(int n)
{
	pid_t pid = fork();
	long rc;
	int st;

	if (pid == 0) {
		if (int80(20 /* getpid */, 0, 0, 0) <= 0)
			_exit(1);
		/* reboot, bad magic: EINVAL if it got through. */
		_exit(int80(88 /* reboot */, 0, 0, 0) == -EPERM ? 0 : 2);
	}
	st = reap(pid);
	if (st >= 128)
		skip(n, "no i386 emulation in this kernel", "i386 entry point");
	else
		tap(st == 0, n, "i386 int $0x80: getpid works, reboot EPERM "
		    "(status %d)", st);
	CALL(rc, syscall(0x40000000 | SYS_reboot, 0, 0, 0, NULL));
	want_err(n, "x32 reboot", rc, errno, ERRS(EPERM));
}

/* Set (and clear again) the immutable flag of a fresh file. */
static void
try_chattr(int n)
{
	char path[] = "/tmp/.probe-chattr.XXXXXX";
	int fd = mkstemp(path), flags = 0;
	long rc;

	if (fd < 0 || ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0) {
		skip(n, "no file flags on /tmp here", "chattr +i");
	} else {
		flags |= FS_IMMUTABLE_FL;
		CALL(rc, ioctl(fd, FS_IOC_SETFLAGS, &flags));
		want(n, allowed("chflags"), "chattr +i", rc, errno,
		    ERRS(EPERM));
		flags &= ~FS_IMMUTABLE_FL;
		ioctl(fd, FS_IOC_SETFLAGS, &flags);
	}
	if (fd >= 0)
		close(fd);
	unlink(path);
}

/* 34: securelevel's spirit: flags and the clock stay. */
static void
c_securelevel(int n)
{
	struct timespec now;
	long rc;

	try_chattr(n);
	clock_gettime(CLOCK_REALTIME, &now);
	CALL(rc, clock_settime(CLOCK_REALTIME, &now));
	want(n, allowed("settime"), "clock_settime", rc, errno, ERRS(EPERM));
}

/* 35: the hostname changes only with allow.set_hostname. */
static void
c_hostname(int n)
{
	bool may = allowed("set_hostname") && (opt.userns || opt.may_mount ||
	    opt.nesting);
	long rc;

	CALL(rc, sethostname("probe-jail", 10));
	want(n, may, "sethostname", rc, errno, ERRS(EPERM));
}

/* 36: a vnet jail has its own interfaces: lo only. */
static void
c_ifaces(int n)
{
	struct if_nameindex *ifs, *i;
	char names[512] = "";

	if (!opt.vnet)
		return skip(n, "shared stack", "own interfaces");
	ifs = if_nameindex();
	for (i = ifs; i != NULL && i->if_index != 0; i++) {
		if (names[0])
			strncat(names, " ", sizeof(names) - strlen(names) - 1);
		strncat(names, i->if_name, sizeof(names) - strlen(names) - 1);
	}
	if (ifs != NULL)
		if_freenameindex(ifs);
	tap(strcmp(names, "lo") == 0, n, "interfaces: [%s]", names);
}

/* 37: ip4.addr binding belongs to the ip subsystem's tests. */
static void
c_ip_bind(int n)
{
	skip(n, "ip4.addr: tests of the ip subsystem", "non-vnet binding");
}

/* Every family the filter refuses in blocks (security_rules.c), at each
 * block's edges: refused, whatever the kernel has. */
static void
c_families(int n)
{
	static const int fam[] = { 0, 3, 4, 7, 8, 9, 11, 12, 15, 18, 19, 20,
	    23, 24, 31, 32, 45, 63 };
	char what[32];
	size_t i;
	long rc;

	for (i = 0; i < sizeof(fam) / sizeof(fam[0]); i++) {
		CALL(rc, socket(fam[i], SOCK_DGRAM, 0));
		snprintf(what, sizeof(what), "socket(family %d)", fam[i]);
		want_err(n, what, rc, errno, ERRS(EAFNOSUPPORT));
		if (rc >= 0)
			close((int)rc);
	}
}

/* 38: raw and packet sockets only with allow.raw_sockets; other
 * families only with allow.socket_af. */
static void
c_raw(int n)
{
	bool raw = allowed("raw_sockets"), af = allowed("socket_af");
	long rc;

	CALL(rc, socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
	want(n, raw, "socket(INET, RAW)", rc, errno, ERRS(EPERM));
	if (rc >= 0)
		close((int)rc);
	CALL(rc, socket(AF_PACKET, SOCK_RAW, 0));
	want(n, raw, "socket(PACKET, RAW)", rc, errno, af ? ERRS(EPERM) :
	    ERRS(EAFNOSUPPORT, EPERM));
	if (rc >= 0)
		close((int)rc);
	CALL(rc, syscall(SYS_socket, (1UL << 32) | AF_ALG, SOCK_SEQPACKET, 0));
	if (!af)
		want_err(n, "socket(ALG | high bits)", rc, errno,
		    ERRS(EAFNOSUPPORT));
	if (rc >= 0)
		close((int)rc);
	if (!af)
		c_families(n);
}

/* 39: network configuration only of a stack of its own. */
static void
c_netadmin(int n)
{
	bool may = opt.vnet || allowed("routing");
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	long rc;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	ioctl(fd, SIOCGIFFLAGS, &ifr);
	CALL(rc, ioctl(fd, SIOCSIFFLAGS, &ifr));
	want(n, may, "SIOCSIFFLAGS lo", rc, errno, ERRS(EPERM));
	close(fd);
	CALL(rc, open("/proc/sys/net/ipv4/conf/all/route_localnet", O_WRONLY));
	if (access("/proc/self", F_OK) == 0)
		want(n, opt.vnet, "write route_localnet", rc, errno,
		    ERRS(EROFS, EACCES));
	if (rc >= 0)
		close((int)rc);
}

/* Connect to an IPv4 address and port; the result and errno. */
static long
connect4(const char *ip, int port, int *err)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	long rc;

	sa.sin_port = htons((unsigned short)port);
	inet_pton(AF_INET, ip, &sa.sin_addr);
	CALL(rc, connect(fd, (struct sockaddr *)&sa, sizeof(sa)));
	*err = errno;
	close(fd);
	return rc;
}

/* 40: the host's services are out of reach from a stack of its own. */
static void
c_host_services(int n)
{
	long rc;
	int e;

	if (!opt.vnet || opt.port == 0)
		return skip(n, opt.vnet ? "no port given (-P)" : "shared stack",
		    "host services unreachable");
	rc = connect4("127.0.0.1", opt.port, &e);
	want_err(n, "connect to the host's loopback port", rc, e,
	    ERRS(ECONNREFUSED));
	rc = connect4("169.254.169.254", 80, &e);
	want_err(n, "connect to 169.254.169.254", rc, e,
	    ERRS(ENETUNREACH, EHOSTUNREACH));
}

/* 41: the state store (and any manager socket) is masked. */
static void
c_store(int n)
{
	char buf[512];

	if (opt.nesting)
		return skip(n, "children.max shares the store", "store masked");
	tap(access("/run/vjail/jail", F_OK) < 0, n, "/run/vjail/jail absent");
	if (slurp("/run/vjail/self", buf, sizeof(buf)) > 0)
		tap(true, n, "/run/vjail holds only \"self\": %.*s",
		    (int)strcspn(buf, "\n"), buf);
}

/* 42 belongs to the cgroup subsystem's tests. */
static void
c_not_here(int n)
{
	skip(n, "resource limits are the cgroup subsystem's",
	    "resource limits");
}

const check_fn checks_sys[44] = {
	[19] = c_pids, [20] = c_ptrace, [21] = c_kill_all, [22] = c_sysv,
	[23] = c_abstract, [24] = c_caps, [25] = c_inh, [26] = c_nnp,
	[27] = c_modules, [28] = c_keys, [29] = c_nested_ns, [30] = c_sweep,
	[31] = c_high_bits, [32] = c_tiocsti, [33] = c_abis,
	[34] = c_securelevel, [35] = c_hostname, [36] = c_ifaces,
	[37] = c_ip_bind, [38] = c_raw, [39] = c_netadmin,
	[40] = c_host_services, [41] = c_store, [42] = c_not_here,
	[43] = c_capmode,
};
