#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The vpnlb generic netlink family, driven with the kernel's own YNL library
# (tools/net/ynl) from Documentation/netlink/specs/vpnlb.yaml:
# new/get/dump/set/del of every object, batches of thousands of routes and
# their resumable dump, longest-match lookup, longer-match dump, replace,
# flush by owner and generation, EBUSY on delete in use, notifications, and
# every kind of bad input, each with its exact extack message and no change
# to any object. Ends with a short data path check: the labels a ping in the
# VRF leaves with.
#
# The requests go to one long-lived YNL process per netns
# (tools/ynl_driver.py; its arguments are those of tools/net/ynl/cli.py):
# a Python start-up per request costs seconds on the debug kernel. The
# kernel's cli.py itself validates the spec and drives the family once.
#
# Everything runs in a netns of its own:
#   pe: vrf-a (table 10), vrf-b (table 20), dummies d1 d2, veth c0 10.0.1.1
#   p:  veth c1 10.0.1.2 (the tunnel's gateway; tcpdump runs here)

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip python3 jq tcpdump ping tar

SRC_TAR=/usr/src/linux-source-6.12.tar.xz
YNL_SRC=${VPNLB_YNL_SRC:-/var/cache/vpnlb/src/linux-source-6.12}
SPEC=$KSFT_TOP/Documentation/netlink/specs/vpnlb.yaml
DRIVER=$KSFT_TOP/selftests/tools/ynl_driver.py
BATCH=${VPNLB_BATCH_ROUTES:-5000}
BATCH_CHUNK=1000	# routes per message: the JSON must fit one argv string
pe=			# the namespaces, named by setup
p=

# The YNL CLI and the genetlink schemas come from the kernel source: the
# extracted tree if there is one, else a temporary extract of the tarball.
ynl_setup()
{
	local tmp

	[ -f "$YNL_SRC/tools/net/ynl/cli.py" ] &&
		[ -f "$YNL_SRC/Documentation/netlink/genetlink-legacy.yaml" ] &&
		return 0
	[ -f "$SRC_TAR" ] || return 1
	tmp=$(mktemp -d) || return 1
	ksft_defer rm -rf "$tmp"
	tar -xJf "$SRC_TAR" -C "$tmp" linux-source-6.12/tools/net/ynl \
		linux-source-6.12/Documentation/netlink || return 1
	YNL_SRC=$tmp/linux-source-6.12
}

ynl_setup || ksft_exit_skip "no YNL CLI: $SRC_TAR is missing"
CLI=$YNL_SRC/tools/net/ynl/cli.py
SCHEMA=$YNL_SRC/Documentation/netlink/genetlink-legacy.yaml

# ynl_start ID NS: a YNL driver serving netns NS, until ynl_stop ID (or
# the end of the test).
ynl_start()
{
	local id=$1 ns=$2 dir req status line

	dir=$(mktemp -d) || return 1
	ksft_defer rm -rf "$dir"
	mkfifo "$dir/req" "$dir/status" || return 1
	in_ns "$ns" python3 "$DRIVER" "$YNL_SRC/tools/net/ynl" "$SPEC" \
		"$dir/reply" < "$dir/req" > "$dir/status" 2> "$dir/stderr" &
	printf -v "ynl_${id}_pid" %s $!
	# The same order as the driver's redirections: FIFO opens pair up.
	exec {req}> "$dir/req" {status}< "$dir/status"
	printf -v "ynl_${id}_req" %s "$req"
	printf -v "ynl_${id}_status" %s "$status"
	printf -v "ynl_${id}_dir" %s "$dir"
	ksft_defer ynl_stop "$id"
	IFS= read -r -u "$status" line && [ "$line" = ready ] && return 0
	ksft_info "the YNL driver for $ns did not start: $(cat "$dir/stderr")"
	return 1
}

# ynl_stop ID: end driver ID (EOF on its requests) and wait for it, so it
# holds its netns no longer.
ynl_stop()
{
	local req=ynl_$1_req status=ynl_$1_status pid=ynl_$1_pid

	[ -n "${!req:-}" ] || return 0
	eval "exec ${!req}>&- ${!status}<&-"
	wait "${!pid}" 2> /dev/null
	printf -v "$req" %s ""
}

# ynl_to ID ARGS...: one request (cli.py's arguments) to driver ID; prints
# what cli.py --output-json would and returns its exit status.
ynl_to()
{
	local req=ynl_$1_req status=ynl_$1_status pid=ynl_$1_pid
	local reply=ynl_$1_dir rc size line

	shift
	if [ -z "${!req:-}" ] || ! kill -0 "${!pid}" 2> /dev/null; then
		echo "ynl: no YNL driver" >&2
		return 1
	fi
	printf '%s\0' $# "$@" >&"${!req}" || return 1
	read -r -u "${!status}" rc size || {
		echo "ynl: the YNL driver exited" >&2
		return 1
	}
	# Small replies without starting a process, big ones (dumps of
	# thousands of routes) with cat: faster than bash reading them.
	if [ "$size" -gt 65536 ]; then
		cat "${!reply}/reply"
	else
		while IFS= read -r line || [ -n "$line" ]; do
			printf '%s\n' "$line"
		done < "${!reply}/reply"
	fi
	return "$rc"
}

# ynl ARGS...: a request in the test netns.
ynl()
{
	ynl_to pe "$@"
}

# Dotted quad to the integer YNL takes for an ipv4 attribute.
ip2int()
{
	local IFS=. a b c d

	read -r a b c d <<< "$1"
	echo $(((a << 24) | (b << 16) | (c << 8) | d))
}

# Every object of the netns, one JSON line each, without route ages (they
# tick): what a rejected request must leave exactly as it was.
snapshot()
{
	ynl --snapshot
}

# extack_msg TEXT: the extack message in a YNL error printout (a bash
# match: no process to start, which costs on the debug kernel).
extack_msg()
{
	local re="'msg': '([^']*)'"

	[[ $1 =~ $re ]] && echo "${BASH_REMATCH[1]}"
}

