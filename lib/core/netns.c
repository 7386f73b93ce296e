/*
 * netns.c: new network namespaces, as descriptors.
 *
 * vj_netns_new makes one with a short-lived child (clone, open, exit).
 * vj_netns_owned makes one owned by a user namespace that is not the
 * host's (net.c's owned stack).  A child per namespace cost 0.5 ms here,
 * twice the namespace itself, so a creator keeps one maker: a task in a
 * user namespace of its own that makes the next namespace ahead, hands
 * it over a socket and makes another.  Every jail of a creator shares
 * that user namespace; sharing it gives jailed root nothing: it has every
 * right in any user namespace the host's root made, by the kernel's owner
 * rule, and reaches none but its own stack.
 *
 * The maker shares the creator's memory but has a descriptor table of its
 * own, with only its socket in it, so that it holds nothing of the
 * creator's alive; it leaves when the creator closes its end (at
 * vj_ctx_free, or when the creator dies).  It always sits in the
 * namespace it will hand over next, never in one already handed over,
 * which would keep that jail's stack (and its links) alive.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "netns.h"
#include "rawsys.h"
#include "util.h"

#define MAKER_STACK	(32 * 1024)
#define MAKER_GUARD	4096	/* below the stack, never mapped */

/* A creator's maker (ctx->netns_maker). */
struct vj_netns_maker {
	pid_t	 owner;		/* the process it serves */
	pid_t	 pid;
	int	 sock;
	void	*stack;
};

/* The child of vj_netns_new: open the namespace it was born in. */
static int
open_own_netns(void *arg)
{
	int *fd = arg;

	*fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	*(fd + 1) = *fd < 0 ? errno : 0;
	return 0;
}

/* A new network namespace; the child shares our memory and descriptors,
 * and we are suspended until it exits, as with vfork. */
int
vj_netns_new(unsigned long extra)
{
	char stack[16384] __attribute__((aligned(16)));
	int out[2] = { -1, EIO };
	pid_t pid;

	pid = clone(open_own_netns, stack + sizeof(stack), CLONE_VM |
	    CLONE_FILES | CLONE_VFORK | CLONE_NEWNET | (int)extra | SIGCHLD,
	    out);
	if (pid < 0)
		return -1;
	waitpid(pid, NULL, __WALL);
	errno = out[1];
	return out[0];
}

/* In the maker: move into a new namespace and open it; the descriptor,
 * or -errno. */
static long VJ_NO_TLS
make_next(void)
{
	long rc = vj_raw(SYS_unshare, CLONE_NEWNET, 0, 0, 0);

	if (rc < 0)
		return rc;
	return vj_raw(SYS_openat, AT_FDCWD, (long)"/proc/self/ns/net",
	    O_RDONLY | O_CLOEXEC, 0);
}

/* In the maker: send the namespace (or the error) made ahead; 0 or a
 * negative errno. */
