#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The BGP scale benchmark itself; runs as root in the VM (bench/bgp/run.sh
# boots it). Two feeders send the same prefixes as VPNv4 routes (RD 100:2
# label 1002 next hop 2.2.2.2, RD 100:3 label 1003 next hop 3.3.3.3, both RT
# 111:1) to a PE, first running vpnlbd + vpnlb.ko, then FRR bgpd + zebra
# importing into the Linux VRF vrf-a (table 10). For each it reports the time
# from the first UPDATE sent to the moment every prefix is in the FIB with
# both paths, and the daemons' resident memory growth per path.
#
#   feeder f2 (10.99.12.2, lo 2.2.2.2) --- v21/v12 ---+
#                                                      PE (10.99.12.1, 10.99.13.1)
#   feeder f3 (10.99.13.3, lo 3.3.3.3) --- v31/v13 ---+
#
# The remote PEs are reached through transport labels (2.2.2.2/32 encap
# mpls 16, 3.3.3.3/32 encap mpls 17), as in an MPLS core.
#
# usage: vm_bench.sh [--prefixes N|all] [--systems "vpnlbd frr"]
#                    [--timeout SECONDS] [--table FILE.gz]

set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
VPNLBD=$TOP/userspace/vpnlbd/vpnlbd
VPNLBCTL=$TOP/userspace/vpnlbctl/vpnlbctl
FEEDER=$HERE/bgp-feeder
FIB_COUNT=$HERE/fib-count
KO=${VPNLB_KO:-$TOP/build/$(uname -r)/vpnlb.ko}
FRR_DIR=/usr/lib/frr

prefixes=100000
systems="vpnlbd frr"
timeout=3600
table=$TOP/../shared/data/full-table-ipv4.txt.gz

while [ $# -gt 0 ]; do
	case $1 in
	--prefixes) prefixes=${2:?}; shift ;;
	--systems) systems=${2:?}; shift ;;
	--timeout) timeout=${2:?}; shift ;;
	--table) table=${2:?}; shift ;;
	*) echo "usage: vm_bench.sh [--prefixes N|all] [--systems LIST] [--timeout S] [--table FILE]" >&2
	   exit 2 ;;
	esac
	shift
done

