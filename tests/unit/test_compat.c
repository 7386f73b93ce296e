/*
 * test_compat.c: the libjail(3) layer without root: parameter types,
 * import/export round trips, error texts in jail_errmsg, and lookups in
 * a private state store made of hand-written records ($VJAIL_RUNDIR).
 */
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jail.h"
#include "unit/tap.h"
#include "vjail.h"

#define CTLTYPE_MASK	0xf
#define CTLFLAG_WR	0x40000000
#define CTLFLAG_TUN	0x00080000

/* Report a skipped check. */
static void
skip(const char *name, const char *why)
{
	printf("ok %d - %s # SKIP %s\n", ++tap_n, name, why);
}

/* Import text into a fresh parameter and export it back. */
static char *
round_trip(const char *name, const char *text)
{
	struct jailparam jp;
	char *out = NULL;

	if (jailparam_init(&jp, name) == 0 && jailparam_import(&jp, text) == 0)
		out = jailparam_export(&jp);
	jailparam_free(&jp, 1);
	return out;
}

/* Check a round trip and free the result. */
static void
trip(const char *name, const char *text, const char *want)
{
	char label[128], *got = round_trip(name, text);

	snprintf(label, sizeof(label), "%s=%s exports as %s", name, text, want);
	is(got, want, "%s", label);
	free(got);
}

/* Check that importing text fails with a given message. */
static void
bad_import(const char *name, const char *text, const char *msg)
{
	struct jailparam jp;
	char label[128];
	int rc;

	jailparam_init(&jp, name);
	errno = 0;
	rc = jailparam_import(&jp, text);
	snprintf(label, sizeof(label), "%s=%s is refused (EINVAL)", name, text);
	ok(rc == -1 && errno == EINVAL, "%s", label);
	snprintf(label, sizeof(label), "%s=%s: message", name, text);
	is(jail_errmsg, msg, "%s", label);
	jailparam_free(&jp, 1);
}

/* Types, flags and sizes from jailparam_init. */
static void
test_types(void)
{
	struct jailparam jp;

	ok(jailparam_init(&jp, "persist") == 0, "init persist");
	ok((jp.jp_ctltype & CTLTYPE_MASK) == CTLTYPE_INT &&
	    (jp.jp_flags & JP_BOOL) && jp.jp_valuelen == sizeof(int),
	    "persist is a JP_BOOL int");
	ok(jp.jp_ctltype & CTLFLAG_WR, "persist is writable");
	jailparam_free(&jp, 1);
	ok(jailparam_init(&jp, "nopersist") == 0 &&
	    (jp.jp_flags & JP_NOBOOL) && !(jp.jp_flags & JP_BOOL),
	    "nopersist is JP_NOBOOL");
	jailparam_free(&jp, 1);
	ok(jailparam_init(&jp, "vnet") == 0 && (jp.jp_flags & JP_JAILSYS) &&
	    (jp.jp_ctltype & CTLFLAG_TUN) && !(jp.jp_ctltype & CTLFLAG_WR),
	    "vnet is a create-only JP_JAILSYS");
	jailparam_free(&jp, 1);
	ok(jailparam_init(&jp, "host.hostname") == 0 &&
	    (jp.jp_ctltype & CTLTYPE_MASK) == CTLTYPE_STRING,
	    "host.hostname is a string");
	jailparam_free(&jp, 1);
	ok(jailparam_init(&jp, "host.hostid") == 0 &&
	    (jp.jp_ctltype & CTLTYPE_MASK) == CTLTYPE_ULONG,
	    "host.hostid is an unsigned long");
	jailparam_free(&jp, 1);
	ok(jailparam_init(&jp, "children.cur") == 0 &&
	    !(jp.jp_ctltype & (CTLFLAG_WR | CTLFLAG_TUN)),
	    "children.cur is read-only");
	jailparam_free(&jp, 1);
	ok(jailparam_init(&jp, "lastjid") == 0 &&
	    jp.jp_valuelen == sizeof(int), "lastjid is known");
	jailparam_free(&jp, 1);
}

/* Unknown names fail with FreeBSD's text. */
static void
test_unknown(void)
{
	struct jailparam jp;

	errno = 0;
	ok(jailparam_init(&jp, "no.such.param") == -1 && errno == ENOENT,
	    "unknown parameter: ENOENT");
	is(jail_errmsg, "unknown parameter: no.such.param",
	    "unknown parameter: message");
	ok(jailparam_init(&jp, "exec.start") == -1,
	    "jail(8) pseudo-parameter exec.start is unknown to libjail");
	is(jail_errmsg, "unknown parameter: exec.start",
	    "exec.start: message");
	ok(jailparam_init(&jp, "nopath") == -1,
	    "\"no\" prefix on a string is unknown");
}

