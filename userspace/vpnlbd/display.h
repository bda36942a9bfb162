/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Operator views of the agent, as text modelled on VRP or as JSON:
 *   display bgp peer
 *   display bgp vpnv4 all routing-table
 *   display bgp vpnv4 vpn-instance NAME routing-table [PREFIX[/LEN]]
 * Each returns a malloc'd string, or NULL with a reason in err.
 */
#ifndef VPNLBD_DISPLAY_H
#define VPNLBD_DISPLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "agent.h"

char *display_bgp_peer(struct agent *a, bool json);
char *display_vpnv4_all(struct agent *a, bool json);
char *display_vpnv4_instance(struct agent *a, const char *name,
			     const char *prefix, bool json, char *err,
			     size_t err_size);

#endif /* VPNLBD_DISPLAY_H */