# check_reject MSG ARGS...: the request fails with extack MSG and no object
# changes. In a run of rejects, SNAP holds the state they all must keep.
SNAP=
check_reject()
{
	local expected=$1 before after out

	shift
	before=${SNAP:-$(snapshot)}
	if out=$(ynl "$@" 2>&1); then
		check_fail "accepted: $*"
		return 1
	fi
	check_eq "$expected" "$(extack_msg "$out")" "extack of: $*" ||
		ksft_info "$out"
	after=$(snapshot)
	[ -n "$SNAP" ] && SNAP=$after
	[ "$before" = "$after" ] && return 0
	check_fail "state changed by rejected request: $*"
	ksft_info "$(diff <(echo "$before") <(echo "$after"))"
}

# check_jq EXPECTED FILTER MSG ARGS...: jq FILTER of the request's output.
check_jq()
{
	local expected=$1 filter=$2 msg=$3 out

	shift 3
	out=$(ynl "$@") || {
		check_fail "$msg: '$*' failed: $out"
		return 1
	}
	check_eq "$expected" "$(jq -c "$filter" <<< "$out")" "$msg"
}

setup()
{
	netns_create pe p || return 1
	ip -n "$pe" link add vrf-a type vrf table 10 &&
	ip -n "$pe" link add vrf-b type vrf table 20 &&
	ip -n "$pe" link set vrf-a up &&
	ip -n "$pe" link set vrf-b up &&
	ip -n "$pe" link add d1 type dummy &&
	ip -n "$pe" link add d2 type dummy &&
	ip -n "$pe" link set d1 up &&
	ip -n "$pe" link set d2 up &&
	ip -n "$pe" link add c0 type veth peer name c1 netns "$p" &&
	ip -n "$pe" addr add 10.0.1.1/24 dev c0 &&
	ip -n "$pe" link set c0 up &&
	ip -n "$p" addr add 10.0.1.2/24 dev c1 &&
	ip -n "$p" link set c1 up || return 1
	VRF_A=$(ip -n "$pe" -j link show vrf-a | jq '.[0].ifindex')
	VRF_B=$(ip -n "$pe" -j link show vrf-b | jq '.[0].ifindex')
	D1=$(ip -n "$pe" -j link show d1 | jq '.[0].ifindex')
	D2=$(ip -n "$pe" -j link show d2 | jq '.[0].ifindex')
	C0=$(ip -n "$pe" -j link show c0 | jq '.[0].ifindex')
	PE2=$(ip2int 2.2.2.2)
	PE3=$(ip2int 3.3.3.3)
	GW1=$(ip2int 10.0.1.2)
	GW2=$(ip2int 10.0.2.2)
}

inst_json()	# NAME VRF-IFINDEX [EXTRA-JSON]
{
	echo "{\"instance\": {\"name\": \"$1\", \"vrf-ifindex\": $2${3:+, $3}}}"
}

route_json()	# INSTANCE PREFIX PLEN [EXTRA-JSON]
{
	echo "{\"instance\": \"$1\", \"prefix\": $(ip2int "$2"), \"prefixlen\": $3${4:+, $4}}"
}

test_spec_valid()
{
	# The spec passes the genetlink-legacy schema and lists every op.
	check_ok "spec validates against the schema" in_ns "$pe" \
		python3 "$CLI" --spec "$SPEC" --schema "$SCHEMA" --list-ops
}

test_instance()
{
	local out

	check_ok "instance-new" ynl --do instance-new --json \
		"$(inst_json vpna "$VRF_A" '"max-paths": 2, "lb-mode": 1, "hash-fields": 1, "ttl-mode": 1, "owner": 5, "generation": 9')"
	# The kernel's CLI itself drives the family, and the driver answers
	# as it does.
	out=$(in_ns "$pe" python3 "$CLI" --spec "$SPEC" --no-schema \
		--output-json --do instance-get \
		--json '{"instance": {"name": "vpna"}}' 2>&1) ||
		check_fail "cli.py --do instance-get: $out"
	check_eq "$out" \
		"$(ynl --do instance-get --json '{"instance": {"name": "vpna"}}')" \
		"cli.py and the YNL driver agree"
	check_jq '{"name":"vpna","vrf-ifindex":'"$VRF_A"',"table":10,"max-paths":2,"max-paths-ibgp":0,"max-paths-ebgp":0,"lb-mode":"packet","hash-fields":"l3","ttl-mode":"pipe","owner":5,"generation":9,"routes":0,"vrf-name":"vrf-a"}' \
		'.instance' "instance-get" \
		--do instance-get --json '{"instance": {"name": "vpna"}}'
	check_ok "instance-set" ynl --do instance-set --json \
		'{"instance": {"name": "vpna", "max-paths": 3, "lb-mode": 0, "ttl-mode": 0}}'
	check_jq '[3,"flow","l3","uniform"]' \
		'.instance | [."max-paths", ."lb-mode", ."hash-fields", ."ttl-mode"]' \
		"instance-set changed only what it named" \
		--do instance-get --json '{"instance": {"name": "vpna"}}'
	check_ok "instance-new vpnb" ynl --do instance-new --json \
		"$(inst_json vpnb "$VRF_B")"
	check_jq '[["vpna",10],["vpnb",20]]' \
		'[.[].instance | [.name, .table]]' "instance dump" \
		--dump instance-get
	check_jq '[0,0]' '.instance.stats | [.hits, .misses]' \
		"counters on request" \
		--do instance-get --json '{"instance": {"name": "vpnb"}, "stats": true}'
	check_ok "instance-del" ynl --do instance-del --json \
		'{"instance": {"name": "vpnb"}}'
	check_jq '["vpna"]' '[.[].instance.name]' "dump after delete" \
		--dump instance-get
	check_ok "instance back to max-paths 2" ynl --do instance-set \
		--json '{"instance": {"name": "vpna", "max-paths": 2}}'
}

