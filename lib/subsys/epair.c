/*
 * epair.c: wiring declared in jail.conf, FreeBSD's epair(4) + if_bridge
 * without an exec.* script.  For a VNET jail,
 *
 *   epair.eth0.bridge = lan0;        the other end is a port of host
 *                                     bridge lan0 (made on first use,
 *                                     removed when its last jail goes)
 *   epair.eth1.peer = "r1:eth2";     the other end is eth2 in jail r1
 *   epair.eth0.ip4 = 10.0.0.2/24;    addresses (lists), mtu, mac, and the
 *   epair.eth0.ip6 = fd00::2/64;     host end's name (host = ...)
 *   ip4.defaultrouter = 10.0.0.1;    default routes (rc.conf's names)
 *   vnet.route = "10.2.0.0/16 10.0.0.3";   static routes
 *
 * The host end is named vj<jid>e<n> unless epair.<if>.host names it.  Each
 * jail's links are made in one batch of netlink requests; they die with
 * the jail's network namespace, in the kernel's own batch.
 *
 * A jail-to-jail link passes through a namespace of the declaring
 * jail's (wire.c), out of both jails' reach.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <unistd.h>

#include "error.h"
#include "jailobj.h"
#include "lifecycle.h"
#include "nl.h"
#include "subsys.h"
#include "util.h"
#include "wire.h"

static const struct vj_pdef epair_params[] = {
	{ "epair.", VJ_PT_STRING, VJ_PF_PREFIX | VJ_PF_LIST | VJ_PF_CREATE,
	    NULL, "epair.<if>.{bridge,peer,ip4,ip6,mtu,mac,host}" },
	{ "ip4.defaultrouter", VJ_PT_STRING, VJ_PF_CREATE, NULL,
	    "IPv4 default route of a VNET jail" },
	{ "ip6.defaultrouter", VJ_PT_STRING, VJ_PF_CREATE, NULL,
	    "IPv6 default route of a VNET jail" },
	{ "vnet.route", VJ_PT_STRING, VJ_PF_LIST | VJ_PF_CREATE, NULL,
	    "static routes: \"destination gateway\"" },
	{ "vnet.forwarding", VJ_PT_BOOL, VJ_PF_CREATE, "false",
	    "forward IPv4 and IPv6 packets (a router jail)" },
	{ NULL, 0, 0, NULL, NULL }
};

static const char *const attrs[] = {
	"bridge", "peer", "ip4", "ip6", "mtu", "mac", "host", NULL
};

#define MAX_EPAIRS	64

/* One epair of a jail, gathered from its epair.<if>.* parameters. */
struct epair {
	char			 ifname[IFNAMSIZ];
	char			 host[IFNAMSIZ];
	const char		*bridge, *peer, *mac;
	int			 mtu;
	const struct vj_param	*ip4, *ip6;
};

/* Split "epair.<if>.<attr>"; 0 if the form and attribute are right. */
static int
split_name(const char *name, char *ifname, const char **attr)
{
	const char *dot, *a = name + strlen("epair.");
	size_t i;

	dot = strchr(a, '.');
	if (dot == NULL || dot == a || (size_t)(dot - a) >= IFNAMSIZ)
		return -1;
	memcpy(ifname, a, (size_t)(dot - a));
	ifname[dot - a] = '\0';
	for (i = 0; attrs[i] != NULL; i++)
		if (strcmp(dot + 1, attrs[i]) == 0) {
			*attr = attrs[i];
			return 0;
		}
	return -1;
}

/* Find or add the epair for ifname. */
static struct epair *
slot(struct epair *ep, int *n, const char *ifname)
{
	int i;

	for (i = 0; i < *n; i++)
		if (strcmp(ep[i].ifname, ifname) == 0)
			return &ep[i];
	if (*n == MAX_EPAIRS)
		return NULL;
	memset(&ep[*n], 0, sizeof(ep[*n]));
	snprintf(ep[*n].ifname, IFNAMSIZ, "%s", ifname);
	return &ep[(*n)++];
}

/* Gather the jail's epairs; -1 with err on a malformed parameter. */
static int
gather(const struct vj_jail *j, struct epair *ep, int *n,
    struct vj_error *err)
{
	char ifname[IFNAMSIZ];
	const char *attr;
	struct epair *e;
	size_t i;

