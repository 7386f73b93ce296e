/*
 * mount.c: the jail's root (path) and what is mounted in it (mount,
 * mount.fstab, mount.devfs, mount.procfs).  Everything is mounted in the
 * jail's own private mount namespace, so nothing lands on the host's
 * paths and everything goes away with the jail.
 *
 * Hardened defaults: the root is bound without devices (nodev), /dev is
 * devfs.c's (always with path=/), /proc and /sys are masked and
 * read-only where needed (procfs.c), the state store is masked, and
 * every target is a descriptor resolved once inside the root.
 * enforce_statfs is accepted: a mount namespace shows only its own
 * mounts, which is level 1 to 2 with a path and level 0 with path=/.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "error.h"
#include "jailobj.h"
#include "mount.h"
#include "nshandle.h"
#include "security.h"
#include "subsys.h"
#include "util.h"

static const struct vj_pdef mount_params[] = {
	{ "path", VJ_PT_STRING, VJ_PF_CREATE, "/", "root directory" },
	{ "mount", VJ_PT_STRING, VJ_PF_LIST | VJ_PF_REV, NULL,
	    "fstab(5) lines mounted in the jail" },
	{ "mount.fstab", VJ_PT_STRING, VJ_PF_LIST, NULL,
	    "fstab(5) files mounted in the jail" },
	{ "mount.devfs", VJ_PT_BOOL, 0, "false", "a minimal /dev" },
	{ "mount.procfs", VJ_PT_BOOL, 0, "false", "/proc" },
	{ "mount.fdescfs", VJ_PT_BOOL, 0, "false", "/dev/fd" },
	{ "devfs_ruleset", VJ_PT_INT, 0, "0",
	    "devfs rules 1-5 as FreeBSD's (0: 4, the jail set)" },
	{ "enforce_statfs", VJ_PT_INT, 0, "2", "mount visibility (0-2)" },
	{ NULL, 0, 0, NULL, NULL }
};

/* The jail's root: path, or "/". */
static const char *
root_of(const struct vj_jail *j)
{
	const char *p = vj_params_get(&j->params, "path");

	return p != NULL && *p != '\0' ? p : "/";
}

/* path must be absolute and a directory. */
static int
check_path(const struct vj_jail *j, struct vj_error *err)
{
	const char *p = vj_params_get(&j->params, "path");
	struct stat st;

	if (p == NULL || *p == '\0')
		return 0;
	if (*p != '/')
		return vj_err_set(err, EINVAL,
		    "path %s: not an absolute pathname", p);
	if (stat(p, &st) < 0)
		return vj_err_sys(err, "path %s", p);
	if (!S_ISDIR(st.st_mode))
		return vj_err_set(err, ENOTDIR, "path %s: %s", p,
		    strerror(ENOTDIR));
	return 0;
}

/* Call fn for each fstab line of mount and mount.fstab files. */
static int
each_fstab_line(const struct vj_jail *j, int (*fn)(const struct vj_mntctx *,
    const char *, struct vj_error *), const struct vj_mntctx *m,
    struct vj_error *err)
{
	const struct vj_param *p = vj_params_find(&j->params, "mount");
	vj_autofree char *line = NULL;
	size_t k, cap = 0;
	FILE *f;
	int rc = 0;

	for (k = 0; p != NULL && k < p->nvals; k++)
		if (fn(m, p->vals[k], err) < 0)
			return vj_err_wrap(err, "mount");
	p = vj_params_find(&j->params, "mount.fstab");
	for (k = 0; p != NULL && k < p->nvals && rc == 0; k++) {
		f = fopen(p->vals[k], "re");
		if (f == NULL)
			return vj_err_sys(err, "mount.fstab: %s", p->vals[k]);
		while (rc == 0 && getline(&line, &cap, f) > 0) {
			line[strcspn(line, "#\n")] = '\0';
			if (line[strspn(line, " \t")] != '\0')
				rc = fn(m, line, err);
		}
		fclose(f);
		if (rc < 0)
			vj_err_wrap(err, "mount.fstab: %s", p->vals[k]);
	}
	return rc;
}

/* fstab check with the fn signature each_fstab_line wants. */
static int
check_line(const struct vj_mntctx *m, const char *line, struct vj_error *err)
{
	(void)m;
	return vj_fstab_check(line, err);
}

