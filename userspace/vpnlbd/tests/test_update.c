// SPDX-License-Identifier: GPL-2.0-or-later
/* UPDATE parser/encoder tests, including every RFC 7606 reaction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "bgp_aspath.h"
#include "bgp_extcomm.h"
#include "bgp_update.h"
#include "bgp_wire.h"
#include "msgbuild.h"

#define RD0(as, n)	((uint64_t)(as) << 32 | (n))
#define IP(a, b, c, d)	((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

static const struct bgp_session_opts ibgp = { .as4 = true };
static const struct bgp_session_opts ebgp = { .as4 = true, .ebgp = true,
					      .peer_as = 65001 };
static const struct bgp_session_opts ibgp_as2 = { .as4 = false };

static size_t two_routes(uint8_t *p)
{
	size_t n = t_vpn_nlri(p, 1002, RD0(100, 1), IP(10, 1, 0, 0), 16);

	return n + t_vpn_nlri(p + n, 1003, RD0(100, 2), IP(10, 2, 3, 0), 24);
}

static void put_mp_reach(struct tmsg *m, uint8_t flags)
{
	uint8_t nlri[64], v[128];
	size_t n = two_routes(nlri);

	t_attr(m, flags, BGP_ATTR_MP_REACH_NLRI, v,
	       t_mp_reach_vpn(v, IP(2, 2, 2, 2), nlri, n));
}

static void put_origin(struct tmsg *m)
{
	t_attr(m, ATTR_T, BGP_ATTR_ORIGIN, "\x00", 1);
}

static void put_aspath(struct tmsg *m)
{
	/* AS_SEQUENCE 65001 65002, 4-octet */
	static const uint8_t p[] = { 2, 2, 0, 0, 0xfd, 0xe9, 0, 0, 0xfd, 0xea };

	t_attr(m, ATTR_T, BGP_ATTR_AS_PATH, p, sizeof(p));
}

static void put_lp(struct tmsg *m, uint32_t lp)
{
	uint8_t v[4] = { (uint8_t)(lp >> 24), (uint8_t)(lp >> 16),
			 (uint8_t)(lp >> 8), (uint8_t)lp };

	t_attr(m, ATTR_T, BGP_ATTR_LOCAL_PREF, v, 4);
}

/* A well-formed VPNv4 UPDATE: MP_REACH, ORIGIN, AS_PATH, LOCAL_PREF. */
static void std_update(struct tmsg *m)
{
	t_update_begin(m);
	put_mp_reach(m, ATTR_O);
	put_origin(m);
	put_aspath(m);
	put_lp(m, 100);
}

static enum bgp_action parse(struct tmsg *m, const struct bgp_session_opts *o,
			     struct bgp_update *u)
{
	return bgp_update_parse(m->b, m->len, o, u);
}

static void assert_two_withdrawn(const struct bgp_update *u)
{
	assert_int_equal(u->n_vpn_reach, 0);
	assert_int_equal(u->n_vpn_unreach, 2);
	assert_true(u->has_mp_unreach);
	assert_int_equal(u->unreach_afi, 1);
	assert_int_equal(u->unreach_safi, 128);
	assert_int_equal(u->vpn_unreach[0].addr, IP(10, 1, 0, 0));
	assert_int_equal(u->vpn_unreach[0].rd, RD0(100, 1));
	assert_int_equal(u->vpn_unreach[1].addr, IP(10, 2, 3, 0));
	assert_int_equal(u->vpn_unreach[1].rd, RD0(100, 2));
}

static void expect(struct tmsg *m, const struct bgp_session_opts *o,
		   enum bgp_action action, uint8_t subcode, const char *reason)
{
	struct bgp_update u;

	assert_int_equal(parse(m, o, &u), action);
	assert_string_equal(u.err.reason, reason);
	if (action == BGP_ACT_SESSION_RESET || action == BGP_ACT_TREAT_AS_WITHDRAW ||
	    action == BGP_ACT_AFISAFI_DISABLE)
		assert_int_equal(u.err.subcode, subcode);
	if (action == BGP_ACT_TREAT_AS_WITHDRAW)
		assert_two_withdrawn(&u);
	if (action == BGP_ACT_AFISAFI_DISABLE) {
		assert_int_equal(u.err.afi, 1);
		assert_int_equal(u.err.safi, 128);
		assert_int_equal(u.n_vpn_reach, 0);
		assert_int_equal(u.n_vpn_unreach, 0);
	}
	bgp_update_free(&u);
}

