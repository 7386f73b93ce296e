/*
 * test_nl.c: the netlink message builders and parsers, byte by byte, with
 * no socket and no root.  TAP output.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/if_addr.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/tc_act/tc_mirred.h>
#include <libmnl/libmnl.h>

#include "error.h"
#include "msg.h"
#include "tap.h"

#define MAXATTR	64

static char mem[8192];
static struct vj_nlbuf b;
static struct vj_error err;

/* ok(), and the last error when it fails. */
#define check(cond, ...) do {						\
	int c_ = (cond);						\
	ok(c_, __VA_ARGS__);						\
	if (!c_)							\
		printf("# last error: %s\n", err.ve_msg);		\
} while (0)

/* Start every case on an empty buffer (seq 100) and a clear error. */
static void
reset(void)
{
	vj_nlbuf_init(&b, mem, sizeof(mem), 100);
	vj_err_clear(&err);
}

/* Store an attribute in the table data, by type. */
static int
attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_get_type(a) < MAXATTR)
		tb[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

/* Parse the attributes of nlh after a family header of hdrlen bytes. */
static void
attrs(const struct nlmsghdr *nlh, size_t hdrlen, const struct nlattr **tb)
{
	memset(tb, 0, MAXATTR * sizeof(*tb));
	mnl_attr_parse(nlh, (unsigned)hdrlen, attr_cb, tb);
}

/* Parse the attributes nested in a. */
static void
nested(const struct nlattr *a, const struct nlattr **tb)
{
	memset(tb, 0, MAXATTR * sizeof(*tb));
	if (a != NULL)
		mnl_attr_parse_nested(a, attr_cb, tb);
}

/* Return 1 if attribute a is a string equal to s. */
static int
attr_is(const struct nlattr *a, const char *s)
{
	return a != NULL && strncmp(mnl_attr_get_payload(a), s,
	    mnl_attr_get_payload_len(a)) == 0 &&
	    strlen(s) <= mnl_attr_get_payload_len(a);
}

/* Return 1 if attribute a holds the address text s. */
static int
attr_addr(const struct nlattr *a, int family, const char *s)
{
	unsigned char want[16];
	size_t len = family == AF_INET ? 4 : 16;

	return a != NULL && inet_pton(family, s, want) == 1 &&
	    mnl_attr_get_payload_len(a) == len &&
	    memcmp(mnl_attr_get_payload(a), want, len) == 0;
}

/* Return 1 if attribute a is a u32 equal to v. */
static int
attr_u32(const struct nlattr *a, uint32_t v)
{
	return a != NULL && mnl_attr_get_payload_len(a) == 4 &&
	    mnl_attr_get_u32(a) == v;
}

/* The veth pair: top end, nesting, the peer's ifinfomsg and attributes. */
static void
test_veth(void)
{
	struct vj_nl_veth v = { .name = "vj5a", .peer = "eth0",
	    .peer_netns_fd = 7, .mtu = 1400, .peer_mac = "02:00:00:00:05:01" };
	const struct nlattr *tb[MAXATTR], *li[MAXATTR], *data[MAXATTR],
	    *peer[MAXATTR];
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)mem;
	const struct ifinfomsg *pifi;
	const unsigned char *mac;

	reset();
	check(vj_nlmsg_veth_add(&b, &v, &err) == 0 && b.count == 1 &&
	    b.len == nlh->nlmsg_len, "veth: built one request");
	check(nlh->nlmsg_type == RTM_NEWLINK && nlh->nlmsg_seq == 100 &&
	    nlh->nlmsg_flags == (NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
	    NLM_F_EXCL), "veth: RTM_NEWLINK, create|excl|ack, seq 100");
	attrs(nlh, sizeof(struct ifinfomsg), tb);
	check(attr_is(tb[IFLA_IFNAME], "vj5a") &&
	    attr_u32(tb[IFLA_MTU], 1400) &&
	    tb[IFLA_NET_NS_FD] == NULL && tb[IFLA_ADDRESS] == NULL,
	    "veth: this end's name and mtu, no netns, no mac");
	nested(tb[IFLA_LINKINFO], li);
	nested(li[IFLA_INFO_DATA], data);
	check(attr_is(li[IFLA_INFO_KIND], "veth") &&
	    data[VETH_INFO_PEER] != NULL,
	    "veth: linkinfo kind veth with a peer");
	pifi = mnl_attr_get_payload(data[VETH_INFO_PEER]);
	memset(peer, 0, sizeof(peer));
	mnl_attr_parse_payload((const char *)pifi + sizeof(*pifi),
	    mnl_attr_get_payload_len(data[VETH_INFO_PEER]) - sizeof(*pifi),
	    attr_cb, peer);
	mac = peer[IFLA_ADDRESS] ? mnl_attr_get_payload(peer[IFLA_ADDRESS]) : 0;
	check(pifi->ifi_index == 0 && attr_is(peer[IFLA_IFNAME], "eth0") &&
	    attr_u32(peer[IFLA_NET_NS_FD], 7) &&
	    attr_u32(peer[IFLA_MTU], 1400) && mac != NULL &&
	    mac[0] == 2 && mac[5] == 1, "veth: peer ifinfomsg, name, netns "
	    "fd, mtu, mac");
}

