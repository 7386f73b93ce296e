/*
 * ip.c: IP-restricted jails without VNET (ip4, ip4.addr, ip4.saddrsel,
 * their ip6 twins, and jail(8)'s `interface`).
 *
 * The jail shares the host's stack but may bind to and send from its own
 * addresses only.  Its processes live in a cgroup2 group of their own
 * (<cgroup2>/vjail/<jid>, or below the parent's group for a nested jail)
 * carrying the socket-hook programs of ipbpf.c; the init is put there
 * before it starts, every entering process before it runs, and the init
 * then takes a cgroup namespace rooted there so no one inside can move out.
 * `iface|addr/mask` entries (or `interface`) add the address to a host
 * interface while the jail lives, unless the host already had it.
 *
 * Modes, as FreeBSD: ip4.addr implies ip4=new; ip4=new without addresses
 * is ip4=disable.  A family left unmentioned is disabled when the other
 * one is restricted (FreeBSD's kernel disables it too); when neither is
 * mentioned both are inherited (FreeBSD would disable both: here a jail
 * keeps the host's network unless asked, and costs no cgroup).  vnet jails
 * cannot have restrictions ("vnet jails cannot have IP address
 * restrictions", as FreeBSD's kern_jail.c says).
 *
 * Where Linux makes us differ from FreeBSD:
 * - a wildcard bind takes the first address even with several (FreeBSD
 *   keeps the wildcard and filters arrivals per jail);
 * - sockets whose port Linux picks without bind() (UDP sendto, listen)
 *   are on the wildcard: what arrives at that port on any host address
 *   reaches them; such a UDP socket cannot connect() later (EINVAL);
 * - with ip6=inherit and ip4 restricted, a dual-stack [::] listener takes
 *   IPv4 on every host address (a hook cannot set IPV6_V6ONLY);
 * - raw, ICMP (ping), SCTP, MPTCP and UDP-Lite sockets of a restricted
 *   family fail with EPERM: the address hooks do not see them all;
 * - saddrsel picks by subnet (longest prefix) instead of by route;
 * - IPv6 aliases skip DAD; an address the host had is left alone; jail -m
 *   changes the programs, not the aliases;
 * - nested restricted jails need bpf(2) in the parent jail.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cgroup2.h"
#include "error.h"
#include "ipbpf.h"
#include "jailobj.h"
#include "lifecycle.h"
#include "nl.h"
#include "state.h"
#include "subsys.h"
#include "util.h"

static const struct vj_pdef ip_params[] = {
	{ "ip4", VJ_PT_JAILSYS, 0, "inherit",
	    "new: only ip4.addr; disable: no IPv4; inherit: the host's" },
	{ "ip4.addr", VJ_PT_IPV4, VJ_PF_LIST, NULL,
	    "IPv4 addresses of the jail, [iface|]addr[/mask]" },
	{ "ip4.saddrsel", VJ_PT_BOOL, 0, "true",
	    "pick the source among ip4.addr by subnet (else the first)" },
	{ "ip6", VJ_PT_JAILSYS, 0, "inherit",
	    "new: only ip6.addr; disable: no IPv6; inherit: the host's" },
	{ "ip6.addr", VJ_PT_IPV6, VJ_PF_LIST, NULL,
	    "IPv6 addresses of the jail, [iface|]addr[/prefix]" },
	{ "ip6.saddrsel", VJ_PT_BOOL, 0, "true",
	    "pick the source among ip6.addr by subnet (else the first)" },
	{ "interface", VJ_PT_STRING, VJ_PF_NOSHOW, NULL,
	    "host interface receiving ip4.addr/ip6.addr aliases" },
	{ NULL, 0, 0, NULL, NULL }
};

static const char *const addr_param[2] = { "ip4.addr", "ip6.addr" };
static const char *const mode_param[2] = { "ip4", "ip6" };
static const char *const sel_param[2] = { "ip4.saddrsel", "ip6.saddrsel" };
static const char *const mode_names[3] = { "inherit", "new", "disable" };
static const int families[2] = { AF_INET, AF_INET6 };

/* A family's mode as set (ip4, or new by ip4.addr), or -1 if unmentioned. */
static int
explicit_mode(const struct vj_params *ps, int f)
{
	const char *m = vj_params_get(ps, mode_param[f]);
	int i;

	for (i = 0; m != NULL && i < 3; i++)
		if (strcmp(m, mode_names[i]) == 0)
			return i;
	return vj_params_find(ps, addr_param[f]) != NULL ? VJ_IP_NEW : -1;
}

