// SPDX-License-Identifier: GPL-2.0
/*
 * IPv4 longest-prefix match: a popcount-compressed multibit trie
 * (the Poptrie design of Asai and Ohara, SIGCOMM 2015) with 6-bit strides.
 *
 * Lookup structure. A node covers 6 address bits, i.e. 64 entries. Bit i of
 * vector says entry i is a child node; otherwise entry i is a leaf. Leaves
 * are compressed: bit i of leafvec is set where a run of equal leaves starts,
 * so a node stores one value per run. A node is one allocation, the block,
 * and is known by the address of its header inside it: the leaves are stored
 * backwards just below the header, the child references just above it, so
 * one load of the header gives everything the next step needs:
 *
 *   block:    leaves[n] ... leaves[1] | leafvec | vector | child[0..]
 *   child k:  child[k],                  k = popcount(vector below i)
 *   leaf  k:  ((u32 *)header)[-k],       k = popcount(leafvec up to i)
 *
 * A node without children (most nodes of a large table) has no vector and
 * no child array; bit 1 of the references to it says so (LPM_REF_LEAVES).
 * The lookup itself is inline, in lpm.h.
 * Nodes sit at depths 0, 6, ..., 30; the node at depth 30 only uses entries
 * 0, 16, 32 and 48 (the two remaining address bits followed by zeros).
 *
 * Update structure. The lookup structure has lost which prefixes exist, so
 * the updater keeps a shadow trie with the same 6-bit strides: the shadow
 * node at depth d holds the prefixes of length d + 1 to d + 6 (a 126-bit map
 * of the 2 + 4 + ... + 64 possible prefixes and their values; a /24 is one
 * entry of a depth-18 node) and a sparse array of children. The /0 prefix is
 * the value the root inherits. A lookup node exists exactly where a shadow
 * node does (below depth 18 only, in direct-pointing mode).
 *
 * Direct pointing. Once a table is large (vpnlb_lpm_direct_min prefixes), a
 * 2^18-entry array indexed by the top 18 address bits replaces the nodes of
 * depths 0 to 12, which are then freed: each entry references the depth-18
 * node or, tagged with bit 0 (LPM_REF_VALUE), holds the value all its
 * addresses resolve to. Small tables never pay its 2 MiB; a table switches
 * mode by building the other structure from the shadow trie.
 *
 * An update changes one prefix in the shadow trie and rebuilds, copy on
 * write, the lookup nodes whose contents change: the path from the root (or
 * from the direct-pointing entry) to the prefix's node and, below it, only
 * the nodes whose leaves inherited the old value of that prefix. Unchanged
 * nodes are shared by copying their reference into the new parent. The new
 * root is published with one rcu_assign_pointer(), new direct-pointing
 * entries with one store each after a write barrier, so a lookup sees the
 * old or the new subtree, both complete. Replaced blocks are freed after a
 * grace period, batched up to 252 per call_rcu(). Every allocation happens
 * before anything is published, so -ENOMEM leaves the table as it was.
 */
#include "lpm.h"

#define LPM_STRIDE	VPNLB_LPM_STRIDE
#define LPM_ENTRIES	64
#define LPM_LEVELS	6
#define LPM_DP_BITS	VPNLB_LPM_DP_BITS
#define LPM_DP_SIZE	BIT(LPM_DP_BITS)

/* Tags in the low bits of a node reference (blocks are 8-byte aligned). */
#define LPM_REF_VALUE	VPNLB_LPM_REF_VALUE	/* dp only: value << 1 | 1 */
#define LPM_REF_LEAVES	VPNLB_LPM_REF_LEAVES	/* node without children */

unsigned int vpnlb_lpm_direct_min = 262144;

struct vpnlb_lpm_snode {
	u64 pfxmap[2];			/* slot s holds a prefix, see lpm_slot() */
	u64 childmap;			/* entry i has a child shadow node */
	u32 *values;			/* one per pfxmap bit, in slot order */
	struct vpnlb_lpm_snode **children;	/* one per childmap bit */
};

/*
 * A list of blocks, in chunks that fit a 2 KiB slab object so that even an
 * update touching the whole table needs no high-order allocation. Blocks an
 * update replaced are freed after a grace period, one callback per chunk;
 * blocks it allocated are freed at once if it fails.
 */
#define LPM_CHUNK_BLOCKS	252

struct lpm_chunk {
	struct rcu_head rcu;
	struct lpm_chunk *next;
	unsigned long count;
	void *blocks[LPM_CHUNK_BLOCKS];
};

/* One prefix changing from old_val to new_val (0: absent). */
struct lpm_change {
	u64 key;			/* prefix << 32 */
	unsigned int plen;
	unsigned int depth;		/* depth of the shadow node holding it */
	unsigned int slot;
	const struct vpnlb_lpm_snode *target;	/* NULL for the /0 prefix */
	u32 def_old;			/* what the root inherits, before */
	u32 def_new;			/* and after */
	const struct vpnlb_lpm_snode *pruned;	/* shadow subtree that goes away */
	u32 old_val;
	u32 new_val;
	gfp_t gfp;			/* __GFP_NOFAIL: the update cannot fail */
	struct lpm_chunk *garbage;
	struct lpm_chunk *fresh;
	struct lpm_chunk *entries;	/* new direct-pointing entries */
	size_t fresh_bytes;
	size_t stale_bytes;
};

