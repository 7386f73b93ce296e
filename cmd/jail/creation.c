/*
 * creation.c: jail -c over many jails keeps creations in flight through
 * the library's queue (vj_jail_create_queue): a jail's init sets itself
 * up while the next jail's namespaces and links are made.  Only a run of
 * pure creations with no dependencies opens the window, and only a jail
 * with nothing after its creation is deferred: no exec.* hook, command,
 * -J file or nesting.  Any other jail first waits for those before it, so
 * hooks still see every jail before them in conf order.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jail.h"

static bool window_open;
static bool finish_failed;

/* The hooks that run around a creation. */
static const char *const hooks[] = {
	"exec.prepare", "exec.prestart", "exec.created", "exec.start",
	"command", "exec.poststart", NULL
};

/* Report the end of one creation as create_step does; -1 if it failed. */
int
creation_report(struct cjail *j, int jid, const struct vj_error *err)
{
	if (jid < 0) {
		jail_warnx(j, "%s", err->ve_msg);
		return -1;
	}
	j->jid = jid;
	if (opt.print_jid)
		printf("%d\n", jid);
	else if (opt.verbose > 0 || (opt.verbose == 0 && j->from_conf))
		jail_note(j, "created");
	return 0;
}

/* A queued creation ended; the tag is a copy of what its report needs. */
static void
created(void *tag, int jid, const struct vj_error *err)
{
	struct cjail *who = tag;

	if (creation_report(who, jid, err) < 0)
		finish_failed = true;
	free(who);
}

/* Open (or, after draining, close) the window for a run of creations. */
void
creation_window(bool open)
{
	window_open = open;
}

/* May this jail's creation end after the next one's has started? */
bool
creation_deferrable(const struct cjail *j)
{
	size_t i;

	if (!window_open || j->command != NULL || opt.jid_file != NULL ||
	    strchr(j->name, '.') != NULL)
		return false;
	for (i = 0; hooks[i] != NULL; i++)
		if (cparam(j, hooks[i]) != NULL)
			return false;
	return true;
}

/* Queue a deferrable jail's creation; -1 if it failed to start. */
int
creation_queue(struct cjail *j, const struct vj_params *kp)
{
	struct vj_error err = { 0 };
	struct cjail *who = calloc(1, sizeof(*who));

	if (who == NULL)
		return -1;
	snprintf(who->name, sizeof(who->name), "%s", j->name);
	who->from_conf = j->from_conf;
	who->file = j->file;
	who->line = j->line;
	if (vj_jail_create_queue(ctx, kp, 0, who, created, &err) == 0)
		return 0;
	free(who);
	return creation_report(j, -1, &err);
}

/* Finish every creation in flight; -1 if any of them failed. */
int
creation_drain(void)
{
	bool failed;

	vj_jail_create_flush(ctx);
	failed = finish_failed;
	finish_failed = false;
	return failed ? -1 : 0;
}
