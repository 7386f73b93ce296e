/*
 * json.c: jls --libxo json, in the shape FreeBSD's libxo gives it:
 *   {"__version": "2", "jail-information": {"jail": [{...}, {...}]}}
 * Each jail is built with json-c; the wrapper is written here so that
 * the spacing matches libxo's compact style byte for byte.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jls.h"

#define JLS_XO_VERSION	"2"
#define JSON_FLAGS	JSON_C_TO_STRING_NOSLASHESCAPE

/* Add a string member (missing values read as ""). */
static void
add_str(json_object *o, const char *key, const char *v)
{
	json_object_object_add(o, key, json_object_new_string(v ? v : ""));
}

/* Add an integer member from a decimal string. */
static void
add_int(json_object *o, const char *key, const char *v)
{
	json_object_object_add(o, key, json_object_new_int(v ? atoi(v) : 0));
}

/* An array of the address parts of a list parameter. */
static json_object *
addr_array(const struct vj_params *ps, const char *name)
{
	const struct vj_param *p = vj_params_find(ps, name);
	json_object *a = json_object_new_array();
	char buf[256];
	size_t k;

	for (k = 0; p != NULL && k < p->nvals; k++) {
		addr_part(p->vals[k], buf, sizeof(buf));
		json_object_array_add(a, json_object_new_string(buf));
	}
	return a;
}

/* The -v members of one jail. */
static void
add_verbose(json_object *o, const struct vj_params *ps)
{
	const char *dying = vj_params_get(ps, "dying");

	add_int(o, "jid", vj_params_get(ps, "jid"));
	add_str(o, "hostname", vj_params_get(ps, "host.hostname"));
	add_str(o, "path", vj_params_get(ps, "path"));
	add_str(o, "name", vj_params_get(ps, "name"));
	add_str(o, "state", dying && strcmp(dying, "true") == 0 ? "DYING" :
	    "ACTIVE");
	add_int(o, "cpusetid", vj_params_get(ps, "cpuset.id"));
	if (vj_param_lookup("ip4.addr") != NULL)
		json_object_object_add(o, "ipv4_addrs",
		    addr_array(ps, "ip4.addr"));
	if (vj_param_lookup("ip6.addr") != NULL)
		json_object_object_add(o, "ipv6_addrs",
		    addr_array(ps, "ip6.addr"));
}

/* The default members: jid (or name), ipv4, hostname, path. */
static void
add_default(const struct jls *j, json_object *o, const struct vj_params *ps)
{
	const char *ip = vj_params_get(ps, "ip4.addr");
	char buf[256] = "";

	if (j->pflags & P_NAME)
		add_str(o, "name", vj_params_get(ps, "name"));
	else
		add_int(o, "jid", vj_params_get(ps, "jid"));
	if (ip != NULL)
		addr_part(ip, buf, sizeof(buf));
	add_str(o, "ipv4", buf);
	add_str(o, "hostname", vj_params_get(ps, "host.hostname"));
	add_str(o, "path", vj_params_get(ps, "path"));
}

/* One parameter as a member of object o; a missing meta key adds
 * nothing. */
static int
add_col(const struct jls *j, const struct col *c, const struct vj_params *ps,
    void *o)
{
	char *v;

	if ((j->pflags & P_NAMEVAL) && c->type == VJ_PT_BOOL) {
		json_object_object_add(o, c->name,
		    json_object_new_boolean(col_bool(c, ps)));
		return 0;
	}
	if (c->type == VJ_PT_IPV4 || c->type == VJ_PT_IPV6) {
		json_object_object_add(o, c->name, addr_array(ps, c->native));
		return 0;
	}
	if ((v = col_text(c, ps)) == NULL)
		return 0;
	add_str(o, c->name, v);
	free(v);
	return 0;
}

/* Begin the list of jails. */
int
json_start(struct jls *j)
{
	j->jails = json_object_new_array();
	return j->jails != NULL ? 0 : -1;
}

/* Add one jail to the list. */
int
json_jail(struct jls *j, const struct vj_params *ps)
{
	json_object *o = json_object_new_object();

	if (o == NULL)
		return -1;
	if (j->pflags & P_VERBOSE)
		add_verbose(o, ps);
	else if (j->pflags & P_DEFAULT)
		add_default(j, o, ps);
	else
		cols_walk(j, ps, add_col, o);
	return json_object_array_add(j->jails, o);
}

/* Print everything, pretty (json-c's indentation) or compact (libxo's). */
static void
print_pretty(json_object *jails)
{
	json_object *root = json_object_new_object();
	json_object *info = json_object_new_object();

	json_object_object_add(root, "__version",
	    json_object_new_string(JLS_XO_VERSION));
	json_object_object_add(info, "jail", json_object_get(jails));
	json_object_object_add(root, "jail-information", info);
	printf("%s\n", json_object_to_json_string_ext(root,
	    JSON_FLAGS | JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED));
	json_object_put(root);
}

/* Print the document and free the list. */
int
json_finish(struct jls *j)
{
	size_t i, n = json_object_array_length(j->jails);

	if (j->pretty)
		print_pretty(j->jails);
	else {
		printf("{\"__version\": \"%s\", \"jail-information\": "
		    "{\"jail\": [", JLS_XO_VERSION);
		for (i = 0; i < n; i++)
			printf("%s%s", i ? ", " : "",
			    json_object_to_json_string_ext(
			    json_object_array_get_idx(j->jails, i),
			    JSON_FLAGS | JSON_C_TO_STRING_PLAIN));
		printf("]}}\n");
	}
	json_object_put(j->jails);
	j->jails = NULL;
	return 0;
}