static inline unsigned int lpm_index(u64 key, unsigned int depth)
{
	return (unsigned int)((key << depth) >> (64 - LPM_STRIDE));
}

/* Slot of the prefix of length depth + len (1..6) whose next bits are b. */
static inline unsigned int lpm_slot(unsigned int len, unsigned int b)
{
	return (1U << len) - 2 + b;
}

static inline unsigned int lpm_rank(u64 map, unsigned int bit)
{
	return hweight64(map & (BIT_ULL(bit) - 1));
}

static inline bool lpm_map_test(const u64 *map, unsigned int s)
{
	return map[s / 64] & BIT_ULL(s % 64);
}

static inline void lpm_map_set(u64 *map, unsigned int s)
{
	map[s / 64] |= BIT_ULL(s % 64);
}

static inline void lpm_map_clear(u64 *map, unsigned int s)
{
	map[s / 64] &= ~BIT_ULL(s % 64);
}

static inline unsigned int lpm_map_rank(const u64 *map, unsigned int s)
{
	if (s < 64)
		return lpm_rank(map[0], s);
	return hweight64(map[0]) + lpm_rank(map[1], s - 64);
}

static inline unsigned int lpm_map_count(const u64 *map)
{
	return hweight64(map[0]) + hweight64(map[1]);
}

static inline size_t lpm_leaf_area(unsigned int leaves)
{
	return (leaves * sizeof(u32) + 7) & ~(size_t)7;
}

/* Header of the node ref: leafvec, then vector and children if it has any. */
static inline const u64 *lpm_hdr(unsigned long ref)
{
	return (const u64 *)(ref & ~(LPM_REF_VALUE | LPM_REF_LEAVES));
}

static inline u64 lpm_vector(unsigned long ref)
{
	return ref & LPM_REF_LEAVES ? 0 : lpm_hdr(ref)[1];
}

static inline const unsigned long *lpm_children(unsigned long ref)
{
	return (const unsigned long *)(lpm_hdr(ref) + 2);
}

static inline size_t lpm_block_size(u64 vector, u64 leafvec)
{
	size_t head = sizeof(u64);

	if (vector)
		head += sizeof(u64) + hweight64(vector) * sizeof(unsigned long);
	return lpm_leaf_area(hweight64(leafvec)) + head;
}

static inline size_t lpm_ref_size(unsigned long ref)
{
	return lpm_block_size(lpm_vector(ref), lpm_hdr(ref)[0]);
}

static inline void *lpm_ref_block(unsigned long ref)
{
	return (char *)lpm_hdr(ref) - lpm_leaf_area(hweight64(lpm_hdr(ref)[0]));
}

static inline unsigned long lpm_child(unsigned long ref, unsigned int i)
{
	return lpm_children(ref)[lpm_rank(lpm_vector(ref), i)];
}

static inline unsigned long lpm_dp_value(u32 value)
{
	return (unsigned long)value << 1 | LPM_REF_VALUE;
}

/* Value entry i of a shadow node resolves to, vin if no prefix covers it.
 * The changing prefix is taken as val (0: absent) in this node.
 */
static u32 lpm_resolve(const struct lpm_change *chg,
		       const struct vpnlb_lpm_snode *sn, unsigned int i, u32 vin,
		       u32 val)
{
	unsigned int len, slot;

	for (len = LPM_STRIDE; len > 0; len--) {
		slot = lpm_slot(len, i >> (LPM_STRIDE - len));
		if (sn == chg->target && slot == chg->slot) {
			if (val)
				return val;
			continue;
		}
		if (lpm_map_test(sn->pfxmap, slot))
			return sn->values[lpm_map_rank(sn->pfxmap, slot)];
	}
	return vin;
}

static struct vpnlb_lpm_snode *
lpm_schild(const struct vpnlb_lpm_snode *sn, unsigned int i)
{
	if (!(sn->childmap & BIT_ULL(i)))
		return NULL;
	return sn->children[lpm_rank(sn->childmap, i)];
}

static int lpm_chunk_push(struct lpm_chunk **list, void *block, gfp_t gfp)
{
	struct lpm_chunk *c = *list;

	if (!c || c->count == LPM_CHUNK_BLOCKS) {
		c = kmalloc(sizeof(*c), gfp);
		if (!c)
			return -ENOMEM;
		c->next = *list;
		c->count = 0;
		*list = c;
	}
	c->blocks[c->count++] = block;
	return 0;
}

/* Takes back the last element pushed; the list must not be empty. */
static void *lpm_chunk_pop(struct lpm_chunk **list)
{
	struct lpm_chunk *c = *list;
	void *block = c->blocks[--c->count];

	if (!c->count) {
		*list = c->next;
		kfree(c);
	}
	return block;
}

