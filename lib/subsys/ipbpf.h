/*
 * ipbpf.h: IP-restricted jails without VNET, on cgroup-bpf socket hooks.
 *
 * A jail's addresses become immediates of small hand-assembled programs
 * (no compiler, no libbpf), attached to the jail's cgroup:
 *   sock_create   refuse a disabled family (EPROTONOSUPPORT, as FreeBSD's
 *                 socreate) and, in a restricted one, protocols the address
 *                 hooks do not see (raw, ICMP, SCTP: EPERM)
 *   bind4/6       wildcard -> the first address, 127.0.0.1/::1 -> the
 *                 first address, a foreign address -> EADDRNOTAVAIL
 *   connect4/6    loopback -> the first address; an unbound socket is bound
 *                 to a jail address first (source selection, below)
 *   sendmsg4/6    the same for unconnected UDP: the source is forced
 * v4-mapped IPv6 addresses follow the IPv4 rules.  Source selection: with
 * saddrsel, the jail address whose subnet holds the destination (longest
 * prefix first), else the first address; without, always the first.
 */
#ifndef VJ_IPBPF_H
#define VJ_IPBPF_H

#include <linux/bpf.h>
#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vjail.h"

#define VJ_IP_MAX	256	/* addresses per family */

/* ip4 / ip6 modes (jailsys). */
enum vj_ipmode { VJ_IP_INHERIT, VJ_IP_NEW, VJ_IP_DISABLE };

/* One ip4.addr / ip6.addr entry: [iface|]addr[/mask]. */
struct vj_ipspec {
	int		family;		/* AF_INET or AF_INET6 */
	uint32_t	w[4];		/* the address, network order */
	int		prefix;		/* from /mask, -1 if none given */
	char		ifname[IFNAMSIZ]; /* from iface|, "" if none */
};

/* One address of a family's set, with the prefix of its subnet. */
struct vj_ipaddr {
	uint32_t	w[4];		/* network order; IPv4 in w[0] */
	int		prefix;		/* subnet for source selection, 0: none */
};

/* What the programs enforce, per family ([0] IPv4, [1] IPv6). */
struct vj_ipset {
	enum vj_ipmode	 mode[2];
	bool		 saddrsel[2];
	size_t		 n[2];
	struct vj_ipaddr addr[2][VJ_IP_MAX];
	bool		 retval;	/* kernel has bpf_set_retval */
};

/* The hooks, in attach order. */
enum vj_iphook {
	VJ_HK_CREATE, VJ_HK_BIND4, VJ_HK_CONNECT4, VJ_HK_SENDMSG4,
	VJ_HK_BIND6, VJ_HK_CONNECT6, VJ_HK_SENDMSG6, VJ_HK_COUNT
};

/* A program being assembled. */
struct vj_bpf {
	struct bpf_insn	*insn;
	size_t		 n, cap;
	int		*label;		/* label id -> instruction index */
	int		 nlabel;
	int		*fix;		/* jumps whose off holds a label id */
	size_t		 nfix;
	bool		 oom;
};

struct vj_jail;
struct vj_nl;

/* Parse one entry; messages name the entry ("10.0.0.300: invalid
 * address"), the caller adds the parameter. */
int	vj_ipspec_parse(const char *s, int family, struct vj_ipspec *out,
	    struct vj_error *err);
/* "addr/prefix" of an entry for an alias (default /32 or /128). */
void	vj_ipspec_cidr(const struct vj_ipspec *sp, char *buf, size_t len);

/* Give addresses without a mask the prefix the host has them with. */
void	vj_ipset_fill_prefixes(struct vj_ipset *set);
/* Add an entry's alias (to iface|, else dflt) unless the host has the
 * address; noted "ip.alias" first.  *nl is opened on first use. */
int	vj_ipalias_add(struct vj_jail *j, const struct vj_ipspec *sp,
	    const char *dflt, struct vj_nl **nl, struct vj_error *err);
/* Remove every noted alias, last first; already gone is success. */
int	vj_ipalias_remove_all(struct vj_jail *j, struct vj_error *err);

/* Does the set need a program on this hook? */
bool	vj_ipbpf_needed(const struct vj_ipset *set, enum vj_iphook hk);
/* Assemble the program of a hook; -1 (ENOMEM) on failure. */
int	vj_ipbpf_build(const struct vj_ipset *set, enum vj_iphook hk,
	    struct vj_bpf *out);
/* Free an assembled program. */
void	vj_bpf_free(struct vj_bpf *p);
/* The name of a hook ("bind4"). */
const char *vj_ipbpf_hookname(enum vj_iphook hk);

/* Check once that the kernel has the hooks; *retval: set_retval works. */
int	vj_ipbpf_probe(bool *retval, struct vj_error *err);
/* Load an assembled program for a hook; returns its fd.  Errors carry
 * the verifier's last line. */
int	vj_ipbpf_load(const struct vj_bpf *p, enum vj_iphook hk,
	    const char *name, struct vj_error *err);
/* Load, then attach to a cgroup in place of what this hook had there (or
 * detach it when the set needs nothing on the hook). */
int	vj_ipbpf_install(int cgfd, const struct vj_ipset *set,
	    enum vj_iphook hk, int jid, struct vj_error *err);

#endif
