/* sock.c: the rtnetlink socket, the request queue (batches) and its acks. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <libmnl/libmnl.h>

#include "error.h"
#include "nlpriv.h"
#include "util.h"

#define NL_QMAX		64		/* requests a sendmsg carries: their
					   acks must fit the receive buffer */
#define NL_QSIZE	(32 * 1024)
#define NL_RSIZE	(32 * 1024)	/* the kernel fills dumps up to 32K */
#define NL_WHATMAX	128
#define NL_EXTMAX	512
#define NL_ALIASMAX	16
#define NL_QUERY_SEQ	0x80000000u	/* queries' seqs, apart from queued */

/* A queued request: its name for messages, and an errno that is fine. */
struct nl_entry {
	char	what[NL_WHATMAX];
	int	ok_errno;
	int	acked;
};

/* A link the open batch created with a pinned ifindex. */
struct nl_alias {
	char	name[IFNAMSIZ];
	int	ifindex;
};

struct vj_nl {
	struct mnl_socket	*sock;
	uint32_t		 seq;		/* next queue seq */
	uint32_t		 qseq;		/* next query seq */
	int			 batching;
	unsigned		 nfailed;	/* failures not reported yet */
	struct vj_error		 first;		/* the first of them */
	struct vj_nlbuf		 q;
	struct nl_entry		 ent[NL_QMAX];
	struct nl_alias		 alias[NL_ALIASMAX];
	unsigned		 nalias;
	char			 qmem[NL_QSIZE];
	char			 rbuf[NL_RSIZE];
};

/* Empty the queue (clearing only what was used); next seq is nl->seq. */
static void
queue_reset(struct vj_nl *nl)
{
	memset(nl->qmem, 0, nl->q.len);
	memset(nl->ent, 0, nl->q.count * sizeof(nl->ent[0]));
	nl->q.buf = nl->qmem;
	nl->q.size = sizeof(nl->qmem);
	nl->q.len = 0;
	nl->q.count = 0;
	nl->q.seq0 = nl->seq;
}

/* Turn on a netlink socket option; a kernel without it is fine. */
static void
sock_opt(struct mnl_socket *sock, int opt)
{
	int on = 1;

	(void)mnl_socket_setsockopt(sock, opt, &on, sizeof(on));
}

/* Open a handle in the calling thread's network namespace. */
struct vj_nl *
vj_nl_open(struct vj_error *err)
{
	struct vj_nl *nl = calloc(1, sizeof(*nl));

	if (nl == NULL) {
		vj_err_sys(err, "netlink handle");
		return NULL;
	}
	nl->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (nl->sock == NULL ||
	    mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		vj_err_sys(err, "open rtnetlink socket");
		vj_nl_close(nl);
		return NULL;
	}
	sock_opt(nl->sock, NETLINK_EXT_ACK);
	sock_opt(nl->sock, NETLINK_CAP_ACK);
	sock_opt(nl->sock, NETLINK_GET_STRICT_CHK);
	nl->seq = 1;
	nl->qseq = NL_QUERY_SEQ;
	queue_reset(nl);
	return nl;
}

/* Open a handle inside the network namespace netns_fd. */
struct vj_nl *
vj_nl_open_in(int netns_fd, struct vj_error *err)
{
	vj_autoclose int self = -1;
	struct vj_nl *nl;

	self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self == -1) {
		vj_err_sys(err, "open /proc/thread-self/ns/net");
		return NULL;
	}
	if (setns(netns_fd, CLONE_NEWNET) == -1) {
		vj_err_sys(err, "enter network namespace");
		return NULL;
	}
	nl = vj_nl_open(err);
	if (setns(self, CLONE_NEWNET) == -1) {
		vj_err_sys(err, "return to own network namespace "
		    "(thread left in the other)");
		vj_nl_close(nl);
		return NULL;
	}
	return nl;
}

/* Close a handle; errno is preserved. */
void
vj_nl_close(struct vj_nl *nl)
{
	int saved = errno;

	if (nl == NULL)
		return;
	if (nl->sock != NULL)
		mnl_socket_close(nl->sock);
	free(nl);
	errno = saved;
}

/* Fill err with a kernel failure of the request named what.  EXFULL
 * comes only from a bridge out of port numbers, and says nothing. */
static int
kernel_err(struct vj_error *err, int errnum, const char *what,
    const char *ext)
{
	return vj_nl_err(err, errnum, "%s: %s%s%s%s%s", what, strerror(errnum),
	    ext[0] != '\0' ? " (kernel: " : "", ext,
	    ext[0] != '\0' ? ")" : "", errnum == EXFULL ?
	    " (the bridge is full: a Linux bridge takes at most 1023 ports)" :
	    "");
}

/* Count a failed request; the first one is kept whole. */
static void
queue_fail(struct vj_nl *nl, int errnum, const char *what, const char *ext)
{
	if (nl->nfailed++ == 0)
		kernel_err(&nl->first, errnum, what, ext);
}

