/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Running one parsed command against the kernel. */
#ifndef VPNLBCTL_COMMANDS_H
#define VPNLBCTL_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
#include "nlconn.h"

/* Exit codes. */
#define VL_EXIT_OK	0
#define VL_EXIT_FAIL	1	/* the kernel or the system said no */
#define VL_EXIT_SYNTAX	2	/* the command line is wrong */

struct vl_ctx {
	struct vl_nl nl;
	bool connected;
	bool json;
	bool stats;
};

/* Open the socket once, on first use; VL_EXIT_* */
int vl_connect(struct vl_ctx *ctx);

/* Run cmd; errors are printed on stderr. Returns VL_EXIT_*. */
int vl_run(struct vl_ctx *ctx, struct vl_cmd *cmd);

/* Where a batch of routes failed: entries first..last went in the message
 * the kernel refused; entry is the one it named, or -1.
 */
struct vl_batch_error {
	long entry;
	size_t first;
	size_t last;
};

/*
 * Send routes as batched ROUTE_NEW (add) or ROUTE_DEL messages, as many
 * routes a message as fit (each message is applied all or nothing by the
 * kernel; an earlier message stays applied when a later one fails).
 * Returns VL_EXIT_*; on failure *failed says where.
 */
int vl_route_batch(struct vl_ctx *ctx, bool add, const struct vl_route *routes,
		   size_t n, struct vl_batch_error *failed);

/* "Error: <the kernel's message or strerror>" */
void vl_print_kernel_error(const struct vl_ctx *ctx, int err);

#endif
