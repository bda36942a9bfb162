// SPDX-License-Identifier: GPL-2.0-or-later
/* Header, OPEN, NOTIFICATION, KEEPALIVE and ROUTE-REFRESH codec tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bgp_msg.h"
#include "bgp_wire.h"
#include "msgbuild.h"

static void expect_header_error(const uint8_t *b, size_t len, uint8_t subcode,
				const uint8_t *data, size_t dlen)
{
	struct bgp_error err;
	uint16_t ml;
	uint8_t type;

	bgp_error_clear(&err);
	assert_false(bgp_header_parse(b, len, &ml, &type, &err));
	assert_int_equal(err.action, BGP_ACT_SESSION_RESET);
	assert_int_equal(err.code, BGP_ERR_HEADER);
	assert_int_equal(err.subcode, subcode);
	assert_int_equal(err.data_len, dlen);
	if (dlen)
		assert_memory_equal(err.data, data, dlen);
}

static void test_header_ok(void **state)
{
	struct tmsg m;
	struct bgp_error err;
	uint16_t ml;
	uint8_t type;

	(void)state;
	t_header(&m, BGP_MSG_KEEPALIVE);
	t_finish(&m);
	bgp_error_clear(&err);
	assert_true(bgp_header_parse(m.b, m.len, &ml, &type, &err));
	assert_int_equal(ml, 19);
	assert_int_equal(type, BGP_MSG_KEEPALIVE);
	assert_int_equal(err.action, BGP_ACT_NONE);
}

static void test_header_errors(void **state)
{
	struct tmsg m;
	static const uint8_t len18[] = { 0, 18 };
	static const uint8_t len4097[] = { 0x10, 0x01 };
	static const uint8_t len20[] = { 0, 20 };
	static const uint8_t type6[] = { 6 };

	(void)state;
	t_header(&m, BGP_MSG_KEEPALIVE);
	t_finish(&m);
	m.b[3] = 0xfe;
	expect_header_error(m.b, m.len, BGP_HDR_NOT_SYNC, NULL, 0);

	t_header(&m, BGP_MSG_KEEPALIVE);
	m.b[16] = 0;
	m.b[17] = 18;
	expect_header_error(m.b, 19, BGP_HDR_BAD_LENGTH, len18, 2);
	m.b[16] = 0x10;
	m.b[17] = 0x01;
	expect_header_error(m.b, 19, BGP_HDR_BAD_LENGTH, len4097, 2);

	/* per-type minimum/exact lengths (RFC 4271 6.1) */
	t_header(&m, BGP_MSG_KEEPALIVE);
	t_u8(&m, 0);
	t_finish(&m);
	expect_header_error(m.b, m.len, BGP_HDR_BAD_LENGTH, len20, 2);
	t_header(&m, BGP_MSG_OPEN);
	m.len = 28;
	t_finish(&m);
	expect_header_error(m.b, m.len, BGP_HDR_BAD_LENGTH, (const uint8_t[]){ 0, 28 }, 2);
	t_header(&m, BGP_MSG_UPDATE);
	m.len = 22;
	t_finish(&m);
	expect_header_error(m.b, m.len, BGP_HDR_BAD_LENGTH, (const uint8_t[]){ 0, 22 }, 2);
	t_header(&m, BGP_MSG_NOTIFICATION);
	t_finish(&m);
	expect_header_error(m.b, m.len, BGP_HDR_BAD_LENGTH, (const uint8_t[]){ 0, 19 }, 2);
	t_header(&m, BGP_MSG_ROUTE_REFRESH);
	m.len = 24;
	t_finish(&m);
	expect_header_error(m.b, m.len, BGP_HDR_BAD_LENGTH, (const uint8_t[]){ 0, 24 }, 2);

	t_header(&m, 6);
	t_finish(&m);
	expect_header_error(m.b, m.len, BGP_HDR_BAD_TYPE, type6, 1);

	expect_header_error(m.b, 10, BGP_HDR_BAD_LENGTH, NULL, 0);
}

