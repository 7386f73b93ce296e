/*
 * limits.c: resource limits, named as FreeBSD's rctl(8) resources:
 *   limit.maxproc    processes and threads        pids.max
 *   limit.memoryuse  bytes, K/M/G/T suffixes       memory.max | limit_in_bytes
 *   limit.pcpu       percent of one CPU            cpu.max | cfs_quota_us
 * Each takes "unlimited" too (for jail -m).
 *
 * A jail gets a group only for a limit it sets: cgroups cost kernel
 * memory (about 650 kB a jail on v1), so the default path makes none.
 * Each controller is looked for at run time in the v2 hierarchy first,
 * then in the v1 ones (hybrid hosts); its group is <mount>/vjail/<jid>.
 * On v2 a jail that already has ip.c's group uses that one (a process
 * has one v2 group).  The init takes a cgroup namespace rooted in its
 * groups, so nothing inside can move itself out.
 *
 * Memory counts swap too: v1's memsw follows the limit where the kernel
 * accounts swap; v2's memory.swap.max is 0 while a limit is set.
 *
 * A nested jail is put in its parent's groups (or its own groups below
 * them) so that it cannot escape the parent's limits; on v2, where a
 * process has one group, a nested jail whose own group (ip.c's) is not
 * below its parent's is refused, and so are a nested jail's own limits
 * ("no internal processes": v2 enables no controller below the parent's
 * group, which holds the parent's processes; the parent's limits still
 * hold it).  Limits cannot be added by jail -m to a
 * jail created without a group for them; jail -m checks every change
 * before applying any.  <mount>/vjail goes with the last group in it
 * if vjail made it (cgroup2.c).
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup2.h"
#include "cgroupv1.h"
#include "error.h"
#include "jailobj.h"
#include "lifecycle.h"
#include "state.h"
#include "subsys.h"
#include "util.h"

#define UNLIMITED	ULLONG_MAX
#define CPU_PERIOD	100000ULL	/* microseconds */

static const struct vj_pdef limits_params[] = {
	{ "limit.maxproc", VJ_PT_STRING, 0, NULL,
	    "most processes and threads (pids.max)" },
	{ "limit.memoryuse", VJ_PT_STRING, 0, NULL,
	    "most memory in bytes, K/M/G/T suffixes (memory.max)" },
	{ "limit.pcpu", VJ_PT_STRING, 0, NULL,
	    "most CPU time, in percent of one CPU (cpu.max)" },
	{ NULL, 0, 0, NULL, NULL }
};

/* A cgroup version: where a controller is, and how to ready a group. */
struct cg_back {
	int	 version;
	int	(*mount)(const char *ctl, char *buf, size_t len,
		    struct vj_error *err);
	int	(*prepare)(const char *mnt, const char *group, const char *ctl,
		    struct vj_error *err);
	int	(*make)(const char *path, struct vj_error *err);
	int	(*enter)(const char *path, pid_t pid, struct vj_error *err);
	int	(*remove)(const char *path, struct vj_error *err);
};

/* A resource: its parameter, controller, parser and writer. */
struct limit_res {
	const char *param;
	const char *ctl;
	int	(*parse)(const char *v, unsigned long long *out);
	int	(*apply)(int version, const char *dir, unsigned long long val,
		    struct vj_error *err);
};

/* Is ctl a word of a v2 list file (cgroup.controllers, subtree_control)? */
static bool
cg2_listed(const char *file, const char *ctl)
{
	char buf[1024], *tok, *save = NULL;

	if (vj_read_file(file, buf, sizeof(buf)) < 0)
		return false;
	for (tok = strtok_r(buf, " \n", &save); tok != NULL;
	    tok = strtok_r(NULL, " \n", &save))
		if (strcmp(tok, ctl) == 0)
			return true;
	return false;
}

/* Does a v2 group hold processes (v2 enables no controller below it)? */
static bool
cg2_has_procs(const char *dir)
{
	char file[PATH_MAX + 16], buf[16];

	snprintf(file, sizeof(file), "%s/cgroup.procs", dir);
	return vj_read_file(file, buf, sizeof(buf)) > 0;
}

/* The v2 mount point, if the v2 hierarchy has controller ctl. */
static int
v2_mount(const char *ctl, char *buf, size_t len, struct vj_error *err)
{
	char file[PATH_MAX];

	if (vj_cg2_mount(buf, len, err) < 0)
		return -1;
	snprintf(file, sizeof(file), "%s/cgroup.controllers", buf);
	if (!cg2_listed(file, ctl))
		return vj_err_set(err, ENOENT, "no cgroup2 %s controller", ctl);
	return 0;
}

