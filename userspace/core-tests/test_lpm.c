// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the FIB core's longest-prefix match (kmod/core/lpm.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core_selftest.h"
#include "lpm.h"
#include "ref_lpm.h"

#define IP(a, b, c, d)	((u32)(a) << 24 | (u32)(b) << 16 | (u32)(c) << 8 | (u32)(d))

static const char *table_path = "../../../shared/data/full-table-ipv4.txt.gz";

static u64 seed;
static unsigned int default_direct_min;

static u32 rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (u32)(seed >> 32);
}

static u32 mask(unsigned int plen)
{
	return plen ? ~0u << (32 - plen) : 0;
}

static void test_empty(void **state)
{
	struct vpnlb_lpm *lpm = vpnlb_lpm_create();

	(void)state;
	assert_non_null(lpm);
	assert_int_equal(vpnlb_lpm_lookup(lpm, 0), 0);
	assert_int_equal(vpnlb_lpm_lookup(lpm, IP(10, 1, 2, 3)), 0);
	assert_int_equal(vpnlb_lpm_lookup(lpm, 0xffffffff), 0);
	assert_int_equal(vpnlb_lpm_memory(lpm), 0);
	assert_int_equal(vpnlb_lpm_count(lpm), 0);
	assert_int_equal(vpnlb_lpm_delete(lpm, IP(10, 0, 0, 0), 8), -ENOENT);
	assert_int_equal(vpnlb_lpm_delete(lpm, 0, 0), -ENOENT);
	vpnlb_lpm_destroy(lpm);
}

static void test_invalid(void **state)
{
	struct vpnlb_lpm *lpm = vpnlb_lpm_create();

	(void)state;
	assert_int_equal(vpnlb_lpm_insert(lpm, IP(10, 0, 0, 1), 8, 5), -EINVAL);
	assert_int_equal(vpnlb_lpm_insert(lpm, IP(10, 0, 0, 0), 33, 5), -EINVAL);
	assert_int_equal(vpnlb_lpm_insert(lpm, IP(10, 0, 0, 0), 8, 0), -EINVAL);
	assert_int_equal(vpnlb_lpm_insert(lpm, IP(0, 0, 0, 1), 0, 5), -EINVAL);
	assert_int_equal(vpnlb_lpm_insert(lpm, IP(10, 0, 0, 1), 31, 5), -EINVAL);
	assert_int_equal(vpnlb_lpm_count(lpm), 0);
	assert_int_equal(vpnlb_lpm_memory(lpm), 0);
	assert_int_equal(vpnlb_lpm_insert(lpm, IP(10, 0, 0, 0), 8, 5), 0);
	assert_int_equal(vpnlb_lpm_delete(lpm, IP(10, 0, 0, 1), 8), -ENOENT);
	assert_int_equal(vpnlb_lpm_delete(lpm, IP(10, 0, 0, 0), 33), -ENOENT);
	assert_int_equal(vpnlb_lpm_delete(lpm, IP(10, 0, 0, 0), 9), -ENOENT);
	assert_int_equal(vpnlb_lpm_delete(lpm, IP(10, 0, 0, 0), 7), -ENOENT);
	assert_int_equal(vpnlb_lpm_lookup(lpm, IP(10, 9, 9, 9)), 5);
	assert_int_equal(vpnlb_lpm_count(lpm), 1);
	vpnlb_lpm_destroy(lpm);
}

