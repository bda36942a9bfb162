// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdlib.h>
#include <string.h>

#include "fib.h"
#include "log.h"

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

static struct fib_inst *inst_state(struct rib_instance *inst)
{
	struct fib_inst *fi = inst->fib_state;

	if (!fi) {
		fi = calloc(1, sizeof(*fi));
		if (!fi || !htab_init(&fi->routes, 256)) {
			free(fi);
			return NULL;
		}
		inst->fib_state = fi;
	}
	return fi;
}

static void write_failed(struct fib *fib, const char *what, int err)
{
	fib->errors++;
	log_err("kernel refused %s: %d", what, err);
}

/* ---- tunnels ---- */

static bool tunnel_match(const struct hnode *n, const void *key)
{
	return container_of(n, struct fib_tunnel, h)->pe == *(const uint32_t *)key;
}

static struct fib_tunnel *tunnel_find(struct fib *fib, uint32_t pe)
{
	struct hnode *n = htab_find(&fib->tunnels, hash_u64(pe), tunnel_match, &pe);

	return n ? container_of(n, struct fib_tunnel, h) : NULL;
}

static struct fib_tunnel *tunnel_lookup_or_create(struct fib *fib, uint32_t pe)
{
	struct fib_tunnel *t = tunnel_find(fib, pe);

	if (!t) {
		t = calloc(1, sizeof(*t));
		if (!t)
			return NULL;
		t->pe = pe;
		t->id = ++fib->next_tunnel_id;
		htab_insert(&fib->tunnels, &t->h, hash_u64(pe));
	}
	return t;
}

/* Writes a tunnel not yet written in this generation (new or adopted). */
static void tunnel_refresh(struct fib *fib, struct fib_tunnel *t)
{
	int err;

	if (t->current)
		return;
	fib->resolve(fib->resolve_ctx, t->pe, &t->via);
	err = fib->w->tunnel(fib->wctx, FIB_OP_NEW, t, fib->owner,
			     fib->generation);
	if (err)
		write_failed(fib, "tunnel", err);
	t->in_kernel |= !err;
	t->current = !err;
}

static struct fib_tunnel *tunnel_get(struct fib *fib, uint32_t pe)
{
	struct fib_tunnel *t = tunnel_lookup_or_create(fib, pe);

	if (!t)
		return NULL;
	t->refcnt++;
	tunnel_refresh(fib, t);
	return t;
}

static void tunnel_put(struct fib *fib, struct fib_tunnel *t)
{
	if (--t->refcnt)
		return;
	if (t->in_kernel)
		fib->w->tunnel(fib->wctx, FIB_OP_DEL, t, fib->owner,
			       fib->generation);
	htab_remove(&fib->tunnels, &t->h);
	free(t);
}

/* ---- nexthops ---- */

struct nh_key {
	uint32_t pe;
	uint32_t label;
};

static uint32_t nh_hash(uint32_t pe, uint32_t label)
{
	return hash_u64((uint64_t)pe << 32 | label);
}

static bool nh_match(const struct hnode *n, const void *key)
{
	const struct fib_nexthop *nh = container_of(n, struct fib_nexthop, h);
	const struct nh_key *k = key;

	return nh->tunnel->pe == k->pe && nh->label == k->label;
}

