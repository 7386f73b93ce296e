/*
 * ipload.c: load the programs ipbpf.c assembles and attach them to a
 * jail's cgroup with bpf(2).  Attachments are BPF_F_ALLOW_MULTI: a nested
 * jail's programs run first, then its parents', so a child can narrow its
 * parent's addresses but never widen them.  A hook's old program is
 * replaced atomically (BPF_F_REPLACE), for `jail -m ip4.addr=...`.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "error.h"
#include "ipbpf.h"
#include "util.h"

#define LOG_SIZE	65536

static const struct {
	const char		*name;
	enum bpf_prog_type	 type;
	enum bpf_attach_type	 attach;
} hooks[VJ_HK_COUNT] = {
	{ "create", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE },
	{ "bind4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_BIND },
	{ "connect4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT },
	{ "sendmsg4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_SENDMSG },
	{ "bind6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_BIND },
	{ "connect6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_CONNECT },
	{ "sendmsg6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_SENDMSG },
};

/* The bpf(2) system call. */
static int
sys_bpf(int cmd, union bpf_attr *attr)
{
	return (int)syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

/* The name of a hook. */
const char *
vj_ipbpf_hookname(enum vj_iphook hk)
{
	return hooks[hk].name;
}

/* Load instructions as a hook's program; log: verifier output or NULL. */
static int
load_insns(const struct bpf_insn *insn, size_t n, enum vj_iphook hk,
    const char *name, char *log, size_t loglen)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_type = hooks[hk].type;
	a.expected_attach_type = hooks[hk].attach;
	a.insns = (uint64_t)(uintptr_t)insn;
	a.insn_cnt = (uint32_t)n;
	a.license = (uint64_t)(uintptr_t)"Dual BSD/GPL";
	snprintf(a.prog_name, sizeof(a.prog_name), "%s", name);
	if (log != NULL) {
		a.log_level = 1;
		a.log_buf = (uint64_t)(uintptr_t)log;
		a.log_size = (uint32_t)loglen;
	}
	return sys_bpf(BPF_PROG_LOAD, &a);
}

/* The last non-empty line of a verifier log. */
static const char *
last_line(char *log)
{
	char *end = log + strlen(log), *nl;

	while (end > log && end[-1] == '\n')
		*--end = '\0';
	nl = strrchr(log, '\n');
	return nl != NULL ? nl + 1 : log;
}

/* Load a program; on failure the error carries the verifier's verdict. */
int
vj_ipbpf_load(const struct vj_bpf *p, enum vj_iphook hk, const char *name,
    struct vj_error *err)
{
	vj_autofree char *log = NULL;
	int fd = load_insns(p->insn, p->n, hk, name, NULL, 0), e;

	if (fd >= 0)
		return fd;
	e = errno;
	log = calloc(1, LOG_SIZE);
	if (log != NULL && e != EPERM &&
	    load_insns(p->insn, p->n, hk, name, log, LOG_SIZE) < 0 &&
	    *log != '\0')
		return vj_err_set(err, e, "load %s program: %s (verifier: %s)",
		    hooks[hk].name, strerror(e), last_line(log));
	errno = e;
	return vj_err_sys(err, "load %s program", hooks[hk].name);
}

/* The program attached to the cgroup itself on a hook, or -1 if none. */
static int
attached(int cgfd, enum vj_iphook hk)
{
	union bpf_attr a;
	uint32_t ids[8];

	memset(&a, 0, sizeof(a));
	a.query.target_fd = (uint32_t)cgfd;
	a.query.attach_type = hooks[hk].attach;
	a.query.prog_ids = (uint64_t)(uintptr_t)ids;
	a.query.prog_cnt = VJ_ARRAY_LEN(ids);
	if (sys_bpf(BPF_PROG_QUERY, &a) < 0 || a.query.prog_cnt == 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.prog_id = ids[0];
	return sys_bpf(BPF_PROG_GET_FD_BY_ID, &a);
}

/* Attach fd to the cgroup, replacing old (or detach old if fd < 0). */
static int
attach(int cgfd, int fd, int old, enum vj_iphook hk, struct vj_error *err)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.target_fd = (uint32_t)cgfd;
	a.attach_type = hooks[hk].attach;
	if (fd < 0) {
		a.attach_bpf_fd = (uint32_t)old;
		if (sys_bpf(BPF_PROG_DETACH, &a) < 0 && errno != ENOENT)
			return vj_err_sys(err, "detach %s", hooks[hk].name);
		return 0;
	}
	a.attach_bpf_fd = (uint32_t)fd;
	a.attach_flags = BPF_F_ALLOW_MULTI;
	if (old >= 0) {
		a.attach_flags |= BPF_F_REPLACE;
		a.replace_bpf_fd = (uint32_t)old;
	}
	if (sys_bpf(BPF_PROG_ATTACH, &a) < 0)
		return vj_err_sys(err, "attach %s", hooks[hk].name);
	return 0;
}

/* Build, load and attach a hook's program (or remove an unneeded one). */
int
vj_ipbpf_install(int cgfd, const struct vj_ipset *set, enum vj_iphook hk,
    int jid, struct vj_error *err)
{
	vj_autoclose int old = attached(cgfd, hk);
	vj_autoclose int fd = -1;
	struct vj_bpf p;
	char name[BPF_OBJ_NAME_LEN];

	if (!vj_ipbpf_needed(set, hk))
		return old < 0 ? 0 : attach(cgfd, -1, old, hk, err);
	if (vj_ipbpf_build(set, hk, &p) < 0)
		return vj_err_sys(err, "assemble %s program", hooks[hk].name);
	snprintf(name, sizeof(name), "vj%d_%s", jid, hooks[hk].name);
	fd = vj_ipbpf_load(&p, hk, name, err);
	vj_bpf_free(&p);
	if (fd < 0)
		return -1;
	return attach(cgfd, fd, old, hk, err);
}

/* Load "return 1" (or set_retval(0) first) as a hook's program. */
static int
probe_one(enum vj_iphook hk, bool retval)
{
	const struct bpf_insn ret1[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 1 },
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_set_retval },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .imm = 1 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd = load_insns(retval ? ret1 : ret1 + 2, retval ? 4 : 2, hk,
	    "vj_probe", NULL, 0);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

/* Check the hooks once: 1 with set_retval, 2 without, -errno if none. */
int
vj_ipbpf_probe(bool *retval, struct vj_error *err)
{
	static int known;
	int k = __atomic_load_n(&known, __ATOMIC_RELAXED);

	if (k == 0) {
		if (probe_one(VJ_HK_CREATE, false) < 0 ||
		    probe_one(VJ_HK_BIND4, false) < 0)
			k = -errno;
		else
			k = probe_one(VJ_HK_BIND4, true) == 0 ? 1 : 2;
		__atomic_store_n(&known, k, __ATOMIC_RELAXED);
	}
	if (k < 0)
		return vj_err_set(err, -k, "cgroup socket hooks: bpf: %s%s",
		    strerror(-k), -k == EPERM ?
		    " (needs CAP_BPF and CAP_NET_ADMIN)" : "");
	*retval = k == 1;
	return 0;
}
