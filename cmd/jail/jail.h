/*
 * jail.h: what the files of the jail command share.
 */
#ifndef VJ_CMD_JAIL_H
#define VJ_CMD_JAIL_H

#include <stdbool.h>
#include <sys/types.h>

#include "vjail.h"

/* The operation asked for (jail(8)'s -c, -m, -r and their mixes). */
#define OP_CREATE	0x01	/* -c */
#define OP_MODIFY	0x02	/* -m */
#define OP_REMOVE	0x04	/* -r */
#define OP_CLEAN	0x08	/* -C: commands that follow removal */

/* One jail the command works on. */
struct cjail {
	char		 name[256];	/* as configured ("" if only a jid) */
	struct vj_params params;	/* everything, pseudo-parameters too */
	int		 jid;		/* running jid, or -1 */
	bool		 from_conf;	/* described by a config file */
	bool		 failed;
	bool		 added_persist;	/* persist set only while commands run */
	char	       **command;	/* command=... argv from the command line */
	const char	*file;		/* config file and line of its block */
	int		 line;
	int		 seq;
};

/* Options that every step reads. */
struct opts {
	int		 verbose;	/* -1 quiet (-q), 0, 1 (-v) */
	bool		 print_jid;	/* -i */
	const char	*jid_file;	/* -J */
	bool		 remove_plain;	/* -R: no commands */
	bool		 note_remove;	/* print "removed" */
	int		 paralimit;	/* -p */
};

extern struct opts opt;
extern struct vj_ctx *ctx;

/* command.c: run exec.* commands on the host or in the jail. */
int	run_commands(struct cjail *, const char *param, bool in_jail);
int	run_argv_in_jail(struct cjail *, char *const argv[]);

/* lifecycle.c: the ordered steps of create, modify, remove, clean. */
int	jail_start(struct cjail *);
int	jail_modify(struct cjail *);
int	jail_stop(struct cjail *);
int	jail_clean(struct cjail *);
int	jail_restart(struct cjail *, bool only_if_create_param);

/* creation.c: creations kept in flight during a run of jail -c. */
void	creation_window(bool open);
bool	creation_deferrable(const struct cjail *);
int	creation_queue(struct cjail *, const struct vj_params *);
int	creation_report(struct cjail *, int jid, const struct vj_error *);
int	creation_drain(void);
/* removal.c: removals kept in flight during a run of jail -r. */
void	removal_window(bool open);
int	removal_run(struct cjail *, bool defer);
int	removal_drain(void);

/* cmdline.c: param=value words into a cjail. */
int	cmdline_params(struct cjail *, int argc, char **argv);

/* print.c: -J and -e output. */
void	print_jail(FILE *, const struct cjail *, const char *sep);

/* Messages: "jail: NAME: ..." on stderr, "NAME: ..." notes on stdout. */
void	jail_warnx(const struct cjail *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	jail_note(const struct cjail *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* The name to print for a jail. */
const char *jail_label(const struct cjail *);
/* A parameter's first value or NULL. */
const char *cparam(const struct cjail *, const char *name);
bool	cparam_bool(const struct cjail *, const char *name);

#endif
