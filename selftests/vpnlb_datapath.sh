#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vpnlb forwards a VPN's traffic correctly, proven with real packets in the
# reference topology (topo.sh): CE1 - PE1 [vrf-a + vpnlb] - PE2/PE3/PE4
# (Linux mpls_router) - CE2. PE1 routes 10.9.0.0/16 through group 100 of
# nexthops 12, 13, 14 (PE2, PE3, PE4; weights 3:2:1).
#
# Every count is exact: the core links carry only the test's packets (see
# topo.sh), so PE1's per-link tx_packets deltas are the packets each path
# took; CE2's sink counts what was delivered; captures on PE1's egress links
# show the label stacks (decoded by tcpdump) and the flows on each link.
#
# VPNLB_DATAPATH_IMPL=native runs the cases that make sense without vpnlb
# against Linux's own multipath MPLS route instead (the comparator that
# validates the topology and the checks). VPNLB_DATAPATH_FLOWS sets the
# number of flows of the per-flow case (default 1000).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"

IMPL=${VPNLB_DATAPATH_IMPL:-vpnlb}
FLOWS=${VPNLB_DATAPATH_FLOWS:-1000}
WEIGHTS=(3 2 1)		# of nexthops 12, 13, 14, as topo_vpnlb_setup sets
capdir=
D=()			# last deltas: to-pe2 to-pe3 to-pe4 sink

require_root
require_cmd ip ping python3 tcpdump taskset
case $IMPL in
vpnlb) [ -x "$VPNLBCTL" ] || ksft_exit_fail "$VPNLBCTL is not built" ;;
native) ;;
*) ksft_exit_fail "VPNLB_DATAPATH_IMPL must be vpnlb or native" ;;
esac

need_vpnlb()
{
	[ "$IMPL" = vpnlb ] && return 0
	KSFT_SKIP_REASON="vpnlb only (VPNLB_DATAPATH_IMPL=$IMPL)"
	return "$ksft_skip"
}

ctl()
{
	vpnlbctl -n "$PE1" "$@"
}

# ping -I VRF warns about source address selection on stderr.
quiet()
{
	"$@" 2> /dev/null
}

# measure [-e DELIVERED] CMD...: run CMD, set D to the counter deltas.
measure()
{
	local out

	out=$(topo_count_delta "$@") || {
		check_fail "'$*' failed"
		return 1
	}
	D=($out)
}

