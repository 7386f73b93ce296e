/*
 * landlock_abi.h: Landlock's user-space ABI up to version 8, defined here
 * because libc headers lag behind the kernel (Debian 12's linux/landlock.h
 * stops at ABI 2).  Shared by the jail's landlock subsystem
 * (lib/subsys/landlock.c) and capability mode (lib/capsicum/grant.c).
 * Values are the kernel's (include/uapi/linux/landlock.h); the running
 * ABI is probed with ll_abi(), never assumed.
 */
#ifndef VJ_LANDLOCK_ABI_H
#define VJ_LANDLOCK_ABI_H

#include <errno.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The ruleset attribute as of ABI 6 (older kernels take a prefix). */
struct ll_ruleset_attr {
	uint64_t	handled_access_fs;
	uint64_t	handled_access_net;
	uint64_t	scoped;
};

/* A rule granting rights beneath the object parent_fd refers to. */
struct ll_path_beneath_attr {
	uint64_t	allowed_access;
	int32_t		parent_fd;
} __attribute__((packed));

#define LL_CREATE_RULESET_VERSION	(1U << 0)
#define LL_RULE_PATH_BENEATH		1

/* Filesystem rights, by the ABI that brought them. */
#define LL_FS_EXECUTE		(1ULL << 0)	/* ABI 1 ... */
#define LL_FS_WRITE_FILE	(1ULL << 1)
#define LL_FS_READ_FILE		(1ULL << 2)
#define LL_FS_READ_DIR		(1ULL << 3)
#define LL_FS_REMOVE_DIR	(1ULL << 4)
#define LL_FS_REMOVE_FILE	(1ULL << 5)
#define LL_FS_MAKE_CHAR		(1ULL << 6)
#define LL_FS_MAKE_DIR		(1ULL << 7)
#define LL_FS_MAKE_REG		(1ULL << 8)
#define LL_FS_MAKE_SOCK		(1ULL << 9)
#define LL_FS_MAKE_FIFO		(1ULL << 10)
#define LL_FS_MAKE_BLOCK	(1ULL << 11)
#define LL_FS_MAKE_SYM		(1ULL << 12)	/* ... ABI 1 */
#define LL_FS_REFER		(1ULL << 13)	/* ABI 2 */
#define LL_FS_TRUNCATE		(1ULL << 14)	/* ABI 3 */
#define LL_FS_IOCTL_DEV		(1ULL << 15)	/* ABI 5 */

/* Network rights (ABI 4). */
#define LL_NET_BIND_TCP		(1ULL << 0)
#define LL_NET_CONNECT_TCP	(1ULL << 1)

/* Scopes (ABI 6). */
#define LL_SCOPE_ABSTRACT_UNIX_SOCKET	(1ULL << 0)
#define LL_SCOPE_SIGNAL			(1ULL << 1)

/* landlock_restrict_self flags: the whole process at once (ABI 8). */
#define LL_RESTRICT_SELF_TSYNC	(1U << 3)

#define LL_ABI_NET	4
#define LL_ABI_SCOPES	6
#define LL_ABI_TSYNC	8

/* The kernel's Landlock ABI version; -1 with errno EOPNOTSUPP (Landlock
 * built but not enabled) or ENOSYS (no Landlock). */
static inline int
ll_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LL_CREATE_RULESET_VERSION);

	return abi < 0 ? -1 : (int)abi;
}

#endif
