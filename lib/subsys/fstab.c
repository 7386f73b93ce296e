/*
 * fstab.c: the mount and mount.fstab parameters: fstab(5) lines mounted
 * inside the jail's private mount namespace.  As in FreeBSD's jail(8),
 * the mount point is a host path under the jail's path; it is resolved
 * once, inside the jail's root (a symlink in the jail's tree cannot lead
 * out), and mounted on by descriptor.  nullfs is a bind mount; proc and
 * sysfs get the masks of procfs.c; devfs is devfs.c's ruleset 4.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "error.h"
#include "mount.h"
#include "util.h"

struct fsent {
	char	*from, *to, *type, *opts;
};

static const struct mflag {
	const char	*name;
	unsigned long	 set, clear;
} mflags[] = {
	{ "ro", MS_RDONLY, 0 }, { "rdonly", MS_RDONLY, 0 },
	{ "rw", 0, MS_RDONLY }, { "nosuid", MS_NOSUID, 0 },
	{ "nodev", MS_NODEV, 0 }, { "noexec", MS_NOEXEC, 0 },
	{ "noatime", MS_NOATIME, 0 }, { "bind", MS_BIND, 0 },
	{ "rbind", MS_BIND | MS_REC, 0 }, { "late", 0, 0 },
	{ "defaults", 0, 0 },
};

/* Split an fstab line in place; 0 if it has at least three fields. */
static int
split(char *line, struct fsent *e)
{
	char *save = NULL;

	e->from = strtok_r(line, " \t\n", &save);
	e->to = strtok_r(NULL, " \t\n", &save);
	e->type = strtok_r(NULL, " \t\n", &save);
	e->opts = strtok_r(NULL, " \t\n", &save);
	if (e->opts == NULL)
		e->opts = "rw";
	return e->from && e->to && e->type ? 0 : -1;
}

/* Turn options into flags, keeping the rest as data. */
static unsigned long
parse_opts(char *opts, char *data, size_t len)
{
	unsigned long flags = 0;
	char *o, *save = NULL;
	size_t i;

	data[0] = '\0';
	for (o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < VJ_ARRAY_LEN(mflags); i++)
			if (strcmp(o, mflags[i].name) == 0)
				break;
		if (i < VJ_ARRAY_LEN(mflags)) {
			flags = (flags | mflags[i].set) & ~mflags[i].clear;
			continue;
		}
		if (data[0] != '\0')
			strncat(data, ",", len - strlen(data) - 1);
		strncat(data, o, len - strlen(data) - 1);
	}
	return flags;
}

/* Check an fstab line's syntax. */
int
vj_fstab_check(const char *line, struct vj_error *err)
{
	vj_autofree char *copy = strdup(line);
	struct fsent e;

	if (copy == NULL)
		return vj_err_sys(err, "mount");
	if (split(copy, &e) < 0)
		return vj_err_set(err, EINVAL, "mount: %s: too few fields",
		    line);
	if (e.to[0] != '/')
		return vj_err_set(err, EINVAL,
		    "mount: %s: not an absolute pathname", e.to);
	return 0;
}

/* The mount point inside the root: to without the jail's path. */
static const char *
inside_root(const struct vj_mntctx *m, const char *to)
{
	size_t len = strlen(m->root);

	while (len > 1 && m->root[len - 1] == '/')
		len--;
	if (strcmp(m->root, "/") == 0)
		return to;
	if (strncmp(to, m->root, len) == 0 && (to[len] == '/' ||
	    to[len] == '\0'))
		return to[len] ? to + len : "/";
	return NULL;
}

/* Bind mount (nullfs), with its flags set on the copy before it is
 * attached. */
static int
bind_mount(const struct fsent *e, unsigned long flags, int target,
    struct vj_error *err)
{
	vj_autoclose int tree = vj_mnt_clone(AT_FDCWD, e->from,
	    (flags & MS_REC) != 0, err);

	flags &= MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME;
	if (tree < 0 || (flags && vj_mnt_setattr(tree, true, flags, 0,
	    err) < 0) || vj_mnt_attach(tree, target, err) < 0)
		return -1;
	return 0;
}

/* Mount one parsed line on its resolved target. */
static int
mount_entry(const struct vj_mntctx *m, const struct fsent *e, int target,
    struct vj_error *err)
{
	vj_autoclose int mnt = -1;
	char data[512], sbopts[520];
	unsigned long flags = parse_opts(e->opts, data, sizeof(data));
	const char *type = e->type;

	if (strcmp(type, "nullfs") == 0 || (flags & MS_BIND))
		return bind_mount(e, flags, target, err);
	if (strcmp(type, "devfs") == 0)
		return vj_devfs_mount(m, target, 4, err);
	if (strcmp(type, "fdescfs") == 0)
		return 0;	/* /dev/fd is a link to /proc/self/fd here */
	if (strcmp(type, "procfs") == 0 || strcmp(type, "linprocfs") == 0 ||
	    strcmp(type, "proc") == 0)
		return vj_procfs_mount(m, target, data[0] ? data : NULL, err);
	if (strcmp(type, "linsysfs") == 0 || strcmp(type, "sysfs") == 0)
		return vj_sysfs_mount(m, target, err);
	/* ro for the superblock too: a journal is not replayed. */
	snprintf(sbopts, sizeof(sbopts), "%s%s%s", flags & MS_RDONLY ? "ro" :
	    "", flags & MS_RDONLY && data[0] ? "," : "", data);
	mnt = vj_mnt_fs(type, e->from, sbopts, flags, err);
	if (mnt < 0 || vj_mnt_attach(mnt, target, err) < 0)
		return -1;
	return 0;
}

/* Mount one fstab line inside the jail's mount namespace. */
int
vj_fstab_mount(const struct vj_mntctx *m, const char *line,
    struct vj_error *err)
{
	vj_autofree char *copy = strdup(line);
	vj_autoclose int target = -1;
	struct fsent e;
	const char *to;

	if (copy == NULL || split(copy, &e) < 0)
		return vj_err_set(err, EINVAL, "mount: %s: too few fields",
		    line);
	to = inside_root(m, e.to);
	if (to == NULL)
		return vj_err_set(err, EINVAL, "mount: %s: not under the "
		    "jail's path %s", e.to, m->root);
	target = vj_mnt_resolve(m->rootfd, to, VJ_MNT_INROOT, err);
	if (target < 0 || mount_entry(m, &e, target, err) < 0)
		return vj_err_wrap(err, "mount %s on %s", e.from, e.to);
	return 0;
}
