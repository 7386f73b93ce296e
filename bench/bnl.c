/*
 * bnl.c: the rtnetlink the benchmarks need, over libmnl.  Requests are
 * batched: several messages go out in one sendto() and their acks are read
 * back together, the way a careful jail manager would talk to the kernel.
 */
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include "bench.h"

#define VJB_MSG_MAX	512

/* Open a route netlink socket in the caller's current netns. */
int
vjb_nl_open(struct vjb_nl *nl)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t salen = sizeof(sa);
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (nl->fd < 0)
		return -1;
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(nl->fd, (struct sockaddr *)&sa, &salen) < 0) {
		close(nl->fd);
		nl->fd = -1;
		return -1;
	}
	nl->portid = sa.nl_pid;
	nl->seq = 1;
	return 0;
}

/* Close the socket and free the batch buffer. */
void
vjb_nl_close(struct vjb_nl *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	free(nl->buf);
	nl->fd = -1;
	nl->buf = NULL;
}

/* Start one request message at the end of the batch. */
static struct nlmsghdr *
nl_msg(struct vjb_nl *nl, int type, int flags)
{
	struct nlmsghdr *nlh;

	if (nl->len + VJB_MSG_MAX > nl->cap) {
		size_t cap = nl->cap ? nl->cap * 2 : 16384;
		char *p = realloc(nl->buf, cap);

		if (p == NULL)
			abort();
		nl->buf = p;
		nl->cap = cap;
	}
	nlh = mnl_nlmsg_put_header(nl->buf + nl->len);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = nl->seq++;
	return nlh;
}

/* Close a message started by nl_msg(): it becomes part of the batch. */
static void
nl_msg_end(struct vjb_nl *nl, struct nlmsghdr *nlh)
{
	nl->len += NLMSG_ALIGN(nlh->nlmsg_len);
	nl->nmsg++;
}

/* Start a link message naming the link by index, or by name if index is 0. */
static struct nlmsghdr *
nl_link_msg(struct vjb_nl *nl, int type, int flags, int ifindex,
    const char *name, unsigned ifflags, unsigned change)
{
	struct nlmsghdr *nlh = nl_msg(nl, type, flags);
	struct ifinfomsg *ifi;

	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = ifflags;
	ifi->ifi_change = change;
	if (ifindex == 0 && name != NULL)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return nlh;
}

/* Read the error text of an extended ack, if the kernel sent one. */
static void
nl_extack(struct vjb_nl *nl, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	size_t off = sizeof(*nlh) + sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	mnl_attr_for_each(a, nlh, off - sizeof(*nlh)) {
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG)
			snprintf(nl->err, sizeof(nl->err), "%s",
			    mnl_attr_get_str(a));
	}
}

/*
 * Send the batch and wait for every ack.  Returns 0, or -1 with errno of
 * the first request that failed (and its extended ack text in nl->err).
 */
