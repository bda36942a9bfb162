# SPDX-License-Identifier: GPL-2.0
#
# Shared shell library for the vpnlb selftests (bash). Source it first:
#
#	. "$(dirname "$0")/lib.sh"
#
# KTAP output (one test script = one KTAP document; each case one line):
#	ksft_plan N              print "1..N" (optional: ksft_exit prints a
#	                         trailing plan when none was given)
#	ksft_pass NAME / ksft_fail NAME / ksft_skip NAME REASON
#	ksft_run NAME FUNC [ARG...]
#	                         run FUNC in this shell; the case is "not ok" if
#	                         FUNC returns non-zero or any check_* failed in it,
#	                         "# SKIP" if FUNC returns $ksft_skip (4)
#	ksft_exit                print totals, run the cleanups and exit:
#	                         1 if any case failed, 4 if all skipped, else 0
#	ksft_exit_skip REASON    skip the whole script (exit 4)
#	ksft_exit_fail REASON    abort the whole script (exit 1)
#	ksft_info TEXT...        a "# " diagnostic line
#
# Checks (inside a case; each prints why on failure and returns 1):
#	check_eq EXPECTED ACTUAL MSG
#	check_ok MSG CMD [ARG...]            CMD must exit 0
#	check_err STATUS STDERR MSG CMD...   CMD must exit STATUS and print
#	                                     exactly STDERR (one line) on stderr,
#	                                     "" to skip the stderr comparison
#	check_output EXPECTED MSG CMD...     CMD's stdout must equal EXPECTED, a
#	                                     file or "-" for stdin (a heredoc);
#	                                     a diff is shown on failure
#	check_fail MSG                       record a failure with a reason
#
# Namespaces and cleanup (the cleanups run on exit, last registered first):
#	netns_create VAR...      for each VAR, create a netns with a unique name,
#	                         bring lo up, store the name in $VAR
#	netns_delete NAME        delete it now
#	ksft_defer CMD [ARG...]  run CMD at exit (lib.sh owns the EXIT trap:
#	                         use this rather than trap)
#	in_ns NS CMD...          ip netns exec NS CMD...
#
# Environment:
#	require_cmd CMD...       skip the script when a command is missing
#	require_root             skip unless root
#	vpnlb_deps               modprobe vrf mpls_router mpls_iptunnel
#	vpnlb_load [PARAM=V...]  (re)load vpnlb.ko from $VPNLB_KO or
#	                         build/$(uname -r)/vpnlb.ko; unloaded at exit
#	vpnlb_unload             rmmod vpnlb if loaded
#	vpnlbctl ARG...          runs $VPNLBCTL (userspace/vpnlbctl/vpnlbctl)
#	KSFT_TOP                 the repository root

KSFT_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VPNLBCTL=${VPNLBCTL:-$KSFT_TOP/userspace/vpnlbctl/vpnlbctl}

ksft_pass_code=0
ksft_fail_code=1
ksft_skip=4

__ksft_num=0
__ksft_npass=0
__ksft_nfail=0
__ksft_nskip=0
__ksft_planned=
__ksft_case_errors=0
__ksft_cleanups=()
__ksft_netns=()

echo "KTAP version 1"

ksft_info()
{
	local line

	printf '%s\n' "$*" | while IFS= read -r line; do
		echo "# $line"
	done
}

ksft_plan()
{
	__ksft_planned=$1
	echo "1..$1"
}

ksft_pass()
{
	__ksft_num=$((__ksft_num + 1))
	__ksft_npass=$((__ksft_npass + 1))
	echo "ok $__ksft_num $1"
}

ksft_fail()
{
	__ksft_num=$((__ksft_num + 1))
	__ksft_nfail=$((__ksft_nfail + 1))
	echo "not ok $__ksft_num $1"
}

ksft_skip()
{
	__ksft_num=$((__ksft_num + 1))
	__ksft_nskip=$((__ksft_nskip + 1))
	echo "ok $__ksft_num $1 # SKIP ${2:-}"
}

ksft_run()
{
	local name=$1 rc

	shift
	__ksft_case_errors=0
	"$@"
	rc=$?
	if [ "$rc" = "$ksft_skip" ] && [ "$__ksft_case_errors" = 0 ]; then
		ksft_skip "$name" "${KSFT_SKIP_REASON:-}"
	elif [ "$rc" = 0 ] && [ "$__ksft_case_errors" = 0 ]; then
		ksft_pass "$name"
	else
		[ "$rc" != 0 ] && ksft_info "$name: returned $rc"
		ksft_fail "$name"
	fi
	KSFT_SKIP_REASON=
	__ksft_case_errors=0
}

