# jails.sh: helpers shared by tests/integration/security*.sh, sourced after
# tests/lib.sh.  They build the isolation probe, put it where any jail
# (a user namespace's too) can run it, and run it inside jails.

PROBE_BIN=$VJ_BIN/tests/isolation/probe
# The capability-mode test program (check 43).
CAPMODE_BIN=$VJ_BIN/tests/capmode/capmode_test
# Readable by a jail whose root is an unprivileged host uid.
PD=$T_TMP/probe

# Build the probe if `make tests` has not.
build_probe() {
	[ -x "$PROBE_BIN" ] && [ "$PROBE_BIN" -nt "$VJ_ROOT/tests/isolation/probe.c" ] &&
	    return 0
	make -s -C "$VJ_ROOT" -f Makefile -f tests/isolation/Makefile.frag \
	    build/tests/isolation/probe >&2
}

# Build the capability-mode test program if `make tests` has not.
build_capmode() {
	[ -x "$CAPMODE_BIN" ] && return 0
	make -s -C "$VJ_ROOT" build/tests/capmode/capmode_test >&2
}

# The probe, a setuid-root copy, the capability-mode test program, and a
# world-readable place for them.
setup_probe() {
	build_probe || return 1
	build_capmode || return 1
	chmod 755 "$T_TMP"
	mkdir -p "$PD"
	chmod 755 "$PD"
	cp "$PROBE_BIN" "$PD/probe"
	cp "$CAPMODE_BIN" "$PD/capmode_test"
	cp "$PROBE_BIN" "$PD/probe-suid"
	chmod 4755 "$PD/probe-suid"
}

# A minimal root for path=: busybox, the probe, empty /dev /proc /sys.
make_rootfs() {
	local r=$1 c
	[ -x /bin/busybox ] ||
	    { _fail "no /bin/busybox: apt-get install busybox-static"; return 1; }
	mkdir -p "$r"/bin "$r"/dev "$r"/proc "$r"/sys "$r"/tmp "$r"/etc "$r"/mnt
	chmod 1777 "$r/tmp"
	cp /bin/busybox "$r/bin/"
	for c in sh ls cat id touch sleep kill echo true; do
		ln -sf busybox "$r/bin/$c"
	done
	cp "$PROBE_BIN" "$r/probe"
	cp "$PROBE_BIN" "$r/probe-suid"
	chmod 4755 "$r/probe-suid"
}

# Check a probe's TAP output (in $T_TMP/probe.out): all ok, plan present.
check_tap() {
	local what=$1 out=$T_TMP/probe.out
	if grep -q '^not ok' "$out"; then
		grep '^not ok' "$out"
		_fail "$what: probe assertions failed"
	fi
	grep -Eq '^1\.\.[1-9][0-9]*$' "$out" || _fail "$what: no TAP plan"
}

# probe_jail NAME "PROBE OPTIONS" [PROBE=path] -- JAIL PARAMETERS...
# Create a jail running the probe, and check every line it prints.
probe_jail() {
	local name=$1 popts=$2 probe=$PD/probe rc
	shift 2
	case $1 in PROBE=*) probe=${1#PROBE=}; shift ;; esac
	[ "$1" = -- ] && shift
	# shellcheck disable=SC2086
	jail -c name="$name" "$@" command="$probe" $popts \
	    >"$T_TMP/probe.out" 2>"$T_TMP/probe.err"
	rc=$?
	[ $rc -eq 0 ] || _fail "$name: jail exited $rc: $(cat "$T_TMP/probe.err")"
	check_tap "$name"
}

# The host uid of a jail's root (user.map), from its record.
jail_base_uid() {
	local jid
	jid=$(name_jid "$1") || return 1
	awk -F'[\t :]' '/user\.base/ { print $(NF-1); exit }' "/run/vjail/jail/$jid"
}
