/*
 * targets.h: choosing the jails an invocation works on and running the
 * operation on each (targets.c).
 */
#ifndef VJ_CMD_TARGETS_H
#define VJ_CMD_TARGETS_H

#include "jail.h"

/* What main() learned from the options. */
struct run {
	bool		 preflight;	/* --preflight: check and stop */
	const char	*conf_file;	/* -f */
	const char	*separator;	/* -e */
	struct vj_params extra;		/* parameters set by options */
};

/* Run the operation over the selected jails; -1 if any failed. */
int	run_targets(struct run *, int op, int argc, char **argv);
/* Run one operation on one jail whose running state (jid) is known. */
int	dispatch(struct cjail *, int op);
/* Remove (or clean) a running jail found by name or jid. */
int	running_target(const char *key, int op);
void	cjail_free(struct cjail *);

/* config.c: jails from jail.conf(5). */
/* Should this invocation read the configuration file? */
bool	config_wanted(struct run *, int op, int argc, char **argv);
/* Run the operation over configured jails (or print them for -e). */
int	config_targets(struct run *, int op, int argc, char **argv);
struct vj_conf;
struct vj_cfjail;
/* One configured jail; -1 if it failed. */
int	config_run_one(struct vj_cfjail *, int op, struct run *);
/* Does op only remove jails (no create, modify or clean after it)? */
bool	pure_removal(int op);
/* Does any of the ordered jails depend on another? */
bool	any_deps(struct vj_cfjail **order, size_t n);
/* Did a dependency of order[i] fail (failed[] by position in order)? */
bool	config_dep_failed(const struct vj_conf *, struct vj_cfjail **order,
	    size_t n, size_t i, const bool *failed);
/* Report a jail skipped for a failed dependency. */
void	config_skip(const struct vj_cfjail *);

/* preflight.c: host limits for a configuration's jails. */
int	preflight(const struct vj_conf *, bool verbose);

/* parallel.c: -p N workers over dependency levels. */
int	config_run_parallel(struct vj_conf *, struct vj_cfjail **order,
	    size_t n, int op, struct run *);

#endif
