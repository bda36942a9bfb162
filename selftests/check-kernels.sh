#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build vpnlb.ko for each kernel and run the selftests on it in a VM.
#
# usage: check-kernels.sh [KERNEL...]      (default: 6.12 6.1 debug)
#
# KERNEL is anything selftests/vm/run-vm.sh --kernel accepts. KSFT_TESTS
# (space separated) limits the tests, as run.sh's arguments; VPNLB_VM_ARGS
# adds run-vm.sh options (e.g. "--kvm"); VPNLB_VM_TIMEOUT bounds each VM run
# (default 3600 s; run.sh bounds each test by KSFT_TIMEOUT, default 900 s).
# Prints the VM output (run.sh's KTAP: one line per test), a line per
# kernel, and as the last line
#	N passed, N failed[, N skipped]
# counted over kernels x tests. A kernel whose module does not build or
# whose VM never reaches the tests counts every test as failed; a kernel
# report after the last test counts as one more failure. Exit 1 on any
# failure.
# Braces: bash reads the whole script before running it, so editing the
# file while it runs cannot change what runs.
{
set -u

dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kernels=("$@")
[ ${#kernels[@]} -eq 0 ] && kernels=(6.12 6.1 debug)
read -r -a tests <<< "${KSFT_TESTS:-}"
if [ ${#tests[@]} -eq 0 ]; then
	for t in "$dir"/vpnlb_*.sh; do
		[ -e "$t" ] && tests+=("$(basename "$t")")
	done
fi
read -r -a vm_args <<< "${VPNLB_VM_ARGS:-}"

total_pass=0
total_fail=0
total_skip=0
summary=()
log=$(mktemp)
trap 'rm -f "$log"' EXIT

for k in "${kernels[@]}"; do
	pass=0 fail=0 skip=0 note=
	echo "=== kernel $k: building vpnlb.ko"
	if ! "$dir/vm/build-module.sh" "$k"; then
		fail=${#tests[@]}
		note="module build failed"
	else
		echo "=== kernel $k: running ${#tests[@]} selftests in the VM"
		"$dir/vm/run-vm.sh" --kernel "$k" \
			--timeout "${VPNLB_VM_TIMEOUT:-3600}" "${vm_args[@]}" -- \
			"$dir/run.sh" "${tests[@]}" 2>&1 | tee "$log"
		rc=${PIPESTATUS[0]}
		# Only the top-level KTAP lines of run.sh (not indented).
		pass=$(grep -cE '^ok [0-9]+ [^#]*$' "$log")
		skip=$(grep -cE '^ok [0-9]+ .*# SKIP' "$log")
		fail=$(grep -cE '^not ok [0-9]+ ' "$log")
		missing=$(( ${#tests[@]} - pass - skip - fail ))
		times=$(sed -n 's/^run-vm: kernel .*: \(booted in .*\), exit status.*/\1/p' "$log" | tail -n1)
		if [ "$rc" = 125 ]; then
			note="VM never reached the tests"
		elif [ "$rc" != 0 ] && [ "$fail" = 0 ] && [ "$missing" = 0 ]; then
			note="run-vm exit status $rc (kernel report after the tests?)"
			fail=$((fail + 1))
		else
			note=$times
		fi
		if [ "$missing" -gt 0 ]; then
			fail=$((fail + missing))
			note="$note; $missing tests did not report"
		fi
	fi
	summary+=("kernel $k: $pass passed, $fail failed, $skip skipped${note:+ ($note)}")
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	total_skip=$((total_skip + skip))
done

echo "=== summary"
printf '%s\n' "${summary[@]}"
line="$total_pass passed, $total_fail failed"
[ "$total_skip" -gt 0 ] && line="$line, $total_skip skipped"
echo "$line"
[ "$total_fail" = 0 ]
exit
}
