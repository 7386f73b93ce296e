/* test_conf_api.c: jail.conf loading from files, dependencies, output. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfint.h"
#include "tap.h"

static char dir[64];

/* Write a file under the test directory. */
static void
put(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		return;
	fputs(text, f);
	fclose(f);
}

/* A path under the test directory (two rotating buffers). */
static const char *
at(const char *name)
{
	static char buf[2][256];
	static int i;

	i = !i;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

/* The jails of an order as "a b c", or "ERR: message". */
static const char *
order(struct vj_conf *c, const char *t1, const char *t2, int flags)
{
	static char out[512];
	const char *t[2] = { t1, t2 };
	struct vj_cfjail **o;
	struct vj_error err;
	size_t n, i, len = 0;

	if (vj_conf_order(c, t, t2 ? 2 : t1 ? 1 : 0, flags, &o, &n,
	    &err) < 0) {
		snprintf(out, sizeof(out), "ERR: %s", err.ve_msg);
		return out;
	}
	out[0] = '\0';
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s%s",
		    i ? " " : "", o[i]->name,
		    o[i]->oflags & VJ_CFO_DEPEND ? "+" : "");
	free(o);
	return out;
}

/* Load a string without checking names. */
static int
load(struct vj_conf *c, const char *text)
{
	struct vj_error err;

	return vj_conf_load_string("t.conf", text, VJ_CONF_NOCHECK, c, &err);
}

/* Dependency order for start and stop. */
static void
test_order(void)
{
	struct vj_conf c;

	ok(load(&c, "a { depend = b; } b { depend = c; } c { } d { }") == 0,
	    "load a chain");
	is(order(&c, NULL, NULL, 0), "c b a d", "start: dependencies first");
	is(order(&c, NULL, NULL, VJ_ORDER_STOP), "d a b c",
	    "stop: dependents first, later jails first");
	is(order(&c, "a", NULL, 0), "c+ b+ a", "start a pulls in b and c");
	is(order(&c, "c", NULL, VJ_ORDER_STOP), "a+ b+ c",
	    "stop c stops its dependents first");
	is(order(&c, "c", NULL, 0), "c", "start c needs nothing");
	is(order(&c, "x", NULL, 0), "ERR: \"x\" not found", "unknown target");
	is(order(&c, "d", "b", 0), "c+ b d", "two targets");
	vj_conf_free(&c);

	ok(load(&c, "p { q { } r { } } p.q.s { } z { }") == 0, "load a tree");
	is(order(&c, "p.*", NULL, 0), "p+ p.q p.r p.q.s",
	    "a wildcard target and the parent's light edge");
	is(order(&c, "*", NULL, VJ_ORDER_STOP), "z p.q.s p.r p.q p",
	    "children stop before their parent");
	ok(c.jails[3].ndeps == 1 && c.jails[3].deps[0].light &&
	    c.jails[3].deps[0].jail == &c.jails[1], "p.q.s -> p.q is light");
	vj_conf_free(&c);

	ok(load(&c, "x { depend = y; } a { depend = b; } b { depend = a; } "
	    "y { depend = a; }") == 0, "load a loop");
	is(order(&c, NULL, NULL, 0), "ERR: a: dependency loop",
	    "the loop is named by a jail on it");
	is(order(&c, "b", NULL, VJ_ORDER_STOP), "ERR: a: dependency loop",
	    "also when stopping");
	vj_conf_free(&c);

	ok(load(&c, "a { depend = a; }") == 0, "load a self-dependency");
	is(order(&c, NULL, NULL, 0), "ERR: a: dependency loop", "self loop");
	vj_conf_free(&c);

	ok(load(&c, "a { depend = ghost; } b { }") == 0,
	    "an undefined dependency loads");
	is(order(&c, "b", NULL, 0), "b", "unrelated jails still order");
	is(order(&c, "a", NULL, 0),
	    "ERR: a: depends on undefined jail \"ghost\"", "then fails");
	vj_conf_free(&c);
}

/* Lookup, jid, file and line of parameters. */
static void
test_lookup(void)
{
	struct vj_conf c;
	struct vj_cfjail *j;
	struct vj_param *p;

	ok(load(&c, "x = 1;\n\n5 {\n\ty = 2;\n}\nb {\n\tjid = 12;\n}") == 0,
	    "load");
	j = vj_conf_find(&c, "5");
	ok(j != NULL && j->jid == 5 && j->line == 3 && j->seq == 2,
	    "numeric block: jid, line, seq");
	p = j ? vj_params_find(&j->params, "x") : NULL;
	ok(p != NULL && p->line == 1 && strcmp(p->file, "t.conf") == 0,
	    "a global's file and line");
	p = j ? vj_params_find(&j->params, "y") : NULL;
	ok(p != NULL && p->line == 4, "a block parameter's line");
	is(j ? vj_params_get(&j->params, "name") : NULL, "5",
	    "back-filled name");
	j = vj_conf_find(&c, "b");
	ok(j != NULL && j->jid == 12, "jid from a parameter");
	ok(vj_conf_find(&c, "nope") == NULL, "no such jail");
	vj_conf_free(&c);
	vj_conf_free(&c);
	ok(c.njails == 0, "freeing twice is harmless");
}

