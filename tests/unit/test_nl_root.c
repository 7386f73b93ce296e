/*
 * test_nl_root.c: the netlink verbs against the kernel, as root, only ever
 * inside network namespaces this test makes (a forked child unshares one,
 * "A", and makes a second, "B").  Host links are only read, to check that
 * none of ours ("vjtn*") leaked there.  TAP output; skips if not root.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "error.h"
#include "nl.h"
#include "tap.h"

static struct vj_error err;

/* ok(), and the last error when it fails. */
#define check(cond, ...) do {						\
	int c_ = (cond);						\
	ok(c_, __VA_ARGS__);						\
	if (!c_)							\
		printf("# last error: %s (errno %d)\n", err.ve_msg,	\
		    err.ve_errno);					\
} while (0)

/* Return 1 if rc is -1 with errnum and a message holding text. */
static int
failed_with(int rc, int errnum, const char *text)
{
	return rc == -1 && err.ve_errno == errnum && errno == errnum &&
	    strstr(err.ve_msg, text) != NULL;
}

/* Return the inode of the calling thread's network namespace. */
static ino_t
netns_ino(void)
{
	struct stat st;

	if (stat("/proc/thread-self/ns/net", &st) == -1)
		return 0;
	return st.st_ino;
}

/* Return ifname's flags, or 0. */
static unsigned
link_flags(struct vj_nl *nl, const char *ifname)
{
	struct vj_nl_link_info info;

	if (vj_nl_link_get(nl, ifname, &info, &err) == -1)
		return 0;
	return info.flags;
}

/* Return the ifindex of ifname's master, or -1. */
static int
link_master(struct vj_nl *nl, const char *ifname)
{
	struct vj_nl_link_info info;

	if (vj_nl_link_get(nl, ifname, &info, &err) == -1)
		return -1;
	return info.master;
}

/* Rename vjtna while up and back (kernels before 6.2 refuse: EBUSY). */
static int
renamed_while_up(struct vj_nl *nl)
{
	if (vj_nl_link_rename(nl, "vjtna", "vjtnz", &err) == -1)
		return failed_with(-1, EBUSY, "rename vjtna to vjtnz");
	return vj_nl_link_rename(nl, "vjtnz", "vjtna", &err) == 0 &&
	    vj_nl_ifindex(nl, "vjtna", &err) > 0;
}

/* A bridge, a veth pair in it, addresses, up. */
static void
test_links(struct vj_nl *nl)
{
	struct vj_nl_veth v = { .name = "vjtna", .peer = "vjtnb",
	    .peer_netns_fd = -1 };
	char kind[32];

	check(vj_nl_link_set_up(nl, "lo", 1, &err) == 0, "lo up");
	check(vj_nl_bridge_add(nl, "vjtnbr", &err) == 0, "bridge add");
	check(vj_nl_link_kind(nl, "vjtnbr", kind, sizeof(kind), &err) == 0 &&
	    strcmp(kind, "bridge") == 0, "bridge kind is bridge");
	check(failed_with(vj_nl_bridge_add(nl, "vjtnbr", &err), EEXIST,
	    "add bridge vjtnbr: File exists"), "bridge add twice: EEXIST");
	check(vj_nl_veth_add(nl, &v, &err) == 0, "veth add");
	check(vj_nl_link_kind(nl, "vjtnb", kind, sizeof(kind), &err) == 0 &&
	    strcmp(kind, "veth") == 0, "veth peer kind is veth");
	check(vj_nl_link_kind(nl, "lo", kind, sizeof(kind), &err) == 0 &&
	    kind[0] == '\0', "lo has no kind");
	check(vj_nl_link_set_addrgenmode_none(nl, "vjtna", &err) == 0 &&
	    vj_nl_link_set_addrgenmode_none(nl, "vjtnb", &err) == 0,
	    "addrgenmode none on both ends while down");
	check(vj_nl_link_set_master(nl, "vjtna", "vjtnbr", &err) == 0 &&
	    link_master(nl, "vjtna") == vj_nl_ifindex(nl, "vjtnbr", &err),
	    "set master");
	check(vj_nl_link_set_mtu(nl, "vjtnb", 1400, &err) == 0 &&
	    vj_nl_link_set_mac(nl, "vjtnb", "02:00:00:00:0e:01", &err) == 0,
	    "set mtu and mac");
	check(vj_nl_link_set_up(nl, "vjtna", 1, &err) == 0 &&
	    vj_nl_link_set_up(nl, "vjtnb", 1, &err) == 0 &&
	    vj_nl_link_set_up(nl, "vjtnbr", 1, &err) == 0 &&
	    (link_flags(nl, "vjtna") & IFF_UP), "set up");
	check(renamed_while_up(nl), "rename while up: done, or EBUSY");
}

