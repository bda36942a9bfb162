#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vpnlbd's path selection edge cases on the host (no kernel module:
# --no-kernel), driven by two scripted ExaBGP speakers:
#
#   pe2 (ExaBGP, iBGP AS 100) --- pe1 (vpnlbd, AS 100) --- pe3 (ExaBGP, eBGP AS 200)
#   10.99.12.2                   10.99.12.1 / 10.99.13.1   10.99.13.3
#
# Each prefix below is one edge case; its paths come in distinct RDs, with
# RT 111:1 (imported by vpn-instance vpna) unless said otherwise. Next hops
# in 10.99.12.0/24 and 10.99.13.0/24 are on-link for pe1, so they resolve.
#
#   10.20/16  AS paths [200 300] x2, [400 500], [200 300 400]
#   10.30/16  link bandwidth on every path: 10, 20, 40 Mbit/s
#   10.31/16  link bandwidth on two paths of three
#   10.40/16  MED, local-preference, origin differences
#   10.50/16  three equal paths: withdraw of the best
#   10.60/16  one eBGP and one iBGP path
#   10.70/16  three eBGP paths; 10.71/16 three iBGP paths
#   10.80/16  next hops without a route and without an LSP
#   10.90/16, 10.91/16  RT 999:9, not imported
#   10.92/16  VPN label 3 (implicit null: no VPN label)
#   10.96/16 .. 10.99/16  RFC 7606 malformations (raw attributes): the
#             reactions treat-as-withdraw, attribute-discard, AFI/SAFI
#             disable and session reset, over real sessions
#
# VPNLBD=PATH runs another vpnlbd build.

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/bgp_topo.sh"
. "$HERE/lib_vpnlbd.sh"

FEED=$HERE/exabgp/api-feed.sh

require_root
require_cmd exabgp python3 ip tail
[ -x "$VPNLBD" ] || ksft_exit_skip "build $VPNLBD first (make)"

bgp_topo_create vpnlbd-exabgp
SOCK=$TMP/vpnlbd.sock
RT="extended-community [ target:111:1 ]"

# exa_start NAME NS LOCAL PEER LOCAL-AS PEER-AS ROUTER-ID: an ExaBGP speaker
# reading its commands from $TMP/NAME.cmd (see exa)
exa_start()
{
	local name=$1 ns=$2

	: > "$TMP/$1.cmd"
	cat > "$TMP/$1.conf" <<CONF
process feed {
	run $FEED $TMP/$1.cmd;
	encoder text;
}
neighbor $4 {
	router-id $7;
	local-address $3;
	local-as $5;
	peer-as $6;
	hold-time 30;
	family {
		ipv4 mpls-vpn;
	}
	api {
		processes [ feed ];
	}
}
CONF
	env exabgp.daemon.user=root exabgp.daemon.drop=false \
		exabgp.api.ack=false exabgp.api.cli=false \
		exabgp.tcp.bind= exabgp.log.destination="$TMP/$name.log" \
		ip netns exec "$ns" exabgp "$TMP/$name.conf" \
		> "$TMP/$name.out" 2>&1 &
	disown
}

# exa NAME COMMAND...: one API command ("announce route ...") to speaker NAME
exa()
{
	local name=$1

	shift
	echo "$*" >> "$TMP/$name.cmd"
}

# policy LINE...: these lines under ipv4-family vpn-instance vpna, committed
policy()
{
	vpnlbd_ctl "system-view" "bgp 100" "ipv4-family vpn-instance vpna" "$@" \
		"commit" > /dev/null
}

# paths PREFIX: one line per path, in selection order
paths()
{
	vpnlbd_ctl "json display bgp vpnv4 vpn-instance vpna routing-table $1" |
		python3 -c '
import json, sys
for p in json.load(sys.stdin)["paths"]:
    print(p["rd"], p["label"], p["nexthop"], "weight", p["weight"], "-",
          p["explanation"])'
}

summary()
{
	vpnlbd_ctl "display bgp vpnv4 vpn-instance vpna routing-table $1" |
		grep '^ Paths:'
}

