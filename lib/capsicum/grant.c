/*
 * grant.c: capability mode's lookup layer, a Landlock domain granting
 * the directories the process holds as descriptors at cap_enter.
 *
 * seccomp refuses lookups from the working directory (AT_FDCWD), but it
 * cannot read paths: openat(dirfd, "/etc/shadow") or "../.." would leave
 * the directory.  Landlock handles every filesystem right of the running
 * ABI and grants them only beneath each held directory, so such a lookup
 * fails with EACCES (FreeBSD says ENOTCAPABLE).  Landlock grants objects,
 * not lookups: an absolute path or a symlink that lands inside a held
 * directory succeeds, and the calls Landlock has no right for (stat,
 * chmod, chown, utimes, xattrs, readlink, access) are not confined.
 *
 * Held regular files get the rights of their open mode, so a binary
 * opened before cap_enter can still be run with execveat (FreeBSD's
 * fexecve).  Devices are not granted: /dev/null on stdin must not open
 * a door to /dev.
 *
 * The domain also handles TCP bind and connect with no rule (MSG_FASTOPEN
 * connects without connect(2)) and scopes abstract UNIX sockets and
 * signals to the domain: kill() reaches only the process and what it
 * starts afterwards.  Until Landlock ABI 8 a domain covers only the
 * calling thread; with ABI 8 it covers every thread (TSYNC).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capsicum_int.h"
#include "landlock_abi.h"

#define FD_SCAN_MAX	65536	/* without /proc: how far to look */

/* Every filesystem right the running ABI knows. */
static uint64_t
fs_rights(int abi)
{
	uint64_t r = (LL_FS_MAKE_SYM << 1) - 1;	/* ABI 1 */

	if (abi >= 2)
		r |= LL_FS_REFER;
	if (abi >= 3)
		r |= LL_FS_TRUNCATE;
	if (abi >= 5)
		r |= LL_FS_IOCTL_DEV;
	return r;
}

/* The rights a held descriptor grants beneath it: all for a directory,
 * its open mode for a regular file, none for anything else. */
static uint64_t
fd_rights(int fd, uint64_t all)
{
	struct stat st;
	int fl;

	if (fstat(fd, &st) < 0 || (fl = fcntl(fd, F_GETFL)) < 0)
		return 0;
	if (S_ISDIR(st.st_mode))
		return all;
	if (!S_ISREG(st.st_mode))
		return 0;
	if ((fl & O_PATH) || (fl & O_ACCMODE) == O_RDONLY)
		return LL_FS_READ_FILE | LL_FS_EXECUTE;
	if ((fl & O_ACCMODE) == O_WRONLY)
		return (LL_FS_WRITE_FILE | LL_FS_TRUNCATE) & all;
	return (LL_FS_READ_FILE | LL_FS_EXECUTE | LL_FS_WRITE_FILE |
	    LL_FS_TRUNCATE) & all;
}

/* Add a rule for one descriptor, if it grants anything. */
static int
grant_fd(int ruleset, int fd, uint64_t all)
{
	struct ll_path_beneath_attr pb = { .parent_fd = fd };

	pb.allowed_access = fd_rights(fd, all);
	if (pb.allowed_access == 0)
		return 0;
	/* EBADFD: a file of an internal mount (memfd): nothing to grant. */
	if (syscall(SYS_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH,
	    &pb, 0) < 0 && errno != EBADFD)
		return -1;
	return 0;
}

/* Grant each descriptor listed in /proc/self/fd; -1 with ENOENT when
 * /proc is not there. */
static int
grant_listed(int ruleset, uint64_t all)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int fd, rc = 0;

	if (d == NULL)
		return -1;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		fd = atoi(e->d_name);
		if (e->d_name[0] == '.' || fd == dirfd(d) || fd == ruleset)
			continue;
		rc = grant_fd(ruleset, fd, all);
	}
	closedir(d);
	return rc;
}

/* Grant each open descriptor below the limit (no /proc). */
static int
grant_scanned(int ruleset, uint64_t all)
{
	struct rlimit rl;
	int fd, max = FD_SCAN_MAX;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < FD_SCAN_MAX)
		max = (int)rl.rlim_cur;
	for (fd = 0; fd < max; fd++)
		if (fd != ruleset && fcntl(fd, F_GETFD) >= 0 &&
		    grant_fd(ruleset, fd, all) < 0)
			return -1;
	return 0;
}

/* Make the ruleset for this ABI: every right handled, scopes on. */
static int
make_ruleset(int abi, uint64_t *all)
{
	struct ll_ruleset_attr attr = { 0 };
	size_t size = sizeof(attr.handled_access_fs);

	*all = fs_rights(abi);
	attr.handled_access_fs = *all;
	if (abi >= LL_ABI_NET) {
		attr.handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
		size = offsetof(struct ll_ruleset_attr, scoped);
	}
	if (abi >= LL_ABI_SCOPES) {
		attr.scoped = LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL;
		size = sizeof(attr);
	}
	return (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
}

/* Confine lookups to the directories held now; 1 when confined, 0 when
 * this kernel has no Landlock (seccomp alone then), -1 with errno. */
int
cap_landlock_enter(void)
{
	unsigned flags = 0;
	uint64_t all;
	int abi = ll_abi(), ruleset, rc, saved;

	if (abi < 0)
		return errno == ENOSYS || errno == EOPNOTSUPP ? 0 : -1;
	ruleset = make_ruleset(abi, &all);
	if (ruleset < 0)
		return -1;
	rc = grant_listed(ruleset, all);
	if (rc < 0 && errno == ENOENT)
		rc = grant_scanned(ruleset, all);
	if (abi >= LL_ABI_TSYNC)
		flags |= LL_RESTRICT_SELF_TSYNC;
	if (rc == 0)
		rc = (int)syscall(SYS_landlock_restrict_self, ruleset, flags);
	saved = errno;
	close(ruleset);
	errno = saved;
	return rc < 0 ? -1 : 1;
}
