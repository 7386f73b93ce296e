#!/bin/bash
# leakcheck.sh: nothing of ours may outlive the tests.
#   leakcheck.sh snapshot FILE   record the host's state before the tests
#   leakcheck.sh check FILE      TAP: compare with it, list what leaked

# The host's state, one line per object, sorted.
state() {
	ip netns list 2>/dev/null | awk '{print "netns " $1}'
	ip -o link show 2>/dev/null | awk -F': ' '{sub(/@.*/, "", $2); print "link " $2}'
	awk '{print "mount " $2}' /proc/self/mounts
	find /sys/fs/cgroup -type d -path '*vjail*' 2>/dev/null | sed 's/^/cgroup /'
	ls /run/vjail/jail 2>/dev/null | sed 's/^/jail /'
	ls /run/vjail/name 2>/dev/null | sed 's/^/jailname /'
	ps -eo pid=,comm= | awk '$2 == "vjail-init" {print "process vjail-init " $1}'
}

case $1 in
snapshot)
	state | sort >"$2"
	;;
check)
	# The kernel frees namespaces and links asynchronously: give it time.
	for i in $(seq 1 50); do
		state | sort >"$2.after"
		[ -z "$(comm -13 "$2" "$2.after")" ] && break
		sleep 0.2
	done
	n=0
	for what in jail jailname process netns link mount cgroup; do
		n=$((n + 1))
		left=$(comm -13 "$2" "$2.after" | grep "^$what ")
		if [ -z "$left" ]; then
			echo "ok $n - no $what left"
		else
			echo "not ok $n - $what left behind"
			printf '%s\n' "$left" | head -20 | sed 's/^/# /'
		fi
	done
	echo "1..$n"
	rm -f "$2.after"
	;;
esac