/* Pinned ifindexes, and what a veth spec may not ask. */
static void
test_veth_pinned(void)
{
	struct vj_nl_veth v = { .name = "a", .peer = "b", .peer_netns_fd = -1,
	    .ifindex = 40, .peer_ifindex = 41 };
	const struct nlattr *tb[MAXATTR], *li[MAXATTR], *data[MAXATTR];
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)mem;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh), *pifi;

	reset();
	check(vj_nlmsg_veth_add(&b, &v, &err) == 0, "veth pinned: built");
	attrs(nlh, sizeof(*ifi), tb);
	nested(tb[IFLA_LINKINFO], li);
	nested(li[IFLA_INFO_DATA], data);
	pifi = mnl_attr_get_payload(data[VETH_INFO_PEER]);
	check(ifi->ifi_index == 40 && pifi->ifi_index == 41,
	    "veth pinned: both ifindexes");
	reset();
	v.ifindex = 0;
	check(vj_nlmsg_veth_add(&b, &v, &err) == -1 && err.ve_errno == EINVAL &&
	    b.len == 0 && b.count == 0, "veth: peer pinned alone is EINVAL");
	v.peer = "waytoolonginterfacename";
	v.peer_ifindex = 0;
	check(vj_nlmsg_veth_add(&b, &v, &err) == -1 && err.ve_errno == EINVAL &&
	    strstr(err.ve_msg, "too long") != NULL && b.len == 0,
	    "veth: long peer name is EINVAL, nothing appended");
}

/* "ip link set eth0 up", byte for byte. */
static void
test_set_up_bytes(void)
{
	static const unsigned char want[] = {
		44, 0, 0, 0,  16, 0,  5, 0,  100, 0, 0, 0,  0, 0, 0, 0,
		0, 0, 0, 0,  0, 0, 0, 0,  1, 0, 0, 0,  1, 0, 0, 0,
		9, 0, 3, 0,  'e', 't', 'h', '0',  0, 0, 0, 0,
	};
	struct vj_nl_link_change c = VJ_NL_LINK_CHANGE_INIT;

	reset();
	c.ifname = "eth0";
	c.up = 1;
	check(vj_nlmsg_link_change(&b, &c, 0, -1, &err) == 0 &&
	    b.len == sizeof(want) && memcmp(mem, want, sizeof(want)) == 0,
	    "set up: exact bytes");
}

