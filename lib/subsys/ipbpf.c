/*
 * ipbpf.c: the socket-hook programs of IP-restricted jails, assembled by
 * hand (struct bpf_insn arrays with the jail's addresses as immediates),
 * as ipbpf.h describes.  Register use: r6 the context; IPv6 addresses in
 * r2-r5 (one 32-bit word each, network order), IPv4 in r2 (or r5 for a
 * v4-mapped one); r0 and r1 scratch.  Sockaddrs for bpf_bind() are built
 * at the top of the stack (r10-16 for IPv4, r10-32 for IPv6).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ipbpf.h"

#define R0	BPF_REG_0
#define R1	BPF_REG_1
#define R2	BPF_REG_2
#define R3	BPF_REG_3
#define R4	BPF_REG_4
#define R5	BPF_REG_5
#define R6	BPF_REG_6
#define R10	BPF_REG_10

#define INSN(c, d, s, o, i) ((struct bpf_insn){ .code = (c), \
	.dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })

#define SA_IP4		offsetof(struct bpf_sock_addr, user_ip4)
#define SA_IP6		offsetof(struct bpf_sock_addr, user_ip6)
#define SA_SRC4		offsetof(struct bpf_sock_addr, msg_src_ip4)
#define SA_SRC6		offsetof(struct bpf_sock_addr, msg_src_ip6)
#define SA_SK		offsetof(struct bpf_sock_addr, sk)
#define SK_FAMILY	offsetof(struct bpf_sock, family)
#define SK_TYPE		offsetof(struct bpf_sock, type)
#define SK_PROTO	offsetof(struct bpf_sock, protocol)
#define SK_SRC4		offsetof(struct bpf_sock, src_ip4)
#define SK_SRC6		offsetof(struct bpf_sock, src_ip6)

#define LOOP4		0x7f000001U	/* 127.0.0.1, host order */
#define V4MAPPED	0x0000ffffU	/* word 2 of ::ffff:a.b.c.d */

/* Where an address is written: the context or the stack. */
struct dest {
	int	base;	/* R6 or R10 */
	int	off;
};

static const uint32_t loop6[4] = { 0, 0, 0, 0x01000000 };	/* ::1 (BE) */
static const int dst6[4] = { R2, R3, R4, R5 };

/* Append one instruction. */
static void
emit(struct vj_bpf *p, struct bpf_insn in)
{
	struct bpf_insn *n;
	size_t cap;

	if (p->n == p->cap) {
		cap = p->cap ? p->cap * 2 : 64;
		n = realloc(p->insn, cap * sizeof(*n));
		if (n == NULL) {
			p->oom = true;
			return;
		}
		p->insn = n;
		p->cap = cap;
	}
	p->insn[p->n++] = in;
}

/* A new, not yet placed label. */
static int
label(struct vj_bpf *p)
{
	int *n = realloc(p->label, (size_t)(p->nlabel + 1) * sizeof(*n));

	if (n == NULL) {
		p->oom = true;
		return 0;
	}
	p->label = n;
	p->label[p->nlabel] = -1;
	return p->nlabel++;
}

/* Place a label at the next instruction. */
static void
place(struct vj_bpf *p, int l)
{
	if (!p->oom)
		p->label[l] = (int)p->n;
}

/* A conditional or plain jump to a label (resolved by finish()). */
static void
jump(struct vj_bpf *p, uint8_t code, int reg, uint32_t imm, int l)
{
	int *n = realloc(p->fix, (p->nfix + 1) * sizeof(*n));

	if (n == NULL) {
		p->oom = true;
		return;
	}
	p->fix = n;
	p->fix[p->nfix++] = (int)p->n;
	emit(p, INSN(code, reg, 0, (int16_t)l, (int32_t)imm));
}

/* Resolve every jump; -1 if a label was never placed. */
static int
finish(struct vj_bpf *p)
{
	size_t i;
	int at, to;

	for (i = 0; i < p->nfix && !p->oom; i++) {
		at = p->fix[i];
		to = p->label[p->insn[at].off];
		if (to < 0)
			return -1;
		p->insn[at].off = (int16_t)(to - at - 1);
	}
	return p->oom ? -1 : 0;
}

/* Free an assembled program. */
void
vj_bpf_free(struct vj_bpf *p)
{
	free(p->insn);
	free(p->label);
	free(p->fix);
	memset(p, 0, sizeof(*p));
}

