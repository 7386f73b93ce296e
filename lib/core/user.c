/* user.c: passwd lookup without NSS, and switching to a user. */
#include <errno.h>
#include <stdbool.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "user.h"
#include "util.h"

/* A user id given as a number: decimal digits only ("+0", "0x0" and
 * " 1" are names, and no user has them). */
static int
numeric_id(const char *name, long *id)
{
	if (name[0] == '\0' || name[strspn(name, "0123456789")] != '\0')
		return -1;
	return vj_parse_int(name, 0, 0x7fffffff, id);
}

/* Parse one passwd line into u if it names the user. */
static int
match_line(char *line, const char *name, struct vj_user *u)
{
	char *f[7], *p = line;
	long id;
	int i;

	line[strcspn(line, "\n")] = '\0';
	for (i = 0; i < 7; i++) {
		f[i] = p;
		p = strchr(p, ':');
		if (p == NULL && i < 6)
			return 0;
		if (p != NULL)
			*p++ = '\0';
	}
	if (strcmp(f[0], name) != 0 && (numeric_id(name, &id) < 0 ||
	    id != atol(f[2])))
		return 0;
	snprintf(u->name, sizeof(u->name), "%s", f[0]);
	u->uid = (uid_t)atol(f[2]);
	u->gid = (gid_t)atol(f[3]);
	snprintf(u->home, sizeof(u->home), "%s", *f[5] ? f[5] : "/");
	snprintf(u->shell, sizeof(u->shell), "%s", *f[6] ? f[6] : "/bin/sh");
	u->found = 1;
	return 1;
}

/* Look a user up in /etc/passwd of the current root. */
int
vj_user_lookup(const char *name, struct vj_user *u, struct vj_error *err)
{
	vj_autofile FILE *f = NULL;
	vj_autofree char *line = NULL;
	size_t cap = 0;
	long id;

	memset(u, 0, sizeof(*u));
	if (name == NULL) {
		snprintf(u->home, sizeof(u->home), "/");
		snprintf(u->shell, sizeof(u->shell), "/bin/sh");
		return 0;
	}
	f = fopen("/etc/passwd", "re");
	while (f != NULL && getline(&line, &cap, f) > 0)
		if (match_line(line, name, u))
			return 0;
	if (numeric_id(name, &id) == 0) {
		u->uid = (uid_t)id;
		u->gid = (gid_t)id;
		snprintf(u->home, sizeof(u->home), "/");
		snprintf(u->shell, sizeof(u->shell), "/bin/sh");
		u->found = 1;
		return 0;
	}
	return vj_err_set(err, ENOENT, "%s: no such user", name);
}

/* Set a clean login environment, as jexec -l does. */
static int
login_env(const struct vj_user *u)
{
	const char *term = getenv("TERM");
	char *t = term ? strdup(term) : NULL;

	clearenv();
	setenv("PATH", "/bin:/usr/bin:/sbin:/usr/sbin", 1);
	setenv("HOME", u->home, 1);
	setenv("SHELL", u->shell, 1);
	setenv("USER", u->found ? u->name : "root", 1);
	if (t != NULL)
		setenv("TERM", t, 1);
	free(t);
	return 0;
}

/* Is name in a group line's comma-separated member list? */
static bool
is_member(const char *members, const char *name)
{
	size_t len = strlen(name);
	const char *p = members;

	if (len == 0)
		return false;	/* a bare uid: no name to be listed */
	while ((p = strstr(p, name)) != NULL) {
		if ((p == members || p[-1] == ',') &&
		    (p[len] == ',' || p[len] == '\0' || p[len] == '\n'))
			return true;
		p += len;
	}
	return false;
}

/* The user's groups from ./etc/group of the current root (no NSS). */
static int
user_groups(const struct vj_user *u, gid_t *gids, int max)
{
	vj_autofile FILE *f = fopen("/etc/group", "re");
	vj_autofree char *line = NULL;
	size_t cap = 0;
	char *field[4], *p;
	int n = 1, i;

	gids[0] = u->gid;
	while (f != NULL && n < max && getline(&line, &cap, f) > 0) {
		for (p = line, i = 0; i < 4 && p != NULL; i++) {
			field[i] = p;
			if ((p = strchr(p, ':')) != NULL)
				*p++ = '\0';
		}
		if (i == 4 && is_member(field[3], u->name))
			gids[n++] = (gid_t)atol(field[2]);
	}
	return n;
}

/* Switch groups, ids, environment and directory. */
int
vj_user_become(const struct vj_user *u, const struct vj_spawn *sp,
    struct vj_error *err)
{
	const char *dir = sp->cwd;
	gid_t gids[64];
	int n;

	if (u->found) {
		n = user_groups(u, gids, (int)VJ_ARRAY_LEN(gids));
		if (setgroups((size_t)n, gids) < 0 || setgid(u->gid) < 0 ||
		    setuid(u->uid) < 0)
			return vj_err_sys(err, "become %s", u->name);
	}
	if (sp->login)
		login_env(u);
	if (dir == NULL)
		dir = sp->login && u->found ? u->home : "/";
	if (chdir(dir) < 0)
		return vj_err_sys(err, "chdir %s", dir);
	return 0;
}
