// SPDX-License-Identifier: GPL-2.0
/*
 * Route operations of the "vpnlb" family: all-or-nothing batches, exact and
 * longest-match get, filtered resumable dumps, and flush by owner and
 * generation.
 */
#include <linux/mm.h>
#include <linux/sort.h>
#include <linux/timekeeping.h>
#include <net/sock.h>

#include "vpnlb.h"
#include "compat.h"
#include "netlink.h"

#define VPNLB_PREF_STATIC	60
#define VPNLB_PREF_BGP		255

/* One entry of a batch, checked before anything is applied. */
struct vpnlb_rreq {
	unsigned int index;
	struct vpnlb_instance *inst;
	u32 prefix;
	u8 plen;
	u8 protocol;
	struct vpnlb_group *group;
	struct vpnlb_nexthop *nh;
	u32 preference;
	u32 cost;
	struct nlattr *owner;
	struct nlattr *generation;
	struct vpnlb_route *rt;		/* the installed route, or a new one */
	struct vpnlb_route saved;	/* rt before the change, for rollback */
	bool exists;
	bool same;			/* replace with equal contents */
};

struct vpnlb_batch {
	struct netlink_ext_ack *extack;
	unsigned int count;
	bool del;
};

/* Error of entry i, prefixed with its index when the batch has several. */
static __printf(3, 4)
void vpnlb_rerr(const struct vpnlb_batch *b, unsigned int i,
		const char *fmt, ...)
{
	char buf[80];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (b->count > 1)
		vpnlb_errf(b->extack, "route %u: %s", i, buf);
	else
		vpnlb_errf(b->extack, "%s", buf);
}

/* ---- replies and notifications ---- */

static int vpnlb_fill_route(struct sk_buff *skb,
			    const struct vpnlb_instance *inst,
			    const struct vpnlb_route *rt, bool key_only)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, VPNLB_A_ROUTE);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, VPNLB_ROUTE_A_INSTANCE, inst->name) ||
	    nla_put_in_addr(skb, VPNLB_ROUTE_A_PREFIX, htonl(rt->prefix)) ||
	    nla_put_u8(skb, VPNLB_ROUTE_A_PREFIXLEN, rt->plen))
		goto cancel;
	if (key_only)
		goto done;
	if (rt->group) {
		if (nla_put_u32(skb, VPNLB_ROUTE_A_GROUP_ID, rt->group->id))
			goto cancel;
	} else if (nla_put_u32(skb, VPNLB_ROUTE_A_NEXTHOP_ID, rt->nh->id)) {
		goto cancel;
	}
	if (nla_put_u8(skb, VPNLB_ROUTE_A_PROTOCOL, rt->protocol) ||
	    nla_put_u32(skb, VPNLB_ROUTE_A_PREFERENCE, rt->preference) ||
	    nla_put_u32(skb, VPNLB_ROUTE_A_COST, rt->cost) ||
	    nla_put_u32(skb, VPNLB_ROUTE_A_OWNER, rt->owner) ||
	    nla_put_u32(skb, VPNLB_ROUTE_A_GENERATION, rt->generation) ||
	    nla_put_u64_64bit(skb, VPNLB_ROUTE_A_AGE,
			      ktime_get_boottime_seconds() - rt->created,
			      VPNLB_ROUTE_A_PAD))
		goto cancel;
done:
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* Route notifications, as many routes per message as fit. */
struct vpnlb_rnotify {
	struct vpnlb_net *vn;
	struct sk_buff *skb;
	void *hdr;
	u8 cmd;
	bool on;
};

static void vpnlb_rnotify_init(struct vpnlb_rnotify *n, struct vpnlb_net *vn,
			       u8 cmd)
{
	n->vn = vn;
	n->skb = NULL;
	n->cmd = cmd;
	n->on = vpnlb_has_listeners(vn);
}

static void vpnlb_rnotify_flush(struct vpnlb_rnotify *n)
{
	if (!n->skb)
		return;
	genlmsg_end(n->skb, n->hdr);
	vpnlb_multicast(n->vn, n->skb);
	n->skb = NULL;
}

static void vpnlb_rnotify_add(struct vpnlb_rnotify *n,
			      const struct vpnlb_instance *inst,
			      const struct vpnlb_route *rt)
{
	bool key_only = n->cmd == VPNLB_CMD_ROUTE_DEL;

	if (!n->on)
		return;
	if (n->skb && !vpnlb_fill_route(n->skb, inst, rt, key_only))
		return;
	vpnlb_rnotify_flush(n);
	n->skb = vpnlb_msg_new(NULL, n->cmd, &n->hdr);
	if (n->skb && vpnlb_fill_route(n->skb, inst, rt, key_only)) {
		nlmsg_free(n->skb);
		n->skb = NULL;
	}
}

