/*
 * nest.c: making a jail below another from outside it ("jail -c
 * name=lab.web" on the host): the init is cloned from inside the
 * parent's namespaces, so its own are the parent's children (its pid
 * namespace nests, its mounts start from the parent's root).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "init.h"
#include "lifecycle.h"
#include "proc.h"
#include "util.h"

#define NEST_NS	(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | \
		 CLONE_NEWPID | CLONE_NEWCGROUP)

/* Send the init's pidfd and sync socket to the creator. */
static int
send_fds(int sock, int pidfd, int sync)
{
	char cbuf[CMSG_SPACE(2 * sizeof(int))], byte = 'i';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	int fds[2] = { pidfd, sync };

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(c), fds, sizeof(fds));
	return sendmsg(sock, &m, 0) == 1 ? 0 : -1;
}

/* Receive them, or the helper's error. */
static int
recv_fds(int sock, int *pidfd, int *sync, struct vj_error *err)
{
	struct vj_error herr;
	int fds[2];
	ssize_t n = vj_recv_fds(sock, &herr, sizeof(herr), fds, 2);

	if (n > 0 && fds[0] >= 0 && fds[1] >= 0) {
		*pidfd = fds[0];
		*sync = fds[1];
		return 0;
	}
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	if (n == (ssize_t)sizeof(herr)) {
		*err = herr;
		return -1;
	}
	return vj_err_set(err, EIO, "nested init: helper died");
}

/* The pid a pidfd refers to, in our pid namespace. */
static pid_t
pidfd_pid(int pidfd)
{
	char path[64], buf[2048], *p;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	if (vj_read_file(path, buf, sizeof(buf)) < 0 ||
	    (p = strstr(buf, "\nPid:")) == NULL)
		return -1;
	return (pid_t)atoi(p + 5);
}

/* In the helper: enter the parent (setns of a pid namespace only
 * places our children there, so fork once more), clone the init from
 * inside, hand it over. */
static void __attribute__((noreturn))
helper(struct vj_jail *j, struct vj_jail *p, int sock)
{
	struct vj_error err = { 0 };
	pid_t inside;
	int sync;

	if (setns(p->pidfd, NEST_NS) < 0)
		vj_err_sys(&err, "enter parent jail %s", p->name);
	else if ((inside = fork()) == 0) {
		if (vj_init_clone(j, &sync, &err) == 0 &&
		    send_fds(sock, j->pidfd, sync) == 0)
			_exit(0);
	} else if (inside > 0) {
		waitpid(inside, NULL, 0);
		_exit(0);
	} else
		vj_err_sys(&err, "fork");
	if (write(sock, &err, sizeof(err)) < 0)
		_exit(2);
	_exit(1);
}

/* Clone the init; below another jail than ours, through a helper that
 * lives in the parent's pid namespace (a new pid namespace can only be
 * made from one's own). */
int
vj_init_clone_under(struct vj_jail *j, int *syncfd, struct vj_error *err)
{
	struct vj_jail *p;
	int sp[2], rc = -1;
	pid_t pid;

	if (j->parent == j->ctx->self_jid)
		return vj_init_clone(j, syncfd, err);
	p = vj_jail_load(j->ctx, j->parent, err);
	if (p == NULL || vj_jail_pidfd(p, err) < 0 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		goto out;
	if ((pid = fork()) == 0) {
		close(sp[0]);
		helper(j, p, sp[1]);
	}
	close(sp[1]);
	if (pid > 0 && recv_fds(sp[0], &j->pidfd, syncfd, err) == 0) {
		j->init_pid = pidfd_pid(j->pidfd);
		j->init_start = vj_proc_start(j->init_pid);
		j->init_ns = j->ctx->self_pidns;
		rc = 0;
	} else if (pid < 0)
		vj_err_sys(err, "fork");
	if (pid > 0)
		waitpid(pid, NULL, 0);
	close(sp[0]);
out:
	vj_jail_free(p);
	return rc;
}
