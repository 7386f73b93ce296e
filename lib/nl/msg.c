/* msg.c: the request buffer and the link request builders (no I/O). */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <libmnl/libmnl.h>

#include "error.h"
#include "msg.h"

/* Make mem an empty buffer whose first request gets seq. */
void
vj_nlbuf_init(struct vj_nlbuf *b, void *mem, size_t size, uint32_t seq)
{
	memset(mem, 0, size);
	b->buf = mem;
	b->size = size;
	b->len = 0;
	b->seq0 = seq;
	b->count = 0;
}

/* Return the i-th request of b, or NULL. */
struct nlmsghdr *
vj_nlbuf_msg(const struct vj_nlbuf *b, unsigned i)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)b->buf;
	int left = (int)b->len;

	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left))
		if (i-- == 0)
			return nlh;
	return NULL;
}

/* Start a request of type at the end of b, or fail with EMSGSIZE. */
struct nlmsghdr *
vj_nlmsg_start(struct vj_nlbuf *b, uint16_t type, uint16_t flags,
    struct vj_error *err)
{
	struct nlmsghdr *nlh;

	if (b->size - b->len < VJ_NLMSG_MAX) {
		vj_nl_err(err, EMSGSIZE, "netlink request buffer is full");
		return NULL;
	}
	nlh = mnl_nlmsg_put_header(b->buf + b->len);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = b->seq0 + b->count;
	return nlh;
}

/* Commit the request that vj_nlmsg_start() began. */
int
vj_nlmsg_end(struct vj_nlbuf *b, const struct nlmsghdr *nlh)
{
	b->len += MNL_ALIGN(nlh->nlmsg_len);
	b->count++;
	return 0;
}

/* Check an interface name: present and short enough for IFNAMSIZ. */
static int
check_name(const char *name, struct vj_error *err)
{
	if (name == NULL || name[0] == '\0')
		return vj_nl_err(err, EINVAL, "missing interface name");
	if (strlen(name) >= IFNAMSIZ)
		return vj_nl_err(err, EINVAL,
		    "interface name too long (max %d): %s", IFNAMSIZ - 1, name);
	return 0;
}

/* Append a struct ifinfomsg for ifindex to nlh; returns it. */
static struct ifinfomsg *
put_ifinfo(struct nlmsghdr *nlh, int ifindex)
{
	struct ifinfomsg *ifi;

	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex > 0 ? ifindex : 0;
	return ifi;
}

/* Start a link request (RTM_*LINK with its ifinfomsg). */
static struct nlmsghdr *
link_start(struct vj_nlbuf *b, uint16_t type, uint16_t flags, int ifindex,
    struct vj_error *err)
{
	struct nlmsghdr *nlh;

	nlh = vj_nlmsg_start(b, type, flags, err);
	if (nlh != NULL)
		put_ifinfo(nlh, ifindex);
	return nlh;
}

/* Put the attributes a link may get at creation or change time. */
static int
put_link_attrs(struct nlmsghdr *nlh, const char *name, int mtu,
    const char *mac, int netns_fd, struct vj_error *err)
{
	unsigned char hw[6];

	if (mac != NULL && vj_nl_parse_mac(mac, hw, err) == -1)
		return -1;
	if (name != NULL)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (mtu > 0)
		mnl_attr_put_u32(nlh, IFLA_MTU, (uint32_t)mtu);
	if (mac != NULL)
		mnl_attr_put(nlh, IFLA_ADDRESS, sizeof(hw), hw);
	if (netns_fd >= 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)netns_fd);
	return 0;
}

/* One queue each way for a veth end.  The kernel's default is one per
 * possible CPU, cut to one as the device registers; cutting the number
 * of live queues waits for an expedited RCU grace period with the RTNL
 * held (synchronize_net), which stalled every other link request: about
 * 40% of a veth pair's creation here.  A jail's end gains nothing from
 * more (veth is lockless and has no qdisc of its own). */
static void
put_one_queue(struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, IFLA_NUM_TX_QUEUES, 1);
	mnl_attr_put_u32(nlh, IFLA_NUM_RX_QUEUES, 1);
}

/* Check a veth spec before building it. */
static int
check_veth(const struct vj_nl_veth *v, struct vj_error *err)
{
	if (check_name(v->name, err) == -1 || check_name(v->peer, err) == -1)
		return -1;
	if (v->peer_ifindex > 0 && v->ifindex <= 0)
		return vj_nl_err(err, EINVAL,
		    "pinning the peer's ifindex needs this end's pinned too");
	return 0;
}

/* Append RTM_NEWLINK for a veth pair. */
int
vj_nlmsg_veth_add(struct vj_nlbuf *b, const struct vj_nl_veth *v,
    struct vj_error *err)
{
	struct nlattr *info, *data, *peer;
	struct nlmsghdr *nlh;

