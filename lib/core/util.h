/*
 * util.h: cleanup attributes and small helpers shared by the library.
 */
#ifndef VJ_UTIL_H
#define VJ_UTIL_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Free a pointer when it goes out of scope; errno is preserved. */
static inline void
vj_freep(void *p)
{
	int saved = errno;

	free(*(void **)p);
	errno = saved;
}

/* Close a descriptor when it goes out of scope; never retried on EINTR. */
static inline void
vj_closep(int *fd)
{
	int saved = errno;

	if (*fd >= 0)
		close(*fd);
	errno = saved;
}

/* Close a stdio stream when it goes out of scope. */
static inline void
vj_fclosep(FILE **f)
{
	int saved = errno;

	if (*f != NULL)
		fclose(*f);
	errno = saved;
}

#define vj_autofree	__attribute__((cleanup(vj_freep)))
#define vj_autoclose	__attribute__((cleanup(vj_closep)))
#define vj_autofile	__attribute__((cleanup(vj_fclosep)))

/* Hand a cleanup-owned pointer over to someone else. */
#define vj_steal(p) ({ __typeof__(p) _v = (p); (p) = NULL; _v; })
/* Hand a cleanup-owned descriptor over to someone else. */
#define vj_steal_fd(fd) ({ int _f = (fd); (fd) = -1; _f; })

#define VJ_ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

/* Write a whole buffer to a descriptor, retrying on EINTR and short writes. */
int	vj_write_all(int fd, const void *buf, size_t len);
/* Read up to len bytes, retrying on EINTR until EOF or len; returns bytes. */
ssize_t	vj_read_all(int fd, void *buf, size_t len);
/* Write a string to a file (e.g. under /proc or /sys). */
int	vj_write_file(const char *path, const char *text);
/* Read a small file into buf (NUL-terminated); returns length or -1. */
ssize_t	vj_read_file(const char *path, char *buf, size_t len);
/* Parse a decimal int in [min, max]; 0 on success, -1 otherwise. */
int	vj_parse_int(const char *s, long min, long max, long *out);
/* FNV-1a hash of a string, for tables keyed by names. */
size_t	vj_hash_str(const char *s);
/* mkdir -p with mode; existing directories are fine. */
int	vj_mkdir_p(const char *path, mode_t mode);
/* Receive a message and the descriptors passed with it (SCM_RIGHTS):
 * the bytes, or -1 with errno; fds[] gets -1 where none came. */
#define VJ_RECV_FDS_MAX	4
ssize_t	vj_recv_fds(int sock, void *buf, size_t len, int *fds, size_t nfds);

#endif
