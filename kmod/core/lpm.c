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
 * entry of a depth-18 node) and a sparse array of children, all in one
 * allocation with the values. The /0 prefix is the value the root inherits.
 * A lookup node exists exactly where a shadow node does (below depth 18
 * only, in direct-pointing mode). No lookup reads the shadow trie: an update
 * replaces the shadow node it changes with a modified copy, linked in after
 * every allocation the update needs has succeeded.
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

/*
 * A shadow node: the prefix map; if it has children (LPM_SN_KIDS), the child
 * map and one pointer per child; then the values, one per prefix in slot
 * order. It is one allocation, or a chain of them where that fits the slab
 * size classes better (see lpm_seg_split()).
 */
struct vpnlb_lpm_snode {
	u64 pfxmap[2];			/* slot s holds a prefix, see lpm_slot() */
	u64 tail[];			/* childmap, children, values */
};

#define LPM_SLOTS	126			/* 2 + 4 + ... + 64 */
#define LPM_SLOTS_HI	(BIT_ULL(LPM_SLOTS - 64) - 1)	/* in pfxmap[1] */
#define LPM_SN_KIDS	BIT_ULL(63)		/* in pfxmap[1] */
#define LPM_SN_CUT	BIT_ULL(62)		/* in pfxmap[1]: several blocks */
#define LPM_NONE	(~0U)			/* no slot, no entry */
#define LPM_ALL_BLOCKS	(~0U)

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
	return hweight64(map[0]) + hweight64(map[1] & LPM_SLOTS_HI);
}

static inline u64 lpm_sn_childmap(const struct vpnlb_lpm_snode *sn)
{
	return sn->pfxmap[1] & LPM_SN_KIDS ? sn->tail[0] : 0;
}

static inline struct vpnlb_lpm_snode **
lpm_sn_children(const struct vpnlb_lpm_snode *sn)
{
	return (struct vpnlb_lpm_snode **)&sn->tail[1];
}

/* Bytes before the values in a node's first block. */
static inline size_t lpm_sn_head(u64 childmap)
{
	size_t kids = hweight64(childmap) * sizeof(void *);

	if (!childmap)
		return sizeof(struct vpnlb_lpm_snode);
	return sizeof(struct vpnlb_lpm_snode) + sizeof(u64) +
	       ((kids + 7) & ~(size_t)7);
}

static const unsigned short lpm_seg_cuts[] = {
	64, 96, 128, 192, 256, 512, 1024, 2048
};

/* The slab size class of a block of up to 2 KiB. */
static inline size_t lpm_seg_class(size_t size)
{
	unsigned int k;

	if (size <= 32)
		return size <= 8 ? 8 : size <= 16 ? 16 : 32;
	for (k = 0; k < ARRAY_SIZE(lpm_seg_cuts) - 1; k++)
		if (size <= lpm_seg_cuts[k])
			break;
	return lpm_seg_cuts[k];
}

/*
 * A block of head bytes and n values that would leave much of its slab
 * object unused is cut at a smaller size class; a pointer after the head
 * leads to a block with the remaining values (laid out the same way, with
 * no head). Returns how many values the block keeps (n if not cut) and
 * puts its size in *size.
 */
static unsigned int lpm_seg_split(size_t head, unsigned int n, size_t *size)
{
	size_t s = head + n * sizeof(u32), cut = 0, rest;
	unsigned int k, keep;

	*size = s;
	if (s <= 64)
		return n;
	for (k = 0; k < ARRAY_SIZE(lpm_seg_cuts) && lpm_seg_cuts[k] < s; k++)
		cut = lpm_seg_cuts[k];
	if (k == ARRAY_SIZE(lpm_seg_cuts) || lpm_seg_cuts[k] == s ||
	    cut < head + sizeof(void *) + sizeof(u32))
		return n;
	keep = (cut - head - sizeof(void *)) / sizeof(u32);
	rest = (n - keep) * sizeof(u32);
	/* Cut only if the two blocks take less than the one would. */
	if (cut + lpm_seg_class(rest) >= lpm_seg_cuts[k])
		return n;
	*size = cut;
	return keep;
}

/* Walks the values of a node in slot order. */
struct lpm_vcursor {
	u32 *val;			/* the next one */
	unsigned int left;		/* values left in this block */
	unsigned int rest;		/* values in the blocks after it */
	char **next;			/* where the next block is */
};

