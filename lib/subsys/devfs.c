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
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "error.h"
#include "mount.h"
#include "security.h"
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

	if (m == NULL || m->hostdev < 0)
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

/* Make one character node: mknod, or (m given) a bind mount of the
 * host's node. */
static int
make_node(const struct vj_mntctx *m, int dev, const struct devnode *n,
    struct vj_error *err)
{
	if (mknodat(dev, n->name, S_IFCHR | 0666,
	    makedev(n->major, n->minor)) == 0)
		return 0;
	if (errno != EPERM || m == NULL)
		return vj_err_sys(err, "mount.devfs: %s", n->name);
	return bind_node(m, dev, n, err);
}

/* Mount a new file system on directory name below dev. */
static int
submount(int dev, const char *name, const char *type, const char *opts,
    unsigned long flags, struct vj_error *err)
{
	vj_autoclose int dir = -1, mnt = -1;

	dir = openat(dev, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dir < 0)
		return vj_err_sys(err, "mount.devfs: %s", name);
	mnt = vj_mnt_fs(type, type, opts, flags, err);
	if (mnt < 0 || vj_mnt_attach(mnt, dir, err) < 0)
		return vj_err_wrap(err, "mount.devfs: %s", name);
	return 0;
}

/* The jail's own devpts instance, and (R_JAIL) its own shm, on their
 * directories below dev (fill made them). */
static int
submounts(int dev, unsigned rules, struct vj_error *err)
{
	if (!(rules & R_LOGIN))
		return 0;
	if (submount(dev, "pts", "devpts", "newinstance,ptmxmode=0666,"
	    "mode=620", MS_NOSUID | MS_NOEXEC, err) < 0)
		return -1;
	if ((rules & R_JAIL) && submount(dev, "shm", "tmpfs", "mode=1777",
	    MS_NOSUID | MS_NODEV, err) < 0)
		return -1;
	return 0;
}

/* Which devnodes[] (bit i) and sets a jail's /dev holds: the key of its
 * template. */
static unsigned
key_of(const struct vj_jail *j, unsigned rules)
{
	unsigned key = rules << VJ_ARRAY_LEN(devnodes);
	size_t i;

	for (i = 0; i < VJ_ARRAY_LEN(devnodes); i++)
		if ((devnodes[i].rules & rules) && (devnodes[i].allow == NULL ||
		    vj_jail_bool(j, devnodes[i].allow)))
			key |= 1u << i;
	return key;
}

/* Fill a fresh devfs (dev is its root) with the nodes and links of key;
 * with mounts, its own devpts and shm too, else their empty directories
 * (a template's).  m NULL: no host node to bind if mknod is refused. */
static int
fill(const struct vj_mntctx *m, int dev, unsigned key, bool mounts,
    struct vj_error *err)
{
	unsigned rules = key >> VJ_ARRAY_LEN(devnodes);
	size_t i;

	for (i = 0; i < VJ_ARRAY_LEN(devnodes); i++)
		if ((key & (1u << i)) && make_node(m, dev, &devnodes[i],
		    err) < 0)
			return -1;
	if (!(rules & R_LOGIN))
		return 0;
	for (i = 0; i < VJ_ARRAY_LEN(devlinks); i++)
		if (symlinkat(devlinks[i][1], dev, devlinks[i][0]) < 0)
			return vj_err_sys(err, "mount.devfs: %s",
			    devlinks[i][0]);
	if (mkdirat(dev, "pts", 0755) < 0)
		return vj_err_sys(err, "mount.devfs: pts");
	if ((rules & R_JAIL) && mkdirat(dev, "shm", 01777) < 0)
		return vj_err_sys(err, "mount.devfs: shm");
	/* A template keeps the mount points only. */
	return mounts ? submounts(dev, rules, err) : 0;
}

/*
 * Templates.  A jail's /dev differs from another's only by its key, and
 * its devpts and shm: for each key a process makes one filled devfs,
 * read-only down to its superblock (no jail may write it, or remount it:
 * that needs CAP_SYS_ADMIN over the host's user namespace), and each
 * jail gets a clone of it, with a devpts and a shm of its own mounted on
 * the clone.  One clone instead of a file system, up to eight nodes and
 * five links per jail.  A jail that keeps CAP_SYS_ADMIN (allow.mount,
 * children without user.map) gets a devfs of its own, as before, and so
 * does every jail where a template cannot be made or cloned (an older
 * kernel clones no detached mount).
 *
 * A template is made by the creator before the init is cloned, so the
 * init's copy of the descriptor table holds it; the init finds it here
 * (this memory is the creator's) and checks that the descriptor is the
 * template's mount before it clones it.  Entries are only ever added,
 * each whole before ntemplates counts it (a release store, read with an
 * acquire load), under template_lock: creators in several threads of a
 * program make each template once, and an init reads without a lock.
 */
#define TEMPLATES	8

static struct template {
	unsigned	 key;
	int		 fd;		/* -1: cannot be made here */
	dev_t		 dev;
	ino_t		 ino;
} templates[TEMPLATES];
static int ntemplates;
static pthread_mutex_t template_lock = PTHREAD_MUTEX_INITIALIZER;

