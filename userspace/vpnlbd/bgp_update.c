// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdlib.h>
#include <string.h>

#include "bgp_aspath.h"
#include "bgp_update.h"
#include "bgp_wire.h"

/* label (3) + RD (8) in bits: what precedes the prefix in a VPNv4 NLRI */
#define VPN_NLRI_HEAD_BITS	88

struct update_parser {
	const struct bgp_session_opts *opts;
	struct bgp_update *upd;
	uint64_t seen[4];
	uint8_t *as4_path;		/* owned until merged */
	size_t as4_path_len;
	bool aggregator_seen;
	bool attr_overrun;
};

static void mark(uint64_t *set, uint8_t type)
{
	set[type >> 6] |= 1ull << (type & 63);
}

static bool is_marked(const uint64_t *set, uint8_t type)
{
	return (set[type >> 6] >> (type & 63)) & 1;
}

static uint32_t prefix_mask(uint8_t len)
{
	return len ? ~0u << (32 - len) : 0;
}

/* Reads len bits of address (ceil(len / 8) bytes) and zeroes the host bits. */
static bool read_prefix_bits(struct wire_reader *r, uint8_t len, uint32_t *addr)
{
	uint8_t bytes[4] = { 0, 0, 0, 0 };
	size_t n = ((size_t)len + 7) / 8;

	if (!wr_bytes(r, bytes, n))
		return false;
	*addr = get_be32(bytes) & prefix_mask(len);
	return true;
}

/* IPv4 prefixes (legacy fields or AFI 1/SAFI 1 MP attributes). */
static bool parse_ipv4_nlri(struct wire_reader r, bool addpath,
			    struct bgp_prefix **out, size_t *n_out,
			    const char **why)
{
	size_t max = r.len + 1, n = 0;
	struct bgp_prefix *v;

	*out = NULL;
	*n_out = 0;
	if (r.len == 0)
		return true;
	v = calloc(max, sizeof(*v));
	if (!v) {
		*why = "out of memory";
		return false;
	}
	while (r.len) {
		uint32_t path_id = 0;
		uint8_t len = 0;

		if (addpath && !wr_u32(&r, &path_id)) {
			*why = "truncated path identifier";
			goto bad;
		}
		if (!wr_u8(&r, &len)) {
			*why = "truncated prefix";
			goto bad;
		}
		if (len > 32) {
			*why = "IPv4 prefix length above 32";
			goto bad;
		}
		if (!read_prefix_bits(&r, len, &v[n].addr)) {
			*why = "prefix overruns the NLRI field";
			goto bad;
		}
		v[n].path_id = path_id;
		v[n].len = len;
		n++;
	}
	*out = v;
	*n_out = n;
	return true;
bad:
	free(v);
	return false;
}

/* VPNv4 NLRI: [path id] length, one label (RFC 8277 without the
 * multiple-labels capability), RD, prefix. */
static bool parse_vpn_nlri(struct wire_reader r, bool addpath,
			   struct bgp_vpn_prefix **out, size_t *n_out,
			   const char **why)
{
	size_t max = r.len / 12 + 1, n = 0;
	struct bgp_vpn_prefix *v;

	*out = NULL;
	*n_out = 0;
	if (r.len == 0)
		return true;
	v = calloc(max, sizeof(*v));
	if (!v) {
		*why = "out of memory";
		return false;
	}
	while (r.len) {
		uint32_t path_id = 0, label = 0;
		uint8_t bits = 0, plen;
		uint64_t rd = 0;

		if (addpath && !wr_u32(&r, &path_id)) {
			*why = "truncated path identifier";
			goto bad;
		}
		if (!wr_u8(&r, &bits)) {
			*why = "truncated VPNv4 prefix";
			goto bad;
		}
		if (bits < VPN_NLRI_HEAD_BITS) {
			*why = "VPNv4 prefix length shorter than label + RD";
			goto bad;
		}
		if (bits - VPN_NLRI_HEAD_BITS > 32) {
			*why = "VPNv4 prefix length above 32 after label + RD";
			goto bad;
		}
		plen = (uint8_t)(bits - VPN_NLRI_HEAD_BITS);
		if (!wr_u24(&r, &label) || !wr_u64(&r, &rd) ||
		    !read_prefix_bits(&r, plen, &v[n].addr)) {
			*why = "VPNv4 prefix overruns the NLRI field";
			goto bad;
		}
		if (n == max) {	/* cannot happen: every entry is >= 12 bytes */
			*why = "too many prefixes";
			goto bad;
		}
		v[n].path_id = path_id;
		v[n].label = label >> 4;
		v[n].rd = rd;
		v[n].len = plen;
		n++;
	}
	*out = v;
	*n_out = n;
	return true;
bad:
	free(v);
	return false;
}

static enum bgp_action raise_attr(struct update_parser *ps,
				  enum bgp_action action, uint8_t subcode,
				  const uint8_t *attr, size_t attr_len,
				  const char *reason, uint8_t type)
{
	if (action == BGP_ACT_ATTR_DISCARD)
		ps->upd->n_discarded++;
	return bgp_error_raise(&ps->upd->err, action, BGP_ERR_UPDATE, subcode,
			       attr, attr_len, "attribute %u: %s", type, reason);
}

