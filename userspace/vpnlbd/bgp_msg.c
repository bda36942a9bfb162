// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <string.h>

#include "bgp_msg.h"
#include "bgp_wire.h"

static const uint8_t bgp_marker[16] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

bool bgp_family_from_afi_safi(uint16_t afi, uint8_t safi, enum bgp_family *fam)
{
	if (afi != BGP_AFI_IPV4)
		return false;
	if (safi == BGP_SAFI_UNICAST)
		*fam = BGP_FAM_IPV4_UNICAST;
	else if (safi == BGP_SAFI_MPLS_VPN)
		*fam = BGP_FAM_VPNV4;
	else
		return false;
	return true;
}

void bgp_family_to_afi_safi(enum bgp_family fam, uint16_t *afi, uint8_t *safi)
{
	*afi = BGP_AFI_IPV4;
	*safi = fam == BGP_FAM_VPNV4 ? BGP_SAFI_MPLS_VPN : BGP_SAFI_UNICAST;
}

const char *bgp_family_name(enum bgp_family fam)
{
	return fam == BGP_FAM_VPNV4 ? "vpnv4" : "ipv4-unicast";
}

static bool header_fail(struct bgp_error *err, uint8_t subcode,
			const uint8_t *data, size_t dlen, const char *reason)
{
	bgp_error_raise(err, BGP_ACT_SESSION_RESET, BGP_ERR_HEADER, subcode,
			data, dlen, "%s", reason);
	return false;
}

bool bgp_header_parse(const uint8_t *buf, size_t len, uint16_t *msg_len,
		      uint8_t *type, struct bgp_error *err)
{
	uint16_t l;
	uint8_t t;
	bool ok;

	if (len < BGP_HEADER_LEN)
		return header_fail(err, BGP_HDR_BAD_LENGTH, NULL, 0,
				   "header shorter than 19 bytes");
	if (memcmp(buf, bgp_marker, sizeof(bgp_marker)) != 0)
		return header_fail(err, BGP_HDR_NOT_SYNC, NULL, 0,
				   "marker is not all ones");
	l = get_be16(buf + 16);
	t = buf[18];
	if (l < BGP_HEADER_LEN || l > BGP_MAX_MSG_LEN) {
		bgp_error_raise(err, BGP_ACT_SESSION_RESET, BGP_ERR_HEADER,
				BGP_HDR_BAD_LENGTH, buf + 16, 2,
				"message length %u out of range 19..4096", l);
		return false;
	}
	switch (t) {
	case BGP_MSG_OPEN:
		ok = l >= BGP_OPEN_MIN_LEN;
		break;
	case BGP_MSG_UPDATE:
		ok = l >= BGP_UPDATE_MIN_LEN;
		break;
	case BGP_MSG_NOTIFICATION:
		ok = l >= BGP_NOTIFY_MIN_LEN;
		break;
	case BGP_MSG_KEEPALIVE:
		ok = l == BGP_KEEPALIVE_LEN;
		break;
	case BGP_MSG_ROUTE_REFRESH:
		ok = l == BGP_RREFRESH_LEN;
		break;
	default:
		bgp_error_raise(err, BGP_ACT_SESSION_RESET, BGP_ERR_HEADER,
				BGP_HDR_BAD_TYPE, &buf[18], 1,
				"unknown message type %u", t);
		return false;
	}
	if (!ok) {
		bgp_error_raise(err, BGP_ACT_SESSION_RESET, BGP_ERR_HEADER,
				BGP_HDR_BAD_LENGTH, buf + 16, 2,
				"length %u is wrong for message type %u", l, t);
		return false;
	}
	*msg_len = l;
	*type = t;
	return true;
}

static bool open_fail(struct bgp_error *err, uint8_t subcode,
		      const void *data, size_t dlen, const char *reason)
{
	bgp_error_raise(err, BGP_ACT_SESSION_RESET, BGP_ERR_OPEN, subcode,
			data, dlen, "%s", reason);
	return false;
}

