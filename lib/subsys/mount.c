/*
 * mount.c: the jail's root (path) and what is mounted in it (mount,
 * mount.fstab, mount.devfs, mount.procfs).  Everything is mounted in the
 * jail's own private mount namespace, so nothing lands on the host's
 * paths and everything goes away with the jail.
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
#include <sys/syscall.h>
#include <unistd.h>

#include "error.h"
#include "jailobj.h"
#include "mount.h"
#include "subsys.h"
#include "util.h"

static const struct vj_pdef mount_params[] = {
	{ "path", VJ_PT_STRING, VJ_PF_CREATE, NULL, "root directory" },
	{ "mount", VJ_PT_STRING, VJ_PF_LIST | VJ_PF_REV, NULL,
	    "fstab(5) lines mounted in the jail" },
	{ "mount.fstab", VJ_PT_STRING, VJ_PF_LIST, NULL,
	    "fstab(5) files mounted in the jail" },
	{ "mount.devfs", VJ_PT_BOOL, 0, "false", "a minimal /dev" },
	{ "mount.procfs", VJ_PT_BOOL, 0, "false", "/proc" },
	{ "mount.fdescfs", VJ_PT_BOOL, 0, "false", "/dev/fd" },
	{ "devfs_ruleset", VJ_PT_INT, 0, "0", "devfs rules (4: jail set)" },
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
each_fstab_line(const struct vj_jail *j, int (*fn)(const char *,
    const char *, struct vj_error *), struct vj_error *err)
{
	const struct vj_param *p = vj_params_find(&j->params, "mount");
	vj_autofree char *line = NULL;
	size_t k, cap = 0;
	FILE *f;
	int rc = 0;

	for (k = 0; p != NULL && k < p->nvals; k++)
		if (fn(p->vals[k], root_of(j), err) < 0)
			return vj_err_wrap(err, "mount");
	p = vj_params_find(&j->params, "mount.fstab");
	for (k = 0; p != NULL && k < p->nvals && rc == 0; k++) {
		f = fopen(p->vals[k], "re");
		if (f == NULL)
			return vj_err_sys(err, "mount.fstab: %s", p->vals[k]);
		while (rc == 0 && getline(&line, &cap, f) > 0) {
			line[strcspn(line, "#\n")] = '\0';
			if (line[strspn(line, " \t")] != '\0')
				rc = fn(line, root_of(j), err);
		}
		fclose(f);
		if (rc < 0)
			vj_err_wrap(err, "mount.fstab: %s", p->vals[k]);
	}
	return rc;
}

/* fstab check with the fn signature each_fstab_line wants. */
static int
check_line(const char *line, const char *root, struct vj_error *err)
{
	(void)root;
	return vj_fstab_check(line, err);
}

/* Validate path and mount lines. */
static int
mount_check(struct vj_jail *j, struct vj_error *err)
{
	long es = vj_jail_int(j, "enforce_statfs", 2);

	if (es < 0 || es > 2)
		return vj_err_set(err, EINVAL,
		    "enforce_statfs: invalid value \"%ld\"", es);
	if (check_path(j, err) < 0)
		return -1;
	return each_fstab_line(j, check_line, err);
}

/* Join root and an absolute path inside it. */
static void
inside(const char *root, const char *sub, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", strcmp(root, "/") ? root : "", sub);
}

/* The store under /run/vjail: shared with a jail that may make children,
 * masked (with a marker saying who we are) for any other. */