static void test_full_update(void **state)
{
	struct tmsg m;
	struct bgp_update u;
	uint8_t ec[24], med[4] = { 0, 0, 0, 5 }, orig[4] = { 3, 3, 3, 3 };
	uint8_t cl[8] = { 9, 9, 9, 9, 8, 8, 8, 8 };
	uint64_t rt, bw;
	char text[64];

	(void)state;
	assert_true(bgp_rt_parse("111:1", &rt));
	for (int i = 0; i < 8; i++) {
		ec[i] = (uint8_t)(rt >> (56 - 8 * i));
		ec[8 + i] = (uint8_t)(bgp_extcomm_make_link_bandwidth(100, 125000000.0f) >> (56 - 8 * i));
		ec[16 + i] = (uint8_t)(((uint64_t)0x0102 << 48 | 0x0a000001ull << 16 | 7) >> (56 - 8 * i));
	}
	std_update(&m);
	t_attr(&m, ATTR_O, BGP_ATTR_MED, med, 4);
	t_attr(&m, ATTR_OT, BGP_ATTR_EXT_COMMUNITIES, ec, sizeof(ec));
	t_attr(&m, ATTR_O, BGP_ATTR_ORIGINATOR_ID, orig, 4);
	t_attr(&m, ATTR_O, BGP_ATTR_CLUSTER_LIST, cl, 8);
	t_attr(&m, ATTR_OT | 0x20, 200, "xyz", 3);	/* unknown optional */
	t_update_end(&m, NULL, 0);

	assert_int_equal(parse(&m, &ibgp, &u), BGP_ACT_NONE);
	assert_string_equal(u.err.reason, "");
	assert_false(u.eor);
	assert_int_equal(u.n_vpn_reach, 2);
	assert_int_equal(u.mp_nexthop, IP(2, 2, 2, 2));
	assert_int_equal(u.vpn_reach[0].label, 1002);
	assert_int_equal(u.vpn_reach[0].rd, RD0(100, 1));
	assert_int_equal(u.vpn_reach[0].addr, IP(10, 1, 0, 0));
	assert_int_equal(u.vpn_reach[0].len, 16);
	assert_int_equal(u.vpn_reach[1].label, 1003);
	assert_int_equal(u.vpn_reach[1].rd, RD0(100, 2));
	assert_int_equal(u.vpn_reach[1].addr, IP(10, 2, 3, 0));
	assert_int_equal(u.vpn_reach[1].len, 24);
	assert_int_equal(u.attrs.origin, BGP_ORIGIN_IGP);
	assert_int_equal(u.attrs.local_pref, 100);
	assert_int_equal(u.attrs.med, 5);
	assert_true(bgp_attr_present(&u.attrs, BGP_ATTR_MED));
	assert_false(bgp_attr_present(&u.attrs, BGP_ATTR_NEXT_HOP));
	assert_false(bgp_attr_present(&u.attrs, 200));
	assert_int_equal(u.attrs.originator_id, IP(3, 3, 3, 3));
	assert_int_equal(u.attrs.cluster_count, 2);
	assert_int_equal(aspath_count(u.attrs.aspath, u.attrs.aspath_len), 2);
	aspath_format(u.attrs.aspath, u.attrs.aspath_len, text, sizeof(text));
	assert_string_equal(text, "65001 65002");
	assert_int_equal(u.attrs.ext_community_count, 3);
	assert_true(bgp_extcomm_is_rt(bgp_extcomm_get(u.attrs.ext_communities)));
	assert_int_equal(bgp_extcomm_get(u.attrs.ext_communities), rt);
	assert_true(bgp_extcomm_link_bandwidth(bgp_extcomm_get(u.attrs.ext_communities + 8), &bw));
	assert_int_equal(bw, 125000000);
	assert_true(bgp_extcomm_is_rt(bgp_extcomm_get(u.attrs.ext_communities + 16)));
	bgp_rt_format(bgp_extcomm_get(u.attrs.ext_communities + 16), text, sizeof(text));
	assert_string_equal(text, "10.0.0.1:7");
	bgp_update_free(&u);
}

static void test_encode_roundtrip(void **state)
{
	uint8_t buf[4096], ecb[8];
	struct bgp_vpn_prefix r[3] = {
		{ .label = 16, .rd = RD0(1, 1), .addr = IP(192, 168, 0, 0), .len = 16, .path_id = 7 },
		{ .label = 0xfffff, .rd = (uint64_t)1 << 48 | (uint64_t)IP(1, 2, 3, 4) << 16 | 9,
		  .addr = IP(10, 0, 0, 1), .len = 32, .path_id = 8 },
		{ .label = 3, .rd = (uint64_t)2 << 48 | 4200000000ull << 16 | 5, .addr = 0, .len = 0 },
	};
	static const uint8_t path[] = { 2, 2, 0xfa, 0x56, 0xea, 0x01, 0, 0, 0, 100 };
	uint64_t lbw = bgp_extcomm_make_link_bandwidth(1, 1000.0f);
	struct bgp_tx_attrs tx = {
		.origin = BGP_ORIGIN_INCOMPLETE, .aspath = path,
		.aspath_len = sizeof(path), .has_med = true, .med = 77,
		.has_local_pref = true, .local_pref = 300,
		.nexthop = IP(4, 4, 4, 4), .ext_communities = ecb,
		.ext_community_count = 1,
	};
	struct bgp_session_opts o = { .as4 = false };
	struct bgp_update u;
	size_t len, done;
	char text[64];

	(void)state;
	for (int i = 0; i < 8; i++)
		ecb[i] = (uint8_t)(lbw >> (56 - 8 * i));
	/* 2-octet session: 4200000001 goes as AS_TRANS + AS4_PATH */
	len = bgp_update_encode_vpn(buf, sizeof(buf), &tx, false, true, r, 3, &done);
	assert_true(len > 0);
	assert_int_equal(done, 3);
	o.addpath_rx[BGP_FAM_VPNV4] = true;
	assert_int_equal(bgp_update_parse(buf, len, &o, &u), BGP_ACT_NONE);
	assert_int_equal(u.n_vpn_reach, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(u.vpn_reach[i].label, r[i].label);
		assert_int_equal(u.vpn_reach[i].rd, r[i].rd);
		assert_int_equal(u.vpn_reach[i].addr, r[i].addr);
		assert_int_equal(u.vpn_reach[i].len, r[i].len);
		assert_int_equal(u.vpn_reach[i].path_id, r[i].path_id);
	}
	assert_int_equal(u.mp_nexthop, IP(4, 4, 4, 4));
	assert_int_equal(u.attrs.origin, 2);
	assert_int_equal(u.attrs.med, 77);
	assert_int_equal(u.attrs.local_pref, 300);
	aspath_format(u.attrs.aspath, u.attrs.aspath_len, text, sizeof(text));
	assert_string_equal(text, "4200000001 100");
	bgp_update_free(&u);

	/* and withdrawn again */
	len = bgp_update_encode_vpn_withdraw(buf, sizeof(buf), false, r, 3, &done);
	assert_int_equal(done, 3);
	assert_int_equal(bgp_update_parse(buf, len, &ibgp, &u), BGP_ACT_NONE);
	assert_int_equal(u.n_vpn_unreach, 3);
	assert_int_equal(u.vpn_unreach[1].addr, IP(10, 0, 0, 1));
	assert_false(u.eor);
	bgp_update_free(&u);
}