/* Fail every queued request that has no ack yet. */
static void
queue_fail_rest(struct vj_nl *nl, int errnum)
{
	unsigned i;

	for (i = 0; i < nl->q.count; i++) {
		if (nl->ent[i].acked)
			continue;
		nl->ent[i].acked = 1;
		queue_fail(nl, errnum, nl->ent[i].what, "");
	}
}

/* Take nlh if it acks a queued request; returns 1 if it did. */
static unsigned
queue_ack(struct vj_nl *nl, const struct nlmsghdr *nlh)
{
	uint32_t i = nlh->nlmsg_seq - nl->q.seq0;
	struct nl_entry *e;
	char ext[NL_EXTMAX];
	int errnum;

	if (nlh->nlmsg_type != NLMSG_ERROR || i >= nl->q.count ||
	    nl->ent[i].acked)
		return 0;
	e = &nl->ent[i];
	e->acked = 1;
	if (vj_nlmsg_ack(nlh, &errnum, ext, sizeof(ext)) == -1)
		queue_fail(nl, EBADMSG, e->what, "");
	else if (errnum != 0 && errnum != e->ok_errno)
		queue_fail(nl, errnum, e->what, ext);
	return 1;
}

/* Take the acks among the n bytes received; returns how many. */
static unsigned
queue_take_acks(struct vj_nl *nl, ssize_t n)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)nl->rbuf;
	int left = (int)n;
	unsigned got = 0;

	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left))
		got += queue_ack(nl, nlh);
	return got;
}

