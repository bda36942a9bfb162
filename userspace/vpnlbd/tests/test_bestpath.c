// SPDX-License-Identifier: GPL-2.0-or-later
/* Best path, multipath, backups and UCMP weights, with exact outcomes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "bestpath.h"

#define IP(a, b, c, d)	((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

static const uint8_t path_a[] = { 2, 2, 0, 0, 0, 1, 0, 0, 0, 2 };	/* 1 2 */
static const uint8_t path_b[] = { 2, 2, 0, 0, 0, 1, 0, 0, 0, 3 };	/* 1 3 */
static const uint8_t path_c[] = { 2, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 4 };

/* An iBGP path from PE n (peer/next hop 10.0.0.n, router id n.n.n.n). */
static struct bp_path pe(unsigned int n)
{
	struct bp_path p = {
		.local_pref = 100, .as_path_len = 2, .aspath = path_a,
		.aspath_len = sizeof(path_a), .neighbor_as = 1,
		.resolved = true, .igp_cost = 10,
		.router_id = IP(n, n, n, n), .peer_addr = IP(10, 0, 0, n),
		.nexthop = IP(10, 0, 0, n), .rd = 100ull << 32 | n,
	};

	return p;
}

struct outcome {
	struct bp_verdict v[8];
	size_t members[8];
	struct bp_result res;
	size_t n;
};

static void run(const struct bp_path *p, size_t n, const struct bp_policy *pol,
		struct outcome *o)
{
	memset(o, 0, sizeof(*o));
	o->res.members = o->members;
	o->n = bp_select(p, n, pol, o->v, &o->res);
}

static void explain(const struct bp_path *p, size_t i, const struct outcome *o,
		    char *buf, size_t size)
{
	bp_explain(&p[i], &p[o->res.best], &o->v[i], buf, size);
}

static void test_three_equal_paths_max2(void **state)
{
	struct bp_path p[3] = { pe(3), pe(1), pe(2) };
	struct bp_policy pol = { .max_paths = 2 };
	struct outcome o;
	char buf[160];

	(void)state;
	run(p, 3, &pol, &o);
	assert_int_equal(o.n, 3);
	assert_int_equal(o.res.n_active, 2);
	/* lowest router id wins, then in selection order */
	assert_int_equal(o.res.best, 1);
	assert_int_equal(o.members[0], 1);
	assert_int_equal(o.members[1], 2);
	assert_int_equal(o.members[2], 0);
	assert_int_equal(o.v[1].status, BP_BEST);
	assert_int_equal(o.v[2].status, BP_MULTIPATH);
	assert_int_equal(o.v[0].status, BP_BACKUP);
	assert_int_equal(o.v[2].reason, BP_R_ROUTER_ID);
	assert_int_equal(o.v[0].rank, 2);
	for (int i = 0; i < 3; i++)
		assert_int_equal(o.v[i].weight, 1);
	assert_false(o.res.ucmp);
	explain(p, 0, &o, buf, sizeof(buf));
	assert_string_equal(buf, "backup, inactive: past maximum load-balancing (lost best on router-id)");
	explain(p, 2, &o, buf, sizeof(buf));
	assert_string_equal(buf, "multipath, active (lost best on router-id)");
	explain(p, 1, &o, buf, sizeof(buf));
	assert_string_equal(buf, "best");
}

static void test_max_paths_1_and_3(void **state)
{
	struct bp_path p[3] = { pe(1), pe(2), pe(3) };
	struct bp_policy pol = { .max_paths = 1 };
	struct outcome o;

	(void)state;
	run(p, 3, &pol, &o);
	assert_int_equal(o.n, 3);
	assert_int_equal(o.res.n_active, 1);
	assert_int_equal(o.v[1].status, BP_BACKUP);
	assert_int_equal(o.v[2].status, BP_BACKUP);
	pol.max_paths = 3;
	run(p, 3, &pol, &o);
	assert_int_equal(o.res.n_active, 3);
	assert_int_equal(o.v[2].status, BP_MULTIPATH);
	pol.max_paths = 8;
	run(p, 3, &pol, &o);
	assert_int_equal(o.res.n_active, 3);
}

static void test_local_pref(void **state)
{
	struct bp_path p[2] = { pe(1), pe(2) };
	struct bp_policy pol = { .max_paths = 4 };
	struct outcome o;
	char buf[160];

	(void)state;
	p[1].local_pref = 200;
	run(p, 2, &pol, &o);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.res.best, 1);
	assert_int_equal(o.v[0].status, BP_NOT_SELECTED);
	assert_int_equal(o.v[0].reason, BP_R_LOCAL_PREF);
	explain(p, 0, &o, buf, sizeof(buf));
	assert_string_equal(buf, "not selected: local-preference 100, best has 200");
}

