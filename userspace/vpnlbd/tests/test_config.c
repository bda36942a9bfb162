// SPDX-License-Identifier: GPL-2.0-or-later
/* VRP-style configuration: views, errors with line numbers, the printed
 * configuration and its round trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config.h"

static const char *const seed[] = {
	"system-view",
	"ip vpn-instance vpna",
	" ipv4-family",
	"  route-distinguisher 100:1",
	"  vpn-target 111:1 both",
	" vrf vrf-a",
	" load-balance packet",
	"bgp 100",
	" router-id 1.1.1.1",
	" peer 2.2.2.2 as-number 100",
	" peer 2.2.2.2 connect-interface 1.1.1.1",
	" peer 3.3.3.3 as-number 100",
	" peer 3.3.3.3 connect-interface lo",
	" peer 4.4.4.4 as-number 100",
	" peer 4.4.4.4 connect-interface dummy0 1.1.1.4",
	" ipv4-family vpnv4",
	"  peer 2.2.2.2 enable",
	"  peer 3.3.3.3 enable",
	" ipv4-family vpn-instance vpna",
	"  maximum load-balancing 2",
	"  maximum load-balancing ibgp 3",
	"  load-balancing as-path-relax",
	"commit",
};

static const char *const seed_text =
	"#\n"
	"ip vpn-instance vpna\n"
	" ipv4-family\n"
	"  route-distinguisher 100:1\n"
	"  vpn-target 111:1 export-extcommunity\n"
	"  vpn-target 111:1 import-extcommunity\n"
	" vrf vrf-a\n"
	" load-balance packet\n"
	"#\n"
	"bgp 100\n"
	" router-id 1.1.1.1\n"
	" peer 2.2.2.2 as-number 100\n"
	" peer 2.2.2.2 connect-interface 1.1.1.1\n"
	" peer 3.3.3.3 as-number 100\n"
	" peer 3.3.3.3 connect-interface lo\n"
	" peer 4.4.4.4 as-number 100\n"
	" peer 4.4.4.4 connect-interface dummy0 1.1.1.4\n"
	" #\n"
	" ipv4-family vpnv4\n"
	"  peer 2.2.2.2 enable\n"
	"  peer 3.3.3.3 enable\n"
	" #\n"
	" ipv4-family vpn-instance vpna\n"
	"  maximum load-balancing 2\n"
	"  maximum load-balancing ibgp 3\n"
	"  load-balancing as-path-relax\n"
	"#\n"
	"return\n";

static void run_lines(struct cfg_session *s, const char *const *lines, size_t n,
		      enum cfg_result last)
{
	char err[256];

	for (size_t i = 0; i < n; i++) {
		enum cfg_result r = cfg_session_line(s, lines[i], err, sizeof(err));

		if (i + 1 < n) {
			if (r != CFG_DONE)
				fail_msg("line %zu \"%s\": %s", i + 1, lines[i], err);
		} else {
			assert_int_equal(r, last);
		}
	}
}

static void test_seed(void **state)
{
	struct config running;
	struct cfg_session s;
	const struct cfg_instance *in;
	char err[256], *text;

	(void)state;
	cfg_init(&running);
	cfg_session_init(&s, &running, CFG_VIEW_USER);
	run_lines(&s, seed, sizeof(seed) / sizeof(seed[0]), CFG_COMMIT);
	assert_true(cfg_validate(&s.cand, err, sizeof(err)));
	assert_true(s.cand.bgp);
	assert_int_equal(s.cand.as, 100);
	assert_int_equal(s.cand.router_id, 0x01010101);
	assert_int_equal(s.cand.n_peers, 3);
	assert_true(s.cand.peers[0].vpnv4);
	assert_int_equal(s.cand.peers[0].connect_if, 0x01010101);
	assert_string_equal(s.cand.peers[0].connect_ifname, "");
	assert_int_equal(s.cand.peers[1].connect_if, 0);
	assert_string_equal(s.cand.peers[1].connect_ifname, "lo");
	assert_int_equal(s.cand.peers[2].connect_if, 0x01010104);
	assert_string_equal(s.cand.peers[2].connect_ifname, "dummy0");
	in = cfg_find_instance_const(&s.cand, "vpna");
	assert_non_null(in);
	assert_int_equal(in->rd, 100ull << 32 | 1);
	assert_int_equal(in->n_import, 1);
	assert_int_equal(in->n_export, 1);
	assert_string_equal(in->vrf, "vrf-a");
	assert_true(in->lb_packet);
	assert_int_equal(in->max_paths, 2);
	assert_int_equal(in->max_ibgp, 3);
	assert_true(in->as_path_relax);
	assert_false(in->as_path_ignore);
	text = cfg_format(&s.cand);
	assert_string_equal(text, seed_text);
	free(text);
}

static void test_round_trip(void **state)
{
	struct config running;
	struct cfg_session s, s2;
	char *text, *text2, *line, *save = NULL, err[256];

	(void)state;
	cfg_init(&running);
	cfg_session_init(&s, &running, CFG_VIEW_USER);
	run_lines(&s, seed, sizeof(seed) / sizeof(seed[0]), CFG_COMMIT);
	text = cfg_format(&s.cand);
	/* a saved file is read from system-view at start */
	cfg_session_init(&s2, &running, CFG_VIEW_SYSTEM);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		enum cfg_result r = cfg_session_line(&s2, line, err, sizeof(err));

		if (r != CFG_DONE)
			fail_msg("\"%s\": %s", line, err);
	}
	free(text);
	text = cfg_format(&s.cand);
	text2 = cfg_format(&s2.cand);
	assert_string_equal(text2, text);
	free(text);
	free(text2);
}

