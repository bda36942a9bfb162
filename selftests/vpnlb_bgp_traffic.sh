#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The seed end to end with traffic (run in the VM: selftests/vm/run-vm.sh):
# PE2 and PE3 run FRR bgpd and advertise CE2's 10.9.0.0/16 as VPNv4 (RDs
# 100:2 and 100:3, RT 111:1, labels 1002 and 1003); PE1 runs vpnlbd,
# configured with vpnlbctl system-view, "maximum load-balancing 2".
# Topology: selftests/bgp_vpn_topo.sh.
#
# Cases: CE1's flows spread over both PEs; kill -9 and restart of vpnlbd
# while a stream runs loses no packet and leaves the kernel objects as they
# were; shutting PE3's session down while a stream runs moves the traffic
# to PE2; with PE3 back and PE4 (GoBGP) added, maximum load-balancing
# 1 -> 2 -> 3 -> 1 sends the flows over exactly that many PEs.

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/topo.sh"
. "$HERE/bgp_vpn_topo.sh"

FLOWS=1000

require_root
require_cmd "$BGPD" vtysh gobgpd gobgp python3 ip
[ -x "$VPNLBD" ] || ksft_exit_skip "build $VPNLBD first (make)"
[ -x "$VPNLBCTL" ] || ksft_exit_skip "build $VPNLBCTL first"
vpnlb_load || ksft_exit_fail "cannot load vpnlb.ko"
bgp_vpn_topo_create vpnlb-bgp-traffic || ksft_exit_fail "topology"
for k in $BGP_VPN_PES; do
	bgp_vpn_frr_start "$k" || ksft_exit_fail "bgpd on PE$k did not start"
done
bgp_vpn_vpnlbd_start || ksft_exit_fail "vpnlbd did not start"

kctl()
{
	ip netns exec "$PE1" "$VPNLBCTL" "$@"
}

kernel_state()
{
	vpnlb_kernel_state "$PE1" vpna
}

display()
{
	kctl display ip routing-table vpn-instance vpna 10.9.1.1 verbose
}

# next hops of 10.9.0.0/16 in the display: "LABEL NEXTHOP STATE" per line
display_hops()
{
	kctl -j display ip routing-table vpn-instance vpna 10.9.1.1 verbose |
		python3 -c '
import json, sys
d = json.load(sys.stdin)
for e in d["entries"]:
    for h in e["nexthops"]:
        print(h["label"], h["nexthop"], h["state"])'
}

# A steady stream from CE1 until stream_stop: rounds of 50 flows, one packet
# each, every 0.1 s; the counts sent go to $TMP/stream.log.
stream_start()
{
	rm -f "$TMP/stream.stop" "$TMP/stream.log"
	(
		while [ ! -e "$TMP/stream.stop" ]; do
			topo_send_flows 50 1 >> "$TMP/stream.log" || break
			sleep 0.1
		done
	) &
	STREAM_PID=$!
}

stream_stop()
{
	touch "$TMP/stream.stop"
	wait "$STREAM_PID"
}

# the number of packets the stream sent
stream_sent()
{
	sed -n 's/^sent=//p' "$TMP/stream.log" | paste -sd+ | bc
}

# the stream's rounds so far
stream_rounds()
{
	local n

	n=$(grep -c '^sent=' "$TMP/stream.log" 2> /dev/null)
	echo "${n:-0}"
}

# wait_rounds N: until the stream sent N more rounds
wait_rounds()
{
	local target=$(($(stream_rounds) + $1)) i

	for ((i = 0; i < 600; i++)); do
		[ "$(stream_rounds)" -ge "$target" ] && return 0
		sleep 0.1
	done
	return 1
}

case_configure()
{
	check_ok "vpnlbctl system-view" \
		"$VPNLBCTL" -S "$VPNLBD_SOCK" system-view <(bgp_vpn_seed_config)
	# what a restarted vpnlbd reads
	check_output - "save" vpnlbd_ctl save <<OUT
configuration saved to $TMP/vpnlbd.conf
OUT
	wait_for 60 "^1002 2\.2\.2\.2 active$" display_hops &&
	wait_for 60 "^1003 3\.3\.3\.3 active$" display_hops ||
		check_fail "no two paths: $(display)"
	check_output - "next hops installed" display_hops <<OUT
1002 2.2.2.2 active
1003 3.3.3.3 active
OUT
	# the LSPs' transport labels under the VPN labels
	check_output - "tunnels" \
		eval "kernel_state | grep ^tunnel | cut -d' ' -f4- | sort" <<OUT
2.2.2.2 via 10.0.2.2 dev to-pe2 labels [102]
3.3.3.3 via 10.0.3.2 dev to-pe3 labels [103]
OUT
	kernel_state > "$TMP/state1"
	ksft_info "$(cat "$TMP/state1")"
}

