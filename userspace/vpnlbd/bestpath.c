// SPDX-License-Identifier: GPL-2.0-or-later
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bestpath.h"

#define CMP(x, y, r)						\
	do {							\
		if ((x) != (y)) {				\
			*reason = (r);				\
			return (x) < (y) ? -1 : 1;		\
		}						\
	} while (0)

int bp_compare(const struct bp_path *a, const struct bp_path *b,
	       enum bp_reason *reason)
{
	/* higher is better for these: compare reversed */
	CMP(!a->resolved, !b->resolved, BP_R_UNRESOLVED);
	CMP(a->no_vpn_label, b->no_vpn_label, BP_R_NO_VPN_LABEL);
	CMP(b->pref_value, a->pref_value, BP_R_PREF_VALUE);
	CMP(b->local_pref, a->local_pref, BP_R_LOCAL_PREF);
	CMP(a->as_path_len, b->as_path_len, BP_R_AS_PATH_LEN);
	CMP(a->origin, b->origin, BP_R_ORIGIN);
	/* RFC 4271 9.1.2.2 c: MED only between paths from one neighbour AS */
	if (a->neighbor_as == b->neighbor_as)
		CMP(a->med, b->med, BP_R_MED);
	CMP(!a->ebgp, !b->ebgp, BP_R_PEER_TYPE);
	CMP(a->igp_cost, b->igp_cost, BP_R_IGP_COST);
	CMP(a->router_id, b->router_id, BP_R_ROUTER_ID);
	CMP(a->cluster_len, b->cluster_len, BP_R_CLUSTER_LEN);
	CMP(a->peer_addr, b->peer_addr, BP_R_PEER_ADDR);
	CMP(a->rd, b->rd, BP_R_RD);
	CMP(a->path_id, b->path_id, BP_R_PATH_ID);
	CMP(a->nexthop, b->nexthop, BP_R_SAME_NEXTHOP);
	*reason = BP_R_NONE;
	return 0;
}

/* Why p cannot share the load with best (BP_R_NONE: it can). */
static enum bp_reason multipath_reason(const struct bp_path *p,
				       const struct bp_path *best,
				       const struct bp_policy *pol)
{
	if (!p->resolved)
		return BP_R_UNRESOLVED;
	if (p->no_vpn_label)
		return BP_R_NO_VPN_LABEL;
	if (p->pref_value != best->pref_value)
		return BP_R_PREF_VALUE;
	if (p->local_pref != best->local_pref)
		return BP_R_LOCAL_PREF;
	if (!pol->as_path_ignore) {
		if (p->as_path_len != best->as_path_len)
			return BP_R_AS_PATH_LEN;
		if (!pol->as_path_relax &&
		    (p->aspath_len != best->aspath_len ||
		     (p->aspath_len &&
		      memcmp(p->aspath, best->aspath, p->aspath_len) != 0)))
			return BP_R_AS_PATH;
	}
	if (p->origin != best->origin)
		return BP_R_ORIGIN;
	if (p->med != best->med)
		return BP_R_MED;
	if (p->ebgp != best->ebgp)
		return BP_R_PEER_TYPE;
	if (p->igp_cost != best->igp_cost)
		return BP_R_IGP_COST;
	return BP_R_NONE;
}

/* A total order independent of the caller's array order. */
static const struct bp_path *sort_base;

static int stable_key_cmp(const void *x, const void *y)
{
	const struct bp_path *a = &sort_base[*(const size_t *)x];
	const struct bp_path *b = &sort_base[*(const size_t *)y];

	if (a->peer_addr != b->peer_addr)
		return a->peer_addr < b->peer_addr ? -1 : 1;
	if (a->rd != b->rd)
		return a->rd < b->rd ? -1 : 1;
	if (a->path_id != b->path_id)
		return a->path_id < b->path_id ? -1 : 1;
	if (a->nexthop != b->nexthop)
		return a->nexthop < b->nexthop ? -1 : 1;
	return 0;
}