int
vjb_nl_flush(struct vjb_nl *nl)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	static char rbuf[65536];
	unsigned left = nl->nmsg;
	int first_err = 0;
	ssize_t n;

	nl->err[0] = '\0';
	if (left == 0)
		return 0;
	n = sendto(nl->fd, nl->buf, nl->len, 0, (struct sockaddr *)&sa,
	    sizeof(sa));
	nl->len = 0;
	nl->nmsg = 0;
	if (n < 0)
		return -1;
	while (left > 0) {
		const struct nlmsghdr *nlh;
		int len;

		n = recv(nl->fd, rbuf, sizeof(rbuf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		len = (int)n;
		for (nlh = (struct nlmsghdr *)rbuf; mnl_nlmsg_ok(nlh, len);
		    nlh = mnl_nlmsg_next(nlh, &len)) {
			const struct nlmsgerr *e;

			if (nlh->nlmsg_type != NLMSG_ERROR)
				continue;
			e = mnl_nlmsg_get_payload(nlh);
			left--;
			if (e->error != 0 && first_err == 0) {
				first_err = -e->error;
				nl_extack(nl, nlh);
			}
		}
	}
	errno = first_err;
	return first_err ? -1 : 0;
}

/* Does environment variable var say "default" (the kernel's way)?  Read
 * once into *cache (-1 until read). */
static int
wants_default(const char *var, int *cache)
{
	const char *v;

	if (*cache < 0) {
		v = getenv(var);
		*cache = v != NULL && strcmp(v, "default") == 0;
	}
	return *cache;
}

/*
 * The queues of a veth end: one each way unless VJB_VETH_QUEUES=default
 * (the kernel's: one per possible CPU).  The kernel cuts a new veth's
 * queues to one as it registers, and cutting waits for an expedited RCU
 * grace period under the RTNL; asking for one queue skips that, and
 * vjail asks for one (lib/nl/msg.c), so the baseline does too.
 */
static void
put_queues(struct nlmsghdr *nlh)
{
	static int kernel_default = -1;	/* read once, not per veth */

	if (wants_default("VJB_VETH_QUEUES", &kernel_default))
		return;
	mnl_attr_put_u32(nlh, IFLA_NUM_TX_QUEUES, 1);
	mnl_attr_put_u32(nlh, IFLA_NUM_RX_QUEUES, 1);
}

/*
 * Queue a veth: the host end `name` (enslaved to `master` if non-zero, UP
 * if asked) and its peer created directly in the netns of peer_pid.
 */
void
vjb_nl_veth(struct vjb_nl *nl, const char *name, int master, bool up,
    const char *peer, pid_t peer_pid)
{
	struct nlmsghdr *nlh;
	struct nlattr *li, *data, *pn;
	struct ifinfomsg *pi;

	nlh = nl_link_msg(nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0, name,
	    up ? IFF_UP : 0, up ? IFF_UP : 0);
	if (master > 0)
		mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)master);
	put_queues(nlh);
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	pn = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	pi = mnl_nlmsg_get_payload_tail(nlh);
	memset(pi, 0, sizeof(*pi));
	nlh->nlmsg_len += NLMSG_ALIGN(sizeof(*pi));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
	if (peer_pid > 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_PID, (uint32_t)peer_pid);
	put_queues(nlh);
	mnl_attr_nest_end(nlh, pn);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, li);
	nl_msg_end(nl, nlh);
}

/*
 * A bridge's multicast snooping: off unless VJB_BR_SNOOPING=default (the
 * kernel's: on).  With snooping on, every port that comes up walks every
 * other port of the bridge to restart its multicast queriers, O(N) per
 * port under the RTNL; vjail's bridges snoop nothing (FreeBSD's
 * if_bridge floods multicast), so the baseline's do not either.
 */
static void
put_snooping(struct nlmsghdr *nlh)
{
	static int kernel_default = -1;	/* read once, not per bridge */
	struct nlattr *data;

	if (wants_default("VJB_BR_SNOOPING", &kernel_default))
		return;
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u8(nlh, IFLA_BR_MCAST_SNOOPING, 0);
	mnl_attr_nest_end(nlh, data);
}

/* Queue a bridge (created down; STP off, the kernel's default). */
void
vjb_nl_bridge(struct vjb_nl *nl, const char *name)
{
	struct nlmsghdr *nlh;
	struct nlattr *li;

	nlh = nl_link_msg(nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0, name,
	    0, 0);
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	put_snooping(nlh);
	mnl_attr_nest_end(nlh, li);
	nl_msg_end(nl, nlh);
}

/*
 * Queue "IPv6 addrgenmode none" for a link.  It must reach the kernel
 * before the link goes UP, in its own message: do_setlink() applies the
 * flags before IFLA_AF_SPEC, and RTM_NEWLINK refuses it at creation.
 */
void
vjb_nl_addrgen_none(struct vjb_nl *nl, int ifindex, const char *name)
{
	struct nlmsghdr *nlh;
	struct nlattr *af, *in6;

	nlh = nl_link_msg(nl, RTM_SETLINK, 0, ifindex, name, 0, 0);
	af = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
	in6 = mnl_attr_nest_start(nlh, AF_INET6);
	mnl_attr_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
	mnl_attr_nest_end(nlh, in6);
	mnl_attr_nest_end(nlh, af);
	nl_msg_end(nl, nlh);
}

/* Queue "link up". */
void
vjb_nl_up(struct vjb_nl *nl, int ifindex, const char *name)
{
	nl_msg_end(nl, nl_link_msg(nl, RTM_SETLINK, 0, ifindex, name, IFF_UP,
	    IFF_UP));
}

