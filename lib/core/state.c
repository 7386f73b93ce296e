/* state.c: the /run/vjail record store. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "error.h"
#include "state.h"
#include "subsys.h"
#include "util.h"

/* Escape a value for one record line: \\, \n and \t. */
static void
put_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '\t')
			fputs("\\t", f);
		else
			fputc(*s, f);
	}
}

/* Undo put_escaped in place. */
static void
unescape(char *s)
{
	char *d = s;

	for (; *s; s++) {
		if (*s != '\\' || s[1] == '\0') {
			*d++ = *s;
			continue;
		}
		s++;
		*d++ = *s == 'n' ? '\n' : *s == 't' ? '\t' : *s;
	}
	*d = '\0';
}

/* Files kept beside a record, named <jid><suffix>, removed with it. */
static const char *const companions[] = {
	".bpf",		/* the compiled seccomp program (filter_cache.c) */
};

/* Path of a record. */
static void
record_path(const struct vj_ctx *ctx, int jid, char *buf, size_t len)
{
	snprintf(buf, len, "%s/jail/%d", ctx->rundir, jid);
}

/* Path of a file kept beside a record. */
void
vj_state_companion(const struct vj_ctx *ctx, int jid, const char *suffix,
    char *buf, size_t len)
{
	snprintf(buf, len, "%s/jail/%d%s", ctx->rundir, jid, suffix);
}

/* Make the store's directories if missing. */
int
vj_state_init(struct vj_ctx *ctx, struct vj_error *err)
{
	static const char *const sub[] = { "jail", "name", "pidns", "spare" };
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < VJ_ARRAY_LEN(sub); i++) {
		snprintf(path, sizeof(path), "%s/%s", ctx->rundir, sub[i]);
		if (vj_mkdir_p(path, 0700) < 0)
			return vj_err_sys(err, "mkdir %s", path);
	}
	return 0;
}

/* Write one parameter set as lines "<tag> name\tvalue". */
static void
put_params(FILE *f, char tag, const struct vj_params *ps)
{
	size_t i, k;

	for (i = 0; i < ps->n; i++) {
		for (k = 0; k < ps->v[i].nvals; k++) {
			fprintf(f, "%c ", tag);
			put_escaped(f, ps->v[i].name);
			fputc('\t', f);
			put_escaped(f, ps->v[i].vals[k]);
			fputc('\n', f);
		}
		if (ps->v[i].nvals == 0) {
			fprintf(f, "%c ", tag);
			put_escaped(f, ps->v[i].name);
			fputs("\t\n", f);
		}
	}
}

/* Write the record's body to f. */
static void
put_record(FILE *f, const struct vj_jail *j)
{
	size_t i;

	fprintf(f, "jid %d\nparent %d\nname ", j->jid, j->parent);
	put_escaped(f, j->name);
	fprintf(f, "\ninit %d %llu %lu\nstate %d\nowner %d %llu\n",
	    (int)j->init_pid, j->init_start, j->init_ns, (int)j->state,
	    (int)j->owner, j->owner_start);
	put_params(f, 'p', &j->params);
	put_params(f, 'N', &j->notes);
	for (i = 0; i < vj_nsubsystems; i++)
		if (j->begun & (1UL << i))
			fprintf(f, "b %zu\n", i);
}

