/*
 * checks_fs.c: checks 1-18 of security.md §3.3: the file system view,
 * mounts, masks, devices, descriptors and the working directory.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "probe.h"

/* Default /dev of devfs ruleset 4. */
static const char dev_ruleset4[] =
	"fd full null ptmx pts random shm stderr stdin stdout tty urandom zero";

/* A fresh directory under /tmp (removed by the caller). */
static char *
tmpdir(void)
{
	static char path[64];

	snprintf(path, sizeof(path), "/tmp/.probe.XXXXXX");
	return mkdtemp(path);
}

/* 1: chroot inside the jail cannot climb out of the pivoted root. */
static void
c_chroot(int n)
{
	char *dir;
	pid_t pid;
	int i, st;

	if (!opt.rootfs || opt.marker == NULL)
		return skip(n, "path=/ is the host's tree", "chroot escape");
	if ((dir = tmpdir()) == NULL)
		return tap(false, n, "chroot escape: mkdtemp failed");
	pid = fork();
	if (pid == 0) {
		if (chroot(dir) < 0)
			_exit(2);	/* no chroot at all: contained */
		for (i = 0; i < 64; i++)
			if (chdir("..") < 0)
				break;
		if (chroot(".") < 0)
			_exit(3);
		_exit(access(opt.marker, F_OK) == 0 ? 1 : 0);
	}
	st = reap(pid);
	rmdir(dir);
	tap(st == 0 || st == 2, n, "chroot escape: host marker unreachable "
	    "(child status %d)", st);
}

/* Is a mount point one the jail itself has? */
static bool
jail_mount(const char *mp)
{
	static const char *const ok[] = { "/", "/dev", "/dev/pts", "/dev/shm",
	    "/proc", "/run/vjail", "/sys", NULL };
	const char *const *p;

	/* Masks of /proc and /sys; device nodes bound from the host. */
	if (strncmp(mp, "/proc/", 6) == 0 || strncmp(mp, "/sys/", 5) == 0 ||
	    strncmp(mp, "/dev/", 5) == 0)
		return true;
	for (p = ok; *p != NULL; p++)
		if (strcmp(*p, mp) == 0)
			return true;
	return false;
}

/* 2: only the jail's own mounts are listed. */
static void
c_mounts(int n)
{
	char line[4096], mp[1024];
	int bad = 0, total = 0;
	FILE *f;

	if (!opt.rootfs)
		return skip(n, "path=/ shows the host's mounts, as on FreeBSD",
		    "host mounts hidden");
	f = fopen("/proc/self/mountinfo", "re");
	if (f == NULL)
		return skip(n, "no /proc in this jail", "host mounts hidden");
	while (fgets(line, sizeof(line), f) != NULL) {
		total++;
		if (sscanf(line, "%*s %*s %*s %*s %1023s", mp) == 1 &&
		    !jail_mount(mp)) {
			bad++;
			fprintf(stderr, "# host mount visible: %s\n", mp);
		}
	}
	fclose(f);
	tap(bad == 0, n, "host mounts hidden: %d of %d mounts foreign", bad,
	    total);
}

/* 3: mount, fsopen and open_tree are refused without allow.mount. */
static void
c_mount(int n)
{
	bool may = opt.may_mount || opt.nesting;
	char *dir = tmpdir();
	long rc;

	if (dir == NULL)
		return tap(false, n, "mount: mkdtemp failed");
	CALL(rc, mount("probe", dir, "tmpfs", 0, NULL));
	want(n, may, "mount tmpfs", rc, errno, ERRS(EPERM));
	if (rc == 0)
		umount2(dir, MNT_DETACH);
	rmdir(dir);
	CALL(rc, syscall(SYS_fsopen, "tmpfs", 0));
	want(n, may, "fsopen tmpfs", rc, errno, ERRS(EPERM));
	if (rc >= 0)
		close((int)rc);
	CALL(rc, syscall(SYS_open_tree, AT_FDCWD, "/", 1 /* CLONE */));
	want(n, may, "open_tree clone /", rc, errno, ERRS(EPERM));
	if (rc >= 0)
		close((int)rc);
}

