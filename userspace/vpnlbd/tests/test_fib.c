// SPDX-License-Identifier: GPL-2.0-or-later
/* Kernel object mapping: sharing, batching, in-place updates, adoption. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "bgp_extcomm.h"
#include "fib.h"
#include "rib.h"

#define IP(a, b, c, d)	((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

static char wlog[16384];
static size_t wlen;
static uint32_t gateway_of_pe3 = IP(192, 168, 3, 1);

static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	wlen += (size_t)vsnprintf(wlog + wlen, sizeof(wlog) - wlen, fmt, ap);
	va_end(ap);
}

static const char *opname(enum fib_op op)
{
	return op == FIB_OP_NEW ? "new" : op == FIB_OP_SET ? "set" : "del";
}

static int w_instance(void *c, enum fib_op op, const struct fib_instance_cfg *i,
		      uint32_t owner, uint32_t gen)
{
	(void)c;
	logf_("instance %s %s max %u g%u/%u\n", opname(op), i->name, i->max_paths,
	      owner, gen);
	return 0;
}

static int w_tunnel(void *c, enum fib_op op, const struct fib_tunnel *t,
		    uint32_t owner, uint32_t gen)
{
	(void)c;
	(void)owner;
	logf_("tunnel %s %u", opname(op), t->id);
	if (op != FIB_OP_DEL)
		logf_(" pe %u via %u.%u.%u.%u labels %u g%u", t->pe & 255,
		      t->via.gateway >> 24, (t->via.gateway >> 16) & 255,
		      (t->via.gateway >> 8) & 255, t->via.gateway & 255,
		      t->via.n_labels, gen);
	logf_("\n");
	return 0;
}

static int w_nexthop(void *c, enum fib_op op, const struct fib_nexthop *n,
		     uint32_t owner, uint32_t gen)
{
	(void)c;
	(void)owner;
	logf_("nexthop %s %u", opname(op), n->id);
	if (op != FIB_OP_DEL)
		logf_(" tunnel %u label %u g%u", n->tunnel->id, n->label, gen);
	logf_("\n");
	return 0;
}

static int w_group(void *c, enum fib_op op, const struct fib_group *g,
		   uint32_t owner, uint32_t gen)
{
	(void)c;
	(void)owner;
	logf_("group %s %u", opname(op), g->id);
	if (op != FIB_OP_DEL) {
		logf_(" %s %s", g->instance,
		      g->proto == VPNLB_PROTO_IBGP ? "ibgp" :
		      g->proto == VPNLB_PROTO_EBGP ? "ebgp" : "static");
		for (uint16_t i = 0; i < g->n; i++)
			logf_(" %u:%u", g->m[i].nh->id, g->m[i].weight);
		logf_(" g%u", gen);
	}
	logf_("\n");
	return 0;
}

static int w_routes(void *c, enum fib_op op, const char *inst,
		    const struct fib_route_op *r, size_t n, uint32_t owner,
		    uint32_t gen)
{
	(void)c;
	(void)owner;
	(void)gen;
	logf_("routes %s %s %zu first %u.%u.%u.%u/%u -> %s%u\n", opname(op), inst,
	      n, r[0].addr >> 24, (r[0].addr >> 16) & 255, (r[0].addr >> 8) & 255,
	      r[0].addr & 255, r[0].len, r[0].group_id ? "group " : "nexthop ",
	      r[0].group_id ? r[0].group_id : r[0].nexthop_id);
	return 0;
}

static int w_flush(void *c, uint32_t owner, uint32_t gen)
{
	(void)c;
	logf_("flush owner %u older than %u\n", owner, gen);
	return 0;
}

static const struct fib_writer writer = {
	.instance = w_instance, .tunnel = w_tunnel, .nexthop = w_nexthop,
	.group = w_group, .routes = w_routes, .flush = w_flush,
};

static void resolve(void *ctx, uint32_t pe, struct fib_resolution *res)
{
	(void)ctx;
	memset(res, 0, sizeof(*res));
	res->ok = true;
	res->gateway = (pe & 255) == 3 ? gateway_of_pe3 : IP(192, 168, pe & 255, 1);
	res->ifindex = 2;
	res->n_labels = 1;
	res->labels[0] = 16 + (pe & 255);
	res->metric = 10;
}

struct env {
	struct fib fib;
	struct rib rib;
	struct rib_instance *vpna;
	struct rib_peer *pe[5];
};

static void env_init(struct env *e, uint32_t gen)
{
	struct bp_policy pol = { .max_paths = 2 };
	uint64_t rt;

	wlen = 0;
	wlog[0] = '\0';
	gateway_of_pe3 = IP(192, 168, 3, 1);
	assert_true(fib_init(&e->fib, &writer, NULL, resolve, NULL, 7, gen));
	assert_true(rib_init(&e->rib, &fib_rib_ops, &e->fib, fib_rib_resolve, &e->fib));
	e->vpna = rib_instance_add(&e->rib, "vpna");
	assert_true(bgp_rt_parse("111:1", &rt));
	rib_instance_set_import(&e->rib, e->vpna, &rt, 1);
	rib_instance_set_policy(&e->rib, e->vpna, &pol);
	for (unsigned int i = 2; i <= 4; i++)
		e->pe[i] = rib_peer_get(&e->rib, IP(10, 0, 0, i), IP(i, i, i, i), false);
}

static void env_free(struct env *e)
{
	fib_forget(&e->fib, &e->rib);
	rib_free(&e->rib);
	fib_free(&e->fib);
}

/* PE n advertises count /24s from 10.n0.0.0 ... with RT 111:1. */
static void announce(struct env *e, unsigned int n, unsigned int first,
		     unsigned int count, uint32_t label)
{
	static struct bgp_vpn_prefix r[1024];
	struct bgp_update u;
	uint8_t ec[8] = { 0, 2, 0, 111, 0, 0, 0, 1 };

	memset(&u, 0, sizeof(u));
	for (unsigned int i = 0; i < count; i++) {
		r[i].rd = (uint64_t)100 << 32 | n;
		r[i].label = label;
		r[i].addr = IP(10, (first + i) >> 8, (first + i) & 255, 0);
		r[i].len = 24;
	}
	u.attrs.ext_communities = ec;
	u.attrs.ext_community_count = 1;
	u.mp_nexthop = IP(10, 0, 0, n);
	u.vpn_reach = r;
	u.n_vpn_reach = count;
	rib_update(&e->rib, e->pe[n], &u);
	fib_flush_pending(&e->fib, &e->rib);
}

