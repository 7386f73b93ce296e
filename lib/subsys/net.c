/*
 * net.c: the network stack.  vnet=new gives the jail a network namespace
 * of its own with loopback up; otherwise it shares the host's stack (and
 * the ip module restricts its addresses).
 */
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "error.h"
#include "jailobj.h"
#include "subsys.h"
#include "util.h"

static const struct vj_pdef net_params[] = {
	{ "vnet", VJ_PT_JAILSYS, VJ_PF_CREATE, "inherit",
	    "new: a network stack of the jail's own" },
	{ NULL, 0, 0, NULL, NULL }
};

/* Does the jail have its own stack? */
static bool
has_vnet(const struct vj_jail *j)
{
	return strcmp(vj_jail_sys(j, "vnet", "inherit"), "new") == 0;
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

/* Refuse vnet=disable, which has no meaning. */
static int
net_check(struct vj_jail *j, struct vj_error *err)
{
	if (strcmp(vj_jail_sys(j, "vnet", "inherit"), "disable") == 0)
		return vj_err_set(err, EINVAL,
		    "vnet: invalid value \"disable\"");
	return 0;
}

/* Setup by phase. */
static int
net_setup(struct vj_jail *j, enum vj_phase ph, struct vj_error *err)
{
	switch (ph) {
	case VJ_PH_CHECK:
		return net_check(j, err);
	case VJ_PH_CHILD:
		return has_vnet(j) ? loopback_up(err) : 0;
	default:
		return 0;
	}
}

/* A network namespace for vnet jails. */
static unsigned long
net_clone_flags(const struct vj_jail *j)
{
	return has_vnet(j) ? CLONE_NEWNET : 0;
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
	.show = net_show,
};