test_tunnel()
{
	check_ok "tunnel-new" ynl --do tunnel-new --json \
		"{\"tunnel\": {\"id\": 1, \"pe\": $PE2, \"gateway\": $GW1, \"ifindex\": $C0, \"label\": [16, 17]}}"
	check_jq '{"id":1,"pe":"2.2.2.2","gateway":"10.0.1.2","ifindex":'"$C0"',"state":"up","owner":0,"generation":0,"users":0,"label":[16,17],"ifname":"c0"}' \
		'.tunnel' "tunnel-get" --do tunnel-get --json '{"tunnel": {"id": 1}}'
	check_ok "tunnel-set labels" ynl --do tunnel-set --json \
		'{"tunnel": {"id": 1, "label": [18]}}'
	check_jq '[18]' '.tunnel.label' "one label" \
		--do tunnel-get --json '{"tunnel": {"id": 1}}'
	check_ok "tunnel-set no-labels" ynl --do tunnel-set --json \
		'{"tunnel": {"id": 1, "no-labels": true}}'
	check_jq 'null' '.tunnel.label' "no labels" \
		--do tunnel-get --json '{"tunnel": {"id": 1}}'
	check_ok "tunnel-set labels back" ynl --do tunnel-set --json \
		'{"tunnel": {"id": 1, "label": [16]}}'
	check_ok "tunnel-new 2" ynl --do tunnel-new --json \
		"{\"tunnel\": {\"id\": 2, \"pe\": $PE3, \"gateway\": $GW2, \"ifindex\": $D1}}"
	check_ok "tunnel-new 3" ynl --do tunnel-new --json \
		"{\"tunnel\": {\"id\": 3, \"pe\": $PE3, \"gateway\": $GW2, \"ifindex\": $D2}}"
	check_ok "tunnel-set gateway and device" ynl --do tunnel-set --json \
		"{\"tunnel\": {\"id\": 3, \"gateway\": $GW1, \"ifindex\": $D1}}"
	check_jq '["10.0.1.2","d1"]' '.tunnel | [.gateway, .ifname]' \
		"tunnel-set moved it" --do tunnel-get --json '{"tunnel": {"id": 3}}'
	check_ok "tunnel-del" ynl --do tunnel-del --json '{"tunnel": {"id": 3}}'
	check_jq '[1,2]' '[.[].tunnel.id]' "tunnel dump" --dump tunnel-get
}

test_nexthop()
{
	check_ok "nexthop-new 10" ynl --do nexthop-new --json \
		'{"nexthop": {"id": 10, "tunnel-id": 1, "label": 1002}}'
	check_jq '{"id":10,"tunnel-id":1,"label":1002,"neighbor":"2.2.2.2","owner":0,"generation":0,"users":0}' \
		'.nexthop' "nexthop-get, neighbor defaults to the PE" \
		--do nexthop-get --json '{"nexthop": {"id": 10}}'
	check_ok "nexthop-new 11" ynl --do nexthop-new --json \
		'{"nexthop": {"id": 11, "tunnel-id": 2, "label": 1003}}'
	check_ok "nexthop-new 12" ynl --do nexthop-new --json \
		'{"nexthop": {"id": 12, "tunnel-id": 1, "label": 1004}}'
	check_ok "nexthop-set" ynl --do nexthop-set --json \
		'{"nexthop": {"id": 12, "tunnel-id": 2, "label": 1005}}'
	check_jq '[2,1005]' '.nexthop | [."tunnel-id", .label]' "nexthop-set" \
		--do nexthop-get --json '{"nexthop": {"id": 12}}'
	check_jq '[2,2]' '.tunnel | [.id, .users]' "tunnel 2 users" \
		--do tunnel-get --json '{"tunnel": {"id": 2}}'
	check_ok "nexthop-new 13" ynl --do nexthop-new --json \
		'{"nexthop": {"id": 13, "tunnel-id": 1, "label": 1006}}'
	check_ok "nexthop-del" ynl --do nexthop-del --json \
		'{"nexthop": {"id": 13}}'
	check_jq '[10,11,12]' '[.[].nexthop.id]' "nexthop dump" --dump nexthop-get
}

test_group()
{
	# max-paths 2: the third member is a backup.
	check_ok "group-new" ynl --do group-new --json \
		'{"group": {"id": 100, "instance": "vpna", "member": [{"nexthop-id": 10, "weight": 3}, {"nexthop-id": 11}, {"nexthop-id": 12, "weight": 2}]}}'
	check_jq '[[10,3,"active"],[11,1,"active"],[12,2,"backup"]]' \
		'[.group.member[] | [."nexthop-id", .weight, .state]]' \
		"members, weights, states" \
		--do group-get --json '{"group": {"id": 100}}'
	check_ok "group-set replaces the members" ynl --do group-set --json \
		'{"group": {"id": 100, "member": [{"nexthop-id": 11, "weight": 5}, {"nexthop-id": 10}]}}'
	check_jq '[[11,5,"active"],[10,1,"active"]]' \
		'[.group.member[] | [."nexthop-id", .weight, .state]]' \
		"members after group-set" \
		--do group-get --json '{"group": {"id": 100}}'
	check_jq '[0,0]' '[.group.member[0].packets, .group.member[0].bytes]' \
		"member counters on request" \
		--do group-get --json '{"group": {"id": 100}, "stats": true}'
	check_ok "group-new 101" ynl --do group-new --json \
		'{"group": {"id": 101, "instance": "vpna", "member": [{"nexthop-id": 12}]}}'
	check_ok "group-del" ynl --do group-del --json '{"group": {"id": 101}}'
	check_jq '[100]' '[.[].group.id]' "group dump" --dump group-get
	check_ok "group back to three members" ynl --do group-set --json \
		'{"group": {"id": 100, "member": [{"nexthop-id": 10, "weight": 3}, {"nexthop-id": 11}, {"nexthop-id": 12, "weight": 2}]}}'
}

test_max_paths()
{
	local states='[.group.member[].state]'

	check_ok "max-paths 1" ynl --do instance-set --json \
		'{"instance": {"name": "vpna", "max-paths": 1}}'
	check_jq '["active","backup","backup"]' "$states" "max-paths 1" \
		--do group-get --json '{"group": {"id": 100}}'
	check_ok "max-paths 3" ynl --do instance-set --json \
		'{"instance": {"name": "vpna", "max-paths": 3}}'
	check_jq '["active","active","active"]' "$states" "max-paths 3" \
		--do group-get --json '{"group": {"id": 100}}'
	check_ok "max-paths 2" ynl --do instance-set --json \
		'{"instance": {"name": "vpna", "max-paths": 2}}'
	check_jq '["active","active","backup"]' "$states" "max-paths 2" \
		--do group-get --json '{"group": {"id": 100}}'
}

