/*
 * user.h: users and login environments for processes in a jail.  The
 * jail's passwd is read by hand: NSS would load modules from the jail.
 */
#ifndef VJ_USER_H
#define VJ_USER_H

#include <sys/types.h>

#include "vjail.h"

struct vj_user {
	char	name[64];
	uid_t	uid;
	gid_t	gid;
	char	home[256];
	char	shell[256];
	int	found;		/* 0: stay as we are (root) */
};

/* Look a user up by name or number in ./etc/passwd of the current root;
 * a NULL name means "root as we are". */
int	vj_user_lookup(const char *name, struct vj_user *, struct vj_error *);
/* Switch groups, ids, environment and directory for a spawn. */
int	vj_user_become(const struct vj_user *, const struct vj_spawn *,
	    struct vj_error *);

#endif