# expect_paths PREFIX < EXPECTED: waits up to 20 s for paths PREFIX to
# print EXPECTED, else fails with the difference
expect_paths()
{
	local want got end=$((SECONDS + 20))

	want=$(cat)
	while [ $SECONDS -lt $end ]; do
		got=$(paths "$1" 2> /dev/null)
		[ "$got" = "$want" ] && return 0
		sleep 0.2
	done
	check_output - "paths of $1" paths "$1" <<< "$want"
}

# peer_field PEER KEY: a field of "json display bgp peer"
peer_field()
{
	vpnlbd_ctl "json display bgp peer" | python3 -c '
import json, sys
for p in json.load(sys.stdin)["peers"]:
    if p["peer"] == sys.argv[1]:
        print(str(p[sys.argv[2]]).lower())' "$1" "$2"
}

# the routes, announced before the sessions come up
A=pe2 B=pe3
exa_start $A "$PE2" 10.99.12.2 10.99.12.1 100 100 2.2.2.2
exa_start $B "$PE3" 10.99.13.3 10.99.13.1 200 100 3.3.3.3

a_route()
{
	exa $A announce route "$@"
}

a_route 10.20.0.0/16 rd 100:11 label 2011 next-hop 10.99.12.11 as-path [ 200 300 ] $RT
a_route 10.20.0.0/16 rd 100:12 label 2012 next-hop 10.99.12.12 as-path [ 200 300 ] $RT
a_route 10.20.0.0/16 rd 100:13 label 2013 next-hop 10.99.12.13 as-path [ 400 500 ] $RT
a_route 10.20.0.0/16 rd 100:14 label 2014 next-hop 10.99.12.14 as-path [ 200 300 400 ] $RT
# link bandwidth (type 0x40, subtype 0x04, AS 100, IEEE float bytes/s):
# 1250000 = 0x49989680 (10 Mbit/s), 2500000 = 0x4a189680, 5000000 = 0x4a989680
BW10="0x4004006449989680" BW20="0x400400644a189680" BW40="0x400400644a989680"
a_route 10.30.0.0/16 rd 100:21 label 2021 next-hop 10.99.12.21 extended-community [ target:111:1 $BW10 ]
a_route 10.30.0.0/16 rd 100:22 label 2022 next-hop 10.99.12.22 extended-community [ target:111:1 $BW20 ]
a_route 10.30.0.0/16 rd 100:23 label 2023 next-hop 10.99.12.23 extended-community [ target:111:1 $BW40 ]
a_route 10.31.0.0/16 rd 100:24 label 2024 next-hop 10.99.12.24 extended-community [ target:111:1 $BW10 ]
a_route 10.31.0.0/16 rd 100:25 label 2025 next-hop 10.99.12.25 extended-community [ target:111:1 $BW20 ]
a_route 10.31.0.0/16 rd 100:26 label 2026 next-hop 10.99.12.26 $RT
a_route 10.40.0.0/16 rd 100:31 label 2031 next-hop 10.99.12.31 $RT
a_route 10.40.0.0/16 rd 100:32 label 2032 next-hop 10.99.12.32 med 50 $RT
a_route 10.40.0.0/16 rd 100:33 label 2033 next-hop 10.99.12.33 local-preference 90 $RT
a_route 10.40.0.0/16 rd 100:34 label 2034 next-hop 10.99.12.34 origin incomplete $RT
a_route 10.40.0.0/16 rd 100:35 label 2035 next-hop 10.99.12.35 $RT
a_route 10.50.0.0/16 rd 100:41 label 2041 next-hop 10.99.12.41 $RT
a_route 10.50.0.0/16 rd 100:42 label 2042 next-hop 10.99.12.42 $RT
a_route 10.50.0.0/16 rd 100:43 label 2043 next-hop 10.99.12.43 $RT
a_route 10.60.0.0/16 rd 100:62 label 2062 next-hop 10.99.12.62 as-path [ 200 ] $RT
a_route 10.71.0.0/16 rd 100:71 label 2071 next-hop 10.99.12.71 $RT
a_route 10.71.0.0/16 rd 100:72 label 2072 next-hop 10.99.12.72 $RT
a_route 10.71.0.0/16 rd 100:73 label 2073 next-hop 10.99.12.73 $RT
a_route 10.80.0.0/16 rd 100:81 label 2081 next-hop 10.99.12.81 $RT
a_route 10.80.0.0/16 rd 100:82 label 2082 next-hop 192.0.2.82 $RT
a_route 10.80.0.0/16 rd 100:83 label 2083 next-hop 198.51.100.83 $RT
a_route 10.90.0.0/16 rd 100:91 label 2091 next-hop 10.99.12.91 $RT
a_route 10.90.0.0/16 rd 100:92 label 2092 next-hop 10.99.12.92 extended-community [ target:999:9 ]
a_route 10.91.0.0/16 rd 100:93 label 2093 next-hop 10.99.12.93 extended-community [ target:999:9 ]
a_route 10.92.0.0/16 rd 100:94 label 2094 next-hop 10.99.12.94 $RT
a_route 10.92.0.0/16 rd 100:95 label 3 next-hop 10.99.12.95 $RT
a_route 10.96.0.0/16 rd 100:96 label 2096 next-hop 10.99.12.96 $RT
A_ROUTES=31

