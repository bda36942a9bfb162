// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The exact text of "display ip routing-table vpn-instance", brief and
 * verbose, and its JSON. Columns (brief): Destination/Mask right-aligned
 * in 18, two blanks, Proto 8, Pre 5, Cost 10, two blanks, Flags 4,
 * NextHop 16, Interface. Verbose: "%13s: %-16s%10s: %s", as VRP.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"
#include "show.h"

static const char legend[] =
"Route Flags: R - relay, D - download to fib\n"
"------------------------------------------------------------------------------\n"
"Routing Table : vpna\n";

static void test_brief(void **state)
{
	struct fixture *f = fixture_new();
	char *text = NULL, expected[2048];

	(void)state;
	CAPTURE(text, vl_display_text(out, &f->view, false));
	snprintf(expected, sizeof(expected), "%s%s", legend,
"         Destinations : 2        Routes : 3\n"
"\n"
"Destination/Mask    Proto   Pre  Cost      Flags NextHop         Interface\n"
"\n"
"       10.2.0.0/16  IBGP    255  0           RD  2.2.2.2         eth1\n"
"                    IBGP    255  0           RD  3.3.3.3         eth2\n"
"       10.3.1.0/24  Static  60   5           RD  2.2.2.2         eth1\n");
	assert_string_equal(text, expected);
	free(text);
	free(f);
}

static void test_brief_no_active_member(void **state)
{
	struct fixture *f = fixture_new();
	char *text = NULL, expected[2048];

	(void)state;
	/* every tunnel down: the route stays listed, not downloaded */
	f->groups[0].members[0].state = VPNLB_MEMBER_DOWN;
	f->groups[0].members[1].state = VPNLB_MEMBER_DOWN;
	f->groups[0].members[2].state = VPNLB_MEMBER_DOWN;
	f->tunnels[1].state = VPNLB_TUNNEL_DOWN_NEIGH;
	CAPTURE(text, vl_display_text(out, &f->view, false));
	snprintf(expected, sizeof(expected), "%s%s", legend,
"         Destinations : 2        Routes : 4\n"
"\n"
"Destination/Mask    Proto   Pre  Cost      Flags NextHop         Interface\n"
"\n"
"       10.2.0.0/16  IBGP    255  0           R   2.2.2.2         eth1\n"
"                    IBGP    255  0           R   3.3.3.3         eth2\n"
"                    IBGP    255  0           R   4.4.4.4         eth3\n"
"       10.3.1.0/24  Static  60   5           R   2.2.2.2         eth1\n");
	assert_string_equal(text, expected);
	free(text);

	/* a backup stays out of the brief even then */
	f->groups[0].members[2].state = VPNLB_MEMBER_BACKUP;
	CAPTURE(text, vl_display_text(out, &f->view, false));
	snprintf(expected, sizeof(expected), "%s%s", legend,
"         Destinations : 2        Routes : 3\n"
"\n"
"Destination/Mask    Proto   Pre  Cost      Flags NextHop         Interface\n"
"\n"
"       10.2.0.0/16  IBGP    255  0           R   2.2.2.2         eth1\n"
"                    IBGP    255  0           R   3.3.3.3         eth2\n"
"       10.3.1.0/24  Static  60   5           R   2.2.2.2         eth1\n");
	assert_string_equal(text, expected);
	free(text);
	free(f);
}

static void test_empty(void **state)
{
	struct fixture *f = fixture_new();
	char *text = NULL, expected[2048];

	(void)state;
	f->view.nroutes = 0;
	CAPTURE(text, vl_display_text(out, &f->view, false));
	snprintf(expected, sizeof(expected), "%s%s", legend,
"         Destinations : 0        Routes : 0\n"
"\n"
"Destination/Mask    Proto   Pre  Cost      Flags NextHop         Interface\n"
"\n");
	assert_string_equal(text, expected);
	free(text);
	CAPTURE(text, vl_display_text(out, &f->view, true));
	snprintf(expected, sizeof(expected), "%s%s", legend,
		 "Summary Count : 0\n");
	assert_string_equal(text, expected);
	free(text);
	free(f);
}

