/*
 * vjail.h: the native, thread-safe API of libvjail.
 *
 * Every fallible call returns 0 (or an id >= 0) on success and -1 on
 * failure, filling the caller's struct vj_error.  The library never prints
 * and never exits; the tools do.
 */
#ifndef VJAIL_H
#define VJAIL_H

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VJ_ERRMSG_MAX	1024

/* An error: errno at the failure point (0 if none) and a message with context. */
struct vj_error {
	int	ve_errno;
	char	ve_msg[VJ_ERRMSG_MAX];
};

/* One parameter: a name and one or more string values (lists have several). */
struct vj_param {
	char	 *name;
	char	**vals;
	size_t	  nvals;
	const char *file;	/* where it was set (jail.conf), or NULL */
	int	  line;
};

/* An ordered set of parameters, in the order they were first set. */
struct vj_params {
	struct vj_param	*v;
	size_t		 n, cap;
};

int	vj_params_set(struct vj_params *, const char *name, const char *value);
int	vj_params_add(struct vj_params *, const char *name, const char *value);
int	vj_params_unset(struct vj_params *, const char *name);
struct vj_param *vj_params_find(const struct vj_params *, const char *name);
const char *vj_params_get(const struct vj_params *, const char *name);
int	vj_params_copy(struct vj_params *dst, const struct vj_params *src);
/* Append one parameter (all its values) to dst. */
int	vj_params_copy_one(struct vj_params *dst, const struct vj_param *p);
void	vj_params_free(struct vj_params *);

/* Flags for create/update/find/next, the same bits as libjail's JAIL_*. */
#define VJ_CREATE	0x01	/* create a new jail */
#define VJ_UPDATE	0x02	/* change an existing jail */
#define VJ_ATTACH	0x04	/* attach the caller to the jail */
#define VJ_DYING	0x08	/* also match jails being removed */

/* Flags for vj_jail_remove. */
#define VJ_RM_WAIT	0x100	/* return only when the kernel has freed the stacks */
#define VJ_RM_NOKILL	0x200	/* fail with EBUSY if processes other than init live */

/* A library context: where state lives, who the caller is, trace hooks. */
struct vj_ctx;

struct vj_ctx *vj_ctx_new(struct vj_error *);
void	vj_ctx_free(struct vj_ctx *);
/* Called with one line for every setup/teardown step (jail -v, VJAIL_DEBUG). */
void	vj_ctx_set_trace(struct vj_ctx *,
	    void (*fn)(void *arg, const char *line), void *arg);
/* Called with warnings the library wants a person to see (parameter without
 * a Linux meaning, feature missing but optional). */
void	vj_ctx_set_warn(struct vj_ctx *,
	    void (*fn)(void *arg, const char *line), void *arg);
/* The jid of the jail the caller lives in (0 on the host). */
int	vj_ctx_self(const struct vj_ctx *);

/* Create a jail from parameters; returns its jid. */
int	vj_jail_create(struct vj_ctx *, const struct vj_params *, int flags,
	    struct vj_error *);
/*
 * Create n jails (params[i] for jail i) with up to `workers` worker
 * processes at a time; 0 means one per online CPU.  jids[i] gets jail i's
 * jid, or -1 and errs[i] (when errs is not NULL) the reason.  The jails are
 * independent: no order between them.  Returns how many were created, or
 * -1 with errno (EINVAL: VJ_ATTACH, which would attach a worker).
 */
int	vj_jail_create_many(struct vj_ctx *, const struct vj_params *const *params,
	    size_t n, int flags, int workers, int *jids, struct vj_error *errs);
/*
 * For a creator of many jails in one process: _queue starts creating a
 * jail and returns once its init is setting itself up; the caller goes
 * on with the next one meanwhile.  done(tag, jid or -1, error) is called
 * when each one ends, in the order they were queued, at the latest by
 * _flush (or vj_ctx_free).  A jail whose creation did not start is
 * reported by a return of -1 instead, after those queued before it.
 * VJ_ATTACH is refused (EINVAL).  vj_jail_create flushes first.
 */
#define VJ_CR_INFLIGHT	1
typedef void (*vj_created_fn)(void *tag, int jid, const struct vj_error *);
int	vj_jail_create_queue(struct vj_ctx *, const struct vj_params *,
	    int flags, void *tag, vj_created_fn done, struct vj_error *);
void	vj_jail_create_flush(struct vj_ctx *);
/* Remove n jails (flags as vj_jail_remove) with up to `workers` at a time;
 * returns how many were removed; errs[i] says why jail i was not. */
int	vj_jail_remove_many(struct vj_ctx *, const int *jids, size_t n,
	    int flags, int workers, struct vj_error *errs);
/* Change parameters of a running jail (create-only ones are refused). */
int	vj_jail_update(struct vj_ctx *, int jid, const struct vj_params *,
	    struct vj_error *);
/* Remove a jail and its children: kill processes, undo every subsystem. */
int	vj_jail_remove(struct vj_ctx *, int jid, int flags, struct vj_error *);
/*
 * vj_jail_remove in two steps, to remove many jails at once: _start runs
 * the stop steps and kills the jail's init without waiting for it;
 * _finish waits for the init, undoes the rest and frees the removal.
 * Inits started together die (and their namespaces go) side by side.
 * Every started removal must be finished; until then it holds the jail's
 * descriptors (pidfd, namespaces), and starting the same jail again, in
 * the same context, fails with EBUSY.
 */
