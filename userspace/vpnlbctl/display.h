/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * "display ip routing-table vpn-instance": the operator's view of an
 * instance's FIB in Huawei VRP's layout. Pure functions over the routes and
 * the objects they use, so the exact text is unit-tested without a kernel.
 */
#ifndef VPNLBCTL_DISPLAY_H
#define VPNLBCTL_DISPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <json-c/json.h>

#include "objects.h"

/*
 * One instance's routes and everything they refer to. vl_display_* sort
 * routes by prefix and the objects by id in place (for lookups).
 */
struct vl_fib_view {
	const char *instance;
	struct vl_route *routes;
	size_t nroutes;
	struct vl_group *groups;
	size_t ngroups;
	struct vl_nexthop *nexthops;
	size_t nnexthops;
	struct vl_tunnel *tunnels;
	size_t ntunnels;
};

/* Brief: active next hops only. Verbose: every member, one block each. */
void vl_display_text(FILE *out, struct vl_fib_view *v, bool verbose);
json_object *vl_display_json(struct vl_fib_view *v, bool verbose);

#endif
