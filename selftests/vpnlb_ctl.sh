#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vpnlbctl against the real module: the exact text of every "show", of
# "display ip routing-table vpn-instance" (brief, verbose, longest match,
# exact, longer-match, JSON), the counters after known packets, "monitor",
# a batch of 2000 routes, and bad input: each rejection with its exact
# message and exit status, and nothing changed.
#
# One PE namespace: vrf-a (table 10) with a customer link to a CE
# namespace, three core links c1..c3 to a namespace holding the gateways
# 10.0.{1,2,3}.2. Objects:
#   tunnels 1 (PE 2.2.2.2 via 10.0.1.2 dev c1 label 16),
#           2 (PE 3.3.3.3 via 10.0.2.2 dev c2 label 17/18),
#           3 (PE 4.4.4.4 via 10.0.3.2 dev c3, no label: PHP)
#   nexthops 10, 11, 12 (tunnels 1, 2, 3; VPN labels 1002, 1003, 1004)
#   group 100: 10 weight 3, 11 weight 1, 12 weight 1 (max-paths 2: 12 is
#              the backup); group 200: 12 alone
#   routes 10.2.0.0/16 and 10.2.1.0/24 -> group 100 (IBGP),
#          10.3.0.0/16 -> group 200 (EBGP, cost 10),
#          10.4.0.0/24 -> nexthop 10 (static, VRP's default preference 60)

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping python3 timeout
[ -x "$VPNLBCTL" ] || ksft_exit_fail "$VPNLBCTL is not built"

pe=
ce=
core=
tmp=

ctl()
{
	vpnlbctl -n "$pe" "$@"
}

# Age changes by the second: mask it in text and JSON.
mask_age()
{
	sed -E 's/Age: [0-9]+h[0-9]+m[0-9]+s|Age: [0-9]+d[0-9]+h/Age: AGE/;
		s/ age ([0-9]+h[0-9]+m[0-9]+s|[0-9]+d[0-9]+h|[0-9]+w[0-9]+d)/ age AGE/'
}

# JSON in one canonical form: sorted keys, ages 0; indented with
# CANON_INDENT=1, else on one line.
canon_json()
{
	python3 -c '
import json, os, sys

def mask(o):
    if isinstance(o, dict):
        return {k: (0 if k == "age" else mask(v)) for k, v in o.items()}
    if isinstance(o, list):
        return [mask(v) for v in o]
    return o

indent = 1 if os.environ.get("CANON_INDENT") else None
print(json.dumps(mask(json.load(sys.stdin)), sort_keys=True, indent=indent))'
}

# ctl -j ARGS, canonical, on one line / indented.
json_line()
{
	ctl -j "$@" | canon_json
}

json_indented()
{
	ctl -j "$@" | CANON_INDENT=1 canon_json
}

# json_line with the kernel's ifindex $1 shown as IFINDEX.
json_line_ifindex()
{
	local idx=$1

	shift
	json_line "$@" | sed "s/\"ifindex\": $idx,/\"ifindex\": IFINDEX,/"
}

route_show_masked()
{
	ctl route show "$@" | mask_age
}

route_get_masked()
{
	ctl route get "$@" | mask_age
}

mask_age_file()
{
	mask_age < "$1"
}

instance_routes()
{
	ctl -j instance show vpna |
		python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["routes"])'
}

# Everything vpnlb holds, to prove a rejected command changed nothing.
snapshot()
{
	local what

	for what in instance tunnel nexthop group route; do
		echo "== $what"
		ctl -s "$what" show | mask_age
	done
}

# check_cli STATUS FIRST-LINE MSG CMD...: CMD exits STATUS, prints exactly
# FIRST-LINE first on stderr (and a usage after it on a syntax error), and
# leaves the state as it was.
check_cli()
{
	local status=$1 first=$2 msg=$3 before after err rc

	shift 3
	before=$(snapshot)
	err=$("$@" 2>&1 > /dev/null < /dev/null)
	rc=$?
	after=$(snapshot)
	[ "$rc" = "$status" ] ||
		check_fail "$msg: '$*' exited $rc, expected $status"
	[ "$(printf '%s\n' "$err" | head -n1)" = "$first" ] ||
		check_fail "$msg: stderr: expected '$first', got '$err'"
	if [ "$status" = 2 ]; then
		printf '%s\n' "$err" | sed -n 2p | grep -q '^Usage: vpnlbctl ' ||
			check_fail "$msg: no usage after the syntax error"
	else
		[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] ||
			check_fail "$msg: more than one line on stderr: '$err'"
	fi
	# a snapshot that failed to read would compare equal to anything
	case $before in
	*"vpna vrf vrf-a"*) ;;
	*) check_fail "$msg: cannot read the state: $before" ;;
	esac
	[ "$before" = "$after" ] ||
		check_fail "$msg: the state changed: $(diff <(echo "$before") <(echo "$after"))"
	return 0
}