/* Expected Optional/Transitive bits of the attributes we know. */
static int expected_flags(uint8_t type)
{
	switch (type) {
	case BGP_ATTR_ORIGIN:
	case BGP_ATTR_AS_PATH:
	case BGP_ATTR_NEXT_HOP:
	case BGP_ATTR_LOCAL_PREF:
	case BGP_ATTR_ATOMIC_AGGREGATE:
		return BGP_ATTR_FLAG_TRANSITIVE;
	case BGP_ATTR_AGGREGATOR:
	case BGP_ATTR_COMMUNITIES:
	case BGP_ATTR_EXT_COMMUNITIES:
	case BGP_ATTR_AS4_PATH:
	case BGP_ATTR_AS4_AGGREGATOR:
		return BGP_ATTR_FLAG_OPTIONAL | BGP_ATTR_FLAG_TRANSITIVE;
	case BGP_ATTR_MED:
	case BGP_ATTR_ORIGINATOR_ID:
	case BGP_ATTR_CLUSTER_LIST:
	case BGP_ATTR_MP_REACH_NLRI:
	case BGP_ATTR_MP_UNREACH_NLRI:
		return BGP_ATTR_FLAG_OPTIONAL;
	default:
		return -1;
	}
}

static void mp_error(struct update_parser *ps, bool family_known,
		     uint16_t afi, uint8_t safi, const uint8_t *attr,
		     size_t attr_len, uint8_t type, const char *why)
{
	struct bgp_error *err = &ps->upd->err;

	/* RFC 7606 7.11/7.12: NLRI cannot be located reliably */
	if (family_known) {
		if (bgp_error_raise(err, BGP_ACT_AFISAFI_DISABLE, BGP_ERR_UPDATE,
				    BGP_UPD_OPTIONAL_ATTR, attr, attr_len,
				    "attribute %u: %s", type, why) ==
		    BGP_ACT_AFISAFI_DISABLE && err->afi == 0) {
			err->afi = afi;
			err->safi = safi;
		}
	} else {
		bgp_error_raise(err, BGP_ACT_SESSION_RESET, BGP_ERR_UPDATE,
				BGP_UPD_OPTIONAL_ATTR, attr, attr_len,
				"attribute %u: %s", type, why);
	}
}

static void parse_mp_reach(struct update_parser *ps, struct wire_reader v,
			   const uint8_t *attr, size_t attr_len)
{
	struct bgp_update *upd = ps->upd;
	enum bgp_family fam;
	struct wire_reader nh;
	uint16_t afi = 0;
	uint8_t safi = 0, nhlen = 0, reserved = 0;
	const char *why = NULL;
	uint64_t nh_rd;

	if (!wr_u16(&v, &afi) || !wr_u8(&v, &safi)) {
		mp_error(ps, false, 0, 0, attr, attr_len,
			 BGP_ATTR_MP_REACH_NLRI, "shorter than AFI/SAFI");
		return;
	}
	upd->has_mp_reach = true;
	upd->reach_afi = afi;
	upd->reach_safi = safi;
	if (!bgp_family_from_afi_safi(afi, safi, &fam)) {
		upd->unknown_family++;
		return;
	}
	if (!wr_u8(&v, &nhlen) || !wr_sub(&v, nhlen, &nh) ||
	    !wr_u8(&v, &reserved)) {
		mp_error(ps, true, afi, safi, attr, attr_len,
			 BGP_ATTR_MP_REACH_NLRI,
			 "next hop overruns the attribute");
		return;
	}
	if (fam == BGP_FAM_VPNV4) {
		/* RFC 4364 4.3.2: RD of zero + IPv4 address */
		if (nhlen != 12) {
			mp_error(ps, true, afi, safi, attr, attr_len,
				 BGP_ATTR_MP_REACH_NLRI,
				 "VPNv4 next hop length is not 12");
			return;
		}
		wr_u64(&nh, &nh_rd);
		wr_u32(&nh, &upd->mp_nexthop);
		if (!parse_vpn_nlri(v, ps->opts->addpath_rx[fam],
				    &upd->vpn_reach, &upd->n_vpn_reach, &why))
			mp_error(ps, true, afi, safi, attr, attr_len,
				 BGP_ATTR_MP_REACH_NLRI, why);
	} else {
		if (nhlen != 4) {
			mp_error(ps, true, afi, safi, attr, attr_len,
				 BGP_ATTR_MP_REACH_NLRI,
				 "IPv4 next hop length is not 4");
			return;
		}
		wr_u32(&nh, &upd->mp_nexthop);
		if (!parse_ipv4_nlri(v, ps->opts->addpath_rx[fam],
				     &upd->ipv4_reach, &upd->n_ipv4_reach, &why))
			mp_error(ps, true, afi, safi, attr, attr_len,
				 BGP_ATTR_MP_REACH_NLRI, why);
	}
}

static void parse_mp_unreach(struct update_parser *ps, struct wire_reader v,
			     const uint8_t *attr, size_t attr_len)
{
	struct bgp_update *upd = ps->upd;
	enum bgp_family fam;
	const char *why = NULL;
	uint16_t afi = 0;
	uint8_t safi = 0;
	bool ok;

	if (!wr_u16(&v, &afi) || !wr_u8(&v, &safi)) {
		mp_error(ps, false, 0, 0, attr, attr_len,
			 BGP_ATTR_MP_UNREACH_NLRI, "shorter than AFI/SAFI");
		return;
	}
	upd->has_mp_unreach = true;
	upd->unreach_afi = afi;
	upd->unreach_safi = safi;
	if (!bgp_family_from_afi_safi(afi, safi, &fam)) {
		upd->unknown_family++;
		return;
	}
	if (fam == BGP_FAM_VPNV4)
		ok = parse_vpn_nlri(v, ps->opts->addpath_rx[fam],
				    &upd->vpn_unreach, &upd->n_vpn_unreach, &why);
	else
		ok = parse_ipv4_nlri(v, ps->opts->addpath_rx[fam],
				     &upd->ipv4_unreach, &upd->n_ipv4_unreach,
				     &why);
	if (!ok)
		mp_error(ps, true, afi, safi, attr, attr_len,
			 BGP_ATTR_MP_UNREACH_NLRI, why);
}

