/*
 * nshandle.c: a parent jail's handles on its children's namespaces.
 *
 * Entering a jail goes through its init: setns() on a pidfd and the
 * files of /proc/<pid>/ns both need ptrace_may_access(init,
 * PTRACE_MODE_READ) (kernel/nsproxy.c validate_nsset, fs/proc/namespaces.c).
 * The init is not dumpable (nobody in its own jail may trace it), so the
 * kernel also wants CAP_SYS_PTRACE over its memory's user namespace,
 * which the host's root has and a jail's root, rightly, has not: a parent
 * jail could not enter its child, as FreeBSD's jail_attach lets it.
 *
 * setns() on a namespace file asks no ptrace question, only the
 * namespace's own: CAP_SYS_ADMIN over its owner, and for a pid namespace
 * that it descends from the caller's.  So when a child jail is made, its
 * namespaces are bound, as files, into the parent's mount namespace only
 * (a tmpfs on <rundir>/ns there, one directory per child), where no other
 * jail can reach them; every jail drops the copy of that tmpfs its new
 * mount namespace inherited, so a child holds nothing on its siblings.
 * The parent gains no ptrace right and no handle on anything but its own
 * children.
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
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "lifecycle.h"
#include "nshandle.h"
#include "state.h"
#include "subsys.h"
#include "util.h"

/* The namespaces a handle is kept for; the user namespace first, since
 * joining it grants the rights to join the others. */
static const struct {
	int		 flag;
	const char	*name;
} kinds[] = {
	{ CLONE_NEWUSER, "user" }, { CLONE_NEWNS, "mnt" },
	{ CLONE_NEWUTS, "uts" }, { CLONE_NEWIPC, "ipc" },
	{ CLONE_NEWNET, "net" }, { CLONE_NEWCGROUP, "cgroup" },
	{ CLONE_NEWPID, "pid" },
};
#define NKINDS	VJ_ARRAY_LEN(kinds)

/* <rundir>/ns[/<jid>[/<kind>]] */
static void
handle_path(const struct vj_ctx *ctx, int jid, const char *kind, char *buf,
    size_t len)
{
	if (jid <= 0)
		snprintf(buf, len, "%s/ns", ctx->rundir);
	else if (kind == NULL)
		snprintf(buf, len, "%s/ns/%d", ctx->rundir, jid);
	else
		snprintf(buf, len, "%s/ns/%d/%s", ctx->rundir, jid, kind);
}

/* Make <rundir>/ns a tmpfs of this mount namespace, if it is not yet. */
static int
own_tmpfs(const struct vj_ctx *ctx)
{
	char dir[PATH_MAX];
	struct stat top, ns;

	handle_path(ctx, 0, NULL, dir, sizeof(dir));
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -1;
	if (stat(ctx->rundir, &top) < 0 || stat(dir, &ns) < 0)
		return -1;
	if (ns.st_dev != top.st_dev)
		return 0;	/* mounted already */
	return mount("vjail-ns", dir, "tmpfs", MS_NOSUID | MS_NODEV |
	    MS_NOEXEC, "mode=700,size=64k");
}

/* In the parent's mount namespace: attach the detached handles. */
static int
attach_all(const struct vj_jail *j, const int *fds)
{
	char path[PATH_MAX];
	size_t i;
	int fd;

	if (own_tmpfs(j->ctx) < 0)
		return -1;
	handle_path(j->ctx, j->jid, NULL, path, sizeof(path));
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return -1;
	for (i = 0; i < NKINDS; i++) {
		if (fds[i] < 0)
			continue;
		handle_path(j->ctx, j->jid, kinds[i].name, path, sizeof(path));
		fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0400);
		if (fd < 0)
			return -1;
		close(fd);
		if (syscall(SYS_move_mount, fds[i], "", AT_FDCWD, path,
		    MOVE_MOUNT_F_EMPTY_PATH) < 0)
			return -1;
	}
	return 0;
}

/* In the parent's mount namespace: detach the handles and their files. */
static int
detach_all(const struct vj_jail *j)
{
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < NKINDS; i++) {
		handle_path(j->ctx, j->jid, kinds[i].name, path, sizeof(path));
		umount2(path, MNT_DETACH);
		unlink(path);
	}
	handle_path(j->ctx, j->jid, NULL, path, sizeof(path));
	rmdir(path);
	return 0;
}

/* Run fn in the parent jail's mount namespace: here when we live in it,
 * else in a child process that joins it.  -1 if that is not possible. */
