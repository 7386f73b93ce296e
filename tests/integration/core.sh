#!/bin/bash
# core.sh: jails that exist, run, list and vanish cleanly (issue: core).
. "$(dirname "$0")/../lib.sh"
P=t_core_

# The jail's init pid, from the state store.
init_of() {
	awk '/^init/{p = $2} END {print p}' \
	    "/run/vjail/jail/$(name_jid "$1")"
}

test_persistent_vnet_jail() {
	expect -o empty -- jail -c name=${P}a persist vnet host.hostname=alpha
	expect -o alpha -- jexec ${P}a hostname
	expect -o "match:^1: lo:" -- jexec ${P}a ip -o link
	assert [ "$(jexec ${P}a ip -o link | wc -l)" = 1 ]
	expect -o empty -- jail -r ${P}a
	assert [ ! -e /run/vjail/name/${P}a ]
	done_case
}
cleanup_persistent_vnet_jail() { remove_jails $P; }

test_remove_leaves_nothing() {
	local pid jid
	jail -c name=${P}b persist vnet mount.devfs host.hostname=b
	pid=$(init_of ${P}b)
	jid=$(name_jid ${P}b)
	jail -r ${P}b
	assert wait_for 5 sh -c "! kill -0 $pid"
	assert [ ! -e /run/vjail/name/${P}b ]
	assert [ ! -e /run/vjail/jail/$jid ]
	assert [ -z "$(grep -E "/run/vjail" /proc/self/mounts)" ]
	done_case
}
cleanup_remove_leaves_nothing() { remove_jails $P; }

test_command_jail_vanishes() {
	expect -o "in jail" -- jail -c name=${P}c command=/bin/echo "in jail"
	assert [ ! -e /run/vjail/name/${P}c ]
	expect -s 1 -e "jail: /bin/false: failed" -- jail -c name=${P}c command=/bin/false
	assert [ ! -e /run/vjail/name/${P}c ]
	done_case
}
cleanup_command_jail_vanishes() { remove_jails $P; }

test_background_process_keeps_jail() {
	jail -c name=${P}d command=/bin/sh -c 'sleep 4 </dev/null >/dev/null 2>&1 &'
	assert [ -e /run/vjail/name/${P}d ]
	assert wait_for 12 [ ! -e /run/vjail/name/${P}d ]
	done_case
}
cleanup_background_process_keeps_jail() { remove_jails $P; }

# The store's index entries are hard links to the record; on a disk file
# system a removed record is kept in spare/ and taken by the next jail (no
# inode allocated or freed); jail -m moves the index to its new record.
test_store_recycles_records() {
	local s=/run/vjail jid ino spares i
	jail -c name=${P}s persist vnet
	jid=$(name_jid ${P}s)
	assert [ "$(stat -c %i $s/name/${P}s)" = "$(stat -c %i $s/jail/$jid)" ]
	expect -o empty -- jail -m name=${P}s host.hostname=moved
	assert [ "$(stat -c %i $s/name/${P}s)" = "$(stat -c %i $s/jail/$jid)" ]
	ino=$(stat -c %i $s/jail/$jid)
	expect -o empty -- jail -r ${P}s
	assert [ ! -e $s/name/${P}s ]
	if [ "$(stat -f -c %T $s)" != tmpfs ]; then
		assert [ "$(stat -c %i $s/spare/$jid)" = "$ino" ]
		spares=" $(stat -c %i $s/spare/* | tr '\n' ' ')"
		jail -c name=${P}s2 persist
		jid=$(name_jid ${P}s2)
		ino=$(stat -c %i $s/jail/$jid)
		assert [ -n "$ino" -a -z "${spares##* $ino *}" ]
		expect -s 1 -- grep -qx "name ${P}s" $s/jail/$jid
		expect -o "match:${P}s2" -- jls -j ${P}s2 name
		expect -o empty -- jail -r ${P}s2
		assert [ ! -e $s/name/${P}s2 ]
		# Records taken again and again stay short.
		for i in $(seq 12); do
			jail -c name=${P}s3 persist vnet
			assert [ "$(stat -c %s $s/jail/$(name_jid ${P}s3))" -le 6144 ]
			jail -r ${P}s3
		done
	fi
	done_case
}
cleanup_store_recycles_records() { remove_jails $P; }

