/*
 * ipspec.c: ip4.addr / ip6.addr entries as jail(8) writes them,
 *   [iface|]addr[/netmask]
 * iface| names a host interface that carries the address while the jail
 * lives; the netmask (CIDR, or dotted for IPv4) is the alias's, /32 or
 * /128 when none is given.  jail(8)'s trailing ifconfig parameters have
 * no Linux meaning and are refused.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "error.h"
#include "ipbpf.h"
#include "util.h"

/* The prefix length of a dotted IPv4 netmask, or -1 if not contiguous. */
static int
dotted_prefix(const char *s)
{
	struct in_addr m;
	uint32_t h;
	int n = 0;

	if (inet_pton(AF_INET, s, &m) != 1)
		return -1;
	for (h = ntohl(m.s_addr); h & 0x80000000U; h <<= 1)
		n++;
	return h == 0 ? n : -1;
}

/* Parse the netmask after '/'; -1 if invalid. */
static int
parse_mask(const char *s, int family)
{
	int max = family == AF_INET ? 32 : 128;
	long v;

	if (family == AF_INET && strchr(s, '.') != NULL)
		return dotted_prefix(s);
	if (vj_parse_int(s, 0, max, &v) < 0)
		return -1;
	return (int)v;
}

/* Addresses a jail cannot have: the wildcards and IPv4 broadcast. */
static bool
unusable(const struct vj_ipspec *sp)
{
	if (sp->family == AF_INET)
		return sp->w[0] == 0 || sp->w[0] == 0xffffffffU;
	return (sp->w[0] | sp->w[1] | sp->w[2] | sp->w[3]) == 0;
}

/* Take "iface|" off the front of an entry. */
static int
take_ifname(const char **s, struct vj_ipspec *out, struct vj_error *err)
{
	const char *bar = strchr(*s, '|');
	size_t len;

	if (bar == NULL)
		return 0;
	len = (size_t)(bar - *s);
	if (len == 0 || len >= sizeof(out->ifname))
		return vj_err_set(err, EINVAL, "%.*s: invalid interface name",
		    (int)len, *s);
	memcpy(out->ifname, *s, len);
	*s = bar + 1;
	return 0;
}

/* Parse one entry. */
int
vj_ipspec_parse(const char *s, int family, struct vj_ipspec *out,
    struct vj_error *err)
{
	char buf[128], *cut;

	memset(out, 0, sizeof(*out));
	out->family = family;
	out->prefix = -1;
	if (take_ifname(&s, out, err) < 0)
		return -1;
	if (strlen(s) >= sizeof(buf))
		return vj_err_set(err, EINVAL, "%.40s...: invalid address", s);
	snprintf(buf, sizeof(buf), "%s", s);
	cut = strpbrk(buf, " \t");
	if (cut != NULL) {
		*cut++ = '\0';
		if (cut[strspn(cut, " \t")] != '\0')
			return vj_err_set(err, EINVAL, "%s: ifconfig parameters "
			    "(\"%s\") are not supported", buf, cut);
	}
	cut = strchr(buf, '/');
	if (cut != NULL) {
		*cut++ = '\0';
		out->prefix = parse_mask(cut, family);
		if (out->prefix < 0)
			return vj_err_set(err, EINVAL, "%s/%s: invalid netmask",
			    buf, cut);
	}
	if (inet_pton(family, buf, out->w) != 1)
		return vj_err_set(err, EINVAL, "%s: invalid address", buf);
	if (unusable(out))
		return vj_err_set(err, EINVAL, "%s: not a usable address", buf);
	return 0;
}

/* "addr/prefix" for an alias. */
void
vj_ipspec_cidr(const struct vj_ipspec *sp, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN] = "";
	int prefix = sp->prefix;

	if (prefix < 0)
		prefix = sp->family == AF_INET ? 32 : 128;
	inet_ntop(sp->family, sp->w, a, sizeof(a));
	snprintf(buf, len, "%s/%d", a, prefix);
}