static void test_shared_group_and_batches(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, 5);
	announce(&e, 2, 0, 600, 1002);
	assert_string_equal(wlog,
		"tunnel new 1 pe 2 via 192.168.2.1 labels 1 g5\n"
		"nexthop new 1 tunnel 1 label 1002 g5\n"
		"routes new vpna 256 first 10.0.0.0/24 -> nexthop 1\n"
		"routes new vpna 256 first 10.1.0.0/24 -> nexthop 1\n"
		"routes new vpna 88 first 10.2.0.0/24 -> nexthop 1\n");
	wlen = 0;
	wlog[0] = '\0';
	announce(&e, 3, 0, 600, 1003);
	/* one group for all 600 routes, 3 batches */
	assert_string_equal(wlog,
		"tunnel new 2 pe 3 via 192.168.3.1 labels 1 g5\n"
		"nexthop new 2 tunnel 2 label 1003 g5\n"
		"group new 1 vpna ibgp 1:1 2:1 g5\n"
		"routes new vpna 256 first 10.0.0.0/24 -> group 1\n"
		"routes new vpna 256 first 10.1.0.0/24 -> group 1\n"
		"routes new vpna 88 first 10.2.0.0/24 -> group 1\n");
	assert_int_equal(e.fib.groups.count, 1);
	env_free(&e);
}

static void test_peer_down_changes_group_in_place(void **state)
{
	struct env e;
	unsigned long writes;

	(void)state;
	env_init(&e, 5);
	announce(&e, 2, 0, 300, 1002);
	announce(&e, 3, 0, 300, 1003);
	writes = e.fib.route_writes;
	wlen = 0;
	wlog[0] = '\0';
	/* a third PE for all 300 routes: the group grows in place */
	announce(&e, 4, 0, 300, 1004);
	assert_string_equal(wlog,
		"tunnel new 3 pe 4 via 192.168.4.1 labels 1 g5\n"
		"nexthop new 3 tunnel 3 label 1004 g5\n"
		"group set 1 vpna ibgp 1:1 2:1 3:1 g5\n");
	assert_int_equal(e.fib.route_writes, writes);
	assert_int_equal(e.fib.groups.count, 1);
	wlen = 0;
	wlog[0] = '\0';
	rib_peer_flush(&e.rib, e.pe[2]);
	fib_flush_pending(&e.fib, &e.rib);
	/* 300 routes follow one group change; PE2's objects go */
	assert_string_equal(wlog,
		"group set 1 vpna ibgp 2:1 3:1 g5\n"
		"nexthop del 1\n"
		"tunnel del 1\n");
	assert_int_equal(e.fib.route_writes, writes);
	assert_int_equal(e.fib.group_sets, 2);
	env_free(&e);
}

static void test_tunnel_follows_route_change(void **state)
{
	struct env e;
	unsigned long writes;

	(void)state;
	env_init(&e, 5);
	announce(&e, 2, 0, 10, 1002);
	announce(&e, 3, 0, 10, 1003);
	writes = e.fib.route_writes;
	wlen = 0;
	wlog[0] = '\0';
	gateway_of_pe3 = IP(192, 168, 33, 1);
	fib_reresolve(&e.fib, &e.rib);
	assert_string_equal(wlog,
		"tunnel set 2 pe 3 via 192.168.33.1 labels 1 g5\n");
	assert_int_equal(e.fib.route_writes, writes);
	env_free(&e);
}