static void test_encode_splits(void **state)
{
	struct bgp_vpn_prefix *r = calloc(1000, sizeof(*r));
	static const uint8_t path[] = { 2, 1, 0, 0, 0, 100 };
	struct bgp_tx_attrs tx = { .aspath = path, .aspath_len = sizeof(path),
				   .nexthop = IP(4, 4, 4, 4) };
	uint8_t buf[4096];
	size_t off = 0, total = 0, done, len;
	int msgs = 0;

	(void)state;
	for (int i = 0; i < 1000; i++) {
		r[i].addr = IP(10, i >> 8, i & 255, 0);
		r[i].len = 24;
		r[i].label = 100 + (uint32_t)i;
		r[i].rd = RD0(1, 1);
	}
	while (off < 1000) {
		struct bgp_update u;

		len = bgp_update_encode_vpn(buf, sizeof(buf), &tx, true, false,
					    r + off, 1000 - off, &done);
		assert_true(len > 0 && len <= 4096);
		assert_int_equal(bgp_update_parse(buf, len, &ibgp, &u), BGP_ACT_NONE);
		assert_int_equal(u.n_vpn_reach, done);
		assert_int_equal(u.vpn_reach[0].label, 100 + off);
		bgp_update_free(&u);
		off += done;
		total += done;
		msgs++;
	}
	assert_int_equal(total, 1000);
	/* 15-byte NLRI, about 270 per message */
	assert_int_equal(msgs, 4);
	free(r);
}

static void test_eor(void **state)
{
	uint8_t buf[64];
	struct bgp_update u;
	size_t len;

	(void)state;
	len = bgp_eor_encode(buf, sizeof(buf), BGP_FAM_VPNV4);
	assert_int_equal(len, 23 + 6);
	assert_int_equal(bgp_update_parse(buf, len, &ibgp, &u), BGP_ACT_NONE);
	assert_true(u.eor);
	assert_int_equal(u.eor_family, BGP_FAM_VPNV4);
	bgp_update_free(&u);

	len = bgp_eor_encode(buf, sizeof(buf), BGP_FAM_IPV4_UNICAST);
	assert_int_equal(len, 23);
	assert_int_equal(bgp_update_parse(buf, len, &ibgp, &u), BGP_ACT_NONE);
	assert_true(u.eor);
	assert_int_equal(u.eor_family, BGP_FAM_IPV4_UNICAST);
	bgp_update_free(&u);
}

static void test_addpath_and_host_bits(void **state)
{
	struct tmsg m;
	struct bgp_update u;
	struct bgp_session_opts o = ibgp;
	uint8_t nlri[32], v[64];
	size_t n;

	(void)state;
	o.addpath_rx[BGP_FAM_VPNV4] = true;
	nlri[0] = 0;
	nlri[1] = 0;
	nlri[2] = 0x01;
	nlri[3] = 0x02;
	n = 4 + t_vpn_nlri(nlri + 4, 20, RD0(100, 1), IP(10, 1, 2, 3), 16);
	t_update_begin(&m);
	t_attr(&m, ATTR_O, BGP_ATTR_MP_REACH_NLRI, v,
	       t_mp_reach_vpn(v, IP(2, 2, 2, 2), nlri, n));
	put_origin(&m);
	put_aspath(&m);
	t_update_end(&m, NULL, 0);
	assert_int_equal(parse(&m, &o, &u), BGP_ACT_NONE);
	assert_int_equal(u.n_vpn_reach, 1);
	assert_int_equal(u.vpn_reach[0].path_id, 0x0102);
	assert_int_equal(u.vpn_reach[0].addr, IP(10, 1, 0, 0));
	bgp_update_free(&u);
	/* the same bytes without add-path negotiated do not parse */
	assert_int_equal(parse(&m, &ibgp, &u), BGP_ACT_AFISAFI_DISABLE);
	bgp_update_free(&u);
}

