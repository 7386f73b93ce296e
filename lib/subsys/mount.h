/*
 * mount.h: helpers of the mount subsystem shared by its files:
 * mount.c (the root), fstab.c (mount lines), devfs.c (/dev), procfs.c
 * (/proc and /sys with their masks) and mountfd.c (mounting by
 * descriptor).
 *
 * Every mount target inside a jail is resolved once, inside the jail's
 * root, to a descriptor, and mounted on that descriptor: a symbolic link
 * planted in the jail's tree can never send a mount, or a write, to the
 * host (CVE-2021-30465, CVE-2019-19921, CVE-2024-45310).
 */
#ifndef VJ_MOUNT_H
#define VJ_MOUNT_H

#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "jailobj.h"

/* What a mount inside a jail needs to know. */
struct vj_mntctx {
	const struct vj_jail *j;
	const char	*root;		/* the jail's path, "/" when none */
	int		 rootfd;	/* the jail's root mount (O_PATH) */
	int		 hostdev;	/* the host's /dev, to bind nodes from */
	int		 nullfd;	/* a verified /dev/null (char 1:3) */
	int		*cover;		/* the jail's one empty read-only tmpfs
					 * for masked directories, attached
					 * at the first (-1 until then) */
};

/* How a target is resolved. */
#define VJ_MNT_INROOT	0	/* symlinks are followed, inside the root */
#define VJ_MNT_STRICT	1	/* no symlink anywhere on the way */

/* Open path (absolute inside the root) as an O_PATH descriptor without
 * ever leaving the root; a final symbolic link is refused. */
int	vj_mnt_resolve(int rootfd, const char *path, int how,
	    struct vj_error *);
/* Make missing directories of path inside the root (no symlinks) and
 * open the last one. */
int	vj_mnt_mkdirs(int rootfd, const char *path, mode_t,
	    struct vj_error *);
/* A new, detached file system of type with fstab-style options. */
int	vj_mnt_fs(const char *type, const char *source, const char *opts,
	    unsigned long msflags, struct vj_error *);
/* A detached copy of the tree at dirfd/path (path "" for dirfd itself). */
int	vj_mnt_clone(int dirfd, const char *path, bool recursive,
	    struct vj_error *);
/* Set (and clear) MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_NOATIME
 * on the mount at fd, or on its whole tree. */
int	vj_mnt_setattr(int fd, bool recursive, unsigned long set,
	    unsigned long clear, struct vj_error *);
/* Attach a detached mount on a target descriptor. */
int	vj_mnt_attach(int mntfd, int targetfd, struct vj_error *);
/* Make the file system of a mount read-only, for every mount of it. */
int	vj_mnt_sb_rdonly(int mntfd, struct vj_error *);
/* Can this kernel mount by descriptor?  0, or "unsupported: why". */
int	vj_mnt_probe(struct vj_error *);

/* Mount the jail's /dev on target: ruleset 1-5 as FreeBSD's (0: 4). */
int	vj_devfs_mount(const struct vj_mntctx *, int target, int ruleset,
	    struct vj_error *);
/* In the creator, before the init is cloned: make the shared template
 * the jail's /dev will be cloned from, if none is made yet (devfs.c). */
void	vj_devfs_prepare(const struct vj_jail *);
/* The effective devfs ruleset of a jail. */
int	vj_devfs_ruleset(const struct vj_jail *);

/* Mount a fresh proc on target and mask what a jail must not see. */
int	vj_procfs_mount(const struct vj_mntctx *, int target, const char *opts,
	    struct vj_error *);
/* Mount a fresh sysfs on target, read-only and masked. */
int	vj_sysfs_mount(const struct vj_mntctx *, int target,
	    struct vj_error *);
/* Make an existing /sys tree (the host's) read-only and masked. */
int	vj_sysfs_harden(const struct vj_mntctx *, int sysfd,
	    struct vj_error *);

/* Mount one fstab(5) line: "from to type options [dump pass]". */
int	vj_fstab_mount(const struct vj_mntctx *, const char *line,
	    struct vj_error *);
/* Check an fstab line's syntax without mounting. */
int	vj_fstab_check(const char *line, struct vj_error *);

#endif
