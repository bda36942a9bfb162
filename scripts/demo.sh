#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make demo: builds vpnlb.ko and vpnlbctl, boots Debian's 6.12 kernel in qemu
# and runs scripts/demo-guest.sh there: a CE1 - PE1 - {PE2, PE3, PE4} - CE2
# topology where PE1's VPN traffic is spread over the three remote PEs.
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
make -s -C userspace/vpnlbctl all
selftests/vm/build-module.sh "$kernel" > build/demo-module.log 2>&1 || {
	cat build/demo-module.log
	exit 1
}
exec selftests/vm/run-vm.sh --kernel "$kernel" "${vmargs[@]}" -- scripts/demo-guest.sh
