/*
 * test_ipbpf.c: IP-restricted jails without root: ip4.addr/ip6.addr entry
 * parsing, and the socket-hook programs' shape (instruction counts, the
 * addresses they carry, every instruction reachable, jumps in range).  As
 * root it also has the kernel's verifier load every program of a matrix
 * of address sets.  TAP output.
 *   test_ipbpf --count-progs PREFIX   prints how many loaded BPF programs
 *                                     have a name starting with PREFIX
 *                                     (root; for tests/integration/ipjail.sh)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "error.h"
#include "ipbpf.h"
#include "tap.h"
#include "util.h"

static struct vj_ipset set;
static struct vj_error err;

/* An empty set: both families inherited, saddrsel on, set_retval there. */
static void
reset(void)
{
	memset(&set, 0, sizeof(set));
	set.saddrsel[0] = set.saddrsel[1] = true;
	set.retval = true;
}

/* Add an address to a family and make the family "new". */
static void
add(int f, const char *a, int prefix)
{
	struct vj_ipaddr *x = &set.addr[f][set.n[f]++];

	inet_pton(f ? AF_INET6 : AF_INET, a, x->w);
	x->prefix = prefix;
	set.mode[f] = VJ_IP_NEW;
}

/* Is this a jump (conditional or not)?  Calls and exits are not. */
static bool
is_jump(const struct bpf_insn *in, bool *cond)
{
	int cls = BPF_CLASS(in->code), op = BPF_OP(in->code);

	if ((cls != BPF_JMP && cls != BPF_JMP32) || op == BPF_CALL ||
	    op == BPF_EXIT)
		return false;
	*cond = op != BPF_JA;
	return true;
}

/* Every instruction reachable from the first, every jump in range, no
 * falling off the end: what the verifier refuses first. */
static bool
well_formed(const struct vj_bpf *p)
{
	char *seen = calloc(p->n + 1, 1);
	size_t *todo = calloc(2 * p->n + 2, sizeof(*todo)), nt = 0, i;
	long to;
	bool cond, okay = seen && todo;

	if (okay)
		todo[nt++] = 0;
	while (okay && nt > 0) {
		i = todo[--nt];
		if (i >= p->n) {
			okay = false;
			break;
		}
		if (seen[i]++)
			continue;
		if (p->insn[i].code == (BPF_JMP | BPF_EXIT))
			continue;
		if (is_jump(&p->insn[i], &cond)) {
			to = (long)i + 1 + p->insn[i].off;
			if (to < 0 || (size_t)to >= p->n)
				okay = false;
			else
				todo[nt++] = (size_t)to;
			if (!cond)
				continue;
		}
		todo[nt++] = i + 1;
	}
	for (i = 0; okay && i < p->n; i++)
		okay = seen[i];
	free(seen);
	free(todo);
	return okay;
}

/* How many instructions have this opcode (and imm, unless any). */
static int
count(const struct vj_bpf *p, uint8_t code, bool any, int32_t imm)
{
	size_t i;
	int n = 0;

	for (i = 0; i < p->n; i++)
		if (p->insn[i].code == code && (any || p->insn[i].imm == imm))
			n++;
	return n;
}

/* Build a hook's program for the current set, or fail the test. */
static bool
build(enum vj_iphook hk, struct vj_bpf *p)
{
	if (vj_ipbpf_build(&set, hk, p) == 0)
		return true;
	memset(p, 0, sizeof(*p));
	return false;
}

/* The number of instructions of a hook's program for the current set. */
static size_t
size_of(enum vj_iphook hk)
{
	struct vj_bpf p;
	size_t n;

	if (!build(hk, &p))
		return 0;
	n = p.n;
	vj_bpf_free(&p);
	return n;
}

/* An entry parses, with these parts. */
static void
parses(const char *s, int family, const char *ifname, int prefix,
    const char *cidr)
{
	struct vj_ipspec sp;
	char buf[64] = "";
	int rc = vj_ipspec_parse(s, family, &sp, &err);

	if (rc == 0)
		vj_ipspec_cidr(&sp, buf, sizeof(buf));
	ok(rc == 0 && strcmp(sp.ifname, ifname) == 0 && sp.prefix == prefix &&
	    strcmp(buf, cidr) == 0, "parse \"%s\" -> [%s] %s (/%d)", s, ifname,
	    cidr, prefix);
	if (rc < 0)
		printf("# %s\n", err.ve_msg);
}