static void test_withdraw_releases(void **state)
{
	struct env e;
	struct bgp_update u;
	struct bgp_vpn_prefix r = { .rd = (uint64_t)100 << 32 | 2, .addr = IP(10, 0, 0, 0),
				    .len = 24 };

	(void)state;
	env_init(&e, 5);
	announce(&e, 2, 0, 1, 1002);
	wlen = 0;
	wlog[0] = '\0';
	memset(&u, 0, sizeof(u));
	u.vpn_unreach = &r;
	u.n_vpn_unreach = 1;
	rib_update(&e.rib, e.pe[2], &u);
	fib_flush_pending(&e.fib, &e.rib);
	assert_string_equal(wlog,
		"routes del vpna 1 first 10.0.0.0/24 -> nexthop 1\n"
		"nexthop del 1\n"
		"tunnel del 1\n");
	assert_int_equal(e.fib.tunnels.count, 0);
	assert_int_equal(e.fib.nexthops.count, 0);
	env_free(&e);
}

static void test_restart_adopts_and_sweeps(void **state)
{
	struct env e;
	static const uint32_t ids[2] = { 70, 71 };
	static const uint16_t weights[2] = { 1, 1 };

	(void)state;
	env_init(&e, 6);
	/* what the previous run left in the kernel */
	fib_adopt_tunnel(&e.fib, 7, IP(10, 0, 0, 2));
	fib_adopt_tunnel(&e.fib, 8, IP(10, 0, 0, 3));
	fib_adopt_tunnel(&e.fib, 9, IP(10, 0, 0, 4));
	fib_adopt_nexthop(&e.fib, 70, IP(10, 0, 0, 2), 1002);
	fib_adopt_nexthop(&e.fib, 71, IP(10, 0, 0, 3), 1003);
	fib_adopt_nexthop(&e.fib, 72, IP(10, 0, 0, 4), 1004);
	fib_adopt_group(&e.fib, 700, "vpna", VPNLB_PROTO_IBGP, ids, weights, 2);
	announce(&e, 2, 0, 2, 1002);
	announce(&e, 3, 0, 2, 1003);
	/* same ids, rewritten with the new generation, never deleted */
	assert_string_equal(wlog,
		"tunnel new 7 pe 2 via 192.168.2.1 labels 1 g6\n"
		"nexthop new 70 tunnel 7 label 1002 g6\n"
		"routes new vpna 2 first 10.0.0.0/24 -> nexthop 70\n"
		"tunnel new 8 pe 3 via 192.168.3.1 labels 1 g6\n"
		"nexthop new 71 tunnel 8 label 1003 g6\n"
		"group new 700 vpna ibgp 70:1 71:1 g6\n"
		"routes new vpna 2 first 10.0.0.0/24 -> group 700\n");
	wlen = 0;
	wlog[0] = '\0';
	assert_int_equal(fib_sweep(&e.fib), 0);
	/* PE4's leftovers were not claimed: the kernel flush removed them */
	assert_string_equal(wlog, "flush owner 7 older than 6\n");
	assert_int_equal(e.fib.tunnels.count, 2);
	assert_int_equal(e.fib.nexthops.count, 2);
	assert_int_equal(e.fib.groups.count, 1);
	/* new objects continue after the adopted ids */
	announce(&e, 4, 0, 1, 1004);
	assert_non_null(strstr(wlog, "tunnel new 10 pe 4"));
	assert_non_null(strstr(wlog, "nexthop new 73 tunnel 10 label 1004"));
	env_free(&e);
}

static void test_instance_apply(void **state)
{
	struct env e;
	struct fib_instance_cfg cfg = { .name = "vpna", .vrf_ifindex = 5, .max_paths = 2 };

	(void)state;
	env_init(&e, 5);
	assert_int_equal(fib_instance_apply(&e.fib, e.vpna, &cfg), 0);
	cfg.max_paths = 3;
	assert_int_equal(fib_instance_apply(&e.fib, e.vpna, &cfg), 0);
	assert_string_equal(wlog,
		"instance new vpna max 2 g7/5\n"
		"instance set vpna max 3 g7/5\n");
	fib_instance_release(&e.fib, e.vpna);
	env_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shared_group_and_batches),
		cmocka_unit_test(test_peer_down_changes_group_in_place),
		cmocka_unit_test(test_tunnel_follows_route_change),
		cmocka_unit_test(test_withdraw_releases),
		cmocka_unit_test(test_restart_adopts_and_sweeps),
		cmocka_unit_test(test_instance_apply),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