static void test_open_roundtrip(void **state)
{
	uint8_t buf[4096];
	struct bgp_caps caps = { 0 };
	struct bgp_open open;
	struct bgp_error err;
	size_t n;

	(void)state;
	caps.mp[BGP_FAM_VPNV4] = true;
	caps.as4 = true;
	caps.route_refresh = true;
	caps.enhanced_rr = true;
	caps.gr = true;
	caps.gr_flags = BGP_GR_FLAG_RESTART;
	caps.gr_time = 120;
	caps.gr_af[BGP_FAM_VPNV4] = true;
	caps.gr_af_forwarding[BGP_FAM_VPNV4] = true;
	caps.addpath[BGP_FAM_VPNV4] = BGP_ADDPATH_RECEIVE;
	n = bgp_open_encode(buf, sizeof(buf), 4200000001u, 90, 0x01010101, &caps);
	/* 29 + parameter header 2 + MP 6 + RR 2 + ERR 2 + AS4 6 + GR 2+2+4
	 * + ADDPATH 2+4 */
	assert_int_equal(n, 29 + 2 + 6 + 2 + 2 + 6 + 8 + 6);
	assert_int_equal(get_be16(buf + 16), n);
	assert_int_equal(buf[18], BGP_MSG_OPEN);
	bgp_error_clear(&err);
	assert_true(bgp_open_parse(buf, n, &open, &err));
	assert_int_equal(open.version, 4);
	assert_int_equal(open.my_as, BGP_AS_TRANS);
	assert_int_equal(open.hold_time, 90);
	assert_int_equal(open.bgp_id, 0x01010101);
	assert_true(open.caps.mp[BGP_FAM_VPNV4]);
	assert_false(open.caps.mp[BGP_FAM_IPV4_UNICAST]);
	assert_true(open.caps.as4);
	assert_int_equal(open.caps.as4_asn, 4200000001u);
	assert_true(open.caps.route_refresh);
	assert_true(open.caps.enhanced_rr);
	assert_true(open.caps.gr);
	assert_int_equal(open.caps.gr_flags, BGP_GR_FLAG_RESTART);
	assert_int_equal(open.caps.gr_time, 120);
	assert_true(open.caps.gr_af[BGP_FAM_VPNV4]);
	assert_true(open.caps.gr_af_forwarding[BGP_FAM_VPNV4]);
	assert_int_equal(open.caps.addpath[BGP_FAM_VPNV4], BGP_ADDPATH_RECEIVE);
	assert_int_equal(open.caps.unknown, 0);
}

/* Builds an OPEN with one capabilities parameter holding caps[0..n). */
static void build_open(struct tmsg *m, uint8_t version, uint16_t as,
		       uint16_t hold, uint32_t id, const uint8_t *caps, size_t n)
{
	t_header(m, BGP_MSG_OPEN);
	t_u8(m, version);
	t_u16(m, as);
	t_u16(m, hold);
	t_u32(m, id);
	if (n) {
		t_u8(m, (uint8_t)(n + 2));
		t_u8(m, 2);
		t_u8(m, (uint8_t)n);
		t_bytes(m, caps, n);
	} else {
		t_u8(m, 0);
	}
	t_finish(m);
}

static void expect_open_error(const struct tmsg *m, uint8_t subcode,
			      const char *reason)
{
	struct bgp_open open;
	struct bgp_error err;

	bgp_error_clear(&err);
	assert_false(bgp_open_parse(m->b, m->len, &open, &err));
	assert_int_equal(err.action, BGP_ACT_SESSION_RESET);
	assert_int_equal(err.code, BGP_ERR_OPEN);
	assert_int_equal(err.subcode, subcode);
	assert_string_equal(err.reason, reason);
}