setup()
{
	local k

	tmp=$(mktemp -d) || return 1
	ksft_defer rm -rf "$tmp"
	netns_create pe ce core || return 1
	for ns in "$pe" "$ce" "$core"; do
		ip netns exec "$ns" sysctl -qw \
			net.ipv6.conf.default.disable_ipv6=1 \
			net.ipv6.conf.all.disable_ipv6=1 || return 1
	done
	ip -n "$pe" link add vrf-a type vrf table 10 &&
	ip -n "$pe" link set vrf-a up &&
	ip -n "$pe" link add cust0 type veth peer name eth0 netns "$ce" &&
	ip -n "$pe" link set cust0 master vrf-a &&
	ip -n "$pe" addr add 192.168.1.1/24 dev cust0 &&
	ip -n "$pe" link set cust0 up &&
	ip -n "$ce" addr add 192.168.1.2/24 dev eth0 &&
	ip -n "$ce" link set eth0 up &&
	ip -n "$ce" route add default via 192.168.1.1 &&
	ip netns exec "$pe" sysctl -qw net.ipv4.ip_forward=1 || return 1
	for k in 1 2 3; do
		ip -n "$pe" link add c$k type veth peer name c$k netns "$core" &&
		ip -n "$pe" addr add 10.0.$k.1/24 dev c$k &&
		ip -n "$pe" link set c$k up &&
		ip -n "$core" addr add 10.0.$k.2/24 dev c$k &&
		ip -n "$core" link set c$k up || return 1
	done

	vpnlb_load || return 1
	ctl instance add vpna vrf vrf-a max-paths 2 &&
	ctl tunnel add 1 pe 2.2.2.2 via 10.0.1.2 dev c1 label 16 &&
	ctl tunnel add 2 pe 3.3.3.3 via 10.0.2.2 dev c2 label 17/18 &&
	ctl tunnel add 3 pe 4.4.4.4 via 10.0.3.2 dev c3 &&
	ctl nexthop add 10 tunnel 1 label 1002 &&
	ctl nexthop add 11 tunnel 2 label 1003 &&
	ctl nexthop add 12 tunnel 3 label 1004 &&
	ctl group add 100 instance vpna member 10 weight 3 member 11 \
		member 12 &&
	ctl group add 200 instance vpna member 12 &&
	ctl route add vpna 10.2.0.0/16 group 100 proto ibgp preference 255 &&
	ctl route add vpna 10.2.1.0/24 group 100 proto ibgp preference 255 &&
	ctl route add vpna 10.3.0.0/16 group 200 proto ebgp preference 255 \
		cost 10 &&
	ctl route add vpna 10.4.0.0/24 nexthop 10
}

case_show()
{
	check_output - "instance show" ctl instance show <<-'EOF'
	vpna vrf vrf-a table 10 max-paths 2 mode flow hash l3l4 ttl uniform routes 4 owner 0 generation 0
	EOF
	check_output - "instance show vpna" ctl instance show vpna <<-'EOF'
	vpna vrf vrf-a table 10 max-paths 2 mode flow hash l3l4 ttl uniform routes 4 owner 0 generation 0
	EOF
	check_output - "tunnel show" ctl tunnel show <<-'EOF'
	1 pe 2.2.2.2 via 10.0.1.2 dev c1 label 16 state up users 1 owner 0 generation 0
	2 pe 3.3.3.3 via 10.0.2.2 dev c2 label 17/18 state up users 1 owner 0 generation 0
	3 pe 4.4.4.4 via 10.0.3.2 dev c3 label none state up users 1 owner 0 generation 0
	EOF
	check_output - "tunnel show 2" ctl tunnel show 2 <<-'EOF'
	2 pe 3.3.3.3 via 10.0.2.2 dev c2 label 17/18 state up users 1 owner 0 generation 0
	EOF
	# nexthop users: groups + routes
	check_output - "nexthop show" ctl nexthop show <<-'EOF'
	10 tunnel 1 label 1002 neighbor 2.2.2.2 users 2 owner 0 generation 0
	11 tunnel 2 label 1003 neighbor 3.3.3.3 users 1 owner 0 generation 0
	12 tunnel 3 label 1004 neighbor 4.4.4.4 users 2 owner 0 generation 0
	EOF
	check_output - "group show" ctl group show <<-'EOF'
	100 instance vpna users 2 owner 0 generation 0
	    member 10 weight 3 active
	    member 11 weight 1 active
	    member 12 weight 1 backup
	200 instance vpna users 1 owner 0 generation 0
	    member 12 weight 1 active
	EOF
	check_output - "route show" route_show_masked <<-'EOF'
	vpna 10.2.0.0/16 group 100 proto ibgp preference 255 cost 0 owner 0 generation 0 age AGE
	vpna 10.2.1.0/24 group 100 proto ibgp preference 255 cost 0 owner 0 generation 0 age AGE
	vpna 10.3.0.0/16 group 200 proto ebgp preference 255 cost 10 owner 0 generation 0 age AGE
	vpna 10.4.0.0/24 nexthop 10 proto static preference 60 cost 0 owner 0 generation 0 age AGE
	EOF
	check_output - "route show longer" route_show_masked vpna 10.2.0.0/16 longer <<-'EOF'
	vpna 10.2.0.0/16 group 100 proto ibgp preference 255 cost 0 owner 0 generation 0 age AGE
	vpna 10.2.1.0/24 group 100 proto ibgp preference 255 cost 0 owner 0 generation 0 age AGE
	EOF
	check_output - "route get" route_get_masked vpna 10.2.1.77 <<-'EOF'
	vpna 10.2.1.0/24 group 100 proto ibgp preference 255 cost 0 owner 0 generation 0 age AGE
	EOF
}

