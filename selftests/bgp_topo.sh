# SPDX-License-Identifier: GPL-2.0
#
# The BGP test topology (bash; source it after lib.sh):
#
#   PE2 (10.99.12.2) --- v21/v12 --- PE1 --- v13/v31 --- PE3 (10.99.13.3)
#                        10.99.12.1      10.99.13.1
#
# PE1 runs vpnlbd (or bgp-probe); PE2 and PE3 are remote PEs, AS 100.
#
#   bgp_topo_create TMPNAME   make $TMP (a temp dir, mode 755, removed at
#                             exit) and the namespaces $PE1 $PE2 $PE3 with
#                             their links; whatever still runs in them is
#                             killed at exit
#   bgp_topo_frr_conf FILE    FRR bgpd config for PE2: router-id 2.2.2.2,
#                             iBGP VPNv4 to PE1, 10.1.0.0/16 (label 1002)
#                             and 10.7.7.0/24 (label 1007) in RD 100:2, RT
#                             111:1

bgp_topo_create()
{
	local ns

	TMP=$(mktemp -d "/tmp/$1.XXXXXX") || ksft_exit_fail "mktemp"
	chmod 755 "$TMP"
	ksft_defer rm -rf "$TMP"
	netns_create PE1 PE2 PE3 || ksft_exit_fail "netns"
	for ns in "$PE1" "$PE2" "$PE3"; do
		ksft_defer eval "ip netns pids $ns | xargs -r kill -9"
	done
	ip link add v12 netns "$PE1" type veth peer name v21 netns "$PE2" &&
	ip link add v13 netns "$PE1" type veth peer name v31 netns "$PE3" &&
	ip -n "$PE1" addr add 10.99.12.1/24 dev v12 &&
	ip -n "$PE1" addr add 10.99.13.1/24 dev v13 &&
	ip -n "$PE2" addr add 10.99.12.2/24 dev v21 &&
	ip -n "$PE3" addr add 10.99.13.3/24 dev v31 &&
	ip -n "$PE1" link set v12 up &&
	ip -n "$PE1" link set v13 up &&
	ip -n "$PE2" link set v21 up &&
	ip -n "$PE3" link set v31 up || ksft_exit_fail "links"
}

bgp_topo_frr_conf()
{
	cat > "$1" <<CONF
hostname pe2
route-map RT permit 10
 set extcommunity rt 111:1
!
router bgp 100
 bgp router-id 2.2.2.2
 no bgp default ipv4-unicast
 neighbor 10.99.12.1 remote-as 100
 neighbor 10.99.12.1 timers connect 2
 address-family ipv4 vpn
  neighbor 10.99.12.1 activate
  network 10.1.0.0/16 rd 100:2 label 1002 route-map RT
  network 10.7.7.0/24 rd 100:2 label 1007 route-map RT
 exit-address-family
!
CONF
}

# bgp_topo_lan TMPNAME VAR:HOST...
#                           make $TMP like bgp_topo_create, and one LAN,
#                           10.99.20.0/24, on a bridge in namespace $LAN:
#                           for each VAR a namespace $VAR whose lan0 has
#                           10.99.20.HOST/24; whatever runs in them is
#                           killed at exit
bgp_topo_lan()
{
	local spec var host

	TMP=$(mktemp -d "/tmp/$1.XXXXXX") || ksft_exit_fail "mktemp"
	chmod 755 "$TMP"
	ksft_defer rm -rf "$TMP"
	shift
	netns_create LAN || ksft_exit_fail "netns"
	ip -n "$LAN" link add br0 type bridge &&
	ip -n "$LAN" link set br0 up || ksft_exit_fail "bridge"
	for spec in "$@"; do
		var=${spec%%:*}
		host=${spec#*:}
		netns_create "$var" || ksft_exit_fail "netns"
		ksft_defer eval "ip netns pids ${!var} | xargs -r kill -9"
		ip link add lan0 netns "${!var}" type veth peer name "port$host" \
			netns "$LAN" &&
		ip -n "$LAN" link set "port$host" master br0 up &&
		ip -n "${!var}" addr add "10.99.20.$host/24" dev lan0 &&
		ip -n "${!var}" link set lan0 up || ksft_exit_fail "LAN port $var"
	done
}