static long VJ_NO_TLS
hand_over(int sock, long made)
{
	union {
		char		buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr	align;
	} u;
	int errnum = made < 0 ? (int)-made : 0;
	struct iovec iov = { &errnum, sizeof(errnum) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	if (made >= 0) {
		msg.msg_control = u.buf;
		msg.msg_controllen = sizeof(u.buf);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		*(int *)(void *)CMSG_DATA(c) = (int)made;
	}
	return vj_raw(SYS_sendmsg, sock, (long)&msg, MSG_NOSIGNAL, 0);
}

/* The maker: one namespace ahead, one handed over per request.  It
 * leaves when it cannot go on without staying in a namespace it handed
 * over (that would keep the jail's stack alive): the creator then sees
 * the socket close and makes that one the old way. */
static int VJ_NO_TLS
maker_main(void *arg)
{
	int sock = *(int *)arg;
	long made;
	char c;

	if (sock > 0)
		vj_raw(SYS_close_range, 0, sock - 1, 0, 0);
	vj_raw(SYS_close_range, sock + 1, ~0U, 0, 0);
	made = make_next();
	while (vj_raw(SYS_read, sock, (long)&c, 1, 0) == 1) {
		/* Still in the creator's namespace: an error made ahead may
		 * be gone by now (a limit, memory); try again. */
		if (made < 0)
			made = make_next();
		if (hand_over(sock, made) < 0)
			break;
		if (made < 0)
			continue;
		vj_raw(SYS_close, made, 0, 0, 0);
		if ((made = make_next()) < 0)
			break;
	}
	vj_raw(SYS_exit, 0, 0, 0, 0);
	return 0;
}

/* Forget a maker: end it if it is ours, or drop a copy a fork left.
 * The owner shuts the socket down rather than only closing it: a forked
 * child may hold a copy open, and the maker would wait for ever. */
static void
maker_drop(struct vj_netns_maker *m)
{
	pid_t rc;

	if (m->owner == getpid()) {
		shutdown(m->sock, SHUT_RDWR);
		do
			rc = waitpid(m->pid, NULL, __WALL);
		while (rc < 0 && errno == EINTR);
		/* Its stack is in our memory: unmapped only once it is gone. */
		if (rc == m->pid)
			munmap(m->stack, MAKER_STACK + MAKER_GUARD);
	}
	close(m->sock);
	free(m);
}

/* Clone the maker with every signal blocked: it inherits our handlers,
 * which must never run on its stack. */
static pid_t
maker_clone(int *arg)
{
	sigset_t all, old;
	pid_t pid;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	/* No exit signal: a creator's wait for its own children never
	 * reaps the maker. */
	pid = clone(maker_main, arg, VJ_SHARES_VM | CLONE_NEWUSER, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return pid;
}

/* Start the creator's maker; NULL with errno set. */
static struct vj_netns_maker *
maker_start(void)
{
	struct vj_netns_maker *m = calloc(1, sizeof(*m));
	int sp[2], *arg;
	char *base;

	if (m == NULL)
		return NULL;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0) {
		free(m);
		return NULL;
	}
	base = mmap(NULL, MAKER_STACK + MAKER_GUARD, PROT_NONE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (base == MAP_FAILED || mprotect(base + MAKER_GUARD, MAKER_STACK,
	    PROT_READ | PROT_WRITE) < 0) {
		if (base != MAP_FAILED)
			munmap(base, MAKER_STACK + MAKER_GUARD);
		close(sp[0]);
		close(sp[1]);
		free(m);
		return NULL;
	}
	m->stack = base;
	arg = (int *)(void *)(base + MAKER_GUARD + MAKER_STACK) - 4;
	*arg = sp[1];
	m->owner = getpid();
	m->sock = sp[0];
	m->pid = maker_clone(arg);
	close(sp[1]);
	if (m->pid < 0) {
		close(sp[0]);
		munmap(base, MAKER_STACK + MAKER_GUARD);
		free(m);
		return NULL;
	}
	return m;
}

/* Ask the maker for the namespace it made ahead: the descriptor, -1
 * with errno set (the maker could not make it), or -2 (no maker). */
static int
maker_take(struct vj_netns_maker *m)
{
	int errnum = 0, fd;
	ssize_t n;

	if (send(m->sock, "n", 1, MSG_NOSIGNAL) != 1)
		return -2;
	n = vj_recv_fds(m->sock, &errnum, sizeof(errnum), &fd, 1);
	if (n < 0 && errno == EMFILE)
		return -1;
	if (n != (ssize_t)sizeof(errnum))
		return -2;
	if (fd >= 0)
		return fd;
	errno = errnum != 0 ? errnum : EIO;
	return -1;
}

/* A new network namespace owned by the creator's user namespace; -1 with
 * errno set (a host that makes no user namespace: EPERM, ENOSPC...). */
int
vj_netns_owned(struct vj_ctx *ctx)
{
	int fd;

	if (ctx->netns_maker != NULL && ctx->netns_maker->owner != getpid()) {
		maker_drop(ctx->netns_maker);	/* a fork's copy */
		ctx->netns_maker = NULL;
	}
	if (ctx->netns_maker == NULL &&
	    (ctx->netns_maker = maker_start()) == NULL)
		return -1;
	fd = maker_take(ctx->netns_maker);
	if (fd != -2)
		return fd;
	/* The maker is gone (killed?): this one the old way. */
	maker_drop(ctx->netns_maker);
	ctx->netns_maker = NULL;
	return vj_netns_new(CLONE_NEWUSER);
}

/* End the creator's maker (vj_ctx_free). */
void
vj_netns_end(struct vj_ctx *ctx)
{
	if (ctx->netns_maker != NULL)
		maker_drop(ctx->netns_maker);
	ctx->netns_maker = NULL;
}