test_backup()
{
	local states='[.group.member[].state]'

	# Tunnel 2 (nexthops 11, 12) leaves through d1; d1 goes down.
	ip -n "$pe" link set d1 down
	check_jq '"down-link"' '.tunnel.state' "tunnel down with its link" \
		--do tunnel-get --json '{"tunnel": {"id": 2}}'
	check_jq '["active","down","down"]' "$states" "members of a down tunnel" \
		--do group-get --json '{"group": {"id": 100}}'
	# Tunnel 1 serves nexthop 12 now: the backup takes over.
	check_ok "nexthop 12 to tunnel 1" ynl --do nexthop-set --json \
		'{"nexthop": {"id": 12, "tunnel-id": 1}}'
	check_jq '["active","down","active"]' "$states" "backup took over" \
		--do group-get --json '{"group": {"id": 100}}'
	ip -n "$pe" link set d1 up
	check_jq '"up"' '.tunnel.state' "tunnel up with its link" \
		--do tunnel-get --json '{"tunnel": {"id": 2}}'
	check_jq '["active","active","backup"]' "$states" "back to normal" \
		--do group-get --json '{"group": {"id": 100}}'
	check_ok "nexthop 12 back to tunnel 2" ynl --do nexthop-set --json \
		'{"nexthop": {"id": 12, "tunnel-id": 2}}'
}

test_route()
{
	check_ok "route-new" ynl --do route-new --json \
		"{\"route\": $(route_json vpna 10.2.0.0 16 '"group-id": 100, "protocol": 1, "cost": 7')}"
	check_jq '{"instance":"vpna","prefix":"10.2.0.0","prefixlen":16,"group-id":100,"protocol":"ibgp","preference":255,"cost":7,"owner":0,"generation":0}' \
		'.route[0] | del(.age)' "route-get exact" \
		--do route-get --json "{\"route\": $(route_json vpna 10.2.0.0 16)}"
	check_ok "route-set to a nexthop" ynl --do route-set --json \
		"{\"route\": $(route_json vpna 10.2.0.0 16 '"nexthop-id": 10, "preference": 20')}"
	check_jq '[null,10,20,"ibgp"]' \
		'.route[0] | [."group-id", ."nexthop-id", .preference, .protocol]' \
		"route-set" \
		--do route-get --json "{\"route\": $(route_json vpna 10.2.0.0 16)}"
	check_jq '0' '.group.users' "group 100 unused" \
		--do group-get --json '{"group": {"id": 100}}'
	check_jq '2' '.nexthop.users' "nexthop 10: group 100 and the route" \
		--do nexthop-get --json '{"nexthop": {"id": 10}}'
	check_ok "route-del" ynl --do route-del --json \
		"{\"route\": $(route_json vpna 10.2.0.0 16)}"
	check_jq '[]' '[.[].route[]?]' "no routes" --dump route-get
}

test_busy()
{
	check_ok "route over group 100" ynl --do route-new --json \
		"{\"route\": $(route_json vpna 10.3.0.0 16 '"group-id": 100')}"
	check_ok "route over nexthop 10" ynl --do route-new --json \
		"{\"route\": $(route_json vpna 10.4.0.0 16 '"nexthop-id": 10')}"
	check_reject "vpnlb: tunnel 1 is used by nexthop 10" \
		--do tunnel-del --json '{"tunnel": {"id": 1}}'
	check_reject "vpnlb: nexthop 11 is used by group 100" \
		--do nexthop-del --json '{"nexthop": {"id": 11}}'
	check_reject "vpnlb: group 100 is used by route vpna 10.3.0.0/16" \
		--do group-del --json '{"group": {"id": 100}}'
	check_ok "group 100 to nexthop 11 only" ynl --do group-set --json \
		'{"group": {"id": 100, "member": [{"nexthop-id": 11}]}}'
	check_reject "vpnlb: nexthop 10 is used by route vpna 10.4.0.0/16" \
		--do nexthop-del --json '{"nexthop": {"id": 10}}'
	check_ok "routes away" ynl --do route-del --json \
		"{\"route\": [$(route_json vpna 10.3.0.0 16), $(route_json vpna 10.4.0.0 16)]}"
	check_ok "group 100 back" ynl --do group-set --json \
		'{"group": {"id": 100, "member": [{"nexthop-id": 10, "weight": 3}, {"nexthop-id": 11}, {"nexthop-id": 12, "weight": 2}]}}'
}

# JSON list of routes FIRST..LAST of the batch: 10.(100+i/256).(i%256).0/24.
batch_json()
{
	local i sep=

	printf '{"route": ['
	for ((i = $1; i <= $2; i++)); do
		printf '%s{"instance": "vpna", "prefix": %u, "prefixlen": 24' \
			"$sep" $(((10 << 24) | ((100 + i / 256) << 16) | ((i % 256) << 8)))
		[ "$3" = new ] && printf ', "group-id": 100'
		printf '}'
		sep=', '
	done
	printf ']}'
}

test_batch()
{
	local i out n

	for ((i = 0; i < BATCH; i += BATCH_CHUNK)); do
		check_ok "batch add $i" ynl --do route-new --json \
			"$(batch_json $i $((i + BATCH_CHUNK - 1)) new)" || return 1
	done
	check_jq "$BATCH" '.instance.routes' "instance counts the routes" \
		--do instance-get --json '{"instance": {"name": "vpna"}}'
	# The dump spans many messages and recvmsg calls.
	out=$(ynl --dump route-get --json '{"route": {"instance": "vpna"}}')
	n=$(jq '[.[].route[]] | length' <<< "$out")
	check_eq "$BATCH" "$n" "routes dumped"
	n=$(jq '[.[].route[] | "\(.prefix)/\(.prefixlen)"] | unique | length' \
	    <<< "$out")
	check_eq "$BATCH" "$n" "distinct routes dumped"
	n=$(jq -r '[.[].route[] | .prefix] | .[0], .[-1]' <<< "$out" | paste -sd ' ')
	check_eq "10.100.0.0 $(printf '10.%d.%d.0' $((100 + (BATCH - 1) / 256)) \
		$(((BATCH - 1) % 256)))" "$n" "dump in prefix order"
	check_eq "$BATCH" "$(group_users 100)" "group users"

	for ((i = 0; i < BATCH; i += BATCH_CHUNK)); do
		check_ok "batch del $i" ynl --do route-del --json \
			"$(batch_json $i $((i + BATCH_CHUNK - 1)) del)" || return 1
	done
	check_jq '0' '.instance.routes' "all deleted" \
		--do instance-get --json '{"instance": {"name": "vpna"}}'
	check_jq '[]' '[.[].route[]?]' "dump empty" --dump route-get
}

