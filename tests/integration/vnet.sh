#!/bin/bash
# vnet.sh: VNET jails wired by epairs and bridges (issue: VNET networking).
. "$(dirname "$0")/../lib.sh"
P=t_vn_
CONF=$T_TMP/lab.conf

# The host's links this file can make (jails' host ends, our bridges),
# sorted, for before/after comparisons.
host_links() {
	ip -o link show | awk -F': ' '{sub(/@.*/, "", $2); print $2}' |
	    grep -E "^(vj[0-9]+[ep][0-9]+|${P})" | sort
}

# Are the links back to what they were?
same_links() {
	[ "$(host_links)" = "$1" ]
}

# The host's links before a case: an earlier case's jail ends go when the
# kernel has freed its stacks, in the background; wait for that first
# (a jail of the host's own, outside the tests, keeps its ends).
links_before() {
	wait_for 10 sh -c "! ip -o link show | grep -qE '^[0-9]+: vj[0-9]+e[0-9]+'"
	host_links
}

# A routed lab: two subnets on two bridges, a router, a host on each.
write_lab() {
	cat >"$CONF" <<CONF
vnet;
persist;
allow.raw_sockets;
${P}r {
	vnet.forwarding;
	epair.eth0.bridge = ${P}b1;
	epair.eth0.ip4 = 10.213.1.1/24;
	epair.eth0.ip6 = fd13:1::1/64;
	epair.eth1.bridge = ${P}b2;
	epair.eth1.ip4 = 10.213.2.1/24;
	epair.eth1.ip6 = fd13:2::1/64;
}
${P}h1 {
	depend = ${P}r;
	epair.eth0.bridge = ${P}b1;
	epair.eth0.ip4 = 10.213.1.10/24;
	epair.eth0.ip6 = fd13:1::10/64;
	ip4.defaultrouter = 10.213.1.1;
	ip6.defaultrouter = fd13:1::1;
}
${P}h2 {
	depend = ${P}r;
	epair.eth0.bridge = ${P}b2;
	epair.eth0.ip4 = 10.213.2.20/24;
	epair.eth0.ip6 = fd13:2::20/64;
	ip4.defaultrouter = 10.213.2.1;
	ip6.defaultrouter = fd13:2::1;
}
CONF
}

# RTM_GETLINK dump of the stack a namespace id names (IFLA_TARGET_NETNSID):
# prints "links" or "error <errno>" (from NLMSG_ERROR or NLMSG_DONE).
NSID_PY=$T_TMP/nsid.py
cat >"$NSID_PY" <<'EOF'
import socket, struct, sys
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
body = struct.pack("BBHiII", 0, 0, 0, 0, 0, 0) + struct.pack("HHi", 8, 46, int(sys.argv[1]))
s.send(struct.pack("IHHII", 16 + len(body), 18, 0x301, 1, 0) + body)
d = s.recv(65536)
t = struct.unpack("IHHII", d[:16])[1]
e = -struct.unpack("i", d[16:20])[0] if t in (2, 3) else 0
print("error %d" % e if e else "links")
EOF

# The stack at the other end of a jail's epair (the host's) is out of
# the jail's reach, though the jail configures its own (FreeBSD's vnet).
test_stack_at_link_end_out_of_reach() {
	jail -c name=${P}n persist vnet epair.eth0.bridge=${P}br \
	    epair.eth0.ip4=10.213.0.1/24
	expect -o "match:link-netnsid 0" -- jexec ${P}n ip -o link show eth0
	expect -o "error 13" -- jexec ${P}n python3 "$NSID_PY" 0
	expect -- jexec ${P}n ip addr add 10.213.0.9/24 dev eth0
	expect -- jexec ${P}n ip route add 10.214.0.0/24 via 10.213.0.2
	expect -o "match:10.214.0.0/24 via 10.213.0.2" -- jexec ${P}n ip route
	# Raw sockets stay refused without allow.raw_sockets.
	expect -o EPERM -- jexec ${P}n python3 -c 'import socket, errno
try: socket.socket(socket.AF_INET, socket.SOCK_RAW, 1); print("ok")
except OSError as e: print(errno.errorcode[e.errno])'
	done_case
}
cleanup_stack_at_link_end_out_of_reach() { remove_jails $P; }

