/*
 * main.c: jail(8): create, modify and remove jails, from the command line
 * or from jail.conf(5).  Options and messages follow FreeBSD's jail(8).
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jail.h"
#include "targets.h"

struct opts opt = { .paralimit = -1 };
struct vj_ctx *ctx;

/* The usage text (jail(8)'s, with our additions). */
static void __attribute__((noreturn))
usage(int status)
{
	fprintf(status ? stderr : stdout,
"usage: jail [-dhilqv] [-J jid_file] [-u username] [-U username]\n"
"            -[cmr] param=value ... [command=command ...]\n"
"       jail [-dqv] [-f file] -[cmr] [jail]\n"
"       jail [-qv] [-f file] -[rR] ['*' | jail ...]\n"
"       jail [-dhilqv] [-J jid_file] [-u username] [-U username]\n"
"            [-n jailname] [-s securelevel]\n"
"            path hostname ip[,...] command ...\n"
"       jail [-f file] -e separator\n"
"       jail [-f file] --preflight\n");
	exit(status);
}

/* The name to print for a jail: its name, else its jid. */
const char *
jail_label(const struct cjail *j)
{
	static char num[32];

	if (j->name[0] != '\0')
		return j->name;
	snprintf(num, sizeof(num), "%d", j->jid);
	return num;
}

/* "jail: NAME: message" on stderr (no name for command-line jails). */
void
jail_warnx(const struct cjail *j, const char *fmt, ...)
{
	const char *who = j != NULL && j->from_conf ? jail_label(j) : NULL;
	char msg[1024], line[1400];
	va_list ap;

	fflush(stdout);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* One write: the workers of jail -p share stderr. */
	snprintf(line, sizeof(line), "jail: %s%s%s\n", who ? who : "",
	    who ? ": " : "", msg);
	fflush(stderr);
	(void)!write(STDERR_FILENO, line, strlen(line));
}

/* "NAME: message" on stdout. */
void
jail_note(const struct cjail *j, const char *fmt, ...)
{
	va_list ap;

	printf("%s: ", jail_label(j));
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* A parameter's first value, or NULL. */
const char *
cparam(const struct cjail *j, const char *name)
{
	return vj_params_get(&j->params, name);
}

/* A boolean parameter (bare name, true, or non-zero; "noname" false). */
bool
cparam_bool(const struct cjail *j, const char *name)
{
	const struct vj_param *p = vj_params_find(&j->params, name);
	const char *v;

	if (p == NULL)
		return false;
	v = p->nvals ? p->vals[p->nvals - 1] : NULL;
	return v == NULL || strcasecmp(v, "true") == 0 || atoi(v) != 0;
}

/* Library trace lines go to stderr with -v or VJAIL_DEBUG. */
static void
trace(void *arg, const char *line)
{
	const char *dbg = getenv("VJAIL_DEBUG");
	struct timespec ts;

	(void)arg;
	if (dbg != NULL && strcmp(dbg, "time") == 0) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		fprintf(stderr, "%ld.%06ld ", (long)ts.tv_sec,
		    ts.tv_nsec / 1000);
	}
	fprintf(stderr, "jail: trace: %s\n", line);
}

/* Library warnings go to stderr. */
static void
warn_hook(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "jail: %s\n", line);
}

/* Apply an option that sets a parameter (-l, -n, -s, -u, -U, -h). */
static void
option_param(struct vj_params *extra, int ch, const char *arg)
{
	switch (ch) {
	case 'h':
		vj_params_set(extra, "ip_hostname", "true");
		break;
	case 'l':
		vj_params_set(extra, "exec.clean", "true");
		break;
	case 'n':
		vj_params_set(extra, "name", arg);
		break;
	case 's':
		vj_params_set(extra, "securelevel", arg);
		break;
	case 'u':
		vj_params_set(extra, "exec.jail_user", arg);
		vj_params_set(extra, "exec.system_jail_user", "true");
		break;
	case 'U':
		vj_params_set(extra, "exec.jail_user", arg);
		vj_params_set(extra, "exec.system_jail_user", "false");
		break;
	}
}

/* Parse options; returns the operation bits. */
static int
parse_options(int argc, char **argv, struct run *r)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'H' },
		{ "preflight", no_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, op = 0;

	while ((ch = getopt_long(argc, argv, "+cCde:f:hiJ:lmn:p:qrRs:u:U:v",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': op |= OP_CREATE; break;
		case 'm': op |= OP_MODIFY; break;
		case 'r': op |= OP_REMOVE; break;
		case 'R': op |= OP_REMOVE; opt.remove_plain = true; break;
		case 'C': op |= OP_CLEAN; break;
		case 'd':
			fprintf(stderr, "jail: the 'allow.dying' parameter and "
			    "'-d' flag are deprecated and have no effect.\n");
			break;
		case 'e': r->separator = optarg; break;
		case 'f': r->conf_file = optarg; break;
		case 'i': opt.print_jid = true; opt.verbose = -1; break;
		case 'J': opt.jid_file = optarg; break;
		case 'p': opt.paralimit = atoi(optarg); break;
		case 'q': opt.verbose = -1; break;
		case 'v': opt.verbose = 1; break;
		case 'H': usage(0);
		case 'P': r->preflight = true; break;
		case 'h': case 'l': case 'n': case 's': case 'u': case 'U':
			option_param(&r->extra, ch, optarg);
			break;
		default:
			usage(1);
		}
	}
	return op;
}

/* Every jail's init shares our memory, and with it the command line that
 * /proc/1/cmdline shows inside the jail: work on a copy of argv and blank
 * the original, so no parameter given here (meta, exec.* strings) leaks
 * into a jail.  Returns the copy. */
static char **
hide_cmdline(int argc, char **argv)
{
	char **copy = calloc((size_t)argc + 1, sizeof(char *));
	char *end;
	int i;

	if (copy == NULL)
		return argv;
	for (i = 0; i < argc; i++)
		if ((copy[i] = strdup(argv[i])) == NULL)
			return argv;
	end = argv[argc - 1] + strlen(argv[argc - 1]);
	memset(argv[0], 0, (size_t)(end - argv[0]));
	strcpy(argv[0], "jail");
	return copy;
}

/* jail(8) entry point. */
int
main(int argc, char **argv)
{
	struct run r = { 0 };
	struct vj_error err;
	int op, rc;

	argv = hide_cmdline(argc, argv);
	op = parse_options(argc, argv, &r);
	argc -= optind;
	argv += optind;
	ctx = vj_ctx_new(&err);
	if (ctx == NULL) {
		fprintf(stderr, "jail: %s\n", err.ve_msg);
		return 1;
	}
	if (opt.verbose > 0 || getenv("VJAIL_DEBUG") != NULL)
		vj_ctx_set_trace(ctx, trace, NULL);
	vj_ctx_set_warn(ctx, warn_hook, NULL);
	if (r.separator == NULL && !r.preflight && op == 0 && argc < 4)
		usage(1);
	rc = run_targets(&r, op, argc, argv);
	vj_params_free(&r.extra);
	vj_ctx_free(ctx);
	return rc < 0 ? 1 : 0;
}
