/*
 * msg.h: rtnetlink message builders and parsers, without any I/O.
 *
 * Builders append one request to a caller-owned struct vj_nlbuf and give
 * it the buffer's next sequence number; on failure nothing is appended.
 * Every request asks for an ack.  Unit tests check the bytes without root.
 */
#ifndef VJ_NL_MSG_H
#define VJ_NL_MSG_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#include "nl.h"

/* vj_err_set() that sets errno even when err is NULL; returns -1. */
#define vj_nl_err(err, errnum, ...) \
	({ vj_err_set((err), (errnum), __VA_ARGS__); errno = (errnum); -1; })

/* Room one request may need; a builder fails with EMSGSIZE below it. */
#define VJ_NLMSG_MAX	1024

/* A buffer that requests are appended to. */
struct vj_nlbuf {
	char		*buf;
	size_t		 size;
	size_t		 len;		/* bytes of complete requests */
	uint32_t	 seq0;		/* seq of the first request */
	unsigned	 count;		/* requests in buf */
};

/* An address with its prefix length, parsed from "addr[/len]". */
struct vj_nl_prefix {
	int		 family;	/* AF_INET or AF_INET6 */
	unsigned	 len;		/* prefix length */
	unsigned char	 addr[16];
};

/* Make mem (size bytes, zeroed here) an empty buffer starting at seq. */
void	vj_nlbuf_init(struct vj_nlbuf *b, void *mem, size_t size, uint32_t seq);

/* Return the i-th request of b, or NULL. */
struct nlmsghdr *vj_nlbuf_msg(const struct vj_nlbuf *b, unsigned i);

/*
 * Start a request of type (flags besides NLM_F_REQUEST) at the end of b;
 * NULL with EMSGSIZE if b is full.  vj_nlmsg_end() commits it.  For the
 * builders of other files.
 */
struct nlmsghdr *vj_nlmsg_start(struct vj_nlbuf *b, uint16_t type,
	    uint16_t flags, struct vj_error *err);
int	vj_nlmsg_end(struct vj_nlbuf *b, const struct nlmsghdr *nlh);

/* Append RTM_NEWLINK for a veth pair. */
int	vj_nlmsg_veth_add(struct vj_nlbuf *b, const struct vj_nl_veth *v,
	    struct vj_error *err);

/* Append RTM_NEWLINK for a bridge. */
int	vj_nlmsg_bridge_add(struct vj_nlbuf *b, const char *name,
	    struct vj_error *err);

/* Append RTM_DELLINK of ifname. */
int	vj_nlmsg_link_del(struct vj_nlbuf *b, const char *ifname,
	    struct vj_error *err);

/* Append RTM_NEWQDISC of a clsact qdisc on ifindex (msg_tc.c). */
int	vj_nlmsg_clsact_add(struct vj_nlbuf *b, int ifindex,
	    struct vj_error *err);

/*
 * Append RTM_NEWTFILTER: whatever ifindex receives is sent out of
 * to_ifindex (u32 matching all, mirred egress redirect), on the clsact
 * ingress hook (msg_tc.c).
 */
int	vj_nlmsg_redirect_add(struct vj_nlbuf *b, int ifindex, int to_ifindex,
	    struct vj_error *err);

/*
 * Append RTM_NEWLINK applying c.  ifindex > 0 names the link (needed for
 * c->newname), else c->ifname does; master is the new master's ifindex
 * (0: nomaster), or -1 to leave it (c->master is not read here).
 */
int	vj_nlmsg_link_change(struct vj_nlbuf *b,
	    const struct vj_nl_link_change *c, int ifindex, int master,
	    struct vj_error *err);

/* Append RTM_NEWADDR (add != 0) or RTM_DELADDR of cidr on ifindex. */
int	vj_nlmsg_addr(struct vj_nlbuf *b, int add, int ifindex,
	    const char *cidr, int nodad, struct vj_error *err);

/*
 * Append RTM_NEWROUTE (add != 0) or RTM_DELROUTE in the main table; oif is
 * the device's ifindex or 0.  Arguments as for vj_nl_route_add().
 */
int	vj_nlmsg_route(struct vj_nlbuf *b, int add, const char *dst,
	    const char *gateway, int oif, struct vj_error *err);

/* Append RTM_GETLINK of ifname (a single reply, no ack). */
int	vj_nlmsg_link_get(struct vj_nlbuf *b, const char *ifname,
	    struct vj_error *err);

/* Append an RTM_GETLINK dump of every link. */
int	vj_nlmsg_link_dump(struct vj_nlbuf *b, struct vj_error *err);

/* Parse "addr[/len]" (IPv4 or IPv6). */
int	vj_nl_parse_prefix(const char *s, struct vj_nl_prefix *p,
	    struct vj_error *err);

/* Parse "aa:bb:cc:dd:ee:ff" into mac[6]. */
int	vj_nl_parse_mac(const char *s, unsigned char mac[6],
	    struct vj_error *err);

/*
 * Read an NLMSG_ERROR or NLMSG_DONE message: *errnum gets the positive
 * errno (0 for an ack) and ext the kernel's extended-ack text ("" if
 * none).  Returns -1 with EBADMSG if the message is malformed.
 */
int	vj_nlmsg_ack(const struct nlmsghdr *nlh, int *errnum, char *ext,
	    size_t extlen);

/* Fill info from an RTM_NEWLINK message; -1 with EBADMSG if malformed. */
int	vj_nlmsg_link_info(const struct nlmsghdr *nlh,
	    struct vj_nl_link_info *info);

#endif
