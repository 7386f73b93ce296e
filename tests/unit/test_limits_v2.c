/*
 * test_limits_v2.c: limit.* on a cgroup2-only host, without root: the
 * limits subsystem runs against a fake cgroup2 tree on a tmpfs
 * (fake_cgroup2.h), found through a fake mount table.  Checks the exact
 * files and values written, the controllers enabled on the way down, the
 * jail's group made and removed, and a missing controller refused before
 * anything is made.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "cgroup2.h"
#include "error.h"
#include "fake_cgroup2.h"
#include "jailobj.h"
#include "lifecycle.h"
#include "state.h"
#include "subsys.h"
#include "tap.h"

static char top[PATH_MAX];	/* the test's directory: mounts, cg/, run/ */
static struct vj_ctx *ctx;

/* The limits subsystem from the table. */
static const struct vj_subsys *
limits(void)
{
	size_t i;

	for (i = 0; i < vj_nsubsystems; i++)
		if (strcmp(vj_subsystems[i]->name, "limits") == 0)
			return vj_subsystems[i];
	return NULL;
}

/* A fresh fake cgroup2 root whose cgroup.controllers is avail. */
static void
fresh_root(const char *avail)
{
	char cmd[PATH_MAX + 32];

	snprintf(cmd, sizeof(cmd), "rm -rf %s/cg", top);
	(void)!system(cmd);
	snprintf(fcg_root, sizeof(fcg_root), "%s/cg", top);
	mkdir(fcg_root, 0755);
	fcg_put(fcg_root, "cgroup.controllers", avail);
	fcg_put(fcg_root, "cgroup.subtree_control", "");
	fcg_put(fcg_root, "cgroup.procs", "1\n");
	fcg_log[0] = '\0';
	fcg_refuse = NULL;
}

/* A file of the fake tree, by path below its root. */
static const char *
cg_file(const char *rel)
{
	static char buf[256];

	fcg_get(fcg_root, rel, buf, sizeof(buf));
	return buf;
}

/* Does a path below the fake root exist? */
static bool
cg_exists(const char *rel)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", fcg_root, rel);
	return access(path, F_OK) == 0;
}

/* Can this user mark a directory as vjail's (a trusted extended
 * attribute, which needs root)? */
static bool
can_mark(void)
{
	char dir[PATH_MAX + 16];
	bool can;

	snprintf(dir, sizeof(dir), "%s/mark", top);
	if (mkdir(dir, 0755) < 0)
		return false;
	can = setxattr(dir, "trusted.vjail.test", "1", 1, 0) == 0;
	rmdir(dir);
	return can;
}

/* A new jail with a record, jid as the store gives it, and limits. */
static struct vj_jail *
new_jail(const char *name, const char *maxproc, const char *mem,
    const char *pcpu)
{
	struct vj_jail *j = vj_jail_new(ctx);
	struct vj_error err;

	snprintf(j->name, sizeof(j->name), "%s", name);
	if (maxproc != NULL)
		vj_params_set(&j->params, "limit.maxproc", maxproc);
	if (mem != NULL)
		vj_params_set(&j->params, "limit.memoryuse", mem);
	if (pcpu != NULL)
		vj_params_set(&j->params, "limit.pcpu", pcpu);
	if (vj_state_reserve(j, &err) < 0)
		printf("# reserve: %s\n", err.ve_msg);
	return j;
}

/* Remove a jail's groups and its record. */
static int
drop_jail(struct vj_jail *j, struct vj_error *err)
{
	int rc = limits()->teardown(j, VJ_TD_RELEASE, err);

	vj_state_release(j, NULL);
	vj_jail_free(j);
	return rc;
}

