// SPDX-License-Identifier: GPL-2.0-or-later
/* RIB: import by route target, selection results handed to the FIB. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "bgp_extcomm.h"
#include "rib.h"

#define IP(a, b, c, d)	((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))
#define RD(as, n)	((uint64_t)(as) << 32 | (n))

/* FIB sink that prints the last state of each route into a string */
struct fib_log {
	char last[512];
	int sets, dels;
};

static struct fib_log fib;

static void fib_set(void *ctx, struct rib_instance *inst, uint32_t addr,
		    uint8_t len, const struct rib_fib_member *m, size_t n,
		    bool ebgp)
{
	size_t o;

	(void)ctx;
	fib.sets++;
	o = (size_t)snprintf(fib.last, sizeof(fib.last), "%s %u.%u.%u.%u/%u %s:",
			     inst->name, addr >> 24, (addr >> 16) & 255,
			     (addr >> 8) & 255, addr & 255, len,
			     ebgp ? "ebgp" : "ibgp");
	for (size_t i = 0; i < n; i++)
		o += (size_t)snprintf(fib.last + o, sizeof(fib.last) - o,
				      " %u.%u.%u.%u/%u/w%u%s", m[i].pe >> 24,
				      (m[i].pe >> 16) & 255, (m[i].pe >> 8) & 255,
				      m[i].pe & 255, m[i].label, m[i].weight,
				      m[i].active ? "" : "/backup");
}

static void fib_del(void *ctx, struct rib_instance *inst, uint32_t addr,
		    uint8_t len)
{
	(void)ctx;
	fib.dels++;
	snprintf(fib.last, sizeof(fib.last), "%s %u.%u.%u.%u/%u deleted",
		 inst->name, addr >> 24, (addr >> 16) & 255, (addr >> 8) & 255,
		 addr & 255, len);
}

static const struct rib_fib_ops fib_ops = { .route_set = fib_set,
					    .route_del = fib_del };

static uint32_t unresolved_nh;

static bool resolve(void *ctx, uint32_t nh, uint32_t *cost)
{
	(void)ctx;
	*cost = 10;
	return nh != unresolved_nh;
}

struct env {
	struct rib rib;
	struct rib_instance *vpna;
	struct rib_peer *pe[5];
};

static uint64_t rt(const char *s)
{
	uint64_t v = 0;

	assert_true(bgp_rt_parse(s, &v));
	return v;
}

static void env_init(struct env *e, unsigned int max_paths)
{
	struct bp_policy pol = { .max_paths = max_paths };
	uint64_t rts[1] = { rt("111:1") };

	memset(&fib, 0, sizeof(fib));
	unresolved_nh = 0;
	assert_true(rib_init(&e->rib, &fib_ops, NULL, resolve, NULL));
	e->vpna = rib_instance_add(&e->rib, "vpna");
	assert_non_null(e->vpna);
	assert_true(rib_instance_set_import(&e->rib, e->vpna, rts, 1));
	rib_instance_set_policy(&e->rib, e->vpna, &pol);
	for (unsigned int i = 2; i <= 4; i++)
		e->pe[i] = rib_peer_get(&e->rib, IP(10, 0, 0, i), IP(i, i, i, i), false);
}