/* Validate path and mount lines; probe the kernel. */
static int
mount_check(struct vj_jail *j, struct vj_error *err)
{
	long es = vj_jail_int(j, "enforce_statfs", 2);

	if (es < 0 || es > 2)
		return vj_err_set(err, EINVAL,
		    "enforce_statfs: invalid value \"%ld\"", es);
	if (vj_mnt_probe(err) < 0 || check_path(j, err) < 0)
		return -1;
	return each_fstab_line(j, check_line, NULL, err);
}

/* The store under /run/vjail, for a jail that may make children: the
 * host's, bound in (with path=/ it is there already). */
static int
share_rundir(const struct vj_mntctx *m, struct vj_error *err)
{
	vj_autoclose int dir = -1, tree = -1;

	if (strcmp(m->root, "/") == 0)
		return 0;
	dir = vj_mnt_mkdirs(m->rootfd, m->j->ctx->rundir, 0700, err);
	tree = dir < 0 ? -1 : vj_mnt_clone(AT_FDCWD, m->j->ctx->rundir,
	    false, err);
	if (tree < 0 || vj_mnt_attach(tree, dir, err) < 0)
		return vj_err_wrap(err, "children.max: %s", m->j->ctx->rundir);
	return 0;
}

/* The store masked for any other jail, with a marker saying who it is:
 * a read-only tmpfs filled before it is attached. */
static int
mask_rundir(const struct vj_mntctx *m, struct vj_error *err)
{
	char text[VJ_NAME_MAX + 32];
	vj_autoclose int dir = -1, tmp = -1, fd = -1;

	dir = vj_mnt_resolve(m->rootfd, m->j->ctx->rundir, VJ_MNT_STRICT, err);
	if (dir < 0)
		return err->ve_errno == ENOENT ? 0 : vj_err_wrap(err, "mask");
	tmp = vj_mnt_fs("tmpfs", "vjail", "mode=755,size=16k", MS_NOSUID |
	    MS_NODEV | MS_NOEXEC, err);
	if (tmp < 0)
		return vj_err_wrap(err, "mask %s", m->j->ctx->rundir);
	snprintf(text, sizeof(text), "%d %s\n", m->j->jid, m->j->name);
	fd = openat(tmp, "self", O_WRONLY | O_CREAT | O_CLOEXEC, 0444);
	if (fd < 0 || vj_write_all(fd, text, strlen(text)) < 0)
		return vj_err_sys(err, "mask %s", m->j->ctx->rundir);
	close(vj_steal_fd(fd));	/* a file open for writing blocks ro */
	if (vj_mnt_setattr(tmp, false, MS_RDONLY, 0, err) < 0 ||
	    vj_mnt_attach(tmp, dir, err) < 0)
		return vj_err_wrap(err, "mask %s", m->j->ctx->rundir);
	return 0;
}

/* Has the jail a devfs on /dev: mount.devfs, and always with path=/,
 * where the host's /dev would hand raw disks and kernel memory to jailed
 * root. */
static bool
has_devfs(const struct vj_jail *j)
{
	return vj_jail_bool(j, "mount.devfs") || strcmp(root_of(j), "/") == 0;
}

/* The jail's /dev. */
static int
mount_dev(const struct vj_mntctx *m, struct vj_error *err)
{
	vj_autoclose int dev = -1;

	if (!has_devfs(m->j))
		return 0;
	dev = vj_mnt_resolve(m->rootfd, "/dev", VJ_MNT_STRICT, err);
	if (dev < 0)
		return vj_err_wrap(err, "mount.devfs");
	return vj_devfs_mount(m, dev, vj_devfs_ruleset(m->j), err);
}

/* /proc for the jail's pid namespace, /sys for its network stack. */
static int
mount_kernfs(const struct vj_mntctx *m, struct vj_error *err)
{
	vj_autoclose int proc = -1, sys = -1;
	bool top = strcmp(m->root, "/") == 0;

	/* With path=/ the host's /proc would show the host's processes. */
	if (top || vj_jail_bool(m->j, "mount.procfs")) {
		proc = vj_mnt_resolve(m->rootfd, "/proc", VJ_MNT_STRICT, err);
		if (proc < 0 || vj_procfs_mount(m, proc, NULL, err) < 0)
			return vj_err_wrap(err, "mount.procfs");
	}
	if (!top)
		return 0;
	sys = vj_mnt_resolve(m->rootfd, "/sys", VJ_MNT_STRICT, err);
	if (sys < 0)
		return err->ve_errno == ENOENT ? 0 : -1;
	/* A stack of its own (cloned, or joined: vj_net_owned_stack) gets
	 * a sysfs of its own, which shows that stack's interfaces. */
	if (vj_sec_vnet(m->j))
		return vj_sysfs_mount(m, sys, err);
	return vj_sysfs_harden(m, sys, err);
}

