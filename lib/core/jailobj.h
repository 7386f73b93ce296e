/*
 * jailobj.h: the in-memory jail object shared by the framework and
 * the subsystems.  Its persistent twin is the state file (state.h).
 */
#ifndef VJ_JAIL_PRIV_H
#define VJ_JAIL_PRIV_H

#include <stdbool.h>
#include <sys/types.h>

#include "vjail.h"

#define VJ_NAME_MAX	256
#define VJ_SUBSYS_MAX	32
#define VJ_JID_MAX	999999

/* Namespaces a jail may own, in setns order. */
enum vj_ns {
	VJ_NS_USER, VJ_NS_MNT, VJ_NS_UTS, VJ_NS_IPC, VJ_NS_NET, VJ_NS_PID,
	VJ_NS_CGROUP, VJ_NS_COUNT
};

/* Where a jail is in its life; "creating" and "dying" name an owner. */
enum vj_jstate { VJ_JS_CREATING, VJ_JS_RUNNING, VJ_JS_DYING };

struct vj_ctx {
	char	 rundir[256];	/* /run/vjail, or $VJAIL_RUNDIR for tests */
	int	 self_jid;	/* jail the caller lives in, 0 on the host */
	char	 self_prefix[VJ_NAME_MAX + 2]; /* "name." of self, "" on the host */
	unsigned long self_pidns; /* inode of the caller's pid namespace */
	bool	 store_ready;	/* the store's directories exist */
	int	 recycle;	/* records recycled (1) or deleted (-1); 0:
				 * not asked yet (state.c) */
	int	*spare;		/* spare records seen, not yet tried */
	int	 nspare;
	int	*list;		/* snapshot of jids for vj_jail_next */
	struct vj_jail *cached;	/* what vj_jail_next loaded last */
	bool	 cached_alive;	/* and whether its init was alive */
	int	 nlist;
	void	(*trace)(void *, const char *);
	void	*trace_arg;
	void	(*warn)(void *, const char *);
	void	*warn_arg;
	struct vj_removal **inflight;	/* started, not finished, oldest
					 * first (inflight.c) */
	size_t	 ninflight, capinflight;
	struct vj_creation *creating;	/* inits setting up, oldest first
					 * (creating.c) */
	size_t	 ncreating;
	pid_t	 creating_owner;	/* the process they belong to */
	struct vj_donors *donors;	/* TLS lent to them (donor.c) */
	struct vj_creation *ready;	/* inits serving, their VJ_PH_LATE
					 * not run yet (creating.c) */
	size_t	 nready;
	struct vj_nl *late_nl;		/* the open VJ_PH_LATE batch */
	struct vj_netns_maker *netns_maker;	/* owned stacks (netns.c) */
};

struct vj_jail {
	struct vj_ctx	*ctx;
	int		 jid;
	int		 parent;	/* parent jid, 0 at top level */
	char		 name[VJ_NAME_MAX];	/* full name: parent.child */
	struct vj_params params;	/* canonical parameters as set */
	struct vj_params old;		/* during VJ_PH_UPDATE: the previous set */
	struct vj_params notes;		/* subsystem state to persist (state.h) */
	pid_t		 init_pid;	/* in the host's pid namespace */
	unsigned long long init_start;	/* start time, guards pid reuse */
	int		 pidfd;		/* of the init, -1 if not open */
	void		*init_stack;	/* the init's stack, if we cloned it */
	void		*init_tls;	/* TLS lent to the init (donor.c) */
	pid_t		 spawn_pid;	/* during VJ_PH_ENTER_HOST */
	unsigned long	 clone_flags;
	int		 nsfd[VJ_NS_COUNT];	/* open namespace handles or -1 */
	int		 heldfd;	/* a namespace the init holds for
					 * the jail's life (epair.c), or -1 */
	unsigned long	 begun;		/* bit i: subsystem i began setup */
	enum vj_jstate	 state;
	pid_t		 owner;		/* process creating or removing it */
	unsigned long long owner_start;
	unsigned long	 init_ns;	/* pid ns inode init_pid is valid in */
	bool		 lo_up;		/* loopback brought up from the host
					 * side (epair.c), not by the init */
	int		 failed_at;	/* test hook: subsystem index to fail */
};

/* Append a parameter known not to be in the set yet (no search), and
 * push a value onto one; the pointer is valid until the set grows. */
struct vj_param *vj_params_append(struct vj_params *, const char *name);
int	vj_param_push(struct vj_param *, const char *value);

/* A parameter's value, or its registered default, or NULL. */
const char *vj_jail_param(const struct vj_jail *, const char *name);
/* A boolean parameter (true/false/default). */
bool	vj_jail_bool(const struct vj_jail *, const char *name);
/* An integer parameter, or dflt when unset or unparseable. */
long	vj_jail_int(const struct vj_jail *, const char *name, long dflt);
/* A jailsys parameter: "new", "inherit" or "disable" (default given). */
const char *vj_jail_sys(const struct vj_jail *, const char *name,
	    const char *dflt);

/* Persisted per-subsystem state: "net.epair" -> "vj5a", survives crashes. */
int	vj_jail_note(struct vj_jail *, const char *key, const char *value,
	    struct vj_error *);
int	vj_jail_note_add(struct vj_jail *, const char *key, const char *value,
	    struct vj_error *);
const char *vj_jail_noted(const struct vj_jail *, const char *key);
const struct vj_param *vj_jail_noted_list(const struct vj_jail *,
	    const char *key);

/* During VJ_PH_LATE: the host's netlink handle, its batch open, shared
 * by the jails whose late settings are applied together (lifecycle.c). */
struct vj_nl *vj_jail_late_nl(struct vj_jail *, struct vj_error *);

/* Open a handle on one of the jail's namespaces (cached in j->nsfd). */
int	vj_jail_nsfd(struct vj_jail *, enum vj_ns, struct vj_error *);
/* Trace a line through the context's hook (jail -v / VJAIL_DEBUG). */
void	vj_trace(const struct vj_ctx *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Warn a person through the context's hook. */
void	vj_warn(const struct vj_ctx *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