static void test_as4_merge(void **state)
{
	struct tmsg m;
	struct bgp_update u;
	uint8_t nlri[32], v[64];
	/* 2-octet AS_PATH 65001 23456 23456, AS4_PATH 4200000001 4200000002 */
	static const uint8_t p2[] = { 2, 3, 0xfd, 0xe9, 0x5b, 0xa0, 0x5b, 0xa0 };
	static const uint8_t p4[] = { 2, 2, 0xfa, 0x56, 0xea, 0x01, 0xfa, 0x56, 0xea, 0x02 };
	char text[64];

	(void)state;
	t_update_begin(&m);
	t_attr(&m, ATTR_O, BGP_ATTR_MP_REACH_NLRI, v,
	       t_mp_reach_vpn(v, 1, nlri, t_vpn_nlri(nlri, 1, 1, 0, 0)));
	put_origin(&m);
	t_attr(&m, ATTR_T, BGP_ATTR_AS_PATH, p2, sizeof(p2));
	t_attr(&m, ATTR_OT, BGP_ATTR_AS4_PATH, p4, sizeof(p4));
	t_update_end(&m, NULL, 0);
	assert_int_equal(parse(&m, &ibgp_as2, &u), BGP_ACT_NONE);
	aspath_format(u.attrs.aspath, u.attrs.aspath_len, text, sizeof(text));
	assert_string_equal(text, "65001 4200000001 4200000002");
	bgp_update_free(&u);
}

/* ---- RFC 7606 ---- */

static void test_7606_withdrawn_length_overrun(void **state)
{
	struct tmsg m;

	(void)state;
	std_update(&m);
	t_update_end(&m, NULL, 0);
	m.b[19] = 0x10;		/* withdrawn routes length 4096 */
	expect(&m, &ibgp, BGP_ACT_SESSION_RESET, BGP_UPD_MALFORMED_ATTR_LIST,
	       "withdrawn routes length 4096 or total attribute length overruns the message");
}

static void test_7606_total_attr_length_overrun(void **state)
{
	struct tmsg m;

	(void)state;
	std_update(&m);
	t_update_end(&m, NULL, 0);
	m.b[m.attr_len_at + 1] += 1;
	expect(&m, &ibgp, BGP_ACT_SESSION_RESET, BGP_UPD_MALFORMED_ATTR_LIST,
	       "withdrawn routes length 0 or total attribute length overruns the message");
}

static void test_7606_attr_overrun_after_mp(void **state)
{
	struct tmsg m;

	(void)state;
	std_update(&m);
	/* MED claims 9 bytes, 4 remain in the list */
	t_u8(&m, ATTR_O);
	t_u8(&m, BGP_ATTR_MED);
	t_u8(&m, 9);
	t_u32(&m, 1);
	t_update_end(&m, NULL, 0);
	expect(&m, &ibgp, BGP_ACT_TREAT_AS_WITHDRAW, BGP_UPD_MALFORMED_ATTR_LIST,
	       "attribute 4 length 9 overruns the attribute list");
}

static void test_7606_attr_trailing_bytes(void **state)
{
	struct tmsg m;

	(void)state;
	std_update(&m);
	t_u8(&m, ATTR_O);
	t_u8(&m, BGP_ATTR_MED);
	t_update_end(&m, NULL, 0);
	expect(&m, &ibgp, BGP_ACT_TREAT_AS_WITHDRAW, BGP_UPD_MALFORMED_ATTR_LIST,
	       "2 trailing bytes too short for an attribute header");
}

static void test_7606_attr_overrun_before_mp(void **state)
{
	struct tmsg m;

	(void)state;
	t_update_begin(&m);
	put_origin(&m);
	t_u8(&m, ATTR_T);
	t_u8(&m, BGP_ATTR_AS_PATH);
	t_u8(&m, 200);
	t_update_end(&m, NULL, 0);
	expect(&m, &ibgp, BGP_ACT_SESSION_RESET, BGP_UPD_MALFORMED_ATTR_LIST,
	       "attribute list overruns before any MP_REACH_NLRI/MP_UNREACH_NLRI could be located");
}

static void test_7606_missing_mandatory(void **state)
{
	struct tmsg m;
	struct bgp_update u;

	(void)state;
	t_update_begin(&m);
	put_mp_reach(&m, ATTR_O);
	put_aspath(&m);
	t_update_end(&m, NULL, 0);
	expect(&m, &ibgp, BGP_ACT_TREAT_AS_WITHDRAW, BGP_UPD_MISSING_WELLKNOWN,
	       "missing well-known attribute 1");
	assert_int_equal(parse(&m, &ibgp, &u), BGP_ACT_TREAT_AS_WITHDRAW);
	assert_int_equal(u.err.data_len, 1);
	assert_int_equal(u.err.data[0], BGP_ATTR_ORIGIN);
	bgp_update_free(&u);

	t_update_begin(&m);
	put_mp_reach(&m, ATTR_O);
	put_origin(&m);
	t_update_end(&m, NULL, 0);
	expect(&m, &ibgp, BGP_ACT_TREAT_AS_WITHDRAW, BGP_UPD_MISSING_WELLKNOWN,
	       "missing well-known attribute 2");

	/* withdrawals alone need no attributes */
	t_update_begin(&m);
	{
		uint8_t v[64];
		size_t n;

		v[0] = 0;
		v[1] = 1;
		v[2] = 128;
		n = 3 + t_vpn_nlri(v + 3, 0x80000 >> 0, RD0(1, 1), IP(10, 0, 0, 0), 8);
		t_attr(&m, ATTR_O, BGP_ATTR_MP_UNREACH_NLRI, v, n);
	}
	t_update_end(&m, NULL, 0);
	assert_int_equal(parse(&m, &ibgp, &u), BGP_ACT_NONE);
	assert_int_equal(u.n_vpn_unreach, 1);
	bgp_update_free(&u);
}