# the ifindex of c2 is the kernel's choice: put it in the expected text
case_show_json()
{
	local idx

	idx=$(ip netns exec "$pe" cat /sys/class/net/c2/ifindex)
	check_output - "tunnel show -j" json_line_ifindex "$idx" tunnel show 2 <<-'EOF'
	[{"dev": "c2", "generation": 0, "id": 2, "ifindex": IFINDEX, "labels": [17, 18], "owner": 0, "pe": "3.3.3.3", "state": "up", "users": 1, "via": "10.0.2.2"}]
	EOF
	check_output - "group show -j" json_line group show 200 <<-'EOF'
	[{"generation": 0, "id": 200, "instance": "vpna", "members": [{"nexthop": 12, "state": "active", "weight": 1}], "owner": 0, "proto": "static", "users": 1}]
	EOF
	check_output - "nexthop show -j" json_line nexthop show 11 <<-'EOF'
	[{"generation": 0, "id": 11, "label": 1003, "neighbor": "3.3.3.3", "owner": 0, "tunnel": 2, "users": 1}]
	EOF
	check_output - "route show -j" json_line route show vpna 10.4.0.0/24 <<-'EOF'
	[{"age": 0, "cost": 0, "generation": 0, "instance": "vpna", "nexthop": 10, "owner": 0, "preference": 60, "prefix": "10.4.0.0/24", "proto": "static"}]
	EOF
}

DISPLAY_HEAD='Route Flags: R - relay, D - download to fib
------------------------------------------------------------------------------
Routing Table : vpna'

case_display_brief()
{
	check_output - "display brief" ctl display ip routing-table vpn-instance vpna <<-EOF
	$DISPLAY_HEAD
	         Destinations : 4        Routes : 6

	Destination/Mask    Proto   Pre  Cost      Flags NextHop         Interface

	       10.2.0.0/16  IBGP    255  0           RD  2.2.2.2         c1
	                    IBGP    255  0           RD  3.3.3.3         c2
	       10.2.1.0/24  IBGP    255  0           RD  2.2.2.2         c1
	                    IBGP    255  0           RD  3.3.3.3         c2
	       10.3.0.0/16  EBGP    255  10          RD  4.4.4.4         c3
	       10.4.0.0/24  Static  60   0           RD  2.2.2.2         c1
	EOF
}

