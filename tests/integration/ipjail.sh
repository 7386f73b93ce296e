#!/bin/bash
# ipjail.sh: IP-restricted jails without VNET (issue 4, item 5): ip4.addr,
# ip6.addr, ip4/ip6 modes, saddrsel, iface|addr aliases; their cgroup and
# socket-hook programs, and what removal leaves.  Traffic on loopback only;
# the only interface touched is lo (127.0.1.x and fd00:7::x aliases).
. "$(dirname "$0")/../lib.sh"
P=t_ip_
H=$T_TMP/ip.py
PROGS=$VJ_BIN/tests/unit/test_ipbpf
# The system python starts in a tenth of the time a pyenv shim takes.
PY=$(command -v /usr/bin/python3 || command -v python3)

require grep -q cgroup2 /proc/self/mounts
require "$PY" -c 'import socket'

# A helper run on the host or in a jail; prints an address or an errno name.
cat >"$H" <<'EOF'
import errno, socket, sys, time
def fam(a): return socket.AF_INET6 if ":" in a else socket.AF_INET
def name(e): return errno.errorcode.get(e.errno, str(e))
cmd, a = sys.argv[1], sys.argv[2]
try:
    if cmd == "socket":
        socket.socket(socket.AF_INET6 if a == "inet6" else socket.AF_INET)
        print("ok")
    elif cmd == "udplite":
        socket.socket(fam(a), socket.SOCK_DGRAM, 136); print("ok")
    elif cmd == "bind":
        s = socket.socket(fam(a)); s.bind((a, 0)); print(s.getsockname()[0])
    elif cmd == "selfsrc":
        l = socket.socket(fam(a)); l.bind((a, 0)); l.listen()
        c = socket.socket(fam(a)); c.connect((a, l.getsockname()[1]))
        print(c.getsockname()[0])
    elif cmd == "listen":
        l = socket.socket(fam(a)); l.bind((a, 0)); l.listen(); l.settimeout(10)
        open(sys.argv[3] + ".tmp", "w").write(str(l.getsockname()[1]))
        import os; os.rename(sys.argv[3] + ".tmp", sys.argv[3])
        c, peer = l.accept(); print(peer[0])
    elif cmd == "connect":
        c = socket.socket(fam(a)); c.settimeout(5)
        c.connect((a, int(sys.argv[3]))); print(c.getsockname()[0])
    elif cmd == "udprecv":
        u = socket.socket(fam(a), socket.SOCK_DGRAM); u.bind((a, 0)); u.settimeout(10)
        open(sys.argv[3] + ".tmp", "w").write(str(u.getsockname()[1]))
        import os; os.rename(sys.argv[3] + ".tmp", sys.argv[3])
        print(u.recvfrom(16)[1][0])
    elif cmd == "udpsend":
        u = socket.socket(fam(a), socket.SOCK_DGRAM); u.sendto(b"x", (a, int(sys.argv[3])))
        print("sent")
except OSError as e:
    print(name(e))
EOF

# The jid of a jail, and a noted value of its record.
# Are a jail's BPF programs gone?  (Counted at each try: the kernel
# frees them when it releases the cgroup, a little after removal.)
no_progs() {
	[ "$(progs_of "$1")" = 0 ]
}

jid_of() { name_jid "$1"; }
noted() { awk -v k="$2" '$1 == "n" && $2 == k { print $3 }' "/run/vjail/jail/$1"; }
init_of() { awk '/^init/{ v = $2 } END { print v }' "/run/vjail/jail/$1"; }
# Loaded BPF programs of a jail, by name.
progs_of() { "$PROGS" --count-progs "vj$1_"; }
# Is an address on lo?
on_lo() { ip -o addr show dev lo | grep -q " $1 "; }
off_lo() { ! on_lo "$1"; }
# Remove the test aliases a failed case may have left.
drop_aliases() {
	local a
	for a in 127.0.1.5/24 127.0.1.6/32 127.0.1.7/32 127.0.1.8/32 \
	    127.0.1.9/24 fd00:7::2/128 fd00:7::7/128; do
		ip addr del "$a" dev lo 2>/dev/null
	done
}