static bool parse_capability(uint8_t code, struct wire_reader *v,
			     struct bgp_caps *caps, struct bgp_error *err)
{
	enum bgp_family fam;
	uint16_t afi = 0, flags_time = 0;
	uint8_t res = 0, safi = 0, fl = 0, mode = 0;
	uint32_t asn = 0;

	switch (code) {
	case BGP_CAP_MP:
		if (v->len != 4)
			return open_fail(err, BGP_OPEN_UNSPECIFIC, NULL, 0,
					 "multiprotocol capability length is not 4");
		wr_u16(v, &afi);
		wr_u8(v, &res);
		wr_u8(v, &safi);
		if (bgp_family_from_afi_safi(afi, safi, &fam))
			caps->mp[fam] = true;
		return true;
	case BGP_CAP_ROUTE_REFRESH:
	case BGP_CAP_ROUTE_REFRESH_OLD:
		if (v->len != 0)
			return open_fail(err, BGP_OPEN_UNSPECIFIC, NULL, 0,
					 "route refresh capability length is not 0");
		caps->route_refresh = true;
		return true;
	case BGP_CAP_ENHANCED_RR:
		if (v->len != 0)
			return open_fail(err, BGP_OPEN_UNSPECIFIC, NULL, 0,
					 "enhanced route refresh capability length is not 0");
		caps->enhanced_rr = true;
		return true;
	case BGP_CAP_AS4:
		if (v->len != 4)
			return open_fail(err, BGP_OPEN_UNSPECIFIC, NULL, 0,
					 "4-octet AS capability length is not 4");
		wr_u32(v, &asn);
		if (asn == 0)
			return open_fail(err, BGP_OPEN_BAD_PEER_AS, NULL, 0,
					 "4-octet AS capability carries AS 0");
		caps->as4 = true;
		caps->as4_asn = asn;
		return true;
	case BGP_CAP_GRACEFUL_RESTART:
		if (v->len < 2 || (v->len - 2) % 4 != 0)
			return open_fail(err, BGP_OPEN_UNSPECIFIC, NULL, 0,
					 "graceful restart capability length is not 2 + 4n");
		wr_u16(v, &flags_time);
		caps->gr = true;
		caps->gr_flags = (uint8_t)(flags_time >> 12);
		caps->gr_time = flags_time & 0x0fff;
		while (v->len) {
			wr_u16(v, &afi);
			wr_u8(v, &safi);
			wr_u8(v, &fl);
			if (bgp_family_from_afi_safi(afi, safi, &fam)) {
				caps->gr_af[fam] = true;
				caps->gr_af_forwarding[fam] =
					(fl & BGP_GR_AF_FORWARDING) != 0;
			}
		}
		return true;
	case BGP_CAP_ADD_PATH:
		if (v->len == 0 || v->len % 4 != 0)
			return open_fail(err, BGP_OPEN_UNSPECIFIC, NULL, 0,
					 "add-path capability length is not 4n");
		while (v->len) {
			wr_u16(v, &afi);
			wr_u8(v, &safi);
			wr_u8(v, &mode);
			/* RFC 7911 4: other values make the entry meaningless */
			if (mode < 1 || mode > 3)
				continue;
			if (bgp_family_from_afi_safi(afi, safi, &fam))
				caps->addpath[fam] = mode;
		}
		return true;
	default:
		caps->unknown++;
		return true;
	}
}

static bool parse_capabilities(struct wire_reader *r, struct bgp_caps *caps,
			       struct bgp_error *err)
{
	struct wire_reader v;
	uint8_t code = 0, len = 0;

	while (r->len) {
		if (!wr_u8(r, &code) || !wr_u8(r, &len) || !wr_sub(r, len, &v))
			return open_fail(err, BGP_OPEN_UNSPECIFIC, NULL, 0,
					 "capability overruns its optional parameter");
		if (!parse_capability(code, &v, caps, err))
			return false;
	}
	return true;
}