static int lpm_garbage_add(struct lpm_change *chg, unsigned long ref)
{
	int err = lpm_chunk_push(&chg->garbage, lpm_ref_block(ref), chg->gfp);

	if (!err)
		chg->stale_bytes += vpnlb_alloc_size(lpm_ref_size(ref));
	return err;
}

/* Queues the blocks of node ref and of everything below it for freeing. */
static int lpm_garbage_add_tree(struct lpm_change *chg, unsigned long ref)
{
	unsigned int k, n = hweight64(lpm_vector(ref));
	int err;

	for (k = 0; k < n; k++) {
		err = lpm_garbage_add_tree(chg, lpm_children(ref)[k]);
		if (err)
			return err;
	}
	return lpm_garbage_add(chg, ref);
}

static void lpm_chunk_free_blocks(struct lpm_chunk *c)
{
	unsigned long k;

	for (k = 0; k < c->count; k++)
		kfree(c->blocks[k]);
}

static void lpm_garbage_free(struct rcu_head *head)
{
	struct lpm_chunk *c = container_of(head, struct lpm_chunk, rcu);

	lpm_chunk_free_blocks(c);
	kfree(c);
}

/* Frees the chunks of a list; with their blocks if free_blocks. */
static void lpm_chunk_free_list(struct lpm_chunk *c, bool free_blocks)
{
	while (c) {
		struct lpm_chunk *next = c->next;

		if (free_blocks)
			lpm_chunk_free_blocks(c);
		kfree(c);
		c = next;
	}
}

static void *lpm_block_alloc(struct lpm_change *chg, size_t size)
{
	void *block = kmalloc(size, chg->gfp);

	if (!block)
		return NULL;
	if (lpm_chunk_push(&chg->fresh, block, chg->gfp)) {
		kfree(block);
		return NULL;
	}
	chg->fresh_bytes += vpnlb_alloc_size(size);
	return block;
}

/* A change that rebuilds from the shadow trie as it is. */
static void lpm_change_rebuild(struct vpnlb_lpm *lpm, struct lpm_change *chg)
{
	memset(chg, 0, sizeof(*chg));
	chg->gfp = GFP_KERNEL;
	chg->def_old = lpm->default_value;
	chg->def_new = lpm->default_value;
}

/* Frees after a grace period what the published change replaced. */
static void lpm_change_commit(struct vpnlb_lpm *lpm, struct lpm_change *chg)
{
	lpm->lookup_bytes += chg->fresh_bytes;
	lpm->lookup_bytes -= chg->stale_bytes;
	while (chg->garbage) {
		struct lpm_chunk *c = chg->garbage;

		chg->garbage = c->next;
		call_rcu(&c->rcu, lpm_garbage_free);
	}
	lpm_chunk_free_list(chg->fresh, false);
	lpm_chunk_free_list(chg->entries, false);
}

/* Undoes an unpublished change: frees what it allocated. */
static void lpm_change_abort(struct lpm_change *chg)
{
	lpm_chunk_free_list(chg->fresh, true);
	lpm_chunk_free_list(chg->garbage, false);
	lpm_chunk_free_list(chg->entries, false);
}

/*
 * Builds into *out the lookup node for shadow node sn at depth. old is the
 * node it replaces (0: build from scratch); vin_old and vin_new are the
 * values its entries inherit from above before and after the change.
 */
static int lpm_build(struct lpm_change *chg, const struct vpnlb_lpm_snode *sn,
		     unsigned int depth, unsigned long old, u32 vin_old,
		     u32 vin_new, unsigned long *out)
{
	unsigned int i, path = LPM_ENTRIES, nleaves = 0;
	u64 vector = 0, leafvec = 0, *hdr;
	unsigned long *children;
	u32 last = 0;
	char *block;
	int err;

	/* A short prefix can rebuild much of a large table: updates sleep. */
	cond_resched();
	if (depth < chg->depth)
		path = lpm_index(chg->key, depth);

	for (i = 0; i < LPM_ENTRIES; i++) {
		const struct vpnlb_lpm_snode *c = lpm_schild(sn, i);
		u32 v;

		if (c && c != chg->pruned) {
			vector |= BIT_ULL(i);
			continue;
		}
		v = lpm_resolve(chg, sn, i, vin_new, chg->new_val);
		if (!nleaves || v != last) {
			leafvec |= BIT_ULL(i);
			nleaves++;
			last = v;
		}
	}

	block = lpm_block_alloc(chg, lpm_block_size(vector, leafvec));
	if (!block)
		return -ENOMEM;
	hdr = (u64 *)(block + lpm_leaf_area(nleaves));
	hdr[0] = leafvec;
	if (vector)
		hdr[1] = vector;
	children = (unsigned long *)(hdr + 2);
	nleaves = 0;

	for (i = 0; i < LPM_ENTRIES; i++) {
		const struct vpnlb_lpm_snode *c = lpm_schild(sn, i);
		unsigned long oc = 0;
		u32 vo, vn;

		if (old && (lpm_vector(old) & BIT_ULL(i)))
			oc = lpm_child(old, i);

		if (!(vector & BIT_ULL(i))) {
			if (leafvec & BIT_ULL(i)) {
				nleaves++;
				((u32 *)hdr)[-(long)nleaves] =
					lpm_resolve(chg, sn, i, vin_new,
						    chg->new_val);
			}
			if (oc) {
				/* A subtree pruned by a delete. */
				err = lpm_garbage_add_tree(chg, oc);
				if (err)
					return err;
			}
			continue;
		}

		vn = lpm_resolve(chg, sn, i, vin_new, chg->new_val);
		if (!oc) {
			err = lpm_build(chg, c, depth + LPM_STRIDE, 0, 0, vn,
					children);
		} else {
			vo = lpm_resolve(chg, sn, i, vin_old, chg->old_val);
			if (i == path || vo != vn) {
				err = lpm_build(chg, c, depth + LPM_STRIDE, oc,
						vo, vn, children);
			} else {
				*children = oc;
				err = 0;
			}
		}
		if (err)
			return err;
		children++;
	}

	*out = (unsigned long)hdr | (vector ? 0 : LPM_REF_LEAVES);
	if (old)
		return lpm_garbage_add(chg, old);
	return 0;
}

