/*
 * nlpriv.h: what the verb files of lib/nl share with the socket engine.
 *
 * A verb builds its request into nl_queue(nl), then hands the builder's
 * result to nl_commit(), which names the request (for messages) and, out
 * of a batch, runs it at once.
 */
#ifndef VJ_NL_PRIV_H
#define VJ_NL_PRIV_H

#include "msg.h"

/* Return the queue to build the next request into (sent first if full). */
struct vj_nlbuf *nl_queue(struct vj_nl *nl);

/*
 * Finish the request just built (built: the builder's 0 or -1), named by
 * fmt.  ok_errno is a kernel errno that counts as success (0: none).
 * Out of a batch, runs the queue and returns its result.
 */
int	nl_commit(struct vj_nl *nl, int built, int ok_errno,
	    struct vj_error *err, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));

/* Return ifname's ifindex; in a batch, also links created by it. */
int	nl_resolve(struct vj_nl *nl, const char *ifname, struct vj_error *err);

/* Remember, for the current batch, that ifname has ifindex. */
void	nl_alias(struct vj_nl *nl, const char *ifname, int ifindex);

/* Start a one-request query buffer over mem (VJ_NLMSG_MAX bytes). */
void	nl_query_init(struct vj_nl *nl, struct vj_nlbuf *b, void *mem);

/*
 * Send the query in b (built: its builder's 0 or -1) and pass each reply
 * to fn until the reply or dump is complete.  fn returns 0, or -1 with
 * errno (the rest is read, not passed).  Errors are named by what.  A dump
 * the kernel interrupted fails with EINTR.
 */
int	nl_query(struct vj_nl *nl, int built, const struct vj_nlbuf *b,
	    int (*fn)(const struct nlmsghdr *nlh, void *arg), void *arg,
	    struct vj_error *err, const char *what);

/* Return s, or a placeholder for messages when it is NULL. */
static inline const char *
nl_str(const char *s)
{
	return s != NULL ? s : "(none)";
}

#endif
