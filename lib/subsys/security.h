/*
 * security.h: the parts of the security subsystem shared by its files:
 * security.c (parameters, phases), security_caps.c (capabilities) and
 * security_rules.c (the seccomp policy as data).
 */
#ifndef VJ_SECURITY_H
#define VJ_SECURITY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "jailobj.h"

/* May the jail's processes mount (allow.mount, a type, enforce_statfs<2)? */
bool	vj_sec_may_mount(const struct vj_jail *);
/* May they make child jails (children.max > 0)? */
bool	vj_sec_nesting(const struct vj_jail *);
/* Does the jail have its own network stack? */
bool	vj_sec_vnet(const struct vj_jail *);
/* Does the jail have its own user namespace (user.map)? */
bool	vj_sec_userns(const struct vj_jail *);
/* net.c: is the jail's stack owned by a user namespace of its own (its
 * root then configures it without CAP_NET_ADMIN)? */
bool	vj_net_owned_stack(const struct vj_jail *);

/* The capabilities the jail's processes keep, one bit per capability. */
uint64_t vj_sec_caps(const struct vj_jail *);
/* Shrink the bounding set to the jail's, empty inheritable and ambient,
 * set no_new_privs (unless allow.setuid); the permitted and effective
 * sets shrink right after the seccomp filter is loaded.  For the init
 * (init=true) nothing at all is kept. */
int	vj_sec_restrict(const struct vj_jail *, bool init, struct vj_error *);
/* Print capabilities of a mask by name. */
void	vj_sec_print_caps(FILE *, uint64_t);

/* Add the jail's seccomp rules to the filter being built. */
int	vj_sec_rules(const struct vj_jail *, struct vj_error *);

#endif
