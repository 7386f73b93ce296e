/*
 * removal.c: jail -r over many jails keeps a few removals in flight.
 * Each jail's stop steps run and its init is killed; the wait for the
 * init and the rest of its teardown come later, when the window is full
 * or the run ends.  An init's death takes about a millisecond here (its
 * mount namespace goes, then an RCU grace period); inits killed together
 * die side by side, and the kernel frees their network stacks in larger
 * batches.  Only a run of pure removals opens the window, and a jail
 * with exec.poststop or exec.release, or a nested one, empties it and is
 * finished at once: those hooks follow its own removal (and the ones
 * before it), and a parent takes its children down itself.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "jail.h"

#define WINDOW	16

/* A started removal and what its messages need. */
struct pending {
	struct vj_removal	*r;
	struct cjail		 who;	/* name, jid, from_conf only */
};

static struct pending pend[WINDOW];
static size_t npend;
static bool window_open;
static bool finish_failed;

/* Finish one started removal; report like jail_stop. */
static int
finish(struct vj_removal *r, const struct cjail *j)
{
	struct vj_error err;

	if (vj_jail_remove_finish(r, &err) < 0) {
		jail_warnx(j, "%s", err.ve_msg);
		return -1;
	}
	if (opt.verbose > 0 || (opt.verbose == 0 && opt.note_remove))
		jail_note(j, "removed");
	return 0;
}

/* Finish the oldest started removal. */
static void
finish_oldest(void)
{
	if (finish(pend[0].r, &pend[0].who) < 0)
		finish_failed = true;
	memmove(pend, pend + 1, --npend * sizeof(*pend));
}

/* Finish every removal in flight (failures remembered for the drain). */
static void
finish_all(void)
{
	while (npend > 0)
		finish_oldest();
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
	struct vj_removal *r;
	struct vj_error err;

	/* One not deferred waits for those before it, as in conf order:
	 * its hooks may need them gone. */
	if (!defer)
		finish_all();
	r = vj_jail_remove_start(ctx, j->jid, 0, &err);
	if (r == NULL) {
		jail_warnx(j, "%s", err.ve_msg);
		return -1;
	}
	if (!window_open || !defer)
		return finish(r, j);
	if (npend == WINDOW)
		finish_oldest();
	memset(&pend[npend].who, 0, sizeof(pend[npend].who));
	snprintf(pend[npend].who.name, sizeof(pend[npend].who.name), "%s",
	    j->name);
	pend[npend].who.jid = j->jid;
	pend[npend].who.from_conf = j->from_conf;
	pend[npend++].r = r;
	return 0;
}

/* Finish every removal in flight; -1 if any of them failed. */
int
removal_drain(void)
{
	bool failed;

	finish_all();
	failed = finish_failed;
	finish_failed = false;
	return failed ? -1 : 0;
}