struct vj_removal;
struct vj_removal *vj_jail_remove_start(struct vj_ctx *, int jid, int flags,
	    struct vj_error *);
int	vj_jail_remove_finish(struct vj_removal *, struct vj_error *);
/*
 * The same for a remover of many jails: _queue starts jid's removal,
 * first finishing the oldest queued one when VJ_RM_INFLIGHT removals are
 * started; done(tag, 0 or -1, error) is called when each one ends, in
 * the order they were queued.  _flush finishes every queued removal (so
 * does vj_ctx_free).  _queue returns -1 if jid's removal did not start.
 */
#define VJ_RM_INFLIGHT	16
typedef void (*vj_removed_fn)(void *tag, int rc, const struct vj_error *);
int	vj_jail_remove_queue(struct vj_ctx *, int jid, int flags, void *tag,
	    vj_removed_fn done, struct vj_error *);
void	vj_jail_remove_flush(struct vj_ctx *);
/* Find a jail by jid or name (as seen from the caller); returns the jid. */
int	vj_jail_find(struct vj_ctx *, const char *jid_or_name, int flags,
	    struct vj_error *);
/* The first jid greater than lastjid (visible to the caller), -1/ENOENT at end. */
int	vj_jail_next(struct vj_ctx *, int lastjid, int flags, struct vj_error *);
/* Every parameter of a jail, read-only ones included, values canonical. */
int	vj_jail_get(struct vj_ctx *, int jid, struct vj_params *out,
	    struct vj_error *);
/* Send sig to every process of the jail but its init; returns the count. */
int	vj_jail_kill(struct vj_ctx *, int jid, int sig, struct vj_error *);
/* Ask the jail's init to count its processes now (after a jexec'd process
 * ended): a jail without persist then goes away if it is empty. */
int	vj_jail_nudge(struct vj_ctx *, int jid, struct vj_error *);
/* Number of processes in the jail besides its init, -1 on error. */
int	vj_jail_nproc(struct vj_ctx *, int jid, struct vj_error *);

/* How to start a process inside a jail. */
struct vj_spawn {
	char *const	*argv;		/* execvp'd inside the jail */
	char *const	*envp;		/* NULL: keep the caller's environment */
	const char	*user;		/* NULL: stay root (the caller's ids) */
	int		 user_in_jail;	/* look the user up in the jail's passwd */
	const char	*cwd;		/* NULL: "/" (or the user's home with login) */
	int		 login;		/* clean environment, as jexec -l */
	int		 fd_in, fd_out, fd_err;	/* -1: inherit */
	int		 setsid;	/* start a new session */
	int		 foreground;	/* own process group, given the terminal
					 * on fd 0 (interactive shells) */
	int		 ctty;		/* with setsid: the first of fds 0-2
					 * that is a terminal becomes its
					 * controlling terminal */
};

/* Open a new pseudo-terminal in the jail's own /dev/pts: returns its
 * master (close-on-exec); ioctl(master, TIOCGPTPEER) opens the slave,
 * which a process of the jail finds as /dev/pts/N. */
int	vj_jail_openpt(struct vj_ctx *, int jid, struct vj_error *);

/* Start a process in the jail; *pidp is its pid in the caller's namespace. */
int	vj_jail_spawn(struct vj_ctx *, int jid, const struct vj_spawn *,
	    pid_t *pidp, struct vj_error *);
/* Move the calling process into the jail, as jail_attach(2): namespaces,
 * root, cgroup and restrictions.  The pid namespace applies to children. */
int	vj_jail_attach(struct vj_ctx *, int jid, struct vj_error *);

/* Parameter registry (what jls "all" and jail -e know about). */
#define VJ_PT_STRING	1
#define VJ_PT_INT	2
#define VJ_PT_ULONG	3
#define VJ_PT_BOOL	4
#define VJ_PT_JAILSYS	5	/* disable | inherit | new */
#define VJ_PT_IPV4	6	/* list of IPv4 addresses */
#define VJ_PT_IPV6	7	/* list of IPv6 addresses */

#define VJ_PF_CREATE	0x0001	/* may be set only at creation */
#define VJ_PF_RDONLY	0x0002	/* read-only: reported, never set */
#define VJ_PF_INTERNAL	0x0004	/* jail(8) pseudo-parameter, not stored */
#define VJ_PF_LIST	0x0008	/* takes a list of values */
#define VJ_PF_NOLINUX	0x0010	/* accepted with a warning: no Linux meaning */
#define VJ_PF_PREFIX	0x0020	/* name ends in ".": matches name.anything */
#define VJ_PF_REV	0x0040	/* list undone in reverse order on removal */
#define VJ_PF_NOSHOW	0x0080	/* not listed by jls "all" */

struct vj_pdef {
	const char	*name;
	int		 type;
	unsigned	 flags;
	const char	*defval;	/* value when unset, or NULL */
	const char	*descr;
};

/* Look a parameter up ("allow.nomount" finds allow.mount). */
const struct vj_pdef *vj_param_lookup(const char *name);
/* Call fn for every registered parameter, in registry order. */
void	vj_param_foreach(void (*fn)(const struct vj_pdef *, void *), void *arg);
/* Check and canonicalise one name=value ("nopersist" -> persist=false).
 * value may be NULL for a bare name.  Results are malloc'd. */
int	vj_param_canon(const char *name, const char *value, char **cname,
	    char **cvalue, struct vj_error *);

#ifdef __cplusplus
}
#endif

#endif /* VJAIL_H */
