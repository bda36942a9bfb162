// SPDX-License-Identifier: GPL-2.0-or-later
#include "ref_lpm.h"

#include <stdlib.h>

struct ref_slot {
	uint32_t prefix;
	uint32_t value;		/* 0: empty slot */
};

struct ref_table {
	struct ref_slot *slots;
	size_t mask;		/* capacity - 1, capacity a power of two */
	size_t count;
};

struct ref_lpm {
	struct ref_table len[33];
	size_t count;
};

static size_t ref_hash(uint32_t prefix, size_t mask)
{
	return (size_t)((prefix * 0x9e3779b1u) ^ (prefix >> 16)) & mask;
}

static uint32_t ref_mask(unsigned int plen)
{
	return plen ? ~0u << (32 - plen) : 0;
}

static struct ref_slot *ref_find(const struct ref_table *t, uint32_t prefix)
{
	size_t i;

	if (!t->count)
		return NULL;
	for (i = ref_hash(prefix, t->mask); t->slots[i].value;
	     i = (i + 1) & t->mask)
		if (t->slots[i].prefix == prefix)
			return &t->slots[i];
	return NULL;
}

static void ref_put(struct ref_table *t, uint32_t prefix, uint32_t value)
{
	size_t i = ref_hash(prefix, t->mask);

	while (t->slots[i].value)
		i = (i + 1) & t->mask;
	t->slots[i].prefix = prefix;
	t->slots[i].value = value;
	t->count++;
}

static void ref_grow(struct ref_table *t)
{
	struct ref_table n = { .mask = t->slots ? t->mask * 2 + 1 : 15 };
	size_t i;

	n.slots = calloc(n.mask + 1, sizeof(*n.slots));
	if (!n.slots)
		abort();
	for (i = 0; t->slots && i <= t->mask; i++)
		if (t->slots[i].value)
			ref_put(&n, t->slots[i].prefix, t->slots[i].value);
	free(t->slots);
	*t = n;
}

struct ref_lpm *ref_lpm_create(void)
{
	struct ref_lpm *ref = calloc(1, sizeof(*ref));

	if (!ref)
		abort();
	return ref;
}

void ref_lpm_destroy(struct ref_lpm *ref)
{
	unsigned int l;

	for (l = 0; l <= 32; l++)
		free(ref->len[l].slots);
	free(ref);
}

int ref_lpm_set(struct ref_lpm *ref, uint32_t prefix, unsigned int plen,
		uint32_t value)
{
	struct ref_table *t = &ref->len[plen];
	struct ref_slot *s = ref_find(t, prefix);

	if (s) {
		s->value = value;
		return 0;
	}
	if (!t->slots || (t->count + 1) * 2 > t->mask + 1)
		ref_grow(t);
	ref_put(t, prefix, value);
	ref->count++;
	return 1;
}

uint32_t ref_lpm_remove(struct ref_lpm *ref, uint32_t prefix,
			unsigned int plen)
{
	struct ref_table *t = &ref->len[plen];
	struct ref_slot *s = ref_find(t, prefix);
	size_t hole, i;
	uint32_t old;

	if (!s)
		return 0;
	old = s->value;
	/* Backward-shift deletion keeps linear probing without tombstones. */
	hole = (size_t)(s - t->slots);
	t->slots[hole].value = 0;
	for (i = (hole + 1) & t->mask; t->slots[i].value;
	     i = (i + 1) & t->mask) {
		size_t home = ref_hash(t->slots[i].prefix, t->mask);

		if (((i - home) & t->mask) >= ((i - hole) & t->mask)) {
			t->slots[hole] = t->slots[i];
			t->slots[i].value = 0;
			hole = i;
		}
	}
	t->count--;
	ref->count--;
	return old;
}

uint32_t ref_lpm_get(const struct ref_lpm *ref, uint32_t prefix,
		     unsigned int plen)
{
	const struct ref_slot *s = ref_find(&ref->len[plen], prefix);

	return s ? s->value : 0;
}

uint32_t ref_lpm_lookup(const struct ref_lpm *ref, uint32_t addr)
{
	int l;

	for (l = 32; l >= 0; l--) {
		const struct ref_slot *s = ref_find(&ref->len[l],
						    addr & ref_mask((unsigned int)l));

		if (s)
			return s->value;
	}
	return 0;
}

size_t ref_lpm_count(const struct ref_lpm *ref)
{
	return ref->count;
}
