/*
 * nl.h: the netlink layer of libvjail, verbs named for what jails need.
 *
 * A struct vj_nl is one rtnetlink socket, bound to the network namespace
 * it was opened in for its whole life.  A handle is not thread-safe: use
 * one per thread.  Every fallible call returns -1 (or an index >= 0) and
 * fills the struct vj_error with the kernel's errno and, when the kernel
 * gave one, its extended-ack text:
 *   "add veth vj5a: File exists"
 *   "set vj5a mtu 50: Invalid argument (kernel: mtu less than device
 *    minimum)"
 * Links are named by their name in the handle's namespace.
 *
 * Batching: between vj_nl_batch_begin() and vj_nl_batch_end() the verbs
 * that change things are queued, not run; vj_nl_batch_end() sends them in
 * one sendmsg and collects every ack in one receive loop.  A verb that
 * needs an ifindex (addresses, routes with a device, master, rename, a move
 * with a new name) looks the name up when it is queued; if the link does
 * not exist yet because it is created earlier in the same batch, the queue
 * is sent first and the lookup retried, unless the link was created with a
 * pinned ifindex (struct vj_nl_veth.ifindex) or hinted with
 * vj_nl_batch_hint(), which the batch remembers until it ends.  So a jail's
 * "veth (pinned), addrgenmode, address, up" is one sendmsg.  A verb that
 * fails while queueing (bad argument, missing link) returns -1 at once and
 * queues nothing; the failures of queued requests are reported by
 * vj_nl_batch_end().  A batch is not a transaction: the kernel runs every
 * request even when an earlier one failed.
 */
#ifndef VJ_NL_H
#define VJ_NL_H

#include <stddef.h>

#include "vjail.h"

struct vj_nl;

/*
 * A veth pair to create.  Zero fields mean "kernel default", except
 * peer_netns_fd, where 0 is a descriptor: start from VJ_NL_VETH_INIT.
 * Pin ifindexes only in a netns nothing else adds links to: if the index
 * is taken the creation fails (EBUSY), and requests a batch queued after
 * it by that index reach whichever link holds it.
 */
struct vj_nl_veth {
	const char	*name;		/* this end, in the handle's netns */
	const char	*peer;		/* the other end's name */
	int		 peer_netns_fd;	/* nsfs fd, or -1: the handle's */
	int		 ifindex;	/* > 0: pin this end's ifindex */
	int		 peer_ifindex;	/* > 0: pin the peer's (and ifindex) */
	int		 mtu;		/* > 0: both ends */
	const char	*mac;		/* "aa:bb:cc:dd:ee:ff" or NULL */
	const char	*peer_mac;	/* idem, for the peer */
};

#define VJ_NL_VETH_INIT	{ .peer_netns_fd = -1 }

/* One link as a dump or a lookup sees it. */
struct vj_nl_link_info {
	int		 ifindex;
	char		 name[16];
	char		 kind[32];	/* "veth", "bridge", ...; "" if none */
	int		 master;	/* master's ifindex, 0 if none */
	unsigned	 flags;		/* IFF_* */
	unsigned	 mtu;
	int		 link_netnsid;	/* the stack of a veth's peer (its id
					   here), -1: this stack */
	int		 link;		/* a veth's peer's ifindex (in that
					   stack), 0 if none */
};

/* Several changes to one link, applied by one RTM_NEWLINK. */
struct vj_nl_link_change {
	const char	*ifname;	/* the link */
	const char	*newname;	/* new name (in netns_fd), or NULL */
	int		 netns_fd;	/* >= 0: move the link there first */
	const char	*master;	/* name, "": nomaster, NULL: as is */
	int		 up;		/* 1 up, 0 down, -1 unchanged */
	int		 mtu;		/* > 0: set */
	const char	*mac;		/* "aa:bb:..", or NULL */
	int		 addrgenmode;	/* IN6_ADDR_GEN_MODE_*, -1 unchanged */
};

#define VJ_NL_LINK_CHANGE_INIT \
	{ .netns_fd = -1, .up = -1, .addrgenmode = -1 }

/*
 * Open a handle in the calling thread's network namespace.  Returns NULL
 * and fills err on failure.
 */
struct vj_nl	*vj_nl_open(struct vj_error *err);

/*
 * Open a handle in the network namespace netns_fd (an nsfs descriptor such
 * as /proc/PID/ns/net): the calling thread enters it, makes the socket and
 * returns to its own namespace, which it holds open meanwhile.  Needs
 * CAP_SYS_ADMIN.  Should the return fail, the thread is left in netns_fd
 * and the message says so.
 */
struct vj_nl	*vj_nl_open_in(int netns_fd, struct vj_error *err);

/* Close a handle; an open batch is dropped unsent.  NULL is fine. */
void		 vj_nl_close(struct vj_nl *nl);

/* Return the ifindex of ifname, or -1 with ENODEV if there is none. */
int	vj_nl_ifindex(struct vj_nl *nl, const char *ifname,
	    struct vj_error *err);

/*
 * Fill info for ifname.  Returns 0, or -1 with ENODEV if there is none.
 */
int	vj_nl_link_get(struct vj_nl *nl, const char *ifname,
	    struct vj_nl_link_info *info, struct vj_error *err);

/*
 * Copy ifname's link kind ("veth", "bridge", ...; "" for lo or a physical
 * device) into kind.  Returns 0, or -1 with ENODEV.
 */
int	vj_nl_link_kind(struct vj_nl *nl, const char *ifname, char *kind,
	    size_t len, struct vj_error *err);

/*
 * Call fn for every link of the handle's netns.  The dump is read whole
 * first (and retried if the kernel says it was interrupted), so fn may use
 * the same handle.  fn returns 0 to go on; any other value stops the walk
 * and is returned as is, err untouched.  Returns 0 after the last link,
 * or -1 with err filled.  Not queued by a batch.
 */
