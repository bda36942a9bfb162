// SPDX-License-Identifier: GPL-2.0-or-later
/* Netlink attributes <-> struct vl_*, bounds-checked both ways. */
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "codec.h"

#define U8	{ .type = NLA_U8, .minlen = 1, .maxlen = 1 }
#define U32	{ .type = NLA_U32, .minlen = 4, .maxlen = 4 }
#define U64	{ .type = NLA_U64, .minlen = 8, .maxlen = 8 }
#define FLAG	{ .type = NLA_FLAG }
#define NEST	{ .type = NLA_NESTED }
#define STR(n)	{ .type = NLA_STRING, .maxlen = (n) }

static struct nla_policy top_policy[VPNLB_A_MAX + 1] = {
	[VPNLB_A_INSTANCE] = NEST,
	[VPNLB_A_TUNNEL] = NEST,
	[VPNLB_A_NEXTHOP] = NEST,
	[VPNLB_A_GROUP] = NEST,
	[VPNLB_A_ROUTE] = NEST,
	[VPNLB_A_FLUSH] = NEST,
	[VPNLB_A_STATS] = FLAG,
};

static struct nla_policy instance_policy[VPNLB_INSTANCE_A_MAX + 1] = {
	[VPNLB_INSTANCE_A_NAME] = STR(VL_NAME_SIZE),
	[VPNLB_INSTANCE_A_VRF_IFINDEX] = U32,
	[VPNLB_INSTANCE_A_TABLE] = U32,
	[VPNLB_INSTANCE_A_MAX_PATHS] = U32,
	[VPNLB_INSTANCE_A_LB_MODE] = U8,
	[VPNLB_INSTANCE_A_HASH_FIELDS] = U8,
	[VPNLB_INSTANCE_A_TTL_MODE] = U8,
	[VPNLB_INSTANCE_A_OWNER] = U32,
	[VPNLB_INSTANCE_A_GENERATION] = U32,
	[VPNLB_INSTANCE_A_ROUTES] = U32,
	[VPNLB_INSTANCE_A_STATS] = NEST,
	[VPNLB_INSTANCE_A_VRF_NAME] = STR(IF_NAMESIZE),
	[VPNLB_INSTANCE_A_MAX_PATHS_IBGP] = U32,
	[VPNLB_INSTANCE_A_MAX_PATHS_EBGP] = U32,
};

static struct nla_policy istats_policy[VPNLB_ISTATS_A_MAX + 1] = {
	[VPNLB_ISTATS_A_HITS] = U64,
	[VPNLB_ISTATS_A_MISSES] = U64,
	[VPNLB_ISTATS_A_DROP_TTL] = U64,
	[VPNLB_ISTATS_A_DROP_MTU] = U64,
	[VPNLB_ISTATS_A_DROP_NO_NEIGH] = U64,
	[VPNLB_ISTATS_A_DROP_TUNNEL_DOWN] = U64,
	[VPNLB_ISTATS_A_DROP_NO_MEMBER] = U64,
	[VPNLB_ISTATS_A_DROP_NOMEM] = U64,
};

static struct nla_policy tunnel_policy[VPNLB_TUNNEL_A_MAX + 1] = {
	[VPNLB_TUNNEL_A_ID] = U32,
	[VPNLB_TUNNEL_A_PE] = U32,
	[VPNLB_TUNNEL_A_GATEWAY] = U32,
	[VPNLB_TUNNEL_A_IFINDEX] = U32,
	[VPNLB_TUNNEL_A_LABEL] = U32,
	[VPNLB_TUNNEL_A_STATE] = U8,
	[VPNLB_TUNNEL_A_OWNER] = U32,
	[VPNLB_TUNNEL_A_GENERATION] = U32,
	[VPNLB_TUNNEL_A_USERS] = U32,
	[VPNLB_TUNNEL_A_IFNAME] = STR(IF_NAMESIZE),
	[VPNLB_TUNNEL_A_NO_LABELS] = FLAG,
};

