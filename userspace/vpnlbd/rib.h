/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The routing information base: the VPNv4 Adj-RIB-In of every peer, keyed by
 * (RD, prefix, peer, path id) so paths with different RDs are never
 * collapsed, and per vpn-instance tables holding the paths imported by route
 * target. Changes mark instance prefixes dirty; rib_process() runs best-path
 * and multipath selection on them and hands the result to the FIB sink.
 */
#ifndef VPNLBD_RIB_H
#define VPNLBD_RIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bestpath.h"
#include "bgp_update.h"
#include "hashtab.h"

#define RIB_INSTANCE_NAME_MAX	31
#define RIB_DEFAULT_LOCAL_PREF	100

struct rib_peer {
	struct rib_peer *next;
	uint32_t addr;			/* host byte order */
	uint32_t router_id;
	bool ebgp;
	size_t n_paths;
	size_t n_stale;
};

/* Interned path attributes, shared by every path that carries them. */
struct rib_attr {
	struct hnode h;
	uint32_t refcnt;
	uint32_t nexthop;
	uint32_t local_pref;
	uint32_t med;
	uint32_t originator_id;
	uint32_t neighbor_as;
	uint64_t bandwidth;
	uint16_t n_rt;
	uint16_t aspath_len;
	uint16_t as_path_count;
	uint16_t cluster_len;
	uint8_t origin;
	bool has_local_pref;
	bool has_med;
	bool has_originator_id;
	bool has_bandwidth;
	uint64_t data[];		/* n_rt route targets, then the AS path */
};

static inline const uint64_t *rib_attr_rts(const struct rib_attr *a)
{
	return a->data;
}

static inline const uint8_t *rib_attr_aspath(const struct rib_attr *a)
{
	return (const uint8_t *)(a->data + a->n_rt);
}

struct rib_vpn_dest;

struct rib_path {
	struct rib_path *next;		/* in its vpn dest */
	struct rib_vpn_dest *dest;
	struct rib_peer *peer;
	struct rib_attr *attr;
	uint32_t path_id;
	uint32_t label : 20;
	uint32_t stale : 1;
};

struct rib_vpn_dest {
	struct hnode h;
	uint64_t rd;
	uint32_t addr;
	uint8_t len;
	struct rib_path *paths;
};

/*
 * A prefix of a vpn-instance. paths points at inline_paths while there are
 * at most RIB_INST_INLINE_PATHS of them (the common case: no allocation),
 * at a heap array beyond; the layout keeps the struct in 56 bytes.
 */
#define RIB_INST_INLINE_PATHS	2

struct rib_inst_dest {
	struct hnode h;
	struct rib_inst_dest *dirty_next;
	struct rib_path **paths;
	struct rib_path *inline_paths[RIB_INST_INLINE_PATHS];
	uint32_t addr;
	uint16_t n;
	uint8_t len;
	bool dirty : 1;
	bool installed : 1;
};

struct rib_instance {
	struct rib_instance *next;
	char name[RIB_INSTANCE_NAME_MAX + 1];
	uint64_t *import_rts;
	size_t n_import;
	struct bp_policy policy;
	struct htab dests;
	struct rib_inst_dest *dirty;
	void *fib_state;		/* owned by the FIB sink */
};

/* One member of an installed route, in member order. */
struct rib_fib_member {
	uint32_t pe;			/* BGP next hop (remote PE) */
	uint32_t label;			/* VPN label */
	uint32_t peer_addr;		/* neighbour it came from */
	uint16_t weight;
	bool active;			/* false: backup */
};

struct rib_fib_ops {
	void (*route_set)(void *ctx, struct rib_instance *inst, uint32_t addr,
			  uint8_t len, const struct rib_fib_member *members,
			  size_t n, bool ebgp);
	void (*route_del)(void *ctx, struct rib_instance *inst, uint32_t addr,
			  uint8_t len);
};

/* Next-hop resolution: true if usable, with the IGP cost to it. */
typedef bool (*rib_resolve_fn)(void *ctx, uint32_t nexthop, uint32_t *cost);

struct rib {
	struct htab attrs;
	struct htab vpn;
	struct rib_peer *peers;
	struct rib_instance *instances;
	const struct rib_fib_ops *fib;
	void *fib_ctx;
	rib_resolve_fn resolve;
	void *resolve_ctx;
	size_t n_paths;
};

bool rib_init(struct rib *rib, const struct rib_fib_ops *fib, void *fib_ctx,
	      rib_resolve_fn resolve, void *resolve_ctx);
void rib_free(struct rib *rib);

struct rib_peer *rib_peer_get(struct rib *rib, uint32_t addr,
			      uint32_t router_id, bool ebgp);
struct rib_peer *rib_peer_find(struct rib *rib, uint32_t addr);

struct rib_instance *rib_instance_add(struct rib *rib, const char *name);
struct rib_instance *rib_instance_find(struct rib *rib, const char *name);
void rib_instance_del(struct rib *rib, struct rib_instance *inst);
/* Replaces the import route targets; re-imports everything. */
bool rib_instance_set_import(struct rib *rib, struct rib_instance *inst,
			     const uint64_t *rts, size_t n);
/* Replaces the selection policy; every prefix is selected again. */
void rib_instance_set_policy(struct rib *rib, struct rib_instance *inst,
			     const struct bp_policy *policy);

/* Applies one parsed UPDATE from peer (after RFC 7606 handling). */
void rib_update(struct rib *rib, struct rib_peer *peer,
		const struct bgp_update *upd);
/* Graceful restart: mark all of peer's paths stale / drop the stale ones. */
void rib_peer_mark_stale(struct rib *rib, struct rib_peer *peer);
void rib_peer_sweep_stale(struct rib *rib, struct rib_peer *peer);
/* Removes every path of peer. */
void rib_peer_flush(struct rib *rib, struct rib_peer *peer);
/* A next hop's resolution changed: select again where it is used. */
void rib_nexthop_changed(struct rib *rib, uint32_t nexthop);

/* Runs selection on every dirty prefix and updates the FIB sink. */
void rib_process(struct rib *rib);

struct rib_inst_dest *rib_inst_dest_find(struct rib_instance *inst,
					 uint32_t addr, uint8_t len);
/*
 * Fills bp candidates for a prefix (caller frees *paths_out) and runs
 * selection, for display. Returns the number of candidates.
 */
size_t rib_inst_dest_select(struct rib *rib, struct rib_instance *inst,
			    struct rib_inst_dest *d, struct bp_path **paths_out,
			    struct bp_verdict **verdicts_out,
			    struct bp_result *res);

#endif /* VPNLBD_RIB_H */
