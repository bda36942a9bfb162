// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Next-hop resolution against a real routing table, in a private network
 * namespace (root only; skipped otherwise). This host's kernel has no MPLS,
 * so labelled routes are covered in the VM; here: gateway, device, on-link,
 * no route, unlabelled route, and change notification.
 */
#define _GNU_SOURCE
#include <net/if.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include "nh_resolve.h"

#define IP(a, b, c, d)	((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

static int setup(void **state)
{
	(void)state;
	if (geteuid() != 0 || unshare(CLONE_NEWNET) != 0)
		return 0;
	if (system("ip link add v0 type veth peer name v1 && ip link set v0 up && "
		   "ip link set v1 up && ip addr add 192.168.1.1/24 dev v0 && "
		   "ip route add 2.2.2.2/32 via 192.168.1.2 dev v0 metric 20") != 0)
		return -1;
	*state = (void *)1;
	return 0;
}

static void test_resolution(void **state)
{
	struct nh_resolver r;
	struct fib_resolution res;

	if (!*state)
		skip();
	assert_int_equal(nh_resolver_open(&r, NULL, NULL, NULL), 0);

	/* a gateway but no LSP: known, and refused with the reason */
	nh_resolve(&r, IP(2, 2, 2, 2), &res);
	assert_false(res.ok);
	assert_string_equal(res.reason, "route to 2.2.2.2 has no MPLS label (no LSP)");
	assert_int_equal(res.gateway, IP(192, 168, 1, 2));
	assert_int_equal(res.ifindex, (int)if_nametoindex("v0"));
	assert_int_equal(res.metric, 20);

	/* on-link PE: usable without transport label */
	nh_resolve(&r, IP(192, 168, 1, 7), &res);
	assert_true(res.ok);
	assert_int_equal(res.gateway, IP(192, 168, 1, 7));
	assert_int_equal(res.n_labels, 0);
	assert_int_equal(res.ifindex, (int)if_nametoindex("v0"));

	nh_resolve(&r, IP(9, 9, 9, 9), &res);
	assert_false(res.ok);
	assert_string_equal(res.reason, "no route to 9.9.9.9");

	/* the table changes: noticed, and the longer match wins */
	assert_false(nh_resolver_poll(&r, 0));
	assert_int_equal(system("ip route add 9.9.0.0/16 via 192.168.1.3 dev v0 && "
				"ip route add 9.9.9.0/24 via 192.168.1.4 dev v0"), 0);
	assert_true(nh_resolver_poll(&r, 500));
	nh_resolve(&r, IP(9, 9, 9, 9), &res);
	assert_int_equal(res.gateway, IP(192, 168, 1, 4));
	nh_resolve(&r, IP(9, 9, 8, 1), &res);
	assert_int_equal(res.gateway, IP(192, 168, 1, 3));
	nh_resolver_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolution),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