case_display_longest_match()
{
	# 10.2.1.77 is inside /16 and /24: the /24 wins
	check_output - "display 10.2.1.77" ctl display ip routing-table vpn-instance vpna 10.2.1.77 <<-EOF
	$DISPLAY_HEAD
	         Destinations : 1        Routes : 2

	Destination/Mask    Proto   Pre  Cost      Flags NextHop         Interface

	       10.2.1.0/24  IBGP    255  0           RD  2.2.2.2         c1
	                    IBGP    255  0           RD  3.3.3.3         c2
	EOF
	check_output - "display 10.2.200.1" ctl display ip routing-table vpn-instance vpna 10.2.200.1 <<-EOF
	$DISPLAY_HEAD
	         Destinations : 1        Routes : 2

	Destination/Mask    Proto   Pre  Cost      Flags NextHop         Interface

	       10.2.0.0/16  IBGP    255  0           RD  2.2.2.2         c1
	                    IBGP    255  0           RD  3.3.3.3         c2
	EOF
	check_output - "display no match" ctl display ip routing-table vpn-instance vpna 192.0.2.1 <<-EOF
	$DISPLAY_HEAD
	         Destinations : 0        Routes : 0

	Destination/Mask    Proto   Pre  Cost      Flags NextHop         Interface

	EOF
	# IP MASK-LEN: that prefix only; a dotted mask works too
	check_output - "display exact" ctl display ip routing-table vpn-instance vpna 10.2.0.0 255.255.0.0 <<-EOF
	$DISPLAY_HEAD
	         Destinations : 1        Routes : 2

	Destination/Mask    Proto   Pre  Cost      Flags NextHop         Interface

	       10.2.0.0/16  IBGP    255  0           RD  2.2.2.2         c1
	                    IBGP    255  0           RD  3.3.3.3         c2
	EOF
	check_output - "display exact, absent" ctl display ip routing-table vpn-instance vpna 10.2.0.0 15 <<-EOF
	$DISPLAY_HEAD
	         Destinations : 0        Routes : 0

	Destination/Mask    Proto   Pre  Cost      Flags NextHop         Interface

	EOF
}

case_display_longer_match()
{
	check_output - "display longer-match" ctl display ip routing-table vpn-instance vpna 10.0.0.0 8 longer-match <<-EOF
	$DISPLAY_HEAD
	         Destinations : 4        Routes : 6

	Destination/Mask    Proto   Pre  Cost      Flags NextHop         Interface

	       10.2.0.0/16  IBGP    255  0           RD  2.2.2.2         c1
	                    IBGP    255  0           RD  3.3.3.3         c2
	       10.2.1.0/24  IBGP    255  0           RD  2.2.2.2         c1
	                    IBGP    255  0           RD  3.3.3.3         c2
	       10.3.0.0/16  EBGP    255  10          RD  4.4.4.4         c3
	       10.4.0.0/24  Static  60   0           RD  2.2.2.2         c1
	EOF
	check_output - "display longer-match /16" ctl display ip routing-table vpn-instance vpna 10.2.0.0 16 longer-match <<-EOF
	$DISPLAY_HEAD
	         Destinations : 2        Routes : 4

	Destination/Mask    Proto   Pre  Cost      Flags NextHop         Interface

	       10.2.0.0/16  IBGP    255  0           RD  2.2.2.2         c1
	                    IBGP    255  0           RD  3.3.3.3         c2
	       10.2.1.0/24  IBGP    255  0           RD  2.2.2.2         c1
	                    IBGP    255  0           RD  3.3.3.3         c2
	EOF
}

display_verbose_masked()
{
	vpnlbctl -n "$pe" display ip routing-table vpn-instance vpna "$@" \
		verbose | mask_age
}

case_display_verbose()
{
	# every member of group 100: two active, 12 the backup
	check_output - "display verbose" display_verbose_masked 10.2.200.1 <<-EOF
	$DISPLAY_HEAD
	Summary Count : 3

	Destination: 10.2.0.0/16
	     Protocol: IBGP            Preference: 255
	         Cost: 0                   Weight: 3
	      NextHop: 2.2.2.2          Neighbour: 2.2.2.2
	        State: Active Adv             Age: AGE
	        Label: 1002
	 RelayNextHop: 10.0.1.2         Interface: c1
	     TunnelID: 0x0000000001         Flags: RD
	      Packets: 0                    Bytes: 0

	Destination: 10.2.0.0/16
	     Protocol: IBGP            Preference: 255
	         Cost: 0                   Weight: 1
	      NextHop: 3.3.3.3          Neighbour: 3.3.3.3
	        State: Active Adv             Age: AGE
	        Label: 1003
	 RelayNextHop: 10.0.2.2         Interface: c2
	     TunnelID: 0x0000000002         Flags: RD
	      Packets: 0                    Bytes: 0

	Destination: 10.2.0.0/16
	     Protocol: IBGP            Preference: 255
	         Cost: 0                   Weight: 1
	      NextHop: 4.4.4.4          Neighbour: 4.4.4.4
	        State: Inactive backup        Age: AGE
	        Label: 1004
	 RelayNextHop: 10.0.3.2         Interface: c3
	     TunnelID: 0x0000000003         Flags: R
	      Packets: 0                    Bytes: 0
	EOF
	# a single-nexthop route: no group, no counters
	check_output - "display verbose static" display_verbose_masked 10.4.0.0 24 <<-EOF
	$DISPLAY_HEAD
	Summary Count : 1

	Destination: 10.4.0.0/24
	     Protocol: Static          Preference: 60
	         Cost: 0                   Weight: 1
	      NextHop: 2.2.2.2          Neighbour: 2.2.2.2
	        State: Active Adv             Age: AGE
	        Label: 1002
	 RelayNextHop: 10.0.1.2         Interface: c1
	     TunnelID: 0x0000000001         Flags: RD
	EOF
}

