/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The command grammar: argv -> struct vl_cmd, with no I/O, so a syntax
 * error is found (and worded) before anything reaches the kernel.
 */
#ifndef VPNLBCTL_CLI_H
#define VPNLBCTL_CLI_H

#include <stdbool.h>

#include "args.h"
#include "objects.h"

enum vl_object {
	VL_OBJ_NONE,
	VL_OBJ_INSTANCE,
	VL_OBJ_TUNNEL,
	VL_OBJ_NEXTHOP,
	VL_OBJ_GROUP,
	VL_OBJ_ROUTE,
	VL_OBJ_FLUSH,
	VL_OBJ_MONITOR,
	VL_OBJ_DISPLAY,
	VL_OBJ_HELP,
};

enum vl_verb {
	VL_VERB_NONE,
	VL_VERB_ADD,
	VL_VERB_CHANGE,
	VL_VERB_DEL,
	VL_VERB_SHOW,
	VL_VERB_GET,
};

struct vl_display_args {
	char instance[VL_NAME_SIZE];
	bool has_ip;
	bool has_mask;
	bool longer;
	bool verbose;
	struct in_addr ip;
	uint8_t masklen;
};

struct vl_cmd {
	enum vl_object obj;
	enum vl_verb verb;
	bool longer;		/* route show ... longer */
	union {
		struct vl_instance instance;
		struct vl_tunnel tunnel;
		struct vl_nexthop nexthop;
		struct vl_group group;
		struct vl_route route;
		struct vl_flush flush;
		struct vl_display_args display;
	} u;
};

/*
 * argv[0] is the object keyword. Returns 0, or -1 with the reason in err;
 * cmd->obj is set whenever the object was recognised (to pick the usage).
 * Names of devices are left in ifname/vrf_name for the caller to resolve.
 */
int vl_cli_parse(int argc, char **argv, struct vl_cmd *cmd, char *err);

#endif
