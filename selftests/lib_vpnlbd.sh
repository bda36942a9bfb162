# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the tests that drive vpnlbd and its BGP peers (bash; source
# after lib.sh, which provides $VPNLBCTL):
#
#   $VPNLBD                      the daemon under test (VPNLBD=PATH: another
#                                build)
#   vpnlbd_start NS SOCK LOG [ARG...]
#                                vpnlbd -f -s SOCK -l debug ARG... in NS,
#                                stderr appended to LOG; waits for SOCK.
#                                Sets VPNLBD_PID.
#   vpnlbd_ctl LINE...           one configuration session through vpnlbctl
#                                on $SOCK, a line per argument
#   wait_for SECONDS PATTERN CMD...
#                                until a line of CMD's output matches PATTERN
#                                (extended regex); fails after SECONDS
#   gobgpd_conf FILE ROUTER-ID NEIGHBOR [graceful|-] [LOCAL-ADDRESS]
#                                a GoBGP config, AS 100, one iBGP VPNv4
#                                neighbor (with graceful restart; sessions
#                                from LOCAL-ADDRESS)
#   gobgpd_start NS CONF LOG [ARG...]
#                                gobgpd -f CONF in NS, output appended to
#                                LOG; sets GOBGPD_PID
#   gobgp_cli NS ARG...          gobgp against the gobgpd of NS (API on
#                                127.0.0.1:50051), retried for 30 s while
#                                gobgpd starts
#   vpnlb_kernel_state NS INSTANCE
#                                one line per kernel object (tunnels,
#                                nexthops, groups, INSTANCE's routes): ids
#                                and contents without ages and generations,
#                                sorted, so two snapshots compare as text
#   vpnlb_group_states NS INSTANCE
#                                the only group's protocol, then the state of
#                                each member: "ibgp active backup"
#   vpnlb_group_generations NS   the generation of every group, in order

VPNLBD=${VPNLBD:-$KSFT_TOP/userspace/vpnlbd/vpnlbd}

vpnlbd_start()
{
	local ns=$1 sock=$2 log=$3 i

	shift 3
	rm -f "$sock"
	ip netns exec "$ns" "$VPNLBD" -f -s "$sock" -l debug "$@" \
		> /dev/null 2>> "$log" &
	VPNLBD_PID=$!
	for ((i = 0; i < 100; i++)); do
		[ -S "$sock" ] && return 0
		sleep 0.1
	done
	return 1
}

vpnlbd_ctl()
{
	"$VPNLBCTL" -S "$SOCK" -c "$(printf '%s\n' "$@")"
}

wait_for()
{
	local deadline=$((SECONDS + $1)) pattern=$2

	shift 2
	while :; do
		"$@" 2> /dev/null | grep -Eq -- "$pattern" && return 0
		[ "$SECONDS" -ge "$deadline" ] && return 1
		sleep 0.2
	done
}

gobgpd_conf()
{
	local gr=

	[ "${4-}" = graceful ] && gr=1
	{
		cat <<-CONF
		[global.config]
		  as = 100
		  router-id = "$2"
		[[neighbors]]
		  [neighbors.config]
		    neighbor-address = "$3"
		    peer-as = 100
		  [neighbors.timers.config]
		    connect-retry = 1
		CONF
		[ -n "${5-}" ] && cat <<-CONF
		  [neighbors.transport.config]
		    local-address = "$5"
		CONF
		[ -n "$gr" ] && cat <<-CONF
		  [neighbors.graceful-restart.config]
		    enabled = true
		    restart-time = 60
		CONF
		cat <<-CONF
		  [[neighbors.afi-safis]]
		    [neighbors.afi-safis.config]
		      afi-safi-name = "l3vpn-ipv4-unicast"
		CONF
		[ -n "$gr" ] && cat <<-CONF
		    [neighbors.afi-safis.mp-graceful-restart.config]
		      enabled = true
		CONF
	} > "$1"
}

gobgpd_start()
{
	local ns=$1 conf=$2 log=$3

	shift 3
	ip netns exec "$ns" gobgpd -f "$conf" --api-hosts=127.0.0.1:50051 \
		"$@" >> "$log" 2>&1 &
	GOBGPD_PID=$!
}

gobgp_cli()
{
	local ns=$1 i

	shift
	for ((i = 0; i < 150; i++)); do
		ip netns exec "$ns" gobgp -u 127.0.0.1 -p 50051 "$@" \
			> /dev/null 2>&1 && return 0
		sleep 0.2
	done
	return 1
}

vpnlb_kernel_state()
{
	local ns=$1 instance=$2

	{
		ip netns exec "$ns" "$VPNLBCTL" -j tunnel show
		echo
		ip netns exec "$ns" "$VPNLBCTL" -j nexthop show
		echo
		ip netns exec "$ns" "$VPNLBCTL" -j group show
		echo
		ip netns exec "$ns" "$VPNLBCTL" -j route show "$instance"
	} | python3 -c '
import json, sys
tun, nh, grp, rt = [json.loads(d) for d in sys.stdin.read().split("\n\n")
                    if d.strip()]
out = []
for t in tun:
    out.append("tunnel %s pe %s via %s dev %s labels %s" % (t["id"], t["pe"],
               t["via"], t["dev"], t.get("labels", t.get("label"))))
for n in nh:
    out.append("nexthop %s tunnel %s label %s" % (n["id"], n["tunnel"],
               n["label"]))
for g in grp:
    out.append("group %s %s %s members %s" % (g["id"], g["instance"],
               g.get("proto"),
               " ".join("%s/%s/%s" % (m["nexthop"], m.get("weight", 1),
                                      m.get("state"))
                        for m in g["members"])))
for r in rt:
    out.append("route %s" % " ".join("%s=%s" % (k, r[k]) for k in sorted(r)
               if k not in ("age", "generation")))
print("\n".join(sorted(out)))
'
}

vpnlb_group_states()
{
	vpnlb_kernel_state "$1" "$2" | awk '$1 == "group" {
		s = $4
		for (i = 6; i <= NF; i++) {
			n = split($i, f, "/")
			s = s " " f[n]
		}
		print s
	}'
}

vpnlb_group_generations()
{
	ip netns exec "$1" "$VPNLBCTL" -j group show | python3 -c '
import json, sys
print(" ".join(str(g["generation"]) for g in json.load(sys.stdin)))'
}
