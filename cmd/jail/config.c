/*
 * config.c: jails from jail.conf(5) (the parser lives in conf/): -e,
 * -f, targets by name or wildcard, dependency order, skipped dependents.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "jail.h"
#include "targets.h"

/* Read the configuration: -e, -f, or a default file that exists. */
bool
config_wanted(struct run *r, int op, int argc, char **argv)
{
	(void)op;
	(void)argc;
	(void)argv;
	if (r->separator != NULL || r->conf_file != NULL || r->preflight)
		return true;
	if (opt.remove_plain)
		return false;
	return access(VJ_CONF_FILE, F_OK) == 0 || access(VJ_CONF_DIR, F_OK) == 0;
}

/* Load -f FILE, or /etc/jail.conf and the .conf files of jail.conf.d. */
static int
load(struct run *r, struct vj_conf *conf, int flags)
{
	struct vj_error err;
	int rc;

	if (r->conf_file != NULL)
		rc = vj_conf_load(r->conf_file, flags, conf, &err);
	else
		rc = vj_conf_load_default(flags, conf, &err);
	if (rc < 0)
		fprintf(stderr, "jail: %s\n", err.ve_msg);
	return rc;
}

/* Did a jail order[i] really depends on fail?  failed[] is by position
 * in order. */
bool
config_dep_failed(const struct vj_conf *conf, struct vj_cfjail **order,
    size_t n, size_t i, const bool *failed)
{
	const struct vj_cfjail *c = order[i];
	size_t d, k;

	(void)conf;
	for (d = 0; d < c->ndeps; d++)
		for (k = 0; k < n; k++)
			if (order[k] == c->deps[d].jail && !c->deps[d].light &&
			    failed[k])
				return true;
	return false;
}

/* Say a jail is skipped because what it depends on failed. */
void
config_skip(const struct vj_cfjail *c)
{
	struct cjail label;

	memset(&label, 0, sizeof(label));
	label.from_conf = true;
	snprintf(label.name, sizeof(label.name), "%s", c->name);
	jail_warnx(&label, "skipped");
}

/* A cjail from a configured jail, with its running jid if any. */
static int
from_conf(struct cjail *j, const struct vj_cfjail *c, struct run *r)
{
	struct vj_error err;
	const char *key;

	memset(j, 0, sizeof(*j));
	j->jid = -1;
	j->from_conf = true;
	j->file = c->file;
	j->line = c->line;
	snprintf(j->name, sizeof(j->name), "%s", c->name);
	if (vj_params_copy(&j->params, &c->params) < 0)
		return -1;
	for (size_t i = 0; i < r->extra.n; i++)
		vj_params_set(&j->params, r->extra.v[i].name,
		    r->extra.v[i].nvals ? r->extra.v[i].vals[0] : NULL);
	key = cparam(j, "jid") ? cparam(j, "jid") : j->name;
	j->jid = vj_jail_find(ctx, key, 0, &err);
	return 0;
}

/* Run the operation on one configured jail. */
int
config_run_one(struct vj_cfjail *c, int op, struct run *r)
{
	struct cjail j;
	int rc;

	if (from_conf(&j, c, r) < 0)
		return -1;
	if ((op & (OP_CREATE | OP_MODIFY | OP_REMOVE)) == 0)
		rc = j.jid > 0 ? dispatch(&j, op) : jail_clean(&j);
	else if ((op & OP_CREATE) && !(op & (OP_MODIFY | OP_REMOVE)) && j.jid > 0) {
		rc = 0;
		if (c->oflags & VJ_CFO_TARGET) {
			jail_warnx(&j, "\"%s\" already exists", j.name);
			rc = -1;
		}
	} else if ((op & OP_REMOVE) && !(op & OP_CREATE) && j.jid < 0) {
		rc = 0;
		if ((c->oflags & VJ_CFO_TARGET) && !(op & OP_CLEAN)) {
			jail_warnx(&j, "jail \"%s\" not found", j.name);
			rc = -1;
		} else if (op & OP_CLEAN)
			rc = jail_clean(&j);
	} else {
		rc = dispatch(&j, op);
	}
	cjail_free(&j);
	return rc;
}

