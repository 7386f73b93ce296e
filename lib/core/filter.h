/*
 * filter.h: the seccomp filter a process gets when it enters a jail.
 * Subsystems add rules during VJ_PH_ENTER / VJ_PH_CHILD; the framework
 * loads the filter once after the last subsystem, so every process has
 * one filter, not one per subsystem.
 */
#ifndef VJ_FILTER_H
#define VJ_FILTER_H

#include "vjail.h"

/* Make a syscall fail with errnum (ENOSYS, EPERM, ...). */
int	vj_filter_deny(const char *syscall, int errnum, struct vj_error *);
/* Make a syscall fail when argument argno equals value (socket domain...). */
int	vj_filter_deny_arg(const char *syscall, int errnum, unsigned argno,
	    unsigned long long value, struct vj_error *);
/* Load the rules gathered so far (none: nothing to load). */
int	vj_filter_load(struct vj_error *);

#endif
