// SPDX-License-Identifier: GPL-2.0
/*
 * Lifetime of instances, tunnels, nexthops, groups and routes.
 *
 * Every function here runs under vpnlb_net.lock. Objects a packet may still
 * hold are unpublished first and freed after an RCU grace period.
 */
#include <linux/jhash.h>
#include <linux/slab.h>
#include <net/arp.h>
#include <net/neighbour.h>

#include "vpnlb.h"

static u32 vpnlb_name_hash(const char *name)
{
	return jhash(name, strlen(name), 0);
}

struct vpnlb_instance *vpnlb_instance_find(struct vpnlb_net *vn,
					   const char *name)
{
	struct vpnlb_instance *inst;

	lockdep_assert_held(&vn->lock);
	hash_for_each_possible(vn->inst_by_name, inst, name_node,
			       vpnlb_name_hash(name))
		if (!strcmp(inst->name, name))
			return inst;
	return NULL;
}

int vpnlb_instance_add(struct vpnlb_net *vn, struct vpnlb_instance *inst,
		       struct netlink_ext_ack *extack)
{
	int err;

	lockdep_assert_held(&vn->lock);
	err = xa_alloc_cyclic(&vn->instances, &inst->index, inst, xa_limit_32b,
			      &vn->inst_next, GFP_KERNEL);
	if (err < 0)
		return err;
	err = xa_insert(&vn->inst_by_table, inst->table, inst, GFP_KERNEL);
	if (err) {
		xa_erase(&vn->instances, inst->index);
		return err;
	}
	hash_add(vn->inst_by_name, &inst->name_node, vpnlb_name_hash(inst->name));
	return 0;
}

void vpnlb_instance_free(struct vpnlb_instance *inst)
{
	if (inst->lpm)
		vpnlb_lpm_destroy(inst->lpm);
	free_percpu(inst->stats);
	kfree(inst);
}

/* Unlinks inst and frees its routes and groups; packets may still see it. */
static void vpnlb_instance_unlink(struct vpnlb_net *vn,
				  struct vpnlb_instance *inst)
{
	struct vpnlb_route *rt, *tmp;
	struct vpnlb_group *g;
	unsigned long id;

	xa_erase(&vn->inst_by_table, inst->table);
	xa_erase(&vn->instances, inst->index);
	hash_del(&inst->name_node);

	/* The LPM goes away with the instance: no per-route delete needed. */
	rbtree_postorder_for_each_entry_safe(rt, tmp, &inst->routes, node) {
		vpnlb_route_drop(rt);
		kfree(rt);
	}
	inst->routes = RB_ROOT;
	inst->nroutes = 0;

	xa_for_each(&vn->groups, id, g)
		if (g->inst == inst)
			vpnlb_group_free(vn, g);
}

void vpnlb_instance_del(struct vpnlb_net *vn, struct vpnlb_instance *inst)
{
	vpnlb_instance_unlink(vn, inst);
	synchronize_net();
	vpnlb_instance_free(inst);
}

/* Everything of a netns whose packets can no longer reach vpnlb. */
void vpnlb_net_flush_all(struct vpnlb_net *vn)
{
	struct vpnlb_instance *inst;
	struct vpnlb_nexthop *nh;
	struct vpnlb_tunnel *t;
	unsigned long id;

	lockdep_assert_held(&vn->lock);
	xa_for_each(&vn->instances, id, inst) {
		vpnlb_instance_unlink(vn, inst);
		vpnlb_instance_free(inst);
	}
	/* Every group belonged to an instance: none is left. */
	xa_for_each(&vn->nexthops, id, nh)
		vpnlb_nexthop_free(vn, nh);
	xa_for_each(&vn->tunnels, id, t)
		vpnlb_tunnel_free(vn, t);
}

/* ---- tunnels ---- */

static u8 vpnlb_link_state(struct net_device *dev, __be32 gateway)
{
	struct neighbour *n;
	u8 state = VPNLB_TUNNEL_UP;

	if (!dev || !netif_running(dev) || !netif_carrier_ok(dev))
		return VPNLB_TUNNEL_DOWN_LINK;
	/* Neighbour tables are RCU-bh on some kernels, RCU on others. */
	rcu_read_lock_bh();
	rcu_read_lock();
	n = __ipv4_neigh_lookup_noref(dev, (__force u32)gateway);
	if (n && (READ_ONCE(n->nud_state) & NUD_FAILED))
		state = VPNLB_TUNNEL_DOWN_NEIGH;
	rcu_read_unlock();
	rcu_read_unlock_bh();
	return state;
}

