/*
 * ipalias.c: the host side of ip4.addr / ip6.addr: what the host already
 * has (getifaddrs), and the aliases a jail adds to host interfaces.  Each
 * alias is noted ("ip.alias" = "iface|addr/prefix") before it is added, so
 * a removal after a crash takes it away; an address the host had before
 * is neither added nor noted, so removal never takes a host address.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "error.h"
#include "ipbpf.h"
#include "jailobj.h"
#include "nl.h"

/* The address bytes of a sockaddr of family, or NULL if another. */
static const void *
sa_bytes(const struct sockaddr *sa, int family)
{
	if (sa == NULL || sa->sa_family != family)
		return NULL;
	if (family == AF_INET)
		return &((const struct sockaddr_in *)(const void *)sa)->sin_addr;
	return &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
}

/* The host's entry for an address, or NULL. */
static const struct ifaddrs *
find_host(const struct ifaddrs *ifa, int family, const uint32_t *w)
{
	const void *a;

	for (; ifa != NULL; ifa = ifa->ifa_next) {
		a = sa_bytes(ifa->ifa_addr, family);
		if (a != NULL && memcmp(a, w, family == AF_INET ? 4 : 16) == 0)
			return ifa;
	}
	return NULL;
}

/* The prefix length of a netmask sockaddr. */
static int
mask_len(const struct sockaddr *sa, int family)
{
	const unsigned char *m = sa_bytes(sa, family);
	int b, max = family == AF_INET ? 32 : 128;

	if (m == NULL)
		return max;
	for (b = 0; b < max && (m[b / 8] & (0x80 >> (b % 8))); b++)
		;
	return b;
}

/* Give each address without a mask the prefix the host has it with
 * (for source selection), or a host prefix if the host lacks it. */
void
vj_ipset_fill_prefixes(struct vj_ipset *set)
{
	static const int fam[2] = { AF_INET, AF_INET6 };
	const struct ifaddrs *h;
	struct ifaddrs *ifa = NULL;
	struct vj_ipaddr *a;
	size_t k;
	int f;

	if (getifaddrs(&ifa) < 0)
		ifa = NULL;
	for (f = 0; f < 2; f++)
		for (k = 0; k < set->n[f]; k++) {
			a = &set->addr[f][k];
			if (a->prefix >= 0)
				continue;
			h = find_host(ifa, fam[f], a->w);
			a->prefix = h != NULL ? mask_len(h->ifa_netmask, fam[f]) :
			    (f ? 128 : 32);
		}
	freeifaddrs(ifa);
}

/* Is the address on any host interface now? */
static bool
on_host(const struct vj_ipspec *sp)
{
	struct ifaddrs *ifa = NULL;
	bool found;

	if (getifaddrs(&ifa) < 0)
		return false;
	found = find_host(ifa, sp->family, sp->w) != NULL;
	freeifaddrs(ifa);
	return found;
}

/* Add an entry's alias to its interface (iface|, else dflt; none: no
 * alias).  *nl is opened on first use; the caller closes it. */
int
vj_ipalias_add(struct vj_jail *j, const struct vj_ipspec *sp,
    const char *dflt, struct vj_nl **nl, struct vj_error *err)
{
	const char *ifname = sp->ifname[0] ? sp->ifname : dflt;
	char cidr[INET6_ADDRSTRLEN + 8], note[IFNAMSIZ + sizeof(cidr)];

	if (ifname == NULL || *ifname == '\0')
		return 0;
	vj_ipspec_cidr(sp, cidr, sizeof(cidr));
	if (on_host(sp)) {
		vj_trace(j->ctx, "%s: %s already on the host, kept", j->name,
		    cidr);
		return 0;
	}
	snprintf(note, sizeof(note), "%s|%s", ifname, cidr);
	if (vj_jail_note_add(j, "ip.alias", note, err) < 0)
		return -1;
	if (*nl == NULL && (*nl = vj_nl_open(err)) == NULL)
		return -1;
	return vj_nl_addr_add(*nl, ifname, cidr, 1, err);
}

/* Remove every noted alias, last first; gone already is fine. */
int
vj_ipalias_remove_all(struct vj_jail *j, struct vj_error *err)
{
	const struct vj_param *p = vj_jail_noted_list(j, "ip.alias");
	struct vj_nl *nl = NULL;
	struct vj_error e2;
	char ifname[IFNAMSIZ];
	const char *bar;
	size_t k;
	int rc = 0;

	for (k = p != NULL ? p->nvals : 0; k-- > 0;) {
		bar = strchr(p->vals[k], '|');
		if (bar == NULL || bar - p->vals[k] >= IFNAMSIZ)
			continue;
		snprintf(ifname, sizeof(ifname), "%.*s",
		    (int)(bar - p->vals[k]), p->vals[k]);
		if ((nl == NULL && (nl = vj_nl_open(&e2)) == NULL) ||
		    vj_nl_addr_del(nl, ifname, bar + 1, &e2) < 0) {
			if (rc == 0 && err != NULL)
				*err = e2;
			rc = -1;
		}
	}
	vj_nl_close(nl);
	return rc;
}
