/* proc.c: process identity helpers over /proc and pidfds. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "init.h"
#include "proc.h"
#include "util.h"

/* pidfd_open(2). */
int
vj_pidfd_open(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* pidfd_send_signal(2). */
int
vj_pidfd_signal(int pidfd, int sig)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

/* Field 22 of /proc/PID/stat; 0 if the process is gone or a zombie. */
unsigned long long
vj_proc_start(pid_t pid)
{
	char path[64], buf[1024], *p, state;
	unsigned long long start = 0;
	int field;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (pid <= 0 || vj_read_file(path, buf, sizeof(buf)) < 0)
		return 0;
	p = strrchr(buf, ')');	/* comm may hold spaces and parens */
	if (p == NULL || sscanf(p + 2, "%c", &state) != 1 || state == 'Z' ||
	    state == 'X')
		return 0;
	for (field = 3, p += 2; field < 22 && p != NULL; field++) {
		p = strchr(p, ' ');
		if (p != NULL)
			p++;
	}
	if (p == NULL || sscanf(p, "%llu", &start) != 1)
		return 0;
	return start;
}

/* The calling process's start time, read once per process (a creator
 * or remover stamps every record it touches with it). */
unsigned long long
vj_proc_self_start(void)
{
	static pid_t pid;
	static unsigned long long start;
	pid_t now = getpid();

	if (now != pid || start == 0) {
		start = vj_proc_start(now);
		pid = now;
	}
	return start;
}

/* Is (pid, start) a live process? */
bool
vj_proc_alive(pid_t pid, unsigned long long start)
{
	return start != 0 && vj_proc_start(pid) == start;
}

/* A pidfd for exactly (pid, start). */
int
vj_proc_pidfd(pid_t pid, unsigned long long start)
{
	int fd;

	if (pid <= 0) {
		errno = ESRCH;
		return -1;
	}
	fd = vj_pidfd_open(pid);
	if (fd < 0)
		return -1;
	/* Checked after opening: a later reuse of the pid cannot fool us. */
	if (!vj_proc_alive(pid, start)) {
		close(fd);
		errno = ESRCH;
		return -1;
	}
	return fd;
}

/* Inode of a process's pid namespace. */
unsigned long
vj_proc_pidns(const char *pid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%s/ns/pid", pid);
	if (stat(path, &st) < 0)
		return 0;
	return (unsigned long)st.st_ino;
}

/* Wait for the process behind a pidfd to exit. */
int
vj_proc_wait_exit(int pidfd, int ms)
{
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
	int n;

	do
		n = poll(&pfd, 1, ms);
	while (n < 0 && errno == EINTR);
	if (n == 1)
		return 0;
	if (n == 0)
		errno = ETIMEDOUT;
	return -1;
}

/* Count processes whose pid namespace is ino, except skip. */
int
vj_proc_count_in_pidns(unsigned long ino, pid_t skip, int sig)
{
	struct dirent *de;
	DIR *d = opendir("/proc");
	int n = 0;

	if (d == NULL || ino == 0) {
		if (d != NULL)
			closedir(d);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
		    atoi(de->d_name) == (int)skip)
			continue;
		if (vj_proc_pidns(de->d_name) != ino)
			continue;
		n++;
		if (sig != 0)
			kill(atoi(de->d_name), sig);
	}
	closedir(d);
	return n;
}

/* Open the directory of one pid below a jail's procfs, never crossing a
 * mount: the init may hold the jail's own /proc, and a jailed root that
 * may mount could put a file system (a FUSE one that never answers) over
 * /proc/PID.  Such a process is skipped here; it dies with its pid
 * namespace when the init does. */
static int
open_pid_dir(int procfd, const char *pid)
{
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_NO_XDEV | RESOLVE_NO_SYMLINKS |
		    RESOLVE_NO_MAGICLINKS,
	};
	int fd = (int)syscall(SYS_openat2, procfd, pid, &how, sizeof(how));

	if (fd < 0 && errno == ENOSYS)	/* before Linux 5.6 */
		fd = openat(procfd, pid, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
	return fd;
}

/* Count (and signal) the processes of a jail through its init's procfs
 * (on VJ_INIT_PROCFD, init.h):
 * every pid of that namespace but 1, signalled through its /proc/PID
 * directory (pidfd_send_signal takes one). */
int
vj_proc_count_via_init(int init_pidfd, int sig)
{
	struct dirent *de;
	DIR *d;
	int procfd, fd, n = 0;

	procfd = (int)syscall(SYS_pidfd_getfd, init_pidfd, VJ_INIT_PROCFD, 0);
	if (procfd < 0)
		return -1;
	d = fdopendir(procfd);
	if (d == NULL) {
		close(procfd);
		return -1;
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
		    strcmp(de->d_name, "1") == 0)
			continue;
		n++;
		if (sig == 0)
			continue;
		fd = open_pid_dir(dirfd(d), de->d_name);
		if (fd >= 0) {
			vj_pidfd_signal(fd, sig);
			close(fd);
		}
	}
	closedir(d);
	return n;
}
