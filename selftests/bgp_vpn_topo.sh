# SPDX-License-Identifier: GPL-2.0-or-later
#
# The seed end to end (bash; source it after lib.sh): topo.sh's data-plane
# topology with BGP on top.
#
#                                  +-- PE2 (FRR bgpd, 2.2.2.2) --+
#   CE1 --- PE1 [vpnlbd, vrf-a] ---+                             +-- CE2
#                                  +-- PE3 (FRR bgpd, 3.3.3.3) --+
#
# PEK (K = 2, 3) advertises CE2's 10.9.0.0/16 as VPNv4: RD 100:K, RT 111:1,
# VPN label 1000+K (the label its mpls_router pops into vrf-x), next hop
# K.K.K.K (its loopback: the iBGP session runs from there). PE1 reaches K.K.K.K
# through an LSP, "ip route K.K.K.K/32 encap mpls 100+K via 10.0.K.2", whose
# label PEK pops: vpnlbd resolves the next hop to that route, so every path
# carries [100+K][1000+K]. PE4 stays out of BGP.
#
# The BGP sessions share PE1's core links with the VPN traffic, so paths are
# counted where only VPN traffic goes: CE2's links from PE2 and PE3 (their
# neighbours are static, so not even ARP crosses them).
#
#   bgp_vpn_topo_create TMPNAME  topo_create, then $TMP (a temp dir, removed
#                                at exit), the loopbacks and LSPs, static
#                                CE2-side neighbours
#   bgp_vpn_frr_start K          FRR bgpd on PEK (config $TMP/pe$K/bgpd.conf,
#                                vty socket dir $TMP/pe$K)
#   bgp_vpn_frr PE K VTYSH-ARG...
#                                vtysh on PEK
#   bgp_vpn_vpnlbd_start         vpnlbd on PE1 (config $TMP/vpnlbd.conf,
#                                socket $VPNLBD_SOCK = $SOCK, so vpnlbd_ctl
#                                of lib_vpnlbd.sh talks to it, log
#                                $TMP/vpnlbd.log); pid in $VPNLBD_PID
#   bgp_vpn_pe_config            PE1's vpn-instance vpna, its two VPNv4
#                                peers and vpna's BGP address family, then
#                                commit (system-view input, as an operator
#                                types it)
#   bgp_vpn_seed                 the seed's steps: maximum load-balancing 2
#                                in vpna, then commit
#   bgp_vpn_seed_config          both
#   bgp_vpn_counts               "N2 N3 S": packets CE2 got from PE2 and
#                                PE3, and delivered to its sink
#   bgp_vpn_settle               wait until those stop changing
#   bgp_vpn_count_flows N        send N flows of one packet from CE1, print
#                                the deltas of bgp_vpn_counts

BGP_VPN_PES="2 3"
BGP_VPN_PREFIX=10.9.0.0/16
BGPD=${BGPD:-/usr/lib/frr/bgpd}
. "$KSFT_TOP/selftests/lib_vpnlbd.sh"
VPNLBD_SOCK=
VPNLBD_PID=

bgp_vpn_topo_create()
{
	local k pe mac

	TMP=$(mktemp -d "/tmp/$1.XXXXXX") || return 1
	chmod 755 "$TMP"
	ksft_defer rm -rf "$TMP"
	VPNLBD_SOCK=$TMP/vpnlbd.sock
	SOCK=$VPNLBD_SOCK
	topo_create || return 1
	for k in $BGP_VPN_PES; do
		pe=$(topo_pe_ns "$k")
		# whatever still runs in a namespace dies with it
		ksft_defer eval "ip netns pids $pe | xargs -r kill -9"
		ip -n "$PE1" route add $k.$k.$k.$k/32 encap mpls \
			"$(topo_transport_label "$k")" via 10.0.$k.2 \
			dev to-pe$k || return 1
		mac=$(ip netns exec "$CE2" cat /sys/class/net/to-pe$k/address) &&
		ip -n "$pe" neigh replace 10.2.$k.2 lladdr "$mac" \
			dev to-ce2 nud permanent || return 1
		mkdir -p "$TMP/pe$k" || return 1
	done
	ksft_defer eval "ip netns pids $PE1 | xargs -r kill -9"
}

