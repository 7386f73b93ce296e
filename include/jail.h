/*
 * jail.h: the libjail(3) compatibility API, over libvjail's native API.
 *
 * Same names, types and flags as FreeBSD's <jail.h>.  jail_errmsg is
 * thread-local here; the native API (vjail.h) is the thread-safe one.
 */
#ifndef JAIL_H
#define JAIL_H

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define JAIL_CREATE	0x01
#define JAIL_UPDATE	0x02
#define JAIL_ATTACH	0x04
#define JAIL_DYING	0x08

#define JAIL_ERRMSGLEN	1024

#define JP_RAWVALUE	0x01
#define JP_BOOL		0x02
#define JP_NOBOOL	0x04
#define JP_JAILSYS	0x08

#define JAIL_SYS_DISABLE	0
#define JAIL_SYS_NEW		1
#define JAIL_SYS_INHERIT	2

/* Control types, as sysctl's CTLTYPE_* values. */
#define CTLTYPE_INT	2
#define CTLTYPE_STRING	3
#define CTLTYPE_ULONG	8
#define CTLTYPE_STRUCT	5

extern __thread char jail_errmsg[JAIL_ERRMSGLEN];

struct jailparam {
	char	*jp_name;
	void	*jp_value;
	size_t	 jp_valuelen;
	size_t	 jp_elemlen;
	int	 jp_ctltype;
	int	 jp_structtype;
	unsigned jp_flags;
};

int	jail_getid(const char *name);
char	*jail_getname(int jid);
int	jail_setv(int flags, ...);
int	jail_getv(int flags, ...);
int	jailparam_all(struct jailparam **jpp);
int	jailparam_init(struct jailparam *jp, const char *name);
int	jailparam_import(struct jailparam *jp, const char *value);
int	jailparam_import_raw(struct jailparam *jp, void *value, size_t valuelen);
int	jailparam_set(struct jailparam *jp, unsigned njp, int flags);
int	jailparam_get(struct jailparam *jp, unsigned njp, int flags);
char	*jailparam_export(struct jailparam *jp);
void	jailparam_free(struct jailparam *jp, unsigned njp);

/* The system calls FreeBSD's libjail wraps, provided by libvjail. */
int	jail_remove(int jid);
int	jail_attach(int jid);

#ifdef __cplusplus
}
#endif

#endif /* JAIL_H */
