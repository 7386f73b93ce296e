/*
 * cgroupv1.h: find the cgroup v1 hierarchy that carries a controller
 * (hybrid hosts mount one per controller at /sys/fs/cgroup/<name>).
 * Groups in it are made, filled and removed with cgroup2.h's functions,
 * which only use what both versions share (mkdir, cgroup.procs, rmdir).
 */
#ifndef VJ_CGROUPV1_H
#define VJ_CGROUPV1_H

#include <stddef.h>

#include "vjail.h"

/* Copy the mount point of the v1 hierarchy with controller ctl into buf;
 * ENOENT if none carries it. */
int	vj_cg1_mount(const char *ctl, char *buf, size_t len,
	    struct vj_error *err);

#endif
