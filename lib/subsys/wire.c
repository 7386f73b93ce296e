/*
 * wire.c: links between two jails (epair.<if>.peer).
 *
 * A veth straight between two VNET jails would let each name the other's
 * stack by a namespace id, and each jail's root owns the user namespace
 * of the other's stack as much as its own (net.c): either could then
 * configure the other's stack.  So the link goes through a third stack,
 * the declaring jail's "wire" namespace, which belongs to the host's
 * user namespace, out of both jails' reach: there, one veth's end leads
 * into this jail, another's into the peer, and tc joins the two back to
 * back (a redirect each way), so every frame goes through untouched.
 * The wire namespace is made before the init is cloned, and the init
 * keeps its descriptor (init.c) and nothing else does: when the jail
 * goes, the namespace goes, and the kernel deletes its links in one
 * batch, the peer's interfaces with them, as it would a direct pair.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "jailobj.h"
#include "lifecycle.h"
#include "nl.h"
#include "util.h"
#include "wire.h"

/* Make the jail's wire namespace, owned by the host's user namespace. */
int
vj_wire_namespace(struct vj_jail *j, struct vj_error *err)
{
	if (j->heldfd >= 0)
		return 0;
	if ((j->heldfd = vj_netns_new(0)) < 0)
		return vj_err_sys(err, "epair: a namespace for links to other "
		    "jails");
	return 0;
}

/* Is ifname free in jail's stack netfd? */
static int
name_free_in(const char *jail, int netfd, const char *ifname,
    struct vj_error *err)
{
	struct vj_nl *nl = vj_nl_open_in(netfd, err);
	int taken;

	if (nl == NULL)
		return -1;
	taken = vj_nl_ifindex(nl, ifname, NULL) >= 0;
	vj_nl_close(nl);
	return taken ? vj_err_set(err, EEXIST, "jail %s has an interface "
	    "named %s already", jail, ifname) : 0;
}

/* Load the VNET jail named in w->peer; *netfd gets its stack, where the
 * interface's name must be free. */
static int
peer_load(struct vj_jail *j, const struct vj_wire *w, struct vj_jail **pj,
    int *netfd, struct vj_error *err)
{
	const char *ifname = strchr(w->peer, ':') + 1;
	char name[VJ_NAME_MAX];
	int jid;

	snprintf(name, sizeof(name), "%.*s", (int)(ifname - 1 - w->peer),
	    w->peer);
	if (strcmp(name, j->name) == 0) {
		vj_err_set(err, EINVAL, "a jail cannot be its own peer");
		return vj_err_wrap(err, "epair.%s.peer %s", w->ifname, w->peer);
	}
	jid = vj_jail_find(j->ctx, name, 0, err);
	if (jid >= 0 && (*pj = vj_jail_load(j->ctx, jid, err)) != NULL &&
	    strcmp(vj_jail_sys(*pj, "vnet", "inherit"), "new") != 0)
		vj_err_set(err, EINVAL, "jail %s has no network stack of its "
		    "own (vnet)", name);
	else if (jid >= 0 && *pj != NULL &&
	    (*netfd = vj_jail_nsfd(*pj, VJ_NS_NET, err)) >= 0 &&
	    name_free_in(name, *netfd, ifname, err) == 0)
		return 0;
	return vj_err_wrap(err, "epair.%s.peer %s", w->ifname, w->peer);
}

/* Queue: no IPv6 address on a wire end, so that the wire's own stack
 * sends nothing (DAD, MLD, router solicitations) down the link. */
static int
quiet(struct vj_nl *nl, const char *ifname, struct vj_error *err)
{
	struct vj_nl_link_change c = VJ_NL_LINK_CHANGE_INIT;

	c.ifname = ifname;
	c.addrgenmode = 1;	/* IN6_ADDR_GEN_MODE_NONE */
	return vj_nl_link_change(nl, &c, err);
}