static uint64_t gcd64(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

static void assign_weights(const struct bp_path *paths,
			   struct bp_verdict *verdicts, struct bp_result *res)
{
	uint64_t g = 0, maxw = 0;
	size_t i;

	res->ucmp = res->n_active > 0;
	for (i = 0; i < res->n_active; i++) {
		const struct bp_path *p = &paths[res->members[i]];

		if (!p->has_bandwidth || p->bandwidth == 0)
			res->ucmp = false;
		else
			g = gcd64(g, p->bandwidth);
	}
	for (i = 0; i < res->n_members; i++)
		verdicts[res->members[i]].weight = 1;
	if (!res->ucmp)
		return;
	for (i = 0; i < res->n_active; i++) {
		uint64_t w = paths[res->members[i]].bandwidth / g;

		if (w > maxw)
			maxw = w;
	}
	for (i = 0; i < res->n_members; i++) {
		const struct bp_path *p = &paths[res->members[i]];
		double w;

		if (!p->has_bandwidth || p->bandwidth == 0)
			continue;
		w = (double)(p->bandwidth / g);
		if (maxw > 65535)
			w = w * 65535.0 / (double)maxw;
		w = round(w);
		verdicts[res->members[i]].weight =
			(uint16_t)(w < 1 ? 1 : w > 65535 ? 65535 : w);
	}
}

size_t bp_select(const struct bp_path *paths, size_t n,
		 const struct bp_policy *pol, struct bp_verdict *verdicts,
		 struct bp_result *res)
{
	size_t *rank = malloc((n ? n : 1) * sizeof(*rank));
	size_t i, j, cap, max_members;
	const struct bp_path *best;
	enum bp_reason r;

	res->n_members = 0;
	res->n_active = 0;
	res->ucmp = false;
	res->best = 0;
	if (!rank || n == 0) {
		free(rank);
		return 0;
	}
	for (i = 0; i < n; i++)
		rank[i] = i;
	sort_base = paths;
	qsort(rank, n, sizeof(*rank), stable_key_cmp);
	/* selection by repeated pairwise comparison: MED is not transitive,
	 * so no sort; the stable key above makes the outcome deterministic */
	for (i = 0; i < n; i++) {
		size_t win = i;

		for (j = i + 1; j < n; j++)
			if (bp_compare(&paths[rank[j]], &paths[rank[win]], &r) < 0)
				win = j;
		if (win != i) {
			size_t t = rank[i];

			rank[i] = rank[win];
			rank[win] = t;
		}
		verdicts[rank[i]].rank = (unsigned int)i;
		verdicts[rank[i]].status = BP_NOT_SELECTED;
		verdicts[rank[i]].weight = 0;
		verdicts[rank[i]].reason = BP_R_NONE;
	}
	best = &paths[rank[0]];
	if (!best->resolved || best->no_vpn_label) {
		/* usable paths rank first: none is usable */
		for (i = 0; i < n; i++)
			verdicts[i].reason = paths[i].resolved ?
				BP_R_NO_VPN_LABEL : BP_R_UNRESOLVED;
		free(rank);
		return 0;
	}
	cap = pol->max_paths ? pol->max_paths : 1;
	if (best->ebgp && pol->max_ebgp)
		cap = pol->max_ebgp;
	else if (!best->ebgp && pol->max_ibgp)
		cap = pol->max_ibgp;
	max_members = pol->max_members ? pol->max_members : n;

	res->best = rank[0];
	res->members[res->n_members++] = rank[0];
	res->n_active = 1;
	verdicts[rank[0]].status = BP_BEST;
	for (i = 1; i < n; i++) {
		const struct bp_path *p = &paths[rank[i]];
		struct bp_verdict *v = &verdicts[rank[i]];
		bool nh_used = false;

		r = multipath_reason(p, best, pol);
		if (r == BP_R_NONE) {
			for (j = 0; j < res->n_members; j++)
				if (paths[res->members[j]].nexthop == p->nexthop)
					nh_used = true;
			if (nh_used)
				r = BP_R_SAME_NEXTHOP;
			else if (res->n_members >= max_members)
				r = BP_R_MEMBER_LIMIT;
		}
		if (r != BP_R_NONE) {
			v->reason = r;
			continue;
		}
		bp_compare(p, best, &v->reason);
		res->members[res->n_members++] = rank[i];
		if (res->n_active < cap) {
			v->status = BP_MULTIPATH;
			res->n_active++;
		} else {
			v->status = BP_BACKUP;
		}
	}
	assign_weights(paths, verdicts, res);
	free(rank);
	return res->n_members;
}

const char *bp_status_name(enum bp_status s)
{
	switch (s) {
	case BP_BEST:
		return "best";
	case BP_MULTIPATH:
		return "multipath";
	case BP_BACKUP:
		return "backup";
	case BP_NOT_SELECTED:
		return "not selected";
	}
	return "?";
}

const char *bp_reason_name(enum bp_reason r)
{
	static const char *const names[] = {
		[BP_R_NONE] = "none",
		[BP_R_UNRESOLVED] = "next-hop-unresolved",
		[BP_R_PREF_VALUE] = "preferred-value",
		[BP_R_LOCAL_PREF] = "local-preference",
		[BP_R_AS_PATH_LEN] = "as-path-length",
		[BP_R_AS_PATH] = "as-path",
		[BP_R_ORIGIN] = "origin",
		[BP_R_MED] = "med",
		[BP_R_PEER_TYPE] = "peer-type",
		[BP_R_IGP_COST] = "igp-cost",
		[BP_R_ROUTER_ID] = "router-id",
		[BP_R_CLUSTER_LEN] = "cluster-list-length",
		[BP_R_PEER_ADDR] = "peer-address",
		[BP_R_RD] = "route-distinguisher",
		[BP_R_PATH_ID] = "path-id",
		[BP_R_SAME_NEXTHOP] = "same-next-hop",
		[BP_R_MEMBER_LIMIT] = "member-limit",
		[BP_R_NO_VPN_LABEL] = "no-vpn-label",
	};

	return r <= BP_R_NO_VPN_LABEL ? names[r] : "?";
}

static const char *origin_name(uint8_t o)
{
	return o == 0 ? "igp" : o == 1 ? "egp" : "incomplete";
}

static void ip_str(uint32_t a, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255,
		 (a >> 8) & 255, a & 255);
}