/*
 * Handles one attribute whose header was read. Returns false when the
 * attribute was not kept (discarded or malformed).
 */
static bool parse_attr(struct update_parser *ps, uint8_t flags, uint8_t type,
		       struct wire_reader v, const uint8_t *attr,
		       size_t attr_len)
{
	struct bgp_attrs *a = &ps->upd->attrs;
	const struct bgp_session_opts *opts = ps->opts;
	const char *why = NULL;
	size_t len = v.len;
	int expect = expected_flags(type);

	if (expect < 0) {
		if (!(flags & BGP_ATTR_FLAG_OPTIONAL)) {
			raise_attr(ps, BGP_ACT_SESSION_RESET,
				   BGP_UPD_UNRECOGNIZED_WELLKNOWN, attr,
				   attr_len, "unrecognized well-known attribute",
				   type);
			return false;
		}
		return false;	/* unknown optional: not used by this agent */
	}
	if ((flags & (BGP_ATTR_FLAG_OPTIONAL | BGP_ATTR_FLAG_TRANSITIVE)) !=
	    expect) {
		/* RFC 7606 3 c; MP attributes are still read for their NLRI */
		raise_attr(ps, BGP_ACT_TREAT_AS_WITHDRAW, BGP_UPD_ATTR_FLAGS,
			   attr, attr_len, "optional/transitive flags conflict",
			   type);
		if (type == BGP_ATTR_MP_REACH_NLRI)
			parse_mp_reach(ps, v, attr, attr_len);
		else if (type == BGP_ATTR_MP_UNREACH_NLRI)
			parse_mp_unreach(ps, v, attr, attr_len);
		return false;
	}

	switch (type) {
	case BGP_ATTR_ORIGIN:
		if (len != 1) {
			raise_attr(ps, BGP_ACT_TREAT_AS_WITHDRAW,
				   BGP_UPD_ATTR_LENGTH, attr, attr_len,
				   "ORIGIN length is not 1", type);
			return false;
		}
		wr_u8(&v, &a->origin);
		if (a->origin > BGP_ORIGIN_INCOMPLETE) {
			raise_attr(ps, BGP_ACT_TREAT_AS_WITHDRAW,
				   BGP_UPD_INVALID_ORIGIN, attr, attr_len,
				   "ORIGIN value undefined", type);
			return false;
		}
		return true;
	case BGP_ATTR_AS_PATH:
		if (!aspath_parse(v.p, len, opts->as4 ? 4 : 2, true,
				  &a->aspath, &a->aspath_len, &why)) {
			raise_attr(ps, BGP_ACT_TREAT_AS_WITHDRAW,
				   BGP_UPD_MALFORMED_ASPATH, attr, attr_len,
				   why, type);
			return false;
		}
		return true;
	case BGP_ATTR_NEXT_HOP:
		if (len != 4) {
			raise_attr(ps, BGP_ACT_TREAT_AS_WITHDRAW,
				   BGP_UPD_ATTR_LENGTH, attr, attr_len,
				   "NEXT_HOP length is not 4", type);
			return false;
		}
		wr_u32(&v, &a->nexthop);
		return true;
	case BGP_ATTR_MED:
		if (len != 4) {
			raise_attr(ps, BGP_ACT_TREAT_AS_WITHDRAW,
				   BGP_UPD_ATTR_LENGTH, attr, attr_len,
				   "MULTI_EXIT_DISC length is not 4", type);
			return false;
		}
		wr_u32(&v, &a->med);
		return true;
	case BGP_ATTR_LOCAL_PREF:
		if (opts->ebgp) {
			raise_attr(ps, BGP_ACT_ATTR_DISCARD,
				   BGP_UPD_ATTR_LENGTH, attr, attr_len,
				   "LOCAL_PREF from an external peer", type);
			return false;
		}
		if (len != 4) {
			raise_attr(ps, BGP_ACT_TREAT_AS_WITHDRAW,
				   BGP_UPD_ATTR_LENGTH, attr, attr_len,
				   "LOCAL_PREF length is not 4", type);
			return false;
		}
		wr_u32(&v, &a->local_pref);
		return true;
	case BGP_ATTR_ATOMIC_AGGREGATE:
		if (len != 0) {
			raise_attr(ps, BGP_ACT_ATTR_DISCARD,
				   BGP_UPD_ATTR_LENGTH, attr, attr_len,
				   "ATOMIC_AGGREGATE length is not 0", type);
			return false;
		}
		a->atomic_aggregate = true;
		return true;
	case BGP_ATTR_AGGREGATOR:
		if (len != (opts->as4 ? 8u : 6u)) {
			raise_attr(ps, BGP_ACT_ATTR_DISCARD,
				   BGP_UPD_ATTR_LENGTH, attr, attr_len,
				   "AGGREGATOR length is wrong for the AS size",
				   type);
			return false;
		}
		ps->aggregator_seen = true;
		return true;
	case BGP_ATTR_AS4_AGGREGATOR:
		if (len != 8) {
			raise_attr(ps, BGP_ACT_ATTR_DISCARD,
				   BGP_UPD_ATTR_LENGTH, attr, attr_len,
				   "AS4_AGGREGATOR length is not 8", type);
			return false;
		}
		return !opts->as4;
	case BGP_ATTR_COMMUNITIES:
		if (len == 0 || len % 4 != 0) {
			raise_attr(ps, BGP_ACT_TREAT_AS_WITHDRAW,
				   BGP_UPD_ATTR_LENGTH, attr, attr_len,
				   "COMMUNITIES length is not a non-zero multiple of 4",
				   type);
			return false;
		}
		a->communities = v.p;
		a->community_count = len / 4;
		return true;
	case BGP_ATTR_ORIGINATOR_ID:
		if (len != 4) {
			raise_attr(ps, BGP_ACT_TREAT_AS_WITHDRAW,
				   BGP_UPD_ATTR_LENGTH, attr, attr_len,
				   "ORIGINATOR_ID length is not 4", type);
			return false;
		}
		wr_u32(&v, &a->originator_id);
		return true;
	case BGP_ATTR_CLUSTER_LIST:
		if (len == 0 || len % 4 != 0) {
			raise_attr(ps, BGP_ACT_TREAT_AS_WITHDRAW,
				   BGP_UPD_ATTR_LENGTH, attr, attr_len,
				   "CLUSTER_LIST length is not a non-zero multiple of 4",
				   type);
			return false;
		}
		a->cluster_list = v.p;
		a->cluster_count = len / 4;
		return true;
	case BGP_ATTR_EXT_COMMUNITIES:
		if (len == 0 || len % 8 != 0) {
			raise_attr(ps, BGP_ACT_TREAT_AS_WITHDRAW,
				   BGP_UPD_ATTR_LENGTH, attr, attr_len,
				   "EXTENDED_COMMUNITIES length is not a non-zero multiple of 8",
				   type);
			return false;
		}
		a->ext_communities = v.p;
		a->ext_community_count = len / 8;
		return true;
	case BGP_ATTR_AS4_PATH:
		if (opts->as4) {
			/* RFC 6793 4.1: a 4-octet speaker ignores it */
			raise_attr(ps, BGP_ACT_ATTR_DISCARD, BGP_UPD_OPTIONAL_ATTR,
				   attr, attr_len,
				   "AS4_PATH on a 4-octet AS session", type);
			return false;
		}
		if (!aspath_parse(v.p, len, 4, false, &ps->as4_path,
				  &ps->as4_path_len, &why)) {
			/* RFC 6793 6: malformed AS4_PATH is discarded */
			raise_attr(ps, BGP_ACT_ATTR_DISCARD,
				   BGP_UPD_OPTIONAL_ATTR, attr, attr_len, why,
				   type);
			return false;
		}
		return true;
	case BGP_ATTR_MP_REACH_NLRI:
		parse_mp_reach(ps, v, attr, attr_len);
		return true;
	case BGP_ATTR_MP_UNREACH_NLRI:
		parse_mp_unreach(ps, v, attr, attr_len);
		return true;
	}
	return false;
}

