#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make bench-bgp: builds what the BGP scale benchmark needs on the host and
# runs bench/bgp/vm_bench.sh in a VM (vpnlb.ko and a Linux VRF need the
# 6.12 kernel; the host cannot load modules).
#
# Environment:
#   BENCH_BGP_PREFIXES  first N prefixes of the table (default 100000), or
#                       "all" for the whole 901,899-prefix table
#   BENCH_BGP_SYSTEMS   which to run, in order (default "vpnlbd frr")
#   BENCH_BGP_TIMEOUT   seconds each system may take (default 3600)
#   BENCH_BGP_MEM       VM memory in MB (default 3072; 10240 with "all")
#   BENCH_BGP_KERNEL    VM kernel (default 6.12)
#   BENCH_BGP_VM_ARGS   more run-vm.sh options (e.g. --kvm)
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

prefixes=${BENCH_BGP_PREFIXES:-100000}
systems=${BENCH_BGP_SYSTEMS:-vpnlbd frr}
timeout=${BENCH_BGP_TIMEOUT:-3600}
kernel=${BENCH_BGP_KERNEL:-6.12}
if [ "$prefixes" = all ]; then
	mem=${BENCH_BGP_MEM:-10240}
else
	mem=${BENCH_BGP_MEM:-3072}
fi
case $prefixes in
all|[1-9]*) ;;
*) echo "bench-bgp: BENCH_BGP_PREFIXES must be a number or 'all'" >&2; exit 2 ;;
esac

make -C userspace/vpnlbd vpnlbd
make -C userspace/vpnlbctl
make -C bench/bgp
selftests/vm/build-module.sh "$kernel"
make -C userspace/vpnlbd build/rib-bench

# The agent's own accounting of its memory: the same RIB, selection and
# kernel-object code fed the same paths in-process (heap by mallinfo2).
table=$top/../shared/data/full-table-ipv4.txt.gz
echo "# vpnlbd data structures (rib-bench, in-process heap accounting):"
# shellcheck disable=SC2046
{ zcat "$table" 2>/dev/null || true; } | userspace/vpnlbd/build/rib-bench \
	$([ "$prefixes" = all ] || echo "$prefixes") | sed 's/^/#   /'

# each system gets the timeout, plus boot and table preparation
vm_timeout=$((timeout * 2 + 600))
# shellcheck disable=SC2086
exec selftests/vm/run-vm.sh --kernel "$kernel" --mem "$mem" \
	--timeout "$vm_timeout" ${BENCH_BGP_VM_ARGS:-} -- \
	bench/bgp/vm_bench.sh --prefixes "$prefixes" --systems "$systems" \
	--timeout "$timeout"