static void lpm_vcursor_seek(struct lpm_vcursor *c, char *block, size_t head,
			     unsigned int n)
{
	unsigned int keep;
	size_t size;

	keep = lpm_seg_split(head, n, &size);
	c->next = (char **)(block + head);
	c->val = (u32 *)(block + head + (keep < n ? sizeof(void *) : 0));
	c->left = keep;
	c->rest = n - keep;
}

static void lpm_vcursor_init(struct lpm_vcursor *c,
			     const struct vpnlb_lpm_snode *sn)
{
	lpm_vcursor_seek(c, (char *)sn, lpm_sn_head(lpm_sn_childmap(sn)),
			 lpm_map_count(sn->pfxmap));
}

static u32 *lpm_vcursor_next(struct lpm_vcursor *c)
{
	if (!c->left)
		lpm_vcursor_seek(c, *c->next, 0, c->rest);
	c->left--;
	return c->val++;
}

/* Slab bytes of a node with head bytes before n values. */
static size_t lpm_sn_size(size_t head, unsigned int n)
{
	size_t size, bytes = 0;
	unsigned int keep;

	for (;;) {
		keep = lpm_seg_split(head, n, &size);
		bytes += vpnlb_alloc_size(size);
		if (keep == n)
			return bytes;
		n -= keep;
		head = 0;
	}
}

/* Value r (in slot order) of a shadow node. */
static u32 *lpm_sn_value(const struct vpnlb_lpm_snode *sn, unsigned int r)
{
	size_t head = lpm_sn_head(lpm_sn_childmap(sn)), size;
	char *block = (char *)sn;
	unsigned int n, keep;

	if (!(sn->pfxmap[1] & LPM_SN_CUT))
		return (u32 *)(block + head) + r;
	n = lpm_map_count(sn->pfxmap);
	for (;;) {
		keep = lpm_seg_split(head, n, &size);
		if (r < keep)
			return (u32 *)(block + head +
				       (keep < n ? sizeof(void *) : 0)) + r;
		block = *(char **)(block + head);
		r -= keep;
		n -= keep;
		head = 0;
	}
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
			return *lpm_sn_value(sn, lpm_map_rank(sn->pfxmap, slot));
	}
	return vin;
}

static struct vpnlb_lpm_snode *
lpm_schild(const struct vpnlb_lpm_snode *sn, unsigned int i)
{
	u64 map = lpm_sn_childmap(sn);

	if (!(map & BIT_ULL(i)))
		return NULL;
	return lpm_sn_children(sn)[lpm_rank(map, i)];
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
	return lpm_sn_size(lpm_sn_head(lpm_sn_childmap(sn)),
			   lpm_map_count(sn->pfxmap));
}

/* Frees the first limit blocks of a node (not its children). */
static void lpm_sn_free_blocks(struct vpnlb_lpm_snode *sn, unsigned int limit)
{
	unsigned int n = lpm_map_count(sn->pfxmap), keep;
	size_t head = lpm_sn_head(lpm_sn_childmap(sn)), size;
	char *block = (char *)sn, *next;

	for (;;) {
		keep = lpm_seg_split(head, n, &size);
		next = keep < n && limit > 1 ? *(char **)(block + head) : NULL;
		kfree(block);
		if (!next)
			return;
		limit--;
		block = next;
		n -= keep;
		head = 0;
	}
}

static void lpm_snode_free(struct vpnlb_lpm_snode *sn)
{
	unsigned int k, n = hweight64(lpm_sn_childmap(sn));

	for (k = 0; k < n; k++)
		lpm_snode_free(lpm_sn_children(sn)[k]);
	lpm_sn_free_blocks(sn, LPM_ALL_BLOCKS);
}

/*
 * A new copy of shadow node old (NULL: an empty one) with prefix slot set to
 * value (cleared if value is 0) and child i set to kid (removed if kid is
 * NULL); LPM_NONE leaves prefixes or children as they are. The children
 * themselves are shared, not copied.
 */
