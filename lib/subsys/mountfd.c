/*
 * mountfd.c: mounting by descriptor with the new mount API (fsopen,
 * fsmount, open_tree, move_mount, mount_setattr) and openat2.  Targets
 * are descriptors resolved once; no path string is ever resolved twice.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "error.h"
#include "mount.h"
#include "util.h"

static const struct msattr {
	unsigned long	ms;
	uint64_t	attr;
} msattrs[] = {
	{ MS_RDONLY, MOUNT_ATTR_RDONLY }, { MS_NOSUID, MOUNT_ATTR_NOSUID },
	{ MS_NODEV, MOUNT_ATTR_NODEV }, { MS_NOEXEC, MOUNT_ATTR_NOEXEC },
	{ MS_NOATIME, MOUNT_ATTR_NOATIME },
};

/* MS_* flags as MOUNT_ATTR_* bits. */
static uint64_t
attrs_of(unsigned long ms)
{
	uint64_t out = 0;
	size_t i;

	for (i = 0; i < VJ_ARRAY_LEN(msattrs); i++)
		if (ms & msattrs[i].ms)
			out |= msattrs[i].attr;
	return out;
}

/* openat2 below dirfd with the given resolve flags. */
static int
open_below(int dirfd, const char *path, int flags, unsigned long long resolve)
{
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_CLOEXEC),
		.resolve = resolve,
	};

	return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

/* Open path inside the root as O_PATH; refuse a final symlink. */
int
vj_mnt_resolve(int rootfd, const char *path, int how, struct vj_error *err)
{
	struct stat st;
	unsigned long long res = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
	const char *rel = path + strspn(path, "/");
	int fd;

	if (how == VJ_MNT_STRICT)
		res |= RESOLVE_NO_SYMLINKS;
	fd = open_below(rootfd, *rel ? rel : ".", O_PATH | O_NOFOLLOW, res);
	if (fd < 0 && errno == ELOOP)
		return vj_err_set(err, ELOOP, "%s: a symbolic link on the way: "
		    "refused", path);
	if (fd < 0)
		return vj_err_sys(err, "%s", path);
	if (fstat(fd, &st) < 0 || S_ISLNK(st.st_mode)) {
		close(fd);
		return vj_err_set(err, ELOOP, "%s: a symbolic link: refused",
		    path);
	}
	return fd;
}

/* Open or make one directory below dirfd, following no symlink. */
static int
mkdir_one(int dirfd, const char *name, mode_t mode)
{
	unsigned long long res = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS;
	int fd = open_below(dirfd, name, O_PATH | O_DIRECTORY, res);

	if (fd >= 0 || errno != ENOENT)
		return fd;
	if (mkdirat(dirfd, name, mode) < 0 && errno != EEXIST)
		return -1;
	return open_below(dirfd, name, O_PATH | O_DIRECTORY, res);
}

/* Make the missing directories of path inside the root; open the last. */
int
vj_mnt_mkdirs(int rootfd, const char *path, mode_t mode, struct vj_error *err)
{
	vj_autofree char *copy = strdup(path);
	char *name, *save = NULL;
	int fd = dup(rootfd), next;

	if (copy == NULL || fd < 0)
		return vj_err_sys(err, "%s", path);
	for (name = strtok_r(copy, "/", &save); name != NULL;
	    name = strtok_r(NULL, "/", &save)) {
		next = mkdir_one(fd, name, mode);
		close(fd);
		if (next < 0)
			return vj_err_sys(err, "%s", path);
		fd = next;
	}
	return fd;
}

/* Pass one "key[=value]" option to a file system context. */
static int
fs_option(int fs, char *opt)
{
	char *eq = strchr(opt, '=');

	if (eq == NULL)
		return fsconfig(fs, FSCONFIG_SET_FLAG, opt, NULL, 0);
	*eq = '\0';
	return fsconfig(fs, FSCONFIG_SET_STRING, opt, eq + 1, 0);
}