/* ---- batch entries ---- */

static int vpnlb_rreq_parse(struct vpnlb_net *vn, const struct vpnlb_batch *b,
			    struct nlattr *nla, struct vpnlb_rreq *req)
{
	struct nlattr *tb[VPNLB_ROUTE_A_MAX + 1];
	unsigned int i = req->index;
	const char *name;
	__be32 prefix;
	int err;

	err = nla_parse_nested(tb, VPNLB_ROUTE_A_MAX, nla, vpnlb_route_policy,
			       b->extack);
	if (err) {
		if (b->count > 1 && b->extack && b->extack->_msg)
			vpnlb_errf(b->extack, "route %u: %s", i,
				   b->extack->_msg);
		return err;
	}
	if (tb[VPNLB_ROUTE_A_LOOKUP_ADDR] || tb[VPNLB_ROUTE_A_LONGER]) {
		NL_SET_BAD_ATTR(b->extack, tb[VPNLB_ROUTE_A_LOOKUP_ADDR] ?:
				tb[VPNLB_ROUTE_A_LONGER]);
		vpnlb_rerr(b, i, "lookup and longer are only for get");
		return -EINVAL;
	}
	if (!tb[VPNLB_ROUTE_A_INSTANCE]) {
		NL_SET_BAD_ATTR(b->extack, nla);
		vpnlb_rerr(b, i, "instance name is required");
		return -EINVAL;
	}
	name = nla_data(tb[VPNLB_ROUTE_A_INSTANCE]);
	req->inst = vpnlb_instance_find(vn, name);
	if (!req->inst) {
		NL_SET_BAD_ATTR(b->extack, tb[VPNLB_ROUTE_A_INSTANCE]);
		vpnlb_rerr(b, i, "instance %s does not exist", name);
		return -ENOENT;
	}
	if (!tb[VPNLB_ROUTE_A_PREFIX] || !tb[VPNLB_ROUTE_A_PREFIXLEN]) {
		NL_SET_BAD_ATTR(b->extack, nla);
		vpnlb_rerr(b, i, "prefix and prefix length are required");
		return -EINVAL;
	}
	prefix = nla_get_in_addr(tb[VPNLB_ROUTE_A_PREFIX]);
	req->prefix = ntohl(prefix);
	req->plen = nla_get_u8(tb[VPNLB_ROUTE_A_PREFIXLEN]);
	if (req->prefix & ~vpnlb_plen_mask(req->plen)) {
		NL_SET_BAD_ATTR(b->extack, tb[VPNLB_ROUTE_A_PREFIX]);
		vpnlb_rerr(b, i, "%pI4/%u has host bits set", &prefix,
			   req->plen);
		return -EINVAL;
	}
	req->rt = vpnlb_route_find(req->inst, req->prefix, req->plen);
	req->exists = req->rt;
	if (b->del) {
		if (!req->exists) {
			NL_SET_BAD_ATTR(b->extack, tb[VPNLB_ROUTE_A_PREFIX]);
			vpnlb_rerr(b, i, "%pI4/%u does not exist in %s",
				   &prefix, req->plen, name);
			return -ENOENT;
		}
		return 0;
	}

