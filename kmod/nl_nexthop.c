// SPDX-License-Identifier: GPL-2.0
/*
 * Nexthop operations of the "vpnlb" family.
 */
#include <net/sock.h>

#include "vpnlb.h"
#include "compat.h"
#include "netlink.h"

static int vpnlb_fill_nexthop(struct sk_buff *skb, struct vpnlb_net *vn,
			      void *obj, bool stats)
{
	struct vpnlb_nexthop *nh = obj;
	struct vpnlb_tunnel *t = vpnlb_deref(vn, nh->tunnel);
	struct nlattr *nest;

	nest = nla_nest_start(skb, VPNLB_A_NEXTHOP);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, VPNLB_NEXTHOP_A_ID, nh->id) ||
	    nla_put_u32(skb, VPNLB_NEXTHOP_A_TUNNEL_ID, t->id) ||
	    nla_put_u32(skb, VPNLB_NEXTHOP_A_LABEL, nh->label) ||
	    nla_put_in_addr(skb, VPNLB_NEXTHOP_A_NEIGHBOR,
			    nh->neighbor ?: t->pe) ||
	    nla_put_u32(skb, VPNLB_NEXTHOP_A_OWNER, nh->owner) ||
	    nla_put_u32(skb, VPNLB_NEXTHOP_A_GENERATION, nh->generation) ||
	    nla_put_u32(skb, VPNLB_NEXTHOP_A_USERS, nh->users)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int vpnlb_fill_nexthop_key(struct sk_buff *skb, struct vpnlb_net *vn,
				  void *obj, bool stats)
{
	struct vpnlb_nexthop *nh = obj;
	struct nlattr *nest;

	nest = nla_nest_start(skb, VPNLB_A_NEXTHOP);
	if (!nest || nla_put_u32(skb, VPNLB_NEXTHOP_A_ID, nh->id))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

void vpnlb_notify_nexthop(struct vpnlb_net *vn, struct vpnlb_nexthop *nh,
			  u8 cmd)
{
	vpnlb_notify(vn, cmd, cmd == VPNLB_CMD_NEXTHOP_DEL ?
		     vpnlb_fill_nexthop_key : vpnlb_fill_nexthop, nh);
}

struct vpnlb_nexthop *vpnlb_nexthop_lookup(struct vpnlb_net *vn,
					   struct nlattr *attr,
					   struct netlink_ext_ack *extack)
{
	struct vpnlb_nexthop *nh;

	if (!attr) {
		NL_SET_ERR_MSG_MOD(extack, "nexthop id is required");
		return ERR_PTR(-EINVAL);
	}
	nh = xa_load(&vn->nexthops, nla_get_u32(attr));
	if (!nh) {
		NL_SET_BAD_ATTR(extack, attr);
		vpnlb_errf(extack, "nexthop %u does not exist",
			   nla_get_u32(attr));
		return ERR_PTR(-ENOENT);
	}
	return nh;
}

/* Groups using nh follow its tunnel's state. */
static int vpnlb_nexthop_rebuild_groups(struct vpnlb_net *vn,
					struct vpnlb_nexthop *nh)
{
	struct vpnlb_group *g;
	unsigned long id;
	unsigned int i;
	int err = 0;

	xa_for_each(&vn->groups, id, g)
		for (i = 0; i < g->members->n; i++)
			if (g->members->m[i].nh == nh) {
				err = vpnlb_group_rebuild(vn, g, NULL) ?: err;
				break;
			}
	return err;
}

static void vpnlb_nexthop_tags(struct vpnlb_nexthop *nh, struct nlattr **tb)
{
	nh->owner = vpnlb_get_u32(tb[VPNLB_NEXTHOP_A_OWNER], nh->owner);
	nh->generation = vpnlb_get_u32(tb[VPNLB_NEXTHOP_A_GENERATION],
				       nh->generation);
}

/* Moves nh to tunnel t, label and neighbour. */
static void vpnlb_nexthop_commit(struct vpnlb_net *vn,
				 struct vpnlb_nexthop *nh,
				 struct vpnlb_tunnel *t, u32 label,
				 __be32 neighbor)
{
	struct vpnlb_tunnel *old = vpnlb_deref(vn, nh->tunnel);

	WRITE_ONCE(nh->label, label);
	nh->neighbor = neighbor;
	if (old == t)
		return;
	t->users++;
	rcu_assign_pointer(nh->tunnel, t);
	if (old) {
		old->users--;
		if (vpnlb_nexthop_rebuild_groups(vn, nh))
			net_warn_ratelimited("vpnlb: nexthop %u: no memory to update its groups\n",
					     nh->id);
	}
}

int vpnlb_nexthop_new(struct sk_buff *skb, struct genl_info *info)
{
	struct vpnlb_net *vn = vpnlb_info_net(info);
	struct nlattr *tb[VPNLB_NEXTHOP_A_MAX + 1];
	struct vpnlb_nexthop *nh;
	struct vpnlb_tunnel *t;
	__be32 neighbor = 0;
	u32 id, label;
	int err;

	err = vpnlb_parse_nest(info, VPNLB_A_NEXTHOP, tb, VPNLB_NEXTHOP_A_MAX,
			       vpnlb_nexthop_policy, "nexthop");
	if (err)
		return err;
	if (!tb[VPNLB_NEXTHOP_A_ID]) {
		NL_SET_ERR_MSG_MOD(info->extack, "nexthop id is required");
		return -EINVAL;
	}
	if (!tb[VPNLB_NEXTHOP_A_LABEL]) {
		NL_SET_ERR_MSG_MOD(info->extack, "VPN label is required");
		return -EINVAL;
	}
	id = nla_get_u32(tb[VPNLB_NEXTHOP_A_ID]);
	label = nla_get_u32(tb[VPNLB_NEXTHOP_A_LABEL]);
	if (tb[VPNLB_NEXTHOP_A_NEIGHBOR])
		neighbor = nla_get_in_addr(tb[VPNLB_NEXTHOP_A_NEIGHBOR]);

	mutex_lock(&vn->lock);
	nh = xa_load(&vn->nexthops, id);
	if (nh && !vpnlb_replace(info)) {
		NL_SET_BAD_ATTR(info->extack, tb[VPNLB_NEXTHOP_A_ID]);
		vpnlb_errf(info->extack, "nexthop %u already exists", id);
		err = -EEXIST;
		goto out;
	}
	t = vpnlb_tunnel_lookup(vn, tb[VPNLB_NEXTHOP_A_TUNNEL_ID],
				info->extack);
	if (IS_ERR(t)) {
		err = PTR_ERR(t);
		goto out;
	}
	if (nh) {
		vpnlb_nexthop_commit(vn, nh, t, label, neighbor);
		vpnlb_nexthop_tags(nh, tb);
		vpnlb_notify_nexthop(vn, nh, VPNLB_CMD_NEXTHOP_NEW);
		goto out;
	}
	err = -ENOMEM;
	nh = kzalloc(sizeof(*nh), GFP_KERNEL);
	if (!nh)
		goto out;
	nh->id = id;
	nh->fwd.kind = VPNLB_FWD_NEXTHOP;
	vpnlb_nexthop_tags(nh, tb);
	err = xa_insert(&vn->nexthops, id, nh, GFP_KERNEL);
	if (err) {
		kfree(nh);
		goto out;
	}
	err = vpnlb_fwd_alloc(vn, &nh->fwd);
	if (err) {
		xa_erase(&vn->nexthops, id);
		kfree(nh);
		goto out;
	}
	vpnlb_nexthop_commit(vn, nh, t, label, neighbor);
	vpnlb_notify_nexthop(vn, nh, VPNLB_CMD_NEXTHOP_NEW);
out:
	mutex_unlock(&vn->lock);
	return err;
}

int vpnlb_nexthop_set(struct sk_buff *skb, struct genl_info *info)
{
	struct vpnlb_net *vn = vpnlb_info_net(info);
	struct nlattr *tb[VPNLB_NEXTHOP_A_MAX + 1];
	struct vpnlb_nexthop *nh;
	struct vpnlb_tunnel *t;
	int err;

	err = vpnlb_parse_nest(info, VPNLB_A_NEXTHOP, tb, VPNLB_NEXTHOP_A_MAX,
			       vpnlb_nexthop_policy, "nexthop");
	if (err)
		return err;
	mutex_lock(&vn->lock);
	nh = vpnlb_nexthop_lookup(vn, tb[VPNLB_NEXTHOP_A_ID], info->extack);
	if (IS_ERR(nh)) {
		err = PTR_ERR(nh);
		goto out;
	}
	t = vpnlb_deref(vn, nh->tunnel);
	if (tb[VPNLB_NEXTHOP_A_TUNNEL_ID]) {
		t = vpnlb_tunnel_lookup(vn, tb[VPNLB_NEXTHOP_A_TUNNEL_ID],
					info->extack);
		if (IS_ERR(t)) {
			err = PTR_ERR(t);
			goto out;
		}
	}
	vpnlb_nexthop_commit(vn, nh, t,
			     vpnlb_get_u32(tb[VPNLB_NEXTHOP_A_LABEL], nh->label),
			     tb[VPNLB_NEXTHOP_A_NEIGHBOR] ?
			     nla_get_in_addr(tb[VPNLB_NEXTHOP_A_NEIGHBOR]) :
			     nh->neighbor);
	vpnlb_nexthop_tags(nh, tb);
	vpnlb_notify_nexthop(vn, nh, VPNLB_CMD_NEXTHOP_SET);
out:
	mutex_unlock(&vn->lock);
	return err;
}

/* Names one user of nh in extack: a group, else a route. */
static void vpnlb_nexthop_busy(struct vpnlb_net *vn, struct vpnlb_nexthop *nh,
			       struct netlink_ext_ack *extack)
{
	struct vpnlb_instance *inst;
	struct vpnlb_route *rt;
	struct vpnlb_group *g;
	struct rb_node *node;
	unsigned long id;
	unsigned int i;

	xa_for_each(&vn->groups, id, g)
		for (i = 0; i < g->members->n; i++)
			if (g->members->m[i].nh == nh) {
				vpnlb_errf(extack,
					   "nexthop %u is used by group %u",
					   nh->id, g->id);
				return;
			}
	xa_for_each(&vn->instances, id, inst)
		for (node = rb_first(&inst->routes); node;
		     node = rb_next(node)) {
			rt = rb_entry(node, struct vpnlb_route, node);
			if (rt->nh != nh)
				continue;
			vpnlb_errf(extack,
				   "nexthop %u is used by route %s %pI4h/%u",
				   nh->id, inst->name, &rt->prefix, rt->plen);
			return;
		}
}

int vpnlb_nexthop_delete(struct sk_buff *skb, struct genl_info *info)
{
	struct vpnlb_net *vn = vpnlb_info_net(info);
	struct nlattr *tb[VPNLB_NEXTHOP_A_MAX + 1];
	struct vpnlb_nexthop *nh;
	int err;

	err = vpnlb_parse_nest(info, VPNLB_A_NEXTHOP, tb, VPNLB_NEXTHOP_A_MAX,
			       vpnlb_nexthop_policy, "nexthop");
	if (err)
		return err;
	mutex_lock(&vn->lock);
	nh = vpnlb_nexthop_lookup(vn, tb[VPNLB_NEXTHOP_A_ID], info->extack);
	if (IS_ERR(nh)) {
		err = PTR_ERR(nh);
	} else if (nh->users) {
		vpnlb_nexthop_busy(vn, nh, info->extack);
		err = -EBUSY;
	} else {
		vpnlb_notify_nexthop(vn, nh, VPNLB_CMD_NEXTHOP_DEL);
		vpnlb_nexthop_free(vn, nh);
	}
	mutex_unlock(&vn->lock);
	return err;
}

int vpnlb_nexthop_get(struct sk_buff *skb, struct genl_info *info)
{
	struct vpnlb_net *vn = vpnlb_info_net(info);
	struct nlattr *tb[VPNLB_NEXTHOP_A_MAX + 1];
	struct vpnlb_nexthop *nh;
	int err;

	err = vpnlb_parse_nest(info, VPNLB_A_NEXTHOP, tb, VPNLB_NEXTHOP_A_MAX,
			       vpnlb_nexthop_policy, "nexthop");
	if (err)
		return err;
	mutex_lock(&vn->lock);
	nh = vpnlb_nexthop_lookup(vn, tb[VPNLB_NEXTHOP_A_ID], info->extack);
	if (IS_ERR(nh))
		err = PTR_ERR(nh);
	else
		err = vpnlb_reply(vn, info, vpnlb_fill_nexthop, nh);
	mutex_unlock(&vn->lock);
	return err;
}

int vpnlb_nexthop_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return vpnlb_dump_xa(skb, cb, &vpnlb_net(sock_net(skb->sk))->nexthops,
			     vpnlb_fill_nexthop);
}
