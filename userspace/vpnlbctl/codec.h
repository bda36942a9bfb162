/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Netlink attributes <-> struct vl_*. Decoding checks every attribute's
 * type and length against a policy and rejects what does not fit (a string
 * without its NUL, a fourth label, a 129th member): the kernel's bytes are
 * input like any other. Encoding sends only what the operator gave.
 */
#ifndef VPNLBCTL_CODEC_H
#define VPNLBCTL_CODEC_H

#include <netlink/msg.h>

#include "objects.h"

/* Decoders of one nest (the VPNLB_A_* attribute); 0 or -1. */
int vl_decode_instance(const struct nlattr *nest, struct vl_instance *out);
int vl_decode_tunnel(const struct nlattr *nest, struct vl_tunnel *out);
int vl_decode_nexthop(const struct nlattr *nest, struct vl_nexthop *out);
int vl_decode_group(const struct nlattr *nest, struct vl_group *out);
int vl_decode_route(const struct nlattr *nest, struct vl_route *out);
int vl_decode_flush(const struct nlattr *nest, struct vl_flush *out);

/*
 * Split a vpnlb generic netlink message into its top-level attributes
 * (tb has VPNLB_A_MAX + 1 entries); 0 or -1 when malformed.
 */
int vl_decode_top(struct nlmsghdr *nlh, struct nlattr **tb);

/* Encoders: put the object as its VPNLB_A_* nest; 0 or -1 (no room). */
int vl_put_instance(struct nl_msg *msg, const struct vl_instance *in);
int vl_put_tunnel(struct nl_msg *msg, const struct vl_tunnel *t);
int vl_put_nexthop(struct nl_msg *msg, const struct vl_nexthop *nh);
int vl_put_group(struct nl_msg *msg, const struct vl_group *g);
int vl_put_route(struct nl_msg *msg, const struct vl_route *r);
int vl_put_flush(struct nl_msg *msg, const struct vl_flush *f);

#endif