/* Announces (or withdraws) one VPNv4 prefix from PE n with RD 100:n. */
static void send_route(struct env *e, unsigned int n, uint32_t addr, uint8_t len,
		       uint32_t label, const char *rt_text, bool withdraw,
		       uint64_t bandwidth)
{
	struct bgp_update u;
	struct bgp_vpn_prefix r = { .label = label, .rd = RD(100, n), .addr = addr,
				    .len = len };
	uint8_t ec[16];
	uint64_t v = rt(rt_text), bw = bgp_extcomm_make_link_bandwidth(100, (float)bandwidth);

	memset(&u, 0, sizeof(u));
	for (int i = 0; i < 8; i++) {
		ec[i] = (uint8_t)(v >> (56 - 8 * i));
		ec[8 + i] = (uint8_t)(bw >> (56 - 8 * i));
	}
	u.attrs.ext_communities = ec;
	u.attrs.ext_community_count = bandwidth ? 2 : 1;
	u.attrs.present[0] = 1ull << BGP_ATTR_ORIGIN | 1ull << BGP_ATTR_AS_PATH |
			     1ull << BGP_ATTR_LOCAL_PREF;
	u.attrs.local_pref = 100;
	u.mp_nexthop = IP(10, 0, 0, n);
	if (withdraw) {
		u.vpn_unreach = &r;
		u.n_vpn_unreach = 1;
	} else {
		u.vpn_reach = &r;
		u.n_vpn_reach = 1;
	}
	rib_update(&e->rib, e->pe[n], &u);
}

static void test_import_and_select(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, 2);
	send_route(&e, 2, IP(10, 2, 0, 0), 16, 1002, "111:1", false, 0);
	assert_string_equal(fib.last, "vpna 10.2.0.0/16 ibgp: 10.0.0.2/1002/w1");
	send_route(&e, 3, IP(10, 2, 0, 0), 16, 1003, "111:1", false, 0);
	assert_string_equal(fib.last,
			    "vpna 10.2.0.0/16 ibgp: 10.0.0.2/1002/w1 10.0.0.3/1003/w1");
	send_route(&e, 4, IP(10, 2, 0, 0), 16, 1004, "111:1", false, 0);
	assert_string_equal(fib.last,
			    "vpna 10.2.0.0/16 ibgp: 10.0.0.2/1002/w1 10.0.0.3/1003/w1 10.0.0.4/1004/w1/backup");
	/* another RT is not imported: nothing changes */
	fib.sets = 0;
	send_route(&e, 4, IP(10, 9, 0, 0), 16, 1009, "222:2", false, 0);
	assert_int_equal(fib.sets, 0);
	assert_null(rib_inst_dest_find(e.vpna, IP(10, 9, 0, 0), 16));
	assert_int_equal(e.rib.n_paths, 4);
	rib_free(&e.rib);
}

static void test_maximum_live(void **state)
{
	struct env e;
	struct bp_policy pol = { 0 };

	(void)state;
	env_init(&e, 1);
	for (unsigned int n = 2; n <= 4; n++)
		send_route(&e, n, IP(10, 2, 0, 0), 16, 1000 + n, "111:1", false, 0);
	assert_string_equal(fib.last,
			    "vpna 10.2.0.0/16 ibgp: 10.0.0.2/1002/w1 10.0.0.3/1003/w1/backup 10.0.0.4/1004/w1/backup");
	pol.max_paths = 2;
	rib_instance_set_policy(&e.rib, e.vpna, &pol);
	assert_string_equal(fib.last,
			    "vpna 10.2.0.0/16 ibgp: 10.0.0.2/1002/w1 10.0.0.3/1003/w1 10.0.0.4/1004/w1/backup");
	pol.max_paths = 3;
	rib_instance_set_policy(&e.rib, e.vpna, &pol);
	assert_string_equal(fib.last,
			    "vpna 10.2.0.0/16 ibgp: 10.0.0.2/1002/w1 10.0.0.3/1003/w1 10.0.0.4/1004/w1");
	pol.max_paths = 1;
	rib_instance_set_policy(&e.rib, e.vpna, &pol);
	assert_string_equal(fib.last,
			    "vpna 10.2.0.0/16 ibgp: 10.0.0.2/1002/w1 10.0.0.3/1003/w1/backup 10.0.0.4/1004/w1/backup");
	rib_free(&e.rib);
}