static void expect_error(const char *const *lines, size_t n, const char *msg)
{
	struct config running;
	struct cfg_session s;
	char err[256] = "";
	enum cfg_result r = CFG_DONE;

	cfg_init(&running);
	cfg_session_init(&s, &running, CFG_VIEW_USER);
	for (size_t i = 0; i < n; i++)
		r = cfg_session_line(&s, lines[i], err, sizeof(err));
	assert_int_equal(r, CFG_ERROR);
	assert_string_equal(err, msg);
	assert_int_equal(s.errors, 1);
	assert_string_equal(s.first_error, msg);
}

#define EXPECT_ERROR(msg, ...) do {					\
		const char *const l_[] = { __VA_ARGS__ };		\
		expect_error(l_, sizeof(l_) / sizeof(l_[0]), msg);	\
	} while (0)

static void test_errors(void **state)
{
	(void)state;
	EXPECT_ERROR("line 1: unrecognized command \"bgp\" in user view (enter system-view first)",
		     "bgp 100");
	EXPECT_ERROR("line 2: unrecognized command \"frobnicate\"",
		     "system-view", "frobnicate 1");
	/* only the vpn-instance address family has it */
	EXPECT_ERROR("line 3: unrecognized command \"maximum\"",
		     "system-view", "bgp 100", "maximum load-balancing 65");
	EXPECT_ERROR("line 7: maximum load-balancing 65 out of range 1..64",
		     "system-view", "ip vpn-instance vpna", "ipv4-family",
		     "route-distinguisher 100:1", "bgp 100",
		     "ipv4-family vpn-instance vpna",
		     "maximum load-balancing 65");
	EXPECT_ERROR("line 7: maximum load-balancing 0 out of range 1..64",
		     "system-view", "ip vpn-instance vpna", "ipv4-family",
		     "route-distinguisher 100:1", "bgp 100",
		     "ipv4-family vpn-instance vpna", "maximum load-balancing 0");
	EXPECT_ERROR("line 7: usage: maximum load-balancing [ebgp|ibgp] NUMBER",
		     "system-view", "ip vpn-instance vpna", "ipv4-family",
		     "route-distinguisher 100:1", "bgp 100",
		     "ipv4-family vpn-instance vpna", "maximum load-balancing ebgp");
	EXPECT_ERROR("line 3: unknown vpn-instance vpnb",
		     "system-view", "bgp 100", "ipv4-family vpn-instance vpnb");
	EXPECT_ERROR("line 4: vpn-instance vpna has no route-distinguisher",
		     "system-view", "ip vpn-instance vpna", "bgp 100",
		     "ipv4-family vpn-instance vpna");
	EXPECT_ERROR("line 4: bad route-distinguisher 100",
		     "system-view", "ip vpn-instance vpna", "ipv4-family",
		     "route-distinguisher 100");
	EXPECT_ERROR("line 5: bad vpn-target 1.2.3.4:70000",
		     "system-view", "ip vpn-instance vpna", "ipv4-family",
		     "route-distinguisher 100:1", "vpn-target 1.2.3.4:70000 both");
	EXPECT_ERROR("line 4: configure route-distinguisher before vpn-target",
		     "system-view", "ip vpn-instance vpna", "ipv4-family",
		     "vpn-target 111:1 both");
	EXPECT_ERROR("line 4: peer 2.2.2.2 has no as-number; configure it in the bgp view first",
		     "system-view", "bgp 100", "ipv4-family vpnv4", "peer 2.2.2.2 enable");
	EXPECT_ERROR("line 2: vpn-instance name abcdefghijabcdefghijabcdefghijXY longer than 31 characters",
		     "system-view", "ip vpn-instance abcdefghijabcdefghijabcdefghijXY");
	EXPECT_ERROR("line 4: bgp 100 is already running; undo it first",
		     "system-view", "bgp 100", "quit", "bgp 200");
	EXPECT_ERROR("line 3: bad as-number 0",
		     "system-view", "bgp 100", "peer 2.2.2.2 as-number 0");
	EXPECT_ERROR("line 3: bad router-id 1.2.3",
		     "system-view", "bgp 100", "router-id 1.2.3");
	EXPECT_ERROR("line 4: invalid interface name eth0/1 (1 to 15 characters, no '/', ':' or spaces)",
		     "system-view", "bgp 100", "peer 2.2.2.2 as-number 100",
		     "peer 2.2.2.2 connect-interface eth0/1");
	EXPECT_ERROR("line 4: invalid interface name abcdefghijklmnop (1 to 15 characters, no '/', ':' or spaces)",
		     "system-view", "bgp 100", "peer 2.2.2.2 as-number 100",
		     "peer 2.2.2.2 connect-interface abcdefghijklmnop");
	EXPECT_ERROR("line 4: usage: peer ADDRESS connect-interface {LOCAL-ADDRESS | INTERFACE [LOCAL-ADDRESS]}",
		     "system-view", "bgp 100", "peer 2.2.2.2 as-number 100",
		     "peer 2.2.2.2 connect-interface lo 1.2.3");
	EXPECT_ERROR("line 4: usage: load-balance packet|flow",
		     "system-view", "ip vpn-instance vpna", "ipv4-family",
		     "load-balance round-robin");
}

