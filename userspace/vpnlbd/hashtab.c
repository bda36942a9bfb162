// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdlib.h>

#include "hashtab.h"

bool htab_init(struct htab *t, size_t initial_buckets)
{
	size_t n = 16;

	while (n < initial_buckets)
		n <<= 1;
	t->buckets = calloc(n, sizeof(*t->buckets));
	t->mask = n - 1;
	t->count = 0;
	return t->buckets != NULL;
}

void htab_destroy(struct htab *t)
{
	free(t->buckets);
	t->buckets = NULL;
	t->count = 0;
}

struct hnode *htab_find(const struct htab *t, uint32_t hash,
			htab_match_fn match, const void *key)
{
	for (struct hnode *n = t->buckets[hash & t->mask]; n; n = n->next)
		if (n->hash == hash && match(n, key))
			return n;
	return NULL;
}

static void grow(struct htab *t)
{
	size_t n = (t->mask + 1) * 2;
	struct hnode **b = calloc(n, sizeof(*b));

	if (!b)
		return;		/* stays correct, only slower */
	for (size_t i = 0; i <= t->mask; i++) {
		struct hnode *node = t->buckets[i];

		while (node) {
			struct hnode *next = node->next;

			node->next = b[node->hash & (n - 1)];
			b[node->hash & (n - 1)] = node;
			node = next;
		}
	}
	free(t->buckets);
	t->buckets = b;
	t->mask = n - 1;
}

void htab_insert(struct htab *t, struct hnode *node, uint32_t hash)
{
	if (t->count > t->mask)
		grow(t);
	node->hash = hash;
	node->next = t->buckets[hash & t->mask];
	t->buckets[hash & t->mask] = node;
	t->count++;
}

void htab_remove(struct htab *t, struct hnode *node)
{
	struct hnode **pp = &t->buckets[node->hash & t->mask];

	for (; *pp; pp = &(*pp)->next) {
		if (*pp == node) {
			*pp = node->next;
			t->count--;
			return;
		}
	}
}

void htab_foreach(struct htab *t, void (*fn)(struct hnode *node, void *arg),
		  void *arg)
{
	for (size_t i = 0; i <= t->mask; i++) {
		struct hnode *n = t->buckets[i];

		while (n) {
			struct hnode *next = n->next;

			fn(n, arg);
			n = next;
		}
	}
}

uint32_t hash_bytes(const void *data, size_t len, uint32_t seed)
{
	const uint8_t *p = data;
	uint32_t h = 2166136261u ^ seed;	/* FNV-1a */

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 16777619u;
	}
	return h;
}

uint32_t hash_u64(uint64_t v)
{
	/* splitmix64 finaliser */
	v ^= v >> 30;
	v *= 0xbf58476d1ce4e5b9ull;
	v ^= v >> 27;
	v *= 0x94d049bb133111ebull;
	v ^= v >> 31;
	return (uint32_t)v;
}
