/*
 * targets.c: which jails an invocation works on (a command-line jail,
 * configured jails, running jails by name, jid or '*') and the dispatch
 * of -c, -m, -r and their mixes to the lifecycle.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jail.h"
#include "targets.h"

/* Do the words describe a jail (name=value) rather than name jails? */
static bool
has_params(int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++)
		if (strchr(argv[i], '=') != NULL ||
		    strcmp(argv[i], "command") == 0)
			return true;
	return false;
}

/* Look the jail up by its jid or name parameter; sets j->jid. */
static void
find_running(struct cjail *j, int op)
{
	const char *key = cparam(j, "jid");
	struct vj_error err;

	if (key == NULL)
		key = cparam(j, "name");
	j->jid = key ? vj_jail_find(ctx, key, (op & OP_REMOVE) &&
	    !(op & OP_CREATE) ? VJ_DYING : 0, &err) : -1;
	if (j->jid > 0 && j->name[0] == '\0' && cparam(j, "name") != NULL)
		snprintf(j->name, sizeof(j->name), "%s", cparam(j, "name"));
}

/* Run one operation on one jail whose running state is known. */
int
dispatch(struct cjail *j, int op)
{
	bool exists = j->jid > 0;

	switch (op & (OP_CREATE | OP_MODIFY | OP_REMOVE)) {
	case OP_CREATE:
		return jail_start(j);
	case OP_CREATE | OP_MODIFY:
		return exists ? jail_modify(j) : jail_start(j);
	case OP_CREATE | OP_REMOVE:
		return exists ? jail_restart(j, false) : jail_start(j);
	case OP_CREATE | OP_MODIFY | OP_REMOVE:
		return exists ? jail_restart(j, true) : jail_start(j);
	default:
		break;
	}
	if (op == OP_CLEAN)
		return jail_clean(j);	/* -C: the jail is gone already */
	if (!exists) {
		jail_warnx(j, "jail \"%s\" not found", jail_label(j));
		return -1;
	}
	switch (op & (OP_MODIFY | OP_REMOVE)) {
	case OP_MODIFY:
		return jail_modify(j);
	case OP_REMOVE:
		return jail_stop(j);
	default:
		return jail_restart(j, true);
	}
}

/* Free what a cjail owns. */
void
cjail_free(struct cjail *j)
{
	vj_params_free(&j->params);
	free(j->command);
	j->command = NULL;
}

/* A jail described entirely on the command line. */
static int
cmdline_jail(struct run *r, int op, int argc, char **argv)
{
	struct cjail j = { .jid = -1 };
	int rc;

	if (op & OP_CLEAN) {
		fprintf(stderr, "jail: -C cannot be used with parameters\n");
		return -1;
	}
	if (vj_params_copy(&j.params, &r->extra) < 0 ||
	    cmdline_params(&j, argc, argv) < 0) {
		cjail_free(&j);
		return -1;
	}
	find_running(&j, op);
	rc = dispatch(&j, op);
	cjail_free(&j);
	return rc;
}

/* The old form: path hostname ip[,...] command ... */
static int
legacy_jail(struct run *r, int argc, char **argv)
{
	struct cjail j = { .jid = -1 };
	struct in6_addr a6;
	char *ips, *ip, *save = NULL;
	int rc;

	if (argc < 4 || argv[0][0] != '/') {
		fprintf(stderr, "jail: path %s: not an absolute pathname\n",
		    argv[0]);
		return -1;
	}
	if (vj_params_copy(&j.params, &r->extra) < 0)
		return -1;
	vj_params_set(&j.params, "path", argv[0]);
	vj_params_set(&j.params, "host.hostname", argv[1]);
	ips = strdup(argv[2]);
	for (ip = strtok_r(ips, ",", &save); ip; ip = strtok_r(NULL, ",", &save))
		vj_params_add(&j.params, inet_pton(AF_INET6, ip, &a6) == 1 ?
		    "ip6.addr" : "ip4.addr", ip);
	free(ips);
	j.command = argv + 3;
	rc = jail_start(&j);
	j.command = NULL;
	cjail_free(&j);
	return rc;
}

/* A running jail found by name or jid, with no configuration. */
int
running_target(const char *key, int op)
{
	struct cjail j = { .jid = -1 };
	struct vj_params cur = { 0 };
	struct vj_error err;
	int rc;

	/* Half-made and dying jails too: removing finishes their work. */
	j.jid = vj_jail_find(ctx, key, (op & OP_REMOVE) ? VJ_DYING : 0, &err);
	if (j.jid < 0) {
		fprintf(stderr, "jail: \"%s\" not found\n", key);
		return -1;
	}
	if (vj_jail_get(ctx, j.jid, &cur, &err) == 0 &&
	    vj_params_get(&cur, "name") != NULL)
		snprintf(j.name, sizeof(j.name), "%s",
		    vj_params_get(&cur, "name"));
	vj_params_free(&cur);
	if (op & OP_MODIFY) {
		fprintf(stderr, "jail: %s: no parameters to modify\n", key);
		return -1;
	}
	rc = jail_stop(&j);
	cjail_free(&j);
	return rc;
}

/* Every running jail, for -r '*' / -R '*'. */
static int
all_running(int op)
{
	struct vj_error err;
	char key[32];
	int jid = 0, rc = 0, *jids = NULL, n = 0, i;

	/* Dying and abandoned jails too: removing them finishes the work. */
	while ((jid = vj_jail_next(ctx, jid, VJ_DYING, &err)) > 0) {
		int *nj = realloc(jids, (size_t)(n + 1) * sizeof(int));

		if (nj == NULL)
			break;
		jids = nj;
		jids[n++] = jid;
	}
	/* Children first: they have higher jids than their parents. */
	for (i = n - 1; i >= 0; i--) {
		snprintf(key, sizeof(key), "%d", jids[i]);
		if (vj_jail_find(ctx, key, VJ_DYING, &err) > 0 &&
		    running_target(key, op) < 0)
			rc = -1;
	}
	free(jids);
	return rc;
}

/* Run the operation over the selected jails. */
int
run_targets(struct run *r, int op, int argc, char **argv)
{
	int i, rc = 0;

	if (r->separator != NULL || r->preflight || (op && !has_params(argc, argv) &&
	    config_wanted(r, op, argc, argv)))
		return config_targets(r, op, argc, argv);
	if (op == 0)
		return legacy_jail(r, argc, argv);
	if (has_params(argc, argv))
		return cmdline_jail(r, op, argc, argv);
	if (!(op & OP_REMOVE) || argc == 0) {
		fprintf(stderr, "jail: no jails to %s\n", op & OP_CREATE ?
		    "create" : "modify");
		return -1;
	}
	opt.note_remove = argc > 1;
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "*") == 0) {
			opt.note_remove = true;
			rc |= all_running(op);
		} else {
			rc |= running_target(argv[i], op);
		}
	}
	return rc;
}
