/*
 * probe.c: the isolation probe's harness: options, TAP output, and main.
 * Static, so it runs in any jail root without the host's loader.
 *
 *   probe [options] [all]      run the checks (or -c 1,2,30)
 *   probe euid                 print the effective uid (setuid test)
 *   probe listen PORT NAME     (host side) listen on 127.0.0.1:PORT and on
 *                              the abstract socket NAME until killed
 *
 * Options say how the jail was made, so each check asserts the outcome
 * that jail must give:
 *   -a NAME   allow.NAME is on        -A NAME   allow.NAME is off
 *   -u user.map   -v vnet   -r path is a root of its own   -n children.max
 *   -M        mounting is allowed (allow.mount.*, enforce_statfs < 2)
 *   -s        unix.abstract=new (Landlock scoping)
 *   -m FILE   a host-only file        -p TEXT   a host process's argv
 *   -d A,B,.. expected /dev entries   -S FILE   a setuid-root probe copy
 *   -k KEY:MODE  a host SysV shm key and the jail's sysvshm mode
 *   -U NAME   a host abstract socket  -P PORT   a host loopback port
 *   -C FILE   the capability-mode test program (check 43)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "probe.h"

struct probe_opts opt;
static int ntap;

/* allow.* that FreeBSD's kernel turns on by default. */
static const char *const default_on[] = {
	"set_hostname", "reserved_ports", "unprivileged_proc_debug", "suser",
	NULL
};

/* Is name in a NULL-terminated list? */
static bool
listed(const char *const *list, const char *name)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, name) == 0)
			return true;
	return false;
}

/* Is allow.<name> on for this jail? */
bool
allowed(const char *name)
{
	if (listed(opt.deny, name))
		return false;
	return listed(opt.allow, name) || listed(default_on, name);
}