static struct fib_nexthop *nexthop_get(struct fib *fib,
				       const struct rib_fib_member *m)
{
	struct nh_key k = { m->pe, m->label };
	struct hnode *hn = htab_find(&fib->nexthops, nh_hash(m->pe, m->label),
				     nh_match, &k);
	struct fib_nexthop *nh;
	int err;

	if (hn) {
		nh = container_of(hn, struct fib_nexthop, h);
	} else {
		nh = calloc(1, sizeof(*nh));
		if (!nh)
			return NULL;
		nh->tunnel = tunnel_lookup_or_create(fib, m->pe);
		if (!nh->tunnel) {
			free(nh);
			return NULL;
		}
		nh->id = ++fib->next_nexthop_id;
		nh->label = m->label;
		htab_insert(&fib->nexthops, &nh->h, nh_hash(m->pe, m->label));
	}
	if (nh->refcnt++ == 0)
		tunnel_get(fib, m->pe);	/* the nexthop's reference */
	tunnel_refresh(fib, nh->tunnel);
	if (!nh->current) {
		nh->neighbor = m->peer_addr;
		err = fib->w->nexthop(fib->wctx, FIB_OP_NEW, nh, fib->owner,
				      fib->generation);
		if (err)
			write_failed(fib, "nexthop", err);
		nh->in_kernel |= !err;
		nh->current = !err;
	}
	return nh;
}

static void nexthop_put(struct fib *fib, struct fib_nexthop *nh)
{
	if (--nh->refcnt)
		return;
	if (nh->in_kernel)
		fib->w->nexthop(fib->wctx, FIB_OP_DEL, nh, fib->owner,
				fib->generation);
	tunnel_put(fib, nh->tunnel);
	htab_remove(&fib->nexthops, &nh->h);
	free(nh);
}

/* ---- groups ---- */

/* A group's protocol picks its maximum in the kernel: it is part of the key. */
struct group_key {
	const char *instance;
	uint8_t proto;
	const struct fib_group_member *m;
	uint16_t n;
};

static uint32_t group_hash(const char *instance, uint8_t proto,
			   const struct fib_group_member *m, uint16_t n)
{
	uint32_t h = hash_bytes(instance, strlen(instance), (uint32_t)proto << 16 | n);

	for (uint16_t i = 0; i < n; i++)
		h = hash_u64((uint64_t)h << 32 ^ (uint64_t)m[i].nh->id << 16 ^
			     m[i].weight);
	return h;
}

static bool group_match(const struct hnode *hn, const void *key)
{
	const struct fib_group *g = container_of(hn, struct fib_group, h);
	const struct group_key *k = key;

	if (g->n != k->n || g->proto != k->proto ||
	    strcmp(g->instance, k->instance) != 0)
		return false;
	for (uint16_t i = 0; i < k->n; i++)
		if (g->m[i].nh != k->m[i].nh || g->m[i].weight != k->m[i].weight)
			return false;
	return true;
}

static struct fib_group *group_find(struct fib *fib, const char *instance,
				    uint8_t proto,
				    const struct fib_group_member *m, uint16_t n)
{
	struct group_key k = { instance, proto, m, n };
	struct hnode *hn = htab_find(&fib->groups,
				     group_hash(instance, proto, m, n),
				     group_match, &k);

	return hn ? container_of(hn, struct fib_group, h) : NULL;
}

/* Takes one reference on each member's nexthop in m (the group owns them). */
static struct fib_group *group_get(struct fib *fib, const char *instance,
				   uint8_t proto, struct fib_group_member *m,
				   uint16_t n)
{
	struct fib_group *g = group_find(fib, instance, proto, m, n);
	int err;

	if (g) {
		for (uint16_t i = 0; i < n; i++)
			nexthop_put(fib, m[i].nh);
		free(m);
		g->refcnt++;
		if (!g->current) {
			/* adopted: same contents, new generation */
			err = fib->w->group(fib->wctx, FIB_OP_NEW, g, fib->owner,
					    fib->generation);
			if (err)
				write_failed(fib, "group", err);
			g->current = !err;
		}
		return g;
	}
	g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->id = ++fib->next_group_id;
	strcpy(g->instance, instance);
	g->proto = proto;
	g->m = m;
	g->n = n;
	g->refcnt = 1;
	htab_insert(&fib->groups, &g->h, group_hash(instance, proto, m, n));
	err = fib->w->group(fib->wctx, FIB_OP_NEW, g, fib->owner,
			    fib->generation);
	if (err)
		write_failed(fib, "group", err);
	g->in_kernel = !err;
	g->current = !err;
	return g;
}

