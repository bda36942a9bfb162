// SPDX-License-Identifier: GPL-2.0
/*
 * IPv4 longest-prefix match: a popcount-compressed multibit trie
 * (the Poptrie design of Asai and Ohara, SIGCOMM 2015) with 6-bit strides.
 *
 * Lookup structure. A node covers 6 address bits, i.e. 64 entries. Bit i of
 * vector says entry i is a child node; otherwise entry i is a leaf. Leaves
 * are compressed: bit i of leafvec is set where a run of equal leaves starts,
 * so a node stores one value per run. A node's children and leaves share one
 * allocation, the block: children are base[0..], leaves are stored backwards
 * just below base, so both are found from one pointer with one popcount:
 *
 *   child k:  ((struct lpm_node *)base)[k],  k = popcount(vector below i)
 *   leaf  k:  ((u32 *)base)[-k],             k = popcount(leafvec up to i)
 *
 * Nodes sit at depths 0, 6, ..., 30; the node at depth 30 only uses entries
 * 0, 16, 32 and 48 (the two remaining address bits followed by zeros).
 *
 * Update structure. The lookup structure has lost which prefixes exist, so
 * the updater keeps a shadow trie with the same 6-bit strides: the shadow
 * node at depth d holds the prefixes of length d + 1 to d + 6 (a 126-bit map
 * of the 2 + 4 + ... + 64 possible prefixes and their values; a /24 is one
 * entry of a depth-18 node) and a sparse array of children. The /0 prefix is
 * the value the root inherits. A lookup node exists exactly where a shadow
 * node does.
 *
 * Direct pointing. Once a table is large (vpnlb_lpm_direct_min prefixes), a
 * 2^18-entry array indexed by the top 18 address bits replaces the walk
 * through the top three levels: each entry is the depth-18 node (a pointer)
 * or, tagged with bit 0, the value all its addresses resolve to. Small
 * tables never pay its 2 MiB. Updates rewrite the entries of the region they
 * changed after publishing the new nodes and before the old ones can be
 * freed; each entry is one 64-bit store, so a lookup sees the old or the new
 * subtree, both complete.
 *
 * An update changes one prefix in the shadow trie and rebuilds, copy on
 * write, the lookup nodes whose contents change: the path from the root to
 * the prefix's node and, below it, only the nodes whose leaves inherited the
 * old value of that prefix. Unchanged nodes are shared by copying their
 * 24-byte descriptor (vector, leafvec, base) into the new parent block. The
 * new root is published with one rcu_assign_pointer(); the replaced blocks
 * are freed after a grace period, batched up to 252 per call_rcu(). Every
 * allocation happens before anything is published, so -ENOMEM leaves the
 * table as it was.
 */
#include "lpm.h"

#define LPM_STRIDE	6
#define LPM_ENTRIES	64
#define LPM_LEVELS	6
#define LPM_DP_BITS	18
#define LPM_DP_SIZE	BIT(LPM_DP_BITS)

unsigned int vpnlb_lpm_direct_min = 262144;

struct lpm_node {
	u64 vector;
	u64 leafvec;
	void *base;
};

struct lpm_snode {
	u64 pfxmap[2];			/* slot s holds a prefix, see lpm_slot() */
	u64 childmap;			/* entry i has a child shadow node */
	u32 *values;			/* one per pfxmap bit, in slot order */
	struct lpm_snode **children;	/* one per childmap bit */
};

/* Direct-pointing array: node pointer, or value << 1 | 1. */
struct lpm_dp {
	struct rcu_head rcu;
	u64 *entry;
};