	if (!tb[VPNLB_ROUTE_A_GROUP_ID] && !tb[VPNLB_ROUTE_A_NEXTHOP_ID]) {
		NL_SET_BAD_ATTR(b->extack, nla);
		vpnlb_rerr(b, i, "a group or a nexthop is required");
		return -EINVAL;
	}
	if (tb[VPNLB_ROUTE_A_GROUP_ID] && tb[VPNLB_ROUTE_A_NEXTHOP_ID]) {
		NL_SET_BAD_ATTR(b->extack, tb[VPNLB_ROUTE_A_NEXTHOP_ID]);
		vpnlb_rerr(b, i, "group and nexthop are exclusive");
		return -EINVAL;
	}
	if (tb[VPNLB_ROUTE_A_GROUP_ID]) {
		u32 gid = nla_get_u32(tb[VPNLB_ROUTE_A_GROUP_ID]);

		req->group = xa_load(&vn->groups, gid);
		if (!req->group) {
			NL_SET_BAD_ATTR(b->extack, tb[VPNLB_ROUTE_A_GROUP_ID]);
			vpnlb_rerr(b, i, "group %u does not exist", gid);
			return -ENOENT;
		}
		if (req->group->inst != req->inst) {
			NL_SET_BAD_ATTR(b->extack, tb[VPNLB_ROUTE_A_GROUP_ID]);
			vpnlb_rerr(b, i, "group %u belongs to instance %s", gid,
				   req->group->inst->name);
			return -EINVAL;
		}
	} else {
		u32 nhid = nla_get_u32(tb[VPNLB_ROUTE_A_NEXTHOP_ID]);

		req->nh = xa_load(&vn->nexthops, nhid);
		if (!req->nh) {
			NL_SET_BAD_ATTR(b->extack,
					tb[VPNLB_ROUTE_A_NEXTHOP_ID]);
			vpnlb_rerr(b, i, "nexthop %u does not exist", nhid);
			return -ENOENT;
		}
	}
	req->protocol = tb[VPNLB_ROUTE_A_PROTOCOL] ?
			nla_get_u8(tb[VPNLB_ROUTE_A_PROTOCOL]) :
			VPNLB_PROTO_STATIC;
	if (req->group && !vpnlb_group_fits_route(req->group, req->protocol)) {
		NL_SET_BAD_ATTR(b->extack, tb[VPNLB_ROUTE_A_GROUP_ID]);
		vpnlb_rerr(b, i, "group %u is for %s routes, not %s",
			   req->group->id,
			   vpnlb_proto_name(req->group->protocol),
			   vpnlb_proto_name(req->protocol));
		return -EINVAL;
	}
	req->preference = req->protocol == VPNLB_PROTO_STATIC ?
			  VPNLB_PREF_STATIC : VPNLB_PREF_BGP;
	if (tb[VPNLB_ROUTE_A_PREFERENCE])
		req->preference = nla_get_u32(tb[VPNLB_ROUTE_A_PREFERENCE]);
	req->cost = tb[VPNLB_ROUTE_A_COST] ?
		    nla_get_u32(tb[VPNLB_ROUTE_A_COST]) : 0;
	req->owner = tb[VPNLB_ROUTE_A_OWNER];
	req->generation = tb[VPNLB_ROUTE_A_GENERATION];
	return 0;
}

static int vpnlb_rreq_cmp(const void *a, const void *b)
{
	const struct vpnlb_rreq *x = a, *y = b;

	if (x->inst != y->inst)
		return x->inst < y->inst ? -1 : 1;
	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	if (x->plen != y->plen)
		return x->plen < y->plen ? -1 : 1;
	return x->index < y->index ? -1 : 1;
}

/* Parses and checks every entry; sorted by key, duplicates rejected. */
static int vpnlb_batch_parse(struct vpnlb_net *vn, struct genl_info *info,
			     struct vpnlb_batch *b, struct vpnlb_rreq **reqsp)
{
	struct vpnlb_rreq *reqs;
	struct nlattr *nla;
	unsigned int i = 0;
	int rem, err;

	b->count = 0;
	nla_for_each_attr(nla, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem)
		if (nla_type(nla) == VPNLB_A_ROUTE)
			b->count++;
	if (!b->count) {
		NL_SET_ERR_MSG_MOD(info->extack, "route attributes are missing");
		return -EINVAL;
	}
	reqs = kvcalloc(b->count, sizeof(*reqs), GFP_KERNEL);
	if (!reqs)
		return -ENOMEM;
	nla_for_each_attr(nla, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		if (nla_type(nla) != VPNLB_A_ROUTE)
			continue;
		reqs[i].index = i;
		err = vpnlb_rreq_parse(vn, b, nla, &reqs[i]);
		if (err)
			goto err;
		i++;
		cond_resched();
	}
	sort(reqs, b->count, sizeof(*reqs), vpnlb_rreq_cmp, NULL);
	for (i = 1; i < b->count; i++) {
		if (reqs[i].inst == reqs[i - 1].inst &&
		    reqs[i].prefix == reqs[i - 1].prefix &&
		    reqs[i].plen == reqs[i - 1].plen) {
			__be32 prefix = htonl(reqs[i].prefix);

			vpnlb_rerr(b, reqs[i].index, "%pI4/%u is listed twice",
				   &prefix, reqs[i].plen);
			err = -EINVAL;
			goto err;
		}
	}
	*reqsp = reqs;
	return 0;
err:
	kvfree(reqs);
	return err;
}

/* ---- ROUTE_NEW ---- */

static bool vpnlb_rreq_same(const struct vpnlb_rreq *req)
{
	const struct vpnlb_route *rt = req->rt;

	return rt->group == req->group && rt->nh == req->nh &&
	       rt->protocol == req->protocol &&
	       rt->preference == req->preference && rt->cost == req->cost;
}

static void vpnlb_rreq_fields(struct vpnlb_route *rt,
			      const struct vpnlb_rreq *req)
{
	rt->group = req->group;
	rt->nh = req->nh;
	rt->protocol = req->protocol;
	rt->preference = req->preference;
	rt->cost = req->cost;
	rt->created = ktime_get_boottime_seconds();
}

