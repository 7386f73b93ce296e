/*
 * lifecycle.c: the life of a jail: create, update, remove, find, list.
 * The order of work is the subsystem table's (subsys.c); this file only
 * sequences the phases around the init and the state record.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "donor.h"
#include "error.h"
#include "filter.h"
#include "init.h"
#include "lifecycle.h"
#include "proc.h"
#include "state.h"
#include "subsys.h"
#include "util.h"

/* A fresh jail object. */
struct vj_jail *
vj_jail_new(struct vj_ctx *ctx)
{
	struct vj_jail *j = calloc(1, sizeof(*j));
	int i;

	if (j == NULL)
		return NULL;
	j->ctx = ctx;
	j->pidfd = -1;
	j->heldfd = -1;
	for (i = 0; i < VJ_NS_COUNT; i++)
		j->nsfd[i] = -1;
	return j;
}

/* Free a jail object and close its handles. */
void
vj_jail_free(struct vj_jail *j)
{
	int i;

	if (j == NULL)
		return;
	if (j->pidfd >= 0)
		close(j->pidfd);
	if (j->heldfd >= 0)
		close(j->heldfd);
	for (i = 0; i < VJ_NS_COUNT; i++)
		if (j->nsfd[i] >= 0)
			close(j->nsfd[i]);
	vj_params_free(&j->params);
	vj_params_free(&j->old);
	vj_params_free(&j->notes);
	free(j);
}

/* Is this jail the caller's, or below it? */
static bool
visible(const struct vj_ctx *ctx, const struct vj_jail *j)
{
	size_t len = strlen(ctx->self_prefix);

	return ctx->self_jid == 0 || strncmp(j->name, ctx->self_prefix,
	    len) == 0;
}

/* Is pid the init of a pid namespace (its last NSpid is 1)? */
static bool
ns_init(const char *pid)
{
	char path[64], buf[2048], *p, *end;

	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	if (vj_read_file(path, buf, sizeof(buf)) < 0 ||
	    (p = strstr(buf, "NSpid:")) == NULL)
		return false;
	end = strchr(p, '\n');
	if (end != NULL)
		*end = '\0';
	p = strrchr(p, '\t');
	return p != NULL && strcmp(p + 1, "1") == 0;
}

/* A nested jail's init was recorded in its creator's pid namespace: find
 * it in ours, as the namespace init with its start time (and, where we
 * may look, its pid namespace: a jail cannot read a non-dumpable
 * process's ns links). */
static void
translate_init(struct vj_jail *j)
{
	const char *ino = vj_jail_noted(j, "pidns");
	unsigned long want = ino ? strtoul(ino, NULL, 10) : 0, have;
	struct dirent *de;
	DIR *d;

	if (j->init_ns == 0 || j->init_ns == j->ctx->self_pidns)
		return;
	d = opendir("/proc");
	while (d != NULL && (de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
		    vj_proc_start(atoi(de->d_name)) != j->init_start ||
		    !ns_init(de->d_name))
			continue;
		have = vj_proc_pidns(de->d_name);
		if (have != 0 && want != 0 && have != want)
			continue;
		j->init_pid = atoi(de->d_name);
		j->init_ns = j->ctx->self_pidns;
		break;
	}
	if (d != NULL)
		closedir(d);
}

/* The jail the last vj_jail_next loaded, if it is jid (ownership
 * passes to the caller). */
struct vj_jail *
vj_jail_take_cached(struct vj_ctx *ctx, int jid)
{
	struct vj_jail *j = ctx->cached;

	if (j == NULL || j->jid != jid)
		return NULL;
	ctx->cached = NULL;
	return j;
}

/* Load a jail the caller may see. */
struct vj_jail *
vj_jail_load(struct vj_ctx *ctx, int jid, struct vj_error *err)
{
	struct vj_jail *j = vj_jail_new(ctx);

	if (j == NULL) {
		vj_err_sys(err, "jail %d", jid);
		return NULL;
	}
	if (vj_state_load(ctx, jid, j, err) < 0 || !visible(ctx, j)) {
		if (!visible(ctx, j))
			vj_err_set(err, ENOENT, "jail %d not found", jid);
		vj_jail_free(j);
		return NULL;
	}
	translate_init(j);
	return j;
}