/* 4: the masks over /proc stay. */
static void
c_unmask(int n)
{
	long rc;

	if (opt.may_mount || opt.nesting)
		return skip(n, "jailed root may unmount here", "masks stay");
	if (access("/proc/self", F_OK) < 0)
		return skip(n, "no /proc in this jail", "masks stay");
	CALL(rc, umount2("/proc/keys", 0));
	want_err(n, "umount /proc/keys", rc, errno, ERRS(EPERM));
	CALL(rc, umount2("/proc/sys", MNT_DETACH));
	want_err(n, "umount /proc/sys", rc, errno, ERRS(EPERM));
}

/* 5: no nested user namespace to mount a bare proc from. */
static void
c_nested_proc(int n)
{
	pid_t pid;
	int st;

	if (opt.nesting)
		return skip(n, "children.max allows namespaces", "nested proc");
	pid = fork();
	if (pid == 0)
		_exit(unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0 &&
		    errno == EPERM ? 0 : 1);
	st = reap(pid);
	tap(st == 0, n, "unshare(NEWUSER|NEWNS): %s", st == 0 ? "EPERM" :
	    "not refused");
}

/* Assert that opening a file for writing fails. */
static void
no_write(int n, const char *path, const int *errs)
{
	char what[256];
	long rc;

	snprintf(what, sizeof(what), "write %s", path);
	CALL(rc, open(path, O_WRONLY | O_CLOEXEC));
	want_err(n, what, rc, errno, errs);
	if (rc >= 0)
		close((int)rc);
}

/* 6: /proc/sys and sysrq are read-only. */
static void
c_proc_sys(int n)
{
	if (access("/proc/self", F_OK) < 0)
		return skip(n, "no /proc in this jail", "/proc/sys read-only");
	no_write(n, "/proc/sys/kernel/core_pattern", ERRS(EROFS, EACCES));
	/* Absent when the kernel has no magic sysrq. */
	no_write(n, "/proc/sysrq-trigger", ERRS(EROFS, EACCES, ENOENT));
}

/* Is a directory empty (or absent)? */
static bool
empty_dir(const char *path)
{
	struct dirent *de;
	DIR *d = opendir(path);
	int count = 0;

	if (d == NULL)
		return errno == ENOENT;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			count++;
	closedir(d);
	return count == 0;
}

/* 7: masked files read empty, masked directories list nothing. */
static void
c_masked(int n)
{
	static const char *const files[] = { "/proc/kcore", "/proc/keys",
	    "/proc/timer_list", "/proc/sched_debug", "/proc/interrupts",
	    NULL };
	static const char *const dirs[] = { "/proc/acpi", "/proc/scsi",
	    "/sys/firmware", NULL };
	const char *const *p;
	char buf[256];
	long len;

	if (access("/proc/self", F_OK) < 0)
		return skip(n, "no /proc in this jail", "masked files empty");
	for (p = files; *p != NULL; p++) {
		len = slurp(*p, buf, sizeof(buf));
		tap(len <= 0 && (len == 0 || errno == ENOENT), n,
		    "%s: %s", *p, len == 0 ? "empty" : len < 0 ? "absent" :
		    "has content");
	}
	for (p = dirs; *p != NULL; p++)
		tap(empty_dir(*p), n, "%s: empty or absent", *p);
}

/* 8: /sys is read-only (or not there at all). */
static void
c_sys_ro(int n)
{
	long rc;

	no_write(n, "/sys/kernel/mm/ksm/run", ERRS(EROFS, EACCES, ENOENT));
	CALL(rc, open("/sys/kernel/probe-x", O_WRONLY | O_CREAT, 0600));
	want_err(n, "create in /sys/kernel", rc, errno,
	    ERRS(EROFS, EACCES, ENOENT));
}

