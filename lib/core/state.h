/*
 * state.h: the state store under /run/vjail, which *is* the jail object on
 * Linux (there is no kernel prison).  No daemon: every tool reads it.
 *
 *   jail/<jid>       the record: ids, init pid, parameters, notes, journal
 *   jail/<jid>.bpf   its compiled seccomp program (filter_cache.c)
 *   name/<fullname>  hard link to the record: unique names, O(1) lookup
 *   pidns/<inode>    hard link to the record: which jail a process is in
 *   spare/<jid>      removed records kept for reuse (disk file systems)
 *   lastjid          allocation hint (jids grow, as FreeBSD's do)
 *
 * Index entries are hard links (no inode of their own; the jid is the
 * record's first line, "jid N"); symlinks to "N" from older stores are
 * still read.  Where the store is on a disk file system, a removed
 * record is renamed into spare/ and a new jail takes it back: creating
 * and removing jails then allocates and frees no inode at all.  Records
 * are rewritten with tmp+rename; journal lines are appended.
 */
#ifndef VJ_STATE_H
#define VJ_STATE_H

#include "jailobj.h"

/* Make the store's directories if missing. */
int	vj_state_init(struct vj_ctx *, struct vj_error *);
/* Claim a jid (j->jid, or the next free one when 0) and j->name. */
int	vj_state_reserve(struct vj_jail *, struct vj_error *);
/* Rewrite the whole record atomically. */
int	vj_state_save(struct vj_jail *, struct vj_error *);
/* Append one journal line ("b <subsys>", "n key\tvalue"). */
int	vj_state_append(struct vj_jail *, const char *line, struct vj_error *);
/* Load a record into a fresh jail object (ENOENT if there is none). */
int	vj_state_load(struct vj_ctx *, int jid, struct vj_jail *,
	    struct vj_error *);
/* Path of a file kept beside a record (<jid><suffix>) and removed with
 * it by vj_state_release. */
void	vj_state_companion(const struct vj_ctx *, int jid, const char *suffix,
	    char *buf, size_t len);
/* Remove the record, its companions and its index entries; missing ones
 * are fine. */
int	vj_state_release(struct vj_jail *, struct vj_error *);
/* The jid recorded under a full name, or -1. */
int	vj_state_name_jid(struct vj_ctx *, const char *fullname);
/* Record which jail owns a pid namespace inode. */
int	vj_state_index_pidns(struct vj_jail *, unsigned long ino,
	    struct vj_error *);
/* The jid whose pid namespace is ino, or -1. */
int	vj_state_pidns_jid(struct vj_ctx *, unsigned long ino);
/* Fill jids[] (sorted) with every recorded jid; returns the count or -1. */
int	vj_state_list(struct vj_ctx *, int **jids, struct vj_error *);

#endif
