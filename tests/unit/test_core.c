/* test_core.c: parameters, the registry and the state store, no root. */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "error.h"
#include "jailobj.h"
#include "lifecycle.h"
#include "state.h"
#include "subsys.h"
#include "tap.h"

/* Canonicalise name=value; returns "name=value" or the error text. */
static const char *
canon(const char *name, const char *value)
{
	static char buf[1200];
	struct vj_error err;
	char *cn, *cv;

	if (vj_param_canon(name, value, &cn, &cv, &err) < 0)
		return strcpy(buf, err.ve_msg);
	snprintf(buf, sizeof(buf), "%s=%s", cn, cv);
	free(cn);
	free(cv);
	return buf;
}

/* The parameter registry and canonical values. */
static void
test_registry(void)
{
	is(canon("persist", NULL), "persist=true", "bare boolean");
	is(canon("nopersist", NULL), "persist=false", "no prefix");
	is(canon("allow.sysvipc", "1"), "allow.sysvipc=true", "integer bool");
	is(canon("vnet", NULL), "vnet=new", "bare jailsys is new");
	is(canon("vnet", "2"), "vnet=inherit", "jailsys by number");
	is(canon("sysvshm", "bogus"), "sysvshm: invalid value \"bogus\"",
	    "bad jailsys");
	is(canon("persist", "maybe"), "persist: unknown boolean value \"maybe\"",
	    "bad boolean");
	is(canon("children.max", "x"), "children.max: non-integer value \"x\"",
	    "bad integer");
	is(canon("foo", "1"), "unknown parameter: foo", "unknown parameter");
	is(canon("nohost.hostname", NULL), "unknown parameter: nohost.hostname",
	    "no prefix only on booleans");
	ok(vj_param_lookup("exec.start") != NULL &&
	    (vj_param_lookup("exec.start")->flags & VJ_PF_INTERNAL),
	    "exec.start is a pseudo-parameter");
}

/* The ordered parameter set. */
static void
test_params(void)
{
	struct vj_params p = { 0 }, q = { 0 };

	vj_params_set(&p, "a", "1");
	vj_params_add(&p, "b", "x");
	vj_params_add(&p, "b", "y");
	vj_params_set(&p, "a", "2");
	is(vj_params_get(&p, "a"), "2", "set replaces");
	ok(vj_params_find(&p, "b")->nvals == 2, "add appends");
	vj_params_copy(&q, &p);
	vj_params_unset(&p, "a");
	ok(vj_params_get(&p, "a") == NULL && p.n == 1, "unset removes");
	is(vj_params_get(&q, "a"), "2", "copy is deep");
	vj_params_free(&p);
	vj_params_free(&q);
}

/* The state store round trip, in a private directory. */
static void
test_state(void)
{
	char dir[] = "/tmp/vjstate.XXXXXX";
	struct vj_error err;
	struct vj_ctx *ctx;
	struct vj_jail *j, *k;
	int *jids = NULL;

	setenv("VJAIL_RUNDIR", mkdtemp(dir), 1);
	ctx = vj_ctx_new(&err);
	j = vj_jail_new(ctx);
	snprintf(j->name, sizeof(j->name), "t");
	vj_params_set(&j->params, "host.hostname", "a\tb\nc\\");
	ok(vj_state_reserve(j, &err) == 0 && j->jid == 1, "reserve jid 1");
	vj_jail_note(j, "net.if", "x", &err);
	vj_jail_note_add(j, "net.list", "1", &err);
	vj_jail_note_add(j, "net.list", "2", &err);
	k = vj_jail_new(ctx);
	snprintf(k->name, sizeof(k->name), "t");
	ok(vj_state_reserve(k, &err) < 0 && err.ve_errno == EEXIST,
	    "name clash refused: %s", err.ve_msg);
	vj_jail_free(k);
	k = vj_jail_load(ctx, 1, &err);
	ok(k != NULL, "load");
	is(vj_params_get(&k->params, "host.hostname"), "a\tb\nc\\",
	    "escapes survive");
	is(vj_jail_noted(k, "net.if"), "x", "note");
	ok(vj_jail_noted_list(k, "net.list")->nvals == 2, "list note");
	ok(vj_state_name_jid(ctx, "t") == 1, "name index");
	ok(vj_state_list(ctx, &jids, &err) == 1 && jids[0] == 1, "list");
	ok(vj_state_release(k, &err) == 0 && vj_state_name_jid(ctx, "t") < 0,
	    "release");
	free(jids);
	vj_jail_free(j);
	vj_jail_free(k);
	vj_ctx_free(ctx);
	rmdir(strcat(strcpy((char[64]){ 0 }, dir), "/jail"));
	rmdir(strcat(strcpy((char[64]){ 0 }, dir), "/name"));
	rmdir(strcat(strcpy((char[64]){ 0 }, dir), "/pidns"));
	unlink(strcat(strcpy((char[64]){ 0 }, dir), "/lastjid"));
	rmdir(dir);
}

/* The subsystem table is sane: unique names, prison first. */
static void
test_table(void)
{
	size_t i, k;
	bool unique = true;

	ok(strcmp(vj_subsystems[0]->name, "prison") == 0, "prison first");
	for (i = 0; i < vj_nsubsystems; i++)
		for (k = i + 1; k < vj_nsubsystems; k++)
			if (strcmp(vj_subsystems[i]->name,
			    vj_subsystems[k]->name) == 0)
				unique = false;
	ok(unique, "subsystem names are unique");
	ok(vj_nsubsystems < VJ_SUBSYS_MAX, "table fits the journal bits");
}

int
main(void)
{
	test_registry();
	test_params();
	test_state();
	test_table();
	return tap_done();
}