test_persist_toggle() {
	jail -c name=${P}e persist
	expect -o empty -- jail -m name=${P}e nopersist
	assert wait_for 5 [ ! -e /run/vjail/name/${P}e ]
	done_case
}
cleanup_persist_toggle() { remove_jails $P; }

test_sysvshm_new_and_disable() {
	local id
	id=$(ipcmk -M 4096 | awk '{print $NF}')
	expect -o "match:^0x" -- ipcs -m
	expect -o 0 -- jail -c name=${P}f sysvshm=new \
	    command=/bin/sh -c 'ipcs -m | grep -c "^0x" || true'
	expect -s ! -e "match:Function not implemented" -- \
	    jail -c name=${P}f sysvshm=disable command=ipcmk -M 4096
	# Disabled (the default) also hides the host's objects.
	expect -o 0 -- jail -c name=${P}f command=/bin/sh -c \
	    "grep -cw $id /proc/sysvipc/shm || true"
	expect -o "match:0x" -- jail -c name=${P}f sysvshm=inherit sysvmsg=inherit sysvsem=inherit command=ipcs -m
	ipcrm -m "$id"
	done_case
}
cleanup_sysvshm_new_and_disable() { remove_jails $P; }

test_nested_jails() {
	jail -c name=${P}n persist children.max=1
	expect -o empty -- jexec ${P}n jail -c name=child persist
	expect -s 1 -o empty -e "jail: prison limit exceeded" -- \
	    jexec ${P}n jail -c name=child2 persist
	expect -o "match:child" -- jexec ${P}n jls -n name
	assert [ -e /run/vjail/name/${P}n.child ]
	jail -c name=${P}m persist
	expect -s 1 -o empty -e "jail: jail_set: Operation not permitted" -- \
	    jexec ${P}m jail -c name=child persist
	expect -o empty -- jail -r ${P}n
	assert [ ! -e /run/vjail/name/${P}n.child ]
	done_case
}
cleanup_nested_jails() { remove_jails $P; }

test_nested_from_host() {
	local pjid
	jail -c name=${P}p persist children.max=1
	pjid=$(name_jid ${P}p)
	expect -o empty -- jail -c name=${P}p.c persist host.hostname=c
	expect -o "$pjid" -- jls -j ${P}p.c parent
	expect -o "match:^ *[0-9]+ +c +/$" -- jexec ${P}p jls
	expect -s 1 -e "jail: prison limit exceeded" -- jail -c name=${P}p.d persist
	expect -s 1 -e "jail: jail \"${P}none\" not found" -- \
	    jail -c name=${P}none.x persist
	expect -o empty -- jail -r ${P}p
	assert [ ! -e /run/vjail/name/${P}p.c ]
	done_case
}
cleanup_nested_from_host() { remove_jails $P; }

# Parent and child made on different CPUs: namespace ids come from
# per-CPU batches, and the parent's handle on the child's mount
# namespace needs the child's to be the newer (1 in 3 failed before).
test_nested_across_cpus() {
	local i
	[ "$(nproc)" -ge 2 ] || { done_case; return; }
	for i in 1 2 3 4 5 6; do
		# Both ways round: which CPU's batch is ahead varies.
		expect -s 0 -e "match:not a boundary" -- \
		    taskset -c $((i % 2)) "$VJ_BIN/jail" -c \
		    name=${P}x$i persist children.max=1
		expect -o empty -- taskset -c $(((i + 1) % 2)) "$VJ_BIN/jail" \
		    -c name=${P}x$i.c persist
		expect -o empty -- jexec ${P}x$i jexec c true
		expect -o empty -- jail -r ${P}x$i
	done
	done_case
}
cleanup_nested_across_cpus() { remove_jails $P; }