case_display_json()
{
	check_output - "display -j" json_line display ip routing-table vpn-instance vpna 10.3.0.0 16 <<-'EOF'
	{"destinations": 1, "entries": [{"age": 0, "cost": 10, "destination": "10.3.0.0/16", "nexthops": [{"bytes": 0, "flags": "RD", "interface": "c3", "label": 1004, "neighbour": "4.4.4.4", "nexthop": "4.4.4.4", "packets": 0, "relay_nexthop": "10.0.3.2", "state": "active", "tunnel_id": 3, "weight": 1}], "preference": 255, "protocol": "ebgp"}], "routes": 1, "table": "vpna"}
	EOF
	check_output - "display -j verbose" json_indented display ip routing-table vpn-instance vpna 10.2.1.0 24 verbose <<-'EOF'
	{
	 "destinations": 1,
	 "entries": [
	  {
	   "age": 0,
	   "cost": 0,
	   "destination": "10.2.1.0/24",
	   "nexthops": [
	    {
	     "bytes": 0,
	     "flags": "RD",
	     "interface": "c1",
	     "label": 1002,
	     "neighbour": "2.2.2.2",
	     "nexthop": "2.2.2.2",
	     "packets": 0,
	     "relay_nexthop": "10.0.1.2",
	     "state": "active",
	     "tunnel_id": 1,
	     "weight": 3
	    },
	    {
	     "bytes": 0,
	     "flags": "RD",
	     "interface": "c2",
	     "label": 1003,
	     "neighbour": "3.3.3.3",
	     "nexthop": "3.3.3.3",
	     "packets": 0,
	     "relay_nexthop": "10.0.2.2",
	     "state": "active",
	     "tunnel_id": 2,
	     "weight": 1
	    },
	    {
	     "bytes": 0,
	     "flags": "R",
	     "interface": "c3",
	     "label": 1004,
	     "neighbour": "4.4.4.4",
	     "nexthop": "4.4.4.4",
	     "packets": 0,
	     "relay_nexthop": "10.0.3.2",
	     "state": "backup",
	     "tunnel_id": 3,
	     "weight": 1
	    }
	   ],
	   "preference": 255,
	   "protocol": "ibgp"
	  }
	 ],
	 "routes": 3,
	 "table": "vpna"
	}
	EOF
}

# Three pings from the CE to 10.3.0.1: route 10.3.0.0/16, group 200, its
# one member (nexthop 12, tunnel 3 without transport label). A member
# counts the packet as sent, VPN label included: 84 + 4 = 88 bytes each.
case_counters()
{
	ip netns exec "$ce" ping -q -c 3 -i 0.2 -W 1 10.3.0.1 > /dev/null 2>&1
	check_output - "group show -s" ctl -s group show 200 <<-'EOF'
	200 instance vpna users 1 owner 0 generation 0
	    member 12 weight 1 active packets 3 bytes 264
	EOF
	check_output - "instance show -s" ctl -s instance show vpna <<-'EOF'
	vpna vrf vrf-a table 10 max-paths 2 mode flow hash l3l4 ttl uniform routes 4 owner 0 generation 0
	    hits 3 misses 0
	    drop ttl 0 mtu 0 no-neigh 0 tunnel-down 0 no-member 0 nomem 0
	EOF
	# a show without -s has no counters
	check_output - "group show" ctl group show 200 <<-'EOF'
	200 instance vpna users 1 owner 0 generation 0
	    member 12 weight 1 active
	EOF
	check_output - "display verbose counters" display_verbose_masked 10.3.0.0 16 <<-EOF
	$DISPLAY_HEAD
	Summary Count : 1

	Destination: 10.3.0.0/16
	     Protocol: EBGP            Preference: 255
	         Cost: 10                  Weight: 1
	      NextHop: 4.4.4.4          Neighbour: 4.4.4.4
	        State: Active Adv             Age: AGE
	        Label: 1004
	 RelayNextHop: 10.0.3.2         Interface: c3
	     TunnelID: 0x0000000003         Flags: RD
	      Packets: 3                    Bytes: 264
	EOF
}