static int
mount_rundir(struct vj_jail *j, const char *root, struct vj_error *err)
{
	char dir[PATH_MAX], self[PATH_MAX], text[VJ_NAME_MAX + 32];
	vj_autoclose int fd = -1;
	struct stat st;

	inside(root, j->ctx->rundir, dir, sizeof(dir));
	if (vj_jail_int(j, "children.max", 0) > 0) {
		if (strcmp(root, "/") == 0)
			return 0;
		if (vj_mkdir_p(dir, 0700) < 0 ||
		    mount(j->ctx->rundir, dir, NULL, MS_BIND, NULL) < 0)
			return vj_err_sys(err, "children.max: bind %s", dir);
		return 0;
	}
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return 0;
	if (mount("vjail", dir, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
	    "mode=755,size=16k") < 0)
		return vj_err_sys(err, "mask %s", dir);
	snprintf(self, sizeof(self), "%s/self", dir);
	snprintf(text, sizeof(text), "%d %s\n", j->jid, j->name);
	fd = open(self, O_WRONLY | O_CREAT | O_CLOEXEC, 0444);
	if (fd < 0 || vj_write_all(fd, text, strlen(text)) < 0)
		return vj_err_sys(err, "mask %s", dir);
	close(vj_steal_fd(fd));	/* a file open for writing blocks ro */
	if (mount(NULL, dir, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID |
	    MS_NODEV | MS_NOEXEC, "mode=755,size=16k") < 0)
		return vj_err_sys(err, "mask %s", dir);
	return 0;
}

/* /proc for the jail's pid namespace, /sys for its network stack. */
static int
mount_kernfs(struct vj_jail *j, const char *root, struct vj_error *err)
{
	char dir[PATH_MAX];
	bool top = strcmp(root, "/") == 0;

	inside(root, "/proc", dir, sizeof(dir));
	/* With path=/ the host's /proc would show the host's processes. */
	if ((top || vj_jail_bool(j, "mount.procfs")) &&
	    mount("proc", dir, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
	    NULL) < 0)
		return vj_err_sys(err, "mount.procfs: %s", dir);
	if (top && (j->clone_flags & CLONE_NEWNET) &&
	    mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC |
	    MS_RDONLY, NULL) < 0)
		return vj_err_sys(err, "mount /sys");
	return 0;
}

/* Make root the root of the mount namespace; the host's goes away. */
static int
enter_root(const char *root, struct vj_error *err)
{
	if (chdir(root) < 0)
		return vj_err_sys(err, "path %s", root);
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return vj_err_sys(err, "pivot_root %s", root);
	if (umount2(".", MNT_DETACH) < 0)
		return vj_err_sys(err, "detach the host's root");
	if (chdir("/") < 0)
		return vj_err_sys(err, "chdir /");
	return 0;
}

/* Inside the init: build the jail's file system view. */
static int
mount_child(struct vj_jail *j, struct vj_error *err)
{
	const char *root = root_of(j);
	char dir[PATH_MAX];

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return vj_err_sys(err, "make mounts private");
	if (strcmp(root, "/") != 0 &&
	    mount(root, root, NULL, MS_BIND | MS_REC, NULL) < 0)
		return vj_err_sys(err, "path %s", root);
	if (each_fstab_line(j, vj_fstab_mount, err) < 0)
		return -1;
	inside(root, "/dev", dir, sizeof(dir));
	if (vj_jail_bool(j, "mount.devfs") && vj_devfs_mount(dir,
	    (int)vj_jail_int(j, "devfs_ruleset", 4),
	    vj_jail_bool(j, "mount.fdescfs"), err) < 0)
		return -1;
	if (mount_kernfs(j, root, err) < 0 || mount_rundir(j, root, err) < 0)
		return -1;
	if (strcmp(root, "/") == 0)
		return 0;
	return enter_root(root, err);
}

/* Setup by phase. */
static int
mount_setup(struct vj_jail *j, enum vj_phase ph, struct vj_error *err)
{
	switch (ph) {
	case VJ_PH_CHECK:
		return mount_check(j, err);
	case VJ_PH_CHILD:
		return mount_child(j, err);
	default:
		return 0;
	}
}

/* Show the root. */
static void
mount_show(const struct vj_jail *j, FILE *out)
{
	fprintf(out, "\troot %s devfs %d procfs %d\n", root_of(j),
	    vj_jail_bool(j, "mount.devfs"), vj_jail_bool(j, "mount.procfs"));
}

const struct vj_subsys vj_subsys_mount = {
	.name = "mount",
	.params = mount_params,
	.setup = mount_setup,
	.show = mount_show,
};
