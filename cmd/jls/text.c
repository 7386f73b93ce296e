/*
 * text.c: jls's plain-text output, with FreeBSD's column widths.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jls.h"

/* A parameter's first value, or "". */
static const char *
get(const struct vj_params *ps, const char *name)
{
	const char *v = vj_params_get(ps, name);

	return v != NULL ? v : "";
}

/* Print the header line(s) of the chosen mode. */
void
text_header(const struct jls *j)
{
	size_t i;
	int sp = 0;

	if (j->pflags & P_VERBOSE)
		printf("   JID  Hostname%22sPath\n        Name%26sState\n"
		    "        CPUSetID\n        IP Address(es)\n", "", "");
	else if ((j->pflags & P_DEFAULT) && (j->pflags & P_NAME))
		printf(" %-15s %-15s %-29s %s\n", "JID", "IP Address",
		    "Hostname", "Path");
	else if (j->pflags & P_DEFAULT)
		printf("%6s  IP Address%6sHostname%22sPath\n", "JID", "", "");
	else if (j->pflags & P_HEADER) {
		for (i = 0; i < j->ncols; i++)
			if (j->cols[i].user)
				printf("%s%s", sp++ ? " " : "", j->cols[i].name);
		putchar('\n');
	}
}

/* Print every address of a list parameter, one per line. */
static void
print_addrs(const struct vj_params *ps, const char *name)
{
	const struct vj_param *p = vj_params_find(ps, name);
	char buf[256];
	size_t k;

	for (k = 0; p != NULL && k < p->nvals; k++) {
		addr_part(p->vals[k], buf, sizeof(buf));
		printf("        %s\n", buf);
	}
}

/* The -v summary of one jail. */
static void
print_verbose(const struct vj_params *ps)
{
	printf("%6d  %-29.29s %.74s\n", atoi(get(ps, "jid")),
	    get(ps, "host.hostname"), get(ps, "path"));
	printf("        %-29.29s %.74s\n", get(ps, "name"),
	    strcmp(get(ps, "dying"), "true") == 0 ? "DYING" : "ACTIVE");
	printf("        %d\n", atoi(get(ps, "cpuset.id")));
	print_addrs(ps, "ip4.addr");
	print_addrs(ps, "ip6.addr");
}

/* The default row: jid (or name), first IPv4 address, hostname, path. */
static void
print_default(const struct jls *j, const struct vj_params *ps)
{
	char ip[256] = "";

	if (vj_params_get(ps, "ip4.addr") != NULL)
		addr_part(vj_params_get(ps, "ip4.addr"), ip, sizeof(ip));
	if (j->pflags & P_NAME)
		printf(" %-15s ", *get(ps, "name") ? get(ps, "name") :
		    get(ps, "jid"));
	else
		printf("%6d  ", atoi(get(ps, "jid")));
	printf("%-15.15s %-29.29s %.74s\n", ip, get(ps, "host.hostname"),
	    get(ps, "path"));
}

/* Print a value, quoted under -q when it holds blanks or quotes. */
static void
print_value(const struct jls *j, const char *v)
{
	int qc = strchr(v, '\'') ? '"' : strchr(v, '"') ? '\'' :
	    strpbrk(v, " \t") ? '"' : 0;

	if (*v == '\0') {
		fputs("\"\"", stdout);
		return;
	}
	if (qc == 0 || !(j->pflags & P_QUOTED)) {
		fputs(v, stdout);
		return;
	}
	putchar(qc);
	for (; *v != '\0'; v++) {
		if (*v == qc || *v == '\\')
			putchar('\\');
		putchar(*v);
	}
	putchar(qc);
}

/* name=value form of a boolean: "name" or its "no" counterpart. */
static void
print_bool_name(const struct col *c, const struct vj_params *ps)
{
	const char *dot;

	if (col_bool(c, ps))
		fputs(c->name, stdout);
	else if (c->nobool)
		fputs(c->native, stdout);
	else if ((dot = strrchr(c->name, '.')) != NULL)
		printf("%.*sno%s", (int)(dot - c->name + 1), c->name, dot + 1);
	else
		printf("no%s", c->name);
}

/* Print one parameter of one jail (*sp: how many are out already). */
static int
print_col(const struct jls *j, const struct col *c, const struct vj_params *ps,
    void *sp)
{
	int nameval = (j->pflags & P_NAMEVAL) != 0;
	char *v;

	if ((*(int *)sp)++)
		putchar(' ');
	if (nameval && c->type == VJ_PT_BOOL) {
		print_bool_name(c, ps);
		return 0;
	}
	if ((v = col_text(c, ps)) == NULL) {	/* a missing meta key */
		if (nameval)
			fputs(c->name, stdout);
		return 0;
	}
	if (nameval)
		printf("%s=", c->name);
	if (c->key == NULL && col_count(c, ps) == 0)
		fputs((j->pflags & P_QUOTED) ? "\"\"" : nameval ? "" : "-",
		    stdout);
	else
		print_value(j, v);
	free(v);
	return 0;
}

/* Print one jail in the chosen mode. */
int
text_jail(const struct jls *j, const struct vj_params *ps)
{
	int sp = 0;

	if (j->pflags & P_VERBOSE) {
		print_verbose(ps);
		return 0;
	}
	if (j->pflags & P_DEFAULT) {
		print_default(j, ps);
		return 0;
	}
	cols_walk(j, ps, print_col, &sp);
	putchar('\n');
	return 0;
}
