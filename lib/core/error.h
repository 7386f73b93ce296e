/*
 * error.h: the one error idiom of libvjail.
 *
 * A fallible function returns -1 (or an id >= 0 on success) and fills a
 * caller-supplied struct vj_error.  Callers add context on the way up:
 *   if (mount_setup(j, err) == -1)
 *           return vj_err_wrap(err, "mount.devfs");
 * which yields "mount.devfs: mount /dev: Permission denied".
 */
#ifndef VJ_ERROR_H
#define VJ_ERROR_H

#include "vjail.h"

/* Set a message and an errno; returns -1. */
int	vj_err_set(struct vj_error *, int errnum, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Set a message with the current errno appended (": strerror"); returns -1. */
int	vj_err_sys(struct vj_error *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Prefix the message with context ("ctx: old message"); returns -1. */
int	vj_err_wrap(struct vj_error *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Clear an error. */
void	vj_err_clear(struct vj_error *);

#endif