/* Point an index entry at the new record file tmp, atomically. */
static int
relink(const struct vj_jail *j, const char *tmp, const char *dir,
    const char *key)
{
	char path[PATH_MAX], next[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s/%s", j->ctx->rundir, dir, key);
	snprintf(next, sizeof(next), "%s/%s/.tmp.%d", j->ctx->rundir, dir,
	    j->jid);
	unlink(next);
	if (link(tmp, next) < 0)
		return -1;
	if (rename(next, path) < 0) {
		unlink(next);
		return -1;
	}
	return 0;
}

/* Rewrite the whole record atomically (tmp + rename); its index entries,
 * hard links, are moved to the new file first. */
int
vj_state_save(struct vj_jail *j, struct vj_error *err)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	const char *ino = vj_jail_noted(j, "pidns");
	FILE *f;
	int fd;

	record_path(j->ctx, j->jid, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
		if (fd >= 0)
			close(fd);
		return vj_err_sys(err, "state %s", tmp);
	}
	put_record(f, j);
	if (fflush(f) != 0 || ferror(f)) {
		fclose(f);
		unlink(tmp);
		return vj_err_sys(err, "state %s", tmp);
	}
	fclose(f);
	if (relink(j, tmp, "name", j->name) < 0 || (ino != NULL &&
	    relink(j, tmp, "pidns", ino) < 0) || rename(tmp, path) < 0) {
		vj_err_sys(err, "state %s", path);
		/* Back to the record still in place (best effort). */
		relink(j, path, "name", j->name);
		if (ino != NULL)
			relink(j, path, "pidns", ino);
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* Append one line to the record (journal). */
int
vj_state_append(struct vj_jail *j, const char *line, struct vj_error *err)
{
	char path[PATH_MAX];
	vj_autoclose int fd = -1;

	record_path(j->ctx, j->jid, path, sizeof(path));
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0 || vj_write_all(fd, line, strlen(line)) < 0)
		return vj_err_sys(err, "state %s", path);
	return 0;
}

/*
 * Does the store recycle its records (spare/) rather than delete them?
 * On a disk file system, yes: ext4 skips every inode freed in the last
 * minutes when it allocates one, so with jails coming and going each new
 * file scanned thousands of them (0.4 ms a jail at N=1000, and growing).
 * A recycled record is renamed, never freed.  On tmpfs (the usual /run)
 * files simply go.
 */
static bool
store_recycles(struct vj_ctx *ctx)
{
	struct statfs sf;

	if (ctx->recycle == 0)
		ctx->recycle = statfs(ctx->rundir, &sf) == 0 &&
		    sf.f_type != TMPFS_MAGIC && sf.f_type != RAMFS_MAGIC ?
		    1 : -1;
	return ctx->recycle > 0;
}

/* Read some spare record names into ctx->spare: one small directory read
 * (a few dozen names) serves as many claims; readdir(3) would read 32 KiB
 * of names, a millisecond, for a jail(8) that makes one jail. */
#define VJ_SPARE_BATCH	64
static void
read_spares(struct vj_ctx *ctx)
{
	char path[PATH_MAX], buf[VJ_SPARE_BATCH * 32];
	struct dirent64 *de;
	vj_autoclose int fd = -1;
	long n, off, v;

	snprintf(path, sizeof(path), "%s/spare", ctx->rundir);
	if (ctx->spare == NULL)
		ctx->spare = malloc(VJ_SPARE_BATCH * sizeof(*ctx->spare));
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ctx->spare == NULL || fd < 0)
		return;
	n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
	for (off = 0; off < n && ctx->nspare < VJ_SPARE_BATCH;
	    off += de->d_reclen) {
		de = (struct dirent64 *)(buf + off);
		if (vj_parse_int(de->d_name, 1, VJ_JID_MAX, &v) == 0)
			ctx->spare[ctx->nspare++] = (int)v;
	}
}

/* Move a spare record to path, which must not exist: 1 when one was
 * taken, 0 when there is none, -1 with errno EEXIST when path is. */
static int
take_spare(struct vj_ctx *ctx, const char *path)
{
	char from[PATH_MAX];
	bool reread = false;

	if (!store_recycles(ctx))
		return 0;
	for (;;) {
		if (ctx->nspare == 0) {
			if (reread)
				return 0;
			read_spares(ctx);
			reread = true;
			continue;
		}
		snprintf(from, sizeof(from), "%s/spare/%d", ctx->rundir,
		    ctx->spare[ctx->nspare - 1]);
		if (renameat2(AT_FDCWD, from, AT_FDCWD, path,
		    RENAME_NOREPLACE) == 0) {
			ctx->nspare--;
			return 1;
		}
		if (errno == EEXIST)
			return -1;	/* the jid is taken: keep the spare */
		ctx->nspare--;
		if (errno != ENOENT)	/* ENOENT: another creator took it */
			return 0;
	}
}