static void parse_attrs(struct update_parser *ps, struct wire_reader r)
{
	struct bgp_update *upd = ps->upd;

	while (r.len) {
		const uint8_t *start = r.p;
		struct wire_reader v;
		uint8_t flags = 0, type = 0, len8 = 0;
		uint16_t len = 0;
		size_t hdr;

		/* RFC 7606 4: an attribute that overruns the list */
		if (r.len < 3 || ((r.p[0] & BGP_ATTR_FLAG_EXTENDED) && r.len < 4)) {
			ps->attr_overrun = true;
			bgp_error_raise(&upd->err, BGP_ACT_TREAT_AS_WITHDRAW,
					BGP_ERR_UPDATE,
					BGP_UPD_MALFORMED_ATTR_LIST, NULL, 0,
					"%zu trailing bytes too short for an attribute header",
					r.len);
			return;
		}
		wr_u8(&r, &flags);
		wr_u8(&r, &type);
		if (flags & BGP_ATTR_FLAG_EXTENDED) {
			wr_u16(&r, &len);
			hdr = 4;
		} else {
			wr_u8(&r, &len8);
			len = len8;
			hdr = 3;
		}
		if (!wr_sub(&r, len, &v)) {
			ps->attr_overrun = true;
			bgp_error_raise(&upd->err, BGP_ACT_TREAT_AS_WITHDRAW,
					BGP_ERR_UPDATE,
					BGP_UPD_MALFORMED_ATTR_LIST, NULL, 0,
					"attribute %u length %u overruns the attribute list",
					type, len);
			return;
		}
		if (is_marked(ps->seen, type)) {
			/* RFC 7606 3 g */
			if (type == BGP_ATTR_MP_REACH_NLRI ||
			    type == BGP_ATTR_MP_UNREACH_NLRI) {
				bgp_error_raise(&upd->err, BGP_ACT_SESSION_RESET,
						BGP_ERR_UPDATE,
						BGP_UPD_MALFORMED_ATTR_LIST,
						NULL, 0,
						"attribute %u appears more than once",
						type);
				return;
			}
			raise_attr(ps, BGP_ACT_ATTR_DISCARD,
				   BGP_UPD_MALFORMED_ATTR_LIST, NULL, 0,
				   "duplicate attribute", type);
			continue;
		}
		mark(ps->seen, type);
		if (parse_attr(ps, flags, type, v, start, hdr + len))
			mark(upd->attrs.present, type);
		if (upd->err.action == BGP_ACT_SESSION_RESET)
			return;
	}
}

