// SPDX-License-Identifier: GPL-2.0
/*
 * Path selection: weighted hash-threshold per flow, smooth weighted
 * round-robin per packet. See select.h for the guarantees.
 */
#include "select.h"

#define SEL_HASH_SPACE	BIT_ULL(31)

void vpnlb_sel_hash_init(u32 *bounds, const u32 *weights, unsigned int n)
{
	u64 total = 0, sum = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		total += weights[i];
	/* Weights are at least 1 and at most 64 * 65535 in total, so every
	 * slice holds at least 2^31 / 2^22 hashes and none is empty.
	 */
	for (i = 0; i < n; i++) {
		sum += weights[i];
		bounds[i] = (u32)(sum * SEL_HASH_SPACE / total - 1);
	}
}

unsigned int vpnlb_sel_hash(const u32 *bounds, unsigned int n, u32 hash)
{
	unsigned int lo = 0, hi = n - 1;

	hash &= SEL_HASH_SPACE - 1;
	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (hash <= bounds[mid])
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

void vpnlb_sel_wrr_init(struct vpnlb_sel_wrr *st)
{
	memset(st->credit, 0, sizeof(st->credit));
}

/*
 * Every member gains its weight, the one furthest ahead is chosen and pays
 * back the total. The state returns to all zeros after each W packets, which
 * is what makes every window of W packets hold exactly weight[i] of member i.
 */
unsigned int vpnlb_sel_wrr_next(struct vpnlb_sel_wrr *st, const u32 *weights,
				unsigned int n, u32 total)
{
	unsigned int i, best = 0;

	for (i = 0; i < n; i++) {
		st->credit[i] += (s32)weights[i];
		if (st->credit[i] > st->credit[best])
			best = i;
	}
	st->credit[best] -= (s32)total;
	return best;
}