/* Queue link k: a veth into the jail, one into the peer, joined. */
static int
queue_link(struct vj_nl *nl, const struct vj_wire *w, int k, int netfd,
    int peerfd, struct vj_error *err)
{
	struct vj_nl_veth in = VJ_NL_VETH_INIT, out = VJ_NL_VETH_INIT;
	char a[IFNAMSIZ], b[IFNAMSIZ];

	snprintf(a, sizeof(a), "j%d", k);
	snprintf(b, sizeof(b), "p%d", k);
	in.name = a;
	in.peer = w->ifname;
	in.peer_netns_fd = netfd;
	in.peer_mac = w->mac;
	in.mtu = w->mtu;
	out.name = b;
	out.peer = strchr(w->peer, ':') + 1;
	out.peer_netns_fd = peerfd;
	out.mtu = w->mtu;
	if (vj_nl_veth_add(nl, &in, err) < 0 ||
	    vj_nl_veth_add(nl, &out, err) < 0 ||
	    vj_nl_redirect(nl, a, b, err) < 0 ||
	    vj_nl_redirect(nl, b, a, err) < 0 ||
	    quiet(nl, a, err) < 0 || quiet(nl, b, err) < 0 ||
	    vj_nl_link_set_up(nl, a, 1, err) < 0 ||
	    vj_nl_link_set_up(nl, b, 1, err) < 0)
		return vj_err_wrap(err, "epair.%s.peer %s", w->ifname,
		    w->peer);
	return 0;
}

/* Bring up the peer's end of link k, in the peer's stack. */
static int
peer_end_up(const struct vj_wire *w, int peerfd, struct vj_error *err)
{
	struct vj_nl *pn = vj_nl_open_in(peerfd, err);
	int rc;

	if (pn == NULL)
		return -1;
	rc = vj_nl_link_set_up(pn, strchr(w->peer, ':') + 1, 1, err);
	vj_nl_close(pn);
	return rc;
}

/* Explain a failed batch: a kernel without tc's redirect. */
static int
batch_failed(struct vj_error *err)
{
	if ((err->ve_errno == ENOENT || err->ve_errno == EOPNOTSUPP) &&
	    (strstr(err->ve_msg, "clsact") || strstr(err->ve_msg, "redirect")))
		return vj_err_wrap(err, "epair.<if>.peer: this kernel cannot "
		    "join two links (it needs CONFIG_NET_SCH_INGRESS, "
		    "CONFIG_NET_CLS_U32 and CONFIG_NET_ACT_MIRRED)");
	return -1;
}

/* Make the links, in one batch in the wire namespace. */
int
vj_wire_links(struct vj_jail *j, int netfd, const struct vj_wire *w, int n,
    struct vj_error *err)
{
	struct vj_jail *peer[n > 0 ? n : 1];
	int peerfd[n > 0 ? n : 1];
	struct vj_nl *nl = NULL;
	int k, rc = -1;

	if (n == 0)
		return 0;
	if (j->heldfd < 0)	/* made after the init: it would not hold it */
		return vj_err_set(err, EIO, "epair: no namespace for links "
		    "to other jails");
	memset(peer, 0, sizeof(peer));
	for (k = 0; k < n; k++)
		if (peer_load(j, &w[k], &peer[k], &peerfd[k], err) < 0)
			goto out;
	if ((nl = vj_nl_open_in(j->heldfd, err)) == NULL ||
	    vj_nl_batch_begin(nl, err) < 0)
		goto out;
	for (k = 0; k < n; k++)
		if (queue_link(nl, &w[k], k, netfd, peerfd[k], err) < 0)
			goto out;
	if (vj_nl_batch_end(nl, err) < 0) {
		batch_failed(err);
		goto out;
	}
	for (k = 0; k < n; k++)
		if (peer_end_up(&w[k], peerfd[k], err) < 0)
			goto out;
	rc = 0;
out:
	vj_nl_close(nl);
	for (k = 0; k < n; k++)
		vj_jail_free(peer[k]);
	return rc;
}
