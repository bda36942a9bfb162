// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdlib.h>
#include <string.h>

#include <linux/vpnlb.h>

#include "bgp_aspath.h"
#include "bgp_extcomm.h"
#include "rib.h"

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

/* ---- attribute interning ---- */

struct attr_key {
	const struct rib_attr *a;
	const uint64_t *rts;
	const uint8_t *aspath;
};

static bool attr_match(const struct hnode *n, const void *key)
{
	const struct rib_attr *x = container_of(n, struct rib_attr, h);
	const struct attr_key *k = key;
	const struct rib_attr *y = k->a;

	return x->nexthop == y->nexthop && x->local_pref == y->local_pref &&
	       x->med == y->med && x->originator_id == y->originator_id &&
	       x->neighbor_as == y->neighbor_as &&
	       x->bandwidth == y->bandwidth && x->n_rt == y->n_rt &&
	       x->aspath_len == y->aspath_len &&
	       x->as_path_count == y->as_path_count &&
	       x->cluster_len == y->cluster_len && x->origin == y->origin &&
	       x->has_local_pref == y->has_local_pref &&
	       x->has_med == y->has_med &&
	       x->has_originator_id == y->has_originator_id &&
	       x->has_bandwidth == y->has_bandwidth &&
	       memcmp(rib_attr_rts(x), k->rts, 8 * (size_t)y->n_rt) == 0 &&
	       (y->aspath_len == 0 ||
		memcmp(rib_attr_aspath(x), k->aspath, y->aspath_len) == 0);
}