b_route()
{
	exa $B announce route "$@"
}

b_route 10.60.0.0/16 rd 200:61 label 3061 next-hop 10.99.13.61 as-path [ 200 ] $RT
b_route 10.70.0.0/16 rd 200:71 label 3071 next-hop 10.99.13.71 as-path [ 200 ] $RT
b_route 10.70.0.0/16 rd 200:72 label 3072 next-hop 10.99.13.72 as-path [ 200 ] $RT
b_route 10.70.0.0/16 rd 200:73 label 3073 next-hop 10.99.13.73 as-path [ 200 ] $RT
B_ROUTES=4

vpnlbd_start "$PE1" "$SOCK" "$TMP/vpnlbd.log" --no-kernel \
	-c "$TMP/vpnlbd.conf" ||
	ksft_exit_fail "vpnlbd did not start: $(cat "$TMP/vpnlbd.log")"

vpnlbd_ctl "system-view" \
	"ip vpn-instance vpna" \
	" ipv4-family" \
	"  route-distinguisher 100:1" \
	"  vpn-target 111:1 both" \
	"bgp 100" \
	" router-id 1.1.1.1" \
	" peer 10.99.12.2 as-number 100" \
	" peer 10.99.12.2 connect-interface 10.99.12.1" \
	" peer 10.99.13.3 as-number 200" \
	" peer 10.99.13.3 connect-interface 10.99.13.1" \
	" ipv4-family vpnv4" \
	"  peer 10.99.12.2 enable" \
	"  peer 10.99.13.3 enable" \
	" ipv4-family vpn-instance vpna" \
	"  maximum load-balancing 4" \
	"commit" > /dev/null || ksft_exit_fail "configuration refused"

case_sessions()
{
	wait_for 60 "^  10\.99\.12\.2 .* Established +$A_ROUTES$" vpnlbd_ctl "display bgp peer" ||
		check_fail "iBGP ExaBGP: not established with $A_ROUTES paths"
	wait_for 60 "^  10\.99\.13\.3 .* Established +$B_ROUTES$" vpnlbd_ctl "display bgp peer" ||
		check_fail "eBGP ExaBGP: not established with $B_ROUTES paths"
}

