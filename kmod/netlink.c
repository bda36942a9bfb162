// SPDX-License-Identifier: GPL-2.0
/*
 * The "vpnlb" generic netlink family: its operations and their policies,
 * and what every object's operations share (replies, notifications, dumps).
 */
#include <net/sock.h>

#include "vpnlb.h"
#include "compat.h"
#include "netlink.h"

#define VPNLB_RO	"attribute is read-only"

/*
 * Ranges wider than NLA_POLICY_RANGE()'s s16 bounds; not const because 6.1's
 * policy points to a non-const range.
 */
static struct netlink_range_validation vpnlb_label_range __ro_after_init = {
	.max = VPNLB_LABEL_MAX,
};

static struct netlink_range_validation vpnlb_weight_range __ro_after_init = {
	.min = 1,
	.max = VPNLB_WEIGHT_MAX,
};

const struct nla_policy vpnlb_instance_policy[VPNLB_INSTANCE_A_MAX + 1] = {
	[VPNLB_INSTANCE_A_NAME] = { .type = NLA_NUL_STRING,
				    .len = VPNLB_INSTANCE_NAME_MAX },
	[VPNLB_INSTANCE_A_VRF_IFINDEX] = { .type = NLA_U32 },
	[VPNLB_INSTANCE_A_TABLE] = { .type = NLA_REJECT,
				     .reject_message = VPNLB_RO },
	[VPNLB_INSTANCE_A_MAX_PATHS] =
		NLA_POLICY_RANGE(NLA_U32, 1, VPNLB_MAX_PATHS_MAX),
	[VPNLB_INSTANCE_A_LB_MODE] = NLA_POLICY_MAX(NLA_U8, __VPNLB_LB_MAX - 1),
	[VPNLB_INSTANCE_A_HASH_FIELDS] =
		NLA_POLICY_MAX(NLA_U8, __VPNLB_HASH_MAX - 1),
	[VPNLB_INSTANCE_A_TTL_MODE] = NLA_POLICY_MAX(NLA_U8, __VPNLB_TTL_MAX - 1),
	[VPNLB_INSTANCE_A_OWNER] = { .type = NLA_U32 },
	[VPNLB_INSTANCE_A_GENERATION] = { .type = NLA_U32 },
	[VPNLB_INSTANCE_A_ROUTES] = { .type = NLA_REJECT,
				      .reject_message = VPNLB_RO },
	[VPNLB_INSTANCE_A_STATS] = { .type = NLA_REJECT,
				     .reject_message = VPNLB_RO },
	[VPNLB_INSTANCE_A_VRF_NAME] = { .type = NLA_REJECT,
					.reject_message = VPNLB_RO },
	[VPNLB_INSTANCE_A_MAX_PATHS_IBGP] =
		NLA_POLICY_MAX(NLA_U32, VPNLB_MAX_PATHS_MAX),
	[VPNLB_INSTANCE_A_MAX_PATHS_EBGP] =
		NLA_POLICY_MAX(NLA_U32, VPNLB_MAX_PATHS_MAX),
};