static void test_default_route(void **state)
{
	struct vpnlb_lpm *lpm = vpnlb_lpm_create();

	(void)state;
	assert_int_equal(vpnlb_lpm_insert(lpm, 0, 0, 7), 0);
	assert_int_equal(vpnlb_lpm_lookup(lpm, 0), 7);
	assert_int_equal(vpnlb_lpm_lookup(lpm, 0xffffffff), 7);
	assert_int_equal(vpnlb_lpm_lookup(lpm, IP(192, 0, 2, 1)), 7);
	assert_int_equal(vpnlb_lpm_insert(lpm, IP(192, 0, 2, 0), 24, 9), 0);
	assert_int_equal(vpnlb_lpm_lookup(lpm, IP(192, 0, 2, 1)), 9);
	assert_int_equal(vpnlb_lpm_lookup(lpm, IP(192, 0, 3, 1)), 7);
	/* Replacing /0 changes what every uncovered address gets. */
	assert_int_equal(vpnlb_lpm_insert(lpm, 0, 0, 8), 0);
	assert_int_equal(vpnlb_lpm_lookup(lpm, IP(192, 0, 3, 1)), 8);
	assert_int_equal(vpnlb_lpm_lookup(lpm, IP(192, 0, 2, 255)), 9);
	assert_int_equal(vpnlb_lpm_count(lpm), 2);
	assert_int_equal(vpnlb_lpm_delete(lpm, 0, 0), 0);
	assert_int_equal(vpnlb_lpm_delete(lpm, 0, 0), -ENOENT);
	assert_int_equal(vpnlb_lpm_lookup(lpm, IP(192, 0, 3, 1)), 0);
	assert_int_equal(vpnlb_lpm_lookup(lpm, IP(192, 0, 2, 0)), 9);
	assert_int_equal(vpnlb_lpm_delete(lpm, IP(192, 0, 2, 0), 24), 0);
	assert_int_equal(vpnlb_lpm_lookup(lpm, IP(192, 0, 2, 0)), 0);
	assert_int_equal(vpnlb_lpm_memory(lpm), 0);
	vpnlb_lpm_destroy(lpm);
}

static void test_host_routes(void **state)
{
	struct vpnlb_lpm *lpm = vpnlb_lpm_create();

	(void)state;
	assert_int_equal(vpnlb_lpm_insert(lpm, IP(10, 0, 0, 1), 32, 1), 0);
	assert_int_equal(vpnlb_lpm_insert(lpm, IP(10, 0, 0, 2), 31, 2), 0);
	assert_int_equal(vpnlb_lpm_insert(lpm, 0xffffffff, 32, 3), 0);
	assert_int_equal(vpnlb_lpm_insert(lpm, 0, 32, 4), 0);
	assert_int_equal(vpnlb_lpm_lookup(lpm, IP(10, 0, 0, 0)), 0);
	assert_int_equal(vpnlb_lpm_lookup(lpm, IP(10, 0, 0, 1)), 1);
	assert_int_equal(vpnlb_lpm_lookup(lpm, IP(10, 0, 0, 2)), 2);
	assert_int_equal(vpnlb_lpm_lookup(lpm, IP(10, 0, 0, 3)), 2);
	assert_int_equal(vpnlb_lpm_lookup(lpm, IP(10, 0, 0, 4)), 0);
	assert_int_equal(vpnlb_lpm_lookup(lpm, 0xffffffff), 3);
	assert_int_equal(vpnlb_lpm_lookup(lpm, 0xfffffffe), 0);
	assert_int_equal(vpnlb_lpm_lookup(lpm, 0), 4);
	assert_int_equal(vpnlb_lpm_lookup(lpm, 1), 0);
	vpnlb_lpm_destroy(lpm);
}

