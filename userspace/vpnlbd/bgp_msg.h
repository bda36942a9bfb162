/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * BGP-4 messages other than UPDATE: header, OPEN with capabilities,
 * NOTIFICATION, KEEPALIVE, ROUTE-REFRESH (RFC 4271, 5492, 4760, 6793, 2918,
 * 7313, 4724, 7911, 9072). Parsers take the whole message including the
 * 19-byte header, check every byte and report failures as a bgp_error whose
 * code/subcode is the NOTIFICATION to send.
 */
#ifndef VPNLBD_BGP_MSG_H
#define VPNLBD_BGP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp_error.h"

#define BGP_PORT		179
#define BGP_VERSION		4
#define BGP_HEADER_LEN		19
#define BGP_MAX_MSG_LEN		4096
#define BGP_OPEN_MIN_LEN	29
#define BGP_UPDATE_MIN_LEN	23
#define BGP_NOTIFY_MIN_LEN	21
#define BGP_KEEPALIVE_LEN	19
#define BGP_RREFRESH_LEN	23
#define BGP_AS_TRANS		23456

enum bgp_msg_type {
	BGP_MSG_OPEN = 1,
	BGP_MSG_UPDATE = 2,
	BGP_MSG_NOTIFICATION = 3,
	BGP_MSG_KEEPALIVE = 4,
	BGP_MSG_ROUTE_REFRESH = 5,
};

#define BGP_AFI_IPV4		1
#define BGP_SAFI_UNICAST	1
#define BGP_SAFI_MPLS_VPN	128

enum bgp_cap_code {
	BGP_CAP_MP = 1,
	BGP_CAP_ROUTE_REFRESH = 2,
	BGP_CAP_GRACEFUL_RESTART = 64,
	BGP_CAP_AS4 = 65,
	BGP_CAP_ADD_PATH = 69,
	BGP_CAP_ENHANCED_RR = 70,
	BGP_CAP_ROUTE_REFRESH_OLD = 128,
};

/* The address families this agent knows; others are ignored. */
enum bgp_family {
	BGP_FAM_IPV4_UNICAST,
	BGP_FAM_VPNV4,
	BGP_FAM_COUNT,
};

/* Add-path send/receive bits (RFC 7911 4). */
#define BGP_ADDPATH_RECEIVE	1
#define BGP_ADDPATH_SEND	2

/* Graceful restart (RFC 4724 3). */
#define BGP_GR_FLAG_RESTART	0x8	/* R bit in the 4-bit restart flags */
#define BGP_GR_AF_FORWARDING	0x80	/* F bit per AFI/SAFI */
#define BGP_GR_TIME_MAX		4095

struct bgp_caps {
	bool mp[BGP_FAM_COUNT];
	bool as4;
	uint32_t as4_asn;
	bool route_refresh;
	bool enhanced_rr;
	bool gr;
	uint8_t gr_flags;		/* upper 4 bits of the 16-bit field */
	uint16_t gr_time;		/* restart time, seconds */
	bool gr_af[BGP_FAM_COUNT];	/* family listed in the capability */
	bool gr_af_forwarding[BGP_FAM_COUNT];
	uint8_t addpath[BGP_FAM_COUNT];	/* BGP_ADDPATH_* bits */
	unsigned int unknown;		/* unrecognized capabilities seen */
};

struct bgp_open {
	uint8_t version;
	uint16_t my_as;			/* 2-octet field (AS_TRANS if 4-octet) */
	uint16_t hold_time;
	uint32_t bgp_id;		/* host byte order */
	struct bgp_caps caps;
};

struct bgp_notification {
	uint8_t code;
	uint8_t subcode;
	const uint8_t *data;		/* points into the message */
	size_t data_len;
};

struct bgp_route_refresh {
	uint16_t afi;
	uint8_t subtype;		/* RFC 7313: 0 request, 1 BoRR, 2 EoRR */
	uint8_t safi;
};

/* Maps AFI/SAFI to a known family; returns false for any other pair. */
bool bgp_family_from_afi_safi(uint16_t afi, uint8_t safi, enum bgp_family *fam);
void bgp_family_to_afi_safi(enum bgp_family fam, uint16_t *afi, uint8_t *safi);
const char *bgp_family_name(enum bgp_family fam);

/*
 * Checks the 19-byte header at buf (len bytes available, at least 19).
 * On success stores the message length and type and returns true.
 */
bool bgp_header_parse(const uint8_t *buf, size_t len, uint16_t *msg_len,
		      uint8_t *type, struct bgp_error *err);

bool bgp_open_parse(const uint8_t *msg, size_t len, struct bgp_open *open,
		    struct bgp_error *err);
bool bgp_notification_parse(const uint8_t *msg, size_t len,
			    struct bgp_notification *n, struct bgp_error *err);
bool bgp_keepalive_parse(const uint8_t *msg, size_t len, struct bgp_error *err);
bool bgp_route_refresh_parse(const uint8_t *msg, size_t len,
			     struct bgp_route_refresh *rr,
			     struct bgp_error *err);

/*
 * Formats a received NOTIFICATION for logs, including an RFC 9003 shutdown
 * communication when the data carries one.
 */
void bgp_notification_format(const struct bgp_notification *n, char *buf,
			     size_t size);

/* Encoders: each writes a whole message into buf and returns its length, or
 * 0 if it does not fit. */
size_t bgp_open_encode(uint8_t *buf, size_t size, uint32_t my_as,
		       uint16_t hold_time, uint32_t bgp_id,
		       const struct bgp_caps *caps);
size_t bgp_notification_encode(uint8_t *buf, size_t size, uint8_t code,
			       uint8_t subcode, const void *data,
			       size_t data_len);
size_t bgp_keepalive_encode(uint8_t *buf, size_t size);
size_t bgp_route_refresh_encode(uint8_t *buf, size_t size, uint16_t afi,
				uint8_t safi, uint8_t subtype);

/* Writes the marker and type; the length is patched by bgp_header_finish. */
struct wire_writer;
void bgp_header_begin(struct wire_writer *w, uint8_t type);
size_t bgp_header_finish(struct wire_writer *w);

#endif /* VPNLBD_BGP_MSG_H */