# Start "vpnlbctl monitor" into $1 and return once it is listening: a
# no-op change of tunnel 1 is notified when the group has been joined.
monitor_start()
{
	local out=$1 i

	shift
	: > "$out"
	ip netns exec "$pe" "$VPNLBCTL" "$@" monitor >> "$out" 2>&1 &
	monitor_pid=$!
	ksft_defer kill "$monitor_pid"
	for i in $(seq 100); do
		ctl tunnel change 1 via 10.0.1.2 || return 1
		sleep 0.1
		[ -s "$out" ] && break
	done
	[ -s "$out" ] || return 1
	: > "$out"
}

# Wait until $1 has $2 lines, stop the monitor.
monitor_stop()
{
	local i

	for i in $(seq 50); do
		[ "$(wc -l < "$1")" -ge "$2" ] && break
		sleep 0.1
	done
	kill "$monitor_pid"
	wait "$monitor_pid" 2> /dev/null
}

case_monitor()
{
	local out=$tmp/monitor

	monitor_start "$out" || {
		check_fail "monitor did not start"
		return 1
	}
	ctl route add vpna 10.5.0.0/16 group 100 proto ibgp preference 200 &&
	ctl route del vpna 10.5.0.0/16 || return 1
	monitor_stop "$out" 2
	check_output - "monitor" mask_age_file "$out" <<-'EOF'
	add route vpna 10.5.0.0/16 group 100 proto ibgp preference 200 cost 0 owner 0 generation 0 age AGE
	del route vpna 10.5.0.0/16
	EOF

	monitor_start "$out" -j || {
		check_fail "monitor -j did not start"
		return 1
	}
	ctl nexthop add 13 tunnel 2 label 2000 &&
	ctl nexthop del 13 || return 1
	monitor_stop "$out" 2
	check_output - "monitor -j" cat "$out" <<-'EOF'
	{"event":"add","nexthop":{"id":13,"tunnel":2,"label":2000,"neighbor":"3.3.3.3","users":0,"owner":0,"generation":0}}
	{"event":"del","nexthop":{"id":13}}
	EOF
}

# Routes 10.100.0.0/32 .. 10.100.7.207/32 (2000 of them).
batch_routes()
{
	local verb=$1 via= i

	[ "$verb" = add ] && via=" group 100"
	echo "# $verb 2000 routes"
	for ((i = 0; i < 2000; i++)); do
		echo "route $verb vpna 10.100.$((i / 256)).$((i % 256))/32$via"
		[ "$i" = 1000 ] && echo
	done
}

route_count()
{
	ctl route show vpna "$@" | wc -l
}

case_batch()
{
	local f=$tmp/batch

	batch_routes add > "$f"
	check_ok "batch add" ctl -b "$f"
	check_eq 2000 "$(route_count 10.100.0.0/16 longer)" "routes after batch add"
	check_output - "instance routes" instance_routes <<-'EOF'
	2004
	EOF
	# all or nothing: one bad entry and none of the batch is applied
	{ batch_routes del | head -n 1500; echo "route del vpna 10.200.0.0/16"; } > "$f"
	check_err 1 "Error: vpnlb: route 1498: 10.200.0.0/16 does not exist in vpna
Command failed $f:1501" "batch del, one missing" ctl -b "$f"
	check_eq 2000 "$(route_count 10.100.0.0/16 longer)" "routes after the failed batch"
	batch_routes del > "$f"
	check_ok "batch del" ctl batch "$f"
	check_eq 0 "$(route_count 10.100.0.0/16 longer)" "routes after batch del"

	# stop at the first error: line 3 fails, line 4 never runs
	printf '%s\n' "# objects" "nexthop add 20 tunnel 1 label 2020" \
		"route add vpna 10.6.0.0/33 group 100" "nexthop add 21 tunnel 1 label 2021" > "$f"
	check_err 2 "Error: invalid prefix length \"33\"
Command failed $f:3" "batch syntax error" ctl -b "$f"
	check_ok "nexthop 20 added" ctl nexthop show 20
	check_err 1 "Error: vpnlb: nexthop 21 does not exist" "nexthop 21 not added" \
		ctl nexthop show 21
	# -force: carry on, fail at the end
	check_err 2 "Error: vpnlb: nexthop 20 already exists
Command failed $f:2
Error: invalid prefix length \"33\"
Command failed $f:3" "batch -force" ctl -force -b "$f"
	check_ok "nexthop 21 added with -force" ctl nexthop show 21
	# stdin
	printf '%s\n' "nexthop del 20" "nexthop del 21" | ctl -b - ||
		check_fail "batch from stdin"
	check_err 1 "Error: vpnlb: nexthop 20 does not exist" "nexthop 20 deleted" \
		ctl nexthop show 20
}