/* Addresses and routes, and their "already gone" deletes. */
static void
test_addrs(struct vj_nl *nl)
{
	check(vj_nl_addr_add(nl, "vjtnbr", "10.9.0.1/24", 0, &err) == 0,
	    "addr add v4");
	check(failed_with(vj_nl_addr_add(nl, "vjtnbr", "10.9.0.1/24", 0, &err),
	    EEXIST, "add address 10.9.0.1/24 to vjtnbr: File exists"),
	    "addr add twice: EEXIST");
	check(vj_nl_addr_add(nl, "vjtnb", "fd00:9::2/64", 1, &err) == 0 &&
	    vj_nl_addr_add(nl, "vjtnb", "10.9.0.2/24", 0, &err) == 0,
	    "addr add v6 nodad, and v4");
	check(vj_nl_route_add(nl, "10.10.0.0/16", "10.9.0.254", NULL,
	    &err) == 0,
	    "route add via gateway");
	check(vj_nl_route_add(nl, "::/0", "fd00:9::1", "vjtnb", &err) == 0,
	    "route add v6 default via gateway dev");
	check(vj_nl_route_add(nl, "10.11.0.0/16", NULL, "vjtnb", &err) == 0,
	    "route add dev only");
	check(failed_with(vj_nl_route_add(nl, "10.12.0.1/16", NULL, "vjtnb",
	    &err), EINVAL, "(kernel: "), "bad prefix: kernel's extack text");
	check(vj_nl_route_del(nl, "10.10.0.0/16", "10.9.0.254", NULL,
	    &err) == 0 &&
	    vj_nl_route_del(nl, "10.10.0.0/16", "10.9.0.254", NULL, &err) == 0,
	    "route del, and again: already gone is success");
	check(vj_nl_route_del(nl, "10.11.0.0/16", NULL, "vjtnb", &err) == 0,
	    "route del dev only");
	check(vj_nl_addr_del(nl, "vjtnbr", "10.9.0.1/24", &err) == 0 &&
	    vj_nl_addr_del(nl, "vjtnbr", "10.9.0.1/24", &err) == 0,
	    "addr del, and again: already gone is success");
	check(vj_nl_addr_del(nl, "vjtnnone", "10.9.0.1/24", &err) == 0 &&
	    vj_nl_route_del(nl, "10.13.0.0/16", NULL, "vjtnnone", &err) == 0,
	    "addr and route del on a missing link: success");
}

/* Errors for a missing device carry ENODEV and say which device. */
static void
test_missing(struct vj_nl *nl)
{
	char kind[32];

	check(failed_with(vj_nl_ifindex(nl, "vjtnnone", &err), ENODEV,
	    "look up vjtnnone: No such device"), "ifindex: ENODEV");
	check(failed_with(vj_nl_link_set_up(nl, "vjtnnone", 1, &err), ENODEV,
	    "set vjtnnone up: No such device"), "set up: ENODEV");
	check(failed_with(vj_nl_addr_add(nl, "vjtnnone", "10.0.0.1/8", 0, &err),
	    ENODEV, "add address 10.0.0.1/8 to vjtnnone: look up vjtnnone"),
	    "addr add: ENODEV, naming the link");
	check(failed_with(vj_nl_link_set_master(nl, "vjtna", "vjtnnobr", &err),
	    ENODEV, "look up vjtnnobr: No such device"),
	    "set master: missing master named");
	check(failed_with(vj_nl_link_kind(nl, "vjtnnone", kind, sizeof(kind),
	    &err), ENODEV, "vjtnnone"), "kind: ENODEV");
	check(vj_nl_link_del(nl, "vjtnnone", &err) == 0,
	    "delete a missing link: success");
	errno = 0;
	check(vj_nl_ifindex(nl, "vjtnnone", NULL) == -1 && errno == ENODEV &&
	    vj_nl_addr_del(nl, "vjtnnone", "10.0.0.1/8", NULL) == 0,
	    "no error struct: errno still ENODEV");
	check(failed_with(vj_nl_addr_add(nl, "vjtnbr", "10.0.0.1/40", 0, &err),
	    EINVAL, "invalid prefix length"), "bad prefix: EINVAL");
}

