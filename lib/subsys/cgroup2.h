/*
 * cgroup2.h: the few cgroup v2 operations jails need: find the unified
 * hierarchy (at /sys/fs/cgroup on most hosts, /sys/fs/cgroup/unified on
 * hybrid ones), make a jail's group, put a process in it, and remove it.
 * Removal is idempotent: a group that is already gone is success.
 */
#ifndef VJ_CGROUP2_H
#define VJ_CGROUP2_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "vjail.h"

/* Open the mount table cgroup hierarchies are looked for in. */
FILE	*vj_cg_mounts_open(struct vj_error *err);
/* Test hook, not thread-safe: read the mount table from path instead of
 * /proc/self/mounts (NULL restores it), so that a unit test can point
 * the v1/v2 discovery at a fake tree of its own. */
void	vj_cg_mounts_set(const char *path);
/* Copy the mount point of the cgroup2 hierarchy into buf; ENOENT if none. */
int	vj_cg2_mount(char *buf, size_t len, struct vj_error *err);
/* Make a directory above jails' groups (and its parents); a vjail/ it
 * makes is marked, to go with the last group (vj_cg2_remove). */
int	vj_cg2_make_dir(const char *path);
/* Make a group (and its parents); a leftover is replaced. */
int	vj_cg2_make(const char *path, struct vj_error *err);
/* Move a process (pid as the caller sees it) into a group. */
int	vj_cg2_enter(const char *path, pid_t pid, struct vj_error *err);
/* Kill what is left in a group and remove it, and its vjail/ parent when
 * that is left empty; ENOENT is success. */
int	vj_cg2_remove(const char *path, struct vj_error *err);
/* Open a group's directory for bpf(2) attachment. */
int	vj_cg2_open(const char *path, struct vj_error *err);

#endif
