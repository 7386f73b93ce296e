#!/bin/sh
# run.sh: golden jail.conf tests, as TAP.
#   tests/conf/run.sh DRIVER
# DRIVER is tests/conf/conf-e built against the library.  For each
# pass-NAME.conf, "DRIVER pass-NAME.conf '|'" must exit 0 and print exactly
# pass-NAME.out; for each fail-NAME.conf it must exit 1, print nothing on
# stdout and exactly fail-NAME.err on stderr.  Names with "-check-" run
# with -c (unknown parameters refused).  Runs in this directory, so
# messages name the files relatively.
[ $# -eq 1 ] || { echo "usage: $0 driver" >&2; exit 2; }
case $1 in
/*) drv=$1 ;;
*) drv=$PWD/$1 ;;
esac
cd "$(dirname "$0")" || exit 2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0

# Report one result: ok/not ok with a description; show a diff on failure.
report() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
		sed 's/^/#   /' "$tmp/diff"
	fi
}

for conf in pass-*.conf fail-*.conf; do
	[ -f "$conf" ] || continue
	base=${conf%.conf}
	opt=
	case $base in *-check-*) opt=-c ;; esac
	"$drv" $opt "$conf" '|' >"$tmp/out" 2>"$tmp/err"
	rc=$?
	case $base in
	pass-*)
		{ diff "$base.out" "$tmp/out"; diff /dev/null "$tmp/err"; \
		    [ $rc = 0 ] || echo "exit $rc"; } >"$tmp/diff" 2>&1
		;;
	fail-*)
		{ diff "$base.err" "$tmp/err"; diff /dev/null "$tmp/out"; \
		    [ $rc = 1 ] || echo "exit $rc"; } >"$tmp/diff" 2>&1
		;;
	esac
	[ -s "$tmp/diff" ]
	report $((1 - $?)) "$base"
done
echo "1..$n"
[ "$failed" = 0 ]
