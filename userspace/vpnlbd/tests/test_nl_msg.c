// SPDX-License-Identifier: GPL-2.0-or-later
/* The vpnlb netlink messages the agent sends, parsed back attribute by
 * attribute against uapi/linux/vpnlb.h. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "vpnlb_nl.h"

#define FAMILY	0x1f
#define IP(a, b, c, d)	((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

static struct nlattr *top[VPNLB_A_MAX + 1];

static struct genlmsghdr *parse_top(struct nl_msg *msg, uint16_t want_flags)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);

	assert_non_null(msg);
	assert_int_equal(h->nlmsg_type, FAMILY);
	assert_int_equal(h->nlmsg_flags, want_flags);
	assert_int_equal(genlmsg_parse(h, 0, top, VPNLB_A_MAX, NULL), 0);
	return nlmsg_data(h);
}

static uint32_t in_addr_of(struct nlattr *a)
{
	uint32_t be;

	assert_int_equal(nla_len(a), 4);
	memcpy(&be, nla_data(a), 4);
	return ntohl(be);
}

static void test_tunnel(void **state)
{
	struct fib_tunnel t = {
		.id = 3, .pe = IP(2, 2, 2, 2),
		.via = { .ok = true, .gateway = IP(10, 0, 1, 2), .ifindex = 4,
			 .n_labels = 2, .labels = { 16, 17 } },
	};
	struct nlattr *tb[VPNLB_TUNNEL_A_MAX + 1], *a;
	struct nl_msg *msg;
	uint32_t labels[4];
	int n = 0, rem;

	(void)state;
	msg = vpnlb_msg_tunnel(FAMILY, FIB_OP_NEW, &t, 77, 5);
	assert_int_equal(parse_top(msg, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
				   NLM_F_REPLACE)->cmd, VPNLB_CMD_TUNNEL_NEW);
	assert_non_null(top[VPNLB_A_TUNNEL]);
	assert_int_equal(nla_parse_nested(tb, VPNLB_TUNNEL_A_MAX, top[VPNLB_A_TUNNEL], NULL), 0);
	assert_int_equal(nla_get_u32(tb[VPNLB_TUNNEL_A_ID]), 3);
	assert_int_equal(in_addr_of(tb[VPNLB_TUNNEL_A_PE]), IP(2, 2, 2, 2));
	assert_int_equal(in_addr_of(tb[VPNLB_TUNNEL_A_GATEWAY]), IP(10, 0, 1, 2));
	assert_int_equal(nla_get_u32(tb[VPNLB_TUNNEL_A_IFINDEX]), 4);
	assert_int_equal(nla_get_u32(tb[VPNLB_TUNNEL_A_OWNER]), 77);
	assert_int_equal(nla_get_u32(tb[VPNLB_TUNNEL_A_GENERATION]), 5);
	/* the label attribute repeats, outermost first */
	nla_for_each_nested(a, top[VPNLB_A_TUNNEL], rem)
		if (nla_type(a) == VPNLB_TUNNEL_A_LABEL && n < 4)
			labels[n++] = nla_get_u32(a);
	assert_int_equal(n, 2);
	assert_int_equal(labels[0], 16);
	assert_int_equal(labels[1], 17);
	nlmsg_free(msg);

	/* SET to no labels says so explicitly, and carries no PE/owner */
	t.via.n_labels = 0;
	msg = vpnlb_msg_tunnel(FAMILY, FIB_OP_SET, &t, 77, 5);
	assert_int_equal(parse_top(msg, NLM_F_REQUEST | NLM_F_ACK)->cmd, VPNLB_CMD_TUNNEL_SET);
	assert_int_equal(nla_parse_nested(tb, VPNLB_TUNNEL_A_MAX, top[VPNLB_A_TUNNEL], NULL), 0);
	assert_non_null(tb[VPNLB_TUNNEL_A_NO_LABELS]);
	assert_null(tb[VPNLB_TUNNEL_A_LABEL]);
	assert_null(tb[VPNLB_TUNNEL_A_PE]);
	assert_null(tb[VPNLB_TUNNEL_A_OWNER]);
	nlmsg_free(msg);

	msg = vpnlb_msg_tunnel(FAMILY, FIB_OP_DEL, &t, 77, 5);
	assert_int_equal(parse_top(msg, NLM_F_REQUEST | NLM_F_ACK)->cmd, VPNLB_CMD_TUNNEL_DEL);
	assert_int_equal(nla_parse_nested(tb, VPNLB_TUNNEL_A_MAX, top[VPNLB_A_TUNNEL], NULL), 0);
	assert_int_equal(nla_get_u32(tb[VPNLB_TUNNEL_A_ID]), 3);
	assert_null(tb[VPNLB_TUNNEL_A_GATEWAY]);
	nlmsg_free(msg);
}

