#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Add-path (RFC 7911) through a route reflector, with a shared RD: both
# remote PEs advertise 10.5.0.0/16 in RD 100:5, so without add-path the
# reflector could pass on only one of them. On the host, no kernel module
# (vpnlbd --no-kernel), one LAN 10.99.20.0/24, AS 100:
#
#   pe1 (vpnlbd) .1 --- rr (FRR bgpd, route reflector) .2
#                         |                 |
#            pea (FRR bgpd) .11        peb (GoBGP) .12
#            RD 100:5 label 1105       RD 100:5 label 1205
#
# The reflector sends vpnlbd every path (addpath-tx-all-paths); vpnlbd
# receives add-path and selects both with maximum load-balancing 2.

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/bgp_topo.sh"
. "$HERE/lib_vpnlbd.sh"

BGPD=/usr/lib/frr/bgpd

require_root
require_cmd "$BGPD" vtysh gobgpd gobgp python3 ip
[ -x "$VPNLBD" ] || ksft_exit_skip "build $VPNLBD first (make)"

bgp_topo_lan vpnlbd-rr PE1:1 RR:2 PEA:11 PEB:12
SOCK=$TMP/vpnlbd.sock

# start_bgpd NS NAME: FRR bgpd with $TMP/NAME.conf, vty socket in $TMP/NAME
start_bgpd()
{
	mkdir -p "$TMP/$2"
	in_ns "$1" "$BGPD" -f "$TMP/$2.conf" -i "$TMP/$2/bgpd.pid" \
		-z "$TMP/$2/zserv" --vty_socket "$TMP/$2" -Z -S -P 0 -d \
		--log "file:$TMP/$2.log" > /dev/null 2>&1
}

rr_vtysh()
{
	in_ns "$RR" vtysh --vty_socket "$TMP/rr" "$@"
}

cat > "$TMP/rr.conf" <<'CONF'
hostname rr
router bgp 100
 bgp router-id 10.99.20.2
 no bgp default ipv4-unicast
 neighbor 10.99.20.1 remote-as 100
 neighbor 10.99.20.1 timers connect 2
 neighbor 10.99.20.11 remote-as 100
 neighbor 10.99.20.11 timers connect 2
 neighbor 10.99.20.12 remote-as 100
 neighbor 10.99.20.12 timers connect 2
 address-family ipv4 vpn
  neighbor 10.99.20.1 activate
  neighbor 10.99.20.1 route-reflector-client
  neighbor 10.99.20.1 addpath-tx-all-paths
  neighbor 10.99.20.11 activate
  neighbor 10.99.20.11 route-reflector-client
  neighbor 10.99.20.12 activate
  neighbor 10.99.20.12 route-reflector-client
 exit-address-family
!
CONF
cat > "$TMP/pea.conf" <<'CONF'
hostname pea
route-map RT permit 10
 set extcommunity rt 111:1
!
router bgp 100
 bgp router-id 10.99.20.11
 no bgp default ipv4-unicast
 neighbor 10.99.20.2 remote-as 100
 neighbor 10.99.20.2 timers connect 2
 address-family ipv4 vpn
  neighbor 10.99.20.2 activate
  network 10.5.0.0/16 rd 100:5 label 1105 route-map RT
 exit-address-family
!
CONF
gobgpd_conf "$TMP/gobgpd.toml" 10.99.20.12 10.99.20.2

start_bgpd "$RR" rr || ksft_exit_fail "route reflector bgpd did not start"
start_bgpd "$PEA" pea || ksft_exit_fail "pea bgpd did not start"
gobgpd_start "$PEB" "$TMP/gobgpd.toml" "$TMP/gobgpd.log"

gobgp_cli "$PEB" global rib -a vpnv4 add 10.5.0.0/16 label 1205 rd 100:5 rt 111:1 \
	nexthop 10.99.20.12 origin igp || ksft_exit_fail "gobgp route"

vpnlbd_start "$PE1" "$SOCK" "$TMP/vpnlbd.log" --no-kernel \
	-c "$TMP/vpnlbd.conf" ||
	ksft_exit_fail "vpnlbd did not start: $(cat "$TMP/vpnlbd.log")"

vpnlbd_ctl "system-view" \
	"ip vpn-instance vpna" \
	" ipv4-family" \
	"  route-distinguisher 100:1" \
	"  vpn-target 111:1 both" \
	"bgp 100" \
	" router-id 10.99.20.1" \
	" peer 10.99.20.2 as-number 100" \
	" peer 10.99.20.2 connect-interface 10.99.20.1" \
	" ipv4-family vpnv4" \
	"  peer 10.99.20.2 enable" \
	" ipv4-family vpn-instance vpna" \
	"  maximum load-balancing 2" \
	"commit" > /dev/null || ksft_exit_fail "configuration refused"

# the reflector's session as vpnlbd sees it: state, add-path, paths
rr_session()
{
	vpnlbd_ctl "json display bgp peer" | python3 -c '
import json, sys
for p in json.load(sys.stdin)["peers"]:
    if p["peer"] == "10.99.20.2":
        print(p["state"], "add-path-receive" if p["add-path-receive"] else
              "no-add-path", p["prefixes-received"])'
}

