// SPDX-License-Identifier: GPL-2.0-or-later
/* Writes a starting corpus for fuzz_msg from the encoders. */
#include <stdio.h>
#include <string.h>

#include "bgp_extcomm.h"
#include "bgp_msg.h"
#include "bgp_update.h"

static void put(const char *dir, const char *name, uint8_t opts,
		const uint8_t *msg, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		return;
	fputc(opts, f);
	fwrite(msg, 1, len, f);
	fclose(f);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : ".";
	uint8_t buf[4096], ec[16];
	struct bgp_caps caps = { 0 };
	struct bgp_vpn_prefix r[2] = {
		{ .label = 1002, .rd = 100ull << 32 | 1, .addr = 0x0a010000, .len = 16, .path_id = 1 },
		{ .label = 1003, .rd = 100ull << 32 | 2, .addr = 0x0a020300, .len = 24, .path_id = 2 },
	};
	static const uint8_t path[] = { 2, 2, 0, 0, 0xfd, 0xe9, 0xfa, 0x56, 0xea, 0x01 };
	static const uint32_t clusters[] = { 0x01010101 };
	uint64_t rt, bw = bgp_extcomm_make_link_bandwidth(1, 1e6f);
	struct bgp_tx_attrs tx = {
		.aspath = path, .aspath_len = sizeof(path), .has_med = true,
		.has_local_pref = true, .local_pref = 100, .nexthop = 0x02020202,
		.ext_communities = ec, .ext_community_count = 2,
		.has_originator_id = true, .originator_id = 0x03030303,
		.cluster_list = clusters, .cluster_count = 1,
	};
	size_t len, done;

	bgp_rt_parse("111:1", &rt);
	for (int i = 0; i < 8; i++) {
		ec[i] = (uint8_t)(rt >> (56 - 8 * i));
		ec[8 + i] = (uint8_t)(bw >> (56 - 8 * i));
	}
	caps.mp[BGP_FAM_VPNV4] = true;
	caps.as4 = caps.route_refresh = caps.gr = true;
	caps.gr_time = 120;
	caps.gr_af[BGP_FAM_VPNV4] = true;
	caps.addpath[BGP_FAM_VPNV4] = BGP_ADDPATH_RECEIVE;
	len = bgp_open_encode(buf, sizeof(buf), 65001, 90, 0x01010101, &caps);
	put(dir, "open", 0, buf, len);
	len = bgp_update_encode_vpn(buf, sizeof(buf), &tx, true, false, r, 2, &done);
	put(dir, "update-as4", 1, buf, len);
	len = bgp_update_encode_vpn(buf, sizeof(buf), &tx, false, true, r, 2, &done);
	put(dir, "update-as2-addpath", 8, buf, len);
	len = bgp_update_encode_vpn_withdraw(buf, sizeof(buf), false, r, 2, &done);
	put(dir, "withdraw", 1, buf, len);
	len = bgp_eor_encode(buf, sizeof(buf), BGP_FAM_VPNV4);
	put(dir, "eor", 1, buf, len);
	len = bgp_notification_encode(buf, sizeof(buf), 6, 2, "\x04" "down", 5);
	put(dir, "notification", 0, buf, len);
	len = bgp_route_refresh_encode(buf, sizeof(buf), 1, 128, 0);
	put(dir, "route-refresh", 0, buf, len);
	len = bgp_keepalive_encode(buf, sizeof(buf));
	put(dir, "keepalive", 0, buf, len);
	return 0;
}
