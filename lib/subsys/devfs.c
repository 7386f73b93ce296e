/*
 * devfs.c: the jail's /dev, the counterpart of FreeBSD's devfs with
 * ruleset 4 (devfsrules_jail): a tmpfs holding only harmless nodes, and a
 * private devpts instance.
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

static const struct devnode {
	const char	*name;
	unsigned	 major, minor;
} devnodes[] = {
	{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 },
	{ "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
};

static const char *const devlinks[][2] = {
	{ "ptmx", "pts/ptmx" }, { "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
};

/* Make one character node: mknod, or a bind mount of the host's node. */
static int
make_node(const char *dir, const struct devnode *n, struct vj_error *err)
{
	char path[512], host[64];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, n->name);
	if (mknod(path, S_IFCHR | 0666, makedev(n->major, n->minor)) == 0)
		return chmod(path, 0666);
	/* In a user namespace mknod is refused: bind the host's node. */
	fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
	if (fd < 0)
		return vj_err_sys(err, "mount.devfs: %s", path);
	close(fd);
	snprintf(host, sizeof(host), "/dev/%s", n->name);
	if (mount(host, path, NULL, MS_BIND, NULL) < 0)
		return vj_err_sys(err, "mount.devfs: bind %s", host);
	return 0;
}

/* Mount devpts (a private instance) and shm under dir. */
static int
mount_pts_shm(const char *dir, struct vj_error *err)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/pts", dir);
	if (mkdir(path, 0755) < 0 ||
	    mount("devpts", path, "devpts", MS_NOSUID | MS_NOEXEC,
	    "newinstance,ptmxmode=0666,mode=620") < 0)
		return vj_err_sys(err, "mount.devfs: %s", path);
	snprintf(path, sizeof(path), "%s/shm", dir);
	if (mkdir(path, 01777) < 0 ||
	    mount("shm", path, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") < 0)
		return vj_err_sys(err, "mount.devfs: %s", path);
	return 0;
}

/* Mount a minimal /dev at dir. */
int
vj_devfs_mount(const char *dir, int ruleset, bool fdescfs,
    struct vj_error *err)
{
	char path[512];
	size_t i;

	(void)ruleset;	/* every ruleset maps to devfsrules_jail's set */
	if (mount("devfs", dir, "tmpfs", MS_NOSUID | MS_NOEXEC,
	    "mode=755,size=64k") < 0)
		return vj_err_sys(err, "mount.devfs: %s", dir);
	for (i = 0; i < VJ_ARRAY_LEN(devnodes); i++)
		if (make_node(dir, &devnodes[i], err) < 0)
			return -1;
	if (mount_pts_shm(dir, err) < 0)
		return -1;
	for (i = 0; i < VJ_ARRAY_LEN(devlinks); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, devlinks[i][0]);
		if (symlink(devlinks[i][1], path) < 0)
			return vj_err_sys(err, "mount.devfs: %s", path);
	}
	snprintf(path, sizeof(path), "%s/fd", dir);
	if (fdescfs && symlink("/proc/self/fd", path) < 0)
		return vj_err_sys(err, "mount.fdescfs: %s", path);
	return 0;
}
