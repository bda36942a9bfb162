/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The agent's picture of vpnlb.ko objects and the rules that map selected
 * paths onto them: one tunnel per remote PE (its route: gateway, device,
 * transport labels), one nexthop per (PE, VPN label), one group per distinct
 * ordered member list of an instance (shared by every route with that list),
 * and routes written in batches. Every object carries the agent's owner tag
 * and the current generation; at start the agent adopts the ids it finds in
 * the kernel so unchanged objects are replaced in place (generation only),
 * then flushes older generations (mark and sweep).
 *
 * Writes go through struct fib_writer (netlink in vpnlbd, a recorder in
 * tests).
 */
#ifndef VPNLBD_FIB_H
#define VPNLBD_FIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/vpnlb.h>

#include "hashtab.h"
#include "rib.h"

#define FIB_ROUTE_BATCH		256	/* routes per ROUTE_NEW/DEL message */
#define FIB_BGP_PREFERENCE	255

/* How a remote PE is reached, from the kernel routing table. */
struct fib_resolution {
	bool ok;
	uint32_t gateway;		/* host order; the PE when on-link */
	int ifindex;
	uint8_t n_labels;
	uint32_t labels[VPNLB_TUNNEL_LABELS_MAX];
	uint32_t metric;		/* IGP cost for best-path selection */
	char reason[64];		/* why not, when !ok */
};

typedef void (*fib_resolve_fn)(void *ctx, uint32_t pe,
			       struct fib_resolution *res);

struct fib_tunnel {
	struct hnode h;
	uint32_t id;
	uint32_t pe;
	struct fib_resolution via;
	uint32_t refcnt;		/* nexthops using it */
	bool in_kernel;
	bool current;			/* written in this generation */
};

struct fib_nexthop {
	struct hnode h;
	uint32_t id;
	struct fib_tunnel *tunnel;
	uint32_t label;
	uint32_t neighbor;
	uint32_t refcnt;		/* groups + routes using it */
	bool in_kernel;
	bool current;
};

struct fib_group_member {
	struct fib_nexthop *nh;
	uint16_t weight;
};

struct fib_group {
	struct hnode h;
	uint32_t id;
	char instance[VPNLB_INSTANCE_NAME_MAX + 1];
	uint8_t proto;			/* enum vpnlb_proto: its maximum */
	uint16_t n;
	struct fib_group_member *m;
	uint32_t refcnt;		/* routes using it */
	uint32_t checked;		/* flush round of the in-place check */
	bool in_kernel;
	bool current;
};

/* One per installed prefix: the small fields share a word (56 bytes). */
struct fib_route {
	struct hnode h;
	uint32_t addr;
	uint8_t len;
	uint8_t proto : 3;		/* enum vpnlb_proto */
	/* the selection result waiting for the next flush */
	uint8_t want_proto : 3;
	bool dirty : 1;
	uint16_t want_n;
	struct fib_group *group;	/* either a group ... */
	struct fib_nexthop *nh;		/* ... or a single nexthop */
	struct fib_route *dirty_next;
	struct rib_fib_member *want;	/* NULL with want_n 0: delete */
};

/* A route change queued for the next batch. */
struct fib_route_op {
	uint32_t addr;
	uint8_t len;
	uint8_t proto;
	uint32_t group_id;
	uint32_t nexthop_id;
};

struct fib_instance_cfg {
	char name[VPNLB_INSTANCE_NAME_MAX + 1];
	int vrf_ifindex;
	uint32_t max_paths;
	uint32_t max_ibgp;		/* 0: max_paths */
	uint32_t max_ebgp;		/* 0: max_paths */
	uint8_t lb_mode;		/* enum vpnlb_lb_mode */
};

enum fib_op {
	FIB_OP_NEW,			/* NEW with NLM_F_REPLACE */
	FIB_OP_SET,
	FIB_OP_DEL,
};

struct fib_writer {
	int (*instance)(void *ctx, enum fib_op op, const struct fib_instance_cfg *c,
			uint32_t owner, uint32_t gen);
	int (*tunnel)(void *ctx, enum fib_op op, const struct fib_tunnel *t,
		      uint32_t owner, uint32_t gen);
	int (*nexthop)(void *ctx, enum fib_op op, const struct fib_nexthop *n,
		       uint32_t owner, uint32_t gen);
	int (*group)(void *ctx, enum fib_op op, const struct fib_group *g,
		     uint32_t owner, uint32_t gen);
	int (*routes)(void *ctx, enum fib_op op, const char *instance,
		      const struct fib_route_op *r, size_t n, uint32_t owner,
		      uint32_t gen);
	int (*flush)(void *ctx, uint32_t owner, uint32_t older_than_gen);
};

/* Per vpn-instance state, hung on rib_instance.fib_state. */
struct fib_inst {
	struct htab routes;
	struct fib_route *dirty;
	bool in_kernel;
};

struct fib {
	const struct fib_writer *w;
	void *wctx;
	fib_resolve_fn resolve;
	void *resolve_ctx;
	uint32_t owner;
	uint32_t generation;
	struct htab tunnels;		/* by PE */
	struct htab nexthops;		/* by (tunnel, label) */
	struct htab groups;		/* by (instance, member list) */
	uint32_t next_tunnel_id, next_nexthop_id, next_group_id;
	unsigned long errors;		/* writes the kernel refused */
	/* counters of writes, for tests and display */
	unsigned long route_writes, route_batches, group_sets;
	uint32_t flush_round;
};

bool fib_init(struct fib *fib, const struct fib_writer *w, void *wctx,
	      fib_resolve_fn resolve, void *resolve_ctx, uint32_t owner,
	      uint32_t generation);
void fib_free(struct fib *fib);

/* The RIB side: hand these to rib_init. */
extern const struct rib_fib_ops fib_rib_ops;
bool fib_rib_resolve(void *fib, uint32_t pe, uint32_t *cost);

/* Pushes an instance's kernel settings (maximum, mode, VRF). */
int fib_instance_apply(struct fib *fib, struct rib_instance *inst,
		       const struct fib_instance_cfg *cfg);
void fib_instance_release(struct fib *fib, struct rib_instance *inst);
/* Frees the agent's state without touching the kernel (shutdown: the
 * kernel keeps forwarding until the next start reconciles). */
void fib_forget(struct fib *fib, struct rib *rib);

/* Writes the queued route changes of every instance. */
void fib_flush_pending(struct fib *fib, struct rib *rib);

/*
 * The routing table changed: re-resolves every tunnel, updates changed
 * ones in place (TUNNEL_SET), and tells the RIB about PEs whose
 * reachability or cost changed.
 */
void fib_reresolve(struct fib *fib, struct rib *rib);

/* Adoption at start: the kernel already has these ids (same owner). */
void fib_adopt_tunnel(struct fib *fib, uint32_t id, uint32_t pe);
void fib_adopt_nexthop(struct fib *fib, uint32_t id, uint32_t pe,
		       uint32_t label);
void fib_adopt_group(struct fib *fib, uint32_t id, const char *instance,
		     uint8_t proto, const uint32_t *nh_ids,
		     const uint16_t *weights, size_t n);
/* Sweep: delete every object of ours from older generations. */
int fib_sweep(struct fib *fib);

#endif /* VPNLBD_FIB_H */