static struct nla_policy nexthop_policy[VPNLB_NEXTHOP_A_MAX + 1] = {
	[VPNLB_NEXTHOP_A_ID] = U32,
	[VPNLB_NEXTHOP_A_TUNNEL_ID] = U32,
	[VPNLB_NEXTHOP_A_LABEL] = U32,
	[VPNLB_NEXTHOP_A_NEIGHBOR] = U32,
	[VPNLB_NEXTHOP_A_OWNER] = U32,
	[VPNLB_NEXTHOP_A_GENERATION] = U32,
	[VPNLB_NEXTHOP_A_USERS] = U32,
};

static struct nla_policy group_policy[VPNLB_GROUP_A_MAX + 1] = {
	[VPNLB_GROUP_A_ID] = U32,
	[VPNLB_GROUP_A_INSTANCE] = STR(VL_NAME_SIZE),
	[VPNLB_GROUP_A_MEMBER] = NEST,
	[VPNLB_GROUP_A_OWNER] = U32,
	[VPNLB_GROUP_A_GENERATION] = U32,
	[VPNLB_GROUP_A_USERS] = U32,
	[VPNLB_GROUP_A_PROTOCOL] = U8,
};

static struct nla_policy member_policy[VPNLB_MEMBER_A_MAX + 1] = {
	[VPNLB_MEMBER_A_NEXTHOP_ID] = U32,
	[VPNLB_MEMBER_A_WEIGHT] = U32,
	[VPNLB_MEMBER_A_STATE] = U8,
	[VPNLB_MEMBER_A_PACKETS] = U64,
	[VPNLB_MEMBER_A_BYTES] = U64,
};

static struct nla_policy route_policy[VPNLB_ROUTE_A_MAX + 1] = {
	[VPNLB_ROUTE_A_INSTANCE] = STR(VL_NAME_SIZE),
	[VPNLB_ROUTE_A_PREFIX] = U32,
	[VPNLB_ROUTE_A_PREFIXLEN] = U8,
	[VPNLB_ROUTE_A_GROUP_ID] = U32,
	[VPNLB_ROUTE_A_NEXTHOP_ID] = U32,
	[VPNLB_ROUTE_A_PROTOCOL] = U8,
	[VPNLB_ROUTE_A_PREFERENCE] = U32,
	[VPNLB_ROUTE_A_COST] = U32,
	[VPNLB_ROUTE_A_OWNER] = U32,
	[VPNLB_ROUTE_A_GENERATION] = U32,
	[VPNLB_ROUTE_A_AGE] = U64,
	[VPNLB_ROUTE_A_LOOKUP_ADDR] = U32,
	[VPNLB_ROUTE_A_LONGER] = FLAG,
};

static struct nla_policy flush_policy[VPNLB_FLUSH_A_MAX + 1] = {
	[VPNLB_FLUSH_A_INSTANCE] = STR(VL_NAME_SIZE),
	[VPNLB_FLUSH_A_OWNER] = U32,
	[VPNLB_FLUSH_A_GENERATION] = U32,
	[VPNLB_FLUSH_A_DELETED] = U32,
};

/*
 * nla_parse_nested with a policy, and a record of which attributes came.
 * libnl checks lengths and string termination against the policy; strings
 * are copied with an explicit bound all the same.
 */
static int parse_nest(const struct nlattr *nest, int max,
		      struct nla_policy *policy, struct nlattr **tb,
		      uint64_t *has)
{
	int i;

	if (!nest || nla_parse_nested(tb, max, (struct nlattr *)nest, policy))
		return -1;
	*has = 0;
	for (i = 1; i <= max; i++)
		if (tb[i])
			*has |= 1ULL << i;
	return 0;
}

static int get_str(const struct nlattr *a, char *out, size_t size)
{
	size_t len = strnlen(nla_data(a), (size_t)nla_len(a));

	if (len == 0 || len >= size)
		return -1;
	memcpy(out, nla_data(a), len);
	out[len] = '\0';
	return 0;
}

