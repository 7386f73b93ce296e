/* link.c: the link verbs (veth, bridge, delete, and link changes). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <linux/if_link.h>

#include "error.h"
#include "nlpriv.h"

/* Create a veth pair. */
int
vj_nl_veth_add(struct vj_nl *nl, const struct vj_nl_veth *veth,
    struct vj_error *err)
{
	int rc = vj_nlmsg_veth_add(nl_queue(nl), veth, err);

	if (rc == 0) {
		nl_alias(nl, veth->name, veth->ifindex);
		if (veth->peer_netns_fd < 0)
			nl_alias(nl, veth->peer, veth->peer_ifindex);
	}
	return nl_commit(nl, rc, 0, err, "add veth %s", nl_str(veth->name));
}

/* Create a bridge. */
int
vj_nl_bridge_add(struct vj_nl *nl, const char *name, struct vj_error *err)
{
	int rc = vj_nlmsg_bridge_add(nl_queue(nl), name, err);

	return nl_commit(nl, rc, 0, err, "add bridge %s", nl_str(name));
}

/* Delete a link; one already gone is success. */
int
vj_nl_link_del(struct vj_nl *nl, const char *ifname, struct vj_error *err)
{
	int rc = vj_nlmsg_link_del(nl_queue(nl), ifname, err);

	return nl_commit(nl, rc, ENODEV, err, "delete %s", nl_str(ifname));
}

/* Resolve the names c holds into *ifindex (if needed) and *master. */
static int
change_resolve(struct vj_nl *nl, const struct vj_nl_link_change *c,
    int *ifindex, int *master, struct vj_error *err)
{
	*ifindex = 0;
	*master = -1;
	if (c->newname != NULL &&
	    (*ifindex = nl_resolve(nl, c->ifname, err)) == -1)
		return -1;
	if (c->master != NULL && c->master[0] == '\0')
		*master = 0;
	else if (c->master != NULL &&
	    (*master = nl_resolve(nl, c->master, err)) == -1)
		return -1;
	/* Many ports join one bridge in a batch (late.c): look it up once. */
	if (c->master != NULL && *master > 0)
		nl_alias(nl, c->master, *master);
	return 0;
}

/* Apply c to its link as a request named by fmt. */
static int __attribute__((format(printf, 4, 5)))
link_apply(struct vj_nl *nl, const struct vj_nl_link_change *c,
    struct vj_error *err, const char *fmt, ...)
{
	char what[128];
	int ifindex, master, rc;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	rc = change_resolve(nl, c, &ifindex, &master, err);
	if (rc == 0)
		rc = vj_nlmsg_link_change(nl_queue(nl), c, ifindex, master,
		    err);
	return nl_commit(nl, rc, 0, err, "%s", what);
}

/* Apply several changes to one link in one request. */
int
vj_nl_link_change(struct vj_nl *nl, const struct vj_nl_link_change *c,
    struct vj_error *err)
{
	if (c->master != NULL && c->master[0] != '\0')
		return link_apply(nl, c, err, "change %s (master %s)",
		    nl_str(c->ifname), c->master);
	return link_apply(nl, c, err, "change %s", nl_str(c->ifname));
}

/* Move ifname into netns_fd, renamed to newname there if not NULL. */
int
vj_nl_link_set_netns(struct vj_nl *nl, const char *ifname, int netns_fd,
    const char *newname, struct vj_error *err)
{
	struct vj_nl_link_change c = VJ_NL_LINK_CHANGE_INIT;

	c.ifname = ifname;
	c.netns_fd = netns_fd;
	c.newname = newname;
	return link_apply(nl, &c, err, "move %s to another netns",
	    nl_str(ifname));
}

/* Enslave ifname to master; NULL or "" frees it. */
int
vj_nl_link_set_master(struct vj_nl *nl, const char *ifname,
    const char *master, struct vj_error *err)
{
	struct vj_nl_link_change c = VJ_NL_LINK_CHANGE_INIT;

	c.ifname = ifname;
	c.master = master != NULL ? master : "";
	return link_apply(nl, &c, err, "set %s %s%s", nl_str(ifname),
	    c.master[0] != '\0' ? "master " : "nomaster", c.master);
}

/* Bring ifname up or down. */
int
vj_nl_link_set_up(struct vj_nl *nl, const char *ifname, int up,
    struct vj_error *err)
{
	struct vj_nl_link_change c = VJ_NL_LINK_CHANGE_INIT;

	c.ifname = ifname;
	c.up = up != 0;
	return link_apply(nl, &c, err, "set %s %s", nl_str(ifname),
	    up ? "up" : "down");
}

/* Set ifname's MTU. */
int
vj_nl_link_set_mtu(struct vj_nl *nl, const char *ifname, int mtu,
    struct vj_error *err)
{
	struct vj_nl_link_change c = VJ_NL_LINK_CHANGE_INIT;

	if (mtu <= 0)
		return vj_nl_err(err, EINVAL, "set %s mtu %d: invalid MTU",
		    nl_str(ifname), mtu);
	c.ifname = ifname;
	c.mtu = mtu;
	return link_apply(nl, &c, err, "set %s mtu %d", nl_str(ifname), mtu);
}

/* Set ifname's link-layer address. */
int
vj_nl_link_set_mac(struct vj_nl *nl, const char *ifname, const char *mac,
    struct vj_error *err)
{
	struct vj_nl_link_change c = VJ_NL_LINK_CHANGE_INIT;

	if (mac == NULL)
		return vj_nl_err(err, EINVAL, "set %s address: no address",
		    nl_str(ifname));
	c.ifname = ifname;
	c.mac = mac;
	return link_apply(nl, &c, err, "set %s address %s", nl_str(ifname),
	    mac);
}

/* Rename ifname to newname. */
int
vj_nl_link_rename(struct vj_nl *nl, const char *ifname, const char *newname,
    struct vj_error *err)
{
	struct vj_nl_link_change c = VJ_NL_LINK_CHANGE_INIT;

	if (newname == NULL)
		return vj_nl_err(err, EINVAL, "rename %s: no new name",
		    nl_str(ifname));
	c.ifname = ifname;
	c.newname = newname;
	return link_apply(nl, &c, err, "rename %s to %s", nl_str(ifname),
	    newname);
}

/* Turn off IPv6 address generation on ifname. */
int
vj_nl_link_set_addrgenmode_none(struct vj_nl *nl, const char *ifname,
    struct vj_error *err)
{
	struct vj_nl_link_change c = VJ_NL_LINK_CHANGE_INIT;

	c.ifname = ifname;
	c.addrgenmode = IN6_ADDR_GEN_MODE_NONE;
	return link_apply(nl, &c, err, "set %s addrgenmode none",
	    nl_str(ifname));
}
