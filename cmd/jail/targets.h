/*
 * targets.h: choosing the jails an invocation works on and running the
 * operation on each (targets.c).
 */
#ifndef VJ_CMD_TARGETS_H
#define VJ_CMD_TARGETS_H

#include "jail.h"

/* What main() learned from the options. */
struct run {
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

#endif