/* v2: enable ctl in every ancestor of group below mnt (not in group). */
static int
v2_prepare(const char *mnt, const char *group, const char *ctl,
    struct vj_error *err)
{
	char dir[PATH_MAX], file[PATH_MAX + 32], plus[64];
	size_t at = strlen(mnt);
	const char *slash;

	snprintf(plus, sizeof(plus), "+%s", ctl);
	while ((slash = strchr(group + at, '/')) != NULL) {
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - group), group);
		at = (size_t)(slash - group) + 1;
		if (strlen(dir) < strlen(mnt))
			continue;
		if (vj_cg2_make_dir(dir) < 0)
			return vj_err_sys(err, "mkdir %s", dir);
		snprintf(file, sizeof(file), "%s/cgroup.subtree_control", dir);
		if (cg2_listed(file, ctl))
			continue;
		if (vj_write_file(file, plus) == 0)
			continue;
		if (errno == EBUSY && strcmp(dir, mnt) != 0 &&
		    cg2_has_procs(dir))
			return vj_err_set(err, EBUSY, "enable %s in %s: cgroup "
			    "v2 limits nothing below a group that holds "
			    "processes (a nested jail's parent)", ctl, dir);
		return vj_err_sys(err, "enable %s in %s", ctl, dir);
	}
	return 0;
}

/* v1: controllers need no enabling. */
static int
v1_prepare(const char *mnt, const char *group, const char *ctl,
    struct vj_error *err)
{
	(void)mnt, (void)group, (void)ctl, (void)err;
	return 0;
}

/* v2 first, then v1: the first that has the controller is used. */
static const struct cg_back backs[] = {
	{ 2, v2_mount, v2_prepare, vj_cg2_make, vj_cg2_enter, vj_cg2_remove },
	{ 1, vj_cg1_mount, v1_prepare, vj_cg2_make, vj_cg2_enter,
	    vj_cg2_remove },
};
#define NBACKS	(sizeof(backs) / sizeof(backs[0]))
#define LIMIT_TRIES	2	/* the v2 parent lost while limiting */

/* Parse an unsigned number ("unlimited" is UNLIMITED); *rest is what
 * follows it. */
static int
parse_count(const char *v, unsigned long long *out, const char **rest)
{
	char *end;

	if (strcmp(v, "unlimited") == 0) {
		*out = UNLIMITED;
		*rest = v + strlen(v);
		return 0;
	}
	if (*v < '0' || *v > '9')
		return -1;
	errno = 0;
	*out = strtoull(v, &end, 10);
	*rest = end;
	return errno != 0 || *out == UNLIMITED ? -1 : 0;
}

/* limit.maxproc: 1 and up. */
static int
parse_maxproc(const char *v, unsigned long long *out)
{
	const char *end;

	if (parse_count(v, out, &end) < 0 || *end != '\0' || *out == 0 ||
	    (*out != UNLIMITED && *out > 4194304))
		return -1;
	return 0;
}

/* limit.memoryuse: bytes with an optional K/M/G/T suffix, 1M and up. */
static int
parse_memory(const char *v, unsigned long long *out)
{
	static const char sfx[] = "kmgt";
	const char *s;
	const char *end;
	int shift = 0;

	if (parse_count(v, out, &end) < 0)
		return -1;
	if (*out == UNLIMITED)
		return 0;
	if (*end != '\0') {
		if (end[1] != '\0' || (s = strchr(sfx, end[0] | 0x20)) == NULL)
			return -1;
		shift = 10 * (int)(s - sfx + 1);
	}
	if (*out > (UNLIMITED >> 1) >> shift)
		return -1;
	*out <<= shift;
	return *out < (1ULL << 20) ? -1 : 0;
}

/* limit.pcpu: 1 to 100 per CPU. */
static int
parse_pcpu(const char *v, unsigned long long *out)
{
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	const char *end;

	if (parse_count(v, out, &end) < 0 || *end != '\0' || *out == 0)
		return -1;
	if (*out != UNLIMITED && *out > 100ULL * (ncpu > 0 ? ncpu : 1))
		return -1;
	return 0;
}