int	vj_nl_link_list(struct vj_nl *nl,
	    int (*fn)(void *arg, const struct vj_nl_link_info *info),
	    void *arg, struct vj_error *err);

/*
 * Create a veth pair (both ends down).  The peer may be created straight
 * in another netns (peer_netns_fd).  EEXIST if either name is taken.
 */
int	vj_nl_veth_add(struct vj_nl *nl, const struct vj_nl_veth *veth,
	    struct vj_error *err);

/* Create a bridge (down).  EEXIST if the name is taken. */
int	vj_nl_bridge_add(struct vj_nl *nl, const char *name,
	    struct vj_error *err);

/*
 * Delete a link (for a veth, both ends).  A link that is already gone is
 * success: returns 0.  Costly at scale (RCU and rtnl per call): prefer
 * letting a netns die with its links in it.
 */
int	vj_nl_link_del(struct vj_nl *nl, const char *ifname,
	    struct vj_error *err);

/*
 * Join two links back to back: everything from receives is sent out of
 * to, untouched (tc: a clsact qdisc on from, and on its ingress a u32
 * filter matching all with a mirred egress redirect).  Call it both ways
 * for a full wire.  ENOENT (with the kernel's words) where the kernel
 * lacks clsact, u32 or mirred.
 */
int	vj_nl_redirect(struct vj_nl *nl, const char *from, const char *to,
	    struct vj_error *err);

/*
 * Apply several changes to one link in one request.  The kernel applies
 * them in its own order: netns move, mac, mtu, rename, up/down, master,
 * then addrgenmode; so do not combine up=1 with addrgenmode.
 */
int	vj_nl_link_change(struct vj_nl *nl, const struct vj_nl_link_change *c,
	    struct vj_error *err);

/*
 * Move ifname into netns_fd, renamed to newname there (NULL: keep its
 * name).  EEXIST if the name is taken there.  The link comes down.
 */
int	vj_nl_link_set_netns(struct vj_nl *nl, const char *ifname,
	    int netns_fd, const char *newname, struct vj_error *err);

/* Enslave ifname to master (a bridge); master NULL or "" frees it. */
int	vj_nl_link_set_master(struct vj_nl *nl, const char *ifname,
	    const char *master, struct vj_error *err);

/* Bring ifname up (up != 0) or down. */
int	vj_nl_link_set_up(struct vj_nl *nl, const char *ifname, int up,
	    struct vj_error *err);

/* Set ifname's MTU. */
int	vj_nl_link_set_mtu(struct vj_nl *nl, const char *ifname, int mtu,
	    struct vj_error *err);

/* Set ifname's link-layer address from "aa:bb:cc:dd:ee:ff". */
int	vj_nl_link_set_mac(struct vj_nl *nl, const char *ifname,
	    const char *mac, struct vj_error *err);

/*
 * Rename ifname to newname.  Kernels before 6.2 refuse while the link is
 * up (EBUSY), later ones allow it for most links.
 */
int	vj_nl_link_rename(struct vj_nl *nl, const char *ifname,
	    const char *newname, struct vj_error *err);

/*
 * Stop IPv6 from generating a link-local address (and so DAD, MLD and RS)
 * on ifname: IFLA_INET6_ADDR_GEN_MODE none.  Do it while the link is down:
 * it applies at the next up.  EAFNOSUPPORT if the link has no IPv6.
 */
int	vj_nl_link_set_addrgenmode_none(struct vj_nl *nl, const char *ifname,
	    struct vj_error *err);

/*
 * Add an address, "10.0.0.1/24" or "fd00::1/64" (no prefix: a host
 * address).  IPv4 gets the broadcast address of its prefix up to /30.
 * nodad skips IPv6 duplicate address detection.  EEXIST if present.
 */
int	vj_nl_addr_add(struct vj_nl *nl, const char *ifname, const char *cidr,
	    int nodad, struct vj_error *err);

/*
 * Delete an address.  An address (or link) that is already gone is
 * success: returns 0.
 */
int	vj_nl_addr_del(struct vj_nl *nl, const char *ifname, const char *cidr,
	    struct vj_error *err);

/*
 * Add a route to the main table.  dst is "default" (IPv4 unless gateway is
 * IPv6), "::/0", or a CIDR; gateway and dev may each be NULL, not both.
 * EEXIST if present.
 */
int	vj_nl_route_add(struct vj_nl *nl, const char *dst, const char *gateway,
	    const char *dev, struct vj_error *err);

/*
 * Delete a route of the main table, matched as ip(8) does.  A route that
 * is already gone is success: returns 0.
 */
int	vj_nl_route_del(struct vj_nl *nl, const char *dst, const char *gateway,
	    const char *dev, struct vj_error *err);

/* Start queueing changes on nl (see the top of this file).  EBUSY if open. */
int	vj_nl_batch_begin(struct vj_nl *nl, struct vj_error *err);

/*
 * Send what is queued and wait for every ack.  Returns 0 if every request
 * succeeded, else -1 with the first failure in err (and how many more
 * failed).  Ends the batch either way.
 */
int	vj_nl_batch_end(struct vj_nl *nl, struct vj_error *err);

/*
 * Tell the open batch that ifname has ifindex (e.g. a bridge looked up
 * once for many jails), so verbs queued after it need no lookup.  The hint
 * is believed, not checked, and lasts until the batch ends.
 */
int	vj_nl_batch_hint(struct vj_nl *nl, const char *ifname, int ifindex,
	    struct vj_error *err);

/* Drop what is queued and not yet sent, and end the batch. */
void	vj_nl_batch_cancel(struct vj_nl *nl);

#endif
