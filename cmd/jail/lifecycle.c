/*
 * lifecycle.c: the ordered steps jail(8) runs around the library's
 * create and remove.  Host-side mounts and interfaces are subsystems of
 * the library (they live in the jail's own namespaces), so the steps here
 * are the exec.* hooks and the operation itself.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jail.h"

/* The parameters the library applies (pseudo-parameters left out). */
static int
kernel_params(const struct cjail *j, struct vj_params *out, bool for_update)
{
	const struct vj_pdef *d;
	size_t i, k;

	for (i = 0; i < j->params.n; i++) {
		const struct vj_param *p = &j->params.v[i];

		d = vj_param_lookup(p->name);
		if (d != NULL && (d->flags & VJ_PF_INTERNAL))
			continue;
		if (for_update && (strcmp(p->name, "jid") == 0 ||
		    strcmp(p->name, "name") == 0))
			continue;
		if (vj_params_add(out, p->name, NULL) < 0)
			return -1;
		for (k = 0; k < p->nvals; k++)
			if (vj_params_add(out, p->name, p->vals[k]) < 0)
				return -1;
	}
	return 0;
}

/* Does the jail run anything (so persist must hold while it does)? */
static bool
runs_commands(const struct cjail *j)
{
	return j->command != NULL || cparam(j, "exec.start") != NULL ||
	    cparam(j, "command") != NULL || cparam(j, "exec.poststart") != NULL;
}

/* The create step: the library builds the jail. */
static int
create_step(struct cjail *j)
{
	struct vj_params kp = { 0 };
	struct vj_error err;
	int jid;

	if (kernel_params(j, &kp, false) < 0)
		return -1;
	if (!cparam_bool(j, "persist") && runs_commands(j)) {
		vj_params_set(&kp, "persist", "true");
		j->added_persist = true;
	}
	if (creation_deferrable(j)) {
		jid = creation_queue(j, &kp);	/* reported at its end */
		vj_params_free(&kp);
		return jid;
	}
	jid = vj_jail_create(ctx, &kp, 0, &err);	/* after those queued */
	vj_params_free(&kp);
	return creation_report(j, jid, &err);
}

/* Run command= from the command line, or the configured strings. */
static int
command_step(struct cjail *j)
{
	if (j->command != NULL)
		return run_argv_in_jail(j, j->command);
	return run_commands(j, "command", true);
}

/* Drop the temporary persist: an empty jail then goes away. */
static int
clear_persist(struct cjail *j)
{
	struct vj_params p = { 0 };
	struct vj_error err;
	int rc;

	if (!j->added_persist)
		return 0;
	vj_params_set(&p, "persist", "false");
	rc = vj_jail_update(ctx, j->jid, &p, &err);
	vj_params_free(&p);
	if (rc < 0 && err.ve_errno != ENOENT) {
		jail_warnx(j, "%s", err.ve_msg);
		return -1;
	}
	return 0;
}

/* Write the -J file. */
static void
write_jid_file(const struct cjail *j)
{
	FILE *f;

	if (opt.jid_file == NULL)
		return;
	f = fopen(opt.jid_file, "a");
	if (f == NULL) {
		fprintf(stderr, "jail: %s: %s\n", opt.jid_file,
		    strerror(errno));
		return;
	}
	print_jail(f, j, "\t");
	fclose(f);
}

/* Undo a half-made jail quietly (jail(8) walks its steps backwards). */
static void
undo_create(struct cjail *j)
{
	struct vj_error err;

	if (j->jid > 0 && vj_jail_remove(ctx, j->jid, 0, &err) < 0 &&
	    err.ve_errno != ENOENT)
		jail_warnx(j, "%s", err.ve_msg);
	j->jid = -1;
}

/* Create: exec.prepare .. exec.poststart. */
int
jail_start(struct cjail *j)
{
	bool deferred = creation_deferrable(j);

	if (!deferred)	/* its hooks see every jail before it made */
		vj_jail_create_flush(ctx);
	if (run_commands(j, "exec.prepare", false) < 0 ||
	    run_commands(j, "exec.prestart", false) < 0)
		return -1;
	if (create_step(j) < 0)
		return -1;
	if (deferred)
		return 0;	/* nothing follows it (creation.c) */
	write_jid_file(j);
	if (run_commands(j, "exec.created", false) < 0 ||
	    run_commands(j, "exec.start", true) < 0 ||
	    command_step(j) < 0 ||
	    run_commands(j, "exec.poststart", false) < 0) {
		undo_create(j);
		return -1;
	}
	return clear_persist(j);
}

