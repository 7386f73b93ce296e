/*
 * security_rules.c: the seccomp policy of a jail, written once as data.
 *
 * Each group names the syscalls it denies, the errno they fail with, and
 * the allow.* (or other condition) that lifts it.  Everything else is
 * allowed: the capability bounding set does most of the work, and these
 * rules close what capabilities do not cover (calls any uid may make,
 * calls whose capability the jail keeps for another reason, and kernel
 * interfaces too young or too broad to trust).
 */
#include <errno.h>
#include <linux/sched.h>
#include <sys/socket.h>
#include <sys/ioctl.h>

#include "error.h"
#include "filter.h"
#include "security.h"

/* When a group is lifted. */
enum lift {
	NEVER,		/* always denied */
	BY_PARAM,	/* denied unless the boolean parameter is true */
	BY_MOUNT,	/* denied unless mounting is allowed, or nesting */
	BY_NESTING,	/* denied unless children.max > 0 */
};

static const struct group {
	enum lift	 lift;
	const char	*param;
	int		 errnum;
	const char	*calls[12];
} groups[] = {
	/* securelevel's spirit at every level: no kernel code, no reboot,
	 * no raw I/O, no swap, no process accounting. */
	{ NEVER, NULL, EPERM, { "init_module", "finit_module",
	    "delete_module", "kexec_load", "kexec_file_load", "reboot",
	    "iopl", "ioperm", "swapon", "swapoff", "acct", NULL } },
	/* Shocker, kernel keyrings (not namespaced), eBPF, perf, uffd. */
	{ NEVER, NULL, EPERM, { "open_by_handle_at", "keyctl", "add_key",
	    "request_key", "bpf", "perf_event_open", "userfaultfd",
	    "lookup_dcookie", "uselib", "vm86", "vm86old", NULL } },
	{ BY_PARAM, "allow.io_uring", ENOSYS, { "io_uring_setup",
	    "io_uring_enter", "io_uring_register", NULL } },
	{ BY_PARAM, "allow.set_hostname", EPERM, { "sethostname",
	    "setdomainname", NULL } },
	{ BY_PARAM, "allow.read_msgbuf", EPERM, { "syslog", NULL } },
	{ BY_PARAM, "allow.quotas", EPERM, { "quotactl", "quotactl_fd",
	    NULL } },
	{ BY_PARAM, "allow.settime", EPERM, { "settimeofday",
	    "clock_settime", "clock_settime64", "stime", NULL } },
	{ BY_PARAM, "allow.mlock", EPERM, { "mlock", "mlock2", "mlockall",
	    NULL } },
	{ BY_PARAM, "allow.unprivileged_proc_debug", EPERM, { "ptrace",
	    "process_vm_readv", "process_vm_writev", "pidfd_getfd", NULL } },
	{ BY_MOUNT, NULL, EPERM, { "mount", "umount", "umount2", "fsopen",
	    "fsconfig", "fsmount", "fspick", "move_mount", "open_tree",
	    "mount_setattr", "pivot_root", NULL } },
	{ BY_NESTING, NULL, EPERM, { "setns", NULL } },
	/* seccomp cannot read clone3's flags: glibc falls back to clone. */
	{ BY_NESTING, NULL, ENOSYS, { "clone3", NULL } },
};

/* Namespace flags refused to unshare() and clone() without nesting.
 * CLONE_NEWTIME shares its bit with clone()'s exit signal. */
static const uint32_t ns_flags[] = {
	CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
	CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWTIME,
};

/* Socket families of a FreeBSD jail without allow.socket_af: local,
 * IPv4, IPv6 and route (netlink here). */
static bool
family_allowed(const struct vj_jail *j, int af)
{
	if (af == AF_UNIX || af == AF_INET || af == AF_INET6 ||
	    af == AF_NETLINK)
		return true;
	/* Packet sockets are Linux's raw link-layer sockets. */
	return af == AF_PACKET && vj_jail_bool(j, "allow.raw_sockets");
}

/* Is a group lifted for this jail? */
static bool
lifted(const struct vj_jail *j, const struct group *g)
{
	switch (g->lift) {
	case BY_PARAM:
		return vj_jail_bool(j, g->param);
	case BY_MOUNT:
		return vj_sec_may_mount(j) || vj_sec_nesting(j);
	case BY_NESTING:
		return vj_sec_nesting(j);
	default:
		return false;
	}
}