# Jails wired to each other: traffic flows, yet each sees only the host's
# stack at the end of its link (out of its reach), not the other jail's.
test_peers_out_of_each_others_reach() {
	local before i
	before=$(links_before)
	jail -c name=${P}pa persist vnet allow.raw_sockets
	jail -c name=${P}pb persist vnet allow.raw_sockets \
	    epair.eth1.peer=${P}pa:eth1 epair.eth1.ip4=10.213.5.2/24
	expect -- jexec ${P}pa ip addr add 10.213.5.1/24 dev eth1
	expect -o ignore -- jexec ${P}pb ping -c 1 -W 2 10.213.5.1
	expect -o ignore -- jexec ${P}pa ping -c 1 -W 2 10.213.5.2
	expect -o "match:link-netnsid 0" -- jexec ${P}pa ip -o link show eth1
	expect -o "match:link-netnsid 0" -- jexec ${P}pb ip -o link show eth1
	expect -o "error 13" -- jexec ${P}pa python3 "$NSID_PY" 0
	expect -o "error 13" -- jexec ${P}pb python3 "$NSID_PY" 0
	expect -o "error 22" -- jexec ${P}pb python3 "$NSID_PY" 1
	# A name taken in the peer: one message, nothing left behind.
	expect -s 1 -e "match:epair\.eth1\.peer ${P}pa:eth1: jail ${P}pa has an interface named eth1 already" \
	    -- jail -c name=${P}pc persist vnet epair.eth1.peer=${P}pa:eth1
	# A peer without a stack of its own would wire the host's.
	jail -c name=${P}ph persist
	expect -s 1 -e "match:${P}ph has no network stack of its own" \
	    -- jail -c name=${P}pc persist vnet epair.eth1.peer=${P}ph:x9
	assert sh -c "! ip link show x9 2>/dev/null"
	expect -s 1 -e "match:${P}pc:eth1: a jail cannot be its own peer" \
	    -- jail -c name=${P}pc persist vnet epair.eth1.peer=${P}pc:eth1
	jail -r ${P}ph >/dev/null
	# Made again at once, it does not trip over its old link's end,
	# which the kernel removes in the background.
	for i in 1 2 3 4 5; do
		jail -r ${P}pb >/dev/null
		expect -- jail -c name=${P}pb persist vnet \
		    epair.eth1.peer=${P}pa:eth1
	done
	# The declaring jail's removal takes the peer's end with it.
	jail -r ${P}pb >/dev/null
	assert wait_for 5 sh -c "! jexec ${P}pa ip link show eth1 >/dev/null 2>&1"
	jail -r ${P}pa >/dev/null
	assert wait_for 10 same_links "$before"
	done_case
}
cleanup_peers_out_of_each_others_reach() { remove_jails $P; }

# Lending the two ends of one pair to two jails wires their stacks
# directly: allowed, as on FreeBSD, with a warning at the second.
test_lent_pair_between_jails_warns() {
	local a b
	read -r a b <<<"$(epair create ${P}lp)" || _fail "epair create"
	expect -e empty -- jail -c name=${P}la persist vnet vnet.interface=$a
	expect -e "match:vnet.interface: $b: its other end is in another network stack" \
	    -- jail -c name=${P}lb persist vnet vnet.interface=$b
	jail -r ${P}la ${P}lb >/dev/null
	expect -o "match:$a" -- ip -o link show $a
	# One queue each way on both ends (lib/nl/msg.c says why).
	expect -o "match:numtxqueues 1 numrxqueues 1" -- ip -d -o link show $a
	expect -o "match:numtxqueues 1 numrxqueues 1" -- ip -d -o link show $b
	expect -o empty -- epair destroy $a
	done_case
}
cleanup_lent_pair_between_jails_warns() {
	remove_jails $P
	ip link del ${P}lpa 2>/dev/null
}

