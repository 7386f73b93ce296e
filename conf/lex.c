/*
 * lex.c: the jail.conf(5) lexer, by hand.
 *
 * It splits text the way FreeBSD's jaillex.l does, so that syntax errors
 * name the same token: a double-quoted string with a $variable inside is
 * returned in pieces (text before it, the variable, the rest), and pieces
 * with no blank between them are glued (STR1/VAR1) into one value.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cfint.h"
#include "error.h"

/* Characters of an unquoted word. */
static int
is_atom(int c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("_!%&()-.:<>?@[]^`|~", c) != NULL;
}

/* Characters that may start a $name. */
static int
is_var1(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* Characters that may continue a $name. */
static int
is_var(int c)
{
	return is_var1(c) || (c >= '0' && c <= '9');
}

/* The value of a hex digit, or -1. */
static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Start lexing one file held in memory. */
void
cf_lex_init(struct cflex *lx, const char *file, const char *buf, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->file = file;
	lx->buf = buf;
	lx->len = len;
	lx->line = 1;
}

/* Free a token's text. */
void
cf_token_clear(struct cftoken *t)
{
	free(t->text);
	memset(t, 0, sizeof(*t));
}

/* Move over n bytes, counting lines. */
static void
advance(struct cflex *lx, size_t n)
{
	for (; n > 0 && lx->pos < lx->len; n--)
		if (lx->buf[lx->pos++] == '\n')
			lx->line++;
}

/* The byte at pos + off, or NUL past the end. */
static int
at(const struct cflex *lx, size_t off)
{
	return lx->pos + off < lx->len ?
	    (unsigned char)lx->buf[lx->pos + off] : '\0';
}

/* Decode one backslash escape at s[0] = '\\'; returns bytes used. */
static size_t
unescape1(const char *s, size_t n, char *out, int *emit)
{
	static const char from[] = "abfnrtv", to[] = "\a\b\f\n\r\t\v";
	const char *p;
	size_t i;
	int v, h;

	*emit = 1;
	if (n < 2) {
		*out = '\0';	/* a lone backslash at the very end */
		return n;
	}
	if (s[1] >= '0' && s[1] <= '7') {
		for (v = 0, i = 1; i < 4 && i < n && s[i] >= '0' &&
		    s[i] <= '7'; i++)
			v = v * 8 + (s[i] - '0');
		*out = (char)v;
		return i;
	}
	if (s[1] == 'x') {
		for (v = 0, i = 2; i < 4 && i < n &&
		    (h = hexval((unsigned char)s[i])) >= 0; i++)
			v = v * 16 + h;
		*out = (char)v;
		return i;
	}
	if (s[1] == '\n')
		*emit = 0;
	else if ((p = strchr(from, s[1])) != NULL && s[1] != '\0')
		*out = to[p - from];
	else
		*out = s[1];
	return 2;
}

/*
 * Decode escapes of s[0..n) into a new string, stopping at an unescaped
 * '$' when tovar (*used: bytes read).  Like FreeBSD, a token ends at the
 * first NUL it decodes to.
 */
static char *
unescape(const char *s, size_t n, int tovar, size_t *used, size_t *outlen)
{
	char *out = malloc(n + 1), c;
	size_t i = 0, o = 0;
	int emit;

	if (out == NULL)
		return NULL;
	while (i < n) {
		if (s[i] == '\\') {
			i += unescape1(s + i, n - i, &c, &emit);
			if (emit)
				out[o++] = c;
			continue;
		}
		if (tovar && s[i] == '$')
			break;
		out[o++] = s[i++];
	}
	out[o] = '\0';
	*used = i;
	*outlen = strlen(out);
	return out;
}

/* Fill a string or variable token from raw text; consumes rawlen bytes. */
static int
piece(struct cflex *lx, struct cftoken *t, int var, size_t rawlen,
    size_t skip, size_t trim, struct vj_error *err)
{
	size_t used;

	t->raw = lx->buf + lx->pos;
	t->rawlen = rawlen;
	t->text = unescape(t->raw + skip, rawlen - skip - trim, 0, &used,
	    &t->len);
	if (t->text == NULL)
		return vj_err_sys(err, "%s", lx->file);
	if (var)
		t->kind = lx->glued ? TK_VAR1 : TK_VAR;
	else
		t->kind = lx->glued ? TK_STR1 : TK_STR;
	lx->glued = 1;
	advance(lx, rawlen);
	t->line = lx->line;
	return 0;
}

/* An error at the current line: "FILE line N: what". */
static int
lex_error(const struct cflex *lx, const char *what, struct vj_error *err)
{
	return vj_err_set(err, EINVAL, "%s line %d: %s", lx->file, lx->line,
	    what);
}

/* Length of the block comment at pos through its end, or 0. */
static size_t
comment_end(const struct cflex *lx)
{
	size_t i;

	for (i = lx->pos + 2; i + 1 < lx->len; i++)
		if (lx->buf[i] == '*' && lx->buf[i + 1] == '/')
			return i + 2 - lx->pos;
	return 0;
}

/* Skip blanks and comments; -1 on an unterminated comment. */
static int
skip_blank(struct cflex *lx, struct vj_error *err)
{
	size_t end;
	int c;

	for (;;) {
		c = at(lx, 0);
		if (lx->pos >= lx->len)
			return 0;
		if (c == ' ' || c == '\t' || c == '\n') {
			lx->glued = 0;
			advance(lx, 1);
		} else if (c == '#' || (c == '/' && at(lx, 1) == '/')) {
			while (lx->pos < lx->len && at(lx, 0) != '\n')
				advance(lx, 1);
		} else if (c == '/' && at(lx, 1) == '*') {
			end = comment_end(lx);
			if (end == 0)
				return lex_error(lx, "unterminated comment",
				    err);
			advance(lx, end);
			lx->glued = 0;
		} else
			return 0;
	}
}

/* Length of a backslash escape token at pos. */
static size_t
escape_len(const struct cflex *lx)
{
	size_t n = 2;

	if (lx->pos + 1 >= lx->len)
		return 1;
	if (at(lx, 1) >= '0' && at(lx, 1) <= '7')
		while (n < 4 && at(lx, n) >= '0' && at(lx, n) <= '7' &&
		    lx->pos + n < lx->len)
			n++;
	else if (at(lx, 1) == 'x')
		while (n < 4 && hexval(at(lx, n)) >= 0 && lx->pos + n < lx->len)
			n++;
	return n;
}

/*
 * Length of a quoted run from pos (the opening quote) through the closing
 * quote; a backslash escapes anything.  0 if it is not closed.  In a
 * "${...}" (brace) the run may not hold a newline, "{", or (in a double-
 * quoted string, stop = '"') a quote; it ends at "}".
 */
static size_t
quoted_len(const struct cflex *lx, size_t from, int close, int brace,
    int stop)
{
	size_t i = lx->pos + from;
	int c;

	while (i < lx->len) {
		c = (unsigned char)lx->buf[i];
		if (c == '\\') {
			if (i + 1 >= lx->len)
				return 0;
			i += 2;
			continue;
		}
		if (c == close)
			return i + 1 - lx->pos;
		if (brace && (c == '\n' || c == '{' || (stop && c == stop)))
			return 0;
		i++;
	}
	return 0;
}

/* A $name or ${name} at pos; stop is '"' inside a double-quoted string. */
static int
variable(struct cflex *lx, struct cftoken *t, int stop, struct vj_error *err)
{
	size_t n;

	if (is_var1(at(lx, 1))) {
		for (n = 2; is_var(at(lx, n)) && lx->pos + n < lx->len; n++)
			;
		return piece(lx, t, 1, n, 1, 0, err);
	}
	n = quoted_len(lx, 2, '}', 1, stop);
	if (n == 0)
		return lex_error(lx, "unterminated variable", err);
	return piece(lx, t, 1, n, 2, 1, err);
}

/*
 * Text of a double-quoted string from pos up to its first unescaped '$'
 * or through its closing quote (lx->dq_end).  head: pos is the opening
 * quote.  Leaves lx->dq set while a variable follows.
 */
static int
dq_text(struct cflex *lx, struct cftoken *t, int head, struct vj_error *err)
{
	size_t body = lx->pos + (head ? 1 : 0), used, rawlen;
	char *probe;

	probe = unescape(lx->buf + body, lx->dq_end - body, 1, &used,
	    &rawlen);
	if (probe == NULL)
		return vj_err_sys(err, "%s", lx->file);
	free(probe);
	if (body + used < lx->dq_end) {
		lx->dq = 1;
		return piece(lx, t, 0, body + used - lx->pos, head ? 1 : 0, 0,
		    err);
	}
	lx->dq = 0;
	return piece(lx, t, 0, lx->dq_end + 1 - lx->pos, head ? 1 : 0, 1,
	    err);
}

/* The next piece of a double-quoted string after a variable. */
static int
lex_dq(struct cflex *lx, struct cftoken *t, struct vj_error *err)
{
	int c = at(lx, 0);

	if (c == '$' && (is_var1(at(lx, 1)) || at(lx, 1) == '{'))
		return variable(lx, t, '"', err);
	if (c == '$')
		return piece(lx, t, 0, 1, 0, 0, err);
	if (c == '\\')
		return piece(lx, t, 0, escape_len(lx), 0, 0, err);
	return dq_text(lx, t, 0, err);
}

/* A quoted string at pos: '...' whole, "..." up to a variable. */
static int
quoted(struct cflex *lx, struct cftoken *t, struct vj_error *err)
{
	int q = at(lx, 0);
	size_t n = quoted_len(lx, 1, q, 0, 0);

	if (n == 0)
		return lex_error(lx, "unterminated string", err);
	if (q == '\'')
		return piece(lx, t, 0, n, 1, 1, err);
	lx->dq_end = lx->pos + n - 1;
	return dq_text(lx, t, 1, err);
}

/* A one-byte token (, ; = { } or a stray byte). */
static int
single(struct cflex *lx, struct cftoken *t, int reserved)
{
	t->kind = TK_CHAR;
	t->ch = at(lx, 0);
	t->raw = lx->buf + lx->pos;
	t->rawlen = 1;
	if (reserved)
		lx->glued = 0;
	advance(lx, 1);
	t->line = lx->line;
	return 0;
}

/* A token in the normal state, after blanks. */
static int
lex_word(struct cflex *lx, struct cftoken *t, struct vj_error *err)
{
	int c = at(lx, 0);
	size_t n;

	if (c == '+' && at(lx, 1) == '=') {
		t->kind = TK_PLEQ;
		t->raw = lx->buf + lx->pos;
		t->rawlen = 2;
		lx->glued = 0;
		advance(lx, 2);
		t->line = lx->line;
		return 0;
	}
	if (strchr(",;={}", c) != NULL && c != '\0')
		return single(lx, t, 1);
	if (is_atom(c)) {
		for (n = 1; is_atom(at(lx, n)) && lx->pos + n < lx->len; n++)
			;
		return piece(lx, t, 0, n, 0, 0, err);
	}
	if (c == '\\')
		return piece(lx, t, 0, escape_len(lx), 0, 0, err);
	if (c == '$' && (is_var1(at(lx, 1)) || at(lx, 1) == '{'))
		return variable(lx, t, 0, err);
	if (c == '$' || c == '*' || c == '+' || c == '/')
		return piece(lx, t, 0, 1, 0, 0, err);
	if (c == '\'' || c == '"')
		return quoted(lx, t, err);
	return single(lx, t, 0);
}

/* The next token; -1 with "FILE line N: unterminated ..." on bad text. */
int
cf_lex(struct cflex *lx, struct cftoken *t, struct vj_error *err)
{
	memset(t, 0, sizeof(*t));
	if (lx->dq) {
		if (lx->pos != lx->dq_end)
			return lex_dq(lx, t, err);
		lx->dq = 0;
		advance(lx, 1);
	}
	if (skip_blank(lx, err) < 0)
		return -1;
	if (lx->pos >= lx->len) {
		t->kind = TK_EOF;
		t->raw = "";
		t->line = lx->line;
		return 0;
	}
	return lex_word(lx, t, err);
}