static int u64_cmp(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

/* Interns the attributes of u (one reference for the caller). */
static struct rib_attr *attr_intern(struct rib *rib, const struct bgp_update *u)
{
	const struct bgp_attrs *ba = &u->attrs;
	struct rib_attr key = { 0 }, *a;
	uint64_t rts[64];
	size_t n_rt = 0;
	struct attr_key k;
	struct hnode *hn;
	uint32_t h;

	for (size_t i = 0; i < ba->ext_community_count; i++) {
		uint64_t ec = bgp_extcomm_get(ba->ext_communities + 8 * i);
		uint64_t bw;

		if (bgp_extcomm_is_rt(ec)) {
			if (n_rt < sizeof(rts) / sizeof(rts[0]))
				rts[n_rt++] = ec;
		} else if (!key.has_bandwidth &&
			   bgp_extcomm_link_bandwidth(ec, &bw)) {
			key.has_bandwidth = true;
			key.bandwidth = bw;
		}
	}
	/* canonical order so equal sets intern together */
	qsort(rts, n_rt, sizeof(rts[0]), u64_cmp);
	key.nexthop = u->mp_nexthop;
	key.has_local_pref = bgp_attr_present(ba, BGP_ATTR_LOCAL_PREF);
	key.local_pref = key.has_local_pref ? ba->local_pref : RIB_DEFAULT_LOCAL_PREF;
	key.has_med = bgp_attr_present(ba, BGP_ATTR_MED);
	key.med = key.has_med ? ba->med : 0;
	key.has_originator_id = bgp_attr_present(ba, BGP_ATTR_ORIGINATOR_ID);
	key.originator_id = key.has_originator_id ? ba->originator_id : 0;
	key.cluster_len = (uint16_t)ba->cluster_count;
	key.origin = ba->origin;
	key.aspath_len = (uint16_t)ba->aspath_len;
	key.as_path_count = (uint16_t)aspath_count(ba->aspath, ba->aspath_len);
	key.neighbor_as = aspath_first_as(ba->aspath, ba->aspath_len);
	key.n_rt = (uint16_t)n_rt;

	h = hash_bytes(&key.nexthop, sizeof(key.nexthop), key.local_pref);
	h = hash_bytes(rts, 8 * n_rt, h ^ key.med);
	h = hash_bytes(ba->aspath, ba->aspath_len, h ^ key.origin);
	h ^= hash_u64(key.bandwidth ^ ((uint64_t)key.originator_id << 32 |
				       key.cluster_len));
	k.a = &key;
	k.rts = rts;
	k.aspath = ba->aspath;
	hn = htab_find(&rib->attrs, h, attr_match, &k);
	if (hn) {
		a = container_of(hn, struct rib_attr, h);
		a->refcnt++;
		return a;
	}
	a = malloc(sizeof(*a) + 8 * n_rt + ba->aspath_len);
	if (!a)
		return NULL;
	*a = key;
	memcpy(a->data, rts, 8 * n_rt);
	if (ba->aspath_len)
		memcpy((uint8_t *)(a->data + n_rt), ba->aspath, ba->aspath_len);
	a->refcnt = 1;
	htab_insert(&rib->attrs, &a->h, h);
	return a;
}

static void attr_put(struct rib *rib, struct rib_attr *a)
{
	if (--a->refcnt == 0) {
		htab_remove(&rib->attrs, &a->h);
		free(a);
	}
}

/* ---- tables ---- */

struct vpn_key {
	uint64_t rd;
	uint32_t addr;
	uint8_t len;
};

static uint32_t vpn_hash(uint64_t rd, uint32_t addr, uint8_t len)
{
	return hash_u64(rd * 31 + ((uint64_t)addr << 8 | len));
}

static bool vpn_match(const struct hnode *n, const void *key)
{
	const struct rib_vpn_dest *d = container_of(n, struct rib_vpn_dest, h);
	const struct vpn_key *k = key;

	return d->rd == k->rd && d->addr == k->addr && d->len == k->len;
}

struct inst_key {
	uint32_t addr;
	uint8_t len;
};

static uint32_t inst_hash(uint32_t addr, uint8_t len)
{
	return hash_u64((uint64_t)addr << 8 | len);
}

static bool inst_match(const struct hnode *n, const void *key)
{
	const struct rib_inst_dest *d = container_of(n, struct rib_inst_dest, h);
	const struct inst_key *k = key;

	return d->addr == k->addr && d->len == k->len;
}

struct rib_inst_dest *rib_inst_dest_find(struct rib_instance *inst,
					 uint32_t addr, uint8_t len)
{
	struct inst_key k = { addr, len };
	struct hnode *n = htab_find(&inst->dests, inst_hash(addr, len),
				    inst_match, &k);

	return n ? container_of(n, struct rib_inst_dest, h) : NULL;
}

static void mark_dirty(struct rib_instance *inst, struct rib_inst_dest *d)
{
	if (d->dirty)
		return;
	d->dirty = true;
	d->dirty_next = inst->dirty;
	inst->dirty = d;
}

static bool imports(const struct rib_instance *inst, const struct rib_attr *a)
{
	const uint64_t *rts = rib_attr_rts(a);

	for (size_t i = 0; i < a->n_rt; i++)
		for (size_t j = 0; j < inst->n_import; j++)
			if (rts[i] == inst->import_rts[j])
				return true;
	return false;
}

/*
 * Slots in d->paths: the inline ones, or on the heap the power of two
 * (at least twice the inline size) reached by doubling; a heap array never
 * shrinks, so this may be less than what was allocated, never more.
 */
static size_t inst_dest_cap(const struct rib_inst_dest *d)
{
	size_t cap = RIB_INST_INLINE_PATHS * 2;

	if (d->paths == d->inline_paths)
		return RIB_INST_INLINE_PATHS;
	while (cap < d->n)
		cap *= 2;
	return cap;
}

static void inst_dest_free(struct rib_inst_dest *d)
{
	if (d->paths != d->inline_paths)
		free(d->paths);
	free(d);
}

static void inst_add_path(struct rib_instance *inst, struct rib_path *p)
{
	uint32_t addr = p->dest->addr;
	uint8_t len = p->dest->len;
	struct rib_inst_dest *d = rib_inst_dest_find(inst, addr, len);

	if (!d) {
		d = calloc(1, sizeof(*d));
		if (!d)
			return;
		d->addr = addr;
		d->len = len;
		d->paths = d->inline_paths;
		htab_insert(&inst->dests, &d->h, inst_hash(addr, len));
	}
	if (d->n >= inst_dest_cap(d)) {
		/* doubling from the inline size: the capacity follows from n */
		size_t cap = (size_t)inst_dest_cap(d) * 2;
		struct rib_path **v;

		if (cap > UINT16_MAX)
			return;
		if (d->paths == d->inline_paths) {
			v = malloc(cap * sizeof(*v));
			if (v)
				memcpy(v, d->inline_paths, sizeof(d->inline_paths));
		} else {
			v = realloc(d->paths, cap * sizeof(*v));
		}
		if (!v)
			return;
		d->paths = v;
	}
	d->paths[d->n++] = p;
	mark_dirty(inst, d);
}

static void inst_del_path(struct rib_instance *inst, struct rib_path *p)
{
	struct rib_inst_dest *d = rib_inst_dest_find(inst, p->dest->addr,
						     p->dest->len);

	if (!d)
		return;
	for (uint16_t i = 0; i < d->n; i++) {
		if (d->paths[i] == p) {
			d->paths[i] = d->paths[--d->n];
			mark_dirty(inst, d);
			return;
		}
	}
}

static void path_import(struct rib *rib, struct rib_path *p)
{
	for (struct rib_instance *i = rib->instances; i; i = i->next)
		if (imports(i, p->attr))
			inst_add_path(i, p);
}

static void path_unimport(struct rib *rib, struct rib_path *p)
{
	for (struct rib_instance *i = rib->instances; i; i = i->next)
		if (imports(i, p->attr))
			inst_del_path(i, p);
}

static void path_free(struct rib *rib, struct rib_path *p)
{
	struct rib_vpn_dest *d = p->dest;
	struct rib_path **pp;

	path_unimport(rib, p);
	for (pp = &d->paths; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	p->peer->n_paths--;
	if (p->stale)
		p->peer->n_stale--;
	rib->n_paths--;
	attr_put(rib, p->attr);
	free(p);
	if (!d->paths) {
		htab_remove(&rib->vpn, &d->h);
		free(d);
	}
}

static struct rib_vpn_dest *vpn_dest_get(struct rib *rib,
					 const struct bgp_vpn_prefix *r,
					 bool create)
{
	struct vpn_key k = { r->rd, r->addr, r->len };
	uint32_t h = vpn_hash(r->rd, r->addr, r->len);
	struct hnode *n = htab_find(&rib->vpn, h, vpn_match, &k);
	struct rib_vpn_dest *d;

	if (n || !create)
		return n ? container_of(n, struct rib_vpn_dest, h) : NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->rd = r->rd;
	d->addr = r->addr;
	d->len = r->len;
	htab_insert(&rib->vpn, &d->h, h);
	return d;
}

static struct rib_path *path_find(struct rib_vpn_dest *d,
				  const struct rib_peer *peer, uint32_t path_id)
{
	for (struct rib_path *p = d->paths; p; p = p->next)
		if (p->peer == peer && p->path_id == path_id)
			return p;
	return NULL;
}

static void withdraw(struct rib *rib, struct rib_peer *peer,
		     const struct bgp_vpn_prefix *r)
{
	struct rib_vpn_dest *d = vpn_dest_get(rib, r, false);
	struct rib_path *p = d ? path_find(d, peer, r->path_id) : NULL;

	if (p)
		path_free(rib, p);
}

static void announce(struct rib *rib, struct rib_peer *peer,
		     const struct bgp_vpn_prefix *r, struct rib_attr *a)
{
	struct rib_vpn_dest *d = vpn_dest_get(rib, r, true);
	struct rib_path *p;

	if (!d)
		return;
	p = path_find(d, peer, r->path_id);
	if (p) {
		if (p->stale) {
			p->stale = 0;
			peer->n_stale--;
		}
		if (p->attr == a && p->label == r->label)
			return;		/* a refresh: nothing changes */
		path_unimport(rib, p);
		attr_put(rib, p->attr);
	} else {
		p = calloc(1, sizeof(*p));
		if (!p)
			return;
		p->dest = d;
		p->peer = peer;
		p->path_id = r->path_id;
		p->next = d->paths;
		d->paths = p;
		peer->n_paths++;
		rib->n_paths++;
	}
	a->refcnt++;
	p->attr = a;
	p->label = r->label & VPNLB_LABEL_MAX;
	path_import(rib, p);
}

void rib_update(struct rib *rib, struct rib_peer *peer,
		const struct bgp_update *u)
{
	struct rib_attr *a = NULL;

	for (size_t i = 0; i < u->n_vpn_unreach; i++)
		withdraw(rib, peer, &u->vpn_unreach[i]);
	if (u->n_vpn_reach) {
		a = attr_intern(rib, u);
		if (!a)
			return;
		for (size_t i = 0; i < u->n_vpn_reach; i++)
			announce(rib, peer, &u->vpn_reach[i], a);
		attr_put(rib, a);
	}
	rib_process(rib);
}

/* ---- per-peer bulk operations ---- */

struct peer_walk {
	struct rib *rib;
	struct rib_peer *peer;
	enum { WALK_MARK, WALK_SWEEP, WALK_FLUSH } op;
};

static void peer_walk_dest(struct hnode *n, void *arg)
{
	struct rib_vpn_dest *d = container_of(n, struct rib_vpn_dest, h);
	struct peer_walk *w = arg;
	struct rib_path *p = d->paths, *next;

	/* path_free frees d with its last path; next is NULL by then */
	for (; p; p = next) {
		next = p->next;
		if (p->peer != w->peer)
			continue;
		if (w->op == WALK_MARK) {
			if (!p->stale) {
				p->stale = 1;
				w->peer->n_stale++;
			}
		} else if (w->op == WALK_FLUSH || p->stale) {
			path_free(w->rib, p);
		}
	}
}

static void peer_walk(struct rib *rib, struct rib_peer *peer, int op)
{
	struct peer_walk w = { rib, peer, op };

	htab_foreach(&rib->vpn, peer_walk_dest, &w);
	rib_process(rib);
}

void rib_peer_mark_stale(struct rib *rib, struct rib_peer *peer)
{
	peer_walk(rib, peer, WALK_MARK);
}

void rib_peer_sweep_stale(struct rib *rib, struct rib_peer *peer)
{
	if (peer->n_stale)
		peer_walk(rib, peer, WALK_SWEEP);
}

void rib_peer_flush(struct rib *rib, struct rib_peer *peer)
{
	if (peer->n_paths)
		peer_walk(rib, peer, WALK_FLUSH);
}

/* ---- selection ---- */

static void fill_candidates(struct rib *rib, const struct rib_inst_dest *d,
			    struct bp_path *c)
{
	for (uint16_t i = 0; i < d->n; i++) {
		const struct rib_path *p = d->paths[i];
		const struct rib_attr *a = p->attr;
		struct bp_path *b = &c[i];

		memset(b, 0, sizeof(*b));
		b->local_pref = a->local_pref;
		b->as_path_len = a->as_path_count;
		b->aspath = rib_attr_aspath(a);
		b->aspath_len = a->aspath_len;
		b->neighbor_as = a->neighbor_as;
		b->origin = a->origin;
		b->med = a->med;
		b->ebgp = p->peer->ebgp;
		b->resolved = rib->resolve ?
			rib->resolve(rib->resolve_ctx, a->nexthop, &b->igp_cost) :
			true;
		/* 0..15 are reserved (RFC 3032): never a VPN label to push */
		b->no_vpn_label = p->label < 16;
		b->router_id = a->has_originator_id ? a->originator_id :
						      p->peer->router_id;
		b->cluster_len = a->cluster_len;
		b->peer_addr = p->peer->addr;
		b->nexthop = a->nexthop;
		b->rd = p->dest->rd;
		b->path_id = p->path_id;
		b->has_bandwidth = a->has_bandwidth;
		b->bandwidth = a->bandwidth;
	}
}

size_t rib_inst_dest_select(struct rib *rib, struct rib_instance *inst,
			    struct rib_inst_dest *d, struct bp_path **paths_out,
			    struct bp_verdict **verdicts_out,
			    struct bp_result *res)
{
	size_t n = d->n;
	struct bp_path *c = calloc(n ? n : 1, sizeof(*c));
	struct bp_verdict *v = calloc(n ? n : 1, sizeof(*v));

	res->members = calloc(n ? n : 1, sizeof(*res->members));
	res->n_members = 0;
	res->n_active = 0;
	if (!c || !v || !res->members) {
		free(c);
		free(v);
		free(res->members);
		res->members = NULL;
		*paths_out = NULL;
		*verdicts_out = NULL;
		return 0;
	}
	fill_candidates(rib, d, c);
	bp_select(c, n, &inst->policy, v, res);
	*paths_out = c;
	*verdicts_out = v;
	return n;
}

static void decide(struct rib *rib, struct rib_instance *inst,
		   struct rib_inst_dest *d)
{
	struct rib_fib_member *m;
	struct bp_verdict *v;
	struct bp_result res;
	struct bp_path *c;

	rib_inst_dest_select(rib, inst, d, &c, &v, &res);
	if (!res.members)
		return;
	if (res.n_members == 0) {
		if (d->installed && rib->fib)
			rib->fib->route_del(rib->fib_ctx, inst, d->addr, d->len);
		d->installed = false;
		goto out;
	}
	m = calloc(res.n_members, sizeof(*m));
	if (!m)
		goto out;
	for (size_t i = 0; i < res.n_members; i++) {
		size_t k = res.members[i];

		m[i].pe = c[k].nexthop;
		m[i].label = d->paths[k]->label;
		m[i].peer_addr = c[k].peer_addr;
		m[i].weight = v[k].weight;
		m[i].active = i < res.n_active;
	}
	if (rib->fib)
		rib->fib->route_set(rib->fib_ctx, inst, d->addr, d->len, m,
				    res.n_members, c[res.best].ebgp);
	d->installed = true;
	free(m);
out:
	free(c);
	free(v);
	free(res.members);
}

void rib_process(struct rib *rib)
{
	for (struct rib_instance *inst = rib->instances; inst; inst = inst->next) {
		while (inst->dirty) {
			struct rib_inst_dest *d = inst->dirty;

			inst->dirty = d->dirty_next;
			d->dirty = false;
			decide(rib, inst, d);
			if (d->n == 0 && !d->installed) {
				htab_remove(&inst->dests, &d->h);
				inst_dest_free(d);
			}
		}
	}
}

static void mark_all(struct hnode *n, void *arg)
{
	mark_dirty(arg, container_of(n, struct rib_inst_dest, h));
}

struct nh_walk {
	struct rib_instance *inst;
	uint32_t nexthop;
};

static void mark_nexthop(struct hnode *n, void *arg)
{
	struct rib_inst_dest *d = container_of(n, struct rib_inst_dest, h);
	struct nh_walk *w = arg;

	for (uint16_t i = 0; i < d->n; i++)
		if (d->paths[i]->attr->nexthop == w->nexthop)
			mark_dirty(w->inst, d);
}

void rib_nexthop_changed(struct rib *rib, uint32_t nexthop)
{
	for (struct rib_instance *i = rib->instances; i; i = i->next) {
		struct nh_walk w = { i, nexthop };

		htab_foreach(&i->dests, mark_nexthop, &w);
	}
	rib_process(rib);
}

/* ---- peers and instances ---- */

struct rib_peer *rib_peer_find(struct rib *rib, uint32_t addr)
{
	for (struct rib_peer *p = rib->peers; p; p = p->next)
		if (p->addr == addr)
			return p;
	return NULL;
}

struct rib_peer *rib_peer_get(struct rib *rib, uint32_t addr,
			      uint32_t router_id, bool ebgp)
{
	struct rib_peer *p = rib_peer_find(rib, addr);

	if (!p) {
		p = calloc(1, sizeof(*p));
		if (!p)
			return NULL;
		p->addr = addr;
		p->next = rib->peers;
		rib->peers = p;
	}
	p->router_id = router_id;
	p->ebgp = ebgp;
	return p;
}

struct rib_instance *rib_instance_find(struct rib *rib, const char *name)
{
	for (struct rib_instance *i = rib->instances; i; i = i->next)
		if (strcmp(i->name, name) == 0)
			return i;
	return NULL;
}

struct rib_instance *rib_instance_add(struct rib *rib, const char *name)
{
	struct rib_instance *inst;

	if (strlen(name) > RIB_INSTANCE_NAME_MAX || rib_instance_find(rib, name))
		return NULL;
	inst = calloc(1, sizeof(*inst));
	if (!inst || !htab_init(&inst->dests, 64)) {
		free(inst);
		return NULL;
	}
	strcpy(inst->name, name);
	inst->policy.max_paths = 1;
	inst->policy.max_members = VPNLB_GROUP_MEMBERS_MAX;
	inst->next = rib->instances;
	rib->instances = inst;
	return inst;
}

struct reimport {
	struct rib *rib;
	struct rib_instance *inst;
	bool add;
};

static void reimport_dest(struct hnode *n, void *arg)
{
	struct rib_vpn_dest *d = container_of(n, struct rib_vpn_dest, h);
	struct reimport *r = arg;

	for (struct rib_path *p = d->paths; p; p = p->next) {
		if (!imports(r->inst, p->attr))
			continue;
		if (r->add)
			inst_add_path(r->inst, p);
		else
			inst_del_path(r->inst, p);
	}
}

bool rib_instance_set_import(struct rib *rib, struct rib_instance *inst,
			     const uint64_t *rts, size_t n)
{
	uint64_t *copy = NULL;
	struct reimport r = { rib, inst, false };

	if (n) {
		copy = malloc(n * sizeof(*copy));
		if (!copy)
			return false;
		memcpy(copy, rts, n * sizeof(*copy));
	}
	htab_foreach(&rib->vpn, reimport_dest, &r);
	free(inst->import_rts);
	inst->import_rts = copy;
	inst->n_import = n;
	r.add = true;
	htab_foreach(&rib->vpn, reimport_dest, &r);
	rib_process(rib);
	return true;
}

void rib_instance_set_policy(struct rib *rib, struct rib_instance *inst,
			     const struct bp_policy *policy)
{
	inst->policy = *policy;
	if (!inst->policy.max_members)
		inst->policy.max_members = VPNLB_GROUP_MEMBERS_MAX;
	htab_foreach(&inst->dests, mark_all, inst);
	rib_process(rib);
}

static void free_inst_dest(struct hnode *n, void *arg)
{
	struct rib_inst_dest *d = container_of(n, struct rib_inst_dest, h);

	(void)arg;
	inst_dest_free(d);
}

void rib_instance_del(struct rib *rib, struct rib_instance *inst)
{
	struct rib_instance **pp;

	for (pp = &rib->instances; *pp; pp = &(*pp)->next) {
		if (*pp == inst) {
			*pp = inst->next;
			break;
		}
	}
	htab_foreach(&inst->dests, free_inst_dest, NULL);
	htab_destroy(&inst->dests);
	free(inst->import_rts);
	free(inst);
}

bool rib_init(struct rib *rib, const struct rib_fib_ops *fib, void *fib_ctx,
	      rib_resolve_fn resolve, void *resolve_ctx)
{
	memset(rib, 0, sizeof(*rib));
	rib->fib = fib;
	rib->fib_ctx = fib_ctx;
	rib->resolve = resolve;
	rib->resolve_ctx = resolve_ctx;
	if (!htab_init(&rib->attrs, 64))
		return false;
	if (!htab_init(&rib->vpn, 1024)) {
		htab_destroy(&rib->attrs);
		return false;
	}
	return true;
}

static void free_vpn_dest(struct hnode *n, void *arg)
{
	struct rib_vpn_dest *d = container_of(n, struct rib_vpn_dest, h);
	struct rib_path *p = d->paths;

	(void)arg;
	while (p) {
		struct rib_path *next = p->next;

		free(p);
		p = next;
	}
	free(d);
}

static void free_attr(struct hnode *n, void *arg)
{
	(void)arg;
	free(container_of(n, struct rib_attr, h));
}

void rib_free(struct rib *rib)
{
	while (rib->instances)
		rib_instance_del(rib, rib->instances);
	htab_foreach(&rib->vpn, free_vpn_dest, NULL);
	htab_destroy(&rib->vpn);
	htab_foreach(&rib->attrs, free_attr, NULL);
	htab_destroy(&rib->attrs);
	while (rib->peers) {
		struct rib_peer *p = rib->peers;

		rib->peers = p->next;
		free(p);
	}
}
