/*
 * devfs.c: the jail's /dev, the counterpart of FreeBSD's devfs with its
 * rulesets (sbin/devfs/devfs.rules): a tmpfs holding only the nodes the
 * ruleset unhides, a private devpts instance, and nothing else.  The
 * tmpfs is read-only once filled; no raw disk, memory or port device is
 * ever in it.  Everything is made through descriptors of the new mount.
 *
 *   1 devfsrules_hide_all     nothing
 *   2 devfsrules_unhide_basic null zero full random urandom
 *   3 devfsrules_unhide_login tty, pts, ptmx, fd, stdin, stdout, stderr
 *   4 devfsrules_jail         2 + 3 + shm (+ fuse with allow.mount.fusefs,
 *                             kvm with allow.vmm)
 *   5 devfsrules_jail_vnet    as 4 (pf has no Linux meaning)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "error.h"
#include "mount.h"
#include "util.h"

#define R_BASIC	0x1
#define R_LOGIN	0x2
#define R_JAIL	0x4

static const struct devnode {
	const char	*name;
	unsigned	 major, minor;
	unsigned	 rules;		/* R_* sets that unhide it */
	const char	*allow;		/* and a parameter, or NULL */
} devnodes[] = {
	{ "null", 1, 3, R_BASIC, NULL }, { "zero", 1, 5, R_BASIC, NULL },
	{ "full", 1, 7, R_BASIC, NULL }, { "random", 1, 8, R_BASIC, NULL },
	{ "urandom", 1, 9, R_BASIC, NULL }, { "tty", 5, 0, R_LOGIN, NULL },
	{ "fuse", 10, 229, R_JAIL, "allow.mount.fusefs" },
	{ "kvm", 10, 232, R_JAIL, "allow.vmm" },
};

static const char *const devlinks[][2] = {
	{ "ptmx", "pts/ptmx" }, { "fd", "/proc/self/fd" },
	{ "stdin", "/proc/self/fd/0" }, { "stdout", "/proc/self/fd/1" },
	{ "stderr", "/proc/self/fd/2" },
};

/* The R_* sets a ruleset number unhides. */
static unsigned
rules_of(int ruleset)
{
	switch (ruleset) {
	case 1:
		return 0;
	case 2:
		return R_BASIC;
	case 3:
		return R_LOGIN;
	default:
		return R_BASIC | R_LOGIN | R_JAIL;
	}
}

/* The effective ruleset: devfs_ruleset, or FreeBSD's fallback 4. */
int
vj_devfs_ruleset(const struct vj_jail *j)
{
	long r = vj_jail_int(j, "devfs_ruleset", 0);

	return r >= 1 && r <= 5 ? (int)r : 4;
}

/* Bind the host's node over a file we made: mknod is refused in a user
 * namespace.  The host node is checked to be the device we expect. */
static int
bind_node(const struct vj_mntctx *m, int dev, const struct devnode *n,
    struct vj_error *err)
{
	vj_autoclose int tree = -1, fd = -1;
	struct stat st;

	if (m->hostdev < 0)
		return vj_err_set(err, EPERM, "mount.devfs: %s: mknod refused "
		    "and no host /dev to bind from", n->name);
	tree = vj_mnt_clone(m->hostdev, n->name, false, err);
	if (tree < 0)
		return vj_err_wrap(err, "mount.devfs");
	if (fstat(tree, &st) < 0 || !S_ISCHR(st.st_mode) ||
	    st.st_rdev != makedev(n->major, n->minor))
		return vj_err_set(err, EINVAL, "mount.devfs: host /dev/%s is "
		    "not device %u:%u", n->name, n->major, n->minor);
	fd = openat(dev, n->name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC |
	    O_NOFOLLOW, 0666);
	if (fd < 0 || move_mount(tree, "", dev, n->name,
	    MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return vj_err_sys(err, "mount.devfs: %s", n->name);
	return 0;
}

/* Make one character node: mknod, or a bind mount of the host's node. */
static int
make_node(const struct vj_mntctx *m, int dev, const struct devnode *n,
    struct vj_error *err)
{
	if (mknodat(dev, n->name, S_IFCHR | 0666,
	    makedev(n->major, n->minor)) == 0)
		return 0;
	if (errno != EPERM)
		return vj_err_sys(err, "mount.devfs: %s", n->name);
	return bind_node(m, dev, n, err);
}

/* Mount a new file system on a new directory below dev. */
static int
submount(int dev, const char *name, mode_t mode, const char *type,
    const char *opts, unsigned long flags, struct vj_error *err)
{
	vj_autoclose int dir = -1, mnt = -1;

	if (mkdirat(dev, name, mode) < 0)
		return vj_err_sys(err, "mount.devfs: %s", name);
	dir = openat(dev, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dir < 0)
		return vj_err_sys(err, "mount.devfs: %s", name);
	mnt = vj_mnt_fs(type, type, opts, flags, err);
	if (mnt < 0 || vj_mnt_attach(mnt, dir, err) < 0)
		return vj_err_wrap(err, "mount.devfs: %s", name);
	return 0;
}

/* Fill a fresh devfs (dev is its root) as a ruleset says. */
static int
fill(const struct vj_mntctx *m, int dev, unsigned rules, struct vj_error *err)
{
	const struct devnode *n;
	size_t i;

	for (i = 0; i < VJ_ARRAY_LEN(devnodes); i++) {
		n = &devnodes[i];
		if ((n->rules & rules) && (n->allow == NULL ||
		    vj_jail_bool(m->j, n->allow)) && make_node(m, dev, n,
		    err) < 0)
			return -1;
	}
	if (!(rules & R_LOGIN))
		return 0;
	if (submount(dev, "pts", 0755, "devpts", "newinstance,ptmxmode=0666,"
	    "mode=620", MS_NOSUID | MS_NOEXEC, err) < 0)
		return -1;
	if ((rules & R_JAIL) && submount(dev, "shm", 01777, "tmpfs",
	    "mode=1777", MS_NOSUID | MS_NODEV, err) < 0)
		return -1;
	for (i = 0; i < VJ_ARRAY_LEN(devlinks); i++)
		if (symlinkat(devlinks[i][1], dev, devlinks[i][0]) < 0)
			return vj_err_sys(err, "mount.devfs: %s",
			    devlinks[i][0]);
	return 0;
}

/* Mount the jail's /dev on target. */
int
vj_devfs_mount(const struct vj_mntctx *m, int target, int ruleset,
    struct vj_error *err)
{
	vj_autoclose int dev = vj_mnt_fs("tmpfs", "devfs", "mode=755,size=64k",
	    MS_NOSUID | MS_NOEXEC, err);
	mode_t mask;
	int rc;

	if (dev < 0)
		return vj_err_wrap(err, "mount.devfs");
	/* Attached before it is filled: a bind of a host node needs an
	 * attached target.  No process of the jail exists yet. */
	if (vj_mnt_attach(dev, target, err) < 0)
		return vj_err_wrap(err, "mount.devfs");
	/* Nodes and directories get exactly the modes asked for. */
	mask = umask(0);
	rc = fill(m, dev, rules_of(ruleset), err);
	umask(mask);
	if (rc < 0)
		return -1;
	/* Nothing may be added later: the top is read-only (device nodes
	 * still work; pts and shm are mounts of their own). */
	if (vj_mnt_setattr(dev, false, MS_RDONLY, 0, err) < 0)
		return vj_err_wrap(err, "mount.devfs");
	return 0;
}
