/*
 * checks_fs.c: capability mode's cases about files: path calls refused,
 * calls on held descriptors allowed, *at calls allowed beneath a held
 * directory and refused from the working directory, exec, handles, and
 * Landlock's confinement to the directories held at cap_enter.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "capmode.h"

/* Every call that names a path from the working directory or the root. */
static void
c_path_calls(void)
{
	struct stat st;
	struct statfs sf;
	char buf[64];

	enter();
	DENIED(open("/etc/passwd", O_RDONLY));
	DENIED(syscall(SYS_open, "/etc/passwd", O_RDONLY));
	DENIED(syscall(SYS_creat, "/tmp/capmode-creat", 0600));
	DENIED(access("/etc/passwd", R_OK));
	DENIED(syscall(SYS_access, "/etc/passwd", R_OK));
	DENIED(stat("/etc/passwd", &st));
	DENIED(syscall(SYS_stat, "/etc/passwd", &st));
	DENIED(syscall(SYS_lstat, "/etc/passwd", &st));
	DENIED(statfs("/", &sf));
	DENIED(chdir("/"));
	DENIED(fchdir(env.dirfd));
	DENIED(syscall(SYS_chmod, env.dir, 0755));
	DENIED(syscall(SYS_chown, env.dir, 0, 0));
	DENIED(syscall(SYS_lchown, env.dir, 0, 0));
	DENIED(syscall(SYS_link, "/etc/passwd", "/tmp/capmode-link"));
	DENIED(syscall(SYS_unlink, "/tmp/capmode-none"));
	DENIED(syscall(SYS_rmdir, "/tmp/capmode-none"));
	DENIED(syscall(SYS_mkdir, "/tmp/capmode-none", 0700));
	DENIED(syscall(SYS_mknod, "/tmp/capmode-none", 0600 | S_IFIFO, 0));
	DENIED(syscall(SYS_readlink, "/proc/self/exe", buf, sizeof(buf)));
	DENIED(syscall(SYS_rename, "/tmp/a", "/tmp/b"));
	DENIED(syscall(SYS_symlink, "/etc", "/tmp/capmode-none"));
	DENIED(syscall(SYS_truncate, "/tmp/capmode-none", 0));
	DENIED(syscall(SYS_utimes, "/tmp/capmode-none", NULL));
	DENIED(syscall(SYS_acct, NULL));
	DENIED(syscall(SYS_getcwd, buf, sizeof(buf)));
	DENIED(syscall(SYS_inotify_add_watch, 0, "/", 0));
}

/* Calls on a held file or directory: allowed. */
static void
c_fd_calls(void)
{
	struct stat st;
	struct statfs sf;
	char buf[512];
	int d;

	enter();
	ALLOWED(fstat(env.filefd, &st));
	ALLOWED(fstatfs(env.filefd, &sf));
	ALLOWED(lseek(env.filefd, 0, SEEK_SET));
	ALLOWED(read(env.filefd, buf, 4));
	ALLOWED(pread(env.filefd, buf, 4, 0));
	ALLOWED(pwrite(env.filefd, "cap", 3, 0));
	ALLOWED(write(env.filefd, "x", 1));
	ALLOWED(fsync(env.filefd));
	ALLOWED(fdatasync(env.filefd));
	ALLOWED(ftruncate(env.filefd, 16));
	ALLOWED(fchmod(env.filefd, 0640));
	ALLOWED(fchown(env.filefd, geteuid(), getegid()));
	ALLOWED(flock(env.filefd, LOCK_EX));
	ALLOWED(fcntl(env.filefd, F_GETFL));
	d = ALLOWED(dup(env.filefd));
	ALLOWED(dup2(env.filefd, d));
	ALLOWED(dup3(env.filefd, d, O_CLOEXEC));
	ALLOWED(close(d));
	ALLOWED(syscall(SYS_getdents64, env.dirfd, buf, sizeof(buf)));
	ALLOWED(futimens(env.filefd, NULL));
	ALLOWED(fstatat(env.filefd, "", &st, AT_EMPTY_PATH));
}

