/*
 * registry_stub.c: a small parameter registry standing in for libvjail's,
 * so the parser's tests, golden driver and fuzz replay can be built from
 * conf/ and lib/core/{params,error,util}.c alone.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"

static const struct vj_pdef stub_params[] = {
	{ "jid", VJ_PT_INT, VJ_PF_CREATE, NULL, "" },
	{ "name", VJ_PT_STRING, 0, NULL, "" },
	{ "path", VJ_PT_STRING, VJ_PF_CREATE, NULL, "" },
	{ "persist", VJ_PT_BOOL, 0, "false", "" },
	{ "host.hostname", VJ_PT_STRING, 0, NULL, "" },
	{ "ip4.addr", VJ_PT_IPV4, VJ_PF_LIST, NULL, "" },
	{ "ip6.addr", VJ_PT_IPV6, VJ_PF_LIST, NULL, "" },
	{ "interface", VJ_PT_STRING, VJ_PF_INTERNAL, NULL, "" },
	{ "vnet", VJ_PT_JAILSYS, VJ_PF_CREATE, "inherit", "" },
	{ "vnet.interface", VJ_PT_STRING, VJ_PF_LIST, NULL, "" },
	{ "securelevel", VJ_PT_INT, 0, NULL, "" },
	{ "children.max", VJ_PT_INT, 0, "0", "" },
	{ "allow.mount", VJ_PT_BOOL, 0, "false", "" },
	{ "allow.raw_sockets", VJ_PT_BOOL, 0, "false", "" },
	{ "mount", VJ_PT_STRING, VJ_PF_LIST, NULL, "" },
	{ "mount.devfs", VJ_PT_BOOL, 0, "false", "" },
	{ "mount.fstab", VJ_PT_STRING, VJ_PF_LIST, NULL, "" },
	{ "exec.prestart", VJ_PT_STRING, VJ_PF_LIST, NULL, "" },
	{ "exec.start", VJ_PT_STRING, VJ_PF_LIST, NULL, "" },
	{ "exec.poststart", VJ_PT_STRING, VJ_PF_LIST, NULL, "" },
	{ "exec.prestop", VJ_PT_STRING, VJ_PF_LIST, NULL, "" },
	{ "exec.stop", VJ_PT_STRING, VJ_PF_LIST, NULL, "" },
	{ "exec.poststop", VJ_PT_STRING, VJ_PF_LIST, NULL, "" },
	{ "exec.clean", VJ_PT_BOOL, VJ_PF_INTERNAL, "false", "" },
	{ "exec.timeout", VJ_PT_INT, VJ_PF_INTERNAL, NULL, "" },
	{ "stop.timeout", VJ_PT_INT, VJ_PF_INTERNAL, "10", "" },
	{ "depend", VJ_PT_STRING, VJ_PF_INTERNAL | VJ_PF_LIST, NULL, "" },
	{ NULL, 0, 0, NULL, NULL }
};

/* Look a name up exactly. */
static const struct vj_pdef *
exact(const char *name)
{
	const struct vj_pdef *d;

	for (d = stub_params; d->name != NULL; d++)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

/* The name without a "no" on its last component, or NULL. */
static char *
strip_no(const char *name)
{
	const char *last = strrchr(name, '.');
	size_t pre = last ? (size_t)(last - name) + 1 : 0;
	char *out;

	if (strncmp(name + pre, "no", 2) != 0 || (out = strdup(name)) == NULL)
		return NULL;
	memmove(out + pre, out + pre + 2, strlen(out + pre + 2) + 1);
	return out;
}

/* Look a parameter up; "allow.nomount" finds allow.mount. */
const struct vj_pdef *
vj_param_lookup(const char *name)
{
	const struct vj_pdef *d = exact(name);
	char *pos;

	if (d != NULL || (pos = strip_no(name)) == NULL)
		return d;
	d = exact(pos);
	free(pos);
	return d != NULL && d->type == VJ_PT_BOOL ? d : NULL;
}

/* Check a value for its type (names are not canonicalised here). */
int
vj_param_canon(const char *name, const char *value, char **cname,
    char **cvalue, struct vj_error *err)
{
	const struct vj_pdef *d = vj_param_lookup(name);
	char *end = NULL;

	if (d == NULL)
		return vj_err_set(err, ENOENT, "unknown parameter: %s", name);
	if (value != NULL)
		(void)strtol(value, &end, 10);
	if (d->type == VJ_PT_BOOL && value != NULL &&
	    strcasecmp(value, "true") != 0 &&
	    strcasecmp(value, "false") != 0 && (*end != '\0' || end == value))
		return vj_err_set(err, EINVAL,
		    "%s: unknown boolean value \"%s\"", name, value);
	if (d->type == VJ_PT_INT && (value == NULL || *end != '\0' ||
	    end == value))
		return vj_err_set(err, EINVAL, "%s: non-integer value \"%s\"",
		    name, value ? value : "");
	*cname = strdup(name);
	*cvalue = strdup(value ? value : "");
	return 0;
}
