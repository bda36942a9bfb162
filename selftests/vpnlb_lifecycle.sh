#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lifecycle of vpnlb.ko objects: everything the module holds must go away
# cleanly, with no kernel report and no leak, when the module is removed with
# traffic flowing, when a netns or a VRF device with live objects is deleted,
# and over many load/unload cycles; slab usage returns to its baseline
# (/proc/slabinfo, and kmemleak where the kernel has it).
#
# Topology (one set of namespaces per case):
#   ce1 eth0 10.1.0.2 --- 10.1.0.1 cust0 [vrf-a] pe1 core0 10.0.1.1 ---
#	10.0.1.2 core0 p2
# pe1 sends 10.2.0.0/16 of vrf-a through vpnlb to p2 (labels 16/1002); ce1
# pings 10.2.0.1 in the background. p2 only counts what arrives.

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping insmod rmmod
[ -x "$VPNLBCTL" ] || ksft_exit_fail "$VPNLBCTL is not built"

LOAD_CYCLES=${LOAD_CYCLES:-100}
# Slab check: routes installed per round, rounds, and the growth of any one
# cache (objects) that counts as a leak. A leak of one object per route
# grows some cache by routes x rounds.
SLAB_ROUTES=${SLAB_ROUTES:-2000}
SLAB_ROUNDS=${SLAB_ROUNDS:-4}
SLAB_LIMIT=${SLAB_LIMIT:-1000}

ping_pid=

# Build ce1 - pe1 - p2; the names go to $ce1, $pe1, $p2.
topo_create()
{
	netns_create ce1 pe1 p2 || return 1
	# No IPv6 chatter: p2 counts what vpnlb sends it.
	ip netns exec "$pe1" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 &&
	ip netns exec "$p2" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 ||
		return 1
	ip -n "$pe1" link add vrf-a type vrf table 10 &&
	ip -n "$pe1" link set vrf-a up &&
	ip -n "$pe1" link add cust0 type veth peer name eth0 netns "$ce1" &&
	ip -n "$pe1" link set cust0 master vrf-a &&
	ip -n "$pe1" addr add 10.1.0.1/24 dev cust0 &&
	ip -n "$pe1" link set cust0 up &&
	ip -n "$ce1" addr add 10.1.0.2/24 dev eth0 &&
	ip -n "$ce1" link set eth0 up &&
	ip -n "$ce1" route add default via 10.1.0.1 &&
	ip -n "$pe1" link add core0 type veth peer name core0 netns "$p2" &&
	ip -n "$pe1" addr add 10.0.1.1/24 dev core0 &&
	ip -n "$pe1" link set core0 up &&
	ip -n "$p2" addr add 10.0.1.2/24 dev core0 &&
	ip -n "$p2" link set core0 up &&
	ip netns exec "$pe1" sysctl -qw net.ipv4.ip_forward=1
}

# Instance, tunnel, nexthop, group and route in netns $1 for VRF $2.
objects_create()
{
	local ns=$1 vrf=${2:-vrf-a}

	vpnlbctl -n "$ns" instance add vpna vrf "$vrf" max-paths 2 &&
	vpnlbctl -n "$ns" tunnel add 1 pe 10.255.0.2 via 10.0.1.2 dev core0 \
		label 16 &&
	vpnlbctl -n "$ns" nexthop add 10 tunnel 1 label 1002 &&
	vpnlbctl -n "$ns" group add 100 instance vpna member 10 weight 1 &&
	vpnlbctl -n "$ns" route add vpna 10.2.0.0/16 group 100
}

rx_packets()
{
	ip netns exec "$1" cat /sys/class/net/"$2"/statistics/rx_packets
}

# Packets p2 received during $1 seconds.
rx_delta()
{
	local a b

	a=$(rx_packets "$p2" core0)
	sleep "$1"
	b=$(rx_packets "$p2" core0)
	echo $((b - a))
}

traffic_start()
{
	ip netns exec "$ce1" ping -q -i 0.01 10.2.0.1 > /dev/null 2>&1 &
	ping_pid=$!
}

traffic_stop()
{
	[ -n "$ping_pid" ] || return 0
	kill "$ping_pid" 2>/dev/null
	wait "$ping_pid" 2>/dev/null
	ping_pid=
}