group_users()
{
	ynl --do group-get --json "{\"group\": {\"id\": $1}}" | jq '.group.users'
}

test_lookup()
{
	check_ok "three nested routes" ynl --do route-new --json \
		"{\"route\": [$(route_json vpna 10.0.0.0 8 '"group-id": 100'), $(route_json vpna 10.1.0.0 16 '"nexthop-id": 10'), $(route_json vpna 10.1.2.0 24 '"nexthop-id": 11'), $(route_json vpna 10.1.3.128 25 '"nexthop-id": 11'), $(route_json vpna 11.0.0.0 8 '"nexthop-id": 11')]}"
	lookup_is 10.1.2.3 "10.1.2.0/24"
	lookup_is 10.1.3.3 "10.1.0.0/16"
	lookup_is 10.1.3.200 "10.1.3.128/25"
	lookup_is 10.200.0.1 "10.0.0.0/8"
	check_reject "vpnlb: no route in vpna matches 12.0.0.1" --do route-get \
		--json "{\"route\": {\"instance\": \"vpna\", \"lookup-addr\": $(ip2int 12.0.0.1)}}"
	check_jq '["10.1.0.0/16","10.1.2.0/24","10.1.3.128/25"]' \
		'[.[].route[] | "\(.prefix)/\(.prefixlen)"]' "longer-match dump" \
		--dump route-get --json "{\"route\": $(route_json vpna 10.1.0.0 16 '"longer": true')}"
	check_jq '["10.1.0.0/16"]' \
		'[.[].route[] | "\(.prefix)/\(.prefixlen)"]' "exact prefix dump" \
		--dump route-get --json "{\"route\": $(route_json vpna 10.1.0.0 16)}"
	check_jq '["10.0.0.0/8","10.1.0.0/16","10.1.2.0/24","10.1.3.128/25","11.0.0.0/8"]' \
		'[.[].route[] | "\(.prefix)/\(.prefixlen)"]' "instance dump" \
		--dump route-get --json '{"route": {"instance": "vpna"}}'
}

lookup_is()	# ADDR EXPECTED-PREFIX/LEN
{
	check_jq "\"$2\"" '.route[0] | "\(.prefix)/\(.prefixlen)"' \
		"longest match for $1" --do route-get \
		--json "{\"route\": {\"instance\": \"vpna\", \"lookup-addr\": $(ip2int "$1")}}"
}

test_replace()
{
	local r

	r=$(route_json vpna 10.1.0.0 16 '"nexthop-id": 10, "generation": 2')
	sleep 2
	check_ok "replace with equal contents" ynl --do route-new --replace \
		--json "{\"route\": $r}"
	check_jq '[2,true]' '.route[0] | [.generation, .age >= 2]' \
		"generation bumped, route kept (age)" \
		--do route-get --json "{\"route\": $(route_json vpna 10.1.0.0 16)}"
	check_reject "vpnlb: 10.1.0.0/16 already exists in vpna" \
		--do route-new --json "{\"route\": $r}"
	r=$(route_json vpna 10.1.0.0 16 '"nexthop-id": 11, "generation": 3')
	check_ok "replace with new contents" ynl --do route-new --replace \
		--json "{\"route\": $r}"
	check_jq '[3,11]' '.route[0] | [.generation, ."nexthop-id"]' \
		"replaced" \
		--do route-get --json "{\"route\": $(route_json vpna 10.1.0.0 16)}"
	check_ok "group replace, same members" ynl --do group-new --replace \
		--json '{"group": {"id": 100, "instance": "vpna", "generation": 4, "member": [{"nexthop-id": 10, "weight": 3}, {"nexthop-id": 11}, {"nexthop-id": 12, "weight": 2}]}}'
	check_jq '[4,[10,11,12]]' '.group | [.generation, [.member[]."nexthop-id"]]' \
		"group generation bumped" \
		--do group-get --json '{"group": {"id": 100}}'
	check_ok "tunnel replace" ynl --do tunnel-new --replace --json \
		"{\"tunnel\": {\"id\": 1, \"pe\": $PE2, \"gateway\": $GW1, \"ifindex\": $C0, \"label\": [16], \"generation\": 5}}"
	check_jq '[5,[16],1]' '.tunnel | [.generation, .label, .users]' \
		"tunnel generation bumped" \
		--do tunnel-get --json '{"tunnel": {"id": 1}}'
}

test_flush()
{
	local n

	check_ok "objects of owner 7" ynl --do tunnel-new --json \
		"{\"tunnel\": {\"id\": 70, \"pe\": $PE3, \"gateway\": $GW1, \"ifindex\": $C0, \"owner\": 7, \"generation\": 1}}"
	check_ok "nexthop 70" ynl --do nexthop-new --json \
		'{"nexthop": {"id": 70, "tunnel-id": 70, "label": 700, "owner": 7, "generation": 1}}'
	check_ok "routes of owner 7 and 8" ynl --do route-new --json \
		"{\"route\": [$(route_json vpna 20.1.0.0 16 '"nexthop-id": 70, "owner": 7, "generation": 1'), $(route_json vpna 20.2.0.0 16 '"nexthop-id": 70, "owner": 7, "generation": 1'), $(route_json vpna 20.3.0.0 16 '"nexthop-id": 10, "owner": 7, "generation": 2'), $(route_json vpna 20.4.0.0 16 '"nexthop-id": 10, "owner": 8, "generation": 1')]}"
	# Owner 7 restarted with generation 2: older ones go, with the
	# nexthop and tunnel nothing uses any more.
	check_jq '4' '.flush.deleted' "flush owner 7 generation 2" \
		--do flush --json '{"flush": {"owner": 7, "generation": 2}}'
	check_jq '["20.3.0.0","20.4.0.0"]' \
		'[.[].route[] | select(.prefix | startswith("20.")) | .prefix]' \
		"routes left" --dump route-get
	n=$(ynl --dump nexthop-get | jq '[.[].nexthop.id | select(. == 70)] | length')
	check_eq 0 "$n" "nexthop 70 flushed"
	n=$(ynl --dump tunnel-get | jq '[.[].tunnel.id | select(. == 70)] | length')
	check_eq 0 "$n" "tunnel 70 flushed"
	check_jq '1' '.flush.deleted' "flush owner 8 in vpna" \
		--do flush --json '{"flush": {"instance": "vpna", "owner": 8}}'
	check_reject "vpnlb: instance nosuch does not exist" \
		--do flush --json '{"flush": {"instance": "nosuch"}}'
	check_ok "last test route away" ynl --do route-del --json \
		"{\"route\": $(route_json vpna 20.3.0.0 16)}"
}