fail() { echo "bench-bgp: $*" >&2; exit 1; }
log() { echo "# $*"; }
now() { date +%s.%N; }
elapsed() { echo "$1 $2" | awk '{ printf "%.2f", $2 - $1 }'; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

[ "$(id -u)" = 0 ] || fail "run as root (in the VM: bench/bgp/run.sh)"
for f in "$VPNLBD" "$VPNLBCTL" "$FEEDER" "$FIB_COUNT"; do
	[ -x "$f" ] || fail "$f is not built (bench/bgp/run.sh builds it)"
done
[ -r "$table" ] || fail "no prefix table at $table"

TMP=$(mktemp -d /tmp/bench-bgp.XXXXXX)
chmod 755 "$TMP"	# FRR runs as user frr
NETNS=()
PIDS=()
cleanup()
{
	local p ns

	for p in "${PIDS[@]}"; do
		kill -9 "$p" 2>/dev/null
	done
	for ns in "${NETNS[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
	done
	NETNS=()
	PIDS=()
}
trap 'cleanup; rm -rf "$TMP"' EXIT

modprobe vrf && modprobe mpls_router && modprobe mpls_iptunnel ||
	fail "cannot load vrf/mpls modules"

if [ "$prefixes" = all ]; then
	zcat "$table" | tr -d '\r' > "$TMP/table.txt"
else
	zcat "$table" | head -n "$prefixes" | tr -d '\r' > "$TMP/table.txt"
fi
N=$(wc -l < "$TMP/table.txt")
PATHS=$((2 * N))
log "prefixes $N (paths $PATHS), kernel $(uname -r), $(nproc) CPUs, $(awk '/MemTotal/ { print int($2 / 1024) " MB" }' /proc/meminfo)"

# topo_create: the PE and the two feeders, links, transport routes, VRF
topo_create()
{
	local tag=$1

	PE=bench-pe-$tag F2=bench-f2-$tag F3=bench-f3-$tag
	for ns in "$PE" "$F2" "$F3"; do
		ip netns add "$ns" || fail "netns $ns"
		NETNS+=("$ns")
		ip -n "$ns" link set lo up
	done
	ip link add v12 netns "$PE" type veth peer name v21 netns "$F2" &&
	ip link add v13 netns "$PE" type veth peer name v31 netns "$F3" &&
	ip -n "$PE" addr add 10.99.12.1/24 dev v12 &&
	ip -n "$PE" addr add 10.99.13.1/24 dev v13 &&
	ip -n "$F2" addr add 10.99.12.2/24 dev v21 &&
	ip -n "$F3" addr add 10.99.13.3/24 dev v31 &&
	ip -n "$F2" addr add 2.2.2.2/32 dev lo &&
	ip -n "$F3" addr add 3.3.3.3/32 dev lo &&
	ip -n "$PE" link set v12 up && ip -n "$PE" link set v13 up &&
	ip -n "$F2" link set v21 up && ip -n "$F3" link set v31 up &&
	ip -n "$PE" route add 2.2.2.2/32 encap mpls 16 via 10.99.12.2 dev v12 &&
	ip -n "$PE" route add 3.3.3.3/32 encap mpls 17 via 10.99.13.3 dev v13 &&
	ip -n "$PE" link add vrf-a type vrf table 10 &&
	ip -n "$PE" link set vrf-a up || fail "topology"
}

# start_feeders: both sessions; they connect (retrying) until the PE answers
start_feeders()
{
	ip netns exec "$F2" "$FEEDER" --peer 10.99.12.1 --local 10.99.12.2 \
		--nexthop 2.2.2.2 --as 100 --router-id 2.2.2.2 --rd 100:2 \
		--rt 111:1 --label 1002 "$TMP/table.txt" > "$TMP/f2.out" 2>&1 &
	PIDS+=($!)
	disown
	ip netns exec "$F3" "$FEEDER" --peer 10.99.13.1 --local 10.99.13.3 \
		--nexthop 3.3.3.3 --as 100 --router-id 3.3.3.3 --rd 100:3 \
		--rt 111:1 --label 1003 "$TMP/table.txt" > "$TMP/f3.out" 2>&1 &
	PIDS+=($!)
	disown
	FEEDER_PIDS="${PIDS[*]: -2}"
}

feeders_alive()
{
	local p

	for p in $FEEDER_PIDS; do
		kill -0 "$p" 2>/dev/null || {
			echo "feeder exited: $(cat "$TMP/f2.out" "$TMP/f3.out")" >&2
			return 1
		}
	done
}

# first_update: the earlier of the two feeders' first UPDATE times
first_update()
{
	awk '$1 == "first-update" { print $2 }' "$TMP/f2.out" "$TMP/f3.out" |
		sort -n | head -n1
}

# wait_done SYSTEM CHECK: polls CHECK (prints "ROUTES TWO_PATH GROUPS")
# until TWO_PATH reaches N; sets T_ROUTES (all prefixes in), T_DONE, NGROUPS
wait_done()
{
	local what=$1 check=$2 start out routes two groups t

	start=$(date +%s)
	T_ROUTES=
	while :; do
		out=$($check) || out="0 0 0"
		t=$(now)
		read -r routes two groups <<< "$out"
		[ -z "$T_ROUTES" ] && [ "${routes:-0}" -ge "$N" ] && T_ROUTES=$t
		if [ "${two:-0}" -ge "$N" ]; then
			T_DONE=$t
			: "${T_ROUTES:=$t}"
			NGROUPS=$groups
			return 0
		fi
		feeders_alive || return 1
		if [ $(($(date +%s) - start)) -ge "$timeout" ]; then
			echo "bench-bgp: $what: timed out after ${timeout}s: routes $routes two-path $two of $N" >&2
			return 1
		fi
		sleep "${POLL:-0.5}"
	done
}

# --- vpnlbd + vpnlb.ko -------------------------------------------------------

# routes in the instance, routes on two-member groups, groups in use; one
# vpnlbctl run with text output keeps the poll light
vpnlbd_fib_state()
{
	ip netns exec "$PE" "$VPNLBCTL" -b "$HERE/vpnlbd-poll.batch" | awk '
		function group_end() { if (m >= 2) { two += u; g++ } m = 0; u = 0 }
		/max-paths/ { for (i = 1; i < NF; i++) if ($i == "routes") r = $(i + 1); next }
		$1 ~ /^[0-9]+$/ && $2 == "instance" {
			group_end()
			for (i = 1; i < NF; i++) if ($i == "users") u = $(i + 1)
		}
		{ for (i = 1; i <= NF; i++) if ($i == "member") m++ }
		END { group_end(); printf "%d %d %d\n", r, two, g }'
}

run_vpnlbd()
{
	local pid rss0 rss1 t0 i

	[ -f "$KO" ] || fail "vpnlb.ko not found at $KO (selftests/vm/build-module.sh)"
	[ -d /sys/module/vpnlb ] || insmod "$KO" || fail "cannot load $KO"
	topo_create v
	cat > "$TMP/vpnlbd.conf" <<-CONF
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
	 peer 10.99.13.3 as-number 100
	 #
	 ipv4-family vpnv4
	  peer 10.99.12.2 enable
	  peer 10.99.13.3 enable
	 #
	 ipv4-family vpn-instance vpna
	  maximum load-balancing 2
	#
	return
	CONF
	ip netns exec "$PE" "$VPNLBD" -f -c "$TMP/vpnlbd.conf" \
		-s "$TMP/vpnlbd.sock" -l notice 2> "$TMP/vpnlbd.log" &
	pid=$!
	PIDS+=("$pid")
	disown
	for ((i = 0; i < 300; i++)); do
		ip netns exec "$PE" "$VPNLBCTL" instance show vpna > /dev/null 2>&1 &&
			break
		sleep 0.1
	done
	ip netns exec "$PE" "$VPNLBCTL" instance show vpna > /dev/null 2>&1 ||
		fail "vpnlbd did not create instance vpna: $(cat "$TMP/vpnlbd.log")"
	rss0=$(rss_kb "$pid")
	start_feeders
	POLL=0.3 wait_done vpnlbd vpnlbd_fib_state ||
		fail "vpnlbd did not install the feed: $(tail -n 20 "$TMP/vpnlbd.log")"
	rss1=$(rss_kb "$pid")
	t0=$(first_update)
	V_SECS=$(elapsed "$t0" "$T_DONE")
	V_ROUTES_SECS=$(elapsed "$t0" "$T_ROUTES")
	V_GROUPS=$NGROUPS
	V_RSS=$(((rss1 - rss0) * 1024))
	V_BPP=$((V_RSS / PATHS))
	log "vpnlbd: $N prefixes in the FIB after ${V_ROUTES_SECS}s, all with 2 paths after ${V_SECS}s, $V_GROUPS multipath group(s)"
	log "vpnlbd: RSS $((rss0 / 1024)) MB -> $((rss1 / 1024)) MB: $V_BPP bytes per path"
	log "vpnlbd: $(ip netns exec "$PE" "$VPNLBCTL" route get vpna "$(head -n1 "$TMP/table.txt" | cut -d/ -f1)" 2>&1 | head -n1)"
	cleanup
	rmmod vpnlb 2>/dev/null
}

# --- FRR bgpd + zebra, Linux VRF ---------------------------------------------

# The kernel's own count of table 10 (cheap) until every prefix is there,
# then a full netlink dump to count the two-path routes.
frr_fib_state()
{
	local routes

	routes=$(ip netns exec "$PE" awk '
		$1 == "Id" && $2 == "10:" { t = 1; next }
		/^[A-Z]/ { t = 0 }
		t && $1 == "Prefixes:" { print $2 }' /proc/net/fib_triestat)
	if [ "${routes:-0}" -lt "$N" ]; then
		echo "${routes:-0} 0 0"
		return
	fi
	ip netns exec "$PE" "$FIB_COUNT" 10 2 | awk '{ print $2, $4, $6 }'
}

run_frr()
{
	local zpid bpid rss0 rss1 t0 i

	[ -x "$FRR_DIR/zebra" ] && [ -x "$FRR_DIR/bgpd" ] ||
		fail "FRR is not installed (apt-get install frr)"
	topo_create f
	mkdir -p "$TMP/frr"
	chmod 777 "$TMP/frr"
	cat > "$TMP/frr/zebra.conf" <<-CONF
	hostname pe
	CONF
	cat > "$TMP/frr/bgpd.conf" <<-CONF
	hostname pe
	router bgp 100
	 bgp router-id 1.1.1.1
	 no bgp default ipv4-unicast
	 neighbor 10.99.12.2 remote-as 100
	 neighbor 10.99.13.3 remote-as 100
	 address-family ipv4 vpn
	  neighbor 10.99.12.2 activate
	  neighbor 10.99.13.3 activate
	 exit-address-family
	!
	router bgp 100 vrf vrf-a
	 bgp router-id 1.1.1.1
	 address-family ipv4 unicast
	  maximum-paths ibgp 2
	  rd vpn export 100:1
	  rt vpn both 111:1
	  label vpn export auto
	  import vpn
	  export vpn
	 exit-address-family
	!
	CONF
	ip netns exec "$PE" "$FRR_DIR/zebra" -d \
		-f "$TMP/frr/zebra.conf" -i "$TMP/frr/zebra.pid" \
		-z "$TMP/frr/zserv.api" --vty_socket "$TMP/frr" \
		-s 134217728 --log "file:$TMP/frr/zebra.log" ||
		fail "zebra did not start"
	for ((i = 0; i < 100; i++)); do
		[ -S "$TMP/frr/zserv.api" ] && break
		sleep 0.1
	done
	ip netns exec "$PE" "$FRR_DIR/bgpd" -d \
		-f "$TMP/frr/bgpd.conf" -i "$TMP/frr/bgpd.pid" \
		-z "$TMP/frr/zserv.api" --vty_socket "$TMP/frr" \
		--log "file:$TMP/frr/bgpd.log" || fail "bgpd did not start"
	zpid=$(cat "$TMP/frr/zebra.pid") bpid=$(cat "$TMP/frr/bgpd.pid")
	PIDS+=("$zpid" "$bpid")
	sleep 2
	rss0=$(($(rss_kb "$zpid") + $(rss_kb "$bpid")))
	start_feeders
	POLL=1 wait_done frr frr_fib_state ||
		fail "FRR did not install the feed: $(tail -n 20 "$TMP/frr/bgpd.log")"
	rss1=$(($(rss_kb "$zpid") + $(rss_kb "$bpid")))
	t0=$(first_update)
	F_SECS=$(elapsed "$t0" "$T_DONE")
	F_ROUTES_SECS=$(elapsed "$t0" "$T_ROUTES")
	F_GROUPS=$NGROUPS
	F_RSS=$(((rss1 - rss0) * 1024))
	F_BPP=$((F_RSS / PATHS))
	log "frr: $N prefixes in table 10 after ${F_ROUTES_SECS}s, all with 2 paths after ${F_SECS}s, $F_GROUPS nexthop object(s)"
	log "frr: bgpd + zebra RSS $((rss0 / 1024)) MB -> $((rss1 / 1024)) MB: $F_BPP bytes per path"
	log "frr: $(ip -n "$PE" route show table 10 "$(head -n1 "$TMP/table.txt")" | tr '\n' ' ')"
	cleanup
}

V_SECS='' F_SECS=''
for s in $systems; do
	case $s in
	vpnlbd) run_vpnlbd ;;
	frr) run_frr ;;
	*) fail "unknown system '$s'" ;;
	esac
done

echo "system   prefixes  paths    install_s  all_prefixes_s  groups  rss_bytes_per_path"
[ -n "$V_SECS" ] && printf 'vpnlbd   %-9s %-8s %-10s %-15s %-7s %s\n' \
	"$N" "$PATHS" "$V_SECS" "$V_ROUTES_SECS" "$V_GROUPS" "$V_BPP"
[ -n "$F_SECS" ] && printf 'frr      %-9s %-8s %-10s %-15s %-7s %s\n' \
	"$N" "$PATHS" "$F_SECS" "$F_ROUTES_SECS" "$F_GROUPS" "$F_BPP"
if [ -n "$V_SECS" ] && [ -n "$F_SECS" ]; then
	awk -v v="$V_SECS" -v f="$F_SECS" -v vb="$V_BPP" -v fb="$F_BPP" 'BEGIN {
		printf "ratio: vpnlbd %.1fx faster than FRR (target >= 5x); ", f / v
		printf "%d bytes per path, %.2fx FRR'\''s memory (target <= 200 bytes)\n",
			vb, (fb > 0 ? vb / fb : 0)
	}'
fi
exit 0