/* A family's mode, the other's restriction disabling an unmentioned one. */
static enum vj_ipmode
fam_mode(const struct vj_params *ps, int f)
{
	int m = explicit_mode(ps, f), o = explicit_mode(ps, !f);

	if (m >= 0)
		return (enum vj_ipmode)m;
	return o == VJ_IP_NEW || o == VJ_IP_DISABLE ? VJ_IP_DISABLE :
	    VJ_IP_INHERIT;
}

/* The parameter a family's restriction comes from, for messages. */
static const char *
trigger(const struct vj_params *ps, int f)
{
	return vj_params_find(ps, addr_param[f]) ? addr_param[f] :
	    mode_param[f];
}

/* Does the jail have a network stack of its own? */
static bool
has_vnet(const struct vj_jail *j)
{
	return strcmp(vj_jail_sys(j, "vnet", "inherit"), "new") == 0;
}

/* Call fn for every entry of a family's address list. */
static int
each_spec(const struct vj_params *ps, int f,
    int (*fn)(const struct vj_ipspec *, void *, struct vj_error *),
    void *arg, struct vj_error *err)
{
	const struct vj_param *p = vj_params_find(ps, addr_param[f]);
	struct vj_ipspec sp;
	char *copy, *tok, *save;
	size_t k;
	int rc = 0;

	for (k = 0; p != NULL && rc == 0 && k < p->nvals; k++) {
		if ((copy = strdup(p->vals[k])) == NULL)
			return vj_err_sys(err, "%s", addr_param[f]);
		for (tok = strtok_r(copy, ",", &save); tok && rc == 0;
		    tok = strtok_r(NULL, ",", &save)) {
			tok += strspn(tok, " \t");
			if (*tok == '\0')
				continue;
			rc = vj_ipspec_parse(tok, families[f], &sp, err);
			if (rc == 0)
				rc = fn(&sp, arg, err);
		}
		free(copy);
	}
	return rc < 0 ? vj_err_wrap(err, "%s", addr_param[f]) : 0;
}

/* Add one entry to the set (no duplicates, at most VJ_IP_MAX). */
static int
collect(const struct vj_ipspec *sp, void *arg, struct vj_error *err)
{
	struct vj_ipset *set = arg;
	int f = sp->family == AF_INET6;
	char a[INET6_ADDRSTRLEN] = "";
	size_t i;

	inet_ntop(sp->family, sp->w, a, sizeof(a));
	for (i = 0; i < set->n[f]; i++)
		if (memcmp(set->addr[f][i].w, sp->w, sizeof(sp->w)) == 0)
			return vj_err_set(err, EINVAL, "%s: duplicate address",
			    a);
	if (set->n[f] == VJ_IP_MAX)
		return vj_err_set(err, EINVAL, "more than %d addresses",
		    VJ_IP_MAX);
	memcpy(set->addr[f][i].w, sp->w, sizeof(sp->w));
	set->addr[f][i].prefix = sp->prefix;
	set->n[f]++;
	return 0;
}

/* Is a boolean parameter true (default true)? */
static bool
param_true(const struct vj_params *ps, const char *name)
{
	const char *v = vj_params_get(ps, name);

	return v == NULL || strcmp(v, "false") != 0;
}

/* Build the set the programs enforce from the parameters, validating. */
static int
build_set(const struct vj_params *ps, struct vj_ipset *set,
    struct vj_error *err)
{
	int f;

	memset(set, 0, sizeof(*set));
	for (f = 0; f < 2; f++) {
		set->mode[f] = fam_mode(ps, f);
		set->saddrsel[f] = param_true(ps, sel_param[f]);
		if (each_spec(ps, f, collect, set, err) < 0)
			return -1;
		if (set->n[f] > 0 && set->mode[f] != VJ_IP_NEW)
			return vj_err_set(err, EINVAL,
			    "%s: cannot be set with %s=%s", addr_param[f],
			    mode_param[f], mode_names[set->mode[f]]);
		if (set->mode[f] == VJ_IP_NEW && set->n[f] == 0)
			set->mode[f] = VJ_IP_DISABLE;
	}
	return 0;
}

/* Does the set restrict anything? */
static bool
restricted(const struct vj_ipset *set)
{
	return set->mode[0] != VJ_IP_INHERIT || set->mode[1] != VJ_IP_INHERIT;
}


/* vnet jails have their own stack: FreeBSD refuses restrictions there. */
static int
vnet_check(const struct vj_params *ps, struct vj_error *err)
{
	int f, m;

	for (f = 0; f < 2; f++) {
		m = explicit_mode(ps, f);
		if (m == VJ_IP_NEW || m == VJ_IP_DISABLE)
			return vj_err_set(err, EINVAL, "%s: vnet jails cannot "
			    "have IP address restrictions", trigger(ps, f));
	}
	return 0;
}

