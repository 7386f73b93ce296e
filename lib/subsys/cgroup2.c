/*
 * cgroup2.c: find the cgroup v2 hierarchy and make, fill and remove a
 * jail's group in it.  Works on cgroup2-only hosts and on hybrid ones,
 * where v1 controllers sit beside a v2 tree at /sys/fs/cgroup/unified: a
 * process may be in a v2 group and in its v1 groups at the same time.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "cgroup2.h"
#include "error.h"
#include "util.h"

#define REMOVE_TRIES	200	/* 10 ms apart: 2 s for the dead to leave */
#define MAKE_TRIES	4	/* the parent vanishing under us */
#define MADE_XATTR	"trusted.vjail.made"	/* on a vjail/ vjail made */
#define KERNEL_MOUNTS	"/proc/self/mounts"

/* Where the mount table is read: the kernel's, or a unit test's. */
static char mounts_file[PATH_MAX] = KERNEL_MOUNTS;

/* Point the discovery at another mount table (tests only). */
void
vj_cg_mounts_set(const char *path)
{
	snprintf(mounts_file, sizeof(mounts_file), "%s",
	    path != NULL ? path : KERNEL_MOUNTS);
}

/* Open the mount table. */
FILE *
vj_cg_mounts_open(struct vj_error *err)
{
	FILE *f = fopen(mounts_file, "re");

	if (f == NULL)
		vj_err_sys(err, "%s", mounts_file);
	return f;
}

/* Is this mounts(5) line a cgroup2 mount?  Copies its mount point. */
static int
cg2_line(const char *line, char *mnt, size_t len)
{
	char dir[PATH_MAX], type[64];

	if (sscanf(line, "%*s %4095s %63s", dir, type) != 2 ||
	    strcmp(type, "cgroup2") != 0 || strchr(dir, '\\') != NULL)
		return 0;
	snprintf(mnt, len, "%s", dir);
	return 1;
}

/* The cgroup2 mount point: /sys/fs/cgroup if it is one, else the first. */
int
vj_cg2_mount(char *buf, size_t len, struct vj_error *err)
{
	vj_autofile FILE *f = vj_cg_mounts_open(err);
	char line[PATH_MAX + 256], mnt[PATH_MAX];
	int found = 0;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (!cg2_line(line, mnt, sizeof(mnt)))
			continue;
		if (!found || strcmp(mnt, "/sys/fs/cgroup") == 0)
			snprintf(buf, len, "%s", mnt);
		found = 1;
	}
	if (!found)
		return vj_err_set(err, ENOENT, "no cgroup2 file system mounted");
	return 0;
}

/* Sleep for some milliseconds. */
static void
nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Kill what is left in a group, wait for it to empty, remove it. */
static int
remove_group(const char *path, struct vj_error *err)
{
	char file[PATH_MAX];
	int i;

	snprintf(file, sizeof(file), "%s/cgroup.kill", path);
	if (vj_write_file(file, "1") < 0 && errno == ENOENT &&
	    access(path, F_OK) < 0)
		return 0;	/* already gone */
	for (i = 0; i < REMOVE_TRIES; i++) {
		if (rmdir(path) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			break;
		nap(10);
	}
	return vj_err_sys(err, "rmdir %s", path);
}

/* Copy the directory a group sits in into buf; false at the top. */
static bool
parent_of(const char *path, char *buf, size_t len)
{
	char *slash;

	snprintf(buf, len, "%s", path);
	slash = strrchr(buf, '/');
	if (slash == NULL || slash == buf)
		return false;
	*slash = '\0';
	return true;
}

/* Is dir a vjail/ parent (its last component "vjail")? */
static bool
is_vjail_dir(const char *dir)
{
	size_t n = strlen(dir);

	return n >= 6 && strcmp(dir + n - 6, "/vjail") == 0;
}

/* Remove the vjail/ parent of a group once no group is left in it, if
 * vjail made it (its mark, MADE_XATTR): the host is left as it was
 * found, and a vjail/ an admin made (to cap all jails together) stays.
 * Busy with other jails' groups, it stays too. */
static void
remove_vjail_parent(const char *path)
{
	char parent[PATH_MAX], v;

	if (!parent_of(path, parent, sizeof(parent)) || !is_vjail_dir(parent))
		return;
	/* A hierarchy without extended attributes cannot be marked: the
	 * parent is taken as ours there. */
	if (getxattr(parent, MADE_XATTR, &v, sizeof(v)) < 0 &&
	    errno != EOPNOTSUPP)
		return;
	(void)rmdir(parent);
}

/* Make a directory above jails' groups, and its parents; a vjail/ made
 * here is marked as vjail's. */
int
vj_cg2_make_dir(const char *parent)
{
	if (access(parent, F_OK) == 0)
		return 0;
	if (vj_mkdir_p(parent, 0755) < 0)
		return -1;
	if (is_vjail_dir(parent))
		(void)setxattr(parent, MADE_XATTR, "1", 1, 0);
	return 0;
}

/* A jail's group, and the vjail/ parent with the last group. */
int
vj_cg2_remove(const char *path, struct vj_error *err)
{
	if (remove_group(path, err) < 0)
		return -1;
	remove_vjail_parent(path);
	return 0;
}

/* Make a group and its parents; a leftover (old programs) is replaced.
 * The vjail/ parent may vanish meanwhile, with the last jail of another
 * process (vj_cg2_remove): then it is made again. */
int
vj_cg2_make(const char *path, struct vj_error *err)
{
	char parent[PATH_MAX];
	bool below = parent_of(path, parent, sizeof(parent));
	int tries;

	for (tries = 0;; tries++) {
		if (below && vj_cg2_make_dir(parent) < 0)
			return vj_err_sys(err, "mkdir %s", parent);
		if (mkdir(path, 0755) == 0)
			return 0;
		if (tries == MAKE_TRIES || (errno != ENOENT && errno != EEXIST))
			return vj_err_sys(err, "mkdir %s", path);
		if (errno == EEXIST && remove_group(path, err) < 0)
			return -1;
	}
}

/* Move a process into a group. */
int
vj_cg2_enter(const char *path, pid_t pid, struct vj_error *err)
{
	char file[PATH_MAX], num[32];

	snprintf(file, sizeof(file), "%s/cgroup.procs", path);
	snprintf(num, sizeof(num), "%d", (int)pid);
	if (vj_write_file(file, num) < 0)
		return vj_err_sys(err, "move %d into %s", (int)pid, path);
	return 0;
}

/* Open a group's directory. */
int
vj_cg2_open(const char *path, struct vj_error *err)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return vj_err_sys(err, "open %s", path);
	return fd;
}