	*n = 0;
	for (i = 0; i < j->params.n; i++) {
		const struct vj_param *p = &j->params.v[i];

		if (strncmp(p->name, "epair.", 6) != 0)
			continue;
		if (split_name(p->name, ifname, &attr) < 0)
			return vj_err_set(err, EINVAL, "%s: unknown parameter",
			    p->name);
		if ((e = slot(ep, n, ifname)) == NULL)
			return vj_err_set(err, E2BIG, "%s: too many epairs",
			    p->name);
		if (strcmp(attr, "ip4") == 0)
			e->ip4 = p;
		else if (strcmp(attr, "ip6") == 0)
			e->ip6 = p;
		else if (p->nvals == 0)
			return vj_err_set(err, EINVAL, "%s: no value", p->name);
		else if (strcmp(attr, "bridge") == 0)
			e->bridge = p->vals[0];
		else if (strcmp(attr, "peer") == 0)
			e->peer = p->vals[0];
		else if (strcmp(attr, "mac") == 0)
			e->mac = p->vals[0];
		else if (strcmp(attr, "mtu") == 0)
			e->mtu = atoi(p->vals[0]);
		else
			snprintf(e->host, IFNAMSIZ, "%s", p->vals[0]);
	}
	for (i = 0; i < (size_t)*n; i++)
		if (ep[i].host[0] == '\0')
			snprintf(ep[i].host, IFNAMSIZ, "vj%de%zu", j->jid, i);
	return 0;
}

/* Is the jail a VNET jail? */
static bool
has_vnet(const struct vj_jail *j)
{
	return strcmp(vj_jail_sys(j, "vnet", "inherit"), "new") == 0;
}

/* Validate: wiring needs vnet, names fit, bridge and peer exclude. */
static int
epair_check(struct vj_jail *j, struct vj_error *err)
{
	struct epair ep[MAX_EPAIRS];
	int n, i;

	if (gather(j, ep, &n, err) < 0)
		return -1;
	if ((n > 0 || vj_params_get(&j->params, "ip4.defaultrouter") ||
	    vj_params_get(&j->params, "vnet.route")) && !has_vnet(j))
		return vj_err_set(err, EINVAL,
		    "epair.%s: needs vnet", n ? ep[0].ifname : "*");
	for (i = 0; i < n; i++) {
		if (ep[i].bridge && ep[i].peer)
			return vj_err_set(err, EINVAL, "epair.%s: bridge and "
			    "peer cannot both be set", ep[i].ifname);
		if (ep[i].peer && strchr(ep[i].peer, ':') == NULL)
			return vj_err_set(err, EINVAL, "epair.%s.peer: \"%s\": "
			    "not jail:interface", ep[i].ifname, ep[i].peer);
		if (ep[i].bridge && strlen(ep[i].bridge) >= IFNAMSIZ)
			return vj_err_set(err, EINVAL, "epair.%s.bridge: name "
			    "too long", ep[i].ifname);
	}
	return 0;
}

/* Lock the bridge users' table (/run/vjail/bridge.lock). */
static int
bridge_lock(const struct vj_jail *j, struct vj_error *err)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/bridge.lock", j->ctx->rundir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || flock(fd, LOCK_EX) < 0) {
		if (fd >= 0)
			close(fd);
		return vj_err_sys(err, "lock %s", path);
	}
	return fd;
}

/* Read a bridge's user count and whether we made it. */
static void
bridge_users(const struct vj_jail *j, const char *br, int *users, int *ours)
{
	char path[PATH_MAX], buf[64];

	*users = 0;
	*ours = 0;
	snprintf(path, sizeof(path), "%s/bridge/%s", j->ctx->rundir, br);
	if (vj_read_file(path, buf, sizeof(buf)) > 0)
		sscanf(buf, "%d %d", users, ours);
}

/* Write a bridge's user count (0: forget it). */
static int
bridge_set_users(const struct vj_jail *j, const char *br, int users,
    int ours, struct vj_error *err)
{
	char path[PATH_MAX], buf[64];
	vj_autoclose int fd = -1;

	snprintf(path, sizeof(path), "%s/bridge", j->ctx->rundir);
	if (vj_mkdir_p(path, 0700) < 0)
		return vj_err_sys(err, "mkdir %s", path);
	snprintf(path, sizeof(path), "%s/bridge/%s", j->ctx->rundir, br);
	if (users <= 0)
		return unlink(path) < 0 && errno != ENOENT ?
		    vj_err_sys(err, "%s", path) : 0;
	/* Rewritten in place at a fixed width: truncating makes ext4 write
	 * the file back to disk at close (auto_da_alloc), one disk write
	 * per jail created or removed. */
	snprintf(buf, sizeof(buf), "%-10d %-10d\n", users, ours);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || pwrite(fd, buf, strlen(buf), 0) != (ssize_t)strlen(buf))
		return vj_err_sys(err, "%s", path);
	return 0;
}

