// SPDX-License-Identifier: GPL-2.0
/*
 * Tunnel operations of the "vpnlb" family.
 */
#include <net/sock.h>

#include "vpnlb.h"
#include "compat.h"
#include "netlink.h"

static int vpnlb_fill_tunnel(struct sk_buff *skb, struct vpnlb_net *vn,
			     void *obj, bool stats)
{
	struct vpnlb_tunnel *t = obj;
	struct net_device *dev;
	struct nlattr *nest;
	unsigned int i;

	nest = nla_nest_start(skb, VPNLB_A_TUNNEL);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, VPNLB_TUNNEL_A_ID, t->id) ||
	    nla_put_in_addr(skb, VPNLB_TUNNEL_A_PE, t->pe) ||
	    nla_put_in_addr(skb, VPNLB_TUNNEL_A_GATEWAY, t->gateway) ||
	    nla_put_u32(skb, VPNLB_TUNNEL_A_IFINDEX, t->ifindex) ||
	    nla_put_u8(skb, VPNLB_TUNNEL_A_STATE, t->state) ||
	    nla_put_u32(skb, VPNLB_TUNNEL_A_OWNER, t->owner) ||
	    nla_put_u32(skb, VPNLB_TUNNEL_A_GENERATION, t->generation) ||
	    nla_put_u32(skb, VPNLB_TUNNEL_A_USERS, t->users))
		goto cancel;
	for (i = 0; i < t->nlabels; i++)
		if (nla_put_u32(skb, VPNLB_TUNNEL_A_LABEL, t->labels[i]))
			goto cancel;
	rcu_read_lock();
	dev = dev_get_by_index_rcu(vn->net, t->ifindex);
	if (dev && nla_put_string(skb, VPNLB_TUNNEL_A_IFNAME, dev->name)) {
		rcu_read_unlock();
		goto cancel;
	}
	rcu_read_unlock();
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int vpnlb_fill_tunnel_key(struct sk_buff *skb, struct vpnlb_net *vn,
				 void *obj, bool stats)
{
	struct vpnlb_tunnel *t = obj;
	struct nlattr *nest;

	nest = nla_nest_start(skb, VPNLB_A_TUNNEL);
	if (!nest || nla_put_u32(skb, VPNLB_TUNNEL_A_ID, t->id))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

void vpnlb_notify_tunnel(struct vpnlb_net *vn, struct vpnlb_tunnel *t, u8 cmd)
{
	vpnlb_notify(vn, cmd, cmd == VPNLB_CMD_TUNNEL_DEL ?
		     vpnlb_fill_tunnel_key : vpnlb_fill_tunnel, t);
}

struct vpnlb_tunnel *vpnlb_tunnel_lookup(struct vpnlb_net *vn,
					 struct nlattr *attr,
					 struct netlink_ext_ack *extack)
{
	struct vpnlb_tunnel *t;

	if (!attr) {
		NL_SET_ERR_MSG_MOD(extack, "tunnel id is required");
		return ERR_PTR(-EINVAL);
	}
	t = xa_load(&vn->tunnels, nla_get_u32(attr));
	if (!t) {
		NL_SET_BAD_ATTR(extack, attr);
		vpnlb_errf(extack, "tunnel %u does not exist",
			   nla_get_u32(attr));
		return ERR_PTR(-ENOENT);
	}
	return t;
}

/* The tunnel settings a request gives, checked; defaults from cur. */
struct vpnlb_tunnel_req {
	__be32 pe;
	__be32 gateway;
	int ifindex;
	u8 nlabels;
	u32 labels[VPNLB_TUNNEL_LABELS_MAX];
	struct net_device *dev;		/* held */
};

static int vpnlb_tunnel_parse(struct vpnlb_net *vn, struct nlattr *nest,
			      struct nlattr **tb, const struct vpnlb_tunnel *cur,
			      struct vpnlb_tunnel_req *req,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *nla;
	int rem;

	memset(req, 0, sizeof(*req));
	if (cur) {
		req->pe = cur->pe;
		req->gateway = cur->gateway;
		req->ifindex = cur->ifindex;
		req->nlabels = cur->nlabels;
		memcpy(req->labels, cur->labels, sizeof(req->labels));
	}
	if (tb[VPNLB_TUNNEL_A_PE])
		req->pe = nla_get_in_addr(tb[VPNLB_TUNNEL_A_PE]);
	if (tb[VPNLB_TUNNEL_A_GATEWAY])
		req->gateway = nla_get_in_addr(tb[VPNLB_TUNNEL_A_GATEWAY]);
	if (tb[VPNLB_TUNNEL_A_IFINDEX])
		req->ifindex = nla_get_u32(tb[VPNLB_TUNNEL_A_IFINDEX]);
	if (!cur && !tb[VPNLB_TUNNEL_A_PE]) {
		NL_SET_ERR_MSG_MOD(extack, "remote PE address is required");
		return -EINVAL;
	}
	if (!cur && !tb[VPNLB_TUNNEL_A_GATEWAY]) {
		NL_SET_ERR_MSG_MOD(extack, "gateway is required");
		return -EINVAL;
	}
	if (!cur && !tb[VPNLB_TUNNEL_A_IFINDEX]) {
		NL_SET_ERR_MSG_MOD(extack, "egress device is required");
		return -EINVAL;
	}
	if (tb[VPNLB_TUNNEL_A_LABEL] && tb[VPNLB_TUNNEL_A_NO_LABELS]) {
		NL_SET_BAD_ATTR(extack, tb[VPNLB_TUNNEL_A_NO_LABELS]);
		NL_SET_ERR_MSG_MOD(extack, "labels and no-labels are exclusive");
		return -EINVAL;
	}
	if (tb[VPNLB_TUNNEL_A_NO_LABELS])
		req->nlabels = 0;
	if (tb[VPNLB_TUNNEL_A_LABEL]) {
		req->nlabels = 0;
		nla_for_each_nested(nla, nest, rem) {
			if (nla_type(nla) != VPNLB_TUNNEL_A_LABEL)
				continue;
			if (req->nlabels == VPNLB_TUNNEL_LABELS_MAX) {
				NL_SET_BAD_ATTR(extack, nla);
				vpnlb_errf(extack,
					   "a tunnel has at most %u labels",
					   VPNLB_TUNNEL_LABELS_MAX);
				return -EINVAL;
			}
			req->labels[req->nlabels++] = nla_get_u32(nla);
		}
	}
	req->dev = dev_get_by_index(vn->net, req->ifindex);
	if (!req->dev) {
		NL_SET_BAD_ATTR(extack, tb[VPNLB_TUNNEL_A_IFINDEX]);
		vpnlb_errf(extack, "device %d does not exist", req->ifindex);
		return -ENODEV;
	}
	if (netif_is_l3_master(req->dev) || req->dev->flags & IFF_LOOPBACK) {
		NL_SET_BAD_ATTR(extack, tb[VPNLB_TUNNEL_A_IFINDEX]);
		vpnlb_errf(extack, "device %s cannot carry a tunnel",
			   req->dev->name);
		dev_put(req->dev);
		return -EINVAL;
	}
	return 0;
}

static bool vpnlb_tunnel_same(const struct vpnlb_tunnel *t,
			      const struct vpnlb_tunnel_req *req)
{
	return t->pe == req->pe && t->gateway == req->gateway &&
	       t->ifindex == req->ifindex && t->nlabels == req->nlabels &&
	       !memcmp(t->labels, req->labels, sizeof(t->labels));
}

/* Gives t the request's settings and publishes them to packets. */
static int vpnlb_tunnel_commit(struct vpnlb_net *vn, struct vpnlb_tunnel *t,
			       struct vpnlb_tunnel_req *req)
{
	struct vpnlb_tunnel old = *t;
	int err;

	t->pe = req->pe;
	t->gateway = req->gateway;
	t->ifindex = req->ifindex;
	t->nlabels = req->nlabels;
	memset(t->labels, 0, sizeof(t->labels));
	memcpy(t->labels, req->labels, sizeof(t->labels));
	err = vpnlb_tunnel_publish(vn, t, req->dev);
	if (err) {
		t->pe = old.pe;
		t->gateway = old.gateway;
		t->ifindex = old.ifindex;
		t->nlabels = old.nlabels;
		memcpy(t->labels, old.labels, sizeof(t->labels));
		return err;
	}
	if (t->changed) {
		vpnlb_groups_rebuild_for_tunnels(vn);
		t->changed = false;
	}
	return 0;
}

static void vpnlb_tunnel_tags(struct vpnlb_tunnel *t, struct nlattr **tb)
{
	t->owner = vpnlb_get_u32(tb[VPNLB_TUNNEL_A_OWNER], t->owner);
	t->generation = vpnlb_get_u32(tb[VPNLB_TUNNEL_A_GENERATION],
				      t->generation);
}

int vpnlb_tunnel_new(struct sk_buff *skb, struct genl_info *info)
{
	struct vpnlb_net *vn = vpnlb_info_net(info);
	struct nlattr *tb[VPNLB_TUNNEL_A_MAX + 1];
	struct vpnlb_tunnel_req req;
	struct vpnlb_tunnel *t;
	u32 id;
	int err;

	err = vpnlb_parse_nest(info, VPNLB_A_TUNNEL, tb, VPNLB_TUNNEL_A_MAX,
			       vpnlb_tunnel_policy, "tunnel");
	if (err)
		return err;
	if (!tb[VPNLB_TUNNEL_A_ID]) {
		NL_SET_ERR_MSG_MOD(info->extack, "tunnel id is required");
		return -EINVAL;
	}
	id = nla_get_u32(tb[VPNLB_TUNNEL_A_ID]);

	mutex_lock(&vn->lock);
	t = xa_load(&vn->tunnels, id);
	if (t && !vpnlb_replace(info)) {
		NL_SET_BAD_ATTR(info->extack, tb[VPNLB_TUNNEL_A_ID]);
		vpnlb_errf(info->extack, "tunnel %u already exists", id);
		err = -EEXIST;
		goto out;
	}
	err = vpnlb_tunnel_parse(vn, info->attrs[VPNLB_A_TUNNEL], tb, NULL,
				 &req, info->extack);
	if (err)
		goto out;
	if (t) {
		/* Replace: equal settings only retag; else a full change. */
		if (!vpnlb_tunnel_same(t, &req))
			err = vpnlb_tunnel_commit(vn, t, &req);
		if (!err) {
			vpnlb_tunnel_tags(t, tb);
			vpnlb_notify_tunnel(vn, t, VPNLB_CMD_TUNNEL_NEW);
		}
		goto put;
	}

	err = -ENOMEM;
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		goto put;
	t->id = id;
	t->state = VPNLB_TUNNEL_DOWN_LINK;
	vpnlb_tunnel_tags(t, tb);
	err = vpnlb_tunnel_commit(vn, t, &req);
	if (err) {
		kfree(t);
		goto put;
	}
	t->changed = false;
	err = xa_insert(&vn->tunnels, id, t, GFP_KERNEL);
	if (err) {
		vpnlb_tunnel_free(vn, t);
		goto put;
	}
	vpnlb_notify_tunnel(vn, t, VPNLB_CMD_TUNNEL_NEW);
put:
	dev_put(req.dev);
out:
	mutex_unlock(&vn->lock);
	return err;
}

int vpnlb_tunnel_set(struct sk_buff *skb, struct genl_info *info)
{
	struct vpnlb_net *vn = vpnlb_info_net(info);
	struct nlattr *tb[VPNLB_TUNNEL_A_MAX + 1];
	struct vpnlb_tunnel_req req;
	struct vpnlb_tunnel *t;
	int err;

	err = vpnlb_parse_nest(info, VPNLB_A_TUNNEL, tb, VPNLB_TUNNEL_A_MAX,
			       vpnlb_tunnel_policy, "tunnel");
	if (err)
		return err;
	mutex_lock(&vn->lock);
	t = vpnlb_tunnel_lookup(vn, tb[VPNLB_TUNNEL_A_ID], info->extack);
	if (IS_ERR(t)) {
		err = PTR_ERR(t);
		goto out;
	}
	err = vpnlb_tunnel_parse(vn, info->attrs[VPNLB_A_TUNNEL], tb, t, &req,
				 info->extack);
	if (err)
		goto out;
	err = vpnlb_tunnel_commit(vn, t, &req);
	dev_put(req.dev);
	if (err)
		goto out;
	vpnlb_tunnel_tags(t, tb);
	vpnlb_notify_tunnel(vn, t, VPNLB_CMD_TUNNEL_SET);
out:
	mutex_unlock(&vn->lock);
	return err;
}

int vpnlb_tunnel_delete(struct sk_buff *skb, struct genl_info *info)
{
	struct vpnlb_net *vn = vpnlb_info_net(info);
	struct nlattr *tb[VPNLB_TUNNEL_A_MAX + 1];
	struct vpnlb_nexthop *nh;
	struct vpnlb_tunnel *t;
	unsigned long id;
	int err;

	err = vpnlb_parse_nest(info, VPNLB_A_TUNNEL, tb, VPNLB_TUNNEL_A_MAX,
			       vpnlb_tunnel_policy, "tunnel");
	if (err)
		return err;
	mutex_lock(&vn->lock);
	t = vpnlb_tunnel_lookup(vn, tb[VPNLB_TUNNEL_A_ID], info->extack);
	if (IS_ERR(t)) {
		err = PTR_ERR(t);
		goto out;
	}
	if (t->users) {
		xa_for_each(&vn->nexthops, id, nh)
			if (vpnlb_deref(vn, nh->tunnel) == t)
				break;
		vpnlb_errf(info->extack, "tunnel %u is used by nexthop %u",
			   t->id, nh ? nh->id : 0);
		err = -EBUSY;
		goto out;
	}
	vpnlb_notify_tunnel(vn, t, VPNLB_CMD_TUNNEL_DEL);
	vpnlb_tunnel_free(vn, t);
out:
	mutex_unlock(&vn->lock);
	return err;
}

int vpnlb_tunnel_get(struct sk_buff *skb, struct genl_info *info)
{
	struct vpnlb_net *vn = vpnlb_info_net(info);
	struct nlattr *tb[VPNLB_TUNNEL_A_MAX + 1];
	struct vpnlb_tunnel *t;
	int err;

	err = vpnlb_parse_nest(info, VPNLB_A_TUNNEL, tb, VPNLB_TUNNEL_A_MAX,
			       vpnlb_tunnel_policy, "tunnel");
	if (err)
		return err;
	mutex_lock(&vn->lock);
	t = vpnlb_tunnel_lookup(vn, tb[VPNLB_TUNNEL_A_ID], info->extack);
	if (IS_ERR(t))
		err = PTR_ERR(t);
	else
		err = vpnlb_reply(vn, info, vpnlb_fill_tunnel, t);
	mutex_unlock(&vn->lock);
	return err;
}

int vpnlb_tunnel_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return vpnlb_dump_xa(skb, cb, &vpnlb_net(sock_net(skb->sk))->tunnels,
			     vpnlb_fill_tunnel);
}