/*
 * A recycled record keeps its old length in blank lines and later lines
 * are appended after them, so each life makes it longer.  One longer than
 * this is cut (taken) or deleted (dropped) instead: an inode or a
 * truncation every few lives, and no record ever grows without bound.
 */
#define SPARE_MAX	4096

/* Overwrite a recycled record with empty lines, which readers skip, for
 * write_new to write over from the start.  Cut only past SPARE_MAX: ext4
 * journals every truncation (its orphan list), and writes a file cut to
 * zero back to disk when it is closed (auto_da_alloc). */
static int
blank(int fd)
{
	char nl[SPARE_MAX];
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -1;
	if (st.st_size > SPARE_MAX)
		return ftruncate(fd, 0);
	/* One write: a record is never longer than a spare may be. */
	memset(nl, '\n', (size_t)st.st_size);
	return pwrite(fd, nl, (size_t)st.st_size, 0) == st.st_size ? 0 : -1;
}

/* Claim the jid: take a spare record or create one, exclusively;
 * returns the open fd, the file blank. */
static int
claim_jid(struct vj_jail *j, int jid)
{
	char path[PATH_MAX];
	int fd, spare;

	record_path(j->ctx, jid, path, sizeof(path));
	spare = take_spare(j->ctx, path);
	if (spare < 0)
		return -1;
	if (spare > 0)
		fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	else
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if (spare > 0 && blank(fd) < 0) {
		close(fd);
		return -1;
	}
	j->jid = jid;
	return fd;
}

/* Remove the record file rec, the twin of claim_jid: on a store that
 * recycles, into spare/ unless a stray link still holds it or it has
 * grown past SPARE_MAX (then the next jail starts a new file). */
static int
drop_record(struct vj_jail *j, const char *rec)
{
	char spare[PATH_MAX];
	struct stat st;

	snprintf(spare, sizeof(spare), "%s/spare/%d", j->ctx->rundir, j->jid);
	if (store_recycles(j->ctx) && stat(rec, &st) == 0 &&
	    st.st_nlink == 1 && st.st_size <= SPARE_MAX &&
	    rename(rec, spare) == 0)
		return 0;
	return unlink(rec);
}

/* Read the allocation hint. */
static int
last_jid(const struct vj_ctx *ctx)
{
	char path[PATH_MAX], buf[32];
	long v;

	snprintf(path, sizeof(path), "%s/lastjid", ctx->rundir);
	if (vj_read_file(path, buf, sizeof(buf)) < 0)
		return 0;
	buf[strcspn(buf, " \n")] = '\0';
	if (vj_parse_int(buf, 0, VJ_JID_MAX, &v) < 0)
		return 0;
	return (int)v;
}

/* Store the allocation hint in place (best effort: only a hint, so a
 * torn write costs a longer search, never a wrong jid). */
static void
set_last_jid(const struct vj_ctx *ctx, int jid)
{
	char path[PATH_MAX], buf[32];
	int fd;

	snprintf(path, sizeof(path), "%s/lastjid", ctx->rundir);
	snprintf(buf, sizeof(buf), "%-10d\n", jid);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	if (pwrite(fd, buf, strlen(buf), 0) < 0)
		unlink(path);
	close(fd);
}

/* Allocate a jid: the given one, or the next free one after the hint.
 * Returns the record's open descriptor. */
