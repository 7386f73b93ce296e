/*
 * security.c: FreeBSD's allow.* model and securelevel on Linux, and the
 * hardened defaults every jail gets: a narrowed capability bounding set,
 * empty inheritable and ambient sets, no_new_privs and one seccomp filter
 * (security_caps.c, security_rules.c).  Last in the table: it restricts a
 * process after every other subsystem has set it up, and the framework
 * loads the filter right after it.
 *
 * Defaults follow FreeBSD's kernel (kern_jail.c, JAIL_DEFAULT_ALLOW):
 * set_hostname, reserved_ports, unprivileged_proc_debug and suser on,
 * the rest off.  jail(8)'s prose says unprivileged_proc_debug is off;
 * jails actually get the kernel's value, so we follow the kernel.
 *
 * Changes made by jail -m apply to processes that enter the jail from
 * then on: Linux cannot take a capability away from a running process.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include "error.h"
#include "filter.h"
#include "security.h"
#include "subsys.h"

#define B	VJ_PT_BOOL
#define NL	VJ_PF_NOLINUX

static const struct vj_pdef security_params[] = {
	{ "allow.set_hostname", B, 0, "true", "sethostname in the jail" },
	{ "allow.raw_sockets", B, 0, "false",
	    "raw and packet sockets (CAP_NET_RAW)" },
	{ "allow.chflags", B, 0, "false",
	    "immutable and append-only flags (CAP_LINUX_IMMUTABLE)" },
	{ "allow.mount", B, 0, "false",
	    "mount allow.mount.* types (needs enforce_statfs < 2)" },
	{ "allow.mount.devfs", B, 0, "false", "mount a /dev (tmpfs, devpts)" },
	{ "allow.mount.fdescfs", B, NL, "false", "no Linux meaning" },
	{ "allow.mount.fusefs", B, 0, "false", "mount fuse (/dev/fuse)" },
	{ "allow.mount.nullfs", B, 0, "false", "bind mounts" },
	{ "allow.mount.procfs", B, 0, "false", "mount proc" },
	{ "allow.mount.linprocfs", B, 0, "false", "mount proc" },
	{ "allow.mount.linsysfs", B, 0, "false", "mount sysfs" },
	{ "allow.mount.tmpfs", B, 0, "false", "mount tmpfs" },
	{ "allow.mount.zfs", B, NL, "false", "no Linux meaning" },
	{ "allow.quotas", B, 0, "false", "quotactl (queries only)" },
	{ "allow.read_msgbuf", B, 0, "false", "dmesg (syslog, CAP_SYSLOG)" },
	{ "allow.socket_af", B, 0, "false",
	    "socket families beyond local, inet, inet6, netlink" },
	{ "allow.mlock", B, 0, "false", "mlock (CAP_IPC_LOCK, RLIMIT_MEMLOCK)" },
	{ "allow.nfsd", B, NL, "false", "no Linux meaning (knfsd is host-wide)" },
	{ "allow.reserved_ports", B, 0, "true",
	    "bind ports below 1024 (CAP_NET_BIND_SERVICE)" },
	{ "allow.unprivileged_proc_debug", B, 0, "true",
	    "ptrace, process_vm_*, pidfd_getfd" },
	{ "allow.unprivileged_parent_tampering", B, NL, "false",
	    "no Linux meaning (host processes of the same uid always may)" },
	{ "allow.suser", B, 0, "true", "root has privileges in the jail" },
	{ "allow.extattr", B, 0, "false",
	    "security.capability attributes (CAP_SETFCAP)" },
	{ "allow.adjtime", B, 0, "false", "adjtimex (CAP_SYS_TIME)" },
	{ "allow.settime", B, 0, "false",
	    "settimeofday, clock_settime (CAP_SYS_TIME)" },
	{ "allow.routing", B, 0, "false",
	    "non-vnet: the host's network configuration (CAP_NET_ADMIN)" },
	{ "allow.setaudit", B, 0, "false", "audit (CAP_AUDIT_*)" },
	{ "allow.vmm", B, 0, "false", "/dev/kvm in mount.devfs" },
	{ "allow.vmm_ppt", B, NL, "false", "no Linux meaning" },
	{ "allow.io_uring", B, 0, "false", "io_uring (denied: ENOSYS)" },
	{ "allow.setuid", B, 0, "false",
	    "setuid bits and file capabilities work (no no_new_privs)" },
	{ "securelevel", VJ_PT_INT, 0, "-1",
	    "1: no chflags, 2: no settime, 3: no firewall changes" },
	{ NULL, 0, 0, NULL, NULL }
};

/* Mount types whose allow.mount.<fs> makes allow.mount work. */
static const char *const mount_types[] = {
	"allow.mount.devfs", "allow.mount.fusefs", "allow.mount.nullfs",
	"allow.mount.procfs", "allow.mount.linprocfs", "allow.mount.linsysfs",
	"allow.mount.tmpfs", NULL
};

/* Is any allow.mount.<fstype> set? */
static bool
any_mount_type(const struct vj_jail *j)
{
	const char *const *t;

	for (t = mount_types; *t != NULL; t++)
		if (vj_jail_bool(j, *t))
			return true;
	return false;
}

/* allow.mount and one type, but enforce_statfs 2: FreeBSD's no-op. */
static bool
mount_asked(const struct vj_jail *j)
{
	return vj_jail_bool(j, "allow.mount") && any_mount_type(j);
}