test_wildcard_listener_and_foreign_bind() {
	local port
	expect -o empty -- jail -c name=${P}a persist ip4.addr=127.0.0.2
	expect -o 127.0.0.2 -- jexec ${P}a $PY "$H" bind 0.0.0.0
	expect -o 127.0.0.2 -- jexec ${P}a $PY "$H" bind 127.0.0.1
	expect -o EADDRNOTAVAIL -- jexec ${P}a $PY "$H" bind 127.0.0.3
	expect -o EADDRNOTAVAIL -- jexec ${P}a $PY "$H" bind 127.1.2.3
	# UDP-Lite's connect() skips the address hooks: refused outright.
	expect -o EPERM -- jexec ${P}a $PY "$H" udplite 127.0.0.2
	expect -o ok -- $PY "$H" udplite 127.0.0.2
	# A wildcard listener in the jail answers at 127.0.0.2 only.
	jexec ${P}a $PY "$H" listen 0.0.0.0 "$T_TMP/port" >"$T_TMP/peer" &
	assert wait_for 5 [ -s "$T_TMP/port" ]
	port=$(cat "$T_TMP/port")
	expect -o ECONNREFUSED -- $PY "$H" connect 127.0.0.3 "$port"
	expect -o ECONNREFUSED -- $PY "$H" connect 127.0.0.1 "$port"
	expect -o 127.0.0.1 -- $PY "$H" connect 127.0.0.2 "$port"
	wait
	assert [ "$(cat "$T_TMP/peer")" = 127.0.0.1 ]
	expect -o "ip4=new ip4.addr=127.0.0.2 ip6=disable" -- \
	    jls -j ${P}a -n ip4 ip4.addr ip6
	done_case
}
cleanup_wildcard_listener_and_foreign_bind() { remove_jails $P; }

test_source_address_is_the_jails() {
	local port
	jail -c name=${P}b persist ip4.addr=127.0.0.2
	# TCP: the host's listener on 127.0.0.3 sees the jail's address.
	$PY "$H" listen 127.0.0.3 "$T_TMP/tport" >"$T_TMP/tpeer" &
	assert wait_for 5 [ -s "$T_TMP/tport" ]
	port=$(cat "$T_TMP/tport")
	expect -o 127.0.0.2 -- jexec ${P}b $PY "$H" connect 127.0.0.3 "$port"
	wait
	assert [ "$(cat "$T_TMP/tpeer")" = 127.0.0.2 ]
	# UDP sendto without a bound source.
	$PY "$H" udprecv 127.0.0.3 "$T_TMP/uport" >"$T_TMP/upeer" &
	assert wait_for 5 [ -s "$T_TMP/uport" ]
	expect -o sent -- jexec ${P}b $PY "$H" udpsend 127.0.0.3 \
	    "$(cat "$T_TMP/uport")"
	wait
	assert [ "$(cat "$T_TMP/upeer")" = 127.0.0.2 ]
	# 127.0.0.1 is the jail's own address, as on FreeBSD.
	expect -o 127.0.0.2 -- jexec ${P}b $PY "$H" selfsrc 127.0.0.1
	done_case
}
cleanup_source_address_is_the_jails() { remove_jails $P; }

test_ip4_disable() {
	expect -o EPROTONOSUPPORT -- jail -c name=${P}c ip4=disable \
	    command=$PY "$H" socket inet
	expect -o EPROTONOSUPPORT -- jail -c name=${P}c ip4=disable \
	    command=$PY "$H" socket inet6
	expect -o ok -- jail -c name=${P}c ip4=disable ip6=inherit \
	    command=$PY "$H" socket inet6
	expect -o EAFNOSUPPORT -- jail -c name=${P}c ip4=disable ip6=inherit \
	    command=$PY "$H" bind ::ffff:127.0.0.1
	expect -o ok -- jail -c name=${P}c command=$PY "$H" socket inet
	done_case
}
cleanup_ip4_disable() { remove_jails $P; }