/* Read acks until every queued request has one. */
static void
queue_read_acks(struct vj_nl *nl)
{
	unsigned pending = nl->q.count;
	ssize_t n;

	while (pending > 0) {
		n = mnl_socket_recvfrom(nl->sock, nl->rbuf, sizeof(nl->rbuf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			queue_fail_rest(nl, errno);
			return;
		}
		pending -= queue_take_acks(nl, n);
	}
}

/* Send the queue, wait for every ack, and empty it; failures are counted. */
static void
queue_flush(struct vj_nl *nl)
{
	if (nl->q.count == 0)
		return;
	if (mnl_socket_sendto(nl->sock, nl->q.buf, nl->q.len) < 0)
		queue_fail_rest(nl, errno);
	else
		queue_read_acks(nl);
	nl->seq = nl->q.seq0 + nl->q.count;
	queue_reset(nl);
}

/* Move the failures counted so far into err; 0 if there were none. */
static int
take_failures(struct vj_nl *nl, struct vj_error *err)
{
	unsigned n = nl->nfailed;
	size_t len;

	nl->nfailed = 0;
	if (n == 0)
		return 0;
	errno = nl->first.ve_errno;
	if (err == NULL)
		return -1;
	*err = nl->first;
	len = strlen(err->ve_msg);
	if (n > 1)
		snprintf(err->ve_msg + len, sizeof(err->ve_msg) - len,
		    " (and %u more failed requests)", n - 1);
	return -1;
}

/* Return the queue to build the next request into (sent first if full). */
struct vj_nlbuf *
nl_queue(struct vj_nl *nl)
{
	if (nl->q.count >= NL_QMAX || nl->q.size - nl->q.len < VJ_NLMSG_MAX)
		queue_flush(nl);
	return &nl->q;
}

/* Name the request just built; out of a batch, run it. */
int
nl_commit(struct vj_nl *nl, int built, int ok_errno, struct vj_error *err,
    const char *fmt, ...)
{
	struct nl_entry *e;
	char what[NL_WHATMAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (built == -1)
		return vj_err_wrap(err, "%s", what);
	e = &nl->ent[nl->q.count - 1];
	memcpy(e->what, what, sizeof(what));
	e->ok_errno = ok_errno;
	if (nl->batching)
		return 0;
	queue_flush(nl);
	return take_failures(nl, err);
}

/* Start queueing changes on nl. */
int
vj_nl_batch_begin(struct vj_nl *nl, struct vj_error *err)
{
	if (nl->batching)
		return vj_nl_err(err, EBUSY,
		    "a netlink batch is already open");
	nl->batching = 1;
	nl->nalias = 0;
	nl->nfailed = 0;
	return 0;
}

/* Send what is queued, wait for every ack, and end the batch. */
int
vj_nl_batch_end(struct vj_nl *nl, struct vj_error *err)
{
	if (!nl->batching)
		return vj_nl_err(err, EINVAL, "no netlink batch is open");
	queue_flush(nl);
	nl->batching = 0;
	nl->nalias = 0;
	return take_failures(nl, err);
}

/* Drop what is queued and not yet sent, and end the batch. */
void
vj_nl_batch_cancel(struct vj_nl *nl)
{
	queue_reset(nl);
	nl->batching = 0;
	nl->nalias = 0;
	nl->nfailed = 0;
}

/* Tell the open batch that ifname has ifindex. */
int
vj_nl_batch_hint(struct vj_nl *nl, const char *ifname, int ifindex,
    struct vj_error *err)
{
	if (!nl->batching)
		return vj_nl_err(err, EINVAL, "no netlink batch is open");
	if (nl->nalias >= NL_ALIASMAX || ifindex <= 0 || ifname == NULL ||
	    strlen(ifname) >= IFNAMSIZ)
		return vj_nl_err(err, EINVAL, "batch hint %s %d: refused",
		    nl_str(ifname), ifindex);
	nl_alias(nl, ifname, ifindex);
	return 0;
}

/* Remember, for the open batch, that ifname has ifindex. */
void
nl_alias(struct vj_nl *nl, const char *ifname, int ifindex)
{
	struct nl_alias *a;

	if (!nl->batching || ifindex <= 0 || nl->nalias >= NL_ALIASMAX ||
	    ifname == NULL || strlen(ifname) >= IFNAMSIZ)
		return;
	a = &nl->alias[nl->nalias++];
	strcpy(a->name, ifname);
	a->ifindex = ifindex;
}

/* Return the ifindex the open batch pinned for ifname, or 0. */
static int
alias_find(const struct vj_nl *nl, const char *ifname)
{
	unsigned i;

	for (i = nl->nalias; nl->batching && ifname != NULL && i-- > 0;)
		if (strcmp(nl->alias[i].name, ifname) == 0)
			return nl->alias[i].ifindex;
	return 0;
}

/* Return ifname's ifindex; in a batch, also links created by it. */
int
nl_resolve(struct vj_nl *nl, const char *ifname, struct vj_error *err)
{
	int ifindex = alias_find(nl, ifname);

	if (ifindex > 0)
		return ifindex;
	ifindex = vj_nl_ifindex(nl, ifname, err);
	if (ifindex == -1 && errno == ENODEV && nl->batching) {
		if (nl->q.count > 0) {
			queue_flush(nl);
			ifindex = vj_nl_ifindex(nl, ifname, err);
		}
		/* Missing, likely because a queued request failed: say it. */
		if (ifindex == -1 && nl->nfailed > 0)
			return take_failures(nl, err);
	}
	return ifindex;
}

/* Start a one-request query buffer over mem (VJ_NLMSG_MAX bytes). */
void
nl_query_init(struct vj_nl *nl, struct vj_nlbuf *b, void *mem)
{
	vj_nlbuf_init(b, mem, VJ_NLMSG_MAX, nl->qseq++ | NL_QUERY_SEQ);
}

/* The state of one query's receive loop. */
struct query {
	uint32_t	 seq;
	int		 done, intr, errnum, fn_errno;
	char		 ext[NL_EXTMAX];
	int		 (*fn)(const struct nlmsghdr *, void *);
	void		*arg;
};

/* Take one message of a query's reply. */
static void
query_msg(struct query *qy, const struct nlmsghdr *nlh)
{
	if (nlh->nlmsg_seq != qy->seq || qy->done)
		return;
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		qy->intr = 1;
	if (nlh->nlmsg_type == NLMSG_ERROR || nlh->nlmsg_type == NLMSG_DONE) {
		qy->done = 1;
		if (vj_nlmsg_ack(nlh, &qy->errnum, qy->ext,
		    sizeof(qy->ext)) == -1)
			qy->errnum = EBADMSG;
		return;
	}
	if (qy->fn_errno == 0 && qy->fn(nlh, qy->arg) == -1)
		qy->fn_errno = errno != 0 ? errno : EIO;
	if (!(nlh->nlmsg_flags & NLM_F_MULTI))
		qy->done = 1;
}

/* Receive a query's reply until it is complete. */
static int
query_recv(struct vj_nl *nl, struct query *qy, const char *what,
    struct vj_error *err)
{
	const struct nlmsghdr *nlh;
	ssize_t n;
	int left;

	while (!qy->done) {
		n = mnl_socket_recvfrom(nl->sock, nl->rbuf, sizeof(nl->rbuf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return vj_err_sys(err, "%s: receive", what);
		nlh = (const struct nlmsghdr *)nl->rbuf;
		for (left = (int)n; mnl_nlmsg_ok(nlh, left);
		    nlh = mnl_nlmsg_next(nlh, &left))
			query_msg(qy, nlh);
	}
	return 0;
}

/* Send the query in b (built: its builder's result) and read the reply. */
int
nl_query(struct vj_nl *nl, int built, const struct vj_nlbuf *b,
    int (*fn)(const struct nlmsghdr *nlh, void *arg), void *arg,
    struct vj_error *err, const char *what)
{
	struct query qy = { .seq = b->seq0, .fn = fn, .arg = arg };

	if (built == -1)
		return vj_err_wrap(err, "%s", what);
	if (mnl_socket_sendto(nl->sock, b->buf, b->len) < 0)
		return vj_err_sys(err, "%s: send", what);
	if (query_recv(nl, &qy, what, err) == -1)
		return -1;
	if (qy.errnum != 0)
		return kernel_err(err, qy.errnum, what, qy.ext);
	if (qy.fn_errno != 0) {
		errno = qy.fn_errno;
		return vj_err_sys(err, "%s", what);
	}
	if (qy.intr)
		return vj_nl_err(err, EINTR, "%s: dump interrupted", what);
	return 0;
}
