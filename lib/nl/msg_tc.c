/*
 * msg_tc.c: the traffic-control request builders (no I/O): a clsact
 * qdisc, and on its ingress hook a filter that sends every frame a link
 * receives out of another link, as a wire would.
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/tc_act/tc_mirred.h>
#include <libmnl/libmnl.h>

#include "error.h"
#include "msg.h"

/* Start a traffic-control request on ifindex under parent. */
static struct nlmsghdr *
tc_start(struct vj_nlbuf *b, uint16_t type, int ifindex, uint32_t handle,
    uint32_t parent, struct vj_error *err)
{
	struct nlmsghdr *nlh;
	struct tcmsg *tc;

	if (ifindex <= 0) {
		vj_nl_err(err, EINVAL, "traffic control needs an ifindex");
		return NULL;
	}
	nlh = vj_nlmsg_start(b, type, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
	    err);
	if (nlh == NULL)
		return NULL;
	tc = mnl_nlmsg_put_extra_header(nlh, sizeof(*tc));
	tc->tcm_family = AF_UNSPEC;
	tc->tcm_ifindex = ifindex;
	tc->tcm_handle = handle;
	tc->tcm_parent = parent;
	return nlh;
}

/* Append RTM_NEWQDISC of a clsact qdisc on ifindex. */
int
vj_nlmsg_clsact_add(struct vj_nlbuf *b, int ifindex, struct vj_error *err)
{
	struct nlmsghdr *nlh;

	nlh = tc_start(b, RTM_NEWQDISC, ifindex, TC_H_MAKE(TC_H_CLSACT, 0),
	    TC_H_CLSACT, err);
	if (nlh == NULL)
		return -1;
	mnl_attr_put_strz(nlh, TCA_KIND, "clsact");
	return vj_nlmsg_end(b, nlh);
}

/* Put the mirred action: out of to_ifindex, the frame stolen from here. */
static void
put_mirred(struct nlmsghdr *nlh, int to_ifindex)
{
	struct tc_mirred m;
	struct nlattr *act, *opts;

	memset(&m, 0, sizeof(m));
	m.action = TC_ACT_STOLEN;
	m.eaction = TCA_EGRESS_REDIR;
	m.ifindex = (uint32_t)to_ifindex;
	act = mnl_attr_nest_start(nlh, 1);	/* the first action */
	mnl_attr_put_strz(nlh, TCA_ACT_KIND, "mirred");
	opts = mnl_attr_nest_start(nlh, TCA_ACT_OPTIONS);
	mnl_attr_put(nlh, TCA_MIRRED_PARMS, sizeof(m), &m);
	mnl_attr_nest_end(nlh, opts);
	mnl_attr_nest_end(nlh, act);
}

/* Append RTM_NEWTFILTER: all ifindex receives goes out of to_ifindex. */
int
vj_nlmsg_redirect_add(struct vj_nlbuf *b, int ifindex, int to_ifindex,
    struct vj_error *err)
{
	/* One key with mask 0 over the source MAC address (12 bytes before
	 * the network header): every frame has one to read, even with no
	 * payload, so every frame matches. */
	union {
		struct tc_u32_sel	sel;
		char			room[sizeof(struct tc_u32_sel) +
					    sizeof(struct tc_u32_key)];
	} u;
	struct nlattr *opts, *acts;
	struct nlmsghdr *nlh;

	if (to_ifindex <= 0)
		return vj_nl_err(err, EINVAL, "redirect needs a target");
	nlh = tc_start(b, RTM_NEWTFILTER, ifindex, 0,
	    TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS), err);
	if (nlh == NULL)
		return -1;
	((struct tcmsg *)mnl_nlmsg_get_payload(nlh))->tcm_info =
	    TC_H_MAKE(1U << 16, htons(ETH_P_ALL));	/* prio 1, any */
	memset(&u, 0, sizeof(u));
	u.sel.flags = TC_U32_TERMINAL;
	u.sel.nkeys = 1;
	u.sel.keys[0].off = -12;
	mnl_attr_put_strz(nlh, TCA_KIND, "u32");
	opts = mnl_attr_nest_start(nlh, TCA_OPTIONS);
	mnl_attr_put(nlh, TCA_U32_SEL, sizeof(u.room), u.room);
	acts = mnl_attr_nest_start(nlh, TCA_U32_ACT);
	put_mirred(nlh, to_ifindex);
	mnl_attr_nest_end(nlh, acts);
	mnl_attr_nest_end(nlh, opts);
	return vj_nlmsg_end(b, nlh);
}
