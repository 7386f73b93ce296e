#!/bin/bash
# security.sh: the isolation checks of security.md §3.3, run by the probe
# inside default jails of every shape (path=/, vnet, a root of its own,
# a user namespace), plus the checks only the host can make: symlinked
# mount targets, kill -1, other jails' processes and IPC, and nothing
# left behind.  allow.* one by one: security_allow.sh.
. "$(dirname "$0")/../lib.sh"
. "$VJ_ROOT/tests/isolation/jails.sh"
P=t_sec_
setup_probe || exit 1

# A host process and a host listener the jails must not reach.
start_host_side() {
	sleep 3600.4242 &
	echo $! >"$T_TMP/sleep.pid"
	"$PD/probe" listen 47999 vjail-probe-host >"$T_TMP/listen.out" &
	echo $! >"$T_TMP/listen.pid"
	wait_for 5 grep -q listening "$T_TMP/listen.out"
	ipcmk -M 4096 -p 0600 >/dev/null 2>&1 || true
}

# Stop what start_host_side started.
stop_host_side() {
	kill "$(cat "$T_TMP/sleep.pid")" "$(cat "$T_TMP/listen.pid")" 2>/dev/null
	remove_jails $P
}

# The key of a host SysV segment, as probe -k wants it.
host_shm_key() {
	ipcs -m | awk '$1 ~ /^0x/ && $1 != "0x00000000" { print $1; exit }'
}

# The probe options every default jail shares.
host_opts() {
	local key
	key=$(host_shm_key)
	echo "-p 3600.4242 -S $PD/probe-suid -U vjail-probe-host -P 47999" \
	    "-C $PD/capmode_test ${key:+-k $key:disable}"
}

test_default_jail() {
	start_host_side
	probe_jail ${P}a "$(host_opts)" --
	done_case
}
cleanup_default_jail() { stop_host_side; }

test_default_vnet_jail() {
	start_host_side
	probe_jail ${P}b "-v $(host_opts)" -- vnet
	done_case
}
cleanup_default_vnet_jail() { stop_host_side; }

test_own_root() {
	local r=$T_TMP/root
	make_rootfs "$r"
	touch "$T_TMP/marker"
	probe_jail ${P}c "-r -m $T_TMP/marker -S /probe-suid" PROBE=/probe -- \
	    path="$r" mount.devfs mount.procfs
	done_case
}
cleanup_own_root() { remove_jails $P; }

test_own_root_bare() {
	local r=$T_TMP/bare
	make_rootfs "$r"
	# No devfs: /dev is the root's (empty) directory, on a nodev mount.
	probe_jail ${P}d "-r -d none -c 1,3,11,12,13,24,25,27,29,30" \
	    PROBE=/probe -- path="$r" mount.procfs
	done_case
}
cleanup_own_root_bare() { remove_jails $P; }

test_user_namespace() {
	start_host_side
	probe_jail ${P}e "-u $(host_opts)" -- user.map=auto
	done_case
}
cleanup_user_namespace() { stop_host_side; }

test_user_namespace_vnet_own_root() {
	local r=$T_TMP/uroot
	make_rootfs "$r"
	touch "$T_TMP/marker"
	probe_jail ${P}f "-u -v -r -m $T_TMP/marker -S /probe-suid" \
	    PROBE=/probe -- path="$r" mount.devfs mount.procfs vnet \
	    user.map=auto
	done_case
}
cleanup_user_namespace_vnet_own_root() { remove_jails $P; }

test_processes_entering_by_jexec() {
	[ -x "$VJ_BIN/jexec" ] || { echo "# no jexec yet"; return 0; }
	jail -c name=${P}g persist vnet allow.raw_sockets
	jexec ${P}g "$PD/probe" -v -a raw_sockets -c 15,16,17,19,20,24,25,26,38 \
	    >"$T_TMP/probe.out" 2>&1
	check_tap "jexec"
	done_case
}
cleanup_processes_entering_by_jexec() { remove_jails $P; }

# Check the capability-mode program's TAP (in $T_TMP/cap.out): no
# failure, a plan, every planned line present.
check_capmode_tap() {
	local what=$1 out=$T_TMP/cap.out plan n
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$out")
	n=$(grep -c '^ok ' "$out")
	if grep -q '^not ok' "$out"; then
		grep -A0 -B3 '^not ok' "$out"
		_fail "$what: capability-mode cases failed"
	fi
	[ -n "$plan" ] && [ "$n" = "$plan" ] ||
	    _fail "$what: $n ok lines, plan ${plan:-missing}"
}

