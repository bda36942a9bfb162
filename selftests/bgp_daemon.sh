#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vpnlbd end to end on the host (no kernel module: --no-kernel), configured
# VRP-style over its control socket, against FRR bgpd and GoBGP:
#
#   pe2 (FRR, 10.99.12.2) --- pe1 (vpnlbd) --- pe3 (GoBGP, 10.99.13.3)
#   10.1.0.0/16 RD 100:2 label 1002            10.1.0.0/16 RD 100:3 label 1003
#   10.7.7.0/24 RD 100:2 label 1007
#
# Both with RT 111:1, imported by vpn-instance vpna: 10.1.0.0/16 has two
# paths with distinct RDs, selected by "maximum load-balancing N". The
# session to GoBGP is sourced from pe1's loopback address 1.1.1.1
# ("connect-interface lo"): GoBGP accepts no other.

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/bgp_topo.sh"
. "$HERE/lib_vpnlbd.sh"

BGPD=/usr/lib/frr/bgpd

require_root
require_cmd "$BGPD" gobgpd gobgp python3 ip
[ -x "$VPNLBD" ] || ksft_exit_skip "build $VPNLBD first (make)"

bgp_topo_create vpnlbd-daemon
ip -n "$PE1" addr add 1.1.1.1/32 dev lo &&
ip -n "$PE3" route add 1.1.1.1/32 via 10.99.13.1 || ksft_exit_fail "loopback"
SOCK=$TMP/vpnlbd.sock

bgp_topo_frr_conf "$TMP/bgpd.conf"
gobgpd_conf "$TMP/gobgpd.toml" 3.3.3.3 1.1.1.1

in_ns "$PE2" "$BGPD" -f "$TMP/bgpd.conf" -i "$TMP/bgpd.pid" -z "$TMP/zserv" \
	--vty_socket "$TMP" -Z -S -P 0 -d --log "file:$TMP/bgpd.log" \
	> /dev/null 2>&1 || ksft_exit_fail "bgpd did not start"
gobgpd_start "$PE3" "$TMP/gobgpd.toml" "$TMP/gobgpd.log"

gobgp_cli "$PE3" global rib -a vpnv4 add 10.1.0.0/16 label 1003 rd 100:3 rt 111:1 \
	nexthop 10.99.13.3 origin igp || ksft_exit_fail "gobgp route"

vpnlbd_start "$PE1" "$SOCK" "$TMP/vpnlbd.log" --no-kernel \
	-c "$TMP/vpnlbd.conf" ||
	ksft_exit_fail "vpnlbd did not start: $(cat "$TMP/vpnlbd.log")"

running_config()
{
	vpnlbd_ctl "display current-configuration"
}

case_commit_seed()
{
	check_output - "seed configuration" vpnlbd_ctl \
		"system-view" \
		"ip vpn-instance vpna" \
		" ipv4-family" \
		"  route-distinguisher 100:1" \
		"  vpn-target 111:1 both" \
		" vrf vrf-a" \
		"bgp 100" \
		" router-id 1.1.1.1" \
		" peer 10.99.12.2 as-number 100" \
		" peer 10.99.12.2 connect-interface 10.99.12.1" \
		" peer 10.99.13.3 as-number 100" \
		" peer 10.99.13.3 connect-interface lo" \
		" ipv4-family vpnv4" \
		"  peer 10.99.12.2 enable" \
		"  peer 10.99.13.3 enable" \
		" ipv4-family vpn-instance vpna" \
		"  maximum load-balancing 2" \
		"commit" < /dev/null
	check_output - "display current-configuration" running_config <<'OUT'
#
ip vpn-instance vpna
 ipv4-family
  route-distinguisher 100:1
  vpn-target 111:1 export-extcommunity
  vpn-target 111:1 import-extcommunity
 vrf vrf-a
#
bgp 100
 router-id 1.1.1.1
 peer 10.99.12.2 as-number 100
 peer 10.99.12.2 connect-interface 10.99.12.1
 peer 10.99.13.3 as-number 100
 peer 10.99.13.3 connect-interface lo
 #
 ipv4-family vpnv4
  peer 10.99.12.2 enable
  peer 10.99.13.3 enable
 #
 ipv4-family vpn-instance vpna
  maximum load-balancing 2
#
return
OUT
}