/* All three limits: the writes, in order, and the values they leave. */
static void
test_create(void)
{
	struct vj_jail *j;
	struct vj_error err = { 0 };
	char want[1024], g[32];

	fresh_root("cpuset cpu io memory hugetlb pids rdma misc");
	j = new_jail("a", "5", "64M", "50");
	snprintf(g, sizeof(g), "vjail/%d", j->jid);
	ok(limits()->setup(j, VJ_PH_CHECK, &err) == 0, "check: %s", err.ve_msg);
	is(fcg_log, "", "check writes nothing");
	ok(limits()->setup(j, VJ_PH_HOST, &err) == 0, "host: %s", err.ve_msg);
	j->init_pid = 4242;
	ok(limits()->setup(j, VJ_PH_ATTACH, &err) == 0, "attach: %s",
	    err.ve_msg);
	snprintf(want, sizeof(want),
	    "cgroup.subtree_control=+pids\nvjail/cgroup.subtree_control=+pids\n"
	    "%1$s/pids.max=5\n"
	    "cgroup.subtree_control=+memory\n"
	    "vjail/cgroup.subtree_control=+memory\n"
	    "%1$s/memory.max=67108864\n%1$s/memory.swap.max=0\n"
	    "cgroup.subtree_control=+cpu\nvjail/cgroup.subtree_control=+cpu\n"
	    "%1$s/cpu.max=50000 100000\n"
	    "%1$s/cgroup.procs=4242\n", g);
	is(fcg_log, want, "the writes, in order");
	is(cg_file("cgroup.subtree_control"), "cpu memory pids",
	    "root enables pids, memory, cpu");
	is(cg_file("vjail/cgroup.subtree_control"), "cpu memory pids",
	    "vjail/ enables them for the jails' groups");
	is(cg_file("vjail/cgroup.procs"), "", "no process in vjail/ itself");
	snprintf(want, sizeof(want), "%s/cgroup.procs", g);
	is(cg_file(want), "4242\n", "the init is in the jail's group");
	is(vj_jail_noted(j, "limits.pids"), strcat(strcat(strcpy(want,
	    fcg_root), "/"), g), "the group is noted for teardown");
	ok(drop_jail(j, &err) == 0, "release: %s", err.ve_msg);
	ok(!cg_exists(g), "the jail's group is gone");
	if (can_mark())
		ok(!cg_exists("vjail"), "vjail/, marked as vjail's, goes with "
		    "the last group");
	else
		ok(cg_exists("vjail"), "vjail/ stays: no mark could be set "
		    "(a trusted xattr needs root)");
}

/* A vjail/ that vjail did not make (an admin's, capping all jails
 * together) stays when the last jail goes. */
static void
test_admin_parent_stays(void)
{
	struct vj_jail *j;
	struct vj_error err = { 0 };
	char path[PATH_MAX + 16];

	fresh_root("cpu memory pids");
	snprintf(path, sizeof(path), "%s/vjail", fcg_root);
	mkdir(path, 0755);
	j = new_jail("adm", "5", NULL, NULL);
	ok(limits()->setup(j, VJ_PH_CHECK, &err) == 0 &&
	    limits()->setup(j, VJ_PH_HOST, &err) == 0, "setup: %s",
	    err.ve_msg);
	ok(drop_jail(j, &err) == 0, "release: %s", err.ve_msg);
	ok(cg_exists("vjail"), "the admin's vjail/ stays");
}

/* jail -m: new values and "unlimited" go to the same files. */
static void
test_update(void)
{
	struct vj_jail *j;
	struct vj_error err = { 0 };
	char want[512], g[32];

	fresh_root("cpu memory pids");
	j = new_jail("u", "5", "64M", "50");
	snprintf(g, sizeof(g), "vjail/%d", j->jid);
	ok(limits()->setup(j, VJ_PH_CHECK, &err) == 0 &&
	    limits()->setup(j, VJ_PH_HOST, &err) == 0, "create: %s",
	    err.ve_msg);
	vj_params_copy(&j->old, &j->params);
	vj_params_set(&j->params, "limit.maxproc", "50");
	vj_params_set(&j->params, "limit.memoryuse", "unlimited");
	vj_params_unset(&j->params, "limit.pcpu");
	fcg_log[0] = '\0';
	ok(limits()->setup(j, VJ_PH_UPDATE, &err) == 0, "update: %s",
	    err.ve_msg);
	snprintf(want, sizeof(want), "%1$s/pids.max=50\n%1$s/memory.max=max\n"
	    "%1$s/memory.swap.max=max\n%1$s/cpu.max=max 100000\n", g);
	is(fcg_log, want, "raised, unlimited, and removed (unlimited)");
	ok(drop_jail(j, &err) == 0 && !cg_exists(g), "release: %s",
	    err.ve_msg);
}

/* A controller the host lacks: refused at check, nothing made. */
static void
test_missing_controller(void)
{
	struct vj_jail *j;
	struct vj_error err = { 0 };

	fresh_root("cpu pids");
	j = new_jail("m", "5", "64M", NULL);
	ok(limits()->setup(j, VJ_PH_CHECK, &err) < 0 &&
	    err.ve_errno == EOPNOTSUPP, "check refuses");
	is(err.ve_msg, "limit.memoryuse: unsupported: no memory controller",
	    "the message names the parameter and the controller");
	is(fcg_log, "", "nothing written");
	ok(!cg_exists("vjail"), "no group made");
	is(cg_file("cgroup.subtree_control"), "", "nothing enabled");
	drop_jail(j, &err);
}

