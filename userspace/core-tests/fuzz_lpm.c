// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the input is a program of insert, delete and lookup
 * operations (with allocation failures injected) run against the trie and
 * the reference table; any disagreement aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lpm.h"
#include "ref_lpm.h"

static u32 mask(unsigned int plen)
{
	return plen ? ~0u << (32 - plen) : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vpnlb_lpm *lpm = vpnlb_lpm_create();
	struct ref_lpm *ref = ref_lpm_create();
	u32 base = 0;

	if (!lpm)
		abort();
	/* Inputs starting with an odd byte use direct pointing from 4 prefixes. */
	vpnlb_lpm_direct_min = size && (data[0] & 1) ? 4 : 262144;
	/* Each operation: 1 opcode byte, 4 address bytes. */
	while (size >= 5) {
		u8 op = data[0];
		u32 a;
		unsigned int plen = (op >> 2) % 33;

		memcpy(&a, data + 1, 4);
		data += 5;
		size -= 5;
		/* Keep addresses near each other so prefixes nest. */
		if (op & 0x80)
			a = base ^ (a & 0x0000ffff);
		else
			base = a;
		switch (op & 3) {
		case 0:
		case 1: {
			u32 v = 1 + (a % 13);
			size_t mem = vpnlb_lpm_memory(lpm);
			int err;

			vpnlb_compat_fail_after = (op & 1) ? (long)(a % 8) : -1;
			err = vpnlb_lpm_insert(lpm, a & mask(plen), plen, v);
			vpnlb_compat_fail_after = -1;
			if (err == -ENOMEM) {
				if (vpnlb_lpm_memory(lpm) != mem)
					abort();
				break;
			}
			if (err)
				abort();
			ref_lpm_set(ref, a & mask(plen), plen, v);
			break;
		}
		case 2: {
			int err = vpnlb_lpm_delete(lpm, a & mask(plen), plen);
			u32 old = ref_lpm_remove(ref, a & mask(plen), plen);

			if ((err == 0) != (old != 0) || (err && err != -ENOENT))
				abort();
			break;
		}
		default:
			if (vpnlb_lpm_lookup(lpm, a) != ref_lpm_lookup(ref, a))
				abort();
			break;
		}
		if (vpnlb_lpm_count(lpm) != ref_lpm_count(ref))
			abort();
		if (vpnlb_lpm_lookup(lpm, a) != ref_lpm_lookup(ref, a) ||
		    vpnlb_lpm_lookup(lpm, a ^ 1) != ref_lpm_lookup(ref, a ^ 1) ||
		    vpnlb_lpm_lookup(lpm, ~a) != ref_lpm_lookup(ref, ~a))
			abort();
	}
	if (!vpnlb_lpm_count(lpm) && vpnlb_lpm_memory(lpm))
		abort();
	vpnlb_lpm_destroy(lpm);
	ref_lpm_destroy(ref);
	return 0;
}