test_bridge_ping_v4_v6() {
	jail -c name=${P}a persist vnet allow.raw_sockets \
	    epair.eth0.bridge=${P}br epair.eth0.ip4=10.213.0.1/24 \
	    epair.eth0.ip6=fd13::1/64
	jail -c name=${P}b persist vnet allow.raw_sockets \
	    epair.eth0.bridge=${P}br epair.eth0.ip4=10.213.0.2/24 \
	    epair.eth0.ip6=fd13::2/64
	expect -o ignore -- jexec ${P}a ping -c 1 -W 2 10.213.0.2
	expect -o ignore -- jexec ${P}b ping -c 1 -W 2 fd13::1
	expect -o "match:master ${P}br" -- ip -o link show master ${P}br
	# Made by vjail: it floods multicast, as FreeBSD's if_bridge does.
	expect -o "match:mcast_snooping 0 " -- ip -d -o link show ${P}br
	jail -r ${P}a ${P}b >/dev/null
	assert wait_for 5 sh -c "! ip link show ${P}br 2>/dev/null"
	done_case
}
cleanup_bridge_ping_v4_v6() { remove_jails $P; ip link del ${P}br 2>/dev/null; }

# The owner of a jail's stack (its user namespace's inode) by its init.
OWNER_PY=$T_TMP/owner.py
cat >"$OWNER_PY" <<'EOF'
import fcntl, os, sys
fd = os.open("/proc/%s/ns/net" % sys.argv[1], os.O_RDONLY)
print(os.fstat(fcntl.ioctl(fd, 0xb701)).st_ino)
EOF

# Is no process left in user namespace $1 (an inode)?
no_procs_in_userns() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/ns/user" 2>/dev/null)" != "user:[$1]" ] ||
		    return 1
	done
}

# Jails of one jail.conf share the owner of their stacks (one maker,
# gone with jail(8)); each still configures its own stack only.
test_one_creator_shares_stack_owner() {
	local a b host
	printf '%s\n' "vnet; persist; allow.raw_sockets; epair.eth0.bridge = ${P}bu;" \
	    "${P}u1 { epair.eth0.ip4 = 10.213.7.1/24; }" \
	    "${P}u2 { epair.eth0.ip4 = 10.213.7.2/24; }" >"$T_TMP/u.conf"
	expect -- jail -f "$T_TMP/u.conf" -c
	a=$(python3 "$OWNER_PY" "$(awk '/^init/ { print $2 }' \
	    "/run/vjail/jail/$(name_jid ${P}u1)" | tail -1)")
	b=$(python3 "$OWNER_PY" "$(awk '/^init/ { print $2 }' \
	    "/run/vjail/jail/$(name_jid ${P}u2)" | tail -1)")
	host=$(stat -Lc %i /proc/self/ns/user)
	assert [ -n "$a" ]
	assert [ "$a" = "$b" ]
	assert [ "$a" != "$host" ]
	assert wait_for 5 no_procs_in_userns "$a"
	expect -- jexec ${P}u1 ip addr add 10.213.7.11/24 dev eth0
	expect -- jexec ${P}u2 ip route add 10.214.7.0/24 via 10.213.7.1
	expect -o "error 13" -- jexec ${P}u1 python3 "$NSID_PY" 0
	expect -o "error 13" -- jexec ${P}u2 python3 "$NSID_PY" 0
	expect -o ignore -- jexec ${P}u1 ping -c 1 -W 2 10.213.7.2
	done_case
}
cleanup_one_creator_shares_stack_owner() { remove_jails $P; ip link del ${P}bu 2>/dev/null; }