case_bad_input()
{
	local members= i long=a234567890123456789012345678901x

	check_cli 2 'Error: invalid prefix "10.2.0.1/16": host bits set' \
		"host bits set" ctl route add vpna 10.2.0.1/16 group 100
	check_cli 2 'Error: invalid prefix length "33"' \
		"prefix length 33" ctl route add vpna 10.2.0.0/33 group 100
	check_cli 2 'Error: invalid label "0x100000" (0..1048575)' \
		"label 0x100000" ctl nexthop add 20 tunnel 1 label 0x100000
	check_cli 2 'Error: invalid label "1048576" (0..1048575)' \
		"transport label 1048576" \
		ctl tunnel add 9 pe 9.9.9.9 via 10.0.1.2 dev c1 label 16/1048576
	check_cli 2 'Error: invalid weight "0" (1..65535)' \
		"weight 0" ctl group add 300 instance vpna member 10 weight 0
	check_cli 2 'Error: invalid weight "65536" (1..65535)' \
		"weight 65536" ctl group change 100 member 10 weight 65536
	check_cli 2 "Error: instance name \"$long\" is longer than 31 characters" \
		"name too long" ctl instance add "$long" vrf vrf-a
	for i in $(seq 129); do
		members="$members member 10"
	done
	check_cli 2 "Error: too many members (at most 128)" \
		"group too big" ctl group add 300 instance vpna $members
	check_cli 1 "Error: vpnlb: instance vpnz does not exist" \
		"unknown instance" ctl route add vpnz 10.9.0.0/16 group 100
	check_cli 1 "Error: vpnlb: instance vpnz does not exist" \
		"unknown instance (group)" ctl group add 300 instance vpnz member 10
	check_cli 1 "Error: vpnlb: group 999 does not exist" \
		"unknown group" ctl route add vpna 10.9.0.0/16 group 999
	check_cli 1 "Error: vpnlb: tunnel 99 does not exist" \
		"unknown tunnel" ctl nexthop add 20 tunnel 99 label 2020
	check_cli 1 "Error: vpnlb: member 0: nexthop 99 does not exist" \
		"unknown nexthop" ctl group add 300 instance vpna member 99
	check_cli 1 "Error: vpnlb: tunnel 1 already exists" \
		"duplicate tunnel" ctl tunnel add 1 pe 2.2.2.2 via 10.0.1.2 dev c1
	check_cli 1 "Error: vpnlb: group 100 already exists" \
		"duplicate group" ctl group add 100 instance vpna member 10
	check_cli 1 "Error: vpnlb: instance vpna already exists" \
		"duplicate instance" ctl instance add vpna vrf vrf-a
	check_cli 1 "Error: vpnlb: 10.2.0.0/16 already exists in vpna" \
		"duplicate route" ctl route add vpna 10.2.0.0/16 group 100
	check_cli 1 "Error: vpnlb: tunnel 1 is used by nexthop 10" \
		"delete tunnel in use" ctl tunnel del 1
	check_cli 1 "Error: vpnlb: nexthop 11 is used by group 100" \
		"delete nexthop in use" ctl nexthop del 11
	check_cli 1 "Error: vpnlb: group 200 is used by route vpna 10.3.0.0/16" \
		"delete group in use" ctl group del 200
	check_cli 1 'Error: cannot find device "nosuch0"' \
		"unknown device" ctl tunnel add 9 pe 9.9.9.9 via 10.0.1.2 dev nosuch0
	check_cli 2 'Error: missing PREFIX/LEN' \
		"bad syntax: missing prefix" ctl route add vpna
	check_cli 2 'Error: unknown instance command "frob"' \
		"bad syntax: verb" ctl instance frob vpna
	check_cli 2 'Error: unknown argument "colour"' \
		"bad syntax: keyword" ctl tunnel change 1 colour red
	check_cli 2 'Error: invalid max-paths "65" (1..64)' \
		"max-paths 65" ctl instance change vpna max-paths 65
	check_cli 2 'Error: unknown command "routes"' \
		"bad syntax: object" ctl routes show
}


group_states()
{
	ctl group show "$1" | awk '$1 == "member" { printf "%s%s", sep, $NF; sep = " " } END { print "" }'
}