static void test_nexthop_and_group(void **state)
{
	struct fib_tunnel t = { .id = 3 };
	struct fib_nexthop n1 = { .id = 10, .tunnel = &t, .label = 1002,
				  .neighbor = IP(2, 2, 2, 2) };
	struct fib_nexthop n2 = { .id = 11, .tunnel = &t, .label = 1003 };
	struct fib_group_member m[2] = { { &n1, 3 }, { &n2, 1 } };
	struct fib_group g = { .id = 100, .instance = "vpna", .n = 2, .m = m,
			       .proto = VPNLB_PROTO_EBGP };
	struct nlattr *tb[VPNLB_GROUP_A_MAX + 1], *mb[VPNLB_MEMBER_A_MAX + 1], *a;
	struct nlattr *nb[VPNLB_NEXTHOP_A_MAX + 1];
	struct nl_msg *msg;
	uint32_t ids[2], w[2];
	int k = 0, rem;

	(void)state;
	msg = vpnlb_msg_nexthop(FAMILY, FIB_OP_NEW, &n1, 77, 5);
	assert_int_equal(parse_top(msg, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
				   NLM_F_REPLACE)->cmd, VPNLB_CMD_NEXTHOP_NEW);
	assert_int_equal(nla_parse_nested(nb, VPNLB_NEXTHOP_A_MAX, top[VPNLB_A_NEXTHOP], NULL), 0);
	assert_int_equal(nla_get_u32(nb[VPNLB_NEXTHOP_A_ID]), 10);
	assert_int_equal(nla_get_u32(nb[VPNLB_NEXTHOP_A_TUNNEL_ID]), 3);
	assert_int_equal(nla_get_u32(nb[VPNLB_NEXTHOP_A_LABEL]), 1002);
	assert_int_equal(in_addr_of(nb[VPNLB_NEXTHOP_A_NEIGHBOR]), IP(2, 2, 2, 2));
	nlmsg_free(msg);

	msg = vpnlb_msg_group(FAMILY, FIB_OP_NEW, &g, 77, 5);
	assert_int_equal(parse_top(msg, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
				   NLM_F_REPLACE)->cmd, VPNLB_CMD_GROUP_NEW);
	assert_int_equal(nla_parse_nested(tb, VPNLB_GROUP_A_MAX, top[VPNLB_A_GROUP], NULL), 0);
	assert_int_equal(nla_get_u32(tb[VPNLB_GROUP_A_ID]), 100);
	assert_string_equal(nla_get_string(tb[VPNLB_GROUP_A_INSTANCE]), "vpna");
	assert_int_equal(nla_get_u8(tb[VPNLB_GROUP_A_PROTOCOL]), VPNLB_PROTO_EBGP);
	nla_for_each_nested(a, top[VPNLB_A_GROUP], rem) {
		if (nla_type(a) != VPNLB_GROUP_A_MEMBER)
			continue;
		assert_int_equal(nla_parse_nested(mb, VPNLB_MEMBER_A_MAX, a, NULL), 0);
		assert_true(k < 2);
		ids[k] = nla_get_u32(mb[VPNLB_MEMBER_A_NEXTHOP_ID]);
		w[k++] = nla_get_u32(mb[VPNLB_MEMBER_A_WEIGHT]);
	}
	assert_int_equal(k, 2);
	assert_int_equal(ids[0], 10);
	assert_int_equal(w[0], 3);
	assert_int_equal(ids[1], 11);
	assert_int_equal(w[1], 1);
	nlmsg_free(msg);

	/* SET replaces the member list; the instance is not repeated */
	msg = vpnlb_msg_group(FAMILY, FIB_OP_SET, &g, 77, 5);
	assert_int_equal(parse_top(msg, NLM_F_REQUEST | NLM_F_ACK)->cmd, VPNLB_CMD_GROUP_SET);
	assert_int_equal(nla_parse_nested(tb, VPNLB_GROUP_A_MAX, top[VPNLB_A_GROUP], NULL), 0);
	assert_null(tb[VPNLB_GROUP_A_INSTANCE]);
	assert_non_null(tb[VPNLB_GROUP_A_MEMBER]);
	nlmsg_free(msg);
}