static void vpnlb_tunnel_fwd_free_rcu(struct rcu_head *head)
{
	struct vpnlb_tunnel_fwd *f = container_of(head, struct vpnlb_tunnel_fwd,
						  rcu);

	if (f->dev)
		dev_put(f->dev);
	kfree(f);
}

/*
 * Publishes the tunnel's current settings with egress device dev (may be
 * NULL). The old state keeps its device reference until no packet can use it.
 */
int vpnlb_tunnel_publish(struct vpnlb_net *vn, struct vpnlb_tunnel *t,
			 struct net_device *dev)
{
	struct vpnlb_tunnel_fwd *f, *old;
	gfp_t gfp = GFP_KERNEL;
	u8 state;

	/* Letting go of a device must not fail: it is unregistering. */
	if (!dev)
		gfp |= __GFP_NOFAIL;
	f = kzalloc(sizeof(*f), gfp);
	if (!f)
		return -ENOMEM;
	state = vpnlb_link_state(dev, t->gateway);
	f->dev = dev;
	if (dev)
		dev_hold(dev);
	f->gateway = t->gateway;
	f->up = state == VPNLB_TUNNEL_UP;
	f->nlabels = t->nlabels;
	memcpy(f->labels, t->labels, sizeof(f->labels));

	old = vpnlb_deref(vn, t->fwd);
	rcu_assign_pointer(t->fwd, f);
	if (old)
		call_rcu(&old->rcu, vpnlb_tunnel_fwd_free_rcu);
	if (state != t->state)
		t->changed = true;
	t->state = state;
	return 0;
}

void vpnlb_tunnel_free(struct vpnlb_net *vn, struct vpnlb_tunnel *t)
{
	struct vpnlb_tunnel_fwd *f = vpnlb_deref(vn, t->fwd);

	xa_erase(&vn->tunnels, t->id);
	RCU_INIT_POINTER(t->fwd, NULL);
	if (f)
		call_rcu(&f->rcu, vpnlb_tunnel_fwd_free_rcu);
	kfree_rcu(t, rcu);
}

static void vpnlb_tunnels_changed(struct vpnlb_net *vn)
{
	struct vpnlb_tunnel *t;
	unsigned long id;
	bool any = false;

	xa_for_each(&vn->tunnels, id, t)
		any |= t->changed;
	if (!any)
		return;
	vpnlb_groups_rebuild_for_tunnels(vn);
	xa_for_each(&vn->tunnels, id, t) {
		if (!t->changed)
			continue;
		t->changed = false;
		vpnlb_notify_tunnel(vn, t, VPNLB_CMD_TUNNEL_SET);
	}
}

/* Re-reads link and neighbour state of every tunnel. */
void vpnlb_tunnels_refresh(struct vpnlb_net *vn)
{
	struct vpnlb_tunnel_fwd *f;
	struct vpnlb_tunnel *t;
	unsigned long id;

	lockdep_assert_held(&vn->lock);
	xa_for_each(&vn->tunnels, id, t) {
		f = vpnlb_deref(vn, t->fwd);
		if (vpnlb_link_state(f->dev, t->gateway) == t->state)
			continue;
		if (vpnlb_tunnel_publish(vn, t, f->dev))
			net_warn_ratelimited("vpnlb: tunnel %u: no memory for its new state\n",
					     t->id);
	}
	vpnlb_tunnels_changed(vn);
}

/* dev is unregistering: tunnels through it go down and let it go. */
void vpnlb_tunnels_detach_dev(struct vpnlb_net *vn, struct net_device *dev)
{
	struct vpnlb_tunnel_fwd *f;
	struct vpnlb_tunnel *t;
	unsigned long id;

	lockdep_assert_held(&vn->lock);
	xa_for_each(&vn->tunnels, id, t) {
		f = vpnlb_deref(vn, t->fwd);
		if (f->dev == dev)
			vpnlb_tunnel_publish(vn, t, NULL);
	}
	vpnlb_tunnels_changed(vn);
}

/* ---- nexthops ---- */

