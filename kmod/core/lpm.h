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

struct vpnlb_lpm;

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

/* Value of the longest prefix that covers addr, 0 if none. RCU reader. */
u32 vpnlb_lpm_lookup(const struct vpnlb_lpm *lpm, u32 addr);

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