/* *at calls from the working directory: refused. */
static void
c_at_cwd(void)
{
	struct stat st;
	struct statx sx;
	char buf[64];

	enter();
	DENIED(openat(AT_FDCWD, "f", O_RDONLY));
	DENIED(syscall(SYS_openat2, AT_FDCWD, "f", NULL, 0));
	DENIED(mkdirat(AT_FDCWD, "d", 0700));
	DENIED(mknodat(AT_FDCWD, "n", S_IFIFO | 0600, 0));
	DENIED(fstatat(AT_FDCWD, "f", &st, 0));
	DENIED(statx(AT_FDCWD, "f", 0, STATX_BASIC_STATS, &sx));
	DENIED(faccessat(AT_FDCWD, "f", R_OK, 0));
	DENIED(fchmodat(AT_FDCWD, "f", 0600, 0));
	DENIED(fchownat(AT_FDCWD, "f", 0, 0, 0));
	DENIED(utimensat(AT_FDCWD, "f", NULL, 0));
	DENIED(readlinkat(AT_FDCWD, "f", buf, sizeof(buf)));
	DENIED(unlinkat(AT_FDCWD, "f", 0));
	DENIED(symlinkat("f", AT_FDCWD, "l"));
	DENIED(linkat(AT_FDCWD, "f", env.dirfd, "l", 0));
	DENIED(linkat(env.dirfd, "f", AT_FDCWD, "l", 0));
	DENIED(renameat(AT_FDCWD, "f", env.dirfd, "g"));
	DENIED(renameat(env.dirfd, "f", AT_FDCWD, "g"));
	DENIED(syscall(SYS_execveat, AT_FDCWD, "/bin/true",
	    (char *[]){ "true", NULL }, (char *[]){ NULL }, 0));
}