static void test_withdraw_replace(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, 4);
	send_route(&e, 2, IP(10, 2, 0, 0), 16, 1002, "111:1", false, 0);
	send_route(&e, 3, IP(10, 2, 0, 0), 16, 1003, "111:1", false, 0);
	/* same key, new label: replaced, not added */
	send_route(&e, 3, IP(10, 2, 0, 0), 16, 2003, "111:1", false, 0);
	assert_string_equal(fib.last,
			    "vpna 10.2.0.0/16 ibgp: 10.0.0.2/1002/w1 10.0.0.3/2003/w1");
	assert_int_equal(e.rib.n_paths, 2);
	/* the RT goes away: the path leaves the instance */
	send_route(&e, 3, IP(10, 2, 0, 0), 16, 2003, "222:2", false, 0);
	assert_string_equal(fib.last, "vpna 10.2.0.0/16 ibgp: 10.0.0.2/1002/w1");
	send_route(&e, 2, IP(10, 2, 0, 0), 16, 0, "111:1", true, 0);
	assert_string_equal(fib.last, "vpna 10.2.0.0/16 deleted");
	assert_int_equal(fib.dels, 1);
	assert_int_equal(e.rib.n_paths, 1);
	/* withdrawing what is not there is harmless */
	send_route(&e, 2, IP(10, 2, 0, 0), 16, 0, "111:1", true, 0);
	assert_int_equal(fib.dels, 1);
	rib_free(&e.rib);
}

static void test_peer_flush_and_stale(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, 4);
	send_route(&e, 2, IP(10, 2, 0, 0), 16, 1002, "111:1", false, 0);
	send_route(&e, 3, IP(10, 2, 0, 0), 16, 1003, "111:1", false, 0);
	send_route(&e, 3, IP(10, 3, 0, 0), 16, 1003, "111:1", false, 0);
	rib_peer_flush(&e.rib, e.pe[2]);
	assert_int_equal(e.pe[2]->n_paths, 0);
	assert_int_equal(e.rib.n_paths, 2);

	/* graceful restart: stale paths stay until the sweep */
	rib_peer_mark_stale(&e.rib, e.pe[3]);
	assert_int_equal(e.pe[3]->n_stale, 2);
	fib.sets = fib.dels = 0;
	send_route(&e, 3, IP(10, 2, 0, 0), 16, 1003, "111:1", false, 0);
	assert_int_equal(e.pe[3]->n_stale, 1);
	assert_int_equal(fib.sets, 0);		/* refreshed, unchanged */
	rib_peer_sweep_stale(&e.rib, e.pe[3]);
	assert_int_equal(e.pe[3]->n_stale, 0);
	assert_int_equal(e.pe[3]->n_paths, 1);
	assert_string_equal(fib.last, "vpna 10.3.0.0/16 deleted");
	assert_non_null(rib_inst_dest_find(e.vpna, IP(10, 2, 0, 0), 16));
	assert_null(rib_inst_dest_find(e.vpna, IP(10, 3, 0, 0), 16));
	rib_free(&e.rib);
}

static void test_same_pe_two_rds(void **state)
{
	struct env e;
	struct bgp_update u;
	struct bgp_vpn_prefix r[2] = {
		{ .label = 1002, .rd = RD(100, 2), .addr = IP(10, 2, 0, 0), .len = 16 },
		{ .label = 1012, .rd = RD(100, 12), .addr = IP(10, 2, 0, 0), .len = 16 },
	};
	uint64_t v = rt("111:1");
	uint8_t ec[8];
	struct rib_inst_dest *d;

	(void)state;
	env_init(&e, 4);
	for (int i = 0; i < 8; i++)
		ec[i] = (uint8_t)(v >> (56 - 8 * i));
	memset(&u, 0, sizeof(u));
	u.attrs.ext_communities = ec;
	u.attrs.ext_community_count = 1;
	u.mp_nexthop = IP(10, 0, 0, 2);
	u.vpn_reach = r;
	u.n_vpn_reach = 2;
	rib_update(&e.rib, e.pe[2], &u);
	/* both kept and imported, one next hop carries one of them */
	d = rib_inst_dest_find(e.vpna, IP(10, 2, 0, 0), 16);
	assert_non_null(d);
	assert_int_equal(d->n, 2);
	assert_int_equal(e.rib.n_paths, 2);
	assert_string_equal(fib.last, "vpna 10.2.0.0/16 ibgp: 10.0.0.2/1002/w1");
	/* attributes are interned once for both */
	assert_int_equal(e.rib.attrs.count, 1);
	rib_free(&e.rib);
}