/* Every prefix length on one path, each covering the next. */
static void test_nested(void **state)
{
	struct vpnlb_lpm *lpm = vpnlb_lpm_create();
	const u32 addr = IP(172, 16, 93, 77);
	unsigned int plen;

	(void)state;
	for (plen = 0; plen <= 32; plen++)
		assert_int_equal(vpnlb_lpm_insert(lpm, addr & mask(plen), plen,
						  100 + plen), 0);
	assert_int_equal(vpnlb_lpm_count(lpm), 33);
	for (plen = 0; plen <= 32; plen++) {
		/* The address that leaves the path just after plen bits. */
		u32 other = plen < 32 ? addr ^ (1u << (31 - plen)) : addr;

		assert_int_equal(vpnlb_lpm_lookup(lpm, other), 100 + plen);
	}
	/* Deleting a covered prefix restores its cover. */
	for (plen = 32; plen > 0; plen--) {
		assert_int_equal(vpnlb_lpm_delete(lpm, addr & mask(plen), plen), 0);
		assert_int_equal(vpnlb_lpm_lookup(lpm, addr), 100 + plen - 1);
	}
	assert_int_equal(vpnlb_lpm_delete(lpm, 0, 0), 0);
	assert_int_equal(vpnlb_lpm_lookup(lpm, addr), 0);
	assert_int_equal(vpnlb_lpm_memory(lpm), 0);
	/* And from the top down: deleting a cover leaves the longer ones. */
	for (plen = 0; plen <= 32; plen++)
		assert_int_equal(vpnlb_lpm_insert(lpm, addr & mask(plen), plen,
						  100 + plen), 0);
	for (plen = 0; plen < 32; plen++) {
		assert_int_equal(vpnlb_lpm_delete(lpm, addr & mask(plen), plen), 0);
		assert_int_equal(vpnlb_lpm_lookup(lpm, addr), 132);
		if (plen < 31)
			assert_int_equal(vpnlb_lpm_lookup(lpm, addr ^ (1u << (30 - plen))),
					 100 + plen + 1);
	}
	assert_int_equal(vpnlb_lpm_delete(lpm, addr, 32), 0);
	assert_int_equal(vpnlb_lpm_memory(lpm), 0);
	vpnlb_lpm_destroy(lpm);
}

static void test_replace(void **state)
{
	struct vpnlb_lpm *lpm = vpnlb_lpm_create();
	size_t mem;

	(void)state;
	assert_int_equal(vpnlb_lpm_insert(lpm, IP(10, 0, 0, 0), 8, 1), 0);
	assert_int_equal(vpnlb_lpm_insert(lpm, IP(10, 1, 0, 0), 16, 2), 0);
	mem = vpnlb_lpm_memory(lpm);
	assert_int_equal(vpnlb_lpm_insert(lpm, IP(10, 0, 0, 0), 8, 3), 0);
	assert_int_equal(vpnlb_lpm_count(lpm), 2);
	assert_int_equal(vpnlb_lpm_memory(lpm), mem);
	assert_int_equal(vpnlb_lpm_lookup(lpm, IP(10, 2, 0, 0)), 3);
	assert_int_equal(vpnlb_lpm_lookup(lpm, IP(10, 1, 0, 0)), 2);
	/* Same value again: nothing changes. */
	assert_int_equal(vpnlb_lpm_insert(lpm, IP(10, 0, 0, 0), 8, 3), 0);
	assert_int_equal(vpnlb_lpm_lookup(lpm, IP(10, 2, 0, 0)), 3);
	assert_int_equal(vpnlb_lpm_insert(lpm, IP(10, 1, 0, 0), 16, 4), 0);
	assert_int_equal(vpnlb_lpm_lookup(lpm, IP(10, 1, 255, 255)), 4);
	assert_int_equal(vpnlb_lpm_lookup(lpm, IP(11, 0, 0, 0)), 0);
	vpnlb_lpm_destroy(lpm);
}

/* Checks lpm against ref on addresses inside and around its prefixes. */
static void compare(const struct vpnlb_lpm *lpm, const struct ref_lpm *ref,
		    const u32 *pfx, const u8 *plen, size_t n, unsigned int probes)
{
	unsigned int k;

	for (k = 0; k < probes; k++) {
		u32 a = rnd();

		if (n && (k & 1)) {
			size_t i = rnd() % n;

			a = pfx[i] | (a & ~mask(plen[i]));
		}
		if (vpnlb_lpm_lookup(lpm, a) != ref_lpm_lookup(ref, a))
			fail_msg("lookup %08x: got %u, want %u", a,
				 vpnlb_lpm_lookup(lpm, a), ref_lpm_lookup(ref, a));
	}
}

static void random_prefix(u32 *pfx, u8 *plen)
{
	/* Mostly long prefixes clustered in a few /8s, like real tables. */
	unsigned int l = rnd() % 4 ? 16 + rnd() % 17 : rnd() % 33;
	u32 a = rnd();

	if (rnd() % 2)
		a = (a & 0x00ffffff) | (u32)(10 + rnd() % 3) << 24;
	*plen = (u8)l;
	*pfx = a & mask(l);
}