# used: "1 0 1" when to-pe2 and to-pe4 carried packets in D.
used()
{
	local k out=

	for k in 0 1 2; do
		out="$out $([ "${D[k]}" -gt 0 ] && echo 1 || echo 0)"
	done
	echo ${out# }
}

# json_query SCRIPT [ARG...]: run SCRIPT on the JSON read from stdin, with
# objs the list of objects; ARGs are sys.argv[2:].
json_query()
{
	local script=$1

	shift
	python3 -c '
import json, sys
try:
    data = json.load(sys.stdin)
except ValueError:
    print("no-json")
    sys.exit(1)
objs = data if isinstance(data, list) else [data]
exec(sys.argv[1])' "$script" "$@"
}

# "P12 P13 P14": packets counted by the members of group 100.
member_packets()
{
	ctl -j -s group show 100 | json_query '
g = [o for o in objs if o.get("id") == 100][0]
m = {x["nexthop"]: x.get("packets", 0) for x in g["members"]}
print(" ".join(str(m.get(n, 0)) for n in (12, 13, 14)))'
}

# "S12 S13 S14": states of the members of group 100.
member_states()
{
	ctl -j group show 100 | json_query '
g = [o for o in objs if o.get("id") == 100][0]
m = {x["nexthop"]: x.get("state", "?") for x in g["members"]}
print(" ".join(m.get(n, "none") for n in (12, 13, 14)))'
}

# instance_stat NAME: one counter of instance vpna.
instance_stat()
{
	ctl -j -s instance show vpna | json_query '
i = [o for o in objs if o.get("name") == "vpna"][0]
print(i.get("stats", {}).get(sys.argv[2], "none"))' "$1"
}

# wire_stacks PCAP: "COUNT STACK" per distinct label stack, where STACK is
# "LABEL/S/TTL ... ip-ttl=T" ("S" marks bottom of stack, "-" not), decoded
# by tcpdump.
wire_stacks()
{
	tcpdump -nn -v -r "$1" 2>/dev/null |
	awk '/^[0-9]/ { if (r != "") print r; r = "" } { r = r " " $0 }
	     END { if (r != "") print r }' |
	sed -E -e 's/^ *[0-9:.]+ MPLS //' \
		-e 's/\(label ([0-9]+), tc [0-9]+, \[S\], ttl ([0-9]+)\)/\1\/S\/\2/g' \
		-e 's/\(label ([0-9]+), tc [0-9]+, ttl ([0-9]+)\)/\1\/-\/\2/g' \
		-e 's/IP \(tos [^,]*, ttl ([0-9]+),.*/ip-ttl=\1/' \
		-e 's/[[:space:]]+/ /g; s/ $//' |
	sort | uniq -c | awk '{ $1 = $1; print }'
}

capture_start()
{
	rm -f "$capdir"/*
	topo_capture_start "$capdir" || {
		check_fail "cannot start the captures"
		return 1
	}
}

capture_stop()
{
	topo_capture_stop || check_fail "captures incomplete"
}

# check_stacks K EXPECTED-STACK: every packet PE1 sent on to-peK (D[K-2] of
# them, at least one) carried EXPECTED-STACK.
check_stacks()
{
	local k=$1 n=${D[$1 - 2]}

	[ "$n" -gt 0 ] || {
		check_fail "to-pe$k carried no packet: cannot see its labels"
		return 1
	}
	check_eq "$n $2" "$(wire_stacks "$capdir/to-pe$k.pcap")" \
		"label stack on to-pe$k"
}

# labels_case LABEL-TTL [PHP-PE]: 90 flows sent with TTL 64 leave with
# IP TTL 63 and the label stacks of their link. 90 flows at 3:2:1 leave a
# path unused with probability < 1e-7.
labels_case()
{
	local ttl=$1 php=${2:-} k

	capture_start || return 1
	measure -e 90 topo_send_flows 90 1 --ttl 64
	capture_stop
	check_eq 90 "${D[3]}" "packets delivered to CE2"
	for k in $TOPO_PES; do
		if [ "$k" = "$php" ]; then
			check_stacks "$k" "$(topo_vpn_label "$k")/S/$ttl ip-ttl=63"
		else
			check_stacks "$k" "$(topo_transport_label "$k")/-/$ttl $(topo_vpn_label "$k")/S/$ttl ip-ttl=63"
		fi
	done
}

test_ping_end_to_end()
{
	measure in_ns "$CE1" sh -c \
		"ping -c 3 -i 0.2 -W 2 10.9.0.1 > $capdir/ping.out 2>&1"
	check_eq 3 "$(grep -c "bytes from 10.9.0.1" "$capdir/ping.out")" \
		"CE1 -> CE2 echo replies"
	check_eq 3 $((D[0] + D[1] + D[2])) "CE1 -> CE2 echo requests through PE1's core links"
	measure in_ns "$CE2" sh -c \
		"ping -c 3 -i 0.2 -W 2 -I 10.9.0.1 10.1.0.1 > $capdir/ping.out 2>&1"
	check_eq 3 "$(grep -c "bytes from 10.1.0.1" "$capdir/ping.out")" \
		"CE2 -> CE1 echo replies"
	check_eq 3 $((D[0] + D[1] + D[2])) "CE1's echo replies through PE1's core links"
}

# Uniform: both labels carry the IP TTL after PE1 decremented it (64 -> 63).
test_labels_uniform()
{
	labels_case 63
}

test_labels_pipe()
{
	need_vpnlb || return
	check_ok "ttl pipe" ctl instance change vpna ttl pipe || return 1
	labels_case 255
	check_ok "ttl uniform" ctl instance change vpna ttl uniform
}

# PHP: the tunnel to PE4 has no transport label; PE4 takes the VPN label
# directly.
test_labels_php()
{
	need_vpnlb || return
	check_ok "tunnel 4 label none" ctl tunnel change 4 label none ||
		return 1
	labels_case 63 4
	check_ok "tunnel 4 label back" \
		ctl tunnel change 4 label "$(topo_transport_label 4)"
}

# FLOWS flows of 3 packets, hashed over weights 3:2:1. With a uniform hash
# the flows of member i are Binomial(FLOWS, p_i), p_i = w_i / 6: each count
# must be within 5 standard deviations of FLOWS * p_i (a false failure has
# probability < 2e-6 per run), and every flow stays on one link.
test_per_flow_spread()
{
	local before=() after=() hits0 hits1 out k i n f e tol split=''

	if [ "$IMPL" = vpnlb ]; then
		before=($(member_packets))
		hits0=$(instance_stat hits)
	fi
	capture_start || return 1
	measure -e $((3 * FLOWS)) topo_send_flows "$FLOWS" 3
	capture_stop
	check_eq $((3 * FLOWS)) "${D[3]}" "packets delivered to CE2"
	check_eq $((3 * FLOWS)) $((D[0] + D[1] + D[2])) "packets on the core links"
	out=$(topo_traffic flows "$capdir"/to-pe{2,3,4}.pcap) || {
		check_fail "cannot read the captures"
		return 1
	}
	check_eq "shared=0" "$(echo "$out" | tail -n1)" "flows seen on two links"
	i=0
	for k in $TOPO_PES; do
		n=$(echo "$out" | sed -n "s|.*/to-pe$k.pcap packets=\([0-9]*\) .*|\1|p")
		f=$(echo "$out" | sed -n "s|.*/to-pe$k.pcap .* flows=\([0-9]*\)|\1|p")
		check_eq "${D[i]}" "$n" "captured packets on to-pe$k"
		check_eq $((3 * f)) "$n" "3 packets per flow on to-pe$k"
		read -r e tol < <(awk -v n="$FLOWS" -v w="${WEIGHTS[i]}" 'BEGIN {
			p = w / 6; printf "%d %d\n", n * p + 0.5,
				5 * sqrt(n * p * (1 - p)) + 0.5 }')
		[ $((f > e ? f - e : e - f)) -le "$tol" ] ||
			check_fail "to-pe$k: $f flows, expected $e +- $tol"
		split="$split to-pe$k $f ($e+-$tol)"
		i=$((i + 1))
	done
	ksft_info "$FLOWS flows:$split"
	[ "$IMPL" = vpnlb ] || return 0
	after=($(member_packets))
	hits1=$(instance_stat hits)
	check_eq "${D[0]} ${D[1]} ${D[2]}" \
		"$((after[0] - before[0])) $((after[1] - before[1])) $((after[2] - before[2]))" \
		"member packet counters vs the wire"
	check_eq $((3 * FLOWS)) $((hits1 - hits0)) "instance hits"
}

# Smooth weighted round-robin: over 100 rounds of weight 6, 300/200/100
# packets, +-1 per CPU. One flow, sent from CPU 0 (veth processes the whole
# path on the sending CPU), so one CPU's state is involved.
test_per_packet_exact()
{
	local before after

	need_vpnlb || return
	check_ok "mode packet" ctl instance change vpna mode packet || return 1
	before=($(member_packets))
	measure -e 600 topo_send_packets 600
	after=($(member_packets))
	check_eq 600 "${D[3]}" "packets delivered to CE2"
	ksft_info "600 packets of one flow: ${D[0]} ${D[1]} ${D[2]}"
	[ $((D[0] - 300)) -ge -1 ] && [ $((D[0] - 300)) -le 1 ] &&
	[ $((D[1] - 200)) -ge -1 ] && [ $((D[1] - 200)) -le 1 ] &&
	[ $((D[2] - 100)) -ge -1 ] && [ $((D[2] - 100)) -le 1 ] ||
		check_fail "per-packet split ${D[0]} ${D[1]} ${D[2]}, expected 300 200 100 +-1"
	check_eq "${D[0]} ${D[1]} ${D[2]}" \
		"$((after[0] - before[0])) $((after[1] - before[1])) $((after[2] - before[2]))" \
		"member packet counters vs the wire"
	check_ok "mode flow" ctl instance change vpna mode flow
}

# 300 flows leave an active path unused with probability < 1e-20.
check_paths()
{
	local what=$1 expect_used=$2 expect_states=$3

	measure -e 300 topo_send_flows 300 1 --sport 20000
	check_eq 300 "${D[3]}" "$what: packets delivered to CE2"
	check_eq "$expect_used" "$(used)" "$what: links used (to-pe2 to-pe3 to-pe4), counts ${D[*]:0:3}"
	check_eq "$expect_states" "$(member_states)" "$what: member states"
}

test_max_paths_runtime()
{
	local n expect=([1]="1 0 0" [2]="1 1 0" [3]="1 1 1")
	local states=([1]="active backup backup" [2]="active active backup"
		      [3]="active active active")

	need_vpnlb || return
	for n in 1 2 3 1; do
		check_ok "max-paths $n" ctl instance change vpna max-paths "$n" ||
			continue
		check_paths "max-paths $n" "${expect[n]}" "${states[n]}"
	done
	check_ok "max-paths 3" ctl instance change vpna max-paths 3
}

# wait_tunnel ID STATE: until vpnlb shows the tunnel in STATE (5 s at most).
wait_tunnel()
{
	local i state

	for ((i = 0; i < 25; i++)); do
		state=$(ctl -j tunnel show "$1" | json_query '
t = [o for o in objs if o.get("id") == int(sys.argv[2])][0]
print(t.get("state"))' "$1")
		[ "$state" = "$2" ] && return 0
		sleep 0.2
	done
	check_fail "tunnel $1 is '$state', expected '$2'"
}

# With max-paths 2, PE4 (third member) is the backup: it replaces PE3 while
# PE1's link to PE3 is down and hands back when the link returns.
test_backup_takeover()
{
	need_vpnlb || return
	check_ok "max-paths 2" ctl instance change vpna max-paths 2 || return 1
	check_paths "all links up" "1 1 0" "active active backup"
	check_ok "to-pe3 down" ip -n "$PE1" link set to-pe3 down
	wait_tunnel 3 down-link
	check_paths "to-pe3 down" "1 0 1" "active down active"
	check_ok "to-pe3 up" ip -n "$PE1" link set to-pe3 up
	topo_pin_neighbours
	wait_tunnel 3 up
	check_paths "to-pe3 up again" "1 1 0" "active active backup"
	check_ok "max-paths 3" ctl instance change vpna max-paths 3
}

# 10.8.0.0/16 is not in vpnlb but vrf-a's table sends it to PE4 with Linux's
# own MPLS encap: vpnlb must leave it to the kernel.
test_miss_fall_through()
{
	local m0 m1 h0 h1

	need_vpnlb || return
	check_ok "kernel route in vrf-a" ip -n "$PE1" route add 10.8.0.0/16 \
		vrf vrf-a encap mpls 104/1004 via 10.0.4.2 dev to-pe4 || return 1
	m0=$(instance_stat misses)
	h0=$(instance_stat hits)
	measure -e 60 topo_send_flows 60 1 --dst 10.8.1.1
	m1=$(instance_stat misses)
	h1=$(instance_stat hits)
	check_eq "0 0 60 60" "${D[*]}" "kernel-routed packets (to-pe2 to-pe3 to-pe4 delivered)"
	check_eq 60 $((m1 - m0)) "instance misses"
	check_eq 0 $((h1 - h0)) "instance hits"
	check_ok "CE1 -> 10.8.0.1 ping" in_ns "$CE1" ping -c 1 -W 2 10.8.0.1
	check_ok "delete the kernel route" ip -n "$PE1" route del 10.8.0.0/16 \
		vrf vrf-a
	measure topo_send_flows 10 1 --dst 10.8.1.1
	check_eq "0 0 0 0" "${D[*]}" "no route anywhere: nothing forwarded"
}

# TTL 1 expires at PE1 (ICMP time exceeded from PE1's VRF address); TTL 2
# still leaves PE1.
test_ttl_expiry()
{
	local out d0 d1

	[ "$IMPL" = vpnlb ] && d0=$(instance_stat drop_ttl)
	out=$(in_ns "$CE1" ping -c 1 -W 2 -t 1 10.9.0.1)
	echo "$out" | grep -q "^From $TOPO_PE1_VRF_ADDR icmp_seq=1 Time to live exceeded" ||
		check_fail "no time exceeded from $TOPO_PE1_VRF_ADDR: $out"
	measure topo_send_flows 30 1 --ttl 1
	check_eq "0 0 0" "${D[*]:0:3}" "TTL 1 packets on the core links"
	measure topo_send_flows 30 1 --ttl 2
	check_eq 30 $((D[0] + D[1] + D[2])) "TTL 2 packets on the core links"
	[ "$IMPL" = vpnlb ] || return 0
	d1=$(instance_stat drop_ttl)
	check_eq 31 $((d1 - d0)) "instance drop_ttl"
}

# The core links' MTU is 1500 and vpnlb adds 8 bytes of labels: a DF packet
# of 1492 bytes passes, one of 1493 gets "fragmentation needed, mtu 1492".
test_df_mtu()
{
	local out d0 d1

	[ "$IMPL" = vpnlb ] && d0=$(instance_stat drop_mtu)
	check_ok "1492-byte DF ping" \
		in_ns "$CE1" ping -c 1 -W 2 -M do -s 1464 10.9.0.1
	measure in_ns "$CE1" sh -c "ping -c 1 -W 2 -M do -s 1465 10.9.0.1 > $capdir/ping.out; true"
	out=$(cat "$capdir/ping.out")
	echo "$out" | grep -q "^From $TOPO_PE1_VRF_ADDR icmp_seq=1 Frag needed and DF set (mtu = 1492)" ||
		check_fail "no fragmentation needed (mtu 1492): $out"
	check_eq "0 0 0" "${D[*]:0:3}" "too big packets on the core links"
	ip -n "$CE1" route flush cache
	[ "$IMPL" = vpnlb ] || return 0
	d1=$(instance_stat drop_mtu)
	check_eq 1 $((d1 - d0)) "instance drop_mtu"
}

# PE1's own traffic in the VRF leaves labelled; not forwarded, so neither
# the IP TTL nor the label TTLs are decremented.
test_local_vrf_ping()
{
	local k stacks n=0 line

	# A socket in the VRF routes by the VRF's kernel table before any hook
	# runs: the operator gives it a route to the VRF device for the VPN
	# prefixes (vpnlb's own routes stay out of the kernel FIB); vpnlb then
	# labels what the VRF device's LOCAL_OUT pass carries.
	in_ns "$PE1" ip route add $TOPO_PREFIX dev vrf-a vrf vrf-a || return 1
	capture_start || return 1
	measure quiet in_ns "$PE1" sh -c \
		"ping -c 3 -i 0.2 -W 2 -I vrf-a 10.9.0.1 > $capdir/ping.out 2>&1"
	capture_stop
	in_ns "$PE1" ip route del $TOPO_PREFIX dev vrf-a vrf vrf-a
	grep -q "bytes from" "$capdir/ping.out" ||
		ksft_info "ping -I vrf-a: $(grep -v '^$' "$capdir/ping.out" | head -n 3)"
	check_eq 3 $((D[0] + D[1] + D[2])) "PE1's echo requests on the core links"
	for k in $TOPO_PES; do
		stacks=$(wire_stacks "$capdir/to-pe$k.pcap")
		[ -z "$stacks" ] && continue
		line="${D[k - 2]} $(topo_transport_label "$k")/-/64 $(topo_vpn_label "$k")/S/64 ip-ttl=64"
		check_eq "$line" "$stacks" "label stack on to-pe$k"
		n=$((n + D[k - 2]))
	done
	check_eq 3 "$n" "labelled echo requests captured"
	check_eq 3 "$(grep -c "bytes from 10.9.0.1" "$capdir/ping.out")" \
		"echo replies back in PE1's VRF"
}

# A TCP transfer CE1 -> CE2. CE1's stack hands PE1 GSO packets (veth keeps
# them whole) that must stay valid once labelled, and whose 1500-byte
# segments do not fit the core links with 8 bytes of labels: PMTU discovery
# through PE1's "fragmentation needed" must shrink them.
test_tcp_bulk()
{
	local bytes=2000000 pid i

	in_ns "$CE2" python3 "$TOPO_TRAFFIC" tcp-sink --bind 10.9.0.1 \
		--port 5001 > "$capdir/sink.out" 2>&1 &
	pid=$!
	for ((i = 0; i < 100; i++)); do
		grep -q "^listening" "$capdir/sink.out" && break
		sleep 0.1
	done
	measure in_ns "$CE1" python3 "$TOPO_TRAFFIC" tcp-send --dst 10.9.0.1 \
		--port 5001 --bytes "$bytes" || kill "$pid" 2> /dev/null
	wait "$pid"
	check_eq "received=$bytes" "$(grep -v "^listening" "$capdir/sink.out")" \
		"bytes received by CE2"
	# veth keeps GSO packets whole: tx_packets counts them, not segments.
	[ $((D[0] + D[1] + D[2])) -gt 0 ] ||
		check_fail "nothing on the core links"
	ip -n "$CE1" route get 10.9.0.1 | grep -q " mtu 1492 " ||
		check_fail "CE1 learnt no path MTU of 1492: $(ip -n "$CE1" route get 10.9.0.1)"
	ip -n "$CE1" route flush cache
}

vpnlb_deps || ksft_exit_fail "cannot load vrf, mpls_router, mpls_iptunnel"
if [ "$IMPL" = vpnlb ]; then
	vpnlb_load || ksft_exit_fail "cannot load vpnlb.ko"
fi
topo_create || ksft_exit_fail "cannot build the topology"
capdir=$(mktemp -d)
ksft_defer rm -rf "$capdir"
if [ "$IMPL" = vpnlb ]; then
	topo_vpnlb_setup max-paths 3 mode flow weights 3:2:1 ||
		ksft_exit_fail "cannot program PE1 with vpnlbctl"
else
	topo_native_setup || ksft_exit_fail "cannot add the native route"
fi

ksft_plan 13
ksft_run ping_end_to_end test_ping_end_to_end
ksft_run labels_uniform test_labels_uniform
ksft_run labels_pipe test_labels_pipe
ksft_run labels_php test_labels_php
ksft_run per_flow_spread test_per_flow_spread
ksft_run per_packet_exact test_per_packet_exact
ksft_run max_paths_runtime test_max_paths_runtime
ksft_run backup_takeover test_backup_takeover
ksft_run miss_fall_through test_miss_fall_through
ksft_run ttl_expiry test_ttl_expiry
ksft_run df_mtu test_df_mtu
ksft_run local_vrf_ping test_local_vrf_ping
ksft_run tcp_bulk test_tcp_bulk
ksft_exit
