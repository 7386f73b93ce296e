/*
 * param.c: THE parameter registry.  Each subsystem declares the parameters
 * it owns beside its code (struct vj_subsys.params); jail(8)'s own
 * pseudo-parameters, which the library stores but never applies, are here.
 */
#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "subsys.h"
#include "util.h"

/* jail(8) pseudo-parameters: run by the jail command, kept in the record. */
static const struct vj_pdef jail8_params[] = {
	{ "exec.prepare", VJ_PT_STRING, VJ_PF_INTERNAL | VJ_PF_LIST, NULL,
	    "host commands run before anything is set up" },
	{ "exec.prestart", VJ_PT_STRING, VJ_PF_INTERNAL | VJ_PF_LIST, NULL,
	    "host commands run before the jail is created" },
	{ "exec.created", VJ_PT_STRING, VJ_PF_INTERNAL | VJ_PF_LIST, NULL,
	    "host commands run right after creation" },
	{ "exec.start", VJ_PT_STRING, VJ_PF_INTERNAL | VJ_PF_LIST, NULL,
	    "commands run inside the jail at creation" },
	{ "command", VJ_PT_STRING, VJ_PF_INTERNAL | VJ_PF_LIST, NULL,
	    "a command run inside the jail (argv)" },
	{ "exec.poststart", VJ_PT_STRING, VJ_PF_INTERNAL | VJ_PF_LIST, NULL,
	    "host commands run after exec.start" },
	{ "exec.prestop", VJ_PT_STRING, VJ_PF_INTERNAL | VJ_PF_LIST, NULL,
	    "host commands run before removal" },
	{ "exec.stop", VJ_PT_STRING, VJ_PF_INTERNAL | VJ_PF_LIST, NULL,
	    "commands run inside the jail before removal" },
	{ "exec.poststop", VJ_PT_STRING, VJ_PF_INTERNAL | VJ_PF_LIST, NULL,
	    "host commands run after removal" },
	{ "exec.release", VJ_PT_STRING, VJ_PF_INTERNAL | VJ_PF_LIST, NULL,
	    "host commands run last, after unmounting" },
	{ "exec.clean", VJ_PT_BOOL, VJ_PF_INTERNAL, "false",
	    "run commands in a clean environment" },
	{ "exec.jail_user", VJ_PT_STRING, VJ_PF_INTERNAL, NULL,
	    "user for commands inside the jail" },
	{ "exec.system_jail_user", VJ_PT_BOOL, VJ_PF_INTERNAL, "false",
	    "look exec.jail_user up on the host" },
	{ "exec.system_user", VJ_PT_STRING, VJ_PF_INTERNAL, NULL,
	    "user for commands on the host" },
	{ "exec.timeout", VJ_PT_INT, VJ_PF_INTERNAL, NULL,
	    "seconds a command may run" },
	{ "exec.consolelog", VJ_PT_STRING, VJ_PF_INTERNAL, NULL,
	    "file receiving the output of commands run inside the jail" },
	{ "exec.fib", VJ_PT_INT, VJ_PF_INTERNAL | VJ_PF_NOLINUX, NULL,
	    "routing table for commands (no Linux meaning)" },
	{ "stop.timeout", VJ_PT_INT, VJ_PF_INTERNAL, "10",
	    "seconds to wait after SIGTERM before killing" },
	{ "depend", VJ_PT_STRING, VJ_PF_INTERNAL | VJ_PF_LIST, NULL,
	    "jails that must be started first" },
	{ "allow.dying", VJ_PT_BOOL, VJ_PF_INTERNAL, NULL,
	    "deprecated, no effect" },
	{ "ip_hostname", VJ_PT_BOOL, VJ_PF_INTERNAL, NULL,
	    "resolve host.hostname into ip4.addr/ip6.addr" },
	{ "zfs.dataset", VJ_PT_STRING, VJ_PF_INTERNAL | VJ_PF_LIST |
	    VJ_PF_NOLINUX, NULL, "ZFS datasets (no Linux meaning)" },
	{ NULL, 0, 0, NULL, NULL }
};

