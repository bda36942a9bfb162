#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The FIB core's in-kernel self-test: a module built with VPNLB_SELFTEST=1
# compares its LPM with a naive table on random prefixes, replacements and
# removals, and checks path selection, when it loads; a failure fails the
# load. The module is $VPNLB_SELFTEST_KO, else the variant built with
#	selftests/vm/build-module.sh --variant selftest KERNEL VPNLB_SELFTEST=1
# (build/<kver>/selftest/vpnlb.ko), so the other tests can load a module
# without the self-test (it takes seconds on the debug kernel).
# check-kernels.sh sets VPNLB_SELFTEST_KO on every kernel.

. "$(dirname "$0")/lib.sh"

require_root
selftest_ko=${VPNLB_SELFTEST_KO:-$KSFT_TOP/build/$(uname -r)/selftest/vpnlb.ko}
[ -f "$selftest_ko" ] ||
	ksft_exit_skip "no vpnlb.ko with the self-test at $selftest_ko"

test_selftest_at_load()
{
	local before

	before=$(dmesg | grep -c "vpnlb selftest: FIB core self-test passed")
	VPNLB_KO=$selftest_ko vpnlb_load || return 1
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