void bp_explain(const struct bp_path *p, const struct bp_path *best,
		const struct bp_verdict *v, char *buf, size_t size)
{
	char a[16], b[16];

	switch (v->status) {
	case BP_BEST:
		snprintf(buf, size, "best");
		return;
	case BP_MULTIPATH:
		snprintf(buf, size, "multipath, active (lost best on %s)",
			 bp_reason_name(v->reason));
		return;
	case BP_BACKUP:
		snprintf(buf, size,
			 "backup, inactive: past maximum load-balancing (lost best on %s)",
			 bp_reason_name(v->reason));
		return;
	case BP_NOT_SELECTED:
		break;
	}
	switch (v->reason) {
	case BP_R_UNRESOLVED:
		ip_str(p->nexthop, a);
		snprintf(buf, size, "not selected: next hop %s unresolved", a);
		break;
	case BP_R_NO_VPN_LABEL:
		snprintf(buf, size,
			 "not selected: no usable VPN label (reserved label value)");
		break;
	case BP_R_PREF_VALUE:
		snprintf(buf, size, "not selected: preferred value %u, best has %u",
			 p->pref_value, best->pref_value);
		break;
	case BP_R_LOCAL_PREF:
		snprintf(buf, size, "not selected: local-preference %u, best has %u",
			 p->local_pref, best->local_pref);
		break;
	case BP_R_AS_PATH_LEN:
		snprintf(buf, size, "not selected: AS path length %u, best has %u",
			 p->as_path_len, best->as_path_len);
		break;
	case BP_R_AS_PATH:
		snprintf(buf, size,
			 "not selected: AS path differs from the best's (same length; as-path-relax would allow it)");
		break;
	case BP_R_ORIGIN:
		snprintf(buf, size, "not selected: origin %s, best has %s",
			 origin_name(p->origin), origin_name(best->origin));
		break;
	case BP_R_MED:
		snprintf(buf, size, "not selected: MED %u, best has %u",
			 p->med, best->med);
		break;
	case BP_R_PEER_TYPE:
		snprintf(buf, size, "not selected: %s path, best is %s",
			 p->ebgp ? "eBGP" : "iBGP", best->ebgp ? "eBGP" : "iBGP");
		break;
	case BP_R_IGP_COST:
		snprintf(buf, size,
			 "not selected: IGP cost %u to the next hop, best has %u",
			 p->igp_cost, best->igp_cost);
		break;
	case BP_R_SAME_NEXTHOP:
		ip_str(p->nexthop, a);
		snprintf(buf, size,
			 "not selected: next hop %s already used by a selected path",
			 a);
		break;
	case BP_R_MEMBER_LIMIT:
		snprintf(buf, size, "not selected: group member limit reached");
		break;
	default:
		ip_str(p->peer_addr, a);
		ip_str(best->peer_addr, b);
		snprintf(buf, size, "not selected: %s (peer %s, best from %s)",
			 bp_reason_name(v->reason), a, b);
		break;
	}
}