/* Write one control file of a group. */
static int
put(const char *dir, const char *file, const char *text, struct vj_error *err)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (vj_write_file(path, text) < 0)
		return vj_err_sys(err, "write %s to %s", text, path);
	return 0;
}

/* A value as the kernel takes it: "max" (v2) or "-1" (v1) for none. */
static void
fmt(int version, unsigned long long val, char *buf, size_t len)
{
	if (val == UNLIMITED)
		snprintf(buf, len, "%s", version == 2 ? "max" : "-1");
	else
		snprintf(buf, len, "%llu", val);
}

/* pids.max, the same in both versions. */
static int
apply_maxproc(int version, const char *dir, unsigned long long val,
    struct vj_error *err)
{
	char num[32];

	fmt(2, val, num, sizeof(num));
	(void)version;
	return put(dir, "pids.max", num, err);
}

/* Write the memory limit and its swap twin (if the kernel has one):
 * memory plus swap may never be below memory, so order by direction. */
static int
apply_memory(int version, const char *dir, unsigned long long val,
    struct vj_error *err)
{
	char num[32], path[PATH_MAX];
	const char *mem = version == 2 ? "memory.max" : "memory.limit_in_bytes";
	const char *swap = version == 2 ? "memory.swap.max" :
	    "memory.memsw.limit_in_bytes";

	fmt(version, val, num, sizeof(num));
	snprintf(path, sizeof(path), "%s/%s", dir, swap);
	if (access(path, F_OK) < 0)
		return put(dir, mem, num, err);
	if (version == 2)
		return put(dir, mem, num, err) < 0 ||
		    put(dir, swap, val == UNLIMITED ? "max" : "0", err) < 0 ?
		    -1 : 0;
	if (vj_write_file(path, num) == 0)
		return put(dir, mem, num, err);
	return put(dir, mem, num, err) < 0 || put(dir, swap, num, err) < 0 ?
	    -1 : 0;
}

/* cpu.max (v2) or cpu.cfs_quota_us (v1) over a 100 ms period. */
static int
apply_pcpu(int version, const char *dir, unsigned long long val,
    struct vj_error *err)
{
	char num[64];

	if (version == 1) {
		fmt(1, val == UNLIMITED ? val : val * CPU_PERIOD / 100, num,
		    sizeof(num));
		return put(dir, "cpu.cfs_period_us", "100000", err) < 0 ||
		    put(dir, "cpu.cfs_quota_us", num, err) < 0 ? -1 : 0;
	}
	if (val == UNLIMITED)
		snprintf(num, sizeof(num), "max %llu", CPU_PERIOD);
	else
		snprintf(num, sizeof(num), "%llu %llu", val * CPU_PERIOD / 100,
		    CPU_PERIOD);
	return put(dir, "cpu.max", num, err);
}

static const struct limit_res resources[] = {
	{ "limit.maxproc", "pids", parse_maxproc, apply_maxproc },
	{ "limit.memoryuse", "memory", parse_memory, apply_memory },
	{ "limit.pcpu", "cpu", parse_pcpu, apply_pcpu },
};
#define NRES	(sizeof(resources) / sizeof(resources[0]))

/* What each value should look like, for error messages. */
static const char *const expected[NRES] = {
	"a number of processes, 1 to 4194304, or unlimited",
	"a size of at least 1M (K, M, G, T suffixes), or unlimited",
	"a percentage of one CPU, 1 to 100 per CPU, or unlimited",
};

/* Find the back-end that has a controller, and its mount point. */
static const struct cg_back *
find_back(const char *ctl, char *mnt, size_t len)
{
	size_t i;

	for (i = 0; i < NBACKS; i++)
		if (backs[i].mount(ctl, mnt, len, NULL) == 0)
			return &backs[i];
	return NULL;
}

/* The note keys of a resource: its group, and the version it is in. */
static void
note_key(const struct limit_res *r, const char *what, char *buf, size_t len)
{
	snprintf(buf, len, "limits.%s%s", r->ctl, what);
}

/* The group a jail's processes of one resource go in, or NULL. */
static const char *
noted_group(const struct vj_jail *j, const struct limit_res *r)
{
	char key[64];

	note_key(r, "", key, sizeof(key));
	return vj_jail_noted(j, key);
}

/* Is a limit set (to anything) in a parameter set? */
static const char *
value_of(const struct vj_params *ps, const struct limit_res *r)
{
	return vj_params_get(ps, r->param);
}

