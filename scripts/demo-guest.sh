#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The demo, inside the VM: the PE1 operator raises vpna's "maximum
# load-balancing" from 1 to 3 while CE1 sends traffic to CE2, and checks the
# result with "display ip routing-table vpn-instance".
set -euo pipefail
cd "$(dirname "$0")/.."
source selftests/lib.sh
source selftests/topo.sh

step() { printf '\n=== %s\n' "$*"; }
pe1() { echo "<PE1> vpnlbctl $*"; vpnlbctl -n "$PE1" "$@"; }

vpnlb_load
topo_create
step "PE1: vpn-instance vpna on vrf-a; CE2's 10.9.0.0/16 behind PE2, PE3 and PE4 (weights 1:1:1)"
topo_vpnlb_setup max-paths 1 weights 1:1:1
pe1 display ip routing-table vpn-instance vpna

step "maximum load-balancing 1: 3000 flows from CE1 all take one path"
read -r a b c s < <(topo_count_delta topo_send_flows 3000)
echo "packets on PE1's links to PE2 / PE3 / PE4: $a / $b / $c; delivered to CE2: $s"

step "maximum load-balancing 3"
pe1 instance change vpna max-paths 3
read -r a b c s < <(topo_count_delta topo_send_flows 3000)
echo "packets on PE1's links to PE2 / PE3 / PE4: $a / $b / $c; delivered to CE2: $s"

step "the operator's check: more than one next hop means it works"
pe1 display ip routing-table vpn-instance vpna 10.9.1.1
pe1 -s display ip routing-table vpn-instance vpna 10.9.1.1 verbose
