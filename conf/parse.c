/*
 * parse.c: the jail.conf(5) grammar, by hand, and .include.
 *
 *   conf   := { jail | param ';' | ';' }
 *   jail   := STR '{' conf '}'           nested: the name is "outer.STR"
 *   param  := name [ ('=' | '+=') value | value ]
 *   name   := STR | VAR                  VAR: a $variable definition
 *   value  := string { ',' string }
 *   string := (STR | VAR) { STR1 | VAR1 }
 *
 * Errors are found at the same token as FreeBSD's yacc parser finds them.
 * One extension: a jail name may be glued pieces (foo.* is "foo." and
 * "*"), which FreeBSD refuses unless quoted ("foo.*").
 */
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfint.h"
#include "error.h"
#include "util.h"

/* One file being parsed. */
struct cfparser {
	struct cfbuild	*b;
	struct cflex	 lx;
	struct cftoken	 la;		/* the lookahead token */
	int		 have;		/* la is filled */
	int		 open;		/* blocks this file opened */
	int		 is_stdin;
};

/* Keep a file name for the life of the configuration. */
const char *
cf_keep_name(struct cfbuild *b, const char *name)
{
	struct vj_conf *c = b->conf;
	char **nv, *copy;

	copy = strdup(name);
	nv = realloc(c->files, (c->nfiles + 1) * sizeof(*nv));
	if (copy == NULL || nv == NULL) {
		free(copy);
		if (nv != NULL)
			c->files = nv;
		return NULL;
	}
	c->files = nv;
	c->files[c->nfiles++] = copy;
	return copy;
}