int vpnlb_fwd_alloc(struct vpnlb_net *vn, struct vpnlb_fwd *fwd)
{
	int err;

	/* Cyclic: a stale LPM value read by a packet never names a new entry
	 * soon after its own was deleted.
	 */
	err = xa_alloc_cyclic(&vn->fwd, &fwd->id, fwd, xa_limit_32b,
			      &vn->fwd_next, GFP_KERNEL);
	return err < 0 ? err : 0;
}

void vpnlb_nexthop_free(struct vpnlb_net *vn, struct vpnlb_nexthop *nh)
{
	struct vpnlb_tunnel *t = vpnlb_deref(vn, nh->tunnel);

	xa_erase(&vn->nexthops, nh->id);
	xa_erase(&vn->fwd, nh->fwd.id);
	if (t)
		t->users--;
	kfree_rcu(nh, rcu);
}

/* ---- groups ---- */

struct vpnlb_members *vpnlb_members_alloc(unsigned int n)
{
	struct vpnlb_members *m;
	int cpu;

	m = kzalloc(struct_size(m, m, n), GFP_KERNEL);
	if (!m)
		return NULL;
	m->n = n;
	m->stats = __alloc_percpu(sizeof(struct vpnlb_mstats) * n,
				  __alignof__(struct vpnlb_mstats));
	if (!m->stats) {
		kfree(m);
		return NULL;
	}
	for_each_possible_cpu(cpu) {
		struct vpnlb_mstats *s = per_cpu_ptr(m->stats, cpu);
		unsigned int i;

		for (i = 0; i < n; i++)
			u64_stats_init(&s[i].syncp);
	}
	return m;
}

void vpnlb_members_free(struct vpnlb_members *m)
{
	if (!m)
		return;
	free_percpu(m->stats);
	kfree(m);
}

static void vpnlb_members_free_rcu(struct rcu_head *head)
{
	vpnlb_members_free(container_of(head, struct vpnlb_members, rcu));
}

static void vpnlb_active_free(struct vpnlb_active *act)
{
	if (!act)
		return;
	free_percpu(act->wrr);
	kfree(act);
}

static void vpnlb_active_free_rcu(struct rcu_head *head)
{
	vpnlb_active_free(container_of(head, struct vpnlb_active, rcu));
}

static bool vpnlb_nexthop_up(struct vpnlb_net *vn,
			     const struct vpnlb_nexthop *nh)
{
	const struct vpnlb_tunnel *t = vpnlb_deref(vn, nh->tunnel);

	return t && t->state == VPNLB_TUNNEL_UP;
}

/*
 * The active set: the first max_paths members whose tunnel is up, in
 * member order, so backups take over in order. NULL when none is up.
 */
static struct vpnlb_active *vpnlb_active_build(struct vpnlb_net *vn,
					       struct vpnlb_members *ms,
					       u32 max_paths)
{
	struct vpnlb_active *act;
	unsigned int i, n = 0;
	int cpu;

	for (i = 0; i < ms->n && n < max_paths; i++)
		if (vpnlb_nexthop_up(vn, ms->m[i].nh))
			n++;
	if (!n)
		return NULL;

	act = kzalloc(sizeof(*act), GFP_KERNEL);
	if (!act)
		return ERR_PTR(-ENOMEM);
	act->wrr = alloc_percpu(struct vpnlb_sel_wrr);
	if (!act->wrr) {
		kfree(act);
		return ERR_PTR(-ENOMEM);
	}
	act->members = ms;
	for (i = 0; i < ms->n && act->n < max_paths; i++) {
		if (!vpnlb_nexthop_up(vn, ms->m[i].nh))
			continue;
		act->idx[act->n] = i;
		act->nh[act->n] = ms->m[i].nh;
		act->weights[act->n] = ms->m[i].weight;
		act->total += ms->m[i].weight;
		act->n++;
	}
	vpnlb_sel_hash_init(act->bounds, act->weights, act->n);
	for_each_possible_cpu(cpu)
		vpnlb_sel_wrr_init(per_cpu_ptr(act->wrr, cpu));
	return act;
}

static void vpnlb_active_publish(struct vpnlb_net *vn, struct vpnlb_group *g,
				 struct vpnlb_active *act)
{
	struct vpnlb_active *old = vpnlb_deref(vn, g->active);

	rcu_assign_pointer(g->active, act);
	if (old)
		call_rcu(&old->rcu, vpnlb_active_free_rcu);
}

/*
 * Recomputes g's active set; with members, first makes them g's member
 * list (the caller has moved the nexthop references).
 */
