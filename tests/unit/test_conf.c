/* test_conf.c: the jail.conf(5) lexer, parser, merge and substitution. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfint.h"
#include "tap.h"

/* The tokens of a text, "KIND(text)" joined by spaces, or the error. */
static const char *
tokens(const char *text)
{
	static const char *const kinds[] = {
		"EOF", "STR", "STR1", "VAR", "VAR1", "PLEQ", "CHAR"
	};
	static char buf[2048];
	struct vj_error err;
	struct cftoken t;
	struct cflex lx;
	enum cftok kind;
	size_t o = 0;

	buf[0] = '\0';
	cf_lex_init(&lx, "t", text, strlen(text));
	do {
		if (cf_lex(&lx, &t, &err) < 0)
			return strcpy(buf, err.ve_msg);
		if (t.kind == TK_CHAR)
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%c",
			    o ? " " : "", t.ch);
		else
			o += (size_t)snprintf(buf + o, sizeof(buf) - o,
			    "%s%s(%s)", o ? " " : "", kinds[t.kind],
			    t.text ? t.text : "");
		kind = t.kind;
		cf_token_clear(&t);
	} while (kind != TK_EOF && o < sizeof(buf) - 64);
	return buf;
}

/* What jail -e '|' prints for a text, or "ERR: message". */
static const char *
e(const char *text, int flags)
{
	static char out[8192];
	struct vj_conf conf;
	struct vj_error err;
	char *mem = NULL;
	size_t len = 0, i;
	FILE *f;

	if (vj_conf_load_string("t.conf", text, flags | VJ_CONF_NOINCLUDE,
	    &conf, &err) < 0) {
		snprintf(out, sizeof(out), "ERR: %s", err.ve_msg);
		return out;
	}
	f = open_memstream(&mem, &len);
	for (i = 0; i < conf.njails; i++)
		vj_conf_print(f, &conf.jails[i], "|");
	fclose(f);
	snprintf(out, sizeof(out), "%s", mem);
	free(mem);
	vj_conf_free(&conf);
	if (out[0] != '\0' && out[strlen(out) - 1] == '\n')
		out[strlen(out) - 1] = '\0';
	return out;
}

/* As e(), not checking parameter names. */
static const char *
en(const char *text)
{
	return e(text, VJ_CONF_NOCHECK);
}

/* Tokens and how they glue. */
static void
test_lexer(void)
{
	is(tokens("a = b;"), "STR(a) = STR(b) ; EOF()", "simple tokens");
	is(tokens("x += 1"), "STR(x) PLEQ() STR(1) EOF()", "+=");
	is(tokens("a\"b\"'c'"), "STR(a) STR1(b) STR1(c) EOF()",
	    "adjacent pieces glue");
	is(tokens("a \"b\""), "STR(a) STR(b) EOF()", "a blank separates");
	is(tokens("$x${y.z}"), "VAR(x) VAR1(y.z) EOF()", "variables");
	is(tokens("\"a$b c\""), "STR(a) VAR1(b) STR1( c) EOF()",
	    "a double-quoted string splits at a variable");
	is(tokens("\"$b\""), "STR() VAR1(b) EOF()",
	    "an empty piece before a leading variable");
	is(tokens("'$b'"), "STR($b) EOF()", "no variables in single quotes");
	is(tokens("\"\\$b\""), "STR($b) EOF()", "an escaped dollar");
	is(tokens("\"a$ b\""), "STR(a) STR1($) STR1( b) EOF()",
	    "a dollar without a name");
	is(tokens("$1"), "STR($) STR1(1) EOF()", "$1 is text");
	is(tokens("\"$a\\tb\""), "STR() VAR1(a) STR1(\t) STR1(b) EOF()",
	    "an escape after a variable is its own piece");
	is(tokens("a/b*c+d"), "STR(a) STR1(/) STR1(b) STR1(*) STR1(c) "
	    "STR1(+) STR1(d) EOF()", "single-character pieces");
	is(tokens("foo.*"), "STR(foo.) STR1(*) EOF()", "a wildcard name");
	is(tokens("\\101\\x41\\n"), "STR(A) STR1(A) STR1(\n) EOF()",
	    "octal, hex and C escapes");
	is(tokens("'\\0619'"), "STR(19) EOF()", "octal takes three digits");
	is(tokens("'a\\x'"), "STR(a) EOF()", "\\x without digits ends it");
	is(tokens("a\\\nb"), "STR(a) STR1() STR1(b) EOF()",
	    "backslash-newline continues");
	is(tokens("a # c\n/* x\ny */ b // d"), "STR(a) STR(b) EOF()",
	    "comments");
	is(tokens("a/**/b"), "STR(a) STR(b) EOF()", "a comment separates");
	is(tokens("\"a\nb\""), "STR(a\nb) EOF()", "newline inside quotes");
	is(tokens("\r"), "\r EOF()", "a stray byte is its own token");
	is(tokens("x\n\"open"), "t line 2: unterminated string",
	    "unterminated string");
	is(tokens("'open\n"), "t line 1: unterminated string",
	    "unterminated single quote");
	is(tokens("\n/* x\n"), "t line 2: unterminated comment",
	    "unterminated comment");
	is(tokens("${a{b}"), "t line 1: unterminated variable",
	    "a brace inside ${}");
	is(tokens("\"${a\"}\""), "t line 1: unterminated variable",
	    "a quote inside ${} in a string");
	is(tokens("${a\"b}"), "VAR(a\"b) EOF()",
	    "a quote inside ${} outside strings");
	is(tokens("\\"), "STR() EOF()", "a lone backslash at the end");
}

