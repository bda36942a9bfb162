#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vpnlbd's BGP sessions (through bgp-probe, which prints what the sessions
# hear) against FRR bgpd and GoBGP, on the host, in namespaces:
#
#   pe2 (FRR bgpd, 10.99.12.2) --- pe1 (bgp-probe) --- pe3 (gobgpd, 10.99.13.3)
#           AS 100, RD 100:2              AS 100            AS 100, RD 100:3
#
# Both remote PEs send VPNv4 routes with RT 111:1.

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/bgp_topo.sh"
. "$HERE/lib_vpnlbd.sh"

PROBE=$HERE/../userspace/vpnlbd/build/bgp-probe
BGPD=/usr/lib/frr/bgpd

require_root
require_cmd "$BGPD" gobgpd gobgp vtysh ip
[ -x "$PROBE" ] || ksft_exit_skip "build $PROBE first (make)"

bgp_topo_create vpnlbd-interop
OUT=$TMP/probe.out

bgp_topo_frr_conf "$TMP/bgpd.conf"
gobgpd_conf "$TMP/gobgpd.toml" 3.3.3.3 10.99.13.1 graceful

start_gobgpd()
{
	gobgpd_start "$PE3" "$TMP/gobgpd.toml" "$TMP/gobgpd.log" "$@"
}

gobgp()
{
	gobgp_cli "$PE3" "$@"
}

# wait_count LINE N [SECONDS]: until the probe printed LINE N times
wait_count()
{
	local i

	for ((i = 0; i < ${3:-30} * 5; i++)); do
		[ "$(grep -Fxc -- "$1" "$OUT")" -ge "$2" ] && return 0
		sleep 0.2
	done
	check_fail "expected \"$1\" $2 time(s); probe printed:"
	ksft_info "$(cat "$OUT")"
	return 1
}

ip netns exec "$PE2" "$BGPD" -f "$TMP/bgpd.conf" -i "$TMP/bgpd.pid" \
	-z "$TMP/zserv" --vty_socket "$TMP" -Z -S -P 0 -d \
	--log "file:$TMP/bgpd.log" > /dev/null 2>&1 || ksft_exit_fail "bgpd"
start_gobgpd
gobgp global rib -a vpnv4 add 10.1.0.0/16 label 1003 rd 100:3 rt 111:1 \
	nexthop 10.99.13.3 || ksft_exit_fail "gobgp route"

ip netns exec "$PE1" "$PROBE" --as 100 --router-id 1.1.1.1 \
	--peer 10.99.12.2,100,local=10.99.12.1 \
	--peer 10.99.13.3,100,passive --timeout 300 \
	> "$OUT" 2> "$TMP/probe.log" &

case_frr_session()
{
	wait_count "state 10.99.12.2 Established" 1
}

case_frr_routes()
{
	wait_count "eor 10.99.12.2 vpnv4" 1 || return 1
	check_output - "FRR's routes" grep '^route 10.99.12.2 ' "$OUT" <<'EXP'
route 10.99.12.2 100:2 10.1.0.0/16 label 1002 nexthop 10.99.12.2 path-id 0 rt 111:1
route 10.99.12.2 100:2 10.7.7.0/24 label 1007 nexthop 10.99.12.2 path-id 0 rt 111:1
EXP
}

case_gobgp_session()
{
	wait_count "state 10.99.13.3 Established" 1
}

case_gobgp_route()
{
	wait_count "route 10.99.13.3 100:3 10.1.0.0/16 label 1003 nexthop 10.99.13.3 path-id 0 rt 111:1" 1
}

case_gobgp_withdraw()
{
	gobgp global rib -a vpnv4 del 10.1.0.0/16 label 1003 rd 100:3 \
		rt 111:1 nexthop 10.99.13.3 || check_fail "gobgp del"
	wait_count "withdraw 10.99.13.3 100:3 10.1.0.0/16 path-id 0" 1
}

# GoBGP dies without a NOTIFICATION: its paths stay, marked stale, until it
# is back and sends End-of-RIB (RFC 4724 helper)
case_graceful_restart()
{
	kill -9 "$GOBGPD_PID"
	wait "$GOBGPD_PID" 2> /dev/null
	wait_count "down 10.99.13.3 stale" 1 200 || return 1
	start_gobgpd -r
	gobgp global rib -a vpnv4 add 10.1.0.0/16 label 1004 rd 100:3 \
		rt 111:1 nexthop 10.99.13.3 || check_fail "gobgp add"
	wait_count "eor 10.99.13.3 vpnv4" 2 60 || return 1
	wait_count "route 10.99.13.3 100:3 10.1.0.0/16 label 1004 nexthop 10.99.13.3 path-id 0 rt 111:1" 1
	check_eq 2 "$(grep -c '^state 10.99.13.3 Established' "$OUT")" "sessions"
	check_eq 0 "$(grep -c '^stale-flushed 10.99.13.3' "$OUT")" \
		"stale paths kept until End-of-RIB, not flushed by a timer"
}

case_frr_shutdown()
{
	ip netns exec "$PE2" vtysh --vty_socket "$TMP" -c 'conf t' \
		-c 'router bgp 100' \
		-c 'neighbor 10.99.12.1 shutdown message maintenance' > /dev/null
	wait_count "down 10.99.12.2 flush" 1 || return 1
	grep -Fq 'peer 10.99.12.2: received NOTIFICATION Cease/Administrative Shutdown (6/2): "maintenance"' \
		"$TMP/probe.log" || check_fail "NOTIFICATION not logged"
}

ksft_plan 7
ksft_run frr_session_established case_frr_session
ksft_run frr_vpnv4_routes_received case_frr_routes
ksft_run gobgp_session_established case_gobgp_session
ksft_run gobgp_vpnv4_route_received case_gobgp_route
ksft_run gobgp_withdraw case_gobgp_withdraw
ksft_run gobgp_graceful_restart_helper case_graceful_restart
ksft_run frr_shutdown_notification case_frr_shutdown
ksft_exit
