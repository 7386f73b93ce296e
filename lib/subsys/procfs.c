/*
 * procfs.c: /proc and /sys for a jail, with what a jail must not see
 * masked and what it must not change read-only (runc's and Docker's
 * defaults, GHSA-6fw5-f8r9-fgfm).  Linux's procfs and sysfs are views of
 * the host kernel: without these masks jailed root could write
 * /proc/sys/kernel/core_pattern or /proc/sysrq-trigger, or suspend the
 * host through /sys/power/state.
 *
 * A masked file gets a verified /dev/null bound over it (CVE-2025-31133);
 * a masked directory gets an empty read-only tmpfs.  A jail with a
 * network stack of its own keeps /proc/sys/net writable: those entries
 * are its own.
 *
 * Covers are attached by name, not through a resolved descriptor as
 * elsewhere in the jail (mount.h): the names are ours, and the trees are
 * the kernel's (a fresh proc or sysfs, or the host's /sys), set up before
 * any process of the jail exists, so none of them can be a link the jail
 * planted.  A stat by name tells whether the kernel has the entry, and
 * its kind, before a cover is made for it.
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "mount.h"
#include "security.h"
#include "util.h"

/* Entries to hide (a file gets /dev/null over it, a directory an empty
 * read-only tmpfs), each list ending in NULL.  Hidden in /proc: kernel
 * memory, keys, timers, interrupts, hardware lists. */
static const char *const proc_masked[] = {
	"kcore", "keys", "key-users", "latency_stats", "timer_list",
	"timer_stats", "sched_debug", "interrupts", "acpi", "asound", "scsi",
	"kallsyms", "kpagecount", "kpageflags", "kpagecgroup", "vmcore", NULL
};
/* Without allow.read_msgbuf. */
static const char *const proc_kmsg[] = { "kmsg", NULL };
/* Read-only: the kernel's knobs. */
static const char *const proc_rdonly[] = {
	"bus", "fs", "irq", "sys", "sysrq-trigger", NULL
};
/* Hidden in /sys: firmware tables, power capping (energy counters are a
 * side channel, CVE-2020-8694). */
static const char *const sys_masked[] = {
	"firmware", "devices/virtual/powercap", NULL
};
/* And where the host's /sys is bound with the file systems mounted in
 * it: debugging, tracing, security, configfs, bpf and pstore.  A fresh
 * sysfs has only empty directories there, which the jail cannot mount
 * on. */
static const char *const sys_mounts_masked[] = {
	"kernel/debug", "kernel/tracing", "kernel/security", "kernel/config",
	"fs/bpf", "fs/pstore", NULL
};

/* A cover for a masked directory: a bind of the jail's one empty
 * read-only tmpfs, made at the first (a superblock per masked directory
 * cost ~10 per jail: memory, a shrinker, and the global sb_lock). */
static int
dir_cover(const struct vj_mntctx *m, struct vj_error *err)
{
	if (*m->cover >= 0)
		return vj_mnt_clone(*m->cover, "", false, err);
	return vj_mnt_fs("tmpfs", "masked", "size=0,mode=555", MS_RDONLY |
	    MS_NOSUID | MS_NODEV | MS_NOEXEC, err);
}

/* A cover of an entry's kind: the empty tmpfs over a directory, /dev/null
 * over anything else. */
static int
cover_for(const struct vj_mntctx *m, const char *name, bool dir,
    struct vj_error *err)
{
	int fd;

	if (dir)
		fd = dir_cover(m, err);
	else if (m->nullfd >= 0)
		fd = vj_mnt_clone(m->nullfd, "", false, err);
	else
		return vj_err_set(err, ENOENT, "mask %s: no /dev/null", name);
	return fd < 0 ? vj_err_wrap(err, "mask %s", name) : fd;
}

/* Mask one entry below dir, if this kernel has it, with a cover of the
 * kind it is (a kernel may make a file of a directory, or the reverse).
 * A cover is made only for an entry that is there: closing one never
 * attached makes the kernel dissolve its mount, which waits for an
 * expedited RCU grace period. */
static int
mask_one(const struct vj_mntctx *m, int dir, const char *name,
    struct vj_error *err)
{
	struct stat st;
	bool isdir;
	int fd, rc;

