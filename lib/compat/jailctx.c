/*
 * jailctx.c: jail_errmsg and the per-thread native context behind the
 * libjail(3) functions.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "compat.h"

__thread char jail_errmsg[JAIL_ERRMSGLEN];

static __thread struct vj_ctx *thread_ctx;

/* The calling thread's native context, made on first use. */
struct vj_ctx *
compat_ctx(void)
{
	struct vj_error err = { 0 };

	if (thread_ctx == NULL) {
		thread_ctx = vj_ctx_new(&err);
		if (thread_ctx == NULL)
			compat_fail(&err);
	}
	return thread_ctx;
}

/* Forget the thread's context; the next call makes a fresh one. */
void
compat_ctx_reset(void)
{
	vj_ctx_free(thread_ctx);
	thread_ctx = NULL;
}

/* Copy a native error into jail_errmsg and errno. */
int
compat_fail(const struct vj_error *err)
{
	snprintf(jail_errmsg, sizeof(jail_errmsg), "%s", err->ve_msg);
	errno = err->ve_errno ? err->ve_errno : EINVAL;
	return -1;
}

/* Format jail_errmsg and set errno. */
int
compat_errmsg(int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(jail_errmsg, sizeof(jail_errmsg), fmt, ap);
	va_end(ap);
	errno = errnum;
	return -1;
}