/* An entry is refused with this message. */
static void
refused(const char *s, int family, const char *msg)
{
	struct vj_ipspec sp;

	vj_err_clear(&err);
	ok(vj_ipspec_parse(s, family, &sp, &err) < 0 && err.ve_errno ==
	    EINVAL, "refuse \"%s\"", s);
	is(err.ve_msg, msg, "message for \"%s\"", s);
}

/* Entry syntax: [iface|]addr[/mask]. */
static void
test_parse(void)
{
	parses("10.0.0.1", AF_INET, "", -1, "10.0.0.1/32");
	parses("lo|10.0.0.1/24", AF_INET, "lo", 24, "10.0.0.1/24");
	parses("em0|192.0.2.7/255.255.255.0", AF_INET, "em0", 24,
	    "192.0.2.7/24");
	parses("10.0.0.1/0.0.0.0", AF_INET, "", 0, "10.0.0.1/0");
	parses("10.0.0.1 ", AF_INET, "", -1, "10.0.0.1/32");
	parses("fd00::1", AF_INET6, "", -1, "fd00::1/128");
	parses("eth0|fd00:1::5/64", AF_INET6, "eth0", 64, "fd00:1::5/64");
	refused("10.0.0.300", AF_INET, "10.0.0.300: invalid address");
	refused("lo|10.0.0.1/33", AF_INET, "10.0.0.1/33: invalid netmask");
	refused("10.0.0.1/255.0.255.0", AF_INET,
	    "10.0.0.1/255.0.255.0: invalid netmask");
	refused("10.0.0.1/", AF_INET, "10.0.0.1/: invalid netmask");
	refused("|10.0.0.1", AF_INET, ": invalid interface name");
	refused("averyveryverylongname|10.0.0.1", AF_INET,
	    "averyveryverylongname: invalid interface name");
	refused("lo|1.2.3.4/24 vhid 1", AF_INET,
	    "1.2.3.4/24: ifconfig parameters (\"vhid 1\") are not supported");
	refused("0.0.0.0", AF_INET, "0.0.0.0: not a usable address");
	refused("255.255.255.255", AF_INET,
	    "255.255.255.255: not a usable address");
	refused("::", AF_INET6, "::: not a usable address");
	refused("fd00::1", AF_INET, "fd00::1: invalid address");
	refused("10.0.0.1", AF_INET6, "10.0.0.1: invalid address");
	refused("fd00::1/129", AF_INET6, "fd00::1/129: invalid netmask");
}

/* Which hooks a set needs. */
static void
test_needed(void)
{
	reset();
	ok(!vj_ipbpf_needed(&set, VJ_HK_CREATE) &&
	    !vj_ipbpf_needed(&set, VJ_HK_BIND4) &&
	    !vj_ipbpf_needed(&set, VJ_HK_BIND6), "inherit/inherit: no hook");
	add(0, "10.0.0.1", 32);
	set.mode[1] = VJ_IP_DISABLE;
	ok(vj_ipbpf_needed(&set, VJ_HK_CREATE) &&
	    vj_ipbpf_needed(&set, VJ_HK_CONNECT4) &&
	    !vj_ipbpf_needed(&set, VJ_HK_CONNECT6),
	    "new/disable: create and v4 hooks, no v6 (no v6 socket exists)");
	set.mode[1] = VJ_IP_INHERIT;
	ok(vj_ipbpf_needed(&set, VJ_HK_BIND6),
	    "new/inherit: v6 hooks for v4-mapped addresses");
	reset();
	add(1, "fd00::1", 128);
	ok(!vj_ipbpf_needed(&set, VJ_HK_SENDMSG4) &&
	    vj_ipbpf_needed(&set, VJ_HK_SENDMSG6), "inherit/new: v6 hooks only");
}

/* bind4: exact size, one compare per address, loopback, errno. */
static void
test_bind4(void)
{
	struct vj_bpf p;

	reset();
	add(0, "10.0.0.1", 32);
	ok(build(VJ_HK_BIND4, &p) && p.n == 13, "bind4, 1 address: 13 insns "
	    "(got %zu)", p.n);
	ok(well_formed(&p), "bind4: all reachable, jumps in range");
	ok(count(&p, BPF_JMP32 | BPF_JEQ | BPF_K, false,
	    (int32_t)htonl(0x0a000001)) == 1, "bind4 compares 10.0.0.1 once");
	ok(count(&p, BPF_JMP32 | BPF_JEQ | BPF_K, false,
	    (int32_t)htonl(0x7f000001)) == 1, "bind4 maps 127.0.0.1");
	ok(count(&p, BPF_ALU64 | BPF_MOV | BPF_K, false, -EADDRNOTAVAIL) == 1 &&
	    count(&p, BPF_JMP | BPF_CALL, false, BPF_FUNC_set_retval) == 1,
	    "bind4 refuses with EADDRNOTAVAIL");
	vj_bpf_free(&p);
	add(0, "10.0.0.2", 32);
	add(0, "127.0.0.1", 8);
	ok(size_of(VJ_HK_BIND4) == 14, "bind4, 3 addresses with 127.0.0.1: 14 "
	    "(one compare each, no loopback mapping)");
	set.retval = false;
	ok(size_of(VJ_HK_BIND4) == 12, "bind4 without set_retval: EPERM, 12");
	set.retval = true;
	set.mode[0] = VJ_IP_DISABLE;
	set.n[0] = 0;
	ok(size_of(VJ_HK_BIND4) == 6, "bind4, ip4 disabled: refuse only, 6");
}