# 43: cap_enter by a process that entered by jexec, in a default jail and
# a vnet jail, plain and with a second thread (-t).
test_capability_mode_by_jexec() {
	[ -x "$VJ_BIN/jexec" ] || { echo "# no jexec yet"; return 0; }
	local j a
	jail -c name=${P}ca persist
	jail -c name=${P}cb persist vnet
	for j in ${P}ca ${P}cb; do
		for a in "" -t; do
			jexec $j "$PD/capmode_test" $a >"$T_TMP/cap.out" 2>&1
			assert [ $? -eq 0 ]
			check_capmode_tap "$j capmode_test $a"
		done
	done
	done_case
}
cleanup_capability_mode_by_jexec() { remove_jails $P; }

# 23: unix.abstract=new scopes a shared stack's abstract sockets.
test_abstract_sockets_scoped() {
	start_host_side
	probe_jail ${P}v "-s $(host_opts)" -- unix.abstract=new
	jail -c name=${P}w persist unix.abstract=new
	expect -s 1 -e 'jail: unix.abstract: invalid value "disable"' -- \
	    jail -c name=${P}x persist unix.abstract=disable
	done_case
}
cleanup_abstract_sockets_scoped() { stop_host_side; }

# 16: a working directory reached through a descriptor from outside is
# refused (CVE-2024-21626).
test_cwd_outside_refused() {
	[ -x "$VJ_BIN/jexec" ] || { echo "# no jexec yet"; return 0; }
	make_rootfs "$T_TMP/croot"
	jail -c name=${P}y persist path="$T_TMP/croot" mount.procfs
	expect -s 1 -e "match:working directory outside the jail" -- \
	    jexec -d /proc/self/fd/9 ${P}y /bin/sh -c pwd 9</tmp
	expect -o / -- jexec ${P}y /bin/sh -c pwd
	done_case
}
cleanup_cwd_outside_refused() { remove_jails $P; }

# 18: symlinks planted in a jail's tree never lead a mount out.
test_symlinked_targets_refused() {
	local r=$T_TMP/sroot out=$T_TMP/outside
	make_rootfs "$r"
	mkdir -p "$out"
	rmdir "$r/proc" && ln -s "$out" "$r/proc"
	expect -s 1 -e "match:mount.procfs: /proc: a symbolic link" -- \
	    jail -c name=${P}h path="$r" mount.procfs persist
	rm "$r/proc" && mkdir "$r/proc"
	rmdir "$r/dev" && ln -s ../../../.. "$r/dev"
	expect -s 1 -e "match:mount.devfs: /dev: a symbolic link" -- \
	    jail -c name=${P}h path="$r" mount.devfs persist
	rm "$r/dev" && mkdir "$r/dev"
	ln -s /etc "$r/etc2"
	expect -s 1 -e "match:a symbolic link: refused" -- \
	    jail -c name=${P}h path="$r" persist mount="tmpfs $r/etc2 tmpfs rw"
	mkdir -p "$r/data" && ln -s /etc "$r/data/link"
	expect -s 1 -e "match:/data/link/x: No such file" -- \
	    jail -c name=${P}h path="$r" persist \
	    mount="tmpfs $r/data/link/x tmpfs rw"
	assert [ -z "$(ls -A "$out")" ]
	assert [ ! -e /etc/x ]
	assert [ -z "$(grep -E "$out| /etc " /proc/self/mountinfo)" ]
	assert [ ! -e /run/vjail/name/${P}h ]
	done_case
}
cleanup_symlinked_targets_refused() { remove_jails $P; }

# 21: kill -1 from jailed root kills the jail's processes only.
test_kill_minus_one_contained() {
	local host other
	sleep 3600.4343 &
	host=$!
	jail -c name=${P}i persist
	jail -c name=${P}j command=/bin/sh -c 'kill -KILL -1; exit 0'
	sleep 0.3
	assert kill -0 $host
	assert [ -e /run/vjail/name/${P}i ]
	other=$(awk '/^init/ { print $2 }' \
	    "/run/vjail/jail/$(name_jid ${P}i)" | tail -1)
	assert kill -0 "$other"
	kill $host
	done_case
}
cleanup_kill_minus_one_contained() { remove_jails $P; pkill -f 3600.4343; true; }