static void free_reach(struct bgp_update *upd)
{
	free(upd->vpn_reach);
	upd->vpn_reach = NULL;
	upd->n_vpn_reach = 0;
	free(upd->ipv4_reach);
	upd->ipv4_reach = NULL;
	upd->n_ipv4_reach = 0;
	free(upd->nlri);
	upd->nlri = NULL;
	upd->n_nlri = 0;
}

/* Appends src to *dst (both malloc'd arrays). */
static bool append_array(void **dst, size_t *n_dst, void **src, size_t *n_src,
			 size_t elem)
{
	void *p;

	if (*n_src == 0)
		return true;
	p = realloc(*dst, (*n_dst + *n_src) * elem);
	if (!p)
		return false;
	memcpy((uint8_t *)p + *n_dst * elem, *src, *n_src * elem);
	*dst = p;
	*n_dst += *n_src;
	free(*src);
	*src = NULL;
	*n_src = 0;
	return true;
}

static void treat_as_withdraw(struct bgp_update *upd)
{
	bool ok = true;

	ok &= append_array((void **)&upd->withdrawn, &upd->n_withdrawn,
			   (void **)&upd->nlri, &upd->n_nlri,
			   sizeof(struct bgp_prefix));
	if (upd->n_vpn_reach || upd->n_ipv4_reach) {
		/* the withdrawn family is the MP_REACH one */
		if (!upd->has_mp_unreach) {
			upd->has_mp_unreach = true;
			upd->unreach_afi = upd->reach_afi;
			upd->unreach_safi = upd->reach_safi;
		}
	}
	ok &= append_array((void **)&upd->vpn_unreach, &upd->n_vpn_unreach,
			   (void **)&upd->vpn_reach, &upd->n_vpn_reach,
			   sizeof(struct bgp_vpn_prefix));
	ok &= append_array((void **)&upd->ipv4_unreach, &upd->n_ipv4_unreach,
			   (void **)&upd->ipv4_reach, &upd->n_ipv4_reach,
			   sizeof(struct bgp_prefix));
	if (!ok)
		bgp_error_raise(&upd->err, BGP_ACT_SESSION_RESET, BGP_ERR_CEASE,
				BGP_CEASE_OUT_OF_RESOURCES, NULL, 0,
				"out of memory withdrawing routes");
}

static void disable_family(struct bgp_update *upd)
{
	enum bgp_family fam;

	if (!bgp_family_from_afi_safi(upd->err.afi, upd->err.safi, &fam))
		return;
	if (upd->has_mp_reach && upd->reach_afi == upd->err.afi &&
	    upd->reach_safi == upd->err.safi) {
		free(upd->vpn_reach);
		upd->vpn_reach = NULL;
		upd->n_vpn_reach = 0;
		free(upd->ipv4_reach);
		upd->ipv4_reach = NULL;
		upd->n_ipv4_reach = 0;
	}
	if (upd->has_mp_unreach && upd->unreach_afi == upd->err.afi &&
	    upd->unreach_safi == upd->err.safi) {
		free(upd->vpn_unreach);
		upd->vpn_unreach = NULL;
		upd->n_vpn_unreach = 0;
		free(upd->ipv4_unreach);
		upd->ipv4_unreach = NULL;
		upd->n_ipv4_unreach = 0;
	}
}

static void check_mandatory(struct update_parser *ps)
{
	struct bgp_update *upd = ps->upd;
	static const uint8_t always[] = { BGP_ATTR_ORIGIN, BGP_ATTR_AS_PATH };
	uint8_t missing = 0;

	/* only UPDATEs that advertise routes need the mandatory attributes */
	if (!upd->has_mp_reach && upd->n_nlri == 0)
		return;
	for (size_t i = 0; i < sizeof(always); i++)
		if (!is_marked(ps->seen, always[i]))
			missing = always[i];
	/* RFC 4760 3: NEXT_HOP only with NLRI in the legacy field */
	if (!missing && upd->n_nlri && !is_marked(ps->seen, BGP_ATTR_NEXT_HOP))
		missing = BGP_ATTR_NEXT_HOP;
	if (missing)
		bgp_error_raise(&upd->err, BGP_ACT_TREAT_AS_WITHDRAW,
				BGP_ERR_UPDATE, BGP_UPD_MISSING_WELLKNOWN,
				&missing, 1,
				"missing well-known attribute %u", missing);
}