# /sys of a vnet jail is its stack's: its own interfaces, read-only.
test_sysfs_shows_own_stack() {
	jail -c name=${P}s persist vnet epair.eth0.bridge=${P}bs \
	    epair.eth0.ip4=10.213.8.1/24
	jail -c name=${P}s2 persist vnet user.map=auto
	# Its own eth0 and lo (and a kernel's fallback tunnels, if any),
	# never the host's bridge nor its end of the link.
	expect -o "match:(^| )eth0 .*lo " -- \
	    sh -c "jexec ${P}s ls /sys/class/net | tr '\n' ' '"
	expect -o "match:^[^ ]" -- jexec ${P}s ls /sys/class/net/lo
	assert sh -c "! jexec ${P}s ls /sys/class/net | grep -q '^${P}bs\$'"
	assert sh -c "! jexec ${P}s2 ls /sys/class/net | grep -q '^${P}bs\$'"
	expect -o "match:(^| )lo " -- \
	    sh -c "jexec ${P}s2 ls /sys/class/net | tr '\n' ' '"
	expect -s ! -e ignore -- jexec ${P}s touch /sys/class/net/x
	done_case
}
cleanup_sysfs_shows_own_stack() { remove_jails $P; ip link del ${P}bs 2>/dev/null; }

test_jls_shows_epairs() {
	local s
	jail -c name=${P}j persist vnet epair.eth0.bridge=${P}bj \
	    epair.eth0.ip4=10.213.9.1/24,10.213.9.2/24 || _fail "create"
	expect -o "10.213.9.1/24,10.213.9.2/24 ${P}bj" -- \
	    jls -j ${P}j epair.eth0.ip4 epair.eth0.bridge
	expect -o "match:(^| )epair\.eth0\.bridge=${P}bj epair\.eth0\.ip4=10\.213\.9\.1/24,10\.213\.9\.2/24( |$)" \
	    -- jls -n -j ${P}j
	# jls -s makes the same jail again, both addresses included.
	s=$(jls -s -j ${P}j | sed 's/ jid=[0-9]* / /')
	jail -r ${P}j >/dev/null
	eval "expect -e empty -- jail -c $s" || _fail "jail -c from jls -s"
	expect -o "match:10\.213\.9\.1/24.*10\.213\.9\.2/24" -- \
	    sh -c "jexec ${P}j ip -4 -o addr show eth0 | tr '\n' ' '"
	jail -r ${P}j >/dev/null
	assert wait_for 5 sh -c "! ip link show ${P}bj 2>/dev/null"
	done_case
}
cleanup_jls_shows_epairs() { remove_jails $P; ip link del ${P}bj 2>/dev/null; }

test_router_forwards() {
	write_lab
	jail -q -f "$CONF" -c
	expect -o ignore -- jexec ${P}h1 ping -c 1 -W 2 10.213.2.20
	expect -o ignore -- jexec ${P}h2 ping -c 1 -W 2 fd13:1::10
	expect -o "match:default via 10.213.1.1" -- jexec ${P}h1 ip route
	jail -q -f "$CONF" -r '*'
	done_case
}
cleanup_router_forwards() { jail -q -f "$CONF" -r '*'; remove_jails $P; }

test_lab_cycles_leave_nothing() {
	local before i
	write_lab
	before=$(links_before)
	for i in $(seq 1 30); do
		jail -q -f "$CONF" -c || { _fail "create $i"; break; }
		jexec ${P}h1 ping -c 1 -W 2 10.213.2.20 >/dev/null ||
		    { _fail "traffic $i"; }
		jail -q -f "$CONF" -r '*' || { _fail "remove $i"; break; }
	done
	assert wait_for 10 same_links "$before"
	done_case
}
cleanup_lab_cycles_leave_nothing() { jail -q -f "$CONF" -r '*'; remove_jails $P; }