/* The init's pid as this process sees it (nested jails differ). */
static bool
init_visible(const struct vj_jail *j)
{
	return j->init_ns == 0 || j->init_ns == j->ctx->self_pidns;
}

/* Is the jail's init alive? */
bool
vj_jail_alive(const struct vj_jail *j)
{
	return j->state == VJ_JS_RUNNING && init_visible(j) &&
	    vj_proc_alive(j->init_pid, j->init_start);
}

/* Abandoned: half made or half removed by a process that is gone, or
 * running with its init gone.  Destroying it finishes the work. */
bool
vj_jail_stale(const struct vj_jail *j)
{
	if (j->state != VJ_JS_RUNNING)
		return !(j->owner > 0 && vj_proc_alive(j->owner,
		    j->owner_start));
	return init_visible(j) && !vj_proc_alive(j->init_pid, j->init_start);
}

/* Open a pidfd on the init. */
int
vj_jail_pidfd(struct vj_jail *j, struct vj_error *err)
{
	if (j->pidfd >= 0)
		return j->pidfd;
	j->pidfd = vj_proc_pidfd(j->init_pid, j->init_start);
	if (j->pidfd < 0)
		return vj_err_set(err, ESRCH, "jail \"%s\" is not running",
		    j->name);
	return j->pidfd;
}

/* Is c named below the prefix arg ("parent.")? */
static bool
below(const struct vj_jail *c, const void *arg)
{
	const char *prefix = arg;

	return strncmp(c->name, prefix, strlen(prefix)) == 0;
}

/* How many jails live below j (children.cur, and the children.max
 * limit): those under its name that nobody abandoned.  Only a jail that
 * was ever allowed children is scanned. */
int
vj_jail_descendants(struct vj_jail *j)
{
	char prefix[VJ_NAME_MAX + 1];

	if (vj_jail_noted(j, "prison.nested") == NULL &&
	    vj_jail_int(j, "children.max", 0) <= 0)
		return 0;
	snprintf(prefix, sizeof(prefix), "%s.", j->name);
	return vj_jail_count_live(j->ctx, 0, below, prefix, INT_MAX);
}

/* Count, up to limit, the recorded jails other than jid skip that nobody
 * abandoned and that match accepts (given each loaded jail and arg). */
int
vj_jail_count_live(struct vj_ctx *ctx, int skip,
    bool (*match)(const struct vj_jail *, const void *), const void *arg,
    int limit)
{
	vj_autofree int *jids = NULL;
	struct vj_jail *c;
	int n, i, count = 0;

	n = vj_state_list(ctx, &jids, NULL);
	for (i = 0; i < n && count < limit; i++) {
		if (jids[i] == skip || (c = vj_jail_new(ctx)) == NULL)
			continue;
		/* The match first: telling a stale jail reads /proc. */
		if (vj_state_load(ctx, jids[i], c, NULL) == 0 &&
		    match(c, arg) && !vj_jail_stale(c))
			count++;
		vj_jail_free(c);
	}
	return count;
}

/* Short name as seen from the caller. */
const char *
vj_jail_shortname(const struct vj_jail *j)
{
	return j->name + strlen(j->ctx->self_prefix);
}

/* Mark the caller as the jail's owner in a new state. */
static int
take_over(struct vj_jail *j, enum vj_jstate st, struct vj_error *err)
{
	char line[128];

	j->state = st;
	j->owner = getpid();
	j->owner_start = vj_proc_self_start();
	/* Appended, not rewritten: the last value of a key wins. */
	snprintf(line, sizeof(line), "state %d\nowner %d %llu\n", (int)st,
	    (int)j->owner, j->owner_start);
	return vj_state_append(j, line, err);
}

/* SIGKILL the init (and so every process of the jail), not waiting. */
static int
signal_init(struct vj_jail *j, struct vj_error *err)
{
	if (vj_jail_pidfd(j, NULL) < 0)
		return 0;	/* already gone */
	if (vj_pidfd_signal(j->pidfd, SIGKILL) < 0 && errno != ESRCH)
		return vj_err_sys(err, "kill init of %s", j->name);
	return 0;
}

