// SPDX-License-Identifier: GPL-2.0-or-later
/* Running one parsed command against the kernel. */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "codec.h"
#include "commands.h"
#include "display.h"
#include "show.h"

void vl_print_kernel_error(const struct vl_ctx *ctx, int err)
{
	if (ctx->nl.ext_msg[0])
		fprintf(stderr, "Error: %s\n", ctx->nl.ext_msg);
	else
		fprintf(stderr, "Error: %s\n", strerror(-err));
}

int vl_connect(struct vl_ctx *ctx)
{
	int err;

	if (ctx->connected)
		return VL_EXIT_OK;
	err = vl_nl_open(&ctx->nl);
	if (err == -ENOENT) {
		fprintf(stderr,
			"Error: generic netlink family \"vpnlb\" not found (is vpnlb.ko loaded?)\n");
		return VL_EXIT_FAIL;
	}
	if (err) {
		fprintf(stderr, "Error: cannot open a netlink socket: %s\n",
			strerror(-err));
		return VL_EXIT_FAIL;
	}
	ctx->connected = true;
	return VL_EXIT_OK;
}

static int no_memory(void)
{
	fprintf(stderr, "Error: out of memory\n");
	return VL_EXIT_FAIL;
}

static int malformed(void)
{
	fprintf(stderr, "Error: malformed reply from the kernel\n");
	return VL_EXIT_FAIL;
}

/* Send msg and report the outcome. */
static int talk(struct vl_ctx *ctx, struct nl_msg *msg, vl_reply_fn fn,
		void *arg)
{
	int err = vl_nl_talk(&ctx->nl, msg, fn, arg);

	if (err == -EPROTO && !ctx->nl.ext_msg[0])
		return malformed();
	if (err) {
		vl_print_kernel_error(ctx, err);
		return VL_EXIT_FAIL;
	}
	return VL_EXIT_OK;
}

/* A growable array of decoded objects. */
struct vec {
	void *items;
	size_t n;
	size_t cap;
	size_t size;
};

static void *vec_push(struct vec *v)
{
	void *p;

	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;

		p = realloc(v->items, cap * v->size);
		if (!p)
			return NULL;
		v->items = p;
		v->cap = cap;
	}
	p = (char *)v->items + v->n * v->size;
	v->n++;
	return p;
}

/* Fill in device names the kernel did not send. */
static void name_devices(int type, void *obj)
{
	struct vl_instance *in = obj;
	struct vl_tunnel *t = obj;

	if (type == VPNLB_A_INSTANCE &&
	    !VL_HAS(in, VPNLB_INSTANCE_A_VRF_NAME) &&
	    VL_HAS(in, VPNLB_INSTANCE_A_VRF_IFINDEX) &&
	    if_indextoname(in->vrf_ifindex, in->vrf_name))
		VL_SET(in, VPNLB_INSTANCE_A_VRF_NAME);
	if (type == VPNLB_A_TUNNEL && !VL_HAS(t, VPNLB_TUNNEL_A_IFNAME) &&
	    VL_HAS(t, VPNLB_TUNNEL_A_IFINDEX) &&
	    if_indextoname(t->ifindex, t->ifname))
		VL_SET(t, VPNLB_TUNNEL_A_IFNAME);
}

static int decode_obj(int type, const struct nlattr *nest, void *out)
{
	int err = -1;

	switch (type) {
	case VPNLB_A_INSTANCE:
		err = vl_decode_instance(nest, out);
		break;
	case VPNLB_A_TUNNEL:
		err = vl_decode_tunnel(nest, out);
		break;
	case VPNLB_A_NEXTHOP:
		err = vl_decode_nexthop(nest, out);
		break;
	case VPNLB_A_GROUP:
		err = vl_decode_group(nest, out);
		break;
	case VPNLB_A_ROUTE:
		err = vl_decode_route(nest, out);
		break;
	case VPNLB_A_FLUSH:
		err = vl_decode_flush(nest, out);
		break;
	}
	if (!err)
		name_devices(type, out);
	return err;
}

/*
 * Collect every VPNLB_A_<type> nest of every reply into a vec, or, when
 * streaming (a show: a dump may hold a full table), print each as it comes.
 */