/* connect4: loopback, bound check, source selection, bpf_bind. */
static void
test_connect4(void)
{
	struct vj_bpf p;

	reset();
	add(0, "10.0.0.1", 32);
	ok(build(VJ_HK_CONNECT4, &p) && p.n == 33, "connect4, 1 address: 33 "
	    "(got %zu)", p.n);
	ok(well_formed(&p), "connect4: all reachable, jumps in range");
	ok(count(&p, BPF_JMP | BPF_CALL, false, BPF_FUNC_bind) == 1,
	    "connect4 binds an unbound socket");
	vj_bpf_free(&p);
	add(0, "192.168.7.9", 24);
	ok(build(VJ_HK_CONNECT4, &p) && count(&p, BPF_ALU | BPF_AND | BPF_K,
	    false, (int32_t)htonl(0xffffff00)) == 1, "connect4 masks for the "
	    "/24 subnet");
	ok(well_formed(&p), "connect4, 2 addresses: well formed");
	vj_bpf_free(&p);
	set.saddrsel[0] = false;
	ok(build(VJ_HK_CONNECT4, &p) && count(&p, BPF_ALU | BPF_AND | BPF_K,
	    true, 0) == 0 && p.n == 29, "connect4 without saddrsel: always "
	    "the first address, 29 (got %zu)", p.n);
	vj_bpf_free(&p);
}

/* The IPv6 hooks, v4-mapped addresses included. */
static void
test_v6(void)
{
	struct vj_bpf p;
	int hk;

	reset();
	add(0, "10.0.0.1", 32);
	add(1, "fd00::1", 64);
	add(1, "::1", 128);
	for (hk = VJ_HK_BIND6; hk <= VJ_HK_SENDMSG6; hk++) {
		ok(build(hk, &p) && well_formed(&p), "%s: well formed (%zu)",
		    vj_ipbpf_hookname(hk), p.n);
		vj_bpf_free(&p);
	}
	ok(build(VJ_HK_BIND6, &p) && count(&p, BPF_JMP32 | BPF_JEQ | BPF_K,
	    false, (int32_t)htonl(0xffff)) == 1, "bind6 splits v4-mapped");
	ok(count(&p, BPF_JMP32 | BPF_JEQ | BPF_K, false,
	    (int32_t)htonl(0x0a000001)) == 1, "bind6 checks the mapped v4");
	vj_bpf_free(&p);
	set.mode[0] = VJ_IP_INHERIT;
	set.n[0] = 0;
	ok(build(VJ_HK_CONNECT6, &p) && well_formed(&p) &&
	    count(&p, BPF_JMP | BPF_CALL, false, BPF_FUNC_bind) == 1,
	    "connect6, ip4 inherited: one bpf_bind (native v6 only)");
	vj_bpf_free(&p);
}

/* sock_create and sendmsg. */
static void
test_create_sendmsg(void)
{
	struct vj_bpf p;

	reset();
	set.mode[0] = VJ_IP_DISABLE;
	add(1, "fd00::1", 128);
	ok(build(VJ_HK_CREATE, &p) && well_formed(&p) &&
	    count(&p, BPF_ALU64 | BPF_MOV | BPF_K, false,
	    -EPROTONOSUPPORT) == 1 && count(&p, BPF_ALU64 | BPF_MOV | BPF_K,
	    false, -EPERM) == 1, "create: EPROTONOSUPPORT for IPv4, EPERM "
	    "for raw IPv6");
	vj_bpf_free(&p);
	reset();
	add(0, "10.0.0.1", 32);
	add(0, "10.0.0.2", 32);
	ok(build(VJ_HK_SENDMSG4, &p) && well_formed(&p), "sendmsg4: well "
	    "formed (%zu)", p.n);
	vj_bpf_free(&p);
}