/* Parse one resource's value into *val; the error names the parameter. */
static int
parse_one(const struct vj_params *ps, size_t i, unsigned long long *val,
    struct vj_error *err)
{
	const char *v = value_of(ps, &resources[i]);

	if (resources[i].parse(v, val) < 0)
		return vj_err_set(err, EINVAL, "%s: bad value \"%s\": want %s",
		    resources[i].param, v, expected[i]);
	return 0;
}

/* Validate every value and probe its controller. */
static int
limits_check(struct vj_jail *j, struct vj_error *err)
{
	char mnt[PATH_MAX];
	unsigned long long val;
	size_t i;

	for (i = 0; i < NRES; i++) {
		if (value_of(&j->params, &resources[i]) == NULL)
			continue;
		if (parse_one(&j->params, i, &val, err) < 0)
			return -1;
		if (find_back(resources[i].ctl, mnt, sizeof(mnt)) == NULL)
			return vj_err_set(err, EOPNOTSUPP,
			    "%s: unsupported: no %s controller",
			    resources[i].param, resources[i].ctl);
	}
	return 0;
}

/* The group of one resource in the parent jail, if it has one. */
static bool
parent_group(const struct vj_jail *j, const struct limit_res *r, char *buf,
    size_t len)
{
	struct vj_jail *p;
	const char *cg;
	bool found = false;

	if (j->parent == 0 || (p = vj_jail_new(j->ctx)) == NULL)
		return false;
	if (vj_state_load(j->ctx, j->parent, p, NULL) == 0 &&
	    (cg = noted_group(p, r)) != NULL) {
		snprintf(buf, len, "%s", cg);
		found = true;
	}
	vj_jail_free(p);
	return found;
}

/* Is a group the jail's own (named by its jid), not its parent's? */
static bool
own_group(const struct vj_jail *j, const char *cg)
{
	const char *slash = cg != NULL ? strrchr(cg, '/') : NULL;

	return slash != NULL && atoi(slash + 1) == j->jid;
}

/* Did an earlier resource (index < i) note the same group? */
static bool
seen_before(const struct vj_jail *j, size_t i, const char *cg)
{
	const char *other;
	size_t k;

	for (k = 0; k < i; k++)
		if ((other = noted_group(j, &resources[k])) != NULL &&
		    strcmp(other, cg) == 0)
			return true;
	return false;
}

/* Where a limited resource's group goes: ip.c's v2 group if there is
 * one, below the parent's group, or <mount>/vjail/<jid>. */
static void
group_for(const struct vj_jail *j, const struct cg_back *b, const char *mnt,
    const char *pcg, char *buf, size_t len)
{
	const char *ip = vj_jail_noted(j, "ip.cgroup");

	if (b->version == 2 && ip != NULL)
		snprintf(buf, len, "%s", ip);
	else if (pcg != NULL)
		snprintf(buf, len, "%s/%d", pcg, j->jid);
	else
		snprintf(buf, len, "%s/vjail/%d", mnt, j->jid);
}

/* Note a resource's group (and the version, and that we made it). */
static int
note_group(struct vj_jail *j, const struct limit_res *r, const char *cg,
    int version, bool made, struct vj_error *err)
{
	char key[64], v[8];

	snprintf(v, sizeof(v), "%d", version);
	note_key(r, ".v", key, sizeof(key));
	if (vj_jail_note(j, key, v, err) < 0)
		return -1;
	note_key(r, ".made", key, sizeof(key));
	if (made && vj_jail_note(j, key, cg, err) < 0)
		return -1;
	note_key(r, "", key, sizeof(key));
	return vj_jail_note(j, key, cg, err);
}

/* Did the limit fail because the group's v2 parent went and came back
 * between prepare and make (another process's last jail took it away):
 * a file missing, and the controller no longer enabled above the group?
 * Then it is worth once more from the top. */
static bool
parent_lost(const struct cg_back *b, const char *cg, const char *ctl,
    const struct vj_error *err)
{
	char file[PATH_MAX + 32];
	const char *slash = strrchr(cg, '/');

	if (b->version != 2 || err == NULL || err->ve_errno != ENOENT ||
	    slash == NULL)
		return false;
	snprintf(file, sizeof(file), "%.*s/cgroup.subtree_control",
	    (int)(slash - cg), cg);
	return !cg2_listed(file, ctl);
}