/* Instruction helpers: 64-bit moves, 32-bit moves and masks, memory. */
static void
mov(struct vj_bpf *p, int d, int s)
{
	emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0));
}

/* d = imm (64-bit, sign-extended). */
static void
movi(struct vj_bpf *p, int d, int32_t imm)
{
	emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, imm));
}

/* w(d) = imm, zero-extended. */
static void
mov32i(struct vj_bpf *p, int d, uint32_t imm)
{
	emit(p, INSN(BPF_ALU | BPF_MOV | BPF_K, d, 0, 0, (int32_t)imm));
}

/* w(d) = w(s) & mask. */
static void
and32(struct vj_bpf *p, int d, int s, uint32_t mask)
{
	emit(p, INSN(BPF_ALU | BPF_MOV | BPF_X, d, s, 0, 0));
	emit(p, INSN(BPF_ALU | BPF_AND | BPF_K, d, 0, 0, (int32_t)mask));
}

/* d = *(size *)(s + off). */
static void
ldx(struct vj_bpf *p, int size, int d, int s, int off)
{
	emit(p, INSN(BPF_LDX | size | BPF_MEM, d, s, (int16_t)off, 0));
}

/* *(size *)(d + off) = s. */
static void
stx(struct vj_bpf *p, int size, int d, int s, int off)
{
	emit(p, INSN(BPF_STX | size | BPF_MEM, d, s, (int16_t)off, 0));
}

/* Call a helper. */
static void
call(struct vj_bpf *p, int fn)
{
	emit(p, INSN(BPF_JMP | BPF_CALL, 0, 0, 0, fn));
}