/* Bind the jail's path over itself: its own mount, without devices;
 * returns the new mount's descriptor. */
static int
bind_root(const char *root, struct vj_error *err)
{
	vj_autoclose int dir = -1;
	int tree;

	if (strcmp(root, "/") == 0) {
		tree = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (tree < 0)
			return vj_err_sys(err, "/");
	} else {
		dir = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
		tree = dir < 0 ? vj_err_sys(err, "path %s", root) :
		    vj_mnt_clone(dir, "", true, err);
		if (tree >= 0 && vj_mnt_attach(tree, dir, err) < 0) {
			close(tree);
			return -1;
		}
	}
	/* Device nodes in the jail's tree do nothing: /dev is devfs's. */
	if (tree >= 0 && vj_mnt_setattr(tree, false, MS_NODEV, 0, err) < 0) {
		close(tree);
		return vj_err_wrap(err, "path %s", root);
	}
	return tree;
}

/* The host's /dev and a verified /dev/null, opened before any mount. */
static void
open_host_dev(struct vj_mntctx *m)
{
	struct stat st;

	m->hostdev = open("/dev", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (m->hostdev < 0)
		return;
	m->nullfd = openat(m->hostdev, "null", O_PATH | O_NOFOLLOW |
	    O_CLOEXEC);
	if (m->nullfd >= 0 && (fstat(m->nullfd, &st) < 0 ||
	    !S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))) {
		close(m->nullfd);
		m->nullfd = -1;
	}
}

/* Make the root of the mount namespace the jail's; the host's goes. */
static int
enter_root(int rootfd, struct vj_error *err)
{
	if (fchdir(rootfd) < 0)
		return vj_err_sys(err, "chdir to the jail's root");
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return vj_err_sys(err, "pivot_root");
	if (umount2(".", MNT_DETACH) < 0)
		return vj_err_sys(err, "detach the host's root");
	if (chdir("/") < 0)
		return vj_err_sys(err, "chdir /");
	return 0;
}

/* Build the view once the root is bound. */
static int
build_view(struct vj_mntctx *m, struct vj_error *err)
{
	if (each_fstab_line(m->j, vj_fstab_mount, m, err) < 0 ||
	    mount_dev(m, err) < 0 || mount_kernfs(m, err) < 0)
		return -1;
	if (vj_jail_int(m->j, "children.max", 0) > 0)
		return share_rundir(m, err);
	return mask_rundir(m, err);
}

/* Inside the init: build the jail's file system view. */
static int
mount_child(struct vj_jail *j, struct vj_error *err)
{
	int cover = -1;
	struct vj_mntctx m = { j, root_of(j), -1, -1, -1, &cover };
	int rc;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return vj_err_sys(err, "make mounts private");
	vj_nshandle_drop_copied(j);	/* no handle on siblings */
	open_host_dev(&m);
	m.rootfd = bind_root(m.root, err);
	rc = m.rootfd < 0 ? -1 : build_view(&m, err);
	if (rc == 0 && strcmp(m.root, "/") != 0)
		rc = enter_root(m.rootfd, err);
	close(m.rootfd);
	close(m.hostdev);
	close(m.nullfd);
	close(cover);
	return rc;
}

/* Setup by phase. */
static int
mount_setup(struct vj_jail *j, enum vj_phase ph, struct vj_error *err)
{
	switch (ph) {
	case VJ_PH_CHECK:
		return mount_check(j, err);
	case VJ_PH_HOST:
		if (has_devfs(j))
			vj_devfs_prepare(j);
		return 0;
	case VJ_PH_CHILD:
		return mount_child(j, err);
	default:
		return 0;
	}
}

/* Show the root and what is mounted in it. */
static void
mount_show(const struct vj_jail *j, FILE *out)
{
	fprintf(out, "\troot %s devfs %s (ruleset %d) procfs %d\n", root_of(j),
	    vj_jail_bool(j, "mount.devfs") ? "yes" : strcmp(root_of(j),
	    "/") == 0 ? "masking the host's" : "no", vj_devfs_ruleset(j),
	    vj_jail_bool(j, "mount.procfs"));
}

const struct vj_subsys vj_subsys_mount = {
	.name = "mount",
	.params = mount_params,
	.setup = mount_setup,
	.show = mount_show,
};