static uint32_t u32_of(struct nlattr **tb, int attr)
{
	return tb[attr] ? nla_get_u32(tb[attr]) : 0;
}

static uint8_t u8_of(struct nlattr **tb, int attr)
{
	return tb[attr] ? nla_get_u8(tb[attr]) : 0;
}

static uint64_t u64_of(struct nlattr **tb, int attr)
{
	return tb[attr] ? nla_get_u64(tb[attr]) : 0;
}

static struct in_addr addr_of(struct nlattr **tb, int attr)
{
	struct in_addr a = { 0 };

	if (tb[attr])
		memcpy(&a.s_addr, nla_data(tb[attr]), 4);
	return a;
}

int vl_decode_top(struct nlmsghdr *nlh, struct nlattr **tb)
{
	if (!genlmsg_valid_hdr(nlh, 0))
		return -1;
	return genlmsg_parse(nlh, 0, tb, VPNLB_A_MAX, top_policy) ? -1 : 0;
}

static int decode_istats(const struct nlattr *nest, struct vl_istats *st)
{
	struct nlattr *tb[VPNLB_ISTATS_A_MAX + 1];
	uint64_t has;

	if (parse_nest(nest, VPNLB_ISTATS_A_MAX, istats_policy, tb, &has))
		return -1;
	st->present = true;
	st->hits = u64_of(tb, VPNLB_ISTATS_A_HITS);
	st->misses = u64_of(tb, VPNLB_ISTATS_A_MISSES);
	st->drop_ttl = u64_of(tb, VPNLB_ISTATS_A_DROP_TTL);
	st->drop_mtu = u64_of(tb, VPNLB_ISTATS_A_DROP_MTU);
	st->drop_no_neigh = u64_of(tb, VPNLB_ISTATS_A_DROP_NO_NEIGH);
	st->drop_tunnel_down = u64_of(tb, VPNLB_ISTATS_A_DROP_TUNNEL_DOWN);
	st->drop_no_member = u64_of(tb, VPNLB_ISTATS_A_DROP_NO_MEMBER);
	st->drop_nomem = u64_of(tb, VPNLB_ISTATS_A_DROP_NOMEM);
	return 0;
}

int vl_decode_instance(const struct nlattr *nest, struct vl_instance *out)
{
	struct nlattr *tb[VPNLB_INSTANCE_A_MAX + 1];

	memset(out, 0, sizeof(*out));
	if (parse_nest(nest, VPNLB_INSTANCE_A_MAX, instance_policy, tb,
		       &out->has))
		return -1;
	if (tb[VPNLB_INSTANCE_A_NAME] &&
	    get_str(tb[VPNLB_INSTANCE_A_NAME], out->name, sizeof(out->name)))
		return -1;
	if (tb[VPNLB_INSTANCE_A_VRF_NAME] &&
	    get_str(tb[VPNLB_INSTANCE_A_VRF_NAME], out->vrf_name,
		    sizeof(out->vrf_name)))
		return -1;
	out->vrf_ifindex = u32_of(tb, VPNLB_INSTANCE_A_VRF_IFINDEX);
	out->table = u32_of(tb, VPNLB_INSTANCE_A_TABLE);
	out->max_paths = u32_of(tb, VPNLB_INSTANCE_A_MAX_PATHS);
	out->max_paths_ibgp = u32_of(tb, VPNLB_INSTANCE_A_MAX_PATHS_IBGP);
	out->max_paths_ebgp = u32_of(tb, VPNLB_INSTANCE_A_MAX_PATHS_EBGP);
	out->lb_mode = u8_of(tb, VPNLB_INSTANCE_A_LB_MODE);
	out->hash_fields = u8_of(tb, VPNLB_INSTANCE_A_HASH_FIELDS);
	out->ttl_mode = u8_of(tb, VPNLB_INSTANCE_A_TTL_MODE);
	out->owner = u32_of(tb, VPNLB_INSTANCE_A_OWNER);
	out->generation = u32_of(tb, VPNLB_INSTANCE_A_GENERATION);
	out->routes = u32_of(tb, VPNLB_INSTANCE_A_ROUTES);
	if (tb[VPNLB_INSTANCE_A_STATS] &&
	    decode_istats(tb[VPNLB_INSTANCE_A_STATS], &out->stats))
		return -1;
	return 0;
}