/* The largest set: every program is still well formed. */
static void
test_big(void)
{
	struct vj_bpf p;
	char a[64];
	int i, hk;
	bool good = true;

	reset();
	for (i = 0; i < VJ_IP_MAX; i++) {
		snprintf(a, sizeof(a), "10.1.%d.%d", i / 250, 1 + i % 250);
		add(0, a, 16 + i % 17);
		snprintf(a, sizeof(a), "fd00:%x::1", i + 1);
		add(1, a, 48 + i % 81);
	}
	for (hk = 0; hk < VJ_HK_COUNT; hk++) {
		good = good && build(hk, &p) && well_formed(&p) &&
		    p.n < 1000000;
		vj_bpf_free(&p);
	}
	ok(good, "%d addresses per family: every program well formed",
	    VJ_IP_MAX);
}

/* As root: the verifier takes every program of a matrix of sets. */
static void
test_load(void)
{
	static const int modes[][2] = {
		{ VJ_IP_NEW, VJ_IP_DISABLE }, { VJ_IP_NEW, VJ_IP_INHERIT },
		{ VJ_IP_NEW, VJ_IP_NEW }, { VJ_IP_DISABLE, VJ_IP_NEW },
		{ VJ_IP_INHERIT, VJ_IP_NEW }, { VJ_IP_DISABLE, VJ_IP_INHERIT },
		{ VJ_IP_INHERIT, VJ_IP_DISABLE }, { VJ_IP_DISABLE, VJ_IP_DISABLE },
	};
	struct vj_bpf p;
	bool retval, good;
	size_t m;
	int hk, fd, v;

	if (geteuid() != 0 || vj_ipbpf_probe(&retval, &err) < 0) {
		printf("ok %d # SKIP verifier loads need root and the hooks\n",
		    ++tap_n);
		return;
	}
	for (m = 0; m < VJ_ARRAY_LEN(modes); m++)
		for (v = 0; v < 4; v++) {
			reset();
			set.retval = retval && !(v & 2);
			set.saddrsel[0] = set.saddrsel[1] = !(v & 1);
			if (modes[m][0] == VJ_IP_NEW) {
				add(0, v ? "127.0.0.1" : "10.0.0.1", 8);
				add(0, "192.0.2.1", -1 + 33 * (v & 1));
			}
			if (modes[m][1] == VJ_IP_NEW) {
				add(1, v ? "::1" : "fd00::1", 128);
				add(1, "fd00:2::1", 56);
			}
			set.mode[0] = modes[m][0];
			set.mode[1] = modes[m][1];
			for (good = true, hk = 0; hk < VJ_HK_COUNT; hk++) {
				if (!build(hk, &p))
					good = false;
				fd = good ? vj_ipbpf_load(&p, hk, "vj_test", &err) :
				    -1;
				vj_bpf_free(&p);
				if (fd < 0) {
					printf("# %s: %s\n",
					    vj_ipbpf_hookname(hk), err.ve_msg);
					good = false;
					break;
				}
				close(fd);
			}
			ok(good, "verifier loads modes %d/%d variant %d", modes[m][0],
			    modes[m][1], v);
		}
}

/* Count loaded programs whose name starts with prefix. */
static int
count_progs(const char *prefix)
{
	union bpf_attr a;
	struct bpf_prog_info info;
	uint32_t id = 0;
	int n = 0, fd;

	for (;;) {
		memset(&a, 0, sizeof(a));
		a.start_id = id;
		if (syscall(SYS_bpf, BPF_PROG_GET_NEXT_ID, &a, sizeof(a)) < 0)
			return errno == ENOENT ? n : -1;
		id = a.next_id;
		memset(&a, 0, sizeof(a));
		a.prog_id = id;
		fd = (int)syscall(SYS_bpf, BPF_PROG_GET_FD_BY_ID, &a, sizeof(a));
		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		memset(&a, 0, sizeof(a));
		a.info.bpf_fd = (uint32_t)fd;
		a.info.info_len = sizeof(info);
		a.info.info = (uint64_t)(uintptr_t)&info;
		if (syscall(SYS_bpf, BPF_OBJ_GET_INFO_BY_FD, &a, sizeof(a)) == 0 &&
		    strncmp(info.name, prefix, strlen(prefix)) == 0)
			n++;
		close(fd);
	}
}

/* Every case, or the program counter for ipjail.sh. */
int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--count-progs") == 0) {
		printf("%d\n", count_progs(argv[2]));
		return 0;
	}
	test_parse();
	test_needed();
	test_bind4();
	test_connect4();
	test_v6();
	test_create_sendmsg();
	test_big();
	test_load();
	return tap_done();
}