/* Blocks, nesting, statements. */
static void
test_blocks(void)
{
	is(en("a { x = 1; }"), "name=a|x=1", "a block");
	is(en("a { b { c { } } }"), "name=a\nname=a.b\nname=a.b.c",
	    "nested blocks");
	is(en("a { b { } y; }"), "name=a|y\nname=a.b",
	    "after a nested block, back in the outer one");
	is(en("7 { }"), "name=7", "numeric name: name back-filled");
	is(en("7 { x; }"), "x|name=7", "back-filled name comes last");
	is(en("0 { }"), "name=0", "0 is a name, not a jid");
	is(en("\"a b\" { }"), "name=\"a b\"", "quoted jail name");
	is(en("a.* { x; } a { b { } }"), "name=a\nname=a.b|x",
	    "unquoted foo.* block");
	is(en(""), "", "empty file");
	is(en(";;; a { ;; }"), "name=a", "empty statements");
	is(en("a {} a {}"), "name=a\nname=a", "a name twice: two jails");
	is(en("path \"/x\"; a {}"), "name=a|path=/x", "name-value form");
}

/* Wildcards and global parameters. */
static void
test_merge(void)
{
	is(en("* { x = 1; } a { x = 2; }"), "name=a|x=2",
	    "an earlier wildcard is a default");
	is(en("a { x = 2; } * { x = 1; }"), "name=a|x=1",
	    "a later wildcard overrides");
	is(en("x = 1; a { x = 2; } x = 3;"), "name=a|x=2",
	    "globals are one block where the first appears");
	is(en("a { } x = 1;"), "name=a|x=1", "globals after every jail");
	is(en("*.b { x; } a { b { } } b { }"), "name=a\nname=a.b|x\nname=b",
	    "*.b matches one component");
	is(en("a.* { x; } a { b { c { } } }"),
	    "name=a\nname=a.b|x\nname=a.b.c|x", "a final * matches more");
	is(en("x = 1; a { x += 2; } * { x += 3; }"), "name=a|x=1,2,3",
	    "+= appends");
	is(en("x = 1, 2; a { x; }"), "name=a|x", "a bare name clears");
	is(en("persist; a { nopersist; }"), "name=a|nopersist",
	    "no form replaces, in place");
	is(en("allow.mount = 1; a { x; allow.nomount; }"),
	    "name=a|allow.nomount|x", "dotted no form");
	is(en("a { name = b; }"), "ERR: a: cannot redefine parameter \"name\".",
	    "name is set once");
	is(en("5 { jid = 6; }"), "ERR: 5: cannot redefine parameter \"jid\".",
	    "jid is set once");
	is(en("5 { name = x; name = y; }"),
	    "ERR: 5: cannot redefine parameter \"name\".",
	    "an explicit name is set once too");
}

/* $variable substitution. */
static void
test_vars(void)
{
	is(en("$r = /j; a { path = \"$r/$name\"; }"), "name=a|path=/j/a",
	    "variable and parameter");
	is(en("a { $v = x; p = \"${v}y\" '$v' \\$v; }"), "ERR: t.conf line 1: "
	    "'$v': syntax error", "pieces with blanks are separate");
	is(en("a { $v = x; p = \"${v}y\"'$v'\\$v; }"), "name=a|p=xy$v$v",
	    "no substitution in single quotes or after \\");
	is(en("a { h = \"$p\"; p = \"/$name\"; }"), "name=a|p=/a|h=/a",
	    "a parameter resolved first moves first");
	is(en("$l = 1, 2; a { x = $l; y = 0, \"$l\", 3; }"),
	    "name=a|x=1,2|y=0,1,2,3", "a list stands alone");
	is(en("$l = 1, 2; a { x = \"-$l\"; }"),
	    "ERR: a: x: array cannot be substituted inline", "list inline");
	is(en("$e = \"\"; $l = 1, 2; a { x = \"$e$l\"; }"),
	    "name=a|x=1,2", "a list after an empty variable");
	is(en("a { x = $nope; }"), "ERR: a: x: variable \"nope\" not found",
	    "not found");
	is(en("a { x = \"${}\"; }"), "ERR: a: x: variable \"\" not found",
	    "empty name");
	is(en("a { $a = $b; $b = $c; $c = $a; x = $a; }"),
	    "ERR: a: a: variable loop", "loop");
	is(en("$vnet = 1; a { }"), "ERR: a: variable \"$vnet\" cannot have "
	    "the same name as a parameter.", "reserved name");
	is(en("a { x; $x = 1; }"), "ERR: a: variable \"$x\" cannot have "
	    "the same name as a parameter.", "clash with a parameter");
	is(en("$host = h; a { host.hostname = $host; }"),
	    "name=a|host.hostname=h", "host is not reserved");
	is(en("b { } * { x = $name; }"), "name=b|x=b",
	    "wildcards substitute per jail");
}