case_spread()
{
	local n2 n3 s

	read -r n2 n3 s < <(bgp_vpn_count_flows $FLOWS)
	ksft_info "$FLOWS flows: PE2 $n2, PE3 $n3, delivered $s"
	check_eq $FLOWS "$s" "delivered"
	check_eq $FLOWS "$((n2 + n3))" "PE2 + PE3"
	# 1000 flows hashed over two paths: each gets ~500 (sigma 16)
	[ "$n2" -ge 350 ] && [ "$n3" -ge 350 ] ||
		check_fail "flows not spread: PE2 $n2, PE3 $n3"
}

case_kill9()
{
	local before after sent gen_before

	gen_before=$(vpnlb_group_generations "$PE1")
	before=($(bgp_vpn_counts))
	stream_start
	wait_rounds 3 || check_fail "stream did not start"
	kill -9 "$VPNLBD_PID"
	wait "$VPNLBD_PID" 2> /dev/null
	wait_rounds 3
	check_output "$TMP/state1" "kernel state while vpnlbd is away" \
		kernel_state
	# a new second: the restarted agent's generation is newer
	sleep 1
	bgp_vpn_vpnlbd_start || check_fail "vpnlbd did not restart"
	# the first run logged its reconcile already: wait for the second
	wait_for 60 "^2$" grep -c "End-of-RIB from every peer" \
		"$TMP/vpnlbd.log" ||
		check_fail "no End-of-RIB reconcile: $(grep reconciling "$TMP/vpnlbd.log")"
	wait_rounds 3
	stream_stop
	sent=$(stream_sent)
	bgp_vpn_settle
	after=($(bgp_vpn_counts))
	ksft_info "stream across kill -9 and restart: sent $sent," \
		"delivered $((after[2] - before[2]))" \
		"(PE2 $((after[0] - before[0])), PE3 $((after[1] - before[1])))"
	check_eq "$sent" "$((after[2] - before[2]))" "packets delivered"
	check_output "$TMP/state1" "same kernel objects after restart" \
		kernel_state
	[ "$(vpnlb_group_generations "$PE1")" != "$gen_before" ] ||
		check_fail "objects not adopted (generation still $gen_before)"
}

case_peer_shutdown()
{
	local before after sent n2 n3 s nh2 gid

	before=($(bgp_vpn_counts))
	stream_start
	wait_rounds 3 || check_fail "stream did not start"
	bgp_vpn_frr 3 -c 'conf t' -c 'router bgp 100' \
		-c 'neighbor 10.0.3.1 shutdown' > /dev/null ||
		check_fail "vtysh on PE3"
	wait_for 30 "members [0-9]+/1/active$" kernel_state ||
		check_fail "PE3's path still installed: $(kernel_state)"
	wait_rounds 3
	stream_stop
	sent=$(stream_sent)
	bgp_vpn_settle
	after=($(bgp_vpn_counts))
	ksft_info "stream across PE3's shutdown: sent $sent," \
		"delivered $((after[2] - before[2])), lost" \
		"$((sent - (after[2] - before[2])))"
	check_output - "display after the shutdown" display_hops <<OUT
1002 2.2.2.2 active
OUT
	read -r n2 n3 s < <(bgp_vpn_count_flows $FLOWS)
	ksft_info "$FLOWS flows after the shutdown: PE2 $n2, PE3 $n3," \
		"delivered $s"
	check_eq "$FLOWS 0 $FLOWS" "$n2 $n3 $s" "PE2 PE3 delivered"
	# the group was updated in place, down to PE2's next hop; the route
	# still points to it
	nh2=$(awk '$1 == "nexthop" && $6 == 1002 { print $2 }' "$TMP/state1")
	gid=$(awk '$1 == "group" { print $2 }' "$TMP/state1")
	check_eq "group $gid vpna ibgp members $nh2/1/active" \
		"$(kernel_state | grep ^group)" "group after the shutdown"
	check_eq "$(grep ^route "$TMP/state1")" \
		"$(kernel_state | grep ^route)" "route unchanged"
}

# "RX2 RX3 RX4": packets CE2 got from PE2, PE3 and PE4
counts3()
{
	ip netns exec "$CE2" cat /sys/class/net/to-pe2/statistics/rx_packets \
		/sys/class/net/to-pe3/statistics/rx_packets \
		/sys/class/net/to-pe4/statistics/rx_packets | paste -sd' '
}