/* 9: no cgroup v1 mount for a release_agent (CVE-2022-0492). */
static void
c_release_agent(int n)
{
	char path[512], *dir;
	struct dirent *de;
	DIR *d;
	long rc;

	if (!opt.may_mount && !opt.nesting && (dir = tmpdir()) != NULL) {
		CALL(rc, mount("c", dir, "cgroup", 0, "rdma"));
		want_err(n, "mount cgroup v1", rc, errno, ERRS(EPERM));
		if (rc == 0)
			umount2(dir, MNT_DETACH);
		rmdir(dir);
	}
	d = opendir("/sys/fs/cgroup");
	while (d != NULL && (de = readdir(d)) != NULL) {
		snprintf(path, sizeof(path), "/sys/fs/cgroup/%s/release_agent",
		    de->d_name);
		if (access(path, F_OK) == 0)
			no_write(n, path, ERRS(EROFS, EACCES));
	}
	if (d != NULL)
		closedir(d);
}

/* 10: cgroupfs cannot be written. */
static void
c_cgroupfs(int n)
{
	no_write(n, "/sys/fs/cgroup/cgroup.procs", ERRS(EROFS, EACCES, ENOENT));
	no_write(n, "/sys/fs/cgroup/unified/cgroup.procs",
	    ERRS(EROFS, EACCES, ENOENT));
	skip(n, "no cgroup namespace: cgroups are the cgroup subsystem's",
	    "/proc/self/cgroup is 0::/");
}

/* Sort compare for names. */
static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort n names into buf, space separated, freeing them. */
static void
join_sorted(char **names, size_t n, char *buf, size_t len)
{
	size_t i;

	qsort(names, n, sizeof(names[0]), by_name);
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			strncat(buf, " ", len - strlen(buf) - 1);
		strncat(buf, names[i], len - strlen(buf) - 1);
		free(names[i]);
	}
}

/* Sort the space-separated words of buf in place. */
static void
sort_words(char *buf, size_t len)
{
	char *names[64], *w, *save = NULL;
	size_t n = 0;

	for (w = strtok_r(buf, " ", &save); w != NULL && n < 64;
	    w = strtok_r(NULL, " ", &save))
		names[n++] = strdup(w);
	join_sorted(names, n, buf, len);
}

/* The expected /dev, space separated. */
static void
expected_dev(char *buf, size_t len)
{
	char *c;

	if (opt.devlist != NULL) {	/* "a,b,c"; "none": an empty /dev */
		snprintf(buf, len, "%s", strcmp(opt.devlist, "none") ?
		    opt.devlist : "");
		for (c = buf; (c = strchr(c, ',')) != NULL; c++)
			*c = ' ';
		return;
	}
	snprintf(buf, len, "%s", dev_ruleset4);
	if (allowed("vmm"))
		strncat(buf, " kvm", len - strlen(buf) - 1);
	if (allowed("mount.fusefs"))
		strncat(buf, " fuse", len - strlen(buf) - 1);
	sort_words(buf, len);
}

/* /dev's entries, sorted, space separated. */
static void
actual_dev(char *buf, size_t len)
{
	char *names[256];
	struct dirent *de;
	DIR *d = opendir("/dev");
	size_t k = 0;

	while (d != NULL && (de = readdir(d)) != NULL && k < 256)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			names[k++] = strdup(de->d_name);
	if (d != NULL)
		closedir(d);
	join_sorted(names, k, buf, len);
}

/* 11: /dev holds exactly the ruleset's nodes. */
static void
c_dev(int n)
{
	char want_list[1024], got[4096];

	expected_dev(want_list, sizeof(want_list));
	actual_dev(got, sizeof(got));
	tap(strcmp(want_list, got) == 0, n, "/dev is [%s]%s%s%s", got,
	    strcmp(want_list, got) ? ", wanted [" : "",
	    strcmp(want_list, got) ? want_list : "",
	    strcmp(want_list, got) ? "]" : "");
}

/* 12: mknod of a disk is refused. */
static void
c_mknod(int n)
{
	char *dir = tmpdir(), path[96];
	long rc;

	if (dir == NULL)
		return tap(false, n, "mknod: mkdtemp failed");
	snprintf(path, sizeof(path), "%s/sda", dir);
	CALL(rc, mknod(path, S_IFBLK | 0600, makedev(8, 0)));
	want_err(n, "mknod block 8:0", rc, errno, ERRS(EPERM));
	unlink(path);
	rmdir(dir);
}