test_bad_input() {
	expect -s 1 -e "jail: unknown parameter: nosuchparam" -- \
	    jail -c name=${P}x persist nosuchparam=1
	expect -s 1 -e "jail: path /nonexistent: No such file or directory" -- \
	    jail -c name=${P}x persist path=/nonexistent
	expect -s 1 -e "jail: persist: unknown boolean value \"maybe\"" -- \
	    jail -c name=${P}x persist=maybe
	jail -c name=${P}x persist
	expect -s 1 -e "jail: \"${P}x\" already exists" -- jail -c name=${P}x persist
	expect -s 1 -e "match:vnet cannot be changed after creation" -- \
	    jail -m name=${P}x vnet
	expect -s 1 -e "jail: \"${P}nope\" not found" -- jail -r ${P}nope
	jail -r ${P}x
	assert [ ! -e /run/vjail/name/${P}x ]
	done_case
}
cleanup_bad_input() { remove_jails $P; }

test_exec_hooks_order() {
	expect -o "$(printf 'prestart\ncreated\nstart\npoststart')" -- \
	    jail -c name=${P}h persist exec.prestart="echo prestart" \
	    exec.created="echo created" exec.start="/bin/echo start" \
	    exec.poststart="echo poststart"
	jail -r ${P}h
	expect -o "match:^JID=[0-9]+ JNAME=${P}h JPATH=/$" -- \
	    jail -c name=${P}h path=/ persist exec.poststart='echo JID=$JID JNAME=$JNAME JPATH=$JPATH'
	expect -o "$(printf 'prestop\nstop\npoststop')" -- \
	    jail -r name=${P}h exec.prestop="echo prestop" \
	    exec.stop="/bin/echo stop" exec.poststop="echo poststop"
	done_case
}
cleanup_exec_hooks_order() { remove_jails $P; }

# jail -r over a jail.conf keeps removals in flight (inits killed side by
# side), sequentially and with -p; a jail with exec.poststop is gone when
# its hook runs; every jail is reported and nothing is left.
test_conf_removal_in_flight() {
	local conf=$T_TMP/many.conf i p
	for p in "" "-p 2"; do
		: > "$conf"
		for i in $(seq 0 23); do
			echo "${P}w$i { vnet = new; persist; }" >> "$conf"
		done
		echo "${P}w5 { exec.poststop = \"jls -j ${P}w5 >/dev/null 2>&1 && echo still-there || echo gone-before-poststop\"; }" >> "$conf"
		expect -o empty -- jail -q $p -f "$conf" -c
		assert [ "$(ls /run/vjail/name | grep -c "^${P}w")" = 24 ]
		expect -o "match:gone-before-poststop" -- jail $p -f "$conf" -r '*'
		assert [ "$(grep -c ': removed$' "$T_TMP/out")" = 24 ]
		assert [ -z "$(ls /run/vjail/name | grep "^${P}w")" ]
	done
	done_case
}
cleanup_conf_removal_in_flight() { remove_jails ${P}w; }

