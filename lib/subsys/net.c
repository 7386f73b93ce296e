/*
 * net.c: the network stack.  vnet=new gives the jail a network namespace
 * of its own with loopback up; otherwise it shares the host's stack (and
 * the ip module restricts its addresses).
 *
 * A vnet jail's stack belongs to a user namespace other than the host's,
 * shared by the jails of one creator (vj_net_owned_stack, netns.c).
 * Linux names the stack at the other end of a veth by an id inside the
 * jail, and rtnetlink acts on a stack so named for whoever holds
 * CAP_NET_ADMIN over its owner: were the jail's stack the host user
 * namespace's, jailed root would need CAP_NET_ADMIN there to configure
 * it, and with it could delete the host's links.  Instead
 * the jail keeps no CAP_NET_ADMIN at all, and its root (uid 0, the
 * owner of that user namespace) has every right over its own stack by
 * the kernel's owner rule, and none over the host's.  The jail's
 * processes stay in the host's user namespace: files, devices and the
 * other allow.* behave as before.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "jailobj.h"
#include "netns.h"
#include "nl.h"
#include "security.h"
#include "subsys.h"
#include "util.h"

static const struct vj_pdef net_params[] = {
	{ "vnet", VJ_PT_JAILSYS, VJ_PF_CREATE, "inherit",
	    "new: a network stack of the jail's own" },
	{ "vnet.interface", VJ_PT_STRING, VJ_PF_LIST | VJ_PF_CREATE, NULL,
	    "host interfaces lent to the jail, returned at removal" },
	{ NULL, 0, 0, NULL, NULL }
};

/* Does the jail have its own stack? */
static bool
has_vnet(const struct vj_jail *j)
{
	return strcmp(vj_jail_sys(j, "vnet", "inherit"), "new") == 0;
}

/* Does the jail's stack belong to a user namespace of its own (see the
 * top)?  Not where the owner rule would undo a restriction: root as an
 * ordinary user (allow.suser=0), reserved ports refused, securelevel 3's
 * frozen network; not with user.map (the jail's own user namespace owns
 * everything), nor for nesting. */
bool
vj_net_owned_stack(const struct vj_jail *j)
{
	const char *noted = vj_jail_noted(j, "net.stack");

	if (noted != NULL)	/* as made (a host without user namespaces) */
		return strcmp(noted, "owned") == 0;
	return has_vnet(j) && !vj_sec_userns(j) && !vj_sec_nesting(j) &&
	    j->parent == 0 && vj_jail_bool(j, "allow.suser") &&
	    vj_jail_bool(j, "allow.reserved_ports") &&
	    vj_jail_int(j, "securelevel", -1) < 3;
}

/* Make the jail's stack, owned by the creator's user namespace; the
 * init joins it (net_join) and the host side works on the descriptor.
 * A host that makes no user namespaces gets the older stack, noted (the
 * capabilities of every later process follow the note) and told. */
static int
make_owned_stack(struct vj_jail *j, struct vj_error *err)
{
	int fd = vj_netns_owned(j->ctx);

	if (fd < 0 && (errno == ENOSPC || errno == EPERM ||
	    errno == EINVAL || errno == EUSERS)) {
		vj_warn(j->ctx, "vnet: this host makes no user namespace "
		    "(%s): the jail's root keeps CAP_NET_ADMIN on the host, "
		    "which reaches the stack at the other end of its links",
		    strerror(errno));
		return vj_jail_note_add(j, "net.stack", "host", err);
	}
	if (fd < 0)
		return vj_err_sys(err, "vnet: new stack");
	j->nsfd[VJ_NS_NET] = fd;
	return vj_jail_note_add(j, "net.stack", "owned", err);
}

/* In the init: join the stack made for the jail. */
static int
net_join(struct vj_jail *j, struct vj_error *err)
{
	if (setns(j->nsfd[VJ_NS_NET], CLONE_NEWNET) < 0)
		return vj_err_sys(err, "vnet: join the jail's stack");
	return 0;
}