/* Queues entry e for the slots [first, end), to store on success. */
static int lpm_dp_push(struct lpm_change *chg, unsigned int first,
		       unsigned int end, unsigned long e)
{
	int err;

	err = lpm_chunk_push(&chg->entries, (void *)(unsigned long)first,
			     chg->gfp);
	if (!err)
		err = lpm_chunk_push(&chg->entries, (void *)(unsigned long)end,
				     chg->gfp);
	return err ?: lpm_chunk_push(&chg->entries, (void *)e, chg->gfp);
}

/*
 * Sets the slots [first, end) of a region without shadow node to value v:
 * vo is their value before; pruned says a delete removed the region's
 * shadow node, so its entries may still reference nodes.
 */
static int lpm_dp_fill(struct lpm_change *chg, unsigned long *entry,
		       unsigned int first, unsigned int end, u32 vo, u32 v,
		       bool pruned)
{
	unsigned long e = lpm_dp_value(v), old;
	unsigned int s;
	int err;

	if (!pruned)
		return vo == v ? 0 : lpm_dp_push(chg, first, end, e);
	for (s = first; s < end; s++) {
		old = entry[s];
		if (!(old & LPM_REF_VALUE)) {
			err = lpm_garbage_add_tree(chg, old);
			if (err)
				return err;
		}
	}
	return lpm_dp_push(chg, first, end, e);
}

/*
 * Works out the direct-pointing entries of the slots [first, end) in the
 * region of shadow node sn at depth (up to 18), whose first slot is base;
 * vo and vn are the values the region inherits before and after chg. With
 * fresh, entry[] is an array no lookup reads yet and every slot is written;
 * otherwise only the entries that change are queued by lpm_dp_push().
 */
static int lpm_dp_collect(struct lpm_change *chg,
			  const struct vpnlb_lpm_snode *sn, unsigned int depth,
			  unsigned int base, unsigned int first,
			  unsigned int end, u32 vo, u32 vn,
			  unsigned long *entry, bool fresh)
{
	unsigned int span = 1U << (LPM_DP_BITS - depth), i, lo, hi;
	unsigned long old, e;
	int err;

	lo = base > first ? base : first;
	hi = base + span < end ? base + span : end;
	if (!sn || sn == chg->pruned) {
		if (!fresh)
			return lpm_dp_fill(chg, entry, lo, hi, vo, vn, !!sn);
		while (lo < hi)
			entry[lo++] = lpm_dp_value(vn);
		return 0;
	}
	if (depth == LPM_DP_BITS) {
		old = fresh ? 0 : entry[base];
		if (old & LPM_REF_VALUE)
			old = 0;
		if (!old) {
			err = lpm_build(chg, sn, depth, 0, 0, vn, &e);
		} else if (vo != vn || (chg->depth >= LPM_DP_BITS &&
					base == chg->key >> (64 - LPM_DP_BITS))) {
			err = lpm_build(chg, sn, depth, old, vo, vn, &e);
		} else {
			return 0;
		}
		if (err)
			return err;
		if (fresh) {
			entry[base] = e;
			return 0;
		}
		return lpm_dp_push(chg, base, base + 1, e);
	}
	span /= LPM_ENTRIES;
	for (i = 0; i < LPM_ENTRIES; i++) {
		unsigned int cbase = base + i * span;

		if (cbase + span <= lo || cbase >= hi)
			continue;
		err = lpm_dp_collect(chg, lpm_schild(sn, i),
				     depth + LPM_STRIDE, cbase, first, end,
				     lpm_resolve(chg, sn, i, vo, chg->old_val),
				     lpm_resolve(chg, sn, i, vn, chg->new_val),
				     entry, fresh);
		if (err)
			return err;
	}
	return 0;
}