static void finish_aspath(struct update_parser *ps)
{
	struct bgp_update *upd = ps->upd;
	struct bgp_attrs *a = &upd->attrs;
	const struct bgp_session_opts *opts = ps->opts;

	if (ps->as4_path && bgp_attr_present(a, BGP_ATTR_AS_PATH)) {
		uint8_t *merged;
		size_t merged_len;

		if (!aspath_merge_as4(a->aspath, a->aspath_len, ps->as4_path,
				      ps->as4_path_len, &merged, &merged_len)) {
			bgp_error_raise(&upd->err, BGP_ACT_SESSION_RESET,
					BGP_ERR_CEASE,
					BGP_CEASE_OUT_OF_RESOURCES, NULL, 0,
					"out of memory merging AS4_PATH");
			return;
		}
		free(a->aspath);
		a->aspath = merged;
		a->aspath_len = merged_len;
	}
	/* RFC 4271 6.3: the leftmost AS of an eBGP route is the peer's */
	if (opts->ebgp && opts->peer_as && bgp_attr_present(a, BGP_ATTR_AS_PATH) &&
	    (upd->has_mp_reach || upd->n_nlri) &&
	    aspath_first_as(a->aspath, a->aspath_len) != opts->peer_as)
		bgp_error_raise(&upd->err, BGP_ACT_TREAT_AS_WITHDRAW,
				BGP_ERR_UPDATE, BGP_UPD_MALFORMED_ASPATH,
				NULL, 0,
				"AS_PATH does not start with the peer AS %u",
				opts->peer_as);
}

static void detect_eor(struct update_parser *ps, size_t withdrawn_len,
		       size_t attr_len, size_t nlri_len)
{
	struct bgp_update *upd = ps->upd;
	uint64_t only_unreach[4] = { 0 };
	enum bgp_family fam;

	if (withdrawn_len == 0 && attr_len == 0 && nlri_len == 0) {
		upd->eor = true;
		upd->eor_family = BGP_FAM_IPV4_UNICAST;
		return;
	}
	mark(only_unreach, BGP_ATTR_MP_UNREACH_NLRI);
	if (withdrawn_len == 0 && nlri_len == 0 &&
	    memcmp(ps->seen, only_unreach, sizeof(only_unreach)) == 0 &&
	    upd->has_mp_unreach && upd->n_vpn_unreach == 0 &&
	    upd->n_ipv4_unreach == 0 && upd->err.action == BGP_ACT_NONE &&
	    bgp_family_from_afi_safi(upd->unreach_afi, upd->unreach_safi, &fam)) {
		upd->eor = true;
		upd->eor_family = fam;
	}
}

enum bgp_action bgp_update_parse(const uint8_t *msg, size_t len,
				 const struct bgp_session_opts *opts,
				 struct bgp_update *upd)
{
	struct update_parser ps = { .opts = opts, .upd = upd };
	struct wire_reader r, withdrawn, attrs;
	uint16_t withdrawn_len = 0, attr_len = 0;
	const char *why = NULL;

	memset(upd, 0, sizeof(*upd));
	bgp_error_clear(&upd->err);
	if (len < BGP_UPDATE_MIN_LEN) {
		return bgp_error_raise(&upd->err, BGP_ACT_SESSION_RESET,
				       BGP_ERR_HEADER, BGP_HDR_BAD_LENGTH,
				       NULL, 0, "UPDATE shorter than 23 bytes");
	}
	wr_init(&r, msg + BGP_HEADER_LEN, len - BGP_HEADER_LEN);
	wr_u16(&r, &withdrawn_len);
	if (!wr_sub(&r, withdrawn_len, &withdrawn) || !wr_u16(&r, &attr_len) ||
	    !wr_sub(&r, attr_len, &attrs)) {
		/* RFC 7606 4: these lengths must be right or nothing is */
		return bgp_error_raise(&upd->err, BGP_ACT_SESSION_RESET,
				       BGP_ERR_UPDATE,
				       BGP_UPD_MALFORMED_ATTR_LIST, NULL, 0,
				       "withdrawn routes length %u or total attribute length overruns the message",
				       withdrawn_len);
	}
	if (!parse_ipv4_nlri(withdrawn, opts->addpath_rx[BGP_FAM_IPV4_UNICAST],
			     &upd->withdrawn, &upd->n_withdrawn, &why))
		return bgp_error_raise(&upd->err, BGP_ACT_SESSION_RESET,
				       BGP_ERR_UPDATE, BGP_UPD_INVALID_NETWORK,
				       NULL, 0, "withdrawn routes: %s", why);
	if (!parse_ipv4_nlri(r, opts->addpath_rx[BGP_FAM_IPV4_UNICAST],
			     &upd->nlri, &upd->n_nlri, &why))
		return bgp_error_raise(&upd->err, BGP_ACT_SESSION_RESET,
				       BGP_ERR_UPDATE, BGP_UPD_INVALID_NETWORK,
				       NULL, 0, "NLRI: %s", why);
	parse_attrs(&ps, attrs);
	if (upd->err.action == BGP_ACT_SESSION_RESET)
		goto out;
	if (ps.attr_overrun && !is_marked(ps.seen, BGP_ATTR_MP_REACH_NLRI) &&
	    !is_marked(ps.seen, BGP_ATTR_MP_UNREACH_NLRI)) {
		/* an MP attribute may sit after the break: its NLRI cannot be
		 * found, so treat-as-withdraw cannot be applied to it */
		bgp_error_raise(&upd->err, BGP_ACT_SESSION_RESET, BGP_ERR_UPDATE,
				BGP_UPD_MALFORMED_ATTR_LIST, NULL, 0,
				"attribute list overruns before any MP_REACH_NLRI/MP_UNREACH_NLRI could be located");
		goto out;
	}
	finish_aspath(&ps);
	check_mandatory(&ps);
	detect_eor(&ps, withdrawn_len, attr_len, r.len);