/* Moving a link: by name, and by ifindex with a new name. */
static void
test_set_netns(void)
{
	struct vj_nl_link_change c = VJ_NL_LINK_CHANGE_INIT;
	const struct nlattr *tb[MAXATTR];
	const struct nlmsghdr *nlh;
	const struct ifinfomsg *ifi;

	reset();
	c.ifname = "vj5b";
	c.netns_fd = 9;
	check(vj_nlmsg_link_change(&b, &c, 0, -1, &err) == 0 &&
	    vj_nlmsg_link_change(&b, (c.newname = "eth0", &c), 12, -1,
	    &err) == 0 && b.count == 2, "set netns: two requests");
	nlh = vj_nlbuf_msg(&b, 0);
	ifi = mnl_nlmsg_get_payload(nlh);
	attrs(nlh, sizeof(*ifi), tb);
	check(ifi->ifi_index == 0 && ifi->ifi_change == 0 &&
	    attr_is(tb[IFLA_IFNAME], "vj5b") && attr_u32(tb[IFLA_NET_NS_FD], 9),
	    "set netns: by name, IFLA_NET_NS_FD");
	nlh = vj_nlbuf_msg(&b, 1);
	ifi = mnl_nlmsg_get_payload(nlh);
	attrs(nlh, sizeof(*ifi), tb);
	check(nlh->nlmsg_seq == 101 && ifi->ifi_index == 12 &&
	    attr_is(tb[IFLA_IFNAME], "eth0") && attr_u32(tb[IFLA_NET_NS_FD], 9),
	    "set netns: by ifindex, new name, next seq");
	check(vj_nlbuf_msg(&b, 2) == NULL, "buffer: no third request");
	c.newname = "x";
	check(vj_nlmsg_link_change(&b, &c, 0, -1, &err) == -1 &&
	    err.ve_errno == EINVAL && b.count == 2,
	    "rename without an ifindex is EINVAL");
}

/* addrgenmode none: IFLA_AF_SPEC / AF_INET6 / IFLA_INET6_ADDR_GEN_MODE. */
static void
test_addrgenmode(void)
{
	struct vj_nl_link_change c = VJ_NL_LINK_CHANGE_INIT;
	const struct nlattr *tb[MAXATTR], *spec[MAXATTR], *in6[MAXATTR];
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)mem;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	reset();
	c.ifname = "vj5a";
	c.addrgenmode = IN6_ADDR_GEN_MODE_NONE;
	check(vj_nlmsg_link_change(&b, &c, 0, -1, &err) == 0,
	    "addrgenmode: built");
	attrs(nlh, sizeof(*ifi), tb);
	nested(tb[IFLA_AF_SPEC], spec);
	nested(spec[AF_INET6], in6);
	check(ifi->ifi_change == 0 && ifi->ifi_flags == 0 &&
	    in6[IFLA_INET6_ADDR_GEN_MODE] != NULL &&
	    mnl_attr_get_payload_len(in6[IFLA_INET6_ADDR_GEN_MODE]) == 1 &&
	    mnl_attr_get_u8(in6[IFLA_INET6_ADDR_GEN_MODE]) ==
	    IN6_ADDR_GEN_MODE_NONE && tb[IFLA_MASTER] == NULL,
	    "addrgenmode: none, nested, flags untouched");
}

/* Master and nomaster, mtu and mac in one change. */
static void
test_master(void)
{
	struct vj_nl_link_change c = VJ_NL_LINK_CHANGE_INIT;
	const struct nlattr *tb[MAXATTR];
	const struct nlmsghdr *nlh;

	reset();
	c.ifname = "vj5a";
	c.mtu = 9000;
	c.mac = "aa:BB:cc:00:11:22";
	check(vj_nlmsg_link_change(&b, &c, 0, 3, &err) == 0 &&
	    vj_nlmsg_link_change(&b, &c, 0, 0, &err) == 0,
	    "master: built master and nomaster");
	nlh = vj_nlbuf_msg(&b, 0);
	attrs(nlh, sizeof(struct ifinfomsg), tb);
	check(attr_u32(tb[IFLA_MASTER], 3) && attr_u32(tb[IFLA_MTU], 9000) &&
	    tb[IFLA_ADDRESS] != NULL &&
	    memcmp(mnl_attr_get_payload(tb[IFLA_ADDRESS]),
	    "\xaa\xbb\xcc\x00\x11\x22", 6) == 0, "master: master 3, mtu, mac");
	attrs(vj_nlbuf_msg(&b, 1), sizeof(struct ifinfomsg), tb);
	check(attr_u32(tb[IFLA_MASTER], 0), "nomaster: IFLA_MASTER 0");
	c.mac = "aa:bb:cc:00:11";
	check(vj_nlmsg_link_change(&b, &c, 0, -1, &err) == -1 &&
	    err.ve_errno == EINVAL && b.count == 2, "bad mac is EINVAL");
}

