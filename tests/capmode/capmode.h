/*
 * capmode.h: the capability-mode test program (capmode_test.c: harness
 * and main; checks_sys.c, checks_fs.c: the cases).  Each case runs in a
 * child of its own, because capability mode cannot be left; the child
 * prints "# ..." lines for each assertion that fails and exits 0 when
 * none did.  The harness prints one TAP line per case.
 *
 * The behaviours are those of security.md §1.7's honest-pass list,
 * written here in our own words: a denied call must fail with exactly
 * ECAPMODE (134); an allowed one must succeed, or fail for another
 * reason than capability mode.
 */
#ifndef CAPMODE_H
#define CAPMODE_H

#include <errno.h>
#include <limits.h>
#include <stdbool.h>

#include "sys/capsicum.h"

/* What every case may use, made by the harness before the fork. */
struct cm_env {
	char	 dir[PATH_MAX];	/* a scratch directory, with "f" and "sub" */
	int	 dirfd;		/* the scratch directory, held */
	int	 filefd;	/* dir/f, held read-write */
	int	 exefd;		/* this program, held read-only */
	int	 landlock_abi;	/* -1 without Landlock */
	bool	 thread;	/* -t: a second thread lives at cap_enter */
};

extern struct cm_env env;

/* Enter capability mode (with -t, a second thread alive); a failure is
 * reported and ends the case. */
void	enter(void);
/* Assertions on a call's result and errno; each prints a line on
 * failure and counts it. */
void	want_capmode(const char *what, long rc, int err);
void	want_ok(const char *what, long rc, int err);
void	want_not_capmode(const char *what, long rc, int err);
void	want_errno(const char *what, long rc, int err, int wanted);
void	want_true(const char *what, bool cond);
/* The failures counted so far in this case. */
int	failures(void);

/* Run a call once and check it: DENIED fails with ECAPMODE, ALLOWED
 * succeeds, PASSES is not refused by capability mode, FAILS_WITH fails
 * with a given errno. */
#define CM_RUN(fn, call, ...) ({ long rc_; errno = 0;			\
	rc_ = (long)(call); fn(#call, rc_, errno, ##__VA_ARGS__); rc_; })
#define DENIED(call)		CM_RUN(want_capmode, call)
#define ALLOWED(call)		CM_RUN(want_ok, call)
#define PASSES(call)		CM_RUN(want_not_capmode, call)
#define FAILS_WITH(e, call)	CM_RUN(want_errno, call, e)

/* The cases: a name and the function that runs it in the child. */
struct cm_case {
	const char	*name;
	void		(*run)(void);
	int		 signal;	/* the child must die of it, or 0 */
};

extern const struct cm_case cases_sys[];
extern const struct cm_case cases_fs[];

#endif
