#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make demo: builds vpnlb.ko, vpnlbctl and vpnlbd, boots Debian's 6.12 kernel
# in qemu and runs scripts/demo-guest.sh there: the seed end to end, a
# CE1 - PE1 - {PE2, PE3} - CE2 VPN where PE2 and PE3 run FRR bgpd, PE1 runs
# vpnlbd, and "maximum load-balancing 2" spreads CE1's traffic over both.
#   scripts/demo.sh [--kernel 6.12|6.1|debug] [--kvm]
set -euo pipefail
cd "$(dirname "$0")/.."

vmargs=()
kernel=6.12
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=${2:?}; shift ;;
	--kvm) vmargs+=(--kvm) ;;
	*) echo "usage: $0 [--kernel 6.12|6.1|debug] [--kvm]" >&2; exit 2 ;;
	esac
	shift
done

scripts/deps.sh demo
[ -x /usr/lib/frr/bgpd ] || {
	echo "demo: FRR's bgpd is missing (apt-get install frr)" >&2
	exit 1
}
make -s -C userspace/vpnlbctl all
make -s -C userspace/vpnlbd all
selftests/vm/build-module.sh "$kernel" > build/demo-module.log 2>&1 || {
	cat build/demo-module.log
	exit 1
}
exec selftests/vm/run-vm.sh --kernel "$kernel" "${vmargs[@]}" -- scripts/demo-guest.sh
