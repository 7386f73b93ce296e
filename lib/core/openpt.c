/*
 * openpt.c: a pseudo-terminal of the jail's own (vj_jail_openpt).
 *
 * jexec gives an interactive command a terminal of its own, so that
 * nothing it leaves in the jail keeps the caller's.  The pty comes from
 * the jail's devpts, so that the command finds its terminal under the
 * jail's /dev/pts by name (tty, ttyname(3), sudo).  The jail's tree is
 * reached from the host through its init's root, so the path is resolved
 * inside that root, with no symlink followed, opened as a bare handle,
 * and opened for real only once it is seen to be a devpts multiplexer.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "error.h"
#include "jailobj.h"
#include "lifecycle.h"
#include "proc.h"
#include "util.h"

/* A handle on the jail's /dev/pts/ptmx, checked; -1 with err. */
static int
ptmx_handle(struct vj_jail *j, struct vj_error *err)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC,
	    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS |
	    RESOLVE_NO_MAGICLINKS };
	vj_autoclose int root = -1;
	char path[64];
	struct statfs fs;
	struct stat st;
	int fd;

	if (vj_jail_pidfd(j, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/root", (int)j->init_pid);
	root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	/* The pid still names the init once the root is open. */
	if (root < 0 || vj_pidfd_signal(j->pidfd, 0) < 0)
		return vj_err_set(err, ESRCH, "jail \"%s\" is not running",
		    j->name);
	fd = (int)syscall(SYS_openat2, root, "dev/pts/ptmx", &how,
	    sizeof(how));
	if (fd < 0)
		return vj_err_sys(err, "the jail's /dev/pts/ptmx");
	if (fstat(fd, &st) < 0 || fstatfs(fd, &fs) < 0 ||
	    !S_ISCHR(st.st_mode) || st.st_rdev != makedev(5, 2) ||
	    fs.f_type != DEVPTS_SUPER_MAGIC) {
		close(fd);
		return vj_err_set(err, ENOTTY, "the jail's /dev/pts/ptmx is "
		    "not a pty multiplexer");
	}
	return fd;
}

/* Open a new pty in the jail's devpts; returns its master. */
int
vj_jail_openpt(struct vj_ctx *ctx, int jid, struct vj_error *err)
{
	struct vj_jail *j = vj_jail_load(ctx, jid, err);
	vj_autoclose int handle = -1;
	int master, unlock = 0;
	char path[64];

	if (j == NULL)
		return -1;
	handle = ptmx_handle(j, err);
	vj_jail_free(j);
	if (handle < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", handle);
	master = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		return vj_err_sys(err, "open the jail's /dev/pts/ptmx");
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0) {
		close(master);
		return vj_err_sys(err, "unlock a pty");
	}
	return master;
}
