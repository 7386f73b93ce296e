/*
 * conf.h: the jail.conf(5) parser.
 *
 * A load reads a file (and what it includes), merges wildcard blocks and
 * global parameters into every jail with FreeBSD's precedence, substitutes
 * $variables per jail and returns the configured (non-wildcard) jails in
 * file order, their parameters in jail(8)'s order.  Values are kept as
 * written (no canonicalisation): "allow.nomount" stays "allow.nomount".
 *
 * Errors follow the library idiom: -1 and a struct vj_error whose message
 * is FreeBSD's text without the "jail: " prefix the tool adds, e.g.
 *   /etc/jail.conf line 3: }: syntax error
 *   /etc/jail.conf: unexpected EOF
 *   a: path: variable "root" not found
 *   /etc/jail.conf line 12: unknown parameter: foo
 * The first error stops the load (FreeBSD reports more and then exits).
 *
 * Where we differ from FreeBSD on purpose: a jail name may be glued from
 * pieces (foo.* unquoted opens a wildcard block; FreeBSD wants "foo.*");
 * a list variable standing alone ("$list") becomes several values (the
 * documented intent; FreeBSD's code crashes there); errors that FreeBSD
 * reports per jail (variables, redefinitions) fail the whole load; limits
 * guard against hostile files (16 MiB a file, 1 KiB a jail name, 1 MiB a
 * substituted value, 64 MiB of substitutions in all).
 */
#ifndef VJ_CONF_H
#define VJ_CONF_H

#include <stdio.h>

#include "vjail.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VJ_CONF_FILE	"/etc/jail.conf"
#define VJ_CONF_DIR	"/etc/jail.conf.d"

/* Flags for the vj_conf_load* functions. */
#define VJ_CONF_NOCHECK		0x01	/* keep unknown parameters (jail -e) */
#define VJ_CONF_NOINCLUDE	0x02	/* refuse .include (untrusted text) */

/* A dependency edge: from depend=..., or light (a.b on its parent a). */
struct vj_cfdep {
	char		 *name;		/* as written */
	struct vj_cfjail *jail;		/* NULL: no such jail in the file */
	int		  light;	/* implied by the name: existence only */
};

/* Set by vj_conf_order on the jails it returns. */
#define VJ_CFO_TARGET	0x01	/* named on the command line */
#define VJ_CFO_WILD	0x02	/* selected by "*", "foo.*" or no target */
#define VJ_CFO_DEPEND	0x04	/* only pulled in as a dependency */

/* One configured jail after merging and substitution. */
struct vj_cfjail {
	char		 *name;		/* block name, nested: "a.b"; "5" */
	struct vj_params  params;	/* name=..., jid=... first (see below) */
	int		  jid;		/* the jid parameter if numeric, or 0 */
	struct vj_cfdep	 *deps;
	size_t		  ndeps;
	const char	 *file;		/* where the block starts */
	int		  line;
	int		  seq;		/* order of appearance, from 1 */
	unsigned	  oflags;	/* VJ_CFO_* from the last vj_conf_order */
};

/* A loaded configuration. */
struct vj_conf {
	struct vj_cfjail *jails;	/* file order */
	size_t		  njails;
	char		**files;	/* every file read (vj_param.file) */
	size_t		  nfiles;
};

/*
 * Load a jail.conf file.  path "-" reads stdin (messages say "STDIN").
 * out is overwritten; on success the caller frees it with vj_conf_free;
 * on failure it is left empty.  Unless VJ_CONF_NOCHECK, every parameter
 * of every jail must be known to vj_param_lookup() and booleans and
 * integers must parse (vj_conf_check_jail).
 * Parameters of a jail: the implied "name" (or "jid" for a numeric block
 * name) first, then the merged parameters in order of first appearance,
 * then "name" back-filled for a numeric block that set none.  Each
 * vj_param has the file and line of the assignment that last set it.
 */
int	vj_conf_load(const char *path, int flags, struct vj_conf *out,
	    struct vj_error *err);

/* As vj_conf_load, from memory; name is the file name for messages and
 * relative includes.  The text may hold NUL bytes (they end a token). */
int	vj_conf_load_mem(const char *name, const char *buf, size_t len,
	    int flags, struct vj_conf *out, struct vj_error *err);

/* As vj_conf_load_mem over a NUL-terminated string. */
int	vj_conf_load_string(const char *name, const char *text, int flags,
	    struct vj_conf *out, struct vj_error *err);

/*
 * Load file, then the *.conf files of dir in sorted order, as one
 * configuration (as if file ended with an .include of them).  A missing
 * file or dir is fine as long as one of them exists; neither is ENOENT.
 */
int	vj_conf_load_dir(const char *file, const char *dir, int flags,
	    struct vj_conf *out, struct vj_error *err);

/* vj_conf_load_dir(VJ_CONF_FILE, VJ_CONF_DIR, ...). */
int	vj_conf_load_default(int flags, struct vj_conf *out,
	    struct vj_error *err);

/* Free what a load returned (a zeroed struct is fine). */
void	vj_conf_free(struct vj_conf *);

/* The first jail whose block name is name, or NULL. */
struct vj_cfjail *vj_conf_find(const struct vj_conf *, const char *name);

/*
 * Check one jail's parameters against the registry: unknown names fail
 * with "FILE line N: unknown parameter: NAME", bad booleans and integers
 * with "FILE line N: NAME: unknown boolean value "x"" (vj_param_canon's
 * text).  Loads do this for every jail unless VJ_CONF_NOCHECK.
 */
int	vj_conf_check_jail(const struct vj_cfjail *, struct vj_error *err);

/*
 * Print a jail as jail -e does: name=value pairs (bare names for
 * parameters without a value) joined by sep, list values joined by
 * commas, "jid" left out, then a newline.
 */
void	vj_conf_print(FILE *out, const struct vj_cfjail *, const char *sep);
/* The same for any parameter set (jail -J: print "jid=N" + sep first). */
void	vj_conf_print_params(FILE *out, const struct vj_params *,
	    const char *sep);
/* Print one value with jail(8)'s quoting: "" when empty; in "..." when it
 * holds ' or blanks, in '...' when it holds "; \ and the quote escaped. */
void	vj_conf_print_value(FILE *out, const char *value);

/* Flags for vj_conf_order. */
#define VJ_ORDER_STOP	0x01	/* removal: dependents first */

/*
 * The jails an operation runs on, in dependency order.  targets: block
 * names, "*" (all) or wildcards ("foo.*"); none means all.  A jail named
 * on its own must exist ("\"x\" not found", ENOENT).  For a start the
 * jails the targets depend on are added (VJ_CFO_DEPEND) and come first;
 * for VJ_ORDER_STOP the jails depending on the targets are added and the
 * order is reversed (dependents first, later jails first).  Errors:
 * "a: depends on undefined jail \"x\"", "a: dependency loop" (ELOOP).
 * *order is malloc'd (free it); its jails point into conf.
 */
int	vj_conf_order(struct vj_conf *, const char *const *targets,
	    size_t ntargets, int flags, struct vj_cfjail ***order, size_t *n,
	    struct vj_error *err);

/* Is name a wildcard: a component that is exactly "*" ("*", "a.*.c")? */
int	vj_conf_wild_name(const char *name);
/* Does a jail name match a wildcard?  A "*" component matches one name
 * component, a final "*" one or more: "a.*" matches a.b and a.b.c. */
int	vj_conf_wild_match(const char *name, const char *wild);

#ifdef __cplusplus
}
#endif

#endif