/* Check an address request's header. */
static int
ifa_is(const struct nlmsghdr *nlh, int family, int plen, int flags,
    int ifindex)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);

	return ifa->ifa_family == family && ifa->ifa_prefixlen == plen &&
	    ifa->ifa_flags == flags && (int)ifa->ifa_index == ifindex &&
	    ifa->ifa_scope == RT_SCOPE_UNIVERSE;
}

/* Addresses: v4 with broadcast, v6 nodad, delete, bad input. */
static void
test_addr(void)
{
	const struct nlattr *tb[MAXATTR];
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)mem;

	reset();
	check(vj_nlmsg_addr(&b, 1, 3, "10.0.0.1/24", 1, &err) == 0 &&
	    nlh->nlmsg_type == RTM_NEWADDR && nlh->nlmsg_flags ==
	    (NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL) &&
	    ifa_is(nlh, AF_INET, 24, 0, 3), "addr v4: header (nodad ignored)");
	attrs(nlh, sizeof(struct ifaddrmsg), tb);
	check(attr_addr(tb[IFA_LOCAL], AF_INET, "10.0.0.1") &&
	    attr_addr(tb[IFA_ADDRESS], AF_INET, "10.0.0.1") &&
	    attr_addr(tb[IFA_BROADCAST], AF_INET, "10.0.0.255"),
	    "addr v4: local, address, broadcast");
	reset();
	check(vj_nlmsg_addr(&b, 1, 4, "fd00::1/64", 1, &err) == 0 &&
	    ifa_is(nlh, AF_INET6, 64, IFA_F_NODAD, 4), "addr v6: nodad");
	attrs(nlh, sizeof(struct ifaddrmsg), tb);
	check(attr_addr(tb[IFA_LOCAL], AF_INET6, "fd00::1") &&
	    tb[IFA_BROADCAST] == NULL, "addr v6: local, no broadcast");
	reset();
	check(vj_nlmsg_addr(&b, 0, 4, "10.1.2.3", 0, &err) == 0 &&
	    nlh->nlmsg_type == RTM_DELADDR && ifa_is(nlh, AF_INET, 32, 0, 4) &&
	    nlh->nlmsg_flags == (NLM_F_REQUEST | NLM_F_ACK),
	    "addr del: host prefix, no create flags");
	check(vj_nlmsg_addr(&b, 1, 4, "10.0.0.1/33", 0, &err) == -1 &&
	    err.ve_errno == EINVAL && b.count == 1, "addr: /33 is EINVAL");
	check(vj_nlmsg_addr(&b, 1, 4, "10.0.0.256/8", 0, &err) == -1 &&
	    strstr(err.ve_msg, "invalid address") != NULL, "addr: bad IPv4");
	check(vj_nlmsg_addr(&b, 1, 0, "10.0.0.1/8", 0, &err) == -1,
	    "addr: ifindex 0 is refused");
}

/* Check a route request's header. */
static int
rtm_is(const struct nlmsghdr *nlh, int family, int dlen, int proto,
    int scope, int type)
{
	const struct rtmsg *r = mnl_nlmsg_get_payload(nlh);

	return r->rtm_family == family && r->rtm_dst_len == dlen &&
	    r->rtm_table == RT_TABLE_MAIN && r->rtm_protocol == proto &&
	    r->rtm_scope == scope && r->rtm_type == type;
}

