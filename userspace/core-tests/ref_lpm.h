/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reference longest-prefix match: one hash table per prefix length, looked
 * up from /32 down to /0. Obviously correct, used to check the trie.
 */
#ifndef VPNLB_REF_LPM_H
#define VPNLB_REF_LPM_H

#include <stddef.h>
#include <stdint.h>

struct ref_lpm;

struct ref_lpm *ref_lpm_create(void);
void ref_lpm_destroy(struct ref_lpm *ref);
/* Sets prefix/plen to value (non-zero); returns 1 if it was new, 0 if replaced. */
int ref_lpm_set(struct ref_lpm *ref, uint32_t prefix, unsigned int plen,
		uint32_t value);
/* Returns the removed value, 0 if absent. */
uint32_t ref_lpm_remove(struct ref_lpm *ref, uint32_t prefix,
			unsigned int plen);
/* Value of prefix/plen exactly, 0 if absent. */
uint32_t ref_lpm_get(const struct ref_lpm *ref, uint32_t prefix,
		     unsigned int plen);
uint32_t ref_lpm_lookup(const struct ref_lpm *ref, uint32_t addr);
size_t ref_lpm_count(const struct ref_lpm *ref);

#endif
