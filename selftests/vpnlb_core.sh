#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The FIB core's in-kernel self-test: a module built with VPNLB_SELFTEST=1
# compares its LPM with a naive table on random prefixes, replacements and
# removals, and checks path selection, when it loads; a failure fails the
# load. check-kernels.sh builds the module so and sets VPNLB_SELFTEST=1.

. "$(dirname "$0")/lib.sh"

require_root
[ "${VPNLB_SELFTEST:-0}" = 1 ] ||
	ksft_exit_skip "vpnlb.ko built without the self-test (VPNLB_SELFTEST=1)"

test_selftest_at_load()
{
	local before

	before=$(dmesg | grep -c "vpnlb selftest: FIB core self-test passed")
	vpnlb_load || return 1
	check_eq $((before + 1)) \
		"$(dmesg | grep -c "vpnlb selftest: FIB core self-test passed")" \
		"self-test reported passing at load"
	check_eq "" "$(dmesg | grep "vpnlb selftest" | grep -v "passed")" \
		"self-test errors"
	vpnlb_unload
}

ksft_plan 1
ksft_run selftest_at_load test_selftest_at_load
ksft_exit