case_as_path_strict()
{
	policy "undo load-balancing as-path-relax" \
		"undo load-balancing as-path-ignore" "maximum load-balancing 4"
	expect_paths 10.20.0.0/16 <<'OUT'
100:11 2011 10.99.12.11 weight 1 - best
100:12 2012 10.99.12.12 weight 1 - multipath, active (lost best on route-distinguisher)
100:13 2013 10.99.12.13 weight 0 - not selected: AS path differs from the best's (same length; as-path-relax would allow it)
100:14 2014 10.99.12.14 weight 0 - not selected: AS path length 3, best has 2
OUT
	check_eq " Paths:   4 available, 2 selected, 0 backup, maximum load-balancing 4" \
		"$(summary 10.20.0.0/16)" "summary"
	check_eq "as-path as-path-length" \
		"$(vpnlbd_ctl "json display bgp vpnv4 vpn-instance vpna routing-table 10.20.0.0/16" |
			python3 -c 'import json, sys; print(*[p["reason"] for p in json.load(sys.stdin)["paths"][2:]])')" \
		"JSON reasons"
}

case_as_path_relax()
{
	policy "load-balancing as-path-relax"
	expect_paths 10.20.0.0/16 <<'OUT'
100:11 2011 10.99.12.11 weight 1 - best
100:12 2012 10.99.12.12 weight 1 - multipath, active (lost best on route-distinguisher)
100:13 2013 10.99.12.13 weight 1 - multipath, active (lost best on route-distinguisher)
100:14 2014 10.99.12.14 weight 0 - not selected: AS path length 3, best has 2
OUT
}

case_as_path_ignore()
{
	policy "undo load-balancing as-path-relax" "load-balancing as-path-ignore"
	expect_paths 10.20.0.0/16 <<'OUT'
100:11 2011 10.99.12.11 weight 1 - best
100:12 2012 10.99.12.12 weight 1 - multipath, active (lost best on route-distinguisher)
100:13 2013 10.99.12.13 weight 1 - multipath, active (lost best on route-distinguisher)
100:14 2014 10.99.12.14 weight 1 - multipath, active (lost best on as-path-length)
OUT
	check_eq " Paths:   4 available, 4 selected, 0 backup, maximum load-balancing 4" \
		"$(summary 10.20.0.0/16)" "summary"
	policy "undo load-balancing as-path-ignore"
	expect_paths 10.20.0.0/16 <<'OUT'
100:11 2011 10.99.12.11 weight 1 - best
100:12 2012 10.99.12.12 weight 1 - multipath, active (lost best on route-distinguisher)
100:13 2013 10.99.12.13 weight 0 - not selected: AS path differs from the best's (same length; as-path-relax would allow it)
100:14 2014 10.99.12.14 weight 0 - not selected: AS path length 3, best has 2
OUT
}

case_ucmp()
{
	expect_paths 10.30.0.0/16 <<'OUT'
100:21 2021 10.99.12.21 weight 1 - best
100:22 2022 10.99.12.22 weight 2 - multipath, active (lost best on route-distinguisher)
100:23 2023 10.99.12.23 weight 4 - multipath, active (lost best on route-distinguisher)
OUT
	check_output - "bandwidths shown" \
		eval "vpnlbd_ctl 'display bgp vpnv4 vpn-instance vpna routing-table 10.30.0.0/16' | grep Link-Bandwidth" <<'OUT'
 Link-Bandwidth: 1250000 bytes/s
 Link-Bandwidth: 2500000 bytes/s
 Link-Bandwidth: 5000000 bytes/s
OUT
}

case_ucmp_partial()
{
	expect_paths 10.31.0.0/16 <<'OUT'
100:24 2024 10.99.12.24 weight 1 - best
100:25 2025 10.99.12.25 weight 1 - multipath, active (lost best on route-distinguisher)
100:26 2026 10.99.12.26 weight 1 - multipath, active (lost best on route-distinguisher)
OUT
	# the path without a bandwidth leaves: the others are weighted again
	exa $A withdraw route 10.31.0.0/16 rd 100:26 label 2026 next-hop 10.99.12.26 $RT
	expect_paths 10.31.0.0/16 <<'OUT'
100:24 2024 10.99.12.24 weight 1 - best
100:25 2025 10.99.12.25 weight 2 - multipath, active (lost best on route-distinguisher)
OUT
}

