/*
 * filter.h: the seccomp filter a process gets when it enters a jail.
 * Subsystems add rules during VJ_PH_ENTER / VJ_PH_CHILD; the framework
 * loads the filter once after the last subsystem, so every process has
 * one filter, not one per subsystem.
 *
 * The filter covers every syscall ABI of the machine (on x86-64: the
 * 64-bit, i386 and x32 entry points), so a 32-bit entry point cannot
 * dodge a rule.  Arguments are compared on their low 32 bits only: the
 * kernel reads int arguments from the low half of the register and
 * ignores the rest, so a comparison of all 64 bits could be dodged by
 * setting the high bits (CVE-2019-10063).
 */
#ifndef VJ_FILTER_H
#define VJ_FILTER_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stdint.h>

#include "vjail.h"

struct vj_jail;

/* One argument test: (low 32 bits of argument argno & mask) == value. */
struct vj_cmp {
	unsigned	argno;
	uint32_t	mask;
	uint32_t	value;
};

/* Make a syscall fail with errnum (ENOSYS, EPERM, ...). */
int	vj_filter_deny(const char *syscall, int errnum, struct vj_error *);
/* Make a syscall fail when argument argno equals value (socket domain...). */
int	vj_filter_deny_arg(const char *syscall, int errnum, unsigned argno,
	    unsigned long long value, struct vj_error *);
/* Make a syscall fail when (argument & mask) == value (flag bits...). */
int	vj_filter_deny_masked(const char *syscall, int errnum, unsigned argno,
	    uint32_t mask, uint32_t value, struct vj_error *);
/* Make a syscall fail when every one of n tests holds. */
int	vj_filter_deny_cmp(const char *syscall, int errnum, unsigned n,
	    const struct vj_cmp *, struct vj_error *);
/* Run fn right after the filter is loaded (or when there is none): a
 * filter loaded without no_new_privs needs CAP_SYS_ADMIN until then. */
void	vj_filter_then(int (*fn)(struct vj_error *));
/* Load the rules gathered so far (none: nothing to load), then the
 * vj_filter_then hook. */
int	vj_filter_load(struct vj_error *);
/* The same for a jail's init: compile and share, load nothing.  The
 * shared program serves the jail's processes only if the init gathered
 * exactly their rules: a subsystem that adds rules adds them in both
 * VJ_PH_CHILD and VJ_PH_ENTER. */
int	vj_filter_prepare(struct vj_error *);
/* Forget the rules gathered so far without loading them. */
void	vj_filter_reset(void);
/* Take an image of a compiled program (written through vj_filter_save_to)
 * as compiled here: loading exactly its rules then compiles nothing.
 * -1 if it is not a well-formed image. */
int	vj_filter_adopt(const void *image, size_t size);
/* Was a program compiled here since the last image adopted or saved?
 * (An init shares its creator's memory: its compile shows here.) */
bool	vj_filter_fresh(void);
/* Write the last compiled program as an image to fd, now. */
void	vj_filter_save_now(int fd);
/* Write the next program compiled in this process to fd, as an image. */
void	vj_filter_save_to(int fd);

/* A jail's compiled program kept in the store (filter_cache.c).  Before
 * forking into j: adopt it; without one, a descriptor the child passes to
 * vj_filter_save_to, or -1. */
int	vj_filter_cache_prepare(const struct vj_jail *j);
/* After the child exec'd: store the image it saved in fd (if any). */
void	vj_filter_cache_keep(const struct vj_jail *j, int fd);
/* Forget the stored program: the jail's rules are about to change. */
void	vj_filter_cache_drop(const struct vj_jail *j);
/* Before creating a jail: adopt the store's last shared image (filter.bpf)
 * if nothing is compiled in this process yet.  After: share a program the
 * new jail's init compiled, so the next creator or jexec skips the
 * compile (libseccomp takes milliseconds).  Rules are checked on use. */
void	vj_filter_cache_warm(const struct vj_ctx *ctx);
void	vj_filter_cache_share(const struct vj_ctx *ctx);

/* Can this kernel run seccomp filters?  0, or -1 with "unsupported: why". */
int	vj_filter_probe(struct vj_error *);

/* filter_newer.c: instructions put in front of every compiled program,
 * so that calls newer than the policy fail with ENOSYS. */
#define VJ_FILTER_NEWER_LEN	12
extern const struct sock_filter vj_filter_newer[VJ_FILTER_NEWER_LEN];

#endif