/* *at calls beneath a held directory: allowed. */
static void
c_at_dirfd(void)
{
	struct stat st;
	struct statx sx;
	char buf[64];
	int fd, d = env.dirfd;

	enter();
	fd = ALLOWED(openat(d, "new", O_RDWR | O_CREAT | O_CLOEXEC, 0600));
	ALLOWED(write(fd, "new\n", 4));
	ALLOWED(fstatat(d, "new", &st, 0));
	ALLOWED(statx(d, "new", 0, STATX_BASIC_STATS, &sx));
	ALLOWED(faccessat(d, "new", R_OK, 0));
	ALLOWED(fchmodat(d, "new", 0644, 0));
	ALLOWED(fchownat(d, "new", geteuid(), getegid(), 0));
	ALLOWED(utimensat(d, "new", NULL, 0));
	ALLOWED(mkdirat(d, "dir", 0700));
	ALLOWED(mknodat(d, "fifo", S_IFIFO | 0600, 0));
	ALLOWED(symlinkat("new", d, "link"));
	ALLOWED(readlinkat(d, "link", buf, sizeof(buf)));
	ALLOWED(linkat(d, "new", d, "hard", 0));
	ALLOWED(renameat(d, "hard", d, "sub/moved"));
	ALLOWED(unlinkat(d, "sub/moved", 0));
	ALLOWED(unlinkat(d, "link", 0));
	ALLOWED(unlinkat(d, "fifo", 0));
	ALLOWED(unlinkat(d, "dir", AT_REMOVEDIR));
	ALLOWED(unlinkat(d, "new", 0));
	fd = ALLOWED(openat(d, "sub", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	ALLOWED(openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
}

/* Landlock: lookups that leave the held directories are refused. */
static void
c_landlock(void)
{
	if (env.landlock_abi < 1) {
		printf("# no Landlock: seccomp only, lookups not confined\n");
		return;
	}
	enter();
	FAILS_WITH(EACCES, openat(env.dirfd, "/etc/passwd", O_RDONLY));
	FAILS_WITH(EACCES, openat(env.dirfd, "..", O_RDONLY | O_DIRECTORY));
	FAILS_WITH(EACCES, openat(env.dirfd, "../../etc/passwd", O_RDONLY));
	FAILS_WITH(EACCES, openat(env.dirfd, "/tmp/capmode-new",
	    O_RDWR | O_CREAT, 0600));
	FAILS_WITH(EACCES, openat(env.dirfd, "/proc/self/status", O_RDONLY));
	ALLOWED(openat(env.dirfd, "f", O_RDONLY));
	ALLOWED(openat(env.dirfd, "sub", O_RDONLY | O_DIRECTORY));
}

/* execve is refused. */
static void
c_execve(void)
{
	char *argv[] = { "true", NULL }, *envp[] = { NULL };

	enter();
	DENIED(execve("/bin/true", argv, envp));
	DENIED(execve("/proc/self/exe", argv, envp));
}

/* A binary held before cap_enter runs with execveat (fexecve), and the
 * program it becomes is still in capability mode (capmode_test.c's
 * exec_child says so by its exit status). */
static void
c_execveat(void)
{
	char *argv[] = { "capmode_test", "--exec-child", NULL };
	char *envp[] = { NULL };

	enter();
	fflush(stdout);
	syscall(SYS_execveat, env.exefd, "", argv, envp, AT_EMPTY_PATH);
	printf("#   execveat of the held binary: %s\n", strerror(errno));
	exit(1);
}

/* File handles are a global namespace: refused. */
static void
c_handles(void)
{
	struct file_handle *fh = calloc(1, sizeof(*fh) + MAX_HANDLE_SZ);
	int mnt;

	fh->handle_bytes = MAX_HANDLE_SZ;
	if (name_to_handle_at(env.dirfd, "f", fh, &mnt, 0) < 0)
		printf("# name_to_handle_at before cap_enter: %s\n",
		    strerror(errno));
	enter();
	DENIED(name_to_handle_at(env.dirfd, "f", fh, &mnt, 0));
	DENIED(open_by_handle_at(env.dirfd, fh, O_RDONLY));
}

/* The rights calls fail honestly: ENOSYS, in or out of capability mode. */
static void
c_rights(void)
{
	cap_rights_t r = { { 0, 0 } };
	unsigned long cmds[1] = { 0 };
	uint32_t fr;

	FAILS_WITH(ENOSYS, cap_rights_limit(env.filefd, &r));
	enter();
	want_true("cap_rights_init gives NULL",
	    cap_rights_init(&r, CAP_READ) == NULL);
	FAILS_WITH(ENOSYS, cap_rights_limit(env.filefd, &r));
	FAILS_WITH(ENOSYS, cap_rights_get(env.filefd, &r));
	FAILS_WITH(ENOSYS, cap_ioctls_limit(env.filefd, cmds, 1));
	FAILS_WITH(ENOSYS, cap_fcntls_limit(env.filefd, CAP_FCNTL_GETFL));
	FAILS_WITH(ENOSYS, cap_fcntls_get(env.filefd, &fr));
}

const struct cm_case cases_fs[] = {
	{ "disallowed file syscalls", c_path_calls, 0 },
	{ "allowed file syscalls on held descriptors", c_fd_calls, 0 },
	{ "*at with AT_FDCWD denied", c_at_cwd, 0 },
	{ "*at with a held dirfd allowed", c_at_dirfd, 0 },
	{ "Landlock denies lookups outside the held dirs", c_landlock, 0 },
	{ "execve denied", c_execve, 0 },
	{ "execveat of a binary held before cap_enter", c_execveat, 0 },
	{ "open_by_handle_at, name_to_handle_at denied", c_handles, 0 },
	{ "rights calls fail with ENOSYS", c_rights, 0 },
	{ NULL, NULL, 0 }
};