case_sessions_up()
{
	wait_for 30 "^  10.99.12.2 .* Established +2$" vpnlbd_ctl "display bgp peer" ||
		check_fail "FRR session not established with 2 prefixes"
	wait_for 30 "^  10.99.13.3 .* Established +1$" vpnlbd_ctl "display bgp peer" ||
		check_fail "GoBGP session not established with 1 prefix"
	vpnlbd_ctl "display bgp peer" | grep -Fxq " Total number of peers : 2		Peers in established state : 2" ||
		check_fail "peer summary line"
}

case_vpnv4_all()
{
	local out

	out=$(vpnlbd_ctl "display bgp vpnv4 all routing-table")
	check_eq " Total number of routes from all PE: 3" \
		"$(printf '%s\n' "$out" | grep 'Total number')" "route count"
	check_eq 2 "$(printf '%s\n' "$out" | grep -c '^ Route Distinguisher: 100:[23]$')" \
		"one section per RD"
	printf '%s\n' "$out" | grep -Eq '^ \*      10\.1\.0\.0/16 +10\.99\.13\.3 +0 +100 +0 +1003 +i$' ||
		check_fail "GoBGP path line"
	printf '%s\n' "$out" | grep -Eq '^ \*      10\.7\.7\.0/24 +10\.99\.12\.2 +0 +100 +0 +1007 +i$' ||
		check_fail "FRR path line"
}

explain()
{
	vpnlbd_ctl "display bgp vpnv4 vpn-instance vpna routing-table $1" |
		grep -E '^ (Paths|Route Distinguisher|Label|Weight|Status):'
}

case_two_paths()
{
	check_output - "explanation with maximum 2" explain 10.1.2.3 <<'OUT'
 Paths:   2 available, 2 selected, 0 backup, maximum load-balancing 2
 Route Distinguisher: 100:2
 Label: 1002
 Weight: 1
 Status: best
 Route Distinguisher: 100:3
 Label: 1003
 Weight: 1
 Status: multipath, active (lost best on router-id)
OUT
}

set_max()
{
	vpnlbd_ctl "system-view" "bgp 100" "ipv4-family vpn-instance vpna" \
		"maximum load-balancing $1" "commit"
}

case_maximum_live()
{
	check_ok "maximum 1" set_max 1
	check_output - "maximum 1: backup" explain 10.1.0.0/16 <<'OUT'
 Paths:   2 available, 1 selected, 1 backup, maximum load-balancing 1
 Route Distinguisher: 100:2
 Label: 1002
 Weight: 1
 Status: best
 Route Distinguisher: 100:3
 Label: 1003
 Weight: 1
 Status: backup, inactive: past maximum load-balancing (lost best on router-id)
OUT
	check_ok "maximum 3" set_max 3
	check_eq " Paths:   2 available, 2 selected, 0 backup, maximum load-balancing 3" \
		"$(explain 10.1.0.0/16 | head -1)" "maximum 3 with two paths"
	check_ok "maximum 2" set_max 2
}

