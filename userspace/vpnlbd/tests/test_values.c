// SPDX-License-Identifier: GPL-2.0-or-later
/* Route distinguishers, route targets, link bandwidth and AS paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "bgp_aspath.h"
#include "bgp_extcomm.h"

static void test_rd(void **state)
{
	static const struct {
		const char *text;
		uint64_t rd;
	} ok[] = {
		{ "100:1", 0x0000006400000001ull },
		{ "65535:4294967295", 0x0000ffffffffffffull },
		{ "1.1.1.1:5", 0x0001010101010005ull },
		{ "4200000000:7", 0x0002fa56ea000007ull },
		{ "0:0", 0 },
	};
	static const char *const bad[] = {
		"100", "100:", ":1", "100:1:2", "a:b", "70000:70000",
		"1.1.1.1:70000", "1.1.1:5", "4294967296:1", "100:4294967296",
		"-1:1", "100: 1", "",
	};
	char buf[BGP_RD_STR_MAX];
	uint64_t rd;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_true(bgp_rd_parse(ok[i].text, &rd));
		assert_int_equal(rd, ok[i].rd);
		bgp_rd_format(rd, buf, sizeof(buf));
		assert_string_equal(buf, ok[i].text);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(bgp_rd_parse(bad[i], &rd));
}

static void test_rt(void **state)
{
	uint64_t rt;
	char buf[32];

	(void)state;
	assert_true(bgp_rt_parse("111:1", &rt));
	assert_int_equal(rt, 0x0002006f00000001ull);
	assert_true(bgp_extcomm_is_rt(rt));
	bgp_rt_format(rt, buf, sizeof(buf));
	assert_string_equal(buf, "111:1");
	assert_true(bgp_rt_parse("10.0.0.1:300", &rt));
	assert_int_equal(rt, 0x01020a000001012cull);
	assert_true(bgp_rt_parse("4200000000:1", &rt));
	assert_int_equal(rt, 0x0202fa56ea000001ull);
	bgp_rt_format(rt, buf, sizeof(buf));
	assert_string_equal(buf, "4200000000:1");
	/* site of origin (subtype 3) and link bandwidth are not RTs */
	assert_false(bgp_extcomm_is_rt(0x0003006f00000001ull));
	assert_false(bgp_extcomm_is_rt(bgp_extcomm_make_link_bandwidth(1, 1.0f)));
	assert_false(bgp_rt_parse("111", &rt));
}

static void test_link_bandwidth(void **state)
{
	uint64_t bw;
	uint64_t ec = bgp_extcomm_make_link_bandwidth(65000, 1.25e9f);

	(void)state;
	assert_int_equal(ec >> 48, 0x4004);
	assert_int_equal((ec >> 32) & 0xffff, 65000);
	assert_true(bgp_extcomm_link_bandwidth(ec, &bw));
	assert_int_equal(bw, 1250000000ull);
	/* transitive form (type 0x00) is accepted too */
	assert_true(bgp_extcomm_link_bandwidth(ec & ~(0x40ull << 56), &bw));
	/* NaN and negative are refused */
	assert_false(bgp_extcomm_link_bandwidth(0x400400007fc00000ull, &bw));
	assert_false(bgp_extcomm_link_bandwidth(0x40040000bf800000ull, &bw));
	assert_false(bgp_extcomm_link_bandwidth(0x0002006f00000001ull, &bw));
}

static void test_aspath(void **state)
{
	/* 2-octet: SEQ 1 2, SET {3 4}, CONFED_SEQ (5) */
	static const uint8_t p2[] = { 2, 2, 0, 1, 0, 2, 1, 2, 0, 3, 0, 4, 3, 1, 0, 5 };
	uint8_t *p;
	size_t len;
	const char *why = NULL;
	char buf[128];

	(void)state;
	assert_true(aspath_parse(p2, sizeof(p2), 2, true, &p, &len, &why));
	assert_int_equal(len, (2 + 8) + (2 + 8) + (2 + 4));
	assert_int_equal(aspath_count(p, len), 3);
	assert_int_equal(aspath_first_as(p, len), 1);
	assert_true(aspath_contains(p, len, 4));
	assert_false(aspath_contains(p, len, 6));
	aspath_format(p, len, buf, sizeof(buf));
	assert_string_equal(buf, "1 2 {3 4} (5)");
	free(p);

	assert_false(aspath_parse(p2, sizeof(p2), 2, false, &p, &len, &why));
	assert_string_equal(why, "AS4_PATH has a confederation segment");
	assert_true(aspath_parse(NULL, 0, 4, true, &p, &len, &why));
	assert_null(p);
	assert_int_equal(aspath_count(NULL, 0), 0);
	assert_int_equal(aspath_first_as(NULL, 0), 0);
}

static void test_aspath_merge(void **state)
{
	/* AS_PATH 10 23456 23456 20, AS4_PATH 4200000001 20 -> 10 23456 ... */
	static const uint8_t path[] = { 2, 4, 0, 0, 0, 10, 0, 0, 0x5b, 0xa0,
					0, 0, 0x5b, 0xa0, 0, 0, 0, 20 };
	static const uint8_t as4[] = { 2, 3, 0xfa, 0x56, 0xea, 0x01,
				       0xfa, 0x56, 0xea, 0x02, 0, 0, 0, 20 };
	static const uint8_t as4_long[] = { 2, 5, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3,
					    0, 0, 0, 4, 0, 0, 0, 5 };
	uint8_t *out;
	size_t len;
	char buf[128];

	(void)state;
	assert_true(aspath_merge_as4(path, sizeof(path), as4, sizeof(as4), &out, &len));
	aspath_format(out, len, buf, sizeof(buf));
	assert_string_equal(buf, "10 4200000001 4200000002 20");
	free(out);
	/* longer AS4_PATH than AS_PATH: ignored */
	assert_true(aspath_merge_as4(path, sizeof(path), as4_long, sizeof(as4_long), &out, &len));
	aspath_format(out, len, buf, sizeof(buf));
	assert_string_equal(buf, "10 23456 23456 20");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rd),
		cmocka_unit_test(test_rt),
		cmocka_unit_test(test_link_bandwidth),
		cmocka_unit_test(test_aspath),
		cmocka_unit_test(test_aspath_merge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