struct vpnlb_lpm {
	struct lpm_node __rcu *root;	/* NULL when the table is empty */
	struct lpm_dp __rcu *dp;	/* NULL for small tables */
	struct lpm_snode *shadow;	/* NULL when the table is empty */
	size_t lookup_bytes;
	size_t update_bytes;
	unsigned int count;
	u32 default_value;		/* of 0.0.0.0/0, 0 if absent */
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
	const struct lpm_snode *target;	/* NULL for the /0 prefix */
	u32 def_old;			/* what the root inherits, before */
	u32 def_new;			/* and after */
	const struct lpm_snode *pruned;	/* shadow subtree that goes away */
	u32 old_val;
	u32 new_val;
	gfp_t gfp;			/* __GFP_NOFAIL: the update cannot fail */
	struct lpm_chunk *garbage;
	struct lpm_chunk *fresh;
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

static inline size_t lpm_block_size(u64 vector, u64 leafvec)
{
	return lpm_leaf_area(hweight64(leafvec)) +
	       hweight64(vector) * sizeof(struct lpm_node);
}

static inline void *lpm_block_start(const struct lpm_node *node)
{
	return (char *)node->base - lpm_leaf_area(hweight64(node->leafvec));
}

static inline struct lpm_node *lpm_child(const struct lpm_node *node,
					 unsigned int i)
{
	return (struct lpm_node *)node->base + lpm_rank(node->vector, i);
}

static inline u32 lpm_leaf(const struct lpm_node *node, u64 bit)
{
	/* (bit << 1) - 1 is all ones for entry 63: the shift wraps to 0. */
	return ((const u32 *)node->base)[-(long)hweight64(node->leafvec &
							  ((bit << 1) - 1))];
}

static inline u64 lpm_dp_value(u32 value)
{
	return (u64)value << 1 | 1;
}

u32 vpnlb_lpm_lookup(const struct vpnlb_lpm *lpm, u32 addr)
{
	const struct lpm_dp *dp = rcu_dereference(lpm->dp);
	const struct lpm_node *node;
	u64 key, bit;

	if (dp) {
		u64 e = READ_ONCE(dp->entry[addr >> (32 - LPM_DP_BITS)]);

		if (e & 1)
			return (u32)(e >> 1);
		node = (const struct lpm_node *)(unsigned long)e;
		key = (u64)addr << (32 + LPM_DP_BITS);
	} else {
		node = rcu_dereference(lpm->root);
		if (unlikely(!node))
			return 0;
		key = (u64)addr << 32;
	}
	for (;;) {
		bit = BIT_ULL(key >> (64 - LPM_STRIDE));
		if (!(node->vector & bit))
			break;
		node = (const struct lpm_node *)node->base +
		       hweight64(node->vector & (bit - 1));
		key <<= LPM_STRIDE;
	}
	return lpm_leaf(node, bit);
}

/* Rewrites the direct-pointing entries of the /12 blocks first..first+n-1
 * from the current lookup structure.
 */
static void lpm_dp_fill(const struct vpnlb_lpm *lpm, u64 *entry,
			unsigned int first, unsigned int n)
{
	const struct lpm_node *root = rcu_dereference_protected(lpm->root, 1);
	unsigned int blk, i, depth;

	/* The new nodes must be visible before any entry points to them. */
	smp_wmb();
	for (blk = first; blk < first + n; blk++) {
		const struct lpm_node *node = root;
		u64 key = (u64)blk << 52, bit, *e = &entry[blk * LPM_ENTRIES];
		u64 val = lpm_dp_value(0);

		for (depth = 0; node && depth < 12; depth += LPM_STRIDE) {
			bit = BIT_ULL(lpm_index(key, depth));
			if (!(node->vector & bit)) {
				val = lpm_dp_value(lpm_leaf(node, bit));
				node = NULL;
				break;
			}
			node = lpm_child(node, lpm_index(key, depth));
		}
		for (i = 0; i < LPM_ENTRIES; i++) {
			u64 v = val;

			bit = BIT_ULL(i);
			if (node && (node->vector & bit))
				v = (unsigned long)lpm_child(node, i);
			else if (node)
				v = lpm_dp_value(lpm_leaf(node, bit));
			WRITE_ONCE(e[i], v);
		}
	}
}

/* Brings the direct-pointing entries up to date after chg was published. */
static void lpm_dp_update(struct vpnlb_lpm *lpm, const struct lpm_change *chg)
{
	struct lpm_dp *dp = rcu_dereference_protected(lpm->dp, 1);
	unsigned int first = (unsigned int)(chg->key >> 52);

	if (!dp)
		return;
	/* A change below /12 rebuilds at most the depth-12 node above it; a
	 * shorter prefix changes only the region it covers.
	 */
	if (chg->plen > 12)
		lpm_dp_fill(lpm, dp->entry, first, 1);
	else
		lpm_dp_fill(lpm, dp->entry, first, 1U << (12 - chg->plen));
}

static size_t lpm_dp_bytes(void)
{
	return vpnlb_alloc_size(sizeof(struct lpm_dp)) +
	       vpnlb_alloc_size(LPM_DP_SIZE * sizeof(u64));
}

static void lpm_dp_free(struct rcu_head *head)
{
	struct lpm_dp *dp = container_of(head, struct lpm_dp, rcu);

	kvfree(dp->entry);
	kfree(dp);
}

/* Turns direct pointing on or off as the table grows or shrinks. Failing to
 * allocate the array only means lookups keep walking from the root.
 */
static void lpm_dp_resize(struct vpnlb_lpm *lpm)
{
	struct lpm_dp *dp = rcu_dereference_protected(lpm->dp, 1);

	if (sizeof(void *) != sizeof(u64))
		return;
	if (!dp && lpm->count >= vpnlb_lpm_direct_min) {
		dp = kmalloc(sizeof(*dp), GFP_KERNEL);
		if (!dp)
			return;
		dp->entry = kvmalloc_array(LPM_DP_SIZE, sizeof(u64), GFP_KERNEL);
		if (!dp->entry) {
			kfree(dp);
			return;
		}
		lpm_dp_fill(lpm, dp->entry, 0, LPM_DP_SIZE / LPM_ENTRIES);
		rcu_assign_pointer(lpm->dp, dp);
		lpm->lookup_bytes += lpm_dp_bytes();
	} else if (dp && (!lpm->count ||
			  lpm->count < vpnlb_lpm_direct_min / 4 * 3)) {
		RCU_INIT_POINTER(lpm->dp, NULL);
		lpm->lookup_bytes -= lpm_dp_bytes();
		call_rcu(&dp->rcu, lpm_dp_free);
	}
}

/* Value entry i of a shadow node resolves to, vin if no prefix covers it.
 * The changing prefix is taken as val (0: absent) in this node.
 */
static u32 lpm_resolve(const struct lpm_change *chg,
		       const struct lpm_snode *sn, unsigned int i, u32 vin,
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

static struct lpm_snode *lpm_schild(const struct lpm_snode *sn,
				    unsigned int i)
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

static int lpm_garbage_push(struct lpm_change *chg, void *block, size_t size)
{
	int err = lpm_chunk_push(&chg->garbage, block, chg->gfp);

	if (!err)
		chg->stale_bytes += vpnlb_alloc_size(size);
	return err;
}

static int lpm_garbage_add(struct lpm_change *chg, const struct lpm_node *node)
{
	return lpm_garbage_push(chg, lpm_block_start(node),
				lpm_block_size(node->vector, node->leafvec));
}

/* Queues the blocks of node and of everything below it for freeing. */
static int lpm_garbage_add_tree(struct lpm_change *chg,
				const struct lpm_node *node)
{
	unsigned int k, n = hweight64(node->vector);
	int err;

	for (k = 0; k < n; k++) {
		err = lpm_garbage_add_tree(chg,
					   (struct lpm_node *)node->base + k);
		if (err)
			return err;
	}
	return lpm_garbage_add(chg, node);
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

static void *lpm_block_alloc(struct lpm_change *chg, u64 vector, u64 leafvec)
{
	size_t size = lpm_block_size(vector, leafvec);
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

/*
 * Builds into *out the lookup node for shadow node sn at depth. old is the
 * node it replaces (NULL: build from scratch); vin_old and vin_new are the
 * values its entries inherit from above before and after the change.
 */
static int lpm_build(struct lpm_change *chg, const struct lpm_snode *sn,
		     unsigned int depth, const struct lpm_node *old,
		     u32 vin_old, u32 vin_new, struct lpm_node *out)
{
	unsigned int i, path = LPM_ENTRIES, nleaves = 0;
	u64 vector = 0, leafvec = 0;
	struct lpm_node *children;
	u32 *leaves, last = 0;
	int err;

	/* A short prefix can rebuild much of a large table: updates sleep. */
	cond_resched();
	if (depth < chg->depth)
		path = lpm_index(chg->key, depth);

	for (i = 0; i < LPM_ENTRIES; i++) {
		const struct lpm_snode *c = lpm_schild(sn, i);
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

	children = lpm_block_alloc(chg, vector, leafvec);
	if (!children)
		return -ENOMEM;
	children = (struct lpm_node *)((char *)children +
				       lpm_leaf_area(nleaves));
	leaves = (u32 *)children;
	nleaves = 0;

	for (i = 0; i < LPM_ENTRIES; i++) {
		const struct lpm_snode *c = lpm_schild(sn, i);
		const struct lpm_node *oc = NULL;
		u32 vo, vn;

		if (old && (old->vector & BIT_ULL(i)))
			oc = lpm_child(old, i);

		if (!(vector & BIT_ULL(i))) {
			if (leafvec & BIT_ULL(i)) {
				nleaves++;
				leaves[-(long)nleaves] =
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
			err = lpm_build(chg, c, depth + LPM_STRIDE, NULL, 0, vn,
					children);
		} else {
			vo = lpm_resolve(chg, sn, i, vin_old, chg->old_val);
			if (i == path || vo != vn) {
				err = lpm_build(chg, c, depth + LPM_STRIDE, oc,
						vo, vn, children);
			} else {
				*children = *oc;
				err = 0;
			}
		}
		if (err)
			return err;
		children++;
	}

	out->vector = vector;
	out->leafvec = leafvec;
	out->base = leaves;
	if (old)
		return lpm_garbage_add(chg, old);
	return 0;
}

/*
 * Rebuilds the lookup structure for chg and publishes it. On failure nothing
 * is published and everything allocated is freed.
 */
static int lpm_apply(struct vpnlb_lpm *lpm, struct lpm_change *chg)
{
	/* Updates are serialized by the caller. */
	struct lpm_node *old_root = rcu_dereference_protected(lpm->root, 1);
	struct lpm_node *root = NULL;
	int err;

	if (chg->pruned == lpm->shadow) {
		err = lpm_garbage_add_tree(chg, old_root);
	} else {
		err = -ENOMEM;
		root = kmalloc(sizeof(*root), chg->gfp);
		if (root)
			err = lpm_build(chg, lpm->shadow, 0, old_root,
					chg->def_old, chg->def_new, root);
	}
	if (err)
		goto fail;

	if (old_root) {
		err = lpm_garbage_push(chg, old_root, sizeof(*old_root));
		if (err)
			goto fail;
	}
	if (root)
		chg->fresh_bytes += vpnlb_alloc_size(sizeof(*root));

	rcu_assign_pointer(lpm->root, root);
	lpm_dp_update(lpm, chg);
	lpm->lookup_bytes += chg->fresh_bytes;
	lpm->lookup_bytes -= chg->stale_bytes;
	while (chg->garbage) {
		struct lpm_chunk *c = chg->garbage;

		chg->garbage = c->next;
		call_rcu(&c->rcu, lpm_garbage_free);
	}
	lpm_chunk_free_list(chg->fresh, false);
	return 0;

fail:
	lpm_chunk_free_list(chg->fresh, true);
	lpm_chunk_free_list(chg->garbage, false);
	kfree(root);
	return err;
}

static size_t lpm_snode_bytes(const struct lpm_snode *sn)
{
	return vpnlb_alloc_size(sizeof(*sn)) +
	       vpnlb_alloc_size(lpm_map_count(sn->pfxmap) * sizeof(u32)) +
	       vpnlb_alloc_size(hweight64(sn->childmap) * sizeof(void *));
}

static void lpm_snode_free(struct lpm_snode *sn)
{
	unsigned int k, n = hweight64(sn->childmap);

	for (k = 0; k < n; k++)
		lpm_snode_free(sn->children[k]);
	kfree(sn->children);
	kfree(sn->values);
	kfree(sn);
}

static void lpm_node_free(struct lpm_node *node)
{
	unsigned int k, n = hweight64(node->vector);

	for (k = 0; k < n; k++)
		lpm_node_free((struct lpm_node *)node->base + k);
	kfree(lpm_block_start(node));
}

struct vpnlb_lpm *vpnlb_lpm_create(void)
{
	return kzalloc(sizeof(struct vpnlb_lpm), GFP_KERNEL);
}

void vpnlb_lpm_destroy(struct vpnlb_lpm *lpm)
{
	struct lpm_node *root;
	struct lpm_dp *dp;

	if (!lpm)
		return;
	dp = rcu_dereference_protected(lpm->dp, 1);
	if (dp) {
		kvfree(dp->entry);
		kfree(dp);
	}
	root = rcu_dereference_protected(lpm->root, 1);
	if (root) {
		lpm_node_free(root);
		kfree(root);
	}
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

static int lpm_replace(struct vpnlb_lpm *lpm, struct lpm_snode *target,
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
	struct lpm_snode *root = NULL;
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
	struct lpm_snode *path[LPM_LEVELS], *chain = NULL, *parent = NULL;
	struct lpm_snode **children = NULL, **old_children = NULL;
	struct lpm_snode *target, *sn;
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
		struct lpm_snode *n = kzalloc(sizeof(*n), GFP_KERNEL);

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
	struct lpm_snode *path[LPM_LEVELS], *sn, *target, *parent = NULL;
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
