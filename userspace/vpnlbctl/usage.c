// SPDX-License-Identifier: GPL-2.0-or-later
/* Usage text, whole or of one command. */
#include <string.h>

#include "usage.h"

static const char options_usage[] =
"Usage: vpnlbctl [OPTIONS] OBJECT COMMAND [ARGS]\n"
"       vpnlbctl [OPTIONS] -b FILE | batch FILE\n"
"       vpnlbctl [-S SOCKET] system-view [FILE] | -c \"LINE; LINE...\"\n"
"       vpnlbctl [-j] [-S SOCKET] display { bgp ... | current-configuration }\n"
"       vpnlbctl -V | help\n"
"OPTIONS := { -j | -s | -n NETNS | -force | -S SOCKET }\n"
"OBJECT := { instance | tunnel | nexthop | group | route | flush |\n"
"            monitor | display }\n";

static const char instance_usage[] =
"Usage: vpnlbctl instance add NAME vrf VRFDEV [max-paths N] [max-paths-ibgp N]\n"
"                             [max-paths-ebgp N] [mode flow|packet]\n"
"                             [hash l3|l3l4] [ttl uniform|pipe] [owner N]\n"
"                             [generation N]\n"
"       vpnlbctl instance change NAME [max-paths N] [max-paths-ibgp N]\n"
"                                [max-paths-ebgp N] [mode flow|packet]\n"
"                                [hash l3|l3l4] [ttl uniform|pipe]\n"
"       vpnlbctl instance del NAME\n"
"       vpnlbctl [-s] [-j] instance show [NAME]\n";

static const char tunnel_usage[] =
"Usage: vpnlbctl tunnel add ID pe ADDR via GW dev IFNAME [label L[/L[/L]]]\n"
"                           [owner N] [generation N]\n"
"       vpnlbctl tunnel change ID [via GW] [dev IFNAME] [label L[/L[/L]]|none]\n"
"       vpnlbctl tunnel del ID\n"
"       vpnlbctl [-j] tunnel show [ID]\n";

static const char nexthop_usage[] =
"Usage: vpnlbctl nexthop add ID tunnel TID label L [neighbor ADDR] [owner N]\n"
"                            [generation N]\n"
"       vpnlbctl nexthop change ID [tunnel TID] [label L]\n"
"       vpnlbctl nexthop del ID\n"
"       vpnlbctl [-j] nexthop show [ID]\n";

static const char group_usage[] =
"Usage: vpnlbctl group add ID instance NAME [proto static|ibgp|ebgp]\n"
"                          member NHID [weight W] [member NHID [weight W]]...\n"
"                          [owner N] [generation N]\n"
"       vpnlbctl group change ID [proto static|ibgp|ebgp]\n"
"                             [member NHID [weight W]]...\n"
"       vpnlbctl group del ID\n"
"       vpnlbctl [-s] [-j] group show [ID]\n";

static const char route_usage[] =
"Usage: vpnlbctl route add INSTANCE PREFIX/LEN { group GID | nexthop NHID }\n"
"                          [proto static|ibgp|ebgp] [preference N] [cost N]\n"
"                          [owner N] [generation N]\n"
"       vpnlbctl route change INSTANCE PREFIX/LEN [group GID | nexthop NHID]\n"
"                          [proto static|ibgp|ebgp] [preference N] [cost N]\n"
"       vpnlbctl route del INSTANCE PREFIX/LEN\n"
"       vpnlbctl [-j] route show [INSTANCE [PREFIX/LEN [longer]]]\n"
"       vpnlbctl [-j] route get INSTANCE ADDR\n";

static const char flush_usage[] =
"Usage: vpnlbctl flush [instance NAME] [owner N] [generation N]\n";

static const char monitor_usage[] =
"Usage: vpnlbctl [-j] monitor\n";

static const char display_usage[] =
"Usage: vpnlbctl [-j] display ip routing-table vpn-instance NAME\n"
"                [IP [MASK-LEN]] [longer-match] [verbose]\n";

void vl_usage(FILE *out, enum vl_object obj)
{
	static const char *const all[] = {
		instance_usage, tunnel_usage, nexthop_usage, group_usage,
		route_usage, flush_usage, monitor_usage, display_usage,
	};
	size_t i;

	switch (obj) {
	case VL_OBJ_INSTANCE:
		fputs(instance_usage, out);
		return;
	case VL_OBJ_TUNNEL:
		fputs(tunnel_usage, out);
		return;
	case VL_OBJ_NEXTHOP:
		fputs(nexthop_usage, out);
		return;
	case VL_OBJ_GROUP:
		fputs(group_usage, out);
		return;
	case VL_OBJ_ROUTE:
		fputs(route_usage, out);
		return;
	case VL_OBJ_FLUSH:
		fputs(flush_usage, out);
		return;
	case VL_OBJ_MONITOR:
		fputs(monitor_usage, out);
		return;
	case VL_OBJ_DISPLAY:
		fputs(display_usage, out);
		return;
	case VL_OBJ_NONE:
	case VL_OBJ_HELP:
		break;
	}
	fputs(options_usage, out);
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		fprintf(out, "      %s", all[i] + strlen("Usage:"));
}
