// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Netlink encoding and decoding: round trips, and replies a kernel must
 * never send (bad lengths, missing NULs, too many labels or members) being
 * refused rather than read past; extack parsing; "show" text and JSON.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <cmocka.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "codec.h"
#include "fixture.h"
#include "nlconn.h"
#include "show.h"

static struct nl_msg *reply_msg(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	assert_non_null(msg);
	assert_non_null(genlmsg_put(msg, 0, 0, 0x20, 0, 0, cmd, 1));
	return msg;
}

static struct nlattr *top(struct nl_msg *msg, int type)
{
	static struct nlattr *tb[VPNLB_A_MAX + 1];

	assert_int_equal(vl_decode_top(nlmsg_hdr(msg), tb), 0);
	assert_non_null(tb[type]);
	return tb[type];
}

static void test_route_roundtrip(void **state)
{
	struct fixture *f = fixture_new();
	struct nl_msg *msg = reply_msg(VPNLB_CMD_ROUTE_GET);
	struct vl_route out;

	(void)state;
	f->routes[1].owner = 7;
	VL_SET(&f->routes[1], VPNLB_ROUTE_A_OWNER);
	assert_int_equal(vl_put_route(msg, &f->routes[1]), 0);
	assert_int_equal(vl_decode_route(top(msg, VPNLB_A_ROUTE), &out), 0);
	assert_string_equal(out.instance, "vpna");
	assert_int_equal(out.prefix.s_addr, f->routes[1].prefix.s_addr);
	assert_int_equal(out.prefixlen, 16);
	assert_int_equal(out.group_id, 100);
	assert_int_equal(out.protocol, VPNLB_PROTO_IBGP);
	assert_int_equal(out.preference, 255);
	assert_int_equal(out.owner, 7);
	assert_true(VL_HAS(&out, VPNLB_ROUTE_A_OWNER));
	assert_false(VL_HAS(&out, VPNLB_ROUTE_A_NEXTHOP_ID));
	/* read-only: never sent */
	assert_false(VL_HAS(&out, VPNLB_ROUTE_A_AGE));
	nlmsg_free(msg);
	free(f);
}

static void test_tunnel_group_roundtrip(void **state)
{
	struct fixture *f = fixture_new();
	struct nl_msg *msg = reply_msg(VPNLB_CMD_TUNNEL_GET);
	struct vl_tunnel t;
	struct vl_group *g = malloc(sizeof(*g));

	(void)state;
	f->tunnels[1].labels[1] = 1048575;
	f->tunnels[1].labels[2] = 3;
	f->tunnels[1].nlabels = 3;
	f->tunnels[1].ifindex = 4;
	VL_SET(&f->tunnels[1], VPNLB_TUNNEL_A_IFINDEX);
	assert_int_equal(vl_put_tunnel(msg, &f->tunnels[1]), 0);
	assert_int_equal(vl_decode_tunnel(top(msg, VPNLB_A_TUNNEL), &t), 0);
	assert_int_equal(t.id, 1);
	assert_int_equal(t.nlabels, 3);
	assert_int_equal(t.labels[0], 17);
	assert_int_equal(t.labels[1], 1048575);
	assert_int_equal(t.labels[2], 3);
	assert_int_equal(t.ifindex, 4);
	/* the name and the state are the kernel's to say */
	assert_false(VL_HAS(&t, VPNLB_TUNNEL_A_IFNAME));
	assert_false(VL_HAS(&t, VPNLB_TUNNEL_A_STATE));
	nlmsg_free(msg);

	msg = reply_msg(VPNLB_CMD_GROUP_GET);
	assert_int_equal(vl_put_group(msg, &f->groups[0]), 0);
	assert_int_equal(vl_decode_group(top(msg, VPNLB_A_GROUP), g), 0);
	assert_int_equal(g->id, 100);
	assert_string_equal(g->instance, "vpna");
	assert_int_equal(g->nmembers, 3);
	assert_int_equal(g->members[0].nexthop_id, 10);
	assert_int_equal(g->members[0].weight, 3);
	assert_int_equal(g->members[2].nexthop_id, 12);
	nlmsg_free(msg);
	free(g);
	free(f);
}

