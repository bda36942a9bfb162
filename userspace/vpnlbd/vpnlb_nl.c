// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "log.h"
#include "vpnlb_nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* room for a full batch of routes */
#define ROUTE_MSG_SIZE	(64 * 1024)

static const uint8_t cmds[][4] = {
	/* NEW, SET, DEL, GET per object, in enum fib_op order */
	{ VPNLB_CMD_INSTANCE_NEW, VPNLB_CMD_INSTANCE_SET, VPNLB_CMD_INSTANCE_DEL, 0 },
	{ VPNLB_CMD_TUNNEL_NEW, VPNLB_CMD_TUNNEL_SET, VPNLB_CMD_TUNNEL_DEL, 0 },
	{ VPNLB_CMD_NEXTHOP_NEW, VPNLB_CMD_NEXTHOP_SET, VPNLB_CMD_NEXTHOP_DEL, 0 },
	{ VPNLB_CMD_GROUP_NEW, VPNLB_CMD_GROUP_SET, VPNLB_CMD_GROUP_DEL, 0 },
	{ VPNLB_CMD_ROUTE_NEW, VPNLB_CMD_ROUTE_SET, VPNLB_CMD_ROUTE_DEL, 0 },
};

enum { OBJ_INSTANCE, OBJ_TUNNEL, OBJ_NEXTHOP, OBJ_GROUP, OBJ_ROUTE };