/* Make (or join) the group of one limited resource and set its limit. */
static int
host_limit(struct vj_jail *j, size_t i, const char *pcg, struct vj_error *err)
{
	const struct limit_res *r = &resources[i];
	const struct cg_back *b;
	char mnt[PATH_MAX], cg[PATH_MAX];
	unsigned long long val;
	bool shared;
	int tries;

	if (parse_one(&j->params, i, &val, err) < 0)
		return -1;
	if ((b = find_back(r->ctl, mnt, sizeof(mnt))) == NULL)
		return vj_err_set(err, EOPNOTSUPP, "%s: unsupported: no %s "
		    "controller", r->param, r->ctl);
	group_for(j, b, mnt, pcg, cg, sizeof(cg));
	shared = seen_before(j, i, cg) ||
	    (b->version == 2 && vj_jail_noted(j, "ip.cgroup") != NULL);
	if (note_group(j, r, cg, b->version, !shared, err) < 0)
		return vj_err_wrap(err, "%s", r->param);
	for (tries = 0;; tries++) {
		if (b->prepare(mnt, cg, r->ctl, err) == 0 &&
		    (shared || b->make(cg, err) == 0) &&
		    r->apply(b->version, cg, val, err) == 0)
			return 0;
		if (tries == LIMIT_TRIES || !parent_lost(b, cg, r->ctl, err))
			return vj_err_wrap(err, "%s", r->param);
	}
}

/* The jail's v2 group so far (its own limits' or ip.c's), or NULL. */
static const char *
v2_group(const struct vj_jail *j)
{
	const char *v;
	char key[64];
	size_t i;

	for (i = 0; i < NRES; i++) {
		note_key(&resources[i], ".v", key, sizeof(key));
		v = vj_jail_noted(j, key);
		if (v != NULL && strcmp(v, "2") == 0)
			return noted_group(j, &resources[i]);
	}
	return vj_jail_noted(j, "ip.cgroup");
}

/* Is cg the group anc or below it? */
static bool
below(const char *cg, const char *anc)
{
	size_t n = strlen(anc);

	return strncmp(cg, anc, n) == 0 && (cg[n] == '\0' || cg[n] == '/');
}

/* A nested jail's resource it does not limit: its processes join the
 * parent's group.  On v2 a process has one group: if the jail has one
 * already, it must be below the parent's. */
static int
inherit_group(struct vj_jail *j, size_t i, const char *pcg,
    struct vj_error *err)
{
	const struct limit_res *r = &resources[i];
	const struct cg_back *b;
	const char *cur;
	char mnt[PATH_MAX];

	if ((b = find_back(r->ctl, mnt, sizeof(mnt))) == NULL)
		return 0;
	if (b->version == 2 && (cur = v2_group(j)) != NULL) {
		if (below(cur, pcg))
			return 0;
		return vj_err_set(err, EINVAL, "%s: the parent's cgroup v2 "
		    "group cannot hold this jail: its group %s is elsewhere",
		    r->param, cur);
	}
	return note_group(j, r, pcg, b->version, false, err);
}

/* Host side before the init: a group for each limit set, then the
 * parent's groups for a nested jail's unlimited resources. */
static int
limits_host(struct vj_jail *j, struct vj_error *err)
{
	char pcg[PATH_MAX];
	bool in_parent, set;
	size_t i;
	int pass;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < NRES; i++) {
			in_parent = parent_group(j, &resources[i], pcg,
			    sizeof(pcg));
			set = value_of(&j->params, &resources[i]) != NULL;
			if (pass == 0 && set && host_limit(j, i,
			    in_parent ? pcg : NULL, err) < 0)
				return -1;
			if (pass == 1 && !set && in_parent &&
			    inherit_group(j, i, pcg, err) < 0)
				return -1;
		}
	return 0;
}

/* Move a process into every group of the jail. */
static int
limits_enter(const struct vj_jail *j, pid_t pid, struct vj_error *err)
{
	const char *cg;
	size_t i;

	for (i = 0; i < NRES; i++) {
		cg = noted_group(j, &resources[i]);
		if (cg == NULL || seen_before(j, i, cg))
			continue;
		if (vj_cg2_enter(cg, pid, err) < 0)
			return vj_err_wrap(err, "%s", resources[i].param);
	}
	return 0;
}

/* Does the jail have any group of ours? */
static bool
any_group(const struct vj_jail *j)
{
	size_t i;

	for (i = 0; i < NRES; i++)
		if (noted_group(j, &resources[i]) != NULL)
			return true;
	return false;
}