/* May the jail's processes mount? */
bool
vj_sec_may_mount(const struct vj_jail *j)
{
	return mount_asked(j) && vj_jail_int(j, "enforce_statfs", 2) < 2;
}

/* May they make child jails? */
bool
vj_sec_nesting(const struct vj_jail *j)
{
	return vj_jail_int(j, "children.max", 0) > 0;
}

/* Does the jail have its own network stack? */
bool
vj_sec_vnet(const struct vj_jail *j)
{
	return strcmp(vj_jail_sys(j, "vnet", "inherit"), "new") == 0;
}

/* Does the jail have its own user namespace? */
bool
vj_sec_userns(const struct vj_jail *j)
{
	return vj_params_get(&j->params, "user.map") != NULL;
}

/* Tell a person what a setting costs on Linux. */
static void
warn_costs(const struct vj_jail *j)
{
	bool userns = vj_sec_userns(j);

	if (mount_asked(j) && !vj_sec_may_mount(j))
		vj_warn(j->ctx, "allow.mount: no effect while enforce_statfs "
		    "is 2 (as on FreeBSD)");
	else if (!mount_asked(j) && (vj_jail_bool(j, "allow.mount") ||
	    any_mount_type(j)))
		vj_warn(j->ctx, "allow.mount: no effect without both "
		    "allow.mount and an allow.mount.<fstype> (as on FreeBSD)");
	if (vj_jail_bool(j, "allow.vmm") && access("/dev/kvm", F_OK) < 0)
		vj_warn(j->ctx, "allow.vmm: this host has no /dev/kvm (KVM "
		    "is missing or not loaded)");
	if (vj_sec_may_mount(j) && !userns)
		vj_warn(j->ctx, "allow.mount: without user.map the jail keeps "
		    "CAP_SYS_ADMIN and may mount any type: not a boundary");
	if (vj_sec_nesting(j) && !userns)
		vj_warn(j->ctx, "children.max: without user.map the jail "
		    "keeps CAP_SYS_ADMIN to make jails: not a boundary");
	else if (vj_sec_vnet(j) && !userns && !vj_net_owned_stack(j) &&
	    vj_jail_bool(j, "allow.suser") &&
	    vj_jail_int(j, "securelevel", -1) < 3)
		vj_warn(j->ctx, "allow.noreserved_ports: in a vnet jail "
		    "without user.map, its root keeps CAP_NET_ADMIN on the "
		    "host, which reaches the stack at the other end of its "
		    "links: not a boundary");
}

/* Validate, probe the kernel, and warn. */
static int
security_check(struct vj_jail *j, struct vj_error *err)
{
	long level = vj_jail_int(j, "securelevel", -1);

	if (level < -1 || level > 3)
		return vj_err_set(err, EINVAL,
		    "securelevel: invalid value \"%ld\"", level);
	if (vj_filter_probe(err) < 0)
		return -1;
	warn_costs(j);
	return 0;
}

/* Restrict the calling process: rules, then capabilities and limits. */
static int
security_enter(struct vj_jail *j, bool init, struct vj_error *err)
{
	struct rlimit none = { 0, 0 };

	if (vj_sec_rules(j, err) < 0)
		return -1;
	/* Without CAP_IPC_LOCK the limit is all that bounds locking, and
	 * without CAP_SYS_RESOURCE it cannot be raised again. */
	if (!vj_jail_bool(j, "allow.mlock") &&
	    setrlimit(RLIMIT_MEMLOCK, &none) < 0)
		return vj_err_sys(err, "RLIMIT_MEMLOCK");
	return vj_sec_restrict(j, init, err);
}

/* jail -m: say that running processes keep what they had. */
static int
security_update(struct vj_jail *j)
{
	const struct vj_pdef *d;
	const char *a, *b;

	for (d = security_params; d->name != NULL; d++) {
		a = vj_params_get(&j->old, d->name);
		b = vj_params_get(&j->params, d->name);
		if (b != NULL && (a == NULL || strcmp(a, b) != 0))
			vj_warn(j->ctx, "%s: applies to processes that enter "
			    "the jail from now on", d->name);
	}
	return 0;
}

/* Setup by phase. */
static int
security_setup(struct vj_jail *j, enum vj_phase ph, struct vj_error *err)
{
	switch (ph) {
	case VJ_PH_CHECK:
		return security_check(j, err);
	case VJ_PH_CHILD:
		return security_enter(j, true, err);
	case VJ_PH_ENTER:
		return security_enter(j, false, err);
	case VJ_PH_UPDATE:
		return security_update(j);
	default:
		return 0;
	}
}

/* Show the policy a process entering the jail gets. */
static void
security_show(const struct vj_jail *j, FILE *out)
{
	struct vj_error e;

	fprintf(out, "\tcapabilities ");
	vj_sec_print_caps(out, vj_sec_caps(j));
	fprintf(out, "\n\tno_new_privs %s mount %s nesting %s securelevel %ld\n",
	    vj_jail_bool(j, "allow.setuid") ? "off" : "on",
	    vj_sec_may_mount(j) ? "yes" : "no",
	    vj_sec_nesting(j) ? "yes" : "no",
	    vj_jail_int(j, "securelevel", -1));
	fprintf(out, "\tseccomp %s\n", vj_filter_probe(&e) == 0 ? "yes" :
	    e.ve_msg);
}

const struct vj_subsys vj_subsys_security = {
	.name = "security",
	.params = security_params,
	.setup = security_setup,
	.show = security_show,
};