static struct nl_msg *msg_start(int family, int obj, enum fib_op op,
				size_t size)
{
	struct nl_msg *msg = size ? nlmsg_alloc_size(size) : nlmsg_alloc();
	int flags = NLM_F_REQUEST | NLM_F_ACK;

	if (!msg)
		return NULL;
	/* NEW replaces: equal contents only refresh the generation */
	if (op == FIB_OP_NEW)
		flags |= NLM_F_CREATE | NLM_F_REPLACE;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags,
			 cmds[obj][op], VPNLB_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int put_in_addr(struct nl_msg *msg, int attr, uint32_t host_order)
{
	uint32_t be = htonl(host_order);

	return nla_put(msg, attr, sizeof(be), &be);
}

struct nl_msg *vpnlb_msg_instance(int family, enum fib_op op,
				  const struct fib_instance_cfg *c,
				  uint32_t owner, uint32_t gen)
{
	struct nl_msg *msg = msg_start(family, OBJ_INSTANCE, op, 0);
	struct nlattr *nest;

	if (!msg)
		return NULL;
	nest = nla_nest_start(msg, VPNLB_A_INSTANCE);
	if (!nest || nla_put_string(msg, VPNLB_INSTANCE_A_NAME, c->name))
		goto fail;
	if (op != FIB_OP_DEL) {
		if (op == FIB_OP_NEW &&
		    (nla_put_u32(msg, VPNLB_INSTANCE_A_VRF_IFINDEX, (uint32_t)c->vrf_ifindex) ||
		     nla_put_u32(msg, VPNLB_INSTANCE_A_OWNER, owner) ||
		     nla_put_u32(msg, VPNLB_INSTANCE_A_GENERATION, gen)))
			goto fail;
		if (nla_put_u32(msg, VPNLB_INSTANCE_A_MAX_PATHS, c->max_paths) ||
		    nla_put_u32(msg, VPNLB_INSTANCE_A_MAX_PATHS_IBGP, c->max_ibgp) ||
		    nla_put_u32(msg, VPNLB_INSTANCE_A_MAX_PATHS_EBGP, c->max_ebgp) ||
		    nla_put_u8(msg, VPNLB_INSTANCE_A_LB_MODE, c->lb_mode))
			goto fail;
	}
	nla_nest_end(msg, nest);
	return msg;
fail:
	nlmsg_free(msg);
	return NULL;
}

struct nl_msg *vpnlb_msg_tunnel(int family, enum fib_op op,
				const struct fib_tunnel *t, uint32_t owner,
				uint32_t gen)
{
	struct nl_msg *msg = msg_start(family, OBJ_TUNNEL, op, 0);
	struct nlattr *nest;

	if (!msg)
		return NULL;
	nest = nla_nest_start(msg, VPNLB_A_TUNNEL);
	if (!nest || nla_put_u32(msg, VPNLB_TUNNEL_A_ID, t->id))
		goto fail;
	if (op != FIB_OP_DEL) {
		if (op == FIB_OP_NEW &&
		    (put_in_addr(msg, VPNLB_TUNNEL_A_PE, t->pe) ||
		     nla_put_u32(msg, VPNLB_TUNNEL_A_OWNER, owner) ||
		     nla_put_u32(msg, VPNLB_TUNNEL_A_GENERATION, gen)))
			goto fail;
		if (put_in_addr(msg, VPNLB_TUNNEL_A_GATEWAY, t->via.gateway) ||
		    nla_put_u32(msg, VPNLB_TUNNEL_A_IFINDEX, (uint32_t)t->via.ifindex))
			goto fail;
		for (uint8_t i = 0; i < t->via.n_labels && i < VPNLB_TUNNEL_LABELS_MAX; i++)
			if (nla_put_u32(msg, VPNLB_TUNNEL_A_LABEL, t->via.labels[i]))
				goto fail;
		if (op == FIB_OP_SET && t->via.n_labels == 0 &&
		    nla_put_flag(msg, VPNLB_TUNNEL_A_NO_LABELS))
			goto fail;
	}
	nla_nest_end(msg, nest);
	return msg;
fail:
	nlmsg_free(msg);
	return NULL;
}

struct nl_msg *vpnlb_msg_nexthop(int family, enum fib_op op,
				 const struct fib_nexthop *n, uint32_t owner,
				 uint32_t gen)
{
	struct nl_msg *msg = msg_start(family, OBJ_NEXTHOP, op, 0);
	struct nlattr *nest;

	if (!msg)
		return NULL;
	nest = nla_nest_start(msg, VPNLB_A_NEXTHOP);
	if (!nest || nla_put_u32(msg, VPNLB_NEXTHOP_A_ID, n->id))
		goto fail;
	if (op != FIB_OP_DEL) {
		if (nla_put_u32(msg, VPNLB_NEXTHOP_A_TUNNEL_ID, n->tunnel->id) ||
		    nla_put_u32(msg, VPNLB_NEXTHOP_A_LABEL, n->label))
			goto fail;
		if (op == FIB_OP_NEW &&
		    ((n->neighbor && put_in_addr(msg, VPNLB_NEXTHOP_A_NEIGHBOR, n->neighbor)) ||
		     nla_put_u32(msg, VPNLB_NEXTHOP_A_OWNER, owner) ||
		     nla_put_u32(msg, VPNLB_NEXTHOP_A_GENERATION, gen)))
			goto fail;
	}
	nla_nest_end(msg, nest);
	return msg;
fail:
	nlmsg_free(msg);
	return NULL;
}

struct nl_msg *vpnlb_msg_group(int family, enum fib_op op,
			       const struct fib_group *g, uint32_t owner,
			       uint32_t gen)
{
	struct nl_msg *msg = msg_start(family, OBJ_GROUP, op, 8192);
	struct nlattr *nest, *mn;

	if (!msg)
		return NULL;
	nest = nla_nest_start(msg, VPNLB_A_GROUP);
	if (!nest || nla_put_u32(msg, VPNLB_GROUP_A_ID, g->id))
		goto fail;
	if (op != FIB_OP_DEL) {
		if (op == FIB_OP_NEW &&
		    (nla_put_string(msg, VPNLB_GROUP_A_INSTANCE, g->instance) ||
		     nla_put_u8(msg, VPNLB_GROUP_A_PROTOCOL, g->proto) ||
		     nla_put_u32(msg, VPNLB_GROUP_A_OWNER, owner) ||
		     nla_put_u32(msg, VPNLB_GROUP_A_GENERATION, gen)))
			goto fail;
		for (uint16_t i = 0; i < g->n; i++) {
			mn = nla_nest_start(msg, VPNLB_GROUP_A_MEMBER);
			if (!mn ||
			    nla_put_u32(msg, VPNLB_MEMBER_A_NEXTHOP_ID, g->m[i].nh->id) ||
			    nla_put_u32(msg, VPNLB_MEMBER_A_WEIGHT, g->m[i].weight))
				goto fail;
			nla_nest_end(msg, mn);
		}
	}
	nla_nest_end(msg, nest);
	return msg;
fail:
	nlmsg_free(msg);
	return NULL;
}

struct nl_msg *vpnlb_msg_routes(int family, enum fib_op op,
				const char *instance,
				const struct fib_route_op *r, size_t n,
				uint32_t owner, uint32_t gen)
{
	struct nl_msg *msg = msg_start(family, OBJ_ROUTE, op, ROUTE_MSG_SIZE);

	if (!msg)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		struct nlattr *nest = nla_nest_start(msg, VPNLB_A_ROUTE);

		if (!nest || nla_put_string(msg, VPNLB_ROUTE_A_INSTANCE, instance) ||
		    put_in_addr(msg, VPNLB_ROUTE_A_PREFIX, r[i].addr) ||
		    nla_put_u8(msg, VPNLB_ROUTE_A_PREFIXLEN, r[i].len))
			goto fail;
		if (op != FIB_OP_DEL) {
			if (r[i].group_id ?
			    nla_put_u32(msg, VPNLB_ROUTE_A_GROUP_ID, r[i].group_id) :
			    nla_put_u32(msg, VPNLB_ROUTE_A_NEXTHOP_ID, r[i].nexthop_id))
				goto fail;
			if (nla_put_u8(msg, VPNLB_ROUTE_A_PROTOCOL, r[i].proto) ||
			    nla_put_u32(msg, VPNLB_ROUTE_A_PREFERENCE, FIB_BGP_PREFERENCE) ||
			    nla_put_u32(msg, VPNLB_ROUTE_A_OWNER, owner) ||
			    nla_put_u32(msg, VPNLB_ROUTE_A_GENERATION, gen))
				goto fail;
		}
		nla_nest_end(msg, nest);
	}
	return msg;
fail:
	nlmsg_free(msg);
	return NULL;
}