/* Can this host run restricted jails?  The message names the cause. */
static int
probe(const struct vj_params *ps, const struct vj_ipset *set,
    struct vj_error *err)
{
	char mnt[PATH_MAX];
	bool retval;
	int f = set->mode[0] != VJ_IP_INHERIT ? 0 : 1;

	if (vj_cg2_mount(mnt, sizeof(mnt), err) < 0 ||
	    vj_ipbpf_probe(&retval, err) < 0)
		return vj_err_wrap(err, "%s: unsupported", trigger(ps, f));
	return 0;
}

/* Validate, probe, and record the effective modes (jls shows them). */
static int
ip_check(struct vj_jail *j, struct vj_error *err)
{
	vj_autofree struct vj_ipset *set = calloc(1, sizeof(*set));
	const char *ifname = vj_params_get(&j->params, "interface");
	int f;

	if (set == NULL)
		return vj_err_sys(err, "ip");
	if (has_vnet(j))
		return vnet_check(&j->params, err);
	if (ifname != NULL && (*ifname == '\0' || strlen(ifname) >= IFNAMSIZ))
		return vj_err_set(err, EINVAL,
		    "interface: invalid interface name \"%s\"", ifname);
	if (build_set(&j->params, set, err) < 0)
		return -1;
	if (!restricted(set))
		return 0;
	if (probe(&j->params, set, err) < 0)
		return -1;
	for (f = 0; f < 2; f++)
		if (vj_params_set(&j->params, mode_param[f],
		    mode_names[fam_mode(&j->params, f)]) < 0)
			return vj_err_sys(err, "%s", mode_param[f]);
	return 0;
}

/* Hand each entry of a family to vj_ipalias_add. */
struct alias_walk {
	struct vj_jail	*j;
	const char	*dflt;
	struct vj_nl	*nl;
};

/* each_spec callback: add one alias. */
static int
alias_one(const struct vj_ipspec *sp, void *arg, struct vj_error *err)
{
	struct alias_walk *w = arg;

	return vj_ipalias_add(w->j, sp, w->dflt, &w->nl, err);
}

/* Add the aliases of both families, as jail(8) does before creation. */
static int
add_aliases(struct vj_jail *j, struct vj_error *err)
{
	struct alias_walk w = { j, vj_params_get(&j->params, "interface"),
	    NULL };
	int rc = 0, f;

	for (f = 0; f < 2 && rc == 0; f++)
		rc = each_spec(&j->params, f, alias_one, &w, err);
	vj_nl_close(w.nl);
	return rc;
}

/* A nested jail's group goes below its parent's, if that has one. */
static bool
parent_group(const struct vj_jail *j, char *buf, size_t len)
{
	struct vj_jail *p = vj_jail_new(j->ctx);
	const char *cg;
	bool found = false;

	if (p != NULL && vj_state_load(j->ctx, j->parent, p, NULL) == 0 &&
	    (cg = vj_jail_noted(p, "ip.cgroup")) != NULL) {
		snprintf(buf, len, "%s/%d", cg, j->jid);
		found = true;
	}
	vj_jail_free(p);
	return found;
}

/* The jail's group: <cgroup2>/vjail/<jid>, or below the parent's. */
static int
group_path(const struct vj_jail *j, char *buf, size_t len,
    struct vj_error *err)
{
	char mnt[PATH_MAX];

	if (j->parent != 0 && parent_group(j, buf, len))
		return 0;
	if (vj_cg2_mount(mnt, sizeof(mnt), err) < 0)
		return -1;
	snprintf(buf, len, "%s/vjail/%d", mnt, j->jid);
	return 0;
}

/* Put the set's programs on the jail's group, replacing older ones. */
static int
install(const struct vj_jail *j, const char *cg, struct vj_ipset *set,
    struct vj_error *err)
{
	vj_autoclose int fd = vj_cg2_open(cg, err);
	int hk;

	if (fd < 0 || vj_ipbpf_probe(&set->retval, err) < 0)
		return -1;
	vj_ipset_fill_prefixes(set);
	for (hk = 0; hk < VJ_HK_COUNT; hk++)
		if (vj_ipbpf_install(fd, set, (enum vj_iphook)hk, j->jid,
		    err) < 0)
			return -1;
	return 0;
}