/* Modify a running jail. */
int
jail_modify(struct cjail *j)
{
	struct vj_params kp = { 0 };
	struct vj_error err;
	int rc;

	if (kernel_params(j, &kp, true) < 0)
		return -1;
	rc = vj_jail_update(ctx, j->jid, &kp, &err);
	vj_params_free(&kp);
	if (rc < 0) {
		jail_warnx(j, "%s", err.ve_msg);
		return -1;
	}
	if (opt.verbose > 0 || (opt.verbose == 0 && j->from_conf))
		jail_note(j, "updated");
	return 0;
}

/* SIGTERM the jail's processes and wait up to stop.timeout for them. */
static void
term_procs(struct cjail *j)
{
	const char *t = cparam(j, "stop.timeout");
	long timeout = t ? atol(t) : 10;
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	struct vj_error err;
	long waited;

	if (timeout <= 0 || vj_jail_kill(ctx, j->jid, SIGTERM, &err) <= 0)
		return;
	for (waited = 0; waited < timeout * 1000; waited += 20) {
		if (vj_jail_nproc(ctx, j->jid, &err) <= 0)
			return;
		nanosleep(&nap, NULL);
	}
}

/* May the jail be a parent or a child of another? */
static bool
nested(const struct cjail *j)
{
	const char *max = cparam(j, "children.max");

	return strchr(j->name, '.') != NULL || (max != NULL && atoi(max) != 0);
}

/* Remove: exec.prestop, exec.stop, SIGTERM, remove, exec.poststop,
 * exec.release.  A failing hook is reported; the removal goes on. */
int
jail_stop(struct cjail *j)
{
	bool after = !opt.remove_plain && (cparam(j, "exec.poststop") ||
	    cparam(j, "exec.release"));
	int rc = 0;

	if (!opt.remove_plain) {
		rc |= run_commands(j, "exec.prestop", false);
		rc |= run_commands(j, "exec.stop", true);
		term_procs(j);
	}
	/* Hooks that follow the removal need it finished first, and a
	 * parent's removal takes its children down itself. */
	if (removal_run(j, !after && !nested(j)) < 0)
		return -1;
	if (after) {
		rc |= run_commands(j, "exec.poststop", false);
		rc |= run_commands(j, "exec.release", false);
	}
	return rc ? -1 : 0;
}

/* -C: only the commands that follow a removal. */
int
jail_clean(struct cjail *j)
{
	int rc = 0;

	rc |= run_commands(j, "exec.poststop", false);
	rc |= run_commands(j, "exec.release", false);
	return rc ? -1 : 0;
}

/* Did a create-only parameter change from the running jail's value? */
static bool
create_param_changed(const struct cjail *j)
{
	struct vj_params cur = { 0 };
	struct vj_error err;
	const struct vj_pdef *d;
	const char *now;
	bool changed = false;
	size_t i;

	if (vj_jail_get(ctx, j->jid, &cur, &err) < 0)
		return true;
	for (i = 0; i < j->params.n && !changed; i++) {
		d = vj_param_lookup(j->params.v[i].name);
		if (d == NULL || !(d->flags & VJ_PF_CREATE) ||
		    strcmp(d->name, "jid") == 0 || j->params.v[i].nvals == 0)
			continue;
		now = vj_params_get(&cur, d->name);
		changed = now == NULL || strcmp(now, j->params.v[i].vals[0]);
	}
	vj_params_free(&cur);
	return changed;
}

/* -rc, or -mr when a create-only parameter changed. */
int
jail_restart(struct cjail *j, bool only_if_create_param)
{
	if (only_if_create_param && !create_param_changed(j))
		return jail_modify(j);
	if (jail_stop(j) < 0)
		return -1;
	j->jid = -1;
	return jail_start(j);
}