test_lent_interface_comes_back() {
	local a b
	read -r a b < <(epair create)
	jail -c name=${P}l persist vnet vnet.interface=$b
	expect -o "match:$b" -- jexec ${P}l ip -o link
	assert sh -c "! ip link show $b >/dev/null 2>&1"
	jail -r ${P}l
	expect -o "match:$b" -- ip -o link show $b
	epair destroy $a
	done_case
}
cleanup_lent_interface_comes_back() { remove_jails $P; ip link del epair0a 2>/dev/null; }

test_thousand_wired_cycles() {
	local before i
	before=$(links_before)
	for i in $(seq 1 1000); do
		jail -c name=${P}c persist vnet epair.eth0.bridge=${P}cb \
		    epair.eth0.ip4=10.213.9.1/24 || { _fail "create $i"; break; }
		jail -r ${P}c || { _fail "remove $i"; break; }
	done
	assert wait_for 10 same_links "$before"
	done_case
}
cleanup_thousand_wired_cycles() { remove_jails $P; }

test_self_ending_jail_keeps_shared_bridge() {
	jail -c name=${P}s1 persist vnet epair.eth0.bridge=${P}sb
	jail -c name=${P}s2 vnet epair.eth0.bridge=${P}sb \
	    command=/bin/sh -c 'sleep 2 </dev/null >/dev/null 2>&1 &'
	assert wait_for 10 [ ! -e /run/vjail/name/${P}s2 ]
	expect -o "1 1" -- awk "{ print \$1, \$2 }" /run/vjail/bridge/${P}sb
	expect -o "match:${P}sb" -- ip -o link show ${P}sb
	jail -r ${P}s1 >/dev/null
	assert wait_for 5 sh -c "! ip link show ${P}sb 2>/dev/null"
	done_case
}
cleanup_self_ending_jail_keeps_shared_bridge() { remove_jails $P; }

test_epair_command() {
	local out a b
	out=$(epair create) || _fail "epair create"
	read -r a b <<<"$out"
	expect -o "match:$a" -- ip -o link show $a
	# One queue each way on both ends (lib/nl/msg.c says why).
	expect -o "match:numtxqueues 1 numrxqueues 1" -- ip -d -o link show $a
	expect -o "match:numtxqueues 1 numrxqueues 1" -- ip -d -o link show $b
	expect -o empty -- epair destroy $a
	assert sh -c "! ip link show $b >/dev/null 2>&1"
	expect -s 1 -e "match:No such device" -- epair destroy $a
	done_case
}

test_wiring_errors() {
	expect -s 1 -e "jail: epair.eth0: needs vnet" -- \
	    jail -c name=${P}e persist epair.eth0.bridge=${P}x
	expect -s 1 -e "jail: epair.eth0.colour: unknown parameter" -- \
	    jail -c name=${P}e persist vnet epair.eth0.colour=red
	expect -s 1 -e "match:vnet.interface: nosuch0" -- \
	    jail -c name=${P}e persist vnet vnet.interface=nosuch0
	expect -s 1 -e "match:epair.eth0.ip4" -- \
	    jail -c name=${P}e persist vnet epair.eth0.ip4=10.1.2.300/24
	assert [ ! -e /run/vjail/name/${P}e ]
	assert sh -c "! ip link show ${P}x >/dev/null 2>&1"
	done_case
}
cleanup_wiring_errors() { remove_jails $P; }