/* 13: no raw disk, memory or port device. */
static void
c_rawdev(int n)
{
	static const char *const devs[] = { "/dev/sda", "/dev/vda",
	    "/dev/nvme0n1", "/dev/mem", "/dev/kmem", "/dev/port", "/dev/kmsg",
	    NULL };
	const char *const *p;
	char what[64];
	long rc;

	for (p = devs; *p != NULL; p++) {
		snprintf(what, sizeof(what), "open %s", *p);
		CALL(rc, open(*p, O_RDONLY | O_CLOEXEC));
		want_err(n, what, rc, errno, ERRS(ENOENT));
		if (rc >= 0)
			close((int)rc);
	}
}

/* 14: open_by_handle_at (shocker) is refused. */
static void
c_handle(int n)
{
	struct { struct file_handle fh; unsigned char b[128]; } h;
	int mnt = -1;
	long rc;

	h.fh.handle_bytes = sizeof(h.b);
	if (name_to_handle_at(AT_FDCWD, "/", &h.fh, &mnt, 0) < 0)
		h.fh.handle_bytes = 8;	/* try a bogus one anyway */
	CALL(rc, open_by_handle_at(AT_FDCWD, &h.fh, O_RDONLY));
	want_err(n, "open_by_handle_at", rc, errno, ERRS(EPERM));
	if (rc >= 0)
		close((int)rc);
}

/* 15: nothing but 0, 1 and 2 was inherited. */
static void
c_fds(int n)
{
	struct dirent *de;
	DIR *d = opendir("/proc/self/fd");
	char extra[256] = "";
	int fd;

	if (d == NULL)
		return skip(n, "no /proc in this jail", "no leaked descriptors");
	while ((de = readdir(d)) != NULL) {
		fd = atoi(de->d_name);
		if (de->d_name[0] == '.' || fd <= 2 || fd == dirfd(d))
			continue;
		strncat(extra, " ", sizeof(extra) - strlen(extra) - 1);
		strncat(extra, de->d_name, sizeof(extra) - strlen(extra) - 1);
	}
	closedir(d);
	tap(extra[0] == '\0', n, "descriptors: 0 1 2 only%s%s",
	    extra[0] ? ", extra:" : "", extra);
}

/* 16: the working directory is inside the jail. */
static void
c_cwd(int n)
{
	char cwd[4096], link[4096];
	long len;

	tap(getcwd(cwd, sizeof(cwd)) != NULL, n, "getcwd works");
	len = readlink("/proc/self/cwd", link, sizeof(link) - 1);
	if (len < 0)
		return skip(n, "no /proc in this jail", "cwd reachable");
	link[len] = '\0';
	tap(strncmp(link, "(unreachable)", 13) != 0, n, "cwd is %s", link);
}

/* 17: the init's binary (the host's) can be neither read nor written. */
static void
c_helper_exe(int n)
{
	char link[256];
	long rc;

	if (access("/proc/1", F_OK) < 0)
		return skip(n, "no /proc in this jail", "helper binary sealed");
	CALL(rc, readlink("/proc/1/exe", link, sizeof(link)));
	want_err(n, "readlink /proc/1/exe", rc, errno, ERRS(EACCES, EPERM));
	CALL(rc, open("/proc/1/exe", O_WRONLY));
	want_err(n, "write /proc/1/exe", rc, errno,
	    ERRS(EACCES, EPERM, ETXTBSY));
	if (rc >= 0)
		close((int)rc);
}

/* 18: symlinked mount targets are refused at creation (host side). */
static void
c_symlink_targets(int n)
{
	skip(n, "checked from the host by tests/integration/security.sh",
	    "symlinked mount targets refused");
}

const check_fn checks_fs[19] = {
	NULL, c_chroot, c_mounts, c_mount, c_unmask, c_nested_proc,
	c_proc_sys, c_masked, c_sys_ro, c_release_agent, c_cgroupfs, c_dev,
	c_mknod, c_rawdev, c_handle, c_fds, c_cwd, c_helper_exe,
	c_symlink_targets,
};