int vl_decode_tunnel(const struct nlattr *nest, struct vl_tunnel *out)
{
	struct nlattr *tb[VPNLB_TUNNEL_A_MAX + 1], *a;
	int rem;

	memset(out, 0, sizeof(*out));
	if (parse_nest(nest, VPNLB_TUNNEL_A_MAX, tunnel_policy, tb,
		       &out->has))
		return -1;
	out->id = u32_of(tb, VPNLB_TUNNEL_A_ID);
	out->pe = addr_of(tb, VPNLB_TUNNEL_A_PE);
	out->gateway = addr_of(tb, VPNLB_TUNNEL_A_GATEWAY);
	out->ifindex = u32_of(tb, VPNLB_TUNNEL_A_IFINDEX);
	out->state = u8_of(tb, VPNLB_TUNNEL_A_STATE);
	out->owner = u32_of(tb, VPNLB_TUNNEL_A_OWNER);
	out->generation = u32_of(tb, VPNLB_TUNNEL_A_GENERATION);
	out->users = u32_of(tb, VPNLB_TUNNEL_A_USERS);
	if (tb[VPNLB_TUNNEL_A_IFNAME] &&
	    get_str(tb[VPNLB_TUNNEL_A_IFNAME], out->ifname,
		    sizeof(out->ifname)))
		return -1;
	/* the labels repeat: walk them all, in order */
	nla_for_each_nested(a, (struct nlattr *)nest, rem) {
		if (nla_type(a) != VPNLB_TUNNEL_A_LABEL)
			continue;
		if (nla_len(a) != 4 ||
		    out->nlabels == VPNLB_TUNNEL_LABELS_MAX ||
		    nla_get_u32(a) > VPNLB_LABEL_MAX)
			return -1;
		out->labels[out->nlabels++] = nla_get_u32(a);
	}
	return 0;
}

int vl_decode_nexthop(const struct nlattr *nest, struct vl_nexthop *out)
{
	struct nlattr *tb[VPNLB_NEXTHOP_A_MAX + 1];

	memset(out, 0, sizeof(*out));
	if (parse_nest(nest, VPNLB_NEXTHOP_A_MAX, nexthop_policy, tb,
		       &out->has))
		return -1;
	out->id = u32_of(tb, VPNLB_NEXTHOP_A_ID);
	out->tunnel_id = u32_of(tb, VPNLB_NEXTHOP_A_TUNNEL_ID);
	out->label = u32_of(tb, VPNLB_NEXTHOP_A_LABEL);
	out->neighbor = addr_of(tb, VPNLB_NEXTHOP_A_NEIGHBOR);
	out->owner = u32_of(tb, VPNLB_NEXTHOP_A_OWNER);
	out->generation = u32_of(tb, VPNLB_NEXTHOP_A_GENERATION);
	out->users = u32_of(tb, VPNLB_NEXTHOP_A_USERS);
	return 0;
}

static int decode_member(const struct nlattr *nest, struct vl_member *m)
{
	struct nlattr *tb[VPNLB_MEMBER_A_MAX + 1];

	memset(m, 0, sizeof(*m));
	if (parse_nest(nest, VPNLB_MEMBER_A_MAX, member_policy, tb, &m->has))
		return -1;
	m->nexthop_id = u32_of(tb, VPNLB_MEMBER_A_NEXTHOP_ID);
	m->weight = u32_of(tb, VPNLB_MEMBER_A_WEIGHT);
	m->state = u8_of(tb, VPNLB_MEMBER_A_STATE);
	m->packets = u64_of(tb, VPNLB_MEMBER_A_PACKETS);
	m->bytes = u64_of(tb, VPNLB_MEMBER_A_BYTES);
	return 0;
}