const struct nla_policy vpnlb_tunnel_policy[VPNLB_TUNNEL_A_MAX + 1] = {
	[VPNLB_TUNNEL_A_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[VPNLB_TUNNEL_A_PE] = { .type = NLA_BE32 },
	[VPNLB_TUNNEL_A_GATEWAY] = { .type = NLA_BE32 },
	[VPNLB_TUNNEL_A_IFINDEX] = { .type = NLA_U32 },
	[VPNLB_TUNNEL_A_LABEL] = NLA_POLICY_FULL_RANGE(NLA_U32, &vpnlb_label_range),
	[VPNLB_TUNNEL_A_STATE] = { .type = NLA_REJECT,
				   .reject_message = VPNLB_RO },
	[VPNLB_TUNNEL_A_OWNER] = { .type = NLA_U32 },
	[VPNLB_TUNNEL_A_GENERATION] = { .type = NLA_U32 },
	[VPNLB_TUNNEL_A_USERS] = { .type = NLA_REJECT,
				   .reject_message = VPNLB_RO },
	[VPNLB_TUNNEL_A_IFNAME] = { .type = NLA_REJECT,
				    .reject_message = VPNLB_RO },
	[VPNLB_TUNNEL_A_NO_LABELS] = { .type = NLA_FLAG },
};

const struct nla_policy vpnlb_nexthop_policy[VPNLB_NEXTHOP_A_MAX + 1] = {
	[VPNLB_NEXTHOP_A_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[VPNLB_NEXTHOP_A_TUNNEL_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[VPNLB_NEXTHOP_A_LABEL] = NLA_POLICY_FULL_RANGE(NLA_U32, &vpnlb_label_range),
	[VPNLB_NEXTHOP_A_NEIGHBOR] = { .type = NLA_BE32 },
	[VPNLB_NEXTHOP_A_OWNER] = { .type = NLA_U32 },
	[VPNLB_NEXTHOP_A_GENERATION] = { .type = NLA_U32 },
	[VPNLB_NEXTHOP_A_USERS] = { .type = NLA_REJECT,
				    .reject_message = VPNLB_RO },
};

const struct nla_policy vpnlb_member_policy[VPNLB_MEMBER_A_MAX + 1] = {
	[VPNLB_MEMBER_A_NEXTHOP_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[VPNLB_MEMBER_A_WEIGHT] = NLA_POLICY_FULL_RANGE(NLA_U32, &vpnlb_weight_range),
	[VPNLB_MEMBER_A_STATE] = { .type = NLA_REJECT,
				   .reject_message = VPNLB_RO },
	[VPNLB_MEMBER_A_PACKETS] = { .type = NLA_REJECT,
				     .reject_message = VPNLB_RO },
	[VPNLB_MEMBER_A_BYTES] = { .type = NLA_REJECT,
				   .reject_message = VPNLB_RO },
};

const struct nla_policy vpnlb_group_policy[VPNLB_GROUP_A_MAX + 1] = {
	[VPNLB_GROUP_A_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[VPNLB_GROUP_A_INSTANCE] = { .type = NLA_NUL_STRING,
				     .len = VPNLB_INSTANCE_NAME_MAX },
	[VPNLB_GROUP_A_MEMBER] = NLA_POLICY_NESTED(vpnlb_member_policy),
	[VPNLB_GROUP_A_OWNER] = { .type = NLA_U32 },
	[VPNLB_GROUP_A_GENERATION] = { .type = NLA_U32 },
	[VPNLB_GROUP_A_USERS] = { .type = NLA_REJECT,
				  .reject_message = VPNLB_RO },
	[VPNLB_GROUP_A_PROTOCOL] = NLA_POLICY_MAX(NLA_U8, __VPNLB_PROTO_MAX - 1),
};

const struct nla_policy vpnlb_route_policy[VPNLB_ROUTE_A_MAX + 1] = {
	[VPNLB_ROUTE_A_INSTANCE] = { .type = NLA_NUL_STRING,
				     .len = VPNLB_INSTANCE_NAME_MAX },
	[VPNLB_ROUTE_A_PREFIX] = { .type = NLA_BE32 },
	[VPNLB_ROUTE_A_PREFIXLEN] = NLA_POLICY_MAX(NLA_U8, 32),
	[VPNLB_ROUTE_A_GROUP_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[VPNLB_ROUTE_A_NEXTHOP_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[VPNLB_ROUTE_A_PROTOCOL] = NLA_POLICY_MAX(NLA_U8, __VPNLB_PROTO_MAX - 1),
	[VPNLB_ROUTE_A_PREFERENCE] = NLA_POLICY_MAX(NLA_U32, 255),
	[VPNLB_ROUTE_A_COST] = { .type = NLA_U32 },
	[VPNLB_ROUTE_A_OWNER] = { .type = NLA_U32 },
	[VPNLB_ROUTE_A_GENERATION] = { .type = NLA_U32 },
	[VPNLB_ROUTE_A_AGE] = { .type = NLA_REJECT,
				.reject_message = VPNLB_RO },
	[VPNLB_ROUTE_A_LOOKUP_ADDR] = { .type = NLA_BE32 },
	[VPNLB_ROUTE_A_LONGER] = { .type = NLA_FLAG },
};

const struct nla_policy vpnlb_flush_policy[VPNLB_FLUSH_A_MAX + 1] = {
	[VPNLB_FLUSH_A_INSTANCE] = { .type = NLA_NUL_STRING,
				     .len = VPNLB_INSTANCE_NAME_MAX },
	[VPNLB_FLUSH_A_OWNER] = { .type = NLA_U32 },
	[VPNLB_FLUSH_A_GENERATION] = { .type = NLA_U32 },
	[VPNLB_FLUSH_A_DELETED] = { .type = NLA_REJECT,
				    .reject_message = VPNLB_RO },
};

/* Per-operation top-level policies: each accepts only its own object. */
static const struct nla_policy vpnlb_instance_op_policy[VPNLB_A_MAX + 1] = {
	[VPNLB_A_INSTANCE] = NLA_POLICY_NESTED(vpnlb_instance_policy),
	[VPNLB_A_STATS] = { .type = NLA_FLAG },
};

static const struct nla_policy vpnlb_tunnel_op_policy[VPNLB_A_MAX + 1] = {
	[VPNLB_A_TUNNEL] = NLA_POLICY_NESTED(vpnlb_tunnel_policy),
	[VPNLB_A_STATS] = { .type = NLA_FLAG },
};

static const struct nla_policy vpnlb_nexthop_op_policy[VPNLB_A_MAX + 1] = {
	[VPNLB_A_NEXTHOP] = NLA_POLICY_NESTED(vpnlb_nexthop_policy),
	[VPNLB_A_STATS] = { .type = NLA_FLAG },
};

static const struct nla_policy vpnlb_group_op_policy[VPNLB_A_MAX + 1] = {
	[VPNLB_A_GROUP] = NLA_POLICY_NESTED(vpnlb_group_policy),
	[VPNLB_A_STATS] = { .type = NLA_FLAG },
};

/* Batches: each entry is parsed on its own so errors can name its index. */
static const struct nla_policy vpnlb_route_batch_op_policy[VPNLB_A_MAX + 1] = {
	[VPNLB_A_ROUTE] = { .type = NLA_NESTED },
};

static const struct nla_policy vpnlb_route_op_policy[VPNLB_A_MAX + 1] = {
	[VPNLB_A_ROUTE] = NLA_POLICY_NESTED(vpnlb_route_policy),
	[VPNLB_A_STATS] = { .type = NLA_FLAG },
};

static const struct nla_policy vpnlb_flush_op_policy[VPNLB_A_MAX + 1] = {
	[VPNLB_A_FLUSH] = NLA_POLICY_NESTED(vpnlb_flush_policy),
};

/* ---- helpers ---- */

struct vpnlb_net *vpnlb_info_net(struct genl_info *info)
{
	return vpnlb_net(genl_info_net(info));
}

/* The request's nest of type attr, parsed again into tb with policy. */
int vpnlb_parse_nest(struct genl_info *info, int attr, struct nlattr **tb,
		     int maxtype, const struct nla_policy *policy,
		     const char *what)
{
	if (!info->attrs[attr]) {
		vpnlb_errf(info->extack, "%s attributes are missing", what);
		return -EINVAL;
	}
	return nla_parse_nested(tb, maxtype, info->attrs[attr], policy,
				info->extack);
}

static struct sk_buff *vpnlb_msg_alloc(struct genl_info *info, u8 cmd,
				       void **hdr, size_t size)
{
	struct sk_buff *skb = genlmsg_new(size, GFP_KERNEL);

	if (!skb)
		return NULL;
	*hdr = genlmsg_put(skb, info ? info->snd_portid : 0,
			   info ? info->snd_seq : 0, &vpnlb_genl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

struct sk_buff *vpnlb_msg_new(struct genl_info *info, u8 cmd, void **hdr)
{
	return vpnlb_msg_alloc(info, cmd, hdr, NLMSG_GOODSIZE);
}

void vpnlb_multicast(struct vpnlb_net *vn, struct sk_buff *skb)
{
	genlmsg_multicast_netns(&vpnlb_genl_family, vn->net, skb, 0, 0,
				GFP_KERNEL);
}

bool vpnlb_has_listeners(struct vpnlb_net *vn)
{
	return genl_has_listeners(&vpnlb_genl_family, vn->net, 0);
}

/* One object in one message: a reply or a notification. */
struct sk_buff *vpnlb_build(struct vpnlb_net *vn, struct genl_info *info, u8 cmd,
			    vpnlb_fill_fn fill, void *obj, bool stats)
{
	size_t size = NLMSG_GOODSIZE;
	struct sk_buff *skb;
	void *hdr;

	for (;;) {
		skb = vpnlb_msg_alloc(info, cmd, &hdr, size);
		if (!skb)
			return NULL;
		if (fill(skb, vn, obj, stats) >= 0)
			break;
		nlmsg_free(skb);
		if (size == VPNLB_MSG_MAX)
			return NULL;
		size = VPNLB_MSG_MAX;
	}
	genlmsg_end(skb, hdr);
	return skb;
}

void vpnlb_notify(struct vpnlb_net *vn, u8 cmd, vpnlb_fill_fn fill, void *obj)
{
	struct sk_buff *skb;

	if (!vpnlb_has_listeners(vn))
		return;
	skb = vpnlb_build(vn, NULL, cmd, fill, obj, false);
	if (skb)
		vpnlb_multicast(vn, skb);
}

int vpnlb_reply(struct vpnlb_net *vn, struct genl_info *info,
		vpnlb_fill_fn fill, void *obj)
{
	struct sk_buff *skb;

	skb = vpnlb_build(vn, info, info->genlhdr->cmd, fill, obj,
			  info->attrs[VPNLB_A_STATS]);
	if (!skb)
		return -ENOMEM;
	return genlmsg_reply(skb, info);
}

int vpnlb_dump_start_large(struct netlink_callback *cb)
{
	cb->min_dump_alloc = VPNLB_MSG_MAX;
	return 0;
}

/* Dumps the objects of xa in key order, resuming at cb->args[0]. */
int vpnlb_dump_xa(struct sk_buff *skb, struct netlink_callback *cb,
		  struct xarray *xa, vpnlb_fill_fn fill)
{
	struct vpnlb_net *vn = vpnlb_net(sock_net(skb->sk));
	struct nlattr **attrs = vpnlb_dump_attrs(cb);
	bool stats = attrs && attrs[VPNLB_A_STATS];
	unsigned long id = cb->args[0];
	void *obj, *hdr;
	int err = 0;

	mutex_lock(&vn->lock);
	xa_for_each_start(xa, id, obj, id) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &vpnlb_genl_family,
				  NLM_F_MULTI, vpnlb_dump_cmd(cb));
		if (!hdr) {
			err = -EMSGSIZE;
			break;
		}
		err = fill(skb, vn, obj, stats);
		if (err) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = id + 1;
	}
	mutex_unlock(&vn->lock);
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

/* ---- the family ---- */

/* A write: needs CAP_NET_ADMIN in the netns's user namespace. */
#define VPNLB_OP(_cmd, _doit, _policy) {				\
	.cmd = _cmd,							\
	.doit = _doit,							\
	.policy = _policy,						\
	.maxattr = VPNLB_A_MAX,						\
	.flags = GENL_UNS_ADMIN_PERM,					\
}

/* A read: GET of one object, or a dump. */
#define VPNLB_GET(_cmd, _doit, _dumpit, _policy) {			\
	.cmd = _cmd,							\
	.start = vpnlb_dump_start_large,				\
	.doit = _doit,							\
	.dumpit = _dumpit,						\
	.policy = _policy,						\
	.maxattr = VPNLB_A_MAX,						\
}

static const struct genl_ops vpnlb_genl_ops[] = {
	VPNLB_OP(VPNLB_CMD_INSTANCE_NEW, vpnlb_instance_new,
		 vpnlb_instance_op_policy),
	VPNLB_OP(VPNLB_CMD_INSTANCE_DEL, vpnlb_instance_delete,
		 vpnlb_instance_op_policy),
	VPNLB_OP(VPNLB_CMD_INSTANCE_SET, vpnlb_instance_set,
		 vpnlb_instance_op_policy),
	VPNLB_GET(VPNLB_CMD_INSTANCE_GET, vpnlb_instance_get,
		  vpnlb_instance_dump, vpnlb_instance_op_policy),
	VPNLB_OP(VPNLB_CMD_TUNNEL_NEW, vpnlb_tunnel_new,
		 vpnlb_tunnel_op_policy),
	VPNLB_OP(VPNLB_CMD_TUNNEL_DEL, vpnlb_tunnel_delete,
		 vpnlb_tunnel_op_policy),
	VPNLB_OP(VPNLB_CMD_TUNNEL_SET, vpnlb_tunnel_set,
		 vpnlb_tunnel_op_policy),
	VPNLB_GET(VPNLB_CMD_TUNNEL_GET, vpnlb_tunnel_get, vpnlb_tunnel_dump,
		  vpnlb_tunnel_op_policy),
	VPNLB_OP(VPNLB_CMD_NEXTHOP_NEW, vpnlb_nexthop_new,
		 vpnlb_nexthop_op_policy),
	VPNLB_OP(VPNLB_CMD_NEXTHOP_DEL, vpnlb_nexthop_delete,
		 vpnlb_nexthop_op_policy),
	VPNLB_OP(VPNLB_CMD_NEXTHOP_SET, vpnlb_nexthop_set,
		 vpnlb_nexthop_op_policy),
	VPNLB_GET(VPNLB_CMD_NEXTHOP_GET, vpnlb_nexthop_get, vpnlb_nexthop_dump,
		  vpnlb_nexthop_op_policy),
	VPNLB_OP(VPNLB_CMD_GROUP_NEW, vpnlb_group_new,
		 vpnlb_group_op_policy),
	VPNLB_OP(VPNLB_CMD_GROUP_DEL, vpnlb_group_delete,
		 vpnlb_group_op_policy),
	VPNLB_OP(VPNLB_CMD_GROUP_SET, vpnlb_group_set,
		 vpnlb_group_op_policy),
	VPNLB_GET(VPNLB_CMD_GROUP_GET, vpnlb_group_get, vpnlb_group_dump,
		  vpnlb_group_op_policy),
	VPNLB_OP(VPNLB_CMD_ROUTE_NEW, vpnlb_route_new,
		 vpnlb_route_batch_op_policy),
	VPNLB_OP(VPNLB_CMD_ROUTE_DEL, vpnlb_route_delete,
		 vpnlb_route_batch_op_policy),
	VPNLB_OP(VPNLB_CMD_ROUTE_SET, vpnlb_route_set,
		 vpnlb_route_op_policy),
	VPNLB_GET(VPNLB_CMD_ROUTE_GET, vpnlb_route_get, vpnlb_route_dump,
		  vpnlb_route_op_policy),
	VPNLB_OP(VPNLB_CMD_FLUSH, vpnlb_flush,
		 vpnlb_flush_op_policy),
};

static const struct genl_multicast_group vpnlb_mcgrps[] = {
	{ .name = VPNLB_MCGRP_NOTIFY },
};

struct genl_family vpnlb_genl_family __ro_after_init = {
	.name = VPNLB_GENL_NAME,
	.version = VPNLB_GENL_VERSION,
	.maxattr = VPNLB_A_MAX,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = vpnlb_genl_ops,
	.n_ops = ARRAY_SIZE(vpnlb_genl_ops),
	.resv_start_op = VPNLB_CMD_FLUSH + 1,
	.mcgrps = vpnlb_mcgrps,
	.n_mcgrps = ARRAY_SIZE(vpnlb_mcgrps),
};

int vpnlb_genl_register(void)
{
	return genl_register_family(&vpnlb_genl_family);
}

void vpnlb_genl_unregister(void)
{
	genl_unregister_family(&vpnlb_genl_family);
}
