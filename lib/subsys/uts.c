/*
 * uts.c: host.* parameters.  Every jail gets its own UTS namespace, so a
 * jail can never rename the host; host=inherit starts from the host's
 * names.  host.hostuuid and host.hostid are kept and shown (Linux has no
 * per-namespace uuid).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "jailobj.h"
#include "subsys.h"
#include "util.h"

static const struct vj_pdef uts_params[] = {
	/* Every jail has its own UTS namespace: "new", as FreeBSD gives
	 * every new prison its own host.* (PR_HOST). */
	{ "host", VJ_PT_JAILSYS, 0, "new", "new: the jail's own host.* values" },
	{ "host.hostname", VJ_PT_STRING, 0, NULL, "hostname" },
	{ "host.domainname", VJ_PT_STRING, 0, NULL, "NIS domain name" },
	{ "host.hostuuid", VJ_PT_STRING, 0, NULL, "host UUID (shown only)" },
	{ "host.hostid", VJ_PT_ULONG, 0, "0", "host id (shown only)" },
	{ "osrelease", VJ_PT_STRING, VJ_PF_CREATE | VJ_PF_NOLINUX, NULL,
	    "release seen by uname (no Linux meaning)" },
	{ "osreldate", VJ_PT_INT, VJ_PF_CREATE | VJ_PF_NOLINUX, NULL,
	    "release date (no Linux meaning)" },
	{ NULL, 0, 0, NULL, NULL }
};

/* Check lengths against what the kernel takes. */
static int
uts_check(struct vj_jail *j, struct vj_error *err)
{
	const char *h = vj_params_get(&j->params, "host.hostname");
	const char *d = vj_params_get(&j->params, "host.domainname");

	if (h != NULL && strlen(h) > 64)
		return vj_err_set(err, ENAMETOOLONG,
		    "host.hostname: longer than 64 characters");
	if (d != NULL && strlen(d) > 64)
		return vj_err_set(err, ENAMETOOLONG,
		    "host.domainname: longer than 64 characters");
	return 0;
}

/* Apply host.hostname and host.domainname in the current UTS ns. */
static int
uts_apply(struct vj_jail *j, struct vj_error *err)
{
	const char *h = vj_params_get(&j->params, "host.hostname");
	const char *d = vj_params_get(&j->params, "host.domainname");

	if (h != NULL && sethostname(h, strlen(h)) < 0)
		return vj_err_sys(err, "host.hostname");
	if (d != NULL && setdomainname(d, strlen(d)) < 0)
		return vj_err_sys(err, "host.domainname");
	return 0;
}

/* jail -m: enter the jail's UTS namespace, apply, come back. */
static int
uts_update(struct vj_jail *j, struct vj_error *err)
{
	vj_autoclose int own = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
	int fd = vj_jail_nsfd(j, VJ_NS_UTS, err), rc;

	if (fd < 0)
		return -1;
	if (own < 0)
		return vj_err_sys(err, "open own uts namespace");
	if (setns(fd, CLONE_NEWUTS) < 0)
		return vj_err_sys(err, "setns uts");
	rc = uts_apply(j, err);
	if (setns(own, CLONE_NEWUTS) < 0)
		return vj_err_sys(err, "setns back to own uts");
	return rc;
}

/* Setup by phase. */
static int
uts_setup(struct vj_jail *j, enum vj_phase ph, struct vj_error *err)
{
	switch (ph) {
	case VJ_PH_CHECK:
		return uts_check(j, err);
	case VJ_PH_CHILD:
		return uts_apply(j, err);
	case VJ_PH_UPDATE:
		return uts_update(j, err);
	default:
		return 0;
	}
}

/* A UTS namespace for every jail. */
static unsigned long
uts_clone_flags(const struct vj_jail *j)
{
	(void)j;
	return CLONE_NEWUTS;
}

/* Show the names. */
static void
uts_show(const struct vj_jail *j, FILE *out)
{
	const char *h = vj_params_get(&j->params, "host.hostname");

	fprintf(out, "\thostname %s\n", h ? h : "(inherited)");
}

const struct vj_subsys vj_subsys_uts = {
	.name = "uts",
	.params = uts_params,
	.clone_flags = uts_clone_flags,
	.setup = uts_setup,
	.show = uts_show,
};
