/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The vpnlb generic netlink family through libnl-genl-3: a struct fib_writer
 * that sends every object write and waits for the kernel's answer (with its
 * extack message on failure), and the dump that adopts the agent's objects
 * left in the kernel by a previous run.
 */
#ifndef VPNLBD_VPNLB_NL_H
#define VPNLBD_VPNLB_NL_H

#include <stdint.h>

#include "fib.h"

struct nl_sock;
struct nl_msg;

struct vpnlb_nl {
	struct nl_sock *sk;
	int family;
	char last_error[256];		/* extack text of the last refusal */
};

/* Connects and resolves the family; -errno (ENOENT: module not loaded). */
int vpnlb_nl_open(struct vpnlb_nl *nl);
void vpnlb_nl_close(struct vpnlb_nl *nl);

extern const struct fib_writer vpnlb_nl_writer;	/* ctx: struct vpnlb_nl */

/*
 * Reads the kernel's tunnels, nexthops and groups with this owner and hands
 * them to fib_adopt_*. Returns the number adopted or -errno.
 */
int vpnlb_nl_adopt(struct vpnlb_nl *nl, struct fib *fib);

/* Message builders (exposed for tests): NULL on allocation failure. */
struct nl_msg *vpnlb_msg_instance(int family, enum fib_op op,
				  const struct fib_instance_cfg *c,
				  uint32_t owner, uint32_t gen);
struct nl_msg *vpnlb_msg_tunnel(int family, enum fib_op op,
				const struct fib_tunnel *t, uint32_t owner,
				uint32_t gen);
struct nl_msg *vpnlb_msg_nexthop(int family, enum fib_op op,
				 const struct fib_nexthop *n, uint32_t owner,
				 uint32_t gen);
struct nl_msg *vpnlb_msg_group(int family, enum fib_op op,
			       const struct fib_group *g, uint32_t owner,
			       uint32_t gen);
struct nl_msg *vpnlb_msg_routes(int family, enum fib_op op,
				const char *instance,
				const struct fib_route_op *r, size_t n,
				uint32_t owner, uint32_t gen);
struct nl_msg *vpnlb_msg_flush(int family, uint32_t owner, uint32_t gen);

#endif /* VPNLBD_VPNLB_NL_H */
