/* jailobj.c: accessors on the in-memory jail object. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "jailobj.h"
#include "state.h"
#include "util.h"

/* A parameter's value, or its registered default, or NULL. */
const char *
vj_jail_param(const struct vj_jail *j, const char *name)
{
	const char *v = vj_params_get(&j->params, name);
	const struct vj_pdef *d;

	if (v != NULL)
		return v;
	d = vj_param_lookup(name);
	return d != NULL ? d->defval : NULL;
}

/* A boolean parameter. */
bool
vj_jail_bool(const struct vj_jail *j, const char *name)
{
	const char *v = vj_jail_param(j, name);

	return v != NULL && strcmp(v, "true") == 0;
}

/* An integer parameter, or dflt. */
long
vj_jail_int(const struct vj_jail *j, const char *name, long dflt)
{
	const char *v = vj_jail_param(j, name);
	long out;

	if (v == NULL || vj_parse_int(v, -0x7fffffffffffffffL,
	    0x7fffffffffffffffL, &out) < 0)
		return dflt;
	return out;
}

/* A jailsys parameter, or dflt. */
const char *
vj_jail_sys(const struct vj_jail *j, const char *name, const char *dflt)
{
	const char *v = vj_jail_param(j, name);

	return v != NULL ? v : dflt;
}

/* Persist one journal line for a note, when the record exists. */
static int
journal_note(struct vj_jail *j, char tag, const char *key, const char *value,
    struct vj_error *err)
{
	vj_autofree char *line = NULL;

	if (j->jid <= 0)
		return 0;
	if (strchr(key, '\n') || strchr(key, '\t') || strchr(value, '\n'))
		return vj_err_set(err, EINVAL, "note %s: bad characters", key);
	if (asprintf(&line, "%c %s\t%s\n", tag, key, value) < 0)
		return vj_err_sys(err, "note %s", key);
	return vj_state_append(j, line, err);
}

/* Persist a subsystem note (replacing any old value). */
int
vj_jail_note(struct vj_jail *j, const char *key, const char *value,
    struct vj_error *err)
{
	if (vj_params_set(&j->notes, key, value) < 0)
		return vj_err_sys(err, "note %s", key);
	return journal_note(j, 'n', key, value, err);
}

/* Append a value to a list note. */
int
vj_jail_note_add(struct vj_jail *j, const char *key, const char *value,
    struct vj_error *err)
{
	if (vj_params_add(&j->notes, key, value) < 0)
		return vj_err_sys(err, "note %s", key);
	return journal_note(j, 'N', key, value, err);
}

/* A note's (first) value, or NULL. */
const char *
vj_jail_noted(const struct vj_jail *j, const char *key)
{
	return vj_params_get(&j->notes, key);
}

/* A note with all its values, or NULL. */
const struct vj_param *
vj_jail_noted_list(const struct vj_jail *j, const char *key)
{
	return vj_params_find(&j->notes, key);
}

static const char *const ns_names[VJ_NS_COUNT] = {
	"user", "mnt", "uts", "ipc", "net", "pid", "cgroup",
};

/* Open (once) a handle on one of the jail's namespaces. */
int
vj_jail_nsfd(struct vj_jail *j, enum vj_ns ns, struct vj_error *err)
{
	char path[64];

	if (j->nsfd[ns] >= 0)
		return j->nsfd[ns];
	if (j->init_pid <= 0)
		return vj_err_set(err, ESRCH, "jail %d has no init", j->jid);
	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)j->init_pid,
	    ns_names[ns]);
	j->nsfd[ns] = open(path, O_RDONLY | O_CLOEXEC);
	if (j->nsfd[ns] < 0)
		return vj_err_sys(err, "open %s", path);
	return j->nsfd[ns];
}

/* Format and pass a line to a hook. */
static void
emit(void (*fn)(void *, const char *), void *arg, const char *fmt,
    va_list ap)
{
	char line[VJ_ERRMSG_MAX];

	if (fn == NULL)
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	fn(arg, line);
}

/* Trace a step through the context's hook. */
void
vj_trace(const struct vj_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (ctx == NULL || ctx->trace == NULL)
		return;
	va_start(ap, fmt);
	emit(ctx->trace, ctx->trace_arg, fmt, ap);
	va_end(ap);
}

/* Warn a person through the context's hook. */
void
vj_warn(const struct vj_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (ctx == NULL || ctx->warn == NULL)
		return;
	va_start(ap, fmt);
	emit(ctx->warn, ctx->warn_arg, fmt, ap);
	va_end(ap);
}
