/* error.c: struct vj_error helpers. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

/* Set a message and an errno; returns -1. */
int
vj_err_set(struct vj_error *err, int errnum, const char *fmt, ...)
{
	va_list ap;

	errno = errnum;		/* callers without an error struct see it too */
	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->ve_msg, sizeof(err->ve_msg), fmt, ap);
	va_end(ap);
	err->ve_errno = errnum;
	errno = errnum;
	return -1;
}

/* Set a message with the current errno appended; returns -1. */
int
vj_err_sys(struct vj_error *err, const char *fmt, ...)
{
	int saved = errno;
	size_t len;
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->ve_msg, sizeof(err->ve_msg), fmt, ap);
	va_end(ap);
	len = strlen(err->ve_msg);
	snprintf(err->ve_msg + len, sizeof(err->ve_msg) - len, ": %s",
	    strerror(saved));
	err->ve_errno = saved;
	errno = saved;
	return -1;
}

/* Prefix the message with context; returns -1. */
int
vj_err_wrap(struct vj_error *err, const char *fmt, ...)
{
	char buf[2 * VJ_ERRMSG_MAX];
	size_t len;
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(buf, VJ_ERRMSG_MAX, fmt, ap);
	va_end(ap);
	len = strlen(buf);
	snprintf(buf + len, sizeof(buf) - len, ": %s", err->ve_msg);
	memcpy(err->ve_msg, buf, sizeof(err->ve_msg) - 1);
	err->ve_msg[sizeof(err->ve_msg) - 1] = '\0';
	errno = err->ve_errno;
	return -1;
}

/* Clear an error. */
void
vj_err_clear(struct vj_error *err)
{
	if (err == NULL)
		return;
	err->ve_errno = 0;
	err->ve_msg[0] = '\0';
}