static void test_open_errors(void **state)
{
	struct tmsg m;
	struct bgp_open open;
	struct bgp_error err;
	static const uint8_t as4_zero[] = { 65, 4, 0, 0, 0, 0 };
	static const uint8_t mp_short[] = { 1, 3, 0, 1, 0 };
	static const uint8_t overrun[] = { 1, 9, 0, 1, 0, 128 };
	static const uint8_t gr_bad[] = { 64, 3, 0, 120, 0 };
	static const uint8_t ap_bad[] = { 69, 3, 0, 1, 128 };

	(void)state;
	build_open(&m, 3, 100, 90, 1, NULL, 0);
	expect_open_error(&m, BGP_OPEN_BAD_VERSION, "unsupported BGP version");
	bgp_error_clear(&err);
	bgp_open_parse(m.b, m.len, &open, &err);
	assert_int_equal(err.data_len, 2);
	assert_int_equal(err.data[0], 0);
	assert_int_equal(err.data[1], 4);

	build_open(&m, 4, 100, 1, 1, NULL, 0);
	expect_open_error(&m, BGP_OPEN_BAD_HOLD_TIME, "hold time 1 or 2 seconds");
	build_open(&m, 4, 100, 2, 1, NULL, 0);
	expect_open_error(&m, BGP_OPEN_BAD_HOLD_TIME, "hold time 1 or 2 seconds");
	build_open(&m, 4, 100, 90, 0, NULL, 0);
	expect_open_error(&m, BGP_OPEN_BAD_BGP_ID, "BGP identifier is 0");
	build_open(&m, 4, 0, 90, 1, NULL, 0);
	expect_open_error(&m, BGP_OPEN_BAD_PEER_AS, "My Autonomous System is 0");
	build_open(&m, 4, 100, 90, 1, as4_zero, sizeof(as4_zero));
	expect_open_error(&m, BGP_OPEN_BAD_PEER_AS,
			  "4-octet AS capability carries AS 0");
	build_open(&m, 4, 100, 90, 1, mp_short, sizeof(mp_short));
	expect_open_error(&m, BGP_OPEN_UNSPECIFIC,
			  "multiprotocol capability length is not 4");
	build_open(&m, 4, 100, 90, 1, overrun, sizeof(overrun));
	expect_open_error(&m, BGP_OPEN_UNSPECIFIC,
			  "capability overruns its optional parameter");
	build_open(&m, 4, 100, 90, 1, gr_bad, sizeof(gr_bad));
	expect_open_error(&m, BGP_OPEN_UNSPECIFIC,
			  "graceful restart capability length is not 2 + 4n");
	build_open(&m, 4, 100, 90, 1, ap_bad, sizeof(ap_bad));
	expect_open_error(&m, BGP_OPEN_UNSPECIFIC,
			  "add-path capability length is not 4n");

	/* optional parameter type 1 (authentication) is not supported */
	build_open(&m, 4, 100, 90, 1, NULL, 0);
	m.b[28] = 3;
	m.len = 29;
	t_u8(&m, 1);
	t_u8(&m, 1);
	t_u8(&m, 0);
	t_finish(&m);
	expect_open_error(&m, BGP_OPEN_UNSUPPORTED_PARAM,
			  "optional parameter other than capabilities");

	/* parameters length larger than the message */
	build_open(&m, 4, 100, 90, 1, NULL, 0);
	m.b[28] = 4;
	expect_open_error(&m, BGP_OPEN_UNSPECIFIC,
			  "optional parameters length does not match the message");
}

static void test_open_lenient(void **state)
{
	struct tmsg m;
	struct bgp_open open;
	struct bgp_error err;
	/* unknown capability 99, add-path with mode 0 (ignored), old-style
	 * route refresh, MP for IPv6 unicast (ignored) */
	static const uint8_t caps[] = {
		99, 2, 0xaa, 0xbb,
		69, 4, 0, 1, 128, 0,
		128, 0,
		1, 4, 0, 2, 0, 1,
		1, 4, 0, 1, 0, 1,
	};

	(void)state;
	build_open(&m, 4, 65001, 0, 0x0a000001, caps, sizeof(caps));
	bgp_error_clear(&err);
	assert_true(bgp_open_parse(m.b, m.len, &open, &err));
	assert_int_equal(open.my_as, 65001);
	assert_int_equal(open.hold_time, 0);
	assert_int_equal(open.caps.unknown, 1);
	assert_int_equal(open.caps.addpath[BGP_FAM_VPNV4], 0);
	assert_true(open.caps.route_refresh);
	assert_true(open.caps.mp[BGP_FAM_IPV4_UNICAST]);
	assert_false(open.caps.mp[BGP_FAM_VPNV4]);
	assert_false(open.caps.as4);
}

static void test_open_extended_params(void **state)
{
	struct tmsg m;
	struct bgp_open open;
	struct bgp_error err;

	(void)state;
	/* RFC 9072: 255, 255, 2-byte length, parameters with 2-byte lengths */
	t_header(&m, BGP_MSG_OPEN);
	t_u8(&m, 4);
	t_u16(&m, 100);
	t_u16(&m, 180);
	t_u32(&m, 7);
	t_u8(&m, 255);
	t_u8(&m, 255);
	t_u16(&m, 9);
	t_u8(&m, 2);
	t_u16(&m, 6);
	t_u8(&m, 1);
	t_u8(&m, 4);
	t_u16(&m, 1);
	t_u8(&m, 0);
	t_u8(&m, 128);
	t_finish(&m);
	bgp_error_clear(&err);
	assert_true(bgp_open_parse(m.b, m.len, &open, &err));
	assert_true(open.caps.mp[BGP_FAM_VPNV4]);
	assert_int_equal(open.hold_time, 180);
}

