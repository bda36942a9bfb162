/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Intrusive chained hash table: entries embed a struct hnode; the table
 * doubles when the load passes 1. Lookups take a match callback.
 */
#ifndef VPNLBD_HASHTAB_H
#define VPNLBD_HASHTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hnode {
	struct hnode *next;
	uint32_t hash;
};

struct htab {
	struct hnode **buckets;
	size_t mask;		/* bucket count - 1 */
	size_t count;
};

typedef bool (*htab_match_fn)(const struct hnode *node, const void *key);

bool htab_init(struct htab *t, size_t initial_buckets);
void htab_destroy(struct htab *t);	/* frees the buckets, not entries */
struct hnode *htab_find(const struct htab *t, uint32_t hash,
			htab_match_fn match, const void *key);
void htab_insert(struct htab *t, struct hnode *node, uint32_t hash);
void htab_remove(struct htab *t, struct hnode *node);
/* Calls fn on every entry; fn may remove the entry it is given. */
void htab_foreach(struct htab *t, void (*fn)(struct hnode *node, void *arg),
		  void *arg);

uint32_t hash_bytes(const void *data, size_t len, uint32_t seed);
uint32_t hash_u64(uint64_t v);

#endif /* VPNLBD_HASHTAB_H */