/* Wait for a killed init to be gone. */
static int
wait_init(struct vj_jail *j, struct vj_error *err)
{
	if (j->pidfd < 0)
		return 0;
	if (vj_proc_wait_exit(j->pidfd, 30000) < 0)
		return vj_err_sys(err, "wait for init of %s", j->name);
	/* Reap it if we are its parent (the creator removing its own). */
	waitpid(j->init_pid, NULL, WNOHANG | __WALL);
	return 0;
}

/* Remove every child jail first, deepest first (as FreeBSD does).  A
 * child whose removal this process has started is left to its finish:
 * its init is dead or dying, and the parent's death ends it anyway. */
static int
destroy_children(struct vj_jail *j, int flags, struct vj_error *err)
{
	vj_autofree int *jids = NULL;
	struct vj_jail *c;
	int n, i, rc = 0;

	/* Only a jail that was ever allowed children can have any. */
	if (vj_jail_noted(j, "prison.nested") == NULL &&
	    vj_jail_int(j, "children.max", 0) <= 0)
		return 0;
	n = vj_state_list(j->ctx, &jids, err);
	for (i = n - 1; i >= 0; i--) {
		c = vj_jail_new(j->ctx);
		if (c != NULL && !vj_inflight_has(j->ctx, jids[i]) &&
		    vj_state_load(j->ctx, jids[i], c, NULL) == 0 &&
		    c->parent == j->jid && vj_jail_destroy(c, flags, err) < 0)
			rc = -1;
		vj_jail_free(c);
	}
	return n < 0 ? -1 : rc;
}

/*
 * The first half of a teardown: children, the stop steps, the init's
 * SIGKILL.  Returns -1 if the init could not be signalled (the record
 * stays: a retry finishes), else 0 with *rc the stop steps' verdict.
 */
static int
destroy_begin(struct vj_jail *j, int flags, int *rc, struct vj_error *err)
{
	struct vj_error e2;

	*rc = 0;
	if (destroy_children(j, flags, err) < 0)
		*rc = -1;
	if (j->begun == 0)
		j->begun = ~0UL;	/* a record from a crash: undo all */
	if (take_over(j, VJ_JS_DYING, &e2) < 0 && *rc == 0) {
		*err = e2;
		*rc = -1;
	}
	vj_trace(j->ctx, "%s: removing", j->name);
	if (vj_subsys_teardown(j, VJ_TD_STOP, *rc ? NULL : err) < 0)
		*rc = -1;
	return signal_init(j, *rc ? &e2 : err);
}

/* The second half: wait for the init, release every subsystem. */
static int
destroy_finish(struct vj_jail *j, int rc, struct vj_error *err)
{
	struct vj_error e2;

	if (wait_init(j, rc ? &e2 : err) < 0)
		return -1;	/* keep the record: a retry finishes */
	if (vj_subsys_teardown(j, VJ_TD_RELEASE, rc ? NULL : err) < 0)
		rc = -1;
	return rc;
}

/* The full teardown of a loaded jail; idempotent, resumable. */
int
vj_jail_destroy(struct vj_jail *j, int flags, struct vj_error *err)
{
	int rc;

	if (destroy_begin(j, flags, &rc, err) < 0)
		return -1;
	return destroy_finish(j, rc, err);
}

/* Canonicalise one parameter (all its values) into j->params. */
static int
import_one(struct vj_jail *j, const struct vj_param *p, struct vj_error *err)
{
	const struct vj_pdef *d = vj_param_lookup(p->name);
	size_t k, first = 0;
	char *cn, *cv;
	int rc = 0;

	if (d != NULL && (d->flags & VJ_PF_RDONLY))
		return vj_err_set(err, EINVAL, "%s: read-only parameter",
		    p->name);
	if (d != NULL && (d->flags & VJ_PF_NOLINUX))
		vj_warn(j->ctx, "%s: has no meaning on Linux, ignored",
		    p->name);
	/* A scalar given several times keeps its last value. */
	if (d != NULL && !(d->flags & VJ_PF_LIST) && p->nvals > 1)
		first = p->nvals - 1;
	for (k = first; rc == 0 && k < (p->nvals ? p->nvals : 1); k++) {
		if (vj_param_canon(p->name, p->nvals ? p->vals[k] : NULL,
		    &cn, &cv, err) < 0)
			return -1;
		rc = k == first ? vj_params_set(&j->params, cn, cv) :
		    vj_params_add(&j->params, cn, cv);
		free(cn);
		free(cv);
	}
	return rc < 0 ? vj_err_sys(err, "%s", p->name) : 0;
}