/* A nest of the given attributes, as a hostile kernel might send. */
static void test_malformed(void **state)
{
	struct vl_tunnel t;
	struct vl_route r;
	struct vl_instance in;
	struct vl_group *g = malloc(sizeof(*g));
	struct nl_msg *msg;
	struct nlattr *nest, *m;
	uint16_t two = 2;
	char name[40];
	int i;

	(void)state;
	/* four transport labels */
	msg = reply_msg(VPNLB_CMD_TUNNEL_GET);
	nest = nla_nest_start(msg, VPNLB_A_TUNNEL);
	nla_put_u32(msg, VPNLB_TUNNEL_A_ID, 1);
	for (i = 0; i < 4; i++)
		nla_put_u32(msg, VPNLB_TUNNEL_A_LABEL, 16);
	nla_nest_end(msg, nest);
	assert_int_equal(vl_decode_tunnel(top(msg, VPNLB_A_TUNNEL), &t), -1);
	nlmsg_free(msg);

	/* a label past 20 bits */
	msg = reply_msg(VPNLB_CMD_TUNNEL_GET);
	nest = nla_nest_start(msg, VPNLB_A_TUNNEL);
	nla_put_u32(msg, VPNLB_TUNNEL_A_LABEL, 0x100000);
	nla_nest_end(msg, nest);
	assert_int_equal(vl_decode_tunnel(top(msg, VPNLB_A_TUNNEL), &t), -1);
	nlmsg_free(msg);

	/* a u32 of two bytes */
	msg = reply_msg(VPNLB_CMD_TUNNEL_GET);
	nest = nla_nest_start(msg, VPNLB_A_TUNNEL);
	nla_put(msg, VPNLB_TUNNEL_A_ID, 2, &two);
	nla_nest_end(msg, nest);
	assert_int_equal(vl_decode_tunnel(top(msg, VPNLB_A_TUNNEL), &t), -1);
	nlmsg_free(msg);

	/* a name without its NUL, and one too long */
	msg = reply_msg(VPNLB_CMD_INSTANCE_GET);
	nest = nla_nest_start(msg, VPNLB_A_INSTANCE);
	nla_put(msg, VPNLB_INSTANCE_A_NAME, 4, "vpna");
	nla_nest_end(msg, nest);
	assert_int_equal(vl_decode_instance(top(msg, VPNLB_A_INSTANCE), &in),
			 -1);
	nlmsg_free(msg);
	memset(name, 'a', sizeof(name));
	name[39] = '\0';
	msg = reply_msg(VPNLB_CMD_INSTANCE_GET);
	nest = nla_nest_start(msg, VPNLB_A_INSTANCE);
	nla_put_string(msg, VPNLB_INSTANCE_A_NAME, name);
	nla_nest_end(msg, nest);
	assert_int_equal(vl_decode_instance(top(msg, VPNLB_A_INSTANCE), &in),
			 -1);
	nlmsg_free(msg);

	/* a prefix length of 33 */
	msg = reply_msg(VPNLB_CMD_ROUTE_GET);
	nest = nla_nest_start(msg, VPNLB_A_ROUTE);
	nla_put_u8(msg, VPNLB_ROUTE_A_PREFIXLEN, 33);
	nla_nest_end(msg, nest);
	assert_int_equal(vl_decode_route(top(msg, VPNLB_A_ROUTE), &r), -1);
	nlmsg_free(msg);

	/* 129 members */
	msg = nlmsg_alloc_size(1 << 16);
	assert_non_null(genlmsg_put(msg, 0, 0, 0x20, 0, 0,
				    VPNLB_CMD_GROUP_GET, 1));
	nest = nla_nest_start(msg, VPNLB_A_GROUP);
	for (i = 0; i < VPNLB_GROUP_MEMBERS_MAX + 1; i++) {
		m = nla_nest_start(msg, VPNLB_GROUP_A_MEMBER);
		nla_put_u32(msg, VPNLB_MEMBER_A_NEXTHOP_ID, (uint32_t)i + 1);
		nla_nest_end(msg, m);
	}
	nla_nest_end(msg, nest);
	assert_int_equal(vl_decode_group(top(msg, VPNLB_A_GROUP), g), -1);
	nlmsg_free(msg);

	/* a member with a short u64 */
	msg = reply_msg(VPNLB_CMD_GROUP_GET);
	nest = nla_nest_start(msg, VPNLB_A_GROUP);
	m = nla_nest_start(msg, VPNLB_GROUP_A_MEMBER);
	nla_put_u32(msg, VPNLB_MEMBER_A_PACKETS, 5);
	nla_nest_end(msg, m);
	nla_nest_end(msg, nest);
	assert_int_equal(vl_decode_group(top(msg, VPNLB_A_GROUP), g), -1);
	nlmsg_free(msg);
	free(g);
}

