// SPDX-License-Identifier: GPL-2.0-or-later
/* The command grammar and value parsers: what is accepted, what is said. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "args.h"
#include "batch.h"
#include "cli.h"

#define MAXW 300

/* Parse a command line given as one string. */
static int parse(const char *line, struct vl_cmd *cmd, char *err)
{
	static char buf[4096];
	char *argv[MAXW];
	const char *serr;
	int argc;

	strncpy(buf, line, sizeof(buf) - 1);
	argc = vl_batch_split(buf, argv, MAXW, &serr);
	assert_true(argc >= 0);
	err[0] = '\0';
	return vl_cli_parse(argc, argv, cmd, err);
}

static void expect_error(const char *line, const char *msg)
{
	char err[VL_ERR_SIZE];
	struct vl_cmd cmd;

	assert_int_equal(parse(line, &cmd, err), -1);
	assert_string_equal(err, msg);
}

static void test_prefix(void **state)
{
	struct in_addr a;
	char err[VL_ERR_SIZE];
	uint8_t len;

	(void)state;
	assert_int_equal(vl_parse_prefix("10.2.0.0/16", &a, &len, err), 0);
	assert_int_equal(ntohl(a.s_addr), 0x0a020000);
	assert_int_equal(len, 16);
	assert_int_equal(vl_parse_prefix("0.0.0.0/0", &a, &len, err), 0);
	assert_int_equal(len, 0);
	assert_int_equal(vl_parse_prefix("1.2.3.4/32", &a, &len, err), 0);
	assert_int_equal(vl_parse_prefix("10.2.0.0/33", &a, &len, err), -1);
	assert_string_equal(err, "invalid prefix length \"33\"");
	assert_int_equal(vl_parse_prefix("10.2.0.1/16", &a, &len, err), -1);
	assert_string_equal(err, "invalid prefix \"10.2.0.1/16\": host bits set");
	assert_int_equal(vl_parse_prefix("10.2.0.0", &a, &len, err), -1);
	assert_string_equal(err,
		"invalid prefix \"10.2.0.0\" (expected ADDRESS/LENGTH)");
	assert_int_equal(vl_parse_prefix("10.2.0/16", &a, &len, err), -1);
	assert_string_equal(err, "invalid prefix \"10.2.0/16\"");
	assert_int_equal(vl_parse_prefix("10.2.0.0/", &a, &len, err), -1);
	assert_string_equal(err, "invalid prefix length \"\"");
	assert_int_equal(vl_parse_prefix("10.2.0.0/-1", &a, &len, err), -1);
	assert_int_equal(vl_parse_prefix("10.2.0.0/0x10", &a, &len, err), -1);
	assert_int_equal(vl_parse_prefix("10.2.0.0/16x", &a, &len, err), -1);
}

static void test_numbers(void **state)
{
	char err[VL_ERR_SIZE];
	uint32_t v;

	(void)state;
	assert_int_equal(vl_parse_u32("label", "1048575", 0, 0xfffff, &v, err), 0);
	assert_int_equal(v, 1048575);
	assert_int_equal(vl_parse_u32("label", "0xfffff", 0, 0xfffff, &v, err), 0);
	assert_int_equal(v, 0xfffff);
	assert_int_equal(vl_parse_u32("label", "0x100000", 0, 0xfffff, &v, err), -1);
	assert_string_equal(err, "invalid label \"0x100000\" (0..1048575)");
	assert_int_equal(vl_parse_u32("n", "-1", 0, 10, &v, err), -1);
	assert_int_equal(vl_parse_u32("n", "", 0, 10, &v, err), -1);
	assert_int_equal(vl_parse_u32("n", "0x", 0, 10, &v, err), -1);
	assert_int_equal(vl_parse_u32("n", "4294967296", 0, UINT32_MAX, &v, err), -1);
	assert_int_equal(vl_parse_u32("n", "4294967295", 0, UINT32_MAX, &v, err), 0);
	assert_int_equal(v, UINT32_MAX);
	assert_int_equal(vl_parse_u32("n", "12abc", 0, 100, &v, err), -1);
}