/* Canonicalise every parameter into j->params. */
static int
import_params(struct vj_jail *j, const struct vj_params *in,
    struct vj_error *err)
{
	size_t i;

	for (i = 0; i < in->n; i++)
		if (import_one(j, &in->v[i], err) < 0)
			return -1;
	return 0;
}

/* "a.b": b is a child of jail a, which must exist (FreeBSD's rule). */
static int
take_parent(struct vj_jail *j, struct vj_error *err)
{
	char parent[VJ_NAME_MAX];
	struct vj_jail *p;
	int jid;

	snprintf(parent, sizeof(parent), "%.*s",
	    (int)(strrchr(j->name, '.') - j->name), j->name);
	jid = vj_state_name_jid(j->ctx, parent);
	p = jid > 0 ? vj_jail_load(j->ctx, jid, NULL) : NULL;
	if (p == NULL || !vj_jail_alive(p)) {
		vj_jail_free(p);
		return vj_err_set(err, ENOENT, "jail \"%s\" not found",
		    parent + strlen(j->ctx->self_prefix));
	}
	vj_jail_free(p);
	j->parent = jid;
	return 0;
}

/* Take jid and name from the parameters (name is made full here). */
static int
take_ids(struct vj_jail *j, struct vj_error *err)
{
	const char *name = vj_params_get(&j->params, "name");
	long jid = 0;

	if (vj_params_get(&j->params, "jid") != NULL &&
	    vj_parse_int(vj_params_get(&j->params, "jid"), 1, VJ_JID_MAX,
	    &jid) < 0)
		return vj_err_set(err, EINVAL, "jid: invalid value \"%s\"",
		    vj_params_get(&j->params, "jid"));
	j->jid = (int)jid;
	j->parent = j->ctx->self_jid;
	if (name == NULL)
		return 0;
	if (*name == '\0' || strchr(name, '/') != NULL ||
	    strlen(name) + strlen(j->ctx->self_prefix) >= VJ_NAME_MAX)
		return vj_err_set(err, EINVAL, "name: invalid value \"%s\"",
		    name);
	if (vj_parse_int(name, 0, 0x7fffffff, &jid) == 0 &&
	    jid != j->jid)
		return vj_err_set(err, EINVAL,
		    "name: a number that is not the jid: \"%s\"", name);
	snprintf(j->name, sizeof(j->name), "%s%s", j->ctx->self_prefix, name);
	return strchr(name, '.') != NULL ? take_parent(j, err) : 0;
}

/* Clean up an abandoned record holding our name, so we can take it. */
static void
reclaim_name(struct vj_ctx *ctx, const char *fullname)
{
	struct vj_jail *old;
	struct vj_error e;
	int jid = vj_state_name_jid(ctx, fullname);

	if (jid <= 0 || (old = vj_jail_load(ctx, jid, &e)) == NULL)
		return;
	if (vj_jail_stale(old))
		vj_jail_destroy(old, 0, &e);
	vj_jail_free(old);
}

/* Bring the jail to life up to the init's own setup: host objects, the
 * init (waiting on *sync), attach. */
static int
bring_up(struct vj_jail *j, int *sync, struct vj_error *err)
{
	char line[128];

	if (vj_subsys_setup(j, VJ_PH_HOST, err) < 0)
		return -1;
	j->clone_flags = vj_subsys_clone_flags(j);
	if (vj_init_clone_under(j, sync, err) < 0)
		return -1;
	snprintf(line, sizeof(line), "init %d %llu %lu\n", (int)j->init_pid,
	    j->init_start, j->init_ns);
	if (vj_state_append(j, line, err) < 0)	/* before going on */
		return -1;
	return vj_subsys_setup(j, VJ_PH_ATTACH, err);
}

