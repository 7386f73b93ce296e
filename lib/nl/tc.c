/* tc.c: the traffic-control verbs (two links joined back to back). */
#include <errno.h>

#include "error.h"
#include "nlpriv.h"

/* Send all that from receives out of to (see nl.h). */
int
vj_nl_redirect(struct vj_nl *nl, const char *from, const char *to,
    struct vj_error *err)
{
	int fi, ti, rc;

	if ((fi = nl_resolve(nl, from, err)) == -1 ||
	    (ti = nl_resolve(nl, to, err)) == -1)
		return -1;
	rc = vj_nlmsg_clsact_add(nl_queue(nl), fi, err);
	if (nl_commit(nl, rc, 0, err, "add clsact qdisc to %s", from) < 0)
		return -1;
	rc = vj_nlmsg_redirect_add(nl_queue(nl), fi, ti, err);
	return nl_commit(nl, rc, 0, err, "redirect %s to %s", from, to);
}