	if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : vj_err_sys(err, "mask %s", name);
	isdir = S_ISDIR(st.st_mode);
	if ((fd = cover_for(m, name, isdir, err)) < 0)
		return -1;
	if (move_mount(fd, "", dir, name, MOVE_MOUNT_F_EMPTY_PATH) < 0) {
		rc = vj_err_sys(err, "mask %s", name);
		close(fd);
		return rc;
	}
	/* Attached, the first cover can be cloned on any kernel. */
	if (isdir && *m->cover < 0)
		*m->cover = fd;
	else
		close(fd);
	return 0;
}

/* Mask every entry of a list below dir. */
static int
mask_all(const struct vj_mntctx *m, int dir, const char *const *list,
    struct vj_error *err)
{
	for (; *list != NULL; list++)
		if (mask_one(m, dir, *list, err) < 0)
			return -1;
	return 0;
}

/* Bind one entry below dir over itself, read-only. */
static int
rdonly_one(int dir, const char *name, struct vj_error *err)
{
	vj_autoclose int tree = open_tree(dir, name, OPEN_TREE_CLONE |
	    OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_SYMLINK_NOFOLLOW);

	if (tree < 0)
		return errno == ENOENT ? 0 : vj_err_sys(err, "read-only %s",
		    name);
	if (vj_mnt_setattr(tree, true, MS_RDONLY | MS_NOSUID | MS_NODEV |
	    MS_NOEXEC, 0, err) < 0)
		return vj_err_wrap(err, "read-only %s", name);
	if (move_mount(tree, "", dir, name, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return vj_err_sys(err, "read-only %s", name);
	return 0;
}

/* Hide and freeze what a jail must not see or change in a fresh proc. */
static int
proc_harden(const struct vj_mntctx *m, int proc, struct vj_error *err)
{
	vj_autoclose int net = -1;
	const char *const *n;

	if (mask_all(m, proc, proc_masked, err) < 0)
		return -1;
	if (!vj_jail_bool(m->j, "allow.read_msgbuf") &&
	    mask_all(m, proc, proc_kmsg, err) < 0)
		return -1;
	/* The jail's own network knobs stay writable: keep a copy. */
	if (vj_sec_vnet(m->j) && (net = vj_mnt_clone(proc, "sys/net", true,
	    err)) < 0)
		return -1;
	for (n = proc_rdonly; *n != NULL; n++)
		if (rdonly_one(proc, *n, err) < 0)
			return -1;
	if (net < 0)
		return 0;
	if (move_mount(net, "", proc, "sys/net", MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return vj_err_sys(err, "/proc/sys/net");
	return 0;
}

/* Mount a fresh proc on target, hardened. */
int
vj_procfs_mount(const struct vj_mntctx *m, int target, const char *opts,
    struct vj_error *err)
{
	vj_autoclose int proc = vj_mnt_fs("proc", "proc", opts,
	    MS_NOSUID | MS_NODEV | MS_NOEXEC, err);

	if (proc < 0 || vj_mnt_attach(proc, target, err) < 0)
		return vj_err_wrap(err, "mount.procfs");
	return proc_harden(m, proc, err);
}

/* Mount a fresh sysfs on target, read-only and masked. */
int
vj_sysfs_mount(const struct vj_mntctx *m, int target, struct vj_error *err)
{
	vj_autoclose int sys = vj_mnt_fs("sysfs", "sysfs", NULL, MS_RDONLY |
	    MS_NOSUID | MS_NODEV | MS_NOEXEC, err);

	if (sys < 0 || vj_mnt_attach(sys, target, err) < 0)
		return vj_err_wrap(err, "mount /sys");
	return mask_all(m, sys, sys_masked, err);
}

/* Make the host's /sys tree read-only and masked. */
int
vj_sysfs_harden(const struct vj_mntctx *m, int sysfd, struct vj_error *err)
{
	if (vj_mnt_setattr(sysfd, true, MS_RDONLY | MS_NOSUID | MS_NODEV |
	    MS_NOEXEC, 0, err) < 0)
		return vj_err_wrap(err, "read-only /sys");
	if (mask_all(m, sysfd, sys_masked, err) < 0)
		return -1;
	return mask_all(m, sysfd, sys_mounts_masked, err);
}