static void group_put(struct fib *fib, struct fib_group *g)
{
	if (--g->refcnt)
		return;
	if (g->in_kernel)
		fib->w->group(fib->wctx, FIB_OP_DEL, g, fib->owner,
			      fib->generation);
	for (uint16_t i = 0; i < g->n; i++)
		nexthop_put(fib, g->m[i].nh);
	htab_remove(&fib->groups, &g->h);
	free(g->m);
	free(g);
}

/* ---- routes ---- */

struct route_key {
	uint32_t addr;
	uint8_t len;
};

static uint32_t route_hash(uint32_t addr, uint8_t len)
{
	return hash_u64((uint64_t)addr << 8 | len);
}

static bool route_match(const struct hnode *n, const void *key)
{
	const struct fib_route *r = container_of(n, struct fib_route, h);
	const struct route_key *k = key;

	return r->addr == k->addr && r->len == k->len;
}

static struct fib_route *route_find(struct fib_inst *fi, uint32_t addr,
				    uint8_t len)
{
	struct route_key k = { addr, len };
	struct hnode *n = htab_find(&fi->routes, route_hash(addr, len),
				    route_match, &k);

	return n ? container_of(n, struct fib_route, h) : NULL;
}

static void route_want(struct fib_inst *fi, uint32_t addr, uint8_t len,
		       const struct rib_fib_member *m, size_t n, uint8_t proto)
{
	struct fib_route *r = route_find(fi, addr, len);

	if (!r) {
		if (!n)
			return;
		r = calloc(1, sizeof(*r));
		if (!r)
			return;
		r->addr = addr;
		r->len = len;
		htab_insert(&fi->routes, &r->h, route_hash(addr, len));
	}
	free(r->want);
	r->want = NULL;
	r->want_n = 0;
	if (n) {
		r->want = malloc(n * sizeof(*m));
		if (!r->want)
			return;
		memcpy(r->want, m, n * sizeof(*m));
		r->want_n = (uint16_t)n;
	}
	r->want_proto = proto;
	if (!r->dirty) {
		r->dirty = true;
		r->dirty_next = fi->dirty;
		fi->dirty = r;
	}
}

static void fib_route_set(void *ctx, struct rib_instance *inst, uint32_t addr,
			  uint8_t len, const struct rib_fib_member *m, size_t n,
			  bool ebgp)
{
	struct fib_inst *fi = inst_state(inst);

	(void)ctx;
	if (fi)
		route_want(fi, addr, len, m, n,
			   ebgp ? VPNLB_PROTO_EBGP : VPNLB_PROTO_IBGP);
}

static void fib_route_del(void *ctx, struct rib_instance *inst, uint32_t addr,
			  uint8_t len)
{
	struct fib_inst *fi = inst_state(inst);

	(void)ctx;
	if (fi)
		route_want(fi, addr, len, NULL, 0, 0);
}

const struct rib_fib_ops fib_rib_ops = {
	.route_set = fib_route_set,
	.route_del = fib_route_del,
};

/* Members the kernel should hold for a selection: active ones first, then
 * backups, each with its own nexthop reference. */
static struct fib_group_member *resolve_members(struct fib *fib,
						const struct fib_route *r)
{
	struct fib_group_member *m = calloc(r->want_n, sizeof(*m));

	if (!m)
		return NULL;
	for (uint16_t i = 0; i < r->want_n; i++) {
		m[i].nh = nexthop_get(fib, &r->want[i]);
		m[i].weight = r->want[i].weight ? r->want[i].weight : 1;
		if (!m[i].nh) {
			while (i--)
				nexthop_put(fib, m[i].nh);
			free(m);
			return NULL;
		}
	}
	return m;
}

