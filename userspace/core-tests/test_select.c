// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of path selection (kmod/core/select.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "select.h"

static u64 seed = 0x5eed;

static u32 rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (u32)(seed >> 32);
}

static void test_hash_bounds(void **state)
{
	const u32 w[] = { 1, 1, 2 };
	u32 b[3];

	(void)state;
	vpnlb_sel_hash_init(b, w, 3);
	assert_int_equal(b[0], 0x1fffffff);
	assert_int_equal(b[1], 0x3fffffff);
	assert_int_equal(b[2], 0x7fffffff);
	assert_int_equal(vpnlb_sel_hash(b, 3, 0), 0);
	assert_int_equal(vpnlb_sel_hash(b, 3, 0x1fffffff), 0);
	assert_int_equal(vpnlb_sel_hash(b, 3, 0x20000000), 1);
	assert_int_equal(vpnlb_sel_hash(b, 3, 0x3fffffff), 1);
	assert_int_equal(vpnlb_sel_hash(b, 3, 0x40000000), 2);
	assert_int_equal(vpnlb_sel_hash(b, 3, 0x7fffffff), 2);
	/* Only the low 31 bits count. */
	assert_int_equal(vpnlb_sel_hash(b, 3, 0x80000000), 0);
	assert_int_equal(vpnlb_sel_hash(b, 3, 0xffffffff), 2);
}

static void test_hash_single(void **state)
{
	const u32 w[] = { 65535 };
	u32 b[1];
	int k;

	(void)state;
	vpnlb_sel_hash_init(b, w, 1);
	assert_int_equal(b[0], 0x7fffffff);
	for (k = 0; k < 1000; k++)
		assert_int_equal(vpnlb_sel_hash(b, 1, rnd()), 0);
}

/* Slice sizes are proportional to the weights, within rounding. */
static void check_proportions(const u32 *w, unsigned int n)
{
	u32 b[VPNLB_SEL_MAX];
	u64 total = 0, prev = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		total += w[i];
	vpnlb_sel_hash_init(b, w, n);
	for (i = 0; i < n; i++) {
		u64 size = (u64)b[i] + 1 - prev;
		double want = (double)w[i] * 2147483648.0 / (double)total;

		assert_true(b[i] >= prev);
		assert_true((double)size > want - 1.0 && (double)size < want + 1.0);
		assert_int_equal(vpnlb_sel_hash(b, n, (u32)prev), i);
		assert_int_equal(vpnlb_sel_hash(b, n, b[i]), i);
		prev = (u64)b[i] + 1;
	}
	assert_int_equal(b[n - 1], 0x7fffffff);
}

static void test_hash_proportions(void **state)
{
	u32 w[VPNLB_SEL_MAX];
	unsigned int i, n;

	(void)state;
	for (i = 0; i < VPNLB_SEL_MAX; i++)
		w[i] = 1;
	check_proportions(w, VPNLB_SEL_MAX);
	for (i = 0; i < VPNLB_SEL_MAX; i++)
		w[i] = 65535;
	check_proportions(w, VPNLB_SEL_MAX);
	w[0] = 1;
	check_proportions(w, VPNLB_SEL_MAX);
	for (n = 1; n <= VPNLB_SEL_MAX; n++) {
		for (i = 0; i < n; i++)
			w[i] = 1 + rnd() % 65535;
		check_proportions(w, n);
	}
}

/* Random hashes land on members in proportion to their weights. */
static void test_hash_distribution(void **state)
{
	const u32 w[] = { 3, 1, 4, 2 };
	unsigned int counts[4] = { 0 };
	u32 b[4];
	int k;

	(void)state;
	vpnlb_sel_hash_init(b, w, 4);
	for (k = 0; k < 1000000; k++)
		counts[vpnlb_sel_hash(b, 4, rnd())]++;
	for (k = 0; k < 4; k++) {
		double share = counts[k] / 1000000.0, want = w[k] / 10.0;

		assert_true(share > want - 0.005 && share < want + 0.005);
	}
}

