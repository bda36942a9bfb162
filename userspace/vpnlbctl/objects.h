/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The vpnlb objects as vpnlbctl holds them: one struct per netlink nest.
 * "has" records which attributes are present (bit = attribute type), so the
 * same struct serves requests (only what the operator gave is sent) and
 * replies (only what the kernel sent is printed).
 */
#ifndef VPNLBCTL_OBJECTS_H
#define VPNLBCTL_OBJECTS_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/vpnlb.h>

#define VL_HAS(obj, attr)	((((obj)->has) >> (attr)) & 1ULL)
#define VL_SET(obj, attr)	((obj)->has |= 1ULL << (attr))

#define VL_NAME_SIZE	(VPNLB_INSTANCE_NAME_MAX + 1)

struct vl_istats {
	bool present;
	uint64_t hits;
	uint64_t misses;
	uint64_t drop_ttl;
	uint64_t drop_mtu;
	uint64_t drop_no_neigh;
	uint64_t drop_tunnel_down;
	uint64_t drop_no_member;
	uint64_t drop_nomem;
};

struct vl_instance {
	uint64_t has;
	char name[VL_NAME_SIZE];
	char vrf_name[IF_NAMESIZE];
	uint32_t vrf_ifindex;
	uint32_t table;
	uint32_t max_paths;
	uint32_t max_paths_ibgp;
	uint32_t max_paths_ebgp;
	uint8_t lb_mode;
	uint8_t hash_fields;
	uint8_t ttl_mode;
	uint32_t owner;
	uint32_t generation;
	uint32_t routes;
	struct vl_istats stats;
};

struct vl_tunnel {
	uint64_t has;
	uint32_t id;
	struct in_addr pe;
	struct in_addr gateway;
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	uint32_t labels[VPNLB_TUNNEL_LABELS_MAX];
	unsigned int nlabels;
	uint8_t state;
	uint32_t owner;
	uint32_t generation;
	uint32_t users;
};

struct vl_nexthop {
	uint64_t has;
	uint32_t id;
	uint32_t tunnel_id;
	uint32_t label;
	struct in_addr neighbor;
	uint32_t owner;
	uint32_t generation;
	uint32_t users;
};

struct vl_member {
	uint64_t has;
	uint32_t nexthop_id;
	uint32_t weight;
	uint8_t state;
	uint64_t packets;
	uint64_t bytes;
};

struct vl_group {
	uint64_t has;
	uint32_t id;
	char instance[VL_NAME_SIZE];
	uint32_t owner;
	uint32_t generation;
	uint32_t users;
	uint8_t protocol;
	unsigned int nmembers;
	struct vl_member members[VPNLB_GROUP_MEMBERS_MAX];
};

struct vl_route {
	uint64_t has;
	char instance[VL_NAME_SIZE];
	struct in_addr prefix;
	uint8_t prefixlen;
	uint32_t group_id;
	uint32_t nexthop_id;
	uint8_t protocol;
	uint32_t preference;
	uint32_t cost;
	uint32_t owner;
	uint32_t generation;
	uint64_t age;
	struct in_addr lookup_addr;
};

struct vl_flush {
	uint64_t has;
	char instance[VL_NAME_SIZE];
	uint32_t owner;
	uint32_t generation;
	uint32_t deleted;
};

#endif
