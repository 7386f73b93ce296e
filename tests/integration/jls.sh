#!/bin/bash
# jls.sh: jls(8) output formats, selection, errors, JSON, and speed.
if [ -f "$(dirname "$0")/../lib.sh" ]; then
	. "$(dirname "$0")/../lib.sh"
else
	echo "jls.sh needs tests/lib.sh" >&2
	exit 2
fi
P=t_jls_

# The jid of a jail by name.
jid_of() {
	jls -j "$1" jid
}

# Make the jail most cases list.
make_a() {
	jail -c name=${P}a persist host.hostname=alpha.example path=/ \
	    meta="a b c"
}

test_default_columns() {
	make_a
	local jid row
	jid=$(jid_of ${P}a)
	row=$(printf '%6d  %-15s %-29s %s' "$jid" "" alpha.example /)
	expect -o "$(printf '   JID  IP Address      Hostname                      Path\n%s' "$row")" \
	    -- jls -j ${P}a
	row=$(printf ' %-15s %-15s %-29s %s' ${P}a "" alpha.example /)
	expect -o "match:^ JID {13}IP Address {6}Hostname {22}Path" -- jls -N -j ${P}a
	expect -o "match:$row" -- jls -N -j ${P}a
	done_case
}
cleanup_default_columns() { remove_jails $P; }

test_verbose() {
	make_a
	local jid want
	jid=$(jid_of ${P}a)
	want=$(printf '   JID  Hostname                      Path\n        Name                          State\n        CPUSetID\n        IP Address(es)\n%6d  %-29s /\n        %-29s ACTIVE\n        0' \
	    "$jid" alpha.example ${P}a)
	expect -o "$want" -- jls -v -j ${P}a
	done_case
}
cleanup_verbose() { remove_jails $P; }

test_parameter_list() {
	make_a
	expect -o "${P}a alpha.example" -- jls -j ${P}a name host.hostname
	expect -o "name host.hostname
${P}a alpha.example" -- jls -h -j ${P}a name host.hostname
	expect -o "a b c" -- jls -j ${P}a meta
	expect -o '"a b c"' -- jls -q -j ${P}a meta
	expect -o '""' -- jls -j ${P}a host.domainname
	done_case
}
cleanup_parameter_list() { remove_jails $P; }

test_name_value() {
	make_a
	expect -o "persist children.max=0 name=${P}a" -- \
	    jls -n -j ${P}a persist children.max name
	expect -o "persist nodying" -- jls -n -j ${P}a nopersist dying
	expect -o "match:(^| )name=${P}a( |$)" -- jls -n -j ${P}a
	expect -o "match:(^| )persist( |$)" -- jls -n -j ${P}a
	done_case
}
cleanup_name_value() { remove_jails $P; }

test_skip_for_jail8() {
	make_a
	local out
	out=$(jls -s -j ${P}a)
	assert grep -q "name=${P}a" <<<"$out"
	assert grep -q 'meta="a b c"' <<<"$out"
	assert grep -q 'host.hostname=alpha.example' <<<"$out"
	assert grep -qvE '(^| )(children\.cur|dying|nodying|parent|cpuset\.id)[= ]' <<<"$out"
	expect -o "persist" -- jls -s -j ${P}a persist dying parent
	done_case
}
cleanup_skip_for_jail8() { remove_jails $P; }

test_meta_keys() {
	jail -c name=${P}k persist meta="$(printf 'x=1\ny=two')"
	expect -o "two 1" -- jls -j ${P}k meta.y meta.x
	expect -o "" -- jls -j ${P}k meta.missing
	expect -o "meta.missing" -- jls -s -j ${P}k meta.missing
	expect -o '{"__version": "2", "jail-information": {"jail": [{"meta.x":"1"}]}}' \
	    -- jls -j ${P}k --libxo json meta.x meta.missing
	done_case
}
cleanup_meta_keys() { remove_jails $P; }

test_json() {
	make_a
	local jid
	jid=$(jid_of ${P}a)
	expect -o '{"__version": "2", "jail-information": {"jail": [{"name":"'${P}a'","meta":"a b c"}]}}' \
	    -- jls -j ${P}a --libxo json name meta
	expect -o '{"__version": "2", "jail-information": {"jail": [{"name":"'${P}a'"}]}}' \
	    -- jls -j ${P}a --libxo=json name
	expect -o '{"__version": "2", "jail-information": {"jail": [{"jid":'$jid',"ipv4":"","hostname":"alpha.example","path":"/"}]}}' \
	    -- jls -j ${P}a --libxo json
	expect -o "match:\"state\":\"ACTIVE\"" -- jls -j ${P}a --libxo json -v
	expect -o "match:\"persist\":true" -- jls -n -j ${P}a --libxo json persist
	assert python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["jail-information"]["jail"][0]["name"] == sys.argv[1]' \
	    ${P}a < <(jls -j ${P}a --libxo json,pretty name)
	done_case
}
cleanup_json() { remove_jails $P; }

test_jid_order_and_selection() {
	jail -c name=${P}o1 persist
	jail -c name=${P}o2 persist
	jail -c name=${P}o3 persist
	local names
	names=$(jls name | grep "^${P}o" | tr '\n' ' ')
	assert [ "$names" = "${P}o1 ${P}o2 ${P}o3 " ]
	expect -o "${P}o2" -- jls -j "$(jid_of ${P}o2)" name
	done_case
}
cleanup_jid_order_and_selection() { remove_jails $P; }

