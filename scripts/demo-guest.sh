#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The demo, inside the VM: the seed end to end. PE2 and PE3 run FRR bgpd and
# advertise CE2's 10.9.0.0/16 as VPNv4 routes; PE1 runs vpnlbd. PE1's
# operator configures the VPN with vpnlbctl, types the seed's "maximum
# load-balancing 2" while CE1 sends traffic to CE2, and checks the result
# with "display ip routing-table vpn-instance". Topology:
# selftests/bgp_vpn_topo.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source selftests/lib.sh > /dev/null	# its KTAP header is for tests
source selftests/topo.sh
source selftests/bgp_vpn_topo.sh

FLOWS=2000

step() { printf '\n=== %s\n' "$*"; }

# pe1 ARG...: a vpnlbctl command on PE1, shown as the operator types it
pe1()
{
	echo "<PE1> vpnlbctl $*"
	ip netns exec "$PE1" "$VPNLBCTL" -S "$VPNLBD_SOCK" "$@"
}

# configure: a configuration session, its lines read from stdin and shown
configure()
{
	local conf

	conf=$(cat)
	echo "<PE1> vpnlbctl system-view"
	printf '%s\n' "$conf" | sed 's/^/        /'
	"$VPNLBCTL" -S "$VPNLBD_SOCK" system-view <(printf '%s\n' "$conf")
}

# paths N: wait until the display shows N active next hops for 10.9.1.1
paths()
{
	wait_for 60 "Routes : $1$" \
		ip netns exec "$PE1" "$VPNLBCTL" display ip routing-table \
		vpn-instance vpna 10.9.1.1
}

traffic()
{
	local n2 n3 s

	read -r n2 n3 s < <(bgp_vpn_count_flows $FLOWS)
	echo "CE1 sent $FLOWS flows to 10.9.1.1; CE2 received $n2 from PE2" \
		"and $n3 from PE3"
}

vpnlb_load
bgp_vpn_topo_create vpnlb-demo
for k in $BGP_VPN_PES; do
	bgp_vpn_frr_start "$k"
done
bgp_vpn_vpnlbd_start

step "The VPN: CE1 - PE1 - {PE2, PE3} - CE2"
cat <<'TEXT'
PE2 and PE3 run FRR bgpd and advertise CE2's 10.9.0.0/16 as VPNv4 routes:
RD 100:2 label 1002 and RD 100:3 label 1003, both with RT 111:1.
PE1 runs vpnlbd; it reaches PE2 and PE3 over LSPs (labels 102 and 103).
TEXT
step "PE1: vpn-instance vpna on VRF vrf-a, iBGP VPNv4 peers PE2 and PE3"
configure < <(bgp_vpn_pe_config)
paths 1
pe1 display bgp peer
pe1 display ip routing-table vpn-instance vpna 10.9.1.1
traffic

step "The seed: maximum load-balancing 2"
configure < <(bgp_vpn_seed)
paths 2
traffic

step "The check: two next hops, and the packets each took (PE2's count includes the first $FLOWS)"
pe1 -s display ip routing-table vpn-instance vpna 10.9.1.1 verbose