/* Routes: default via, prefix dev, delete, mismatches. */
static void
test_route(void)
{
	const struct nlattr *tb[MAXATTR];
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)mem;

	reset();
	check(vj_nlmsg_route(&b, 1, "default", "10.0.0.254", 0, &err) == 0 &&
	    nlh->nlmsg_type == RTM_NEWROUTE && rtm_is(nlh, AF_INET, 0,
	    RTPROT_BOOT, RT_SCOPE_UNIVERSE, RTN_UNICAST),
	    "route default: header");
	attrs(nlh, sizeof(struct rtmsg), tb);
	check(tb[RTA_DST] == NULL && tb[RTA_OIF] == NULL &&
	    attr_addr(tb[RTA_GATEWAY], AF_INET, "10.0.0.254"),
	    "route default: gateway only");
	reset();
	check(vj_nlmsg_route(&b, 1, "fd00:1::/64", NULL, 4, &err) == 0 &&
	    rtm_is(nlh, AF_INET6, 64, RTPROT_BOOT, RT_SCOPE_LINK, RTN_UNICAST),
	    "route v6 dev: link scope");
	attrs(nlh, sizeof(struct rtmsg), tb);
	check(attr_addr(tb[RTA_DST], AF_INET6, "fd00:1::") &&
	    attr_u32(tb[RTA_OIF], 4) && tb[RTA_GATEWAY] == NULL,
	    "route v6 dev: dst and oif");
	reset();
	check(vj_nlmsg_route(&b, 0, "default", "fd00::1", 0, &err) == 0 &&
	    nlh->nlmsg_type == RTM_DELROUTE &&
	    rtm_is(nlh, AF_INET6, 0, 0, RT_SCOPE_NOWHERE, 0),
	    "route del: default via v6 gateway is IPv6, any scope");
	check(vj_nlmsg_route(&b, 1, "10.0.0.0/8", "fd00::1", 0, &err) == -1 &&
	    err.ve_errno == EINVAL && b.count == 1, "route: family mismatch");
	check(vj_nlmsg_route(&b, 1, "10.0.0.0/8", NULL, 0, &err) == -1 &&
	    err.ve_errno == EINVAL, "route: no gateway and no device");
	check(vj_nlmsg_route(&b, 1, "default", "10.0.0.1/24", 0, &err) == -1,
	    "route: gateway with a prefix is refused");
}

/* Bridge, delete, lookup and dump requests. */
static void
test_link_misc(void)
{
	const struct nlattr *tb[MAXATTR], *li[MAXATTR];
	const struct nlmsghdr *nlh;

	reset();
	check(vj_nlmsg_bridge_add(&b, "br0", &err) == 0 &&
	    vj_nlmsg_link_del(&b, "vj5a", &err) == 0 &&
	    vj_nlmsg_link_get(&b, "eth0", &err) == 0 &&
	    vj_nlmsg_link_dump(&b, &err) == 0 && b.count == 4,
	    "misc: four requests");
	nlh = vj_nlbuf_msg(&b, 0);
	attrs(nlh, sizeof(struct ifinfomsg), tb);
	nested(tb[IFLA_LINKINFO], li);
	check(attr_is(tb[IFLA_IFNAME], "br0") && attr_is(li[IFLA_INFO_KIND],
	    "bridge"), "bridge: name and kind");
	nlh = vj_nlbuf_msg(&b, 1);
	attrs(nlh, sizeof(struct ifinfomsg), tb);
	check(nlh->nlmsg_type == RTM_DELLINK &&
	    attr_is(tb[IFLA_IFNAME], "vj5a"),
	    "delete: by name");
	nlh = vj_nlbuf_msg(&b, 2);
	check(nlh->nlmsg_type == RTM_GETLINK &&
	    nlh->nlmsg_flags == NLM_F_REQUEST,
	    "get: a request without ack");
	nlh = vj_nlbuf_msg(&b, 3);
	check(nlh->nlmsg_flags == (NLM_F_REQUEST | NLM_F_DUMP) &&
	    nlh->nlmsg_seq == 103, "dump: NLM_F_DUMP, seq 103");
}

/* A full buffer refuses requests and keeps what it has. */
static void
test_full(void)
{
	char small[VJ_NLMSG_MAX + 16];
	struct vj_nlbuf sb;

	vj_nlbuf_init(&sb, small, sizeof(small), 1);
	check(vj_nlmsg_bridge_add(&sb, "br0", &err) == 0 &&
	    vj_nlmsg_bridge_add(&sb, "br1", &err) == -1 &&
	    err.ve_errno == EMSGSIZE && sb.count == 1, "full buffer: EMSGSIZE");
}