/* Syntax errors name the token and line, as FreeBSD's parser does. */
static void
test_syntax(void)
{
	is(en("a {\n}\n}"), "ERR: t.conf line 3: }: syntax error", "stray }");
	is(en("a {"), "ERR: t.conf: unexpected EOF", "open block at EOF");
	is(en("x"), "ERR: t.conf: unexpected EOF", "no ; at EOF");
	is(en("x = 1\ny = 2;"), "ERR: t.conf line 2: y: syntax error",
	    "missing ;");
	is(en("= 1;"), "ERR: t.conf line 1: =: syntax error", "no name");
	is(en("a b = c;"), "ERR: t.conf line 1: =: syntax error",
	    "name value =");
	is(en("x = 1,\n;"), "ERR: t.conf line 2: ;: syntax error",
	    "trailing comma");
	is(en("x\r\n;"), "ERR: t.conf line 1: \r: syntax error",
	    "carriage return");
	is(en("a\"b\" = 1;"), "ERR: t.conf line 1: \"b\": syntax error",
	    "glued parameter name");
	is(en("a\"b\"\"c\" x;"), "ERR: t.conf line 1: \"b\": syntax error",
	    "glued name that is not a block");
	is(en("a\"b\"\"c"), "ERR: t.conf line 1: \"b\": syntax error",
	    "glued name, then bad text");
	is(en("$v = 1 { }"), "ERR: t.conf line 1: {: syntax error",
	    "value then block");
	is(en("a { x = 1; } }"), "ERR: t.conf line 1: }: syntax error",
	    "one } too many");
}

/* Bytes FreeBSD's lexer handles specially: NUL ends a token. */
static void
test_bytes(void)
{
	static const char text[] = "a { x = \"ab\0cd\"; y = 1; }";
	struct vj_conf conf;
	struct vj_error err;

	ok(vj_conf_load_mem("m", text, sizeof(text) - 1, VJ_CONF_NOCHECK,
	    &conf, &err) == 0, "NUL inside a string loads");
	is(conf.njails ? vj_params_get(&conf.jails[0].params, "x") : NULL,
	    "ab", "the string ends at the NUL");
	vj_conf_free(&conf);
	ok(vj_conf_load_mem("m", "a\0", 2, VJ_CONF_NOCHECK, &conf, &err) < 0,
	    "a NUL outside strings is a syntax error");
	is(err.ve_msg, "m line 1: : syntax error", "its message");
}

/* Parameter checks against the registry. */
static void
test_check(void)
{
	is(e("a { path = /; persist; mount.nodevfs; }", 0),
	    "name=a|path=/|persist|mount.nodevfs", "known names pass");
	is(e("a {\n\tfoo = 1;\n}", 0), "ERR: t.conf line 2: unknown "
	    "parameter: foo", "unknown parameter");
	is(e("a {\n\tfoo;\n}", VJ_CONF_NOCHECK), "name=a|foo",
	    "VJ_CONF_NOCHECK keeps it");
	is(e("a {\n\tpersist = maybe;\n}", 0), "ERR: t.conf line 2: persist: "
	    "unknown boolean value \"maybe\"", "bad boolean");
	is(e("a { persist = 1; persist = TRUE; }", 0),
	    "name=a|persist=TRUE", "boolean spellings");
	is(e("a { stop.timeout = 1x; }", 0), "ERR: t.conf line 1: "
	    "stop.timeout: non-integer value \"1x\"", "bad integer");
	is(e("* {\n\tbogus;\n}\na { }", 0),
	    "ERR: t.conf line 2: unknown parameter: bogus",
	    "the line is the wildcard's");
	is(e("a { .include \"x\"; }", 0), "ERR: t.conf line 1: .include "
	    "not permitted", "VJ_CONF_NOINCLUDE");
}

/* Limits that keep a hostile file from eating the machine. */
static void
test_limits(void)
{
	char *text = malloc(CF_MAX_NAME * 4 + 64), *p = text;
	int i;

	for (i = 0; i < CF_MAX_NAME / 2 + 2; i++)
		p += sprintf(p, "a{");
	*p = '\0';
	ok(strstr(en(text), "jail name too long") != NULL,
	    "nested names are bounded");
	free(text);
	is(en("$a = 0123456789abcdef; $b = $a$a$a$a$a$a$a$a;"
	    "$c = $b$b$b$b$b$b$b$b; $d = $c$c$c$c$c$c$c$c;"
	    "$e = $d$d$d$d$d$d$d$d; $f = $e$e$e$e$e$e$e$e;"
	    "$g = $f$f$f$f$f$f$f$f; j { x = $g; }"),
	    "ERR: j: g: value too long", "substitution is bounded");
}

/* Run every group. */
int
main(void)
{
	test_lexer();
	test_blocks();
	test_merge();
	test_vars();
	test_syntax();
	test_bytes();
	test_check();
	test_limits();
	return tap_done();
}