# Traffic reaches p2 only through vpnlb: pe1's VRF has no route of its own.
check_traffic_flows()
{
	local n

	n=$(rx_delta 2)
	ksft_info "$1: p2 received $n packets in 2 s"
	[ "$n" -ge 20 ] && return 0
	check_fail "$1: p2 received $n packets in 2 s, expected >= 20 through vpnlb"
}

test_rmmod_with_traffic()
{
	local n

	vpnlb_load || return 1
	topo_create || return 1
	check_ok "create objects" objects_create "$pe1" || return 1
	traffic_start
	check_traffic_flows "before rmmod" || { traffic_stop; return 1; }
	check_ok "rmmod with routes and traffic" rmmod vpnlb
	check_eq "" "$(ls -d /sys/module/vpnlb 2>/dev/null)" "module gone"
	check_ok "ce1's ping still runs" kill -0 "$ping_pid"
	sleep 0.5
	n=$(rx_delta 2)
	ksft_info "after rmmod: p2 received $n packets in 2 s"
	[ "$n" -le 8 ] ||
		check_fail "after rmmod p2 still received $n packets in 2 s"
	traffic_stop
	netns_delete "$ce1"
	netns_delete "$pe1"
	netns_delete "$p2"
}

test_netns_delete_live()
{
	local other=''

	vpnlb_load || return 1
	netns_create other || return 1
	ip -n "$other" link add vrf-b type vrf table 20 &&
		ip -n "$other" link set vrf-b up &&
		ip -n "$other" link add core0 type dummy || return 1
	check_ok "objects in a second netns" \
		vpnlbctl -n "$other" instance add vpnb vrf vrf-b
	topo_create || return 1
	check_ok "create objects" objects_create "$pe1" || return 1
	traffic_start
	check_traffic_flows "before netns deletion"
	# ce1 keeps sending while pe1, with every vpnlb object, goes away.
	netns_delete "$pe1"
	sleep 3
	check_ok "ce1's ping survives" kill -0 "$ping_pid"
	traffic_stop
	check_ok "other netns keeps its instance" \
		sh -c "'$VPNLBCTL' -n '$other' instance show | grep -qw vpnb"
	netns_delete "$other"
	netns_delete "$ce1"
	netns_delete "$p2"
	# netns teardown runs in a workqueue; rmmod must wait for it cleanly.
	sleep 2
	check_ok "rmmod after netns deletion" rmmod vpnlb
}

# Wait up to 3 s for "vpnlbctl -n NS $2 show" to print nothing.
wait_empty()
{
	local ns=$1 what=$2 out i

	for i in 1 2 3 4 5 6; do
		out=$(vpnlbctl -n "$ns" "$what" show 2>&1) || break
		[ -z "$out" ] && return 0
		sleep 0.5
	done
	check_fail "$what show after VRF deletion: '$out'"
}

test_vrf_delete_live()
{
	vpnlb_load || return 1
	topo_create || return 1
	ip -n "$pe1" link add vrf-b type vrf table 20 &&
		ip -n "$pe1" link set vrf-b up || return 1
	check_ok "create objects" objects_create "$pe1" || return 1
	check_ok "instance on another VRF" \
		vpnlbctl -n "$pe1" instance add vpnb vrf vrf-b
	traffic_start
	check_traffic_flows "before VRF deletion"
	check_ok "delete vrf-a with live objects" ip -n "$pe1" link del vrf-a
	check_ok "ce1's ping survives" kill -0 "$ping_pid"
	check_ok "delete vrf-b" ip -n "$pe1" link del vrf-b
	wait_empty "$pe1" instance
	wait_empty "$pe1" route
	wait_empty "$pe1" group
	traffic_stop
	# The netns and its remaining objects (tunnel, nexthop) go with rmmod.
	check_ok "rmmod" rmmod vpnlb
	netns_delete "$ce1"
	netns_delete "$pe1"
	netns_delete "$p2"
}

test_load_unload_cycles()
{
	local ko i failed=0 ns=''

	ko=$(vpnlb_ko)
	vpnlb_deps || return 1
	vpnlb_unload || return 1
	netns_create ns || return 1
	ip -n "$ns" link add vrf-a type vrf table 10 &&
		ip -n "$ns" link set vrf-a up &&
		ip -n "$ns" link add core0 type dummy &&
		ip -n "$ns" addr add 10.0.1.1/24 dev core0 &&
		ip -n "$ns" link set core0 up || return 1
	for ((i = 1; i <= LOAD_CYCLES; i++)); do
		if ! insmod "$ko"; then
			check_fail "insmod failed in cycle $i"
			failed=1
			break
		fi
		# Every tenth cycle leaves objects behind for rmmod to free.
		if [ $((i % 10)) = 0 ] && ! objects_create "$ns"; then
			check_fail "objects in cycle $i"
			failed=1
		fi
		if ! rmmod vpnlb; then
			check_fail "rmmod failed in cycle $i"
			failed=1
			break
		fi
	done
	check_eq 0 "$failed" "$LOAD_CYCLES load/unload cycles"
	netns_delete "$ns"
}

