/*
 * cfint.h: what the files of the jail.conf parser share.
 *
 * lex.c turns text into tokens, parse.c tokens into blocks of assignments
 * (and reads .include files), merge.c builds each jail's assignment list
 * from its block, the wildcards and the globals, expand.c substitutes the
 * $variables, conf.c drives a load and turns the result into vj_cfjail.
 */
#ifndef VJ_CFINT_H
#define VJ_CFINT_H

#include <stddef.h>

#include "conf.h"

#define CF_MAX_INCLUDE	32			/* FreeBSD's MAX_INCLUDE_DEPTH */
#define CF_MAX_FILE	(16 * 1024 * 1024)	/* bytes of one file */
#define CF_MAX_NAME	1024			/* bytes of a nested jail name */
#define CF_MAX_VALUE	(1024 * 1024)		/* one substituted value */
#define CF_MAX_TEXT	(64 * 1024 * 1024)	/* all substituted text */

/* A $variable inside a string: its name and where its value goes. */
struct cfvar {
	char	*name;
	size_t	 pos;
};

/* One value: literal text plus the variables still to substitute. */
struct cfstr {
	char		*s;
	size_t		 len;
	struct cfvar	*vars;
	size_t		 nvars;
};

#define CF_VAR		0x01	/* a $variable definition */
#define CF_APPEND	0x02	/* += */
#define CF_NAMEVAL	0x04	/* "name value" without "=" (.include) */
#define CF_IMMUTABLE	0x08	/* jid and name: set once */

/* An assignment: a parameter or a variable with its values. */
struct cfparam {
	char		*name;
	struct cfstr	*vals;
	size_t		 nvals;
	unsigned	 flags;
	const char	*file;
	int		 line;
	int		 gen;		/* expand.c: substitution pass */
};

/* An ordered list of assignments. */
struct cfplist {
	struct cfparam	*v;
	size_t		 n, cap;
};

/* A block as written: a jail, a wildcard, or the global block "*". */
struct cfblock {
	char		*name;
	struct cfplist	 params;
	struct cfblock	*parent;	/* enclosing block while parsing */
	const char	*file;
	int		 line;
	int		 seq;		/* order of appearance, from 1 */
};

/* Everything the files of one load add up to. */
struct cfbuild {
	struct cfblock	**blocks;
	size_t		  nblocks, cap;
	struct cfblock	 *global;	/* parameters outside any block */
	struct cfblock	 *cur;		/* innermost open block */
	int		  depth;	/* .include nesting */
	int		  flags;	/* VJ_CONF_* */
	size_t		  text;		/* bytes substituted so far */
	struct vj_conf	 *conf;		/* owns the file names */
};

/* Tokens (jaillex.l's, with the same gluing rule: STR1/VAR1 follow a
 * piece with no blank between them). */
enum cftok {
	TK_EOF, TK_STR, TK_STR1, TK_VAR, TK_VAR1, TK_PLEQ, TK_CHAR
};

struct cftoken {
	enum cftok	 kind;
	int		 ch;		/* TK_CHAR: , ; = { } or a stray byte */
	char		*text;		/* strings, variable names: malloc'd */
	size_t		 len;
	const char	*raw;		/* the text as written, for messages */
	size_t		 rawlen;
	int		 line;		/* where the token ends */
};

/* Lexer state over one file held in memory. */
struct cflex {
	const char	*file;
	const char	*buf;
	size_t		 len, pos;
	size_t		 dq_end;	/* closing quote of the string split */
	int		 line;
	int		 glued;		/* the next piece sticks to the last */
	int		 dq;		/* inside "..." after a $variable */
};

/* lex.c */
void	cf_lex_init(struct cflex *, const char *file, const char *buf,
	    size_t len);
int	cf_lex(struct cflex *, struct cftoken *, struct vj_error *);
void	cf_token_clear(struct cftoken *);

/* parse.c */
int	cf_parse_path(struct cfbuild *, const char *path, int is_stdin,
	    struct vj_error *);
int	cf_parse_mem(struct cfbuild *, const char *name, const char *buf,
	    size_t len, struct vj_error *);
const char *cf_keep_name(struct cfbuild *, const char *name);

/* merge.c */
int	cf_equalopts(const char *a, const char *b);
struct cfparam *cf_plist_find(const struct cfplist *, const char *name);
struct cfparam *cf_plist_push(struct cfplist *);
int	cf_str_copy(struct cfstr *dst, const struct cfstr *src);
void	cf_str_free(struct cfstr *);
void	cf_param_free(struct cfparam *);
void	cf_plist_free(struct cfplist *);
int	cf_merge_jail(const struct cfbuild *, const struct cfblock *jail,
	    struct cfplist *out, struct vj_error *);

/* expand.c */
int	cf_expand(struct cfbuild *, const char *jail, struct cfplist *,
	    struct vj_error *);

#endif
