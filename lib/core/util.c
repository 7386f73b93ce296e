/* util.c: small I/O and parsing helpers. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* Write a whole buffer, retrying on EINTR and short writes. */
int
vj_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read until EOF or len bytes; returns the count or -1. */
ssize_t
vj_read_all(int fd, void *buf, size_t len)
{
	char *p = buf;
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read(fd, p + got, len - got);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* Write a string to a file such as /proc/PID/uid_map. */
int
vj_write_file(const char *path, const char *text)
{
	vj_autoclose int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	return vj_write_all(fd, text, strlen(text));
}

/* Read a small file into a NUL-terminated buffer. */
ssize_t
vj_read_file(const char *path, char *buf, size_t len)
{
	vj_autoclose int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = vj_read_all(fd, buf, len - 1);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

/* Parse a decimal integer within [min, max]. */
int
vj_parse_int(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtol(s, &end, 0);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* FNV-1a hash of a string. */
size_t
vj_hash_str(const char *s)
{
	size_t h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* mkdir -p: create every missing component of path. */
int
vj_mkdir_p(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	char *p;

	if (strlen(path) >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(buf, path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

/* Receive one message of up to len bytes into buf and up to nfds
 * descriptors (close-on-exec) into fds, the missing ones -1; the bytes
 * received, or -1 with errno set.  Descriptors the kernel had to drop
 * (we hold too many) fail with EMFILE, none kept. */
ssize_t
vj_recv_fds(int sock, void *buf, size_t len, int *fds, size_t nfds)
{
	union {
		char		buf[CMSG_SPACE(VJ_RECV_FDS_MAX * sizeof(int))];
		struct cmsghdr	align;
	} u;
	struct iovec iov = { buf, len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c;
	size_t i, got = 0;
	ssize_t n;

	for (i = 0; i < nfds; i++)
		fds[i] = -1;
	do
		n = recvmsg(sock, &m, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	c = n >= 0 ? CMSG_FIRSTHDR(&m) : NULL;
	if (c != NULL && c->cmsg_level == SOL_SOCKET &&
	    c->cmsg_type == SCM_RIGHTS) {
		got = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < got; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(fd));
			if (i < nfds)
				fds[i] = fd;
			else
				close(fd);
		}
	}
	if (n >= 0 && (m.msg_flags & MSG_CTRUNC)) {
		for (i = 0; i < nfds; i++)
			if (fds[i] >= 0)
				close(fds[i]);
		errno = EMFILE;
		return -1;
	}
	return n;
}