static void test_ext_ack(void **state)
{
	union {
		char buf[512];
		struct nlmsghdr align;
	} u;
	struct nlmsghdr *nlh = &u.align;
	struct nlmsgerr *e;
	struct nlattr *a;
	const char text[] = "group 100 is used by route 10.2.0.0/16\n";
	struct vl_nl nl;
	size_t off;

	(void)state;
	memset(&u, 0, sizeof(u));
	memset(&nl, 0, sizeof(nl));
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
	e = (struct nlmsgerr *)(u.buf + NLMSG_HDRLEN);
	e->error = -EBUSY;
	e->msg.nlmsg_len = 200;	/* capped: the echo is not there */
	off = NLMSG_ALIGN(NLMSG_HDRLEN + sizeof(*e));
	a = (struct nlattr *)(u.buf + off);
	a->nla_type = NLMSGERR_ATTR_MSG;
	a->nla_len = (uint16_t)(NLA_HDRLEN + sizeof(text));
	memcpy((char *)a + NLA_HDRLEN, text, sizeof(text));
	off += NLA_ALIGN(a->nla_len);
	a = (struct nlattr *)(u.buf + off);
	a->nla_type = NLMSGERR_ATTR_OFFS;
	a->nla_len = NLA_HDRLEN + 4;
	*(uint32_t *)((char *)a + NLA_HDRLEN) = 1234;
	off += NLA_ALIGN(a->nla_len);
	nlh->nlmsg_len = (uint32_t)off;

	vl_nl_parse_ext_ack(&nl, nlh);
	/* a newline from the kernel does not break the one-line format */
	assert_string_equal(nl.ext_msg,
			    "group 100 is used by route 10.2.0.0/16 ");
	assert_true(nl.has_offset);
	assert_int_equal(nl.offset, 1234);

	/* a message cut short: nothing read past nlmsg_len */
	nlh->nlmsg_len = (uint32_t)(NLMSG_ALIGN(NLMSG_HDRLEN + sizeof(*e)) + 6);
	vl_nl_parse_ext_ack(&nl, nlh);
	assert_string_equal(nl.ext_msg, "");
	assert_false(nl.has_offset);

	/* no TLVs flag: nothing */
	nlh->nlmsg_len = (uint32_t)off;
	nlh->nlmsg_flags = NLM_F_CAPPED;
	vl_nl_parse_ext_ack(&nl, nlh);
	assert_string_equal(nl.ext_msg, "");
}

