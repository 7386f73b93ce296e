# lib.sh: helpers for vjail's integration tests (bash, run as root).
#
# A test file defines functions named test_<case>; an optional
# cleanup_<case> runs after the case whatever happened.  `run_tests` runs
# them all and prints TAP.  `expect` checks exit status, stdout and stderr
# together, as FreeBSD's atf_check does:
#
#   expect -s 1 -o empty -e "jail: prison limit exceeded" -- jail -c ...
#
# -s N (default 0) | -s ! (non-zero); -o/-e one of: empty, ignore,
# "match:REGEX", or exact text (a trailing newline is implied).

VJ_ROOT=${VJ_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
VJ_BIN=${VJ_BIN:-$VJ_ROOT/build}
export PATH="$VJ_BIN:$PATH"
T_TMP=$(mktemp -d /tmp/vjtest.XXXXXX)
T_N=0
T_FAILED=0
T_WHY=""

# Compare one output stream with an expectation.
_match() {
	local want=$1 got=$2
	case $want in
	ignore) return 0 ;;
	empty) [ -z "$got" ] ;;
	match:*) printf '%s' "$got" | grep -Eq -- "${want#match:}" ;;
	*) [ "$got" = "$want" ] ;;
	esac
}

# expect [-s N|!] [-o X] [-e X] -- command...: check all three at once.
expect() {
	local st=0 out=ignore err=empty rc
	while [ $# -gt 0 ]; do
		case $1 in
		-s) st=$2; shift 2 ;;
		-o) out=$2; shift 2 ;;
		-e) err=$2; shift 2 ;;
		--) shift; break ;;
		*) break ;;
		esac
	done
	"$@" >"$T_TMP/out" 2>"$T_TMP/err"
	rc=$?
	local o e
	o=$(cat "$T_TMP/out")
	e=$(cat "$T_TMP/err")
	if [ "$st" = "!" ]; then [ $rc -ne 0 ] || { _fail "$*: exit 0, wanted non-zero"; return 1; }
	elif [ "$rc" != "$st" ]; then _fail "$*: exit $rc, wanted $st (stderr: $e)"; return 1; fi
	_match "$out" "$o" || { _fail "$*: stdout [$o], wanted [$out]"; return 1; }
	_match "$err" "$e" || { _fail "$*: stderr [$e], wanted [$err]"; return 1; }
	return 0
}

# Record why the current case fails.
_fail() {
	T_WHY="${T_WHY}${T_WHY:+; }$*"
	return 1
}

# assert CONDITION-COMMAND... : fail the case unless it succeeds.
assert() {
	"$@" || _fail "assertion failed: $*"
}

# Wait up to $1 seconds (tenths allowed) for a command to succeed.
# The jid of a jail by its full name (the name entry is a hard link to
# the record, whose first line is "jid N").
name_jid() {
	awk 'NR == 1 && $1 == "jid" { print $2 }' "/run/vjail/name/$1" 2>/dev/null
}

wait_for() {
	local limit=$1 i=0
	shift
	while ! "$@" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt $((limit * 10)) ] && return 1
		sleep 0.1
	done
}

# Skip the rest of the file (prints a TAP skip) unless a condition holds.
require() {
	"$@" >/dev/null 2>&1 || { echo "ok $((T_N + 1)) # SKIP requires: $*"; T_N=$((T_N + 1)); exit 0; }
}

# Remove every jail whose name starts with a prefix (test cleanup).
remove_jails() {
	local prefix=$1 name
	for name in $(ls /run/vjail/name 2>/dev/null); do
		case $name in "$prefix"*) jail -R "$name" >/dev/null 2>&1 ;; esac
	done
}

# Run every test_* function of the calling file, then its cleanup_*.
run_tests() {
	local f name
	for f in $(declare -F | awk '{print $3}' | grep '^test_'); do
		name=${f#test_}
		T_WHY=""
		T_N=$((T_N + 1))
		( set +e; $f ) >"$T_TMP/case.log" 2>&1
		local rc=$?
		if declare -F "cleanup_$name" >/dev/null; then
			"cleanup_$name" >/dev/null 2>&1
		fi
		if [ $rc -eq 0 ]; then
			echo "ok $T_N - $name"
		else
			echo "not ok $T_N - $name"
			sed 's/^/# /' "$T_TMP/case.log" | tail -20
			T_FAILED=$((T_FAILED + 1))
		fi
	done
	rm -rf "$T_TMP"
	echo "1..$T_N"
	[ $T_FAILED -eq 0 ]
}

# Inside a test function: fail (non-zero) if any _fail was recorded.
# Use at the end of a case: `done_case`.
done_case() {
	[ -z "$T_WHY" ] || { echo "$T_WHY"; return 1; }
}
