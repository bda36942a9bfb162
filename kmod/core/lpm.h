/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IPv4 longest-prefix-match table of one VPN instance.
 *
 * The same source builds in the kernel and in userspace (unit tests, fuzzing,
 * benchmarks); see core_compat.h.
 *
 * Concurrency: updates (insert, delete, destroy) are serialized by the caller;
 * lookups run concurrently with them under rcu_read_lock() and never see a
 * half-made change. Memory an update unlinks is freed after a grace period,
 * so the module's exit must rcu_barrier() after destroying its tables.
 * A failed update (-ENOMEM) leaves the table exactly as it was. Updates
 * sleep (GFP_KERNEL). Only adding a new prefix can fail: replacing a
 * prefix's value and deleting allocate with __GFP_NOFAIL (small objects),
 * so that undoing a change never fails.
 *
 * Values are opaque non-zero u32s chosen by the caller; 0 means "no match".
 * Prefixes and addresses are in host byte order.
 */
#ifndef _VPNLB_CORE_LPM_H
#define _VPNLB_CORE_LPM_H

#include "core_compat.h"

/*
 * Lookups are inline: they are the data path's hottest call. They read only
 * root and dp; the layout of what these reference is described in lpm.c.
 */
#define VPNLB_LPM_STRIDE	6	/* address bits per trie node */
#define VPNLB_LPM_DP_BITS	18	/* address bits direct pointing consumes */
#define VPNLB_LPM_REF_VALUE	1UL	/* tags of a node reference */
#define VPNLB_LPM_REF_LEAVES	2UL

/* Direct-pointing array: node references or value << 1 | REF_VALUE. */
struct vpnlb_lpm_dp {
	struct rcu_head rcu;
	unsigned long *entry;
};

struct vpnlb_lpm_snode;

struct vpnlb_lpm {
	void __rcu *root;		/* node reference; NULL: empty or dp */
	struct vpnlb_lpm_dp __rcu *dp;	/* NULL for small tables */
	/* The rest is the updater's, private to lpm.c. */
	struct vpnlb_lpm_snode *shadow;	/* NULL when the table is empty */
	size_t lookup_bytes;
	size_t update_bytes;
	unsigned int count;
	u32 default_value;		/* of 0.0.0.0/0, 0 if absent */
};

/* An empty table costs a few dozen bytes: thousands of instances are cheap. */
struct vpnlb_lpm *vpnlb_lpm_create(void);

/* Frees the table; the caller guarantees no reader can still see it. */
void vpnlb_lpm_destroy(struct vpnlb_lpm *lpm);

/* Adds prefix/plen -> value, or replaces the value of an existing prefix.
 * Returns 0, -EINVAL (plen > 32, host bits set, value 0) or -ENOMEM.
 */
int vpnlb_lpm_insert(struct vpnlb_lpm *lpm, u32 prefix, unsigned int plen,
		     u32 value);

/* Removes prefix/plen. Returns 0 or -ENOENT. */
int vpnlb_lpm_delete(struct vpnlb_lpm *lpm, u32 prefix, unsigned int plen);

/* Walks from node ref; key holds the address bits not consumed yet. */
static inline u32 vpnlb_lpm_walk(unsigned long ref, u64 key)
{
	const u64 *hdr;
	u64 bit, vector;

	for (;;) {
		hdr = (const u64 *)(ref & ~VPNLB_LPM_REF_LEAVES);
		bit = BIT_ULL(key >> (64 - VPNLB_LPM_STRIDE));
		if (ref & VPNLB_LPM_REF_LEAVES)
			break;
		vector = hdr[1];
		if (!(vector & bit))
			break;
		ref = ((const unsigned long *)(hdr + 2))[hweight64(vector &
								   (bit - 1))];
		key <<= VPNLB_LPM_STRIDE;
	}
	/* Leaf k is the k-th u32 below the header; (bit << 1) - 1 is all
	 * ones for entry 63 as the shift wraps to 0.
	 */
	return ((const u32 *)hdr)[-(long)hweight64(hdr[0] & ((bit << 1) - 1))];
}

/* Value of the longest prefix that covers addr, 0 if none. RCU reader. */
static inline u32 vpnlb_lpm_lookup(const struct vpnlb_lpm *lpm, u32 addr)
{
	const struct vpnlb_lpm_dp *dp = rcu_dereference(lpm->dp);
	unsigned long ref;

	if (dp) {
		ref = READ_ONCE(dp->entry[addr >> (32 - VPNLB_LPM_DP_BITS)]);
		if (ref & VPNLB_LPM_REF_VALUE)
			return (u32)(ref >> 1);
		/* The leaves sit below the header, often in the line before:
		 * fetch it while the header loads.
		 */
		prefetch((const char *)ref - 64);
		return vpnlb_lpm_walk(ref, (u64)addr << (32 + VPNLB_LPM_DP_BITS));
	}
	ref = (unsigned long)rcu_dereference(lpm->root);
	if (unlikely(!ref))
		return 0;
	return vpnlb_lpm_walk(ref, (u64)addr << 32);
}

/* Bytes the table holds now (nodes and leaves), for counters and benches. */
size_t vpnlb_lpm_memory(const struct vpnlb_lpm *lpm);

/* Of those, the bytes lookups walk; the rest is the updater's prefix index.
 * Both count slab size classes and are 0 for an empty table.
 */
size_t vpnlb_lpm_memory_lookup(const struct vpnlb_lpm *lpm);

/* Number of prefixes in the table. */
unsigned int vpnlb_lpm_count(const struct vpnlb_lpm *lpm);

/* Tables with at least this many prefixes get a 2 MiB direct-pointing array
 * for the top 18 address bits (dropped below 3/4 of it). Tests lower it.
 */
extern unsigned int vpnlb_lpm_direct_min;

#endif /* _VPNLB_CORE_LPM_H */