struct batch {
	struct fib *fib;
	const char *instance;
	enum fib_op op;
	struct fib_route_op ops[FIB_ROUTE_BATCH];
	size_t n;
};

static void batch_flush(struct batch *b)
{
	int err;

	if (!b->n)
		return;
	err = b->fib->w->routes(b->fib->wctx, b->op, b->instance, b->ops, b->n,
				b->fib->owner, b->fib->generation);
	if (err)
		write_failed(b->fib, "route batch", err);
	b->fib->route_writes += b->n;
	b->fib->route_batches++;
	b->n = 0;
}

static void batch_add(struct batch *b, const struct fib_route *r)
{
	struct fib_route_op *op = &b->ops[b->n++];

	op->addr = r->addr;
	op->len = r->len;
	op->proto = r->proto;
	op->group_id = r->group ? r->group->id : 0;
	op->nexthop_id = r->nh ? r->nh->id : 0;
	if (b->n == FIB_ROUTE_BATCH)
		batch_flush(b);
}

/* Deferred releases: old targets go only after the routes moved off them. */
struct release {
	struct fib_group **groups;
	struct fib_nexthop **nhs;
	size_t n_groups, n_nhs, cap_groups, cap_nhs;
};

static void release_later(struct release *rel, struct fib_group *g,
			  struct fib_nexthop *nh)
{
	if (g) {
		if (rel->n_groups == rel->cap_groups) {
			size_t cap = rel->cap_groups ? rel->cap_groups * 2 : 16;
			void *p = realloc(rel->groups, cap * sizeof(*rel->groups));

			if (!p)
				return;
			rel->groups = p;
			rel->cap_groups = cap;
		}
		rel->groups[rel->n_groups++] = g;
	}
	if (nh) {
		if (rel->n_nhs == rel->cap_nhs) {
			size_t cap = rel->cap_nhs ? rel->cap_nhs * 2 : 16;
			void *p = realloc(rel->nhs, cap * sizeof(*rel->nhs));

			if (!p)
				return;
			rel->nhs = p;
			rel->cap_nhs = cap;
		}
		rel->nhs[rel->n_nhs++] = nh;
	}
}

static bool same_members(const struct fib_route *a, const struct fib_route *b)
{
	if (a->want_n != b->want_n || a->want_proto != b->want_proto)
		return false;
	for (uint16_t i = 0; i < a->want_n; i++) {
		const struct rib_fib_member *x = &a->want[i], *y = &b->want[i];

		if (x->pe != y->pe || x->label != y->label ||
		    x->weight != y->weight || x->active != y->active)
			return false;
	}
	return true;
}

/*
 * When every route of a group moves to the same new member list, and no
 * group has that list yet, the group is changed in place: one GROUP_SET
 * instead of a write per route.
 */
static bool try_group_in_place(struct fib *fib, struct fib_route *first,
			       const char *instance)
{
	struct fib_group *g = first->group;
	struct fib_group_member *m, *old;
	uint16_t old_n;
	size_t same = 0;
	int err;

	if (!g || first->want_n < 1 || g->checked == fib->flush_round ||
	    g->proto != first->want_proto)
		return false;
	g->checked = fib->flush_round;
	for (struct fib_route *r = first; r; r = r->dirty_next) {
		if (r->group != g || !r->dirty)
			continue;
		if (!same_members(r, first))
			return false;
		same++;
	}
	if (same != g->refcnt)
		return false;
	m = resolve_members(fib, first);
	if (!m)
		return false;
	if (group_find(fib, instance, g->proto, m, first->want_n)) {
		for (uint16_t i = 0; i < first->want_n; i++)
			nexthop_put(fib, m[i].nh);
		free(m);
		return false;
	}
	htab_remove(&fib->groups, &g->h);
	old = g->m;
	old_n = g->n;
	g->m = m;
	g->n = first->want_n;
	htab_insert(&fib->groups, &g->h,
		    group_hash(instance, g->proto, m, g->n));
	err = fib->w->group(fib->wctx, FIB_OP_SET, g, fib->owner,
			    fib->generation);
	if (err)
		write_failed(fib, "group change", err);
	fib->group_sets++;
	/* old members go only once the group no longer names them */
	for (uint16_t i = 0; i < old_n; i++)
		nexthop_put(fib, old[i].nh);
	free(old);
	/* the routes keep pointing at g: mark them done */
	for (struct fib_route *r = first; r; r = r->dirty_next) {
		if (r->group == g && r->want) {
			free(r->want);
			r->want = NULL;
			r->want_n = 0;
			r->dirty = false;
		}
	}
	return true;
}

