// SPDX-License-Identifier: GPL-2.0-or-later
#include "ptrie.h"

#include <errno.h>
#include <stdlib.h>

static unsigned int bit_at(uint32_t key, unsigned int pos)
{
	return (key >> (31 - pos)) & 1;
}

static uint32_t mask_of(unsigned int plen)
{
	return plen ? ~0u << (32 - plen) : 0;
}

static struct ptrie_node *node_new(struct ptrie *t, uint32_t key,
				   unsigned int plen, uint32_t value)
{
	struct ptrie_node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->key = key;
	n->plen = (uint8_t)plen;
	n->value = value;
	t->nodes++;
	return n;
}

int ptrie_insert(struct ptrie *t, uint32_t key, unsigned int plen,
		 uint32_t value)
{
	struct ptrie_node **link = &t->root, *n, *m, *b;

	while ((n = *link)) {
		uint32_t diff = key ^ n->key;
		unsigned int common = diff ? (unsigned int)__builtin_clz(diff) : 32;

		if (common > plen)
			common = plen;
		if (common > n->plen)
			common = n->plen;
		if (common < n->plen) {
			m = node_new(t, key, plen, value);
			if (!m)
				return -ENOMEM;
			if (common == plen) {
				m->child[bit_at(n->key, plen)] = n;
				*link = m;
				return 0;
			}
			b = node_new(t, key & mask_of(common), common, 0);
			if (!b) {
				free(m);
				t->nodes--;
				return -ENOMEM;
			}
			b->child[bit_at(n->key, common)] = n;
			b->child[bit_at(key, common)] = m;
			*link = b;
			return 0;
		}
		if (n->plen == plen) {
			n->value = value;
			return 0;
		}
		link = &n->child[bit_at(key, n->plen)];
	}
	n = node_new(t, key, plen, value);
	if (!n)
		return -ENOMEM;
	*link = n;
	return 0;
}

int ptrie_delete(struct ptrie *t, uint32_t key, unsigned int plen)
{
	struct ptrie_node **link = &t->root, **plink = NULL, *n;

	while ((n = *link)) {
		if (n->plen > plen || ((key ^ n->key) & mask_of(n->plen)))
			return -ENOENT;
		if (n->plen == plen)
			break;
		plink = link;
		link = &n->child[bit_at(key, n->plen)];
	}
	if (!n || !n->value)
		return -ENOENT;
	n->value = 0;
	if (n->child[0] && n->child[1])
		return 0;
	*link = n->child[0] ? n->child[0] : n->child[1];
	free(n);
	t->nodes--;
	/* A branching point left with one child is spliced out too. */
	if (plink && !*link) {
		struct ptrie_node *p = *plink;

		if (!p->value) {
			*plink = p->child[0] ? p->child[0] : p->child[1];
			free(p);
			t->nodes--;
		}
	}
	return 0;
}

static void free_tree(struct ptrie_node *n)
{
	if (!n)
		return;
	free_tree(n->child[0]);
	free_tree(n->child[1]);
	free(n);
}

void ptrie_destroy(struct ptrie *t)
{
	free_tree(t->root);
	t->root = NULL;
	t->nodes = 0;
}

size_t ptrie_memory(const struct ptrie *t)
{
	/* 24-byte nodes come from the allocator's 32-byte size class. */
	return t->nodes * 32;
}