static void test_7606_next_hop_legacy(void **state)
{
	struct tmsg m;
	struct bgp_update u;
	static const uint8_t nlri[] = { 24, 10, 9, 8 };

	(void)state;
	/* legacy NLRI needs NEXT_HOP; the legacy routes get withdrawn */
	t_update_begin(&m);
	put_origin(&m);
	put_aspath(&m);
	t_update_end(&m, nlri, sizeof(nlri));
	assert_int_equal(parse(&m, &ibgp, &u), BGP_ACT_TREAT_AS_WITHDRAW);
	assert_string_equal(u.err.reason, "missing well-known attribute 3");
	assert_int_equal(u.n_nlri, 0);
	assert_int_equal(u.n_withdrawn, 1);
	assert_int_equal(u.withdrawn[0].addr, IP(10, 9, 8, 0));
	bgp_update_free(&u);

	t_update_begin(&m);
	put_origin(&m);
	put_aspath(&m);
	t_attr(&m, ATTR_T, BGP_ATTR_NEXT_HOP, "\x01\x02\x03\x04\x05", 5);
	t_update_end(&m, nlri, sizeof(nlri));
	assert_int_equal(parse(&m, &ibgp, &u), BGP_ACT_TREAT_AS_WITHDRAW);
	assert_string_equal(u.err.reason, "attribute 3: NEXT_HOP length is not 4");
	assert_int_equal(u.err.subcode, BGP_UPD_ATTR_LENGTH);
	bgp_update_free(&u);
}

static void test_7606_duplicate_mp_reach(void **state)
{
	struct tmsg m;

	(void)state;
	std_update(&m);
	put_mp_reach(&m, ATTR_O);
	t_update_end(&m, NULL, 0);
	expect(&m, &ibgp, BGP_ACT_SESSION_RESET, BGP_UPD_MALFORMED_ATTR_LIST,
	       "attribute 14 appears more than once");

	std_update(&m);
	t_attr(&m, ATTR_O, BGP_ATTR_MP_UNREACH_NLRI, "\x00\x01\x80", 3);
	t_attr(&m, ATTR_O, BGP_ATTR_MP_UNREACH_NLRI, "\x00\x01\x80", 3);
	t_update_end(&m, NULL, 0);
	expect(&m, &ibgp, BGP_ACT_SESSION_RESET, BGP_UPD_MALFORMED_ATTR_LIST,
	       "attribute 15 appears more than once");
}

static void test_7606_duplicate_other(void **state)
{
	struct tmsg m;
	struct bgp_update u;

	(void)state;
	std_update(&m);
	put_lp(&m, 500);
	t_update_end(&m, NULL, 0);
	assert_int_equal(parse(&m, &ibgp, &u), BGP_ACT_ATTR_DISCARD);
	assert_string_equal(u.err.reason, "attribute 5: duplicate attribute");
	assert_int_equal(u.attrs.local_pref, 100);	/* the first one stays */
	assert_int_equal(u.n_discarded, 1);
	assert_int_equal(u.n_vpn_reach, 2);
	bgp_update_free(&u);
}

static void test_7606_ext_community_length(void **state)
{
	struct tmsg m;
	uint8_t ec[12] = { 0 };

	(void)state;
	std_update(&m);
	t_attr(&m, ATTR_OT, BGP_ATTR_EXT_COMMUNITIES, ec, sizeof(ec));
	t_update_end(&m, NULL, 0);
	expect(&m, &ibgp, BGP_ACT_TREAT_AS_WITHDRAW, BGP_UPD_ATTR_LENGTH,
	       "attribute 16: EXTENDED_COMMUNITIES length is not a non-zero multiple of 8");
	std_update(&m);
	t_attr(&m, ATTR_OT, BGP_ATTR_EXT_COMMUNITIES, NULL, 0);
	t_update_end(&m, NULL, 0);
	expect(&m, &ibgp, BGP_ACT_TREAT_AS_WITHDRAW, BGP_UPD_ATTR_LENGTH,
	       "attribute 16: EXTENDED_COMMUNITIES length is not a non-zero multiple of 8");
}

static void test_7606_length_errors_withdraw(void **state)
{
	static const struct {
		uint8_t flags, type, len;
		const char *reason;
		uint8_t subcode;
	} cases[] = {
		{ ATTR_O, BGP_ATTR_MED, 3, "attribute 4: MULTI_EXIT_DISC length is not 4", 5 },
		{ ATTR_O, BGP_ATTR_MED, 0, "attribute 4: MULTI_EXIT_DISC length is not 4", 5 },
		{ ATTR_O, BGP_ATTR_ORIGINATOR_ID, 3, "attribute 9: ORIGINATOR_ID length is not 4", 5 },
		{ ATTR_O, BGP_ATTR_CLUSTER_LIST, 6, "attribute 10: CLUSTER_LIST length is not a non-zero multiple of 4", 5 },
		{ ATTR_OT, BGP_ATTR_COMMUNITIES, 5, "attribute 8: COMMUNITIES length is not a non-zero multiple of 4", 5 },
	};
	uint8_t zero[16] = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tmsg m;

		std_update(&m);
		t_attr(&m, cases[i].flags, cases[i].type, zero, cases[i].len);
		t_update_end(&m, NULL, 0);
		expect(&m, &ibgp, BGP_ACT_TREAT_AS_WITHDRAW, cases[i].subcode,
		       cases[i].reason);
	}
}

