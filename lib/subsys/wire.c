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
#include <unistd.h>

#include "error.h"
#include "jailobj.h"
#include "lifecycle.h"
#include "netns.h"
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

/* How long a name held by a link that is going may keep it: the
 * kernel's one cleanup worker frees namespaces in turn, and after many
 * removals this one may wait behind seconds of others. */
#define WAIT_GONE_MS	10000

/* The peer's side of one link: its jail, stack, and a handle there. */
struct peer_side {
	struct vj_jail	*j;
	int		 netfd;
	struct vj_nl	*nl;
};

/* Is a parameter's name epair.<if>.peer? */
static bool
is_peer_param(const char *name)
{
	size_t len = strlen(name);

	return strncmp(name, "epair.", 6) == 0 && len > 11 &&
	    strcmp(name + len - 5, ".peer") == 0;
}

/* Does jail c declare a link to peer ("jail:if", arg)? */
static bool
declares(const struct vj_jail *c, const void *arg)
{
	const struct vj_param *p;
	size_t k;

	for (k = 0; k < c->params.n; k++) {
		p = &c->params.v[k];
		if (is_peer_param(p->name) && p->nvals == 1 &&
		    strcmp(p->vals[0], arg) == 0)
			return true;
	}
	return false;
}

/* What local_pair looks for: the link at end's peer index, and whether
 * it is end's peer. */
struct pair_probe {
	const struct vj_nl_link_info *end;
	bool	 local;
};

/* One link of the dump: end's peer if it is a veth of this stack whose
 * own peer is end. */
static int
probe_cb(void *arg, const struct vj_nl_link_info *l)
{
	struct pair_probe *p = arg;

	if (l->ifindex != p->end->link)
		return 0;
	p->local = strcmp(l->kind, "veth") == 0 && l->link_netnsid < 0 &&
	    l->link == p->end->ifindex;
	return 1;
}

/* Is a veth's peer in its own stack: a pair of the stack's own?  A
 * peer whose stack is being freed shows no stack id either, and its
 * index, counted in that other stack, may even be the end's own: no
 * veth is its own peer. */
static bool
local_pair(struct vj_nl *nl, const struct vj_nl_link_info *end)
{
	struct pair_probe p = { end, false };

	if (end->link_netnsid >= 0 || end->link == end->ifindex)
		return false;
	if (vj_nl_link_list(nl, probe_cb, &p, NULL) < 0)
		return true;	/* cannot tell: as taken */
	return p.local;
}

/* Is the peer's interface (nl, "jail:if") taken?  The peer's end of a
 * link whose jail was just removed goes when the kernel frees that
 * jail's wire namespace, in the background: a jail made again at once
 * waits for such an end (a veth to another stack, which no live jail
 * declares), a bounded time, rather than fail on its own old link. */
static bool
name_taken(struct vj_jail *self, struct vj_nl *nl, const char *peer)
{
	const char *ifname = strchr(peer, ':') + 1;
	struct vj_nl_link_info info;
	bool probed = false;
	int i;

	for (i = 0; i < WAIT_GONE_MS / 5; i++) {
		if (vj_nl_link_get(nl, ifname, &info, NULL) < 0)
			return false;
		if (strcmp(info.kind, "veth") != 0)
			return true;
		/* Once: a pair of the stack's own stays one. */
		if (!probed && info.link_netnsid < 0) {
			probed = true;
			if (local_pair(nl, &info))
				return true;
		}
		if (i == 0 && vj_jail_count_live(self->ctx, self->jid,
		    declares, peer, 1) > 0)
			return true;
		usleep(5000);
	}
	return true;
}

/* Load the VNET jail named in w->peer into *ps, with a handle in its
 * stack, where the interface's name must be free. */
static int
peer_load(struct vj_jail *j, const struct vj_wire *w, struct peer_side *ps,
    struct vj_error *err)
{
	const char *ifname = strchr(w->peer, ':') + 1;
	char name[VJ_NAME_MAX];
	int jid;