bool bgp_open_parse(const uint8_t *msg, size_t len, struct bgp_open *open,
		    struct bgp_error *err)
{
	struct wire_reader r, params, value;
	uint8_t opt_len8 = 0, ptype = 0, plen8 = 0;
	uint16_t opt_len, plen = 0;
	bool extended = false;
	static const uint8_t max_version[2] = { 0, BGP_VERSION };

	memset(open, 0, sizeof(*open));
	if (len < BGP_OPEN_MIN_LEN)
		return open_fail(err, BGP_OPEN_UNSPECIFIC, NULL, 0,
				 "OPEN shorter than 29 bytes");
	wr_init(&r, msg + BGP_HEADER_LEN, len - BGP_HEADER_LEN);
	wr_u8(&r, &open->version);
	wr_u16(&r, &open->my_as);
	wr_u16(&r, &open->hold_time);
	wr_u32(&r, &open->bgp_id);
	wr_u8(&r, &opt_len8);
	if (open->version != BGP_VERSION)
		return open_fail(err, BGP_OPEN_BAD_VERSION, max_version, 2,
				 "unsupported BGP version");
	if (open->hold_time == 1 || open->hold_time == 2)
		return open_fail(err, BGP_OPEN_BAD_HOLD_TIME, NULL, 0,
				 "hold time 1 or 2 seconds");
	if (open->bgp_id == 0)
		return open_fail(err, BGP_OPEN_BAD_BGP_ID, NULL, 0,
				 "BGP identifier is 0");
	if (open->my_as == 0)
		return open_fail(err, BGP_OPEN_BAD_PEER_AS, NULL, 0,
				 "My Autonomous System is 0");
	opt_len = opt_len8;
	/* RFC 9072: length 255 followed by type 255 announces 2-byte lengths */
	if (opt_len8 == 255 && r.len >= 3 && r.p[0] == 255) {
		uint8_t marker;

		wr_u8(&r, &marker);
		wr_u16(&r, &opt_len);
		extended = true;
	}
	if (opt_len != r.len)
		return open_fail(err, BGP_OPEN_UNSPECIFIC, NULL, 0,
				 "optional parameters length does not match the message");
	wr_sub(&r, opt_len, &params);
	while (params.len) {
		if (!wr_u8(&params, &ptype))
			break;
		if (extended) {
			if (!wr_u16(&params, &plen))
				return open_fail(err, BGP_OPEN_UNSPECIFIC, NULL, 0,
						 "truncated optional parameter");
		} else {
			if (!wr_u8(&params, &plen8))
				return open_fail(err, BGP_OPEN_UNSPECIFIC, NULL, 0,
						 "truncated optional parameter");
			plen = plen8;
		}
		if (!wr_sub(&params, plen, &value))
			return open_fail(err, BGP_OPEN_UNSPECIFIC, NULL, 0,
					 "optional parameter overruns the parameters");
		if (ptype != 2)
			return open_fail(err, BGP_OPEN_UNSUPPORTED_PARAM, NULL, 0,
					 "optional parameter other than capabilities");
		if (!parse_capabilities(&value, &open->caps, err))
			return false;
	}
	return true;
}

bool bgp_notification_parse(const uint8_t *msg, size_t len,
			    struct bgp_notification *n, struct bgp_error *err)
{
	if (len < BGP_NOTIFY_MIN_LEN) {
		bgp_error_raise(err, BGP_ACT_SESSION_RESET, BGP_ERR_HEADER,
				BGP_HDR_BAD_LENGTH, NULL, 0,
				"NOTIFICATION shorter than 21 bytes");
		return false;
	}
	n->code = msg[BGP_HEADER_LEN];
	n->subcode = msg[BGP_HEADER_LEN + 1];
	n->data = msg + BGP_NOTIFY_MIN_LEN;
	n->data_len = len - BGP_NOTIFY_MIN_LEN;
	return true;
}