/* Text round trips for every scalar type. */
static void
test_round_trips(void)
{
	trip("persist", "true", "true");
	trip("persist", "FALSE", "false");
	trip("persist", "1", "true");
	trip("nopersist", "true", "true");
	trip("children.max", "12", "12");
	trip("children.max", "-3", "-3");
	trip("host.hostid", "4294967296", "4294967296");
	trip("vnet", "new", "new");
	trip("vnet", "", "new");
	trip("vnet", "INHERIT", "inherit");
	trip("vnet", "0", "disable");
	trip("host.hostname", "a b \"c\"", "a b \"c\"");
	trip("host.hostname", "", "");
	bad_import("persist", "maybe", "persist: unknown boolean value \"maybe\"");
	bad_import("vnet", "old", "vnet: unknown jailsys value \"old\"");
	bad_import("children.max", "12x",
	    "children.max: non-integer value \"12x\"");
	bad_import("children.max", "", "children.max: non-integer value \"\"");
}

/* Address arrays, when the registry has them. */
static void
test_addresses(void)
{
	struct jailparam jp;

	if (vj_param_lookup("ip4.addr") == NULL) {
		skip("ip4.addr arrays", "ip4.addr not registered yet");
		return;
	}
	trip("ip4.addr", "192.0.2.1,192.0.2.2", "192.0.2.1,192.0.2.2");
	trip("ip4.addr", "-", "");
	jailparam_init(&jp, "ip4.addr");
	jailparam_import(&jp, "192.0.2.1,192.0.2.9");
	ok(jp.jp_elemlen == sizeof(struct in_addr) &&
	    jp.jp_valuelen == 2 * sizeof(struct in_addr),
	    "ip4.addr: two in_addr elements");
	jailparam_free(&jp, 1);
	bad_import("ip4.addr", "192.0.2.1,300.1.1.1",
	    "ip4.addr: not an IPv4 address: 300.1.1.1");
	if (vj_param_lookup("ip6.addr") != NULL)
		trip("ip6.addr", "2001:db8::1,::1", "2001:db8::1,::1");
}

/* jailparam_all lists kernel parameters only. */
static void
test_all(void)
{
	struct jailparam *jp;
	int n, i, jid = 0, persist = 0, internal = 0;

	n = jailparam_all(&jp);
	ok(n > 10, "jailparam_all returns parameters");
	for (i = 0; i < n; i++) {
		jid |= strcmp(jp[i].jp_name, "jid") == 0;
		persist |= strcmp(jp[i].jp_name, "persist") == 0;
		internal |= strncmp(jp[i].jp_name, "exec.", 5) == 0;
	}
	ok(jid && persist, "jailparam_all has jid and persist");
	ok(!internal, "jailparam_all has no exec.* pseudo-parameters");
	jailparam_free(jp, (unsigned)n);
	free(jp);
}

/* A raw value stays the caller's. */
static void
test_raw(void)
{
	struct jailparam jp;
	int v = 7;
	char *s;

	jailparam_init(&jp, "children.max");
	jailparam_import_raw(&jp, &v, sizeof(v));
	s = jailparam_export(&jp);
	is(s, "7", "raw int exports");
	free(s);
	jailparam_free(&jp, 1);
	ok(v == 7, "jailparam_free leaves a raw value alone");
}

/* Set jail_errmsg in another thread. */
static void *
thread_error(void *arg)
{
	struct jailparam jp;

	(void)arg;
	jailparam_init(&jp, "other.thread");
	return NULL;
}

/* jail_errmsg is per thread. */
static void
test_thread_errmsg(void)
{
	pthread_t t;

	snprintf(jail_errmsg, sizeof(jail_errmsg), "main");
	pthread_create(&t, NULL, thread_error, NULL);
	pthread_join(t, NULL);
	is(jail_errmsg, "main", "jail_errmsg is thread-local");
}