# count_flows3 N: N flows from CE1, then "PE2 PE3 PE4 DELIVERED"
count_flows3()
{
	local before after s

	before=($(counts3))
	read -r _ _ s < <(bgp_vpn_count_flows "$1")
	after=($(counts3))
	echo $((after[0] - before[0])) $((after[1] - before[1])) \
		$((after[2] - before[2])) "$s"
}

# PE4 joins with GoBGP (RD 100:4, label 1004, sessions from its loopback
# 4.4.4.4 over an LSP like the others) and PE3 comes back: three paths of
# two implementations, and maximum load-balancing 1 -> 2 -> 3 -> 1 live.
case_three_pes()
{
	local mac n2 n3 n4 s n i c want busy spread

	ip -n "$PE1" route add 4.4.4.4/32 encap mpls \
		"$(topo_transport_label 4)" via 10.0.4.2 dev to-pe4 &&
	mac=$(ip netns exec "$CE2" cat /sys/class/net/to-pe4/address) &&
	ip -n "$PE4" neigh replace 10.2.4.2 lladdr "$mac" dev to-ce2 \
		nud permanent || return 1
	ksft_defer eval "ip netns pids $PE4 | xargs -r kill -9"
	gobgpd_conf "$TMP/pe4.toml" 4.4.4.4 10.0.4.1 - 4.4.4.4
	gobgpd_start "$PE4" "$TMP/pe4.toml" "$TMP/pe4.log"
	gobgp_cli "$PE4" global rib -a vpnv4 add "$BGP_VPN_PREFIX" \
		label "$(topo_vpn_label 4)" rd 100:4 rt 111:1 nexthop 4.4.4.4 \
		origin igp || return 1
	check_ok "peer 4.4.4.4" vpnlbd_ctl "system-view" "bgp 100" \
		"peer 4.4.4.4 as-number 100" "ipv4-family vpnv4" \
		"peer 4.4.4.4 enable" "commit"
	bgp_vpn_frr 3 -c 'conf t' -c 'router bgp 100' \
		-c 'no neighbor 10.0.3.1 shutdown' > /dev/null ||
		check_fail "vtysh on PE3"
	wait_for 60 "^ibgp active active backup$" \
		vpnlb_group_states "$PE1" vpna ||
		check_fail "no three paths: $(kernel_state)"
	check_output - "tunnels to three PEs" \
		eval "kernel_state | grep ^tunnel | cut -d' ' -f4- | sort" <<OUT
2.2.2.2 via 10.0.2.2 dev to-pe2 labels [102]
3.3.3.3 via 10.0.3.2 dev to-pe3 labels [103]
4.4.4.4 via 10.0.4.2 dev to-pe4 labels [104]
OUT
	for n in 1 2 3 1; do
		check_ok "maximum $n" vpnlbd_ctl "system-view" "bgp 100" \
			"ipv4-family vpn-instance vpna" \
			"maximum load-balancing $n" "commit"
		want=$(for i in 1 2 3; do
			[ "$i" -le "$n" ] && echo active || echo backup
		done | paste -sd' ')
		wait_for 30 "^ibgp $want\$" vpnlb_group_states "$PE1" vpna ||
			check_fail "maximum $n: $(vpnlb_group_states "$PE1" vpna), not ibgp $want"
		read -r n2 n3 n4 s < <(count_flows3 $FLOWS)
		ksft_info "maximum $n, $FLOWS flows: PE2 $n2, PE3 $n3," \
			"PE4 $n4, delivered $s"
		check_eq "$FLOWS $FLOWS" "$s $((n2 + n3 + n4))" \
			"maximum $n: delivered, sum"
		busy=0
		spread=1
		for c in $n2 $n3 $n4; do
			[ "$c" -gt 0 ] && busy=$((busy + 1))
			# each active path's share of 1000 flows: 1000/n,
			# sigma <= 16
			[ "$c" -gt 0 ] && [ "$c" -lt $((FLOWS / n - 150)) ] &&
				spread=0
		done
		check_eq "$n" "$busy" "maximum $n: PEs carrying traffic"
		[ "$spread" = 1 ] ||
			check_fail "maximum $n: not spread ($n2 $n3 $n4)"
	done
}

ksft_plan 5
ksft_run seed_config_two_paths case_configure
ksft_run flows_spread_over_both_pes case_spread
ksft_run kill9_restart_no_loss_same_objects case_kill9
ksft_run peer_shutdown_moves_traffic case_peer_shutdown
ksft_run three_pes_maximum_1_2_3_1 case_three_pes
ksft_exit