# __bgp_vpn_frr_conf K: PEK's bgpd.conf
__bgp_vpn_frr_conf()
{
	local k=$1

	cat <<CONF
hostname pe$k
route-map RT permit 10
 set extcommunity rt 111:1
!
router bgp 100
 bgp router-id $k.$k.$k.$k
 no bgp default ipv4-unicast
 neighbor 10.0.$k.1 remote-as 100
 neighbor 10.0.$k.1 update-source $k.$k.$k.$k
 neighbor 10.0.$k.1 timers connect 1
 address-family ipv4 vpn
  neighbor 10.0.$k.1 activate
  network $BGP_VPN_PREFIX rd 100:$k label $(topo_vpn_label "$k") route-map RT
 exit-address-family
!
CONF
}

bgp_vpn_frr_start()
{
	local k=$1 dir=$TMP/pe$1

	__bgp_vpn_frr_conf "$k" > "$dir/bgpd.conf" &&
	ip netns exec "$(topo_pe_ns "$k")" "$BGPD" -f "$dir/bgpd.conf" \
		-i "$dir/bgpd.pid" -z "$dir/zserv" --vty_socket "$dir" \
		-Z -S -P 0 -d --log "file:$dir/bgpd.log" > /dev/null 2>&1
}

bgp_vpn_frr()
{
	local k=$1

	shift
	timeout 20 ip netns exec "$(topo_pe_ns "$k")" vtysh --vty_socket "$TMP/pe$k" "$@"
}

bgp_vpn_vpnlbd_start()
{
	vpnlbd_start "$PE1" "$VPNLBD_SOCK" "$TMP/vpnlbd.log" \
		-c "$TMP/vpnlbd.conf"
}

bgp_vpn_pe_config()
{
	local k

	cat <<CONF
ip vpn-instance vpna
 ipv4-family
  route-distinguisher 100:1
  vpn-target 111:1 both
 vrf vrf-a
 load-balance flow
bgp 100
 router-id 1.1.1.1
CONF
	for k in $BGP_VPN_PES; do
		echo " peer $k.$k.$k.$k as-number 100"
	done
	echo " ipv4-family vpnv4"
	for k in $BGP_VPN_PES; do
		echo "  peer $k.$k.$k.$k enable"
	done
	echo " ipv4-family vpn-instance vpna"
	echo "commit"
}

bgp_vpn_seed()
{
	cat <<CONF
bgp 100
 ipv4-family vpn-instance vpna
  maximum load-balancing 2
commit
CONF
}

bgp_vpn_seed_config()
{
	bgp_vpn_pe_config
	bgp_vpn_seed
}

bgp_vpn_counts()
{
	ip netns exec "$CE2" cat /sys/class/net/to-pe2/statistics/rx_packets \
		/sys/class/net/to-pe3/statistics/rx_packets \
		/sys/class/net/sink/statistics/tx_packets | paste -sd' '
}

# Forwarding may finish in ksoftirqd after the sender returns.
bgp_vpn_settle()
{
	local prev now i

	prev=$(bgp_vpn_counts)
	for ((i = 0; i < 50; i++)); do
		sleep 0.2
		now=$(bgp_vpn_counts)
		[ "$now" = "$prev" ] && return 0
		prev=$now
	done
	return 1
}

bgp_vpn_count_flows()
{
	local before after

	before=($(bgp_vpn_counts))
	topo_send_flows "$1" > /dev/null || return 1
	bgp_vpn_settle
	after=($(bgp_vpn_counts))
	echo $((after[0] - before[0])) $((after[1] - before[1])) \
		$((after[2] - before[2]))
}