/* Return 1: let the call go on. */
static void
allow(struct vj_bpf *p)
{
	movi(p, R0, 1);
	emit(p, INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
}

/* Refuse the call with an errno (EPERM without bpf_set_retval). */
static void
refuse(struct vj_bpf *p, const struct vj_ipset *s, int e)
{
	if (s->retval) {
		movi(p, R1, -e);
		call(p, BPF_FUNC_set_retval);
	}
	movi(p, R0, 0);
	emit(p, INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
}

/* if w(reg) == imm goto l / if w(reg) != imm goto l (32-bit compares). */
static void
jeq(struct vj_bpf *p, int reg, uint32_t imm, int l)
{
	jump(p, BPF_JMP32 | BPF_JEQ | BPF_K, reg, imm, l);
}

/* if w(reg) != imm goto l. */
static void
jne(struct vj_bpf *p, int reg, uint32_t imm, int l)
{
	jump(p, BPF_JMP32 | BPF_JNE | BPF_K, reg, imm, l);
}

/* goto l. */
static void
ja(struct vj_bpf *p, int l)
{
	jump(p, BPF_JMP | BPF_JA, 0, 0, l);
}

/* Write nw words of an address to a destination (through r0). */
static void
put(struct vj_bpf *p, struct dest d, const uint32_t *w, int nw)
{
	int k;

	for (k = 0; k < nw; k++) {
		mov32i(p, R0, w[k]);
		stx(p, BPF_W, d.base, R0, d.off + 4 * k);
	}
}

/* Is this address one of the family's? */
static bool
has(const struct vj_ipset *s, int f, const uint32_t *w)
{
	size_t i;

	for (i = 0; i < s->n[f]; i++)
		if (memcmp(s->addr[f][i].w, w, f ? 16 : 4) == 0)
			return true;
	return false;
}

/* Indices of a family's addresses, longest prefix first (stable). */
static size_t
by_prefix(const struct vj_ipset *s, int f, size_t *idx)
{
	size_t i, j, n = 0, t;

	for (i = 0; i < s->n[f]; i++)
		if (s->addr[f][i].prefix > 0)
			idx[n++] = i;
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && s->addr[f][idx[j]].prefix >
		    s->addr[f][idx[j - 1]].prefix; j--) {
			t = idx[j];
			idx[j] = idx[j - 1];
			idx[j - 1] = t;
		}
	return n;
}

/* The network-order mask of word k of a prefix. */
static uint32_t
mask_word(int prefix, int k)
{
	int bits = prefix - 32 * k;

	if (bits <= 0)
		return 0;
	return bits >= 32 ? 0xffffffffU : htonl(0xffffffffU << (32 - bits));
}

/* Jump to l unless the words in regs lie in addr's subnet. */
static void
unless_in_subnet(struct vj_bpf *p, const int *regs, int nw,
    const struct vj_ipaddr *a, int l)
{
	uint32_t m;
	int k;

	for (k = 0; k < nw; k++) {
		m = mask_word(a->prefix, k);
		if (m == 0)
			break;
		if (m == 0xffffffffU) {
			jne(p, regs[k], a->w[k], l);
			continue;
		}
		and32(p, R0, regs[k], m);
		jne(p, R0, a->w[k] & m, l);
	}
}

/* Source selection for the destination in regs: write the chosen address
 * of family f to d. */
static void
choose(struct vj_bpf *p, const struct vj_ipset *s, int f, const int *regs,
    struct dest d)
{
	size_t idx[VJ_IP_MAX], n = 0, i;
	int nw = f ? 4 : 1, done = label(p), next;

	if (s->saddrsel[f])
		n = by_prefix(s, f, idx);
	for (i = 0; i < n; i++) {
		next = label(p);
		unless_in_subnet(p, regs, nw, &s->addr[f][idx[i]], next);
		put(p, d, s->addr[f][idx[i]].w, nw);
		ja(p, done);
		place(p, next);
	}
	put(p, d, s->addr[f][0].w, nw);
	place(p, done);
}

/* Jump to l if the words in regs are one of family f's addresses. */
static void
if_member(struct vj_bpf *p, const struct vj_ipset *s, int f, const int *regs,
    int l)
{
	size_t i;
	int k, next;

	for (i = 0; i < s->n[f]; i++) {
		if (f == 0) {
			jeq(p, regs[0], s->addr[0][i].w[0], l);
			continue;
		}
		next = label(p);
		for (k = 0; k < 3; k++)
			jne(p, regs[k], s->addr[1][i].w[k], next);
		jeq(p, regs[3], s->addr[1][i].w[3], l);
		place(p, next);
	}
}

/* Jump to l if the words in regs are family f's loopback address and that
 * is not one of the jail's (FreeBSD then means the first address); false
 * if it is the jail's (no code). */
static bool
if_loopback(struct vj_bpf *p, const struct vj_ipset *s, int f,
    const int *regs, int l)
{
	uint32_t lo4 = htonl(LOOP4);
	const uint32_t *lo = f ? loop6 : &lo4;
	int k, no;

	if (has(s, f, lo))
		return false;
	no = label(p);
	for (k = 0; k < (f ? 3 : 0); k++)
		jne(p, regs[k], lo[k], no);
	jeq(p, regs[f ? 3 : 0], lo[f ? 3 : 0], l);
	place(p, no);
	return true;
}

/* Map a loopback destination (in regs, at ctx+off) to the first address. */
static void
map_loopback(struct vj_bpf *p, const struct vj_ipset *s, int f,
    const int *regs, int off)
{
	int nw = f ? 4 : 1, yes = label(p), no = label(p), k;

	if (!if_loopback(p, s, f, regs, yes))
		return;
	ja(p, no);
	place(p, yes);
	put(p, (struct dest){ R6, off }, s->addr[f][0].w, nw);
	for (k = 0; k < nw; k++)
		mov32i(p, regs[k], s->addr[f][0].w[k]);
	place(p, no);
}

/* Jump to l if all words in regs are zero (the wildcard address). */
static void
if_zero(struct vj_bpf *p, const int *regs, int nw, int l)
{
	int k, no = label(p);

	for (k = 0; k < nw - 1; k++)
		jne(p, regs[k], 0, no);
	jeq(p, regs[nw - 1], 0, l);
	place(p, no);
}

/* A family that is not "new" is settled at once: inherit lets the call
 * go on, disable refuses it (EAFNOSUPPORT, as FreeBSD's prison_*_ip4). */
static bool
settled(struct vj_bpf *p, const struct vj_ipset *s, int f)
{
	if (s->mode[f] == VJ_IP_NEW)
		return false;
	if (s->mode[f] == VJ_IP_INHERIT)
		allow(p);
	else
		refuse(p, s, EAFNOSUPPORT);
	return true;
}

/* bind: the wildcard or loopback becomes the first address; an address
 * that is not the jail's is refused.  The address is in regs, at ctx+off. */
static void
body_bind(struct vj_bpf *p, const struct vj_ipset *s, int f, const int *regs,
    int off)
{
	int nw = f ? 4 : 1, first = label(p), ok = label(p);

	if (settled(p, s, f))
		return;
	if_zero(p, regs, nw, first);
	if_member(p, s, f, regs, ok);
	if_loopback(p, s, f, regs, first);
	refuse(p, s, EADDRNOTAVAIL);
	place(p, first);
	put(p, (struct dest){ R6, off }, s->addr[f][0].w, nw);
	place(p, ok);
	allow(p);
}

/* Jump to l if the socket is already bound to an address. */
static void
if_bound(struct vj_bpf *p, bool v6, int l)
{
	int k;

	ldx(p, BPF_DW, R1, R6, SA_SK);
	for (k = 0; k < (v6 ? 4 : 1); k++) {
		ldx(p, BPF_W, R0, R1, (v6 ? SK_SRC6 : SK_SRC4) + 4 * k);
		jne(p, R0, 0, l);
	}
}

/* Zero a sockaddr of len bytes at r10+at and set its family. */
static void
sockaddr(struct vj_bpf *p, int at, int len, int family)
{
	int off;

	movi(p, R0, 0);
	for (off = at; off < at + len; off += 8)
		stx(p, BPF_DW, R10, R0, off);
	mov32i(p, R0, (uint32_t)family);
	stx(p, BPF_H, R10, R0, at);
}

/* bpf_bind(ctx, r10+at, len); its error fails the call. */
static void
bind_call(struct vj_bpf *p, const struct vj_ipset *s, int at, int len)
{
	int bound = label(p);

	mov(p, R1, R6);
	mov(p, R2, R10);
	emit(p, INSN(BPF_ALU64 | BPF_ADD | BPF_K, R2, 0, 0, at));
	movi(p, R3, len);
	call(p, BPF_FUNC_bind);
	jump(p, BPF_JMP | BPF_JEQ | BPF_K, R0, 0, bound);
	if (s->retval) {
		mov(p, R1, R0);
		call(p, BPF_FUNC_set_retval);
	}
	movi(p, R0, 0);
	emit(p, INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
	place(p, bound);
}

/* connect: map loopback; bind an unbound socket to the chosen source.
 * mapped: an IPv4 destination given to an IPv6 socket (in r5). */
static void
body_connect(struct vj_bpf *p, const struct vj_ipset *s, int f,
    const int *regs, int off, bool mapped)
{
	uint32_t v4m[3] = { 0, 0, htonl(V4MAPPED) };
	bool v6sock = f == 1 || mapped;
	int ok = label(p), at = v6sock ? -32 : -16;

	if (settled(p, s, f))
		return;
	map_loopback(p, s, f, regs, off);
	if_bound(p, v6sock, ok);
	sockaddr(p, at, v6sock ? 32 : 16, v6sock ? AF_INET6 : AF_INET);
	if (mapped)
		put(p, (struct dest){ R10, -24 }, v4m, 3);
	choose(p, s, f, regs, (struct dest){ R10, f ? -24 : -12 });
	bind_call(p, s, at, v6sock ? (int)sizeof(struct sockaddr_in6) :
	    (int)sizeof(struct sockaddr_in));
	place(p, ok);
	allow(p);
}

/* sendmsg (unconnected UDP): map loopback; a given source must be the
 * jail's (loopback meaning the first), a missing one is chosen.  src: the
 * source's offset in ctx. */
static void
body_sendmsg(struct vj_bpf *p, const struct vj_ipset *s, int f,
    const int *regs, int off, int src)
{
	static const int sregs4[1] = { R0 };
	static const int sregs6[4] = { BPF_REG_7, BPF_REG_8, BPF_REG_9, R1 };
	const int *sr = f ? sregs6 : sregs4;
	int nw = f ? 4 : 1, ok = label(p), pick = label(p), first = label(p);
	int k;
	bool lo;

	if (settled(p, s, f))
		return;
	map_loopback(p, s, f, regs, off);
	for (k = 0; k < nw; k++)
		ldx(p, BPF_W, sr[k], R6, src + 4 * k);
	if_zero(p, sr, nw, pick);
	if_member(p, s, f, sr, ok);
	lo = if_loopback(p, s, f, sr, first);
	refuse(p, s, EADDRNOTAVAIL);
	if (lo) {
		place(p, first);
		put(p, (struct dest){ R6, src }, s->addr[f][0].w, nw);
		ja(p, ok);
	}
	place(p, pick);
	choose(p, s, f, regs, (struct dest){ R6, src });
	place(p, ok);
	allow(p);
}

/* Load the IPv6 address at ctx+off into r2-r5 and split off v4-mapped
 * addresses: they jump to l with the IPv4 address in r5. */
static void
load6(struct vj_bpf *p, int off, int mapped)
{
	int k, native = label(p);

	for (k = 0; k < 4; k++)
		ldx(p, BPF_W, dst6[k], R6, off + 4 * k);
	jne(p, R2, 0, native);
	jne(p, R3, 0, native);
	jeq(p, R4, htonl(V4MAPPED), mapped);
	place(p, native);
}

/* sock_create: refuse disabled families and unwatched protocols. */
static void
prog_create(struct vj_bpf *p, const struct vj_ipset *s)
{
	static const int fam[2] = { AF_INET, AF_INET6 };
	int f, next, bad;

	ldx(p, BPF_W, R2, R6, SK_FAMILY);
	ldx(p, BPF_W, R3, R6, SK_TYPE);
	ldx(p, BPF_W, R4, R6, SK_PROTO);
	for (f = 0; f < 2; f++) {
		if (s->mode[f] == VJ_IP_INHERIT)
			continue;
		next = label(p);
		jne(p, R2, (uint32_t)fam[f], next);
		if (s->mode[f] == VJ_IP_DISABLE) {
			refuse(p, s, EPROTONOSUPPORT);
		} else {
			bad = label(p);
			jeq(p, R3, SOCK_RAW, bad);
			/* Not UDP-Lite: its connect() skips the hook. */
			jeq(p, R4, IPPROTO_TCP, next);
			jeq(p, R4, IPPROTO_UDP, next);
			place(p, bad);
			refuse(p, s, EPERM);
		}
		place(p, next);
	}
	allow(p);
}

/* An IPv4 hook: the address is in user_ip4. */
static void
prog_v4(struct vj_bpf *p, const struct vj_ipset *s, enum vj_iphook hk)
{
	static const int r2[1] = { R2 };

	ldx(p, BPF_W, R2, R6, SA_IP4);
	if (hk == VJ_HK_BIND4)
		body_bind(p, s, 0, r2, SA_IP4);
	else if (hk == VJ_HK_CONNECT4)
		body_connect(p, s, 0, r2, SA_IP4, false);
	else
		body_sendmsg(p, s, 0, r2, SA_IP4, SA_SRC4);
}

/* An IPv6 hook: v4-mapped addresses follow the IPv4 rules. */
static void
prog_v6(struct vj_bpf *p, const struct vj_ipset *s, enum vj_iphook hk)
{
	static const int r5[1] = { R5 };
	int mapped = label(p);

	load6(p, SA_IP6, mapped);
	if (hk == VJ_HK_BIND6)
		body_bind(p, s, 1, dst6, SA_IP6);
	else if (hk == VJ_HK_CONNECT6)
		body_connect(p, s, 1, dst6, SA_IP6, false);
	else
		body_sendmsg(p, s, 1, dst6, SA_IP6, SA_SRC6);
	place(p, mapped);
	if (hk == VJ_HK_BIND6)
		body_bind(p, s, 0, r5, SA_IP6 + 12);
	else if (hk == VJ_HK_CONNECT6)
		body_connect(p, s, 0, r5, SA_IP6 + 12, true);
	else if (s->mode[0] == VJ_IP_DISABLE)
		refuse(p, s, EAFNOSUPPORT);
	else
		allow(p);	/* the kernel runs sendmsg4 for these */
}

/* Does the set need a program on this hook? */
bool
vj_ipbpf_needed(const struct vj_ipset *s, enum vj_iphook hk)
{
	switch (hk) {
	case VJ_HK_CREATE:
		return s->mode[0] != VJ_IP_INHERIT ||
		    s->mode[1] != VJ_IP_INHERIT;
	case VJ_HK_BIND4:
	case VJ_HK_CONNECT4:
	case VJ_HK_SENDMSG4:
		return s->mode[0] != VJ_IP_INHERIT;
	default:
		return s->mode[1] == VJ_IP_NEW || (s->mode[1] ==
		    VJ_IP_INHERIT && s->mode[0] != VJ_IP_INHERIT);
	}
}

/* Assemble the program of a hook. */
int
vj_ipbpf_build(const struct vj_ipset *s, enum vj_iphook hk,
    struct vj_bpf *out)
{
	memset(out, 0, sizeof(*out));
	mov(out, R6, R1);
	if (hk == VJ_HK_CREATE)
		prog_create(out, s);
	else if (hk <= VJ_HK_SENDMSG4)
		prog_v4(out, s, hk);
	else
		prog_v6(out, s, hk);
	if (finish(out) < 0) {
		vj_bpf_free(out);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}