static int
alloc_jid(struct vj_jail *j, struct vj_error *err)
{
	int jid, tries, fd;

	if (j->jid > 0) {
		if ((fd = claim_jid(j, j->jid)) >= 0)
			return fd;
		if (errno == EEXIST)
			return vj_err_set(err, EEXIST, "jail %d already exists",
			    j->jid);
		return vj_err_sys(err, "state jail/%d", j->jid);
	}
	jid = last_jid(j->ctx);
	for (tries = 0; tries < VJ_JID_MAX; tries++) {
		jid = jid >= VJ_JID_MAX ? 1 : jid + 1;
		if ((fd = claim_jid(j, jid)) >= 0) {
			set_last_jid(j->ctx, jid);
			return fd;
		}
		if (errno != EEXIST)
			return vj_err_sys(err, "state jail/%d", jid);
	}
	return vj_err_set(err, EAGAIN, "no free jail id");
}

/* Add an index entry: a hard link to the record (no new inode). */
static int
link_record(const struct vj_jail *j, const char *path)
{
	char rec[PATH_MAX];

	record_path(j->ctx, j->jid, rec, sizeof(rec));
	return link(rec, path);
}

/* Link name/<name> to the record; EEXIST means the name is taken. */
static int
claim_name(struct vj_jail *j, struct vj_error *err)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/name/%s", j->ctx->rundir, j->name);
	if (link_record(j, path) == 0)
		return 0;
	if (errno == EEXIST)
		return vj_err_set(err, EEXIST, "\"%s\" already exists", j->name);
	return vj_err_sys(err, "state name %s", j->name);
}

/* Write the first record into the freshly claimed file. */
static int
write_new(struct vj_jail *j, int fd, struct vj_error *err)
{
	FILE *f = fdopen(fd, "w");
	int rc = 0;

	if (f == NULL) {
		close(fd);
		return vj_err_sys(err, "state jail/%d", j->jid);
	}
	put_record(f, j);
	if (fflush(f) != 0 || ferror(f))
		rc = vj_err_sys(err, "state jail/%d", j->jid);
	fclose(f);
	return rc;
}

/* Claim a jid and the name, and write the first record. */
int
vj_state_reserve(struct vj_jail *j, struct vj_error *err)
{
	char path[PATH_MAX];
	int fd;

	if ((!j->ctx->store_ready && vj_state_init(j->ctx, err) < 0) ||
	    (fd = alloc_jid(j, err)) < 0)
		return -1;
	j->ctx->store_ready = true;
	if (j->name[0] == '\0')
		snprintf(j->name, sizeof(j->name), "%s%d",
		    j->ctx->self_prefix, j->jid);
	if (claim_name(j, err) < 0) {
		close(fd);
		goto fail;
	}
	if (write_new(j, fd, err) < 0)
		goto fail_name;
	return 0;
fail_name:
	snprintf(path, sizeof(path), "%s/name/%s", j->ctx->rundir, j->name);
	unlink(path);
fail:
	record_path(j->ctx, j->jid, path, sizeof(path));
	drop_record(j, path);
	return -1;
}

/* Parse "<tag> name\tvalue" into a parameter set. */
static int
parse_param_line(struct vj_params *ps, char *rest, bool replace)
{
	char *tab = strchr(rest, '\t');

	if (tab == NULL)
		return 0;
	*tab = '\0';
	unescape(rest);
	unescape(tab + 1);
	if (replace)
		return vj_params_set(ps, rest, tab + 1);
	return vj_params_add(ps, rest, tab + 1);
}

/* Does line start with word and a space? */
static bool
is_key(const char *line, const char *word)
{
	size_t n = strlen(word);

	return strncmp(line, word, n) == 0 && line[n] == ' ';
}

/* Parse one record line into j.  Most lines are "p", "N" or "n" lines:
 * they are told apart by their first byte, before any sscanf (jls reads
 * every record; a cascade of sscanf per line was most of its time). */
