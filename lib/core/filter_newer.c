/*
 * filter_newer.c: system calls newer than the policy fail with ENOSYS,
 * as on a kernel that lacks them.  The policy denies calls by name, and
 * a call added to the kernel after the policy was written (or after the
 * libseccomp that names the calls) would pass unseen: open_tree_attr
 * (Linux 6.15) clones and remounts mounts just as open_tree and
 * mount_setattr do.  Programs fall back to the older calls on ENOSYS.
 *
 * These instructions go in front of the program libseccomp compiles.
 * They only jump forward, to their own end or to the return below, so
 * the compiled program after them runs unchanged.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>

#include "filter.h"

/* The first number the policy does not know (open_tree_attr); since
 * Linux 5.1 new calls get the same number on every architecture. */
#define FIRST_UNKNOWN	467
/* x32 numbers carry this bit; 512-547 are x32's own older calls. */
#define X32_BIT		0x40000000U
#define X32_OWN_LO	512
#define X32_OWN_HI	548

#define LD(off)		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (off))
#define JGE(k, t, f)	BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, (k), (t), (f))
#define JEQ(k, t, f)	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (k), (t), (f))

#define ARCH	offsetof(struct seccomp_data, arch)
#define NR	offsetof(struct seccomp_data, nr)

/* Jump offsets count from the next instruction: 11 is the return, 12
 * the first instruction of the compiled program. */
const struct sock_filter vj_filter_newer[VJ_FILTER_NEWER_LEN] = {
	/* 0 */ LD(ARCH),
	/* 1 */ JEQ(AUDIT_ARCH_X86_64, 0, 6),		/* else 8 */
	/* 2 */ LD(NR),
	/* 3 */ JGE(X32_BIT, 1, 0),			/* x32: 5 */
	/* 4 */ JGE(FIRST_UNKNOWN, 6, 7),
	/* 5 */ JGE(X32_BIT + X32_OWN_HI, 5, 0),
	/* 6 */ JGE(X32_BIT + X32_OWN_LO, 5, 0),
	/* 7 */ JGE(X32_BIT + FIRST_UNKNOWN, 3, 4),
	/* 8 */ JEQ(AUDIT_ARCH_I386, 0, 3),
	/* 9 */ LD(NR),
	/* 10 */ JGE(FIRST_UNKNOWN, 0, 1),
	/* 11 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
};