static void test_as_path_rules(void **state)
{
	struct bp_path p[2] = { pe(1), pe(2) };
	struct bp_policy pol = { .max_paths = 2 };
	struct outcome o;
	char buf[160];

	(void)state;
	/* same length, different ASes */
	p[1].aspath = path_b;
	run(p, 2, &pol, &o);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.v[1].reason, BP_R_AS_PATH);
	explain(p, 1, &o, buf, sizeof(buf));
	assert_string_equal(buf, "not selected: AS path differs from the best's (same length; as-path-relax would allow it)");
	pol.as_path_relax = true;
	run(p, 2, &pol, &o);
	assert_int_equal(o.n, 2);
	assert_int_equal(o.v[1].status, BP_MULTIPATH);

	/* longer path: relax is not enough, ignore is */
	p[1].aspath = path_c;
	p[1].aspath_len = sizeof(path_c);
	p[1].as_path_len = 3;
	run(p, 2, &pol, &o);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.v[1].reason, BP_R_AS_PATH_LEN);
	explain(p, 1, &o, buf, sizeof(buf));
	assert_string_equal(buf, "not selected: AS path length 3, best has 2");
	pol.as_path_relax = false;
	pol.as_path_ignore = true;
	run(p, 2, &pol, &o);
	assert_int_equal(o.n, 2);
	/* the shorter path is still the best */
	assert_int_equal(o.res.best, 0);
	assert_int_equal(o.v[1].status, BP_MULTIPATH);
	assert_int_equal(o.v[1].reason, BP_R_AS_PATH_LEN);
}

static void test_origin_med_type_cost(void **state)
{
	struct bp_path p[2];
	struct bp_policy pol = { .max_paths = 2 };
	struct outcome o;
	char buf[160];

	(void)state;
	p[0] = pe(1);
	p[1] = pe(2);
	p[0].origin = 2;
	run(p, 2, &pol, &o);
	assert_int_equal(o.res.best, 1);
	assert_int_equal(o.v[0].reason, BP_R_ORIGIN);
	explain(p, 0, &o, buf, sizeof(buf));
	assert_string_equal(buf, "not selected: origin incomplete, best has igp");

	p[0] = pe(1);
	p[0].med = 20;
	p[1].med = 10;
	run(p, 2, &pol, &o);
	assert_int_equal(o.res.best, 1);
	assert_int_equal(o.v[0].reason, BP_R_MED);
	explain(p, 0, &o, buf, sizeof(buf));
	assert_string_equal(buf, "not selected: MED 20, best has 10");
	/* from different neighbour ASes MED does not decide the best (router
	 * id does), but equal MED is still needed to share the load */
	p[1].neighbor_as = 2;
	run(p, 2, &pol, &o);
	assert_int_equal(o.res.best, 0);
	assert_int_equal(o.v[1].reason, BP_R_MED);

	p[0] = pe(1);
	p[1] = pe(2);
	p[1].ebgp = true;
	run(p, 2, &pol, &o);
	assert_int_equal(o.res.best, 1);
	assert_int_equal(o.v[0].reason, BP_R_PEER_TYPE);
	explain(p, 0, &o, buf, sizeof(buf));
	assert_string_equal(buf, "not selected: iBGP path, best is eBGP");

	p[1] = pe(2);
	p[0].igp_cost = 30;
	run(p, 2, &pol, &o);
	assert_int_equal(o.res.best, 1);
	assert_int_equal(o.v[0].reason, BP_R_IGP_COST);
	explain(p, 0, &o, buf, sizeof(buf));
	assert_string_equal(buf, "not selected: IGP cost 30 to the next hop, best has 10");
}

static void test_unresolved(void **state)
{
	struct bp_path p[3] = { pe(1), pe(2), pe(3) };
	struct bp_policy pol = { .max_paths = 3 };
	struct outcome o;
	char buf[160];

	(void)state;
	p[0].resolved = false;
	p[0].local_pref = 500;
	run(p, 3, &pol, &o);
	assert_int_equal(o.n, 2);
	assert_int_equal(o.res.best, 1);
	assert_int_equal(o.v[0].status, BP_NOT_SELECTED);
	assert_int_equal(o.v[0].reason, BP_R_UNRESOLVED);
	explain(p, 0, &o, buf, sizeof(buf));
	assert_string_equal(buf, "not selected: next hop 10.0.0.1 unresolved");
	p[1].resolved = p[2].resolved = false;
	run(p, 3, &pol, &o);
	assert_int_equal(o.n, 0);
	assert_int_equal(o.v[2].reason, BP_R_UNRESOLVED);
}

