#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Permissions of the vpnlb netlink family: every write op needs CAP_NET_ADMIN
# over the netns (GENL_UNS_ADMIN_PERM), reads are open.
#   - an unprivileged user gets EPERM on every write op and changes nothing;
#   - the same user reads everything root reads;
#   - root of a user namespace that does not own the netns gets EPERM;
#   - root of a user namespace that owns its netns may write there.

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip setpriv unshare
[ -x "$VPNLBCTL" ] || ksft_exit_fail "$VPNLBCTL is not built"

ns=
batch=

# vpnlbctl in $ns as user nobody, without capabilities.
as_nobody()
{
	ip netns exec "$ns" setpriv --reuid=65534 --regid=65534 \
		--clear-groups --inh-caps=-all "$VPNLBCTL" "$@"
}

as_root()
{
	"$VPNLBCTL" -n "$ns" "$@"
}

# Everything vpnlb holds in $ns, as root sees it; without route ages,
# which tick.
state()
{
	local what

	for what in instance tunnel nexthop group route; do
		echo "== $what"
		as_root "$what" show 2>&1 | sed 's/ age [0-9a-z]*//'
	done
}

setup()
{
	netns_create ns || return 1
	ip -n "$ns" link add vrf-a type vrf table 10 &&
	ip -n "$ns" link set vrf-a up &&
	ip -n "$ns" link add vrf-b type vrf table 20 &&
	ip -n "$ns" link set vrf-b up &&
	ip -n "$ns" link add core0 type dummy &&
	ip -n "$ns" addr add 10.0.1.1/24 dev core0 &&
	ip -n "$ns" link set core0 up || return 1
	as_root instance add vpna vrf vrf-a max-paths 2 &&
	as_root tunnel add 1 pe 10.255.0.2 via 10.0.1.2 dev core0 label 16 &&
	as_root nexthop add 10 tunnel 1 label 1002 &&
	as_root nexthop add 11 tunnel 1 label 1003 &&
	as_root group add 100 instance vpna member 10 weight 1 &&
	as_root route add vpna 10.2.0.0/16 group 100 || return 1
	batch=$(mktemp)
	chmod 644 "$batch"
	ksft_defer rm -f "$batch"
	echo "route add vpna 10.4.0.0/16 nexthop 10" > "$batch"
}

# Each write op as nobody: exit 1, EPERM on stderr, state unchanged.
write_ops=(
	"instance add vpnb vrf vrf-b"
	"instance change vpna max-paths 4"
	"instance del vpna"
	"tunnel add 2 pe 10.255.0.3 via 10.0.1.3 dev core0 label 17"
	"tunnel change 1 label 18"
	"tunnel del 1"
	"nexthop add 12 tunnel 1 label 1004"
	"nexthop change 10 label 1005"
	"nexthop del 11"
	"group add 101 instance vpna member 11"
	"group change 100 member 10 weight 2 member 11"
	"group del 100"
	"route add vpna 10.3.0.0/16 nexthop 10"
	"route change vpna 10.2.0.0/16 nexthop 11"
	"route del vpna 10.2.0.0/16"
	"flush"
	"flush instance vpna"
	"flush owner 7"
	"batch BATCH"
)

test_write_ops_eperm()
{
	local op args err rc before after

	before=$(state)
	for op in "${write_ops[@]}"; do
		read -r -a args <<< "${op/BATCH/$batch}"
		err=$(as_nobody "${args[@]}" 2>&1 > /dev/null)
		rc=$?
		check_eq 1 "$rc" "nobody: '$op' exit status"
		case $err in
		*"Operation not permitted"*) ;;
		*) check_fail "nobody: '$op': expected EPERM on stderr, got '$err'" ;;
		esac
		after=$(state)
		[ "$after" = "$before" ] ||
			check_fail "nobody: '$op' changed state: $(diff \
				<(echo "$before") <(echo "$after") | tr '\n' ' ')"
		before=$after
	done
}

test_reads_open()
{
	local what out_root out_nobody

	for what in "instance show" "tunnel show" "nexthop show" \
		"group show" "-j instance show" "-j group show" \
		"instance show vpna" "nexthop show 10"; do
		# shellcheck disable=SC2086
		out_root=$(as_root $what 2>&1)
		# shellcheck disable=SC2086
		out_nobody=$(as_nobody $what 2>&1)
		check_eq 0 "$?" "nobody: '$what' exit status"
		check_eq "$out_root" "$out_nobody" "nobody: '$what' output"
		[ -n "$out_nobody" ] ||
			check_fail "nobody: '$what' printed nothing"
	done
	# Routes carry an age: compare what does not tick.
	for what in "route show" "route show vpna 10.2.0.0/16" \
		"route get vpna 10.2.3.4" \
		"display ip routing-table vpn-instance vpna"; do
		# shellcheck disable=SC2086
		out_nobody=$(as_nobody $what 2>&1)
		check_eq 0 "$?" "nobody: '$what' exit status"
		case $out_nobody in
		*10.2.0.0*) ;;
		*) check_fail "nobody: '$what' lacks 10.2.0.0: '$out_nobody'" ;;
		esac
	done
}

# Root in a new user namespace, still in $ns (owned by the initial one).
test_foreign_userns_root()
{
	local err before

	before=$(state)
	err=$(ip netns exec "$ns" unshare --user --map-root-user \
		"$VPNLBCTL" instance add vpnb vrf vrf-b 2>&1 > /dev/null)
	check_eq 1 "$?" "userns root: instance add exit status"
	case $err in
	*"Operation not permitted"*) ;;
	*) check_fail "userns root: expected EPERM, got '$err'" ;;
	esac
	check_eq "$before" "$(state)" "userns root: state unchanged"
}

# Root in a new user namespace that owns a new netns: allowed there.
test_owning_userns_root()
{
	local out

	out=$(unshare --user --map-root-user --net sh -c '
		ip link add vrf-x type vrf table 30 &&
		ip link set vrf-x up &&
		"$1" instance add vpnx vrf vrf-x &&
		"$1" instance show' sh "$VPNLBCTL" 2>&1)
	check_eq 0 "$?" "netns owner in a user namespace: instance add"
	case $out in
	*vpnx*) ;;
	*) check_fail "netns owner: instance show lacks vpnx: '$out'" ;;
	esac
}

vpnlb_load || ksft_exit_fail "cannot load vpnlb.ko"
setup || ksft_exit_fail "cannot set up the objects as root"

ksft_run write_ops_need_cap_net_admin test_write_ops_eperm
ksft_run reads_need_no_privilege test_reads_open
ksft_run foreign_userns_root_gets_eperm test_foreign_userns_root
ksft_run netns_owning_userns_root_may_write test_owning_userns_root
ksft_exit
