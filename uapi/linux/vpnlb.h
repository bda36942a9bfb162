/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * vpnlb - load balancing among IPv4 VPN routes (RFC 4364) on a Linux PE.
 *
 * DOC: The vpnlb generic netlink API
 *
 * Family "vpnlb", version VPNLB_GENL_VERSION, multicast group "notify".
 * Every object lives in the network namespace of the socket that talks to it.
 * Documentation/netlink/specs/vpnlb.yaml describes the same API in YNL form.
 *
 * Objects
 * -------
 * instance  A VPN instance (VRP "vpn-instance"), bound to one Linux VRF device.
 *           Its VRF's FIB table id identifies the instance in the data path.
 *           Key: VPNLB_INSTANCE_A_NAME (1..VPNLB_INSTANCE_NAME_MAX chars).
 *           Settings: MAX_PATHS ("maximum load-balancing", 1..64, default 1),
 *           MAX_PATHS_IBGP and MAX_PATHS_EBGP ("maximum load-balancing ibgp|
 *           ebgp", 1..64; 0, the default, follows MAX_PATHS), LB_MODE (flow,
 *           default | packet), HASH_FIELDS (l3 | l3l4, default), TTL_MODE
 *           (uniform, default | pipe).
 * tunnel    The path to one remote PE: PE address, gateway (VRP RelayNextHop),
 *           egress device, transport label stack of 0..VPNLB_TUNNEL_LABELS_MAX
 *           labels, outermost first (none: PHP or directly connected PE).
 *           Key: VPNLB_TUNNEL_A_ID (u32, non-zero).
 * nexthop   One remote PE's VPN path: tunnel + VPN label.
 *           Key: VPNLB_NEXTHOP_A_ID (u32, non-zero).
 * group     An ordered list of (nexthop, weight 1..65535) members belonging to
 *           one instance, at most VPNLB_GROUP_MEMBERS_MAX members. The first
 *           "maximum" members whose tunnel is up are active; the others are
 *           backups kept in order, which replace an active member whose tunnel
 *           goes down. The group's PROTOCOL picks the maximum: an ibgp group
 *           takes the instance's MAX_PATHS_IBGP, an ebgp group MAX_PATHS_EBGP
 *           (each falling back to MAX_PATHS when 0), a static group (the
 *           default) MAX_PATHS. The protocol of a group in use cannot change.
 *           Key: VPNLB_GROUP_A_ID (u32, non-zero).
 * route     instance + IPv4 prefix/len -> group or nexthop, with protocol,
 *           preference, cost, owner, generation and age. An ibgp or ebgp
 *           route can use a group of its own protocol or a static group;
 *           a static route only a static group.
 *
 * Objects reference each other (route -> group -> nexthop -> tunnel) and are
 * shared: changing a tunnel or a group changes forwarding for every route
 * that uses it. Deleting an object still referenced fails with EBUSY and an
 * extack message naming one user. Deleting an instance deletes its routes
 * and groups.
 *
 * Commands
 * --------
 * Every object has NEW, DEL, SET (change an existing one) and GET (do: one
 * object by key; dump: all, optionally filtered). Requests carry the object
 * in its nest attribute (VPNLB_A_INSTANCE, VPNLB_A_TUNNEL, ...); replies and
 * notifications carry it the same way, with read-only attributes filled in.
 *
 * NEW of an existing key fails with EEXIST unless NLM_F_REPLACE is set; a
 * replace whose contents equal the installed object only updates its
 * generation and does not touch forwarding (an agent's mark phase).
 *
 * ROUTE_NEW and ROUTE_DEL take any number of VPNLB_A_ROUTE nests (batch).
 * A batch is all-or-nothing: every entry is checked before any is applied;
 * on error the extack message names the failing entry's index and the
 * attribute.
 *
 * ROUTE_GET do: with PREFIX+PREFIXLEN, the exact route; with VPNLB_ROUTE_A_
 * LOOKUP_ADDR instead, the longest match for that address (VRP "display ip
 * routing-table vpn-instance NAME IP"). ROUTE_GET dump: filter by INSTANCE,
 * by PREFIX+PREFIXLEN (exact), and with VPNLB_ROUTE_A_LONGER also every more
 * specific route inside that prefix ("longer-match").
 *
 * FLUSH deletes, from one instance or all, the routes, then the groups,
 * nexthops and tunnels no longer in use, that have OWNER (if given) and, if
 * GENERATION is given, a generation older than it (serial arithmetic). An
 * agent restarts by re-sending its state with a new generation (NLM_F_REPLACE)
 * and then flushing older generations (sweep).
 *
 * Counters (VPNLB_*_A_STATS) are filled in on GET when the request has the
 * VPNLB_A_STATS flag, or always in dumps requested with it.
 *
 * Permissions: every write op needs CAP_NET_ADMIN in the netns's user
 * namespace (GENL_UNS_ADMIN_PERM). Reads are open.
 *
 * Notifications: NEW/DEL/SET of every object are multicast on "notify" with
 * the same command and the object's full attributes (DEL: key attributes).
 *
 * All IPv4 addresses are in network byte order (struct in_addr); all other
 * integers are in host byte order.
 */
#ifndef _UAPI_LINUX_VPNLB_H
#define _UAPI_LINUX_VPNLB_H

#define VPNLB_GENL_NAME		"vpnlb"
#define VPNLB_GENL_VERSION	1
#define VPNLB_MCGRP_NOTIFY	"notify"

#define VPNLB_INSTANCE_NAME_MAX	31	/* characters, without the NUL */
#define VPNLB_MAX_PATHS_MAX	64	/* "maximum load-balancing" range 1..64 */
#define VPNLB_TUNNEL_LABELS_MAX	3	/* transport labels per tunnel */
#define VPNLB_GROUP_MEMBERS_MAX	128	/* active + backup members per group */
#define VPNLB_LABEL_MAX		0xFFFFF
#define VPNLB_WEIGHT_MAX	65535

enum vpnlb_lb_mode {
	VPNLB_LB_FLOW,		/* hash of the flow: one flow, one path */
	VPNLB_LB_PACKET,	/* weighted smooth round-robin per CPU */
	__VPNLB_LB_MAX,
};

enum vpnlb_hash_fields {
	VPNLB_HASH_L3L4,	/* src, dst, protocol, ports */
	VPNLB_HASH_L3,		/* src, dst */
	__VPNLB_HASH_MAX,
};

enum vpnlb_ttl_mode {
	VPNLB_TTL_UNIFORM,	/* labels carry the IP TTL (after decrement) */
	VPNLB_TTL_PIPE,		/* labels carry 255 */
	__VPNLB_TTL_MAX,
};

enum vpnlb_proto {
	VPNLB_PROTO_STATIC,
	VPNLB_PROTO_IBGP,
	VPNLB_PROTO_EBGP,
	__VPNLB_PROTO_MAX,
};

enum vpnlb_tunnel_state {
	VPNLB_TUNNEL_UP,
	VPNLB_TUNNEL_DOWN_LINK,		/* egress device down or gone */
	VPNLB_TUNNEL_DOWN_NEIGH,	/* gateway neighbour failed */
	__VPNLB_TUNNEL_STATE_MAX,
};

enum vpnlb_member_state {
	VPNLB_MEMBER_ACTIVE,		/* forwarding */
	VPNLB_MEMBER_BACKUP,		/* past the maximum, ready to take over */
	VPNLB_MEMBER_DOWN,		/* its tunnel is down */
	__VPNLB_MEMBER_STATE_MAX,
};

/* Top-level attributes. */
enum {
	VPNLB_A_UNSPEC,
	VPNLB_A_INSTANCE,	/* nest, VPNLB_INSTANCE_A_* */
	VPNLB_A_TUNNEL,		/* nest, VPNLB_TUNNEL_A_* */
	VPNLB_A_NEXTHOP,	/* nest, VPNLB_NEXTHOP_A_* */
	VPNLB_A_GROUP,		/* nest, VPNLB_GROUP_A_* */
	VPNLB_A_ROUTE,		/* nest, VPNLB_ROUTE_A_*; repeated in a batch */
	VPNLB_A_FLUSH,		/* nest, VPNLB_FLUSH_A_* */
	VPNLB_A_STATS,		/* flag: include counters in replies */
	__VPNLB_A_MAX,
};

#define VPNLB_A_MAX (__VPNLB_A_MAX - 1)

enum {
	VPNLB_INSTANCE_A_UNSPEC,
	VPNLB_INSTANCE_A_NAME,		/* string, 1..31 chars */
	VPNLB_INSTANCE_A_VRF_IFINDEX,	/* u32, a VRF device (NEW only) */
	VPNLB_INSTANCE_A_TABLE,		/* u32, read-only: the VRF's table */
	VPNLB_INSTANCE_A_MAX_PATHS,	/* u32, 1..64 */
	VPNLB_INSTANCE_A_LB_MODE,	/* u8, enum vpnlb_lb_mode */
	VPNLB_INSTANCE_A_HASH_FIELDS,	/* u8, enum vpnlb_hash_fields */
	VPNLB_INSTANCE_A_TTL_MODE,	/* u8, enum vpnlb_ttl_mode */
	VPNLB_INSTANCE_A_OWNER,		/* u32 */
	VPNLB_INSTANCE_A_GENERATION,	/* u32 */
	VPNLB_INSTANCE_A_ROUTES,	/* u32, read-only: routes installed */
	VPNLB_INSTANCE_A_STATS,		/* nest, VPNLB_ISTATS_A_*, read-only */
	VPNLB_INSTANCE_A_VRF_NAME,	/* string, read-only */
	VPNLB_INSTANCE_A_MAX_PATHS_IBGP,/* u32, 0..64, 0: follow MAX_PATHS */
	VPNLB_INSTANCE_A_MAX_PATHS_EBGP,/* u32, 0..64, 0: follow MAX_PATHS */
	__VPNLB_INSTANCE_A_MAX,
};

#define VPNLB_INSTANCE_A_MAX (__VPNLB_INSTANCE_A_MAX - 1)

/* Per-instance counters, u64 each. */
enum {
	VPNLB_ISTATS_A_UNSPEC,
	VPNLB_ISTATS_A_PAD,
	VPNLB_ISTATS_A_HITS,		/* packets that matched a route */
	VPNLB_ISTATS_A_MISSES,		/* packets left to kernel routing */
	VPNLB_ISTATS_A_DROP_TTL,	/* TTL expired (ICMP time exceeded) */
	VPNLB_ISTATS_A_DROP_MTU,	/* too big with DF (ICMP frag needed) */
	VPNLB_ISTATS_A_DROP_NO_NEIGH,	/* neighbour output failed */
	VPNLB_ISTATS_A_DROP_TUNNEL_DOWN,/* route's single nexthop down */
	VPNLB_ISTATS_A_DROP_NO_MEMBER,	/* group with no active member */
	VPNLB_ISTATS_A_DROP_NOMEM,	/* headroom or allocation failure */
	__VPNLB_ISTATS_A_MAX,
};

#define VPNLB_ISTATS_A_MAX (__VPNLB_ISTATS_A_MAX - 1)

enum {
	VPNLB_TUNNEL_A_UNSPEC,
	VPNLB_TUNNEL_A_ID,		/* u32, non-zero */
	VPNLB_TUNNEL_A_PE,		/* in_addr: remote PE (BGP next hop) */
	VPNLB_TUNNEL_A_GATEWAY,		/* in_addr: neighbour on the egress dev */
	VPNLB_TUNNEL_A_IFINDEX,		/* u32: egress device */
	VPNLB_TUNNEL_A_LABEL,		/* u32 <= 0xFFFFF, repeated 0..3 times,
					 * outermost first
					 */
	VPNLB_TUNNEL_A_STATE,		/* u8, enum vpnlb_tunnel_state, r/o */
	VPNLB_TUNNEL_A_OWNER,		/* u32 */
	VPNLB_TUNNEL_A_GENERATION,	/* u32 */
	VPNLB_TUNNEL_A_USERS,		/* u32, read-only: nexthops using it */
	VPNLB_TUNNEL_A_IFNAME,		/* string, read-only */
	VPNLB_TUNNEL_A_NO_LABELS,	/* flag: SET to an empty label stack */
	__VPNLB_TUNNEL_A_MAX,
};

#define VPNLB_TUNNEL_A_MAX (__VPNLB_TUNNEL_A_MAX - 1)

enum {
	VPNLB_NEXTHOP_A_UNSPEC,
	VPNLB_NEXTHOP_A_ID,		/* u32, non-zero */
	VPNLB_NEXTHOP_A_TUNNEL_ID,	/* u32 */
	VPNLB_NEXTHOP_A_LABEL,		/* u32 <= 0xFFFFF: the VPN label */
	VPNLB_NEXTHOP_A_NEIGHBOR,	/* in_addr: BGP peer that sent it
					 * (default: the tunnel's PE)
					 */
	VPNLB_NEXTHOP_A_OWNER,		/* u32 */
	VPNLB_NEXTHOP_A_GENERATION,	/* u32 */
	VPNLB_NEXTHOP_A_USERS,		/* u32, read-only: groups + routes */
	__VPNLB_NEXTHOP_A_MAX,
};

#define VPNLB_NEXTHOP_A_MAX (__VPNLB_NEXTHOP_A_MAX - 1)

enum {
	VPNLB_GROUP_A_UNSPEC,
	VPNLB_GROUP_A_ID,		/* u32, non-zero */
	VPNLB_GROUP_A_INSTANCE,		/* string: owning instance (NEW only) */
	/* nest VPNLB_MEMBER_A_*, repeated, in order; SET replaces the list */
	VPNLB_GROUP_A_MEMBER,
	VPNLB_GROUP_A_OWNER,		/* u32 */
	VPNLB_GROUP_A_GENERATION,	/* u32 */
	VPNLB_GROUP_A_USERS,		/* u32, read-only: routes using it */
	VPNLB_GROUP_A_PROTOCOL,		/* u8, enum vpnlb_proto, default static:
					 * which maximum applies
					 */
	__VPNLB_GROUP_A_MAX,
};

#define VPNLB_GROUP_A_MAX (__VPNLB_GROUP_A_MAX - 1)

enum {
	VPNLB_MEMBER_A_UNSPEC,
	VPNLB_MEMBER_A_PAD,
	VPNLB_MEMBER_A_NEXTHOP_ID,	/* u32 */
	VPNLB_MEMBER_A_WEIGHT,		/* u32, 1..65535, default 1 */
	VPNLB_MEMBER_A_STATE,		/* u8, enum vpnlb_member_state, r/o */
	VPNLB_MEMBER_A_PACKETS,		/* u64, read-only */
	VPNLB_MEMBER_A_BYTES,		/* u64, read-only */
	__VPNLB_MEMBER_A_MAX,
};

#define VPNLB_MEMBER_A_MAX (__VPNLB_MEMBER_A_MAX - 1)

enum {
	VPNLB_ROUTE_A_UNSPEC,
	VPNLB_ROUTE_A_PAD,
	VPNLB_ROUTE_A_INSTANCE,		/* string */
	VPNLB_ROUTE_A_PREFIX,		/* in_addr, host bits zero */
	VPNLB_ROUTE_A_PREFIXLEN,	/* u8, 0..32 */
	VPNLB_ROUTE_A_GROUP_ID,		/* u32: either this ... */
	VPNLB_ROUTE_A_NEXTHOP_ID,	/* u32: ... or this */
	VPNLB_ROUTE_A_PROTOCOL,		/* u8, enum vpnlb_proto, default static */
	VPNLB_ROUTE_A_PREFERENCE,	/* u32, 0..255, default 255 for BGP,
					 * 60 for static (VRP defaults)
					 */
	VPNLB_ROUTE_A_COST,		/* u32 */
	VPNLB_ROUTE_A_OWNER,		/* u32 */
	VPNLB_ROUTE_A_GENERATION,	/* u32 */
	VPNLB_ROUTE_A_AGE,		/* u64, read-only: seconds since created */
	VPNLB_ROUTE_A_LOOKUP_ADDR,	/* in_addr: GET do, longest match */
	VPNLB_ROUTE_A_LONGER,		/* flag: dump filter, longer-match */
	__VPNLB_ROUTE_A_MAX,
};

#define VPNLB_ROUTE_A_MAX (__VPNLB_ROUTE_A_MAX - 1)

enum {
	VPNLB_FLUSH_A_UNSPEC,
	VPNLB_FLUSH_A_INSTANCE,		/* string: only this instance */
	VPNLB_FLUSH_A_OWNER,		/* u32: only this owner */
	VPNLB_FLUSH_A_GENERATION,	/* u32: only generations older */
	VPNLB_FLUSH_A_DELETED,		/* u32, reply: objects deleted */
	__VPNLB_FLUSH_A_MAX,
};

#define VPNLB_FLUSH_A_MAX (__VPNLB_FLUSH_A_MAX - 1)

enum vpnlb_cmd {
	VPNLB_CMD_UNSPEC,
	VPNLB_CMD_INSTANCE_NEW,
	VPNLB_CMD_INSTANCE_DEL,
	VPNLB_CMD_INSTANCE_SET,
	VPNLB_CMD_INSTANCE_GET,
	VPNLB_CMD_TUNNEL_NEW,
	VPNLB_CMD_TUNNEL_DEL,
	VPNLB_CMD_TUNNEL_SET,
	VPNLB_CMD_TUNNEL_GET,
	VPNLB_CMD_NEXTHOP_NEW,
	VPNLB_CMD_NEXTHOP_DEL,
	VPNLB_CMD_NEXTHOP_SET,
	VPNLB_CMD_NEXTHOP_GET,
	VPNLB_CMD_GROUP_NEW,
	VPNLB_CMD_GROUP_DEL,
	VPNLB_CMD_GROUP_SET,
	VPNLB_CMD_GROUP_GET,
	VPNLB_CMD_ROUTE_NEW,
	VPNLB_CMD_ROUTE_DEL,
	VPNLB_CMD_ROUTE_SET,
	VPNLB_CMD_ROUTE_GET,
	VPNLB_CMD_FLUSH,
	__VPNLB_CMD_MAX,
};

#define VPNLB_CMD_MAX (__VPNLB_CMD_MAX - 1)

#endif /* _UAPI_LINUX_VPNLB_H */