int vpnlb_group_rebuild(struct vpnlb_net *vn, struct vpnlb_group *g,
			struct vpnlb_members *members)
{
	struct vpnlb_members *ms = members ?: g->members;
	struct vpnlb_members *old_ms = g->members;
	struct vpnlb_limits lim;
	struct vpnlb_active *act;

	vpnlb_instance_limits(g->inst, &lim);
	act = vpnlb_active_build(vn, ms, vpnlb_limit(&lim, g->protocol));
	if (IS_ERR(act))
		return PTR_ERR(act);
	g->members = ms;
	vpnlb_active_publish(vn, g, act);
	if (members && old_ms && old_ms != members)
		call_rcu(&old_ms->rcu, vpnlb_members_free_rcu);
	return 0;
}

u32 vpnlb_limit(const struct vpnlb_limits *lim, u8 protocol)
{
	if (protocol == VPNLB_PROTO_IBGP && lim->ibgp)
		return lim->ibgp;
	if (protocol == VPNLB_PROTO_EBGP && lim->ebgp)
		return lim->ebgp;
	return lim->max_paths;
}

void vpnlb_instance_limits(const struct vpnlb_instance *inst,
			   struct vpnlb_limits *lim)
{
	lim->max_paths = inst->max_paths;
	lim->ibgp = inst->max_paths_ibgp;
	lim->ebgp = inst->max_paths_ebgp;
}

static void vpnlb_instance_store_limits(struct vpnlb_instance *inst,
					const struct vpnlb_limits *lim)
{
	inst->max_paths = lim->max_paths;
	inst->max_paths_ibgp = lim->ibgp;
	inst->max_paths_ebgp = lim->ebgp;
}

/* All of an instance's groups take the new maximums, or none does. */
int vpnlb_instance_set_limits(struct vpnlb_net *vn,
			      struct vpnlb_instance *inst,
			      const struct vpnlb_limits *lim)
{
	struct vpnlb_active **acts;
	struct vpnlb_group *g;
	unsigned int n = 0, i;
	unsigned long id;

	if (!inst->ngroups) {
		vpnlb_instance_store_limits(inst, lim);
		return 0;
	}
	acts = kvcalloc(inst->ngroups, sizeof(*acts), GFP_KERNEL);
	if (!acts)
		return -ENOMEM;
	xa_for_each(&vn->groups, id, g) {
		if (g->inst != inst)
			continue;
		acts[n] = vpnlb_active_build(vn, g->members,
					     vpnlb_limit(lim, g->protocol));
		if (IS_ERR(acts[n]))
			goto nomem;
		n++;
	}
	vpnlb_instance_store_limits(inst, lim);
	i = 0;
	xa_for_each(&vn->groups, id, g)
		if (g->inst == inst)
			vpnlb_active_publish(vn, g, acts[i++]);
	kvfree(acts);
	return 0;

nomem:
	for (i = 0; i < n; i++)
		vpnlb_active_free(acts[i]);
	kvfree(acts);
	return -ENOMEM;
}

static bool vpnlb_group_uses_changed(struct vpnlb_net *vn,
				     const struct vpnlb_group *g)
{
	const struct vpnlb_tunnel *t;
	unsigned int i;

	for (i = 0; i < g->members->n; i++) {
		t = vpnlb_deref(vn, g->members->m[i].nh->tunnel);
		if (t && t->changed)
			return true;
	}
	return false;
}

void vpnlb_groups_rebuild_for_tunnels(struct vpnlb_net *vn)
{
	struct vpnlb_group *g;
	unsigned long id;

	xa_for_each(&vn->groups, id, g) {
		if (!vpnlb_group_uses_changed(vn, g))
			continue;
		if (vpnlb_group_rebuild(vn, g, NULL))
			net_warn_ratelimited("vpnlb: group %u: no memory for its new active set\n",
					     g->id);
	}
}

static void vpnlb_group_free_rcu(struct rcu_head *head)
{
	struct vpnlb_group *g = container_of(head, struct vpnlb_group, rcu);

	vpnlb_active_free(rcu_dereference_protected(g->active, 1));
	vpnlb_members_free(g->members);
	kfree(g);
}