/* Bring loopback up in the current network namespace. */
static int
loopback_up(struct vj_error *err)
{
	struct ifreq ifr;
	vj_autoclose int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return vj_err_sys(err, "socket");
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		return vj_err_sys(err, "lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		return vj_err_sys(err, "lo up");
	return 0;
}

/* Refuse vnet=disable, and interfaces that do not exist or need vnet. */
static int
net_check(struct vj_jail *j, struct vj_error *err)
{
	const struct vj_param *lent = vj_params_find(&j->params,
	    "vnet.interface");
	struct vj_nl *nl;
	size_t k;
	int rc = 0;

	if (strcmp(vj_jail_sys(j, "vnet", "inherit"), "disable") == 0)
		return vj_err_set(err, EINVAL,
		    "vnet: invalid value \"disable\"");
	if (lent == NULL || lent->nvals == 0)
		return 0;
	if (!has_vnet(j))
		return vj_err_set(err, EINVAL, "vnet.interface: needs vnet");
	if ((nl = vj_nl_open(err)) == NULL)
		return -1;
	for (k = 0; k < lent->nvals && rc == 0; k++)
		if (vj_nl_ifindex(nl, lent->vals[k], err) < 0)
			rc = vj_err_wrap(err, "vnet.interface: %s",
			    lent->vals[k]);
	vj_nl_close(nl);
	return rc;
}

/* A lent veth whose other end is in another stack (another jail's,
 * lent there too) wires the two stacks directly: each could name, and
 * configure, the other (see the top).  epair.<if>.peer wires jails
 * out of each other's reach instead (wire.c). */
static void
warn_if_wired_to_a_stack(struct vj_jail *j, struct vj_nl *nl,
    const char *ifname)
{
	struct vj_nl_link_info info;

	if (!vj_net_owned_stack(j) ||
	    vj_nl_link_get(nl, ifname, &info, NULL) < 0 ||
	    strcmp(info.kind, "veth") != 0 || info.link_netnsid < 0)
		return;
	vj_warn(j->ctx, "vnet.interface: %s: its other end is in another "
	    "network stack, which this jail's root can then configure, and "
	    "the reverse (jail-security(7)); epair.<if>.peer wires jails "
	    "out of each other's reach", ifname);
}

/* Lend the vnet.interface links to the jail (noted first: a crash
 * between the two still returns them). */
static int
net_lend(struct vj_jail *j, struct vj_error *err)
{
	const struct vj_param *lent = vj_params_find(&j->params,
	    "vnet.interface");
	struct vj_nl *nl;
	int fd, rc = 0;
	size_t k;

	if (lent == NULL || lent->nvals == 0)
		return 0;
	if ((fd = vj_jail_nsfd(j, VJ_NS_NET, err)) < 0 ||
	    (nl = vj_nl_open(err)) == NULL)
		return -1;
	for (k = 0; k < lent->nvals && rc == 0; k++) {
		warn_if_wired_to_a_stack(j, nl, lent->vals[k]);
		rc = vj_jail_note_add(j, "net.lent", lent->vals[k], err);
		if (rc == 0 && vj_nl_link_set_netns(nl, lent->vals[k], fd,
		    NULL, err) < 0)
			rc = vj_err_wrap(err, "vnet.interface");
	}
	vj_nl_close(nl);
	return rc;
}

/* Give lent interfaces back to the host, as FreeBSD does when a vnet
 * dies; Linux would destroy virtual ones with the namespace. */
static int
net_return(struct vj_jail *j, struct vj_error *err)
{
	const struct vj_param *lent = vj_jail_noted_list(j, "net.lent");
	vj_autoclose int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	struct vj_nl *nl;
	int fd, rc = 0;
	size_t k;

	if (lent == NULL || lent->nvals == 0)
		return 0;
	if (home < 0)
		return vj_err_sys(err, "open own netns");
	if ((fd = vj_jail_nsfd(j, VJ_NS_NET, NULL)) < 0)
		return 0;	/* the stack is gone already */
	if ((nl = vj_nl_open_in(fd, err)) == NULL)
		return -1;
	for (k = 0; k < lent->nvals; k++)
		if (vj_nl_ifindex(nl, lent->vals[k], NULL) >= 0 &&
		    vj_nl_link_set_netns(nl, lent->vals[k], home, NULL,
		    err) < 0 && rc == 0)
			rc = vj_err_wrap(err, "vnet.interface: return");
	vj_nl_close(nl);
	return rc;
}

/* Teardown: lent links go home while the stack still exists. */
static int
net_teardown(struct vj_jail *j, enum vj_tphase ph, struct vj_error *err)
{
	if (ph != VJ_TD_STOP)
		return 0;
	return net_return(j, err);
}

/* Setup by phase. */
static int
net_setup(struct vj_jail *j, enum vj_phase ph, struct vj_error *err)
{
	switch (ph) {
	case VJ_PH_CHECK:
		return net_check(j, err);
	case VJ_PH_HOST:
		return vj_net_owned_stack(j) ? make_owned_stack(j, err) : 0;
	/* The init is cloned after HOST: net_clone_flags reads the note. */
	case VJ_PH_ATTACH:
		return net_lend(j, err);
	case VJ_PH_CHILD:
		if (vj_net_owned_stack(j) && net_join(j, err) < 0)
			return -1;
		return has_vnet(j) && !j->lo_up ? loopback_up(err) : 0;
	default:
		return 0;
	}
}

/* A network namespace for vnet jails. */
static unsigned long
net_clone_flags(const struct vj_jail *j)
{
	return has_vnet(j) && !vj_net_owned_stack(j) ? CLONE_NEWNET : 0;
}

/* Show the stack. */
static void
net_show(const struct vj_jail *j, FILE *out)
{
	fprintf(out, "\tvnet %s\n", has_vnet(j) ? "new" : "inherit");
}

const struct vj_subsys vj_subsys_net = {
	.name = "net",
	.params = net_params,
	.clone_flags = net_clone_flags,
	.setup = net_setup,
	.teardown = net_teardown,
	.show = net_show,
};