/* Read a whole stream; -1 with errno on failure. */
static int
read_stream(FILE *f, char **bufp, size_t *lenp)
{
	size_t len = 0, cap = 0, n;
	char *buf = NULL, *nb;

	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 8192;
			if (cap > CF_MAX_FILE + 1)
				cap = CF_MAX_FILE + 1;
			if (len == cap) {
				free(buf);
				errno = EFBIG;
				return -1;
			}
			if ((nb = realloc(buf, cap)) == NULL) {
				free(buf);
				return -1;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		return -1;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

/* Make sure the lookahead is filled. */
static int
peek(struct cfparser *p, struct vj_error *err)
{
	if (!p->have) {
		if (cf_lex(&p->lx, &p->la, err) < 0)
			return -1;
		p->have = 1;
	}
	return 0;
}

/* Hand the lookahead (and its text) over to the caller. */
static void
take(struct cfparser *p, struct cftoken *t)
{
	*t = p->la;
	memset(&p->la, 0, sizeof(p->la));
	p->have = 0;
}

/* Forget the lookahead. */
static void
drop(struct cfparser *p)
{
	cf_token_clear(&p->la);
	p->have = 0;
}

/* Is the lookahead the character c? */
static int
la_is(const struct cfparser *p, int c)
{
	return p->la.kind == TK_CHAR && p->la.ch == c;
}

/* "FILE line N: TOKEN: syntax error", or "FILE: unexpected EOF". */
static int
syntax(const struct cfparser *p, const struct cftoken *t,
    struct vj_error *err)
{
	if (t->kind == TK_EOF)
		return vj_err_set(err, EINVAL, "%s: unexpected EOF",
		    p->lx.file);
	return vj_err_set(err, EINVAL, "%s line %d: %.*s: syntax error",
	    p->lx.file, t->line, (int)t->rawlen, t->raw);
}

/* A new string: the first alen bytes of a, then sep, then b. */
static char *
join(const char *a, size_t alen, const char *sep, const char *b)
{
	size_t slen = strlen(sep), blen = strlen(b);
	char *s = malloc(alen + slen + blen + 1);

	if (s == NULL)
		return NULL;
	memcpy(s, a, alen);
	memcpy(s + alen, sep, slen);
	memcpy(s + alen + slen, b, blen + 1);
	return s;
}

/* Append a new block (jail, wildcard or the global one). */
static struct cfblock *
new_block(struct cfbuild *b, char *name, const char *file, int line)
{
	struct cfblock *blk, **nv;
	size_t cap;

	if (b->nblocks == b->cap) {
		cap = b->cap ? b->cap * 2 : 16;
		if ((nv = realloc(b->blocks, cap * sizeof(*nv))) == NULL)
			return NULL;
		b->blocks = nv;
		b->cap = cap;
	}
	if ((blk = calloc(1, sizeof(*blk))) == NULL)
		return NULL;
	blk->name = name;
	blk->file = file;
	blk->line = line;
	blk->seq = (int)b->nblocks + 1;
	b->blocks[b->nblocks++] = blk;
	return blk;
}

/* Open a block named name (taken over), nested in the current one. */
static int
open_block(struct cfparser *p, char *name, int line, struct vj_error *err)
{
	struct cfbuild *b = p->b;
	struct cfblock *blk;
	char *full = name;

	if (b->cur != NULL) {
		full = join(b->cur->name, strlen(b->cur->name), ".", name);
		free(name);
		if (full == NULL)
			return vj_err_sys(err, "%s", p->lx.file);
	}
	if (strlen(full) > CF_MAX_NAME) {
		free(full);
		return vj_err_set(err, ENAMETOOLONG,
		    "%s line %d: jail name too long", p->lx.file, line);
	}
	if ((blk = new_block(b, full, p->lx.file, line)) == NULL) {
		free(full);
		return vj_err_sys(err, "%s", p->lx.file);
	}
	blk->parent = b->cur;
	b->cur = blk;
	p->open++;
	return 0;
}

/* Append piece t (taken over) to value s: text, or a variable at the end. */
static int
str_add(struct cfstr *s, struct cftoken *t)
{
	struct cfvar *nv;
	char *ns;

	if (t->kind == TK_VAR || t->kind == TK_VAR1) {
		nv = realloc(s->vars, (s->nvars + 1) * sizeof(*nv));
		if (nv == NULL)
			return -1;
		s->vars = nv;
		nv[s->nvars].name = vj_steal(t->text);
		nv[s->nvars++].pos = s->len;
		return 0;
	}
	if ((ns = realloc(s->s, s->len + t->len + 1)) == NULL)
		return -1;
	memcpy(ns + s->len, t->text, t->len);
	s->len += t->len;
	ns[s->len] = '\0';
	s->s = ns;
	return 0;
}

/* string := (STR | VAR) { STR1 | VAR1 }, appended to prm's values. */
static int
parse_string(struct cfparser *p, struct cfparam *prm, struct vj_error *err)
{
	struct cfstr *nv, *s;
	struct cftoken t;
	int rc;

	nv = realloc(prm->vals, (prm->nvals + 1) * sizeof(*nv));
	if (nv == NULL)
		return vj_err_sys(err, "%s", p->lx.file);
	prm->vals = nv;
	s = &nv[prm->nvals++];
	memset(s, 0, sizeof(*s));
	if ((s->s = strdup("")) == NULL)
		return vj_err_sys(err, "%s", p->lx.file);
	do {
		take(p, &t);
		rc = str_add(s, &t);
		cf_token_clear(&t);
		if (rc < 0)
			return vj_err_sys(err, "%s", p->lx.file);
		if (peek(p, err) < 0)
			return -1;
	} while (p->la.kind == TK_STR1 || p->la.kind == TK_VAR1);
	return 0;
}

/* value := string { ',' string }, up to the ';' (left as lookahead). */
static int
parse_value(struct cfparser *p, struct cfparam *prm, struct vj_error *err)
{
	for (;;) {
		if (peek(p, err) < 0)
			return -1;
		if (p->la.kind != TK_STR && p->la.kind != TK_VAR)
			return syntax(p, &p->la, err);
		if (parse_string(p, prm, err) < 0)
			return -1;
		if (la_is(p, ';'))
			return 0;
		if (!la_is(p, ','))
			return syntax(p, &p->la, err);
		drop(p);
	}
}

/* Resolve an .include name against the including file's directory. */
static char *
include_name(const struct cfparser *p, const char *name)
{
	const char *slash = strrchr(p->lx.file, '/');

	if (p->is_stdin || name[0] == '/' || slash == NULL)
		return strdup(name);
	return join(p->lx.file, (size_t)(slash - p->lx.file + 1), "", name);
}

/* Parse every file a glob pattern matches (none is fine). */
static int
include_glob(struct cfbuild *b, const char *pattern, struct vj_error *err)
{
	glob_t g;
	size_t i;
	int rc;

	memset(&g, 0, sizeof(g));
	rc = glob(pattern, 0, NULL, &g);
	if (rc == GLOB_NOMATCH)
		return 0;
	if (rc != 0)
		return vj_err_set(err, EIO, "%s: filename glob failed",
		    pattern);
	for (i = 0, rc = 0; i < g.gl_pathc && rc == 0; i++)
		rc = cf_parse_path(b, g.gl_pathv[i], 0, err);
	globfree(&g);
	return rc;
}

/* .include "name": one file, or every match of a glob pattern. */
static int
include(struct cfparser *p, const struct cfstr *s, struct vj_error *err)
{
	struct cfbuild *b = p->b;
	vj_autofree char *full = NULL;
	int rc;

	if (s->nvars > 0)
		return vj_err_set(err, EINVAL, "%s line %d: variables not "
		    "permitted in '.include' filename", p->lx.file,
		    p->lx.line);
	if (b->flags & VJ_CONF_NOINCLUDE)
		return vj_err_set(err, EPERM,
		    "%s line %d: .include not permitted", p->lx.file,
		    p->lx.line);
	if (b->depth >= CF_MAX_INCLUDE)
		return vj_err_set(err, ELOOP, "maximum include depth exceeded");
	if ((full = include_name(p, s->s)) == NULL)
		return vj_err_sys(err, "%s", p->lx.file);
	b->depth++;
	if (strpbrk(full, "*?[") != NULL)
		rc = include_glob(b, full, err);
	else
		rc = cf_parse_path(b, full, 0, err);
	b->depth--;
	return rc;
}

/* A finished statement: run .include, or file it under its block. */
static int
file_param(struct cfparser *p, struct cfparam *prm, struct vj_error *err)
{
	struct cfbuild *b = p->b;
	struct cfblock *blk = b->cur;
	struct cfparam *slot;
	size_t i;

	if ((prm->flags & (CF_VAR | CF_APPEND | CF_NAMEVAL)) == CF_NAMEVAL &&
	    strcmp(prm->name, ".include") == 0) {
		for (i = 0; i < prm->nvals; i++)
			if (include(p, &prm->vals[i], err) < 0)
				return -1;
		cf_param_free(prm);
		return 0;
	}
	if (blk == NULL && b->global == NULL) {
		char *star = strdup("*");

		if (star == NULL || (b->global = new_block(b, star,
		    p->lx.file, prm->line)) == NULL) {
			free(star);
			return vj_err_sys(err, "%s", p->lx.file);
		}
	}
	if (blk == NULL)
		blk = b->global;
	if ((slot = cf_plist_push(&blk->params)) == NULL)
		return vj_err_sys(err, "%s", p->lx.file);
	*slot = *prm;
	memset(prm, 0, sizeof(*prm));
	return 0;
}

/* param := name [ ('=' | '+=') value | value ] ';' ; name taken over. */
static int
parse_param(struct cfparser *p, struct cftoken *name, struct vj_error *err)
{
	struct cfparam prm;
	int rc = -1;

	memset(&prm, 0, sizeof(prm));
	prm.flags = name->kind == TK_VAR ? CF_VAR : 0;
	prm.name = vj_steal(name->text);
	prm.file = p->lx.file;
	prm.line = name->line;
	if (peek(p, err) < 0)
		goto out;
	if (la_is(p, '=') || p->la.kind == TK_PLEQ) {
		if (p->la.kind == TK_PLEQ)
			prm.flags |= CF_APPEND;
		drop(p);
		if (parse_value(p, &prm, err) < 0)
			goto out;
	} else if (p->la.kind == TK_STR || p->la.kind == TK_VAR) {
		prm.flags |= CF_NAMEVAL;
		if (parse_value(p, &prm, err) < 0)
			goto out;
	} else if (!la_is(p, ';')) {
		syntax(p, &p->la, err);
		goto out;
	}
	drop(p);
	rc = file_param(p, &prm, err);
out:
	cf_param_free(&prm);
	return rc;
}

/*
 * A jail name glued from pieces (foo.* or "a"b) must open a block; else
 * the error is FreeBSD's, at the second piece.  name->text grows.
 */
static int
glued_name(struct cfparser *p, struct cftoken *name, struct vj_error *err)
{
	struct cftoken second = p->la;
	char *nt;

	second.text = NULL;
	while (p->la.kind == TK_STR1) {
		nt = realloc(name->text, name->len + p->la.len + 1);
		if (nt == NULL)
			return vj_err_sys(err, "%s", p->lx.file);
		memcpy(nt + name->len, p->la.text, p->la.len + 1);
		name->text = nt;
		name->len += p->la.len;
		drop(p);
		if (peek(p, err) < 0)
			return syntax(p, &second, err);
	}
	if (!la_is(p, '{'))
		return syntax(p, &second, err);
	return 0;
}

/* A statement that starts with a word: a jail block or a parameter. */
static int
parse_word(struct cfparser *p, struct vj_error *err)
{
	struct cftoken name;
	int rc = -1;

	take(p, &name);
	if (peek(p, err) < 0)
		goto out;
	if (name.kind == TK_STR && p->la.kind == TK_STR1 &&
	    glued_name(p, &name, err) < 0)
		goto out;
	if (name.kind == TK_STR && la_is(p, '{')) {
		drop(p);
		rc = open_block(p, vj_steal(name.text), name.line, err);
	} else
		rc = parse_param(p, &name, err);
out:
	cf_token_clear(&name);
	return rc;
}

/* conf := { jail | param ';' | ';' }, blocks opened and closed in place. */
static int
parse_conf(struct cfparser *p, struct vj_error *err)
{
	for (;;) {
		if (peek(p, err) < 0)
			return -1;
		switch (p->la.kind) {
		case TK_EOF:
			if (p->open > 0)
				return syntax(p, &p->la, err);
			return 0;
		case TK_STR:
		case TK_VAR:
			if (parse_word(p, err) < 0)
				return -1;
			break;
		case TK_CHAR:
			if (la_is(p, ';')) {
				drop(p);
				break;
			}
			if (la_is(p, '}') && p->open > 0) {
				drop(p);
				p->b->cur = p->b->cur->parent;
				p->open--;
				break;
			}
			/* FALLTHROUGH */
		default:
			return syntax(p, &p->la, err);
		}
	}
}

/* Parse text held in memory; file is a kept name. */
static int
parse_buf(struct cfbuild *b, const char *file, const char *buf, size_t len,
    int is_stdin, struct vj_error *err)
{
	struct cfparser p;
	int rc;

	memset(&p, 0, sizeof(p));
	p.b = b;
	p.is_stdin = is_stdin;
	cf_lex_init(&p.lx, file, buf, len);
	rc = parse_conf(&p, err);
	cf_token_clear(&p.la);
	return rc;
}

/* Parse text held in memory under a file name. */
int
cf_parse_mem(struct cfbuild *b, const char *name, const char *buf,
    size_t len, struct vj_error *err)
{
	const char *kept = cf_keep_name(b, name);

	if (kept == NULL)
		return vj_err_sys(err, "%s", name);
	return parse_buf(b, kept, buf, len, 0, err);
}

/* Parse a file, or stdin (shown as STDIN). */
int
cf_parse_path(struct cfbuild *b, const char *path, int is_stdin,
    struct vj_error *err)
{
	vj_autofree char *buf = NULL;
	const char *kept;
	size_t len;
	FILE *f = stdin;
	int rc;

	if (!is_stdin && (f = fopen(path, "re")) == NULL)
		return vj_err_sys(err, "%s", path);
	rc = read_stream(f, &buf, &len);
	if (f != stdin)
		fclose(f);
	if (rc < 0)
		return vj_err_sys(err, "%s", is_stdin ? "STDIN" : path);
	if ((kept = cf_keep_name(b, is_stdin ? "STDIN" : path)) == NULL)
		return vj_err_sys(err, "%s", path);
	return parse_buf(b, kept, buf, len, is_stdin, err);
}