/* Write a record for a running jail whose "init" is our own process. */
static void
fake_jail(const char *dir, int jid, const char *name, const char *extra)
{
	char path[512], target[16], stat[1024];
	unsigned long long start = 0;
	FILE *f;
	char *p;

	f = fopen("/proc/self/stat", "r");
	if (f != NULL && fgets(stat, sizeof(stat), f) != NULL &&
	    (p = strrchr(stat, ')')) != NULL)
		sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
		    "%*u %*u %*d %*d %*d %*d %*d %*d %llu", &start);
	if (f != NULL)
		fclose(f);
	snprintf(path, sizeof(path), "%s/jail/%d", dir, jid);
	f = fopen(path, "w");
	if (f == NULL)
		return;
	fprintf(f, "jid %d\nparent 0\nname %s\ninit %d %llu 0\nstate 1\n"
	    "owner 0 0\n%s", jid, name, (int)getpid(), start, extra);
	fclose(f);
	snprintf(path, sizeof(path), "%s/name/%s", dir, name);
	snprintf(target, sizeof(target), "%d", jid);
	if (symlink(target, path) < 0)
		perror(path);
}

/* Make a private store with two jails. */
static char *
fake_store(void)
{
	static char dir[] = "/tmp/vj_compat_XXXXXX";
	char path[600];

	if (mkdtemp(dir) == NULL)
		return NULL;
	snprintf(path, sizeof(path), "%s/jail", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/name", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/pidns", dir);
	mkdir(path, 0700);
	fake_jail(dir, 3, "alpha", "p host.hostname\talpha.example\n"
	    "p persist\ttrue\np children.max\t4\n");
	fake_jail(dir, 7, "beta", "p path\t/srv/beta\n");
	setenv("VJAIL_RUNDIR", dir, 1);
	return dir;
}

/* Lookups through the store: jail_getid, jail_getname, jail_getv. */
static void
test_lookups(void)
{
	char host[256] = "", persist[16] = "", jid[16] = "", name[64] = "";
	char *s;

	ok(jail_getid("alpha") == 3, "jail_getid by name");
	ok(jail_getid("7") == 7, "jail_getid by jid");
	errno = 0;
	ok(jail_getid("nosuch") == -1 && errno == ENOENT,
	    "jail_getid of a missing jail: ENOENT");
	is(jail_errmsg, "jail \"nosuch\" not found", "missing jail: message");
	s = jail_getname(7);
	is(s, "beta", "jail_getname");
	free(s);
	ok(jail_getv(0, "name", "alpha", "host.hostname", host,
	    "persist", persist, "jid", jid, NULL) == 3, "jail_getv by name");
	is(host, "alpha.example", "jail_getv: host.hostname");
	is(persist, "true", "jail_getv: persist");
	is(jid, "3", "jail_getv: jid");
	ok(jail_getv(0, "jid", "7", "name", name, NULL) == 7,
	    "jail_getv by jid");
	is(name, "beta", "jail_getv: name");
	ok(jail_getv(0, "jid", "99", "name", name, NULL) == -1,
	    "jail_getv of a missing jid fails");
	is(jail_errmsg, "jail 99 not found", "missing jid: message");
	ok(jail_getv(0, "host.hostname", host, NULL) == -1 &&
	    strcmp(jail_errmsg, "no jail specified") == 0,
	    "jail_getv without a key: no jail specified");
}

/* The lastjid walk and a "no" boolean read back inverted. */
static void
test_walk(void)
{
	struct jailparam jp[3];
	int last = 0, seen[2] = { 0, 0 }, n = 0, jid;

	jailparam_init(&jp[0], "lastjid");
	jailparam_init(&jp[1], "nopersist");
	jailparam_init(&jp[2], "children.max");
	for (;;) {
		jailparam_import_raw(&jp[0], &last, sizeof(last));
		jid = jailparam_get(jp, 3, 0);
		if (jid < 0)
			break;
		if (n < 2)
			seen[n] = jid;
		n++;
		if (jid == 3)
			ok(*(int *)jp[1].jp_value == 0 &&
			    *(int *)jp[2].jp_value == 4,
			    "alpha: nopersist=false, children.max=4");
		last = jid;
	}
	ok(n == 2 && seen[0] == 3 && seen[1] == 7, "lastjid walk: 3 then 7");
	ok(errno == ENOENT, "walk ends with ENOENT");
	is(jail_errmsg, "no jail after 7", "walk end: message");
	jailparam_free(jp, 3);
}

/* Remove the private store. */
static void
rm_store(const char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

int
main(void)
{
	char *dir;

	test_types();
	test_unknown();
	test_round_trips();
	test_addresses();
	test_all();
	test_raw();
	test_thread_errmsg();
	dir = fake_store();
	if (dir != NULL) {
		test_lookups();
		test_walk();
		rm_store(dir);
	}
	return tap_done();
}
