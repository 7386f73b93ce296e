/*
 * security_caps.c: the capabilities a jail's processes keep.
 *
 * FreeBSD's jailed root is uid 0 narrowed by prison_priv_check(); here
 * it is uid 0 narrowed by the capability bounding set.  The base set is
 * what jailed root may do on FreeBSD without any allow.* (own files, ids,
 * signals inside the jail, chroot); each allow.* adds the capability that
 * carries it on Linux.  Module loading, raw I/O, mknod, ptrace of other
 * users, the clock and the host's network are never in the base set.
 */
#include <errno.h>
#include <linux/securebits.h>
#include <stdio.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "error.h"
#include "filter.h"
#include "init.h"
#include "security.h"

#define BIT(c)	(1ULL << (c))

/* What jailed root may do with no allow.* at all. */
static const uint64_t base_caps =
	BIT(CAP_CHOWN) | BIT(CAP_DAC_OVERRIDE) | BIT(CAP_FOWNER) |
	BIT(CAP_FSETID) | BIT(CAP_KILL) | BIT(CAP_SETGID) | BIT(CAP_SETUID) |
	BIT(CAP_SETPCAP) | BIT(CAP_NET_BROADCAST) | BIT(CAP_IPC_OWNER) |
	BIT(CAP_SYS_CHROOT) | BIT(CAP_LEASE);

/* One allow.* and the capabilities it grants. */
static const struct grant {
	const char	*param;
	uint64_t	 caps;
} grants[] = {
	{ "allow.reserved_ports", BIT(CAP_NET_BIND_SERVICE) },
	{ "allow.raw_sockets", BIT(CAP_NET_RAW) },
	{ "allow.chflags", BIT(CAP_LINUX_IMMUTABLE) },
	{ "allow.mlock", BIT(CAP_IPC_LOCK) },
	{ "allow.read_msgbuf", BIT(CAP_SYSLOG) },
	{ "allow.settime", BIT(CAP_SYS_TIME) },
	{ "allow.adjtime", BIT(CAP_SYS_TIME) },
	{ "allow.routing", BIT(CAP_NET_ADMIN) },
	{ "allow.setaudit", BIT(CAP_AUDIT_WRITE) | BIT(CAP_AUDIT_CONTROL) |
	    BIT(CAP_AUDIT_READ) },
	{ "allow.extattr", BIT(CAP_SETFCAP) },
};

/* Capabilities a securelevel takes away whatever allow.* says. */
static uint64_t
securelevel_caps(long level)
{
	uint64_t out = 0;

	if (level >= 1)		/* immutable flags stay */
		out |= BIT(CAP_LINUX_IMMUTABLE);
	if (level >= 2)		/* the clock is not stepped */
		out |= BIT(CAP_SYS_TIME);
	if (level >= 3)		/* the firewall is frozen */
		out |= BIT(CAP_NET_ADMIN);
	return out;
}

/* The capabilities the jail keeps. */
uint64_t
vj_sec_caps(const struct vj_jail *j)
{
	uint64_t caps = base_caps;
	size_t i;

	if (!vj_jail_bool(j, "allow.suser"))
		return 0;	/* root is an ordinary user */
	for (i = 0; i < sizeof(grants) / sizeof(grants[0]); i++)
		if (vj_jail_bool(j, grants[i].param))
			caps |= grants[i].caps;
	/* A stack of its own is the jail's to configure, as in a FreeBSD
	 * vnet jail; without one, CAP_NET_ADMIN is the host's routing.  A
	 * stack owned by a user namespace of its own needs none (net.c),
	 * and CAP_NET_ADMIN would reach the host's through its links. */
	if (vj_sec_vnet(j))
		caps |= BIT(CAP_NET_ADMIN);
	if (vj_net_owned_stack(j))
		caps &= ~BIT(CAP_NET_ADMIN);
	if (vj_sec_may_mount(j) || vj_sec_nesting(j))
		caps |= BIT(CAP_SYS_ADMIN);
	/* sethostname needs CAP_SYS_ADMIN over the UTS namespace.  In a
	 * jail of its own user namespace that is the jail's, and seccomp
	 * keeps the rest of it (mount, setns...) away; without one it would
	 * be the host's, so allow.set_hostname cannot be given there. */
	if (vj_sec_userns(j) && vj_jail_bool(j, "allow.set_hostname"))
		caps |= BIT(CAP_SYS_ADMIN);
	return caps & ~securelevel_caps(vj_jail_int(j, "securelevel", -1));
}

