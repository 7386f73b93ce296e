#!/bin/bash
# ipnetns.sh: contestant (c), the common practice.  A shell loop of ip(8)
# commands builds the same topology as bench/baseline: per instance a named
# netns, a veth whose host end is on a shared bridge (1000 ports each) and
# whose peer becomes eth0 in the netns, an IPv4 /16 address, eth0 and lo up.
# Teardown is `ip netns del` per instance and `ip link del` per bridge,
# then the same "really freed" barrier as the baseline (baseline --barrier).
#
# usage: ipnetns.sh [-n N] [--ipv6] [--json] [--latency R] [--settle MS]
#   --ipv6      leave IPv6 address generation on (default: addrgenmode none
#               on both veth ends and the bridges, as the baseline does)
#   --latency R one instance created and removed R times (medians)
#   --settle MS pause between create and remove (default 200), as baseline
# Names: netns vjbc<i>, host veth vjbch<i>, bridges vjbcbr<k>.
set -u

here=$(cd "$(dirname "$0")" && pwd)
BASELINE=${BASELINE:-$here/../build/bench/baseline}
n=100 addrgen=1 json=0 reps=0 settle=200 err=""

while [ $# -gt 0 ]; do
	case $1 in
	-n) n=$2; shift ;;
	--ipv6) addrgen=0 ;;
	--json) json=1 ;;
	--latency) reps=$2; shift ;;
	--settle) settle=$2; shift ;;
	*) echo "usage: ipnetns.sh [-n N] [--ipv6] [--json] [--latency R]" \
	       "[--settle MS]" >&2
	   exit 2 ;;
	esac
	shift
done
[ -x "$BASELINE" ] || { echo "ipnetns.sh: $BASELINE: not built" >&2; exit 1; }

# Microseconds on the monotonic-enough wall clock, without a fork.
now() { REPLY=${EPOCHREALTIME/./}; }

# Milliseconds between two now() values, with one decimal.
ms() { printf '%d.%d' $((($2 - $1) / 1000)) $(((($2 - $1) % 1000) / 100)); }

# ip(8) makes and mounts /run/netns at its first `ip netns add` and
# leaves it: was it there (mounted or not) before this run?
run_netns_was=0
[ -e /run/netns ] && run_netns_was=1

# Remove everything named vjbc* that this contestant may have left behind,
# and /run/netns if this run made it and it is empty.
cleanup() {
	local ns l
	for ns in $(ip netns list 2>/dev/null | awk '$1 ~ /^vjbc[0-9]/ {print $1}'); do
		ip netns del "$ns" 2>/dev/null
	done
	for l in $(ip -o link show 2>/dev/null | awk -F': ' '$2 ~ /^vjbc/ {sub(/@.*/, "", $2); print $2}'); do
		ip link del "$l" 2>/dev/null
	done
	if [ $run_netns_was = 0 ] && mountpoint -q /run/netns 2>/dev/null &&
	    [ -z "$(ls -A /run/netns 2>/dev/null)" ]; then
		umount /run/netns 2>/dev/null && rmdir /run/netns 2>/dev/null
	fi
}
trap cleanup EXIT
trap 'err=interrupted; exit 130' INT TERM HUP

# Create bridge k: down, addrgenmode none if asked, up.
bridge_add() {
	ip link add "vjbcbr$1" type bridge || return 1
	if [ $addrgen = 1 ]; then
		ip link set "vjbcbr$1" addrgenmode none || return 1
	fi
	ip link set "vjbcbr$1" up
}

# Create instance i: 7 ip commands (8 with addrgenmode none).
inst_add() {
	local i=$1 ns=vjbc$1 b=$(($1 / 1000)) j=$(($1 % 1000 + 1)) ag=()
	[ $addrgen = 1 ] && ag=(addrgenmode none)
	ip netns add "$ns" &&
	ip link add "vjbch$i" type veth peer name "vjbcp$i" &&
	ip link set "vjbcp$i" netns "$ns" name eth0 "${ag[@]}" &&
	{ [ $addrgen = 0 ] || ip link set "vjbch$i" addrgenmode none; } &&
	ip link set "vjbch$i" master "vjbcbr$b" up &&
	ip -n "$ns" addr add "10.$b.$((j / 256)).$((j % 256))/16" dev eth0 &&
	ip -n "$ns" link set eth0 up &&
	ip -n "$ns" link set lo up
}

