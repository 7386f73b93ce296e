#!/bin/bash
# security_allow.sh: each allow.* turned on (or a default one turned
# off), the probe asserting the outcome that one parameter must change
# and nothing else; then securelevel, mounting, nesting, and updates.
. "$(dirname "$0")/../lib.sh"
. "$VJ_ROOT/tests/isolation/jails.sh"
P=t_seca_
setup_probe || exit 1

# The allow.* whose whole effect the probe can see in a path=/ jail.
ALLOW_ON="raw_sockets chflags mlock read_msgbuf settime adjtime socket_af
io_uring setuid routing setaudit extattr quotas vmm mount.fusefs"
# The ones FreeBSD turns on by default.
ALLOW_OFF="reserved_ports unprivileged_proc_debug suser"

# One case per parameter, made here so each shows in the TAP stream.
for a in $ALLOW_ON; do
	f=${a//./_}
	eval "test_allow_$f() {
		probe_jail ${P}$f \"-a $a -S \$PD/probe-suid\" -- allow.$a
		done_case
	}
	cleanup_allow_$f() { remove_jails $P; }"
done
for a in $ALLOW_OFF; do
	eval "test_deny_$a() {
		probe_jail ${P}$a \"-A $a -S \$PD/probe-suid\" -- allow.no$a
		done_case
	}
	cleanup_deny_$a() { remove_jails $P; }"
done

# allow.set_hostname needs a user namespace to mean anything (jail.7).
test_set_hostname_in_user_namespace() {
	probe_jail ${P}h "-u -c 24,35" -- user.map=auto
	probe_jail ${P}h "-u -A set_hostname -c 24,35" -- user.map=auto \
	    allow.noset_hostname
	done_case
}
cleanup_set_hostname_in_user_namespace() { remove_jails $P; }

# raw sockets in a stack of the jail's own, with a user namespace too.
test_raw_sockets_vnet() {
	probe_jail ${P}r "-v -a raw_sockets -c 24,38,39" -- vnet allow.raw_sockets
	probe_jail ${P}r "-v -u -a raw_sockets -c 24,38,39" -- vnet \
	    allow.raw_sockets user.map=auto
	done_case
}
cleanup_raw_sockets_vnet() { remove_jails $P; }

# allow.mount works only with a type and enforce_statfs < 2 (FreeBSD).
test_allow_mount() {
	probe_jail ${P}m "-M -a mount -a mount.tmpfs" -- allow.mount \
	    allow.mount.tmpfs enforce_statfs=1
	probe_jail ${P}m "-a mount -a mount.tmpfs -c 3,24" -- allow.mount \
	    allow.mount.tmpfs
	probe_jail ${P}m "-a mount -c 3,24" -- allow.mount enforce_statfs=1
	# Half of FreeBSD's pair does nothing, and says so.
	expect -e "match:allow.mount: no effect without both" -- \
	    jail -c name=${P}w allow.mount enforce_statfs=1 command=true
	expect -e "match:allow.mount: no effect without both" -- \
	    jail -c name=${P}w allow.mount.tmpfs command=true
	done_case
}
cleanup_allow_mount() { remove_jails $P; }

# children.max: namespaces and mounts for child jails.
test_nesting() {
	probe_jail ${P}n "-n" -- children.max=2
	done_case
}
cleanup_nesting() { remove_jails $P; }

# securelevel takes away what allow.* gave.
test_securelevel() {
	probe_jail ${P}s "-a chflags -c 24,34" -- allow.chflags securelevel=0
	probe_jail ${P}s "-a settime -c 24,34" -- allow.chflags allow.settime \
	    securelevel=1
	probe_jail ${P}s "-c 24,34" -- allow.chflags allow.settime securelevel=2
	probe_jail ${P}s "-c 24,39" -- allow.routing securelevel=3
	done_case
}
cleanup_securelevel() { remove_jails $P; }

# devfs_ruleset: FreeBSD's rulesets 1-5.
test_devfs_rulesets() {
	probe_jail ${P}d "-d none -c 11" -- devfs_ruleset=1
	probe_jail ${P}d "-d full,null,random,urandom,zero -c 11" -- \
	    devfs_ruleset=2
	expect -o "fd ptmx pts stderr stdin stdout tty" -- jail -c \
	    name=${P}d devfs_ruleset=3 command=/bin/sh -c 'echo $(ls /dev)'
	probe_jail ${P}d "-c 11" -- devfs_ruleset=5
	done_case
}
cleanup_devfs_rulesets() { remove_jails $P; }

# jail -m: a process entering afterwards gets the new set.
test_update_applies_to_new_processes() {
	[ -x "$VJ_BIN/jexec" ] || { echo "# no jexec yet"; return 0; }
	jail -c name=${P}u persist vnet
	jexec ${P}u "$PD/probe" -v -c 24,38 >"$T_TMP/probe.out" 2>&1
	check_tap "before"
	jail -m name=${P}u allow.raw_sockets 2>/dev/null
	jexec ${P}u "$PD/probe" -v -a raw_sockets -c 24,38 \
	    >"$T_TMP/probe.out" 2>&1
	check_tap "after"
	done_case
}
cleanup_update_applies_to_new_processes() { remove_jails $P; }

run_tests
