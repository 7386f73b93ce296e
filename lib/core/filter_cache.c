/*
 * filter_cache.c: a jail's compiled seccomp program, kept beside its
 * record as jail/<jid>.bpf.  Compiling the rules with libseccomp is most
 * of what entering a jail costs beyond the kernel's work (milliseconds on
 * a slow machine), so the first process to enter compiles and saves the
 * image, and every later one adopts it before forking (vj_jail_spawn).
 *
 * A creator shares the program its first init compiled as filter.bpf in
 * the store (vj_filter_cache_share); the next jail(8) or jexec adopts it
 * (vj_filter_cache_warm), so even one jail made by a fresh process
 * compiles nothing when its rules are the usual ones.
 *
 * The image carries the rules it was compiled from, and filter.c uses it
 * only when the entering process gathers exactly those rules: a stale
 * image (jail -m changed a parameter) or a foreign one costs a compile,
 * never a different filter.  The program itself is trusted as the record
 * is (the record names the init whose namespaces we join): both live in
 * the root-only store, and the image must be ours and not writable by
 * anyone else.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "filter.h"
#include "state.h"
#include "util.h"

/* Far above any image (256 rules and 4096 instructions fit in 64 KiB). */
#define IMAGE_MAX	(256 * 1024)

/* Adopt the image at path; -1 if there is none we may use. */
static int
adopt_stored(const char *path)
{
	vj_autoclose int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	vj_autofree char *buf = NULL;
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid() || (st.st_mode & 022) != 0 ||
	    st.st_size <= 0 || st.st_size > IMAGE_MAX)
		return -1;
	buf = malloc((size_t)st.st_size);
	if (buf == NULL ||
	    vj_read_all(fd, buf, (size_t)st.st_size) != st.st_size)
		return -1;
	return vj_filter_adopt(buf, (size_t)st.st_size);
}

/* The store's shared image: the last program a creator compiled. */
static void
shared_path(const struct vj_ctx *ctx, char *buf, size_t len)
{
	snprintf(buf, len, "%s/filter.bpf", ctx->rundir);
}

/* Give the unnamed file fd the name path (through tmp, atomically); 0 or
 * -1.  Through /proc: linkat(AT_EMPTY_PATH) would need
 * CAP_DAC_READ_SEARCH, which a nesting jail's root lacks. */
static int
publish(int fd, const char *path)
{
	char tmp[PATH_MAX + 16], proc[64];

	snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) < 0)
		return -1;
	if (rename(tmp, path) < 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* Before forking a process into j: adopt the jail's stored program, or
 * the store's shared one (used only if its rules are the child's).
 * Without the jail's own, an unnamed file beside the record for the
 * child to save the program it compiles in (vj_filter_save_to), or -1. */
int
vj_filter_cache_prepare(const struct vj_jail *j)
{
	char path[PATH_MAX], *slash;

	vj_state_companion(j->ctx, j->jid, ".bpf", path, sizeof(path));
	if (adopt_stored(path) == 0)
		return -1;
	vj_filter_cache_warm(j->ctx);
	slash = strrchr(path, '/');
	*slash = '\0';
	return open(path, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
}

/* Adopt the shared image, once, if this process has compiled nothing. */
void
vj_filter_cache_warm(const struct vj_ctx *ctx)
{
	static bool warmed;
	char path[PATH_MAX];

	if (warmed || vj_filter_fresh())
		return;
	warmed = true;
	shared_path(ctx, path, sizeof(path));
	(void)adopt_stored(path);
}

/* Share the program compiled since the last adopt or save. */
void
vj_filter_cache_share(const struct vj_ctx *ctx)
{
	char path[PATH_MAX];
	vj_autoclose int fd = -1;

	if (!vj_filter_fresh())
		return;
	fd = open(ctx->rundir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	vj_filter_save_now(fd);
	shared_path(ctx, path, sizeof(path));
	(void)publish(fd, path);
}

/* Once the child has exec'd: give the image it saved in fd its name.
 * Failing costs the next process a compile, nothing else. */
void
vj_filter_cache_keep(const struct vj_jail *j, int fd)
{
	char path[PATH_MAX], rec[PATH_MAX];
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size == 0)
		return;
	vj_state_companion(j->ctx, j->jid, ".bpf", path, sizeof(path));
	vj_state_companion(j->ctx, j->jid, "", rec, sizeof(rec));
	if (publish(fd, path) < 0)
		return;
	/* A removal that ran meanwhile could not see it: undo. */
	if (access(rec, F_OK) < 0)
		unlink(path);
}

/* Forget the jail's stored program (its rules are about to change). */
void
vj_filter_cache_drop(const struct vj_jail *j)
{
	char path[PATH_MAX];

	vj_state_companion(j->ctx, j->jid, ".bpf", path, sizeof(path));
	unlink(path);
}