/* Move a link into B and back, and create a peer straight in B. */
static void
test_netns(struct vj_nl *nl, int fd_a, int fd_b)
{
	struct vj_nl_veth v = { .name = "vjtnc", .peer = "eth1",
	    .peer_netns_fd = fd_b };
	ino_t self = netns_ino();
	struct vj_nl *nlb;
	char kind[32];

	nlb = vj_nl_open_in(fd_b, &err);
	check(nlb != NULL && netns_ino() == self,
	    "open in B, thread back in A");
	if (nlb == NULL)
		return;
	check(vj_nl_link_set_netns(nl, "vjtnb", fd_b, "eth0", &err) == 0 &&
	    failed_with(vj_nl_ifindex(nl, "vjtnb", &err), ENODEV, "vjtnb") &&
	    vj_nl_ifindex(nlb, "eth0", &err) > 0, "move vjtnb into B as eth0");
	check(vj_nl_addr_add(nlb, "eth0", "10.9.0.2/24", 0, &err) == 0 &&
	    vj_nl_link_set_up(nlb, "eth0", 1, &err) == 0,
	    "address and up in B");
	check(vj_nl_link_set_netns(nlb, "eth0", fd_a, "vjtnb", &err) == 0 &&
	    vj_nl_ifindex(nl, "vjtnb", &err) > 0 &&
	    failed_with(vj_nl_ifindex(nlb, "eth0", &err), ENODEV, "eth0"),
	    "move it back to A as vjtnb");
	check(vj_nl_veth_add(nl, &v, &err) == 0 &&
	    vj_nl_link_kind(nlb, "eth1", kind, sizeof(kind), &err) == 0 &&
	    strcmp(kind, "veth") == 0 &&
	    failed_with(vj_nl_ifindex(nl, "eth1", &err), ENODEV, "eth1"),
	    "veth with its peer made in B");
	check(failed_with(vj_nl_link_set_netns(nl, "vjtnc", fd_b, "eth1", &err),
	    EEXIST, "move vjtnc"), "move onto a taken name: EEXIST");
	vj_nl_close(nlb);
}

/* One jail's worth of link setup as one batch. */
static void
test_batch(struct vj_nl *nl)
{
	struct vj_nl_veth v = { .name = "vjtnd", .peer = "vjtne",
	    .peer_netns_fd = -1 };

	check(vj_nl_batch_begin(nl, &err) == 0 &&
	    failed_with(vj_nl_batch_begin(nl, &err), EBUSY, "already"),
	    "batch begin, and not twice");
	check(vj_nl_veth_add(nl, &v, &err) == 0 &&
	    vj_nl_link_set_addrgenmode_none(nl, "vjtnd", &err) == 0 &&
	    vj_nl_link_set_master(nl, "vjtnd", "vjtnbr", &err) == 0 &&
	    vj_nl_addr_add(nl, "vjtne", "10.9.2.1/24", 1, &err) == 0 &&
	    vj_nl_link_set_up(nl, "vjtnd", 1, &err) == 0 &&
	    vj_nl_link_set_up(nl, "vjtne", 1, &err) == 0,
	    "batch: veth, addrgenmode, master, addr, up queued");
	check(vj_nl_batch_end(nl, &err) == 0, "batch end: all acked");
	check((link_flags(nl, "vjtne") & IFF_UP) &&
	    link_master(nl, "vjtnd") == vj_nl_ifindex(nl, "vjtnbr", &err) &&
	    failed_with(vj_nl_addr_add(nl, "vjtne", "10.9.2.1/24", 0, &err),
	    EEXIST, "File exists"), "batch: its effects are there");
	check(failed_with(vj_nl_batch_end(nl, &err), EINVAL,
	    "no netlink batch"),
	    "batch end without begin: EINVAL");
}

/* A batch whose links have pinned ifindexes, and one with failures. */
static void
test_batch_pinned(struct vj_nl *nl)
{
	struct vj_nl_veth v = { .name = "vjtnf", .peer = "vjtng",
	    .peer_netns_fd = -1, .ifindex = 4000, .peer_ifindex = 4001 };

	vj_nl_batch_begin(nl, &err);
	check(vj_nl_veth_add(nl, &v, &err) == 0 &&
	    vj_nl_addr_add(nl, "vjtng", "10.9.3.1/24", 1, &err) == 0 &&
	    vj_nl_batch_end(nl, &err) == 0 &&
	    vj_nl_ifindex(nl, "vjtnf", &err) == 4000 &&
	    vj_nl_ifindex(nl, "vjtng", &err) == 4001,
	    "batch: pinned ifindexes");
	vj_nl_batch_begin(nl, &err);
	check(vj_nl_batch_hint(nl, "vjtnbr", vj_nl_ifindex(nl, "vjtnbr", &err),
	    &err) == 0 &&
	    vj_nl_link_set_master(nl, "vjtnf", "vjtnbr", &err) == 0 &&
	    vj_nl_batch_end(nl, &err) == 0 &&
	    link_master(nl, "vjtnf") == vj_nl_ifindex(nl, "vjtnbr", &err),
	    "batch: a hinted master");
	vj_nl_batch_begin(nl, &err);
	check(vj_nl_bridge_add(nl, "vjtnbr", &err) == 0 &&
	    vj_nl_link_set_up(nl, "vjtnnone", 1, &err) == 0 &&
	    vj_nl_link_set_up(nl, "vjtnf", 1, &err) == 0, "batch: queued");
	check(failed_with(vj_nl_batch_end(nl, &err), EEXIST,
	    "add bridge vjtnbr: File exists (and 1 more failed requests)"),
	    "batch: first failure and how many more");
	check(link_flags(nl, "vjtnf") & IFF_UP,
	    "batch: later requests still ran");
	vj_nl_batch_begin(nl, &err);
	vj_nl_bridge_add(nl, "vjtnbr2", &err);
	vj_nl_batch_cancel(nl);
	check(failed_with(vj_nl_ifindex(nl, "vjtnbr2", &err), ENODEV,
	    "vjtnbr2"),
	    "batch cancel: nothing sent");
}