case_attributes()
{
	expect_paths 10.40.0.0/16 <<'OUT'
100:31 2031 10.99.12.31 weight 1 - best
100:35 2035 10.99.12.35 weight 1 - multipath, active (lost best on route-distinguisher)
100:32 2032 10.99.12.32 weight 0 - not selected: MED 50, best has 0
100:34 2034 10.99.12.34 weight 0 - not selected: origin incomplete, best has igp
100:33 2033 10.99.12.33 weight 0 - not selected: local-preference 90, best has 100
OUT
}

case_withdraw_backup()
{
	policy "maximum load-balancing 2"
	expect_paths 10.50.0.0/16 <<'OUT'
100:41 2041 10.99.12.41 weight 1 - best
100:42 2042 10.99.12.42 weight 1 - multipath, active (lost best on route-distinguisher)
100:43 2043 10.99.12.43 weight 1 - backup, inactive: past maximum load-balancing (lost best on route-distinguisher)
OUT
	check_eq " Paths:   3 available, 2 selected, 1 backup, maximum load-balancing 2" \
		"$(summary 10.50.0.0/16)" "summary"
	exa $A withdraw route 10.50.0.0/16 rd 100:41 label 2041 next-hop 10.99.12.41 $RT
	expect_paths 10.50.0.0/16 <<'OUT'
100:42 2042 10.99.12.42 weight 1 - best
100:43 2043 10.99.12.43 weight 1 - multipath, active (lost best on route-distinguisher)
OUT
	check_eq " Paths:   2 available, 2 selected, 0 backup, maximum load-balancing 2" \
		"$(summary 10.50.0.0/16)" "summary after the withdraw"
	policy "maximum load-balancing 4"
}

case_ebgp_ibgp()
{
	expect_paths 10.60.0.0/16 <<'OUT'
200:61 3061 10.99.13.61 weight 1 - best
100:62 2062 10.99.12.62 weight 0 - not selected: iBGP path, best is eBGP
OUT
}

case_maximum_ebgp_ibgp()
{
	policy "maximum load-balancing 1" "maximum load-balancing ebgp 2" \
		"maximum load-balancing ibgp 3"
	expect_paths 10.70.0.0/16 <<'OUT'
200:71 3071 10.99.13.71 weight 1 - best
200:72 3072 10.99.13.72 weight 1 - multipath, active (lost best on route-distinguisher)
200:73 3073 10.99.13.73 weight 1 - backup, inactive: past maximum load-balancing (lost best on route-distinguisher)
OUT
	expect_paths 10.71.0.0/16 <<'OUT'
100:71 2071 10.99.12.71 weight 1 - best
100:72 2072 10.99.12.72 weight 1 - multipath, active (lost best on route-distinguisher)
100:73 2073 10.99.12.73 weight 1 - multipath, active (lost best on route-distinguisher)
OUT
	check_eq " Paths:   3 available, 2 selected, 1 backup, maximum load-balancing ebgp 2" \
		"$(summary 10.70.0.0/16)" "eBGP prefix: the ebgp maximum"
	check_eq " Paths:   3 available, 3 selected, 0 backup, maximum load-balancing ibgp 3" \
		"$(summary 10.71.0.0/16)" "iBGP prefix: the ibgp maximum"
	policy "maximum load-balancing ebgp 3" "maximum load-balancing ibgp 1"
	expect_paths 10.70.0.0/16 <<'OUT'
200:71 3071 10.99.13.71 weight 1 - best
200:72 3072 10.99.13.72 weight 1 - multipath, active (lost best on route-distinguisher)
200:73 3073 10.99.13.73 weight 1 - multipath, active (lost best on route-distinguisher)
OUT
	expect_paths 10.71.0.0/16 <<'OUT'
100:71 2071 10.99.12.71 weight 1 - best
100:72 2072 10.99.12.72 weight 1 - backup, inactive: past maximum load-balancing (lost best on route-distinguisher)
100:73 2073 10.99.12.73 weight 1 - backup, inactive: past maximum load-balancing (lost best on route-distinguisher)
OUT
	# without the variants, the plain maximum applies to both
	policy "undo maximum load-balancing ebgp" \
		"undo maximum load-balancing ibgp" "maximum load-balancing 2"
	check_eq " Paths:   3 available, 2 selected, 1 backup, maximum load-balancing 2" \
		"$(summary 10.70.0.0/16)" "eBGP prefix with maximum 2"
	check_eq " Paths:   3 available, 2 selected, 1 backup, maximum load-balancing 2" \
		"$(summary 10.71.0.0/16)" "iBGP prefix with maximum 2"
	policy "maximum load-balancing 4"
}