test_alias_on_loopback() {
	expect -o empty -- jail -c name=${P}d persist 'ip4.addr=lo|127.0.1.5/24'
	assert on_lo 127.0.1.5/24
	expect -o 127.0.1.5 -- jexec ${P}d $PY "$H" bind 0.0.0.0
	expect -o 127.0.1.5 -- jls -j ${P}d ip4.addr
	expect -o empty -- jail -r ${P}d
	assert off_lo 127.0.1.5/24
	# `interface` for entries without iface|; the host's own address stays.
	expect -o empty -- jail -c name=${P}d persist interface=lo \
	    ip4.addr=127.0.0.1,127.0.1.6
	assert on_lo 127.0.1.6/32
	assert [ "$(grep -c "ip.alias" "/run/vjail/jail/$(jid_of ${P}d)")" = 1 ]
	expect -o empty -- jail -r ${P}d
	assert off_lo 127.0.1.6/32
	assert on_lo 127.0.0.1/8
	done_case
}
cleanup_alias_on_loopback() { remove_jails $P; drop_aliases; }

test_removal_leaves_nothing() {
	local jid cg
	jail -c name=${P}e persist 'ip4.addr=lo|127.0.1.7' 'ip6.addr=lo|fd00:7::7'
	jid=$(jid_of ${P}e)
	cg=$(noted "$jid" ip.cgroup)
	assert [ -d "$cg" ]
	assert [ "$(progs_of "$jid")" = 7 ]
	assert grep -qx "$(init_of "$jid")" "$cg/cgroup.procs"
	expect -o empty -- jail -r ${P}e
	assert [ ! -e "$cg" ]
	assert wait_for 10 no_progs "$jid"
	assert off_lo 127.0.1.7/32
	assert off_lo fd00:7::7/128
	assert [ ! -e "/run/vjail/jail/$jid" ]
	done_case
}
cleanup_removal_leaves_nothing() { remove_jails $P; drop_aliases; }

test_command_jail_cleans_up() {
	expect -o 127.0.1.8 -- jail -c name=${P}f 'ip4.addr=lo|127.0.1.8' \
	    command=$PY "$H" bind 0.0.0.0
	assert off_lo 127.0.1.8/32
	assert [ ! -e /run/vjail/name/${P}f ]
	done_case
}
cleanup_command_jail_cleans_up() { remove_jails $P; drop_aliases; }

test_crash_and_rollback() {
	local jid cg
	jail -c name=${P}g persist 'ip4.addr=lo|127.0.1.8'
	jid=$(jid_of ${P}g)
	cg=$(noted "$jid" ip.cgroup)
	kill -9 "$(init_of "$jid")"
	assert wait_for 5 sh -c "! kill -0 $(init_of "$jid")"
	assert on_lo 127.0.1.8/32
	jail -r ${P}g
	assert [ ! -e "$cg" ]
	assert off_lo 127.0.1.8/32
	# A create failing after ip's host step rolls it back.
	expect -s 1 -e "match:injected failure" -- env VJAIL_FAIL_AT=mount:host \
	    jail -c name=${P}g 'ip4.addr=lo|127.0.1.8' command=true
	assert off_lo 127.0.1.8/32
	assert [ ! -e /run/vjail/name/${P}g ]
	done_case
}
cleanup_crash_and_rollback() { remove_jails $P; drop_aliases; }

test_update_addresses() {
	jail -c name=${P}h persist ip4.addr=127.0.0.2
	expect -o empty -- jail -m name=${P}h ip4.addr=127.0.0.4
	expect -o 127.0.0.4 -- jexec ${P}h $PY "$H" bind 0.0.0.0
	expect -o EADDRNOTAVAIL -- jexec ${P}h $PY "$H" bind 127.0.0.2
	expect -s 1 -e "jail: ip6 cannot be changed after creation" -- \
	    jail -m name=${P}h ip6=inherit
	done_case
}
cleanup_update_addresses() { remove_jails $P; }

test_saddrsel() {
	jail -c name=${P}i persist 'ip4.addr=127.0.0.2,lo|127.0.1.9/24'
	# The source is the jail address whose subnet holds the destination.
	expect -o 127.0.1.9 -- jexec ${P}i $PY "$H" selfsrc 127.0.1.9
	expect -o 127.0.0.2 -- jexec ${P}i $PY "$H" selfsrc 127.0.0.2
	# Without saddrsel, always the first address.
	expect -o empty -- jail -m name=${P}i ip4.nosaddrsel
	expect -o 127.0.0.2 -- jexec ${P}i $PY "$H" selfsrc 127.0.1.9
	done_case
}
cleanup_saddrsel() { remove_jails $P; drop_aliases; }