	switch (upd->err.action) {
	case BGP_ACT_TREAT_AS_WITHDRAW:
		treat_as_withdraw(upd);
		break;
	case BGP_ACT_AFISAFI_DISABLE:
		disable_family(upd);
		break;
	default:
		break;
	}
out:
	free(ps.as4_path);
	if (upd->err.action == BGP_ACT_SESSION_RESET)
		free_reach(upd);
	return upd->err.action;
}

void bgp_update_free(struct bgp_update *upd)
{
	free(upd->attrs.aspath);
	free(upd->withdrawn);
	free(upd->nlri);
	free(upd->vpn_reach);
	free(upd->ipv4_reach);
	free(upd->vpn_unreach);
	free(upd->ipv4_unreach);
	memset(upd, 0, sizeof(*upd));
}

/* ---- encoders ---- */

static void put_attr_header(struct wire_writer *w, uint8_t flags, uint8_t type,
			    size_t len)
{
	if (len > 255) {
		ww_u8(w, flags | BGP_ATTR_FLAG_EXTENDED);
		ww_u8(w, type);
		ww_u16(w, (uint16_t)len);
	} else {
		ww_u8(w, flags);
		ww_u8(w, type);
		ww_u8(w, (uint8_t)len);
	}
}

static size_t vpn_nlri_size(const struct bgp_vpn_prefix *p, bool addpath)
{
	return (addpath ? 4 : 0) + 1 + 3 + 8 + ((size_t)p->len + 7) / 8;
}

static void put_vpn_nlri(struct wire_writer *w, const struct bgp_vpn_prefix *p,
			 bool addpath, bool withdraw)
{
	size_t n = ((size_t)p->len + 7) / 8;
	uint8_t a[4];

	if (addpath)
		ww_u32(w, p->path_id);
	ww_u8(w, (uint8_t)(VPN_NLRI_HEAD_BITS + p->len));
	/* RFC 8277 2.4: a withdrawal carries 0x800000 as its label */
	ww_u24(w, withdraw ? 0x800000 : (p->label << 4 | 1));
	ww_u64(w, p->rd);
	a[0] = (uint8_t)(p->addr >> 24);
	a[1] = (uint8_t)(p->addr >> 16);
	a[2] = (uint8_t)(p->addr >> 8);
	a[3] = (uint8_t)p->addr;
	ww_bytes(w, a, n);
}

/* AS_PATH for the wire; 2-octet sessions get AS_TRANS + AS4_PATH. */
static bool put_aspath(struct wire_writer *w, const uint8_t *p, size_t len,
		       bool as4)
{
	bool need_as4 = false;
	size_t off, wire_len = 0;

	if (as4) {
		put_attr_header(w, BGP_ATTR_FLAG_TRANSITIVE, BGP_ATTR_AS_PATH, len);
		ww_bytes(w, p, len);
		return true;
	}
	for (off = 0; off + 2 <= len; off += 2 + 4 * (size_t)p[off + 1]) {
		wire_len += 2 + 2 * (size_t)p[off + 1];
		for (unsigned int i = 0; i < p[off + 1]; i++)
			if (get_be32(p + off + 2 + 4 * i) > 0xffff)
				need_as4 = true;
	}
	put_attr_header(w, BGP_ATTR_FLAG_TRANSITIVE, BGP_ATTR_AS_PATH, wire_len);
	for (off = 0; off + 2 <= len; off += 2 + 4 * (size_t)p[off + 1]) {
		ww_u8(w, p[off]);
		ww_u8(w, p[off + 1]);
		for (unsigned int i = 0; i < p[off + 1]; i++) {
			uint32_t asn = get_be32(p + off + 2 + 4 * i);

			ww_u16(w, asn > 0xffff ? BGP_AS_TRANS : (uint16_t)asn);
		}
	}
	if (need_as4) {
		put_attr_header(w, BGP_ATTR_FLAG_OPTIONAL | BGP_ATTR_FLAG_TRANSITIVE,
				BGP_ATTR_AS4_PATH, len);
		ww_bytes(w, p, len);
	}
	return true;
}

