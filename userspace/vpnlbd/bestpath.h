/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Best path and multipath selection for one prefix of one vpn-instance:
 * RFC 4271 9.1.2 with the usual tie-breaks, and VRP's load-balancing rules
 * ("maximum load-balancing [ebgp|ibgp] N", "load-balancing as-path-ignore |
 * as-path-relax"). Pure functions over a candidate array, so selection can
 * be tested without sessions or a kernel.
 */
#ifndef VPNLBD_BESTPATH_H
#define VPNLBD_BESTPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One candidate path as selection sees it. */
struct bp_path {
	uint32_t pref_value;		/* VRP preferred value, higher wins */
	uint32_t local_pref;		/* 100 when absent */
	unsigned int as_path_len;
	const uint8_t *aspath;		/* 4-octet encoding, for equality */
	size_t aspath_len;
	uint32_t neighbor_as;		/* leftmost AS, 0 for a local path */
	uint8_t origin;
	uint32_t med;			/* 0 when absent (RFC 4271 9.1.2.2 c) */
	bool ebgp;
	bool resolved;			/* next hop usable (route + label) */
	bool no_vpn_label;		/* VPN label field unusable: a
					 * reserved value (0..15, RFC 3032),
					 * e.g. 3 (implicit null) */
	uint32_t igp_cost;		/* cost to the next hop */
	uint32_t router_id;		/* ORIGINATOR_ID, else the peer's id */
	unsigned int cluster_len;
	uint32_t peer_addr;
	uint32_t nexthop;
	uint64_t rd;
	uint32_t path_id;
	bool has_bandwidth;
	uint64_t bandwidth;		/* link bandwidth, bytes/s */
};

enum bp_status {
	BP_BEST,
	BP_MULTIPATH,		/* installed and active with the best */
	BP_BACKUP,		/* installed, inactive, takes over in order */
	BP_NOT_SELECTED,
};

/* What made a path lose (to the best, or its multipath eligibility). */
enum bp_reason {
	BP_R_NONE,
	BP_R_UNRESOLVED,
	BP_R_PREF_VALUE,
	BP_R_LOCAL_PREF,
	BP_R_AS_PATH_LEN,
	BP_R_AS_PATH,
	BP_R_ORIGIN,
	BP_R_MED,
	BP_R_PEER_TYPE,
	BP_R_IGP_COST,
	BP_R_ROUTER_ID,
	BP_R_CLUSTER_LEN,
	BP_R_PEER_ADDR,
	BP_R_RD,
	BP_R_PATH_ID,
	BP_R_SAME_NEXTHOP,	/* another selected path has this next hop */
	BP_R_MEMBER_LIMIT,	/* past the group size the kernel accepts */
	BP_R_NO_VPN_LABEL,	/* nothing to push for this path */
};

struct bp_policy {
	unsigned int max_paths;		/* maximum load-balancing N (>= 1) */
	unsigned int max_ebgp;		/* ... ebgp N; 0: use max_paths */
	unsigned int max_ibgp;		/* ... ibgp N; 0: use max_paths */
	bool as_path_ignore;
	bool as_path_relax;
	unsigned int max_members;	/* active + backup members allowed */
};

struct bp_verdict {
	enum bp_status status;
	enum bp_reason reason;		/* for BP_NOT_SELECTED (and why a
					 * non-best path is not the best) */
	unsigned int rank;		/* 0 = best, in selection order */
	uint16_t weight;		/* for BEST/MULTIPATH/BACKUP */
};

struct bp_result {
	size_t best;			/* index, valid if n_members > 0 */
	size_t n_members;		/* active + backup */
	size_t n_active;
	size_t *members;		/* indices in member order (caller's
					 * array of n entries) */
	bool ucmp;			/* weights from link bandwidth */
};

/*
 * Compares two candidates: negative if a is preferred, positive if b is,
 * never zero for distinct paths. *reason gets the deciding step.
 */
int bp_compare(const struct bp_path *a, const struct bp_path *b,
	       enum bp_reason *reason);

/*
 * Ranks paths[0..n), picks the best, the multipaths (active, at most the
 * applicable maximum) and the backups. verdicts[] gets one entry per path;
 * res->members (n entries, provided by the caller) the installed ones in
 * order. Returns the number of installed members (0: nothing resolvable).
 */
size_t bp_select(const struct bp_path *paths, size_t n,
		 const struct bp_policy *pol, struct bp_verdict *verdicts,
		 struct bp_result *res);

const char *bp_status_name(enum bp_status s);
const char *bp_reason_name(enum bp_reason r);
/* A sentence for the operator: why p is not the best / not selected. */
void bp_explain(const struct bp_path *p, const struct bp_path *best,
		const struct bp_verdict *v, char *buf, size_t size);

#endif /* VPNLBD_BESTPATH_H */