static void test_7606_origin(void **state)
{
	struct tmsg m;

	(void)state;
	t_update_begin(&m);
	put_mp_reach(&m, ATTR_O);
	t_attr(&m, ATTR_T, BGP_ATTR_ORIGIN, "\x00\x00", 2);
	put_aspath(&m);
	t_update_end(&m, NULL, 0);
	expect(&m, &ibgp, BGP_ACT_TREAT_AS_WITHDRAW, BGP_UPD_ATTR_LENGTH,
	       "attribute 1: ORIGIN length is not 1");
	t_update_begin(&m);
	put_mp_reach(&m, ATTR_O);
	t_attr(&m, ATTR_T, BGP_ATTR_ORIGIN, "\x03", 1);
	put_aspath(&m);
	t_update_end(&m, NULL, 0);
	expect(&m, &ibgp, BGP_ACT_TREAT_AS_WITHDRAW, BGP_UPD_INVALID_ORIGIN,
	       "attribute 1: ORIGIN value undefined");
}

static void test_7606_aspath(void **state)
{
	static const struct {
		uint8_t v[12];
		uint8_t len;
		const char *reason;
	} cases[] = {
		{ { 2, 0 }, 2, "attribute 2: AS_PATH has a segment of length zero" },
		{ { 7, 1, 0, 0, 0, 1 }, 6, "attribute 2: AS_PATH has an unknown segment type" },
		{ { 2, 2, 0, 0, 0, 1 }, 6, "attribute 2: AS_PATH segment overruns the attribute" },
		{ { 2, 1, 0, 0, 0, 1, 2 }, 7, "attribute 2: AS_PATH has a trailing byte after its last segment" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tmsg m;

		t_update_begin(&m);
		put_mp_reach(&m, ATTR_O);
		put_origin(&m);
		t_attr(&m, ATTR_T, BGP_ATTR_AS_PATH, cases[i].v, cases[i].len);
		t_update_end(&m, NULL, 0);
		expect(&m, &ibgp, BGP_ACT_TREAT_AS_WITHDRAW,
		       BGP_UPD_MALFORMED_ASPATH, cases[i].reason);
	}
}

static void test_7606_ebgp_first_as(void **state)
{
	struct tmsg m;
	struct bgp_update u;
	static const uint8_t p[] = { 2, 1, 0, 0, 0xfd, 0xea };	/* 65002 */

	(void)state;
	t_update_begin(&m);
	put_mp_reach(&m, ATTR_O);
	put_origin(&m);
	t_attr(&m, ATTR_T, BGP_ATTR_AS_PATH, p, sizeof(p));
	t_update_end(&m, NULL, 0);
	expect(&m, &ebgp, BGP_ACT_TREAT_AS_WITHDRAW, BGP_UPD_MALFORMED_ASPATH,
	       "AS_PATH does not start with the peer AS 65001");
	/* the standard path starts with 65001: accepted from that peer */
	std_update(&m);
	t_update_end(&m, NULL, 0);
	/* LOCAL_PREF from an eBGP peer is discarded, the routes stay */
	assert_int_equal(parse(&m, &ebgp, &u), BGP_ACT_ATTR_DISCARD);
	assert_string_equal(u.err.reason, "attribute 5: LOCAL_PREF from an external peer");
	assert_false(bgp_attr_present(&u.attrs, BGP_ATTR_LOCAL_PREF));
	assert_int_equal(u.n_vpn_reach, 2);
	bgp_update_free(&u);
}

static void test_7606_flags(void **state)
{
	struct tmsg m;

	(void)state;
	t_update_begin(&m);
	put_mp_reach(&m, ATTR_O);
	t_attr(&m, ATTR_OT, BGP_ATTR_ORIGIN, "\x00", 1);
	put_aspath(&m);
	t_update_end(&m, NULL, 0);
	expect(&m, &ibgp, BGP_ACT_TREAT_AS_WITHDRAW, BGP_UPD_ATTR_FLAGS,
	       "attribute 1: optional/transitive flags conflict");

	/* MP_REACH with wrong flags: its routes are read and withdrawn */
	t_update_begin(&m);
	put_mp_reach(&m, ATTR_OT);
	put_origin(&m);
	put_aspath(&m);
	t_update_end(&m, NULL, 0);
	expect(&m, &ibgp, BGP_ACT_TREAT_AS_WITHDRAW, BGP_UPD_ATTR_FLAGS,
	       "attribute 14: optional/transitive flags conflict");
}

static void test_7606_discards(void **state)
{
	struct tmsg m;
	struct bgp_update u;

	(void)state;
	std_update(&m);
	t_attr(&m, ATTR_T, BGP_ATTR_ATOMIC_AGGREGATE, "x", 1);
	t_attr(&m, ATTR_OT, BGP_ATTR_AGGREGATOR, "1234567", 7);
	t_update_end(&m, NULL, 0);
	assert_int_equal(parse(&m, &ibgp, &u), BGP_ACT_ATTR_DISCARD);
	assert_string_equal(u.err.reason, "attribute 6: ATOMIC_AGGREGATE length is not 0");
	assert_int_equal(u.n_discarded, 2);
	assert_int_equal(u.n_vpn_reach, 2);
	assert_false(u.attrs.atomic_aggregate);
	bgp_update_free(&u);

	/* AS4_PATH: malformed on a 2-octet session, ignored on a 4-octet one */
	t_update_begin(&m);
	put_mp_reach(&m, ATTR_O);
	put_origin(&m);
	t_attr(&m, ATTR_T, BGP_ATTR_AS_PATH, "\x02\x01\xfd\xe9", 4);
	t_attr(&m, ATTR_OT, BGP_ATTR_AS4_PATH, "\x03\x01\x00\x00\x00\x01", 6);
	t_update_end(&m, NULL, 0);
	assert_int_equal(parse(&m, &ibgp_as2, &u), BGP_ACT_ATTR_DISCARD);
	assert_string_equal(u.err.reason, "attribute 17: AS4_PATH has a confederation segment");
	assert_int_equal(aspath_first_as(u.attrs.aspath, u.attrs.aspath_len), 65001);
	bgp_update_free(&u);

	std_update(&m);
	t_attr(&m, ATTR_OT, BGP_ATTR_AS4_PATH, "\x02\x01\x00\x00\x00\x01", 6);
	t_update_end(&m, NULL, 0);
	assert_int_equal(parse(&m, &ibgp, &u), BGP_ACT_ATTR_DISCARD);
	assert_string_equal(u.err.reason, "attribute 17: AS4_PATH on a 4-octet AS session");
	bgp_update_free(&u);
}

static void test_7606_strongest_wins(void **state)
{
	struct tmsg m;
	struct bgp_update u;
	uint8_t ec[4] = { 0 };

	(void)state;
	std_update(&m);
	t_attr(&m, ATTR_T, BGP_ATTR_ATOMIC_AGGREGATE, "x", 1);	/* discard */
	t_attr(&m, ATTR_OT, BGP_ATTR_EXT_COMMUNITIES, ec, 4);	/* withdraw */
	t_attr(&m, ATTR_O, BGP_ATTR_MED, "12", 2);		/* withdraw */
	t_update_end(&m, NULL, 0);
	assert_int_equal(parse(&m, &ibgp, &u), BGP_ACT_TREAT_AS_WITHDRAW);
	/* the first error of the strongest kind is the one reported */
	assert_string_equal(u.err.reason,
			    "attribute 16: EXTENDED_COMMUNITIES length is not a non-zero multiple of 8");
	assert_int_equal(u.n_discarded, 1);
	assert_two_withdrawn(&u);
	bgp_update_free(&u);
}

static void test_7606_bad_vpn_nlri(void **state)
{
	static const struct {
		uint8_t nlri[16];
		uint8_t len;
		const char *reason;
	} cases[] = {
		{ { 80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0 }, 11,
		  "attribute 14: VPNv4 prefix length shorter than label + RD" },
		{ { 88 + 33, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4 }, 16,
		  "attribute 14: VPNv4 prefix length above 32 after label + RD" },
		{ { 88 + 24, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 10, 1 }, 14,
		  "attribute 14: VPNv4 prefix overruns the NLRI field" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tmsg m;
		uint8_t v[64];

		t_update_begin(&m);
		t_attr(&m, ATTR_O, BGP_ATTR_MP_REACH_NLRI, v,
		       t_mp_reach_vpn(v, 1, cases[i].nlri, cases[i].len));
		put_origin(&m);
		put_aspath(&m);
		t_update_end(&m, NULL, 0);
		expect(&m, &ibgp, BGP_ACT_AFISAFI_DISABLE, BGP_UPD_OPTIONAL_ATTR,
		       cases[i].reason);
	}
}

static void test_7606_bad_mp_nexthop(void **state)
{
	struct tmsg m;
	uint8_t v[64], nlri[32];
	size_t n = t_vpn_nlri(nlri, 5, 1, 0, 0);

	(void)state;
	t_update_begin(&m);
	v[0] = 0;
	v[1] = 1;
	v[2] = 128;
	v[3] = 4;
	memset(v + 4, 1, 4);
	v[8] = 0;
	memcpy(v + 9, nlri, n);
	t_attr(&m, ATTR_O, BGP_ATTR_MP_REACH_NLRI, v, 9 + n);
	put_origin(&m);
	put_aspath(&m);
	t_update_end(&m, NULL, 0);
	expect(&m, &ibgp, BGP_ACT_AFISAFI_DISABLE, BGP_UPD_OPTIONAL_ATTR,
	       "attribute 14: VPNv4 next hop length is not 12");

	/* too short to even name its family: the session goes */
	t_update_begin(&m);
	t_attr(&m, ATTR_O, BGP_ATTR_MP_REACH_NLRI, v, 2);
	put_origin(&m);
	put_aspath(&m);
	t_update_end(&m, NULL, 0);
	expect(&m, &ibgp, BGP_ACT_SESSION_RESET, BGP_UPD_OPTIONAL_ATTR,
	       "attribute 14: shorter than AFI/SAFI");
	t_update_begin(&m);
	t_attr(&m, ATTR_O, BGP_ATTR_MP_REACH_NLRI, NULL, 0);
	t_update_end(&m, NULL, 0);
	expect(&m, &ibgp, BGP_ACT_SESSION_RESET, BGP_UPD_OPTIONAL_ATTR,
	       "attribute 14: shorter than AFI/SAFI");
}

static void test_7606_bad_mp_unreach(void **state)
{
	struct tmsg m;
	struct bgp_update u;
	static const uint8_t v[] = { 0, 1, 128, 120, 0, 0 };

	(void)state;
	t_update_begin(&m);
	t_attr(&m, ATTR_O, BGP_ATTR_MP_UNREACH_NLRI, v, sizeof(v));
	t_update_end(&m, NULL, 0);
	assert_int_equal(parse(&m, &ibgp, &u), BGP_ACT_AFISAFI_DISABLE);
	assert_string_equal(u.err.reason,
			    "attribute 15: VPNv4 prefix overruns the NLRI field");
	assert_int_equal(u.err.afi, 1);
	assert_int_equal(u.err.safi, 128);
	assert_false(u.eor);
	bgp_update_free(&u);
}

static void test_7606_bad_legacy_nlri(void **state)
{
	struct tmsg m;
	static const uint8_t nlri33[] = { 33, 1, 2, 3, 4, 5 };
	static const uint8_t short_nlri[] = { 24, 1, 2 };

	(void)state;
	std_update(&m);
	t_update_end(&m, nlri33, sizeof(nlri33));
	expect(&m, &ibgp, BGP_ACT_SESSION_RESET, BGP_UPD_INVALID_NETWORK,
	       "NLRI: IPv4 prefix length above 32");
	std_update(&m);
	t_update_end(&m, short_nlri, sizeof(short_nlri));
	expect(&m, &ibgp, BGP_ACT_SESSION_RESET, BGP_UPD_INVALID_NETWORK,
	       "NLRI: prefix overruns the NLRI field");
}

static void test_unrecognized_attrs(void **state)
{
	struct tmsg m;
	struct bgp_update u;

	(void)state;
	std_update(&m);
	t_attr(&m, ATTR_T, 99, "ab", 2);
	t_update_end(&m, NULL, 0);
	expect(&m, &ibgp, BGP_ACT_SESSION_RESET, BGP_UPD_UNRECOGNIZED_WELLKNOWN,
	       "attribute 99: unrecognized well-known attribute");
	assert_int_equal(parse(&m, &ibgp, &u), BGP_ACT_SESSION_RESET);
	/* NOTIFICATION data is the attribute itself */
	assert_int_equal(u.err.data_len, 5);
	assert_memory_equal(u.err.data, "\x40\x63\x02" "ab", 5);
	bgp_update_free(&u);

	std_update(&m);
	t_attr(&m, ATTR_O, 99, "ab", 2);
	t_attr(&m, ATTR_O | ATTR_EXT, 98, "abc", 3);
	t_update_end(&m, NULL, 0);
	assert_int_equal(parse(&m, &ibgp, &u), BGP_ACT_NONE);
	assert_int_equal(u.n_vpn_reach, 2);
	bgp_update_free(&u);

	/* an unknown address family is skipped, not an error */
	t_update_begin(&m);
	t_attr(&m, ATTR_O, BGP_ATTR_MP_UNREACH_NLRI, "\x00\x02\x01\x40\x20\x01", 6);
	t_update_end(&m, NULL, 0);
	assert_int_equal(parse(&m, &ibgp, &u), BGP_ACT_NONE);
	assert_int_equal(u.unknown_family, 1);
	assert_false(u.eor);
	bgp_update_free(&u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_update),
		cmocka_unit_test(test_encode_roundtrip),
		cmocka_unit_test(test_encode_splits),
		cmocka_unit_test(test_eor),
		cmocka_unit_test(test_addpath_and_host_bits),
		cmocka_unit_test(test_as4_merge),
		cmocka_unit_test(test_7606_withdrawn_length_overrun),
		cmocka_unit_test(test_7606_total_attr_length_overrun),
		cmocka_unit_test(test_7606_attr_overrun_after_mp),
		cmocka_unit_test(test_7606_attr_trailing_bytes),
		cmocka_unit_test(test_7606_attr_overrun_before_mp),
		cmocka_unit_test(test_7606_missing_mandatory),
		cmocka_unit_test(test_7606_next_hop_legacy),
		cmocka_unit_test(test_7606_duplicate_mp_reach),
		cmocka_unit_test(test_7606_duplicate_other),
		cmocka_unit_test(test_7606_ext_community_length),
		cmocka_unit_test(test_7606_length_errors_withdraw),
		cmocka_unit_test(test_7606_origin),
		cmocka_unit_test(test_7606_aspath),
		cmocka_unit_test(test_7606_ebgp_first_as),
		cmocka_unit_test(test_7606_flags),
		cmocka_unit_test(test_7606_discards),
		cmocka_unit_test(test_7606_strongest_wins),
		cmocka_unit_test(test_7606_bad_vpn_nlri),
		cmocka_unit_test(test_7606_bad_mp_nexthop),
		cmocka_unit_test(test_7606_bad_mp_unreach),
		cmocka_unit_test(test_7606_bad_legacy_nlri),
		cmocka_unit_test(test_unrecognized_attrs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
