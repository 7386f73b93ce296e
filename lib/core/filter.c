/* filter.c: one libseccomp filter per entering process. */
#include <errno.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "error.h"
#include "filter.h"

/* The filter being built; only ever used in a single-threaded child. */
static scmp_filter_ctx building;

/* The filter, made on first use, for every ABI of the machine. */
static scmp_filter_ctx
filter(struct vj_error *err)
{
	static const uint32_t arches[] = {
		SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32,
	};
	size_t i;

	if (building != NULL)
		return building;
	building = seccomp_init(SCMP_ACT_ALLOW);
	if (building == NULL) {
		vj_err_set(err, ENOMEM, "seccomp_init");
		return NULL;
	}
	/* The native ABI is already there; others are added where they
	 * exist, so a 32-bit entry point cannot dodge a rule. */
	if (seccomp_arch_native() == SCMP_ARCH_X86_64)
		for (i = 1; i < sizeof(arches) / sizeof(arches[0]); i++)
			seccomp_arch_add(building, arches[i]);
	seccomp_attr_set(building, SCMP_FLTATR_CTL_NNP, 0);
	return building;
}

/* Make a syscall fail with errnum. */
int
vj_filter_deny(const char *name, int errnum, struct vj_error *err)
{
	scmp_filter_ctx f = filter(err);
	int nr = seccomp_syscall_resolve_name(name);

	if (f == NULL)
		return -1;
	if (nr == __NR_SCMP_ERROR)
		return 0;	/* not a syscall on this machine */
	if (seccomp_rule_add(f, SCMP_ACT_ERRNO((uint32_t)errnum), nr, 0) < 0)
		return vj_err_set(err, EINVAL, "seccomp: rule for %s", name);
	return 0;
}

/* Make a syscall fail when one argument equals a value. */
int
vj_filter_deny_arg(const char *name, int errnum, unsigned argno,
    unsigned long long value, struct vj_error *err)
{
	scmp_filter_ctx f = filter(err);
	int nr = seccomp_syscall_resolve_name(name);

	if (f == NULL)
		return -1;
	if (nr == __NR_SCMP_ERROR)
		return 0;
	/* SCMP_CMP_MASKED_EQ on the low 32 bits: ints are 32 bits wide and
	 * the kernel leaves the upper half undefined. */
	if (seccomp_rule_add(f, SCMP_ACT_ERRNO((uint32_t)errnum), nr, 1,
	    SCMP_CMP(argno, SCMP_CMP_MASKED_EQ, 0xffffffffULL, value)) < 0)
		return vj_err_set(err, EINVAL, "seccomp: rule for %s", name);
	return 0;
}

/* Load the gathered rules. */
int
vj_filter_load(struct vj_error *err)
{
	int rc;

	if (building == NULL)
		return 0;
	rc = seccomp_load(building);
	seccomp_release(building);
	building = NULL;
	if (rc < 0)
		return vj_err_set(err, -rc, "seccomp_load: %s", strerror(-rc));
	return 0;
}