	if (check_veth(v, err) == -1)
		return -1;
	nlh = link_start(b, RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
	    v->ifindex, err);
	if (nlh == NULL ||
	    put_link_attrs(nlh, v->name, v->mtu, v->mac, -1, err) == -1)
		return -1;
	put_one_queue(nlh);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_str(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	put_ifinfo(nlh, v->peer_ifindex);
	if (put_link_attrs(nlh, v->peer, v->mtu, v->peer_mac,
	    v->peer_netns_fd, err) == -1)
		return -1;
	put_one_queue(nlh);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return vj_nlmsg_end(b, nlh);
}

/* Append RTM_NEWLINK for a bridge that floods multicast to every port,
 * as FreeBSD's if_bridge does: no IGMP/MLD snooping.  Snooping would
 * also make each port that comes up restart the multicast queriers of
 * every other port, O(ports) under the RTNL per jail. */
int
vj_nlmsg_bridge_add(struct vj_nlbuf *b, const char *name, struct vj_error *err)
{
	struct nlmsghdr *nlh;
	struct nlattr *info, *data;

	if (check_name(name, err) == -1)
		return -1;
	nlh = link_start(b, RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
	    0, err);
	if (nlh == NULL)
		return -1;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_str(nlh, IFLA_INFO_KIND, "bridge");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u8(nlh, IFLA_BR_MCAST_SNOOPING, 0);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return vj_nlmsg_end(b, nlh);
}

/* Append RTM_DELLINK of ifname. */
int
vj_nlmsg_link_del(struct vj_nlbuf *b, const char *ifname, struct vj_error *err)
{
	struct nlmsghdr *nlh;

	if (check_name(ifname, err) == -1)
		return -1;
	nlh = link_start(b, RTM_DELLINK, NLM_F_ACK, 0, err);
	if (nlh == NULL)
		return -1;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	return vj_nlmsg_end(b, nlh);
}

/* Put IFLA_AF_SPEC { AF_INET6 { IFLA_INET6_ADDR_GEN_MODE mode } }. */
static void
put_addrgenmode(struct nlmsghdr *nlh, int mode)
{
	struct nlattr *spec, *inet6;

	spec = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
	inet6 = mnl_attr_nest_start(nlh, AF_INET6);
	mnl_attr_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE, (uint8_t)mode);
	mnl_attr_nest_end(nlh, inet6);
	mnl_attr_nest_end(nlh, spec);
}

/* Check a link change: the link named, renames by ifindex only. */
static int
check_change(const struct vj_nl_link_change *c, int ifindex,
    struct vj_error *err)
{
	if (ifindex <= 0 && check_name(c->ifname, err) == -1)
		return -1;
	if (c->newname != NULL && check_name(c->newname, err) == -1)
		return -1;
	if (c->newname != NULL && ifindex <= 0)
		return vj_nl_err(err, EINVAL, "a rename needs the ifindex");
	return 0;
}

/* Append RTM_NEWLINK applying c to the link (ifindex, or c->ifname). */
int
vj_nlmsg_link_change(struct vj_nlbuf *b, const struct vj_nl_link_change *c,
    int ifindex, int master, struct vj_error *err)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	const char *name;

	if (check_change(c, ifindex, err) == -1)
		return -1;
	nlh = link_start(b, RTM_NEWLINK, NLM_F_ACK, ifindex, err);
	if (nlh == NULL)
		return -1;
	ifi = mnl_nlmsg_get_payload(nlh);
	if (c->up >= 0) {
		ifi->ifi_change = IFF_UP;
		ifi->ifi_flags = c->up ? IFF_UP : 0;
	}
	name = c->newname != NULL ? c->newname : ifindex > 0 ? NULL : c->ifname;
	if (put_link_attrs(nlh, name, c->mtu, c->mac, c->netns_fd, err) == -1)
		return -1;
	if (master >= 0)
		mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)master);
	if (c->addrgenmode >= 0)
		put_addrgenmode(nlh, c->addrgenmode);
	return vj_nlmsg_end(b, nlh);
}

/* Append RTM_GETLINK of ifname (a single reply, no ack). */
int
vj_nlmsg_link_get(struct vj_nlbuf *b, const char *ifname, struct vj_error *err)
{
	struct nlmsghdr *nlh;

	if (check_name(ifname, err) == -1)
		return -1;
	nlh = link_start(b, RTM_GETLINK, 0, 0, err);
	if (nlh == NULL)
		return -1;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	return vj_nlmsg_end(b, nlh);
}

/* Append an RTM_GETLINK dump of every link. */
int
vj_nlmsg_link_dump(struct vj_nlbuf *b, struct vj_error *err)
{
	struct nlmsghdr *nlh;

	nlh = link_start(b, RTM_GETLINK, NLM_F_DUMP, 0, err);
	if (nlh == NULL)
		return -1;
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	return vj_nlmsg_end(b, nlh);
}

