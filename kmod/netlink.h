/* SPDX-License-Identifier: GPL-2.0 */
/* What the files of the "vpnlb" genetlink family share. */
#ifndef _VPNLB_NETLINK_H
#define _VPNLB_NETLINK_H

#include <net/genetlink.h>

#include "vpnlb.h"

extern const struct nla_policy vpnlb_instance_policy[VPNLB_INSTANCE_A_MAX + 1];
extern const struct nla_policy vpnlb_tunnel_policy[VPNLB_TUNNEL_A_MAX + 1];
extern const struct nla_policy vpnlb_nexthop_policy[VPNLB_NEXTHOP_A_MAX + 1];
extern const struct nla_policy vpnlb_member_policy[VPNLB_MEMBER_A_MAX + 1];
extern const struct nla_policy vpnlb_group_policy[VPNLB_GROUP_A_MAX + 1];
extern const struct nla_policy vpnlb_route_policy[VPNLB_ROUTE_A_MAX + 1];
extern const struct nla_policy vpnlb_flush_policy[VPNLB_FLUSH_A_MAX + 1];

static inline u8 vpnlb_dump_cmd(const struct netlink_callback *cb)
{
	return ((struct genlmsghdr *)nlmsg_data(cb->nlh))->cmd;
}

/* NEW with NLM_F_REPLACE: an existing object takes the request's contents. */
static inline bool vpnlb_replace(const struct genl_info *info)
{
	return info->nlhdr->nlmsg_flags & NLM_F_REPLACE;
}

static inline u32 vpnlb_get_u32(const struct nlattr *nla, u32 def)
{
	return nla ? nla_get_u32(nla) : def;
}

static inline u8 vpnlb_get_u8(const struct nlattr *nla, u8 def)
{
	return nla ? nla_get_u8(nla) : def;
}

/* Largest message: a group with all its members and their counters. */
#define VPNLB_MSG_MAX	(16 * 1024)

/* Puts one object (its nest) in skb; stats: with its counters. */
typedef int (*vpnlb_fill_fn)(struct sk_buff *skb, struct vpnlb_net *vn,
			     void *obj, bool stats);

struct vpnlb_net *vpnlb_info_net(struct genl_info *info);
int vpnlb_parse_nest(struct genl_info *info, int attr, struct nlattr **tb,
		     int maxtype, const struct nla_policy *policy,
		     const char *what);
struct sk_buff *vpnlb_msg_new(struct genl_info *info, u8 cmd, void **hdr);
void vpnlb_multicast(struct vpnlb_net *vn, struct sk_buff *skb);
bool vpnlb_has_listeners(struct vpnlb_net *vn);
struct sk_buff *vpnlb_build(struct vpnlb_net *vn, struct genl_info *info, u8 cmd,
			    vpnlb_fill_fn fill, void *obj, bool stats);
void vpnlb_notify(struct vpnlb_net *vn, u8 cmd, vpnlb_fill_fn fill, void *obj);
int vpnlb_reply(struct vpnlb_net *vn, struct genl_info *info,
		vpnlb_fill_fn fill, void *obj);
int vpnlb_dump_start_large(struct netlink_callback *cb);
int vpnlb_dump_xa(struct sk_buff *skb, struct netlink_callback *cb,
		  struct xarray *xa, vpnlb_fill_fn fill);

/* nl_instance.c */
int vpnlb_instance_new(struct sk_buff *skb, struct genl_info *info);
int vpnlb_instance_delete(struct sk_buff *skb, struct genl_info *info);
int vpnlb_instance_set(struct sk_buff *skb, struct genl_info *info);
int vpnlb_instance_get(struct sk_buff *skb, struct genl_info *info);
int vpnlb_instance_dump(struct sk_buff *skb, struct netlink_callback *cb);

/* nl_tunnel.c */
struct vpnlb_tunnel *vpnlb_tunnel_lookup(struct vpnlb_net *vn,
					 struct nlattr *attr,
					 struct netlink_ext_ack *extack);
int vpnlb_tunnel_new(struct sk_buff *skb, struct genl_info *info);
int vpnlb_tunnel_delete(struct sk_buff *skb, struct genl_info *info);
int vpnlb_tunnel_set(struct sk_buff *skb, struct genl_info *info);
int vpnlb_tunnel_get(struct sk_buff *skb, struct genl_info *info);
int vpnlb_tunnel_dump(struct sk_buff *skb, struct netlink_callback *cb);

/* nl_nexthop.c */
struct vpnlb_nexthop *vpnlb_nexthop_lookup(struct vpnlb_net *vn,
					   struct nlattr *attr,
					   struct netlink_ext_ack *extack);
void vpnlb_notify_nexthop(struct vpnlb_net *vn, struct vpnlb_nexthop *nh,
			  u8 cmd);
int vpnlb_nexthop_new(struct sk_buff *skb, struct genl_info *info);
int vpnlb_nexthop_delete(struct sk_buff *skb, struct genl_info *info);
int vpnlb_nexthop_set(struct sk_buff *skb, struct genl_info *info);
int vpnlb_nexthop_get(struct sk_buff *skb, struct genl_info *info);
int vpnlb_nexthop_dump(struct sk_buff *skb, struct netlink_callback *cb);

/* nl_group.c */
const char *vpnlb_proto_name(u8 protocol);
bool vpnlb_group_fits_route(const struct vpnlb_group *g, u8 protocol);
struct vpnlb_group *vpnlb_group_lookup(struct vpnlb_net *vn,
				       struct nlattr *attr,
				       struct netlink_ext_ack *extack);
void vpnlb_notify_group(struct vpnlb_net *vn, struct vpnlb_group *g, u8 cmd);
int vpnlb_group_new(struct sk_buff *skb, struct genl_info *info);
int vpnlb_group_delete(struct sk_buff *skb, struct genl_info *info);
int vpnlb_group_set(struct sk_buff *skb, struct genl_info *info);
int vpnlb_group_get(struct sk_buff *skb, struct genl_info *info);
int vpnlb_group_dump(struct sk_buff *skb, struct netlink_callback *cb);

/* nl_route.c */
int vpnlb_route_new(struct sk_buff *skb, struct genl_info *info);
int vpnlb_route_delete(struct sk_buff *skb, struct genl_info *info);
int vpnlb_route_set(struct sk_buff *skb, struct genl_info *info);
int vpnlb_route_get(struct sk_buff *skb, struct genl_info *info);
int vpnlb_route_dump(struct sk_buff *skb, struct netlink_callback *cb);
int vpnlb_flush(struct sk_buff *skb, struct genl_info *info);

#endif /* _VPNLB_NETLINK_H */
