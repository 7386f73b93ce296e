/*
 * wire.h: links between two jails (epair.<if>.peer), for epair.c.
 */
#ifndef VJ_WIRE_H
#define VJ_WIRE_H

#include "jailobj.h"

/* One link from this jail to another. */
struct vj_wire {
	const char	*ifname;	/* this jail's interface */
	const char	*mac;		/* its MAC address, or NULL */
	int		 mtu;		/* both ends, 0: the default */
	const char	*peer;		/* "jail:ifname" */
};

/* Before the init is cloned (VJ_PH_HOST): make the jail's wire
 * namespace, which its init holds for the jail's life. */
int	vj_wire_namespace(struct vj_jail *j, struct vj_error *err);

/* Make the links (VJ_PH_ATTACH): netfd is the jail's stack. */
int	vj_wire_links(struct vj_jail *j, int netfd, const struct vj_wire *w,
	    int n, struct vj_error *err);

#endif
