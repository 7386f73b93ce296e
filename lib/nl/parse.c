/* parse.c: text to addresses, and kernel messages to values (no I/O). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "error.h"
#include "msg.h"

/* Parse the "/len" part of a prefix for family (NULL: a host prefix). */
static int
parse_prefix_len(const char *s, int family, unsigned *len,
    struct vj_error *err)
{
	unsigned max = family == AF_INET ? 32 : 128, v = 0;
	size_t i, n = s != NULL ? strlen(s) : 0;

	if (s == NULL) {
		*len = max;
		return 0;
	}
	for (i = 0; i < n && i < 4 && s[i] >= '0' && s[i] <= '9'; i++)
		v = v * 10 + (unsigned)(s[i] - '0');
	if (n == 0 || i < n || v > max)
		return vj_nl_err(err, EINVAL, "invalid prefix length: /%s", s);
	*len = v;
	return 0;
}

/* Parse "addr[/len]" (IPv4 or IPv6). */
int
vj_nl_parse_prefix(const char *s, struct vj_nl_prefix *p, struct vj_error *err)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash;

	memset(p, 0, sizeof(*p));
	if (s == NULL || strlen(s) >= sizeof(buf))
		return vj_nl_err(err, EINVAL, "invalid address: %s",
		    s != NULL ? s : "(none)");
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash != NULL)
		*slash++ = '\0';
	if (inet_pton(AF_INET, buf, p->addr) == 1)
		p->family = AF_INET;
	else if (inet_pton(AF_INET6, buf, p->addr) == 1)
		p->family = AF_INET6;
	else
		return vj_nl_err(err, EINVAL, "invalid address: %s", s);
	return parse_prefix_len(slash, p->family, &p->len, err);
}

/* Parse "aa:bb:cc:dd:ee:ff" into mac[6]. */
int
vj_nl_parse_mac(const char *s, unsigned char mac[6], struct vj_error *err)
{
	const char *p = s;
	char byte[3] = "";
	int i;

	for (i = 0; p != NULL && i < 6; i++, p += 3) {
		if (!isxdigit((unsigned char)p[0]) ||
		    !isxdigit((unsigned char)p[1]) ||
		    p[2] != (i == 5 ? '\0' : ':'))
			break;
		memcpy(byte, p, 2);
		mac[i] = (unsigned char)strtoul(byte, NULL, 16);
	}
	if (i < 6)
		return vj_nl_err(err, EINVAL, "invalid MAC address: %s",
		    s != NULL ? s : "(none)");
	return 0;
}

/* What vj_nlmsg_ack() collects from the extended-ack attributes. */
struct ack_ctx {
	char	*ext;
	size_t	 extlen;
};

/* Copy NLMSGERR_ATTR_MSG out of an ack's attributes. */
static int
ack_attr_cb(const struct nlattr *attr, void *data)
{
	struct ack_ctx *ctx = data;
	size_t n;

	if (mnl_attr_get_type(attr) != NLMSGERR_ATTR_MSG || ctx->extlen == 0 ||
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
		return MNL_CB_OK;
	snprintf(ctx->ext, ctx->extlen, "%s", mnl_attr_get_str(attr));
	n = strlen(ctx->ext);
	while (n > 0 && (ctx->ext[n - 1] == '\n' || ctx->ext[n - 1] == ' '))
		ctx->ext[--n] = '\0';
	return MNL_CB_OK;
}

/* Find where the TLVs of an ack start in its payload; 0 if malformed. */
static size_t
ack_tlv_offset(const struct nlmsghdr *nlh, size_t plen)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*e);

	if (nlh->nlmsg_type == NLMSG_DONE)
		return sizeof(int);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < sizeof(struct nlmsghdr))
			return 0;
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	}
	off = MNL_ALIGN(off);
	return off <= plen ? off : 0;
}

/* Read an NLMSG_ERROR or NLMSG_DONE message into errnum and ext. */
int
vj_nlmsg_ack(const struct nlmsghdr *nlh, int *errnum, char *ext,
    size_t extlen)
{
	struct ack_ctx ctx = { ext, extlen };
	size_t plen = mnl_nlmsg_get_payload_len(nlh), off;
	const char *payload = mnl_nlmsg_get_payload(nlh);
	int code;

	if (extlen > 0)
		ext[0] = '\0';
	*errnum = 0;
	if (nlh->nlmsg_type == NLMSG_DONE && plen < sizeof(int))
		return 0;
	if ((nlh->nlmsg_type != NLMSG_DONE &&
	    nlh->nlmsg_type != NLMSG_ERROR) ||
	    (nlh->nlmsg_type == NLMSG_ERROR &&
	    plen < sizeof(struct nlmsgerr))) {
		errno = EBADMSG;
		return -1;
	}
	memcpy(&code, payload, sizeof(code));
	*errnum = code < 0 ? -code : code;
	off = ack_tlv_offset(nlh, plen);
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && off > 0 && off < plen)
		mnl_attr_parse_payload(payload + off, plen - off, ack_attr_cb,
		    &ctx);
	return 0;
}

/* Copy a string attribute into dst (len bytes), truncating. */
static void
copy_str_attr(char *dst, size_t len, const struct nlattr *attr)
{
	size_t n = mnl_attr_get_payload_len(attr);
	const char *s = mnl_attr_get_payload(attr);

	n = strnlen(s, n);
	if (n >= len)
		n = len - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* Pick IFLA_INFO_KIND out of IFLA_LINKINFO. */
static int
linkinfo_attr_cb(const struct nlattr *attr, void *data)
{
	struct vj_nl_link_info *info = data;

	if (mnl_attr_get_type(attr) == IFLA_INFO_KIND)
		copy_str_attr(info->kind, sizeof(info->kind), attr);
	return MNL_CB_OK;
}

/* Pick the attributes of a link that vj_nl_link_info holds. */
static int
link_attr_cb(const struct nlattr *attr, void *data)
{
	struct vj_nl_link_info *info = data;

	switch (mnl_attr_get_type(attr)) {
	case IFLA_IFNAME:
		copy_str_attr(info->name, sizeof(info->name), attr);
		break;
	case IFLA_MTU:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			info->mtu = mnl_attr_get_u32(attr);
		break;
	case IFLA_MASTER:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			info->master = (int)mnl_attr_get_u32(attr);
		break;
	case IFLA_LINKINFO:
		if (mnl_attr_validate(attr, MNL_TYPE_NESTED) == 0)
			mnl_attr_parse_nested(attr, linkinfo_attr_cb, info);
		break;
	case IFLA_LINK:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			info->link = (int)mnl_attr_get_u32(attr);
		break;
	case IFLA_LINK_NETNSID:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			info->link_netnsid = (int)mnl_attr_get_u32(attr);
		break;
	}
	return MNL_CB_OK;
}

/* Fill info from an RTM_NEWLINK message. */
int
vj_nlmsg_link_info(const struct nlmsghdr *nlh, struct vj_nl_link_info *info)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	memset(info, 0, sizeof(*info));
	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi)) {
		errno = EBADMSG;
		return -1;
	}
	info->ifindex = ifi->ifi_index;
	info->flags = ifi->ifi_flags;
	info->link_netnsid = -1;
	if (mnl_attr_parse(nlh, sizeof(*ifi), link_attr_cb, info) < 0) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}