int vl_decode_group(const struct nlattr *nest, struct vl_group *out)
{
	struct nlattr *tb[VPNLB_GROUP_A_MAX + 1], *a;
	int rem;

	memset(out, 0, offsetof(struct vl_group, members));
	if (parse_nest(nest, VPNLB_GROUP_A_MAX, group_policy, tb, &out->has))
		return -1;
	out->id = u32_of(tb, VPNLB_GROUP_A_ID);
	if (tb[VPNLB_GROUP_A_INSTANCE] &&
	    get_str(tb[VPNLB_GROUP_A_INSTANCE], out->instance,
		    sizeof(out->instance)))
		return -1;
	out->owner = u32_of(tb, VPNLB_GROUP_A_OWNER);
	out->generation = u32_of(tb, VPNLB_GROUP_A_GENERATION);
	out->users = u32_of(tb, VPNLB_GROUP_A_USERS);
	out->protocol = u8_of(tb, VPNLB_GROUP_A_PROTOCOL);
	nla_for_each_nested(a, (struct nlattr *)nest, rem) {
		if (nla_type(a) != VPNLB_GROUP_A_MEMBER)
			continue;
		if (out->nmembers == VPNLB_GROUP_MEMBERS_MAX ||
		    decode_member(a, &out->members[out->nmembers]))
			return -1;
		out->nmembers++;
	}
	return 0;
}

int vl_decode_route(const struct nlattr *nest, struct vl_route *out)
{
	struct nlattr *tb[VPNLB_ROUTE_A_MAX + 1];

	memset(out, 0, sizeof(*out));
	if (parse_nest(nest, VPNLB_ROUTE_A_MAX, route_policy, tb, &out->has))
		return -1;
	if (tb[VPNLB_ROUTE_A_INSTANCE] &&
	    get_str(tb[VPNLB_ROUTE_A_INSTANCE], out->instance,
		    sizeof(out->instance)))
		return -1;
	out->prefix = addr_of(tb, VPNLB_ROUTE_A_PREFIX);
	out->prefixlen = u8_of(tb, VPNLB_ROUTE_A_PREFIXLEN);
	if (out->prefixlen > 32)
		return -1;
	out->group_id = u32_of(tb, VPNLB_ROUTE_A_GROUP_ID);
	out->nexthop_id = u32_of(tb, VPNLB_ROUTE_A_NEXTHOP_ID);
	out->protocol = u8_of(tb, VPNLB_ROUTE_A_PROTOCOL);
	out->preference = u32_of(tb, VPNLB_ROUTE_A_PREFERENCE);
	out->cost = u32_of(tb, VPNLB_ROUTE_A_COST);
	out->owner = u32_of(tb, VPNLB_ROUTE_A_OWNER);
	out->generation = u32_of(tb, VPNLB_ROUTE_A_GENERATION);
	out->age = u64_of(tb, VPNLB_ROUTE_A_AGE);
	out->lookup_addr = addr_of(tb, VPNLB_ROUTE_A_LOOKUP_ADDR);
	return 0;
}

int vl_decode_flush(const struct nlattr *nest, struct vl_flush *out)
{
	struct nlattr *tb[VPNLB_FLUSH_A_MAX + 1];

	memset(out, 0, sizeof(*out));
	if (parse_nest(nest, VPNLB_FLUSH_A_MAX, flush_policy, tb, &out->has))
		return -1;
	if (tb[VPNLB_FLUSH_A_INSTANCE] &&
	    get_str(tb[VPNLB_FLUSH_A_INSTANCE], out->instance,
		    sizeof(out->instance)))
		return -1;
	out->owner = u32_of(tb, VPNLB_FLUSH_A_OWNER);
	out->generation = u32_of(tb, VPNLB_FLUSH_A_GENERATION);
	out->deleted = u32_of(tb, VPNLB_FLUSH_A_DELETED);
	return 0;
}

/* Encoders. Read-only attributes are never sent. */