case_unresolved_next_hop()
{
	# a route to 198.51.100.0/24 without MPLS encapsulation: no LSP
	ip -n "$PE1" route add 198.51.100.0/24 via 10.99.12.2 ||
		check_fail "route to 198.51.100.0/24"
	expect_paths 10.80.0.0/16 <<'OUT'
100:81 2081 10.99.12.81 weight 1 - best
100:82 2082 192.0.2.82 weight 0 - not selected: next hop 192.0.2.82 unresolved (no route to 192.0.2.82)
100:83 2083 198.51.100.83 weight 0 - not selected: next hop 198.51.100.83 unresolved (route to 198.51.100.83 has no MPLS label (no LSP))
OUT
	check_eq "next-hop-unresolved next-hop-unresolved" \
		"$(vpnlbd_ctl "json display bgp vpnv4 vpn-instance vpna routing-table 10.80.0.0/16" |
			python3 -c 'import json, sys; print(*[p["reason"] for p in json.load(sys.stdin)["paths"][1:]])')" \
		"JSON reasons"
	# the PE becomes reachable on-link: the path joins; and leaves again
	ip -n "$PE1" route add 192.0.2.82/32 dev v12 || check_fail "route to 192.0.2.82"
	expect_paths 10.80.0.0/16 <<'OUT'
100:81 2081 10.99.12.81 weight 1 - best
100:82 2082 192.0.2.82 weight 1 - multipath, active (lost best on route-distinguisher)
100:83 2083 198.51.100.83 weight 0 - not selected: next hop 198.51.100.83 unresolved (route to 198.51.100.83 has no MPLS label (no LSP))
OUT
	ip -n "$PE1" route del 192.0.2.82/32 dev v12 || check_fail "route del"
	expect_paths 10.80.0.0/16 <<'OUT'
100:81 2081 10.99.12.81 weight 1 - best
100:82 2082 192.0.2.82 weight 0 - not selected: next hop 192.0.2.82 unresolved (no route to 192.0.2.82)
100:83 2083 198.51.100.83 weight 0 - not selected: next hop 198.51.100.83 unresolved (route to 198.51.100.83 has no MPLS label (no LSP))
OUT
}

case_route_target()
{
	expect_paths 10.90.0.0/16 <<'OUT'
100:91 2091 10.99.12.91 weight 1 - best
OUT
	check_output - "only RT 999:9: not in the instance" \
		eval "vpnlbd_ctl 'display bgp vpnv4 vpn-instance vpna routing-table 10.91.0.0/16' | tail -n 1" <<'OUT'
 Info: the network does not exist.
OUT
	# both are in the Adj-RIB-In all the same
	check_output - "received" eval "vpnlbd_ctl 'display bgp vpnv4 all routing-table' |
		grep -E '^ \*      10\.9[01]\.0\.0/16 ' | tr -s ' '" <<'OUT'
 * 10.90.0.0/16 10.99.12.91 0 100 0 2091 i
 * 10.90.0.0/16 10.99.12.92 0 100 0 2092 i
 * 10.91.0.0/16 10.99.12.93 0 100 0 2093 i
OUT
}

case_no_vpn_label()
{
	# label 3 (implicit null) cannot be pushed: never a member
	expect_paths 10.92.0.0/16 <<'OUT'
100:94 2094 10.99.12.94 weight 1 - best
100:95 3 10.99.12.95 weight 0 - not selected: no usable VPN label (reserved label value)
OUT
	check_eq " Paths:   2 available, 1 selected, 0 backup, maximum load-balancing 4" \
		"$(summary 10.92.0.0/16)" "summary"
}

