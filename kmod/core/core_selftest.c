// SPDX-License-Identifier: GPL-2.0
/*
 * FIB core self-test: random prefixes are inserted, replaced and removed in
 * the LPM and in a naive list of prefixes; every lookup must agree. Then
 * hash-threshold and smooth WRR are checked against their guarantees.
 */
#include "core_selftest.h"
#include "lpm.h"
#include "select.h"

#define ST_PREFIXES	512
#define ST_PROBES	4096

struct st_prefix {
	u32 prefix;
	u8 plen;
	u32 value;
};

static u32 st_mask(unsigned int plen)
{
	return plen ? U32_MAX << (32 - plen) : 0;
}

/* The naive table: the longest matching entry wins. */
static u32 st_naive_lookup(const struct st_prefix *tbl, unsigned int n,
			   u32 addr)
{
	unsigned int i;
	int best = -1;
	u32 value = 0;

	for (i = 0; i < n; i++) {
		if ((addr & st_mask(tbl[i].plen)) != tbl[i].prefix)
			continue;
		if ((int)tbl[i].plen > best) {
			best = tbl[i].plen;
			value = tbl[i].value;
		}
	}
	return value;
}

static int st_find(const struct st_prefix *tbl, unsigned int n, u32 prefix,
		   unsigned int plen)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (tbl[i].prefix == prefix && tbl[i].plen == plen)
			return i;
	return -1;
}

static void st_random_prefix(u32 *prefix, unsigned int *plen)
{
	/* Clustered prefixes so that they nest and share nodes. */
	u32 addr = get_random_u32(), kind = get_random_u32_below(3);

	if (kind == 1)
		addr = (addr & 0x0003ffff) | 0x0a000000;
	*plen = get_random_u32_below(4) ? 16 + get_random_u32_below(17) :
					  get_random_u32_below(33);
	/* Packed into one /12: shadow nodes with many prefixes and
	 * children, whose values span several blocks.
	 */
	if (kind == 2) {
		addr = (addr & 0x000fffff) | 0x0b000000;
		*plen = 13 + get_random_u32_below(12);
	}
	*prefix = addr & st_mask(*plen);
}

static int st_compare(const struct vpnlb_lpm *lpm,
		      const struct st_prefix *tbl, unsigned int n,
		      const char *stage)
{
	unsigned int k;

	for (k = 0; k < ST_PROBES; k++) {
		u32 addr = get_random_u32();
		u32 got, want;

		if (n && (k & 1)) {
			const struct st_prefix *p = &tbl[get_random_u32_below(n)];

			addr = p->prefix | (addr & ~st_mask(p->plen));
		}
		rcu_read_lock();
		got = vpnlb_lpm_lookup(lpm, addr);
		rcu_read_unlock();
		want = st_naive_lookup(tbl, n, addr);
		if (got != want) {
			pr_err("vpnlb selftest: %s: lookup %08x gave %u, want %u\n",
			       stage, addr, got, want);
			return -EINVAL;
		}
	}
	return 0;
}