/* Host side before the init: aliases, then the group and its programs. */
static int
ip_host(struct vj_jail *j, struct vj_error *err)
{
	vj_autofree struct vj_ipset *set = calloc(1, sizeof(*set));
	char cg[PATH_MAX];

	if (set == NULL)
		return vj_err_sys(err, "ip");
	if (has_vnet(j))
		return 0;
	if (build_set(&j->params, set, err) < 0)
		return -1;
	if (!restricted(set))
		return 0;
	if (add_aliases(j, err) < 0 || group_path(j, cg, sizeof(cg), err) < 0)
		return -1;
	if (vj_jail_note(j, "ip.cgroup", cg, err) < 0 ||
	    vj_cg2_make(cg, err) < 0 || install(j, cg, set, err) < 0)
		return vj_err_wrap(err, "%s", trigger(&j->params,
		    set->mode[0] != VJ_IP_INHERIT ? 0 : 1));
	return 0;
}

/* Move a process into the jail's group, if it has one. */
static int
enter_group(const struct vj_jail *j, pid_t pid, struct vj_error *err)
{
	const char *cg = vj_jail_noted(j, "ip.cgroup");

	if (cg == NULL || vj_cg2_enter(cg, pid, err) == 0)
		return 0;
	return vj_err_wrap(err, "ip");
}

/* In the init, once it is in the group: a cgroup namespace rooted there,
 * so that no process of the jail can move itself out of the group. */
static int
root_group(const struct vj_jail *j, struct vj_error *err)
{
	if (vj_jail_noted(j, "ip.cgroup") != NULL &&
	    unshare(CLONE_NEWCGROUP) < 0)
		return vj_err_sys(err, "ip: cgroup namespace");
	return 0;
}

/* jail -m: the modes stay; new addresses replace the programs.  Aliases
 * are made at creation only (as jail(8) does). */
static int
ip_update(struct vj_jail *j, struct vj_error *err)
{
	vj_autofree struct vj_ipset *set = calloc(1, sizeof(*set));
	const char *cg = vj_jail_noted(j, "ip.cgroup");
	int f;

	if (set == NULL)
		return vj_err_sys(err, "ip");
	if (has_vnet(j))
		return vnet_check(&j->params, err);
	for (f = 0; f < 2; f++)
		if (fam_mode(&j->old, f) != fam_mode(&j->params, f))
			return vj_err_set(err, EINVAL,
			    "%s cannot be changed after creation",
			    mode_param[f]);
	if (build_set(&j->params, set, err) < 0)
		return -1;
	if (cg == NULL || install(j, cg, set, err) == 0)
		return 0;
	return vj_err_wrap(err, "ip");
}

/* Setup by phase. */
static int
ip_setup(struct vj_jail *j, enum vj_phase ph, struct vj_error *err)
{
	switch (ph) {
	case VJ_PH_CHECK:
		return ip_check(j, err);
	case VJ_PH_HOST:
		return ip_host(j, err);
	case VJ_PH_ATTACH:
		return enter_group(j, j->init_pid, err);
	case VJ_PH_CHILD:
		return root_group(j, err);
	case VJ_PH_UPDATE:
		return ip_update(j, err);
	case VJ_PH_ENTER_HOST:
		return enter_group(j, j->spawn_pid, err);
	default:
		return 0;
	}
}

/* Release: the group (programs go with it), then the aliases. */
static int
ip_teardown(struct vj_jail *j, enum vj_tphase ph, struct vj_error *err)
{
	const char *cg = vj_jail_noted(j, "ip.cgroup");
	int rc = 0;

	if (ph != VJ_TD_RELEASE)
		return 0;
	if (cg != NULL && vj_cg2_remove(cg, err) < 0)
		rc = vj_err_wrap(err, "ip");
	if (vj_ipalias_remove_all(j, rc ? NULL : err) < 0 && rc == 0)
		rc = vj_err_wrap(err, "ip");
	return rc;
}

/* Show modes, addresses, the group and the aliases. */
static void
ip_show(const struct vj_jail *j, FILE *out)
{
	const struct vj_param *p;
	size_t k;
	int f;

	for (f = 0; f < 2; f++) {
		fprintf(out, "\t%s %s%s", mode_param[f],
		    vj_jail_sys(j, mode_param[f], "inherit"),
		    vj_jail_bool(j, sel_param[f]) ? "" : " nosaddrsel");
		p = vj_params_find(&j->params, addr_param[f]);
		for (k = 0; p != NULL && k < p->nvals; k++)
			fprintf(out, " %s", p->vals[k]);
		fputc('\n', out);
	}
	if (vj_jail_noted(j, "ip.cgroup") != NULL)
		fprintf(out, "\tcgroup %s\n", vj_jail_noted(j, "ip.cgroup"));
	p = vj_jail_noted_list(j, "ip.alias");
	for (k = 0; p != NULL && k < p->nvals; k++)
		fprintf(out, "\talias %s\n", p->vals[k]);
}

const struct vj_subsys vj_subsys_ip = {
	.name = "ip",
	.params = ip_params,
	.setup = ip_setup,
	.teardown = ip_teardown,
	.show = ip_show,
};