case_7606_treat_as_withdraw()
{
	local before

	expect_paths 10.96.0.0/16 <<'OUT' || return 1
100:96 2096 10.99.12.96 weight 1 - best
OUT
	before=$(peer_field 10.99.12.2 prefixes-received)
	# the same route again, its extended communities 7 bytes long
	# (RFC 7606 7.14)
	exa $A announce route 10.96.0.0/16 rd 100:96 label 2096 \
		next-hop 10.99.12.96 attribute [ 0x10 0xc0 0x0002006f000001 ]
	expect_paths 10.96.0.0/16 < /dev/null
	wait_for 10 "^1$" peer_field 10.99.12.2 malformed-updates ||
		check_fail "malformed-updates: $(peer_field 10.99.12.2 malformed-updates)"
	grep -Fq "peer 10.99.12.2: malformed UPDATE (treat-as-withdraw): attribute 16: EXTENDED_COMMUNITIES length is not a non-zero multiple of 8" \
		"$TMP/vpnlbd.log" || check_fail "not logged"
	check_eq established "$(peer_field 10.99.12.2 state)" "session kept"
	check_eq 0 "$(grep -c 'peer 10.99.12.2: state Established ->' "$TMP/vpnlbd.log")" \
		"session never left Established"
	check_eq $((before - 1)) "$(peer_field 10.99.12.2 prefixes-received)" \
		"only that path left"
}

case_7606_attribute_discard()
{
	# ATOMIC_AGGREGATE with one byte: the attribute goes, the route stays
	# (RFC 7606 7.6)
	exa $A announce route 10.97.0.0/16 rd 100:97 label 2097 \
		next-hop 10.99.12.97 $RT attribute [ 0x06 0x40 0x00 ]
	expect_paths 10.97.0.0/16 <<'OUT'
100:97 2097 10.99.12.97 weight 1 - best
OUT
	check_eq 2 "$(peer_field 10.99.12.2 malformed-updates)" "malformed-updates"
	grep -Fq "peer 10.99.12.2: malformed UPDATE (attribute-discard): attribute 6: ATOMIC_AGGREGATE length is not 0" \
		"$TMP/vpnlbd.log" || check_fail "not logged"
	check_eq established "$(peer_field 10.99.12.2 state)" "session kept"
}

case_7606_afi_safi_disable()
{
	local msgs end

	# an MP_UNREACH_NLRI whose VPNv4 prefix overruns the attribute: the
	# eBGP peer's VPNv4 paths go, its session stays (RFC 7606 5.3)
	exa $B announce route 10.99.0.0/16 rd 200:99 label 3099 \
		next-hop 10.99.13.99 as-path [ 200 ] $RT attribute [ 0x0f 0x80 0x000180780000 ]
	expect_paths 10.70.0.0/16 < /dev/null
	expect_paths 10.60.0.0/16 <<'OUT'
100:62 2062 10.99.12.62 weight 1 - best
OUT
	grep -Fq "peer 10.99.13.3: malformed UPDATE (afi-safi-disable): attribute 15: VPNv4 prefix overruns the NLRI field" \
		"$TMP/vpnlbd.log" || check_fail "not logged"
	check_eq "established 0 0" \
		"$(peer_field 10.99.13.3 state) $(peer_field 10.99.13.3 prefixes-received) $(grep -c 'peer 10.99.13.3: state Established ->' "$TMP/vpnlbd.log")" \
		"session kept, no paths"
	# later announcements of the family are ignored until the session resets
	msgs=$(peer_field 10.99.13.3 messages-received)
	exa $B withdraw route 10.99.0.0/16 rd 200:99 label 3099 next-hop 10.99.13.99 $RT
	exa $B announce route 10.72.0.0/16 rd 200:74 label 3074 next-hop 10.99.13.74 as-path [ 200 ] $RT
	end=$((SECONDS + 10))
	while [ $SECONDS -lt $end ]; do
		[ "$(peer_field 10.99.13.3 messages-received)" -ge $((msgs + 2)) ] && break
		sleep 0.2
	done
	check_eq 0 "$(peer_field 10.99.13.3 prefixes-received)" "paths after the disable"
}

