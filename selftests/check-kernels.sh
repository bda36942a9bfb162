#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build vpnlb.ko for each kernel and run the selftests on it in a VM.
#
# usage: check-kernels.sh [KERNEL...]      (default: debug 6.12 6.1)
#
# KERNEL is anything selftests/vm/run-vm.sh --kernel accepts. KSFT_TESTS
# (space separated) limits the tests, as run.sh's arguments; VPNLB_VM_ARGS
# adds run-vm.sh options (e.g. "--kvm"); VPNLB_LANES kernels run at once
# (default 2); VPNLB_DEBUG_SKIP names tests not run on the debug kernel
# (default none); VPNLB_VM_TIMEOUT bounds each VM run
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
# the longest lane first, so the others run beside it
[ ${#kernels[@]} -eq 0 ] && kernels=(debug 6.12 6.1)
read -r -a tests <<< "${KSFT_TESTS:-}"
if [ ${#tests[@]} -eq 0 ]; then
	for t in "$dir"/vpnlb_*.sh; do
		[ -e "$t" ] && tests+=("$(basename "$t")")
	done
fi
read -r -a vm_args <<< "${VPNLB_VM_ARGS:-}"

read -r -a debug_skip <<< "${VPNLB_DEBUG_SKIP-}"

total_pass=0
total_fail=0
total_skip=0
summary=()
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run_lane KERNEL: builds, boots and tests one kernel; writes its output to
# $work/KERNEL.log and "pass fail skip note" to $work/KERNEL.result.
run_lane()
{
	local k=$1 log=$work/$1.log pass=0 fail=0 skip=0 note= rc missing times
	local lane_tests=() t s selftest selftest_ko

	for t in "${tests[@]}"; do
		if [ "$k" = debug ]; then
			for s in "${debug_skip[@]}"; do
				[ "$t" = "$s" ] && continue 2
			done
		fi
		lane_tests+=("$t")
	done
	skip=$(( ${#tests[@]} - ${#lane_tests[@]} ))
	[ "$skip" -gt 0 ] && note="not run here: ${debug_skip[*]}; "
	{
	echo "=== kernel $k: building vpnlb.ko"
	# The FIB core self-test runs at every load of a module built with it:
	# under KASAN it costs ~3 s, too much for the lifecycle test's 100
	# loads. On debug, a variant of its own has it, for vpnlb_core.sh.
	selftest=1
	[ "$k" = debug ] && selftest=0
	# build-module.sh prints the module's path: the one with the self-test
	# goes to vpnlb_core.sh.
	if ! selftest_ko=$("$dir/vm/build-module.sh" "$k" \
			VPNLB_SELFTEST=$selftest); then
		selftest_ko=
	elif [ "$selftest" = 0 ]; then
		selftest_ko=$("$dir/vm/build-module.sh" --variant selftest \
			"$k" VPNLB_SELFTEST=1) || selftest_ko=
	fi
	if [ -z "$selftest_ko" ]; then
		fail=${#lane_tests[@]}
		note="${note}module build failed"
	else
		echo "=== kernel $k: running ${#lane_tests[@]} selftests in the VM"
		VPNLB_SELFTEST_KO=$selftest_ko "$dir/vm/run-vm.sh" --kernel "$k" \
			--timeout "${VPNLB_VM_TIMEOUT:-3600}" "${vm_args[@]}" -- \
			"$dir/run.sh" "${lane_tests[@]}" > "$work/$k.vm" 2>&1
		rc=$?
		cat "$work/$k.vm"
		# Only the top-level KTAP lines of run.sh (not indented).
		pass=$(grep -cE '^ok [0-9]+ [^#]*$' "$work/$k.vm")
		skip=$((skip + $(grep -cE '^ok [0-9]+ .*# SKIP' "$work/$k.vm")))
		fail=$(grep -cE '^not ok [0-9]+ ' "$work/$k.vm")
		missing=$(( ${#lane_tests[@]} - pass - fail - $(grep -cE '^ok [0-9]+ .*# SKIP' "$work/$k.vm") ))
		times=$(sed -n 's/^run-vm: kernel .*: \(booted in .*\), exit status.*/\1/p' "$work/$k.vm" | tail -n1)
		if [ "$rc" = 125 ]; then
			note="${note}VM never reached the tests"
		elif [ "$rc" != 0 ] && [ "$fail" = 0 ] && [ "$missing" = 0 ]; then
			note="${note}run-vm exit status $rc (kernel report after the tests?)"
			fail=$((fail + 1))
		else
			note=$note$times
		fi
		if [ "$missing" -gt 0 ]; then
			fail=$((fail + missing))
			note="$note; $missing tests did not report"
		fi
	fi
	} > "$log" 2>&1
	echo "$pass $fail $skip $note" > "$work/$k.result"
}

# Each VM is one host thread (TCG, thread=single): run as many lanes at
# once as there are CPUs, VPNLB_LANES at most (default 2).
lanes=${VPNLB_LANES:-2}
running=0
for k in "${kernels[@]}"; do
	if [ "$running" -ge "$lanes" ]; then
		wait -n
		running=$((running - 1))
	fi
	run_lane "$k" &
	running=$((running + 1))
done
wait

for k in "${kernels[@]}"; do
	cat "$work/$k.log"
	read -r pass fail skip note < "$work/$k.result"
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