/* Undo a jail that failed half-way, then free it. */
static void
roll_back(struct vj_jail *j)
{
	struct vj_error e2;

	vj_trace(j->ctx, "%s: rolling back", j->name);
	vj_jail_destroy(j, 0, &e2);
	vj_donor_return(&j->ctx->donors, j->init_tls);	/* its init is gone */
	vj_jail_free(j);
}

/*
 * The first part of a creation: every step up to the init's own setup;
 * the init waits on *sync for vj_create_go.  An init on a donor's TLS
 * (tls, donor.c) then sets itself up while the caller goes on; without
 * one, the caller must go straight on to vj_create_end.  NULL on failure,
 * with nothing left behind.
 */
struct vj_jail *
vj_create_begin(struct vj_ctx *ctx, const struct vj_params *in, void *tls,
    int *sync, struct vj_error *err)
{
	struct vj_jail *j = vj_jail_new(ctx);

	*sync = -1;
	if (j == NULL) {
		vj_err_sys(err, "create");
		vj_donor_return(&ctx->donors, tls);
		return NULL;
	}
	j->init_tls = tls;
	if (import_params(j, in, err) < 0 || take_ids(j, err) < 0 ||
	    vj_subsys_setup(j, VJ_PH_CHECK, err) < 0)
		goto fail;
	if (j->name[0] != '\0')
		reclaim_name(ctx, j->name);
	j->owner = getpid();
	j->owner_start = vj_proc_self_start();
	if (vj_state_reserve(j, err) < 0)
		goto fail;
	vj_filter_cache_warm(ctx);	/* the init compiles in our memory */
	if (bring_up(j, sync, err) < 0) {
		if (*sync >= 0)
			close(*sync);	/* an init not let go leaves */
		*sync = -1;
		roll_back(j);
		return NULL;
	}
	return j;
fail:
	vj_donor_return(&ctx->donors, tls);	/* no init was cloned */
	vj_jail_free(j);
	return NULL;
}

/* Let the init set itself up; -1 with the jail rolled back (and freed,
 * sync closed) if it cannot be told. */
int
vj_create_go(struct vj_jail *j, int sync, struct vj_error *err)
{
	if (vj_init_go(j, sync, err) == 0)
		return 0;
	close(sync);
	roll_back(j);
	return -1;
}

/* The init's verdict; on failure the jail is rolled back and freed. */
int
vj_create_verdict(struct vj_jail *j, int sync, struct vj_error *err)
{
	int rc = vj_init_verdict(j, sync, err);

	close(sync);
	/* Reported (or dead): the init touches no TLS from here on. */
	vj_donor_return(&j->ctx->donors, j->init_tls);
	j->init_tls = NULL;
	if (rc < 0)
		roll_back(j);
	return rc;
}

/* Give up on a jail whose init serves (its late settings failed). */
void
vj_create_abandon(struct vj_jail *j)
{
	roll_back(j);
}

/* The last part: the init's verdict, the late settings, then the jail
 * runs.  Frees j; returns the jid, or -1 with the jail rolled back. */
int
vj_create_end(struct vj_jail *j, int sync, int flags, struct vj_error *err)
{
	if (vj_create_verdict(j, sync, err) < 0)
		return -1;
	if (vj_late_one(j, err) < 0) {
		roll_back(j);
		return -1;
	}
	return vj_create_run(j, flags, err);
}

/* The jail runs: its record says so.  Frees j; the jid, or -1 with the
 * jail rolled back. */
int
vj_create_run(struct vj_jail *j, int flags, struct vj_error *err)
{
	struct vj_ctx *ctx = j->ctx;
	int jid;

	if (take_over(j, VJ_JS_RUNNING, err) < 0)
		goto rollback;
	vj_filter_cache_share(ctx);
	vj_trace(ctx, "%s: created (jid %d)", j->name, j->jid);
	if ((flags & VJ_ATTACH) && vj_jail_attach(ctx, j->jid, err) < 0)
		goto rollback;
	jid = j->jid;
	vj_jail_free(j);
	return jid;
rollback:
	roll_back(j);
	return -1;
}