/* Count links and check one from the dump. */
static int
list_cb(void *arg, const struct vj_nl_link_info *info)
{
	int *found = arg;

	if (strcmp(info->name, "vjtna") == 0 && strcmp(info->kind, "veth") == 0)
		found[1] = info->master;
	found[0]++;
	return 0;
}

/* Stop a walk at the first link. */
static int
stop_cb(void *arg, const struct vj_nl_link_info *info)
{
	(void)arg;
	(void)info;
	return 7;
}

/* Listing links, deleting them, renaming. */
static void
test_list_del(struct vj_nl *nl)
{
	int found[2] = { 0, 0 };

	check(vj_nl_link_list(nl, list_cb, found, &err) == 0 && found[0] >= 8 &&
	    found[1] == vj_nl_ifindex(nl, "vjtnbr", &err),
	    "list: %d links, vjtna in vjtnbr", found[0]);
	check(vj_nl_link_list(nl, stop_cb, NULL, &err) == 7,
	    "list: a callback's value stops the walk");
	check(vj_nl_link_set_up(nl, "vjtnd", 0, &err) == 0 &&
	    vj_nl_link_rename(nl, "vjtnd", "vjtnz", &err) == 0 &&
	    vj_nl_ifindex(nl, "vjtnz", &err) > 0, "rename while down");
	check(vj_nl_link_del(nl, "vjtna", &err) == 0 &&
	    failed_with(vj_nl_ifindex(nl, "vjtnb", &err), ENODEV, "vjtnb"),
	    "delete a veth end: both gone");
	check(vj_nl_link_del(nl, "vjtna", &err) == 0, "delete again: success");
}

/* Count the host links named vjtn* into arg. */
static int
host_cb(void *arg, const struct vj_nl_link_info *info)
{
	if (strncmp(info->name, "vjtn", 4) == 0)
		(*(int *)arg)++;
	return 0;
}

/* Return how many vjtn* links the host netns has (read only), or -1. */
static int
host_leftovers(struct vj_nl *host)
{
	int n = 0;

	if (host == NULL || vj_nl_link_list(host, host_cb, &n, &err) == -1)
		return -1;
	return n;
}

/* Make netns A (entered) and B (held by *fd_b); 1 if unshare is refused. */
static int
make_netns(int *fd_a, int *fd_b)
{
	if (unshare(CLONE_NEWNET) == -1)
		return 1;
	*fd_a = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (*fd_a == -1 || unshare(CLONE_NEWNET) == -1)
		return -1;
	*fd_b = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (*fd_b == -1 || setns(*fd_a, CLONE_NEWNET) == -1)
		return -1;
	return 0;
}

/* The child: every case in netns A and B, the host only read. */
static int
run(void)
{
	struct vj_nl *host = vj_nl_open(&err), *nl;
	int fd_a = -1, fd_b = -1, rc;

	check(host_leftovers(host) == 0, "host has no vjtn* links before");
	rc = make_netns(&fd_a, &fd_b);
	if (rc == 1)
		printf("ok %d # SKIP cannot unshare a netns\n", ++tap_n);
	check(rc >= 0, "netns A and B made");
	nl = rc == 0 ? vj_nl_open(&err) : NULL;
	check(rc == 1 || nl != NULL, "open in netns A");
	if (nl != NULL) {
		test_links(nl);
		test_addrs(nl);
		test_missing(nl);
		test_netns(nl, fd_a, fd_b);
		test_batch(nl);
		test_batch_pinned(nl);
		test_list_del(nl);
	}
	check(host_leftovers(host) == 0, "host has no vjtn* links after");
	vj_nl_close(nl);
	vj_nl_close(host);
	return tap_done();
}

/* Skip unless root; run the cases in a child that owns the netns. */
int
main(void)
{
	int status;
	pid_t pid;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (geteuid() != 0) {
		printf("ok 1 # SKIP not root\n1..1\n");
		return 0;
	}
	pid = fork();
	if (pid == 0)
		_exit(run());
	if (pid == -1 || waitpid(pid, &status, 0) == -1)
		return 1;
	if (WIFSIGNALED(status))
		printf("# the test child died of signal %d\n",
		    WTERMSIG(status));
	return !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}