static void test_show_text(void **state)
{
	struct fixture *f = fixture_new();
	struct vl_instance in = { 0 };
	struct vl_route del = { 0 };
	char *text = NULL;

	(void)state;
	strcpy(in.name, "vpna");
	strcpy(in.vrf_name, "vrf-a");
	in.table = 10;
	in.max_paths = 4;
	in.lb_mode = VPNLB_LB_FLOW;
	in.hash_fields = VPNLB_HASH_L3L4;
	in.ttl_mode = VPNLB_TTL_UNIFORM;
	in.routes = 2;
	in.stats = (struct vl_istats){ true, 10, 2, 1, 2, 3, 4, 5, 6 };
	in.has = 1ULL << VPNLB_INSTANCE_A_NAME |
		 1ULL << VPNLB_INSTANCE_A_VRF_NAME |
		 1ULL << VPNLB_INSTANCE_A_TABLE |
		 1ULL << VPNLB_INSTANCE_A_MAX_PATHS |
		 1ULL << VPNLB_INSTANCE_A_LB_MODE |
		 1ULL << VPNLB_INSTANCE_A_HASH_FIELDS |
		 1ULL << VPNLB_INSTANCE_A_TTL_MODE |
		 1ULL << VPNLB_INSTANCE_A_ROUTES;
	CAPTURE(text, vl_show_instance(out, &in, true));
	assert_string_equal(text,
		"vpna vrf vrf-a table 10 max-paths 4 mode flow hash l3l4 ttl uniform routes 2\n"
		"    hits 10 misses 2\n"
		"    drop ttl 1 mtu 2 no-neigh 3 tunnel-down 4 no-member 5 nomem 6\n");
	free(text);

	CAPTURE(text, vl_show_tunnel(out, &f->tunnels[0]));
	assert_string_equal(text,
		"3 pe 4.4.4.4 via 10.0.3.2 dev eth3 label 19 state down-link\n");
	free(text);
	f->tunnels[0].nlabels = 0;
	f->tunnels[0].has &= ~(1ULL << VPNLB_TUNNEL_A_LABEL);
	CAPTURE(text, vl_show_tunnel(out, &f->tunnels[0]));
	assert_string_equal(text,
		"3 pe 4.4.4.4 via 10.0.3.2 dev eth3 label none state down-link\n");
	free(text);

	CAPTURE(text, vl_show_nexthop(out, &f->nexthops[1]));
	assert_string_equal(text, "11 tunnel 2 label 1003 neighbor 9.9.9.9\n");
	free(text);

	CAPTURE(text, vl_show_group(out, &f->groups[0], false, false));
	assert_string_equal(text,
		"100 instance vpna users 1\n"
		"    member 10 weight 3 active\n"
		"    member 11 weight 1 active\n"
		"    member 12 weight 1 backup\n");
	free(text);
	CAPTURE(text, vl_show_group(out, &f->groups[0], true, false));
	assert_string_equal(text,
		"100 instance vpna users 1\n"
		"    member 10 weight 3 active packets 300 bytes 25200\n"
		"    member 11 weight 1 active packets 100 bytes 8400\n"
		"    member 12 weight 1 backup packets 0 bytes 0\n");
	free(text);
	CAPTURE(text, vl_show_group(out, &f->groups[0], false, true));
	assert_string_equal(text,
		"100 instance vpna users 1 member 10 weight 3 active member 11 weight 1 active member 12 weight 1 backup\n");
	free(text);

	CAPTURE(text, vl_show_route(out, &f->routes[1]));
	assert_string_equal(text,
		"vpna 10.2.0.0/16 group 100 proto ibgp preference 255 cost 0 age 00h01m16s\n");
	free(text);

	/* a delete notice carries the key only */
	strcpy(del.instance, "vpna");
	del.prefix = fx_addr("10.2.0.0");
	del.prefixlen = 16;
	del.has = 1ULL << VPNLB_ROUTE_A_INSTANCE |
		  1ULL << VPNLB_ROUTE_A_PREFIX |
		  1ULL << VPNLB_ROUTE_A_PREFIXLEN;
	CAPTURE(text, vl_show_route(out, &del));
	assert_string_equal(text, "vpna 10.2.0.0/16\n");
	free(text);
	free(f);
}

static void test_show_json(void **state)
{
	struct fixture *f = fixture_new();
	char *text = NULL;
	json_object *o;

	(void)state;
	o = vl_json_tunnel(&f->tunnels[1]);
	CAPTURE(text, vl_json_print(out, o));
	json_object_put(o);
	assert_string_equal(text,
		"{\"id\":1,\"pe\":\"2.2.2.2\",\"via\":\"10.0.1.2\",\"dev\":\"eth1\",\"labels\":[17],\"state\":\"up\"}\n");
	free(text);

	o = vl_json_group(&f->groups[0], true);
	CAPTURE(text, vl_json_print(out, o));
	json_object_put(o);
	assert_string_equal(text,
		"{\"id\":100,\"instance\":\"vpna\",\"users\":1,\"members\":["
		"{\"nexthop\":10,\"weight\":3,\"state\":\"active\",\"packets\":300,\"bytes\":25200},"
		"{\"nexthop\":11,\"weight\":1,\"state\":\"active\",\"packets\":100,\"bytes\":8400},"
		"{\"nexthop\":12,\"weight\":1,\"state\":\"backup\",\"packets\":0,\"bytes\":0}]}\n");
	free(text);

	o = vl_json_route(&f->routes[0]);
	CAPTURE(text, vl_json_print(out, o));
	json_object_put(o);
	assert_string_equal(text,
		"{\"instance\":\"vpna\",\"prefix\":\"10.3.1.0/24\",\"nexthop\":10,\"proto\":\"static\",\"preference\":60,\"cost\":5,\"age\":90061}\n");
	free(text);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route_roundtrip),
		cmocka_unit_test(test_tunnel_group_roundtrip),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_ext_ack),
		cmocka_unit_test(test_show_text),
		cmocka_unit_test(test_show_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