/* May this jail's /dev be a template's clone? */
static bool
shares_template(const struct vj_jail *j)
{
	return !vj_sec_may_mount(j) && !vj_sec_nesting(j);
}

static struct template *
template_find(unsigned key)
{
	int i, n = __atomic_load_n(&ntemplates, __ATOMIC_ACQUIRE);

	for (i = 0; i < n; i++)
		if (templates[i].key == key)
			return &templates[i];
	return NULL;
}

/* Give the template's nodes and directories their exact modes: the
 * creator's umask is its program's, not ours to change. */
static int
template_modes(int dev, unsigned key)
{
	unsigned rules = key >> VJ_ARRAY_LEN(devnodes);
	size_t i;

	for (i = 0; i < VJ_ARRAY_LEN(devnodes); i++)
		if ((key & (1u << i)) &&
		    fchmodat(dev, devnodes[i].name, 0666, 0) < 0)
			return -1;
	if ((rules & R_LOGIN) && fchmodat(dev, "pts", 0755, 0) < 0)
		return -1;
	if ((rules & R_JAIL) && fchmodat(dev, "shm", 01777, 0) < 0)
		return -1;
	return 0;
}

/* Make the template of key: filled, then read-only; -1 with errno. */
static int
template_make(unsigned key, struct stat *st)
{
	struct vj_error err;
	int dev;

	dev = vj_mnt_fs("tmpfs", "devfs", "mode=755,size=64k", MS_NOSUID |
	    MS_NOEXEC, &err);
	if (dev < 0)
		return -1;
	if (fill(NULL, dev, key, false, &err) < 0 ||
	    template_modes(dev, key) < 0 ||
	    vj_mnt_sb_rdonly(dev, &err) < 0 ||
	    vj_mnt_setattr(dev, false, MS_RDONLY, 0, &err) < 0 ||
	    fstat(dev, st) < 0) {
		close(dev);
		return -1;
	}
	return dev;
}

/* In the creator, before the init is cloned: the template for the
 * jail's /dev, made once per process.  A failure only means that each
 * jail of this key builds its own (traced). */
void
vj_devfs_prepare(const struct vj_jail *j)
{
	unsigned key = key_of(j, rules_of(vj_devfs_ruleset(j)));
	struct template *t;
	struct stat st;

	if (!shares_template(j) || template_find(key) != NULL)
		return;
	pthread_mutex_lock(&template_lock);
	if (template_find(key) == NULL && ntemplates < TEMPLATES) {
		t = &templates[ntemplates];
		t->key = key;
		t->fd = template_make(key, &st);
		if (t->fd >= 0) {
			t->dev = st.st_dev;
			t->ino = st.st_ino;
		} else
			vj_trace(j->ctx, "%s: no shared /dev (%s): each jail "
			    "makes its own", j->name, strerror(errno));
		__atomic_store_n(&ntemplates, ntemplates + 1,
		    __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&template_lock);
}

/* A clone of the template of key, attached on target: 1, or 0 if there
 * is none to be had here (the caller builds one), or -1. */
static int
from_template(const struct vj_mntctx *m, int target, unsigned key,
    struct vj_error *err)
{
	const struct template *t = template_find(key);
	vj_autoclose int tree = -1;
	struct stat st;

	if (t == NULL || t->fd < 0 || !shares_template(m->j) ||
	    fstat(t->fd, &st) < 0 || st.st_dev != t->dev ||
	    st.st_ino != t->ino)
		return 0;
	tree = open_tree(t->fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
	    AT_EMPTY_PATH);
	if (tree < 0)
		return 0;	/* a kernel that clones no detached tree */
	if (vj_mnt_attach(tree, target, err) < 0 ||
	    submounts(tree, key >> VJ_ARRAY_LEN(devnodes), err) < 0)
		return vj_err_wrap(err, "mount.devfs");
	return 1;
}

/* Mount the jail's /dev on target: a template's clone, or its own. */
int
vj_devfs_mount(const struct vj_mntctx *m, int target, int ruleset,
    struct vj_error *err)
{
	unsigned key = key_of(m->j, rules_of(ruleset));
	vj_autoclose int dev = -1;
	mode_t mask;
	int rc;

	if ((rc = from_template(m, target, key, err)) != 0)
		return rc < 0 ? -1 : 0;
	dev = vj_mnt_fs("tmpfs", "devfs", "mode=755,size=64k", MS_NOSUID |
	    MS_NOEXEC, err);
	if (dev < 0)
		return vj_err_wrap(err, "mount.devfs");
	/* Attached before it is filled: a bind of a host node needs an
	 * attached target.  No process of the jail exists yet. */
	if (vj_mnt_attach(dev, target, err) < 0)
		return vj_err_wrap(err, "mount.devfs");
	/* Nodes and directories get exactly the modes asked for. */
	mask = umask(0);
	rc = fill(m, dev, key, true, err);
	umask(mask);
	if (rc < 0)
		return -1;
	/* Nothing may be added later: the top is read-only (device nodes
	 * still work; pts and shm are mounts of their own). */
	if (vj_mnt_setattr(dev, false, MS_RDONLY, 0, err) < 0)
		return vj_err_wrap(err, "mount.devfs");
	return 0;
}