/* Rebuilds the direct-pointing entries chg affects and publishes them. */
static int lpm_apply_dp(struct vpnlb_lpm *lpm, struct lpm_change *chg,
			struct vpnlb_lpm_dp *dp)
{
	unsigned int first = (unsigned int)(chg->key >> (64 - LPM_DP_BITS));
	unsigned int n = 1, s, end;
	unsigned long e;
	int err;

	/* A prefix of up to 18 bits changes only the slots it covers. */
	if (chg->plen <= LPM_DP_BITS)
		n = 1U << (LPM_DP_BITS - chg->plen);
	err = lpm_dp_collect(chg, lpm->shadow, 0, 0, first, first + n,
			     chg->def_old, chg->def_new, dp->entry, false);
	if (err) {
		lpm_change_abort(chg);
		return err;
	}
	/* The new nodes must be visible before any entry points to them. */
	smp_wmb();
	while (chg->entries) {
		e = (unsigned long)lpm_chunk_pop(&chg->entries);
		end = (unsigned int)(unsigned long)lpm_chunk_pop(&chg->entries);
		s = (unsigned int)(unsigned long)lpm_chunk_pop(&chg->entries);
		while (s < end)
			WRITE_ONCE(dp->entry[s++], e);
	}
	lpm_change_commit(lpm, chg);
	return 0;
}

/*
 * Rebuilds the lookup structure for chg and publishes it. On failure nothing
 * is published and everything allocated is freed.
 */
static int lpm_apply(struct vpnlb_lpm *lpm, struct lpm_change *chg)
{
	/* Updates are serialized by the caller. */
	struct vpnlb_lpm_dp *dp = rcu_dereference_protected(lpm->dp, 1);
	unsigned long old_root, root = 0;
	int err = 0;

	if (dp)
		return lpm_apply_dp(lpm, chg, dp);
	old_root = (unsigned long)rcu_dereference_protected(lpm->root, 1);
	if (chg->pruned == lpm->shadow)
		err = lpm_garbage_add_tree(chg, old_root);
	else
		err = lpm_build(chg, lpm->shadow, 0, old_root, chg->def_old,
				chg->def_new, &root);
	if (err) {
		lpm_change_abort(chg);
		return err;
	}
	rcu_assign_pointer(lpm->root, (void *)root);
	lpm_change_commit(lpm, chg);
	return 0;
}

static size_t lpm_dp_bytes(void)
{
	return vpnlb_alloc_size(sizeof(struct vpnlb_lpm_dp)) +
	       vpnlb_alloc_size(LPM_DP_SIZE * sizeof(unsigned long));
}

static void lpm_dp_free(struct rcu_head *head)
{
	struct vpnlb_lpm_dp *dp = container_of(head, struct vpnlb_lpm_dp, rcu);

	kvfree(dp->entry);
	kfree(dp);
}

/* Switches to direct pointing: the array replaces the nodes above depth 18. */
static void lpm_dp_enable(struct vpnlb_lpm *lpm)
{
	unsigned long root = (unsigned long)rcu_dereference_protected(lpm->root,
								       1);
	struct lpm_change chg;
	struct vpnlb_lpm_dp *dp;

	dp = kmalloc(sizeof(*dp), GFP_KERNEL);
	if (!dp)
		return;
	dp->entry = kvmalloc_array(LPM_DP_SIZE, sizeof(unsigned long),
				   GFP_KERNEL);
	if (!dp->entry) {
		kfree(dp);
		return;
	}
	lpm_change_rebuild(lpm, &chg);
	if (lpm_dp_collect(&chg, lpm->shadow, 0, 0, 0, LPM_DP_SIZE,
			   chg.def_new, chg.def_new, dp->entry, true))
		goto fail;
	if (root && lpm_garbage_add_tree(&chg, root))
		goto fail;
	rcu_assign_pointer(lpm->dp, dp);
	RCU_INIT_POINTER(lpm->root, NULL);
	lpm->lookup_bytes += lpm_dp_bytes();
	lpm_change_commit(lpm, &chg);
	return;
fail:
	lpm_change_abort(&chg);
	kvfree(dp->entry);
	kfree(dp);
}

/* Switches back to the walk from the root, built from the shadow trie. */
static void lpm_dp_disable(struct vpnlb_lpm *lpm, struct vpnlb_lpm_dp *dp)
{
	unsigned long root = 0;
	struct lpm_change chg;
	unsigned int s;

	lpm_change_rebuild(lpm, &chg);
	if (lpm->shadow && lpm_build(&chg, lpm->shadow, 0, 0, 0,
				     lpm->default_value, &root))
		goto fail;
	for (s = 0; s < LPM_DP_SIZE; s++) {
		unsigned long e = dp->entry[s];

		if (!(e & LPM_REF_VALUE) && lpm_garbage_add_tree(&chg, e))
			goto fail;
	}
	rcu_assign_pointer(lpm->root, (void *)root);
	RCU_INIT_POINTER(lpm->dp, NULL);
	lpm->lookup_bytes -= lpm_dp_bytes();
	lpm_change_commit(lpm, &chg);
	call_rcu(&dp->rcu, lpm_dp_free);
	return;
fail:
	lpm_change_abort(&chg);
}