/* Applies one checked entry; on error nothing of it is applied. */
static int vpnlb_rreq_apply(struct vpnlb_rreq *req)
{
	struct vpnlb_route *rt = req->rt;
	struct vpnlb_route tmp;
	int err;

	if (req->exists && req->same)
		return 0;
	tmp = *rt;
	vpnlb_rreq_fields(&tmp, req);
	err = vpnlb_lpm_insert(req->inst->lpm, rt->prefix, rt->plen,
			       vpnlb_route_value(&tmp));
	if (err)
		return err;
	if (req->exists) {
		req->saved = *rt;
		vpnlb_route_drop(rt);
	} else {
		vpnlb_route_link(req->inst, rt);
	}
	vpnlb_rreq_fields(rt, req);
	vpnlb_route_take(rt);
	return 0;
}

/* Undoes vpnlb_rreq_apply() of an entry. */
static void vpnlb_rreq_revert(struct vpnlb_net *vn, struct vpnlb_rreq *req)
{
	struct vpnlb_route *rt = req->rt;

	if (req->exists && req->same)
		return;
	vpnlb_route_drop(rt);
	if (!req->exists) {
		vpnlb_lpm_delete(req->inst->lpm, rt->prefix, rt->plen);
		rb_erase(&rt->node, &req->inst->routes);
		req->inst->nroutes--;
		return;
	}
	/* Same prefix, old value: the node exists, nothing to allocate. */
	rt->group = req->saved.group;
	rt->nh = req->saved.nh;
	rt->protocol = req->saved.protocol;
	rt->preference = req->saved.preference;
	rt->cost = req->saved.cost;
	rt->created = req->saved.created;
	vpnlb_route_take(rt);
	WARN_ON_ONCE(vpnlb_lpm_insert(req->inst->lpm, rt->prefix, rt->plen,
				      vpnlb_route_value(rt)));
}

int vpnlb_route_new(struct sk_buff *skb, struct genl_info *info)
{
	struct vpnlb_net *vn = vpnlb_info_net(info);
	struct vpnlb_batch b = { .extack = info->extack };
	bool replace = info->nlhdr->nlmsg_flags & NLM_F_REPLACE;
	struct vpnlb_rreq *reqs = NULL, *req;
	struct vpnlb_rnotify n;
	unsigned int i, done;
	int err;

	mutex_lock(&vn->lock);
	err = vpnlb_batch_parse(vn, info, &b, &reqs);
	if (err)
		goto out;
	for (i = 0; i < b.count; i++) {
		req = &reqs[i];
		if (req->exists) {
			if (!replace) {
				__be32 prefix = htonl(req->prefix);

				vpnlb_rerr(&b, req->index,
					   "%pI4/%u already exists in %s",
					   &prefix, req->plen, req->inst->name);
				err = -EEXIST;
				goto free;
			}
			req->same = vpnlb_rreq_same(req);
			continue;
		}
		req->rt = kzalloc(sizeof(*req->rt), GFP_KERNEL);
		if (!req->rt) {
			err = -ENOMEM;
			goto free;
		}
		req->rt->prefix = req->prefix;
		req->rt->plen = req->plen;
	}

	for (done = 0; done < b.count; done++) {
		err = vpnlb_rreq_apply(&reqs[done]);
		if (err)
			break;
	}
	if (err) {
		vpnlb_rerr(&b, reqs[done].index, "out of memory");
		while (done--)
			vpnlb_rreq_revert(vn, &reqs[done]);
		goto free;
	}

	vpnlb_rnotify_init(&n, vn, VPNLB_CMD_ROUTE_NEW);
	for (i = 0; i < b.count; i++) {
		req = &reqs[i];
		if (req->owner)
			req->rt->owner = nla_get_u32(req->owner);
		if (req->generation)
			req->rt->generation = nla_get_u32(req->generation);
		vpnlb_rnotify_add(&n, req->inst, req->rt);
		/* Installed now: not freed below. */
		req->exists = true;
	}
	vpnlb_rnotify_flush(&n);
free:
	for (i = 0; i < b.count; i++)
		if (!reqs[i].exists)
			kfree(reqs[i].rt);
	kvfree(reqs);
out:
	mutex_unlock(&vn->lock);
	return err;
}

/* ---- ROUTE_DEL ---- */

int vpnlb_route_delete(struct sk_buff *skb, struct genl_info *info)
{
	struct vpnlb_net *vn = vpnlb_info_net(info);
	struct vpnlb_batch b = { .extack = info->extack, .del = true };
	struct vpnlb_rreq *reqs = NULL;
	struct vpnlb_rnotify n;
	unsigned int i;
	int err;

	mutex_lock(&vn->lock);
	err = vpnlb_batch_parse(vn, info, &b, &reqs);
	if (err)
		goto out;
	vpnlb_rnotify_init(&n, vn, VPNLB_CMD_ROUTE_DEL);
	for (i = 0; i < b.count; i++) {
		vpnlb_rnotify_add(&n, reqs[i].inst, reqs[i].rt);
		vpnlb_route_unlink(vn, reqs[i].inst, reqs[i].rt);
	}
	vpnlb_rnotify_flush(&n);
	kvfree(reqs);
out:
	mutex_unlock(&vn->lock);
	return err;
}