static void test_route_batch(void **state)
{
	static struct fib_route_op r[FIB_ROUTE_BATCH];
	struct nlattr *rb[VPNLB_ROUTE_A_MAX + 1], *a;
	struct nl_msg *msg;
	int n = 0, rem;

	(void)state;
	for (int i = 0; i < FIB_ROUTE_BATCH; i++) {
		r[i].addr = IP(10, i >> 8, i & 255, 0);
		r[i].len = 24;
		r[i].proto = VPNLB_PROTO_IBGP;
		if (i % 2)
			r[i].group_id = 100;
		else
			r[i].nexthop_id = 10;
	}
	msg = vpnlb_msg_routes(FAMILY, FIB_OP_NEW, "vpna", r, FIB_ROUTE_BATCH, 77, 5);
	assert_int_equal(parse_top(msg, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
				   NLM_F_REPLACE)->cmd, VPNLB_CMD_ROUTE_NEW);
	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlmsg_hdr(msg)), 0),
			  genlmsg_attrlen(nlmsg_data(nlmsg_hdr(msg)), 0), rem) {
		assert_int_equal(nla_type(a), VPNLB_A_ROUTE);
		assert_int_equal(nla_parse_nested(rb, VPNLB_ROUTE_A_MAX, a, NULL), 0);
		assert_string_equal(nla_get_string(rb[VPNLB_ROUTE_A_INSTANCE]), "vpna");
		assert_int_equal(in_addr_of(rb[VPNLB_ROUTE_A_PREFIX]), r[n].addr);
		assert_int_equal(nla_get_u8(rb[VPNLB_ROUTE_A_PREFIXLEN]), 24);
		assert_int_equal(nla_get_u8(rb[VPNLB_ROUTE_A_PROTOCOL]), VPNLB_PROTO_IBGP);
		assert_int_equal(nla_get_u32(rb[VPNLB_ROUTE_A_PREFERENCE]), 255);
		assert_int_equal(nla_get_u32(rb[VPNLB_ROUTE_A_OWNER]), 77);
		assert_int_equal(nla_get_u32(rb[VPNLB_ROUTE_A_GENERATION]), 5);
		if (n % 2) {
			assert_int_equal(nla_get_u32(rb[VPNLB_ROUTE_A_GROUP_ID]), 100);
			assert_null(rb[VPNLB_ROUTE_A_NEXTHOP_ID]);
		} else {
			assert_int_equal(nla_get_u32(rb[VPNLB_ROUTE_A_NEXTHOP_ID]), 10);
			assert_null(rb[VPNLB_ROUTE_A_GROUP_ID]);
		}
		n++;
	}
	assert_int_equal(n, FIB_ROUTE_BATCH);
	nlmsg_free(msg);

	msg = vpnlb_msg_routes(FAMILY, FIB_OP_DEL, "vpna", r, 2, 77, 5);
	assert_int_equal(parse_top(msg, NLM_F_REQUEST | NLM_F_ACK)->cmd, VPNLB_CMD_ROUTE_DEL);
	assert_int_equal(nla_parse_nested(rb, VPNLB_ROUTE_A_MAX, top[VPNLB_A_ROUTE], NULL), 0);
	assert_null(rb[VPNLB_ROUTE_A_NEXTHOP_ID]);
	assert_null(rb[VPNLB_ROUTE_A_OWNER]);
	nlmsg_free(msg);
}