/* Does def match name (exactly, or as a prefix entry)? */
static bool
def_matches(const struct vj_pdef *d, const char *name)
{
	size_t len;

	if (!(d->flags & VJ_PF_PREFIX))
		return strcmp(d->name, name) == 0;
	len = strlen(d->name);
	return strncmp(d->name, name, len) == 0 && name[len] != '\0';
}

/* Search one table. */
static const struct vj_pdef *
search(const struct vj_pdef *t, const char *name)
{
	for (; t != NULL && t->name != NULL; t++)
		if (def_matches(t, name))
			return t;
	return NULL;
}

/*
 * An index of the registry, built at the first lookup: a creation asks
 * for its parameters a few hundred times (each subsystem for its own),
 * and a walk of every table with strcmp cost ~20 us a jail.  Exact names
 * sit in a hash table; prefix entries (epair.) in a short list.  Each
 * entry keeps its rank in table order, so that the first match wins as
 * in the walk.  A registry too big for it is walked as before.
 */
#define INDEX_SLOTS	512	/* a power of two, over twice the names */
#define INDEX_PREFIXES	16

struct index_entry {
	const struct vj_pdef	*d;
	unsigned		 rank;
};

static struct index_entry index_exact[INDEX_SLOTS];
static struct index_entry index_prefix[INDEX_PREFIXES];
static size_t index_nprefix;
static bool index_ok;
static pthread_once_t index_once = PTHREAD_ONCE_INIT;

/* The slot of name: where it is, or the empty one it would take. */
static struct index_entry *
index_slot(const char *name)
{
	size_t i = vj_hash_str(name) & (INDEX_SLOTS - 1);

	while (index_exact[i].d != NULL &&
	    strcmp(index_exact[i].d->name, name) != 0)
		i = (i + 1) & (INDEX_SLOTS - 1);
	return &index_exact[i];
}

/* Add one table's entries, ranked after those before; false if full. */
static bool
index_table(const struct vj_pdef *t, unsigned *rank, size_t *nexact)
{
	struct index_entry *e;

	for (; t != NULL && t->name != NULL; t++, (*rank)++) {
		if (t->flags & VJ_PF_PREFIX) {
			if (index_nprefix == INDEX_PREFIXES)
				return false;
			index_prefix[index_nprefix++] =
			    (struct index_entry){ t, *rank };
			continue;
		}
		if (++*nexact > INDEX_SLOTS / 2)
			return false;
		if ((e = index_slot(t->name))->d == NULL)
			*e = (struct index_entry){ t, *rank };
	}
	return true;
}

/* Build the index (once, whichever thread looks up first). */
static void
index_build(void)
{
	unsigned rank = 0;
	size_t i, nexact = 0;

	for (i = 0; i < vj_nsubsystems; i++)
		if (!index_table(vj_subsystems[i]->params, &rank, &nexact))
			return;
	index_ok = index_table(jail8_params, &rank, &nexact);
}

/* Look a parameter up by its exact (canonical) name. */
static const struct vj_pdef *
lookup_exact(const char *name)
{
	const struct index_entry *e;
	const struct vj_pdef *d;
	size_t i;

	if (pthread_once(&index_once, index_build) == 0 && index_ok) {
		e = index_slot(name);
		/* A prefix entry before the exact one wins, as in the walk. */
		for (i = 0; i < index_nprefix; i++)
			if ((e->d == NULL || index_prefix[i].rank < e->rank) &&
			    def_matches(index_prefix[i].d, name))
				return index_prefix[i].d;
		return e->d;
	}
	for (i = 0; i < vj_nsubsystems; i++)
		if ((d = search(vj_subsystems[i]->params, name)) != NULL)
			return d;
	return search(jail8_params, name);
}

/* May the name take a "no" prefix (booleans and jailsys)? */
static bool
negatable(const struct vj_pdef *d)
{
	return d->type == VJ_PT_BOOL || d->type == VJ_PT_JAILSYS;
}

/* Strip a "no" from the last component: allow.nomount -> allow.mount. */
static char *
strip_no(const char *name)
{
	const char *last = strrchr(name, '.');
	size_t pre = last ? (size_t)(last - name) + 1 : 0;
	char *out;

	if (strncmp(name + pre, "no", 2) != 0)
		return NULL;
	out = malloc(strlen(name) - 1);
	if (out == NULL)
		return NULL;
	memcpy(out, name, pre);
	strcpy(out + pre, name + pre + 2);
	return out;
}