/* ---- ROUTE_SET ---- */

static int vpnlb_route_key(struct vpnlb_net *vn, struct nlattr **tb,
			   struct vpnlb_instance **instp, u32 *prefixp,
			   u8 *plenp, struct netlink_ext_ack *extack)
{
	const char *name;
	__be32 prefix;
	u8 plen;

	if (!tb[VPNLB_ROUTE_A_INSTANCE]) {
		NL_SET_ERR_MSG_MOD(extack, "instance name is required");
		return -EINVAL;
	}
	name = nla_data(tb[VPNLB_ROUTE_A_INSTANCE]);
	*instp = vpnlb_instance_find(vn, name);
	if (!*instp) {
		NL_SET_BAD_ATTR(extack, tb[VPNLB_ROUTE_A_INSTANCE]);
		vpnlb_errf(extack, "instance %s does not exist", name);
		return -ENOENT;
	}
	if (!prefixp)
		return 0;
	if (!tb[VPNLB_ROUTE_A_PREFIX] || !tb[VPNLB_ROUTE_A_PREFIXLEN]) {
		NL_SET_ERR_MSG_MOD(extack,
				   "prefix and prefix length are required");
		return -EINVAL;
	}
	prefix = nla_get_in_addr(tb[VPNLB_ROUTE_A_PREFIX]);
	plen = nla_get_u8(tb[VPNLB_ROUTE_A_PREFIXLEN]);
	if (ntohl(prefix) & ~vpnlb_plen_mask(plen)) {
		NL_SET_BAD_ATTR(extack, tb[VPNLB_ROUTE_A_PREFIX]);
		vpnlb_errf(extack, "%pI4/%u has host bits set", &prefix, plen);
		return -EINVAL;
	}
	*prefixp = ntohl(prefix);
	*plenp = plen;
	return 0;
}

int vpnlb_route_set(struct sk_buff *skb, struct genl_info *info)
{
	struct vpnlb_net *vn = vpnlb_info_net(info);
	struct nlattr *tb[VPNLB_ROUTE_A_MAX + 1];
	struct vpnlb_instance *inst;
	struct vpnlb_rnotify n;
	struct vpnlb_route *rt;
	struct vpnlb_rreq req;
	__be32 be;
	int err;

	err = vpnlb_parse_nest(info, VPNLB_A_ROUTE, tb, VPNLB_ROUTE_A_MAX,
			       vpnlb_route_policy, "route");
	if (err)
		return err;
	memset(&req, 0, sizeof(req));
	mutex_lock(&vn->lock);
	err = vpnlb_route_key(vn, tb, &inst, &req.prefix, &req.plen,
			      info->extack);
	if (err)
		goto out;
	rt = vpnlb_route_find(inst, req.prefix, req.plen);
	if (!rt) {
		be = htonl(req.prefix);
		vpnlb_errf(info->extack, "%pI4/%u does not exist in %s", &be,
			   req.plen, inst->name);
		err = -ENOENT;
		goto out;
	}
	req.inst = inst;
	req.rt = rt;
	req.exists = true;
	req.group = rt->group;
	req.nh = rt->nh;
	req.protocol = rt->protocol;
	req.preference = rt->preference;
	req.cost = rt->cost;
	if (tb[VPNLB_ROUTE_A_GROUP_ID] && tb[VPNLB_ROUTE_A_NEXTHOP_ID]) {
		NL_SET_BAD_ATTR(info->extack, tb[VPNLB_ROUTE_A_NEXTHOP_ID]);
		NL_SET_ERR_MSG_MOD(info->extack,
				   "group and nexthop are exclusive");
		err = -EINVAL;
		goto out;
	}
	if (tb[VPNLB_ROUTE_A_GROUP_ID]) {
		req.group = vpnlb_group_lookup(vn, tb[VPNLB_ROUTE_A_GROUP_ID],
					       info->extack);
		if (IS_ERR(req.group)) {
			err = PTR_ERR(req.group);
			goto out;
		}
		if (req.group->inst != inst) {
			NL_SET_BAD_ATTR(info->extack,
					tb[VPNLB_ROUTE_A_GROUP_ID]);
			vpnlb_errf(info->extack,
				   "group %u belongs to instance %s",
				   req.group->id, req.group->inst->name);
			err = -EINVAL;
			goto out;
		}
		req.nh = NULL;
	}
	if (tb[VPNLB_ROUTE_A_NEXTHOP_ID]) {
		req.nh = vpnlb_nexthop_lookup(vn, tb[VPNLB_ROUTE_A_NEXTHOP_ID],
					      info->extack);
		if (IS_ERR(req.nh)) {
			err = PTR_ERR(req.nh);
			goto out;
		}
		req.group = NULL;
	}
	if (tb[VPNLB_ROUTE_A_PROTOCOL])
		req.protocol = nla_get_u8(tb[VPNLB_ROUTE_A_PROTOCOL]);
	if (tb[VPNLB_ROUTE_A_PREFERENCE])
		req.preference = nla_get_u32(tb[VPNLB_ROUTE_A_PREFERENCE]);
	if (tb[VPNLB_ROUTE_A_COST])
		req.cost = nla_get_u32(tb[VPNLB_ROUTE_A_COST]);
	if (req.group && !vpnlb_group_fits_route(req.group, req.protocol)) {
		NL_SET_BAD_ATTR(info->extack, tb[VPNLB_ROUTE_A_GROUP_ID] ?:
				tb[VPNLB_ROUTE_A_PROTOCOL]);
		vpnlb_errf(info->extack, "group %u is for %s routes, not %s",
			   req.group->id, vpnlb_proto_name(req.group->protocol),
			   vpnlb_proto_name(req.protocol));
		err = -EINVAL;
		goto out;
	}
	req.same = vpnlb_rreq_same(&req);
	err = vpnlb_rreq_apply(&req);
	if (err)
		goto out;
	if (tb[VPNLB_ROUTE_A_OWNER])
		rt->owner = nla_get_u32(tb[VPNLB_ROUTE_A_OWNER]);
	if (tb[VPNLB_ROUTE_A_GENERATION])
		rt->generation = nla_get_u32(tb[VPNLB_ROUTE_A_GENERATION]);
	vpnlb_rnotify_init(&n, vn, VPNLB_CMD_ROUTE_SET);
	vpnlb_rnotify_add(&n, inst, rt);
	vpnlb_rnotify_flush(&n);
out:
	mutex_unlock(&vn->lock);
	return err;
}

