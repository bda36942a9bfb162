// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fib-count: counts the IPv4 routes of one kernel routing table and how many
 * of them have at least N next hops (RTA_MULTIPATH entries, or the members
 * of the RTA_NH_ID nexthop group), with one netlink dump. Used to see when
 * a routing daemon has installed a whole feed.
 *
 *   fib-count TABLE [N]     prints "routes R multipath M nhgroups G"
 *
 * M counts routes with >= N (default 2) next hops; G the distinct nexthop
 * objects the routes use.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#define NH_IDS_MAX	(1u << 20)

struct counts {
	unsigned int table;
	unsigned int min_paths;
	unsigned long routes, multipath;
	uint16_t *nh_members;		/* by nexthop id: group size, 0 unknown */
	uint8_t *nh_used;
	unsigned long nh_groups;
};

static int on_nexthop(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct counts *c = arg;
	struct nlattr *tb[NHA_MAX + 1];
	uint32_t id;

	if (nlmsg_parse(h, sizeof(struct nhmsg), tb, NHA_MAX, NULL) < 0 ||
	    !tb[NHA_ID] || nla_len(tb[NHA_ID]) != sizeof(uint32_t))
		return NL_SKIP;
	id = nla_get_u32(tb[NHA_ID]);
	if (id >= NH_IDS_MAX)
		return NL_SKIP;
	c->nh_members[id] = tb[NHA_GROUP] ?
		(uint16_t)(nla_len(tb[NHA_GROUP]) / sizeof(struct nexthop_grp)) : 1;
	return NL_OK;
}

static unsigned int multipath_entries(struct nlattr *mp)
{
	const uint8_t *p = nla_data(mp);
	int left = nla_len(mp);
	unsigned int n = 0;

	while (left >= (int)sizeof(struct rtnexthop)) {
		const struct rtnexthop *nh = (const void *)p;

		if (nh->rtnh_len < sizeof(*nh) || nh->rtnh_len > left)
			break;
		n++;
		left -= RTNH_ALIGN(nh->rtnh_len);
		p += RTNH_ALIGN(nh->rtnh_len);
	}
	return n;
}

static int on_route(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct counts *c = arg;
	struct nlattr *tb[RTA_MAX + 1];
	struct rtmsg *rtm;
	unsigned int table, paths = 1;

	if (h->nlmsg_type != RTM_NEWROUTE ||
	    nlmsg_parse(h, sizeof(*rtm), tb, RTA_MAX, NULL) < 0)
		return NL_SKIP;
	rtm = nlmsg_data(h);
	table = rtm->rtm_table;
	if (tb[RTA_TABLE] && nla_len(tb[RTA_TABLE]) == sizeof(uint32_t))
		table = nla_get_u32(tb[RTA_TABLE]);
	if (table != c->table || rtm->rtm_family != AF_INET ||
	    rtm->rtm_type != RTN_UNICAST)
		return NL_SKIP;
	c->routes++;
	/* with nexthop objects the kernel may also expand RTA_MULTIPATH */
	if (tb[RTA_NH_ID] && nla_len(tb[RTA_NH_ID]) == sizeof(uint32_t)) {
		uint32_t id = nla_get_u32(tb[RTA_NH_ID]);

		if (id < NH_IDS_MAX) {
			paths = c->nh_members[id];
			if (!c->nh_used[id]) {
				c->nh_used[id] = 1;
				c->nh_groups++;
			}
		}
	} else if (tb[RTA_MULTIPATH]) {
		paths = multipath_entries(tb[RTA_MULTIPATH]);
	}
	if (paths >= c->min_paths)
		c->multipath++;
	return NL_OK;
}

static void dump(struct nl_sock *sk, int type, void *hdr, size_t hdr_len,
		 nl_recvmsg_msg_cb_t cb, struct counts *c)
{
	int err;

	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, cb, c);
	err = nl_send_simple(sk, type, NLM_F_DUMP, hdr, hdr_len);
	if (err >= 0)
		err = nl_recvmsgs_default(sk);
	/* a kernel without nexthop objects refuses that dump: no groups */
	if (err < 0 && type != RTM_GETNEXTHOP) {
		fprintf(stderr, "fib-count: dump: %s\n", nl_geterror(err));
		exit(1);
	}
}

int main(int argc, char **argv)
{
	struct counts c = { .min_paths = 2 };
	struct rtmsg rtm = { .rtm_family = AF_INET };
	struct nhmsg nhm = { .nh_family = AF_UNSPEC };
	struct nl_sock *sk;
	char *end;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: fib-count TABLE [MIN_PATHS]\n");
		return 2;
	}
	c.table = (unsigned int)strtoul(argv[1], &end, 10);
	if (*end || !c.table) {
		fprintf(stderr, "fib-count: bad table '%s'\n", argv[1]);
		return 2;
	}
	if (argc == 3) {
		c.min_paths = (unsigned int)strtoul(argv[2], &end, 10);
		if (*end || !c.min_paths) {
			fprintf(stderr, "fib-count: bad count '%s'\n", argv[2]);
			return 2;
		}
	}
	c.nh_members = calloc(NH_IDS_MAX, sizeof(*c.nh_members));
	c.nh_used = calloc(NH_IDS_MAX, 1);
	sk = nl_socket_alloc();
	if (!c.nh_members || !c.nh_used || !sk || nl_connect(sk, NETLINK_ROUTE)) {
		fprintf(stderr, "fib-count: cannot open rtnetlink\n");
		return 1;
	}
	nl_socket_set_buffer_size(sk, 4 << 20, 0);
	nl_socket_set_msg_buf_size(sk, 64 << 10);
	dump(sk, RTM_GETNEXTHOP, &nhm, sizeof(nhm), on_nexthop, &c);
	dump(sk, RTM_GETROUTE, &rtm, sizeof(rtm), on_route, &c);
	printf("routes %lu multipath %lu nhgroups %lu\n", c.routes, c.multipath,
	       c.nh_groups);
	nl_socket_free(sk);
	free(c.nh_members);
	free(c.nh_used);
	return 0;
}