/* In the init, once in its groups: a cgroup namespace rooted there, so
 * no process of the jail can move itself out (ip.c makes one itself). */
static int
limits_child(const struct vj_jail *j, struct vj_error *err)
{
	if (!any_group(j) || vj_jail_noted(j, "ip.cgroup") != NULL)
		return 0;
	if (unshare(CLONE_NEWCGROUP) < 0)
		return vj_err_sys(err, "limits: cgroup namespace");
	return 0;
}

/* jail -m: check (and if apply, apply) a changed limit; removing one
 * sets it to unlimited. */
static int
update_one(struct vj_jail *j, size_t i, bool apply, struct vj_error *err)
{
	const struct limit_res *r = &resources[i];
	const char *nv = value_of(&j->params, r), *ov = value_of(&j->old, r);
	const char *cg = noted_group(j, r), *ver;
	unsigned long long val = UNLIMITED;
	char key[64];

	if ((nv == NULL && ov == NULL) ||
	    (nv != NULL && ov != NULL && strcmp(nv, ov) == 0))
		return 0;
	if (nv != NULL && parse_one(&j->params, i, &val, err) < 0)
		return -1;
	note_key(r, ".v", key, sizeof(key));
	ver = vj_jail_noted(j, key);
	if (cg == NULL || !own_group(j, cg) || ver == NULL)
		return vj_err_set(err, EINVAL, "%s: cannot be added to a jail "
		    "created without it", r->param);
	if (apply && r->apply(atoi(ver), cg, val, err) < 0)
		return vj_err_wrap(err, "%s", r->param);
	return 0;
}

/* jail -m: check every changed limit, then apply them. */
static int
limits_update(struct vj_jail *j, struct vj_error *err)
{
	size_t i;
	int apply;

	for (apply = 0; apply < 2; apply++)
		for (i = 0; i < NRES; i++)
			if (update_one(j, i, apply, err) < 0)
				return -1;
	return 0;
}

/* The back-end a resource's group was made with (v2 if not noted). */
static const struct cg_back *
back_of(const struct vj_jail *j, const struct limit_res *r)
{
	const char *v;
	char key[64];

	note_key(r, ".v", key, sizeof(key));
	v = vj_jail_noted(j, key);
	return v != NULL && strcmp(v, "1") == 0 ? &backs[1] : &backs[0];
}

/* Setup by phase. */
static int
limits_setup(struct vj_jail *j, enum vj_phase ph, struct vj_error *err)
{
	switch (ph) {
	case VJ_PH_CHECK:
		return limits_check(j, err);
	case VJ_PH_HOST:
		return limits_host(j, err);
	case VJ_PH_ATTACH:
		return limits_enter(j, j->init_pid, err);
	case VJ_PH_CHILD:
		return limits_child(j, err);
	case VJ_PH_UPDATE:
		return limits_update(j, err);
	case VJ_PH_ENTER_HOST:
		return limits_enter(j, j->spawn_pid, err);
	default:
		return 0;
	}
}

/* Release: remove the groups we made (the processes are dead). */
static int
limits_teardown(struct vj_jail *j, enum vj_tphase ph, struct vj_error *err)
{
	const struct cg_back *b;
	const char *made;
	char key[64];
	size_t i;
	int rc = 0;

	if (ph != VJ_TD_RELEASE)
		return 0;
	for (i = 0; i < NRES; i++) {
		note_key(&resources[i], ".made", key, sizeof(key));
		made = vj_jail_noted(j, key);
		b = back_of(j, &resources[i]);
		if (made != NULL && b->remove(made, rc ? NULL : err) < 0 &&
		    rc == 0)
			rc = vj_err_wrap(err, "%s", resources[i].param);
	}
	return rc;
}

/* Show each limit and its group. */
static void
limits_show(const struct vj_jail *j, FILE *out)
{
	const char *cg, *v;
	size_t i;

	for (i = 0; i < NRES; i++) {
		cg = noted_group(j, &resources[i]);
		v = value_of(&j->params, &resources[i]);
		if (cg != NULL)
			fprintf(out, "\t%s %s cgroup %s\n", resources[i].param,
			    v != NULL ? v : "(parent's)", cg);
	}
}

const struct vj_subsys vj_subsys_limits = {
	.name = "limits",
	.params = limits_params,
	.setup = limits_setup,
	.teardown = limits_teardown,
	.show = limits_show,
};