/* Capabilities kept in the permitted set until the process execs (per
 * thread: inits may set themselves up side by side, donor.c). */
static __thread uint64_t kept;

/* After the filter: shrink permitted and effective to what is kept. */
static int
shrink_permitted(struct vj_error *err)
{
	cap_t c = cap_init();
	cap_value_t v;
	int rc = 0;

	if (c == NULL)
		return vj_err_sys(err, "capabilities");
	for (v = 0; v < 64; v++)
		if ((kept & BIT(v)) && (cap_set_flag(c, CAP_PERMITTED, 1, &v,
		    CAP_SET) < 0 || cap_set_flag(c, CAP_EFFECTIVE, 1, &v,
		    CAP_SET) < 0))
			break;
	if (cap_set_proc(c) < 0)
		rc = vj_err_sys(err, "set capabilities");
	cap_free(c);
	return rc;
}

/* Drop every capability not in keep from the bounding set. */
static int
shrink_bounding(uint64_t keep, struct vj_error *err)
{
	int c;

	for (c = 0; c < 64; c++) {
		if (keep & BIT(c))
			continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) == 0)
			continue;
		/* EINVAL: beyond the kernel's last capability, and so are
		 * all above it (a syscall each is dear to jexec). */
		if (errno == EINVAL)
			return 0;
		return vj_err_sys(err, "drop capability %d", c);
	}
	return 0;
}

/* Empty the inheritable and ambient sets and lock ambient raising. */
static int
empty_inheritable(struct vj_error *err)
{
	cap_t c = cap_get_proc();
	int rc = 0;

	if (c == NULL)
		return vj_err_sys(err, "capabilities");
	if (cap_clear_flag(c, CAP_INHERITABLE) < 0 || cap_set_proc(c) < 0)
		rc = vj_err_sys(err, "clear inheritable capabilities");
	cap_free(c);
	if (rc == 0 && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0,
	    0) < 0 && errno != EINVAL)
		rc = vj_err_sys(err, "clear ambient capabilities");
	if (rc == 0 && prctl(PR_SET_SECUREBITS, SECBIT_NO_CAP_AMBIENT_RAISE |
	    SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED, 0, 0, 0) < 0)
		rc = vj_err_sys(err, "lock ambient capabilities");
	return rc;
}

/* Restrict the calling process to the jail's capabilities.  The init
 * keeps none at all.  It never executes anything, and its lockdown
 * (init_lockdown.c) refuses execve, so the bounding set, the inheritable
 * and ambient sets and no_new_privs, which act only at an exec, are left
 * to its lockdown: 40 system calls less for every jail. */
int
vj_sec_restrict(const struct vj_jail *j, bool init, struct vj_error *err)
{
	uint64_t keep = init ? 0 : vj_sec_caps(j);

	kept = 0;
	if (init && vj_init_lockdown_available()) {
		vj_filter_then(shrink_permitted);
		return 0;
	}
	if (shrink_bounding(keep, err) < 0 || empty_inheritable(err) < 0)
		return -1;
	if (!vj_jail_bool(j, "allow.setuid") &&
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return vj_err_sys(err, "no_new_privs");
	/* Until exec, a joining process still switches to its user. */
	kept = init ? 0 : keep | BIT(CAP_SETUID) | BIT(CAP_SETGID);
	/* Without no_new_privs, loading the filter needs CAP_SYS_ADMIN:
	 * the permitted set shrinks only once it is in. */
	vj_filter_then(shrink_permitted);
	return 0;
}

/* Print a capability mask by name. */
void
vj_sec_print_caps(FILE *out, uint64_t caps)
{
	cap_value_t v;
	char *name;
	const char *sep = "";

	for (v = 0; v < 64; v++) {
		if (!(caps & BIT(v)))
			continue;
		name = cap_to_name(v);
		fprintf(out, "%s%s", sep, name ? name : "?");
		cap_free(name);
		sep = ",";
	}
	if (*sep == '\0')
		fprintf(out, "none");
}