void vpnlb_group_free(struct vpnlb_net *vn, struct vpnlb_group *g)
{
	unsigned int i;

	xa_erase(&vn->groups, g->id);
	xa_erase(&vn->fwd, g->fwd.id);
	for (i = 0; i < g->members->n; i++)
		g->members->m[i].nh->users--;
	g->inst->ngroups--;
	call_rcu(&g->rcu, vpnlb_group_free_rcu);
}

u8 vpnlb_member_state(struct vpnlb_net *vn, const struct vpnlb_group *g,
		      unsigned int i)
{
	const struct vpnlb_active *act = vpnlb_deref(vn, g->active);
	unsigned int j;

	if (!vpnlb_nexthop_up(vn, g->members->m[i].nh))
		return VPNLB_MEMBER_DOWN;
	for (j = 0; act && j < act->n; j++)
		if (act->idx[j] == i)
			return VPNLB_MEMBER_ACTIVE;
	return VPNLB_MEMBER_BACKUP;
}

void vpnlb_member_counters(const struct vpnlb_members *m, unsigned int i,
			   u64 *packets, u64 *bytes)
{
	int cpu;

	*packets = 0;
	*bytes = 0;
	for_each_possible_cpu(cpu) {
		const struct vpnlb_mstats *s = per_cpu_ptr(m->stats, cpu) + i;
		unsigned int start;
		u64 p, b;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			p = u64_stats_read(&s->packets);
			b = u64_stats_read(&s->bytes);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		*packets += p;
		*bytes += b;
	}
}

/* ---- routes: the instance's ordered index for exact find and dumps ---- */

static int vpnlb_route_cmp(u32 prefix, u8 plen, const struct vpnlb_route *rt)
{
	if (prefix != rt->prefix)
		return prefix < rt->prefix ? -1 : 1;
	if (plen != rt->plen)
		return plen < rt->plen ? -1 : 1;
	return 0;
}

struct vpnlb_route *vpnlb_route_find(struct vpnlb_instance *inst, u32 prefix,
				     u8 plen)
{
	struct rb_node *node = inst->routes.rb_node;

	while (node) {
		struct vpnlb_route *rt = rb_entry(node, struct vpnlb_route,
						  node);
		int c = vpnlb_route_cmp(prefix, plen, rt);

		if (!c)
			return rt;
		node = c < 0 ? node->rb_left : node->rb_right;
	}
	return NULL;
}

/* First route at or (inclusive false) after (prefix, plen). */
struct vpnlb_route *vpnlb_route_next(struct vpnlb_instance *inst, u32 prefix,
				     u8 plen, bool inclusive)
{
	struct rb_node *node = inst->routes.rb_node;
	struct vpnlb_route *best = NULL;

	while (node) {
		struct vpnlb_route *rt = rb_entry(node, struct vpnlb_route,
						  node);
		int c = vpnlb_route_cmp(prefix, plen, rt);

		if (c < 0 || (!c && inclusive)) {
			best = rt;
			if (!c)
				break;
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
	return best;
}

void vpnlb_route_link(struct vpnlb_instance *inst, struct vpnlb_route *rt)
{
	struct rb_node **link = &inst->routes.rb_node, *parent = NULL;

	while (*link) {
		struct vpnlb_route *cur = rb_entry(*link, struct vpnlb_route,
						   node);

		parent = *link;
		if (vpnlb_route_cmp(rt->prefix, rt->plen, cur) < 0)
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&rt->node, parent, link);
	rb_insert_color(&rt->node, &inst->routes);
	inst->nroutes++;
}

/* Removes rt from forwarding and the index and frees it. */
void vpnlb_route_unlink(struct vpnlb_net *vn, struct vpnlb_instance *inst,
			struct vpnlb_route *rt)
{
	lockdep_assert_held(&vn->lock);
	vpnlb_lpm_delete(inst->lpm, rt->prefix, rt->plen);
	rb_erase(&rt->node, &inst->routes);
	inst->nroutes--;
	vpnlb_route_drop(rt);
	kfree(rt);
}

u32 vpnlb_route_value(const struct vpnlb_route *rt)
{
	return rt->group ? rt->group->fwd.id : rt->nh->fwd.id;
}

void vpnlb_route_take(struct vpnlb_route *rt)
{
	if (rt->group)
		rt->group->users++;
	else
		rt->nh->users++;
}

void vpnlb_route_drop(struct vpnlb_route *rt)
{
	if (rt->group)
		rt->group->users--;
	else
		rt->nh->users--;
}