# "name active_objs" per slab cache, sorted by name. Shrinking first frees
# the per-CPU slabs and KASAN's quarantine of freed objects, which would
# otherwise still count as in use.
slab_snapshot()
{
	local f

	for f in /sys/kernel/slab/*/shrink; do
		echo 1 > "$f"
	done 2> /dev/null
	awk 'NR > 2 { print $1, $2 }' /proc/slabinfo | sort
}

# On kernels with kmemleak: no object leaked since the last scan.
check_kmemleak()
{
	local kmemleak=/sys/kernel/debug/kmemleak leaks

	[ -w "$kmemleak" ] || return 0
	# Objects younger than 5 s are not reported yet.
	sleep 6
	echo scan > "$kmemleak"
	leaks=$(cat "$kmemleak")
	echo clear > "$kmemleak"
	[ -z "$leaks" ] && return 0
	check_fail "kmemleak: $leaks"
}

slab_round()
{
	local ns=$1 batch=$2 rc=0

	insmod "$(vpnlb_ko)" || return 1
	if ! objects_create "$ns" ||
		! ip netns exec "$ns" "$VPNLBCTL" -b "$batch"; then
		rc=1
	fi
	rmmod vpnlb || rc=1
	return "$rc"
}

test_slab_baseline()
{
	local ns='' batch before after i grown

	[ -r /proc/slabinfo ] || {
		KSFT_SKIP_REASON="no /proc/slabinfo"
		return "$ksft_skip"
	}
	vpnlb_deps && vpnlb_unload || return 1
	netns_create ns || return 1
	ip -n "$ns" link add vrf-a type vrf table 10 &&
		ip -n "$ns" link set vrf-a up &&
		ip -n "$ns" link add core0 type dummy &&
		ip -n "$ns" addr add 10.0.1.1/24 dev core0 &&
		ip -n "$ns" link set core0 up || return 1
	batch=$(mktemp)
	ksft_defer rm -f "$batch"
	for ((i = 0; i < SLAB_ROUTES; i++)); do
		echo "route add vpna 10.$((64 + i / 256)).$((i % 256)).0/24 nexthop 10"
	done > "$batch"

	# The first round warms up caches the kernel keeps (netlink, sysfs).
	check_ok "warm-up round ($SLAB_ROUTES routes)" slab_round "$ns" "$batch" ||
		return 1
	sleep 2
	before=$(slab_snapshot)
	for ((i = 1; i <= SLAB_ROUNDS; i++)); do
		check_ok "round $i ($SLAB_ROUTES routes)" \
			slab_round "$ns" "$batch" || return 1
	done
	sleep 2
	after=$(slab_snapshot)
	grown=$(join <(echo "$before") <(echo "$after") |
		awk -v limit="$SLAB_LIMIT" '$3 - $2 >= limit {
			printf "%s %+d; ", $1, $3 - $2 }')
	ksft_info "largest slab growth: $(join <(echo "$before") <(echo "$after") |
		awk '{ print $3 - $2, $1 }' | sort -n | tail -n1)"
	check_eq "" "$grown" \
		"slab caches grown by >= $SLAB_LIMIT objects after $SLAB_ROUNDS rounds"
	check_eq "" "$(grep -i vpnlb /proc/slabinfo)" \
		"no vpnlb slab cache left after rmmod"
	check_kmemleak
	netns_delete "$ns"
}

ksft_run rmmod_with_routes_and_traffic test_rmmod_with_traffic
traffic_stop
ksft_run netns_delete_with_live_objects test_netns_delete_live
traffic_stop
ksft_run vrf_delete_with_live_objects test_vrf_delete_live
traffic_stop
ksft_run "load_unload_${LOAD_CYCLES}_cycles" test_load_unload_cycles
ksft_run slab_usage_back_to_baseline test_slab_baseline
ksft_exit