/* Fill err with the kernel's own words about a failed context. */
static int
fs_error(int fs, const char *type, struct vj_error *err)
{
	char log[256];
	int saved = errno;
	ssize_t n = read(fs, log, sizeof(log) - 1);

	errno = saved;
	if (n > 2) {
		log[n] = '\0';
		log[strcspn(log, "\n")] = '\0';
		return vj_err_set(err, saved, "%s: %s: %s", type, log + 2,
		    strerror(saved));
	}
	return vj_err_sys(err, "%s", type);
}

/* Configure a fresh context: source and options. */
static int
fs_configure(int fs, const char *source, const char *opts)
{
	vj_autofree char *copy = strdup(opts ? opts : "");
	char *o, *save = NULL;

	if (copy == NULL)
		return -1;
	if (source != NULL && fsconfig(fs, FSCONFIG_SET_STRING, "source",
	    source, 0) < 0)
		return -1;
	for (o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save))
		if (fs_option(fs, o) < 0)
			return -1;
	return fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0);
}

/* A new detached file system. */
int
vj_mnt_fs(const char *type, const char *source, const char *opts,
    unsigned long msflags, struct vj_error *err)
{
	vj_autoclose int fs = fsopen(type, FSOPEN_CLOEXEC);
	int mnt;

	if (fs < 0)
		return vj_err_sys(err, "%s", type);
	if (fs_configure(fs, source, opts) < 0)
		return fs_error(fs, type, err);
	mnt = fsmount(fs, FSMOUNT_CLOEXEC, (unsigned)attrs_of(msflags));
	if (mnt < 0)
		return fs_error(fs, type, err);
	return mnt;
}

/* A detached copy of a tree. */
int
vj_mnt_clone(int dirfd, const char *path, bool recursive,
    struct vj_error *err)
{
	unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC;
	int fd;

	if (*path == '\0')
		flags |= AT_EMPTY_PATH;
	if (recursive)
		flags |= AT_RECURSIVE;
	fd = open_tree(dirfd, path, flags);
	if (fd < 0)
		return vj_err_sys(err, "bind %s", *path ? path : "(descriptor)");
	return fd;
}

/* Set and clear mount flags on the mount (tree) at fd. */
int
vj_mnt_setattr(int fd, bool recursive, unsigned long set, unsigned long clear,
    struct vj_error *err)
{
	struct mount_attr a = {
		.attr_set = attrs_of(set),
		.attr_clr = attrs_of(clear),
	};

	if (mount_setattr(fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE :
	    0), &a, sizeof(a)) < 0)
		return vj_err_sys(err, "mount flags");
	return 0;
}

/* Attach a detached mount on a target descriptor. */
int
vj_mnt_attach(int mntfd, int targetfd, struct vj_error *err)
{
	if (move_mount(mntfd, "", targetfd, "", MOVE_MOUNT_F_EMPTY_PATH |
	    MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return vj_err_sys(err, "attach");
	return 0;
}

/* Make the file system of a mount read-only, for every mount of it. */
int
vj_mnt_sb_rdonly(int mntfd, struct vj_error *err)
{
	vj_autoclose int fs = (int)syscall(SYS_fspick, mntfd, "",
	    FSPICK_EMPTY_PATH | FSPICK_CLOEXEC);

	if (fs < 0 || fsconfig(fs, FSCONFIG_SET_FLAG, "ro", NULL, 0) < 0 ||
	    fsconfig(fs, FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0) < 0)
		return vj_err_sys(err, "read-only file system");
	return 0;
}

/* Can this kernel mount by descriptor (openat2 5.6, mount_setattr 5.12)? */
int
vj_mnt_probe(struct vj_error *err)
{
	if (syscall(SYS_openat2, -1, "", NULL, 0) < 0 && errno == ENOSYS)
		return vj_err_set(err, ENOSYS, "unsupported: openat2 (Linux "
		    "5.6) is needed to resolve mount targets safely");
	if (syscall(SYS_mount_setattr, -1, "", 0, NULL, 0) < 0 &&
	    errno == ENOSYS)
		return vj_err_set(err, ENOSYS, "unsupported: mount_setattr "
		    "(Linux 5.12) is needed to mount by descriptor");
	return 0;
}