/* Refuse new namespaces to unshare() and clone(). */
static int
deny_namespaces(struct vj_error *err)
{
	size_t i;

	for (i = 0; i < sizeof(ns_flags) / sizeof(ns_flags[0]); i++) {
		if (vj_filter_deny_masked("unshare", EPERM, 0, ns_flags[i],
		    ns_flags[i], err) < 0)
			return -1;
		if (ns_flags[i] != CLONE_NEWTIME && vj_filter_deny_masked(
		    "clone", EPERM, 0, ns_flags[i], ns_flags[i], err) < 0)
			return -1;
	}
	return 0;
}

/* The kernel takes the family as an int below AF_MAX (46 in 6.x); 64
 * leaves room for families added later. */
#define FAMILIES	64

/* Is every family of [lo, lo + n) refused to the jail? */
static bool
all_refused(const struct vj_jail *j, int lo, int n)
{
	int af;

	for (af = lo; af < lo + n; af++)
		if (family_allowed(j, af))
			return false;
	return true;
}

/* Refuse every socket family the jail may not use, in aligned blocks
 * (one rule for 32-63, say, by its high bits): about ten rules, not
 * sixty, so the program every entering process has the kernel check
 * and compile is half as long. */
static int
deny_families(const struct vj_jail *j, struct vj_error *err)
{
	int af = 0, n;

	while (af < FAMILIES) {
		if (family_allowed(j, af)) {
			af++;
			continue;
		}
		/* The largest block starting here, aligned to its size. */
		for (n = 1; af % (2 * n) == 0 && af + 2 * n <= FAMILIES &&
		    all_refused(j, af, 2 * n); n *= 2)
			;
		if (vj_filter_deny_masked("socket", EAFNOSUPPORT, 0,
		    ~(uint32_t)(n - 1), (uint32_t)af, err) < 0)
			return -1;
		af += n;
	}
	return 0;
}

/* Raw IP sockets without allow.raw_sockets, in a stack whose owner rule
 * grants root CAP_NET_RAW there whatever its capability sets say
 * (net.c); the type is compared without SOCK_NONBLOCK and SOCK_CLOEXEC. */
static int
deny_raw_ip(const struct vj_jail *j, struct vj_error *err)
{
	static const int fam[2] = { AF_INET, AF_INET6 };
	struct vj_cmp c[2] = { { 0, 0xffffffffU, 0 }, { 1, 0xf, SOCK_RAW } };
	int i;

	if (!vj_net_owned_stack(j) || vj_jail_bool(j, "allow.raw_sockets"))
		return 0;
	for (i = 0; i < 2; i++) {
		c[0].value = (uint32_t)fam[i];
		if (vj_filter_deny_cmp("socket", EPERM, 2, c, err) < 0)
			return -1;
	}
	return 0;
}

/* Terminal injection into the caller's tty (CVE-2017-5226). */
static int
deny_tty_injection(struct vj_error *err)
{
	/* The command is an unsigned int: compared on its low 32 bits, so
	 * setting the high bits does not help (CVE-2019-10063). */
	if (vj_filter_deny_arg("ioctl", EPERM, 1, TIOCSTI, err) < 0 ||
	    vj_filter_deny_arg("ioctl", EPERM, 1, TIOCLINUX, err) < 0)
		return -1;
	return 0;
}

/* Add the jail's seccomp rules. */
int
vj_sec_rules(const struct vj_jail *j, struct vj_error *err)
{
	const char *const *c;
	size_t i;

	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		if (lifted(j, &groups[i]))
			continue;
		for (c = groups[i].calls; *c != NULL; c++)
			if (vj_filter_deny(*c, groups[i].errnum, err) < 0)
				return -1;
	}
	if (!vj_sec_nesting(j) && deny_namespaces(err) < 0)
		return -1;
	if (!vj_jail_bool(j, "allow.socket_af") && deny_families(j, err) < 0)
		return -1;
	if (deny_raw_ip(j, err) < 0)
		return -1;
	return deny_tty_injection(err);
}
