/*
 * conf.c: loading a configuration: parse every file, then build each
 * configured jail (merge, substitute), link dependencies, check names.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cfint.h"
#include "error.h"

/* Free everything parsing built. */
static void
build_free(struct cfbuild *b)
{
	size_t i;

	for (i = 0; i < b->nblocks; i++) {
		free(b->blocks[i]->name);
		cf_plist_free(&b->blocks[i]->params);
		free(b->blocks[i]);
	}
	free(b->blocks);
	memset(b, 0, sizeof(*b));
}

/* Free a configuration (a zeroed one is fine). */
void
vj_conf_free(struct vj_conf *c)
{
	size_t i, k;

	for (i = 0; i < c->njails; i++) {
		free(c->jails[i].name);
		vj_params_free(&c->jails[i].params);
		for (k = 0; k < c->jails[i].ndeps; k++)
			free(c->jails[i].deps[k].name);
		free(c->jails[i].deps);
	}
	free(c->jails);
	for (i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	free(c->files);
	memset(c, 0, sizeof(*c));
}

/* The first jail whose block name is name. */
struct vj_cfjail *
vj_conf_find(const struct vj_conf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->njails; i++)
		if (strcmp(c->jails[i].name, name) == 0)
			return &c->jails[i];
	return NULL;
}

/* Copy merged assignments into the public parameter set. */
static int
to_params(const struct cfplist *pl, struct vj_params *ps)
{
	struct vj_param *vp;
	size_t i, k;

	for (i = 0; i < pl->n; i++) {
		if (vj_params_add(ps, pl->v[i].name, NULL) < 0)
			return -1;
		for (k = 0; k < pl->v[i].nvals; k++)
			if (vj_params_add(ps, pl->v[i].name,
			    pl->v[i].vals[k].s) < 0)
				return -1;
		vp = vj_params_find(ps, pl->v[i].name);
		vp->file = pl->v[i].file;
		vp->line = pl->v[i].line;
	}
	return 0;
}

/* The jid parameter's value when it is a number, else 0. */
static int
jid_of(const struct vj_params *ps)
{
	const struct vj_param *p = vj_params_find(ps, "jid");
	char *end;
	long v;

	if (p == NULL || p->nvals == 0)
		return 0;
	v = strtol(p->vals[p->nvals - 1], &end, 10);
	return *end == '\0' && v > 0 && v <= 0x7fffffff ? (int)v : 0;
}

/* Build one configured jail from its block. */
static int
build_jail(struct cfbuild *b, const struct cfblock *blk, struct vj_cfjail *j,
    struct vj_error *err)
{
	struct cfplist pl;
	int rc;

	memset(&pl, 0, sizeof(pl));
	j->file = blk->file;
	j->line = blk->line;
	j->seq = blk->seq;
	if ((j->name = strdup(blk->name)) == NULL)
		return vj_err_sys(err, "%s", blk->name);
	rc = cf_merge_jail(b, blk, &pl, err);
	if (rc == 0)
		rc = cf_expand(b, blk->name, &pl, err);
	if (rc == 0 && to_params(&pl, &j->params) < 0)
		rc = vj_err_sys(err, "%s", blk->name);
	cf_plist_free(&pl);
	j->jid = jid_of(&j->params);
	return rc;
}

/* Build every configured (non-wildcard) jail, in file order. */
static int
build_jails(struct cfbuild *b, struct vj_error *err)
{
	struct vj_conf *c = b->conf;
	size_t i, n = 0;

	for (i = 0; i < b->nblocks; i++)
		if (!vj_conf_wild_name(b->blocks[i]->name))
			n++;
	if (n == 0)
		return 0;
	if ((c->jails = calloc(n, sizeof(*c->jails))) == NULL)
		return vj_err_sys(err, "jail.conf");
	for (i = 0; i < b->nblocks; i++) {
		if (vj_conf_wild_name(b->blocks[i]->name))
			continue;
		if (build_jail(b, b->blocks[i], &c->jails[c->njails++],
		    err) < 0)
			return -1;
	}
	return 0;
}

/* Add a dependency edge to a jail. */
static int
add_dep(struct vj_conf *c, struct vj_cfjail *j, const char *name, int light)
{
	struct vj_cfdep *nv;

	nv = realloc(j->deps, (j->ndeps + 1) * sizeof(*nv));
	if (nv == NULL)
		return -1;
	j->deps = nv;
	nv[j->ndeps].jail = vj_conf_find(c, name);
	nv[j->ndeps].light = light;
	if ((nv[j->ndeps].name = strdup(name)) == NULL)
		return -1;
	j->ndeps++;
	return 0;
}

/* Edges of one jail: its depend values, then its parent (light). */
static int
jail_deps(struct vj_conf *c, struct vj_cfjail *j)
{
	const struct vj_param *p = vj_params_find(&j->params, "depend");
	const char *dot = strrchr(j->name, '.');
	char *parent;
	size_t i;
	int rc = 0;

	for (i = 0; p != NULL && i < p->nvals; i++)
		if (add_dep(c, j, p->vals[i], 0) < 0)
			return -1;
	if (dot == NULL)
		return 0;
	if ((parent = strndup(j->name, (size_t)(dot - j->name))) == NULL)
		return -1;
	if (vj_conf_find(c, parent) != NULL)
		rc = add_dep(c, j, parent, 1);
	free(parent);
	return rc;
}