/* Print one TAP line. */
void
tap(bool ok, int check, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - #%d ", ok ? "" : "not ", ++ntap, check);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* Print a TAP skip line. */
void
skip(int check, const char *why, const char *what)
{
	printf("ok %d - #%d %s # SKIP %s\n", ++ntap, check, what, why);
	fflush(stdout);
}

/* The name of an errno, or "success". */
static const char *
ename(long rc, int err)
{
	if (rc >= 0)
		return "success";
	return strerrorname_np(err) ? strerrorname_np(err) : "E?";
}

/* Is err in a 0-terminated list? */
static bool
in(int err, const int *list)
{
	for (; *list != 0; list++)
		if (*list == err)
			return true;
	return false;
}

/* Describe an errno list ("EPERM|EROFS"). */
static void
describe(const int *errs, char *buf, size_t len)
{
	buf[0] = '\0';
	for (; *errs != 0; errs++) {
		if (buf[0] != '\0')
			strncat(buf, "|", len - strlen(buf) - 1);
		strncat(buf, strerrorname_np(*errs), len - strlen(buf) - 1);
	}
}

/* Assert a failure with one of the listed errnos. */
void
want_err(int check, const char *what, long rc, int err, const int *ok)
{
	char wanted[128];

	describe(ok, wanted, sizeof(wanted));
	if (rc < 0 && in(err, ok))
		tap(true, check, "%s: %s", what, ename(rc, err));
	else
		tap(false, check, "%s: %s, wanted %s", what, ename(rc, err),
		    wanted);
}

/* Assert a success. */
void
want_ok(int check, const char *what, long rc, int err)
{
	if (rc >= 0)
		tap(true, check, "%s: success", what);
	else
		tap(false, check, "%s: %s, wanted success", what,
		    ename(rc, err));
}

/* Assert success or a failure, as the jail's parameters say. */
void
want(int check, bool ok_wanted, const char *what, long rc, int err,
    const int *errs)
{
	if (ok_wanted)
		want_ok(check, what, rc, err);
	else
		want_err(check, what, rc, err, errs);
}

/* Wait for a child; its exit status, or 128+signal. */
int
reap(pid_t pid)
{
	int st = 0;

	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return 255;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Read a small file. */
long
slurp(const char *path, char *buf, long len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	long n, total = 0;

	if (fd < 0)
		return -1;
	while (total < len - 1 && (n = read(fd, buf + total,
	    (size_t)(len - 1 - total))) > 0)
		total += n;
	buf[total] = '\0';
	close(fd);
	return total;
}

/* Append a name to a NULL-terminated list of fixed size. */
static void
add(const char **list, size_t cap, const char *name)
{
	size_t i;

	for (i = 0; i + 1 < cap && list[i] != NULL; i++)
		;
	if (i + 1 < cap)
		list[i] = name;
}

/* Parse the options into opt; returns the index of the first operand. */
static int
parse(int argc, char **argv)
{
	int c;

	while ((c = getopt(argc, argv, "a:A:uvrnMsm:p:d:S:k:U:P:c:C:")) != -1) {
		switch (c) {
		case 'a': add(opt.allow, 32, optarg); break;
		case 'A': add(opt.deny, 8, optarg); break;
		case 'u': opt.userns = true; break;
		case 'v': opt.vnet = true; break;
		case 'r': opt.rootfs = true; break;
		case 'n': opt.nesting = true; break;
		case 'M': opt.may_mount = true; break;
		case 's': opt.scoped = true; break;
		case 'm': opt.marker = optarg; break;
		case 'p': opt.procmark = optarg; break;
		case 'd': opt.devlist = optarg; break;
		case 'S': opt.suid = optarg; break;
		case 'k': opt.shmkey = optarg; break;
		case 'U': opt.abstract = optarg; break;
		case 'P': opt.port = atoi(optarg); break;
		case 'c': opt.only = optarg; break;
		case 'C': opt.capmode = optarg; break;
		default: exit(2);
		}
	}
	return optind;
}

/* Is check n selected by -c? */
static bool
selected(int n)
{
	char buf[16];
	const char *p;
	size_t len;

	if (opt.only == NULL)
		return true;
	len = (size_t)snprintf(buf, sizeof(buf), "%d", n);
	for (p = opt.only; (p = strstr(p, buf)) != NULL; p += len)
		if ((p == opt.only || p[-1] == ',') &&
		    (p[len] == ',' || p[len] == '\0'))
			return true;
	return false;
}

/* Host side: listen where the jail must not reach, until killed. */
static int
listen_for_jails(int port, const char *name)
{
	struct sockaddr_in in = { .sin_family = AF_INET };
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	int tcp = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	int ux = socket(AF_UNIX, SOCK_STREAM, 0);

	in.sin_port = htons((unsigned short)port);
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	snprintf(un.sun_path + 1, sizeof(un.sun_path) - 1, "%s", name);
	setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(tcp, (struct sockaddr *)&in, sizeof(in)) < 0 ||
	    listen(tcp, 8) < 0 || bind(ux, (struct sockaddr *)&un,
	    (socklen_t)(sizeof(sa_family_t) + 1 + strlen(name))) < 0 ||
	    listen(ux, 8) < 0) {
		perror("probe listen");
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	for (;;)
		pause();
}

/* Run the checks and close the TAP stream. */
int
main(int argc, char **argv)
{
	int first = parse(argc, argv), n;

	if (first + 2 < argc && strcmp(argv[first], "listen") == 0)
		return listen_for_jails(atoi(argv[first + 1]), argv[first + 2]);
	if (first < argc && strcmp(argv[first], "euid") == 0) {
		printf("%d\n", (int)geteuid());
		return 0;
	}
	for (n = 1; n < 44; n++) {
		if (!selected(n))
			continue;
		if (n < 19)
			checks_fs[n](n);
		else
			checks_sys[n](n);
	}
	printf("1..%d\n", ntap);
	return 0;
}
