#!/bin/bash
# jexec.sh: jexec(8): running commands in jails, users, directories,
# environment, exit status, signals and the terminal.
if [ -f "$(dirname "$0")/../lib.sh" ]; then
	. "$(dirname "$0")/../lib.sh"
else
	echo "jexec.sh needs tests/lib.sh" >&2
	exit 2
fi
P=t_jexec_

# The jail most cases run in.
make_j() {
	jail -c name=${P}j persist host.hostname=jexec.example
}

test_runs_in_the_jail() {
	make_j
	expect -o jexec.example -- jexec ${P}j hostname
	expect -o jexec.example -- jexec "$(jls -j ${P}j jid)" hostname
	expect -o "match:^[0-9]+$" -- jexec ${P}j sh -c 'echo $$'
	assert [ "$(jexec ${P}j sh -c 'echo $$')" -lt 1000 ]
	done_case
}
cleanup_runs_in_the_jail() { remove_jails $P; }

test_exit_status() {
	make_j
	expect -s 0 -- jexec ${P}j true
	expect -s 3 -- jexec ${P}j sh -c 'exit 3'
	expect -s 143 -- jexec ${P}j sh -c 'kill -TERM $$'
	expect -s 137 -- jexec ${P}j sh -c 'kill -KILL $$'
	done_case
}
cleanup_exit_status() { remove_jails $P; }

test_errors() {
	expect -s 1 -o empty -e 'jexec: jail "'${P}nosuch'" not found' -- \
	    jexec ${P}nosuch true
	expect -s 1 -o empty -e 'jexec: jail 999999 not found' -- \
	    jexec 999999 true
	expect -s 1 -o empty -e "match:^usage: jexec \[-l\] \[-d working-directory\]" -- jexec
	make_j
	expect -s 1 -o empty -e "match:^usage: jexec" -- jexec -u root -U root ${P}j true
	expect -s 1 -o empty -e "match:^jexec: .*no-such-program.*No such file" -- \
	    jexec ${P}j /no-such-program
	expect -s 1 -o empty -e "match:no such user" -- jexec -U ${P}nobody ${P}j true
	expect -s 0 -o "match:^usage: jexec" -e empty -- jexec --help
	done_case
}
cleanup_errors() { remove_jails $P; }

test_directory() {
	make_j
	expect -o / -- jexec ${P}j pwd
	expect -o /tmp -- jexec -d /tmp ${P}j pwd
	expect -s 1 -o empty -e "match:/no/such/dir" -- jexec -d /no/such/dir ${P}j pwd
	done_case
}
cleanup_directory() { remove_jails $P; }

test_users() {
	make_j
	expect -o 0 -- jexec -U root ${P}j id -u
	if getent passwd nobody >/dev/null; then
		expect -o "$(id -u nobody)" -- jexec -u nobody ${P}j id -u
		expect -o "$(id -u nobody)" -- jexec -U nobody ${P}j id -u
	fi
	# A bare uid that no passwd line names (a hang, once: the group
	# scan looked for an empty name).
	expect -o 54321 -- timeout 10 jexec -U 54321 ${P}j id -u
	# With no descriptor on a terminal, the command leads a session of
	# its own (nothing to reach the caller's terminal through).
	expect -o 1 -- jexec ${P}j awk '{ print ($1 == $6) }' /proc/self/stat \
	    </dev/null
	# Only decimal digits are a number: these are names nobody has.
	local u
	for u in +0 0x0 " 1" ""; do
		expect -s 1 -e "match:no such user" -- jexec -U "$u" ${P}j id -u
	done
	done_case
}
cleanup_users() { remove_jails $P; }

test_login_environment() {
	make_j
	expect -o bar -- env VJ_T_FOO=bar jexec ${P}j printenv VJ_T_FOO
	expect -s 1 -o empty -- env VJ_T_FOO=bar jexec -l ${P}j printenv VJ_T_FOO
	expect -o "match:^/bin:/usr/bin" -- jexec -l ${P}j printenv PATH
	expect -o root -- jexec -l ${P}j printenv USER
	expect -o xterm-test -- env TERM=xterm-test jexec -l ${P}j printenv TERM
	done_case
}
cleanup_login_environment() { remove_jails $P; }

test_standard_streams() {
	make_j
	expect -o hello -- sh -c "echo hello | jexec ${P}j cat"
	expect -o empty -e oops -- jexec ${P}j sh -c 'echo oops >&2'
	expect -o marker -e ignore -- sh -c "echo 'echo marker' | SHELL=/bin/sh jexec ${P}j"
	done_case
}
cleanup_standard_streams() { remove_jails $P; }