test_ipv6_and_v4_mapped() {
	jail -c name=${P}j persist ip4.addr=127.0.0.2 'ip6.addr=lo|fd00:7::2'
	expect -o fd00:7::2 -- jexec ${P}j $PY "$H" bind ::
	expect -o fd00:7::2 -- jexec ${P}j $PY "$H" selfsrc ::1
	expect -o EADDRNOTAVAIL -- jexec ${P}j $PY "$H" bind ::1:2
	expect -o ::ffff:127.0.0.2 -- jexec ${P}j $PY "$H" bind ::ffff:0.0.0.0
	expect -o ::ffff:127.0.0.2 -- jexec ${P}j $PY "$H" selfsrc \
	    ::ffff:127.0.0.1
	expect -o EADDRNOTAVAIL -- jexec ${P}j $PY "$H" bind ::ffff:127.0.0.3
	done_case
}
cleanup_ipv6_and_v4_mapped() { remove_jails $P; drop_aliases; }

test_errors() {
	expect -s 1 -e "jail: ip4.addr: 10.0.0.300: invalid address" -- \
	    jail -c name=${P}k ip4.addr=10.0.0.300 command=true
	expect -s 1 -e "jail: ip6.addr: fd00::1/129: invalid netmask" -- \
	    jail -c name=${P}k ip6.addr=fd00::1/129 command=true
	expect -s 1 -e "jail: ip4.addr: 10.0.0.1: duplicate address" -- \
	    jail -c name=${P}k ip4.addr=10.0.0.1,10.0.0.1 command=true
	expect -s 1 -e "jail: ip4.addr: cannot be set with ip4=disable" -- \
	    jail -c name=${P}k ip4=disable ip4.addr=10.0.0.1 command=true
	expect -s 1 -e "jail: ip4.addr: vnet jails cannot have IP address restrictions" -- \
	    jail -c name=${P}k vnet ip4.addr=10.0.0.1 command=true
	expect -s 1 -e 'jail: ip4.addr: 1.2.3.4/24: ifconfig parameters ("vhid 1") are not supported' -- \
	    jail -c name=${P}k 'ip4.addr=lo|1.2.3.4/24 vhid 1' command=true
	assert [ ! -e /run/vjail/name/${P}k ]
	done_case
}
cleanup_errors() { remove_jails $P; }

test_jail_cannot_leave_its_cgroup() {
	local cg2
	cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
	jail -c name=${P}l persist ip4.addr=127.0.0.2
	# The jail sees its group as the root of its cgroup namespace, and
	# cannot move itself out (cgroup2 is read-only in the jail, and with
	# nsdelegate the namespace is a boundary too).
	expect -o "0::/" -- jexec ${P}l sh -c 'grep "^0::" /proc/self/cgroup'
	expect -s ! -e ignore -- jexec ${P}l sh -c "echo \$\$ > $cg2/cgroup.procs"
	expect -o EADDRNOTAVAIL -e ignore -- jexec ${P}l sh -c \
	    "echo \$\$ > $cg2/cgroup.procs; $PY $H bind 127.0.0.3"
	done_case
}
cleanup_jail_cannot_leave_its_cgroup() { remove_jails $P; }

test_cgroup2_only_layout() {
	# Most hosts mount cgroup2 alone at /sys/fs/cgroup: do so in a private
	# mount namespace (the same hierarchy, mounted a second time).
	cat >"$T_TMP/only.sh" <<EOF
umount -l /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup || exit 1
jail -c name=${P}m persist ip4.addr=127.0.0.2 || exit 1
cg=\$(awk '\$2 == "ip.cgroup" { print \$3 }' /run/vjail/jail/\$(awk 'NR == 1 { print \$2 }' /run/vjail/name/${P}m))
echo "\${cg%/*}"
jexec ${P}m $PY $H bind 0.0.0.0
jail -r ${P}m
[ ! -e "\$cg" ] || echo left
EOF
	expect -o "/sys/fs/cgroup/vjail
127.0.0.2" -- unshare -m --propagation private bash "$T_TMP/only.sh"
	done_case
}
cleanup_cgroup2_only_layout() { remove_jails $P; }

run_tests
