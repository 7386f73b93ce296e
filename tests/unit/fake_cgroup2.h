/*
 * fake_cgroup2.h: a cgroup2 file system faked on a tmpfs, for unit tests
 * of the code that drives cgroup v2 (a cgroup2-only host is what most
 * hosts are; ours may be hybrid, and a real tree needs root).
 *
 * The test links with -Wl,--wrap=mkdir,--wrap=rmdir,--wrap=write so that
 * the library's calls land here.  Below the fake root they behave as the
 * kernel does:
 *   mkdir   makes cgroup.{controllers,subtree_control,procs,kill} and the
 *           interface files (pids.max, memory.max, cpu.max...) of the
 *           controllers the parent enables, and nothing else;
 *   write   to subtree_control takes "+ctl"/"-ctl" (ENOENT if ctl is not in
 *           cgroup.controllers, EBUSY if the group holds processes: "no
 *           internal processes") and lists the result; to cgroup.procs
 *           adds a pid; to cgroup.kill "1" empties cgroup.procs; to any
 *           other file replaces its value;
 *   rmdir   fails with EBUSY while processes or child groups remain, and
 *           otherwise takes the interface files with it.
 * Every write below the root is logged as "relative/path=value".
 */
#ifndef VJ_FAKE_CGROUP2_H
#define VJ_FAKE_CGROUP2_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int	__real_mkdir(const char *, mode_t);
int	__real_rmdir(const char *);
ssize_t	__real_write(int, const void *, size_t);
int	__wrap_mkdir(const char *, mode_t);
int	__wrap_rmdir(const char *);
ssize_t	__wrap_write(int, const void *, size_t);

static char fcg_root[PATH_MAX];		/* the fake mount point, "" if off */
static char fcg_log[8192];		/* the writes, one a line */
static const char *fcg_refuse;		/* a controller "+ctl" fails EBUSY for */

/* The interface files each controller adds, with the kernel's defaults. */
static const char *const fcg_files[][2] = {
	{ "pids.max", "max" }, { "pids.current", "0" },
	{ "memory.max", "max" }, { "memory.high", "max" },
	{ "memory.swap.max", "max" }, { "memory.current", "0" },
	{ "cpu.max", "max 100000" }, { "cpu.weight", "100" },
};

/* Is path below the fake root?  *rel is what follows the root's "/". */
static bool
fcg_below(const char *path, const char **rel)
{
	size_t n = strlen(fcg_root);

	if (n == 0 || strncmp(path, fcg_root, n) != 0 ||
	    (path[n] != '/' && path[n] != '\0'))
		return false;
	*rel = path[n] == '/' ? path + n + 1 : path + n;
	return true;
}

/* Make (or replace) a file below the fake root. */
static void
fcg_put(const char *dir, const char *file, const char *text)
{
	char path[PATH_MAX + 64];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		(void)!__real_write(fd, text, strlen(text));
		close(fd);
	}
}