test_errors() {
	expect -s 1 -o empty -e 'jls: jail "'${P}nosuch'" not found' -- jls -j ${P}nosuch
	expect -s 1 -o empty -e 'jls: jail 999999 not found' -- jls -j 999999
	make_a
	expect -s 1 -o empty -e 'jls: unknown parameter: no.such' -- jls -j ${P}a no.such
	expect -s 1 -o empty -e "match:^jls: illegal option -- Z" -- jls -Z
	expect -o "match:^usage: jls" -- jls --help
	done_case
}
cleanup_errors() { remove_jails $P; }

test_check_only() {
	make_a
	expect -s 0 -o empty -- jls -c -j ${P}a
	expect -s 1 -o empty -- jls -c -j ${P}nosuch
	expect -s 1 -o empty -e "match:^usage: jls" -- jls -c
	done_case
}
cleanup_check_only() { remove_jails $P; }

# A private store of n jails whose "init" is pid 1 (always alive).
fake_store() {
	local dir=$1 n=$2
	mkdir -p "$dir/jail" "$dir/name" "$dir/pidns"
	awk -v dir="$dir" -v n="$n" -v start="$(awk '{print $22}' /proc/1/stat)" '
	BEGIN {
		for (i = 1; i <= n; i++) {
			f = dir "/jail/" i
			printf "jid %d\nparent 0\nname %sf%d\ninit 1 %s 0\nstate 1\nowner 0 0\np host.hostname\th%d\np path\t/\np persist\ttrue\n", i, "'$P'", i, start, i > f
			close(f)
		}
	}'
}

# A private store of one VNET jail wired by epair.e0 (no link is made:
# jls only reads the record).
epair_store() {
	fake_store "$1" 1
	printf 'p vnet\tnew\np epair.e0.bridge\tbr0\np epair.e0.ip4\t10.0.0.1/24\np epair.e0.ip4\t10.0.0.2/24\n' \
	    >>"$1/jail/1"
}

test_epair_params_shown() {
	local dir=$T_TMP/estore
	epair_store "$dir"
	export VJAIL_RUNDIR=$dir
	expect -o "10.0.0.1/24,10.0.0.2/24 br0" -- jls -j 1 epair.e0.ip4 epair.e0.bridge
	expect -o "epair.e0.ip4=10.0.0.1/24,10.0.0.2/24" -- jls -n -j 1 epair.e0.ip4
	# "all" (-n, -s, JSON) shows them in their sorted place.
	expect -o "match: cpuset\.id=0 epair\.e0\.bridge=br0 epair\.e0\.ip4=10\.0\.0\.1/24,10\.0\.0\.2/24 host\.domainname=" \
	    -- jls -n -j 1
	expect -o "match: children\.max=0 epair\.e0\.bridge=br0 epair\.e0\.ip4=10\.0\.0\.1/24,10\.0\.0\.2/24 host\.hostid=" \
	    -- jls -s -j 1
	expect -o 'match:"epair.e0.bridge":"br0","epair.e0.ip4":"10.0.0.1/24,10.0.0.2/24"' \
	    -- jls -n --libxo json -j 1
	unset VJAIL_RUNDIR
	rm -rf "$dir"
	done_case
}
cleanup_epair_params_shown() { unset VJAIL_RUNDIR; }

test_host_jailsys_shown() {
	make_a
	jail -c name=${P}hi persist host=inherit
	expect -o "new" -- jls -j ${P}a host
	expect -o "host=new" -- jls -n -j ${P}a host
	expect -o "inherit" -- jls -j ${P}hi host
	expect -o "match:(^| )host=new( |$)" -- jls -n -j ${P}a
	expect -o "match:\"host\":\"new\"" -- jls -n --libxo json -j ${P}a
	# -s keeps host.* under host=new, drops them under inherit.
	expect -o "match:(^| )host\.hostname=alpha\.example( |$)" -- jls -s -j ${P}a
	expect -o "host=inherit" -- jls -s -j ${P}hi host host.hostname
	done_case
}
cleanup_host_jailsys_shown() { remove_jails $P; }

test_skip_output_makes_the_same_jail() {
	local s t
	jail -c name=${P}rt persist host.hostname=rt.example meta="a b" \
	    ip4.addr=127.0.0.1,127.0.0.2 || _fail "create"
	s=$(jls -s -j ${P}rt | sed 's/ jid=[0-9]* / /')
	# Nothing unset, no FreeBSD-only parameter jail(8) would warn about.
	assert grep -qvE '(^| )(osreldate|osrelease|limit\.[a-z]+)=|allow\.mount\.nozfs' <<<"$s"
	expect -- jail -r ${P}rt
	eval "expect -e empty -- jail -c $s" || _fail "jail -c from jls -s"
	t=$(jls -s -j ${P}rt | sed 's/ jid=[0-9]* / /')
	assert [ "$s" = "$t" ]
	done_case
}
cleanup_skip_output_makes_the_same_jail() { remove_jails $P; }

# CPU seconds (user + system) of the fastest of three runs of a command.
best_cpu() {
	local i t best=
	TIMEFORMAT='%3U %3S'
	for i in 1 2 3; do
		t=$( { time "$@" >/dev/null; } 2>&1 )
		t=$(awk -v u="${t% *}" -v s="${t#* }" 'BEGIN { print u + s }')
		best=$(awk -v a="${best:-$t}" -v b="$t" 'BEGIN { print (b < a) ? b : a }')
	done
	echo "$best"
}

test_ten_thousand_jails_fast() {
	local dir=$T_TMP/store cpu
	fake_store "$dir" 10000
	assert [ "$(VJAIL_RUNDIR=$dir jls | wc -l)" = 10001 ]
	cpu=$(VJAIL_RUNDIR=$dir best_cpu jls)
	echo "jls over 10000 jails: $cpu s of CPU"
	assert awk -v t="$cpu" 'BEGIN { exit !(t < 1.0) }'
	rm -rf "$dir"
	done_case
}

run_tests
