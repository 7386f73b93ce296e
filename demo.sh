#!/bin/bash
# demo.sh: vjail in two minutes.  A service jail, then a small network lab
# described in one jail.conf: two subnets joined by a router jail, hosts on
# two bridges; traffic across it; everything removed at the end.
# Run as root after `make`.
set -u
cd "$(dirname "$0")" || exit 1
export PATH="$PWD/build:$PATH"
[ "$(id -u)" = 0 ] || { echo "demo.sh: run as root" >&2; exit 1; }
CONF=$(mktemp /tmp/vjail-demo.XXXXXX.conf)
trap 'jail -f "$CONF" -r "*" >/dev/null 2>&1; rm -f "$CONF"' EXIT

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

say "A persistent jail with its own network stack and hostname"
run jail -c name=demo_www persist vnet host.hostname=www.demo
run jls
run jexec demo_www hostname
run jexec demo_www ip -o link
run jail -r demo_www

say "A network lab from one jail.conf"
cat >"$CONF" <<'CONF'
# Every jail: its own stack, kept without processes; ping needs raw
# sockets, which FreeBSD (and vjail) deny by default.
vnet;
persist;
allow.raw_sockets;
path = "/";
host.hostname = "$name.lab";

# The router joins both subnets and forwards between them.
router {
	vnet.forwarding;
	epair.eth0.bridge = demo_lan1;
	epair.eth0.ip4 = 10.1.0.1/24;
	epair.eth1.bridge = demo_lan2;
	epair.eth1.ip4 = 10.2.0.1/24;
}
h1 {
	depend = router;
	epair.eth0.bridge = demo_lan1;
	epair.eth0.ip4 = 10.1.0.10/24;
	ip4.defaultrouter = 10.1.0.1;
}
h2 {
	depend = router;
	epair.eth0.bridge = demo_lan2;
	epair.eth0.ip4 = 10.2.0.20/24;
	ip4.defaultrouter = 10.2.0.1;
}
CONF
run cat "$CONF"
run jail -f "$CONF" -c
run jls
run jexec h1 ping -c 2 -W 2 10.2.0.20
run jexec h2 ip route
say "Removing the lab"
run jail -f "$CONF" -r '*'
run jls
echo "links left: $(ip -o link | grep -c -E 'demo_lan|vj[0-9]+e')"