/* Parsers of text: prefixes and MAC addresses. */
static void
test_parse(void)
{
	struct vj_nl_prefix p;
	unsigned char mac[6];

	check(vj_nl_parse_prefix("fd00::/8", &p, &err) == 0 &&
	    p.family == AF_INET6 && p.len == 8 && p.addr[0] == 0xfd,
	    "prefix: IPv6");
	check(vj_nl_parse_prefix("10.0.0.1/", &p, &err) == -1 &&
	    vj_nl_parse_prefix("10.0.0.1/2x", &p, &err) == -1 &&
	    vj_nl_parse_prefix("::1/129", &p, &err) == -1 &&
	    vj_nl_parse_prefix("10.0.0.1/0x8", &p, &err) == -1,
	    "prefix: bad lengths refused");
	check(vj_nl_parse_mac("02:00:0a:0B:ff:10", mac, &err) == 0 &&
	    mac[2] == 0x0a && mac[3] == 0x0b && mac[4] == 0xff, "mac: parsed");
	check(vj_nl_parse_mac("02:00:0a:0b:ff:10:", mac, &err) == -1 &&
	    vj_nl_parse_mac("02:00:0a:0b:ff", mac, &err) == -1 &&
	    vj_nl_parse_mac("2:0:a:b:f:1", mac, &err) == -1,
	    "mac: bad forms refused");
}

/* Build an ack for request req: error, capped or not, with a message. */
static struct nlmsghdr *
make_ack(char *buf, const struct nlmsghdr *req, int error, int capped,
    const char *msg)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *e;
	size_t plen = capped ? sizeof(*e) : sizeof(*e) +
	    req->nlmsg_len - sizeof(*req);

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = (capped ? NLM_F_CAPPED : 0) |
	    (msg != NULL ? NLM_F_ACK_TLVS : 0);
	e = mnl_nlmsg_put_extra_header(nlh, plen);
	e->error = error;
	memcpy(&e->msg, req, capped ? sizeof(*req) : req->nlmsg_len);
	if (msg != NULL)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	return nlh;
}

/* Acks: errno and extended-ack text, capped or not; malformed ones. */
static void
test_ack(void)
{
	char abuf[2048], ext[256];
	struct nlmsghdr *nlh;
	int errnum;

	reset();
	vj_nlmsg_addr(&b, 1, 3, "10.0.0.1/24", 0, &err);
	nlh = make_ack(abuf, vj_nlbuf_msg(&b, 0), -EINVAL, 1,
	    "Invalid prefix for given prefix length\n");
	check(vj_nlmsg_ack(nlh, &errnum, ext, sizeof(ext)) == 0 &&
	    errnum == EINVAL &&
	    strcmp(ext, "Invalid prefix for given prefix length") == 0,
	    "ack capped: errno and text");
	nlh = make_ack(abuf, vj_nlbuf_msg(&b, 0), -EEXIST, 0, "Exists");
	check(vj_nlmsg_ack(nlh, &errnum, ext, sizeof(ext)) == 0 &&
	    errnum == EEXIST && strcmp(ext, "Exists") == 0,
	    "ack with the request echoed: errno and text");
	nlh = make_ack(abuf, vj_nlbuf_msg(&b, 0), 0, 1, NULL);
	check(vj_nlmsg_ack(nlh, &errnum, ext, sizeof(ext)) == 0 &&
	    errnum == 0 &&
	    ext[0] == '\0', "ack: success");
	nlh->nlmsg_len = sizeof(*nlh) + 2;
	check(vj_nlmsg_ack(nlh, &errnum, ext, sizeof(ext)) == -1 &&
	    errno == EBADMSG, "ack: truncated is EBADMSG");
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_len = sizeof(*nlh) + sizeof(int);
	*(int *)mnl_nlmsg_get_payload(nlh) = -ENOBUFS;
	check(vj_nlmsg_ack(nlh, &errnum, ext, sizeof(ext)) == 0 &&
	    errnum == ENOBUFS, "done: a dump's error");
}

/* A link as the kernel describes it. */
static void
test_link_info(void)
{
	char lbuf[1024];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(lbuf);
	struct vj_nl_link_info info;
	struct ifinfomsg *ifi;
	struct nlattr *nest;

	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 7;
	ifi->ifi_flags = IFF_UP;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "vj5a");
	mnl_attr_put_u32(nlh, IFLA_MTU, 1500);
	mnl_attr_put_u32(nlh, IFLA_MASTER, 3);
	nest = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	mnl_attr_nest_end(nlh, nest);
	check(vj_nlmsg_link_info(nlh, &info) == 0 && info.ifindex == 7 &&
	    strcmp(info.name, "vj5a") == 0 && strcmp(info.kind, "veth") == 0 &&
	    info.master == 3 && info.mtu == 1500 && (info.flags & IFF_UP),
	    "link info: index, name, kind, master, mtu, flags");
	nlh->nlmsg_type = RTM_NEWADDR;
	check(vj_nlmsg_link_info(nlh, &info) == -1 && errno == EBADMSG,
	    "link info: not a link is EBADMSG");
}