static void test_unresolved_and_change(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, 2);
	unresolved_nh = IP(10, 0, 0, 2);
	send_route(&e, 2, IP(10, 2, 0, 0), 16, 1002, "111:1", false, 0);
	assert_int_equal(fib.sets, 0);
	send_route(&e, 3, IP(10, 2, 0, 0), 16, 1003, "111:1", false, 0);
	assert_string_equal(fib.last, "vpna 10.2.0.0/16 ibgp: 10.0.0.3/1003/w1");
	unresolved_nh = 0;
	rib_nexthop_changed(&e.rib, IP(10, 0, 0, 2));
	assert_string_equal(fib.last,
			    "vpna 10.2.0.0/16 ibgp: 10.0.0.2/1002/w1 10.0.0.3/1003/w1");
	unresolved_nh = IP(10, 0, 0, 3);
	rib_nexthop_changed(&e.rib, IP(10, 0, 0, 3));
	assert_string_equal(fib.last, "vpna 10.2.0.0/16 ibgp: 10.0.0.2/1002/w1");
	rib_free(&e.rib);
}

static void test_ucmp_weights(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, 2);
	send_route(&e, 2, IP(10, 2, 0, 0), 16, 1002, "111:1", false, 1000000);
	send_route(&e, 3, IP(10, 2, 0, 0), 16, 1003, "111:1", false, 3000000);
	assert_string_equal(fib.last,
			    "vpna 10.2.0.0/16 ibgp: 10.0.0.2/1002/w1 10.0.0.3/1003/w3");
	rib_free(&e.rib);
}

static void test_import_change(void **state)
{
	struct env e;
	uint64_t rts[2] = { rt("111:1"), rt("222:2") };
	struct rib_instance *vpnb;
	struct bp_policy pol = { .max_paths = 2 };

	(void)state;
	env_init(&e, 2);
	send_route(&e, 2, IP(10, 2, 0, 0), 16, 1002, "111:1", false, 0);
	send_route(&e, 3, IP(10, 2, 0, 0), 16, 1003, "222:2", false, 0);
	assert_string_equal(fib.last, "vpna 10.2.0.0/16 ibgp: 10.0.0.2/1002/w1");
	rib_instance_set_import(&e.rib, e.vpna, rts, 2);
	assert_string_equal(fib.last,
			    "vpna 10.2.0.0/16 ibgp: 10.0.0.2/1002/w1 10.0.0.3/1003/w1");
	/* a second instance imports independently */
	vpnb = rib_instance_add(&e.rib, "vpnb");
	rib_instance_set_policy(&e.rib, vpnb, &pol);
	rib_instance_set_import(&e.rib, vpnb, rts + 1, 1);
	assert_string_equal(fib.last, "vpnb 10.2.0.0/16 ibgp: 10.0.0.3/1003/w1");
	assert_null(rib_instance_add(&e.rib, "vpnb"));
	rib_free(&e.rib);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_and_select),
		cmocka_unit_test(test_maximum_live),
		cmocka_unit_test(test_withdraw_replace),
		cmocka_unit_test(test_peer_flush_and_stale),
		cmocka_unit_test(test_same_pe_two_rds),
		cmocka_unit_test(test_unresolved_and_change),
		cmocka_unit_test(test_ucmp_weights),
		cmocka_unit_test(test_import_change),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