/* Create a jail from parameters; returns its jid. */
int
vj_jail_create(struct vj_ctx *ctx, const struct vj_params *in, int flags,
    struct vj_error *err)
{
	struct vj_jail *j;
	int sync;

	vj_jail_create_flush(ctx);	/* in the order they were asked for */
	if ((j = vj_create_begin(ctx, in, NULL, &sync, err)) == NULL ||
	    vj_create_go(j, sync, err) < 0)
		return -1;
	return vj_create_end(j, sync, flags, err);
}

/* Count (and with sig, signal) the jail's processes but its init. */
static int
jail_procs(struct vj_ctx *ctx, int jid, int sig, struct vj_error *err)
{
	struct vj_jail *j = vj_jail_load(ctx, jid, err);
	char path[64];
	int n;

	if (j == NULL)
		return -1;
	if (vj_jail_pidfd(j, err) < 0) {
		vj_jail_free(j);
		return -1;
	}
	/* The init's own procfs lists the jail's processes only; without
	 * it, look at every process of the host for the init's pid ns. */
	n = vj_proc_count_via_init(j->pidfd, sig);
	if (n < 0) {
		snprintf(path, sizeof(path), "%d", (int)j->init_pid);
		n = vj_proc_count_in_pidns(vj_proc_pidns(path), j->init_pid,
		    sig);
	}
	vj_jail_free(j);
	return n;
}

/* Number of processes in the jail besides its init. */
int
vj_jail_nproc(struct vj_ctx *ctx, int jid, struct vj_error *err)
{
	return jail_procs(ctx, jid, 0, err);
}

/* Ask the init to count its processes now. */
int
vj_jail_nudge(struct vj_ctx *ctx, int jid, struct vj_error *err)
{
	struct vj_jail *j = vj_jail_load(ctx, jid, err);
	int rc;

	if (j == NULL)
		return -1;
	rc = vj_init_control(j, VJ_INIT_CHECK, err);
	vj_jail_free(j);
	return rc;
}

/* Signal every process of the jail but its init. */
int
vj_jail_kill(struct vj_ctx *ctx, int jid, int sig, struct vj_error *err)
{
	return jail_procs(ctx, jid, sig, err);
}

/* Wait in a detached process for the init to leave, then tear the jail
 * down: the host side of a non-persistent jail that ends by itself. */
static void
watch_init(struct vj_jail *j)
{
	struct vj_error e;
	struct vj_jail *now;
	pid_t pid = fork();
	int fd;

	if (pid != 0) {
		if (pid > 0)
			waitpid(pid, NULL, 0);
		return;
	}
	setsid();
	if (fork() != 0)
		_exit(0);
	for (fd = 0; fd < 1024; fd++)
		if (fd != j->pidfd)
			close(fd);
	open("/dev/null", O_RDWR);
	dup2(0, 1);
	dup2(0, 2);
	vj_proc_wait_exit(j->pidfd, -1);
	waitpid(j->init_pid, NULL, WNOHANG | __WALL);
	j->ctx->trace = NULL;
	/* A fresh load: the record may have changed, and loading appends. */
	now = vj_jail_load(j->ctx, j->jid, &e);
	if (now != NULL && vj_jail_stale(now))
		vj_jail_destroy(now, 0, &e);
	_exit(0);
}

/* Set persist on or off in a running jail, telling its init.  An empty
 * jail without persist goes away now, as FreeBSD's does. */
static int
apply_persist(struct vj_jail *j, struct vj_error *err)
{
	bool persist = vj_jail_bool(j, "persist");
	char pid[32];

	if (vj_jail_pidfd(j, err) < 0 || vj_init_control(j, persist ?
	    VJ_INIT_PERSIST : VJ_INIT_NOPERSIST, err) < 0)
		return -1;
	if (persist)
		return 0;
	snprintf(pid, sizeof(pid), "%d", (int)j->init_pid);
	if (vj_proc_count_in_pidns(vj_proc_pidns(pid), j->init_pid, 0) == 0)
		return vj_jail_destroy(j, 0, err);
	watch_init(j);
	return 0;
}