# Let new instances settle before removal (see baseline --settle).
pause() { sleep "$(awk -v m="$settle" 'BEGIN {print m / 1000}')"; }

# The kernel-side memory now (kB).
kmem() { "$BASELINE" --meminfo; }

# Bulk run: create N, measure, tear down to "freed", print.
bulk() {
	local i k nbr=$(((n + 999) / 1000)) t0 t1 td t2 t3 t4 t5 k0 k1 mem
	k0=$(kmem)
	now; t0=$REPLY
	for ((k = 0; k < nbr; k++)); do
		bridge_add $k || { err="bridge $k"; break; }
	done
	for ((i = 0; i < n && ${#err} == 0; i++)); do
		inst_add $i || err="instance $i"
	done
	now; t1=$REPLY
	k1=$(kmem)
	mem=0	# no process: bind mounts under /run/netns hold the namespaces
	pause
	now; td=$REPLY
	for ((i = 0; i < n; i++)); do
		ip netns del "vjbc$i" 2>/dev/null
	done
	now; t2=$REPLY
	"$BASELINE" --barrier --wait-prefix vjbch --sentinels 0 || err="links gone"
	now; t3=$REPLY
	for ((k = 0; k < nbr; k++)); do
		ip link del "vjbcbr$k"
	done
	now; t4=$REPLY
	"$BASELINE" --barrier --sentinels 1 || err="barrier"
	now; t5=$REPLY
	if [ $json = 1 ]; then
		printf '{"tool":"ipnetns","n":%d,"addrgen_none":%s,"bridges":%d,' \
		    "$n" "$([ $addrgen = 1 ] && echo true || echo false)" "$nbr"
		printf '"ok":%s,"error":"%s","create_ms":%s,"reap_ms":%s,' \
		    "$([ -z "$err" ] && echo true || echo false)" "$err" \
		    "$(ms $t0 $t1)" "$(ms $td $t2)"
		printf '"gone_ms":%s,"brdel_ms":%s,"freed_ms":%s,' \
		    "$(ms $td $t3)" "$(ms $td $t4)" "$(ms $td $t5)"
		printf '"kmem_kb":%d,"user_kb":%d}\n' $((k1 - k0)) "${mem%\}}"
	else
		echo "ip loop N=$n${err:+  ERROR: $err}"
		echo "  create $(ms $t0 $t1) ms; teardown: commands returned" \
		    "$(ms $td $t2), links gone $(ms $td $t3), bridges deleted" \
		    "$(ms $td $t4), freed $(ms $td $t5) ms"
		echo "  kernel memory $((k1 - k0)) kB ($(((k1 - k0) / n)) kB/inst)"
	fi
	[ -z "$err" ]
}

# Print the median of the arguments (ms values).
median() {
	printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1}
	    END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

# Latency: one instance created and removed R times on one bridge.
latency() {
	local r t0 t1 td t2 t3 t4 c=() d=() g=() f=()
	bridge_add 0 || { err="bridge"; return 1; }
	for ((r = 0; r < reps; r++)); do
		now; t0=$REPLY
		inst_add 0 || { err="instance"; break; }
		now; t1=$REPLY
		pause
		now; td=$REPLY
		ip netns del vjbc0
		now; t2=$REPLY
		"$BASELINE" --barrier --wait-prefix vjbch --sentinels 0
		now; t3=$REPLY
		"$BASELINE" --barrier --sentinels 1
		now; t4=$REPLY
		c+=("$(ms $t0 $t1)") d+=("$(ms $td $t2)")
		g+=("$(ms $td $t3)") f+=("$(ms $td $t4)")
	done
	ip link del vjbcbr0
	[ -n "$err" ] && { echo "ipnetns.sh: $err" >&2; return 1; }
	if [ $json = 1 ]; then
		printf '{"tool":"ipnetns","mode":"latency","reps":%d,' "$reps"
		printf '"create_ms":%s,"reap_ms":%s,"gone_ms":%s,"freed_ms":%s}\n' \
		    "$(median "${c[@]}")" "$(median "${d[@]}")" \
		    "$(median "${g[@]}")" "$(median "${f[@]}")"
	else
		echo "ip loop latency, one instance, $reps runs (medians, ms):" \
		    "create $(median "${c[@]}"), removed $(median "${d[@]}")," \
		    "gone $(median "${g[@]}"), freed $(median "${f[@]}")"
	fi
}

cleanup
if [ "$reps" -gt 0 ]; then
	latency
else
	bulk
fi
