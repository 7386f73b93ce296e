/*
 * jls.h: shared state of jls(8): what to print and how.
 */
#ifndef JLS_H
#define JLS_H

#include <stddef.h>

#include "vjail.h"

/* Print modes, as the options set them. */
#define P_DEFAULT	0x001	/* jid, ip, hostname, path columns */
#define P_HEADER	0x002	/* -h */
#define P_NAMEVAL	0x004	/* -n */
#define P_QUOTED	0x008	/* -q */
#define P_SKIP		0x010	/* -s */
#define P_VERBOSE	0x020	/* -v */
#define P_NAME		0x040	/* -N */
#define P_CHECK		0x080	/* -c */

/* One parameter to print (or, with -s, a jailsys parent to consult). */
struct col {
	char		*name;		/* as asked ("allow.nomount", "meta.k") */
	const char	*native;	/* registry name holding the value */
	const char	*key;		/* meta/env key, or NULL */
	int		 type;		/* VJ_PT_* */
	unsigned	 flags;		/* VJ_PF_* */
	int		 nobool;	/* "no" name of a boolean */
	int		 user;		/* printed, not only consulted */
	int		 parent;	/* index of its jailsys parent, or -1 */
	int		 inall;		/* one of those "all" stands for */
};

struct jls {
	unsigned	 pflags;
	int		 jflags;	/* VJ_DYING with -d */
	const char	*jail;		/* -j */
	int		 all;		/* "all": also each jail's epair.* */
	int		 json, pretty;	/* --libxo */
	struct col	*cols;
	size_t		 ncols;
	void		*jails;		/* JSON: the "jail" array */
};

/* columns.c: the parameter list. */
int	cols_add(struct jls *, const char *name, int user);
int	cols_add_all(struct jls *);
int	cols_add_parents(struct jls *);
void	cols_free(struct jls *);
/* A function called for each column printed for one jail. */
typedef int (*col_fn)(const struct jls *, const struct col *,
    const struct vj_params *, void *);
/* Call fn for each column to print for one jail (what -s skips left
 * out): the ones asked for, and, for "all", the jail's own prefix
 * parameters (epair.e0.ip4...) in their sorted place. */
int	cols_walk(const struct jls *, const struct vj_params *, col_fn,
	    void *);
/* The text of a column for one jail (malloc'd); NULL when it has no
 * value at all (a missing meta key). Lists are comma-separated. */
char	*col_text(const struct col *, const struct vj_params *);
/* Number of values of a list column (addresses), 0 if none. */
size_t	col_count(const struct col *, const struct vj_params *);
/* A boolean column's value as the name asks it ("nopersist": inverted). */
int	col_bool(const struct col *, const struct vj_params *);
/* Should -s leave this column out for this jail? */
int	col_skipped(const struct jls *, const struct col *,
	    const struct vj_params *);
/* The address part of a stored address ("em0|192.0.2.1/24"). */
void	addr_part(const char *v, char *buf, size_t len);

/* text.c and json.c: one output style each. */
void	text_header(const struct jls *);
int	text_jail(const struct jls *, const struct vj_params *);
int	json_start(struct jls *);
int	json_jail(struct jls *, const struct vj_params *);
int	json_finish(struct jls *);

#endif
