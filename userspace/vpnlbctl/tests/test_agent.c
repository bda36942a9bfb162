// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vpnlbd control-socket replies: headers a well-behaved vpnlbd sends are
 * read exactly; anything else is refused rather than trusted.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "agent.h"

static void test_header_ok(void **state)
{
	struct vl_reply r = { 0 };

	(void)state;
	assert_int_equal(vl_agent_parse_header("ok 0 system", &r), 0);
	assert_true(r.ok);
	assert_int_equal(r.len, 0);
	assert_string_equal(r.view, "system");

	assert_int_equal(vl_agent_parse_header("error 38 bgp-vpna", &r), 0);
	assert_false(r.ok);
	assert_int_equal(r.len, 38);
	assert_string_equal(r.view, "bgp-vpna");
}

static void test_header_malformed(void **state)
{
	static const char *const bad[] = {
		"", "ok", "ok ", "ok 12", "ok 12 ", "okay 1 user",
		"ok -1 user", "ok x user", "ok 1  user", "ok 1 two words",
		"ok 67108865 user", "ok 99999999999999999999999 user",
		"ok 1 a-view-name-that-is-far-longer-than-any-view-vpnlbd-has-0123456789",
		"ERROR 1 user",
	};
	struct vl_reply r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (vl_agent_parse_header(bad[i], &r) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
	}
}

static void test_is_display(void **state)
{
	char *bgp[] = { "display", "bgp", "peer" };
	char *cur[] = { "display", "current-configuration" };
	char *fib[] = { "display", "ip", "routing-table" };
	char *one[] = { "display" };

	(void)state;
	assert_true(vl_agent_is_display(3, bgp));
	assert_true(vl_agent_is_display(2, cur));
	assert_false(vl_agent_is_display(3, fib));
	assert_false(vl_agent_is_display(1, one));
	assert_false(vl_agent_is_display(0, one));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_ok),
		cmocka_unit_test(test_header_malformed),
		cmocka_unit_test(test_is_display),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
