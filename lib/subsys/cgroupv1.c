/*
 * cgroupv1.c: find a cgroup v1 controller's hierarchy in mounts(5).
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cgroup2.h"
#include "cgroupv1.h"
#include "error.h"
#include "util.h"

/* Is ctl one of the comma-separated options? */
static bool
has_option(const char *opts, const char *ctl)
{
	size_t n = strlen(ctl);
	const char *p = opts;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, ctl, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return true;
		p = strchr(p, ',');
		if (p != NULL)
			p++;
	}
	return false;
}

/* Is this mounts(5) line a v1 hierarchy with ctl?  Copies its mount point. */
static bool
cg1_line(const char *line, const char *ctl, char *mnt, size_t len)
{
	char dir[PATH_MAX], type[64], opts[1024];

	if (sscanf(line, "%*s %4095s %63s %1023s", dir, type, opts) != 3 ||
	    strcmp(type, "cgroup") != 0 || strchr(dir, '\\') != NULL ||
	    !has_option(opts, ctl))
		return false;
	snprintf(mnt, len, "%s", dir);
	return true;
}

/* The mount point of the v1 hierarchy carrying ctl. */
int
vj_cg1_mount(const char *ctl, char *buf, size_t len, struct vj_error *err)
{
	vj_autofile FILE *f = vj_cg_mounts_open(err);
	char line[PATH_MAX + 1200];

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (cg1_line(line, ctl, buf, len))
			return 0;
	return vj_err_set(err, ENOENT, "no cgroup v1 %s hierarchy", ctl);
}
