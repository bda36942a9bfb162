#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vpnlbd programming vpnlb.ko (run in the VM: selftests/vm/run-vm.sh), with
# two GoBGP remote PEs on-link (no transport label needed):
#
#   pe2 (GoBGP, 10.99.12.2) --- pe1 (vpnlbd, VRF vrf-a) --- pe3 (GoBGP, 10.99.13.3)
#   10.1.0.0/16 RD 100:2 label 1002          10.1.0.0/16 RD 100:3 label 1003
#
# Checks the objects in the kernel (one group shared, labels, maximum),
# a live change of maximum load-balancing, and a kill -9 + restart that
# keeps every kernel object (same ids, new generation).

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/bgp_topo.sh"
. "$HERE/lib_vpnlbd.sh"

require_root
require_cmd gobgpd gobgp python3 ip
[ -x "$VPNLBD" ] || ksft_exit_skip "build $VPNLBD first (make)"
[ -x "$VPNLBCTL" ] || ksft_exit_skip "build $VPNLBCTL first"
vpnlb_load || ksft_exit_fail "cannot load vpnlb.ko"

bgp_topo_create vpnlbd-kernel
SOCK=$TMP/vpnlbd.sock
ip -n "$PE1" link add vrf-a type vrf table 10 || ksft_exit_skip "no VRF support"
ip -n "$PE1" link set vrf-a up

start_gobgp()
{
	gobgpd_conf "$TMP/gobgp-$2.toml" "$2" "$3" graceful
	gobgpd_start "$1" "$TMP/gobgp-$2.toml" "$TMP/gobgp-$2.log"
}

start_gobgp "$PE2" 2.2.2.2 10.99.12.1
start_gobgp "$PE3" 3.3.3.3 10.99.13.1
gobgp_cli "$PE2" global rib -a vpnv4 add 10.1.0.0/16 label 1002 rd 100:2 \
	rt 111:1 nexthop 10.99.12.2 origin igp || ksft_exit_fail "gobgp pe2"
gobgp_cli "$PE3" global rib -a vpnv4 add 10.1.0.0/16 label 1003 rd 100:3 \
	rt 111:1 nexthop 10.99.13.3 origin igp || ksft_exit_fail "gobgp pe3"

start_vpnlbd()
{
	vpnlbd_start "$PE1" "$SOCK" "$TMP/vpnlbd.log" -c "$TMP/vpnlbd.conf"
}

kctl()
{
	ip netns exec "$PE1" "$VPNLBCTL" "$@"
}

kernel_state()
{
	vpnlb_kernel_state "$PE1" vpna
}

# kernel_max FIELD: the kernel instance's max_paths[_ibgp|_ebgp]
kernel_max()
{
	kctl -j instance show vpna | python3 -c '
import json, sys
d = json.load(sys.stdin)
d = d[0] if isinstance(d, list) else d
print(d[sys.argv[1]])' "$1"
}

case_install()
{
	start_vpnlbd || return 1
	check_ok "configure" vpnlbd_ctl "system-view" "ip vpn-instance vpna" \
		"ipv4-family" "route-distinguisher 100:1" "vpn-target 111:1 both" \
		"vrf vrf-a" "bgp 100" "router-id 1.1.1.1" \
		"peer 10.99.12.2 as-number 100" "peer 10.99.13.3 as-number 100" \
		"ipv4-family vpnv4" "peer 10.99.12.2 enable" "peer 10.99.13.3 enable" \
		"ipv4-family vpn-instance vpna" "maximum load-balancing 2" "commit" \
		"save"
	wait_for 60 "members [0-9]+/1/active [0-9]+/1/active$" kernel_state ||
		check_fail "no two-member group: $(kernel_state)"
	# labels 1002 and 1003 on the two nexthops, one group, one route to it
	check_eq "1002 1003" "$(kernel_state | awk '$1 == "nexthop" { print $6 }' | sort | xargs)" \
		"VPN labels"
	check_eq 1 "$(kernel_state | grep -c '^group ')" "one group"
	check_eq 2 "$(kernel_max max_paths)" "kernel maximum"
	check_eq "ibgp active active" "$(vpnlb_group_states "$PE1" vpna)" "an ibgp group, both active"
	kernel_state > "$TMP/state1"
	ksft_info "$(cat "$TMP/state1")"
}

# policy LINE...: these lines under ipv4-family vpn-instance vpna, committed
policy()
{
	vpnlbd_ctl "system-view" "bgp 100" "ipv4-family vpn-instance vpna" \
		"$@" "commit"
}

case_maximum_live()
{
	check_ok "maximum 1" policy "maximum load-balancing 1"
	check_eq 1 "$(kernel_max max_paths)" "kernel maximum after change"
	# the group keeps both members; the kernel activates one
	check_eq "ibgp active backup" "$(vpnlb_group_states "$PE1" vpna)" "maximum 1: one active"
	check_eq "$(grep -v '^group ' "$TMP/state1")" \
		"$(kernel_state | grep -v '^group ')" "other objects unchanged"
	check_ok "maximum 2" policy "maximum load-balancing 2"
	check_output "$TMP/state1" "objects back" kernel_state
	# the iBGP maximum is the kernel's too, for the ibgp group only
	check_ok "maximum ibgp 1" policy "maximum load-balancing ibgp 1"
	check_eq "2 1 0" "$(kernel_max max_paths) $(kernel_max max_paths_ibgp) $(kernel_max max_paths_ebgp)" \
		"kernel maximums with ibgp 1"
	check_eq "ibgp active backup" "$(vpnlb_group_states "$PE1" vpna)" "maximum ibgp 1: one active"
	check_ok "maximum ebgp 1" policy "undo maximum load-balancing ibgp" \
		"maximum load-balancing ebgp 1"
	check_eq "ibgp active active" "$(vpnlb_group_states "$PE1" vpna)" \
		"maximum ebgp 1 leaves the ibgp group"
	check_ok "undo maximum ebgp" policy "undo maximum load-balancing ebgp"
	check_ok "save" vpnlbd_ctl "save"
	check_output "$TMP/state1" "objects as before" kernel_state
}

case_kill9_restart()
{
	local gen_before gen_after

	gen_before=$(vpnlb_group_generations "$PE1")
	kill -9 "$VPNLBD_PID"
	wait "$VPNLBD_PID" 2> /dev/null
	# forwarding state stays while the agent is away
	check_output "$TMP/state1" "kernel state after kill -9" kernel_state
	sleep 1
	start_vpnlbd || return 1
	# the first run logged one reconcile already: wait for the second
	wait_for 90 "^2$" grep -c "reconciling kernel state" "$TMP/vpnlbd.log" ||
		check_fail "no reconcile logged after the restart"
	check_output "$TMP/state1" "same objects after restart" kernel_state
	gen_after=$(vpnlb_group_generations "$PE1")
	[ "$gen_after" != "$gen_before" ] ||
		check_fail "generation not renewed ($gen_before)"
}

ksft_plan 3
ksft_run install_two_paths case_install
ksft_run maximum_live_in_kernel case_maximum_live
ksft_run kill9_restart_reconciles case_kill9_restart
ksft_exit
