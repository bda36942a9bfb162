// SPDX-License-Identifier: GPL-2.0
/*
 * Group operations of the "vpnlb" family.
 */
#include <net/sock.h>

#include "vpnlb.h"
#include "compat.h"
#include "netlink.h"

const char *vpnlb_proto_name(u8 protocol)
{
	static const char * const names[__VPNLB_PROTO_MAX] = {
		[VPNLB_PROTO_STATIC] = "static",
		[VPNLB_PROTO_IBGP] = "ibgp",
		[VPNLB_PROTO_EBGP] = "ebgp",
	};

	return protocol < __VPNLB_PROTO_MAX ? names[protocol] : "unknown";
}

/* A BGP group's maximum is meant for routes of that protocol only. */
bool vpnlb_group_fits_route(const struct vpnlb_group *g, u8 protocol)
{
	return g->protocol == VPNLB_PROTO_STATIC || g->protocol == protocol;
}

static int vpnlb_fill_group(struct sk_buff *skb, struct vpnlb_net *vn,
			    void *obj, bool stats)
{
	struct vpnlb_group *g = obj;
	struct nlattr *nest, *mnest;
	u64 packets, bytes;
	unsigned int i;

	nest = nla_nest_start(skb, VPNLB_A_GROUP);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, VPNLB_GROUP_A_ID, g->id) ||
	    nla_put_string(skb, VPNLB_GROUP_A_INSTANCE, g->inst->name) ||
	    nla_put_u32(skb, VPNLB_GROUP_A_OWNER, g->owner) ||
	    nla_put_u32(skb, VPNLB_GROUP_A_GENERATION, g->generation) ||
	    nla_put_u32(skb, VPNLB_GROUP_A_USERS, g->users) ||
	    nla_put_u8(skb, VPNLB_GROUP_A_PROTOCOL, g->protocol))
		goto cancel;
	for (i = 0; i < g->members->n; i++) {
		mnest = nla_nest_start(skb, VPNLB_GROUP_A_MEMBER);
		if (!mnest)
			goto cancel;
		if (nla_put_u32(skb, VPNLB_MEMBER_A_NEXTHOP_ID,
				g->members->m[i].nh->id) ||
		    nla_put_u32(skb, VPNLB_MEMBER_A_WEIGHT,
				g->members->m[i].weight) ||
		    nla_put_u8(skb, VPNLB_MEMBER_A_STATE,
			       vpnlb_member_state(vn, g, i)))
			goto cancel;
		if (stats) {
			vpnlb_member_counters(g->members, i, &packets, &bytes);
			if (nla_put_u64_64bit(skb, VPNLB_MEMBER_A_PACKETS,
					      packets, VPNLB_MEMBER_A_PAD) ||
			    nla_put_u64_64bit(skb, VPNLB_MEMBER_A_BYTES, bytes,
					      VPNLB_MEMBER_A_PAD))
				goto cancel;
		}
		nla_nest_end(skb, mnest);
	}
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int vpnlb_fill_group_key(struct sk_buff *skb, struct vpnlb_net *vn,
				void *obj, bool stats)
{
	struct vpnlb_group *g = obj;
	struct nlattr *nest;

	nest = nla_nest_start(skb, VPNLB_A_GROUP);
	if (!nest || nla_put_u32(skb, VPNLB_GROUP_A_ID, g->id))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

void vpnlb_notify_group(struct vpnlb_net *vn, struct vpnlb_group *g, u8 cmd)
{
	vpnlb_notify(vn, cmd, cmd == VPNLB_CMD_GROUP_DEL ?
		     vpnlb_fill_group_key : vpnlb_fill_group, g);
}

struct vpnlb_group *vpnlb_group_lookup(struct vpnlb_net *vn,
				       struct nlattr *attr,
				       struct netlink_ext_ack *extack)
{
	struct vpnlb_group *g;

	if (!attr) {
		NL_SET_ERR_MSG_MOD(extack, "group id is required");
		return ERR_PTR(-EINVAL);
	}
	g = xa_load(&vn->groups, nla_get_u32(attr));
	if (!g) {
		NL_SET_BAD_ATTR(extack, attr);
		vpnlb_errf(extack, "group %u does not exist", nla_get_u32(attr));
		return ERR_PTR(-ENOENT);
	}
	return g;
}

/* The member list of a request, checked; NULL and extack on error. */
static struct vpnlb_members *vpnlb_members_parse(struct vpnlb_net *vn,
						 struct nlattr *nest,
						 struct netlink_ext_ack *extack)
{
	struct nlattr *mtb[VPNLB_MEMBER_A_MAX + 1];
	struct vpnlb_members *ms;
	struct vpnlb_nexthop *nh;
	unsigned int n = 0, i, j;
	struct nlattr *nla;
	int rem;

	nla_for_each_nested(nla, nest, rem)
		if (nla_type(nla) == VPNLB_GROUP_A_MEMBER)
			n++;
	if (!n) {
		NL_SET_ERR_MSG_MOD(extack, "a group needs at least one member");
		return ERR_PTR(-EINVAL);
	}
	if (n > VPNLB_GROUP_MEMBERS_MAX) {
		vpnlb_errf(extack, "a group has at most %u members, not %u",
			   VPNLB_GROUP_MEMBERS_MAX, n);
		return ERR_PTR(-E2BIG);
	}
	ms = vpnlb_members_alloc(n);
	if (!ms)
		return ERR_PTR(-ENOMEM);
	i = 0;
	nla_for_each_nested(nla, nest, rem) {
		if (nla_type(nla) != VPNLB_GROUP_A_MEMBER)
			continue;
		/* Validated by the policy already. */
		if (nla_parse_nested(mtb, VPNLB_MEMBER_A_MAX, nla,
				     vpnlb_member_policy, extack))
			goto err;
		if (!mtb[VPNLB_MEMBER_A_NEXTHOP_ID]) {
			NL_SET_BAD_ATTR(extack, nla);
			vpnlb_errf(extack, "member %u: nexthop id is required",
				   i);
			goto err;
		}
		nh = xa_load(&vn->nexthops,
			     nla_get_u32(mtb[VPNLB_MEMBER_A_NEXTHOP_ID]));
		if (!nh) {
			NL_SET_BAD_ATTR(extack, mtb[VPNLB_MEMBER_A_NEXTHOP_ID]);
			vpnlb_errf(extack, "member %u: nexthop %u does not exist",
				   i, nla_get_u32(mtb[VPNLB_MEMBER_A_NEXTHOP_ID]));
			goto err;
		}
		for (j = 0; j < i; j++)
			if (ms->m[j].nh == nh) {
				NL_SET_BAD_ATTR(extack, nla);
				vpnlb_errf(extack,
					   "member %u: nexthop %u is listed twice",
					   i, nh->id);
				goto err;
			}
		ms->m[i].nh = nh;
		ms->m[i].weight = vpnlb_get_u32(mtb[VPNLB_MEMBER_A_WEIGHT], 1);
		i++;
	}
	return ms;
err:
	vpnlb_members_free(ms);
	return ERR_PTR(-EINVAL);
}

static bool vpnlb_members_same(const struct vpnlb_members *a,
			       const struct vpnlb_members *b)
{
	unsigned int i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (a->m[i].nh != b->m[i].nh ||
		    a->m[i].weight != b->m[i].weight)
			return false;
	return true;
}

/* Makes ms the member list of g, moving the nexthop references. */
static int vpnlb_group_commit(struct vpnlb_net *vn, struct vpnlb_group *g,
			      struct vpnlb_members *ms)
{
	struct vpnlb_members *old = g->members;
	unsigned int i;
	int err;

	err = vpnlb_group_rebuild(vn, g, ms);
	if (err)
		return err;
	for (i = 0; i < ms->n; i++)
		ms->m[i].nh->users++;
	for (i = 0; old && i < old->n; i++)
		old->m[i].nh->users--;
	return 0;
}

/* Routes were checked against the protocol: it changes only while unused. */
static int vpnlb_group_check_protocol(struct vpnlb_group *g, u8 protocol,
				      struct nlattr **tb,
				      struct netlink_ext_ack *extack)
{
	if (protocol == g->protocol || !g->users)
		return 0;
	NL_SET_BAD_ATTR(extack, tb[VPNLB_GROUP_A_PROTOCOL]);
	vpnlb_errf(extack,
		   "group %u is used by %u routes: its protocol stays %s",
		   g->id, g->users, vpnlb_proto_name(g->protocol));
	return -EBUSY;
}

/*
 * Applies a new protocol and/or member list (ms, NULL: unchanged) to g;
 * on failure g is as it was and ms is the caller's to free.
 */
static int vpnlb_group_update(struct vpnlb_net *vn, struct vpnlb_group *g,
			      u8 protocol, struct vpnlb_members *ms)
{
	u8 old = g->protocol;
	int err = 0;

	g->protocol = protocol;
	if (ms)
		err = vpnlb_group_commit(vn, g, ms);
	else if (protocol != old)
		err = vpnlb_group_rebuild(vn, g, NULL);
	if (err)
		g->protocol = old;
	return err;
}

static void vpnlb_group_tags(struct vpnlb_group *g, struct nlattr **tb)
{
	g->owner = vpnlb_get_u32(tb[VPNLB_GROUP_A_OWNER], g->owner);
	g->generation = vpnlb_get_u32(tb[VPNLB_GROUP_A_GENERATION],
				      g->generation);
}

int vpnlb_group_new(struct sk_buff *skb, struct genl_info *info)
{
	struct vpnlb_net *vn = vpnlb_info_net(info);
	struct nlattr *tb[VPNLB_GROUP_A_MAX + 1];
	struct vpnlb_instance *inst;
	struct vpnlb_members *ms;
	struct vpnlb_group *g;
	const char *name;
	u8 protocol;
	u32 id;
	int err;

	err = vpnlb_parse_nest(info, VPNLB_A_GROUP, tb, VPNLB_GROUP_A_MAX,
			       vpnlb_group_policy, "group");
	if (err)
		return err;
	if (!tb[VPNLB_GROUP_A_ID]) {
		NL_SET_ERR_MSG_MOD(info->extack, "group id is required");
		return -EINVAL;
	}
	if (!tb[VPNLB_GROUP_A_INSTANCE]) {
		NL_SET_ERR_MSG_MOD(info->extack, "instance name is required");
		return -EINVAL;
	}
	id = nla_get_u32(tb[VPNLB_GROUP_A_ID]);
	name = nla_data(tb[VPNLB_GROUP_A_INSTANCE]);
	protocol = vpnlb_get_u8(tb[VPNLB_GROUP_A_PROTOCOL], VPNLB_PROTO_STATIC);

	mutex_lock(&vn->lock);
	g = xa_load(&vn->groups, id);
	if (g && !vpnlb_replace(info)) {
		NL_SET_BAD_ATTR(info->extack, tb[VPNLB_GROUP_A_ID]);
		vpnlb_errf(info->extack, "group %u already exists", id);
		err = -EEXIST;
		goto out;
	}
	inst = vpnlb_instance_find(vn, name);
	if (!inst) {
		NL_SET_BAD_ATTR(info->extack, tb[VPNLB_GROUP_A_INSTANCE]);
		vpnlb_errf(info->extack, "instance %s does not exist", name);
		err = -ENOENT;
		goto out;
	}
	if (g && g->inst != inst) {
		NL_SET_BAD_ATTR(info->extack, tb[VPNLB_GROUP_A_INSTANCE]);
		vpnlb_errf(info->extack, "group %u belongs to instance %s",
			   id, g->inst->name);
		err = -EBUSY;
		goto out;
	}
	if (g) {
		err = vpnlb_group_check_protocol(g, protocol, tb, info->extack);
		if (err)
			goto out;
	}
	ms = vpnlb_members_parse(vn, info->attrs[VPNLB_A_GROUP], info->extack);
	if (IS_ERR(ms)) {
		err = PTR_ERR(ms);
		goto out;
	}
	if (g) {
		if (vpnlb_members_same(g->members, ms)) {
			vpnlb_members_free(ms);
			ms = NULL;
		}
		err = vpnlb_group_update(vn, g, protocol, ms);
		if (err) {
			vpnlb_members_free(ms);
			goto out;
		}
		vpnlb_group_tags(g, tb);
		vpnlb_notify_group(vn, g, VPNLB_CMD_GROUP_NEW);
		goto out;
	}

	err = -ENOMEM;
	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		goto free_ms;
	g->id = id;
	g->inst = inst;
	g->protocol = protocol;
	g->fwd.kind = VPNLB_FWD_GROUP;
	vpnlb_group_tags(g, tb);
	err = xa_insert(&vn->groups, id, g, GFP_KERNEL);
	if (err)
		goto free_g;
	/* No route uses g yet: packets cannot reach it before commit. */
	err = vpnlb_fwd_alloc(vn, &g->fwd);
	if (err)
		goto erase_g;
	err = vpnlb_group_commit(vn, g, ms);
	if (err)
		goto erase_fwd;
	inst->ngroups++;
	vpnlb_notify_group(vn, g, VPNLB_CMD_GROUP_NEW);
	goto out;

erase_fwd:
	xa_erase(&vn->fwd, g->fwd.id);
erase_g:
	xa_erase(&vn->groups, id);
free_g:
	kfree(g);
free_ms:
	vpnlb_members_free(ms);
out:
	mutex_unlock(&vn->lock);
	return err;
}

int vpnlb_group_set(struct sk_buff *skb, struct genl_info *info)
{
	struct vpnlb_net *vn = vpnlb_info_net(info);
	struct nlattr *tb[VPNLB_GROUP_A_MAX + 1];
	struct vpnlb_members *ms = NULL;
	struct vpnlb_group *g;
	u8 protocol;
	int err;

	err = vpnlb_parse_nest(info, VPNLB_A_GROUP, tb, VPNLB_GROUP_A_MAX,
			       vpnlb_group_policy, "group");
	if (err)
		return err;
	mutex_lock(&vn->lock);
	g = vpnlb_group_lookup(vn, tb[VPNLB_GROUP_A_ID], info->extack);
	if (IS_ERR(g)) {
		err = PTR_ERR(g);
		goto out;
	}
	if (tb[VPNLB_GROUP_A_INSTANCE] &&
	    strcmp(nla_data(tb[VPNLB_GROUP_A_INSTANCE]), g->inst->name)) {
		NL_SET_BAD_ATTR(info->extack, tb[VPNLB_GROUP_A_INSTANCE]);
		vpnlb_errf(info->extack, "group %u belongs to instance %s",
			   g->id, g->inst->name);
		err = -EINVAL;
		goto out;
	}
	protocol = vpnlb_get_u8(tb[VPNLB_GROUP_A_PROTOCOL], g->protocol);
	err = vpnlb_group_check_protocol(g, protocol, tb, info->extack);
	if (err)
		goto out;
	if (tb[VPNLB_GROUP_A_MEMBER]) {
		ms = vpnlb_members_parse(vn, info->attrs[VPNLB_A_GROUP],
					 info->extack);
		if (IS_ERR(ms)) {
			err = PTR_ERR(ms);
			goto out;
		}
	}
	err = vpnlb_group_update(vn, g, protocol, ms);
	if (err) {
		vpnlb_members_free(ms);
		goto out;
	}
	vpnlb_group_tags(g, tb);
	vpnlb_notify_group(vn, g, VPNLB_CMD_GROUP_SET);
out:
	mutex_unlock(&vn->lock);
	return err;
}

int vpnlb_group_delete(struct sk_buff *skb, struct genl_info *info)
{
	struct vpnlb_net *vn = vpnlb_info_net(info);
	struct nlattr *tb[VPNLB_GROUP_A_MAX + 1];
	struct vpnlb_route *rt;
	struct rb_node *node;
	struct vpnlb_group *g;
	int err;

	err = vpnlb_parse_nest(info, VPNLB_A_GROUP, tb, VPNLB_GROUP_A_MAX,
			       vpnlb_group_policy, "group");
	if (err)
		return err;
	mutex_lock(&vn->lock);
	g = vpnlb_group_lookup(vn, tb[VPNLB_GROUP_A_ID], info->extack);
	if (IS_ERR(g)) {
		err = PTR_ERR(g);
		goto out;
	}
	if (g->users) {
		for (node = rb_first(&g->inst->routes); node;
		     node = rb_next(node)) {
			rt = rb_entry(node, struct vpnlb_route, node);
			if (rt->group == g)
				break;
		}
		if (node)
			vpnlb_errf(info->extack,
				   "group %u is used by route %s %pI4h/%u",
				   g->id, g->inst->name, &rt->prefix, rt->plen);
		err = -EBUSY;
		goto out;
	}
	vpnlb_notify_group(vn, g, VPNLB_CMD_GROUP_DEL);
	vpnlb_group_free(vn, g);
out:
	mutex_unlock(&vn->lock);
	return err;
}

int vpnlb_group_get(struct sk_buff *skb, struct genl_info *info)
{
	struct vpnlb_net *vn = vpnlb_info_net(info);
	struct nlattr *tb[VPNLB_GROUP_A_MAX + 1];
	struct vpnlb_group *g;
	int err;

	err = vpnlb_parse_nest(info, VPNLB_A_GROUP, tb, VPNLB_GROUP_A_MAX,
			       vpnlb_group_policy, "group");
	if (err)
		return err;
	mutex_lock(&vn->lock);
	g = vpnlb_group_lookup(vn, tb[VPNLB_GROUP_A_ID], info->extack);
	if (IS_ERR(g))
		err = PTR_ERR(g);
	else
		err = vpnlb_reply(vn, info, vpnlb_fill_group, g);
	mutex_unlock(&vn->lock);
	return err;
}

int vpnlb_group_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return vpnlb_dump_xa(skb, cb, &vpnlb_net(sock_net(skb->sk))->groups,
			     vpnlb_fill_group);
}