/* Run every case; TAP on stdout. */
/* The wire between two links: clsact, then u32 + mirred on ingress; a
 * missing target refused. */
static void
test_tc(void)
{
	const struct nlattr *tb[MAXATTR], *opt[MAXATTR], *act[MAXATTR];
	const struct nlattr *one[MAXATTR], *aopt[MAXATTR];
	const struct tc_u32_sel *sel;
	const struct tc_mirred *m;
	struct nlmsghdr *nlh;
	struct tcmsg *tc;

	reset();
	check(vj_nlmsg_clsact_add(&b, 7, &err) == 0, "tc: clsact builds");
	nlh = vj_nlbuf_msg(&b, 0);
	tc = mnl_nlmsg_get_payload(nlh);
	ok(nlh->nlmsg_type == RTM_NEWQDISC && tc->tcm_ifindex == 7 &&
	    tc->tcm_parent == TC_H_CLSACT, "tc: clsact on ifindex 7");
	attrs(nlh, sizeof(*tc), tb);
	ok(tb[TCA_KIND] && strcmp(mnl_attr_get_str(tb[TCA_KIND]), "clsact") == 0,
	    "tc: kind clsact");
	check(vj_nlmsg_redirect_add(&b, 7, 9, &err) == 0, "tc: redirect builds");
	nlh = vj_nlbuf_msg(&b, 1);
	tc = mnl_nlmsg_get_payload(nlh);
	ok(nlh->nlmsg_type == RTM_NEWTFILTER && tc->tcm_parent ==
	    TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS) &&
	    TC_H_MIN(tc->tcm_info) == htons(ETH_P_ALL), "tc: ingress, all");
	attrs(nlh, sizeof(*tc), tb);
	memset(opt, 0, sizeof(opt));
	memset(act, 0, sizeof(act));
	memset(one, 0, sizeof(one));
	memset(aopt, 0, sizeof(aopt));
	if (tb[TCA_OPTIONS])
		mnl_attr_parse_nested(tb[TCA_OPTIONS], attr_cb, opt);
	if (opt[TCA_U32_ACT])
		mnl_attr_parse_nested(opt[TCA_U32_ACT], attr_cb, act);
	if (act[1])
		mnl_attr_parse_nested(act[1], attr_cb, one);
	if (one[TCA_ACT_OPTIONS])
		mnl_attr_parse_nested(one[TCA_ACT_OPTIONS], attr_cb, aopt);
	sel = opt[TCA_U32_SEL] ? mnl_attr_get_payload(opt[TCA_U32_SEL]) : NULL;
	ok(sel && sel->nkeys == 1 && sel->keys[0].mask == 0 &&
	    (sel->flags & TC_U32_TERMINAL), "tc: one key matching all");
	m = aopt[TCA_MIRRED_PARMS] ? mnl_attr_get_payload(aopt[TCA_MIRRED_PARMS])
	    : NULL;
	ok(m && m->ifindex == 9 && m->eaction == TCA_EGRESS_REDIR &&
	    m->action == TC_ACT_STOLEN, "tc: mirred out of 9, stolen");
	ok(vj_nlmsg_redirect_add(&b, 7, 0, &err) == -1 && b.count == 2,
	    "tc: no target refused, nothing appended");
	ok(sel && sel->keys[0].off == -12, "tc: the key reads the source MAC");
}

int
main(void)
{
	test_veth();
	test_veth_pinned();
	test_set_up_bytes();
	test_set_netns();
	test_addrgenmode();
	test_master();
	test_addr();
	test_route();
	test_link_misc();
	test_full();
	test_parse();
	test_ack();
	test_link_info();
	test_tc();
	return tap_done();
}