# "maximum load-balancing ibgp|ebgp": an ibgp group takes max-paths-ibgp,
# a static group keeps max-paths; routes and groups of other protocols
# do not mix, and a group in use keeps its protocol.
case_bgp_maximums()
{
	ctl instance change vpna max-paths-ibgp 3 &&
	ctl group add 400 instance vpna proto ibgp member 10 member 11 \
		member 12 || return 1
	check_output - "instance show with max-paths-ibgp" ctl instance show vpna <<-'EOF'
	vpna vrf vrf-a table 10 max-paths 2 max-paths-ibgp 3 mode flow hash l3l4 ttl uniform routes 4 owner 0 generation 0
	EOF
	check_output - "ibgp group show" ctl group show 400 <<-'EOF'
	400 instance vpna proto ibgp users 0 owner 0 generation 0
	    member 10 weight 1 active
	    member 11 weight 1 active
	    member 12 weight 1 active
	EOF
	check_eq "active active backup" "$(group_states 100)" \
		"static group 100 keeps max-paths 2"
	ctl instance change vpna max-paths-ibgp 1 || return 1
	check_eq "active backup backup" "$(group_states 400)" "max-paths-ibgp 1"
	check_eq "active active backup" "$(group_states 100)" \
		"static group 100 unchanged"
	ctl instance change vpna max-paths-ebgp 3 || return 1
	check_eq "active backup backup" "$(group_states 400)" \
		"max-paths-ebgp leaves the ibgp group alone"
	ctl instance change vpna max-paths-ibgp 0 || return 1
	check_eq "active active backup" "$(group_states 400)" \
		"max-paths-ibgp 0 follows max-paths"
	ctl route add vpna 10.8.0.0/16 group 400 proto ibgp || return 1
	check_cli 1 "Error: vpnlb: group 400 is for ibgp routes, not ebgp" \
		"ebgp route on an ibgp group" \
		ctl route add vpna 10.9.0.0/16 group 400 proto ebgp
	check_cli 1 "Error: vpnlb: group 400 is for ibgp routes, not static" \
		"route change to static on an ibgp group" \
		ctl route change vpna 10.8.0.0/16 proto static
	check_cli 1 "Error: vpnlb: group 400 is used by 1 routes: its protocol stays ibgp" \
		"protocol of a group in use" ctl group change 400 proto ebgp
	check_cli 2 'Error: invalid max-paths-ibgp "65" (0..64)' \
		"max-paths-ibgp 65" ctl instance change vpna max-paths-ibgp 65
	check_cli 2 'Error: invalid proto "igp" (static|ibgp|ebgp)' \
		"group proto igp" ctl group change 400 proto igp
	ctl route del vpna 10.8.0.0/16 || return 1
	ctl group change 400 proto ebgp || return 1
	check_eq "active active active" "$(group_states 400)" \
		"unused group moved to ebgp takes max-paths-ebgp 3"
	ctl group del 400 &&
	ctl instance change vpna max-paths-ebgp 0 || return 1
	check_output - "instance back to max-paths alone" ctl instance show vpna <<-'EOF'
	vpna vrf vrf-a table 10 max-paths 2 mode flow hash l3l4 ttl uniform routes 4 owner 0 generation 0
	EOF
}

# An agent's objects (owner 9, generation 1) swept by a newer generation:
# the route, then the group, nexthop and tunnel it alone used.
case_flush()
{
	ctl tunnel add 7 pe 7.7.7.7 via 10.0.1.2 dev c1 owner 9 generation 1 &&
	ctl nexthop add 70 tunnel 7 label 7000 owner 9 generation 1 &&
	ctl group add 700 instance vpna member 70 owner 9 generation 1 &&
	ctl route add vpna 10.7.0.0/16 group 700 owner 9 generation 1 ||
		return 1
	check_output - "tunnel with owner" ctl tunnel show 7 <<-'EOF'
	7 pe 7.7.7.7 via 10.0.1.2 dev c1 label none state up users 1 owner 9 generation 1
	EOF
	# another owner's flush, or an older generation, deletes nothing
	check_output - "flush other owner" ctl flush owner 8 <<-'EOF'
	deleted 0
	EOF
	check_output - "flush older generation" ctl flush owner 9 generation 1 <<-'EOF'
	deleted 0
	EOF
	check_output - "flush" ctl flush instance vpna owner 9 generation 2 <<-'EOF'
	deleted 4
	EOF
	check_err 1 "Error: vpnlb: tunnel 7 does not exist" "tunnel 7 flushed" \
		ctl tunnel show 7
	check_eq 4 "$(instance_routes)" "routes after the flush"
}

setup || ksft_exit_fail "cannot set up the topology and objects"

ksft_run show case_show
ksft_run show_json case_show_json
ksft_run display_brief case_display_brief
ksft_run display_longest_match case_display_longest_match
ksft_run display_longer_match case_display_longer_match
ksft_run display_verbose case_display_verbose
ksft_run display_json case_display_json
ksft_run counters case_counters
ksft_run monitor case_monitor
ksft_run batch case_batch
ksft_run bad_input case_bad_input
ksft_run bgp_maximums case_bgp_maximums
ksft_run flush case_flush
ksft_exit