static void test_labels_and_masks(void **state)
{
	uint32_t labels[3];
	char err[VL_ERR_SIZE];
	unsigned int n;
	uint8_t len;

	(void)state;
	assert_int_equal(vl_parse_labels("16/17/18", labels, &n, err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(labels[2], 18);
	assert_int_equal(vl_parse_labels("16/17/18/19", labels, &n, err), -1);
	assert_string_equal(err, "too many labels in \"16/17/18/19\" (at most 3)");
	assert_int_equal(vl_parse_labels("16//17", labels, &n, err), -1);
	assert_string_equal(err, "invalid label stack \"16//17\"");
	assert_int_equal(vl_parse_labels("16/1048576", labels, &n, err), -1);
	assert_string_equal(err, "invalid label \"1048576\" (0..1048575)");

	assert_int_equal(vl_parse_masklen("24", &len, err), 0);
	assert_int_equal(len, 24);
	assert_int_equal(vl_parse_masklen("255.255.0.0", &len, err), 0);
	assert_int_equal(len, 16);
	assert_int_equal(vl_parse_masklen("0.0.0.0", &len, err), 0);
	assert_int_equal(len, 0);
	assert_int_equal(vl_parse_masklen("255.0.255.0", &len, err), -1);
	assert_string_equal(err, "invalid mask length \"255.0.255.0\"");
	assert_int_equal(vl_parse_masklen("33", &len, err), -1);
}

static void test_instance(void **state)
{
	char err[VL_ERR_SIZE];
	struct vl_cmd cmd;
	struct vl_instance *in = &cmd.u.instance;

	(void)state;
	assert_int_equal(parse("instance add vpna vrf vrf-a max-paths 4 mode packet hash l3 ttl pipe owner 7 generation 9",
			       &cmd, err), 0);
	assert_int_equal(cmd.obj, VL_OBJ_INSTANCE);
	assert_int_equal(cmd.verb, VL_VERB_ADD);
	assert_string_equal(in->name, "vpna");
	assert_string_equal(in->vrf_name, "vrf-a");
	assert_int_equal(in->max_paths, 4);
	assert_int_equal(in->lb_mode, VPNLB_LB_PACKET);
	assert_int_equal(in->hash_fields, VPNLB_HASH_L3);
	assert_int_equal(in->ttl_mode, VPNLB_TTL_PIPE);
	assert_int_equal(in->owner, 7);
	assert_int_equal(in->generation, 9);
	assert_true(VL_HAS(in, VPNLB_INSTANCE_A_OWNER));

	assert_int_equal(parse("instance show", &cmd, err), 0);
	assert_int_equal(cmd.verb, VL_VERB_SHOW);
	assert_int_equal(in->has, 0);
	assert_int_equal(parse("instance", &cmd, err), 0);
	assert_int_equal(cmd.verb, VL_VERB_SHOW);

	expect_error("instance add vpna", "missing \"vrf VRFDEV\"");
	expect_error("instance add vpna vrf vrf-a max-paths 65",
		     "invalid max-paths \"65\" (1..64)");
	expect_error("instance add vpna vrf vrf-a max-paths 0",
		     "invalid max-paths \"0\" (1..64)");
	expect_error("instance add vpna vrf vrf-a mode random",
		     "invalid mode \"random\" (flow|packet)");
	expect_error("instance add vpna vrf vrf-a hash l4",
		     "invalid hash \"l4\" (l3l4|l3)");
	expect_error("instance add vpna vrf", "missing value after \"vrf\"");
	expect_error("instance add a23456789012345678901234567890123 vrf vrf-a",
		     "instance name \"a23456789012345678901234567890123\" is longer than 31 characters");
	expect_error("instance change vpna", "nothing to change");
	expect_error("instance change vpna vrf vrf-b", "unknown argument \"vrf\"");
	expect_error("instance del vpna now", "unknown argument \"now\"");
	expect_error("instance frob vpna", "unknown instance command \"frob\"");
	expect_error("instance get vpna", "unknown instance command \"get\"");
	expect_error("frob", "unknown command \"frob\"");
}

static void test_tunnel_nexthop(void **state)
{
	char err[VL_ERR_SIZE];
	struct vl_cmd cmd;
	struct vl_tunnel *t = &cmd.u.tunnel;
	struct vl_nexthop *nh = &cmd.u.nexthop;

	(void)state;
	assert_int_equal(parse("tunnel add 1 pe 2.2.2.2 via 10.0.1.2 dev eth1 label 16/17",
			       &cmd, err), 0);
	assert_int_equal(t->id, 1);
	assert_int_equal(ntohl(t->pe.s_addr), 0x02020202);
	assert_int_equal(ntohl(t->gateway.s_addr), 0x0a000102);
	assert_string_equal(t->ifname, "eth1");
	assert_int_equal(t->nlabels, 2);
	assert_true(VL_HAS(t, VPNLB_TUNNEL_A_LABEL));

	assert_int_equal(parse("tunnel change 1 label none", &cmd, err), 0);
	assert_true(VL_HAS(t, VPNLB_TUNNEL_A_NO_LABELS));
	assert_false(VL_HAS(t, VPNLB_TUNNEL_A_LABEL));

	expect_error("tunnel add 0 pe 2.2.2.2 via 10.0.1.2 dev eth1",
		     "invalid tunnel id \"0\" (1..4294967295)");
	expect_error("tunnel add 1 via 10.0.1.2 dev eth1", "missing \"pe ADDR\"");
	expect_error("tunnel add 1 pe 2.2.2 via 10.0.1.2 dev eth1",
		     "invalid PE address \"2.2.2\"");
	expect_error("tunnel add 1 pe 2.2.2.2 via 10.0.1.2 dev eth1 label 0x100000",
		     "invalid label \"0x100000\" (0..1048575)");
	expect_error("tunnel add 1 pe 2.2.2.2 via 10.0.1.2 dev abcdefghijklmnop",
		     "invalid device name \"abcdefghijklmnop\"");
	expect_error("tunnel change 1 pe 3.3.3.3", "unknown argument \"pe\"");
	expect_error("tunnel change 1", "nothing to change");

	assert_int_equal(parse("nexthop add 10 tunnel 1 label 1002 neighbor 9.9.9.9",
			       &cmd, err), 0);
	assert_int_equal(nh->id, 10);
	assert_int_equal(nh->tunnel_id, 1);
	assert_int_equal(nh->label, 1002);
	assert_true(VL_HAS(nh, VPNLB_NEXTHOP_A_NEIGHBOR));
	expect_error("nexthop add 10 tunnel 1 label 0x100000",
		     "invalid label \"0x100000\" (0..1048575)");
	expect_error("nexthop add 10 tunnel 1", "missing \"label L\"");
	expect_error("nexthop add 10 label 5", "missing \"tunnel TID\"");
	expect_error("nexthop add 10 tunnel", "missing tunnel id");
}

static void test_group(void **state)
{
	char err[VL_ERR_SIZE], line[4096];
	struct vl_cmd cmd;
	struct vl_group *g = &cmd.u.group;
	size_t len;
	int i;

	(void)state;
	assert_int_equal(parse("group add 100 instance vpna member 10 weight 3 member 11",
			       &cmd, err), 0);
	assert_int_equal(g->id, 100);
	assert_string_equal(g->instance, "vpna");
	assert_int_equal(g->nmembers, 2);
	assert_int_equal(g->members[0].nexthop_id, 10);
	assert_int_equal(g->members[0].weight, 3);
	assert_false(VL_HAS(&g->members[1], VPNLB_MEMBER_A_WEIGHT));

	expect_error("group add 100 instance vpna member 10 weight 0",
		     "invalid weight \"0\" (1..65535)");
	expect_error("group add 100 instance vpna member 10 weight 65536",
		     "invalid weight \"65536\" (1..65535)");
	expect_error("group add 100 instance vpna weight 3",
		     "unknown argument \"weight\"");
	expect_error("group add 100 instance vpna", "missing \"member NHID\"");
	expect_error("group add 100 member 10", "missing \"instance NAME\"");
	expect_error("group change 100 instance vpna member 10",
		     "unknown argument \"instance\"");

	len = (size_t)snprintf(line, sizeof(line), "group add 1 instance vpna");
	for (i = 0; i < 129; i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len,
					" member %d", i + 1);
	expect_error(line, "too many members (at most 128)");
}

static void test_route(void **state)
{
	char err[VL_ERR_SIZE];
	struct vl_cmd cmd;
	struct vl_route *r = &cmd.u.route;

	(void)state;
	assert_int_equal(parse("route add vpna 10.2.0.0/16 group 100 proto ibgp preference 255 cost 7 owner 1 generation 2",
			       &cmd, err), 0);
	assert_string_equal(r->instance, "vpna");
	assert_int_equal(r->prefixlen, 16);
	assert_int_equal(r->group_id, 100);
	assert_int_equal(r->protocol, VPNLB_PROTO_IBGP);
	assert_int_equal(r->preference, 255);
	assert_int_equal(r->cost, 7);

	assert_int_equal(parse("route show vpna 10.0.0.0/8 longer", &cmd, err), 0);
	assert_true(cmd.longer);
	assert_int_equal(parse("route get vpna 10.2.3.4", &cmd, err), 0);
	assert_int_equal(cmd.verb, VL_VERB_GET);
	assert_true(VL_HAS(r, VPNLB_ROUTE_A_LOOKUP_ADDR));

	expect_error("route add vpna 10.2.0.0/33 group 1",
		     "invalid prefix length \"33\"");
	expect_error("route add vpna 10.2.0.1/16 group 1",
		     "invalid prefix \"10.2.0.1/16\": host bits set");
	expect_error("route add vpna 10.2.0.0/16",
		     "missing \"group GID\" or \"nexthop NHID\"");
	expect_error("route add vpna 10.2.0.0/16 group 1 nexthop 2",
		     "\"group\" and \"nexthop\" are exclusive");
	expect_error("route add vpna 10.2.0.0/16 group 1 proto ospf",
		     "invalid proto \"ospf\" (static|ibgp|ebgp)");
	expect_error("route add vpna 10.2.0.0/16 group 1 preference 256",
		     "invalid preference \"256\" (0..255)");
	expect_error("route add vpna", "missing PREFIX/LEN");
	expect_error("route del vpna 10.2.0.0/16 group 1",
		     "unknown argument \"group\"");
	expect_error("route change vpna 10.2.0.0/16", "nothing to change");
	expect_error("route get vpna 10.2.0.0/16",
		     "invalid address \"10.2.0.0/16\"");
}

static void test_display_flush(void **state)
{
	char err[VL_ERR_SIZE];
	struct vl_cmd cmd;
	struct vl_display_args *d = &cmd.u.display;

	(void)state;
	assert_int_equal(parse("display ip routing-table vpn-instance vpna",
			       &cmd, err), 0);
	assert_string_equal(d->instance, "vpna");
	assert_false(d->has_ip);
	assert_int_equal(parse("display ip routing-table vpn-instance vpna 10.2.3.4 verbose",
			       &cmd, err), 0);
	assert_true(d->has_ip);
	assert_false(d->has_mask);
	assert_true(d->verbose);
	/* VRP masks the address itself */
	assert_int_equal(parse("display ip routing-table vpn-instance vpna 10.2.3.4 255.255.0.0 longer-match",
			       &cmd, err), 0);
	assert_int_equal(ntohl(d->ip.s_addr), 0x0a020000);
	assert_int_equal(d->masklen, 16);
	assert_true(d->longer);
	expect_error("display ip routing-table vpn-instance vpna 10.2.0.0 longer-match",
		     "\"longer-match\" needs an address and a mask length");
	expect_error("display ip routing-table vpna",
		     "expected \"vpn-instance\" instead of \"vpna\"");
	expect_error("display ip routing-table vpn-instance vpna 10.2.0.0 40",
		     "invalid mask length \"40\"");
	expect_error("display ip routing-table vpn-instance vpna verbose 10.2.0.0",
		     "unknown argument \"10.2.0.0\"");

	assert_int_equal(parse("flush instance vpna owner 3 generation 5",
			       &cmd, err), 0);
	assert_int_equal(cmd.u.flush.owner, 3);
	assert_int_equal(cmd.u.flush.generation, 5);
	expect_error("flush everything", "unknown argument \"everything\"");
	expect_error("monitor now", "unknown argument \"now\"");
}

static void test_split(void **state)
{
	char line[] = "  route add 'vp na' \"10.0.0.0/8\"  group 1 # comment\n";
	char comment[] = "   # only a comment\n";
	char open[] = "route add \"vpna\n";
	char *argv[8];
	const char *err;

	(void)state;
	assert_int_equal(vl_batch_split(line, argv, 8, &err), 6);
	assert_string_equal(argv[2], "vp na");
	assert_string_equal(argv[3], "10.0.0.0/8");
	assert_string_equal(argv[5], "1");
	assert_int_equal(vl_batch_split(comment, argv, 8, &err), 0);
	assert_int_equal(vl_batch_split(open, argv, 8, &err), -1);
	assert_string_equal(err, "unterminated quote");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_labels_and_masks),
		cmocka_unit_test(test_instance),
		cmocka_unit_test(test_tunnel_nexthop),
		cmocka_unit_test(test_group),
		cmocka_unit_test(test_route),
		cmocka_unit_test(test_display_flush),
		cmocka_unit_test(test_split),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