static void test_views_and_undo(void **state)
{
	struct config running;
	struct cfg_session s;
	const struct cfg_instance *in;
	char err[256], view[64];
	static const char *const lines[] = {
		"system-view",
		"ip vpn-instance vpna",
		"ipv4-family",
		"route-distinguisher 100:1",
		"vpn-target 111:1 222:2 import-extcommunity",
		"bgp 100",
		"ipv4-family vpnv4",
		/* a bgp-view command from the vpnv4 view */
		"peer 2.2.2.2 as-number 100",
		"ipv4-family vpn-instance vpna",
		"maximum load-balancing 4",
		"maximum load-balancing ebgp 2",
		"undo maximum load-balancing",
		"ip vpn-instance vpna",
		"ipv4-family",
		"undo vpn-target 222:2 import-extcommunity",
	};

	(void)state;
	cfg_init(&running);
	cfg_session_init(&s, &running, CFG_VIEW_USER);
	run_lines(&s, lines, sizeof(lines) / sizeof(lines[0]), CFG_DONE);
	assert_string_equal(cfg_view_name(&s, view, sizeof(view)),
			    "vpn-instance-vpna-af-ipv4");
	in = cfg_find_instance_const(&s.cand, "vpna");
	assert_int_equal(in->max_paths, 0);
	assert_int_equal(in->max_ebgp, 2);
	assert_int_equal(in->n_import, 1);
	assert_int_equal(in->n_export, 0);
	assert_int_equal(s.cand.n_peers, 1);
	assert_int_equal(cfg_session_line(&s, "quit", err, sizeof(err)), CFG_DONE);
	assert_string_equal(cfg_view_name(&s, view, sizeof(view)), "vpn-instance-vpna");
	assert_int_equal(cfg_session_line(&s, "bgp 100", err, sizeof(err)), CFG_DONE);
	assert_int_equal(cfg_session_line(&s, "undo peer 2.2.2.2", err, sizeof(err)), CFG_DONE);
	assert_int_equal(s.cand.n_peers, 0);
	assert_int_equal(cfg_session_line(&s, "display bgp peer", err, sizeof(err)), CFG_OTHER);
	assert_int_equal(cfg_session_line(&s, "return", err, sizeof(err)), CFG_DONE);
	assert_string_equal(cfg_view_name(&s, view, sizeof(view)), "user");
	assert_int_equal(cfg_session_line(&s, "commit", err, sizeof(err)), CFG_ERROR);
	assert_string_equal(err, "line 21: commit works in system-view");
	/* the running configuration was never touched */
	assert_int_equal(running.n_inst, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_views_and_undo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
