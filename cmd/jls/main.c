/*
 * jls(8): list jails.  One walk of the store (vj_jail_next) and one
 * vj_jail_get per jail; the options only choose what is printed.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jls.h"

static const char usage_text[] =
    "usage: jls [--libxo=json[,pretty]] [-dhNnqsv] [-j jail] [parameter ...]\n"
    "       jls -c [-d] -j jail\n";

/* The print-mode options: what each sets and what it cancels. */
static const struct pflag {
	int	 ch;
	unsigned set, clear;
} pflags[] = {
	{ 'c', P_CHECK, 0 },
	{ 'h', P_HEADER, P_SKIP | P_VERBOSE },
	{ 'N', P_NAME, 0 },
	{ 'n', P_NAMEVAL, P_VERBOSE },
	{ 'q', P_QUOTED, 0 },
	{ 's', P_NAMEVAL | P_QUOTED | P_SKIP, P_HEADER | P_VERBOSE },
	{ 'v', P_VERBOSE, P_HEADER | P_NAMEVAL | P_SKIP },
};

/* "jls: message" on stderr and exit 1. */
#define die(...)	errx(1, __VA_ARGS__)

/* Print the usage; to stderr with status 1 unless asked for. */
static void __attribute__((noreturn))
usage(int asked)
{
	fputs(usage_text, asked ? stdout : stderr);
	exit(asked ? 0 : 1);
}

/* Apply a --libxo option list ("json,pretty"). */
static void
libxo_opts(struct jls *j, const char *spec)
{
	char buf[256], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "json") == 0)
			j->json = 1;
		else if (strcmp(tok, "pretty") == 0)
			j->pretty = 1;
		else if (strcmp(tok, "text") == 0)
			j->json = 0;
		else if (strcmp(tok, "xml") == 0 || strcmp(tok, "html") == 0)
			die("--libxo: %s output is not supported", tok);
	}
}

/* Take the long options (--libxo, --help) out of argv; returns argc. */
static int
long_opts(struct jls *j, int argc, char **argv)
{
	int i, n = 1;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0)
			usage(1);
		if (strncmp(argv[i], "--libxo=", 8) == 0)
			libxo_opts(j, argv[i] + 8);
		else if (strcmp(argv[i], "--libxo") == 0 && i + 1 < argc)
			libxo_opts(j, argv[++i]);
		else if (strcmp(argv[i], "--libxo") == 0)
			usage(0);
		else
			argv[n++] = argv[i];
	}
	while (i < argc)
		argv[n++] = argv[i++];
	argv[n] = NULL;
	return n;
}

/* Apply one short option from the table. */
static int
short_opt(struct jls *j, int ch)
{
	size_t i;

	for (i = 0; i < sizeof(pflags) / sizeof(pflags[0]); i++)
		if (pflags[i].ch == ch) {
			j->pflags = (j->pflags & ~pflags[i].clear) |
			    pflags[i].set;
			return 0;
		}
	return -1;
}

/* Complain about a bad option as BSD getopt does, then show the usage. */
static void __attribute__((noreturn))
bad_option(int ch)
{
	if (ch == ':')
		fprintf(stderr, "jls: option requires an argument -- %c\n",
		    optopt);
	else
		fprintf(stderr, "jls: illegal option -- %c\n", optopt);
	usage(0);
}

/* Parse the options; *argcp becomes the number of parameters left. */
static char **
parse_args(struct jls *j, int *argcp, char **argv)
{
	int argc = long_opts(j, *argcp, argv), ch;

	opterr = 0;
	while ((ch = getopt(argc, argv, "+:acdhj:Nnqsv")) != -1) {
		if (ch == 'a' || ch == 'd')
			j->jflags |= VJ_DYING;
		else if (ch == 'j')
			j->jail = optarg;
		else if (short_opt(j, ch) < 0)
			bad_option(ch);
	}
	if ((j->pflags & P_CHECK) && (j->jail == NULL || optind < argc ||
	    (j->pflags & ~P_CHECK) != 0 || j->json))
		usage(0);
	*argcp = argc - optind;
	return argv + optind;
}

/* Choose the columns: the parameters given, "all", or a fixed mode. */
static void
choose_cols(struct jls *j, int argc, char **argv)
{
	int i;

	if (argc == 0 && (j->pflags & (P_HEADER | P_NAMEVAL))) {
		if (cols_add_all(j) < 0)
			die("out of memory");
	} else if (argc == 0 && !(j->pflags & P_VERBOSE))
		j->pflags |= P_DEFAULT;
	if (argc > 0)
		j->pflags &= ~P_VERBOSE;
	for (i = 0; i < argc; i++) {
		if (cols_add(j, argv[i], 1) >= 0)
			continue;
		if (errno == ENOENT)
			die("unknown parameter: %s", argv[i]);
		die("out of memory");
	}
	if ((j->pflags & P_SKIP) && cols_add_parents(j) < 0)
		die("out of memory");
}

/* Print one jail; a jail that vanished meanwhile is skipped. */
static void
show(struct vj_ctx *ctx, struct jls *j, int jid)
{
	struct vj_params ps = { 0 };
	struct vj_error err = { 0 };
	int rc;

	if (vj_jail_get(ctx, jid, &ps, &err) < 0) {
		vj_params_free(&ps);
		if (err.ve_errno == ENOENT)
			return;
		die("%s", err.ve_msg);
	}
	rc = j->json ? json_jail(j, &ps) : text_jail(j, &ps);
	vj_params_free(&ps);
	if (rc < 0)
		die("out of memory");
}

/* Find the -j jail; -1 with a message in err when there is none. */
static int
find_jail(struct vj_ctx *ctx, const struct jls *j, struct vj_error *err)
{
	const char *s = j->jail;
	int jid = vj_jail_find(ctx, s, j->jflags, err);
	size_t n = strspn(s, "0123456789");

	if (jid < 0 && err->ve_errno == ENOENT && n > 0 && s[n] == '\0' &&
	    atoi(s) != 0)
		snprintf(err->ve_msg, sizeof(err->ve_msg),
		    "jail %d not found", atoi(s));
	return jid;
}

/* Walk every visible jail in jid order. */
static void
show_all(struct vj_ctx *ctx, struct jls *j)
{
	struct vj_error err = { 0 };
	int jid = 0;

	while ((jid = vj_jail_next(ctx, jid, j->jflags, &err)) >= 0)
		show(ctx, j, jid);
	if (err.ve_errno != ENOENT)
		die("%s", err.ve_msg);
}

/* List the jails, as the options ask. */
int
main(int argc, char **argv)
{
	struct jls j = { 0 };
	struct vj_error err = { 0 };
	struct vj_ctx *ctx;
	int jid = 0;

	argv = parse_args(&j, &argc, argv);
	if ((ctx = vj_ctx_new(&err)) == NULL)
		die("%s", err.ve_msg);
	if (j.jail != NULL && (jid = find_jail(ctx, &j, &err)) < 0 &&
	    !(j.pflags & P_CHECK))
		die("%s", err.ve_msg);
	if (j.pflags & P_CHECK) {
		vj_ctx_free(ctx);
		return jid < 0;
	}
	choose_cols(&j, argc, argv);
	if (!j.json)
		text_header(&j);
	else if (json_start(&j) < 0)
		die("out of memory");
	if (j.jail == NULL)
		show_all(ctx, &j);
	else
		show(ctx, &j, jid);
	if (j.json)
		json_finish(&j);
	cols_free(&j);
	vj_ctx_free(ctx);
	return fflush(stdout) == 0 ? 0 : 1;
}