bool bgp_keepalive_parse(const uint8_t *msg, size_t len, struct bgp_error *err)
{
	(void)msg;
	if (len != BGP_KEEPALIVE_LEN) {
		bgp_error_raise(err, BGP_ACT_SESSION_RESET, BGP_ERR_HEADER,
				BGP_HDR_BAD_LENGTH, NULL, 0,
				"KEEPALIVE length is not 19");
		return false;
	}
	return true;
}

bool bgp_route_refresh_parse(const uint8_t *msg, size_t len,
			     struct bgp_route_refresh *rr,
			     struct bgp_error *err)
{
	struct wire_reader r;

	if (len != BGP_RREFRESH_LEN) {
		bgp_error_raise(err, BGP_ACT_SESSION_RESET,
				BGP_ERR_ROUTE_REFRESH, 1, msg, len,
				"ROUTE-REFRESH length is not 23");
		return false;
	}
	wr_init(&r, msg + BGP_HEADER_LEN, len - BGP_HEADER_LEN);
	wr_u16(&r, &rr->afi);
	wr_u8(&r, &rr->subtype);
	wr_u8(&r, &rr->safi);
	return true;
}

void bgp_notification_format(const struct bgp_notification *n, char *buf,
			     size_t size)
{
	char text[256 * 4 + 1];
	size_t tl = 0;
	int off;

	off = snprintf(buf, size, "%s/%s (%u/%u)",
		       bgp_notify_code_name(n->code),
		       bgp_notify_subcode_name(n->code, n->subcode),
		       n->code, n->subcode);
	if (off < 0 || (size_t)off >= size)
		return;
	/* RFC 9003: a length byte and that much UTF-8 after shutdown/reset */
	if (n->code == BGP_ERR_CEASE &&
	    (n->subcode == BGP_CEASE_ADMIN_SHUTDOWN ||
	     n->subcode == BGP_CEASE_ADMIN_RESET) &&
	    n->data_len >= 1 && n->data[0] > 0 &&
	    (size_t)n->data[0] + 1 <= n->data_len) {
		for (size_t i = 0; i < n->data[0]; i++) {
			uint8_t c = n->data[1 + i];

			if (c >= 0x20 && c != 0x7f && c != '"' && c != '\\')
				text[tl++] = (char)c;
			else
				tl += (size_t)sprintf(text + tl, "\\x%02x", c);
		}
		text[tl] = '\0';
		snprintf(buf + off, size - (size_t)off, ": \"%s\"", text);
	} else if (n->data_len) {
		snprintf(buf + off, size - (size_t)off, ", %zu bytes of data",
			 n->data_len);
	}
}

void bgp_header_begin(struct wire_writer *w, uint8_t type)
{
	ww_bytes(w, bgp_marker, sizeof(bgp_marker));
	ww_u16(w, 0);
	ww_u8(w, type);
}

size_t bgp_header_finish(struct wire_writer *w)
{
	if (w->overflow || w->len > BGP_MAX_MSG_LEN)
		return 0;
	ww_put16_at(w, 16, (uint16_t)w->len);
	return w->len;
}

static void put_cap_header(struct wire_writer *w, uint8_t code, uint8_t len)
{
	ww_u8(w, code);
	ww_u8(w, len);
}