/* ---- ROUTE_GET ---- */

int vpnlb_route_get(struct sk_buff *skb, struct genl_info *info)
{
	struct vpnlb_net *vn = vpnlb_info_net(info);
	struct nlattr *tb[VPNLB_ROUTE_A_MAX + 1];
	struct vpnlb_route *rt = NULL;
	struct vpnlb_instance *inst;
	struct sk_buff *msg;
	u32 prefix, addr;
	int err, plen;
	void *hdr;
	__be32 be;
	u8 len;

	err = vpnlb_parse_nest(info, VPNLB_A_ROUTE, tb, VPNLB_ROUTE_A_MAX,
			       vpnlb_route_policy, "route");
	if (err)
		return err;
	mutex_lock(&vn->lock);
	if (tb[VPNLB_ROUTE_A_LOOKUP_ADDR]) {
		if (tb[VPNLB_ROUTE_A_PREFIX] || tb[VPNLB_ROUTE_A_PREFIXLEN]) {
			NL_SET_BAD_ATTR(info->extack,
					tb[VPNLB_ROUTE_A_LOOKUP_ADDR]);
			NL_SET_ERR_MSG_MOD(info->extack,
					   "lookup address and prefix are exclusive");
			err = -EINVAL;
			goto out;
		}
		err = vpnlb_route_key(vn, tb, &inst, NULL, NULL, info->extack);
		if (err)
			goto out;
		be = nla_get_in_addr(tb[VPNLB_ROUTE_A_LOOKUP_ADDR]);
		addr = ntohl(be);
		for (plen = 32; plen >= 0 && !rt; plen--)
			rt = vpnlb_route_find(inst, addr & vpnlb_plen_mask(plen),
					      plen);
		if (!rt) {
			vpnlb_errf(info->extack, "no route in %s matches %pI4",
				   inst->name, &be);
			err = -ENOENT;
			goto out;
		}
	} else {
		err = vpnlb_route_key(vn, tb, &inst, &prefix, &len,
				      info->extack);
		if (err)
			goto out;
		rt = vpnlb_route_find(inst, prefix, len);
		if (!rt) {
			be = htonl(prefix);
			vpnlb_errf(info->extack, "%pI4/%u does not exist in %s",
				   &be, len, inst->name);
			err = -ENOENT;
			goto out;
		}
	}
	err = -ENOMEM;
	msg = vpnlb_msg_new(info, VPNLB_CMD_ROUTE_GET, &hdr);
	if (!msg)
		goto out;
	if (vpnlb_fill_route(msg, inst, rt, false)) {
		nlmsg_free(msg);
		goto out;
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
out:
	mutex_unlock(&vn->lock);
	return err;
}

/*
 * Dump position: args[0] instance index, args[1] non-zero once a route of
 * it was sent, args[2]/args[3] that route's prefix and length.
 */
struct vpnlb_rfilter {
	struct vpnlb_instance *inst;
	bool has_prefix;
	bool longer;
	u32 prefix;
	u8 plen;
};

static bool vpnlb_rfilter_past(const struct vpnlb_rfilter *f,
			       const struct vpnlb_route *rt)
{
	if (!f->has_prefix)
		return false;
	if (!f->longer)
		return rt->prefix != f->prefix || rt->plen != f->plen;
	return rt->prefix > (f->prefix | ~vpnlb_plen_mask(f->plen));
}

static bool vpnlb_rfilter_match(const struct vpnlb_rfilter *f,
				const struct vpnlb_route *rt)
{
	if (!f->has_prefix || !f->longer)
		return true;
	return rt->plen >= f->plen &&
	       (rt->prefix & vpnlb_plen_mask(f->plen)) == f->prefix;
}

static int vpnlb_dump_instance_routes(struct sk_buff *skb,
				      struct netlink_callback *cb,
				      struct vpnlb_instance *inst,
				      const struct vpnlb_rfilter *f)
{
	struct vpnlb_route *rt;
	struct rb_node *node;
	void *hdr;

	if (cb->args[1])
		rt = vpnlb_route_next(inst, cb->args[2], cb->args[3], false);
	else if (f->has_prefix)
		rt = vpnlb_route_next(inst, f->prefix, f->plen, true);
	else
		rt = rb_entry_safe(rb_first(&inst->routes), struct vpnlb_route,
				   node);
	for (; rt; rt = rb_entry_safe(node, struct vpnlb_route, node)) {
		node = rb_next(&rt->node);
		if (vpnlb_rfilter_past(f, rt))
			break;
		if (!vpnlb_rfilter_match(f, rt))
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &vpnlb_genl_family,
				  NLM_F_MULTI, VPNLB_CMD_ROUTE_GET);
		if (!hdr)
			return -EMSGSIZE;
		if (vpnlb_fill_route(skb, inst, rt, false)) {
			genlmsg_cancel(skb, hdr);
			return -EMSGSIZE;
		}
		genlmsg_end(skb, hdr);
		cb->args[1] = 1;
		cb->args[2] = rt->prefix;
		cb->args[3] = rt->plen;
	}
	return 0;
}