/* Turns direct pointing on or off as the table grows or shrinks. Failing to
 * switch only means lookups keep the structure they have; an empty table
 * always drops the array (it holds nothing, so nothing needs allocating).
 */
static void lpm_dp_resize(struct vpnlb_lpm *lpm)
{
	struct vpnlb_lpm_dp *dp = rcu_dereference_protected(lpm->dp, 1);

	if (sizeof(unsigned long) < sizeof(u64))
		return;
	if (!dp && lpm->count && lpm->count >= vpnlb_lpm_direct_min)
		lpm_dp_enable(lpm);
	else if (dp && (!lpm->count ||
			lpm->count < vpnlb_lpm_direct_min / 4 * 3))
		lpm_dp_disable(lpm, dp);
}

static size_t lpm_snode_bytes(const struct vpnlb_lpm_snode *sn)
{
	return vpnlb_alloc_size(sizeof(*sn)) +
	       vpnlb_alloc_size(lpm_map_count(sn->pfxmap) * sizeof(u32)) +
	       vpnlb_alloc_size(hweight64(sn->childmap) * sizeof(void *));
}

static void lpm_snode_free(struct vpnlb_lpm_snode *sn)
{
	unsigned int k, n = hweight64(sn->childmap);

	for (k = 0; k < n; k++)
		lpm_snode_free(sn->children[k]);
	kfree(sn->children);
	kfree(sn->values);
	kfree(sn);
}

static void lpm_node_free(unsigned long ref)
{
	unsigned int k, n = hweight64(lpm_vector(ref));

	for (k = 0; k < n; k++)
		lpm_node_free(lpm_children(ref)[k]);
	kfree(lpm_ref_block(ref));
}

struct vpnlb_lpm *vpnlb_lpm_create(void)
{
	return kzalloc(sizeof(struct vpnlb_lpm), GFP_KERNEL);
}

void vpnlb_lpm_destroy(struct vpnlb_lpm *lpm)
{
	unsigned long root;
	struct vpnlb_lpm_dp *dp;
	unsigned int s;

	if (!lpm)
		return;
	dp = rcu_dereference_protected(lpm->dp, 1);
	if (dp) {
		for (s = 0; s < LPM_DP_SIZE; s++)
			if (!(dp->entry[s] & LPM_REF_VALUE))
				lpm_node_free(dp->entry[s]);
		kvfree(dp->entry);
		kfree(dp);
	}
	root = (unsigned long)rcu_dereference_protected(lpm->root, 1);
	if (root)
		lpm_node_free(root);
	if (lpm->shadow)
		lpm_snode_free(lpm->shadow);
	kfree(lpm);
}

static bool lpm_valid(u32 prefix, unsigned int plen)
{
	if (plen > 32)
		return false;
	return plen == 32 || !(prefix & (U32_MAX >> plen));
}

static void lpm_change_init(struct vpnlb_lpm *lpm, struct lpm_change *chg,
			    u32 prefix, unsigned int plen)
{
	unsigned int depth = plen ? (plen - 1) / LPM_STRIDE * LPM_STRIDE : 0;
	unsigned int len = plen - depth;

	memset(chg, 0, sizeof(*chg));
	chg->gfp = GFP_KERNEL;
	chg->key = (u64)prefix << 32;
	chg->plen = plen;
	chg->depth = depth;
	if (plen)
		chg->slot = lpm_slot(len, (chg->key << depth) >> (64 - len));
	chg->def_old = lpm->default_value;
	chg->def_new = lpm->default_value;
}

/* Array of n + 1 elements of size sz: arr with elem inserted at pos. */
static void *lpm_array_insert(const void *arr, unsigned int n,
			      unsigned int pos, const void *elem, size_t sz)
{
	char *a = kmalloc_array(n + 1, sz, GFP_KERNEL);

	if (!a)
		return NULL;
	memcpy(a + pos * sz, elem, sz);
	if (n) {
		memcpy(a, arr, pos * sz);
		memcpy(a + (pos + 1) * sz, (const char *)arr + pos * sz,
		       (n - pos) * sz);
	}
	return a;
}

/* Array of n - 1 elements: arr without the one at pos; NULL when empty. */
static int lpm_array_remove(const void *arr, unsigned int n, unsigned int pos,
			    size_t sz, void **out, gfp_t gfp)
{
	char *a;

	*out = NULL;
	if (n == 1)
		return 0;
	a = kmalloc_array(n - 1, sz, gfp);
	if (!a)
		return -ENOMEM;
	memcpy(a, arr, pos * sz);
	memcpy(a + pos * sz, (const char *)arr + (pos + 1) * sz,
	       (n - 1 - pos) * sz);
	*out = a;
	return 0;
}