size_t bgp_open_encode(uint8_t *buf, size_t size, uint32_t my_as,
		       uint16_t hold_time, uint32_t bgp_id,
		       const struct bgp_caps *caps)
{
	struct wire_writer w;
	size_t opt_len_at, param_len_at, start;
	uint16_t afi;
	uint8_t safi;
	int f, n;

	ww_init(&w, buf, size);
	bgp_header_begin(&w, BGP_MSG_OPEN);
	ww_u8(&w, BGP_VERSION);
	ww_u16(&w, my_as > 0xffff ? BGP_AS_TRANS : (uint16_t)my_as);
	ww_u16(&w, hold_time);
	ww_u32(&w, bgp_id);
	opt_len_at = w.len;
	ww_u8(&w, 0);
	/* one capabilities parameter holding every capability */
	ww_u8(&w, 2);
	param_len_at = w.len;
	ww_u8(&w, 0);
	start = w.len;
	for (f = 0; f < BGP_FAM_COUNT; f++) {
		if (!caps->mp[f])
			continue;
		bgp_family_to_afi_safi((enum bgp_family)f, &afi, &safi);
		put_cap_header(&w, BGP_CAP_MP, 4);
		ww_u16(&w, afi);
		ww_u8(&w, 0);
		ww_u8(&w, safi);
	}
	if (caps->route_refresh)
		put_cap_header(&w, BGP_CAP_ROUTE_REFRESH, 0);
	if (caps->enhanced_rr)
		put_cap_header(&w, BGP_CAP_ENHANCED_RR, 0);
	if (caps->as4) {
		put_cap_header(&w, BGP_CAP_AS4, 4);
		ww_u32(&w, my_as);
	}
	if (caps->gr) {
		for (n = 0, f = 0; f < BGP_FAM_COUNT; f++)
			n += caps->gr_af[f];
		put_cap_header(&w, BGP_CAP_GRACEFUL_RESTART, (uint8_t)(2 + 4 * n));
		ww_u16(&w, (uint16_t)((caps->gr_flags & 0xf) << 12 |
				      (caps->gr_time & 0x0fff)));
		for (f = 0; f < BGP_FAM_COUNT; f++) {
			if (!caps->gr_af[f])
				continue;
			bgp_family_to_afi_safi((enum bgp_family)f, &afi, &safi);
			ww_u16(&w, afi);
			ww_u8(&w, safi);
			ww_u8(&w, caps->gr_af_forwarding[f] ?
				  BGP_GR_AF_FORWARDING : 0);
		}
	}
	for (n = 0, f = 0; f < BGP_FAM_COUNT; f++)
		n += caps->addpath[f] != 0;
	if (n) {
		put_cap_header(&w, BGP_CAP_ADD_PATH, (uint8_t)(4 * n));
		for (f = 0; f < BGP_FAM_COUNT; f++) {
			if (!caps->addpath[f])
				continue;
			bgp_family_to_afi_safi((enum bgp_family)f, &afi, &safi);
			ww_u16(&w, afi);
			ww_u8(&w, safi);
			ww_u8(&w, caps->addpath[f]);
		}
	}
	if (w.overflow || w.len - start > 255)
		return 0;
	ww_put8_at(&w, param_len_at, (uint8_t)(w.len - start));
	ww_put8_at(&w, opt_len_at, (uint8_t)(w.len - opt_len_at - 1));
	return bgp_header_finish(&w);
}

size_t bgp_notification_encode(uint8_t *buf, size_t size, uint8_t code,
			       uint8_t subcode, const void *data,
			       size_t data_len)
{
	struct wire_writer w;

	/* data is truncated to what a maximum-size message can carry */
	if (data_len > BGP_MAX_MSG_LEN - BGP_NOTIFY_MIN_LEN)
		data_len = BGP_MAX_MSG_LEN - BGP_NOTIFY_MIN_LEN;
	ww_init(&w, buf, size);
	bgp_header_begin(&w, BGP_MSG_NOTIFICATION);
	ww_u8(&w, code);
	ww_u8(&w, subcode);
	ww_bytes(&w, data, data_len);
	return bgp_header_finish(&w);
}

size_t bgp_keepalive_encode(uint8_t *buf, size_t size)
{
	struct wire_writer w;

	ww_init(&w, buf, size);
	bgp_header_begin(&w, BGP_MSG_KEEPALIVE);
	return bgp_header_finish(&w);
}

size_t bgp_route_refresh_encode(uint8_t *buf, size_t size, uint16_t afi,
				uint8_t safi, uint8_t subtype)
{
	struct wire_writer w;

	ww_init(&w, buf, size);
	bgp_header_begin(&w, BGP_MSG_ROUTE_REFRESH);
	ww_u16(&w, afi);
	ww_u8(&w, subtype);
	ww_u8(&w, safi);
	return bgp_header_finish(&w);
}