int vpnlb_route_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct vpnlb_net *vn = vpnlb_net(sock_net(skb->sk));
	struct nlattr **attrs = vpnlb_dump_attrs(cb);
	struct nlattr *tb[VPNLB_ROUTE_A_MAX + 1];
	struct vpnlb_rfilter f = {};
	struct vpnlb_instance *inst;
	unsigned long idx;
	int err = 0;

	memset(tb, 0, sizeof(tb));
	if (attrs && attrs[VPNLB_A_ROUTE]) {
		err = nla_parse_nested(tb, VPNLB_ROUTE_A_MAX,
				       attrs[VPNLB_A_ROUTE],
				       vpnlb_route_policy, cb->extack);
		if (err)
			return err;
	}
	mutex_lock(&vn->lock);
	if (tb[VPNLB_ROUTE_A_INSTANCE]) {
		err = vpnlb_route_key(vn, tb, &f.inst, NULL, NULL, cb->extack);
		if (err)
			goto out;
	}
	if (tb[VPNLB_ROUTE_A_PREFIX] || tb[VPNLB_ROUTE_A_PREFIXLEN]) {
		if (!f.inst) {
			NL_SET_ERR_MSG_MOD(cb->extack,
					   "a prefix filter needs an instance");
			err = -EINVAL;
			goto out;
		}
		err = vpnlb_route_key(vn, tb, &f.inst, &f.prefix, &f.plen,
				      cb->extack);
		if (err)
			goto out;
		f.has_prefix = true;
		f.longer = tb[VPNLB_ROUTE_A_LONGER];
	}

	if (f.inst) {
		if (cb->args[0] == 0)
			err = vpnlb_dump_instance_routes(skb, cb, f.inst, &f);
		if (!err)
			cb->args[0] = 1;
		goto out;
	}
	idx = cb->args[0];
	xa_for_each_start(&vn->instances, idx, inst, idx) {
		if (idx != cb->args[0]) {
			cb->args[0] = idx;
			cb->args[1] = 0;
		}
		err = vpnlb_dump_instance_routes(skb, cb, inst, &f);
		if (err)
			break;
		cb->args[0] = idx + 1;
		cb->args[1] = 0;
	}
out:
	mutex_unlock(&vn->lock);
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

/* ---- FLUSH ---- */

struct vpnlb_flush_match {
	bool has_owner;
	bool has_gen;
	u32 owner;
	u32 generation;
};