static int lpm_replace(struct vpnlb_lpm *lpm, struct vpnlb_lpm_snode *target,
		       struct lpm_change *chg, u32 value)
{
	u32 *slot = &target->values[lpm_map_rank(target->pfxmap, chg->slot)];
	int err;

	if (*slot == value)
		return 0;
	chg->gfp |= __GFP_NOFAIL;
	chg->target = target;
	chg->old_val = *slot;
	chg->new_val = value;
	err = lpm_apply(lpm, chg);
	if (!err)
		*slot = value;
	return err;
}

/* Sets 0.0.0.0/0, the value the root inherits. */
static int lpm_insert_default(struct vpnlb_lpm *lpm, struct lpm_change *chg,
			      u32 value)
{
	struct vpnlb_lpm_snode *root = NULL;
	int err;

	if (lpm->default_value == value)
		return 0;
	if (lpm->default_value)
		chg->gfp |= __GFP_NOFAIL;
	if (!lpm->shadow) {
		root = kzalloc(sizeof(*root), GFP_KERNEL);
		if (!root)
			return -ENOMEM;
		lpm->shadow = root;
	}
	chg->def_new = value;
	err = lpm_apply(lpm, chg);
	if (err) {
		if (root) {
			lpm->shadow = NULL;
			kfree(root);
		}
		return err;
	}
	if (root)
		lpm->update_bytes += lpm_snode_bytes(root);
	if (!lpm->default_value)
		lpm->count++;
	lpm->default_value = value;
	lpm_dp_resize(lpm);
	return 0;
}

int vpnlb_lpm_insert(struct vpnlb_lpm *lpm, u32 prefix, unsigned int plen,
		     u32 value)
{
	struct vpnlb_lpm_snode *path[LPM_LEVELS], *chain = NULL, *parent = NULL;
	struct vpnlb_lpm_snode **children = NULL, **old_children = NULL;
	struct vpnlb_lpm_snode *target, *sn;
	unsigned int level, last, nlev = 0, ci = 0;
	size_t before = 0, after = 0;
	u32 *values, *old_values;
	struct lpm_change chg;
	u64 old_childmap = 0;
	int err;

	if (!lpm_valid(prefix, plen) || !value)
		return -EINVAL;
	lpm_change_init(lpm, &chg, prefix, plen);
	if (!plen)
		return lpm_insert_default(lpm, &chg, value);
	last = chg.depth / LPM_STRIDE;

	for (sn = lpm->shadow; sn; ) {
		path[nlev] = sn;
		if (nlev++ == last)
			break;
		sn = lpm_schild(sn, lpm_index(chg.key,
					      (nlev - 1) * LPM_STRIDE));
	}
	if (nlev == last + 1 && lpm_map_test(path[last]->pfxmap, chg.slot))
		return lpm_replace(lpm, path[last], &chg, value);

	/* Missing shadow nodes: a chain linked to the trie only at the end. */
	for (level = nlev; level <= last; level++) {
		struct vpnlb_lpm_snode *n = kzalloc(sizeof(*n), GFP_KERNEL);

		if (!n)
			goto nomem;
		if (level == nlev) {
			chain = n;
		} else {
			sn = path[level - 1];
			sn->children = kmalloc(sizeof(void *), GFP_KERNEL);
			if (!sn->children) {
				kfree(n);
				goto nomem;
			}
			sn->children[0] = n;
			sn->childmap = BIT_ULL(lpm_index(chg.key, (level - 1) *
							 LPM_STRIDE));
		}
		path[level] = n;
	}
	target = path[last];

	values = lpm_array_insert(target->values,
				  lpm_map_count(target->pfxmap),
				  lpm_map_rank(target->pfxmap, chg.slot),
				  &value, sizeof(u32));
	if (!values)
		goto nomem;
	if (chain && nlev) {
		parent = path[nlev - 1];
		ci = lpm_index(chg.key, (nlev - 1) * LPM_STRIDE);
		children = lpm_array_insert(parent->children,
					    hweight64(parent->childmap),
					    lpm_rank(parent->childmap, ci),
					    &chain, sizeof(void *));
		if (!children) {
			kfree(values);
			goto nomem;
		}
		before += lpm_snode_bytes(parent);
	}
	if (!chain)
		before += lpm_snode_bytes(target);

	old_values = target->values;
	target->values = values;
	lpm_map_set(target->pfxmap, chg.slot);
	if (parent) {
		old_children = parent->children;
		old_childmap = parent->childmap;
		parent->children = children;
		parent->childmap |= BIT_ULL(ci);
	} else if (chain) {
		lpm->shadow = chain;
	}

	chg.target = target;
	chg.new_val = value;
	err = lpm_apply(lpm, &chg);
	if (err) {
		target->values = old_values;
		lpm_map_clear(target->pfxmap, chg.slot);
		kfree(values);
		if (parent) {
			parent->children = old_children;
			parent->childmap = old_childmap;
			kfree(children);
		} else if (chain) {
			lpm->shadow = NULL;
		}
		if (chain)
			lpm_snode_free(chain);
		return err;
	}

	if (parent)
		after += lpm_snode_bytes(parent);
	if (!chain)
		after += lpm_snode_bytes(target);
	for (level = nlev; level <= last; level++)
		after += lpm_snode_bytes(path[level]);
	lpm->update_bytes += after - before;
	kfree(old_values);
	kfree(old_children);
	lpm->count++;
	lpm_dp_resize(lpm);
	return 0;

nomem:
	if (chain)
		lpm_snode_free(chain);
	return -ENOMEM;
}

