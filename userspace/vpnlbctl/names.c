// SPDX-License-Identifier: GPL-2.0-or-later
/* Keywords for the uapi enums, both ways. */
#include <string.h>

#include "names.h"
#include "objects.h"

const char *const vl_lb_mode_names[] = {
	[VPNLB_LB_FLOW] = "flow",
	[VPNLB_LB_PACKET] = "packet",
	NULL,
};

const char *const vl_hash_names[] = {
	[VPNLB_HASH_L3L4] = "l3l4",
	[VPNLB_HASH_L3] = "l3",
	NULL,
};

const char *const vl_ttl_names[] = {
	[VPNLB_TTL_UNIFORM] = "uniform",
	[VPNLB_TTL_PIPE] = "pipe",
	NULL,
};

const char *const vl_proto_names[] = {
	[VPNLB_PROTO_STATIC] = "static",
	[VPNLB_PROTO_IBGP] = "ibgp",
	[VPNLB_PROTO_EBGP] = "ebgp",
	NULL,
};

const char *const vl_tunnel_state_names[] = {
	[VPNLB_TUNNEL_UP] = "up",
	[VPNLB_TUNNEL_DOWN_LINK] = "down-link",
	[VPNLB_TUNNEL_DOWN_NEIGH] = "down-neigh",
	NULL,
};

const char *const vl_member_state_names[] = {
	[VPNLB_MEMBER_ACTIVE] = "active",
	[VPNLB_MEMBER_BACKUP] = "backup",
	[VPNLB_MEMBER_DOWN] = "down",
	NULL,
};

const char *vl_name_of(const char *const *table, unsigned int value)
{
	unsigned int i;

	for (i = 0; table[i]; i++)
		if (i == value)
			return table[i];
	return "unknown";
}

int vl_value_of(const char *const *table, const char *word)
{
	int i;

	for (i = 0; table[i]; i++)
		if (strcmp(table[i], word) == 0)
			return i;
	return -1;
}

const char *vl_proto_vrp(unsigned int proto)
{
	switch (proto) {
	case VPNLB_PROTO_STATIC:
		return "Static";
	case VPNLB_PROTO_IBGP:
		return "IBGP";
	case VPNLB_PROTO_EBGP:
		return "EBGP";
	}
	return "Unknown";
}