# Another jail's processes and SysV objects are out of reach.
test_other_jail_out_of_reach() {
	local key
	jail -c name=${P}k persist sysvshm=new
	key=$(jail -c name=${P}k2 sysvshm=new command=/bin/sh -c \
	    'ipcmk -M 4096 >/dev/null; ipcs -m | awk "/^0x/ { print \$1 }";
	     sleep 3600.4545 </dev/null >/dev/null 2>&1 &')
	assert [ -n "$key" ]
	[ -x "$VJ_BIN/jexec" ] &&
	    jexec ${P}k /bin/sh -c 'sleep 3600.4444 </dev/null >/dev/null 2>&1 &'
	probe_jail ${P}l "-p 3600.4545 -c 19,22 -k $key:new" -- sysvshm=new
	probe_jail ${P}l "-p 3600.4444 -c 19,22 -k $key:disable" --
	done_case
}
cleanup_other_jail_out_of_reach() { remove_jails $P; pkill -f 3600.4[45]; true; }

# 6, 35: what a jail changes stays in the jail.
test_host_unchanged() {
	local name pattern
	name=$(hostname)
	pattern=$(cat /proc/sys/kernel/core_pattern)
	probe_jail ${P}m "-u -c 6,35" -- user.map=auto
	jail -c name=${P}m user.map=auto command=/bin/sh -c \
	    'hostname changed-in-jail; echo x >/proc/sys/kernel/core_pattern' \
	    >/dev/null 2>&1
	assert [ "$(hostname)" = "$name" ]
	assert [ "$(cat /proc/sys/kernel/core_pattern)" = "$pattern" ]
	done_case
}
cleanup_host_unchanged() { remove_jails $P; }

# Jails one process makes that may not mount share one read-only /dev
# (devfs.c's template) with a devpts and a shm of their own; a jail that
# may mount gets its own /dev.  Nobody can write the shared one, or make
# it writable.
test_devfs_shared_read_only() {
	local a b m n
	printf '%s\n' "${P}da { persist; }" \
	    "${P}db { persist; user.map = auto; }" \
	    "${P}dm { persist; allow.mount; allow.mount.tmpfs; enforce_statfs = 1; }" \
	    >"$T_TMP/devfs.conf"
	expect -o empty -e "match:allow.mount: without user.map" -- \
	    jail -q -f "$T_TMP/devfs.conf" -c
	a=$(jexec ${P}da stat -c %d /dev)
	assert [ -n "$a" ]
	b=$(jexec ${P}db stat -c %d /dev)
	m=$(jexec ${P}dm stat -c %d /dev)
	# Kernels before 6.15 clone no detached mount: each makes its own.
	if printf '%s\n' 6.15 "$(uname -r | cut -d. -f1,2)" | sort -CV; then
		assert [ "$a" = "$b" ]
	fi
	assert [ "$a" != "$m" ]
	expect -o ignore -- jexec ${P}da sh -c 'echo x >/dev/shm/mine'
	expect -s ! -o ignore -e ignore -- jexec ${P}db cat /dev/shm/mine
	assert [ "$(jexec ${P}da stat -c %d /dev/pts)" != \
	    "$(jexec ${P}db stat -c %d /dev/pts)" ]
	for n in ${P}da ${P}db; do
		expect -s ! -o ignore -e ignore -- jexec $n touch /dev/new
		expect -s ! -o ignore -e ignore -- jexec $n \
		    mount -o remount,rw /dev
		expect -s ! -o ignore -e ignore -- jexec $n touch /dev/new
		expect -o "match:^crw-rw-rw- .* /dev/null$" -- \
		    jexec $n ls -l /dev/null
	done
	done_case
}
cleanup_devfs_shared_read_only() { remove_jails $P; }

# A jail that misbehaves leaves nothing on the host once removed.
test_misbehaving_jail_leaves_nothing() {
	local r=$T_TMP/mroot
	make_rootfs "$r"
	jail -c name=${P}n path="$r" persist mount.devfs mount.procfs
	jail -c name=${P}n2 path="$r" mount.devfs command=/bin/sh -c \
	    'for i in 1 2 3; do sleep 3600.4646 & done; echo x >/dev/shm/x;
	     mount -t tmpfs x /mnt; kill -KILL 1; exit 0' >/dev/null 2>&1
	jail -r ${P}n2
	jail -r ${P}n
	assert wait_for 5 sh -c "! pgrep -f '^sleep 3600.4646' >/dev/null"
	assert [ -z "$(grep -F "$r" /proc/self/mountinfo)" ]
	assert [ -z "$(find "$r/dev" "$r/mnt" -mindepth 1)" ]
	assert [ ! -e /run/vjail/name/${P}n ]
	assert [ ! -e /run/vjail/name/${P}n2 ]
	done_case
}
cleanup_misbehaving_jail_leaves_nothing() { remove_jails $P; pkill -f 3600.4646; true; }

# The init of every jail runs with no capability, no_new_privs and its
# own seccomp program, whatever the jail's processes get; it still
# serves (a stop and a continue, then its jail is entered and removed).
test_init_locked_down() {
	local n pid st
	jail -c name=${P}q persist
	jail -c name=${P}q2 persist vnet allow.setuid
	jail -c name=${P}q3 persist user.map=auto
	for n in ${P}q ${P}q2 ${P}q3; do
		pid=$(awk '/^init/ { print $2 }' \
		    "/run/vjail/jail/$(name_jid $n)" | tail -1)
		for st in CapEff:0+ CapPrm:0+ NoNewPrivs:1 Seccomp:2; do
			expect -o "match:^${st%%:*}:[[:space:]]+${st#*:}\$" \
			    -- grep "^${st%%:*}:" /proc/$pid/status
		done
		kill -STOP "$pid"
		kill -CONT "$pid"
		sleep 0.2
		assert [ "$(awk '{ print $3 }' /proc/$pid/stat)" = S ]
	done
	# Without persist it reaps, looks now and then without spinning,
	# and leaves with the jail's last process; persist=0 is obeyed.
	jail -c name=${P}q4 command=/bin/sh -c \
	    'sleep 4.4747 </dev/null >/dev/null 2>&1 &'
	pid=$(awk '/^init/ { print $2 }' \
	    "/run/vjail/jail/$(name_jid ${P}q4)" | tail -1)
	sleep 3
	assert [ "$(awk '{ print $3 }' /proc/$pid/stat)" = S ]
	assert [ "$(awk '{ print $14 + $15 }' /proc/$pid/stat)" -lt 50 ]
	assert wait_for 8 sh -c "! kill -0 $pid 2>/dev/null"
	jail -m name=${P}q persist=0
	assert wait_for 5 sh -c "! jls -j ${P}q >/dev/null 2>&1"
	if [ -x "$VJ_BIN/jexec" ]; then
		expect -o "match:^Seccomp:[[:space:]]+2" -- \
		    jexec ${P}q2 grep ^Seccomp: /proc/self/status
		expect -o "match:^NoNewPrivs:[[:space:]]+0" -- \
		    jexec ${P}q2 grep ^NoNewPrivs: /proc/self/status
	fi
	done_case
}
cleanup_init_locked_down() { remove_jails $P; pkill -f 4.4747; true; }

# user.map: jailed root is an unprivileged host uid; ranges never shared.
test_user_map_lands_as_nobody() {
	local base
	mkdir -m 1777 "$T_TMP/shared"
	jail -c name=${P}o persist user.map=auto
	jail -c name=${P}o2 user.map=auto command=/bin/touch "$T_TMP/shared/f"
	base=$(stat -c %u "$T_TMP/shared/f")
	assert [ "$base" -ge $((0x70000000)) ]
	assert [ "$base" != "$(jail_base_uid ${P}o)" ]
	# A range that holds host accounts is allowed, with a warning.
	expect -e "match:user.map: host uid 0*[1-9][0-9]* .* is in the jail's range" \
	    -- jail -c name=${P}h user.map=1 command=true
	jail -c name=${P}p persist user.map=200000
	expect -s 1 -e "jail: user.map: host ids 230000-295535 overlap those of jail ${P}p" \
	    -- jail -c name=${P}q persist user.map=230000
	jail -c name=${P}r user.map=300000:400000 \
	    command=/bin/touch "$T_TMP/shared/g"
	assert [ "$(stat -c %u:%g "$T_TMP/shared/g")" = 300000:400000 ]
	done_case
}
cleanup_user_map_lands_as_nobody() { remove_jails $P; }

# Say clearly what cannot be done, and warn about what costs.
test_messages() {
	expect -s 1 -e "jail: user.map: unsupported with children.max: child jails need the host's state store" \
	    -- jail -c name=${P}s persist user.map=auto children.max=1
	expect -s 1 -e "jail: securelevel: invalid value \"7\"" -- \
	    jail -c name=${P}s persist securelevel=7
	expect -s 1 -e "match:user.map: invalid value" -- \
	    jail -c name=${P}s persist user.map=0
	expect -e "jail: allow.nfsd: has no meaning on Linux, ignored" -- \
	    jail -c name=${P}s persist allow.nfsd
	expect -e "jail: allow.raw_sockets: applies to processes that enter the jail from now on" \
	    -- jail -m name=${P}s allow.raw_sockets
	expect -e "jail: allow.mount: no effect while enforce_statfs is 2 (as on FreeBSD)" \
	    -- jail -c name=${P}t persist allow.mount allow.mount.tmpfs
	done_case
}
cleanup_messages() { remove_jails $P; }

run_tests