/* Does a requested value equal the jail's (canonically)? */
static bool
same_value(const struct vj_jail *j, const struct vj_param *p)
{
	const struct vj_param *cur;
	char *cn = NULL, *cv = NULL;
	bool same;

	if (vj_param_canon(p->name, p->nvals ? p->vals[p->nvals - 1] : NULL,
	    &cn, &cv, NULL) < 0)
		return false;
	cur = vj_params_find(&j->params, cn);
	if (cur == NULL || cur->nvals == 0)
		same = vj_jail_param(j, cn) != NULL &&
		    strcmp(vj_jail_param(j, cn), cv) == 0;
	else
		same = p->nvals <= 1 && cur->nvals == 1 &&
		    strcmp(cur->vals[0], cv) == 0;
	free(cn);
	free(cv);
	return same;
}

/* Change parameters of a running jail. */
int
vj_jail_update(struct vj_ctx *ctx, int jid, const struct vj_params *in,
    struct vj_error *err)
{
	struct vj_jail *j;
	const struct vj_pdef *d;
	size_t i;
	int rc = -1;

	vj_jail_create_flush(ctx);	/* it may be one of them */
	if ((j = vj_jail_load(ctx, jid, err)) == NULL)
		return -1;
	if (!vj_jail_alive(j)) {
		vj_err_set(err, ENOENT, "jail %d not found", jid);
		goto out;
	}
	for (i = 0; i < in->n; i++) {
		d = vj_param_lookup(in->v[i].name);
		if (d != NULL && (d->flags & VJ_PF_CREATE) &&
		    strcmp(in->v[i].name, "jid") != 0 &&
		    strcmp(in->v[i].name, "name") != 0 &&
		    !same_value(j, &in->v[i])) {
			vj_err_set(err, EINVAL,
			    "%s cannot be changed after creation",
			    in->v[i].name);
			goto out;
		}
	}
	if (vj_params_copy(&j->old, &j->params) < 0 ||
	    import_params(j, in, err) < 0)
		goto out;
	if (vj_subsys_setup(j, VJ_PH_UPDATE, err) < 0 ||
	    vj_state_save(j, err) < 0)
		goto out;
	/* The next process to enter compiles the new rules and saves them. */
	vj_filter_cache_drop(j);
	rc = vj_params_find(in, "persist") != NULL ||
	    vj_params_find(in, "nopersist") != NULL ?
	    apply_persist(j, err) : 0;
out:
	vj_jail_free(j);
	return rc;
}

/* Remove a jail and its children. */
int
vj_jail_remove(struct vj_ctx *ctx, int jid, int flags, struct vj_error *err)
{
	struct vj_removal *r = vj_jail_remove_start(ctx, jid, flags, err);

	return r == NULL ? -1 : vj_jail_remove_finish(r, err);
}

/* A removal between its start and its finish. */
struct vj_removal {
	struct vj_jail	*j;
	int		 rc;		/* the stop steps' verdict */
	struct vj_error	 err;		/* their error, if rc < 0 */
	vj_removed_fn	 done;		/* queued (inflight.c): told at the end */
	void		*tag;
};

int
vj_removal_jid(const struct vj_removal *r)
{
	return r->j->jid;
}

bool
vj_removal_queued(const struct vj_removal *r, vj_removed_fn *done,
    void **tag)
{
	*done = r->done;
	*tag = r->tag;
	return r->done != NULL;
}

void
vj_removal_set_done(struct vj_removal *r, vj_removed_fn done, void *tag)
{
	r->done = done;
	r->tag = tag;
}

/* Start removing a jail: the stop steps and the init's SIGKILL. */
struct vj_removal *
vj_jail_remove_start(struct vj_ctx *ctx, int jid, int flags,
    struct vj_error *err)
{
	struct vj_jail *j;
	struct vj_removal *r;

