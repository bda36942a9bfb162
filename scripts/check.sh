#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make check: every test vpnlb has, in order of cost.
#   scripts/check.sh [STAGE...]     (default: all stages)
# Stages: unit fuzz style build bgp kernels. Each stage's own counts
# ("N passed, N failed") are summed; a stage without counts counts as one
# test. The last line is the total.
set -uo pipefail
cd "$(dirname "$0")/.."
top=$PWD
logdir=$top/build/check
mkdir -p "$logdir"

scripts/deps.sh check || exit 1

passed=0 failed=0 skipped=0
failures=()

# run_test NAME CMD...: runs CMD, shows and logs its output, counts the result.
run_test() {
	local name=$1 log=$logdir/$1.log rc counts p f s
	shift
	echo "### $name: $*"
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	counts=$(grep -aE '^([A-Za-z]+: )?[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$log" | tail -n1)
	if [ -n "$counts" ]; then
		p=$(sed -E 's/.*\b([0-9]+) passed.*/\1/' <<<"$counts")
		f=$(sed -E 's/.*\b([0-9]+) failed.*/\1/' <<<"$counts")
		s=0
		[[ $counts == *skipped* ]] && s=$(sed -E 's/.*\b([0-9]+) skipped.*/\1/' <<<"$counts")
		# a non-zero exit with no counted failure is still a failure
		[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	elif grep -aqE '^# Totals: pass:[0-9]+ fail:[0-9]+' "$log"; then
		# KTAP documents: sum their totals
		read -r p f s < <(sed -nE 's/^# Totals: pass:([0-9]+) fail:([0-9]+).* skip:([0-9]+).*/\1 \2 \3/p' "$log" |
			awk '{p += $1; f += $2; s += $3} END {print p + 0, f + 0, s + 0}')
		[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	else
		p=0 f=0 s=0
		case $rc in
		0) p=1 ;;
		4) s=1 ;;
		*) f=1 ;;
		esac
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	[ "$f" -gt 0 ] && failures+=("$name (exit $rc, log $log)")
	echo "### $name: exit $rc ($p passed, $f failed, $s skipped)"
}

# Kernel style: checkpatch --strict on every kernel source and the uapi.
style() {
	local ksrc
	ksrc=$(scripts/kernel-src.sh scripts/checkpatch.pl scripts/spelling.txt \
		scripts/const_structs.checkpatch) || return 1
	# shellcheck disable=SC2046
	"$ksrc/scripts/checkpatch.pl" --strict --no-tree --quiet --show-types \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f \
		$(find kmod uapi -name '*.[ch]' ! -name '*.mod.c' | sort)
}

# Builds the module for one kernel; any compiler or sparse warning fails.
build_warning_free() {
	local kver=$1 log
	shift
	log=$(mktemp)
	selftests/vm/build-module.sh "$kver" "$@" 2>&1 | tee "$log"
	local rc=${PIPESTATUS[0]}
	if grep -E 'warning:|error:|: sparse: ' "$log" >/dev/null; then
		echo "build $kver: warnings (see above)"
		rc=1
	fi
	rm -f "$log"
	return "$rc"
}

# Host-side BGP interop tests (network namespaces, no module needed).
bgp_host() {
	local t rc=0 any=0
	for t in selftests/bgp_*.sh; do
		case $t in *_topo.sh) continue ;; esac	# libraries
		[ -e "$t" ] || continue
		any=1
		bash "$t" || rc=1
	done
	[ $any -eq 1 ] || return 4
	return $rc
}

want=("$@")
[ ${#want[@]} -gt 0 ] || want=(unit fuzz style build bgp kernels)

for stage in "${want[@]}"; do
	case $stage in
	unit)
		for d in userspace/core-tests userspace/vpnlbctl userspace/vpnlbd; do
			[ -f "$d/Makefile" ] && run_test "unit-${d##*/}" make -s -C "$d" check
		done
		;;
	fuzz)
		for d in userspace/core-tests userspace/vpnlbd; do
			[ -f "$d/Makefile" ] && run_test "fuzz-${d##*/}" make -s -C "$d" fuzz
		done
		;;
	style)
		run_test checkpatch style
		;;
	build)
		run_test build-userspace make -s userspace
		run_test build-6.1 build_warning_free 6.1
		run_test build-6.12-sparse build_warning_free 6.12 C=1
		;;
	bgp)
		make -s userspace > /dev/null
		run_test bgp-host bgp_host
		;;
	kernels)
		make -s userspace > /dev/null
		run_test kernels selftests/check-kernels.sh debug 6.12 6.1
		;;
	*)
		echo "check: unknown stage '$stage'" >&2
		exit 2
		;;
	esac
done

echo
if [ ${#failures[@]} -gt 0 ]; then
	echo "Failed:"
	printf '  %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
