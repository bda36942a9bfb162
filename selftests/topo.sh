# SPDX-License-Identifier: GPL-2.0
#
# The reference L3VPN topology of the vpnlb selftests (bash; source it after
# lib.sh):
#
#                                 +-- PE2 (vrf-x) --+
#   CE1 --- PE1 [vrf-a + vpnlb] --+-- PE3 (vrf-x) --+-- CE2
#                                 +-- PE4 (vrf-x) --+
#
#   CE1  to-pe1 10.1.0.1/24, default via PE1
#   PE1  to-ce1 10.1.0.2/24 in vrf-a (table 10);
#        to-peK 10.0.K.1/24 (K = 2, 3, 4), in the default VRF: the core links
#   PEK  to-pe1 10.0.K.2/24; lo K.K.K.K/32 (its address as a remote PE);
#        to-ce2 10.2.K.1/24 in vrf-x (table 10)
#   CE2  to-peK 10.2.K.2/24; "sink" (dummy) 10.9.0.1/16 and 10.8.0.1/16
#
# PE1 reaches PEK with [transport label 100+K][VPN label 1000+K]. PEK runs
# Linux's mpls_router: the transport label is popped and the rest of the
# stack looped through lo ("ip -f mpls route add 100+K dev lo"), where the
# VPN label is popped into vrf-x, which routes 10.9.0.0/16 and 10.8.0.0/16 to
# CE2. A PHP tunnel (VPN label only) works as well: PEK looks the VPN label
# up directly on to-pe1. CE2 forwards what is not its own address to the sink, which drops it
# and counts it. Replies: CE2's default route is via PE2, whose vrf-x sends
# 10.1.0.0/24 back to PE1 with VPN label 1001 (no transport label), which
# PE1 pops into vrf-a.
#
# Each path is told apart by its PE1 egress link (to-pe2/3/4) and by the
# labels on it. The core links carry nothing but this traffic: IPv6 is off
# and the neighbours on them are static, so tx_packets deltas on PE1's core
# links count exactly the packets each path took.
#
# Functions:
#   topo_create                 build it; names in $CE1 $PE1 $PE2 $PE3 $PE4
#                               $CE2; removed at exit (or by topo_destroy)
#   topo_destroy                remove it now (idempotent)
#   topo_native_setup [PREFIX]  PE1 routes PREFIX (default 10.9.0.0/16) in
#                               vrf-a with Linux's own multipath MPLS encap
#                               over the three PEs, weights 3:2:1
#   topo_native_clear [PREFIX]
#   topo_vpnlb_setup [max-paths N] [mode flow|packet] [ttl uniform|pipe]
#                    [weights A:B:C] [order K,K,K]
#                               program PE1 with vpnlbctl: instance "vpna"
#                               on vrf-a, tunnel K (PE K.K.K.K via 10.0.K.2
#                               dev to-peK label 100+K), nexthop 10+K (VPN
#                               label 1000+K), group 100 of the nexthops in
#                               ORDER (default 2,3,4) with WEIGHTS (default
#                               3:2:1), route 10.9.0.0/16 -> group 100
#                               (default max-paths 3, mode flow)
#   topo_vpnlb_clear            flush every vpnlb object of PE1
#   topo_pin_neighbours         (re)install the static core neighbours, e.g.
#                               after a core link was set down and up
#   topo_counts                 "N2 N3 N4 S": tx_packets of PE1's to-pe2/3/4
#                               and of CE2's sink (packets delivered)
#   topo_settle                 wait until those stop changing
#   topo_count_delta [-e N] CMD...
#                               run CMD, wait until CE2 got N packets (if
#                               given, 10 s at most), settle, print the
#                               deltas of topo_counts
#   topo_send_flows N [P] [ARG...]
#                               from CE1, N UDP flows (source ports
#                               10000..) of P packets each to 10.9.1.1;
#                               ARGs go to vpnlb_traffic.py send
#   topo_send_packets N [ARG...]
#                               N packets of one UDP flow from CE1, from
#                               one CPU (CPU 0)
#   topo_capture_start DIR      capture what PE1 sends on to-pe2/3/4 into
#                               DIR/to-peK.pcap (vpnlb_traffic.py capture)
#   topo_capture_stop           stop; fails if the kernel dropped any
#   topo_traffic ARG...         run selftests/tools/vpnlb_traffic.py

TOPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOPO_TRAFFIC=$TOPO_DIR/tools/vpnlb_traffic.py
TOPO_PES="2 3 4"
TOPO_PREFIX=10.9.0.0/16
TOPO_DST=10.9.1.1
TOPO_CE1_ADDR=10.1.0.1
TOPO_PE1_VRF_ADDR=10.1.0.2
TOPO_TABLE=10
TOPO_RETURN_LABEL=1001
CE1='' PE1='' PE2='' PE3='' PE4='' CE2=''
__topo_capture_pids=()
__topo_capture_dir=

topo_transport_label() { echo $((100 + $1)); }
topo_vpn_label() { echo $((1000 + $1)); }
topo_pe_ns() { eval "echo \$PE$1"; }

# Quiet links: no IPv6 (no ND, MLD or router solicitations), no rp_filter
# (CE2 gets traffic on three links and answers through one).
__topo_ns_sysctls()
{
	ip netns exec "$1" sysctl -qw \
		net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 \
		net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.default.rp_filter=0
}

# __topo_link NS1 DEV1 ADDR1 NS2 DEV2 ADDR2
__topo_link()
{
	ip link add "$2" netns "$1" type veth peer name "$5" netns "$4" &&
	ip -n "$1" addr add "$3" dev "$2" &&
	ip -n "$4" addr add "$6" dev "$5"
}

# __topo_vrf NS DEV: vrf-x style VRF with the unreachable default that keeps
# misses from leaking into the main table.
__topo_vrf()
{
	ip -n "$1" link add "$2" type vrf table "$TOPO_TABLE" &&
	ip -n "$1" link set "$2" up &&
	ip -n "$1" route add unreachable default metric 4278198272 \
		vrf "$2"
}

topo_pin_neighbours()
{
	local k pe mac1 mack

	for k in $TOPO_PES; do
		pe=$(topo_pe_ns "$k")
		mac1=$(ip netns exec "$PE1" cat /sys/class/net/to-pe$k/address) &&
		mack=$(ip netns exec "$pe" cat /sys/class/net/to-pe1/address) &&
		ip -n "$PE1" neigh replace 10.0.$k.2 lladdr "$mack" \
			dev to-pe$k nud permanent &&
		ip -n "$pe" neigh replace 10.0.$k.1 lladdr "$mac1" \
			dev to-pe1 nud permanent || return 1
	done
}