test_terminal() {
	require command -v script
	make_j
	local out
	out=$(script -qec "jexec ${P}j sh -c 'test -t 0 && test -t 1 && echo on-a-tty'" /dev/null)
	assert grep -q on-a-tty <<<"$out"
	out=$(script -qec "jexec ${P}j sh -c 'exit 5'; echo status=\$?" /dev/null)
	assert grep -q status=5 <<<"$out"
	# A terminal of its own, named in the jail's /dev/pts, sized as ours.
	out=$(script -qec "jexec ${P}j sh -c 'tty; test -c \$(tty) && echo named'" /dev/null)
	assert grep -q "/dev/pts/[0-9]" <<<"$out"
	assert grep -q named <<<"$out"
	out=$(script -qec "stty rows 22 cols 77; jexec ${P}j stty size" /dev/null)
	assert grep -q "22 77" <<<"$out"
	# What the command leaves behind never reaches our terminal.
	out=$(script -qec "jexec ${P}j sh -c '(sleep 1; echo STOLEN) & echo left'; sleep 2" /dev/null)
	assert grep -q left <<<"$out"
	case $out in *STOLEN*) _fail "a leftover wrote to our terminal" ;; esac
	# Nor with only the output on it.
	out=$(script -qec "jexec ${P}j sh -c 'tty <&1; (sleep 1; echo STOLEN2) &' </dev/null; sleep 2" /dev/null)
	assert grep -q "/dev/pts/[0-9]" <<<"$out"
	case $out in *STOLEN2*) _fail "a leftover wrote to our terminal" ;; esac
	done_case
}
cleanup_terminal() { remove_jails $P; }

test_signals_forwarded() {
	make_j
	local pid rc
	jexec ${P}j sleep 30 &
	pid=$!
	sleep 0.5
	kill -TERM $pid
	wait $pid
	rc=$?
	assert [ $rc = 143 ]
	assert [ -z "$(jexec ${P}j sh -c 'pgrep -x sleep')" ]
	done_case
}
cleanup_signals_forwarded() { remove_jails $P; }

# The seccomp program compiled by the first jexec is kept beside the
# record, used only for the same rules, and removed with the jail.  With
# user.map the jail's root may set its hostname: only the filter denies
# it once allow.set_hostname is off.
test_filter_kept_beside_the_record() {
	expect -- jail -c name=${P}j persist user.map=auto host.hostname=a.example
	local rec=/run/vjail/jail/$(name_jid ${P}j)
	expect -- jexec ${P}j hostname jexec2.example
	assert [ "$(stat -c %a "$rec.bpf")" = 600 ]
	cp "$rec.bpf" "$T_TMP/first.bpf"
	expect -- jexec ${P}j true
	assert cmp -s "$rec.bpf" "$T_TMP/first.bpf"
	rm "$rec.bpf"
	expect -- jexec ${P}j true
	assert cmp -s "$rec.bpf" "$T_TMP/first.bpf"	# compiled again: the same
	# Other rules: the kept program is not used.
	expect -e ignore -- jail -m name=${P}j allow.set_hostname=false
	expect -s 1 -e ignore -- jexec ${P}j hostname x
	assert [ -s "$rec.bpf" ]
	expect -s 1 -- cmp -s "$rec.bpf" "$T_TMP/first.bpf"
	# A damaged one costs a compile, not the filter.
	echo garbage > "$rec.bpf"
	expect -s 1 -e ignore -- jexec ${P}j hostname x
	expect -o a.example -- jexec ${P}j hostname
	expect -s 0 -- jail -r ${P}j
	assert [ ! -e "$rec.bpf" ]
	done_case
}
cleanup_filter_kept_beside_the_record() { remove_jails $P; }

# A creator shares the program its init compiled (filter.bpf in the
# store); one that is not root's alone, or damaged, is never used.
test_shared_filter_image() {
	local f=/run/vjail/filter.bpf
	expect -- jail -c name=${P}s persist
	assert [ "$(stat -c '%a %U' $f)" = "600 root" ]
	chmod 666 $f
	expect -- jail -c name=${P}s2 persist
	assert [ "$(stat -c %a $f)" = 600 ]	# compiled and shared again
	echo garbage > $f
	expect -- jail -c name=${P}s3 persist
	expect -o "match:^Seccomp:[[:space:]]+2" -- jexec ${P}s3 grep ^Seccomp: /proc/self/status
	expect -s 0 -- jail -r ${P}s ${P}s2 ${P}s3
	# The first process into a new jail adopts the shared program:
	# what it keeps beside the record is that very image.
	rm -f $f
	expect -- jail -c name=${P}s4 persist
	expect -- jexec ${P}s4 true
	assert cmp -s "/run/vjail/jail/$(name_jid ${P}s4).bpf" $f
	done_case
}
cleanup_shared_filter_image() { remove_jails $P; }

# A parent jail's root enters its children, made inside it or from the
# host, as FreeBSD's may jail_attach into them; no jail gets a handle on
# a sibling, and no jail enters one that is not its child.
test_parent_enters_child() {
	jail -c name=${P}p persist children.max=2 2>/dev/null
	expect -- jexec ${P}p jail -c name=in persist host.hostname=in.example
	expect -- jail -c name=${P}p.out persist host.hostname=out.example
	expect -o in.example -- jexec ${P}p jexec in hostname
	expect -o out.example -- jexec ${P}p jexec out hostname
	expect -o "match:^[0-9]{1,2}$" -- jexec ${P}p jexec in sh -c 'echo $$'
	expect -s 1 -o empty -- jexec ${P}p jexec out grep nsfs /proc/self/mountinfo
	jail -c name=${P}q persist
	expect -s 1 -e "jexec: jail \"${P}q\" not found" -- jexec ${P}p jexec ${P}q true
	expect -o empty -- jail -r ${P}p.out
	expect -o "$(name_jid ${P}p.in)" -- jexec ${P}p ls /run/vjail/ns
	expect -o empty -- jexec ${P}p jail -r in
	expect -o empty -- jexec ${P}p ls /run/vjail/ns
	done_case
}
cleanup_parent_enters_child() { remove_jails $P; }

run_tests