/* A kernel refusal half-way (memory after pids): teardown, as a failed
 * create runs it, leaves no group. */
static void
test_refused_half_way(void)
{
	struct vj_jail *j;
	struct vj_error err = { 0 };
	char want[PATH_MAX + 128];

	fresh_root("memory pids");
	fcg_refuse = "memory";
	j = new_jail("r", "5", "64M", NULL);
	ok(limits()->setup(j, VJ_PH_CHECK, &err) == 0, "check passes");
	ok(limits()->setup(j, VJ_PH_HOST, &err) < 0, "host fails");
	snprintf(want, sizeof(want), "limit.memoryuse: enable memory in %s: "
	    "Device or resource busy", fcg_root);
	is(err.ve_msg, want, "the message names the parameter and the cause");
	snprintf(want, sizeof(want), "vjail/%d", j->jid);
	ok(cg_exists(want), "pids' group was made");
	ok(drop_jail(j, &err) == 0 && !cg_exists(want),
	    "teardown removes it");
}

/* A nested jail with limits of its own: v2 enables no controller below
 * its parent's group, which holds the parent's processes; refused with
 * a message saying so, and nothing of the child's is left. */
static void
test_nested_refused(void)
{
	struct vj_jail *p, *c;
	struct vj_error err = { 0 };
	char want[PATH_MAX + 256], g[64];

	fresh_root("pids");
	p = new_jail("p", "20", NULL, NULL);
	p->init_pid = 4243;
	ok(limits()->setup(p, VJ_PH_HOST, &err) == 0 &&
	    limits()->setup(p, VJ_PH_ATTACH, &err) == 0, "parent: %s",
	    err.ve_msg);
	c = new_jail("p.c", "3", NULL, NULL);
	c->parent = p->jid;
	ok(limits()->setup(c, VJ_PH_HOST, &err) < 0, "child refused");
	snprintf(want, sizeof(want), "limit.maxproc: enable pids in %s/vjail/%d"
	    ": cgroup v2 limits nothing below a group that holds processes "
	    "(a nested jail's parent)", fcg_root, p->jid);
	is(err.ve_msg, want, "the message says why");
	ok(drop_jail(c, &err) == 0, "child teardown: %s", err.ve_msg);
	snprintf(g, sizeof(g), "vjail/%d/%d", p->jid, c->jid);
	ok(!cg_exists(g), "no child group");
	ok(drop_jail(p, &err) == 0, "parent teardown: %s", err.ve_msg);
}

/* Without limits a jail gets no group and writes nothing. */
static void
test_no_limits(void)
{
	struct vj_jail *j;
	struct vj_error err = { 0 };

	fresh_root("cpu memory pids");
	j = new_jail("n", NULL, NULL, NULL);
	ok(limits()->setup(j, VJ_PH_CHECK, &err) == 0 &&
	    limits()->setup(j, VJ_PH_HOST, &err) == 0 &&
	    limits()->setup(j, VJ_PH_ATTACH, &err) == 0, "setup");
	is(fcg_log, "", "nothing written");
	ok(!cg_exists("vjail"), "no group");
	drop_jail(j, &err);
}

/* The fake tree and the fake mount table: a tmpfs if there is one. */
static int
set_up(void)
{
	char path[PATH_MAX + 32], line[PATH_MAX + 64];
	struct vj_error err;

	snprintf(top, sizeof(top), "%s/vjcg.XXXXXX",
	    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (mkdtemp(top) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/mounts", top);
	snprintf(line, sizeof(line), "cgroup2 %s/cg cgroup2 rw,nosuid 0 0\n",
	    top);
	fcg_put(top, "mounts", line);
	vj_cg_mounts_set(path);
	snprintf(path, sizeof(path), "%s/run", top);
	setenv("VJAIL_RUNDIR", path, 1);
	ctx = vj_ctx_new(&err);
	return ctx != NULL ? 0 : -1;
}

int
main(void)
{
	char cmd[PATH_MAX + 32];

	if (set_up() < 0) {
		printf("Bail out! cannot set up %s\n", top);
		return 1;
	}
	ok(limits() != NULL, "limits is in the table");
	test_create();
	test_update();
	test_missing_controller();
	test_refused_half_way();
	test_nested_refused();
	test_no_limits();
	test_admin_parent_stays();
	vj_ctx_free(ctx);
	vj_cg_mounts_set(NULL);
	fcg_root[0] = '\0';
	snprintf(cmd, sizeof(cmd), "rm -rf %s", top);
	(void)!system(cmd);
	return tap_done();
}
