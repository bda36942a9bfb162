#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the vpnlb selftests on the running kernel, as root, and print one KTAP
# document whose cases are the test scripts (their own KTAP output nested,
# indented by four spaces). Meant to run inside the test VM:
#
#	selftests/vm/build-module.sh 6.12
#	selftests/vm/run-vm.sh --kernel 6.12 -- selftests/run.sh [TEST...]
#
# TEST is a script name (vpnlb_lifecycle.sh, vpnlb_lifecycle or a path);
# default: every selftests/vpnlb_*.sh. A test fails when it exits non-zero
# (4 = skip), runs longer than KSFT_TIMEOUT seconds (default 900), or the
# kernel logs a report during it (selftests/vm/kernel-report-patterns).
# kmemleak: run-vm.sh scans once after the whole run (a scan takes ~13 s
# under TCG); KSFT_KMEMLEAK_EACH=1 also scans after each test, to tell which
# test leaked. Exit status: 1 if any test failed, 4 if all were skipped,
# else 0.
# Braces: bash reads the whole script before running it, so editing the
# file while it runs cannot change what runs.
{
set -u

dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
patterns=$dir/vm/kernel-report-patterns
kmemleak=/sys/kernel/debug/kmemleak
timeout=${KSFT_TIMEOUT:-900}

tests=()
if [ $# -eq 0 ]; then
	for t in "$dir"/vpnlb_*.sh; do
		[ -e "$t" ] && tests+=("$t")
	done
else
	for t in "$@"; do
		case $t in
		*/*) ;;
		*.sh) t=$dir/$t ;;
		*) t=$dir/$t.sh ;;
		esac
		tests+=("$t")
	done
fi

echo "KTAP version 1"
echo "# kernel $(uname -r), $(nproc) CPUs"
echo "1..${#tests[@]}"

npass=0
nfail=0
nskip=0
num=0
for t in "${tests[@]}"; do
	num=$((num + 1))
	name=$(basename "$t")
	if [ ! -f "$t" ]; then
		echo "# $name: no such test"
		echo "not ok $num $name"
		nfail=$((nfail + 1))
		continue
	fi
	echo "# selftests: vpnlb: $name"
	before=$(dmesg | wc -l)
	start=$(date +%s)
	timeout --foreground -k 10 "$timeout" bash "$t" 2>&1 | sed -u 's/^/    /'
	rc=${PIPESTATUS[0]}
	echo "# $name: exit status $rc, $(( $(date +%s) - start ))s"
	[ "$rc" = 124 ] && echo "# $name: timed out after ${timeout}s"

	report=$(dmesg | tail -n +$((before + 1)) | grep -E -A 30 -f "$patterns")
	if [ "${KSFT_KMEMLEAK_EACH:-0}" = 1 ] && [ -w "$kmemleak" ]; then
		# kmemleak ignores objects younger than 5 s.
		sleep 6
		echo scan > "$kmemleak"
		leaks=$(cat "$kmemleak")
		echo clear > "$kmemleak"
		[ -n "$leaks" ] && report="$report${report:+$'\n'}$leaks"
	fi
	if [ -n "$report" ]; then
		echo "# $name: the kernel reported problems:"
		printf '%s\n' "$report" | sed 's/^/# /'
		rc=1
	fi

	case $rc in
	0) echo "ok $num $name"; npass=$((npass + 1)) ;;
	4) echo "ok $num $name # SKIP"; nskip=$((nskip + 1)) ;;
	*) echo "not ok $num $name"; nfail=$((nfail + 1)) ;;
	esac
done

echo "# Totals: pass:$npass fail:$nfail xfail:0 xpass:0 skip:$nskip error:0"
[ "$nfail" -gt 0 ] && exit 1
[ "$npass" = 0 ] && [ "$nskip" -gt 0 ] && exit 4
exit 0
exit
}