/* Take a reference on a host bridge, making it (up, no IPv6) if needed;
 * a link of that name that is no bridge is refused. */
static int
bridge_ref(struct vj_jail *j, struct vj_nl *nl, const struct epair *e,
    struct vj_error *err)
{
	struct vj_nl_link_change c = VJ_NL_LINK_CHANGE_INIT;
	struct vj_nl_link_info info;
	const char *br = e->bridge;
	int lock, users, ours, rc = 0;

	if ((lock = bridge_lock(j, err)) < 0)
		return -1;
	bridge_users(j, br, &users, &ours);
	if (vj_nl_link_get(nl, br, &info, NULL) == 0) {
		if (strcmp(info.kind, "bridge") != 0)
			rc = vj_err_set(err, EINVAL, "epair.%s.bridge: %s is "
			    "%s%s, not a bridge", e->ifname, br,
			    info.kind[0] ? "a " : "a device",
			    info.kind);
	} else {
		c.ifname = br;
		c.addrgenmode = 1;	/* IN6_ADDR_GEN_MODE_NONE */
		if (vj_nl_bridge_add(nl, br, err) < 0 ||
		    vj_nl_link_change(nl, &c, err) < 0 ||
		    vj_nl_link_set_up(nl, br, 1, err) < 0)
			rc = -1;
		users = 0;
		ours = 1;
	}
	if (rc == 0)
		rc = bridge_set_users(j, br, users + 1, ours, err);
	if (rc == 0)
		rc = vj_jail_note_add(j, "epair.bridge", br, err);
	close(lock);
	return rc;
}

/* Drop a reference; the last user removes a bridge vjail made. */
static int
bridge_unref(struct vj_jail *j, const char *br, struct vj_error *err)
{
	struct vj_nl *nl;
	int lock, users, ours, rc = 0;

	if ((lock = bridge_lock(j, err)) < 0)
		return -1;
	bridge_users(j, br, &users, &ours);
	if (users <= 1 && ours) {
		nl = vj_nl_open(err);
		rc = nl ? vj_nl_link_del(nl, br, err) : -1;
		vj_nl_close(nl);
	}
	if (rc == 0)
		rc = bridge_set_users(j, br, users - 1, ours, err);
	close(lock);
	return rc;
}

/* Queue the host end of one epair: the veth, with no IPv6 on the host
 * (no link-local, DAD or MLD).  It joins its bridge and comes up later
 * (queue_host_port), with other jails' ports. */
static int
queue_host_end(struct vj_nl *host, const struct epair *e, int netfd,
    struct vj_error *err)
{
	struct vj_nl_veth v = { .peer_netns_fd = netfd };
	struct vj_nl_link_change c = VJ_NL_LINK_CHANGE_INIT;

	v.name = e->host;
	v.peer = e->ifname;
	v.mtu = e->mtu;
	v.peer_mac = e->mac;
	if (vj_nl_veth_add(host, &v, err) < 0)
		return -1;
	c.ifname = e->host;
	c.addrgenmode = 1;	/* IN6_ADDR_GEN_MODE_NONE */
	return vj_nl_link_change(host, &c, err);
}

/* Queue a host end's port on its bridge, if it has one, and up: one
 * request (one lookup of the end, not two). */
static int
queue_host_port(struct vj_nl *host, const struct epair *e,
    struct vj_error *err)
{
	struct vj_nl_link_change c = VJ_NL_LINK_CHANGE_INIT;

	c.ifname = e->host;
	c.master = e->bridge;
	c.up = 1;
	return vj_nl_link_change(host, &c, err);
}

/* A random link-local address (fe80::/64, the universal bit clear). */
static void
random_link_local(char *buf, size_t len)
{
	unsigned short w[4];

	if (getrandom(w, sizeof(w), 0) != (ssize_t)sizeof(w))
		memset(w, 0x5a, sizeof(w));
	w[0] &= 0xfdff;
	snprintf(buf, len, "fe80::%x:%x:%x:%x/64", w[0], w[1], w[2], w[3]);
}

/* Queue the jail side of one epair: addresses, then up.  The kernel
 * makes no link-local address; with IPv6 we add one that skips
 * duplicate address detection, which would hold traffic for a second
 * or more after every start. */