static void test_no_vpn_label(void **state)
{
	struct bp_path p[3] = { pe(1), pe(2), pe(3) };
	struct bp_policy pol = { .max_paths = 3 };
	struct outcome o;
	char buf[160];

	(void)state;
	/* a reserved label is never pushed, whatever the path's attributes */
	p[0].no_vpn_label = true;
	p[0].local_pref = 500;
	run(p, 3, &pol, &o);
	assert_int_equal(o.n, 2);
	assert_int_equal(o.res.n_active, 2);
	assert_int_equal(o.res.best, 1);
	assert_int_equal(o.v[0].status, BP_NOT_SELECTED);
	assert_int_equal(o.v[0].reason, BP_R_NO_VPN_LABEL);
	assert_int_equal(o.v[0].rank, 2);
	explain(p, 0, &o, buf, sizeof(buf));
	assert_string_equal(buf, "not selected: no usable VPN label (reserved label value)");
	assert_string_equal(bp_reason_name(o.v[0].reason), "no-vpn-label");

	/* ranked after labelled paths, before unresolved ones */
	p[2].resolved = false;
	run(p, 3, &pol, &o);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.v[0].rank, 1);
	assert_int_equal(o.v[2].rank, 2);
	assert_int_equal(o.v[2].reason, BP_R_UNRESOLVED);

	/* nothing usable: each path says why */
	p[1].no_vpn_label = true;
	run(p, 3, &pol, &o);
	assert_int_equal(o.n, 0);
	assert_int_equal(o.v[0].reason, BP_R_NO_VPN_LABEL);
	assert_int_equal(o.v[1].reason, BP_R_NO_VPN_LABEL);
	assert_int_equal(o.v[2].reason, BP_R_UNRESOLVED);
}

static void test_distinct_rds_same_pe(void **state)
{
	/* one PE advertising the prefix under two RDs: both are compared,
	 * one next hop can carry only one of them */
	struct bp_path p[3] = { pe(1), pe(1), pe(2) };
	struct bp_policy pol = { .max_paths = 4 };
	struct outcome o;
	char buf[160];

	(void)state;
	p[1].rd = 100ull << 32 | 9;
	run(p, 3, &pol, &o);
	assert_int_equal(o.n, 2);
	assert_int_equal(o.res.best, 0);
	assert_int_equal(o.v[1].status, BP_NOT_SELECTED);
	assert_int_equal(o.v[1].reason, BP_R_SAME_NEXTHOP);
	assert_int_equal(o.v[1].rank, 1);
	assert_int_equal(o.v[2].status, BP_MULTIPATH);
	explain(p, 1, &o, buf, sizeof(buf));
	assert_string_equal(buf, "not selected: next hop 10.0.0.1 already used by a selected path");
}

static void test_ucmp(void **state)
{
	struct bp_path p[4] = { pe(1), pe(2), pe(3), pe(4) };
	struct bp_policy pol = { .max_paths = 3 };
	struct outcome o;

	(void)state;
	p[0].has_bandwidth = p[1].has_bandwidth = p[2].has_bandwidth = true;
	p[0].bandwidth = 125000000;
	p[1].bandwidth = 125000000;
	p[2].bandwidth = 250000000;
	p[3].has_bandwidth = true;
	p[3].bandwidth = 375000000;
	run(p, 4, &pol, &o);
	assert_true(o.res.ucmp);
	assert_int_equal(o.v[0].weight, 1);
	assert_int_equal(o.v[1].weight, 1);
	assert_int_equal(o.v[2].weight, 2);
	assert_int_equal(o.v[3].status, BP_BACKUP);
	assert_int_equal(o.v[3].weight, 3);

	/* one active path without bandwidth: equal weights */
	p[1].has_bandwidth = false;
	run(p, 4, &pol, &o);
	assert_false(o.res.ucmp);
	for (int i = 0; i < 4; i++)
		assert_int_equal(o.v[i].weight, 1);

	/* ratios too wide for 16 bits are scaled, never 0 */
	p[1].has_bandwidth = true;
	p[0].bandwidth = 1;
	p[1].bandwidth = 1000000;
	p[2].bandwidth = 3000000;
	run(p, 4, &pol, &o);
	assert_int_equal(o.v[2].weight, 65535);
	assert_int_equal(o.v[1].weight, 21845);
	assert_int_equal(o.v[0].weight, 1);
}