/* A flow keeps its member when the member list is rebuilt unchanged. */
static void test_hash_stability(void **state)
{
	const u32 w[] = { 5, 7, 1, 9, 2 };
	u32 b1[5], b2[5];
	int k;

	(void)state;
	vpnlb_sel_hash_init(b1, w, 5);
	vpnlb_sel_hash_init(b2, w, 5);
	for (k = 0; k < 100000; k++) {
		u32 h = rnd();
		unsigned int m = vpnlb_sel_hash(b1, 5, h);

		assert_int_equal(m, vpnlb_sel_hash(b2, 5, h));
		assert_int_equal(m, vpnlb_sel_hash(b1, 5, h));
	}
}

/*
 * Smooth WRR: every window of W picks holds member i exactly w[i] times, the
 * state is all zeros again after W picks, and no member is ever a full pick
 * ahead of its share w[i] * k / W.
 */
static void check_wrr(const u32 *w, unsigned int n)
{
	static unsigned int seq[64 * 65535 * 2];
	unsigned int counts[VPNLB_SEL_MAX] = { 0 };
	struct vpnlb_sel_wrr st;
	u32 total = 0;
	unsigned int i, k;

	for (i = 0; i < n; i++)
		total += w[i];
	assert_true(2 * total <= sizeof(seq) / sizeof(seq[0]));
	vpnlb_sel_wrr_init(&st);
	for (k = 0; k < 2 * total; k++) {
		seq[k] = vpnlb_sel_wrr_next(&st, w, n, total);
		assert_true(seq[k] < n);
		if (k < total) {
			counts[seq[k]]++;
			for (i = 0; i < n; i++)
				assert_true((u64)counts[i] * total <
					    (u64)w[i] * (k + 1) + total);
		}
		if (k + 1 == total)
			for (i = 0; i < n; i++)
				assert_int_equal(st.credit[i], 0);
	}
	for (i = 0; i < n; i++)
		assert_int_equal(counts[i], w[i]);
	/* Periodic with period W, so every window of W is a rotation. */
	for (k = 0; k < total; k++)
		assert_int_equal(seq[k], seq[k + total]);
}

static void test_wrr_exact(void **state)
{
	const u32 w1[] = { 1 };
	const u32 w2[] = { 3, 1 };
	const u32 w3[] = { 5, 1, 1 };
	const u32 w4[] = { 65535, 1 };
	const u32 w5[] = { 65535, 65535, 3 };
	u32 w[VPNLB_SEL_MAX];
	unsigned int i, n;

	(void)state;
	check_wrr(w1, 1);
	check_wrr(w2, 2);
	check_wrr(w3, 3);
	check_wrr(w4, 2);
	check_wrr(w5, 3);
	for (i = 0; i < VPNLB_SEL_MAX; i++)
		w[i] = 1;
	check_wrr(w, VPNLB_SEL_MAX);
	for (i = 0; i < VPNLB_SEL_MAX; i++)
		w[i] = 65535;
	check_wrr(w, VPNLB_SEL_MAX);
	for (n = 1; n <= VPNLB_SEL_MAX; n += 7) {
		for (i = 0; i < n; i++)
			w[i] = 1 + rnd() % 1000;
		check_wrr(w, n);
	}
}

/* Smoothness: 5,1,1 interleaves rather than sending 5 in a row. */
static void test_wrr_smooth(void **state)
{
	const u32 w[] = { 5, 1, 1 };
	const unsigned int want[] = { 0, 0, 1, 0, 2, 0, 0 };
	struct vpnlb_sel_wrr st;
	unsigned int k;

	(void)state;
	vpnlb_sel_wrr_init(&st);
	for (k = 0; k < 7; k++)
		assert_int_equal(vpnlb_sel_wrr_next(&st, w, 3, 7), want[k]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_bounds),
		cmocka_unit_test(test_hash_single),
		cmocka_unit_test(test_hash_proportions),
		cmocka_unit_test(test_hash_distribution),
		cmocka_unit_test(test_hash_stability),
		cmocka_unit_test(test_wrr_exact),
		cmocka_unit_test(test_wrr_smooth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