static void flush_instance(struct fib *fib, struct rib_instance *inst,
			   struct fib_inst *fi, struct release *rel)
{
	struct batch *add = calloc(1, sizeof(*add));
	struct batch *del = calloc(1, sizeof(*del));
	struct fib_route *list = fi->dirty, *r, *next;

	fi->dirty = NULL;
	if (!add || !del) {
		free(add);
		free(del);
		return;
	}
	add->fib = del->fib = fib;
	add->instance = del->instance = inst->name;
	add->op = FIB_OP_NEW;
	del->op = FIB_OP_DEL;

	for (r = list; r; r = r->dirty_next)
		if (r->dirty && r->want_n)
			try_group_in_place(fib, r, inst->name);

	for (r = list; r; r = next) {
		struct fib_group *og = r->group;
		struct fib_nexthop *onh = r->nh;

		next = r->dirty_next;
		if (!r->dirty)
			continue;
		r->dirty = false;
		if (r->want_n == 0) {
			if (og || onh) {
				batch_add(del, r);
				release_later(rel, og, onh);
			}
			htab_remove(&fi->routes, &r->h);
			free(r);
			continue;
		}
		r->proto = r->want_proto;
		if (r->want_n == 1) {
			r->nh = nexthop_get(fib, &r->want[0]);
			r->group = NULL;
		} else {
			struct fib_group_member *m = resolve_members(fib, r);

			r->group = m ? group_get(fib, inst->name, r->proto, m,
						 r->want_n) : NULL;
			r->nh = NULL;
		}
		free(r->want);
		r->want = NULL;
		r->want_n = 0;
		if (r->group == og && r->nh == onh && (og || onh)) {
			/* same target: drop the extra reference just taken */
			release_later(rel, og, onh);
			continue;
		}
		if (r->group || r->nh)
			batch_add(add, r);
		release_later(rel, og, onh);
	}
	batch_flush(add);
	batch_flush(del);
	free(add);
	free(del);
}

void fib_flush_pending(struct fib *fib, struct rib *rib)
{
	struct release rel = { 0 };

	fib->flush_round++;
	for (struct rib_instance *i = rib->instances; i; i = i->next) {
		struct fib_inst *fi = i->fib_state;

		if (fi && fi->dirty)
			flush_instance(fib, i, fi, &rel);
	}
	for (size_t k = 0; k < rel.n_groups; k++)
		group_put(fib, rel.groups[k]);
	for (size_t k = 0; k < rel.n_nhs; k++)
		nexthop_put(fib, rel.nhs[k]);
	free(rel.groups);
	free(rel.nhs);
}

/* ---- resolution ---- */

bool fib_rib_resolve(void *ctx, uint32_t pe, uint32_t *cost)
{
	struct fib *fib = ctx;
	struct fib_tunnel *t = tunnel_find(fib, pe);
	struct fib_resolution res;

	if (t && t->current) {
		*cost = t->via.metric;
		return t->via.ok;
	}
	fib->resolve(fib->resolve_ctx, pe, &res);
	*cost = res.metric;
	return res.ok;
}

