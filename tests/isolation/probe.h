/*
 * probe.h: the isolation probe run inside jails (probe.c: harness and
 * options; checks_fs.c, checks_sys.c: the checks of security.md §3.3).
 * It prints one TAP line per assertion; every line states the outcome
 * it wants, so a jail that is too open and one that is too closed both
 * fail.
 */
#ifndef PROBE_H
#define PROBE_H

#include <stdbool.h>
#include <sys/types.h>

/* What the jail was created with (from the command line). */
struct probe_opts {
	const char	*allow[32];	/* allow.* turned on beyond defaults */
	const char	*deny[8];	/* default-on allow.* turned off */
	bool		 userns;	/* user.map */
	bool		 vnet;		/* vnet */
	bool		 rootfs;	/* path is not / */
	bool		 nesting;	/* children.max > 0 */
	bool		 may_mount;	/* allow.mount + type + enforce_statfs<2 */
	bool		 scoped;	/* unix.abstract=new */
	const char	*marker;	/* host-only file (check 1) */
	const char	*procmark;	/* string in a host process's argv */
	const char	*devlist;	/* expected /dev entries, space separated */
	const char	*suid;		/* setuid-root copy of the probe */
	const char	*shmkey;	/* key:mode, a host SysV key */
	const char	*abstract;	/* a host abstract socket name */
	int		 port;		/* a host loopback TCP port */
	const char	*only;		/* comma list of check numbers */
	const char	*capmode;	/* the capability-mode test program */
};

extern struct probe_opts opt;

/* Is allow.<name> on for this jail (defaults included)? */
bool	allowed(const char *name);
/* Print one TAP line: ok or not ok, "#check what". */
void	tap(bool ok, int check, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Print a TAP skip line. */
void	skip(int check, const char *why, const char *what);
/* Assert a call failed with one of a 0-terminated errno list. */
void	want_err(int check, const char *what, long rc, int err,
	    const int *ok);
/* Assert a call succeeded. */
void	want_ok(int check, const char *what, long rc, int err);
/* Assert success when cond, else one of the errnos. */
void	want(int check, bool ok_wanted, const char *what, long rc, int err,
	    const int *errs);
/* Wait for a child; its exit status, or 128+signal. */
int	reap(pid_t);
/* Read a small file into buf; returns its length or -1. */
long	slurp(const char *path, char *buf, long len);

#define ERRS(...)	((const int[]){ __VA_ARGS__, 0 })
/* Run a call and assert on its outcome in one line. */
#define CALL(rc, call)	do { errno = 0; (rc) = (long)(call); } while (0)

/* The checks, by number: 1-18 in checks_fs.c, 19-42 in checks_sys.c,
 * 43 in checks_cap.c. */
typedef void (*check_fn)(int);
extern const check_fn checks_fs[19];
extern const check_fn checks_sys[44];
/* 43: capability mode in the jail (runs opt.capmode). */
void	c_capmode(int);

#endif
