#!/bin/bash
# limits.sh: resource limits (limit.maxproc, limit.memoryuse, limit.pcpu):
# their cgroups (v2 or v1, whichever has the controller), what they
# confine, jail -m, bad values, and that a jail without limits has none.
if [ -f "$(dirname "$0")/../lib.sh" ]; then
	. "$(dirname "$0")/../lib.sh"
else
	echo "limits.sh needs tests/lib.sh" >&2
	exit 2
fi
P=t_limits_
CG=/sys/fs/cgroup
PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)

require [ "$(id -u)" = 0 ]
require [ -d $CG ]

# The groups of a jail (by jid) that exist, one a line.
groups_of() {
	local d
	for d in $CG/vjail/$1 $CG/*/vjail/$1; do
		[ -d "$d" ] && echo "$d"
	done
}

# The group of a jail holding a control file (v2 name or v1 name).
group_with() {
	local jid=$1 file d
	shift
	for d in $(groups_of "$jid"); do
		for file in "$@"; do
			[ -e "$d/$file" ] && { echo "$d/$file"; return 0; }
		done
	done
	return 1
}

# No group of this jid anywhere.
no_groups() {
	[ -z "$(groups_of "$1")" ]
}

test_maxproc_stops_a_fork_loop() {
	local jid f
	jail -c name=${P}p persist limit.maxproc=5 || _fail "create"
	jid=$(jls -j ${P}p jid)
	f=$(group_with "$jid" pids.max) || _fail "no pids group"
	assert [ "$(cat "$f")" = 5 ]
	assert [ -n "$(cat "$(dirname "$f")/cgroup.procs")" ]
	expect -s ! -e "match:[Cc]an.?not fork|Resource temporarily unavailable" -- \
	    jexec ${P}p sh -c 'i=0; while [ $i -lt 20 ]; do
	    sleep 2 & i=$((i + 1)); done; wait'
	# The jail sees its group as its root (cgroup namespace).
	expect -o "match:(pids:|0::)/$" -- jexec ${P}p cat /proc/self/cgroup
	# jail -m raises it.
	expect -- jail -m name=${P}p limit.maxproc=50
	assert [ "$(cat "$f")" = 50 ]
	expect -o done -- jexec ${P}p sh -c 'i=0; while [ $i -lt 20 ]; do
	    sleep 1 & i=$((i + 1)); done; wait; echo done'
	# A bad change changes nothing.
	expect -s 1 -e "jail: limit.pcpu: cannot be added to a jail created without it" \
	    -- jail -m name=${P}p limit.maxproc=7 limit.pcpu=20
	assert [ "$(cat "$f")" = 50 ]
	expect -- jail -m name=${P}p limit.maxproc=unlimited
	assert [ "$(cat "$f")" = max ]
	done_case
}
cleanup_maxproc_stops_a_fork_loop() { remove_jails $P; }

test_memoryuse_confines_a_hog() {
	local jid f
	[ -n "$PY" ] || { echo "no python3"; return 0; }
	jail -c name=${P}m persist limit.memoryuse=64M || _fail "create"
	jid=$(jls -j ${P}m jid)
	f=$(group_with "$jid" memory.max memory.limit_in_bytes) ||
	    _fail "no memory group"
	assert [ "$(cat "$f")" = 67108864 ]
	expect -s ! -e ignore -- jexec ${P}m "$PY" -c '
b = []
while True:
    b.append(bytearray(16 << 20))'
	# The jail and the host go on.
	expect -o alive -- jexec ${P}m echo alive
	expect -o host -- echo host
	expect -- jail -m name=${P}m limit.memoryuse=1G
	assert [ "$(cat "$f")" = 1073741824 ]
	expect -- jexec ${P}m "$PY" -c '
b = []
while True:
    b.append(bytearray(16 << 20))
    if len(b) > 32: raise SystemExit(0)'
	expect -- jail -m name=${P}m limit.memoryuse=32M
	assert [ "$(cat "$f")" = 33554432 ]
	done_case
}
cleanup_memoryuse_confines_a_hog() { remove_jails $P; }

test_pcpu_sets_a_quota() {
	local jid f
	jail -c name=${P}c persist limit.pcpu=50 || _fail "create"
	jid=$(jls -j ${P}c jid)
	f=$(group_with "$jid" cpu.max cpu.cfs_quota_us) || _fail "no cpu group"
	assert grep -Eq '^(50000 100000|50000)$' "$f"
	expect -- jail -m name=${P}c limit.pcpu=unlimited
	assert grep -Eq '^(max 100000|-1)$' "$f"
	done_case
}
cleanup_pcpu_sets_a_quota() { remove_jails $P; }

test_groups_live_with_the_jail() {
	local jid n
	jail -c name=${P}g persist limit.maxproc=100 limit.memoryuse=256M \
	    limit.pcpu=100 || _fail "create"
	jid=$(jls -j ${P}g jid)
	n=$(groups_of "$jid" | wc -l)
	assert [ "$n" -ge 1 ]
	assert [ "$n" -le 3 ]
	expect -- jexec ${P}g sleep 0.1
	expect -- jail -r ${P}g
	assert no_groups "$jid"
	done_case
}
cleanup_groups_live_with_the_jail() { remove_jails $P; }

test_no_limits_no_group() {
	local jid
	jail -c name=${P}n persist || _fail "create"
	jid=$(jls -j ${P}n jid)
	assert no_groups "$jid"
	expect -- jexec ${P}n true
	assert no_groups "$jid"
	expect -s 1 -e "jail: limit.maxproc: cannot be added to a jail created without it" \
	    -- jail -m name=${P}n limit.maxproc=10
	assert no_groups "$jid"
	done_case
}
cleanup_no_limits_no_group() { remove_jails $P; }

test_bad_values() {
	local v before after
	before=$(ls -d $CG/vjail/*/ $CG/*/vjail/*/ 2>/dev/null | wc -l)
	for v in limit.maxproc=0 limit.maxproc=-1 limit.maxproc=ten \
	    limit.maxproc=5000000 limit.memoryuse=12Q limit.memoryuse=100 \
	    limit.memoryuse=99999999999999T limit.memoryuse= limit.pcpu=0 \
	    limit.pcpu=50% limit.pcpu=99999999; do
		expect -s 1 -o empty -e "match:^jail: ${v%%=*}: bad value \".*\": want " \
		    -- jail -c name=${P}bad persist "$v"
		assert [ "$(jail -c name=${P}bad persist "$v" 2>&1 | wc -l)" = 1 ]
		assert [ ! -e /run/vjail/name/${P}bad ]
	done
	after=$(ls -d $CG/vjail/*/ $CG/*/vjail/*/ 2>/dev/null | wc -l)
	assert [ "$before" = "$after" ]
	done_case
}
cleanup_bad_values() { remove_jails $P; }

test_failed_create_leaves_no_group() {
	local before after
	before=$(ls -d $CG/vjail/*/ $CG/*/vjail/*/ 2>/dev/null | wc -l)
	VJAIL_FAIL_AT=limits:attach expect -s 1 -e "match:injected failure" -- \
	    jail -c name=${P}f persist limit.maxproc=9 limit.memoryuse=64M
	after=$(ls -d $CG/vjail/*/ $CG/*/vjail/*/ 2>/dev/null | wc -l)
	assert [ "$before" = "$after" ]
	assert [ ! -e /run/vjail/name/${P}f ]
	done_case
}
cleanup_failed_create_leaves_no_group() { remove_jails $P; }

test_nested_jail_stays_in_parent_limits() {
	local jid cjid djid
	jail -c name=${P}np persist limit.maxproc=20 children.max=5 \
	    >/dev/null 2>&1 || _fail "create parent"
	jail -c name=${P}np.c persist || _fail "create child"
	jail -c name=${P}np.d persist limit.maxproc=3 || _fail "create child d"
	jid=$(jls -j ${P}np jid)
	cjid=$(jls -j ${P}np.c jid)
	djid=$(jls -j ${P}np.d jid)
	# A child without limits joins its parent's group, makes none.
	assert no_groups "$cjid"
	expect -s ! -e "match:[Cc]an.?not fork" -- jexec ${P}np.c sh -c '
	    i=0; while [ $i -lt 30 ]; do sleep 2 & i=$((i + 1)); done; wait'
	# A child with limits gets its own group below its parent's.
	assert [ -n "$(ls -d $CG/*/vjail/$jid/$djid $CG/vjail/$jid/$djid \
	    2>/dev/null)" ]
	expect -s ! -e "match:[Cc]an.?not fork" -- jexec ${P}np.d sh -c '
	    i=0; while [ $i -lt 5 ]; do sleep 2 & i=$((i + 1)); done; wait'
	expect -s 1 -e "match:limit.maxproc: cannot be added" -- \
	    jail -m name=${P}np.c limit.maxproc=10
	expect -- jail -r ${P}np
	assert no_groups "$jid"
	done_case
}
cleanup_nested_jail_stays_in_parent_limits() { remove_jails $P; }

test_with_ip_restrictions() {
	local jid
	jail -c name=${P}ip persist ip4.addr=127.0.0.1 limit.maxproc=5 ||
	    _fail "create"
	jid=$(jls -j ${P}ip jid)
	assert group_with "$jid" pids.max
	expect -s ! -e "match:[Cc]an.?not fork" -- jexec ${P}ip sh -c '
	    i=0; while [ $i -lt 20 ]; do sleep 2 & i=$((i + 1)); done; wait'
	expect -- jail -r ${P}ip
	assert no_groups "$jid"
	done_case
}
cleanup_with_ip_restrictions() { remove_jails $P; }

test_missing_controller() {
	command -v unshare >/dev/null || { echo "no unshare"; return 0; }
	[ -d $CG/pids ] && grep -q " $CG/pids cgroup " /proc/self/mounts ||
	    { echo "pids is not a v1 hierarchy here"; return 0; }
	expect -s 1 -o empty -e "jail: limit.maxproc: unsupported: no pids controller" \
	    -- unshare -m sh -c "umount -l $CG/pids && jail -c name=${P}u persist limit.maxproc=5"
	assert [ ! -e /run/vjail/name/${P}u ]
	done_case
}
cleanup_missing_controller() { remove_jails $P; }

run_tests
