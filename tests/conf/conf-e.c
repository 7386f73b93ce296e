/*
 * conf-e.c: what "jail -f FILE -e SEP" prints, for the golden tests.
 *   conf-e [-c] FILE SEP
 * Prints every configured jail, one line each; on an error prints
 * "jail: <message>" on stderr and exits 1.  -c also refuses unknown
 * parameters (the check jail -c and -m make); without it, like jail -e,
 * any name is shown.
 */
#include <stdio.h>
#include <string.h>

#include "conf.h"

/* Load, print, report. */
int
main(int argc, char **argv)
{
	struct vj_conf conf;
	struct vj_error err;
	int flags = VJ_CONF_NOCHECK;
	size_t i;

	if (argc > 1 && strcmp(argv[1], "-c") == 0) {
		flags = 0;
		argc--;
		argv++;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: conf-e [-c] file separator\n");
		return 2;
	}
	if (vj_conf_load(argv[1], flags, &conf, &err) < 0) {
		fprintf(stderr, "jail: %s\n", err.ve_msg);
		return 1;
	}
	for (i = 0; i < conf.njails; i++)
		vj_conf_print(stdout, &conf.jails[i], argv[2]);
	vj_conf_free(&conf);
	return 0;
}