/* Frees the whole table once its last prefix is gone. */
static int lpm_delete_last(struct vpnlb_lpm *lpm, struct lpm_change *chg)
{
	int err;

	chg->pruned = lpm->shadow;
	err = lpm_apply(lpm, chg);
	if (err)
		return err;
	lpm_snode_free(lpm->shadow);
	lpm->shadow = NULL;
	lpm->update_bytes = 0;
	lpm->default_value = 0;
	lpm->count = 0;
	lpm_dp_resize(lpm);
	return 0;
}

static int lpm_delete_default(struct vpnlb_lpm *lpm, struct lpm_change *chg)
{
	int err;

	if (!lpm->default_value)
		return -ENOENT;
	if (lpm->count == 1)
		return lpm_delete_last(lpm, chg);
	chg->def_new = 0;
	err = lpm_apply(lpm, chg);
	if (err)
		return err;
	lpm->default_value = 0;
	lpm->count--;
	lpm_dp_resize(lpm);
	return 0;
}

int vpnlb_lpm_delete(struct vpnlb_lpm *lpm, u32 prefix, unsigned int plen)
{
	struct vpnlb_lpm_snode *path[LPM_LEVELS], *sn, *target, *parent = NULL;
	unsigned int level, last, top, ci = 0;
	struct lpm_change chg;
	void *shrunk = NULL;
	size_t before;
	int err;

	if (!lpm_valid(prefix, plen))
		return -ENOENT;
	lpm_change_init(lpm, &chg, prefix, plen);
	chg.gfp |= __GFP_NOFAIL;
	if (!plen)
		return lpm_delete_default(lpm, &chg);
	last = chg.depth / LPM_STRIDE;

	sn = lpm->shadow;
	for (level = 0; ; level++) {
		if (!sn)
			return -ENOENT;
		path[level] = sn;
		if (level == last)
			break;
		sn = lpm_schild(sn, lpm_index(chg.key, level * LPM_STRIDE));
	}
	target = sn;
	if (!lpm_map_test(target->pfxmap, chg.slot))
		return -ENOENT;
	chg.target = target;
	chg.old_val = target->values[lpm_map_rank(target->pfxmap, chg.slot)];
	if (lpm->count == 1)
		return lpm_delete_last(lpm, &chg);

	/* Shadow nodes left empty, path[top..last]; the root always stays. */
	top = LPM_LEVELS;
	if (last && lpm_map_count(target->pfxmap) == 1 && !target->childmap) {
		top = last;
		while (top > 1 && !lpm_map_count(path[top - 1]->pfxmap) &&
		       hweight64(path[top - 1]->childmap) == 1)
			top--;
	}

	if (top == LPM_LEVELS) {
		err = lpm_array_remove(target->values,
				       lpm_map_count(target->pfxmap),
				       lpm_map_rank(target->pfxmap, chg.slot),
				       sizeof(u32), &shrunk, chg.gfp);
	} else {
		parent = path[top - 1];
		ci = lpm_index(chg.key, (top - 1) * LPM_STRIDE);
		err = lpm_array_remove(parent->children,
				       hweight64(parent->childmap),
				       lpm_rank(parent->childmap, ci),
				       sizeof(void *), &shrunk, chg.gfp);
		chg.pruned = path[top];
	}
	if (err)
		return err;

	err = lpm_apply(lpm, &chg);
	if (err) {
		kfree(shrunk);
		return err;
	}

	if (top == LPM_LEVELS) {
		before = lpm_snode_bytes(target);
		kfree(target->values);
		target->values = shrunk;
		lpm_map_clear(target->pfxmap, chg.slot);
		lpm->update_bytes += lpm_snode_bytes(target) - before;
	} else {
		for (level = top; level <= last; level++)
			lpm->update_bytes -= lpm_snode_bytes(path[level]);
		before = lpm_snode_bytes(parent);
		kfree(parent->children);
		parent->children = shrunk;
		parent->childmap &= ~BIT_ULL(ci);
		lpm->update_bytes += lpm_snode_bytes(parent) - before;
		lpm_snode_free(path[top]);
	}
	lpm->count--;
	lpm_dp_resize(lpm);
	return 0;
}

size_t vpnlb_lpm_memory(const struct vpnlb_lpm *lpm)
{
	return lpm->lookup_bytes + lpm->update_bytes;
}

size_t vpnlb_lpm_memory_lookup(const struct vpnlb_lpm *lpm)
{
	return lpm->lookup_bytes;
}

unsigned int vpnlb_lpm_count(const struct vpnlb_lpm *lpm)
{
	return lpm->count;
}