topo_create()
{
	local k pe ns

	netns_create CE1 PE1 PE2 PE3 PE4 CE2 || return 1
	ksft_defer topo_destroy
	for ns in "$CE1" "$PE1" "$PE2" "$PE3" "$PE4" "$CE2"; do
		__topo_ns_sysctls "$ns" || return 1
	done
	ip netns exec "$PE1" sysctl -qw net.ipv4.ip_forward=1 \
		net.mpls.platform_labels=100000 || return 1

	# CE1 - PE1 (vrf-a)
	__topo_vrf "$PE1" vrf-a &&
	__topo_link "$CE1" to-pe1 $TOPO_CE1_ADDR/24 \
		"$PE1" to-ce1 $TOPO_PE1_VRF_ADDR/24 &&
	ip -n "$PE1" link set to-ce1 master vrf-a &&
	ip -n "$PE1" link set to-ce1 up &&
	ip -n "$CE1" link set to-pe1 up &&
	ip -n "$CE1" route add default via $TOPO_PE1_VRF_ADDR || return 1

	# CE2: the sink holds the VPN's far prefixes.
	ip -n "$CE2" link add sink type dummy &&
	ip -n "$CE2" link set sink up &&
	ip -n "$CE2" addr add 10.9.0.1/16 dev sink &&
	ip -n "$CE2" addr add 10.8.0.1/16 dev sink &&
	ip netns exec "$CE2" sysctl -qw net.ipv4.ip_forward=1 || return 1

	for k in $TOPO_PES; do
		pe=$(topo_pe_ns "$k")
		ip netns exec "$pe" sysctl -qw net.ipv4.ip_forward=1 \
			net.mpls.platform_labels=100000 &&
		ip -n "$pe" addr add $k.$k.$k.$k/32 dev lo &&
		__topo_vrf "$pe" vrf-x &&
		# PE1 - PEK core link
		__topo_link "$PE1" to-pe$k 10.0.$k.1/24 \
			"$pe" to-pe1 10.0.$k.2/24 &&
		ip -n "$PE1" link set to-pe$k up &&
		ip -n "$pe" link set to-pe1 up &&
		ip netns exec "$PE1" sysctl -qw \
			net.mpls.conf.to-pe$k.input=1 &&
		ip netns exec "$pe" sysctl -qw net.mpls.conf.to-pe1.input=1 \
			net.mpls.conf.lo.input=1 &&
		# PEK - CE2, in vrf-x
		__topo_link "$pe" to-ce2 10.2.$k.1/24 "$CE2" to-pe$k 10.2.$k.2/24 &&
		ip -n "$pe" link set to-ce2 master vrf-x &&
		ip -n "$pe" link set to-ce2 up &&
		ip -n "$CE2" link set to-pe$k up &&
		# Labels: pop the transport label, loop the rest through lo;
		# pop the VPN label into vrf-x.
		ip -n "$pe" -f mpls route add "$(topo_transport_label "$k")" \
			dev lo &&
		ip -n "$pe" -f mpls route add "$(topo_vpn_label "$k")" \
			dev vrf-x &&
		ip -n "$pe" route add 10.9.0.0/16 vrf vrf-x via 10.2.$k.2 &&
		ip -n "$pe" route add 10.8.0.0/16 vrf vrf-x via 10.2.$k.2 &&
		ip -n "$pe" route add 10.1.0.0/24 vrf vrf-x \
			encap mpls $TOPO_RETURN_LABEL via 10.0.$k.1 dev to-pe1 ||
			return 1
	done
	ip -n "$CE2" route add default via 10.2.2.1 &&
	ip -n "$PE1" -f mpls route add $TOPO_RETURN_LABEL dev vrf-a &&
	topo_pin_neighbours
}

topo_destroy()
{
	local ns

	topo_capture_stop > /dev/null 2>&1
	for ns in "$CE1" "$PE1" "$PE2" "$PE3" "$PE4" "$CE2"; do
		[ -n "$ns" ] && netns_delete "$ns" 2> /dev/null
	done
	CE1='' PE1='' PE2='' PE3='' PE4='' CE2=''
	return 0
}

topo_native_setup()
{
	local prefix=${1:-$TOPO_PREFIX} k weight=(0 0 3 2 1) args=()

	for k in $TOPO_PES; do
		args+=(nexthop encap mpls
		       "$(topo_transport_label "$k")/$(topo_vpn_label "$k")"
		       via 10.0.$k.2 dev to-pe$k weight "${weight[k]}")
	done
	ip netns exec "$PE1" sysctl -qw net.ipv4.fib_multipath_hash_policy=1 &&
	ip -n "$PE1" route replace "$prefix" vrf vrf-a "${args[@]}"
}

topo_native_clear()
{
	ip -n "$PE1" route del "${1:-$TOPO_PREFIX}" vrf vrf-a
}

topo_vpnlb_setup()
{
	local max=3 mode=flow ttl=uniform weights=3:2:1 order=2,3,4
	local k i w members=()

	while [ $# -gt 0 ]; do
		case $1 in
		max-paths) max=$2 ;;
		mode) mode=$2 ;;
		ttl) ttl=$2 ;;
		weights) weights=$2 ;;
		order) order=$2 ;;
		*) echo "topo_vpnlb_setup: unknown option '$1'" >&2; return 2 ;;
		esac
		shift 2
	done
	vpnlbctl -n "$PE1" instance add vpna vrf vrf-a max-paths "$max" \
		mode "$mode" ttl "$ttl" || return 1
	for k in $TOPO_PES; do
		vpnlbctl -n "$PE1" tunnel add "$k" pe $k.$k.$k.$k \
			via 10.0.$k.2 dev to-pe$k \
			label "$(topo_transport_label "$k")" &&
		vpnlbctl -n "$PE1" nexthop add $((10 + k)) tunnel "$k" \
			label "$(topo_vpn_label "$k")" || return 1
	done
	i=1
	for k in ${order//,/ }; do
		w=$(echo "$weights" | cut -d: -f$i)
		members+=(member $((10 + k)) weight "$w")
		i=$((i + 1))
	done
	vpnlbctl -n "$PE1" group add 100 instance vpna "${members[@]}" &&
	vpnlbctl -n "$PE1" route add vpna $TOPO_PREFIX group 100
}