# jail -c over many jails keeps creations in flight: "created" lines in
# conf order, a jail with hooks sees every jail before it, a failing init
# fails the run and leaves nothing, with and without -p.
test_conf_creation_in_flight() {
	local conf=$T_TMP/many.conf i p want
	for p in "" "-p 2"; do
		for i in $(seq 0 15); do
			printf '%s { persist; %s%s' "${P}q$i" \
			    "$([ $((i % 2)) = 1 ] && echo 'vnet = new; ')" \
			    "$([ $((i % 4)) = 2 ] && echo 'user.map = auto; ')"
			# Without -p, a jail with a hook waits for those before it.
			[ -z "$p" ] && [ $i = 9 ] && printf 'exec.prestart = "%s";' \
			    "$VJ_BIN/jls -j ${P}q8 >/dev/null && echo q8-was-there || true"
			echo "}"
		done > "$conf"
		want="q8-was-there"
		[ -n "$p" ] && want="${P}q15: created"
		expect -o "match:$want" -e "match:init setting up while" -- \
		    jail -v $p -f "$conf" -c
		assert [ "$(grep -c ': created$' "$T_TMP/out")" = 16 ]
		assert [ "$(ls /run/vjail/name | grep -c "^${P}q")" = 16 ]
		if [ -z "$p" ]; then
			want=$(for i in $(seq 0 15); do echo "${P}q$i: created"; done)
			assert [ "$(grep ': created$' "$T_TMP/out")" = "$want" ]
		fi
		expect -- jail -q $p -f "$conf" -r '*'
		VJAIL_FAIL_AT=mount:child expect -s 1 -e "match:injected failure" -- \
		    jail -q $p -f "$conf" -c
		assert [ "$(grep -c 'injected failure' "$T_TMP/err")" = 16 ]
		assert [ -z "$(ls /run/vjail/name | grep "^${P}q")" ]
		# A failure after the init is cloned, before it is let go.
		VJAIL_FAIL_AT=prison:attach expect -s 1 -e "match:injected failure" -- \
		    jail -q $p -f "$conf" -c
		assert [ "$(grep -c 'injected failure' "$T_TMP/err")" = 16 ]
		assert [ -z "$(ls /run/vjail/name | grep "^${P}q")" ]
	done
	# Under -p, a jail whose dependency failed is skipped, not made.
	printf '%s\n' "${P}qa { persist; }" "${P}qb { persist; depend = ${P}qa; }" \
	    > "$conf"
	VJAIL_FAIL_AT=mount:child expect -s 1 -e "match:${P}qb: skipped" -- \
	    jail -q -p 2 -f "$conf" -c
	assert [ -z "$(ls /run/vjail/name | grep "^${P}q")" ]
	done_case
}
cleanup_conf_creation_in_flight() { remove_jails ${P}q; }

# A jail that fails under jail -p fails the run, as it does without -p.
test_parallel_failure_fails_run() {
	local conf=$T_TMP/fail.conf
	printf '%s\n' "${P}f0 { persist; }" "${P}f1 { persist; path = /nonexistent; }" \
	    "${P}f2 { persist; }" > "$conf"
	expect -s 1 -e "match:path /nonexistent" -- jail -q -p 2 -f "$conf" -c
	assert [ -e /run/vjail/name/${P}f0 ] && assert [ -e /run/vjail/name/${P}f2 ]
	expect -s 0 -- jail -q -p 2 -f "$conf" -r ${P}f0 ${P}f2
	done_case
}
cleanup_parallel_failure_fails_run() { remove_jails ${P}f; }

test_kill9_midway_then_remove() {
	local i
	for i in 1 2 3 4 5; do
		jail -c name=${P}k persist vnet host.hostname=k &
		sleep 0.0$((i * 2))
		kill -9 $! 2>/dev/null
		wait $! 2>/dev/null
		jail -r ${P}k >/dev/null 2>&1
		assert [ ! -e /run/vjail/name/${P}k ]
		expect -o empty -- jail -c name=${P}k persist
		jail -r ${P}k
	done
	done_case
}
cleanup_kill9_midway_then_remove() { remove_jails $P; }

test_200_cycles_no_growth() {
	local i fds0 fds1 mnt0 mnt1 ns0 ns1
	fds0=$(ls /proc/sys/fs/file-nr >/dev/null; awk '{print $1}' /proc/sys/fs/file-nr)
	mnt0=$(wc -l </proc/self/mounts)
	for i in $(seq 1 200); do
		jail -c name=${P}cyc persist vnet mount.devfs host.hostname=c || break
		jail -r ${P}cyc || break
	done
	assert [ "$i" = 200 ]
	sleep 1
	mnt1=$(wc -l </proc/self/mounts)
	fds1=$(awk '{print $1}' /proc/sys/fs/file-nr)
	assert [ "$mnt1" = "$mnt0" ]
	assert [ $((fds1 - fds0)) -lt 1000 ]	# system-wide: a per-cycle leak would show 1000+
	assert [ ! -e /run/vjail/name/${P}cyc ]
	done_case
}
cleanup_200_cycles_no_growth() { remove_jails $P; }

run_tests
