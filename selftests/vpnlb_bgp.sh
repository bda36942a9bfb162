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

VPNLBD=$HERE/../userspace/vpnlbd/vpnlbd

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
	local ns=$1 id=$2 peer=$3

	cat > "$TMP/gobgp-$id.toml" <<CONF
[global.config]
  as = 100
  router-id = "$id"
[[neighbors]]
  [neighbors.config]
    neighbor-address = "$peer"
    peer-as = 100
  [neighbors.timers.config]
    connect-retry = 1
  [neighbors.graceful-restart.config]
    enabled = true
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "l3vpn-ipv4-unicast"
    [neighbors.afi-safis.mp-graceful-restart.config]
      enabled = true
CONF
	ip netns exec "$ns" gobgpd -f "$TMP/gobgp-$id.toml" \
		--api-hosts=127.0.0.1:50051 > "$TMP/gobgp-$id.log" 2>&1 &
	disown
}

gobgp()
{
	local ns=$1 i

	shift
	for ((i = 0; i < 100; i++)); do
		ip netns exec "$ns" gobgp -u 127.0.0.1 -p 50051 "$@" \
			> /dev/null 2>&1 && return 0
		sleep 0.3
	done
	return 1
}

start_gobgp "$PE2" 2.2.2.2 10.99.12.1
start_gobgp "$PE3" 3.3.3.3 10.99.13.1
gobgp "$PE2" global rib -a vpnv4 add 10.1.0.0/16 label 1002 rd 100:2 \
	rt 111:1 nexthop 10.99.12.2 origin igp || ksft_exit_fail "gobgp pe2"
gobgp "$PE3" global rib -a vpnv4 add 10.1.0.0/16 label 1003 rd 100:3 \
	rt 111:1 nexthop 10.99.13.3 origin igp || ksft_exit_fail "gobgp pe3"

start_vpnlbd()
{
	ip netns exec "$PE1" "$VPNLBD" -f -c "$TMP/vpnlbd.conf" -s "$SOCK" \
		-l debug > /dev/null 2>> "$TMP/vpnlbd.log" &
	VPNLBD_PID=$!
	for ((i = 0; i < 100; i++)); do
		[ -S "$SOCK" ] && return 0
		sleep 0.1
	done
	return 1
}

# one configuration session through vpnlbctl, a line per argument
ctl()
{
	"$VPNLBCTL" -S "$SOCK" -c "$(printf '%s\n' "$@")"
}

kctl()
{
	ip netns exec "$PE1" "$VPNLBCTL" "$@"
}

# kernel_state: one line per object of ours, ids and contents, sorted
kernel_state()
{
	{
		kctl -j tunnel show
		echo
		kctl -j nexthop show
		echo
		kctl -j group show
		echo
		kctl -j route show vpna
	} | python3 -c '
import json, sys
docs = [json.loads(d) for d in sys.stdin.read().split("\n\n") if d.strip()]
tun, nh, grp, rt = docs
out = []
for t in tun:
    out.append("tunnel %s pe %s via %s" % (t["id"], t["pe"], t["via"]))
for n in nh:
    out.append("nexthop %s tunnel %s label %s" % (n["id"], n["tunnel"], n["label"]))
for g in grp:
    out.append("group %s %s members %s" % (g["id"], g["instance"],
               " ".join("%s/%s" % (m["nexthop"], m.get("weight", 1)) for m in g["members"])))
for r in rt:
    out.append("route %s" % " ".join("%s=%s" % (k, r[k]) for k in sorted(r)
               if k not in ("age", "generation")))
print("\n".join(sorted(out)))
'
}

generations()
{
	kctl -j group show | python3 -c '
import json, sys
print(" ".join(str(g["generation"]) for g in json.load(sys.stdin)))'
}

wait_for()
{
	local secs=$1 pattern=$2 i

	shift 2
	for ((i = 0; i < secs * 2; i++)); do
		"$@" 2>/dev/null | grep -Eq -- "$pattern" && return 0
		sleep 0.5
	done
	return 1
}

case_install()
{
	start_vpnlbd || return 1
	check_ok "configure" ctl "system-view" "ip vpn-instance vpna" \
		"ipv4-family" "route-distinguisher 100:1" "vpn-target 111:1 both" \
		"vrf vrf-a" "bgp 100" "router-id 1.1.1.1" \
		"peer 10.99.12.2 as-number 100" "peer 10.99.13.3 as-number 100" \
		"ipv4-family vpnv4" "peer 10.99.12.2 enable" "peer 10.99.13.3 enable" \
		"ipv4-family vpn-instance vpna" "maximum load-balancing 2" "commit" \
		"save"
	wait_for 60 "members [0-9]+/1 [0-9]+/1$" kernel_state ||
		check_fail "no two-member group: $(kernel_state)"
	# labels 1002 and 1003 on the two nexthops, one group, one route to it
	check_eq "1002 1003" "$(kernel_state | awk '$1 == "nexthop" { print $6 }' | sort | xargs)" \
		"VPN labels"
	check_eq 1 "$(kernel_state | grep -c '^group ')" "one group"
	check_eq 2 "$(kctl -j instance show vpna | python3 -c 'import json,sys; d=json.load(sys.stdin); d = d[0] if isinstance(d, list) else d; print(d["max_paths"])')" \
		"kernel maximum"
	kernel_state > "$TMP/state1"
	ksft_info "$(cat "$TMP/state1")"
}

case_maximum_live()
{
	check_ok "maximum 1" ctl "system-view" "bgp 100" \
		"ipv4-family vpn-instance vpna" "maximum load-balancing 1" "commit"
	check_eq 1 "$(kctl -j instance show vpna | python3 -c 'import json,sys; d=json.load(sys.stdin); d = d[0] if isinstance(d, list) else d; print(d["max_paths"])')" \
		"kernel maximum after change"
	# the group keeps both members; the kernel activates one
	check_output "$TMP/state1" "objects unchanged" kernel_state
	check_ok "maximum 2" ctl "system-view" "bgp 100" \
		"ipv4-family vpn-instance vpna" "maximum load-balancing 2" "commit" "save"
}

case_kill9_restart()
{
	local gen_before gen_after

	gen_before=$(generations)
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
	gen_after=$(generations)
	[ "$gen_after" != "$gen_before" ] ||
		check_fail "generation not renewed ($gen_before)"
}

ksft_plan 3
ksft_run install_two_paths case_install
ksft_run maximum_live_in_kernel case_maximum_live
ksft_run kill9_restart_reconciles case_kill9_restart
ksft_exit