/* Look a parameter up ("allow.nomount" finds allow.mount). */
const struct vj_pdef *
vj_param_lookup(const char *name)
{
	const struct vj_pdef *d = lookup_exact(name);
	vj_autofree char *pos = NULL;

	if (d != NULL)
		return d;
	pos = strip_no(name);
	if (pos == NULL)
		return NULL;
	d = lookup_exact(pos);
	return d != NULL && negatable(d) ? d : NULL;
}

/* Call fn for every registered parameter. */
void
vj_param_foreach(void (*fn)(const struct vj_pdef *, void *), void *arg)
{
	const struct vj_pdef *d;
	size_t i;

	for (i = 0; i < vj_nsubsystems; i++)
		for (d = vj_subsystems[i]->params; d && d->name; d++)
			fn(d, arg);
	for (d = jail8_params; d->name; d++)
		fn(d, arg);
}

/* Canonical boolean text, or NULL if value is not a boolean. */
static const char *
canon_bool(const char *value)
{
	long v;

	if (value == NULL || strcasecmp(value, "true") == 0)
		return "true";
	if (strcasecmp(value, "false") == 0)
		return "false";
	if (vj_parse_int(value, -2147483647L, 2147483647L, &v) == 0)
		return v ? "true" : "false";
	return NULL;
}

/* Check a jailsys value: disable, inherit, new, or their numbers. */
static const char *
canon_jailsys(const char *value)
{
	static const char *const names[] = { "disable", "new", "inherit" };
	long v;
	size_t i;

	for (i = 0; i < VJ_ARRAY_LEN(names); i++)
		if (value != NULL && strcmp(value, names[i]) == 0)
			return names[i];
	if (value != NULL && vj_parse_int(value, 0, 2, &v) == 0)
		return names[v];
	return NULL;
}

/* Check and canonicalise the value of a known parameter. */
static int
canon_value(const struct vj_pdef *d, const char *cname, const char *value,
    bool negated, const char **out, struct vj_error *err)
{
	long v;

	switch (d->type) {
	case VJ_PT_BOOL:
		*out = canon_bool(value);
		if (*out == NULL)
			return vj_err_set(err, EINVAL,
			    "%s: unknown boolean value \"%s\"", cname, value);
		if (negated)
			*out = strcmp(*out, "true") == 0 ? "false" : "true";
		return 0;
	case VJ_PT_JAILSYS:
		/* A bare "vnet" means new, "novnet" disable (libjail). */
		if (value == NULL || *value == '\0')
			*out = negated ? "disable" : "new";
		else
			*out = canon_jailsys(value);
		if (*out == NULL)
			return vj_err_set(err, EINVAL,
			    "%s: invalid value \"%s\"", cname,
			    value ? value : "");
		return 0;
	case VJ_PT_INT:
	case VJ_PT_ULONG:
		if (value == NULL || vj_parse_int(value, d->type == VJ_PT_INT ?
		    -2147483648L : 0, 0x7fffffffffffffffL, &v) < 0)
			return vj_err_set(err, EINVAL,
			    "%s: non-integer value \"%s\"", cname,
			    value ? value : "");
		*out = value;
		return 0;
	default:
		*out = value != NULL ? value : "";
		return 0;
	}
}

/* Check and canonicalise one name=value. */
int
vj_param_canon(const char *name, const char *value, char **cname,
    char **cvalue, struct vj_error *err)
{
	const struct vj_pdef *d = lookup_exact(name);
	vj_autofree char *pos = NULL;
	const char *out;
	bool negated = false;

	if (d == NULL && (pos = strip_no(name)) != NULL) {
		d = lookup_exact(pos);
		if (d != NULL && !negatable(d))
			d = NULL;
		negated = d != NULL;
	}
	if (d == NULL)
		return vj_err_set(err, ENOENT, "unknown parameter: %s", name);
	if (canon_value(d, negated ? pos : name, value, negated, &out,
	    err) < 0)
		return -1;
	*cname = strdup(negated ? pos : name);
	*cvalue = strdup(out);
	if (*cname == NULL || *cvalue == NULL) {
		free(*cname);
		free(*cvalue);
		return vj_err_sys(err, "%s", name);
	}
	return 0;
}
