/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Errors found while parsing BGP messages, and what to do about them.
 * RFC 7606 ranks the reactions; when one message has several errors the
 * strongest one wins (RFC 7606 section 3 f).
 */
#ifndef VPNLBD_BGP_ERROR_H
#define VPNLBD_BGP_ERROR_H

#include <stddef.h>
#include <stdint.h>

enum bgp_action {
	BGP_ACT_NONE,
	BGP_ACT_ATTR_DISCARD,		/* drop the attribute, keep the routes */
	BGP_ACT_TREAT_AS_WITHDRAW,	/* every route in the UPDATE is withdrawn */
	BGP_ACT_AFISAFI_DISABLE,	/* drop the peer's routes of one AFI/SAFI */
	BGP_ACT_SESSION_RESET,		/* send NOTIFICATION, close the session */
};

/* NOTIFICATION error codes and subcodes (RFC 4271 4.5, RFC 4486, RFC 7313). */
enum {
	BGP_ERR_HEADER = 1,
	BGP_ERR_OPEN = 2,
	BGP_ERR_UPDATE = 3,
	BGP_ERR_HOLD_TIMER = 4,
	BGP_ERR_FSM = 5,
	BGP_ERR_CEASE = 6,
	BGP_ERR_ROUTE_REFRESH = 7,
};

enum {
	BGP_HDR_NOT_SYNC = 1,
	BGP_HDR_BAD_LENGTH = 2,
	BGP_HDR_BAD_TYPE = 3,
};

enum {
	BGP_OPEN_UNSPECIFIC = 0,
	BGP_OPEN_BAD_VERSION = 1,
	BGP_OPEN_BAD_PEER_AS = 2,
	BGP_OPEN_BAD_BGP_ID = 3,
	BGP_OPEN_UNSUPPORTED_PARAM = 4,
	BGP_OPEN_BAD_HOLD_TIME = 6,
	BGP_OPEN_UNSUPPORTED_CAPABILITY = 7,
};

enum {
	BGP_UPD_MALFORMED_ATTR_LIST = 1,
	BGP_UPD_UNRECOGNIZED_WELLKNOWN = 2,
	BGP_UPD_MISSING_WELLKNOWN = 3,
	BGP_UPD_ATTR_FLAGS = 4,
	BGP_UPD_ATTR_LENGTH = 5,
	BGP_UPD_INVALID_ORIGIN = 6,
	BGP_UPD_INVALID_NEXTHOP = 8,
	BGP_UPD_OPTIONAL_ATTR = 9,
	BGP_UPD_INVALID_NETWORK = 10,
	BGP_UPD_MALFORMED_ASPATH = 11,
};

enum {
	BGP_CEASE_MAX_PREFIX = 1,
	BGP_CEASE_ADMIN_SHUTDOWN = 2,
	BGP_CEASE_PEER_DECONFIGURED = 3,
	BGP_CEASE_ADMIN_RESET = 4,
	BGP_CEASE_CONNECTION_REJECTED = 5,
	BGP_CEASE_CONFIG_CHANGE = 6,
	BGP_CEASE_COLLISION = 7,
	BGP_CEASE_OUT_OF_RESOURCES = 8,
	BGP_CEASE_HARD_RESET = 9,
};

#define BGP_ERR_DATA_MAX	4096
#define BGP_ERR_REASON_MAX	160

struct bgp_error {
	enum bgp_action action;
	uint8_t code;			/* NOTIFICATION code, for session reset */
	uint8_t subcode;
	uint16_t afi;			/* for AFI/SAFI disable */
	uint8_t safi;
	uint16_t data_len;
	uint8_t data[BGP_ERR_DATA_MAX];	/* NOTIFICATION data */
	char reason[BGP_ERR_REASON_MAX];
};

void bgp_error_clear(struct bgp_error *err);

/*
 * Records an error if it is stronger than the one already recorded (the first
 * error of the strongest kind keeps its reason). Returns the resulting action.
 */
enum bgp_action bgp_error_raise(struct bgp_error *err, enum bgp_action action,
				uint8_t code, uint8_t subcode,
				const void *data, size_t data_len,
				const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

const char *bgp_action_name(enum bgp_action action);
const char *bgp_notify_code_name(uint8_t code);
const char *bgp_notify_subcode_name(uint8_t code, uint8_t subcode);

#endif /* VPNLBD_BGP_ERROR_H */