/* Output quoting of single values. */
static void
test_print(void)
{
	static const char *const cases[][2] = {
		{ "", "\"\"" }, { "a", "a" }, { "a b", "\"a b\"" },
		{ "it's", "\"it's\"" }, { "say \"x\"", "'say \"x\"'" },
		{ "a\\b", "a\\\\b" }, { "'\"", "\"'\\\"\"" },
		{ "a|b", "a|b" }, { "t\tb", "\"t\tb\"" },
	};
	char *mem = NULL;
	size_t len, i;
	FILE *f;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		f = open_memstream(&mem, &len);
		vj_conf_print_value(f, cases[i][0]);
		fclose(f);
		is(mem, cases[i][1], "quoting of [%s]", cases[i][0]);
		free(mem);
	}
}

/* Wildcard names and the "no" rule. */
static void
test_names(void)
{
	ok(vj_conf_wild_name("*") && vj_conf_wild_name("a.*") &&
	    vj_conf_wild_name("*.b") && vj_conf_wild_name("a.*.c"),
	    "wildcard names");
	ok(!vj_conf_wild_name("a*") && !vj_conf_wild_name("a.b*") &&
	    !vj_conf_wild_name("**"), "not wildcards");
	ok(vj_conf_wild_match("a.b", "a.*") && vj_conf_wild_match("a.b.c",
	    "a.*") && !vj_conf_wild_match("a", "a.*"), "a final *");
	ok(vj_conf_wild_match("x.b", "*.b") && !vj_conf_wild_match("x.y.b",
	    "*.b") && vj_conf_wild_match("a.x.c", "a.*.c"), "an inner *");
	ok(cf_equalopts("persist", "nopersist") &&
	    cf_equalopts("allow.nomount", "allow.mount") &&
	    cf_equalopts("a.nob.c", "a.b.c") && !cf_equalopts("a.b", "a.c") &&
	    !cf_equalopts("noa.nob", "a.b"), "the no rule");
}

/* Files: includes, depth, the default pair, stdin. */
static void
test_files(void)
{
	struct vj_conf c;
	struct vj_error err;
	int i, fd, saved;
	char name[32], text[64];

	put("main.conf", ".include \"sub/*.conf\";\nm { }\n");
	mkdir(at("sub"), 0755);
	put("sub/b.conf", "b { .include \"../inc.part\"; }\n");
	put("sub/a.conf", "a { }\n");
	put("inc.part", "from = inc;\n");
	ok(vj_conf_load(at("main.conf"), VJ_CONF_NOCHECK, &c, &err) == 0,
	    "glob include");
	ok(c.njails == 3 && strcmp(c.jails[0].name, "a") == 0 &&
	    strcmp(c.jails[1].name, "b") == 0 && strcmp(c.jails[2].name, "m")
	    == 0, "sorted, in place");
	is(c.njails > 1 ? vj_params_get(&c.jails[1].params, "from") : NULL,
	    "inc", "include inside a block, relative to its file");
	vj_conf_free(&c);

	for (i = 0; i <= 33; i++) {
		snprintf(name, sizeof(name), "d%d.conf", i);
		snprintf(text, sizeof(text), ".include \"d%d.conf\";\n", i + 1);
		put(name, text);
	}
	put("d33.conf", "deep { }\n");
	ok(vj_conf_load(at("d1.conf"), VJ_CONF_NOCHECK, &c, &err) == 0,
	    "32 nested includes");
	vj_conf_free(&c);
	ok(vj_conf_load(at("d0.conf"), VJ_CONF_NOCHECK, &c, &err) < 0,
	    "33 nested includes");
	is(err.ve_msg, "maximum include depth exceeded", "depth message");

	put("jail.conf", "one { }\n");
	mkdir(at("jail.conf.d"), 0755);
	put("jail.conf.d/b.conf", "three { }\n");
	put("jail.conf.d/a.conf", "two { }\n");
	put("jail.conf.d/c.txt", "nope { }\n");
	ok(vj_conf_load_dir(at("jail.conf"), at("jail.conf.d"),
	    VJ_CONF_NOCHECK, &c, &err) == 0 && c.njails == 3 &&
	    strcmp(c.jails[2].name, "three") == 0, "file then dir/*.conf");
	vj_conf_free(&c);
	ok(vj_conf_load_dir(at("none.conf"), at("jail.conf.d"),
	    VJ_CONF_NOCHECK, &c, &err) == 0 && c.njails == 2,
	    "only the directory");
	vj_conf_free(&c);
	ok(vj_conf_load_dir(at("jail.conf"), at("none.d"), VJ_CONF_NOCHECK,
	    &c, &err) == 0 && c.njails == 1, "only the file");
	vj_conf_free(&c);
	ok(vj_conf_load_dir(at("none.conf"), at("none.d"), VJ_CONF_NOCHECK,
	    &c, &err) < 0 && strstr(err.ve_msg, "none.conf: No such file") !=
	    NULL, "neither");

	put("stdin.conf", "s {\n\tx = 1\n}\n");
	saved = dup(0);
	fd = open(at("stdin.conf"), O_RDONLY);
	dup2(fd, 0);
	close(fd);
	ok(vj_conf_load("-", VJ_CONF_NOCHECK, &c, &err) < 0, "stdin");
	dup2(saved, 0);
	close(saved);
	is(err.ve_msg, "STDIN line 3: }: syntax error", "stdin is STDIN");
	ok(vj_conf_load(at("missing.conf"), 0, &c, &err) < 0 &&
	    strstr(err.ve_msg, "missing.conf: No such file") != NULL,
	    "missing file");
}

/* Run every group in a scratch directory. */
int
main(void)
{
	char cmd[128];

	snprintf(dir, sizeof(dir), "/tmp/test_conf.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	test_order();
	test_lookup();
	test_print();
	test_names();
	test_files();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		ok(0, "clean up %s", dir);
	return tap_done();
}
