/*
 * seccomp.c: capability mode's system-call layer, two seccomp filters
 * compiled by libseccomp from the data in policy.c.
 *
 * Why two: the policy is an allowlist ("everything else fails with
 * ECAPMODE") with argument exceptions ("openat, unless the directory is
 * AT_FDCWD").  libseccomp refuses a rule whose action equals the default
 * action, and an unconditional rule swallows the conditional ones of the
 * same call; a "not equal on the low 32 bits" test does not exist (its
 * 32-bit macros still compare the high half with zero, and glibc passes
 * AT_FDCWD sign-extended).  So the allowlist is one filter (default
 * ECAPMODE), and the argument exceptions are another (default allow,
 * ECAPMODE when a masked 32-bit test holds, which is exact).  The kernel
 * runs both and keeps the most restrictive verdict.
 *
 * Both are installed with TSYNC, so threads that exist before cap_enter
 * are confined too, and cover every ABI of the machine (seccomp_abi.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stddef.h>

#include "capsicum_int.h"
#include "seccomp_abi.h"
#include "sys/capsicum.h"

#define CAP_FAMILIES	64	/* families tested: AF_MAX is 46 in 6.x */

/* A fresh filter with a default action, for every ABI, loaded with
 * TSYNC (no_new_privs is set by the caller). */
static scmp_filter_ctx
new_filter(uint32_t dflt)
{
	scmp_filter_ctx f = seccomp_init(dflt);

	if (f == NULL)
		return NULL;
	if (vj_seccomp_add_abis(f) < 0 ||
	    seccomp_attr_set(f, SCMP_FLTATR_CTL_TSYNC, 1) < 0) {
		seccomp_release(f);
		return NULL;
	}
	return f;
}

/* Add one rule by name; a name unknown on this machine is skipped. */
static int
add(scmp_filter_ctx f, uint32_t action, const char *call, unsigned n,
    const struct scmp_arg_cmp *cmp)
{
	int nr = seccomp_syscall_resolve_name(call);
	int rc;

	if (nr == __NR_SCMP_ERROR)
		return 0;
	rc = seccomp_rule_add_array(f, action, nr, n, cmp);
	return rc < 0 && rc != -EEXIST ? rc : 0;
}

/* The test "argument argno, low 32 bits masked, equals value". */
static struct scmp_arg_cmp
eq32(unsigned argno, uint32_t mask, uint32_t value)
{
	/* MASKED_EQ with a 32-bit mask: the high half is masked away. */
	return SCMP_CMP(argno, SCMP_CMP_MASKED_EQ, (uint64_t)mask,
	    (uint64_t)value);
}

/* The allowlist: calls, *at calls, read-only prctl options, clone3. */
static int
build_allowlist(scmp_filter_ctx f)
{
	const char *const *c;
	const struct cap_dirfd *d;
	const int *o;
	struct scmp_arg_cmp opt;
	int rc = 0;

	for (c = cap_allowed_calls; rc == 0 && *c != NULL; c++)
		rc = add(f, SCMP_ACT_ALLOW, *c, 0, NULL);
	for (d = cap_dirfd_calls; rc == 0 && d->call != NULL; d++)
		rc = add(f, SCMP_ACT_ALLOW, d->call, 0, NULL);
	for (o = cap_prctl_options; rc == 0 && *o >= 0; o++) {
		opt = eq32(0, 0xffffffffU, (uint32_t)*o);
		rc = add(f, SCMP_ACT_ALLOW, "prctl", 1, &opt);
	}
	/* seccomp cannot read clone3's flags behind their pointer: ENOSYS
	 * makes glibc fall back to clone, whose flags it can read. */
	if (rc == 0)
		rc = add(f, SCMP_ACT_ERRNO(ENOSYS), "clone3", 0, NULL);
	return rc;
}

/* Is a socket family one capability mode may create? */
static bool
family_allowed(int af)
{
	const int *a;

	for (a = cap_socket_families; *a >= 0; a++)
		if (*a == af)
			return true;
	return false;
}

/* The argument exceptions: AT_FDCWD, pids, socket kinds. */
static int
build_arg_rules(scmp_filter_ctx f)
{
	const uint32_t deny = SCMP_ACT_ERRNO(ECAPMODE);
	const struct cap_dirfd *d;
	const struct cap_argrule *r;
	struct scmp_arg_cmp cmp;
	int rc = 0, af;

	for (d = cap_dirfd_calls; rc == 0 && d->call != NULL; d++) {
		cmp = eq32(d->argno, 0xffffffffU, (uint32_t)AT_FDCWD);
		rc = add(f, deny, d->call, 1, &cmp);
	}
	for (r = cap_arg_rules; rc == 0 && r->call != NULL; r++) {
		cmp = r->cmp == CAP_EQ32 ? eq32(r->argno, r->mask,
		    (uint32_t)r->value) : SCMP_CMP(r->argno, SCMP_CMP_NE,
		    r->value);
		rc = add(f, deny, r->call, 1, &cmp);
	}
	for (af = 0; rc == 0 && af < CAP_FAMILIES; af++) {
		if (family_allowed(af))
			continue;
		cmp = eq32(0, 0xffffffffU, (uint32_t)af);
		rc = add(f, deny, "socket", 1, &cmp);
	}
	return rc;
}

/* Build one filter and load it; errno from libseccomp on failure. */
static int
load(uint32_t dflt, int (*build)(scmp_filter_ctx))
{
	scmp_filter_ctx f = new_filter(dflt);
	int rc;

	if (f == NULL) {
		errno = ENOMEM;
		return -1;
	}
	rc = build(f);
	if (rc == 0)
		rc = seccomp_load(f);
	seccomp_release(f);
	if (rc < 0) {
		errno = -rc;
		return -1;
	}
	return 0;
}

/* Install the argument exceptions, then the allowlist: once the
 * allowlist is in, seccomp(2) is still allowed, but nothing else of
 * ours needs to run. */
int
cap_seccomp_enter(void)
{
	if (load(SCMP_ACT_ALLOW, build_arg_rules) < 0)
		return -1;
	return load(SCMP_ACT_ERRNO(ECAPMODE), build_allowlist);
}
