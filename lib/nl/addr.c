/* addr.c: the address and route verbs. */
#include <errno.h>

#include "error.h"
#include "nlpriv.h"

/* Add an address to ifname. */
int
vj_nl_addr_add(struct vj_nl *nl, const char *ifname, const char *cidr,
    int nodad, struct vj_error *err)
{
	int ifindex = nl_resolve(nl, ifname, err), rc = -1;

	if (ifindex != -1)
		rc = vj_nlmsg_addr(nl_queue(nl), 1, ifindex, cidr, nodad, err);
	return nl_commit(nl, rc, 0, err, "add address %s to %s",
	    nl_str(cidr), nl_str(ifname));
}

/* Delete an address from ifname; one already gone is success. */
int
vj_nl_addr_del(struct vj_nl *nl, const char *ifname, const char *cidr,
    struct vj_error *err)
{
	int ifindex = nl_resolve(nl, ifname, err), rc = -1;

	if (ifindex == -1 && errno == ENODEV)
		return 0;
	if (ifindex != -1)
		rc = vj_nlmsg_addr(nl_queue(nl), 0, ifindex, cidr, 0, err);
	return nl_commit(nl, rc, EADDRNOTAVAIL, err,
	    "delete address %s from %s", nl_str(cidr), nl_str(ifname));
}

/* Add (add != 0) or delete a route of the main table. */
static int
route_do(struct vj_nl *nl, int add, const char *dst, const char *gateway,
    const char *dev, struct vj_error *err)
{
	int oif = 0, rc = -1;

	if (dev != NULL)
		oif = nl_resolve(nl, dev, err);
	if (oif == -1 && errno == ENODEV && !add)
		return 0;
	if (oif != -1)
		rc = vj_nlmsg_route(nl_queue(nl), add, dst, gateway, oif, err);
	return nl_commit(nl, rc, add ? 0 : ESRCH, err, "%s route %s%s%s%s%s",
	    add ? "add" : "delete", nl_str(dst),
	    gateway != NULL ? " via " : "", gateway != NULL ? gateway : "",
	    dev != NULL ? " dev " : "", dev != NULL ? dev : "");
}

/* Add a route to the main table. */
int
vj_nl_route_add(struct vj_nl *nl, const char *dst, const char *gateway,
    const char *dev, struct vj_error *err)
{
	return route_do(nl, 1, dst, gateway, dev, err);
}

/* Delete a route of the main table; one already gone is success. */
int
vj_nl_route_del(struct vj_nl *nl, const char *dst, const char *gateway,
    const char *dev, struct vj_error *err)
{
	return route_do(nl, 0, dst, gateway, dev, err);
}