# notify_do OP JSON: OP, with another socket subscribed to "notify";
# prints the notifications that came, one JSON line each.
notify_do()
{
	local out

	out=$(ynl --subscribe notify --do "$1" --json "$2") || {
		printf '%s\n' "$out" >&2
		return 1
	}
	# The first line is the reply.
	tail -n +2 <<< "$out"
}

test_notify()
{
	local out

	out=$(notify_do tunnel-set '{"tunnel": {"id": 2, "label": [40]}}')
	check_eq '[{"name":"tunnel-set-ntf","id":2,"label":[40]}]' \
		"$(jq -sc '[.[] | {name, id: .msg.tunnel.id, label: .msg.tunnel.label}]' <<< "$out")" \
		"tunnel-set notification"
	out=$(notify_do route-new "{\"route\": [$(route_json vpna 30.1.0.0 16 '"group-id": 100'), $(route_json vpna 30.2.0.0 16 '"group-id": 100')]}")
	check_eq '["route-new-ntf","30.1.0.0",100,"route-new-ntf","30.2.0.0",100]' \
		"$(jq -sc '[.[] | .name as $n | .msg.route[] | $n, .prefix, ."group-id"]' <<< "$out")" \
		"route-new notification of a batch"
	out=$(notify_do route-del "{\"route\": [$(route_json vpna 30.1.0.0 16), $(route_json vpna 30.2.0.0 16)]}")
	check_eq '["route-del-ntf","30.1.0.0",null,"route-del-ntf","30.2.0.0",null]' \
		"$(jq -sc '[.[] | .name as $n | .msg.route[] | $n, .prefix, ."group-id"]' <<< "$out")" \
		"route-del notification, keys only"
	out=$(notify_do instance-set '{"instance": {"name": "vpna", "max-paths": 2}}')
	check_eq '[{"name":"instance-set-ntf","mp":2}]' \
		"$(jq -sc '[.[] | {name, mp: .msg.instance."max-paths"}]' <<< "$out")" \
		"instance-set notification"
	ynl --do tunnel-set --json '{"tunnel": {"id": 2, "no-labels": true}}' \
		> /dev/null
}