static int
in_parent(struct vj_jail *j, int (*fn)(const struct vj_jail *,
    const int *), const int *fds)
{
	struct vj_jail *p;
	int st = -1, pidfd;
	pid_t pid;

	if (j->ctx->self_jid == j->parent)
		return fn(j, fds);
	p = vj_jail_load(j->ctx, j->parent, NULL);
	pidfd = p != NULL && vj_jail_alive(p) ? vj_jail_pidfd(p, NULL) : -1;
	if (pidfd < 0) {
		vj_jail_free(p);
		errno = ESRCH;	/* the parent is gone */
		return -1;
	}
	if ((pid = fork()) < 0) {
		vj_jail_free(p);
		return -1;
	}
	if (pid == 0)	/* the exit status carries errno back */
		_exit(setns(pidfd, CLONE_NEWNS) < 0 || fn(j, fds) < 0 ?
		    (errno > 0 && errno < 256 ? errno : EIO) : 0);
	waitpid(pid, &st, 0);
	vj_jail_free(p);
	if (st == 0)
		return 0;
	errno = WIFEXITED(st) ? WEXITSTATUS(st) : EIO;
	return -1;
}

/* detach_all with in_parent's signature. */
static int
detach_fn(const struct vj_jail *j, const int *fds)
{
	(void)fds;
	return detach_all(j);
}

/* Bind the child's namespaces into its parent's mount namespace. */
int
vj_nshandle_publish(struct vj_jail *j, struct vj_error *err)
{
	unsigned long own = vj_subsys_clone_flags(j);
	int fds[NKINDS], rc;
	char path[64];
	size_t i;

	if (j->parent <= 0)
		return 0;
	for (i = 0; i < NKINDS; i++) {
		fds[i] = -1;
		if (!(own & (unsigned long)kinds[i].flag))
			continue;	/* the parent's own: nothing to enter */
		snprintf(path, sizeof(path), "/proc/%d/ns/%s",
		    (int)j->init_pid, kinds[i].name);
		fds[i] = (int)syscall(SYS_open_tree, AT_FDCWD, path,
		    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		if (fds[i] < 0)
			break;
	}
	rc = i < NKINDS ? -1 : in_parent(j, attach_all, fds);
	if (rc < 0)
		vj_err_sys(err, "children: namespace handles in jail %d",
		    j->parent);
	while (i-- > 0)
		if (fds[i] >= 0)
			close(fds[i]);
	return rc;
}

/* Remove the child's handles from its parent. */
void
vj_nshandle_withdraw(struct vj_jail *j)
{
	if (j->parent > 0)
		in_parent(j, detach_fn, NULL);
}

/* Drop the parent's handles this new mount namespace copied: only a
 * child jail is made where such handles are mounted. */
void
vj_nshandle_drop_copied(const struct vj_jail *j)
{
	char dir[PATH_MAX];

	if (j->parent <= 0)
		return;
	handle_path(j->ctx, 0, NULL, dir, sizeof(dir));
	umount2(dir, MNT_DETACH);	/* EINVAL: none here */
}

/* Open one handle and check it is the jail's (its pid namespace is the
 * one the record names). */
static int
open_handle(struct vj_jail *j, size_t k, struct vj_error *err)
{
	const char *ino = vj_jail_noted(j, "pidns");
	char path[PATH_MAX];
	struct stat st;
	int fd;

	handle_path(j->ctx, j->jid, kinds[k].name, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return vj_err_sys(err, "enter jail %d", j->jid);
	if (kinds[k].flag == CLONE_NEWPID && (fstat(fd, &st) < 0 ||
	    ino == NULL || (unsigned long)st.st_ino != strtoul(ino, NULL, 10))) {
		close(fd);
		return vj_err_set(err, ESTALE, "enter jail %d: not its "
		    "namespace", j->jid);
	}
	return fd;
}

/* Join the namespaces in flags through the handles, all opened before
 * the first is joined: the mount namespace changes what paths mean. */
int
vj_nshandle_join(struct vj_jail *j, unsigned long flags, struct vj_error *err)
{
	unsigned long want = flags & vj_subsys_clone_flags(j);
	int fds[NKINDS], rc = 0;
	size_t k;

	for (k = 0; k < NKINDS; k++)
		fds[k] = -1;
	for (k = 0; k < NKINDS && rc == 0; k++)
		if (want & (unsigned long)kinds[k].flag)
			rc = (fds[k] = open_handle(j, k, err)) < 0 ? -1 : 0;
	for (k = 0; k < NKINDS && rc == 0; k++)
		if (fds[k] >= 0 && setns(fds[k], kinds[k].flag) < 0)
			rc = vj_err_sys(err, "setns into jail %d", j->jid);
	for (k = 0; k < NKINDS; k++)
		if (fds[k] >= 0)
			close(fds[k]);
	return rc;
}