static bool vpnlb_flush_match(const struct vpnlb_flush_match *m, u32 owner,
			      u32 generation)
{
	if (m->has_owner && owner != m->owner)
		return false;
	if (m->has_gen && !vpnlb_gen_older(generation, m->generation))
		return false;
	return true;
}

static unsigned int vpnlb_flush_routes(struct vpnlb_net *vn,
				       struct vpnlb_instance *inst,
				       const struct vpnlb_flush_match *m,
				       struct vpnlb_rnotify *n)
{
	struct rb_node *node = rb_first(&inst->routes), *next;
	unsigned int deleted = 0;
	struct vpnlb_route *rt;

	for (; node; node = next) {
		next = rb_next(node);
		rt = rb_entry(node, struct vpnlb_route, node);
		if (!vpnlb_flush_match(m, rt->owner, rt->generation))
			continue;
		vpnlb_rnotify_add(n, inst, rt);
		vpnlb_route_unlink(vn, inst, rt);
		deleted++;
	}
	return deleted;
}

int vpnlb_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct vpnlb_net *vn = vpnlb_info_net(info);
	struct nlattr *tb[VPNLB_FLUSH_A_MAX + 1];
	struct vpnlb_instance *only = NULL, *inst;
	struct vpnlb_flush_match m = {};
	unsigned int deleted = 0;
	struct vpnlb_nexthop *nh;
	struct vpnlb_rnotify n;
	struct vpnlb_tunnel *t;
	struct vpnlb_group *g;
	struct nlattr *nest;
	struct sk_buff *msg;
	unsigned long id;
	void *hdr;
	int err;

	memset(tb, 0, sizeof(tb));
	if (info->attrs[VPNLB_A_FLUSH]) {
		err = nla_parse_nested(tb, VPNLB_FLUSH_A_MAX,
				       info->attrs[VPNLB_A_FLUSH],
				       vpnlb_flush_policy, info->extack);
		if (err)
			return err;
	}
	m.has_owner = tb[VPNLB_FLUSH_A_OWNER];
	m.owner = m.has_owner ? nla_get_u32(tb[VPNLB_FLUSH_A_OWNER]) : 0;
	m.has_gen = tb[VPNLB_FLUSH_A_GENERATION];
	m.generation = m.has_gen ?
		       nla_get_u32(tb[VPNLB_FLUSH_A_GENERATION]) : 0;

	mutex_lock(&vn->lock);
	if (tb[VPNLB_FLUSH_A_INSTANCE]) {
		const char *name = nla_data(tb[VPNLB_FLUSH_A_INSTANCE]);

		only = vpnlb_instance_find(vn, name);
		if (!only) {
			NL_SET_BAD_ATTR(info->extack,
					tb[VPNLB_FLUSH_A_INSTANCE]);
			vpnlb_errf(info->extack, "instance %s does not exist",
				   name);
			err = -ENOENT;
			goto out;
		}
	}

	vpnlb_rnotify_init(&n, vn, VPNLB_CMD_ROUTE_DEL);
	if (only) {
		deleted += vpnlb_flush_routes(vn, only, &m, &n);
	} else {
		xa_for_each(&vn->instances, id, inst)
			deleted += vpnlb_flush_routes(vn, inst, &m, &n);
	}
	vpnlb_rnotify_flush(&n);

	xa_for_each(&vn->groups, id, g) {
		if ((only && g->inst != only) || g->users ||
		    !vpnlb_flush_match(&m, g->owner, g->generation))
			continue;
		vpnlb_notify_group(vn, g, VPNLB_CMD_GROUP_DEL);
		vpnlb_group_free(vn, g);
		deleted++;
	}
	xa_for_each(&vn->nexthops, id, nh) {
		if (nh->users ||
		    !vpnlb_flush_match(&m, nh->owner, nh->generation))
			continue;
		vpnlb_notify_nexthop(vn, nh, VPNLB_CMD_NEXTHOP_DEL);
		vpnlb_nexthop_free(vn, nh);
		deleted++;
	}
	xa_for_each(&vn->tunnels, id, t) {
		if (t->users || !vpnlb_flush_match(&m, t->owner, t->generation))
			continue;
		vpnlb_notify_tunnel(vn, t, VPNLB_CMD_TUNNEL_DEL);
		vpnlb_tunnel_free(vn, t);
		deleted++;
	}

	err = -ENOMEM;
	msg = vpnlb_msg_new(info, VPNLB_CMD_FLUSH, &hdr);
	if (!msg)
		goto out;
	nest = nla_nest_start(msg, VPNLB_A_FLUSH);
	if (!nest || nla_put_u32(msg, VPNLB_FLUSH_A_DELETED, deleted)) {
		nlmsg_free(msg);
		goto out;
	}
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
out:
	mutex_unlock(&vn->lock);
	return err;
}