	snprintf(name, sizeof(name), "%.*s", (int)(ifname - 1 - w->peer),
	    w->peer);
	if (strcmp(name, j->name) == 0)
		return vj_err_set(err, EINVAL, "a jail cannot be its own peer");
	if ((jid = vj_jail_find(j->ctx, name, 0, err)) < 0 ||
	    (ps->j = vj_jail_load(j->ctx, jid, err)) == NULL)
		return -1;
	if (strcmp(vj_jail_sys(ps->j, "vnet", "inherit"), "new") != 0)
		return vj_err_set(err, EINVAL, "jail %s has no network stack "
		    "of its own (vnet)", name);
	if ((ps->netfd = vj_jail_nsfd(ps->j, VJ_NS_NET, err)) < 0 ||
	    (ps->nl = vj_nl_open_in(ps->netfd, err)) == NULL)
		return -1;
	if (name_taken(j, ps->nl, w->peer))
		return vj_err_set(err, EEXIST, "jail %s has an interface "
		    "named %s already", name, ifname);
	return 0;
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
	    vj_nl_link_set_up(nl, a, 1, err) < 0)
		return -1;
	return vj_nl_link_set_up(nl, b, 1, err);
}

/* Make link k in the wire namespace (nl), and bring the peer's end up. */
static int
make_link(struct vj_nl *nl, const struct vj_wire *w, int k, int netfd,
    const struct peer_side *ps, struct vj_error *err)
{
	if (vj_nl_batch_begin(nl, err) < 0)
		return -1;
	if (queue_link(nl, w, k, netfd, ps->netfd, err) < 0) {
		vj_nl_batch_cancel(nl);
		return -1;
	}
	if (vj_nl_batch_end(nl, err) < 0) {
		/* The kernel's words name the request, not what lacks. */
		if ((err->ve_errno == ENOENT || err->ve_errno == EOPNOTSUPP) &&
		    (strstr(err->ve_msg, "clsact") ||
		    strstr(err->ve_msg, "redirect")))
			vj_err_wrap(err, "this kernel cannot join two links "
			    "(it needs CONFIG_NET_SCH_INGRESS, "
			    "CONFIG_NET_CLS_U32 and CONFIG_NET_ACT_MIRRED)");
		return -1;
	}
	return vj_nl_link_set_up(ps->nl, strchr(w->peer, ':') + 1, 1, err);
}

/* Make the links, each in one request in the wire namespace; a failure
 * names its parameter.  Every peer is checked first. */
int
vj_wire_links(struct vj_jail *j, int netfd, const struct vj_wire *w, int n,
    struct vj_error *err)
{
	struct peer_side ps[n > 0 ? n : 1];
	struct vj_nl *nl = NULL;
	int k, rc = 0;

	if (n == 0)
		return 0;
	if (j->heldfd < 0)	/* made after the init: it would not hold it */
		return vj_err_set(err, EIO, "epair: no namespace for links "
		    "to other jails");
	for (k = 0; k < n; k++)
		ps[k] = (struct peer_side){ NULL, -1, NULL };
	for (k = 0; k < n && rc == 0; k++)
		if (peer_load(j, &w[k], &ps[k], err) < 0)
			rc = vj_err_wrap(err, "epair.%s.peer %s", w[k].ifname,
			    w[k].peer);
	if (rc == 0 && (nl = vj_nl_open_in(j->heldfd, err)) == NULL)
		rc = vj_err_wrap(err, "epair: the links' namespace");
	for (k = 0; k < n && rc == 0; k++)
		if (make_link(nl, &w[k], k, netfd, &ps[k], err) < 0)
			rc = vj_err_wrap(err, "epair.%s.peer %s", w[k].ifname,
			    w[k].peer);
	vj_nl_close(nl);
	for (k = 0; k < n; k++) {
		vj_nl_close(ps[k].nl);
		vj_jail_free(ps[k].j);
	}
	return rc;
}