static void test_random_differential(void **state)
{
	enum { N = 3000 };
	static u32 pfx[N];
	static u8 plen[N];
	unsigned int round;

	(void)state;
	seed = 0x1234567887654321ULL;
	for (round = 0; round < 6; round++) {
		struct vpnlb_lpm *lpm = vpnlb_lpm_create();

		/* Odd rounds use direct pointing from 16 prefixes on. */
		vpnlb_lpm_direct_min = round % 2 ? 16 : default_direct_min;
		struct ref_lpm *ref = ref_lpm_create();
		size_t n = 0, i;
		unsigned int op;

		for (op = 0; op < 20000; op++) {
			unsigned int what = rnd() % 10;

			if (what < 5 && n < N) {
				u32 v = 1 + rnd() % (round + 2);

				random_prefix(&pfx[n], &plen[n]);
				assert_int_equal(vpnlb_lpm_insert(lpm, pfx[n], plen[n], v), 0);
				if (ref_lpm_set(ref, pfx[n], plen[n], v))
					n++;
			} else if (what < 7 && n) {
				/* Replace an existing prefix's value. */
				u32 v = 1 + rnd() % 50;

				i = rnd() % n;
				assert_int_equal(vpnlb_lpm_insert(lpm, pfx[i], plen[i], v), 0);
				ref_lpm_set(ref, pfx[i], plen[i], v);
			} else if (n) {
				i = rnd() % n;
				assert_int_equal(vpnlb_lpm_delete(lpm, pfx[i], plen[i]), 0);
				assert_int_not_equal(ref_lpm_remove(ref, pfx[i], plen[i]), 0);
				assert_int_equal(vpnlb_lpm_delete(lpm, pfx[i], plen[i]), -ENOENT);
				n--;
				pfx[i] = pfx[n];
				plen[i] = plen[n];
			}
			assert_int_equal(vpnlb_lpm_count(lpm), ref_lpm_count(ref));
			if (op % 16 == 0)
				compare(lpm, ref, pfx, plen, n, 64);
		}
		compare(lpm, ref, pfx, plen, n, 100000);
		while (n) {
			n--;
			assert_int_equal(vpnlb_lpm_delete(lpm, pfx[n], plen[n]), 0);
		}
		assert_int_equal(vpnlb_lpm_count(lpm), 0);
		assert_int_equal(vpnlb_lpm_memory(lpm), 0);
		assert_int_equal(vpnlb_lpm_lookup(lpm, rnd()), 0);
		vpnlb_lpm_destroy(lpm);
		ref_lpm_destroy(ref);
	}
	vpnlb_lpm_direct_min = default_direct_min;
}

/* Every allocation failure point of an insert leaves the table exactly as it
 * was; deletes and value replacements never fail.
 */
static void test_alloc_failure(void **state)
{
	enum { N = 400 };
	u32 pfx[N];
	u8 plen[N];
	unsigned int k, failures = 0;
	size_t n = 0;

	struct vpnlb_lpm *lpm = vpnlb_lpm_create();
	struct ref_lpm *ref = ref_lpm_create();

	(void)state;
	seed = 42;
	vpnlb_lpm_direct_min = 64;

	for (k = 0; k < 3000; k++) {
		bool del = n && rnd() % 3 == 0;
		size_t i = n ? rnd() % n : 0;
		size_t mem = vpnlb_lpm_memory(lpm);
		unsigned int count = vpnlb_lpm_count(lpm);
		u32 p, v = 1 + rnd() % 9;
		u8 l;
		int err;

		if (del) {
			p = pfx[i];
			l = plen[i];
		} else {
			random_prefix(&p, &l);
		}
		bool replace = !del && ref_lpm_get(ref, p, l);

		vpnlb_compat_fail_after = rnd() % 12;
		err = del ? vpnlb_lpm_delete(lpm, p, l) :
			    vpnlb_lpm_insert(lpm, p, l, v);
		vpnlb_compat_fail_after = -1;
		/* Only adding a new prefix may fail; undoing must not. */
		if (del || replace)
			assert_int_equal(err, 0);
		if (err) {
			assert_int_equal(err, -ENOMEM);
			assert_int_equal(vpnlb_lpm_memory(lpm), mem);
			assert_int_equal(vpnlb_lpm_count(lpm), count);
			failures++;
		} else if (del) {
			ref_lpm_remove(ref, p, l);
			pfx[i] = pfx[--n];
			plen[i] = plen[n];
		} else if (ref_lpm_set(ref, p, l, v) && n < N) {
			pfx[n] = p;
			plen[n++] = l;
		}
		compare(lpm, ref, pfx, plen, n, 32);
	}
	assert_true(failures > 100);
	vpnlb_lpm_direct_min = default_direct_min;
	vpnlb_lpm_destroy(lpm);
	ref_lpm_destroy(ref);
}