#define PUT_U32(o, attr, v)						\
	do {								\
		if (VL_HAS(o, attr) && nla_put_u32(msg, attr, v))	\
			return -1;					\
	} while (0)
#define PUT_U8(o, attr, v)						\
	do {								\
		if (VL_HAS(o, attr) && nla_put_u8(msg, attr, v))	\
			return -1;					\
	} while (0)
#define PUT_STR(o, attr, v)						\
	do {								\
		if (VL_HAS(o, attr) && nla_put_string(msg, attr, v))	\
			return -1;					\
	} while (0)
#define PUT_ADDR(o, attr, v)						\
	do {								\
		if (VL_HAS(o, attr) &&					\
		    nla_put(msg, attr, 4, &(v).s_addr))			\
			return -1;					\
	} while (0)

int vl_put_instance(struct nl_msg *msg, const struct vl_instance *in)
{
	struct nlattr *nest = nla_nest_start(msg, VPNLB_A_INSTANCE);

	if (!nest)
		return -1;
	PUT_STR(in, VPNLB_INSTANCE_A_NAME, in->name);
	PUT_U32(in, VPNLB_INSTANCE_A_VRF_IFINDEX, in->vrf_ifindex);
	PUT_U32(in, VPNLB_INSTANCE_A_MAX_PATHS, in->max_paths);
	PUT_U32(in, VPNLB_INSTANCE_A_MAX_PATHS_IBGP, in->max_paths_ibgp);
	PUT_U32(in, VPNLB_INSTANCE_A_MAX_PATHS_EBGP, in->max_paths_ebgp);
	PUT_U8(in, VPNLB_INSTANCE_A_LB_MODE, in->lb_mode);
	PUT_U8(in, VPNLB_INSTANCE_A_HASH_FIELDS, in->hash_fields);
	PUT_U8(in, VPNLB_INSTANCE_A_TTL_MODE, in->ttl_mode);
	PUT_U32(in, VPNLB_INSTANCE_A_OWNER, in->owner);
	PUT_U32(in, VPNLB_INSTANCE_A_GENERATION, in->generation);
	return nla_nest_end(msg, nest) ? -1 : 0;
}

int vl_put_tunnel(struct nl_msg *msg, const struct vl_tunnel *t)
{
	struct nlattr *nest = nla_nest_start(msg, VPNLB_A_TUNNEL);
	unsigned int i;

	if (!nest)
		return -1;
	PUT_U32(t, VPNLB_TUNNEL_A_ID, t->id);
	PUT_ADDR(t, VPNLB_TUNNEL_A_PE, t->pe);
	PUT_ADDR(t, VPNLB_TUNNEL_A_GATEWAY, t->gateway);
	PUT_U32(t, VPNLB_TUNNEL_A_IFINDEX, t->ifindex);
	if (VL_HAS(t, VPNLB_TUNNEL_A_LABEL))
		for (i = 0; i < t->nlabels && i < VPNLB_TUNNEL_LABELS_MAX; i++)
			if (nla_put_u32(msg, VPNLB_TUNNEL_A_LABEL,
					t->labels[i]))
				return -1;
	PUT_U32(t, VPNLB_TUNNEL_A_OWNER, t->owner);
	PUT_U32(t, VPNLB_TUNNEL_A_GENERATION, t->generation);
	if (VL_HAS(t, VPNLB_TUNNEL_A_NO_LABELS) &&
	    nla_put_flag(msg, VPNLB_TUNNEL_A_NO_LABELS))
		return -1;
	return nla_nest_end(msg, nest) ? -1 : 0;
}

