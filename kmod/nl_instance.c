// SPDX-License-Identifier: GPL-2.0
/*
 * Instance operations of the "vpnlb" family.
 */
#include <net/l3mdev.h>
#include <net/sock.h>

#include "vpnlb.h"
#include "compat.h"
#include "netlink.h"

static void vpnlb_istats_sum(const struct vpnlb_instance *inst,
			     u64 *hits, u64 *misses, u64 *drops)
{
	int cpu, i;

	*hits = 0;
	*misses = 0;
	memset(drops, 0, sizeof(u64) * VPNLB_DROP_MAX);
	for_each_possible_cpu(cpu) {
		const struct vpnlb_istats *s = per_cpu_ptr(inst->stats, cpu);
		u64 h, m, d[VPNLB_DROP_MAX];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			h = u64_stats_read(&s->hits);
			m = u64_stats_read(&s->misses);
			for (i = 0; i < VPNLB_DROP_MAX; i++)
				d[i] = u64_stats_read(&s->drops[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		*hits += h;
		*misses += m;
		for (i = 0; i < VPNLB_DROP_MAX; i++)
			drops[i] += d[i];
	}
}

static int vpnlb_fill_istats(struct sk_buff *skb,
			     const struct vpnlb_instance *inst)
{
	u64 hits, misses, drops[VPNLB_DROP_MAX];
	struct nlattr *nest;
	int i;

	vpnlb_istats_sum(inst, &hits, &misses, drops);
	nest = nla_nest_start(skb, VPNLB_INSTANCE_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, VPNLB_ISTATS_A_HITS, hits,
			      VPNLB_ISTATS_A_PAD) ||
	    nla_put_u64_64bit(skb, VPNLB_ISTATS_A_MISSES, misses,
			      VPNLB_ISTATS_A_PAD))
		return -EMSGSIZE;
	for (i = 0; i < VPNLB_DROP_MAX; i++)
		if (nla_put_u64_64bit(skb, VPNLB_ISTATS_A_DROP_TTL + i,
				      drops[i], VPNLB_ISTATS_A_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int vpnlb_fill_instance(struct sk_buff *skb, struct vpnlb_net *vn,
			       void *obj, bool stats)
{
	struct vpnlb_instance *inst = obj;
	struct net_device *vrf;
	struct nlattr *nest;
	int err = -EMSGSIZE;

	nest = nla_nest_start(skb, VPNLB_A_INSTANCE);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, VPNLB_INSTANCE_A_NAME, inst->name) ||
	    nla_put_u32(skb, VPNLB_INSTANCE_A_VRF_IFINDEX, inst->vrf_ifindex) ||
	    nla_put_u32(skb, VPNLB_INSTANCE_A_TABLE, inst->table) ||
	    nla_put_u32(skb, VPNLB_INSTANCE_A_MAX_PATHS, inst->max_paths) ||
	    nla_put_u32(skb, VPNLB_INSTANCE_A_MAX_PATHS_IBGP,
			inst->max_paths_ibgp) ||
	    nla_put_u32(skb, VPNLB_INSTANCE_A_MAX_PATHS_EBGP,
			inst->max_paths_ebgp) ||
	    nla_put_u8(skb, VPNLB_INSTANCE_A_LB_MODE, inst->lb_mode) ||
	    nla_put_u8(skb, VPNLB_INSTANCE_A_HASH_FIELDS, inst->hash_fields) ||
	    nla_put_u8(skb, VPNLB_INSTANCE_A_TTL_MODE, inst->ttl_mode) ||
	    nla_put_u32(skb, VPNLB_INSTANCE_A_OWNER, inst->owner) ||
	    nla_put_u32(skb, VPNLB_INSTANCE_A_GENERATION, inst->generation) ||
	    nla_put_u32(skb, VPNLB_INSTANCE_A_ROUTES, inst->nroutes))
		goto cancel;
	rcu_read_lock();
	vrf = dev_get_by_index_rcu(vn->net, inst->vrf_ifindex);
	if (vrf && nla_put_string(skb, VPNLB_INSTANCE_A_VRF_NAME, vrf->name)) {
		rcu_read_unlock();
		goto cancel;
	}
	rcu_read_unlock();
	if (stats) {
		err = vpnlb_fill_istats(skb, inst);
		if (err)
			goto cancel;
	}
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int vpnlb_fill_instance_key(struct sk_buff *skb, struct vpnlb_net *vn,
				   void *obj, bool stats)
{
	struct vpnlb_instance *inst = obj;
	struct nlattr *nest;

	nest = nla_nest_start(skb, VPNLB_A_INSTANCE);
	if (!nest || nla_put_string(skb, VPNLB_INSTANCE_A_NAME, inst->name))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

void vpnlb_notify_instance(struct vpnlb_net *vn, struct vpnlb_instance *inst,
			   u8 cmd)
{
	vpnlb_notify(vn, cmd, cmd == VPNLB_CMD_INSTANCE_DEL ?
		     vpnlb_fill_instance_key : vpnlb_fill_instance, inst);
}

static struct vpnlb_instance *vpnlb_instance_lookup(struct vpnlb_net *vn,
						    struct nlattr **tb,
						    struct netlink_ext_ack *extack)
{
	struct vpnlb_instance *inst;
	const char *name;

	if (!tb[VPNLB_INSTANCE_A_NAME]) {
		NL_SET_ERR_MSG_MOD(extack, "instance name is required");
		return ERR_PTR(-EINVAL);
	}
	name = nla_data(tb[VPNLB_INSTANCE_A_NAME]);
	inst = vpnlb_instance_find(vn, name);
	if (!inst) {
		NL_SET_BAD_ATTR(extack, tb[VPNLB_INSTANCE_A_NAME]);
		vpnlb_errf(extack, "instance %s does not exist", name);
		return ERR_PTR(-ENOENT);
	}
	return inst;
}

/* Checks that ifindex is a VRF of this netns; returns its table. */
static int vpnlb_vrf_table(struct vpnlb_net *vn, struct nlattr *attr,
			   u32 *table, struct netlink_ext_ack *extack)
{
	u32 ifindex = nla_get_u32(attr);
	struct net_device *dev;
	int err = 0;

	rcu_read_lock();
	dev = dev_get_by_index_rcu(vn->net, ifindex);
	if (!dev) {
		vpnlb_errf(extack, "device %u does not exist", ifindex);
		err = -ENODEV;
	} else if (!netif_is_l3_master(dev)) {
		vpnlb_errf(extack, "device %s is not a VRF", dev->name);
		err = -EINVAL;
	} else {
		*table = l3mdev_fib_table_rcu(dev);
	}
	rcu_read_unlock();
	if (err)
		NL_SET_BAD_ATTR(extack, attr);
	return err;
}

/* Instance settings from tb onto inst (defaults already in inst). */
static void vpnlb_instance_apply(struct vpnlb_instance *inst,
				 struct nlattr **tb)
{
	WRITE_ONCE(inst->lb_mode, vpnlb_get_u8(tb[VPNLB_INSTANCE_A_LB_MODE],
					       inst->lb_mode));
	WRITE_ONCE(inst->hash_fields,
		   vpnlb_get_u8(tb[VPNLB_INSTANCE_A_HASH_FIELDS],
				inst->hash_fields));
	WRITE_ONCE(inst->ttl_mode, vpnlb_get_u8(tb[VPNLB_INSTANCE_A_TTL_MODE],
						inst->ttl_mode));
	inst->owner = vpnlb_get_u32(tb[VPNLB_INSTANCE_A_OWNER], inst->owner);
	inst->generation = vpnlb_get_u32(tb[VPNLB_INSTANCE_A_GENERATION],
					 inst->generation);
}

/* The maximums in tb over base (the defaults, or the current ones). */
static void vpnlb_limits_parse(struct nlattr **tb,
			       const struct vpnlb_limits *base,
			       struct vpnlb_limits *lim)
{
	lim->max_paths = vpnlb_get_u32(tb[VPNLB_INSTANCE_A_MAX_PATHS],
				       base->max_paths);
	lim->ibgp = vpnlb_get_u32(tb[VPNLB_INSTANCE_A_MAX_PATHS_IBGP],
				  base->ibgp);
	lim->ebgp = vpnlb_get_u32(tb[VPNLB_INSTANCE_A_MAX_PATHS_EBGP],
				  base->ebgp);
}

static const struct vpnlb_limits vpnlb_default_limits = { .max_paths = 1 };

static int vpnlb_instance_update_limits(struct vpnlb_net *vn,
					struct vpnlb_instance *inst,
					const struct vpnlb_limits *lim)
{
	struct vpnlb_limits cur;

	vpnlb_instance_limits(inst, &cur);
	if (!memcmp(&cur, lim, sizeof(cur)))
		return 0;
	return vpnlb_instance_set_limits(vn, inst, lim);
}

/* NLM_F_REPLACE of an instance: a full description with defaults. */
static int vpnlb_instance_replace(struct vpnlb_net *vn,
				  struct vpnlb_instance *inst,
				  struct nlattr **tb, struct genl_info *info)
{
	struct vpnlb_limits lim;
	int err;

	if (nla_get_u32(tb[VPNLB_INSTANCE_A_VRF_IFINDEX]) !=
	    (u32)inst->vrf_ifindex) {
		NL_SET_BAD_ATTR(info->extack, tb[VPNLB_INSTANCE_A_VRF_IFINDEX]);
		vpnlb_errf(info->extack,
			   "instance %s is bound to another VRF", inst->name);
		return -EBUSY;
	}
	vpnlb_limits_parse(tb, &vpnlb_default_limits, &lim);
	err = vpnlb_instance_update_limits(vn, inst, &lim);
	if (err)
		return err;
	inst->lb_mode = VPNLB_LB_FLOW;
	inst->hash_fields = VPNLB_HASH_L3L4;
	inst->ttl_mode = VPNLB_TTL_UNIFORM;
	vpnlb_instance_apply(inst, tb);
	vpnlb_notify_instance(vn, inst, VPNLB_CMD_INSTANCE_NEW);
	return 0;
}

int vpnlb_instance_new(struct sk_buff *skb, struct genl_info *info)
{
	struct vpnlb_net *vn = vpnlb_info_net(info);
	struct nlattr *tb[VPNLB_INSTANCE_A_MAX + 1];
	struct vpnlb_instance *inst, *other;
	struct vpnlb_limits lim;
	const char *name;
	int err, cpu;
	u32 table;

	err = vpnlb_parse_nest(info, VPNLB_A_INSTANCE, tb, VPNLB_INSTANCE_A_MAX,
			       vpnlb_instance_policy, "instance");
	if (err)
		return err;
	if (!tb[VPNLB_INSTANCE_A_NAME]) {
		NL_SET_ERR_MSG_MOD(info->extack, "instance name is required");
		return -EINVAL;
	}
	name = nla_data(tb[VPNLB_INSTANCE_A_NAME]);
	if (!name[0]) {
		NL_SET_BAD_ATTR(info->extack, tb[VPNLB_INSTANCE_A_NAME]);
		NL_SET_ERR_MSG_MOD(info->extack, "instance name is empty");
		return -EINVAL;
	}
	if (!tb[VPNLB_INSTANCE_A_VRF_IFINDEX]) {
		NL_SET_ERR_MSG_MOD(info->extack, "VRF ifindex is required");
		return -EINVAL;
	}

	mutex_lock(&vn->lock);
	err = vpnlb_vrf_table(vn, tb[VPNLB_INSTANCE_A_VRF_IFINDEX], &table,
			      info->extack);
	if (err)
		goto out;
	inst = vpnlb_instance_find(vn, name);
	if (inst) {
		if (vpnlb_replace(info)) {
			err = vpnlb_instance_replace(vn, inst, tb, info);
			goto out;
		}
		NL_SET_BAD_ATTR(info->extack, tb[VPNLB_INSTANCE_A_NAME]);
		vpnlb_errf(info->extack, "instance %s already exists", name);
		err = -EEXIST;
		goto out;
	}
	other = xa_load(&vn->inst_by_table, table);
	if (other) {
		NL_SET_BAD_ATTR(info->extack, tb[VPNLB_INSTANCE_A_VRF_IFINDEX]);
		vpnlb_errf(info->extack, "VRF table %u is used by instance %s",
			   table, other->name);
		err = -EBUSY;
		goto out;
	}

	err = -ENOMEM;
	inst = kzalloc(sizeof(*inst), GFP_KERNEL);
	if (!inst)
		goto out;
	strscpy(inst->name, name, sizeof(inst->name));
	inst->vrf_ifindex = nla_get_u32(tb[VPNLB_INSTANCE_A_VRF_IFINDEX]);
	inst->table = table;
	vpnlb_limits_parse(tb, &vpnlb_default_limits, &lim);
	inst->max_paths = lim.max_paths;
	inst->max_paths_ibgp = lim.ibgp;
	inst->max_paths_ebgp = lim.ebgp;
	inst->lb_mode = VPNLB_LB_FLOW;
	inst->hash_fields = VPNLB_HASH_L3L4;
	inst->ttl_mode = VPNLB_TTL_UNIFORM;
	inst->routes = RB_ROOT;
	vpnlb_instance_apply(inst, tb);
	inst->stats = alloc_percpu(struct vpnlb_istats);
	inst->lpm = vpnlb_lpm_create();
	if (!inst->stats || !inst->lpm)
		goto free;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(inst->stats, cpu)->syncp);

	/* The VRF was found under the lock: if it is unregistering, our
	 * notifier has yet to run and will delete the instance.
	 */
	err = vpnlb_instance_add(vn, inst, info->extack);
	if (err)
		goto free;
	vpnlb_notify_instance(vn, inst, VPNLB_CMD_INSTANCE_NEW);
	err = 0;
	goto out;
free:
	vpnlb_instance_free(inst);
out:
	mutex_unlock(&vn->lock);
	return err;
}

int vpnlb_instance_set(struct sk_buff *skb, struct genl_info *info)
{
	struct vpnlb_net *vn = vpnlb_info_net(info);
	struct nlattr *tb[VPNLB_INSTANCE_A_MAX + 1];
	struct vpnlb_limits cur, lim;
	struct vpnlb_instance *inst;
	int err;

	err = vpnlb_parse_nest(info, VPNLB_A_INSTANCE, tb, VPNLB_INSTANCE_A_MAX,
			       vpnlb_instance_policy, "instance");
	if (err)
		return err;
	if (tb[VPNLB_INSTANCE_A_VRF_IFINDEX]) {
		NL_SET_BAD_ATTR(info->extack, tb[VPNLB_INSTANCE_A_VRF_IFINDEX]);
		NL_SET_ERR_MSG_MOD(info->extack,
				   "the VRF of an instance cannot change");
		return -EINVAL;
	}
	mutex_lock(&vn->lock);
	inst = vpnlb_instance_lookup(vn, tb, info->extack);
	if (IS_ERR(inst)) {
		err = PTR_ERR(inst);
		goto out;
	}
	vpnlb_instance_limits(inst, &cur);
	vpnlb_limits_parse(tb, &cur, &lim);
	err = vpnlb_instance_update_limits(vn, inst, &lim);
	if (err)
		goto out;
	vpnlb_instance_apply(inst, tb);
	vpnlb_notify_instance(vn, inst, VPNLB_CMD_INSTANCE_SET);
out:
	mutex_unlock(&vn->lock);
	return err;
}

int vpnlb_instance_delete(struct sk_buff *skb, struct genl_info *info)
{
	struct vpnlb_net *vn = vpnlb_info_net(info);
	struct nlattr *tb[VPNLB_INSTANCE_A_MAX + 1];
	struct vpnlb_instance *inst;
	int err;

	err = vpnlb_parse_nest(info, VPNLB_A_INSTANCE, tb, VPNLB_INSTANCE_A_MAX,
			       vpnlb_instance_policy, "instance");
	if (err)
		return err;
	mutex_lock(&vn->lock);
	inst = vpnlb_instance_lookup(vn, tb, info->extack);
	if (IS_ERR(inst)) {
		err = PTR_ERR(inst);
	} else {
		vpnlb_notify_instance(vn, inst, VPNLB_CMD_INSTANCE_DEL);
		vpnlb_instance_del(vn, inst);
	}
	mutex_unlock(&vn->lock);
	return err;
}

int vpnlb_instance_get(struct sk_buff *skb, struct genl_info *info)
{
	struct vpnlb_net *vn = vpnlb_info_net(info);
	struct nlattr *tb[VPNLB_INSTANCE_A_MAX + 1];
	struct vpnlb_instance *inst;
	int err;

	err = vpnlb_parse_nest(info, VPNLB_A_INSTANCE, tb, VPNLB_INSTANCE_A_MAX,
			       vpnlb_instance_policy, "instance");
	if (err)
		return err;
	mutex_lock(&vn->lock);
	inst = vpnlb_instance_lookup(vn, tb, info->extack);
	if (IS_ERR(inst))
		err = PTR_ERR(inst);
	else
		err = vpnlb_reply(vn, info, vpnlb_fill_instance, inst);
	mutex_unlock(&vn->lock);
	return err;
}

int vpnlb_instance_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return vpnlb_dump_xa(skb, cb, &vpnlb_net(sock_net(skb->sk))->instances,
			     vpnlb_fill_instance);
}