test_bad_input()
{
	local i members name32

	SNAP=$(snapshot)
	check_reject "vpnlb: 10.9.0.1/16 has host bits set" --do route-new \
		--json "{\"route\": $(route_json vpna 10.9.0.1 16 '"group-id": 100')}"
	check_reject "integer out of range" --do route-new \
		--json "{\"route\": $(route_json vpna 10.9.0.0 33 '"group-id": 100')}"
	check_reject "integer out of range" --do nexthop-new \
		--json '{"nexthop": {"id": 20, "tunnel-id": 1, "label": 1048576}}'
	check_reject "integer out of range" --do tunnel-new \
		--json "{\"tunnel\": {\"id\": 20, \"pe\": $PE2, \"gateway\": $GW1, \"ifindex\": $C0, \"label\": [16, 1048576]}}"
	check_reject "vpnlb: a tunnel has at most 3 labels" --do tunnel-new \
		--json "{\"tunnel\": {\"id\": 20, \"pe\": $PE2, \"gateway\": $GW1, \"ifindex\": $C0, \"label\": [1, 2, 3, 4]}}"
	check_reject "integer out of range" --do group-new \
		--json '{"group": {"id": 200, "instance": "vpna", "member": [{"nexthop-id": 10, "weight": 0}]}}'
	check_reject "integer out of range" --do group-new \
		--json '{"group": {"id": 200, "instance": "vpna", "member": [{"nexthop-id": 10, "weight": 65536}]}}'
	check_reject "vpnlb: instance nosuch does not exist" --do route-new \
		--json "{\"route\": $(route_json nosuch 10.9.0.0 16 '"group-id": 100')}"
	check_reject "vpnlb: instance nosuch does not exist" --do group-new \
		--json '{"group": {"id": 200, "instance": "nosuch", "member": [{"nexthop-id": 10}]}}'
	check_reject "vpnlb: group 999 does not exist" --do route-new \
		--json "{\"route\": $(route_json vpna 10.9.0.0 16 '"group-id": 999')}"
	check_reject "vpnlb: nexthop 999 does not exist" --do route-new \
		--json "{\"route\": $(route_json vpna 10.9.0.0 16 '"nexthop-id": 999')}"
	check_reject "vpnlb: tunnel 999 does not exist" --do nexthop-new \
		--json '{"nexthop": {"id": 20, "tunnel-id": 999, "label": 5}}'
	check_reject "vpnlb: member 1: nexthop 999 does not exist" --do group-new \
		--json '{"group": {"id": 200, "instance": "vpna", "member": [{"nexthop-id": 10}, {"nexthop-id": 999}]}}'
	check_reject "vpnlb: member 1: nexthop 10 is listed twice" --do group-new \
		--json '{"group": {"id": 200, "instance": "vpna", "member": [{"nexthop-id": 10}, {"nexthop-id": 10}]}}'
	check_reject "vpnlb: tunnel 1 already exists" --do tunnel-new \
		--json "{\"tunnel\": {\"id\": 1, \"pe\": $PE2, \"gateway\": $GW1, \"ifindex\": $C0}}"
	check_reject "vpnlb: nexthop 10 already exists" --do nexthop-new \
		--json '{"nexthop": {"id": 10, "tunnel-id": 1, "label": 5}}'
	check_reject "vpnlb: group 100 already exists" --do group-new \
		--json '{"group": {"id": 100, "instance": "vpna", "member": [{"nexthop-id": 10}]}}'
	check_reject "vpnlb: instance vpna already exists" --do instance-new \
		--json "$(inst_json vpna "$VRF_A")"
	check_reject "vpnlb: VRF table 10 is used by instance vpna" \
		--do instance-new --json "$(inst_json vpnz "$VRF_A")"
	name32=abcdefghijklmnopqrstuvwxyz012345
	check_reject "Attribute failed policy validation" --do instance-new \
		--json "$(inst_json "$name32" "$VRF_B")"
	check_reject "vpnlb: instance name is empty" --do instance-new \
		--json "$(inst_json "" "$VRF_B")"
	check_reject "vpnlb: device c0 is not a VRF" --do instance-new \
		--json "$(inst_json vpnz "$C0")"
	check_reject "vpnlb: device 999999 does not exist" --do instance-new \
		--json "$(inst_json vpnz 999999)"
	check_reject "integer out of range" --do instance-set \
		--json '{"instance": {"name": "vpna", "max-paths": 0}}'
	check_reject "integer out of range" --do instance-set \
		--json '{"instance": {"name": "vpna", "max-paths": 65}}'
	check_reject "integer out of range" --do instance-set \
		--json '{"instance": {"name": "vpna", "max-paths-ibgp": 65}}'
	check_reject "integer out of range" --do group-set \
		--json '{"group": {"id": 100, "protocol": 3}}'
	check_reject "integer out of range" --do instance-set \
		--json '{"instance": {"name": "vpna", "lb-mode": 2}}'
	check_reject "attribute is read-only" --do instance-set \
		--json '{"instance": {"name": "vpna", "table": 5}}'
	members=$(for ((i = 0; i < 129; i++)); do
		printf '{"nexthop-id": 10}, '
	done)
	check_reject "vpnlb: a group has at most 128 members, not 129" \
		--do group-new --json "{\"group\": {\"id\": 200, \"instance\": \"vpna\", \"member\": [${members%, }]}}"
	# Batches: all or nothing, the failing entry named.
	check_reject "vpnlb: route 2: group 999 does not exist" --do route-new \
		--json "{\"route\": [$(route_json vpna 10.9.0.0 16 '"group-id": 100'), $(route_json vpna 10.9.1.0 24 '"group-id": 100'), $(route_json vpna 10.9.2.0 24 '"group-id": 999')]}"
	check_reject "vpnlb: route 1: integer out of range" --do route-new \
		--json "{\"route\": [$(route_json vpna 10.9.0.0 16 '"group-id": 100'), $(route_json vpna 10.9.1.0 33 '"group-id": 100')]}"
	check_reject "vpnlb: route 2: 10.9.0.0/16 is listed twice" --do route-new \
		--json "{\"route\": [$(route_json vpna 10.9.0.0 16 '"group-id": 100'), $(route_json vpna 10.9.1.0 24 '"group-id": 100'), $(route_json vpna 10.9.0.0 16 '"nexthop-id": 10')]}"
	check_reject "vpnlb: route 1: 10.7.0.0/16 does not exist in vpna" \
		--do route-del --json "{\"route\": [$(route_json vpna 10.1.0.0 16), $(route_json vpna 10.7.0.0 16)]}"
	SNAP=
}

test_big_group()
{
	local i members=

	for ((i = 1000; i < 1128; i++)); do
		ynl --do nexthop-new --json \
			"{\"nexthop\": {\"id\": $i, \"tunnel-id\": 1, \"label\": $i}}" \
			> /dev/null || {
			check_fail "128 nexthops: nexthop $i"
			return 1
		}
	done
	for ((i = 1000; i < 1128; i++)); do
		members+="{\"nexthop-id\": $i, \"weight\": 65535}, "
	done
	check_ok "group of 128 members" ynl --do group-new --json \
		"{\"group\": {\"id\": 128, \"instance\": \"vpna\", \"member\": [${members%, }]}}"
	# With counters the reply outgrows a page.
	check_jq '[128,2,126,0]' \
		'.group.member | [length, ([.[] | select(.state == "active")] | length), ([.[] | select(.state == "backup")] | length), (map(.packets) | add)]' \
		"members, active, backup, packets" \
		--do group-get --json '{"group": {"id": 128}, "stats": true}'
	check_jq '128' '[.[] | select(.group.id == 128) | .group.member[]] | length' \
		"group dump with counters" --dump group-get --json '{"stats": true}'
	check_ok "group away" ynl --do group-del --json '{"group": {"id": 128}}'
	for ((i = 1000; i < 1128; i++)); do
		ynl --do nexthop-del --json "{\"nexthop\": {\"id\": $i}}" \
			> /dev/null || {
			check_fail "128 nexthops away: nexthop $i"
			return 1
		}
	done
}

test_vrf_gone()
{
	check_ok "instance on vrf-b" ynl --do instance-new --json \
		"$(inst_json vpnb "$VRF_B")"
	check_ok "group in vpnb" ynl --do group-new --json \
		'{"group": {"id": 300, "instance": "vpnb", "member": [{"nexthop-id": 11}]}}'
	check_ok "route in vpnb" ynl --do route-new --json \
		"{\"route\": $(route_json vpnb 10.5.0.0 16 '"group-id": 300')}"
	check_reject "vpnlb: group 300 belongs to instance vpnb" --do route-new \
		--json "{\"route\": $(route_json vpna 10.9.0.0 16 '"group-id": 300')}"
	ip -n "$pe" link del vrf-b
	check_jq '["vpna"]' '[.[].instance.name]' "instance left with its VRF" \
		--dump instance-get
	check_jq '[100]' '[.[].group.id]' "its group too" --dump group-get
}

# A ping in the VRF leaves c0 with the tunnel label, the VPN label (S bit)
# and the TTL the instance's TTL mode gives.
capture_ping()	# FILE TTL
{
	local cap=$1

	in_ns "$p" timeout 20 tcpdump -nn -e -l -i c1 -c 1 mpls > "$cap" 2>/dev/null &
	local tpid=$!

	sleep 2
	in_ns "$pe" ping -q -c 1 -W 1 -t "$2" -I vrf-a 10.2.0.5 > /dev/null 2>&1
	wait $tpid
}