case_7606_session_reset()
{
	local mp ibgp_paths

	ibgp_paths=$(peer_field 10.99.12.2 prefixes-received)

	# a second MP_REACH_NLRI (10.98.0.0/16 RD 200:98 label 3098) next to
	# the one ExaBGP builds: RFC 7606 3(g), Malformed Attribute List
	mp=0x000180
	mp+=0c0000000000000000
	mp+=0a630d62
	mp+=00
	mp+=68 mp+=00c1a1 mp+=000000c800000062 mp+=0a62
	exa $B announce route 10.98.0.0/16 rd 200:98 label 3098 \
		next-hop 10.99.13.98 as-path [ 200 ] $RT attribute [ 0x0e 0x80 $mp ]
	wait_for 20 "sending NOTIFICATION" grep -F "peer 10.99.13.3: sending NOTIFICATION" \
		"$TMP/vpnlbd.log" || check_fail "no NOTIFICATION sent"
	grep -F "peer 10.99.13.3: " "$TMP/vpnlbd.log" | grep -Fq \
		"malformed UPDATE (session-reset): attribute 14 appears more than once" ||
		check_fail "not logged"
	grep -Fq "peer 10.99.13.3: sending NOTIFICATION UPDATE Message Error/Malformed Attribute List: attribute 14 appears more than once" \
		"$TMP/vpnlbd.log" || check_fail "NOTIFICATION 3/1 not sent"
	grep -Fq "peer 10.99.13.3: state Established -> Connect" "$TMP/vpnlbd.log" ||
		check_fail "session not reset"
	# the iBGP peer is untouched
	check_eq "0 $ibgp_paths" \
		"$(grep -c 'peer 10.99.12.2: state Established ->' "$TMP/vpnlbd.log") $(peer_field 10.99.12.2 prefixes-received)" \
		"iBGP session"
	# once the bad route is gone the session comes back with its paths
	# (and 10.72.0.0/16, ignored while VPNv4 was disabled)
	exa $B withdraw route 10.98.0.0/16 rd 200:98 label 3098 next-hop 10.99.13.98 $RT
	wait_for 60 "^  10\.99\.13\.3 .* Established +$((B_ROUTES + 1))$" vpnlbd_ctl "display bgp peer" ||
		check_fail "eBGP session not back with $((B_ROUTES + 1)) paths"
	expect_paths 10.72.0.0/16 <<'OUT'
200:74 3074 10.99.13.74 weight 1 - best
OUT
}

ksft_plan 17
ksft_run sessions_established case_sessions
ksft_run as_path_strict case_as_path_strict
ksft_run as_path_relax case_as_path_relax
ksft_run as_path_ignore case_as_path_ignore
ksft_run ucmp_link_bandwidth case_ucmp
ksft_run ucmp_needs_every_bandwidth case_ucmp_partial
ksft_run med_local_pref_origin_excluded case_attributes
ksft_run withdraw_promotes_backup case_withdraw_backup
ksft_run ebgp_ibgp_not_mixed case_ebgp_ibgp
ksft_run maximum_ebgp_ibgp case_maximum_ebgp_ibgp
ksft_run unresolved_next_hop case_unresolved_next_hop
ksft_run route_target_not_imported case_route_target
ksft_run no_vpn_label_not_used case_no_vpn_label
ksft_run rfc7606_treat_as_withdraw case_7606_treat_as_withdraw
ksft_run rfc7606_attribute_discard case_7606_attribute_discard
ksft_run rfc7606_afi_safi_disable case_7606_afi_safi_disable
ksft_run rfc7606_session_reset case_7606_session_reset
ksft_exit