static void test_instance_and_flush(void **state)
{
	struct fib_instance_cfg c = { .name = "vpna", .vrf_ifindex = 9,
				      .max_paths = 2, .max_ibgp = 4,
				      .lb_mode = VPNLB_LB_PACKET };
	struct nlattr *tb[VPNLB_INSTANCE_A_MAX + 1], *fb[VPNLB_FLUSH_A_MAX + 1];
	struct nl_msg *msg;

	(void)state;
	msg = vpnlb_msg_instance(FAMILY, FIB_OP_NEW, &c, 77, 5);
	assert_int_equal(parse_top(msg, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
				   NLM_F_REPLACE)->cmd, VPNLB_CMD_INSTANCE_NEW);
	assert_int_equal(nla_parse_nested(tb, VPNLB_INSTANCE_A_MAX, top[VPNLB_A_INSTANCE], NULL), 0);
	assert_string_equal(nla_get_string(tb[VPNLB_INSTANCE_A_NAME]), "vpna");
	assert_int_equal(nla_get_u32(tb[VPNLB_INSTANCE_A_VRF_IFINDEX]), 9);
	assert_int_equal(nla_get_u32(tb[VPNLB_INSTANCE_A_MAX_PATHS]), 2);
	assert_int_equal(nla_get_u32(tb[VPNLB_INSTANCE_A_MAX_PATHS_IBGP]), 4);
	assert_int_equal(nla_get_u32(tb[VPNLB_INSTANCE_A_MAX_PATHS_EBGP]), 0);
	assert_int_equal(nla_get_u8(tb[VPNLB_INSTANCE_A_LB_MODE]), VPNLB_LB_PACKET);
	nlmsg_free(msg);
	msg = vpnlb_msg_instance(FAMILY, FIB_OP_SET, &c, 77, 5);
	assert_int_equal(parse_top(msg, NLM_F_REQUEST | NLM_F_ACK)->cmd, VPNLB_CMD_INSTANCE_SET);
	assert_int_equal(nla_parse_nested(tb, VPNLB_INSTANCE_A_MAX, top[VPNLB_A_INSTANCE], NULL), 0);
	assert_null(tb[VPNLB_INSTANCE_A_VRF_IFINDEX]);
	assert_int_equal(nla_get_u32(tb[VPNLB_INSTANCE_A_MAX_PATHS]), 2);
	nlmsg_free(msg);

	msg = vpnlb_msg_flush(FAMILY, 77, 6);
	assert_int_equal(parse_top(msg, NLM_F_REQUEST | NLM_F_ACK)->cmd, VPNLB_CMD_FLUSH);
	assert_int_equal(nla_parse_nested(fb, VPNLB_FLUSH_A_MAX, top[VPNLB_A_FLUSH], NULL), 0);
	assert_int_equal(nla_get_u32(fb[VPNLB_FLUSH_A_OWNER]), 77);
	assert_int_equal(nla_get_u32(fb[VPNLB_FLUSH_A_GENERATION]), 6);
	assert_null(fb[VPNLB_FLUSH_A_INSTANCE]);
	nlmsg_free(msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tunnel),
		cmocka_unit_test(test_nexthop_and_group),
		cmocka_unit_test(test_route_batch),
		cmocka_unit_test(test_instance_and_flush),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