static void test_ebgp_ibgp_maximum(void **state)
{
	struct bp_path p[3] = { pe(1), pe(2), pe(3) };
	struct bp_policy pol = { .max_paths = 1, .max_ibgp = 3 };
	struct outcome o;

	(void)state;
	run(p, 3, &pol, &o);
	assert_int_equal(o.res.n_active, 3);
	pol.max_ibgp = 0;
	pol.max_ebgp = 3;
	run(p, 3, &pol, &o);
	assert_int_equal(o.res.n_active, 1);
	for (int i = 0; i < 3; i++)
		p[i].ebgp = true;
	run(p, 3, &pol, &o);
	assert_int_equal(o.res.n_active, 3);
}

static void test_member_limit(void **state)
{
	struct bp_path p[4] = { pe(1), pe(2), pe(3), pe(4) };
	struct bp_policy pol = { .max_paths = 1, .max_members = 2 };
	struct outcome o;

	(void)state;
	run(p, 4, &pol, &o);
	assert_int_equal(o.n, 2);
	assert_int_equal(o.v[2].reason, BP_R_MEMBER_LIMIT);
	assert_int_equal(o.v[3].reason, BP_R_MEMBER_LIMIT);
}

static void test_tie_breaks(void **state)
{
	struct bp_path p[2];
	struct bp_policy pol = { .max_paths = 1 };
	struct outcome o;

	(void)state;
	/* cluster list length after router id */
	p[0] = pe(1);
	p[1] = pe(2);
	p[0].router_id = p[1].router_id = IP(9, 9, 9, 9);
	p[0].cluster_len = 2;
	p[1].cluster_len = 1;
	run(p, 2, &pol, &o);
	assert_int_equal(o.res.best, 1);
	assert_int_equal(o.v[0].reason, BP_R_CLUSTER_LEN);
	assert_int_equal(o.v[0].status, BP_BACKUP);
	/* then the lower peer address */
	p[0].cluster_len = 1;
	run(p, 2, &pol, &o);
	assert_int_equal(o.res.best, 0);
	assert_int_equal(o.v[1].reason, BP_R_PEER_ADDR);
	/* add-path: same peer and RD, path id decides */
	p[1] = p[0];
	p[1].path_id = 1;
	p[1].nexthop = IP(10, 0, 0, 7);
	p[0].path_id = 2;
	run(p, 2, &pol, &o);
	assert_int_equal(o.res.best, 1);
	assert_int_equal(o.v[0].reason, BP_R_PATH_ID);
}

static void test_deterministic_order(void **state)
{
	struct bp_path base[4] = { pe(4), pe(2), pe(3), pe(1) };
	static const int perms[][4] = {
		{ 0, 1, 2, 3 }, { 3, 2, 1, 0 }, { 1, 3, 0, 2 }, { 2, 0, 3, 1 },
	};
	struct bp_policy pol = { .max_paths = 2 };

	(void)state;
	base[0].neighbor_as = 7;	/* MED not compared across ASes */
	for (size_t k = 0; k < sizeof(perms) / sizeof(perms[0]); k++) {
		struct bp_path p[4];
		struct outcome o;

		for (int i = 0; i < 4; i++)
			p[i] = base[perms[k][i]];
		run(p, 4, &pol, &o);
		assert_int_equal(o.n, 4);
		/* members always PE1, PE2, PE3, PE4 */
		for (int i = 0; i < 4; i++)
			assert_int_equal(p[o.members[i]].peer_addr, IP(10, 0, 0, i + 1));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_three_equal_paths_max2),
		cmocka_unit_test(test_max_paths_1_and_3),
		cmocka_unit_test(test_local_pref),
		cmocka_unit_test(test_as_path_rules),
		cmocka_unit_test(test_origin_med_type_cost),
		cmocka_unit_test(test_unresolved),
		cmocka_unit_test(test_no_vpn_label),
		cmocka_unit_test(test_distinct_rds_same_pe),
		cmocka_unit_test(test_ucmp),
		cmocka_unit_test(test_ebgp_ibgp_maximum),
		cmocka_unit_test(test_member_limit),
		cmocka_unit_test(test_tie_breaks),
		cmocka_unit_test(test_deterministic_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