static int st_lpm_run(struct vpnlb_lpm *lpm, struct st_prefix *tbl)
{
	unsigned int n = 0, k, plen;
	u32 prefix, value;
	int err, i;

	/* Inserts, and replaces when a random prefix is already there. */
	for (k = 0; k < ST_PREFIXES; k++) {
		st_random_prefix(&prefix, &plen);
		value = 1 + get_random_u32_below(1000);
		err = vpnlb_lpm_insert(lpm, prefix, plen, value);
		if (err)
			return err;
		i = st_find(tbl, n, prefix, plen);
		if (i < 0) {
			i = n++;
			tbl[i].prefix = prefix;
			tbl[i].plen = plen;
		}
		tbl[i].value = value;
	}
	err = st_compare(lpm, tbl, n, "insert");
	if (err)
		return err;

	if (vpnlb_lpm_insert(lpm, 0x0a000001, 8, 1) != -EINVAL ||
	    vpnlb_lpm_insert(lpm, 0, 33, 1) != -EINVAL ||
	    vpnlb_lpm_insert(lpm, 0, 0, 0) != -EINVAL) {
		pr_err("vpnlb selftest: invalid prefix accepted\n");
		return -EINVAL;
	}

	/* Replace the values of a quarter of the prefixes. */
	for (k = 0; k < n / 4; k++) {
		i = get_random_u32_below(n);
		tbl[i].value = 1 + get_random_u32_below(1000);
		err = vpnlb_lpm_insert(lpm, tbl[i].prefix, tbl[i].plen,
				       tbl[i].value);
		if (err)
			return err;
	}
	err = st_compare(lpm, tbl, n, "replace");
	if (err)
		return err;

	/* Remove half of them, checking as the covers come back. */
	for (k = 0; n && k < ST_PREFIXES / 2; k++) {
		i = get_random_u32_below(n);
		err = vpnlb_lpm_delete(lpm, tbl[i].prefix, tbl[i].plen);
		if (err)
			return err;
		if (vpnlb_lpm_delete(lpm, tbl[i].prefix, tbl[i].plen) != -ENOENT) {
			pr_err("vpnlb selftest: removed prefix still there\n");
			return -EINVAL;
		}
		tbl[i] = tbl[--n];
		if (k % 64 == 0) {
			err = st_compare(lpm, tbl, n, "remove");
			if (err)
				return err;
		}
		cond_resched();
	}
	err = st_compare(lpm, tbl, n, "remove");
	if (err)
		return err;

	while (n) {
		n--;
		err = vpnlb_lpm_delete(lpm, tbl[n].prefix, tbl[n].plen);
		if (err)
			return err;
	}
	err = st_compare(lpm, tbl, 0, "empty");
	if (err)
		return err;
	if (vpnlb_lpm_memory(lpm) || vpnlb_lpm_count(lpm)) {
		pr_err("vpnlb selftest: empty table still holds memory or routes\n");
		return -EINVAL;
	}
	return 0;
}

static int st_lpm(void)
{
	struct st_prefix *tbl;
	struct vpnlb_lpm *lpm;
	int err;

	tbl = kmalloc_array(ST_PREFIXES, sizeof(*tbl), GFP_KERNEL);
	lpm = vpnlb_lpm_create();
	err = tbl && lpm ? st_lpm_run(lpm, tbl) : -ENOMEM;
	vpnlb_lpm_destroy(lpm);
	kfree(tbl);
	return err;
}

static int st_select(void)
{
	static const u32 weights[] = { 1, 3, 65535, 2, 1 };
	const unsigned int n = ARRAY_SIZE(weights);
	unsigned int counts[ARRAY_SIZE(weights)] = { 0 };
	struct vpnlb_sel_wrr *wrr;
	u32 bounds[ARRAY_SIZE(weights)], total = 0, k;
	unsigned int i;

	for (i = 0; i < n; i++)
		total += weights[i];
	vpnlb_sel_hash_init(bounds, weights, n);
	if (bounds[n - 1] != 0x7fffffff || vpnlb_sel_hash(bounds, n, 0) != 0 ||
	    vpnlb_sel_hash(bounds, n, U32_MAX) != n - 1) {
		pr_err("vpnlb selftest: hash-threshold bounds wrong\n");
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		if (vpnlb_sel_hash(bounds, n, bounds[i]) != i ||
		    (i + 1 < n && vpnlb_sel_hash(bounds, n, bounds[i] + 1) != i + 1)) {
			pr_err("vpnlb selftest: hash-threshold slice %u wrong\n", i);
			return -EINVAL;
		}
	}

	wrr = kmalloc(sizeof(*wrr), GFP_KERNEL);
	if (!wrr)
		return -ENOMEM;
	vpnlb_sel_wrr_init(wrr);
	for (k = 0; k < 2 * total; k++)
		counts[vpnlb_sel_wrr_next(wrr, weights, n, total)]++;
	for (i = 0; i < n; i++) {
		if (counts[i] != 2 * weights[i]) {
			pr_err("vpnlb selftest: wrr member %u got %u of %u\n",
			       i, counts[i], 2 * weights[i]);
			kfree(wrr);
			return -EINVAL;
		}
	}
	kfree(wrr);
	return 0;
}

int vpnlb_core_selftest(void)
{
	unsigned int direct_min = vpnlb_lpm_direct_min;
	int err;

	err = st_lpm();
	if (!err) {
		/* Again with direct pointing; no other table exists yet. */
		vpnlb_lpm_direct_min = ST_PREFIXES / 8;
		err = st_lpm();
		vpnlb_lpm_direct_min = direct_min;
	}
	if (!err)
		err = st_select();
	if (err)
		pr_err("vpnlb selftest: FIB core self-test failed: %d\n", err);
	else
		pr_info("vpnlb selftest: FIB core self-test passed\n");
	return err;
}
