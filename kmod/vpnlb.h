/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vpnlb: objects of one network namespace and what the files share.
 *
 * Update side: every change runs under vpnlb_net.lock (a mutex). Data path:
 * RCU readers only. What a packet walks is either immutable and replaced as
 * a whole (tunnel forwarding state, a group's active set) or a single word
 * written with WRITE_ONCE (a nexthop's label and tunnel pointer).
 */
#ifndef _VPNLB_H
#define _VPNLB_H

#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/rbtree.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <linux/vpnlb.h>

#include "core/lpm.h"
#include "core/select.h"

/* Drop counters, in the order of the VPNLB_ISTATS_A_DROP_* attributes. */
enum vpnlb_drop {
	VPNLB_DROP_TTL,
	VPNLB_DROP_MTU,
	VPNLB_DROP_NO_NEIGH,
	VPNLB_DROP_TUNNEL_DOWN,
	VPNLB_DROP_NO_MEMBER,
	VPNLB_DROP_NOMEM,
	VPNLB_DROP_MAX,
};

struct vpnlb_istats {
	u64_stats_t hits;
	u64_stats_t misses;
	u64_stats_t drops[VPNLB_DROP_MAX];
	struct u64_stats_sync syncp;
};

struct vpnlb_mstats {
	u64_stats_t packets;
	u64_stats_t bytes;
	struct u64_stats_sync syncp;
};

struct vpnlb_instance {
	struct hlist_node name_node;
	u32 index;			/* key in vpnlb_net.instances */
	char name[VPNLB_INSTANCE_NAME_MAX + 1];
	int vrf_ifindex;
	u32 table;
	u32 max_paths;
	u32 max_paths_ibgp;		/* 0: max_paths */
	u32 max_paths_ebgp;		/* 0: max_paths */
	u8 lb_mode;			/* read by packets: READ_ONCE */
	u8 hash_fields;
	u8 ttl_mode;
	u32 owner;
	u32 generation;
	u32 nroutes;
	u32 ngroups;
	struct vpnlb_lpm *lpm;
	struct rb_root routes;		/* by (prefix, plen) */
	struct vpnlb_istats __percpu *stats;
};

/* What a tunnel's packets need, replaced as a whole on every change. */
struct vpnlb_tunnel_fwd {
	struct net_device *dev;		/* holds a reference; NULL when gone */
	__be32 gateway;
	bool up;
	u8 nlabels;
	u32 labels[VPNLB_TUNNEL_LABELS_MAX];
	struct rcu_head rcu;
};

struct vpnlb_tunnel {
	u32 id;
	__be32 pe;
	__be32 gateway;
	int ifindex;
	u8 nlabels;
	u32 labels[VPNLB_TUNNEL_LABELS_MAX];
	u8 state;			/* enum vpnlb_tunnel_state */
	bool changed;			/* state changed in this refresh */
	u32 owner;
	u32 generation;
	u32 users;			/* nexthops */
	struct vpnlb_tunnel_fwd __rcu *fwd;
	struct rcu_head rcu;
};

/* The LPM's value names one of these through vpnlb_net.fwd. */
enum vpnlb_fwd_kind {
	VPNLB_FWD_NEXTHOP,
	VPNLB_FWD_GROUP,
};

struct vpnlb_fwd {
	u32 kind;
	u32 id;				/* key in vpnlb_net.fwd */
};

struct vpnlb_nexthop {
	struct vpnlb_fwd fwd;
	u32 id;
	struct vpnlb_tunnel __rcu *tunnel;
	u32 label;			/* read by packets: READ_ONCE */
	__be32 neighbor;
	u32 owner;
	u32 generation;
	u32 users;			/* group members + routes */
	struct rcu_head rcu;
};

struct vpnlb_member {
	struct vpnlb_nexthop *nh;
	u32 weight;
};

/* A group's member list; replaced as a whole by GROUP_SET. */
struct vpnlb_members {
	unsigned int n;
	struct vpnlb_mstats __percpu *stats;	/* n entries */
	struct rcu_head rcu;
	struct vpnlb_member m[];
};

/* The members a group forwards over now: immutable, RCU-published. */
struct vpnlb_active {
	unsigned int n;
	u32 total;
	struct vpnlb_members *members;
	struct vpnlb_sel_wrr __percpu *wrr;
	struct rcu_head rcu;
	u8 idx[VPNLB_SEL_MAX];		/* index in members->m */
	struct vpnlb_nexthop *nh[VPNLB_SEL_MAX];
	u32 weights[VPNLB_SEL_MAX];
	u32 bounds[VPNLB_SEL_MAX];
};

struct vpnlb_group {
	struct vpnlb_fwd fwd;
	u32 id;
	struct vpnlb_instance *inst;
	u8 protocol;			/* enum vpnlb_proto: its maximum */
	u32 owner;
	u32 generation;
	u32 users;			/* routes */
	struct vpnlb_members *members;	/* packets reach it via active */
	struct vpnlb_active __rcu *active;
	struct rcu_head rcu;
};

struct vpnlb_route {
	struct rb_node node;
	u32 prefix;			/* host byte order */
	u8 plen;
	u8 protocol;
	u32 preference;
	u32 cost;
	u32 owner;
	u32 generation;
	u64 created;			/* boottime seconds */
	struct vpnlb_group *group;	/* either this ... */
	struct vpnlb_nexthop *nh;	/* ... or this */
};

struct vpnlb_net {
	struct net *net;
	struct mutex lock;		/* serializes every update */
	DECLARE_HASHTABLE(inst_by_name, 6);
	struct xarray instances;	/* by index: dump order */
	struct xarray inst_by_table;	/* RCU: packets find instances here */
	struct xarray tunnels;
	struct xarray nexthops;
	struct xarray groups;
	struct xarray fwd;		/* RCU: LPM value -> struct vpnlb_fwd */
	u32 fwd_next;
	u32 inst_next;
	u32 hash_seed;
	bool dead;			/* exiting: no more state work */
	struct work_struct state_work;
};

extern unsigned int vpnlb_net_id;
extern struct genl_family vpnlb_genl_family;

static inline struct vpnlb_net *vpnlb_net(const struct net *net)
{
	return net_generic(net, vpnlb_net_id);
}

#define vpnlb_deref(vn, p) \
	rcu_dereference_protected(p, lockdep_is_held(&(vn)->lock))

static inline u32 vpnlb_plen_mask(unsigned int plen)
{
	return plen ? ~0U << (32 - plen) : 0;
}

/* Serial number arithmetic: is a older than b? */
static inline bool vpnlb_gen_older(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

/* objects.c: lifetime of every object; callers hold vn->lock. */
struct vpnlb_instance *vpnlb_instance_find(struct vpnlb_net *vn,
					   const char *name);
int vpnlb_instance_add(struct vpnlb_net *vn, struct vpnlb_instance *inst,
		       struct netlink_ext_ack *extack);
void vpnlb_instance_del(struct vpnlb_net *vn, struct vpnlb_instance *inst);
/* The instance's maximums: "maximum load-balancing [ibgp|ebgp] N". */
struct vpnlb_limits {
	u32 max_paths;
	u32 ibgp;			/* 0: max_paths */
	u32 ebgp;			/* 0: max_paths */
};

u32 vpnlb_limit(const struct vpnlb_limits *lim, u8 protocol);
void vpnlb_instance_limits(const struct vpnlb_instance *inst,
			   struct vpnlb_limits *lim);
int vpnlb_instance_set_limits(struct vpnlb_net *vn,
			      struct vpnlb_instance *inst,
			      const struct vpnlb_limits *lim);
void vpnlb_instance_free(struct vpnlb_instance *inst);

int vpnlb_tunnel_publish(struct vpnlb_net *vn, struct vpnlb_tunnel *t,
			 struct net_device *dev);
void vpnlb_tunnel_free(struct vpnlb_net *vn, struct vpnlb_tunnel *t);
void vpnlb_tunnels_refresh(struct vpnlb_net *vn);
void vpnlb_tunnels_detach_dev(struct vpnlb_net *vn, struct net_device *dev);

int vpnlb_fwd_alloc(struct vpnlb_net *vn, struct vpnlb_fwd *fwd);
void vpnlb_nexthop_free(struct vpnlb_net *vn, struct vpnlb_nexthop *nh);

struct vpnlb_members *vpnlb_members_alloc(unsigned int n);
void vpnlb_members_free(struct vpnlb_members *m);
int vpnlb_group_rebuild(struct vpnlb_net *vn, struct vpnlb_group *g,
			struct vpnlb_members *members);
void vpnlb_groups_rebuild_for_tunnels(struct vpnlb_net *vn);
void vpnlb_group_free(struct vpnlb_net *vn, struct vpnlb_group *g);
u8 vpnlb_member_state(struct vpnlb_net *vn, const struct vpnlb_group *g,
		      unsigned int i);
void vpnlb_member_counters(const struct vpnlb_members *m, unsigned int i,
			   u64 *packets, u64 *bytes);

struct vpnlb_route *vpnlb_route_find(struct vpnlb_instance *inst, u32 prefix,
				     u8 plen);
struct vpnlb_route *vpnlb_route_next(struct vpnlb_instance *inst, u32 prefix,
				     u8 plen, bool inclusive);
void vpnlb_route_link(struct vpnlb_instance *inst, struct vpnlb_route *rt);
void vpnlb_route_unlink(struct vpnlb_net *vn, struct vpnlb_instance *inst,
			struct vpnlb_route *rt);
u32 vpnlb_route_value(const struct vpnlb_route *rt);
void vpnlb_route_take(struct vpnlb_route *rt);
void vpnlb_route_drop(struct vpnlb_route *rt);

void vpnlb_net_flush_all(struct vpnlb_net *vn);

/* datapath.c */
int vpnlb_datapath_register(struct net *net);
void vpnlb_datapath_unregister(struct net *net);

/* netlink.c */
int vpnlb_genl_register(void);
void vpnlb_genl_unregister(void);
void vpnlb_notify_instance(struct vpnlb_net *vn, struct vpnlb_instance *inst,
			   u8 cmd);
void vpnlb_notify_tunnel(struct vpnlb_net *vn, struct vpnlb_tunnel *t, u8 cmd);

#endif /* _VPNLB_H */