static bool same_via(const struct fib_resolution *a,
		     const struct fib_resolution *b)
{
	return a->ok == b->ok && a->gateway == b->gateway &&
	       a->ifindex == b->ifindex && a->n_labels == b->n_labels &&
	       memcmp(a->labels, b->labels, sizeof(a->labels)) == 0 &&
	       a->metric == b->metric;
}

struct reres {
	struct fib *fib;
	uint32_t *changed;
	size_t n, cap;
};

static void reresolve_tunnel(struct hnode *n, void *arg)
{
	struct fib_tunnel *t = container_of(n, struct fib_tunnel, h);
	struct reres *rr = arg;
	struct fib_resolution res;
	bool eligibility;

	if (!t->refcnt)
		return;
	rr->fib->resolve(rr->fib->resolve_ctx, t->pe, &res);
	if (same_via(&res, &t->via))
		return;
	eligibility = res.ok != t->via.ok || res.metric != t->via.metric;
	t->via = res;
	/* in place: every route behind this PE follows */
	if (res.ok && rr->fib->w->tunnel(rr->fib->wctx, FIB_OP_SET, t,
					 rr->fib->owner, rr->fib->generation))
		write_failed(rr->fib, "tunnel change", -1);
	if (eligibility && rr->n < rr->cap)
		rr->changed[rr->n++] = t->pe;
}

void fib_reresolve(struct fib *fib, struct rib *rib)
{
	struct reres rr = { fib, NULL, 0, fib->tunnels.count };

	rr.changed = calloc(rr.cap ? rr.cap : 1, sizeof(*rr.changed));
	if (!rr.changed)
		return;
	htab_foreach(&fib->tunnels, reresolve_tunnel, &rr);
	for (size_t i = 0; i < rr.n; i++)
		rib_nexthop_changed(rib, rr.changed[i]);
	free(rr.changed);
	fib_flush_pending(fib, rib);
}

/* ---- instances ---- */

int fib_instance_apply(struct fib *fib, struct rib_instance *inst,
		       const struct fib_instance_cfg *cfg)
{
	struct fib_inst *fi = inst_state(inst);
	int err;

	if (!fi)
		return -1;
	err = fib->w->instance(fib->wctx, fi->in_kernel ? FIB_OP_SET : FIB_OP_NEW,
			       cfg, fib->owner, fib->generation);
	if (err)
		write_failed(fib, "instance", err);
	else
		fi->in_kernel = true;
	return err;
}

static void drop_route(struct hnode *n, void *arg)
{
	struct fib_route *r = container_of(n, struct fib_route, h);
	struct release *rel = arg;

	release_later(rel, r->group, r->nh);
	free(r->want);
	free(r);
}

void fib_instance_release(struct fib *fib, struct rib_instance *inst)
{
	struct fib_inst *fi = inst->fib_state;
	struct release rel = { 0 };
	struct fib_instance_cfg cfg = { 0 };

	if (!fi)
		return;
	/* deleting the instance deletes its routes and groups in the kernel */
	strcpy(cfg.name, inst->name);
	if (fi->in_kernel)
		fib->w->instance(fib->wctx, FIB_OP_DEL, &cfg, fib->owner,
				 fib->generation);
	htab_foreach(&fi->routes, drop_route, &rel);
	for (size_t k = 0; k < rel.n_groups; k++) {
		rel.groups[k]->in_kernel = false;
		group_put(fib, rel.groups[k]);
	}
	for (size_t k = 0; k < rel.n_nhs; k++)
		nexthop_put(fib, rel.nhs[k]);
	free(rel.groups);
	free(rel.nhs);
	htab_destroy(&fi->routes);
	free(fi);
	inst->fib_state = NULL;
}

static void forget_route(struct hnode *n, void *arg)
{
	struct fib_route *r = container_of(n, struct fib_route, h);

	(void)arg;
	free(r->want);
	free(r);
}