__ksft_cleanup()
{
	local i ns

	for ((i = ${#__ksft_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${__ksft_cleanups[i]}" > /dev/null 2>&1
	done
	__ksft_cleanups=()
	for ns in "${__ksft_netns[@]}"; do
		ip netns del "$ns" > /dev/null 2>&1
	done
	__ksft_netns=()
}
trap __ksft_cleanup EXIT

ksft_exit()
{
	local rc=$ksft_pass_code

	[ -z "$__ksft_planned" ] && echo "1..$__ksft_num"
	if [ -n "$__ksft_planned" ] && [ "$__ksft_planned" != "$__ksft_num" ]; then
		ksft_info "planned $__ksft_planned cases, ran $__ksft_num"
		rc=$ksft_fail_code
	fi
	echo "# Totals: pass:$__ksft_npass fail:$__ksft_nfail xfail:0 xpass:0 skip:$__ksft_nskip error:0"
	__ksft_cleanup
	if [ "$__ksft_nfail" -gt 0 ]; then
		rc=$ksft_fail_code
	elif [ "$__ksft_npass" = 0 ] && [ "$__ksft_nskip" -gt 0 ]; then
		rc=$ksft_skip
	fi
	exit "$rc"
}

ksft_exit_skip()
{
	[ "$__ksft_num" = 0 ] && echo "1..0 # SKIP $*" || echo "# SKIP $*"
	__ksft_cleanup
	exit "$ksft_skip"
}

ksft_exit_fail()
{
	ksft_info "FATAL: $*"
	echo "1..$__ksft_num"
	__ksft_cleanup
	exit "$ksft_fail_code"
}

ksft_defer()
{
	local q

	q=$(printf '%q ' "$@")
	__ksft_cleanups+=("$q")
}

check_fail()
{
	__ksft_case_errors=$((__ksft_case_errors + 1))
	ksft_info "FAIL: $*"
	return 1
}

check_eq()
{
	[ "$1" = "$2" ] && return 0
	check_fail "$3: expected '$1', got '$2'"
}

check_ok()
{
	local msg=$1 out rc

	shift
	out=$("$@" 2>&1 < /dev/null)
	rc=$?
	[ "$rc" = 0 ] && return 0
	check_fail "$msg: '$*' exited $rc"
	[ -n "$out" ] && ksft_info "$out"
	return 1
}

check_err()
{
	local status=$1 expected=$2 msg=$3 err rc

	shift 3
	err=$("$@" 2>&1 > /dev/null < /dev/null)
	rc=$?
	if [ "$rc" != "$status" ]; then
		check_fail "$msg: '$*' exited $rc, expected $status"
		ksft_info "stderr: $err"
		return 1
	fi
	[ -z "$expected" ] && return 0
	[ "$err" = "$expected" ] && return 0
	check_fail "$msg: '$*' stderr: expected '$expected', got '$err'"
}

check_output()
{
	local expected=$1 msg=$2 exp_text out rc

	shift 2
	if [ "$expected" = - ]; then
		exp_text=$(cat)
	else
		exp_text=$(cat "$expected") || {
			check_fail "$msg: cannot read $expected"
			return 1
		}
	fi
	out=$("$@" < /dev/null)
	rc=$?
	if [ "$rc" != 0 ]; then
		check_fail "$msg: '$*' exited $rc"
		return 1
	fi
	[ "$out" = "$exp_text" ] && return 0
	check_fail "$msg: output differs (- expected, + actual)"
	ksft_info "$(diff -u <(printf '%s\n' "$exp_text") \
		<(printf '%s\n' "$out") | tail -n +3)"
	return 1
}

require_cmd()
{
	local cmd

	for cmd in "$@"; do
		command -v "$cmd" > /dev/null ||
			ksft_exit_skip "$cmd is not installed"
	done
}

require_root()
{
	[ "$(id -u)" = 0 ] || ksft_exit_skip "must run as root"
}

netns_create()
{
	local __ksft_var __ksft_name

	for __ksft_var in "$@"; do
		__ksft_name=vpnlb-$__ksft_var-$$-$RANDOM
		ip netns add "$__ksft_name" || return 1
		__ksft_netns+=("$__ksft_name")
		ip -n "$__ksft_name" link set lo up
		printf -v "$__ksft_var" '%s' "$__ksft_name"
	done
}

netns_delete()
{
	local ns keep=()

	ip netns del "$1"
	for ns in "${__ksft_netns[@]}"; do
		[ "$ns" != "$1" ] && keep+=("$ns")
	done
	__ksft_netns=("${keep[@]}")
}

in_ns()
{
	local ns=$1

	shift
	ip netns exec "$ns" "$@"
}

vpnlb_deps()
{
	modprobe -q vrf && modprobe -q mpls_router && modprobe -q mpls_iptunnel
}

vpnlb_ko()
{
	echo "${VPNLB_KO:-$KSFT_TOP/build/$(uname -r)/vpnlb.ko}"
}

vpnlb_unload()
{
	[ -d /sys/module/vpnlb ] || return 0
	rmmod vpnlb
}

vpnlb_load()
{
	local ko

	ko=$(vpnlb_ko)
	if [ ! -f "$ko" ]; then
		ksft_info "vpnlb.ko not found at $ko (selftests/vm/build-module.sh)"
		return 1
	fi
	vpnlb_deps || return 1
	vpnlb_unload || return 1
	insmod "$ko" "$@" || return 1
	if [ -z "${__vpnlb_unload_deferred:-}" ]; then
		__vpnlb_unload_deferred=1
		ksft_defer vpnlb_unload
	fi
}

vpnlbctl()
{
	"$VPNLBCTL" "$@"
}
