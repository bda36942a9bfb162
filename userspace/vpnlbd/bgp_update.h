/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * UPDATE messages: path attributes, IPv4 and VPNv4 NLRI (RFC 4271, 4760,
 * 4364, 8277, 7911), End-of-RIB (RFC 4724), and the RFC 7606 reaction to
 * every malformation.
 */
#ifndef VPNLBD_BGP_UPDATE_H
#define VPNLBD_BGP_UPDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp_error.h"
#include "bgp_msg.h"

enum bgp_attr_type {
	BGP_ATTR_ORIGIN = 1,
	BGP_ATTR_AS_PATH = 2,
	BGP_ATTR_NEXT_HOP = 3,
	BGP_ATTR_MED = 4,
	BGP_ATTR_LOCAL_PREF = 5,
	BGP_ATTR_ATOMIC_AGGREGATE = 6,
	BGP_ATTR_AGGREGATOR = 7,
	BGP_ATTR_COMMUNITIES = 8,
	BGP_ATTR_ORIGINATOR_ID = 9,
	BGP_ATTR_CLUSTER_LIST = 10,
	BGP_ATTR_MP_REACH_NLRI = 14,
	BGP_ATTR_MP_UNREACH_NLRI = 15,
	BGP_ATTR_EXT_COMMUNITIES = 16,
	BGP_ATTR_AS4_PATH = 17,
	BGP_ATTR_AS4_AGGREGATOR = 18,
};

#define BGP_ATTR_FLAG_OPTIONAL		0x80
#define BGP_ATTR_FLAG_TRANSITIVE	0x40
#define BGP_ATTR_FLAG_PARTIAL		0x20
#define BGP_ATTR_FLAG_EXTENDED		0x10

enum bgp_origin {
	BGP_ORIGIN_IGP = 0,
	BGP_ORIGIN_EGP = 1,
	BGP_ORIGIN_INCOMPLETE = 2,
};

/* What the session negotiated that changes how UPDATEs are read. */
struct bgp_session_opts {
	bool as4;			/* both sides sent the 4-octet AS capability */
	bool ebgp;
	uint32_t peer_as;		/* checked against the leftmost AS on eBGP */
	bool addpath_rx[BGP_FAM_COUNT];	/* NLRI of this family carry path ids */
};

struct bgp_prefix {
	uint32_t path_id;
	uint32_t addr;			/* host byte order, host bits zero */
	uint8_t len;
};

struct bgp_vpn_prefix {
	uint32_t path_id;
	uint32_t label;			/* 20-bit VPN label */
	uint64_t rd;			/* the 8 RD bytes, big-endian packed */
	uint32_t addr;			/* host byte order, host bits zero */
	uint8_t len;
};

/*
 * Parsed path attributes. aspath is owned (4-octet encoding); the other
 * pointers point into the message buffer and live as long as it does.
 */
struct bgp_attrs {
	uint64_t present[4];		/* bit per attribute type kept */
	uint8_t origin;
	uint8_t *aspath;
	size_t aspath_len;
	uint32_t nexthop;		/* NEXT_HOP, host byte order */
	uint32_t med;
	uint32_t local_pref;
	uint32_t originator_id;
	const uint8_t *cluster_list;	/* cluster_count * 4 bytes */
	size_t cluster_count;
	const uint8_t *communities;	/* community_count * 4 bytes */
	size_t community_count;
	const uint8_t *ext_communities;	/* ext_community_count * 8 bytes */
	size_t ext_community_count;
	bool atomic_aggregate;
};

struct bgp_update {
	struct bgp_attrs attrs;
	/* legacy IPv4 unicast fields */
	struct bgp_prefix *withdrawn;
	size_t n_withdrawn;
	struct bgp_prefix *nlri;
	size_t n_nlri;
	/* MP_REACH_NLRI */
	bool has_mp_reach;
	uint16_t reach_afi;
	uint8_t reach_safi;
	uint32_t mp_nexthop;		/* host byte order */
	struct bgp_vpn_prefix *vpn_reach;
	size_t n_vpn_reach;
	struct bgp_prefix *ipv4_reach;
	size_t n_ipv4_reach;
	/* MP_UNREACH_NLRI */
	bool has_mp_unreach;
	uint16_t unreach_afi;
	uint8_t unreach_safi;
	struct bgp_vpn_prefix *vpn_unreach;
	size_t n_vpn_unreach;
	struct bgp_prefix *ipv4_unreach;
	size_t n_ipv4_unreach;
	/* End-of-RIB marker */
	bool eor;
	enum bgp_family eor_family;
	/* MP attributes of families this agent does not know, skipped */
	unsigned int unknown_family;
	/* errors: the strongest reaction, and how many attributes were dropped */
	struct bgp_error err;
	unsigned int n_discarded;
};

static inline bool bgp_attr_present(const struct bgp_attrs *a, uint8_t type)
{
	return (a->present[type >> 6] >> (type & 63)) & 1;
}

/*
 * Parses a whole UPDATE message (header included). Returns the reaction
 * (also in upd->err.action). With BGP_ACT_TREAT_AS_WITHDRAW every reachable
 * prefix has already been moved to the withdrawn lists; with
 * BGP_ACT_AFISAFI_DISABLE the prefixes of err.afi/err.safi are dropped; with
 * BGP_ACT_SESSION_RESET nothing in *upd may be used but bgp_update_free.
 */
enum bgp_action bgp_update_parse(const uint8_t *msg, size_t len,
				 const struct bgp_session_opts *opts,
				 struct bgp_update *upd);
void bgp_update_free(struct bgp_update *upd);

/* Attributes for the UPDATE encoder (what a feeder or test sends). */
struct bgp_tx_attrs {
	uint8_t origin;
	const uint8_t *aspath;		/* 4-octet encoding */
	size_t aspath_len;
	bool has_med;
	uint32_t med;
	bool has_local_pref;
	uint32_t local_pref;
	uint32_t nexthop;		/* VPNv4 next hop, host byte order */
	const uint8_t *ext_communities;	/* raw 8-byte entries */
	size_t ext_community_count;
	bool has_originator_id;
	uint32_t originator_id;
	const uint32_t *cluster_list;
	size_t cluster_count;
};

/*
 * Encodes one UPDATE advertising as many of routes[0..n) as fit (at least
 * one, or returns 0) with MP_REACH_NLRI first. *n_done says how many.
 * as4: the session negotiated 4-octet AS (else AS numbers above 65535 are
 * sent as AS_TRANS with an AS4_PATH).
 */
size_t bgp_update_encode_vpn(uint8_t *buf, size_t size,
			     const struct bgp_tx_attrs *tx, bool as4,
			     bool addpath, const struct bgp_vpn_prefix *routes,
			     size_t n, size_t *n_done);
size_t bgp_update_encode_vpn_withdraw(uint8_t *buf, size_t size, bool addpath,
				      const struct bgp_vpn_prefix *routes,
				      size_t n, size_t *n_done);
size_t bgp_eor_encode(uint8_t *buf, size_t size, enum bgp_family fam);

#endif /* VPNLBD_BGP_UPDATE_H */