static struct vpnlb_lpm_snode *
lpm_sn_copy(const struct vpnlb_lpm_snode *old, unsigned int slot, u32 value,
	    unsigned int i, struct vpnlb_lpm_snode *kid, gfp_t gfp)
{
	u64 map[2] = { 0, 0 }, childmap = 0, oldkids = 0, bits;
	unsigned int n, keep, blocks = 1, b, r, s, w;
	struct vpnlb_lpm_snode *sn, **kids;
	struct lpm_vcursor from, to;
	char *block, *next;
	size_t head, size, at;

	if (old) {
		map[0] = old->pfxmap[0];
		map[1] = old->pfxmap[1] & LPM_SLOTS_HI;
		oldkids = lpm_sn_childmap(old);
	}
	if (slot != LPM_NONE) {
		if (value)
			lpm_map_set(map, slot);
		else
			lpm_map_clear(map, slot);
	}
	childmap = oldkids;
	if (i != LPM_NONE) {
		if (kid)
			childmap |= BIT_ULL(i);
		else
			childmap &= ~BIT_ULL(i);
	}
	n = lpm_map_count(map);
	head = lpm_sn_head(childmap);
	keep = lpm_seg_split(head, n, &size);
	sn = kmalloc(size, gfp);
	if (!sn)
		return NULL;
	sn->pfxmap[0] = map[0];
	sn->pfxmap[1] = map[1] | (childmap ? LPM_SN_KIDS : 0) |
			(keep < n ? LPM_SN_CUT : 0);
	if (childmap)
		sn->tail[0] = childmap;
	for (block = (char *)sn, at = head, s = n; keep < s; blocks++) {
		s -= keep;
		keep = lpm_seg_split(0, s, &size);
		next = kmalloc(size, gfp);
		if (!next) {
			lpm_sn_free_blocks(sn, blocks);
			return NULL;
		}
		*(char **)(block + at) = next;
		block = next;
		at = 0;
	}

	kids = lpm_sn_children(sn);
	for (bits = childmap, r = 0; bits; bits &= bits - 1) {
		b = __ffs64(bits);
		if (b == i)
			kids[r++] = kid;
		else
			kids[r++] = lpm_sn_children(old)[lpm_rank(oldkids, b)];
	}
	/* Both maps in slot order: the old values move over one by one. */
	lpm_vcursor_init(&to, sn);
	if (old)
		lpm_vcursor_init(&from, old);
	for (w = 0; w < 2; w++) {
		u64 had = old ? old->pfxmap[w] : 0, has = map[w];

		if (w)
			had &= LPM_SLOTS_HI;
		for (bits = had | has; bits; bits &= bits - 1) {
			u64 bit = bits & -bits;
			u32 v = 0;

			s = w * 64 + __ffs64(bits);
			if (had & bit)
				v = *lpm_vcursor_next(&from);
			if (has & bit)
				*lpm_vcursor_next(&to) = s == slot ? value : v;
		}
	}
	return sn;
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

/* Where the trie points to path[level]: its parent's child pointer. */
static struct vpnlb_lpm_snode **
lpm_sn_link(struct vpnlb_lpm *lpm, struct vpnlb_lpm_snode **path,
	    unsigned int level, u64 key)
{
	const struct vpnlb_lpm_snode *parent;
	unsigned int i;

	if (!level)
		return &lpm->shadow;
	parent = path[level - 1];
	i = lpm_index(key, (level - 1) * LPM_STRIDE);
	return &lpm_sn_children(parent)[lpm_rank(lpm_sn_childmap(parent), i)];
}

static int lpm_replace(struct vpnlb_lpm *lpm, struct vpnlb_lpm_snode *target,
		       struct lpm_change *chg, u32 value)
{
	u32 *slot = lpm_sn_value(target, lpm_map_rank(target->pfxmap,
						      chg->slot));
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
		root = lpm_sn_copy(NULL, LPM_NONE, 0, LPM_NONE, NULL,
				   GFP_KERNEL);
		if (!root)
			return -ENOMEM;
		lpm->shadow = root;
	}
	chg->def_new = value;
	err = lpm_apply(lpm, chg);
	if (err) {
		if (root) {
			lpm->shadow = NULL;
			lpm_sn_free_blocks(root, LPM_ALL_BLOCKS);
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

/*
 * A new prefix changes one shadow node, or adds a chain of them below one:
 * that node is replaced by a copy, linked in place of the original, which
 * is freed once the lookup structure is published. Nothing else changes.
 */
int vpnlb_lpm_insert(struct vpnlb_lpm *lpm, u32 prefix, unsigned int plen,
		     u32 value)
{
	struct vpnlb_lpm_snode *path[LPM_LEVELS], *chain = NULL, *target = NULL;
	struct vpnlb_lpm_snode *sn, *old = NULL, *fresh, **link;
	unsigned int level, last, nlev = 0;
	struct lpm_change chg;
	size_t bytes = 0;
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

	/* Missing shadow nodes, bottom up: linked to the trie only at the
	 * end, by the copy of their parent.
	 */
	for (level = last + 1; level-- > nlev; ) {
		if (level == last)
			sn = lpm_sn_copy(NULL, chg.slot, value, LPM_NONE, NULL,
					 GFP_KERNEL);
		else
			sn = lpm_sn_copy(NULL, LPM_NONE, 0,
					 lpm_index(chg.key, level * LPM_STRIDE),
					 chain, GFP_KERNEL);
		if (!sn)
			goto nomem;
		if (!chain)
			target = sn;
		bytes += lpm_snode_bytes(sn);
		chain = sn;
	}

	if (!chain) {
		old = path[last];
		fresh = lpm_sn_copy(old, chg.slot, value, LPM_NONE, NULL,
				    GFP_KERNEL);
		target = fresh;
		link = lpm_sn_link(lpm, path, last, chg.key);
	} else if (nlev) {
		old = path[nlev - 1];
		fresh = lpm_sn_copy(old, LPM_NONE, 0,
				    lpm_index(chg.key, (nlev - 1) * LPM_STRIDE),
				    chain, GFP_KERNEL);
		link = lpm_sn_link(lpm, path, nlev - 1, chg.key);
	} else {
		fresh = chain;
		link = &lpm->shadow;
	}
	if (!fresh)
		goto nomem;

	*link = fresh;
	chg.target = target;
	chg.new_val = value;
	err = lpm_apply(lpm, &chg);
	if (err) {
		*link = old;
		if (old)
			lpm_sn_free_blocks(fresh, LPM_ALL_BLOCKS);
		if (chain)
			lpm_snode_free(chain);
		return err;
	}
	if (old) {
		bytes += lpm_snode_bytes(fresh);
		lpm->update_bytes -= lpm_snode_bytes(old);
		lpm_sn_free_blocks(old, LPM_ALL_BLOCKS);
	}
	lpm->update_bytes += bytes;
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

/*
 * Deleting copies the node that loses the prefix, or, when that leaves
 * nodes with nothing in them, their parent without the child leading there;
 * the copy replaces the original once the lookup structure is published.
 */
int vpnlb_lpm_delete(struct vpnlb_lpm *lpm, u32 prefix, unsigned int plen)
{
	struct vpnlb_lpm_snode *path[LPM_LEVELS], *sn, *target, *old, *fresh;
	struct vpnlb_lpm_snode **link;
	unsigned int level, last, top;
	struct lpm_change chg;
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
	chg.old_val = *lpm_sn_value(target, lpm_map_rank(target->pfxmap,
							 chg.slot));
	if (lpm->count == 1)
		return lpm_delete_last(lpm, &chg);

	/* Shadow nodes left empty, path[top..last]; the root always stays. */
	top = LPM_LEVELS;
	if (last && lpm_map_count(target->pfxmap) == 1 &&
	    !lpm_sn_childmap(target)) {
		top = last;
		while (top > 1 && !lpm_map_count(path[top - 1]->pfxmap) &&
		       hweight64(lpm_sn_childmap(path[top - 1])) == 1)
			top--;
	}

	if (top == LPM_LEVELS) {
		old = target;
		fresh = lpm_sn_copy(old, chg.slot, 0, LPM_NONE, NULL, chg.gfp);
		link = lpm_sn_link(lpm, path, last, chg.key);
	} else {
		old = path[top - 1];
		fresh = lpm_sn_copy(old, LPM_NONE, 0,
				    lpm_index(chg.key, (top - 1) * LPM_STRIDE),
				    NULL, chg.gfp);
		link = lpm_sn_link(lpm, path, top - 1, chg.key);
		chg.pruned = path[top];
	}
	if (!fresh)
		return -ENOMEM;

	err = lpm_apply(lpm, &chg);
	if (err) {
		lpm_sn_free_blocks(fresh, LPM_ALL_BLOCKS);
		return err;
	}

	if (top != LPM_LEVELS) {
		for (level = top; level <= last; level++)
			lpm->update_bytes -= lpm_snode_bytes(path[level]);
		lpm_snode_free(path[top]);
	}
	lpm->update_bytes += lpm_snode_bytes(fresh);
	lpm->update_bytes -= lpm_snode_bytes(old);
	*link = fresh;
	lpm_sn_free_blocks(old, LPM_ALL_BLOCKS);
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
