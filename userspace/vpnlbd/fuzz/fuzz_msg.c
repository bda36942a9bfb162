// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the first byte picks the session options, the rest is a
 * stream of BGP messages fed through the same parsers the session uses.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bgp_msg.h"
#include "bgp_update.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bgp_session_opts opts = { 0 };
	static struct bgp_error err;
	static struct bgp_update upd;
	size_t off = 1;

	if (size < 1)
		return 0;
	opts.as4 = data[0] & 1;
	opts.ebgp = data[0] & 2;
	opts.peer_as = (data[0] & 4) ? 65001 : 0;
	opts.addpath_rx[BGP_FAM_VPNV4] = data[0] & 8;
	opts.addpath_rx[BGP_FAM_IPV4_UNICAST] = data[0] & 16;

	while (size - off >= BGP_HEADER_LEN) {
		const uint8_t *msg = data + off;
		uint16_t len;
		uint8_t type;

		bgp_error_clear(&err);
		if (!bgp_header_parse(msg, size - off, &len, &type, &err))
			break;
		if (len > size - off)
			break;
		switch (type) {
		case BGP_MSG_OPEN: {
			struct bgp_open open;

			bgp_open_parse(msg, len, &open, &err);
			break;
		}
		case BGP_MSG_UPDATE:
			bgp_update_parse(msg, len, &opts, &upd);
			/* everything the parser returns must be readable */
			for (size_t i = 0; i < upd.n_vpn_reach; i++)
				if (upd.vpn_reach[i].len > 32)
					__builtin_trap();
			for (size_t i = 0; i < upd.n_vpn_unreach; i++)
				if (upd.vpn_unreach[i].len > 32)
					__builtin_trap();
			if (upd.attrs.ext_community_count)
				(void)upd.attrs.ext_communities[upd.attrs.ext_community_count * 8 - 1];
			if (upd.attrs.cluster_count)
				(void)upd.attrs.cluster_list[upd.attrs.cluster_count * 4 - 1];
			bgp_update_free(&upd);
			break;
		case BGP_MSG_NOTIFICATION: {
			struct bgp_notification n;
			char text[1200];

			if (bgp_notification_parse(msg, len, &n, &err))
				bgp_notification_format(&n, text, sizeof(text));
			break;
		}
		case BGP_MSG_KEEPALIVE:
			bgp_keepalive_parse(msg, len, &err);
			break;
		case BGP_MSG_ROUTE_REFRESH: {
			struct bgp_route_refresh rr;

			bgp_route_refresh_parse(msg, len, &rr, &err);
			break;
		}
		}
		off += len;
	}
	return 0;
}