static int
parse_line(struct vj_jail *j, char *line)
{
	unsigned long long start;
	unsigned long ns;
	int pid, v;

	line[strcspn(line, "\n")] = '\0';
	if (line[0] != '\0' && line[1] == ' ') {
		switch (line[0]) {
		case 'p':
			return parse_param_line(&j->params, line + 2, false);
		case 'N':
			return parse_param_line(&j->notes, line + 2, false);
		case 'n':
			return parse_param_line(&j->notes, line + 2, true);
		case 'b':
			if (sscanf(line, "b %d", &v) == 1 && v >= 0 && v < 64)
				j->begun |= 1UL << v;
			return 0;
		default:
			return 0;
		}
	}
	if (is_key(line, "jid") && sscanf(line, "jid %d", &v) == 1)
		j->jid = v;
	else if (is_key(line, "parent") && sscanf(line, "parent %d", &v) == 1)
		j->parent = v;
	else if (is_key(line, "name")) {
		unescape(line + 5);
		snprintf(j->name, sizeof(j->name), "%s", line + 5);
	} else if (is_key(line, "init") &&
	    sscanf(line, "init %d %llu %lu", &pid, &start, &ns) == 3) {
		j->init_pid = pid;
		j->init_start = start;
		j->init_ns = ns;
	} else if (is_key(line, "owner") &&
	    sscanf(line, "owner %d %llu", &pid, &start) == 2) {
		j->owner = pid;
		j->owner_start = start;
	} else if (is_key(line, "state") && sscanf(line, "state %d", &v) == 1)
		j->state = (enum vj_jstate)v;
	return 0;
}

/* Read a whole record, NUL-terminated; NULL with errno. */
static char *
read_record(const char *path)
{
	vj_autoclose int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0, cap = 8192;
	char *buf = NULL, *more;
	ssize_t n = 1;

	if (fd < 0)
		return NULL;
	while (n > 0) {
		if (buf == NULL || cap - len < 2048) {
			cap *= buf == NULL ? 1 : 2;
			if ((more = realloc(buf, cap)) == NULL) {
				free(buf);
				return NULL;
			}
			buf = more;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n > 0)
			len += (size_t)n;
	}
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

/* Load a record into j (which the caller initialised).  A record is a
 * few lines, then the blank lines that keep a recycled file's size (a
 * few kilobytes), then the lines appended since: runs of blank lines
 * are skipped whole, not read one by one (every jexec and jls loads). */
int
vj_state_load(struct vj_ctx *ctx, int jid, struct vj_jail *j,
    struct vj_error *err)
{
	char path[PATH_MAX], *p, *nl;
	vj_autofree char *rec = NULL;

	record_path(ctx, jid, path, sizeof(path));
	if ((rec = read_record(path)) == NULL) {
		if (errno == ENOENT)
			return vj_err_set(err, ENOENT, "jail %d not found", jid);
		return vj_err_sys(err, "state %s", path);
	}
	j->jid = jid;
	for (p = rec + strspn(rec, "\n"); *p != '\0';
	    p = nl + strspn(nl, "\n")) {
		if ((nl = strchr(p, '\n')) != NULL)
			*nl++ = '\0';
		else
			nl = p + strlen(p);
		if (parse_line(j, p) < 0)
			return vj_err_sys(err, "state %s", path);
	}
	/* A record recycled under us belongs to another jail now. */
	if (j->jid != jid)
		return vj_err_set(err, ENOENT, "jail %d not found", jid);
	return 0;
}

/* The jid an index entry names: a hard link to the record ("jid N" is
 * its first line), or a symlink to "N" (stores of older versions). */
static int
link_jid(const char *path)
{
	char buf[64], *p = buf;
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);
	int fd;
	long v;

	if (n < 0 && errno == EINVAL) {
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		n = fd < 0 ? -1 : pread(fd, buf, sizeof(buf) - 1, 0);
		if (fd >= 0)
			close(fd);
		if (n > 4 && strncmp(buf, "jid ", 4) == 0)
			p += 4;
		else
			n = -1;
	}
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p[strcspn(p, "\n")] = '\0';
	if (vj_parse_int(p, 1, VJ_JID_MAX, &v) < 0)
		return -1;
	return (int)v;
}

