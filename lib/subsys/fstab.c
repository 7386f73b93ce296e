/*
 * fstab.c: the mount and mount.fstab parameters: fstab(5) lines mounted
 * inside the jail's private mount namespace.  nullfs is a bind mount.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

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

/* Bind mount (nullfs), then make it read-only if asked. */
static int
bind_mount(const struct fsent *e, unsigned long flags, struct vj_error *err)
{
	if (mount(e->from, e->to, NULL, MS_BIND | (flags & MS_REC), NULL) < 0)
		return vj_err_sys(err, "mount %s on %s", e->from, e->to);
	flags &= MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME;
	if (flags && mount(NULL, e->to, NULL, MS_BIND | MS_REMOUNT | flags,
	    NULL) < 0)
		return vj_err_sys(err, "mount %s: remount", e->to);
	return 0;
}

/* Mount one fstab line inside the jail's mount namespace. */
int
vj_fstab_mount(const char *line, const char *root, struct vj_error *err)
{
	vj_autofree char *copy = strdup(line);
	char data[512];
	struct fsent e;
	unsigned long flags;

	(void)root;
	if (copy == NULL || split(copy, &e) < 0)
		return vj_err_set(err, EINVAL, "mount: %s: too few fields",
		    line);
	flags = parse_opts(e.opts, data, sizeof(data));
	if (strcmp(e.type, "nullfs") == 0 || (flags & MS_BIND))
		return bind_mount(&e, flags, err);
	if (strcmp(e.type, "devfs") == 0)
		return vj_devfs_mount(e.to, 4, false, err);
	if (strcmp(e.type, "procfs") == 0 || strcmp(e.type, "linprocfs") == 0)
		e.type = "proc";
	if (strcmp(e.type, "fdescfs") == 0)
		return 0;	/* /dev/fd is a link to /proc/self/fd here */
	if (mount(e.from, e.to, e.type, flags, data[0] ? data : NULL) < 0)
		return vj_err_sys(err, "mount %s on %s (%s)", e.from, e.to,
		    e.type);
	return 0;
}