case_bad_lines()
{
	local before

	before=$(running_config)
	check_err 1 "Error: line 4: maximum load-balancing 65 out of range 1..64
Error: commit refused: 1 line(s) had errors since the last commit, first line 4: maximum load-balancing 65 out of range 1..64; nothing was applied (fix them, or \"clear configuration candidate\")" \
		"out of range" vpnlbd_ctl "system-view" "bgp 100" "ipv4-family vpn-instance vpna" \
		"maximum load-balancing 65" "commit"
	check_err 1 "Error: line 3: unknown vpn-instance vpnb" "unknown instance" \
		vpnlbd_ctl "system-view" "bgp 100" "ipv4-family vpn-instance vpnb"
	check_err 1 "Error: line 4: bad route-distinguisher 1:2:3" "bad RD" \
		vpnlbd_ctl "system-view" "ip vpn-instance vpnc" "ipv4-family" \
		"route-distinguisher 1:2:3"
	check_err 1 "Error: line 5: bad vpn-target 70000:70000" "bad RT" \
		vpnlbd_ctl "system-view" "ip vpn-instance vpna" "ipv4-family" \
		"route-distinguisher 100:1" "vpn-target 70000:70000 both"
	check_err 1 "Error: line 1: unrecognized command \"frobnicate\" in user view (enter system-view first)" \
		"unknown command" vpnlbd_ctl "frobnicate"
	check_err 1 "Error: commit failed: peer 10.99.13.3: connect-interface nosuchdev0 does not exist; nothing was applied" \
		"unknown connect-interface" vpnlbd_ctl "system-view" "bgp 100" \
		"peer 10.99.13.3 connect-interface nosuchdev0" "commit"
	check_eq "$before" "$(running_config)" "running configuration unchanged"
	check_eq 2 "$(explain 10.1.0.0/16 | grep -c '^ Status: \(best\|multipath\)')" \
		"selection unchanged"
}

case_json()
{
	vpnlbd_ctl "json display bgp vpnv4 vpn-instance vpna routing-table 10.1.0.0/16" |
		python3 -c '
import json, sys
d = json.load(sys.stdin)
got = [(p["rd"], p["label"], p["status"], p["weight"]) for p in d["paths"]]
want = [("100:2", 1002, "best", 1), ("100:3", 1003, "multipath", 1)]
assert d["prefix"] == "10.1.0.0/16", d["prefix"]
assert got == want, got
' || check_fail "JSON paths"
}

case_withdraw()
{
	gobgp_cli "$PE3" global rib -a vpnv4 del 10.1.0.0/16 label 1003 rd 100:3 rt 111:1 \
		nexthop 10.99.13.3 || check_fail "gobgp del"
	wait_for 20 "^ Paths:   1 available, 1 selected" explain 10.1.0.0/16 ||
		check_fail "withdrawn path still there: $(explain 10.1.0.0/16)"
	gobgp_cli "$PE3" global rib -a vpnv4 add 10.1.0.0/16 label 1003 rd 100:3 rt 111:1 \
		nexthop 10.99.13.3 origin igp
	wait_for 20 "^ Paths:   2 available, 2 selected" explain 10.1.0.0/16 ||
		check_fail "path not back"
}

case_save()
{
	check_output - "save" vpnlbd_ctl "save" <<OUT
configuration saved to $TMP/vpnlbd.conf
OUT
	check_eq "$(running_config)" "$(cat "$TMP/vpnlbd.conf")" "saved file"
}

case_peer_shutdown()
{
	in_ns "$PE2" vtysh --vty_socket "$TMP" -c 'conf t' -c 'router bgp 100' \
		-c 'neighbor 10.99.12.1 shutdown message maintenance' > /dev/null
	wait_for 20 "^ Paths:   1 available, 1 selected" explain 10.1.0.0/16 ||
		check_fail "FRR paths still there"
	check_eq " Route Distinguisher: 100:3" \
		"$(explain 10.1.0.0/16 | grep Route)" "GoBGP's path left"
	grep -Fq 'peer 10.99.12.2: received NOTIFICATION Cease/Administrative Shutdown (6/2): "maintenance"' \
		"$TMP/vpnlbd.log" || check_fail "NOTIFICATION not logged"
}

case_not_root()
{
	command -v setpriv > /dev/null || return $ksft_skip
	# the socket is created 0600: other users cannot even connect
	check_eq "srw-------" "$(stat -c %A "$SOCK")" "socket mode"
	check_err 1 "Error: cannot reach vpnlbd at $SOCK: Permission denied" \
		"non-root" setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$VPNLBCTL" -S "$SOCK" display bgp peer
}

ksft_plan 11
ksft_run commit_seed case_commit_seed
ksft_run sessions_established case_sessions_up
ksft_run vpnv4_all_routing_table case_vpnv4_all
ksft_run two_paths_distinct_rds case_two_paths
ksft_run maximum_load_balancing_live case_maximum_live
ksft_run bad_lines_change_nothing case_bad_lines
ksft_run json_output case_json
ksft_run withdraw_and_back case_withdraw
ksft_run save case_save
ksft_run peer_shutdown case_peer_shutdown
ksft_run socket_root_only case_not_root
ksft_exit