# The host ends of many jails made in one run join their bridges in
# batches (late.c); a jail whose bridge is no bridge fails alone, and the
# jails around it are made and wired.
test_many_jails_join_their_bridges() {
	local i want b
	ip link add ${P}dm type veth peer name ${P}dn || { _fail "veth"; return; }
	for i in $(seq 1 40); do
		b=${P}mb$((i % 2))
		[ $i = 23 ] && b=${P}dm	# not a bridge: no port to join
		printf '%sm%d { vnet; persist; epair.eth0.bridge = %s; epair.eth0.host = %sh%d; }\n' \
		    $P $i $b $P $i
	done >"$T_TMP/many.conf"
	expect -s ! -o ignore -e \
	    "match:${P}m23: epair.eth0.bridge: ${P}dm is a veth, not a bridge" -- \
	    jail -f "$T_TMP/many.conf" -c
	for i in $(seq 1 40); do
		[ $i = 23 ] && continue
		want="master ${P}mb$((i % 2)) state UP"
		ip -o link show ${P}h$i | grep -q "$want" ||
		    _fail "${P}h$i: not up on ${P}mb$((i % 2))"
	done
	assert [ ! -e /run/vjail/name/${P}m23 ]
	assert sh -c "! ip link show ${P}h23 2>/dev/null"
	expect -o empty -- jail -q -f "$T_TMP/many.conf" -r '*'
	assert wait_for 10 sh -c "! ip link show ${P}mb0 2>/dev/null"
	# Their stacks go in the background: let the kernel finish first.
	assert wait_for 30 sh -c "! ip -o link show | grep -q ' ${P}h[0-9]'"
	ip link del ${P}dm
	done_case
}
cleanup_many_jails_join_their_bridges() {
	jail -q -f "$T_TMP/many.conf" -r '*' 2>/dev/null
	remove_jails $P
	ip link del ${P}dm 2>/dev/null
}

# A full bridge (1023 ports) fails the jails that come after, each with
# its own message, though their ports were to join in one batch.
test_full_bridge_fails_only_the_late() {
	local i
	local fill host
	# The fillers' far ends live in a stack a sleeping process holds (ip
	# netns add would leave its /run/netns mount on the host).
	unshare -n sleep infinity & fill=$!
	echo $fill >"$T_TMP/fill.pid"
	host=$(readlink /proc/self/ns/net)
	wait_for 5 sh -c "n=\$(readlink /proc/$fill/ns/net) && [ -n \"\$n\" ] && [ \"\$n\" != \"$host\" ]" ||
	    { _fail "no stack for the fillers (unshare -n)"; return; }
	ip link add ${P}fb type bridge && ip link set ${P}fb up
	for i in $(seq 1 1020); do
		echo "link add ${P}f$i master ${P}fb type veth peer name p$i netns $fill"
	done | ip -batch - || { _fail "fill the bridge"; return; }
	for i in $(seq 1 8); do
		printf '%sq%d { vnet; persist; epair.eth0.bridge = %s; epair.eth0.host = %sg%d; }\n' \
		    $P $i ${P}fb $P $i
	done >"$T_TMP/full.conf"
	jail -f "$T_TMP/full.conf" -c >"$T_TMP/out" 2>"$T_TMP/err" &&
	    _fail "jail -c over a full bridge succeeded"
	assert [ "$(grep -c ': created$' "$T_TMP/out")" = 3 ]
	assert [ "$(grep -c 'the bridge is full: a Linux bridge takes at most 1023 ports' "$T_TMP/err")" = 5 ]
	assert [ "$(ip -o link show master ${P}fb | grep -c " ${P}g")" = 3 ]
	assert [ "$(ls /run/vjail/name | grep -c "^${P}q")" = 3 ]
	expect -o empty -- jail -q -f "$T_TMP/full.conf" -r '*'
	assert wait_for 10 sh -c "! ip -o link show | grep -q ' ${P}g'"
	done_case
}
# The kernel deletes the 1020 fillers in the background, holding its
# locks for seconds: wait, so that the cases after do not pay for it.
cleanup_full_bridge_fails_only_the_late() {
	jail -q -f "$T_TMP/full.conf" -r '*' 2>/dev/null
	remove_jails $P
	local fill
	fill=$(cat "$T_TMP/fill.pid" 2>/dev/null)
	[ -n "$fill" ] && [ "$(cat /proc/$fill/comm 2>/dev/null)" = sleep ] &&
	    kill "$fill"
	rm -f "$T_TMP/fill.pid"
	wait_for 60 sh -c "! ip -o link show | grep -q ' ${P}f[0-9]'"
	ip link del ${P}fb 2>/dev/null
}

run_tests