	vj_jail_create_flush(ctx);	/* it may be one of them */
	if ((j = vj_jail_load(ctx, jid, err)) == NULL)
		return NULL;
	if (j->jid == ctx->self_jid) {
		vj_err_set(err, EPERM, "jail_remove: %s", strerror(EPERM));
		goto fail;
	}
	if (j->state == VJ_JS_CREATING && !vj_jail_stale(j)) {
		vj_err_set(err, EBUSY, "jail %d is being created", jid);
		goto fail;
	}
	/* Started twice, it would be released twice (bridge references). */
	if (vj_inflight_has(ctx, jid)) {
		vj_err_set(err, EBUSY, "jail %d is being removed", jid);
		goto fail;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		vj_err_sys(err, "remove");
		goto fail;
	}
	r->j = j;
	if (vj_inflight_add(ctx, r) < 0) {
		vj_err_sys(err, "remove");
		free(r);
		goto fail;
	}
	if (destroy_begin(j, flags, &r->rc, &r->err) < 0) {
		*err = r->err;
		vj_inflight_drop(ctx, r);
		free(r);
		goto fail;
	}
	return r;
fail:
	vj_jail_free(j);
	return NULL;
}

/* Finish a started removal (and free it): wait for the init, release. */
int
vj_jail_remove_finish(struct vj_removal *r, struct vj_error *err)
{
	int rc;

	if (r == NULL)
		return vj_err_set(err, EINVAL, "remove: no removal started");
	rc = destroy_finish(r->j, r->rc, &r->err);
	if (rc < 0)
		*err = r->err;
	vj_inflight_drop(r->j->ctx, r);
	vj_jail_free(r->j);
	free(r);
	return rc;
}

/* Is s a jid (all digits)? */
static bool
is_jid(const char *s)
{
	long v;

	return vj_parse_int(s, 0, VJ_JID_MAX, &v) == 0 && s[0] != '+' &&
	    s[0] != '-';
}

/* Does this loaded jail count, given VJ_DYING? */
static bool
listed(const struct vj_jail *j, int flags)
{
	if (vj_jail_alive(j))
		return true;
	return (flags & VJ_DYING) != 0;
}

/* Find a jail by jid or name. */
int
vj_jail_find(struct vj_ctx *ctx, const char *key, int flags,
    struct vj_error *err)
{
	char full[2 * VJ_NAME_MAX + 16];
	struct vj_jail *j;
	bool by_jid = is_jid(key), ok;
	long jid = -1;

	if (by_jid)
		vj_parse_int(key, 0, VJ_JID_MAX, &jid);
	else
		snprintf(full, sizeof(full), "%s%s", ctx->self_prefix, key);
	/* One of ours still being made runs once its creation ends. */
	if (vj_creating_has(ctx, by_jid ? NULL : full, (int)jid))
		vj_jail_create_flush(ctx);
	if (!by_jid)
		jid = vj_state_name_jid(ctx, full);
	if (jid <= 0 || (j = vj_jail_load(ctx, (int)jid, NULL)) == NULL)
		return vj_err_set(err, ENOENT, "jail \"%s\" not found", key);
	ok = listed(j, flags);
	vj_jail_free(j);
	if (!ok)
		return vj_err_set(err, ENOENT, "jail \"%s\" not found", key);
	return (int)jid;
}

/* The first visible jid greater than lastjid. */
int
vj_jail_next(struct vj_ctx *ctx, int lastjid, int flags,
    struct vj_error *err)
{
	struct vj_jail *j;
	int lo, hi, mid, found = -1;
	bool alive;

	/* A walk starts at 0: take one snapshot of the store for it. */
	if (lastjid <= 0 || ctx->list == NULL) {
		free(ctx->list);
		ctx->list = NULL;
		ctx->nlist = vj_state_list(ctx, &ctx->list, err);
		if (ctx->nlist < 0)
			return -1;
	}
	for (lo = 0, hi = ctx->nlist; lo < hi;) {
		mid = (lo + hi) / 2;
		if (ctx->list[mid] <= lastjid)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < ctx->nlist && found < 0; lo++) {
		if (ctx->list[lo] == ctx->self_jid)
			continue;
		j = vj_jail_load(ctx, ctx->list[lo], NULL);
		alive = j != NULL && vj_jail_alive(j);
		if (j != NULL && (alive || (flags & VJ_DYING))) {
			found = ctx->list[lo];
			vj_jail_free(ctx->cached);	/* for vj_jail_get */
			ctx->cached = vj_steal(j);
			ctx->cached_alive = alive;
		}
		vj_jail_free(j);
	}
	if (found < 0)
		return vj_err_set(err, ENOENT, "no more jails");
	return found;
}