struct nl_msg *vpnlb_msg_flush(int family, uint32_t owner, uint32_t gen)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *nest;

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
			 NLM_F_REQUEST | NLM_F_ACK, VPNLB_CMD_FLUSH,
			 VPNLB_GENL_VERSION))
		goto fail;
	nest = nla_nest_start(msg, VPNLB_A_FLUSH);
	if (!nest || nla_put_u32(msg, VPNLB_FLUSH_A_OWNER, owner) ||
	    nla_put_u32(msg, VPNLB_FLUSH_A_GENERATION, gen))
		goto fail;
	nla_nest_end(msg, nest);
	return msg;
fail:
	nlmsg_free(msg);
	return NULL;
}

/* ---- sending ---- */

static int error_cb(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct vpnlb_nl *nl = arg;
	struct nlmsghdr *h = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	static struct nla_policy ext_pol[NLMSGERR_ATTR_MAX + 1] = {
		[NLMSGERR_ATTR_MSG] = { .type = NLA_STRING },
	};
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = sizeof(*e);

	(void)who;
	snprintf(nl->last_error, sizeof(nl->last_error), "%s", strerror(-e->error));
	if (h->nlmsg_flags & NLM_F_ACK_TLVS) {
		if (!(h->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - NLMSG_HDRLEN;
		if (NLMSG_HDRLEN + off < h->nlmsg_len &&
		    nla_parse(tb, NLMSGERR_ATTR_MAX,
			      (struct nlattr *)((char *)e + off),
			      (int)(h->nlmsg_len - NLMSG_HDRLEN - off), ext_pol) == 0 &&
		    tb[NLMSGERR_ATTR_MSG])
			snprintf(nl->last_error, sizeof(nl->last_error), "%s",
				 nla_get_string(tb[NLMSGERR_ATTR_MSG]));
	}
	return NL_STOP;
}

static int send_msg(struct vpnlb_nl *nl, struct nl_msg *msg, const char *what)
{
	int err;

	if (!msg)
		return -ENOMEM;
	nl->last_error[0] = '\0';
	err = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (err >= 0)
		err = nl_wait_for_ack(nl->sk);
	if (err < 0) {
		log_err("vpnlb %s: %s", what,
			nl->last_error[0] ? nl->last_error : nl_geterror(err));
		return err;
	}
	return 0;
}

static int w_instance(void *ctx, enum fib_op op, const struct fib_instance_cfg *c,
		      uint32_t owner, uint32_t gen)
{
	struct vpnlb_nl *nl = ctx;

	return send_msg(nl, vpnlb_msg_instance(nl->family, op, c, owner, gen),
			"instance");
}

static int w_tunnel(void *ctx, enum fib_op op, const struct fib_tunnel *t,
		    uint32_t owner, uint32_t gen)
{
	struct vpnlb_nl *nl = ctx;

	return send_msg(nl, vpnlb_msg_tunnel(nl->family, op, t, owner, gen),
			"tunnel");
}

static int w_nexthop(void *ctx, enum fib_op op, const struct fib_nexthop *n,
		     uint32_t owner, uint32_t gen)
{
	struct vpnlb_nl *nl = ctx;

	return send_msg(nl, vpnlb_msg_nexthop(nl->family, op, n, owner, gen),
			"nexthop");
}

static int w_group(void *ctx, enum fib_op op, const struct fib_group *g,
		   uint32_t owner, uint32_t gen)
{
	struct vpnlb_nl *nl = ctx;

	return send_msg(nl, vpnlb_msg_group(nl->family, op, g, owner, gen),
			"group");
}

static int w_routes(void *ctx, enum fib_op op, const char *instance,
		    const struct fib_route_op *r, size_t n, uint32_t owner,
		    uint32_t gen)
{
	struct vpnlb_nl *nl = ctx;

	return send_msg(nl, vpnlb_msg_routes(nl->family, op, instance, r, n,
					     owner, gen), "route batch");
}

static int w_flush(void *ctx, uint32_t owner, uint32_t gen)
{
	struct vpnlb_nl *nl = ctx;

	return send_msg(nl, vpnlb_msg_flush(nl->family, owner, gen), "flush");
}

const struct fib_writer vpnlb_nl_writer = {
	.instance = w_instance, .tunnel = w_tunnel, .nexthop = w_nexthop,
	.group = w_group, .routes = w_routes, .flush = w_flush,
};

int vpnlb_nl_open(struct vpnlb_nl *nl)
{
	int one = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		return -ENOMEM;
	err = genl_connect(nl->sk);
	if (err < 0)
		goto fail;
	/* extack messages, without the request echoed back */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	nl_socket_set_buffer_size(nl->sk, 1 << 20, 1 << 20);
	nl_cb_err(nl_socket_get_cb(nl->sk), NL_CB_CUSTOM, error_cb, nl);
	nl->family = genl_ctrl_resolve(nl->sk, VPNLB_GENL_NAME);
	if (nl->family < 0) {
		err = -ENOENT;
		goto fail;
	}
	return 0;
fail:
	nl_socket_free(nl->sk);
	nl->sk = NULL;
	return err < 0 && err != -ENOENT ? -EIO : err;
}

void vpnlb_nl_close(struct vpnlb_nl *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->sk = NULL;
}

/* ---- adoption dump ---- */

#define ADOPT_MAX_TUNNELS	4096

struct adopt {
	struct fib *fib;
	int count;
	uint32_t tun_id[ADOPT_MAX_TUNNELS];
	uint32_t tun_pe[ADOPT_MAX_TUNNELS];
	size_t n_tun;
};

static uint32_t get_in_addr(const struct nlattr *a)
{
	uint32_t be = 0;

	if (nla_len(a) == 4)
		memcpy(&be, nla_data(a), 4);
	return ntohl(be);
}

static bool owned(struct nlattr *owner, const struct fib *fib)
{
	return owner && nla_len(owner) == 4 && nla_get_u32(owner) == fib->owner;
}

/* What adopt_cb reads from the kernel's dumps, sizes checked by libnl. */
static struct nla_policy adopt_tunnel_pol[VPNLB_TUNNEL_A_MAX + 1] = {
	[VPNLB_TUNNEL_A_ID] = { .type = NLA_U32 },
	[VPNLB_TUNNEL_A_PE] = { .type = NLA_U32 },
	[VPNLB_TUNNEL_A_OWNER] = { .type = NLA_U32 },
};

static struct nla_policy adopt_nexthop_pol[VPNLB_NEXTHOP_A_MAX + 1] = {
	[VPNLB_NEXTHOP_A_ID] = { .type = NLA_U32 },
	[VPNLB_NEXTHOP_A_TUNNEL_ID] = { .type = NLA_U32 },
	[VPNLB_NEXTHOP_A_LABEL] = { .type = NLA_U32 },
	[VPNLB_NEXTHOP_A_OWNER] = { .type = NLA_U32 },
};

static struct nla_policy adopt_group_pol[VPNLB_GROUP_A_MAX + 1] = {
	[VPNLB_GROUP_A_ID] = { .type = NLA_U32 },
	[VPNLB_GROUP_A_INSTANCE] = { .type = NLA_STRING,
				     .maxlen = VPNLB_INSTANCE_NAME_MAX + 1 },
	[VPNLB_GROUP_A_OWNER] = { .type = NLA_U32 },
	[VPNLB_GROUP_A_PROTOCOL] = { .type = NLA_U8 },
};

static struct nla_policy adopt_member_pol[VPNLB_MEMBER_A_MAX + 1] = {
	[VPNLB_MEMBER_A_NEXTHOP_ID] = { .type = NLA_U32 },
	[VPNLB_MEMBER_A_WEIGHT] = { .type = NLA_U32 },
};

static int adopt_cb(struct nl_msg *msg, void *arg)
{
	struct adopt *ad = arg;
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *top[VPNLB_A_MAX + 1];
	struct nlattr *tb[VPNLB_GROUP_A_MAX + VPNLB_TUNNEL_A_MAX + VPNLB_NEXTHOP_A_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, top, VPNLB_A_MAX, NULL) < 0)
		return NL_SKIP;
	switch (gh->cmd) {
	case VPNLB_CMD_TUNNEL_GET:
	case VPNLB_CMD_TUNNEL_NEW:
		if (!top[VPNLB_A_TUNNEL] ||
		    nla_parse_nested(tb, VPNLB_TUNNEL_A_MAX, top[VPNLB_A_TUNNEL],
				     adopt_tunnel_pol) ||
		    !tb[VPNLB_TUNNEL_A_ID] || !tb[VPNLB_TUNNEL_A_PE] ||
		    !owned(tb[VPNLB_TUNNEL_A_OWNER], ad->fib))
			return NL_SKIP;
		if (ad->n_tun < ADOPT_MAX_TUNNELS) {
			ad->tun_id[ad->n_tun] = nla_get_u32(tb[VPNLB_TUNNEL_A_ID]);
			ad->tun_pe[ad->n_tun] = get_in_addr(tb[VPNLB_TUNNEL_A_PE]);
			fib_adopt_tunnel(ad->fib, ad->tun_id[ad->n_tun],
					 ad->tun_pe[ad->n_tun]);
			ad->n_tun++;
			ad->count++;
		}
		break;
	case VPNLB_CMD_NEXTHOP_GET:
	case VPNLB_CMD_NEXTHOP_NEW:
		if (!top[VPNLB_A_NEXTHOP] ||
		    nla_parse_nested(tb, VPNLB_NEXTHOP_A_MAX, top[VPNLB_A_NEXTHOP],
				     adopt_nexthop_pol) ||
		    !tb[VPNLB_NEXTHOP_A_ID] || !tb[VPNLB_NEXTHOP_A_TUNNEL_ID] ||
		    !tb[VPNLB_NEXTHOP_A_LABEL] ||
		    !owned(tb[VPNLB_NEXTHOP_A_OWNER], ad->fib))
			return NL_SKIP;
		for (size_t i = 0; i < ad->n_tun; i++) {
			if (ad->tun_id[i] == nla_get_u32(tb[VPNLB_NEXTHOP_A_TUNNEL_ID])) {
				fib_adopt_nexthop(ad->fib,
						  nla_get_u32(tb[VPNLB_NEXTHOP_A_ID]),
						  ad->tun_pe[i],
						  nla_get_u32(tb[VPNLB_NEXTHOP_A_LABEL]));
				ad->count++;
				break;
			}
		}
		break;
	case VPNLB_CMD_GROUP_GET:
	case VPNLB_CMD_GROUP_NEW: {
		uint32_t ids[VPNLB_GROUP_MEMBERS_MAX];
		uint16_t weights[VPNLB_GROUP_MEMBERS_MAX];
		struct nlattr *m, *mb[VPNLB_MEMBER_A_MAX + 1];
		size_t n = 0;
		int rem;

		if (!top[VPNLB_A_GROUP] ||
		    nla_parse_nested(tb, VPNLB_GROUP_A_MAX, top[VPNLB_A_GROUP],
				     adopt_group_pol) ||
		    !tb[VPNLB_GROUP_A_ID] || !tb[VPNLB_GROUP_A_INSTANCE] ||
		    !owned(tb[VPNLB_GROUP_A_OWNER], ad->fib))
			return NL_SKIP;
		nla_for_each_nested(m, top[VPNLB_A_GROUP], rem) {
			if (nla_type(m) != VPNLB_GROUP_A_MEMBER ||
			    n == VPNLB_GROUP_MEMBERS_MAX ||
			    nla_parse_nested(mb, VPNLB_MEMBER_A_MAX, m,
					     adopt_member_pol) ||
			    !mb[VPNLB_MEMBER_A_NEXTHOP_ID])
				continue;
			ids[n] = nla_get_u32(mb[VPNLB_MEMBER_A_NEXTHOP_ID]);
			weights[n] = mb[VPNLB_MEMBER_A_WEIGHT] ?
				(uint16_t)nla_get_u32(mb[VPNLB_MEMBER_A_WEIGHT]) : 1;
			n++;
		}
		fib_adopt_group(ad->fib, nla_get_u32(tb[VPNLB_GROUP_A_ID]),
				nla_get_string(tb[VPNLB_GROUP_A_INSTANCE]),
				tb[VPNLB_GROUP_A_PROTOCOL] ?
				nla_get_u8(tb[VPNLB_GROUP_A_PROTOCOL]) :
				VPNLB_PROTO_STATIC, ids, weights, n);
		ad->count++;
		break;
	}
	default:
		break;
	}
	return NL_OK;
}

static int dump(struct vpnlb_nl *nl, uint8_t cmd, struct adopt *ad)
{
	struct nl_msg *msg = nlmsg_alloc();
	int err;

	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 NLM_F_REQUEST | NLM_F_DUMP, cmd, VPNLB_GENL_VERSION)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_socket_modify_cb(nl->sk, NL_CB_VALID, NL_CB_CUSTOM, adopt_cb, ad);
	err = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (err >= 0)
		err = nl_recvmsgs_default(nl->sk);
	nl_socket_modify_cb(nl->sk, NL_CB_VALID, NL_CB_DEFAULT, NULL, NULL);
	return err < 0 ? err : 0;
}

int vpnlb_nl_adopt(struct vpnlb_nl *nl, struct fib *fib)
{
	struct adopt *ad = calloc(1, sizeof(*ad));
	int err, count;

	if (!ad)
		return -ENOMEM;
	ad->fib = fib;
	/* tunnels first: nexthops name them, groups name nexthops */
	err = dump(nl, VPNLB_CMD_TUNNEL_GET, ad);
	if (!err)
		err = dump(nl, VPNLB_CMD_NEXTHOP_GET, ad);
	if (!err)
		err = dump(nl, VPNLB_CMD_GROUP_GET, ad);
	count = ad->count;
	free(ad);
	return err ? err : count;
}