/* Does op only remove jails (no create, modify or clean after it)? */
bool
pure_removal(int op)
{
	return (op & OP_REMOVE) && !(op & (OP_CREATE | OP_MODIFY | OP_CLEAN));
}

/* Does any of the jails depend on another? */
bool
any_deps(struct vj_cfjail **order, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (order[i]->ndeps > 0)
			return true;
	return false;
}

/* Run over the ordered jails; dependents of failures are skipped. */
static int
run_ordered(struct vj_conf *conf, struct vj_cfjail **order, size_t n,
    int op, struct run *r)
{
	bool *failed;
	size_t i;
	int rc = 0;

	if (opt.paralimit > 1 && n > 1)
		return config_run_parallel(conf, order, n, op, r);
	if ((failed = calloc(n + 1, sizeof(bool))) == NULL)
		return -1;
	/* Removals and creations overlap only where no jail waits on
	 * another. */
	removal_window(pure_removal(op) && !any_deps(order, n));
	creation_window(op == OP_CREATE && !any_deps(order, n));
	for (i = 0; i < n; i++) {
		if (!(op & OP_REMOVE) &&
		    config_dep_failed(conf, order, n, i, failed)) {
			config_skip(order[i]);
			failed[i] = true;
			rc = -1;
		} else if (config_run_one(order[i], op, r) < 0) {
			failed[i] = true;
			rc = -1;
		}
	}
	if (removal_drain() < 0)
		rc = -1;
	if (creation_drain() < 0)
		rc = -1;
	removal_window(false);
	creation_window(false);
	free(failed);
	return rc;
}

/* Targets for -r that name running jails absent from the file. */
static int
split_unconfigured(struct vj_conf *conf, int op, int *argc, char **argv)
{
	int i, k = 0, rc = 0;

	for (i = 0; i < *argc; i++) {
		if ((op & OP_REMOVE) && !(op & OP_CREATE) &&
		    !vj_conf_wild_name(argv[i]) &&
		    vj_conf_find(conf, argv[i]) == NULL) {
			rc |= running_target(argv[i], op);
			continue;
		}
		argv[k++] = argv[i];
	}
	*argc = k;
	return rc;
}

/* Run the operation over configured jails, or print them for -e. */
int
config_targets(struct run *r, int op, int argc, char **argv)
{
	struct vj_conf conf = { 0 };
	struct vj_cfjail **order = NULL;
	struct vj_error err;
	size_t n, i;
	int rc = 0, given = argc;

	if (load(r, &conf, r->separator ? VJ_CONF_NOCHECK : 0) < 0)
		return -1;
	if (r->preflight || ((op & OP_CREATE) && preflight(&conf, false) < 0)) {
		rc = r->preflight ? preflight(&conf, true) : -1;
		vj_conf_free(&conf);
		return rc;
	}
	if (r->separator != NULL) {
		for (i = 0; i < conf.njails; i++)
			vj_conf_print(stdout, &conf.jails[i], r->separator);
		vj_conf_free(&conf);
		return 0;
	}
	if ((op & (OP_CREATE | OP_MODIFY | OP_REMOVE)) == OP_REMOVE &&
	    argc == 0) {
		fprintf(stderr, "jail: no jails to remove (use '*' for all)\n");
		vj_conf_free(&conf);
		return -1;
	}
	opt.note_remove = true;
	rc = split_unconfigured(&conf, op, &argc, argv);
	if ((given == 0 || argc > 0) && vj_conf_order(&conf,
	    (const char *const *)argv, (size_t)argc, (op & OP_REMOVE) &&
	    !(op & OP_CREATE) ? VJ_ORDER_STOP : 0, &order, &n, &err) < 0) {
		fprintf(stderr, "jail: %s\n", err.ve_msg);
		rc = -1;
	} else if (order != NULL) {
		rc |= run_ordered(&conf, order, n, op, r);
	}
	free(order);
	vj_conf_free(&conf);
	return rc ? -1 : 0;
}