topo_vpnlb_clear()
{
	vpnlbctl -n "$PE1" flush
}

topo_counts()
{
	ip netns exec "$PE1" cat /sys/class/net/to-pe2/statistics/tx_packets \
		/sys/class/net/to-pe3/statistics/tx_packets \
		/sys/class/net/to-pe4/statistics/tx_packets | paste -sd' ' &&
	ip netns exec "$CE2" cat /sys/class/net/sink/statistics/tx_packets
}

# Forwarding mostly completes before the sender returns, but softirq work
# past its budget moves to ksoftirqd: wait until the counters stop moving.
topo_settle()
{
	local prev now i

	prev=$(topo_counts | paste -sd' ')
	for ((i = 0; i < 50; i++)); do
		sleep 0.2
		now=$(topo_counts | paste -sd' ')
		[ "$now" = "$prev" ] && return 0
		prev=$now
	done
	return 1
}

topo_count_delta()
{
	local before after expect= i

	if [ "$1" = -e ]; then
		expect=$2
		shift 2
	fi
	before=($(topo_counts))
	"$@" > /dev/null || return 1
	if [ -n "$expect" ]; then
		for ((i = 0; i < 100; i++)); do
			after=($(topo_counts))
			[ $((after[3] - before[3])) -ge "$expect" ] && break
			sleep 0.1
		done
	fi
	topo_settle
	after=($(topo_counts))
	echo $((after[0] - before[0])) $((after[1] - before[1])) \
		$((after[2] - before[2])) $((after[3] - before[3]))
}

topo_traffic()
{
	python3 "$TOPO_TRAFFIC" "$@"
}

topo_send_flows()
{
	local flows=$1 packets=${2:-1}

	shift
	[ $# -gt 0 ] && shift
	ip netns exec "$CE1" python3 "$TOPO_TRAFFIC" send \
		--src $TOPO_CE1_ADDR --dst $TOPO_DST \
		--flows "$flows" --packets "$packets" "$@"
}

# veth delivers a packet on the sending CPU, so one sending CPU means the
# whole path runs on that CPU.
topo_send_packets()
{
	local n=$1

	shift
	ip netns exec "$CE1" taskset -c 0 python3 "$TOPO_TRAFFIC" send \
		--src $TOPO_CE1_ADDR --dst $TOPO_DST --flows 1 --packets "$n" "$@"
}

topo_capture_start()
{
	local dir=$1 k i

	__topo_capture_dir=$dir
	__topo_capture_pids=()
	for k in $TOPO_PES; do
		ip netns exec "$PE1" python3 "$TOPO_TRAFFIC" capture \
			--out "$dir/to-pe$k.pcap" to-pe$k \
			> "$dir/to-pe$k.log" 2>&1 &
		__topo_capture_pids+=($!)
	done
	for k in $TOPO_PES; do
		for ((i = 0; i < 300; i++)); do
			grep -q "^listening" "$dir/to-pe$k.log" && break
			sleep 0.1
		done
		grep -q "^listening" "$dir/to-pe$k.log" || {
			echo "capture on to-pe$k did not start:" \
				"$(cat "$dir/to-pe$k.log")" >&2
			topo_capture_stop
			return 1
		}
	done
}

# The capture drains what the kernel queued before the signal: with veth,
# every packet sent so far is already queued.
topo_capture_stop()
{
	local pid k drops rc=0

	for pid in "${__topo_capture_pids[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${__topo_capture_pids[@]}"; do
		wait "$pid" 2>/dev/null
	done
	__topo_capture_pids=()
	[ -n "$__topo_capture_dir" ] || return 0
	for k in $TOPO_PES; do
		drops=$(sed -n 's/^captured=[0-9]* drops=\([0-9]*\)$/\1/p' \
			"$__topo_capture_dir/to-pe$k.log")
		if [ "${drops:-x}" != 0 ]; then
			echo "capture on to-pe$k failed or dropped packets:" \
				"$(cat "$__topo_capture_dir/to-pe$k.log")" >&2
			rc=1
		fi
	done
	__topo_capture_dir=
	return $rc
}