size_t bgp_update_encode_vpn(uint8_t *buf, size_t size,
			     const struct bgp_tx_attrs *tx, bool as4,
			     bool addpath, const struct bgp_vpn_prefix *routes,
			     size_t n, size_t *n_done)
{
	struct wire_writer w;
	size_t attr_len_at, attr_start, mp_len_at, mp_start, room, i;

	*n_done = 0;
	if (size > BGP_MAX_MSG_LEN)
		size = BGP_MAX_MSG_LEN;
	ww_init(&w, buf, size);
	bgp_header_begin(&w, BGP_MSG_UPDATE);
	ww_u16(&w, 0);			/* no legacy withdrawn routes */
	attr_len_at = w.len;
	ww_u16(&w, 0);
	attr_start = w.len;

	ww_u8(&w, BGP_ATTR_FLAG_OPTIONAL | BGP_ATTR_FLAG_EXTENDED);
	ww_u8(&w, BGP_ATTR_MP_REACH_NLRI);
	mp_len_at = w.len;
	ww_u16(&w, 0);
	mp_start = w.len;
	ww_u16(&w, BGP_AFI_IPV4);
	ww_u8(&w, BGP_SAFI_MPLS_VPN);
	ww_u8(&w, 12);
	ww_u64(&w, 0);
	ww_u32(&w, tx->nexthop);
	ww_u8(&w, 0);
	/* the NLRI go here; the other attributes follow, so size them first */
	{
		size_t tail = 3 + 1;	/* ORIGIN */
		size_t aslen = 4 + tx->aspath_len * 2;

		tail += aslen;
		if (tx->has_med)
			tail += 3 + 4;
		if (tx->has_local_pref)
			tail += 3 + 4;
		if (tx->ext_community_count)
			tail += 4 + 8 * tx->ext_community_count;
		if (tx->has_originator_id)
			tail += 3 + 4;
		if (tx->cluster_count)
			tail += 4 + 4 * tx->cluster_count;
		if (w.overflow || w.len + tail > size)
			return 0;
		room = size - w.len - tail;
	}
	for (i = 0; i < n; i++) {
		size_t need = vpn_nlri_size(&routes[i], addpath);

		if (need > room)
			break;
		put_vpn_nlri(&w, &routes[i], addpath, false);
		room -= need;
	}
	if (i == 0)
		return 0;
	ww_put16_at(&w, mp_len_at, (uint16_t)(w.len - mp_start));

	put_attr_header(&w, BGP_ATTR_FLAG_TRANSITIVE, BGP_ATTR_ORIGIN, 1);
	ww_u8(&w, tx->origin);
	put_aspath(&w, tx->aspath, tx->aspath_len, as4);
	if (tx->has_med) {
		put_attr_header(&w, BGP_ATTR_FLAG_OPTIONAL, BGP_ATTR_MED, 4);
		ww_u32(&w, tx->med);
	}
	if (tx->has_local_pref) {
		put_attr_header(&w, BGP_ATTR_FLAG_TRANSITIVE, BGP_ATTR_LOCAL_PREF, 4);
		ww_u32(&w, tx->local_pref);
	}
	if (tx->ext_community_count) {
		put_attr_header(&w, BGP_ATTR_FLAG_OPTIONAL | BGP_ATTR_FLAG_TRANSITIVE,
				BGP_ATTR_EXT_COMMUNITIES,
				8 * tx->ext_community_count);
		ww_bytes(&w, tx->ext_communities, 8 * tx->ext_community_count);
	}
	if (tx->has_originator_id) {
		put_attr_header(&w, BGP_ATTR_FLAG_OPTIONAL, BGP_ATTR_ORIGINATOR_ID, 4);
		ww_u32(&w, tx->originator_id);
	}
	if (tx->cluster_count) {
		put_attr_header(&w, BGP_ATTR_FLAG_OPTIONAL, BGP_ATTR_CLUSTER_LIST,
				4 * tx->cluster_count);
		for (size_t c = 0; c < tx->cluster_count; c++)
			ww_u32(&w, tx->cluster_list[c]);
	}
	if (w.overflow)
		return 0;
	ww_put16_at(&w, attr_len_at, (uint16_t)(w.len - attr_start));
	*n_done = i;
	return bgp_header_finish(&w);
}

size_t bgp_update_encode_vpn_withdraw(uint8_t *buf, size_t size, bool addpath,
				      const struct bgp_vpn_prefix *routes,
				      size_t n, size_t *n_done)
{
	struct wire_writer w;
	size_t attr_len_at, attr_start, mp_len_at, mp_start, i;

	*n_done = 0;
	if (size > BGP_MAX_MSG_LEN)
		size = BGP_MAX_MSG_LEN;
	ww_init(&w, buf, size);
	bgp_header_begin(&w, BGP_MSG_UPDATE);
	ww_u16(&w, 0);
	attr_len_at = w.len;
	ww_u16(&w, 0);
	attr_start = w.len;
	ww_u8(&w, BGP_ATTR_FLAG_OPTIONAL | BGP_ATTR_FLAG_EXTENDED);
	ww_u8(&w, BGP_ATTR_MP_UNREACH_NLRI);
	mp_len_at = w.len;
	ww_u16(&w, 0);
	mp_start = w.len;
	ww_u16(&w, BGP_AFI_IPV4);
	ww_u8(&w, BGP_SAFI_MPLS_VPN);
	for (i = 0; i < n; i++) {
		if (w.overflow ||
		    w.len + vpn_nlri_size(&routes[i], addpath) > size)
			break;
		put_vpn_nlri(&w, &routes[i], addpath, true);
	}
	if (w.overflow || (i == 0 && n))
		return 0;
	ww_put16_at(&w, mp_len_at, (uint16_t)(w.len - mp_start));
	ww_put16_at(&w, attr_len_at, (uint16_t)(w.len - attr_start));
	*n_done = i;
	return bgp_header_finish(&w);
}

size_t bgp_eor_encode(uint8_t *buf, size_t size, enum bgp_family fam)
{
	struct wire_writer w;
	uint16_t afi;
	uint8_t safi;

	ww_init(&w, buf, size);
	bgp_header_begin(&w, BGP_MSG_UPDATE);
	ww_u16(&w, 0);
	if (fam == BGP_FAM_IPV4_UNICAST) {
		ww_u16(&w, 0);
		return bgp_header_finish(&w);
	}
	bgp_family_to_afi_safi(fam, &afi, &safi);
	ww_u16(&w, 6);
	put_attr_header(&w, BGP_ATTR_FLAG_OPTIONAL, BGP_ATTR_MP_UNREACH_NLRI, 3);
	ww_u16(&w, afi);
	ww_u8(&w, safi);
	return bgp_header_finish(&w);
}