void fib_forget(struct fib *fib, struct rib *rib)
{
	(void)fib;
	for (struct rib_instance *i = rib->instances; i; i = i->next) {
		struct fib_inst *fi = i->fib_state;

		if (!fi)
			continue;
		htab_foreach(&fi->routes, forget_route, NULL);
		htab_destroy(&fi->routes);
		free(fi);
		i->fib_state = NULL;
	}
}

/* ---- adoption and sweep ---- */

void fib_adopt_tunnel(struct fib *fib, uint32_t id, uint32_t pe)
{
	struct fib_tunnel *t;

	if (tunnel_find(fib, pe))
		return;
	t = calloc(1, sizeof(*t));
	if (!t)
		return;
	t->id = id;
	t->pe = pe;
	t->in_kernel = true;
	htab_insert(&fib->tunnels, &t->h, hash_u64(pe));
	if (id > fib->next_tunnel_id)
		fib->next_tunnel_id = id;
}

void fib_adopt_nexthop(struct fib *fib, uint32_t id, uint32_t pe,
		       uint32_t label)
{
	struct nh_key k = { pe, label };
	struct fib_tunnel *t = tunnel_find(fib, pe);
	struct fib_nexthop *nh;

	if (!t || htab_find(&fib->nexthops, nh_hash(pe, label), nh_match, &k))
		return;
	nh = calloc(1, sizeof(*nh));
	if (!nh)
		return;
	nh->id = id;
	nh->tunnel = t;
	nh->label = label;
	nh->in_kernel = true;
	htab_insert(&fib->nexthops, &nh->h, nh_hash(pe, label));
	if (id > fib->next_nexthop_id)
		fib->next_nexthop_id = id;
}

static struct fib_nexthop *nexthop_by_id(struct fib *fib, uint32_t id)
{
	for (size_t b = 0; b <= fib->nexthops.mask; b++)
		for (struct hnode *n = fib->nexthops.buckets[b]; n; n = n->next)
			if (container_of(n, struct fib_nexthop, h)->id == id)
				return container_of(n, struct fib_nexthop, h);
	return NULL;
}

void fib_adopt_group(struct fib *fib, uint32_t id, const char *instance,
		     uint8_t proto, const uint32_t *nh_ids,
		     const uint16_t *weights, size_t n)
{
	struct fib_group_member *m;
	struct fib_group *g;

	if (n == 0 || n > VPNLB_GROUP_MEMBERS_MAX ||
	    strlen(instance) > VPNLB_INSTANCE_NAME_MAX)
		return;
	m = calloc(n, sizeof(*m));
	g = calloc(1, sizeof(*g));
	if (!m || !g)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		m[i].nh = nexthop_by_id(fib, nh_ids[i]);
		m[i].weight = weights[i];
		if (!m[i].nh)
			goto fail;
	}
	if (group_find(fib, instance, proto, m, (uint16_t)n))
		goto fail;
	g->id = id;
	g->proto = proto;
	strcpy(g->instance, instance);
	g->m = m;
	g->n = (uint16_t)n;
	g->in_kernel = true;
	/* adopted groups hold their nexthops like any other group */
	for (size_t i = 0; i < n; i++)
		if (m[i].nh->refcnt++ == 0)
			m[i].nh->tunnel->refcnt++;
	htab_insert(&fib->groups, &g->h, group_hash(instance, proto, m, g->n));
	if (id > fib->next_group_id)
		fib->next_group_id = id;
	return;
fail:
	free(m);
	free(g);
}

struct sweep {
	struct fib *fib;
	struct fib_group **dead;
	size_t n, cap;
};

static void forget_old(struct hnode *n, void *arg)
{
	(void)arg;
	/* the kernel's flush removed what was not rewritten */
	struct fib_group *g = container_of(n, struct fib_group, h);

	if (!g->current)
		g->in_kernel = false;
}

static void forget_old_nh(struct hnode *n, void *arg)
{
	struct fib_nexthop *nh = container_of(n, struct fib_nexthop, h);

	(void)arg;
	if (!nh->current)
		nh->in_kernel = false;
}

