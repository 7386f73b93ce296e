/*
 * config.c: jails from jail.conf(5) (the parser lives in conf/).
 * Placeholder until the parser lands: configuration files are refused.
 */
#include <stdio.h>
#include <unistd.h>

#include "jail.h"
#include "targets.h"

/* Read the configuration when -f was given or the default file exists. */
bool
config_wanted(struct run *r, int op, int argc, char **argv)
{
	(void)op;
	(void)argc;
	(void)argv;
	return r->conf_file != NULL || access("/etc/jail.conf", F_OK) == 0;
}

/* Run the operation over configured jails. */
int
config_targets(struct run *r, int op, int argc, char **argv)
{
	(void)op;
	(void)argc;
	(void)argv;
	fprintf(stderr, "jail: %s: configuration files are not supported yet\n",
	    r->conf_file ? r->conf_file : "/etc/jail.conf");
	return -1;
}
