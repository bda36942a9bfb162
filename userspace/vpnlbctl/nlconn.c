// SPDX-License-Identifier: GPL-2.0-or-later
/* The vpnlb generic netlink socket. */
#define _GNU_SOURCE	/* setns */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include <linux/vpnlb.h>

#include "nlconn.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

int vl_enter_netns(const char *name)
{
	char path[256];
	int fd, ret;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, "..") ||
	    snprintf(path, sizeof(path), "/run/netns/%s", name) >=
	    (int)sizeof(path)) {
		errno = EINVAL;
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = setns(fd, CLONE_NEWNET);
	close(fd);
	return ret;
}

int vl_nl_open(struct vl_nl *nl)
{
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		return -ENOMEM;
	if (genl_connect(nl->sk)) {
		nl_socket_free(nl->sk);
		nl->sk = NULL;
		return -ECONNREFUSED;
	}
	/* the kernel's reason for a rejection, and acks without the echo */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	/* a batch of routes is one large message; dumps come in large ones */
	nl_socket_set_buffer_size(nl->sk, 1 << 20, 1 << 20);
	nl_socket_enable_msg_peek(nl->sk);
	nl->family = genl_ctrl_resolve(nl->sk, VPNLB_GENL_NAME);
	if (nl->family < 0) {
		nl_socket_free(nl->sk);
		nl->sk = NULL;
		return -ENOENT;
	}
	return 0;
}

void vl_nl_close(struct vl_nl *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->sk = NULL;
}

struct nl_msg *vl_nl_msg(struct vl_nl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc_size(1 << 18);

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags,
			 cmd, VPNLB_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

void vl_nl_parse_ext_ack(struct vl_nl *nl, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e;
	const struct nlattr *a;
	size_t off, len;
	int rem;

	nl->ext_msg[0] = '\0';
	nl->has_offset = false;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (nlh->nlmsg_type == NLMSG_DONE) {
		off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(int));
	} else {
		if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*e))
			return;
		e = (const struct nlmsgerr *)((const char *)nlh + NLMSG_HDRLEN);
		off = NLMSG_HDRLEN + sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (e->msg.nlmsg_len < NLMSG_HDRLEN)
				return;
			off += e->msg.nlmsg_len - NLMSG_HDRLEN;
		}
		off = NLMSG_ALIGN(off);
	}
	if (off >= nlh->nlmsg_len)
		return;
	nla_for_each_attr(a, (struct nlattr *)((char *)nlh + off),
			  (int)(nlh->nlmsg_len - off), rem) {
		switch (nla_type(a)) {
		case NLMSGERR_ATTR_MSG:
			len = strnlen(nla_data(a), (size_t)nla_len(a));
			if (len >= sizeof(nl->ext_msg))
				len = sizeof(nl->ext_msg) - 1;
			memcpy(nl->ext_msg, nla_data(a), len);
			nl->ext_msg[len] = '\0';
			/* one line: never let the kernel break the format */
			for (off = 0; off < len; off++)
				if (nl->ext_msg[off] < ' ')
					nl->ext_msg[off] = ' ';
			break;
		case NLMSGERR_ATTR_OFFS:
			if (nla_len(a) == 4) {
				nl->offset = nla_get_u32(a);
				nl->has_offset = true;
			}
			break;
		}
	}
}

struct talk {
	struct vl_nl *nl;
	vl_reply_fn fn;
	void *arg;
	bool done;
	int err;
};

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct talk *t = arg;

	if (t->fn && t->fn(nlmsg_hdr(msg), t->arg)) {
		t->err = -EPROTO;
		t->done = true;
		return NL_STOP;
	}
	return NL_OK;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct talk *t = arg;

	(void)msg;
	t->done = true;
	return NL_STOP;
}

static int on_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct talk *t = arg;
	int err;

	t->done = true;
	if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int)) {
		memcpy(&err, nlmsg_data(nlh), sizeof(err));
		if (err < 0) {
			t->err = err;
			vl_nl_parse_ext_ack(t->nl, nlh);
		}
	}
	return NL_STOP;
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	const struct nlmsghdr *nlh =
		(const struct nlmsghdr *)((const char *)e - NLMSG_HDRLEN);
	struct talk *t = arg;

	(void)who;
	t->done = true;
	t->err = e->error < 0 ? e->error : -EPROTO;
	vl_nl_parse_ext_ack(t->nl, nlh);
	return NL_STOP;
}

int vl_nl_talk(struct vl_nl *nl, struct nl_msg *msg, vl_reply_fn fn,
	       void *arg)
{
	struct talk t = { .nl = nl, .fn = fn, .arg = arg };
	struct nl_cb *cb;
	int ret;

	nl->ext_msg[0] = '\0';
	nl->has_offset = false;
	nl->error = 0;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &t);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &t);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &t);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &t);
	ret = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		nl_cb_put(cb);
		nl->error = ret == -NLE_MSGSIZE ? EMSGSIZE : EIO;
		return -nl->error;
	}
	while (!t.done) {
		ret = nl_recvmsgs(nl->sk, cb);
		if (ret < 0 && !t.done) {
			t.err = ret == -NLE_NOMEM ? -ENOBUFS : -EIO;
			break;
		}
	}
	nl_cb_put(cb);
	nl->error = -t.err;
	return t.err;
}

/* Notifications carry sequence number 0: accept them all. */
static int no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

int vl_nl_monitor(struct vl_nl *nl, vl_reply_fn fn, void *arg)
{
	struct talk t = { .nl = nl, .fn = fn, .arg = arg };
	struct nl_cb *cb;
	int grp, ret;

	grp = genl_ctrl_resolve_grp(nl->sk, VPNLB_GENL_NAME,
				    VPNLB_MCGRP_NOTIFY);
	if (grp < 0)
		return -ENOENT;
	ret = nl_socket_add_membership(nl->sk, grp);
	if (ret < 0)
		return -EIO;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &t);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
	for (;;) {
		t.done = false;
		ret = nl_recvmsgs(nl->sk, cb);
		if (t.err) {
			ret = t.err;
			break;
		}
		/* overrun: notifications were lost; say so and carry on */
		if (ret == -NLE_NOMEM || ret == -NLE_OBJ_NOTFOUND) {
			fprintf(stderr, "Warning: notifications lost\n");
			continue;
		}
		if (ret < 0) {
			fprintf(stderr, "Error: monitor: %s\n", nl_geterror(ret));
			ret = -EIO;
			break;
		}
	}
	nl_cb_put(cb);
	return ret;
}