static int
queue_jail_end(struct vj_nl *in, const struct epair *e, struct vj_error *err)
{
	struct vj_nl_link_change c = VJ_NL_LINK_CHANGE_INIT;
	char ll[64];
	size_t k;

	c.ifname = e->ifname;
	c.addrgenmode = 1;
	if (vj_nl_link_change(in, &c, err) < 0)
		return -1;
	if (e->ip6 != NULL) {
		random_link_local(ll, sizeof(ll));
		if (vj_nl_addr_add(in, e->ifname, ll, 1, err) < 0)
			return vj_err_wrap(err, "epair.%s.ip6", e->ifname);
	}
	for (k = 0; e->ip4 && k < e->ip4->nvals; k++)
		if (vj_nl_addr_add(in, e->ifname, e->ip4->vals[k], 0, err) < 0)
			return vj_err_wrap(err, "epair.%s.ip4", e->ifname);
	for (k = 0; e->ip6 && k < e->ip6->nvals; k++)
		if (vj_nl_addr_add(in, e->ifname, e->ip6->vals[k], 1, err) < 0)
			return vj_err_wrap(err, "epair.%s.ip6", e->ifname);
	return vj_nl_link_set_up(in, e->ifname, 1, err);
}

/* Queue default routes and vnet.route entries ("dst gateway"). */
static int
queue_routes(const struct vj_jail *j, struct vj_nl *in, struct vj_error *err)
{
	const char *gw4 = vj_params_get(&j->params, "ip4.defaultrouter");
	const char *gw6 = vj_params_get(&j->params, "ip6.defaultrouter");
	const struct vj_param *r = vj_params_find(&j->params, "vnet.route");
	char dst[128], gw[128];
	size_t k;

	if (gw4 && vj_nl_route_add(in, "default", gw4, NULL, err) < 0)
		return vj_err_wrap(err, "ip4.defaultrouter");
	if (gw6 && vj_nl_route_add(in, "::/0", gw6, NULL, err) < 0)
		return vj_err_wrap(err, "ip6.defaultrouter");
	for (k = 0; r != NULL && k < r->nvals; k++) {
		if (sscanf(r->vals[k], "%127s %127s", dst, gw) != 2)
			return vj_err_set(err, EINVAL, "vnet.route: \"%s\": "
			    "not \"destination gateway\"", r->vals[k]);
		if (vj_nl_route_add(in, dst, gw, NULL, err) < 0)
			return vj_err_wrap(err, "vnet.route %s", r->vals[k]);
	}
	return 0;
}

/* Record host ends and bridges first, so a crash can undo them. */
static int
note_all(struct vj_jail *j, struct vj_nl *host, const struct epair *ep,
    int n, struct vj_error *err)
{
	int i;

	for (i = 0; i < n; i++) {
		if (ep[i].peer)
			continue;
		if (vj_jail_note_add(j, "epair.host", ep[i].host, err) < 0)
			return -1;
		if (ep[i].bridge && bridge_ref(j, host, &ep[i], err) < 0)
			return -1;
	}
	return 0;
}

/* The host's share of the jail's bridged epairs, in one batch. */
static int
wire_host(struct vj_jail *j, const struct epair *ep, int n, int netfd,
    struct vj_error *err)
{
	struct vj_nl *host;
	int i, rc = -1;

	for (i = 0; i < n && ep[i].peer; i++)
		;
	if (i == n)
		return 0;	/* links to other jails only (wire.c) */
	if ((host = vj_nl_open(err)) == NULL)
		return -1;
	if (note_all(j, host, ep, n, err) < 0 ||
	    vj_nl_batch_begin(host, err) < 0)
		goto out;
	for (i = 0; i < n; i++)
		if (!ep[i].peer && queue_host_end(host, &ep[i], netfd, err) < 0)
			goto out;
	if (vj_nl_batch_end(host, err) < 0)
		goto out;
	rc = 0;
out:
	vj_nl_close(host);
	return rc;
}

/* The jail's links to other jails (wire.c). */
static int
wire_peers(struct vj_jail *j, const struct epair *ep, int n, int netfd,
    struct vj_error *err)
{
	struct vj_wire w[MAX_EPAIRS];
	int i, k = 0;

	for (i = 0; i < n; i++)
		if (ep[i].peer) {
			w[k].ifname = ep[i].ifname;
			w[k].mac = ep[i].mac;
			w[k].mtu = ep[i].mtu;
			w[k++].peer = ep[i].peer;
		}
	return vj_wire_links(j, netfd, w, k, err);
}

/* The jail's share: its ends' addresses, up, and its routes; loopback
 * up too, in the same batch (the init need not, net.c). */
static int
wire_jail(struct vj_jail *j, const struct epair *ep, int n, int netfd,
    struct vj_error *err)
{
	struct vj_nl *in;
	int i, rc = -1;

