// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bgp_error.h"

void bgp_error_clear(struct bgp_error *err)
{
	err->action = BGP_ACT_NONE;
	err->code = 0;
	err->subcode = 0;
	err->afi = 0;
	err->safi = 0;
	err->data_len = 0;
	err->reason[0] = '\0';
}

enum bgp_action bgp_error_raise(struct bgp_error *err, enum bgp_action action,
				uint8_t code, uint8_t subcode,
				const void *data, size_t data_len,
				const char *fmt, ...)
{
	va_list ap;

	if (action <= err->action)
		return err->action;
	err->action = action;
	err->code = code;
	err->subcode = subcode;
	if (data_len > sizeof(err->data))
		data_len = sizeof(err->data);
	if (data_len)
		memcpy(err->data, data, data_len);
	err->data_len = (uint16_t)data_len;
	va_start(ap, fmt);
	vsnprintf(err->reason, sizeof(err->reason), fmt, ap);
	va_end(ap);
	return action;
}

const char *bgp_action_name(enum bgp_action action)
{
	switch (action) {
	case BGP_ACT_NONE:
		return "none";
	case BGP_ACT_ATTR_DISCARD:
		return "attribute-discard";
	case BGP_ACT_TREAT_AS_WITHDRAW:
		return "treat-as-withdraw";
	case BGP_ACT_AFISAFI_DISABLE:
		return "afi-safi-disable";
	case BGP_ACT_SESSION_RESET:
		return "session-reset";
	}
	return "unknown";
}

const char *bgp_notify_code_name(uint8_t code)
{
	static const char *const names[] = {
		[BGP_ERR_HEADER] = "Message Header Error",
		[BGP_ERR_OPEN] = "OPEN Message Error",
		[BGP_ERR_UPDATE] = "UPDATE Message Error",
		[BGP_ERR_HOLD_TIMER] = "Hold Timer Expired",
		[BGP_ERR_FSM] = "Finite State Machine Error",
		[BGP_ERR_CEASE] = "Cease",
		[BGP_ERR_ROUTE_REFRESH] = "ROUTE-REFRESH Message Error",
	};

	if (code < sizeof(names) / sizeof(names[0]) && names[code])
		return names[code];
	return "Unknown Error";
}

const char *bgp_notify_subcode_name(uint8_t code, uint8_t subcode)
{
	static const char *const hdr[] = {
		[BGP_HDR_NOT_SYNC] = "Connection Not Synchronized",
		[BGP_HDR_BAD_LENGTH] = "Bad Message Length",
		[BGP_HDR_BAD_TYPE] = "Bad Message Type",
	};
	static const char *const open[] = {
		[BGP_OPEN_UNSPECIFIC] = "Unspecific",
		[BGP_OPEN_BAD_VERSION] = "Unsupported Version Number",
		[BGP_OPEN_BAD_PEER_AS] = "Bad Peer AS",
		[BGP_OPEN_BAD_BGP_ID] = "Bad BGP Identifier",
		[BGP_OPEN_UNSUPPORTED_PARAM] = "Unsupported Optional Parameter",
		[BGP_OPEN_BAD_HOLD_TIME] = "Unacceptable Hold Time",
		[BGP_OPEN_UNSUPPORTED_CAPABILITY] = "Unsupported Capability",
	};
	static const char *const upd[] = {
		[BGP_UPD_MALFORMED_ATTR_LIST] = "Malformed Attribute List",
		[BGP_UPD_UNRECOGNIZED_WELLKNOWN] = "Unrecognized Well-known Attribute",
		[BGP_UPD_MISSING_WELLKNOWN] = "Missing Well-known Attribute",
		[BGP_UPD_ATTR_FLAGS] = "Attribute Flags Error",
		[BGP_UPD_ATTR_LENGTH] = "Attribute Length Error",
		[BGP_UPD_INVALID_ORIGIN] = "Invalid ORIGIN Attribute",
		[BGP_UPD_INVALID_NEXTHOP] = "Invalid NEXT_HOP Attribute",
		[BGP_UPD_OPTIONAL_ATTR] = "Optional Attribute Error",
		[BGP_UPD_INVALID_NETWORK] = "Invalid Network Field",
		[BGP_UPD_MALFORMED_ASPATH] = "Malformed AS_PATH",
	};
	static const char *const cease[] = {
		[BGP_CEASE_MAX_PREFIX] = "Maximum Number of Prefixes Reached",
		[BGP_CEASE_ADMIN_SHUTDOWN] = "Administrative Shutdown",
		[BGP_CEASE_PEER_DECONFIGURED] = "Peer De-configured",
		[BGP_CEASE_ADMIN_RESET] = "Administrative Reset",
		[BGP_CEASE_CONNECTION_REJECTED] = "Connection Rejected",
		[BGP_CEASE_CONFIG_CHANGE] = "Other Configuration Change",
		[BGP_CEASE_COLLISION] = "Connection Collision Resolution",
		[BGP_CEASE_OUT_OF_RESOURCES] = "Out of Resources",
		[BGP_CEASE_HARD_RESET] = "Hard Reset",
	};
	const char *const *table = NULL;
	size_t n = 0;

	switch (code) {
	case BGP_ERR_HEADER:
		table = hdr;
		n = sizeof(hdr) / sizeof(hdr[0]);
		break;
	case BGP_ERR_OPEN:
		table = open;
		n = sizeof(open) / sizeof(open[0]);
		break;
	case BGP_ERR_UPDATE:
		table = upd;
		n = sizeof(upd) / sizeof(upd[0]);
		break;
	case BGP_ERR_CEASE:
		table = cease;
		n = sizeof(cease) / sizeof(cease[0]);
		break;
	case BGP_ERR_ROUTE_REFRESH:
		return subcode == 1 ? "Invalid Message Length" : "Unspecific";
	default:
		break;
	}
	if (table && subcode < n && table[subcode])
		return table[subcode];
	return subcode == 0 ? "Unspecific" : "Unknown Subcode";
}