/* Return the byte length of an address of family. */
static size_t
addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

/* Put IFA_BROADCAST for an IPv4 prefix up to /30 (as ip's "brd +"). */
static void
put_broadcast(struct nlmsghdr *nlh, const struct vj_nl_prefix *p)
{
	uint32_t a, mask;

	if (p->family != AF_INET || p->len > 30)
		return;
	memcpy(&a, p->addr, sizeof(a));
	mask = p->len == 0 ? 0 : htonl(~0u << (32 - p->len));
	a |= ~mask;
	mnl_attr_put(nlh, IFA_BROADCAST, sizeof(a), &a);
}

/* Append RTM_NEWADDR (add != 0) or RTM_DELADDR of cidr on ifindex. */
int
vj_nlmsg_addr(struct vj_nlbuf *b, int add, int ifindex, const char *cidr,
    int nodad, struct vj_error *err)
{
	struct vj_nl_prefix p;
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;

	if (vj_nl_parse_prefix(cidr, &p, err) == -1)
		return -1;
	if (ifindex <= 0)
		return vj_nl_err(err, EINVAL, "an address needs an ifindex");
	nlh = vj_nlmsg_start(b, add ? RTM_NEWADDR : RTM_DELADDR,
	    NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_EXCL : 0), err);
	if (nlh == NULL)
		return -1;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)p.family;
	ifa->ifa_prefixlen = (uint8_t)p.len;
	ifa->ifa_flags = nodad && p.family == AF_INET6 ? IFA_F_NODAD : 0;
	ifa->ifa_scope = add && p.family == AF_INET && p.addr[0] == 127 ?
	    RT_SCOPE_HOST : RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (uint32_t)ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, addr_len(p.family), p.addr);
	mnl_attr_put(nlh, IFA_ADDRESS, addr_len(p.family), p.addr);
	if (add)
		put_broadcast(nlh, &p);
	return vj_nlmsg_end(b, nlh);
}

/* Parse a route's destination and gateway, checking they agree. */
static int
route_parse(const char *dst, const char *gateway, int oif,
    struct vj_nl_prefix *d, struct vj_nl_prefix *gw, struct vj_error *err)
{
	memset(gw, 0, sizeof(*gw));
	if (gateway != NULL && vj_nl_parse_prefix(gateway, gw, err) == -1)
		return -1;
	if (gateway != NULL && gw->len != addr_len(gw->family) * 8)
		return vj_nl_err(err, EINVAL, "invalid gateway: %s", gateway);
	if (dst != NULL && strcmp(dst, "default") == 0) {
		memset(d, 0, sizeof(*d));
		d->family = gateway != NULL ? gw->family : AF_INET;
	} else if (vj_nl_parse_prefix(dst, d, err) == -1)
		return -1;
	if (gateway != NULL && gw->family != d->family)
		return vj_nl_err(err, EINVAL,
		    "gateway %s is not of the family of %s", gateway, dst);
	if (gateway == NULL && oif <= 0)
		return vj_nl_err(err, EINVAL,
		    "a route needs a gateway or a device");
	return 0;
}

/* Fill a route's rtmsg as ip(8) does for "route add" and "route del". */
static void
route_header(struct nlmsghdr *nlh, int add, const struct vj_nl_prefix *d,
    int has_gw)
{
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));

	rtm->rtm_family = (uint8_t)d->family;
	rtm->rtm_dst_len = (uint8_t)d->len;
	rtm->rtm_table = RT_TABLE_MAIN;
	if (!add) {
		rtm->rtm_scope = RT_SCOPE_NOWHERE;
		return;
	}
	rtm->rtm_protocol = RTPROT_BOOT;
	rtm->rtm_scope = has_gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
}

/* Append RTM_NEWROUTE (add != 0) or RTM_DELROUTE in the main table. */
int
vj_nlmsg_route(struct vj_nlbuf *b, int add, const char *dst,
    const char *gateway, int oif, struct vj_error *err)
{
	struct vj_nl_prefix d, gw;
	struct nlmsghdr *nlh;

	if (route_parse(dst, gateway, oif, &d, &gw, err) == -1)
		return -1;
	nlh = vj_nlmsg_start(b, add ? RTM_NEWROUTE : RTM_DELROUTE,
	    NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_EXCL : 0), err);
	if (nlh == NULL)
		return -1;
	route_header(nlh, add, &d, gateway != NULL);
	if (d.len > 0)
		mnl_attr_put(nlh, RTA_DST, addr_len(d.family), d.addr);
	if (gateway != NULL)
		mnl_attr_put(nlh, RTA_GATEWAY, addr_len(gw.family), gw.addr);
	if (oif > 0)
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)oif);
	return vj_nlmsg_end(b, nlh);
}