	if ((in = vj_nl_open_in(netfd, err)) == NULL)
		return -1;
	if (vj_nl_batch_begin(in, err) < 0)
		goto out;
	for (i = 0; i < n; i++)
		if (queue_jail_end(in, &ep[i], err) < 0)
			goto out;
	if (queue_routes(j, in, err) < 0 ||
	    vj_nl_link_set_up(in, "lo", 1, err) < 0 ||
	    vj_nl_batch_end(in, err) < 0)
		goto out;
	j->lo_up = true;
	rc = 0;
out:
	vj_nl_close(in);
	return rc;
}

/* Make every epair of the jail, its addresses and its routes. */
static int
epair_wire(struct vj_jail *j, struct vj_error *err)
{
	struct epair ep[MAX_EPAIRS];
	int n, netfd;

	if (gather(j, ep, &n, err) < 0 || !has_vnet(j))
		return has_vnet(j) ? -1 : 0;
	if (n == 0 && vj_params_find(&j->params, "vnet.route") == NULL &&
	    vj_params_get(&j->params, "ip4.defaultrouter") == NULL &&
	    vj_params_get(&j->params, "ip6.defaultrouter") == NULL)
		return 0;	/* nothing to wire */
	if ((netfd = vj_jail_nsfd(j, VJ_NS_NET, err)) < 0 ||
	    wire_host(j, ep, n, netfd, err) < 0 ||
	    wire_peers(j, ep, n, netfd, err) < 0)
		return -1;
	return wire_jail(j, ep, n, netfd, err);
}

/* Before the init is cloned: a jail with links to other jails gets the
 * namespace they pass through, for its init to hold. */
static int
epair_hold(struct vj_jail *j, struct vj_error *err)
{
	struct epair ep[MAX_EPAIRS];
	int n, i;

	if (gather(j, ep, &n, err) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (ep[i].peer)
			return vj_wire_namespace(j, err);
	return 0;
}

/* Once the init serves (VJ_PH_LATE): the host ends join their bridges
 * and come up, in a batch with other jails' (late.c says why). */
static int
epair_ports(struct vj_jail *j, struct vj_error *err)
{
	struct epair ep[MAX_EPAIRS];
	struct vj_nl *host;
	int n, i;

	if (gather(j, ep, &n, err) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (ep[i].peer)
			continue;
		if ((host = vj_jail_late_nl(j, err)) == NULL ||
		    queue_host_port(host, &ep[i], err) < 0)
			return vj_err_wrap(err, "epair.%s", ep[i].ifname);
	}
	return 0;
}

/* A router jail forwards (written in the jail's own stack). */
static int
epair_forwarding(struct vj_jail *j, struct vj_error *err)
{
	if (!vj_jail_bool(j, "vnet.forwarding"))
		return 0;
	if (vj_write_file("/proc/sys/net/ipv4/ip_forward", "1") < 0 ||
	    vj_write_file("/proc/sys/net/ipv6/conf/all/forwarding", "1") < 0)
		return vj_err_sys(err, "vnet.forwarding");
	return 0;
}

/* Setup by phase. */
static int
epair_setup(struct vj_jail *j, enum vj_phase ph, struct vj_error *err)
{
	switch (ph) {
	case VJ_PH_CHECK:
		return epair_check(j, err);
	case VJ_PH_HOST:
		return has_vnet(j) ? epair_hold(j, err) : 0;
	case VJ_PH_ATTACH:
		return epair_wire(j, err);
	case VJ_PH_CHILD:
		return epair_forwarding(j, err);
	case VJ_PH_LATE:
		return has_vnet(j) ? epair_ports(j, err) : 0;
	default:
		return 0;
	}
}

/* The links die with the jail's stack (and its wire namespace, with
 * its init); drop its bridge references. */
static int
epair_teardown(struct vj_jail *j, enum vj_tphase ph, struct vj_error *err)
{
	const struct vj_param *b = vj_jail_noted_list(j, "epair.bridge");
	size_t k;
	int rc = 0;

	if (ph != VJ_TD_RELEASE || b == NULL)
		return 0;
	for (k = 0; k < b->nvals; k++)
		if (bridge_unref(j, b->vals[k], err) < 0)
			rc = -1;
	vj_params_unset(&j->notes, "epair.bridge");
	return rc;
}

/* Show the host ends. */
static void
epair_show(const struct vj_jail *j, FILE *out)
{
	const struct vj_param *h = vj_jail_noted_list(j, "epair.host");
	size_t k;

	for (k = 0; h != NULL && k < h->nvals; k++)
		fprintf(out, "\thost end %s\n", h->vals[k]);
}

const struct vj_subsys vj_subsys_epair = {
	.name = "epair",
	.params = epair_params,
	.setup = epair_setup,
	.teardown = epair_teardown,
	.show = epair_show,
};