/* Queue an IPv4 address (network byte order) with a prefix length. */
void
vjb_nl_addr4(struct vjb_nl *nl, int ifindex, uint32_t addr, int plen)
{
	struct nlmsghdr *nlh = nl_msg(nl, RTM_NEWADDR,
	    NLM_F_CREATE | NLM_F_EXCL);
	struct ifaddrmsg *ifa;

	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (unsigned char)plen;
	ifa->ifa_index = (unsigned)ifindex;
	mnl_attr_put_u32(nlh, IFA_LOCAL, addr);
	mnl_attr_put_u32(nlh, IFA_ADDRESS, addr);
	nl_msg_end(nl, nlh);
}

/* Queue the deletion of a link. */
void
vjb_nl_del(struct vjb_nl *nl, int ifindex, const char *name)
{
	nl_msg_end(nl, nl_link_msg(nl, RTM_DELLINK, 0, ifindex, name, 0, 0));
}

/* The ifindex of a link in the socket's netns (one ioctl), or -1. */
int
vjb_nl_ifindex(struct vjb_nl *nl, const char *name)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(nl->fd, SIOCGIFINDEX, &ifr) < 0)
		return -1;
	return ifr.ifr_ifindex;
}

/* Open a monitor of link events in the caller's netns. */
int
vjb_mon_open(struct vjb_mon *m)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK,
	};
	int sz = 256 << 20;

	memset(m, 0, sizeof(*m));
	m->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    NETLINK_ROUTE);
	if (m->fd < 0)
		return -1;
	if (setsockopt(m->fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(m->fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (bind(m->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(m->fd);
		m->fd = -1;
		return -1;
	}
	return 0;
}

/* Close a monitor. */
void
vjb_mon_close(struct vjb_mon *m)
{
	if (m->fd >= 0)
		close(m->fd);
	free(m->want);
	memset(m, 0, sizeof(*m));
	m->fd = -1;
}

/* Track one link: vjb_mon_wait() returns when it has gone. */
int
vjb_mon_track(struct vjb_mon *m, int ifindex)
{
	if (ifindex <= 0)
		return -1;
	if ((size_t)ifindex >= m->nwant) {
		size_t n = m->nwant ? m->nwant : 4096;
		uint8_t *p;

		while (n <= (size_t)ifindex)
			n *= 2;
		p = realloc(m->want, n);
		if (p == NULL)
			return -1;
		memset(p + m->nwant, 0, n - m->nwant);
		m->want = p;
		m->nwant = n;
	}
	if (!m->want[ifindex]) {
		m->want[ifindex] = 1;
		m->left++;
	}
	return 0;
}

/* Forget a tracked link that has gone. */
static void
mon_gone(struct vjb_mon *m, int ifindex)
{
	if (ifindex > 0 && (size_t)ifindex < m->nwant && m->want[ifindex]) {
		m->want[ifindex] = 0;
		m->left--;
	}
}

/*
 * One dump of every link of nl's netns, calling cb for each.  Returns 1 if
 * the kernel flagged the dump as interrupted (links changed under it).
 */
static int
nl_dump_once(struct vjb_nl *nl, mnl_cb_t cb, void *arg)
{
	static char rbuf[1 << 16];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nlmsghdr *nlh;
	bool done = false, intr = false;
	ssize_t n;
	int len;

	nl->len = 0;
	nl->nmsg = 0;
	nlh = nl_link_msg(nl, RTM_GETLINK, NLM_F_DUMP, 0, NULL, 0, 0);
	nlh->nlmsg_flags &= ~NLM_F_ACK;
	if (sendto(nl->fd, nlh, nlh->nlmsg_len, 0, (struct sockaddr *)&sa,
	    sizeof(sa)) < 0)
		return -1;
	while (!done) {
		n = recv(nl->fd, rbuf, sizeof(rbuf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		len = (int)n;
		for (nlh = (struct nlmsghdr *)rbuf; mnl_nlmsg_ok(nlh, len);
		    nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = true;
			if (nlh->nlmsg_type == NLMSG_DONE) {
				done = true;
				break;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				errno = -((struct nlmsgerr *)
				    mnl_nlmsg_get_payload(nlh))->error;
				return -1;
			}
			if (cb(nlh, arg) < MNL_CB_OK)
				return -1;
		}
	}
	return intr ? 1 : 0;
}

struct prefix_walk {
	const char	*prefix;
	struct vjb_mon	*mon;
	long		 count;
	uint8_t		*seen;		/* resync: links still present */
	size_t		 nseen;
};

/*
 * Dump every link of nl's netns through cb until the kernel gives a
 * consistent dump, starting the walk afresh before each try.
 */
static int
nl_dump_links(struct vjb_nl *nl, mnl_cb_t cb, struct prefix_walk *w)
{
	int tries, ret = 1;

	for (tries = 0; tries < 100 && ret == 1; tries++) {
		w->count = 0;
		if (w->seen != NULL)
			memset(w->seen, 0, w->nseen);
		ret = nl_dump_once(nl, cb, w);
	}
	return ret < 0 ? -1 : 0;
}

/* The name and index of a link message, or NULL. */
static const char *
link_name(const struct nlmsghdr *nlh, int *ifindex)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;

	*ifindex = ifi->ifi_index;
	mnl_attr_for_each(a, nlh, sizeof(*ifi)) {
		if (mnl_attr_get_type(a) == IFLA_IFNAME)
			return mnl_attr_get_str(a);
	}
	return NULL;
}

/* Dump callback: count (and track) links whose name has the prefix. */
static int
prefix_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct prefix_walk *w = arg;
	const char *name;
	int idx;

	name = link_name(nlh, &idx);
	if (w->seen != NULL) {
		if (idx > 0 && (size_t)idx < w->nseen)
			w->seen[idx] = 1;
		return MNL_CB_OK;
	}
	if (name == NULL || strncmp(name, w->prefix, strlen(w->prefix)) != 0)
		return MNL_CB_OK;
	w->count++;
	if (w->mon != NULL && vjb_mon_track(w->mon, idx) < 0)
		return MNL_CB_ERROR;
	return MNL_CB_OK;
}

/* Count the links whose name starts with prefix; track them in m if given. */
int
vjb_links_with_prefix(struct vjb_nl *nl, const char *prefix, struct vjb_mon *m)
{
	struct prefix_walk w = { .prefix = prefix, .mon = m };

	if (nl_dump_links(nl, prefix_cb, &w) < 0)
		return -1;
	return (int)w.count;
}

/* After a monitor overflow, learn from a dump which tracked links went. */
static int
mon_resync(struct vjb_mon *m, struct vjb_nl *nl)
{
	struct prefix_walk w = { .nseen = m->nwant };
	size_t i;

	w.seen = calloc(1, m->nwant ? m->nwant : 1);
	if (w.seen == NULL)
		return -1;
	if (nl_dump_links(nl, prefix_cb, &w) < 0) {
		free(w.seen);
		return -1;
	}
	for (i = 0; i < m->nwant; i++)
		if (m->want[i] && !w.seen[i])
			mon_gone(m, (int)i);
	free(w.seen);
	return 0;
}

/* Handle the messages of one monitor read. */
static void
mon_parse(struct vjb_mon *m, const char *buf, int len)
{
	const struct nlmsghdr *nlh;

	for (nlh = (const struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, len);
	    nlh = mnl_nlmsg_next(nlh, &len)) {
		const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

		/* AF_BRIDGE DELLINKs only say a port left its bridge. */
		if (nlh->nlmsg_type == RTM_DELLINK &&
		    ifi->ifi_family == AF_UNSPEC)
			mon_gone(m, ifi->ifi_index);
	}
}

/*
 * Wait until every tracked link got its RTM_DELLINK.  On a monitor
 * overflow (ENOBUFS) the survivors are found by a dump through nl.
 * Returns 0, or -1 with ETIMEDOUT.
 */
int
vjb_mon_wait(struct vjb_mon *m, struct vjb_nl *nl, double timeout_ms)
{
	static char buf[1 << 17];
	double end = vjb_now_ms() + timeout_ms;

	while (m->left > 0) {
		struct pollfd pfd = { .fd = m->fd, .events = POLLIN };
		double now = vjb_now_ms();
		ssize_t n;

		if (now >= end) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (poll(&pfd, 1, (int)(end - now) + 1) < 0 && errno != EINTR)
			return -1;
		for (;;) {
			n = recv(m->fd, buf, sizeof(buf), 0);
			if (n < 0 && errno == ENOBUFS) {
				if (mon_resync(m, nl) < 0)
					return -1;
				continue;
			}
			if (n <= 0)
				break;
			mon_parse(m, buf, (int)n);
		}
	}
	return 0;
}
