/*
 * jexec(8): run a command in a jail.  The jail is found by jid or name,
 * the command is started with vj_jail_spawn, and jexec waits for it so
 * that its exit status becomes jexec's own.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jexec.h"

static const char usage_text[] =
    "usage: jexec [-l] [-d working-directory] [-u username | -U username] "
    "jail [command ...]\n";

static char bin_sh[] = "/bin/sh", dash_i[] = "-i", dash_c[] = "-c";
static char exec_shell[] = "exec \"${SHELL:-/bin/sh}\" -i";

/* With -l and no command: the login shell the jail's passwd names,
 * which only the login environment inside the jail knows.
 * TODO: let vj_jail_spawn start the user's shell itself. */
static char *const login_shell[] = { bin_sh, dash_c, exec_shell, NULL };

struct opts {
	struct vj_spawn	 sp;
	int		 uflag, Uflag;
};

/* Print the usage; to stderr with status 1 unless asked for. */
static void __attribute__((noreturn))
usage(int asked)
{
	fputs(usage_text, asked ? stdout : stderr);
	exit(asked ? 0 : 1);
}

/* Apply one option; -1 if it is not one of ours. */
static int
apply_opt(struct opts *o, int ch, char *arg)
{
	switch (ch) {
	case 'l':
		o->sp.login = 1;
		return 0;
	case 'd':
		o->sp.cwd = arg;
		return 0;
	case 'n':		/* accepted for compatibility, unused */
		return 0;
	case 'u':
	case 'U':
		o->sp.user = arg;
		o->sp.user_in_jail = ch == 'U';
		o->uflag |= ch == 'u';
		o->Uflag |= ch == 'U';
		return 0;
	}
	return -1;
}

/* Parse the options; returns the index of the jail argument. */
static int
parse_args(struct opts *o, int argc, char **argv)
{
	int ch;

	if (argc > 1 && strcmp(argv[1], "--help") == 0)
		usage(1);
	opterr = 0;
	while ((ch = getopt(argc, argv, "+:ld:nu:U:")) != -1)
		if (apply_opt(o, ch, optarg) < 0) {
			fprintf(stderr, ch == ':' ? "jexec: option requires "
			    "an argument -- %c\n" : "jexec: illegal option "
			    "-- %c\n", optopt);
			usage(0);
		}
	if (optind >= argc || (o->uflag && o->Uflag))
		usage(0);
	return optind;
}

/* The command: the arguments, or an interactive shell. */
static char *const *
command(struct opts *o, char **args, char **shell)
{
	char *sh = getenv("SHELL");

	if (args[0] != NULL)
		return args;
	if (o->sp.login)
		return login_shell;
	shell[0] = sh != NULL && *sh != '\0' ? sh : bin_sh;
	shell[1] = dash_i;
	shell[2] = NULL;
	return shell;
}

/* Find the jail, with the kernel's wording for a missing jid. */
static int
find_jail(struct vj_ctx *ctx, const char *s)
{
	struct vj_error err = { 0 };
	size_t n = strspn(s, "0123456789");
	int jid = vj_jail_find(ctx, s, 0, &err);

	if (jid >= 0)
		return jid;
	if (err.ve_errno == ENOENT && n > 0 && s[n] == '\0' && atoi(s) != 0)
		die("jail %d not found", atoi(s));
	die("%s", err.ve_msg);
}

/* Run a command in a jail and exit with its status. */
int
main(int argc, char **argv)
{
	struct opts o = { .sp = { .fd_in = -1, .fd_out = -1, .fd_err = -1 } };
	struct vj_error err = { 0 };
	struct vj_ctx *ctx;
	char *shell[3];
	int first, jid, status;

	first = parse_args(&o, argc, argv);
	o.sp.argv = command(&o, argv + first + 1, shell);
	if ((ctx = vj_ctx_new(&err)) == NULL)
		die("%s", err.ve_msg);
	jid = find_jail(ctx, argv[first]);
	status = run(ctx, jid, &o.sp);
	vj_ctx_free(ctx);
	return status;
}