struct collect {
	int type;
	struct vec vec;
	const struct vl_ctx *stream;
	void *one;		/* the object being printed */
	size_t printed;
};

static void print_obj(const struct vl_ctx *ctx, int type, const void *obj,
		      bool one_line);
static json_object *json_obj(const struct vl_ctx *ctx, int type,
			     const void *obj);

static void stream_obj(struct collect *c)
{
	json_object *o;

	if (!c->stream->json) {
		print_obj(c->stream, c->type, c->one, false);
	} else {
		o = json_obj(c->stream, c->type, c->one);
		printf("%s%s", c->printed ? "," : "[",
		       json_object_to_json_string_ext(o,
				JSON_C_TO_STRING_PLAIN |
				JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	}
	c->printed++;
}

static int collect_reply(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[VPNLB_A_MAX + 1], *a;
	struct collect *c = arg;
	int rem;
	void *obj;

	if (vl_decode_top(nlh, tb))
		return -1;
	/* ROUTE may repeat; the others come once per message */
	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		if (nla_type(a) != c->type)
			continue;
		obj = c->stream ? c->one : vec_push(&c->vec);
		if (!obj || decode_obj(c->type, a, obj))
			return -1;
		if (c->stream)
			stream_obj(c);
	}
	return 0;
}

static size_t obj_size(int type)
{
	switch (type) {
	case VPNLB_A_INSTANCE:
		return sizeof(struct vl_instance);
	case VPNLB_A_TUNNEL:
		return sizeof(struct vl_tunnel);
	case VPNLB_A_NEXTHOP:
		return sizeof(struct vl_nexthop);
	case VPNLB_A_GROUP:
		return sizeof(struct vl_group);
	case VPNLB_A_ROUTE:
		return sizeof(struct vl_route);
	default:
		return sizeof(struct vl_flush);
	}
}

static int put_obj(struct nl_msg *msg, int type, const void *obj)
{
	switch (type) {
	case VPNLB_A_INSTANCE:
		return vl_put_instance(msg, obj);
	case VPNLB_A_TUNNEL:
		return vl_put_tunnel(msg, obj);
	case VPNLB_A_NEXTHOP:
		return vl_put_nexthop(msg, obj);
	case VPNLB_A_GROUP:
		return vl_put_group(msg, obj);
	case VPNLB_A_ROUTE:
		return vl_put_route(msg, obj);
	case VPNLB_A_FLUSH:
		return vl_put_flush(msg, obj);
	}
	return -1;
}

/*
 * Send cmd with the object (filter/key; NULL: none) and collect the
 * replies' objects. Returns VL_EXIT_*, or -errno with quiet set (so that a
 * caller can take ENOENT as "nothing").
 */
static int request(struct vl_ctx *ctx, uint8_t cmd, int flags, int type,
		   const void *obj, bool stats, bool quiet, struct collect *c)
{
	const struct vl_ctx *stream = c->stream;
	struct nl_msg *msg;
	int err;

	memset(c, 0, sizeof(*c));
	c->type = type;
	c->vec.size = obj_size(type);
	if (stream) {
		c->stream = stream;
		c->one = malloc(c->vec.size);
		if (!c->one)
			return no_memory();
	}
	msg = vl_nl_msg(&ctx->nl, cmd, flags);
	if (!msg)
		return no_memory();
	if ((obj && put_obj(msg, type, obj)) ||
	    (stats && nla_put_flag(msg, VPNLB_A_STATS))) {
		nlmsg_free(msg);
		return no_memory();
	}
	if (quiet) {
		err = vl_nl_talk(&ctx->nl, msg, collect_reply, c);
		if (err == -EPROTO && !ctx->nl.ext_msg[0])
			return malformed();
		return err;
	}
	return talk(ctx, msg, collect_reply, c);
}

static void print_obj(const struct vl_ctx *ctx, int type, const void *obj,
		      bool one_line)
{
	switch (type) {
	case VPNLB_A_INSTANCE:
		vl_show_instance(stdout, obj, ctx->stats);
		break;
	case VPNLB_A_TUNNEL:
		vl_show_tunnel(stdout, obj);
		break;
	case VPNLB_A_NEXTHOP:
		vl_show_nexthop(stdout, obj);
		break;
	case VPNLB_A_GROUP:
		vl_show_group(stdout, obj, ctx->stats, one_line);
		break;
	case VPNLB_A_ROUTE:
		vl_show_route(stdout, obj);
		break;
	case VPNLB_A_FLUSH:
		vl_show_flush(stdout, obj);
		break;
	}
}

static json_object *json_obj(const struct vl_ctx *ctx, int type,
			     const void *obj)
{
	switch (type) {
	case VPNLB_A_INSTANCE:
		return vl_json_instance(obj, ctx->stats);
	case VPNLB_A_TUNNEL:
		return vl_json_tunnel(obj);
	case VPNLB_A_NEXTHOP:
		return vl_json_nexthop(obj);
	case VPNLB_A_GROUP:
		return vl_json_group(obj, ctx->stats);
	case VPNLB_A_ROUTE:
		return vl_json_route(obj);
	}
	return vl_json_flush(obj);
}

static void print_all(const struct vl_ctx *ctx, const struct collect *c)
{
	json_object *arr;
	size_t i;

	if (!ctx->json) {
		for (i = 0; i < c->vec.n; i++)
			print_obj(ctx, c->type,
				  (char *)c->vec.items + i * c->vec.size,
				  false);
		return;
	}
	arr = json_object_new_array();
	for (i = 0; i < c->vec.n; i++)
		json_object_array_add(arr, json_obj(ctx, c->type,
			(char *)c->vec.items + i * c->vec.size));
	vl_json_print(stdout, arr);
	json_object_put(arr);
}

static const uint8_t cmds[][4] = {
	[VL_OBJ_INSTANCE] = { VPNLB_CMD_INSTANCE_NEW, VPNLB_CMD_INSTANCE_SET,
			      VPNLB_CMD_INSTANCE_DEL, VPNLB_CMD_INSTANCE_GET },
	[VL_OBJ_TUNNEL] = { VPNLB_CMD_TUNNEL_NEW, VPNLB_CMD_TUNNEL_SET,
			    VPNLB_CMD_TUNNEL_DEL, VPNLB_CMD_TUNNEL_GET },
	[VL_OBJ_NEXTHOP] = { VPNLB_CMD_NEXTHOP_NEW, VPNLB_CMD_NEXTHOP_SET,
			     VPNLB_CMD_NEXTHOP_DEL, VPNLB_CMD_NEXTHOP_GET },
	[VL_OBJ_GROUP] = { VPNLB_CMD_GROUP_NEW, VPNLB_CMD_GROUP_SET,
			   VPNLB_CMD_GROUP_DEL, VPNLB_CMD_GROUP_GET },
	[VL_OBJ_ROUTE] = { VPNLB_CMD_ROUTE_NEW, VPNLB_CMD_ROUTE_SET,
			   VPNLB_CMD_ROUTE_DEL, VPNLB_CMD_ROUTE_GET },
};

static int nest_type(enum vl_object obj)
{
	switch (obj) {
	case VL_OBJ_INSTANCE:
		return VPNLB_A_INSTANCE;
	case VL_OBJ_TUNNEL:
		return VPNLB_A_TUNNEL;
	case VL_OBJ_NEXTHOP:
		return VPNLB_A_NEXTHOP;
	case VL_OBJ_GROUP:
		return VPNLB_A_GROUP;
	case VL_OBJ_ROUTE:
		return VPNLB_A_ROUTE;
	default:
		return VPNLB_A_FLUSH;
	}
}

static int resolve_dev(const char *name, uint32_t *ifindex)
{
	*ifindex = if_nametoindex(name);
	if (!*ifindex) {
		fprintf(stderr, "Error: cannot find device \"%s\"\n", name);
		return VL_EXIT_FAIL;
	}
	return VL_EXIT_OK;
}

/* Device names -> ifindexes, in the (possibly entered) netns. */
static int resolve_devices(struct vl_cmd *cmd)
{
	struct vl_instance *in = &cmd->u.instance;
	struct vl_tunnel *t = &cmd->u.tunnel;

	if (cmd->obj == VL_OBJ_INSTANCE &&
	    VL_HAS(in, VPNLB_INSTANCE_A_VRF_NAME)) {
		if (resolve_dev(in->vrf_name, &in->vrf_ifindex))
			return VL_EXIT_FAIL;
		VL_SET(in, VPNLB_INSTANCE_A_VRF_IFINDEX);
	}
	if (cmd->obj == VL_OBJ_TUNNEL && VL_HAS(t, VPNLB_TUNNEL_A_IFNAME)) {
		if (resolve_dev(t->ifname, &t->ifindex))
			return VL_EXIT_FAIL;
		VL_SET(t, VPNLB_TUNNEL_A_IFINDEX);
	}
	return VL_EXIT_OK;
}

static int run_object(struct vl_ctx *ctx, struct vl_cmd *cmd)
{
	int type = nest_type(cmd->obj), ret, flags = 0;
	const void *obj = &cmd->u;
	struct collect c;
	uint8_t op;

	switch (cmd->verb) {
	case VL_VERB_ADD:
		op = cmds[cmd->obj][0];
		flags = NLM_F_CREATE | NLM_F_EXCL;
		break;
	case VL_VERB_CHANGE:
		op = cmds[cmd->obj][1];
		break;
	case VL_VERB_DEL:
		op = cmds[cmd->obj][2];
		break;
	default:
		op = cmds[cmd->obj][3];
		if (cmd->obj == VL_OBJ_ROUTE && cmd->longer)
			VL_SET(&cmd->u.route, VPNLB_ROUTE_A_LONGER);
		/* a show without a key (or a route filter) is a dump */
		if (cmd->verb == VL_VERB_SHOW &&
		    (cmd->obj == VL_OBJ_ROUTE || !cmd->u.instance.has))
			flags = NLM_F_DUMP;
		if (!cmd->u.instance.has)
			obj = NULL;
		break;
	}
	if (resolve_devices(cmd))
		return VL_EXIT_FAIL;
	memset(&c, 0, sizeof(c));
	if (cmd->verb == VL_VERB_SHOW || cmd->verb == VL_VERB_GET)
		c.stream = ctx;
	ret = request(ctx, op, flags, type, obj, ctx->stats && c.stream, false,
		      &c);
	/* the JSON array is closed even after an error, to stay valid */
	if (c.stream && ctx->json && (ret == VL_EXIT_OK || c.printed))
		printf("%s]\n", c.printed ? "" : "[");
	free(c.one);
	free(c.vec.items);
	return ret;
}

static int run_flush(struct vl_ctx *ctx, struct vl_cmd *cmd)
{
	struct collect c = { 0 };
	int ret;

	ret = request(ctx, VPNLB_CMD_FLUSH, 0, VPNLB_A_FLUSH, &cmd->u.flush,
		      false, false, &c);
	if (ret == VL_EXIT_OK)
		print_all(ctx, &c);
	free(c.vec.items);
	return ret;
}

/* display: the routes, then what they use, then the text */
static int run_display(struct vl_ctx *ctx, struct vl_cmd *cmd)
{
	const struct vl_display_args *d = &cmd->u.display;
	struct collect inst = { 0 }, routes = { 0 }, groups = { 0 };
	struct collect nhs = { 0 }, tuns = { 0 };
	struct vl_instance key = { 0 };
	struct vl_route filter = { 0 };
	struct vl_fib_view view;
	int ret, flags = NLM_F_DUMP;
	size_t i, n;

	/* an unknown instance is an error, not an empty table */
	memcpy(key.name, d->instance, sizeof(key.name));
	VL_SET(&key, VPNLB_INSTANCE_A_NAME);
	ret = request(ctx, VPNLB_CMD_INSTANCE_GET, 0, VPNLB_A_INSTANCE, &key,
		      false, false, &inst);
	free(inst.vec.items);
	if (ret)
		return ret;

	memcpy(filter.instance, d->instance, sizeof(filter.instance));
	VL_SET(&filter, VPNLB_ROUTE_A_INSTANCE);
	if (d->has_ip && !d->has_mask) {
		filter.lookup_addr = d->ip;
		VL_SET(&filter, VPNLB_ROUTE_A_LOOKUP_ADDR);
		flags = 0;
	} else if (d->has_ip) {
		filter.prefix = d->ip;
		filter.prefixlen = d->masklen;
		VL_SET(&filter, VPNLB_ROUTE_A_PREFIX);
		VL_SET(&filter, VPNLB_ROUTE_A_PREFIXLEN);
		if (d->longer)
			VL_SET(&filter, VPNLB_ROUTE_A_LONGER);
		else
			flags = 0;
	}
	ret = request(ctx, VPNLB_CMD_ROUTE_GET, flags, VPNLB_A_ROUTE, &filter,
		      false, true, &routes);
	/* no route for that address or prefix: an empty table, as VRP */
	if (ret == -ENOENT && !flags) {
		routes.vec.n = 0;
		ret = 0;
	} else if (ret < 0) {
		vl_print_kernel_error(ctx, ret);
		ret = VL_EXIT_FAIL;
	}
	if (!ret)
		ret = request(ctx, VPNLB_CMD_GROUP_GET, NLM_F_DUMP,
			      VPNLB_A_GROUP, NULL, true, false, &groups);
	if (!ret)
		ret = request(ctx, VPNLB_CMD_NEXTHOP_GET, NLM_F_DUMP,
			      VPNLB_A_NEXTHOP, NULL, false, false, &nhs);
	if (!ret)
		ret = request(ctx, VPNLB_CMD_TUNNEL_GET, NLM_F_DUMP,
			      VPNLB_A_TUNNEL, NULL, false, false, &tuns);
	if (!ret) {
		/* a dump filtered by instance may still carry others */
		struct vl_route *r = routes.vec.items;

		for (i = 0, n = 0; i < routes.vec.n; i++)
			if (!VL_HAS(&r[i], VPNLB_ROUTE_A_INSTANCE) ||
			    !strcmp(r[i].instance, d->instance))
				r[n++] = r[i];
		view = (struct vl_fib_view){
			.instance = d->instance,
			.routes = routes.vec.items, .nroutes = n,
			.groups = groups.vec.items, .ngroups = groups.vec.n,
			.nexthops = nhs.vec.items, .nnexthops = nhs.vec.n,
			.tunnels = tuns.vec.items, .ntunnels = tuns.vec.n,
		};
		if (ctx->json) {
			json_object *o = vl_display_json(&view, d->verbose);

			vl_json_print(stdout, o);
			json_object_put(o);
		} else {
			vl_display_text(stdout, &view, d->verbose);
		}
	}
	free(routes.vec.items);
	free(groups.vec.items);
	free(nhs.vec.items);
	free(tuns.vec.items);
	return ret;
}

/* monitor: one line per notification */
static int print_notification(struct nlmsghdr *nlh, void *arg)
{
	static const char *const events[] = { "add", "del", "change", "get" };
	static const char *const objects[] = {
		[VPNLB_A_INSTANCE] = "instance", [VPNLB_A_TUNNEL] = "tunnel",
		[VPNLB_A_NEXTHOP] = "nexthop", [VPNLB_A_GROUP] = "group",
		[VPNLB_A_ROUTE] = "route", [VPNLB_A_FLUSH] = "flush",
	};
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct nlattr *tb[VPNLB_A_MAX + 1];
	struct vl_ctx *ctx = arg;
	union {
		struct vl_instance in;
		struct vl_tunnel t;
		struct vl_nexthop nh;
		struct vl_group g;
		struct vl_route r;
		struct vl_flush f;
	} *u;
	const char *event;
	json_object *o;
	int type;

	if (vl_decode_top(nlh, tb))
		return 0;	/* not ours to judge: skip it */
	if (gh->cmd == VPNLB_CMD_FLUSH)
		event = "flush";
	else if (gh->cmd >= VPNLB_CMD_INSTANCE_NEW &&
		 gh->cmd <= VPNLB_CMD_ROUTE_GET)
		event = events[(gh->cmd - 1) % 4];
	else
		return 0;
	u = malloc(sizeof(*u));
	if (!u)
		return -1;
	for (type = VPNLB_A_INSTANCE; type <= VPNLB_A_FLUSH; type++) {
		if (!tb[type])
			continue;
		if (decode_obj(type, tb[type], u)) {
			fprintf(stderr, "Warning: malformed notification\n");
			break;
		}
		if (ctx->json) {
			o = json_object_new_object();
			json_object_object_add(o, "event",
					       json_object_new_string(event));
			json_object_object_add(o, objects[type],
					       json_obj(ctx, type, u));
			vl_json_print(stdout, o);
			json_object_put(o);
		} else {
			printf("%s %s ", event, objects[type]);
			print_obj(ctx, type, u, true);
		}
		fflush(stdout);
		break;
	}
	free(u);
	return 0;
}

static int run_monitor(struct vl_ctx *ctx)
{
	int err = vl_nl_monitor(&ctx->nl, print_notification, ctx);

	if (err != -EIO)
		fprintf(stderr, "Error: monitor: %s\n", strerror(-err));
	return VL_EXIT_FAIL;
}

int vl_run(struct vl_ctx *ctx, struct vl_cmd *cmd)
{
	int ret = vl_connect(ctx);

	if (ret)
		return ret;
	switch (cmd->obj) {
	case VL_OBJ_FLUSH:
		return run_flush(ctx, cmd);
	case VL_OBJ_DISPLAY:
		return run_display(ctx, cmd);
	case VL_OBJ_MONITOR:
		return run_monitor(ctx);
	case VL_OBJ_INSTANCE:
	case VL_OBJ_TUNNEL:
	case VL_OBJ_NEXTHOP:
	case VL_OBJ_GROUP:
	case VL_OBJ_ROUTE:
		return run_object(ctx, cmd);
	default:
		return VL_EXIT_SYNTAX;
	}
}

/* One message of routes[first..]: as many as fit; *sent says how many. */
static int route_message(struct vl_ctx *ctx, bool add,
			 const struct vl_route *routes, size_t n, size_t first,
			 size_t *sent, struct vl_batch_error *failed)
{
	struct nl_msg *msg;
	uint32_t *offsets;
	size_t i;
	int err;

	offsets = calloc(n - first, sizeof(*offsets));
	msg = vl_nl_msg(&ctx->nl, add ? VPNLB_CMD_ROUTE_NEW :
			VPNLB_CMD_ROUTE_DEL, add ? NLM_F_CREATE | NLM_F_EXCL : 0);
	if (!offsets || !msg) {
		free(offsets);
		if (msg)
			nlmsg_free(msg);
		return no_memory();
	}
	for (i = first; i < n; i++) {
		struct nlmsghdr *nlh = nlmsg_hdr(msg);
		uint32_t len = nlh->nlmsg_len;

		offsets[i - first] = len;
		if (vl_put_route(msg, &routes[i])) {
			/* full: cut the partial nest, send the rest later */
			nlh->nlmsg_len = len;
			break;
		}
	}
	*sent = i - first;
	if (*sent == 0) {
		fprintf(stderr, "Error: a route does not fit in a message\n");
		failed->entry = (long)first;
		nlmsg_free(msg);
		free(offsets);
		return VL_EXIT_FAIL;
	}
	failed->first = first;
	failed->last = first + *sent - 1;
	err = vl_nl_talk(&ctx->nl, msg, NULL, NULL);
	if (err) {
		vl_print_kernel_error(ctx, err);
		/* the entry whose nest holds the offset the kernel named */
		if (ctx->nl.has_offset)
			for (i = 0; i < *sent; i++)
				if (offsets[i] <= ctx->nl.offset)
					failed->entry = (long)(first + i);
		free(offsets);
		return VL_EXIT_FAIL;
	}
	free(offsets);
	return VL_EXIT_OK;
}

int vl_route_batch(struct vl_ctx *ctx, bool add, const struct vl_route *routes,
		   size_t n, struct vl_batch_error *failed)
{
	size_t first = 0, sent;
	int ret;

	failed->entry = -1;
	failed->first = 0;
	failed->last = n ? n - 1 : 0;
	ret = vl_connect(ctx);
	while (!ret && first < n) {
		ret = route_message(ctx, add, routes, n, first, &sent, failed);
		first += sent;
	}
	return ret;
}
