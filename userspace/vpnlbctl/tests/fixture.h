/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One instance as the kernel would report it: three tunnels (the third
 * one's link down), three nexthops, a group of two active members and a
 * backup, a route through the group and one through a single nexthop.
 */
#ifndef VPNLBCTL_TEST_FIXTURE_H
#define VPNLBCTL_TEST_FIXTURE_H

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "display.h"

struct fixture {
	struct vl_route routes[2];
	struct vl_group groups[1];
	struct vl_nexthop nexthops[3];
	struct vl_tunnel tunnels[3];
	struct vl_fib_view view;
};

static inline struct in_addr fx_addr(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return a;
}

static inline void fx_tunnel(struct vl_tunnel *t, uint32_t id, const char *pe,
			     const char *gw, const char *dev, uint8_t state)
{
	memset(t, 0, sizeof(*t));
	t->id = id;
	t->pe = fx_addr(pe);
	t->gateway = fx_addr(gw);
	strcpy(t->ifname, dev);
	t->state = state;
	t->labels[0] = 16 + id;
	t->nlabels = 1;
	VL_SET(t, VPNLB_TUNNEL_A_ID);
	VL_SET(t, VPNLB_TUNNEL_A_PE);
	VL_SET(t, VPNLB_TUNNEL_A_GATEWAY);
	VL_SET(t, VPNLB_TUNNEL_A_IFNAME);
	VL_SET(t, VPNLB_TUNNEL_A_LABEL);
	VL_SET(t, VPNLB_TUNNEL_A_STATE);
}

static inline void fx_nexthop(struct vl_nexthop *nh, uint32_t id,
			      uint32_t tid, uint32_t label)
{
	memset(nh, 0, sizeof(*nh));
	nh->id = id;
	nh->tunnel_id = tid;
	nh->label = label;
	VL_SET(nh, VPNLB_NEXTHOP_A_ID);
	VL_SET(nh, VPNLB_NEXTHOP_A_TUNNEL_ID);
	VL_SET(nh, VPNLB_NEXTHOP_A_LABEL);
}

static inline void fx_member(struct vl_member *m, uint32_t nhid,
			     uint32_t weight, uint8_t state, uint64_t packets,
			     uint64_t bytes)
{
	memset(m, 0, sizeof(*m));
	m->nexthop_id = nhid;
	m->weight = weight;
	m->state = state;
	m->packets = packets;
	m->bytes = bytes;
	VL_SET(m, VPNLB_MEMBER_A_NEXTHOP_ID);
	VL_SET(m, VPNLB_MEMBER_A_WEIGHT);
	VL_SET(m, VPNLB_MEMBER_A_STATE);
	VL_SET(m, VPNLB_MEMBER_A_PACKETS);
	VL_SET(m, VPNLB_MEMBER_A_BYTES);
}

static inline void fx_route(struct vl_route *r, const char *prefix,
			    uint8_t len, uint32_t group, uint32_t nexthop,
			    uint8_t proto, uint32_t pref, uint32_t cost,
			    uint64_t age)
{
	memset(r, 0, sizeof(*r));
	strcpy(r->instance, "vpna");
	r->prefix = fx_addr(prefix);
	r->prefixlen = len;
	r->protocol = proto;
	r->preference = pref;
	r->cost = cost;
	r->age = age;
	VL_SET(r, VPNLB_ROUTE_A_INSTANCE);
	VL_SET(r, VPNLB_ROUTE_A_PREFIX);
	VL_SET(r, VPNLB_ROUTE_A_PREFIXLEN);
	VL_SET(r, VPNLB_ROUTE_A_PROTOCOL);
	VL_SET(r, VPNLB_ROUTE_A_PREFERENCE);
	VL_SET(r, VPNLB_ROUTE_A_COST);
	VL_SET(r, VPNLB_ROUTE_A_AGE);
	if (group) {
		r->group_id = group;
		VL_SET(r, VPNLB_ROUTE_A_GROUP_ID);
	} else {
		r->nexthop_id = nexthop;
		VL_SET(r, VPNLB_ROUTE_A_NEXTHOP_ID);
	}
}

static inline struct fixture *fixture_new(void)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct vl_group *g = &f->groups[0];

	/* listed out of order: the display sorts */
	fx_tunnel(&f->tunnels[0], 3, "4.4.4.4", "10.0.3.2", "eth3",
		  VPNLB_TUNNEL_DOWN_LINK);
	fx_tunnel(&f->tunnels[1], 1, "2.2.2.2", "10.0.1.2", "eth1",
		  VPNLB_TUNNEL_UP);
	fx_tunnel(&f->tunnels[2], 2, "3.3.3.3", "10.0.2.2", "eth2",
		  VPNLB_TUNNEL_UP);
	fx_nexthop(&f->nexthops[0], 12, 3, 1004);
	fx_nexthop(&f->nexthops[1], 11, 2, 1003);
	fx_nexthop(&f->nexthops[2], 10, 1, 1002);
	f->nexthops[1].neighbor = fx_addr("9.9.9.9");
	VL_SET(&f->nexthops[1], VPNLB_NEXTHOP_A_NEIGHBOR);

	g->id = 100;
	strcpy(g->instance, "vpna");
	g->users = 1;
	VL_SET(g, VPNLB_GROUP_A_ID);
	VL_SET(g, VPNLB_GROUP_A_INSTANCE);
	VL_SET(g, VPNLB_GROUP_A_USERS);
	fx_member(&g->members[0], 10, 3, VPNLB_MEMBER_ACTIVE, 300, 25200);
	fx_member(&g->members[1], 11, 1, VPNLB_MEMBER_ACTIVE, 100, 8400);
	fx_member(&g->members[2], 12, 1, VPNLB_MEMBER_BACKUP, 0, 0);
	g->nmembers = 3;

	fx_route(&f->routes[0], "10.3.1.0", 24, 0, 10, VPNLB_PROTO_STATIC,
		 60, 5, 90061);
	fx_route(&f->routes[1], "10.2.0.0", 16, 100, 0, VPNLB_PROTO_IBGP,
		 255, 0, 76);

	f->view = (struct vl_fib_view){
		.instance = "vpna",
		.routes = f->routes, .nroutes = 2,
		.groups = f->groups, .ngroups = 1,
		.nexthops = f->nexthops, .nnexthops = 3,
		.tunnels = f->tunnels, .ntunnels = 3,
	};
	return f;
}

/* Run fn into a memory stream and return the text (caller frees). */
#define CAPTURE(buf, call)						\
	do {								\
		size_t __len;						\
		FILE *out = open_memstream(&(buf), &__len);		\
		call;							\
		fclose(out);						\
	} while (0)

#endif
