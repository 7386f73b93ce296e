/*
 * jailid.c: jail_getid, jail_getname, and the two system calls libjail
 * programs use beside it, jail_remove(2) and jail_attach(2).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "util.h"

/* The jid of a jail named by jid or name, or -1 with jail_errmsg. */
int
jail_getid(const char *name)
{
	struct vj_error err = { 0 };
	struct vj_ctx *ctx = compat_ctx();
	int jid;

	if (ctx == NULL)
		return -1;
	jid = vj_jail_find(ctx, name, 0, &err);
	return jid < 0 ? compat_fail(&err) : jid;
}

/* The name of a jail as a malloc'd string, or NULL with jail_errmsg. */
char *
jail_getname(int jid)
{
	struct jailparam jp[2];
	char *name = NULL;

	if (jailparam_init(&jp[0], "jid") < 0)
		return NULL;
	if (jailparam_init(&jp[1], "name") < 0) {
		jailparam_free(jp, 1);
		return NULL;
	}
	if (jailparam_import_raw(&jp[0], &jid, sizeof(jid)) == 0 &&
	    jailparam_get(jp, 2, 0) >= 0)
		name = vj_steal(jp[1].jp_value);
	jailparam_free(jp, 2);
	return name;
}

/* Remove a jail and everything in it, as jail_remove(2). */
int
jail_remove(int jid)
{
	struct vj_error err = { 0 };
	struct vj_ctx *ctx = compat_ctx();

	if (ctx == NULL)
		return -1;
	if (vj_jail_remove(ctx, jid, 0, &err) < 0)
		return compat_fail(&err);
	return 0;
}

/* Move the calling process into a jail, as jail_attach(2). */
int
jail_attach(int jid)
{
	struct vj_error err = { 0 };
	struct vj_ctx *ctx = compat_ctx();

	if (ctx == NULL)
		return -1;
	if (vj_jail_attach(ctx, jid, &err) < 0)
		return compat_fail(&err);
	compat_ctx_reset();
	return 0;
}
