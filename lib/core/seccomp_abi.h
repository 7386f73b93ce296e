/*
 * seccomp_abi.h: the syscall ABIs a libseccomp filter must cover, shared
 * by the jail's filter (lib/core/filter.c) and capability mode
 * (lib/capsicum/seccomp.c).  On x86-64 a process can also enter the
 * kernel through the i386 (int $0x80) and x32 entry points: a filter
 * that listed only the native ABI would kill such calls (the bad-arch
 * action), a filter that forgot to kill them would let them through.
 */
#ifndef VJ_SECCOMP_ABI_H
#define VJ_SECCOMP_ABI_H

#include <errno.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>

/* Add the foreign ABIs of the machine to a fresh filter, so each gets
 * the same rules as the native one; 0 or a negative libseccomp error. */
static inline int
vj_seccomp_add_abis(scmp_filter_ctx f)
{
	static const uint32_t x86[] = { SCMP_ARCH_X86, SCMP_ARCH_X32 };
	size_t i;
	int rc;

	if (seccomp_arch_native() != SCMP_ARCH_X86_64)
		return 0;
	for (i = 0; i < sizeof(x86) / sizeof(x86[0]); i++) {
		rc = seccomp_arch_add(f, x86[i]);
		if (rc < 0 && rc != -EEXIST)
			return rc;
	}
	return 0;
}

#endif