/*
 * Prefixes packed into one /12: its nodes hold up to all 126 prefixes of
 * their 6 bits and 64 children, the largest the updater's index gets (kept
 * in several blocks). Inserts fail at random allocations and must change
 * nothing; values are replaced and everything deleted again.
 */
static void test_dense_nodes(void **state)
{
	enum { N = 6000 };
	static u32 pfx[N];
	static u8 plen[N];
	unsigned int op, failures = 0;
	size_t n = 0, i;

	(void)state;
	seed = 0x0badc0ffee;
	for (unsigned int round = 0; round < 2; round++) {
		struct vpnlb_lpm *lpm = vpnlb_lpm_create();
		struct ref_lpm *ref = ref_lpm_create();

		vpnlb_lpm_direct_min = round ? 32 : default_direct_min;
		for (op = 0; op < 40000; op++) {
			unsigned int what = rnd() % 10;
			size_t mem = vpnlb_lpm_memory(lpm);
			u32 v = 1 + rnd() % 1000;
			int err;

			if (what < 6 && n < N) {
				u8 l = (u8)(13 + rnd() % (rnd() % 4 ? 12 : 18));
				u32 p = (IP(10, 0, 0, 0) | (rnd() & 0x000fffff)) &
					mask(l);
				bool replace = ref_lpm_get(ref, p, l);

				vpnlb_compat_fail_after = rnd() % 4 ? -1 : (long)(rnd() % 6);
				err = vpnlb_lpm_insert(lpm, p, l, v);
				vpnlb_compat_fail_after = -1;
				if (replace)
					assert_int_equal(err, 0);
				if (err) {
					assert_int_equal(err, -ENOMEM);
					assert_int_equal(vpnlb_lpm_memory(lpm), mem);
					failures++;
				} else if (ref_lpm_set(ref, p, l, v)) {
					pfx[n] = p;
					plen[n++] = l;
				}
			} else if (what < 8 && n) {
				i = rnd() % n;
				assert_int_equal(vpnlb_lpm_insert(lpm, pfx[i], plen[i], v), 0);
				ref_lpm_set(ref, pfx[i], plen[i], v);
			} else if (n) {
				i = rnd() % n;
				assert_int_equal(vpnlb_lpm_delete(lpm, pfx[i], plen[i]), 0);
				assert_int_not_equal(ref_lpm_remove(ref, pfx[i], plen[i]), 0);
				n--;
				pfx[i] = pfx[n];
				plen[i] = plen[n];
			}
			assert_int_equal(vpnlb_lpm_count(lpm), ref_lpm_count(ref));
			if (op % 8 == 0)
				compare(lpm, ref, pfx, plen, n, 16);
		}
		compare(lpm, ref, pfx, plen, n, 200000);
		while (n) {
			n--;
			assert_int_equal(vpnlb_lpm_delete(lpm, pfx[n], plen[n]), 0);
			assert_int_not_equal(ref_lpm_remove(ref, pfx[n], plen[n]), 0);
			if (n % 64 == 0)
				compare(lpm, ref, pfx, plen, n, 64);
		}
		assert_int_equal(vpnlb_lpm_memory(lpm), 0);
		vpnlb_lpm_destroy(lpm);
		ref_lpm_destroy(ref);
	}
	assert_true(failures > 1000);
	vpnlb_lpm_direct_min = default_direct_min;
}