test_datapath()
{
	local cap=/tmp/vpnlb_netlink.$$.pcap.txt

	ksft_defer rm -f "$cap"
	ip -n "$pe" addr add 10.1.0.1/32 dev vrf-a &&
	ip -n "$pe" route add 10.2.0.0/16 dev vrf-a table 10 &&
	ip -n "$p" link set c1 promisc on || return 1
	check_ok "group over tunnel 1 only" ynl --do group-set --json \
		'{"group": {"id": 100, "member": [{"nexthop-id": 10}]}}'
	check_ok "route to the far side" ynl --do route-new --json \
		"{\"route\": $(route_json vpna 10.2.0.0 16 '"group-id": 100')}"
	capture_ping "$cap" 40
	check_eq "MPLS (label 16, tc 0, ttl 40) (label 1002, tc 0, [S], ttl 40) 10.1.0.1 > 10.2.0.5: ICMP echo request" \
		"$(grep -o 'MPLS (label.* ICMP echo request' "$cap")" "uniform TTL labels"
	check_ok "pipe mode" ynl --do instance-set --json \
		'{"instance": {"name": "vpna", "ttl-mode": 1}}'
	capture_ping "$cap" 40
	check_eq "MPLS (label 16, tc 0, ttl 255) (label 1002, tc 0, [S], ttl 255) 10.1.0.1 > 10.2.0.5: ICMP echo request" \
		"$(grep -o 'MPLS (label.* ICMP echo request' "$cap")" "pipe TTL labels"
	check_jq '[2,0]' '.instance.stats | [.hits, .misses]' "instance counters" \
		--do instance-get --json '{"instance": {"name": "vpna"}, "stats": true}'
	check_jq '2' '.group.member[0].packets' "member counter" \
		--do group-get --json '{"group": {"id": 100}, "stats": true}'
	# 1628 bytes without DF over c0 (MTU 1500, 8 bytes of labels): two
	# labelled fragments.
	in_ns "$p" timeout 20 tcpdump -nn -e -l -i c1 -c 2 mpls > "$cap" 2>/dev/null &
	local tpid=$!

	sleep 2
	in_ns "$pe" ping -q -c 1 -W 1 -M dont -s 1600 -I vrf-a 10.2.0.5 \
		> /dev/null 2>&1
	wait $tpid
	check_eq "2 2" "$(grep -c 'MPLS (label 16, tc 0, ttl 255) (label 1002, tc 0, \[S\], ttl 255)' "$cap") $(awk '/MPLS \(label/ { for (i = 1; i < NF; i++) if ($i == "length") { if ($(i + 1) + 0 <= 1514) n++; break } } END { print n + 0 }' "$cap")" \
		"fragments without DF, each labelled, none over the MTU"
	check_jq '0' '.instance.stats."drop-mtu"' "no MTU drop" \
		--do instance-get --json '{"instance": {"name": "vpna"}, "stats": true}'
}

test_netns_gone()
{
	local ns2

	netns_create ns2 || return 1
	ip -n "$ns2" link add vrf-x type vrf table 30 &&
	ip -n "$ns2" link set vrf-x up &&
	ip -n "$ns2" link add e0 type dummy &&
	ip -n "$ns2" link set e0 up || return 1
	ynl_start ns2 "$ns2" || { check_fail "YNL in a second netns"; return 1; }
	ynl_to ns2 --do instance-new \
		--json "$(inst_json vpnx "$(ip -n "$ns2" -j link show vrf-x | jq '.[0].ifindex')")" > /dev/null &&
	ynl_to ns2 --do tunnel-new \
		--json "{\"tunnel\": {\"id\": 1, \"pe\": $PE2, \"gateway\": $GW1, \"ifindex\": $(ip -n "$ns2" -j link show e0 | jq '.[0].ifindex')}}" > /dev/null &&
	ynl_to ns2 --do nexthop-new \
		--json '{"nexthop": {"id": 1, "tunnel-id": 1, "label": 100}}' > /dev/null &&
	ynl_to ns2 --do group-new \
		--json '{"group": {"id": 1, "instance": "vpnx", "member": [{"nexthop-id": 1}]}}' > /dev/null &&
	ynl_to ns2 --do route-new \
		--json "{\"route\": $(route_json vpnx 10.0.0.0 8 '"group-id": 1')}" > /dev/null ||
		{ check_fail "objects in a second netns"; return 1; }
	# Its socket would keep the netns alive.
	ynl_stop ns2
	# Objects are per netns: the test netns does not see them.
	check_jq '["vpna"]' '[.[].instance.name]' "netns isolation" \
		--dump instance-get
	check_ok "netns with live objects deleted" netns_delete "$ns2"
}

test_unload()
{
	# Live objects in the test netns, a route over a resolved neighbour.
	check_ok "rmmod with live objects" rmmod vpnlb
	check_eq absent "$([ -d /sys/module/vpnlb ] && echo present || echo absent)" \
		"module gone"
}

setup || ksft_exit_fail "cannot build the namespaces"
vpnlb_load || ksft_exit_fail "cannot load vpnlb.ko"
ynl_start pe "$pe" || ksft_exit_fail "cannot start YNL in the test netns"

ksft_run spec_valid test_spec_valid
ksft_run instance test_instance
ksft_run tunnel test_tunnel
ksft_run nexthop test_nexthop
ksft_run group test_group
ksft_run max_paths test_max_paths
ksft_run backup_takes_over test_backup
ksft_run route test_route
ksft_run delete_in_use test_busy
ksft_run batch_"$BATCH"_routes test_batch
ksft_run longest_and_longer_match test_lookup
ksft_run replace_bumps_generation test_replace
ksft_run flush_owner_generation test_flush
ksft_run notifications test_notify
ksft_run bad_input test_bad_input
ksft_run group_of_128_members test_big_group
ksft_run vrf_delete test_vrf_gone
ksft_run datapath_labels test_datapath
ksft_run netns_delete test_netns_gone
ksft_run rmmod_with_objects test_unload
ksft_exit
