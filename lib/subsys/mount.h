/*
 * mount.h: helpers of the mount subsystem shared by its files.
 */
#ifndef VJ_MOUNT_H
#define VJ_MOUNT_H

#include "jailobj.h"

/* Mount a minimal /dev (tmpfs with null, zero, random, ..., pts) at dir. */
int	vj_devfs_mount(const char *dir, int ruleset, bool fdescfs,
	    struct vj_error *);
/* Mount one fstab(5) line: "from to type options [dump pass]". */
int	vj_fstab_mount(const char *line, const char *root, struct vj_error *);
/* Check an fstab line's syntax without mounting. */
int	vj_fstab_check(const char *line, struct vj_error *);

#endif
