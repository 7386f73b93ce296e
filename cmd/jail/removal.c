/*
 * removal.c: jail -r over many jails keeps removals in flight through
 * the library's queue (vj_jail_remove_queue): each jail's stop steps run
 * and its init is killed, and the wait and the rest of the teardown come
 * later, so that many jails' network stacks go together.  Only a run of
 * pure removals opens the window, and a jail with exec.poststop or
 * exec.release, or a nested one, first waits for the removals before it
 * and is finished at once: those hooks follow its own removal, and a
 * parent takes its children down itself.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jail.h"

static bool window_open;
static bool finish_failed;

/* Report the end of one removal as jail_stop does; -1 if it failed. */
static int
report(const struct cjail *j, int rc, const struct vj_error *err)
{
	if (rc < 0) {
		jail_warnx(j, "%s", err->ve_msg);
		return -1;
	}
	if (opt.verbose > 0 || (opt.verbose == 0 && opt.note_remove))
		jail_note(j, "removed");
	return 0;
}

/* A queued removal ended; the tag is a copy of what its messages need. */
static void
removed(void *tag, int rc, const struct vj_error *err)
{
	struct cjail *who = tag;

	if (report(who, rc, err) < 0)
		finish_failed = true;
	free(who);
}

/* Open (or, after draining, close) the window for a run of removals. */
void
removal_window(bool open)
{
	window_open = open;
}

/* Remove a jail whose stop hooks have run; with the window open and
 * defer set, leave it in flight.  -1 if this jail's removal failed. */
int
removal_run(struct cjail *j, bool defer)
{
	struct vj_error err = { 0 };
	struct cjail *who;

	if (window_open && defer && (who = calloc(1, sizeof(*who))) != NULL) {
		snprintf(who->name, sizeof(who->name), "%s", j->name);
		who->jid = j->jid;
		who->from_conf = j->from_conf;
		if (vj_jail_remove_queue(ctx, j->jid, 0, who, removed,
		    &err) == 0)
			return 0;
		free(who);
		return report(j, -1, &err);
	}
	/* One not deferred waits for those before it, as in conf order. */
	vj_jail_remove_flush(ctx);
	return report(j, vj_jail_remove(ctx, j->jid, 0, &err), &err);
}

/* Finish every removal in flight; -1 if any of them failed. */
int
removal_drain(void)
{
	bool failed;

	vj_jail_remove_flush(ctx);
	failed = finish_failed;
	finish_failed = false;
	return failed ? -1 : 0;
}
