/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The vpnlb generic netlink socket: resolve the family, send a request,
 * wait for its replies and ack, and keep the kernel's extack message.
 */
#ifndef VPNLBCTL_NLCONN_H
#define VPNLBCTL_NLCONN_H

#include <stdbool.h>
#include <netlink/msg.h>

struct vl_nl {
	struct nl_sock *sk;
	int family;
	int error;		/* errno of the last failed request */
	char ext_msg[256];	/* its extack message, "" if none */
	bool has_offset;	/* extack NLMSGERR_ATTR_OFFS came */
	uint32_t offset;	/* byte offset into the request */
};

/* Called for each reply message; non-zero aborts with EPROTO. */
typedef int (*vl_reply_fn)(struct nlmsghdr *nlh, void *arg);

/* Enter /run/netns/NAME; 0 or -1 with errno. */
int vl_enter_netns(const char *name);

int vl_nl_open(struct vl_nl *nl);
void vl_nl_close(struct vl_nl *nl);

/* A request for cmd with flags (NLM_F_DUMP, NLM_F_REPLACE, ...). */
struct nl_msg *vl_nl_msg(struct vl_nl *nl, uint8_t cmd, int flags);

/*
 * Send msg (consumed), run fn on every reply, wait for the ack or the end
 * of the dump. Returns 0 or a negative errno; nl->ext_msg has the kernel's
 * message then.
 */
int vl_nl_talk(struct vl_nl *nl, struct nl_msg *msg, vl_reply_fn fn,
	       void *arg);

/* Join the "notify" group and call fn for every notification, forever. */
int vl_nl_monitor(struct vl_nl *nl, vl_reply_fn fn, void *arg);

/* Parse the extack TLVs of an NLMSG_ERROR or NLMSG_DONE (test seam). */
void vl_nl_parse_ext_ack(struct vl_nl *nl, const struct nlmsghdr *nlh);

#endif
