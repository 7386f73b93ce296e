/* query.c: looking links up and listing them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "nlpriv.h"

#define LIST_TRIES	10	/* dumps a change may interrupt in a row */

/* Copy the link of an RTM_GETLINK reply into arg. */
static int
get_cb(const struct nlmsghdr *nlh, void *arg)
{
	return vj_nlmsg_link_info(nlh, arg);
}

/* Fill info for ifname. */
int
vj_nl_link_get(struct vj_nl *nl, const char *ifname,
    struct vj_nl_link_info *info, struct vj_error *err)
{
	char mem[VJ_NLMSG_MAX], what[64];
	struct vj_nlbuf b;
	int rc;

	snprintf(what, sizeof(what), "look up %s", nl_str(ifname));
	memset(info, 0, sizeof(*info));
	nl_query_init(nl, &b, mem);
	rc = vj_nlmsg_link_get(&b, ifname, err);
	if (nl_query(nl, rc, &b, get_cb, info, err, what) == -1)
		return -1;
	if (info->ifindex <= 0)
		return vj_nl_err(err, ENODEV, "%s: no link in the reply",
		    what);
	return 0;
}

/* Return the ifindex of ifname. */
int
vj_nl_ifindex(struct vj_nl *nl, const char *ifname, struct vj_error *err)
{
	struct vj_nl_link_info info;

	if (vj_nl_link_get(nl, ifname, &info, err) == -1)
		return -1;
	return info.ifindex;
}

/* Copy ifname's link kind into kind. */
int
vj_nl_link_kind(struct vj_nl *nl, const char *ifname, char *kind, size_t len,
    struct vj_error *err)
{
	struct vj_nl_link_info info;

	if (vj_nl_link_get(nl, ifname, &info, err) == -1)
		return -1;
	if (len == 0 || strlen(info.kind) >= len)
		return vj_nl_err(err, ERANGE, "kind of %s: %s: too long",
		    ifname, info.kind);
	strcpy(kind, info.kind);
	return 0;
}

/* Links read from a dump. */
struct link_vec {
	struct vj_nl_link_info	*v;
	size_t			 n, cap;
};

/* Append the link of a dump message to the vector arg. */
static int
list_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct link_vec *lv = arg;
	struct vj_nl_link_info *v;
	size_t cap;

	if (lv->n == lv->cap) {
		cap = lv->cap != 0 ? lv->cap * 2 : 32;
		v = reallocarray(lv->v, cap, sizeof(*v));
		if (v == NULL)
			return -1;
		lv->v = v;
		lv->cap = cap;
	}
	if (vj_nlmsg_link_info(nlh, &lv->v[lv->n]) == -1)
		return -1;
	lv->n++;
	return 0;
}

/* Read every link into lv, retrying a dump a change interrupted. */
static int
list_read(struct vj_nl *nl, struct link_vec *lv, struct vj_error *err)
{
	char mem[VJ_NLMSG_MAX];
	struct vj_nlbuf b;
	int tries, rc;

	for (tries = 1;; tries++) {
		lv->n = 0;
		nl_query_init(nl, &b, mem);
		rc = vj_nlmsg_link_dump(&b, err);
		rc = nl_query(nl, rc, &b, list_cb, lv, err, "list links");
		if (rc == 0 || errno != EINTR || tries == LIST_TRIES)
			return rc;
	}
}

/* Call fn for every link of the handle's netns. */
int
vj_nl_link_list(struct vj_nl *nl,
    int (*fn)(void *arg, const struct vj_nl_link_info *info), void *arg,
    struct vj_error *err)
{
	struct link_vec lv = { NULL, 0, 0 };
	size_t i;
	int rc;

	rc = list_read(nl, &lv, err);
	for (i = 0; rc == 0 && i < lv.n; i++)
		rc = fn(arg, &lv.v[i]);
	free(lv.v);
	return rc;
}