static void forget_old_tunnel(struct hnode *n, void *arg)
{
	struct fib_tunnel *t = container_of(n, struct fib_tunnel, h);

	(void)arg;
	if (!t->current)
		t->in_kernel = false;
}

static void collect_unused_group(struct hnode *n, void *arg)
{
	struct fib_group *g = container_of(n, struct fib_group, h);
	struct sweep *s = arg;

	if (g->refcnt == 0 && s->n < s->cap)
		s->dead[s->n++] = g;
}

static void free_unused_nexthop(struct hnode *n, void *arg)
{
	struct fib_nexthop *nh = container_of(n, struct fib_nexthop, h);
	struct fib *fib = arg;

	if (nh->refcnt == 0) {
		htab_remove(&fib->nexthops, &nh->h);
		free(nh);
	}
}

static void free_unused_tunnel(struct hnode *n, void *arg)
{
	struct fib_tunnel *t = container_of(n, struct fib_tunnel, h);
	struct fib *fib = arg;

	if (t->refcnt == 0) {
		htab_remove(&fib->tunnels, &t->h);
		free(t);
	}
}

int fib_sweep(struct fib *fib)
{
	struct sweep s = { fib, NULL, 0, fib->groups.count };
	int err = fib->w->flush(fib->wctx, fib->owner, fib->generation);

	if (err) {
		write_failed(fib, "flush", err);
		return err;
	}
	htab_foreach(&fib->groups, forget_old, NULL);
	htab_foreach(&fib->nexthops, forget_old_nh, NULL);
	htab_foreach(&fib->tunnels, forget_old_tunnel, NULL);
	s.dead = calloc(s.cap ? s.cap : 1, sizeof(*s.dead));
	if (s.dead) {
		htab_foreach(&fib->groups, collect_unused_group, &s);
		for (size_t i = 0; i < s.n; i++) {
			s.dead[i]->refcnt = 1;
			group_put(fib, s.dead[i]);
		}
		free(s.dead);
	}
	htab_foreach(&fib->nexthops, free_unused_nexthop, fib);
	htab_foreach(&fib->tunnels, free_unused_tunnel, fib);
	return 0;
}

bool fib_init(struct fib *fib, const struct fib_writer *w, void *wctx,
	      fib_resolve_fn resolve, void *resolve_ctx, uint32_t owner,
	      uint32_t generation)
{
	memset(fib, 0, sizeof(*fib));
	fib->w = w;
	fib->wctx = wctx;
	fib->resolve = resolve;
	fib->resolve_ctx = resolve_ctx;
	fib->owner = owner;
	fib->generation = generation;
	if (!htab_init(&fib->tunnels, 64) || !htab_init(&fib->nexthops, 256) ||
	    !htab_init(&fib->groups, 256)) {
		fib_free(fib);
		return false;
	}
	return true;
}

static void free_node_tunnel(struct hnode *n, void *arg)
{
	(void)arg;
	free(container_of(n, struct fib_tunnel, h));
}

static void free_node_nexthop(struct hnode *n, void *arg)
{
	(void)arg;
	free(container_of(n, struct fib_nexthop, h));
}

static void free_node_group(struct hnode *n, void *arg)
{
	struct fib_group *g = container_of(n, struct fib_group, h);

	(void)arg;
	free(g->m);
	free(g);
}

void fib_free(struct fib *fib)
{
	if (fib->groups.buckets)
		htab_foreach(&fib->groups, free_node_group, NULL);
	if (fib->nexthops.buckets)
		htab_foreach(&fib->nexthops, free_node_nexthop, NULL);
	if (fib->tunnels.buckets)
		htab_foreach(&fib->tunnels, free_node_tunnel, NULL);
	htab_destroy(&fib->groups);
	htab_destroy(&fib->nexthops);
	htab_destroy(&fib->tunnels);
}