/* Read a file of dir ("" if none). */
static void
fcg_get(const char *dir, const char *file, char *buf, size_t len)
{
	char path[PATH_MAX + 64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	buf[0] = '\0';
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	n = read(fd, buf, len - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
}

/* Is ctl a word of a list? */
static bool
fcg_listed(const char *list, const char *ctl)
{
	size_t n = strlen(ctl);
	const char *p;

	for (p = strstr(list, ctl); p != NULL; p = strstr(p + 1, ctl))
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' ||
		    p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

/* Give a group what its parent's subtree_control enables. */
static void
fcg_populate(const char *dir)
{
	char parent[PATH_MAX], on[256];
	size_t i;

	snprintf(parent, sizeof(parent), "%s", dir);
	*strrchr(parent, '/') = '\0';
	fcg_get(parent, "cgroup.subtree_control", on, sizeof(on));
	fcg_put(dir, "cgroup.controllers", on);
	for (i = 0; i < sizeof(fcg_files) / sizeof(fcg_files[0]); i++) {
		char ctl[32];

		snprintf(ctl, sizeof(ctl), "%.*s",
		    (int)strcspn(fcg_files[i][0], "."), fcg_files[i][0]);
		if (fcg_listed(on, ctl)) {
			char path[PATH_MAX + 64];

			snprintf(path, sizeof(path), "%s/%s", dir,
			    fcg_files[i][0]);
			if (access(path, F_OK) < 0)
				fcg_put(dir, fcg_files[i][0], fcg_files[i][1]);
		}
	}
}

/* Repopulate the child groups of dir (its subtree_control changed). */
static void
fcg_populate_children(const char *dir)
{
	char path[PATH_MAX + 300];
	struct dirent *e;
	DIR *d = opendir(dir);

	while (d != NULL && (e = readdir(d)) != NULL)
		if (e->d_type == DT_DIR && e->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			fcg_populate(path);
		}
	if (d != NULL)
		closedir(d);
}

/* The kernel's mkdir in a cgroup2 tree. */
int
__wrap_mkdir(const char *path, mode_t mode)
{
	const char *rel;

	if (__real_mkdir(path, mode) < 0)
		return -1;
	if (fcg_below(path, &rel) && *rel != '\0') {
		fcg_put(path, "cgroup.subtree_control", "");
		fcg_put(path, "cgroup.procs", "");
		fcg_put(path, "cgroup.kill", "");
		fcg_populate(path);
	}
	return 0;
}

/* Does a group have child groups? */
static bool
fcg_has_children(const char *dir)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	bool found = false;

	while (d != NULL && !found && (e = readdir(d)) != NULL)
		found = e->d_type == DT_DIR && e->d_name[0] != '.';
	if (d != NULL)
		closedir(d);
	return found;
}

/* The kernel's rmdir: only an empty group goes, with its files. */
int
__wrap_rmdir(const char *path)
{
	char procs[256], file[PATH_MAX + 300];
	struct dirent *e;
	const char *rel;
	DIR *d;

	if (!fcg_below(path, &rel) || access(path, F_OK) < 0)
		return __real_rmdir(path);
	fcg_get(path, "cgroup.procs", procs, sizeof(procs));
	if (procs[0] != '\0' || fcg_has_children(path)) {
		errno = EBUSY;
		return -1;
	}
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_type == DT_REG) {
			snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
			unlink(file);
		}
	closedir(d);
	return __real_rmdir(path);
}

/* "+ctl" or "-ctl" written to dir's subtree_control. */
static int
fcg_subtree(const char *dir, const char *text)
{
	char avail[256], on[256], procs[256], next[256] = "", ctl[64];
	const char *w;

	fcg_get(dir, "cgroup.controllers", avail, sizeof(avail));
	fcg_get(dir, "cgroup.subtree_control", on, sizeof(on));
	fcg_get(dir, "cgroup.procs", procs, sizeof(procs));
	snprintf(ctl, sizeof(ctl), "%s", text + 1);
	if ((text[0] != '+' && text[0] != '-') || !fcg_listed(avail, ctl))
		return errno = ENOENT, -1;
	if ((strcmp(dir, fcg_root) != 0 && procs[0] != '\0') ||
	    (fcg_refuse != NULL && strcmp(fcg_refuse, ctl) == 0))
		return errno = EBUSY, -1;
	for (w = strtok(avail, " \n"); w != NULL; w = strtok(NULL, " \n"))
		if (strcmp(w, ctl) == 0 ? text[0] == '+' : fcg_listed(on, w))
			snprintf(next + strlen(next), sizeof(next) -
			    strlen(next), "%s%s", next[0] ? " " : "", w);
	fcg_put(dir, "cgroup.subtree_control", next);
	fcg_populate_children(dir);
	return 0;
}

/* A write to a control file, as the kernel takes it. */
static int
fcg_control(const char *path, const char *rel, const char *text)
{
	char dir[PATH_MAX], old[256];
	const char *file = strrchr(path, '/') + 1;

	snprintf(dir, sizeof(dir), "%.*s", (int)(file - 1 - path), path);
	snprintf(fcg_log + strlen(fcg_log), sizeof(fcg_log) - strlen(fcg_log),
	    "%s=%s\n", rel, text);
	if (strcmp(file, "cgroup.subtree_control") == 0)
		return fcg_subtree(dir, text);
	if (strcmp(file, "cgroup.procs") == 0) {
		fcg_get(dir, file, old, sizeof(old));
		snprintf(old + strlen(old), sizeof(old) - strlen(old), "%s\n",
		    text);
		fcg_put(dir, file, old);
	} else if (strcmp(file, "cgroup.kill") == 0 && strcmp(text, "1") == 0)
		fcg_put(dir, "cgroup.procs", "");
	else
		fcg_put(dir, file, text);
	return 0;
}

/* The kernel's write to a cgroup file; other writes go through. */
ssize_t
__wrap_write(int fd, const void *buf, size_t len)
{
	char link[64], path[PATH_MAX], text[256];
	const char *rel;
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0 || len >= sizeof(text))
		return __real_write(fd, buf, len);
	path[n] = '\0';
	if (!fcg_below(path, &rel))
		return __real_write(fd, buf, len);
	snprintf(text, sizeof(text), "%.*s", (int)len, (const char *)buf);
	return fcg_control(path, rel, text) < 0 ? -1 : (ssize_t)len;
}

#endif