static void test_notification(void **state)
{
	uint8_t buf[4096];
	struct bgp_notification n;
	struct bgp_error err;
	char text[512];
	static const uint8_t comm[] = { 11, 'm', 'a', 'i', 'n', 't', 'e', 'n',
					'a', 'n', 'c', 'e' };
	size_t len;

	(void)state;
	len = bgp_notification_encode(buf, sizeof(buf), BGP_ERR_CEASE,
				      BGP_CEASE_ADMIN_SHUTDOWN, comm,
				      sizeof(comm));
	assert_int_equal(len, 21 + sizeof(comm));
	bgp_error_clear(&err);
	assert_true(bgp_notification_parse(buf, len, &n, &err));
	assert_int_equal(n.code, 6);
	assert_int_equal(n.subcode, 2);
	assert_int_equal(n.data_len, sizeof(comm));
	bgp_notification_format(&n, text, sizeof(text));
	assert_string_equal(text,
			    "Cease/Administrative Shutdown (6/2): \"maintenance\"");

	len = bgp_notification_encode(buf, sizeof(buf), BGP_ERR_UPDATE,
				      BGP_UPD_MALFORMED_ATTR_LIST, NULL, 0);
	assert_int_equal(len, 21);
	assert_true(bgp_notification_parse(buf, len, &n, &err));
	bgp_notification_format(&n, text, sizeof(text));
	assert_string_equal(text,
			    "UPDATE Message Error/Malformed Attribute List (3/1)");

	/* a communication whose length byte overruns is not shown */
	len = bgp_notification_encode(buf, sizeof(buf), BGP_ERR_CEASE,
				      BGP_CEASE_ADMIN_RESET, "\x09" "ab", 3);
	assert_true(bgp_notification_parse(buf, len, &n, &err));
	bgp_notification_format(&n, text, sizeof(text));
	assert_string_equal(text,
			    "Cease/Administrative Reset (6/4), 3 bytes of data");

	assert_false(bgp_notification_parse(buf, 20, &n, &err));
}

static void test_keepalive_and_refresh(void **state)
{
	uint8_t buf[64];
	struct bgp_route_refresh rr;
	struct bgp_error err;
	uint16_t ml;
	uint8_t type;
	size_t len;

	(void)state;
	len = bgp_keepalive_encode(buf, sizeof(buf));
	assert_int_equal(len, 19);
	bgp_error_clear(&err);
	assert_true(bgp_header_parse(buf, len, &ml, &type, &err));
	assert_true(bgp_keepalive_parse(buf, len, &err));
	assert_false(bgp_keepalive_parse(buf, 20, &err));

	len = bgp_route_refresh_encode(buf, sizeof(buf), 1, 128, 0);
	assert_int_equal(len, 23);
	assert_true(bgp_header_parse(buf, len, &ml, &type, &err));
	assert_int_equal(type, BGP_MSG_ROUTE_REFRESH);
	assert_true(bgp_route_refresh_parse(buf, len, &rr, &err));
	assert_int_equal(rr.afi, 1);
	assert_int_equal(rr.safi, 128);
	assert_int_equal(rr.subtype, 0);

	/* no room: the encoders refuse instead of truncating */
	assert_int_equal(bgp_keepalive_encode(buf, 18), 0);
	assert_int_equal(bgp_route_refresh_encode(buf, 22, 1, 128, 0), 0);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(bgp_notify_code_name(4), "Hold Timer Expired");
	assert_string_equal(bgp_notify_subcode_name(2, 6), "Unacceptable Hold Time");
	assert_string_equal(bgp_notify_subcode_name(6, 7),
			    "Connection Collision Resolution");
	assert_string_equal(bgp_notify_subcode_name(3, 7), "Unknown Subcode");
	assert_string_equal(bgp_action_name(BGP_ACT_TREAT_AS_WITHDRAW),
			    "treat-as-withdraw");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_ok),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_open_roundtrip),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_open_lenient),
		cmocka_unit_test(test_open_extended_params),
		cmocka_unit_test(test_notification),
		cmocka_unit_test(test_keepalive_and_refresh),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