int vl_put_nexthop(struct nl_msg *msg, const struct vl_nexthop *nh)
{
	struct nlattr *nest = nla_nest_start(msg, VPNLB_A_NEXTHOP);

	if (!nest)
		return -1;
	PUT_U32(nh, VPNLB_NEXTHOP_A_ID, nh->id);
	PUT_U32(nh, VPNLB_NEXTHOP_A_TUNNEL_ID, nh->tunnel_id);
	PUT_U32(nh, VPNLB_NEXTHOP_A_LABEL, nh->label);
	PUT_ADDR(nh, VPNLB_NEXTHOP_A_NEIGHBOR, nh->neighbor);
	PUT_U32(nh, VPNLB_NEXTHOP_A_OWNER, nh->owner);
	PUT_U32(nh, VPNLB_NEXTHOP_A_GENERATION, nh->generation);
	return nla_nest_end(msg, nest) ? -1 : 0;
}

int vl_put_group(struct nl_msg *msg, const struct vl_group *g)
{
	struct nlattr *nest = nla_nest_start(msg, VPNLB_A_GROUP), *mnest;
	const struct vl_member *m;
	unsigned int i;

	if (!nest)
		return -1;
	PUT_U32(g, VPNLB_GROUP_A_ID, g->id);
	PUT_STR(g, VPNLB_GROUP_A_INSTANCE, g->instance);
	PUT_U8(g, VPNLB_GROUP_A_PROTOCOL, g->protocol);
	for (i = 0; i < g->nmembers && i < VPNLB_GROUP_MEMBERS_MAX; i++) {
		m = &g->members[i];
		mnest = nla_nest_start(msg, VPNLB_GROUP_A_MEMBER);
		if (!mnest)
			return -1;
		PUT_U32(m, VPNLB_MEMBER_A_NEXTHOP_ID, m->nexthop_id);
		PUT_U32(m, VPNLB_MEMBER_A_WEIGHT, m->weight);
		if (nla_nest_end(msg, mnest))
			return -1;
	}
	PUT_U32(g, VPNLB_GROUP_A_OWNER, g->owner);
	PUT_U32(g, VPNLB_GROUP_A_GENERATION, g->generation);
	return nla_nest_end(msg, nest) ? -1 : 0;
}

int vl_put_route(struct nl_msg *msg, const struct vl_route *r)
{
	struct nlattr *nest = nla_nest_start(msg, VPNLB_A_ROUTE);

	if (!nest)
		return -1;
	PUT_STR(r, VPNLB_ROUTE_A_INSTANCE, r->instance);
	PUT_ADDR(r, VPNLB_ROUTE_A_PREFIX, r->prefix);
	PUT_U8(r, VPNLB_ROUTE_A_PREFIXLEN, r->prefixlen);
	PUT_U32(r, VPNLB_ROUTE_A_GROUP_ID, r->group_id);
	PUT_U32(r, VPNLB_ROUTE_A_NEXTHOP_ID, r->nexthop_id);
	PUT_U8(r, VPNLB_ROUTE_A_PROTOCOL, r->protocol);
	PUT_U32(r, VPNLB_ROUTE_A_PREFERENCE, r->preference);
	PUT_U32(r, VPNLB_ROUTE_A_COST, r->cost);
	PUT_U32(r, VPNLB_ROUTE_A_OWNER, r->owner);
	PUT_U32(r, VPNLB_ROUTE_A_GENERATION, r->generation);
	PUT_ADDR(r, VPNLB_ROUTE_A_LOOKUP_ADDR, r->lookup_addr);
	if (VL_HAS(r, VPNLB_ROUTE_A_LONGER) &&
	    nla_put_flag(msg, VPNLB_ROUTE_A_LONGER))
		return -1;
	return nla_nest_end(msg, nest) ? -1 : 0;
}

int vl_put_flush(struct nl_msg *msg, const struct vl_flush *f)
{
	struct nlattr *nest = nla_nest_start(msg, VPNLB_A_FLUSH);

	if (!nest)
		return -1;
	PUT_STR(f, VPNLB_FLUSH_A_INSTANCE, f->instance);
	PUT_U32(f, VPNLB_FLUSH_A_OWNER, f->owner);
	PUT_U32(f, VPNLB_FLUSH_A_GENERATION, f->generation);
	return nla_nest_end(msg, nest) ? -1 : 0;
}