/* Remove an index entry if it names this jail's record. */
static void
unlink_entry(const struct vj_jail *j, const char *path, const struct stat *rec)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return;
	if (S_ISLNK(st.st_mode) ? link_jid(path) == j->jid :
	    rec != NULL && st.st_ino == rec->st_ino && st.st_dev == rec->st_dev)
		unlink(path);
}

/* Remove the record and its index links; on a store that recycles, the
 * record goes to spare/ unless a stray link still holds it. */
int
vj_state_release(struct vj_jail *j, struct vj_error *err)
{
	char path[PATH_MAX], rec[PATH_MAX];
	const char *ino = vj_jail_noted(j, "pidns");
	struct stat st;
	bool have = false;
	size_t i;

	record_path(j->ctx, j->jid, rec, sizeof(rec));
	have = stat(rec, &st) == 0;
	snprintf(path, sizeof(path), "%s/name/%s", j->ctx->rundir, j->name);
	unlink_entry(j, path, have ? &st : NULL);
	if (ino != NULL) {
		snprintf(path, sizeof(path), "%s/pidns/%s", j->ctx->rundir, ino);
		unlink_entry(j, path, have ? &st : NULL);
	}
	for (i = 0; i < VJ_ARRAY_LEN(companions); i++) {
		vj_state_companion(j->ctx, j->jid, companions[i], path,
		    sizeof(path));
		unlink(path);
	}
	if (drop_record(j, rec) < 0 && errno != ENOENT)
		return vj_err_sys(err, "state %s", rec);
	return 0;
}

/* The jid recorded under a full name, or -1. */
int
vj_state_name_jid(struct vj_ctx *ctx, const char *fullname)
{
	char path[PATH_MAX + VJ_NAME_MAX];

	if (strchr(fullname, '/') != NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/name/%s", ctx->rundir, fullname);
	return link_jid(path);
}

/* Record that pid namespace ino belongs to the jail. */
int
vj_state_index_pidns(struct vj_jail *j, unsigned long ino,
    struct vj_error *err)
{
	char path[PATH_MAX], num[32];

	snprintf(path, sizeof(path), "%s/pidns/%lu", j->ctx->rundir, ino);
	unlink(path);
	if (link_record(j, path) < 0)
		return vj_err_sys(err, "state pidns %lu", ino);
	snprintf(num, sizeof(num), "%lu", ino);
	return vj_jail_note(j, "pidns", num, err);
}

/* The jid whose pid namespace is ino, or -1. */
int
vj_state_pidns_jid(struct vj_ctx *ctx, unsigned long ino)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/pidns/%lu", ctx->rundir, ino);
	return link_jid(path);
}

/* Order ints for qsort. */
static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* Every recorded jid, sorted. */
int
vj_state_list(struct vj_ctx *ctx, int **jidsp, struct vj_error *err)
{
	char path[PATH_MAX];
	DIR *d;
	struct dirent *de;
	int *jids = NULL, *nj;
	size_t n = 0, cap = 0;
	long v;

	snprintf(path, sizeof(path), "%s/jail", ctx->rundir);
	d = opendir(path);
	if (d == NULL) {
		*jidsp = NULL;
		return errno == ENOENT ? 0 : vj_err_sys(err, "state %s", path);
	}
	while ((de = readdir(d)) != NULL) {
		if (vj_parse_int(de->d_name, 1, VJ_JID_MAX, &v) < 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			nj = realloc(jids, cap * sizeof(*jids));
			if (nj == NULL) {
				free(jids);
				closedir(d);
				return vj_err_sys(err, "state list");
			}
			jids = nj;
		}
		jids[n++] = (int)v;
	}
	closedir(d);
	qsort(jids, n, sizeof(*jids), cmp_int);
	*jidsp = jids;
	return (int)n;
}