# paths of 10.5.0.0/16 in vpna: RD, label, next hop, verdict, with path ids
# reduced to "distinct" or "same" (the reflector picks their values)
paths()
{
	vpnlbd_ctl "json display bgp vpnv4 vpn-instance vpna routing-table 10.5.0.0/16" |
		python3 -c '
import json, sys
d = json.load(sys.stdin)
ids = [p["path-id"] for p in d["paths"]]
for p in d["paths"]:
    print(p["rd"], p["label"], p["nexthop"], "from", p["peer"], "weight",
          p["weight"], "-", p["explanation"])
if len(ids) > 1:
    print("path ids", "distinct" if len(set(ids)) == len(ids) else "same")'
}

expect_paths()
{
	local want got end=$((SECONDS + 30))

	want=$(cat)
	while [ $SECONDS -lt $end ]; do
		got=$(paths 2> /dev/null)
		[ "$got" = "$want" ] && return 0
		sleep 0.2
	done
	check_output - "paths of 10.5.0.0/16" paths <<< "$want"
}

case_reflector_has_both()
{
	# both PEs' paths reach the reflector, under the one RD
	local end=$((SECONDS + 30)) out

	while [ $SECONDS -lt $end ]; do
		out=$(rr_vtysh -c "show bgp ipv4 vpn 10.5.0.0/16 json" 2> /dev/null |
			python3 -c '
import json, sys
d = json.load(sys.stdin)
print(len(d["100:5"]["paths"]))' 2> /dev/null)
		[ "$out" = 2 ] && return 0
		sleep 0.2
	done
	check_fail "reflector has ${out:-no} path(s) for 100:5 10.5.0.0/16, expected 2"
}

case_addpath_negotiated()
{
	wait_for 30 "^Established add-path-receive 2$" rr_session ||
		check_fail "reflector session: $(rr_session)"
	grep -Fq "peer 10.99.20.2: session up: hold 180, 4-octet AS yes, add-path receive" \
		"$TMP/vpnlbd.log" || check_fail "session log line"
}

case_both_paths_multipath()
{
	# same attributes: the ORIGINATOR_IDs (10.99.20.11 < 10.99.20.12) decide
	expect_paths <<'OUT'
100:5 1105 10.99.20.11 from 10.99.20.2 weight 1 - best
100:5 1205 10.99.20.12 from 10.99.20.2 weight 1 - multipath, active (lost best on router-id)
path ids distinct
OUT
	check_eq " Paths:   2 available, 2 selected, 0 backup, maximum load-balancing 2" \
		"$(vpnlbd_ctl "display bgp vpnv4 vpn-instance vpna routing-table 10.5.0.0/16" |
			grep '^ Paths:')" "summary"
	# one Adj-RIB-In entry per path id under the shared RD
	check_eq 2 "$(vpnlbd_ctl "display bgp vpnv4 all routing-table" |
		grep -cE '^ \*      10\.5\.0\.0/16 +10\.99\.20\.1[12] ')" "Adj-RIB-In"
}

# the reflector stops sending add-path: FRR resets the session, vpnlbd
# negotiates no add-path and sees the reflector's best path only
case_without_addpath()
{
	rr_vtysh -c "configure terminal" -c "router bgp 100" \
		-c "address-family ipv4 vpn" \
		-c "no neighbor 10.99.20.1 addpath-tx-all-paths" > /dev/null
	# FRR may need a hard reset for the capability change to be sent
	rr_vtysh -c "clear bgp ipv4 vpn 10.99.20.1" > /dev/null
	wait_for 30 "^Established no-add-path 1$" rr_session ||
		check_fail "reflector session: $(rr_session)"
	check_eq "1 selected" "$(vpnlbd_ctl "display bgp vpnv4 vpn-instance vpna routing-table 10.5.0.0/16" |
		grep -oE '[0-9]+ selected')" "one path without add-path"
	rr_vtysh -c "configure terminal" -c "router bgp 100" \
		-c "address-family ipv4 vpn" \
		-c "neighbor 10.99.20.1 addpath-tx-all-paths" > /dev/null
	rr_vtysh -c "clear bgp ipv4 vpn 10.99.20.1" > /dev/null
	wait_for 30 "^Established add-path-receive 2$" rr_session ||
		check_fail "add-path not back: $(rr_session)"
}

# one PE withdraws: the other path stays and becomes the best
case_withdraw_one()
{
	gobgp_cli "$PEB" global rib -a vpnv4 del 10.5.0.0/16 label 1205 rd 100:5 rt 111:1 \
		nexthop 10.99.20.12 || check_fail "gobgp del"
	expect_paths <<'OUT'
100:5 1105 10.99.20.11 from 10.99.20.2 weight 1 - best
OUT
	gobgp_cli "$PEB" global rib -a vpnv4 add 10.5.0.0/16 label 1205 rd 100:5 rt 111:1 \
		nexthop 10.99.20.12 origin igp || check_fail "gobgp add"
	expect_paths <<'OUT'
100:5 1105 10.99.20.11 from 10.99.20.2 weight 1 - best
100:5 1205 10.99.20.12 from 10.99.20.2 weight 1 - multipath, active (lost best on router-id)
path ids distinct
OUT
}

ksft_plan 5
ksft_run reflector_has_both_paths case_reflector_has_both
ksft_run addpath_receive_negotiated case_addpath_negotiated
ksft_run shared_rd_both_paths_multipath case_both_paths_multipath
ksft_run without_addpath_one_path case_without_addpath
ksft_run withdraw_one_keeps_other case_withdraw_one
ksft_exit