static void test_verbose(void **state)
{
	struct fixture *f = fixture_new();
	char *text = NULL, expected[4096];

	(void)state;
	CAPTURE(text, vl_display_text(out, &f->view, true));
	snprintf(expected, sizeof(expected), "%s%s", legend,
"Summary Count : 4\n"
"\n"
"Destination: 10.2.0.0/16\n"
"     Protocol: IBGP            Preference: 255\n"
"         Cost: 0                   Weight: 3\n"
"      NextHop: 2.2.2.2          Neighbour: 2.2.2.2\n"
"        State: Active Adv             Age: 00h01m16s\n"
"        Label: 1002\n"
" RelayNextHop: 10.0.1.2         Interface: eth1\n"
"     TunnelID: 0x0000000001         Flags: RD\n"
"      Packets: 300                  Bytes: 25200\n"
"\n"
"Destination: 10.2.0.0/16\n"
"     Protocol: IBGP            Preference: 255\n"
"         Cost: 0                   Weight: 1\n"
"      NextHop: 3.3.3.3          Neighbour: 9.9.9.9\n"
"        State: Active Adv             Age: 00h01m16s\n"
"        Label: 1003\n"
" RelayNextHop: 10.0.2.2         Interface: eth2\n"
"     TunnelID: 0x0000000002         Flags: RD\n"
"      Packets: 100                  Bytes: 8400\n"
"\n"
"Destination: 10.2.0.0/16\n"
"     Protocol: IBGP            Preference: 255\n"
"         Cost: 0                   Weight: 1\n"
"      NextHop: 4.4.4.4          Neighbour: 4.4.4.4\n"
"        State: Inactive backup        Age: 00h01m16s\n"
"        Label: 1004\n"
" RelayNextHop: 10.0.3.2         Interface: eth3\n"
"     TunnelID: 0x0000000003         Flags: R\n"
"      Packets: 0                    Bytes: 0\n"
"\n"
"Destination: 10.3.1.0/24\n"
"     Protocol: Static          Preference: 60\n"
"         Cost: 5                   Weight: 1\n"
"      NextHop: 2.2.2.2          Neighbour: 2.2.2.2\n"
"        State: Active Adv             Age: 1d01h\n"
"        Label: 1002\n"
" RelayNextHop: 10.0.1.2         Interface: eth1\n"
"     TunnelID: 0x0000000001         Flags: RD\n");
	assert_string_equal(text, expected);
	free(text);
	free(f);
}

static void test_single_nexthop_down(void **state)
{
	struct fixture *f = fixture_new();
	char *text = NULL;

	(void)state;
	f->view.routes = &f->routes[0];
	f->view.nroutes = 1;
	f->tunnels[1].state = VPNLB_TUNNEL_DOWN_LINK;
	CAPTURE(text, vl_display_text(out, &f->view, true));
	assert_non_null(strstr(text,
		"        State: Down                   Age: 1d01h\n"));
	assert_non_null(strstr(text,
		"     TunnelID: 0x0000000001         Flags: R\n"));
	free(text);
	free(f);
}

static void test_age(void **state)
{
	char buf[32];

	(void)state;
	vl_format_age(0, buf, sizeof(buf));
	assert_string_equal(buf, "00h00m00s");
	vl_format_age(76, buf, sizeof(buf));
	assert_string_equal(buf, "00h01m16s");
	vl_format_age(86399, buf, sizeof(buf));
	assert_string_equal(buf, "23h59m59s");
	vl_format_age(86400 + 2 * 3600 + 59, buf, sizeof(buf));
	assert_string_equal(buf, "1d02h");
	vl_format_age(8 * 86400 + 3600, buf, sizeof(buf));
	assert_string_equal(buf, "1w1d");
}

static void test_json(void **state)
{
	struct fixture *f = fixture_new();
	char *text = NULL;
	json_object *o;

	(void)state;
	o = vl_display_json(&f->view, false);
	CAPTURE(text, vl_json_print(out, o));
	json_object_put(o);
	assert_string_equal(text,
		"{\"table\":\"vpna\",\"destinations\":2,\"routes\":3,\"entries\":["
		"{\"destination\":\"10.2.0.0/16\",\"protocol\":\"ibgp\",\"preference\":255,\"cost\":0,\"age\":76,\"nexthops\":["
		"{\"nexthop\":\"2.2.2.2\",\"neighbour\":\"2.2.2.2\",\"state\":\"active\",\"label\":1002,\"relay_nexthop\":\"10.0.1.2\",\"interface\":\"eth1\",\"tunnel_id\":1,\"weight\":3,\"flags\":\"RD\",\"packets\":300,\"bytes\":25200},"
		"{\"nexthop\":\"3.3.3.3\",\"neighbour\":\"9.9.9.9\",\"state\":\"active\",\"label\":1003,\"relay_nexthop\":\"10.0.2.2\",\"interface\":\"eth2\",\"tunnel_id\":2,\"weight\":1,\"flags\":\"RD\",\"packets\":100,\"bytes\":8400}]},"
		"{\"destination\":\"10.3.1.0/24\",\"protocol\":\"static\",\"preference\":60,\"cost\":5,\"age\":90061,\"nexthops\":["
		"{\"nexthop\":\"2.2.2.2\",\"neighbour\":\"2.2.2.2\",\"state\":\"active\",\"label\":1002,\"relay_nexthop\":\"10.0.1.2\",\"interface\":\"eth1\",\"tunnel_id\":1,\"weight\":1,\"flags\":\"RD\"}]}]}\n");
	free(text);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_brief),
		cmocka_unit_test(test_brief_no_active_member),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_verbose),
		cmocka_unit_test(test_single_nexthop_down),
		cmocka_unit_test(test_age),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