static void test_full_table(void **state)
{
	char cmd[512], line[64];
	struct vpnlb_lpm *lpm;
	struct ref_lpm *ref;
	u32 *pfx = NULL;
	u8 *plen = NULL;
	size_t n = 0, cap = 0, i;
	FILE *f;

	(void)state;
	f = fopen(table_path, "r");
	if (!f)
		skip();
	fclose(f);
	snprintf(cmd, sizeof(cmd), "zcat '%s'", table_path);
	f = popen(cmd, "r");
	assert_non_null(f);
	lpm = vpnlb_lpm_create();
	ref = ref_lpm_create();
	while (fgets(line, sizeof(line), f)) {
		unsigned int a, b, c, d, l;

		if (sscanf(line, "%u.%u.%u.%u/%u", &a, &b, &c, &d, &l) != 5)
			continue;
		assert_true(l <= 32 && a < 256 && b < 256 && c < 256 && d < 256);
		if (n == cap) {
			cap = cap ? cap * 2 : 1 << 16;
			pfx = realloc(pfx, cap * sizeof(*pfx));
			plen = realloc(plen, cap);
			assert_non_null(pfx);
			assert_non_null(plen);
		}
		pfx[n] = IP(a, b, c, d) & mask(l);
		plen[n] = (u8)l;
		assert_int_equal(vpnlb_lpm_insert(lpm, pfx[n], l, 1 + (u32)(n % 100000)), 0);
		ref_lpm_set(ref, pfx[n], l, 1 + (u32)(n % 100000));
		n++;
	}
	assert_int_equal(pclose(f), 0);
	assert_true(n > 800000);
	assert_int_equal(vpnlb_lpm_count(lpm), ref_lpm_count(ref));
	print_message("full table: %zu prefixes, lookup %zu bytes (%.1f/prefix), total %zu bytes (%.1f/prefix)\n",
		      n, vpnlb_lpm_memory_lookup(lpm),
		      (double)vpnlb_lpm_memory_lookup(lpm) / (double)n,
		      vpnlb_lpm_memory(lpm), (double)vpnlb_lpm_memory(lpm) / (double)n);
	seed = 7;
	compare(lpm, ref, pfx, plen, n, 2000000);
	/* Every prefix's first and last address. */
	for (i = 0; i < n; i++) {
		u32 last = pfx[i] | ~mask(plen[i]);

		if (vpnlb_lpm_lookup(lpm, pfx[i]) != ref_lpm_lookup(ref, pfx[i]) ||
		    vpnlb_lpm_lookup(lpm, last) != ref_lpm_lookup(ref, last))
			fail_msg("prefix %zu %08x/%u", i, pfx[i], plen[i]);
	}
	/* Delete every other prefix, compare, then delete the rest. */
	for (i = 0; i < n; i += 2)
		if (ref_lpm_remove(ref, pfx[i], plen[i]))
			assert_int_equal(vpnlb_lpm_delete(lpm, pfx[i], plen[i]), 0);
	compare(lpm, ref, pfx, plen, n, 1000000);
	for (i = 1; i < n; i += 2)
		if (ref_lpm_remove(ref, pfx[i], plen[i]))
			assert_int_equal(vpnlb_lpm_delete(lpm, pfx[i], plen[i]), 0);
	assert_int_equal(vpnlb_lpm_count(lpm), 0);
	assert_int_equal(vpnlb_lpm_memory(lpm), 0);
	vpnlb_lpm_destroy(lpm);
	ref_lpm_destroy(ref);
	free(pfx);
	free(plen);
}

static void test_selftest(void **state)
{
	(void)state;
	assert_int_equal(vpnlb_core_selftest(), 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_default_route),
		cmocka_unit_test(test_host_routes),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_random_differential),
		cmocka_unit_test(test_alloc_failure),
		cmocka_unit_test(test_dense_nodes),
		cmocka_unit_test(test_full_table),
		cmocka_unit_test(test_selftest),
	};

	default_direct_min = vpnlb_lpm_direct_min;
	if (argc > 1)
		table_path = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
