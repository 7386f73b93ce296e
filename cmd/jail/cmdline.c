/*
 * cmdline.c: a jail described on the command line: name=value words,
 * bare booleans, and command=... taking the rest of the line as argv.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jail.h"

/* Parameters whose command-line values are comma-separated lists (as
 * jls -s prints them; no value of theirs holds a comma). */
static const char *const listparams[] = {
	"ip4.addr", "ip6.addr", "vnet.interface", "vnet.route", "zfs.dataset",
	NULL
};

/* Is name one of the list parameters, or an epair.<if>.ip4/ip6? */
static bool
is_listparam(const char *name)
{
	const char *const *l;
	size_t n = strlen(name);

	for (l = listparams; *l != NULL; l++)
		if (strcmp(*l, name) == 0)
			return true;
	return strncmp(name, "epair.", 6) == 0 && n > 10 &&
	    (strcmp(name + n - 4, ".ip4") == 0 ||
	    strcmp(name + n - 4, ".ip6") == 0);
}

/* Add one value, split on commas for list parameters. */
static int
add_value(struct cjail *j, const char *name, const char *value)
{
	char *copy, *tok, *save = NULL;
	int rc = 0;

	if (value == NULL || !is_listparam(name))
		return vj_params_add(&j->params, name, value);
	copy = strdup(value);
	if (copy == NULL)
		return -1;
	if (vj_params_add(&j->params, name, NULL) < 0)
		rc = -1;
	for (tok = strtok_r(copy, ",", &save); tok && rc == 0;
	    tok = strtok_r(NULL, ",", &save))
		rc = vj_params_add(&j->params, name, tok);
	free(copy);
	return rc;
}

/* command=... (or a bare "command"): the rest of argv is the command. */
static int
take_command(struct cjail *j, int argc, char **argv, int i)
{
	const char *first = strchr(argv[i], '=');
	int n = 0, k;

	j->command = calloc((size_t)(argc - i) + 1, sizeof(char *));
	if (j->command == NULL)
		return -1;
	if (first != NULL)
		j->command[n++] = (char *)(uintptr_t)(first + 1);
	for (k = i + 1; k < argc; k++)
		j->command[n++] = argv[k];
	j->command[n] = NULL;
	return n == 0 ? -1 : 0;
}

/* Turn name=value words into the jail's parameters. */
int
cmdline_params(struct cjail *j, int argc, char **argv)
{
	char *eq, *name;
	int i, rc;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "command") == 0 ||
		    strncmp(argv[i], "command=", 8) == 0) {
			if (take_command(j, argc, argv, i) < 0) {
				fprintf(stderr, "jail: command: no command\n");
				return -1;
			}
			break;
		}
		eq = strchr(argv[i], '=');
		name = eq ? strndup(argv[i], (size_t)(eq - argv[i])) :
		    strdup(argv[i]);
		if (name == NULL)
			return -1;
		rc = add_value(j, name, eq ? eq + 1 : NULL);
		if (strcmp(name, "name") == 0 && eq != NULL)
			snprintf(j->name, sizeof(j->name), "%s", eq + 1);
		free(name);
		if (rc < 0)
			return -1;
	}
	return 0;
}