/* Check one jail's parameters against the registry. */
int
vj_conf_check_jail(const struct vj_cfjail *j, struct vj_error *err)
{
	const struct vj_param *p;
	const struct vj_pdef *d;
	char *cn, *cv;
	size_t i;

	for (i = 0; i < j->params.n; i++) {
		p = &j->params.v[i];
		if ((d = vj_param_lookup(p->name)) == NULL)
			return vj_err_set(err, EINVAL,
			    "%s line %d: unknown parameter: %s", p->file,
			    p->line, p->name);
		if (p->nvals == 0 || (d->flags & VJ_PF_LIST) ||
		    (d->type != VJ_PT_BOOL && d->type != VJ_PT_INT &&
		    d->type != VJ_PT_ULONG && d->type != VJ_PT_JAILSYS))
			continue;
		if (vj_param_canon(p->name, p->vals[p->nvals - 1], &cn, &cv,
		    err) < 0)
			return vj_err_wrap(err, "%s line %d", p->file, p->line);
		free(cn);
		free(cv);
	}
	return 0;
}

/* After parsing: build the jails, link them, check them. */
static int
finish(struct cfbuild *b, int rc, struct vj_error *err)
{
	struct vj_conf *c = b->conf;
	size_t i;

	if (rc == 0)
		rc = build_jails(b, err);
	for (i = 0; rc == 0 && i < c->njails; i++)
		if (jail_deps(c, &c->jails[i]) < 0)
			rc = vj_err_sys(err, "%s", c->jails[i].name);
	for (i = 0; rc == 0 && !(b->flags & VJ_CONF_NOCHECK) &&
	    i < c->njails; i++)
		rc = vj_conf_check_jail(&c->jails[i], err);
	build_free(b);
	if (rc < 0)
		vj_conf_free(c);
	return rc;
}

/* Start a load into out. */
static void
begin(struct cfbuild *b, struct vj_conf *out, int flags)
{
	memset(out, 0, sizeof(*out));
	memset(b, 0, sizeof(*b));
	b->conf = out;
	b->flags = flags;
}

/* Load a file, or stdin for "-". */
int
vj_conf_load(const char *path, int flags, struct vj_conf *out,
    struct vj_error *err)
{
	struct cfbuild b;
	int is_stdin = strcmp(path, "-") == 0;

	begin(&b, out, flags);
	return finish(&b, cf_parse_path(&b, path, is_stdin, err), err);
}

/* Load text held in memory. */
int
vj_conf_load_mem(const char *name, const char *buf, size_t len, int flags,
    struct vj_conf *out, struct vj_error *err)
{
	struct cfbuild b;

	begin(&b, out, flags);
	return finish(&b, cf_parse_mem(&b, name, buf, len, err), err);
}

/* Load a NUL-terminated string. */
int
vj_conf_load_string(const char *name, const char *text, int flags,
    struct vj_conf *out, struct vj_error *err)
{
	return vj_conf_load_mem(name, text, strlen(text), flags, out, err);
}

/* Order file names (qsort). */
static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.conf names of a directory, sorted; -1 with errno. */
static int
conf_names(const char *dir, char ***namesp, size_t *np)
{
	char **names = NULL, **nv;
	struct dirent *de;
	size_t n = 0, len;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < 6 ||
		    strcmp(de->d_name + len - 5, ".conf") != 0)
			continue;
		if ((nv = realloc(names, (n + 1) * sizeof(*nv))) == NULL)
			break;
		names = nv;
		if ((names[n] = strdup(de->d_name)) == NULL)
			break;
		n++;
	}
	closedir(d);
	if (de != NULL) {
		while (n > 0)
			free(names[--n]);
		free(names);
		errno = ENOMEM;
		return -1;
	}
	qsort(names, n, sizeof(*names), cmp_names);
	*namesp = names;
	*np = n;
	return 0;
}

/* Parse every *.conf file of dir in order. */
static int
parse_dir(struct cfbuild *b, const char *dir, char **names, size_t n,
    struct vj_error *err)
{
	size_t i, len = strlen(dir);
	char *path;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		if ((path = malloc(len + strlen(names[i]) + 2)) == NULL)
			return vj_err_sys(err, "%s", dir);
		memcpy(path, dir, len);
		path[len] = '/';
		strcpy(path + len + 1, names[i]);
		rc = cf_parse_path(b, path, 0, err);
		free(path);
	}
	return rc;
}

/* Parse file if it exists, then the *.conf files of dir if it exists. */
static int
parse_file_dir(struct cfbuild *b, const char *file, const char *dir,
    struct vj_error *err)
{
	char **names = NULL;
	size_t n = 0;
	struct stat st;
	int have_file, rc;

	have_file = stat(file, &st) == 0;
	if (!have_file && errno != ENOENT)
		return vj_err_sys(err, "%s", file);
	if (conf_names(dir, &names, &n) < 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			return vj_err_sys(err, "%s", dir);
		if (!have_file) {
			errno = ENOENT;
			return vj_err_sys(err, "%s", file);
		}
	}
	rc = have_file ? cf_parse_path(b, file, 0, err) : 0;
	if (rc == 0)
		rc = parse_dir(b, dir, names, n, err);
	while (n > 0)
		free(names[--n]);
	free(names);
	return rc;
}

/* Load file, then the *.conf files of dir, as one configuration. */
int
vj_conf_load_dir(const char *file, const char *dir, int flags,
    struct vj_conf *out, struct vj_error *err)
{
	struct cfbuild b;

	begin(&b, out, flags);
	return finish(&b, parse_file_dir(&b, file, dir, err), err);
}

/* Load /etc/jail.conf and /etc/jail.conf.d/ *.conf. */
int
vj_conf_load_default(int flags, struct vj_conf *out, struct vj_error *err)
{
	return vj_conf_load_dir(VJ_CONF_FILE, VJ_CONF_DIR, flags, out, err);
}
