/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Baseline for the LPM benchmark: a plain path-compressed binary trie
 * (one node per prefix or branching point, one bit tested per node).
 */
#ifndef VPNLB_BENCH_PTRIE_H
#define VPNLB_BENCH_PTRIE_H

#include <stddef.h>
#include <stdint.h>

struct ptrie_node {
	uint32_t key;
	uint8_t plen;
	uint32_t value;			/* 0: branching point only */
	struct ptrie_node *child[2];
};

struct ptrie {
	struct ptrie_node *root;
	size_t nodes;
};

int ptrie_insert(struct ptrie *t, uint32_t key, unsigned int plen,
		 uint32_t value);
int ptrie_delete(struct ptrie *t, uint32_t key, unsigned int plen);
void ptrie_destroy(struct ptrie *t);
size_t ptrie_memory(const struct ptrie *t);

static inline uint32_t ptrie_lookup(const struct ptrie *t, uint32_t addr)
{
	const struct ptrie_node *n = t->root;
	uint32_t best = 0;

	while (n) {
		if (n->plen && ((addr ^ n->key) >> (32 - n->plen)))
			break;
		if (n->value)
			best = n->value;
		if (n->plen == 32)
			break;
		n = n->child[(addr >> (31 - n->plen)) & 1];
	}
	return best;
}

#endif
