// SPDX-License-Identifier: GPL-2.0-or-later
/* The command grammar: argv -> struct vl_cmd. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "names.h"

struct argv_iter {
	int argc;
	char **argv;
	int i;
};

static bool more(const struct argv_iter *it)
{
	return it->i < it->argc;
}

static const char *peek(const struct argv_iter *it)
{
	return more(it) ? it->argv[it->i] : NULL;
}

static const char *next(struct argv_iter *it)
{
	return more(it) ? it->argv[it->i++] : NULL;
}

/* The value after a keyword just consumed. */
static const char *value(struct argv_iter *it, const char *kw, char *err)
{
	const char *v = next(it);

	if (!v)
		snprintf(err, VL_ERR_SIZE, "missing value after \"%s\"", kw);
	return v;
}

static int unknown(const char *arg, char *err)
{
	snprintf(err, VL_ERR_SIZE, "unknown argument \"%s\"", arg);
	return -1;
}

static int missing(const char *what, char *err)
{
	snprintf(err, VL_ERR_SIZE, "missing %s", what);
	return -1;
}

static int keyword(const char *kw, const char *v, const char *const *table,
		   uint8_t *out, char *err)
{
	int val = vl_value_of(table, v);
	char choices[128] = "";
	int i;

	if (val >= 0) {
		*out = (uint8_t)val;
		return 0;
	}
	for (i = 0; table[i]; i++) {
		strncat(choices, i ? "|" : "", sizeof(choices) - strlen(choices) - 1);
		strncat(choices, table[i], sizeof(choices) - strlen(choices) - 1);
	}
	snprintf(err, VL_ERR_SIZE, "invalid %s \"%s\" (%s)", kw, v, choices);
	return -1;
}

static int id_arg(const char *what, struct argv_iter *it, uint32_t *out,
		  char *err)
{
	const char *v = next(it);

	if (!v)
		return missing(what, err);
	return vl_parse_u32(what, v, 1, UINT32_MAX, out, err);
}

static enum vl_verb parse_verb(const char *w)
{
	if (!strcmp(w, "add"))
		return VL_VERB_ADD;
	if (!strcmp(w, "change") || !strcmp(w, "set"))
		return VL_VERB_CHANGE;
	if (!strcmp(w, "del") || !strcmp(w, "delete"))
		return VL_VERB_DEL;
	if (!strcmp(w, "show") || !strcmp(w, "list"))
		return VL_VERB_SHOW;
	if (!strcmp(w, "get"))
		return VL_VERB_GET;
	return VL_VERB_NONE;
}

/* "owner N" and "generation N", shared by every add. */
static int owner_gen(const char *kw, struct argv_iter *it, uint32_t *owner,
		     uint32_t *gen, uint64_t *has, int owner_attr, int gen_attr,
		     char *err)
{
	const char *v = value(it, kw, err);

	if (!v)
		return -1;
	if (!strcmp(kw, "owner")) {
		*has |= 1ULL << owner_attr;
		return vl_parse_u32("owner", v, 0, UINT32_MAX, owner, err);
	}
	*has |= 1ULL << gen_attr;
	return vl_parse_u32("generation", v, 0, UINT32_MAX, gen, err);
}

static bool is_owner_gen(const char *kw)
{
	return !strcmp(kw, "owner") || !strcmp(kw, "generation");
}

static int parse_instance(struct vl_cmd *cmd, struct argv_iter *it, char *err)
{
	struct vl_instance *in = &cmd->u.instance;
	const char *kw, *v;

	if (cmd->verb == VL_VERB_SHOW && !more(it))
		return 0;
	if (!more(it))
		return missing("instance NAME", err);
	if (vl_parse_name(next(it), in->name, err))
		return -1;
	VL_SET(in, VPNLB_INSTANCE_A_NAME);
	if (cmd->verb == VL_VERB_DEL || cmd->verb == VL_VERB_SHOW) {
		if (more(it))
			return unknown(peek(it), err);
		return 0;
	}
	while ((kw = next(it))) {
		if (!strcmp(kw, "vrf") && cmd->verb == VL_VERB_ADD) {
			if (!(v = value(it, kw, err)) ||
			    vl_parse_ifname(v, in->vrf_name, err))
				return -1;
			VL_SET(in, VPNLB_INSTANCE_A_VRF_NAME);
		} else if (!strcmp(kw, "max-paths")) {
			if (!(v = value(it, kw, err)) ||
			    vl_parse_u32("max-paths", v, 1, VPNLB_MAX_PATHS_MAX,
					 &in->max_paths, err))
				return -1;
			VL_SET(in, VPNLB_INSTANCE_A_MAX_PATHS);
		} else if (!strcmp(kw, "max-paths-ibgp")) {
			if (!(v = value(it, kw, err)) ||
			    vl_parse_u32(kw, v, 0, VPNLB_MAX_PATHS_MAX,
					 &in->max_paths_ibgp, err))
				return -1;
			VL_SET(in, VPNLB_INSTANCE_A_MAX_PATHS_IBGP);
		} else if (!strcmp(kw, "max-paths-ebgp")) {
			if (!(v = value(it, kw, err)) ||
			    vl_parse_u32(kw, v, 0, VPNLB_MAX_PATHS_MAX,
					 &in->max_paths_ebgp, err))
				return -1;
			VL_SET(in, VPNLB_INSTANCE_A_MAX_PATHS_EBGP);
		} else if (!strcmp(kw, "mode")) {
			if (!(v = value(it, kw, err)) ||
			    keyword("mode", v, vl_lb_mode_names, &in->lb_mode,
				    err))
				return -1;
			VL_SET(in, VPNLB_INSTANCE_A_LB_MODE);
		} else if (!strcmp(kw, "hash")) {
			if (!(v = value(it, kw, err)) ||
			    keyword("hash", v, vl_hash_names, &in->hash_fields,
				    err))
				return -1;
			VL_SET(in, VPNLB_INSTANCE_A_HASH_FIELDS);
		} else if (!strcmp(kw, "ttl")) {
			if (!(v = value(it, kw, err)) ||
			    keyword("ttl", v, vl_ttl_names, &in->ttl_mode, err))
				return -1;
			VL_SET(in, VPNLB_INSTANCE_A_TTL_MODE);
		} else if (is_owner_gen(kw) && cmd->verb == VL_VERB_ADD) {
			if (owner_gen(kw, it, &in->owner, &in->generation,
				      &in->has, VPNLB_INSTANCE_A_OWNER,
				      VPNLB_INSTANCE_A_GENERATION, err))
				return -1;
		} else {
			return unknown(kw, err);
		}
	}
	if (cmd->verb == VL_VERB_ADD && !VL_HAS(in, VPNLB_INSTANCE_A_VRF_NAME))
		return missing("\"vrf VRFDEV\"", err);
	if (cmd->verb == VL_VERB_CHANGE &&
	    in->has == 1ULL << VPNLB_INSTANCE_A_NAME) {
		snprintf(err, VL_ERR_SIZE, "nothing to change");
		return -1;
	}
	return 0;
}

static int parse_tunnel(struct vl_cmd *cmd, struct argv_iter *it, char *err)
{
	struct vl_tunnel *t = &cmd->u.tunnel;
	const char *kw, *v;

	if (cmd->verb == VL_VERB_SHOW && !more(it))
		return 0;
	if (id_arg("tunnel id", it, &t->id, err))
		return -1;
	VL_SET(t, VPNLB_TUNNEL_A_ID);
	if (cmd->verb == VL_VERB_DEL || cmd->verb == VL_VERB_SHOW) {
		if (more(it))
			return unknown(peek(it), err);
		return 0;
	}
	while ((kw = next(it))) {
		if (!strcmp(kw, "pe") && cmd->verb == VL_VERB_ADD) {
			if (!(v = value(it, kw, err)) ||
			    vl_parse_ipv4("PE address", v, &t->pe, err))
				return -1;
			VL_SET(t, VPNLB_TUNNEL_A_PE);
		} else if (!strcmp(kw, "via")) {
			if (!(v = value(it, kw, err)) ||
			    vl_parse_ipv4("gateway", v, &t->gateway, err))
				return -1;
			VL_SET(t, VPNLB_TUNNEL_A_GATEWAY);
		} else if (!strcmp(kw, "dev")) {
			if (!(v = value(it, kw, err)) ||
			    vl_parse_ifname(v, t->ifname, err))
				return -1;
			VL_SET(t, VPNLB_TUNNEL_A_IFNAME);
		} else if (!strcmp(kw, "label")) {
			if (!(v = value(it, kw, err)))
				return -1;
			t->has &= ~(1ULL << VPNLB_TUNNEL_A_NO_LABELS);
			t->has &= ~(1ULL << VPNLB_TUNNEL_A_LABEL);
			if (!strcmp(v, "none")) {
				t->nlabels = 0;
				if (cmd->verb == VL_VERB_CHANGE)
					VL_SET(t, VPNLB_TUNNEL_A_NO_LABELS);
				continue;
			}
			if (vl_parse_labels(v, t->labels, &t->nlabels, err))
				return -1;
			VL_SET(t, VPNLB_TUNNEL_A_LABEL);
		} else if (is_owner_gen(kw) && cmd->verb == VL_VERB_ADD) {
			if (owner_gen(kw, it, &t->owner, &t->generation,
				      &t->has, VPNLB_TUNNEL_A_OWNER,
				      VPNLB_TUNNEL_A_GENERATION, err))
				return -1;
		} else {
			return unknown(kw, err);
		}
	}
	if (cmd->verb == VL_VERB_ADD) {
		if (!VL_HAS(t, VPNLB_TUNNEL_A_PE))
			return missing("\"pe ADDR\"", err);
		if (!VL_HAS(t, VPNLB_TUNNEL_A_GATEWAY))
			return missing("\"via GW\"", err);
		if (!VL_HAS(t, VPNLB_TUNNEL_A_IFNAME))
			return missing("\"dev IFNAME\"", err);
	} else if (t->has == 1ULL << VPNLB_TUNNEL_A_ID) {
		snprintf(err, VL_ERR_SIZE, "nothing to change");
		return -1;
	}
	return 0;
}

static int parse_nexthop(struct vl_cmd *cmd, struct argv_iter *it, char *err)
{
	struct vl_nexthop *nh = &cmd->u.nexthop;
	const char *kw, *v;

	if (cmd->verb == VL_VERB_SHOW && !more(it))
		return 0;
	if (id_arg("nexthop id", it, &nh->id, err))
		return -1;
	VL_SET(nh, VPNLB_NEXTHOP_A_ID);
	if (cmd->verb == VL_VERB_DEL || cmd->verb == VL_VERB_SHOW) {
		if (more(it))
			return unknown(peek(it), err);
		return 0;
	}
	while ((kw = next(it))) {
		if (!strcmp(kw, "tunnel")) {
			if (id_arg("tunnel id", it, &nh->tunnel_id, err))
				return -1;
			VL_SET(nh, VPNLB_NEXTHOP_A_TUNNEL_ID);
		} else if (!strcmp(kw, "label")) {
			if (!(v = value(it, kw, err)) ||
			    vl_parse_u32("label", v, 0, VPNLB_LABEL_MAX,
					 &nh->label, err))
				return -1;
			VL_SET(nh, VPNLB_NEXTHOP_A_LABEL);
		} else if (!strcmp(kw, "neighbor") || !strcmp(kw, "neighbour")) {
			if (!(v = value(it, kw, err)) ||
			    vl_parse_ipv4("neighbor", v, &nh->neighbor, err))
				return -1;
			VL_SET(nh, VPNLB_NEXTHOP_A_NEIGHBOR);
		} else if (is_owner_gen(kw) && cmd->verb == VL_VERB_ADD) {
			if (owner_gen(kw, it, &nh->owner, &nh->generation,
				      &nh->has, VPNLB_NEXTHOP_A_OWNER,
				      VPNLB_NEXTHOP_A_GENERATION, err))
				return -1;
		} else {
			return unknown(kw, err);
		}
	}
	if (cmd->verb == VL_VERB_ADD) {
		if (!VL_HAS(nh, VPNLB_NEXTHOP_A_TUNNEL_ID))
			return missing("\"tunnel TID\"", err);
		if (!VL_HAS(nh, VPNLB_NEXTHOP_A_LABEL))
			return missing("\"label L\"", err);
	} else if (nh->has == 1ULL << VPNLB_NEXTHOP_A_ID) {
		snprintf(err, VL_ERR_SIZE, "nothing to change");
		return -1;
	}
	return 0;
}

static int parse_group(struct vl_cmd *cmd, struct argv_iter *it, char *err)
{
	struct vl_group *g = &cmd->u.group;
	struct vl_member *m = NULL;
	const char *kw, *v;

	if (cmd->verb == VL_VERB_SHOW && !more(it))
		return 0;
	if (id_arg("group id", it, &g->id, err))
		return -1;
	VL_SET(g, VPNLB_GROUP_A_ID);
	if (cmd->verb == VL_VERB_DEL || cmd->verb == VL_VERB_SHOW) {
		if (more(it))
			return unknown(peek(it), err);
		return 0;
	}
	while ((kw = next(it))) {
		if (!strcmp(kw, "instance") && cmd->verb == VL_VERB_ADD) {
			if (!(v = value(it, kw, err)) ||
			    vl_parse_name(v, g->instance, err))
				return -1;
			VL_SET(g, VPNLB_GROUP_A_INSTANCE);
		} else if (!strcmp(kw, "proto")) {
			if (!(v = value(it, kw, err)) ||
			    keyword("proto", v, vl_proto_names, &g->protocol,
				    err))
				return -1;
			VL_SET(g, VPNLB_GROUP_A_PROTOCOL);
		} else if (!strcmp(kw, "member")) {
			if (g->nmembers == VPNLB_GROUP_MEMBERS_MAX) {
				snprintf(err, VL_ERR_SIZE,
					 "too many members (at most %d)",
					 VPNLB_GROUP_MEMBERS_MAX);
				return -1;
			}
			m = &g->members[g->nmembers++];
			memset(m, 0, sizeof(*m));
			if (id_arg("nexthop id", it, &m->nexthop_id, err))
				return -1;
			VL_SET(m, VPNLB_MEMBER_A_NEXTHOP_ID);
			VL_SET(g, VPNLB_GROUP_A_MEMBER);
		} else if (!strcmp(kw, "weight") && m) {
			if (!(v = value(it, kw, err)) ||
			    vl_parse_u32("weight", v, 1, VPNLB_WEIGHT_MAX,
					 &m->weight, err))
				return -1;
			VL_SET(m, VPNLB_MEMBER_A_WEIGHT);
		} else if (is_owner_gen(kw) && cmd->verb == VL_VERB_ADD) {
			if (owner_gen(kw, it, &g->owner, &g->generation,
				      &g->has, VPNLB_GROUP_A_OWNER,
				      VPNLB_GROUP_A_GENERATION, err))
				return -1;
		} else {
			return unknown(kw, err);
		}
	}
	if (cmd->verb == VL_VERB_ADD && !VL_HAS(g, VPNLB_GROUP_A_INSTANCE))
		return missing("\"instance NAME\"", err);
	if (!g->nmembers && (cmd->verb == VL_VERB_ADD ||
			     !VL_HAS(g, VPNLB_GROUP_A_PROTOCOL)))
		return missing("\"member NHID\"", err);
	return 0;
}

static int parse_route_key(struct vl_route *r, struct argv_iter *it,
			   char *err)
{
	if (!more(it))
		return missing("instance NAME", err);
	if (vl_parse_name(next(it), r->instance, err))
		return -1;
	VL_SET(r, VPNLB_ROUTE_A_INSTANCE);
	if (!more(it))
		return missing("PREFIX/LEN", err);
	if (vl_parse_prefix(next(it), &r->prefix, &r->prefixlen, err))
		return -1;
	VL_SET(r, VPNLB_ROUTE_A_PREFIX);
	VL_SET(r, VPNLB_ROUTE_A_PREFIXLEN);
	return 0;
}

static int parse_route(struct vl_cmd *cmd, struct argv_iter *it, char *err)
{
	struct vl_route *r = &cmd->u.route;
	const char *kw, *v;

	if (cmd->verb == VL_VERB_SHOW) {
		if (!more(it))
			return 0;
		if (vl_parse_name(next(it), r->instance, err))
			return -1;
		VL_SET(r, VPNLB_ROUTE_A_INSTANCE);
		if (!more(it))
			return 0;
		if (vl_parse_prefix(next(it), &r->prefix, &r->prefixlen, err))
			return -1;
		VL_SET(r, VPNLB_ROUTE_A_PREFIX);
		VL_SET(r, VPNLB_ROUTE_A_PREFIXLEN);
		if (more(it) && !strcmp(peek(it), "longer")) {
			next(it);
			cmd->longer = true;
		}
		if (more(it))
			return unknown(peek(it), err);
		return 0;
	}
	if (cmd->verb == VL_VERB_GET) {
		if (!more(it))
			return missing("instance NAME", err);
		if (vl_parse_name(next(it), r->instance, err))
			return -1;
		VL_SET(r, VPNLB_ROUTE_A_INSTANCE);
		if (!more(it))
			return missing("ADDR", err);
		if (vl_parse_ipv4("address", next(it), &r->lookup_addr, err))
			return -1;
		VL_SET(r, VPNLB_ROUTE_A_LOOKUP_ADDR);
		if (more(it))
			return unknown(peek(it), err);
		return 0;
	}
	if (parse_route_key(r, it, err))
		return -1;
	if (cmd->verb == VL_VERB_DEL) {
		if (more(it))
			return unknown(peek(it), err);
		return 0;
	}
	while ((kw = next(it))) {
		if (!strcmp(kw, "group")) {
			if (id_arg("group id", it, &r->group_id, err))
				return -1;
			VL_SET(r, VPNLB_ROUTE_A_GROUP_ID);
		} else if (!strcmp(kw, "nexthop")) {
			if (id_arg("nexthop id", it, &r->nexthop_id, err))
				return -1;
			VL_SET(r, VPNLB_ROUTE_A_NEXTHOP_ID);
		} else if (!strcmp(kw, "proto")) {
			if (!(v = value(it, kw, err)) ||
			    keyword("proto", v, vl_proto_names, &r->protocol,
				    err))
				return -1;
			VL_SET(r, VPNLB_ROUTE_A_PROTOCOL);
		} else if (!strcmp(kw, "preference")) {
			if (!(v = value(it, kw, err)) ||
			    vl_parse_u32("preference", v, 0, 255,
					 &r->preference, err))
				return -1;
			VL_SET(r, VPNLB_ROUTE_A_PREFERENCE);
		} else if (!strcmp(kw, "cost")) {
			if (!(v = value(it, kw, err)) ||
			    vl_parse_u32("cost", v, 0, UINT32_MAX, &r->cost,
					 err))
				return -1;
			VL_SET(r, VPNLB_ROUTE_A_COST);
		} else if (is_owner_gen(kw)) {
			if (owner_gen(kw, it, &r->owner, &r->generation,
				      &r->has, VPNLB_ROUTE_A_OWNER,
				      VPNLB_ROUTE_A_GENERATION, err))
				return -1;
		} else {
			return unknown(kw, err);
		}
	}
	if (VL_HAS(r, VPNLB_ROUTE_A_GROUP_ID) &&
	    VL_HAS(r, VPNLB_ROUTE_A_NEXTHOP_ID)) {
		snprintf(err, VL_ERR_SIZE,
			 "\"group\" and \"nexthop\" are exclusive");
		return -1;
	}
	if (cmd->verb == VL_VERB_ADD && !VL_HAS(r, VPNLB_ROUTE_A_GROUP_ID) &&
	    !VL_HAS(r, VPNLB_ROUTE_A_NEXTHOP_ID))
		return missing("\"group GID\" or \"nexthop NHID\"", err);
	if (cmd->verb == VL_VERB_CHANGE &&
	    !(r->has & ~((1ULL << VPNLB_ROUTE_A_INSTANCE) |
			 (1ULL << VPNLB_ROUTE_A_PREFIX) |
			 (1ULL << VPNLB_ROUTE_A_PREFIXLEN)))) {
		snprintf(err, VL_ERR_SIZE, "nothing to change");
		return -1;
	}
	return 0;
}

static int parse_flush(struct vl_cmd *cmd, struct argv_iter *it, char *err)
{
	struct vl_flush *f = &cmd->u.flush;
	const char *kw, *v;

	while ((kw = next(it))) {
		if (!strcmp(kw, "instance")) {
			if (!(v = value(it, kw, err)) ||
			    vl_parse_name(v, f->instance, err))
				return -1;
			VL_SET(f, VPNLB_FLUSH_A_INSTANCE);
		} else if (is_owner_gen(kw)) {
			if (owner_gen(kw, it, &f->owner, &f->generation,
				      &f->has, VPNLB_FLUSH_A_OWNER,
				      VPNLB_FLUSH_A_GENERATION, err))
				return -1;
		} else {
			return unknown(kw, err);
		}
	}
	return 0;
}

/* display ip routing-table vpn-instance NAME [IP [MASK]] [longer-match]
 * [verbose]
 */
static int parse_display(struct vl_cmd *cmd, struct argv_iter *it, char *err)
{
	static const char *const lead[] = { "ip", "routing-table",
					    "vpn-instance" };
	struct vl_display_args *d = &cmd->u.display;
	const char *w;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		w = next(it);
		if (!w || strcmp(w, lead[i])) {
			snprintf(err, VL_ERR_SIZE, "expected \"%s\"%s%s%s",
				 lead[i], w ? " instead of \"" : "",
				 w ? w : "", w ? "\"" : "");
			return -1;
		}
	}
	if (!more(it))
		return missing("vpn-instance NAME", err);
	if (vl_parse_name(next(it), d->instance, err))
		return -1;
	while ((w = next(it))) {
		if (!strcmp(w, "verbose") && !d->verbose) {
			d->verbose = true;
		} else if (!strcmp(w, "longer-match") && !d->longer) {
			d->longer = true;
		} else if (!d->has_ip && !d->longer && !d->verbose) {
			if (vl_parse_ipv4("address", w, &d->ip, err))
				return -1;
			d->has_ip = true;
			if (more(it) && strcmp(peek(it), "verbose") &&
			    strcmp(peek(it), "longer-match")) {
				if (vl_parse_masklen(next(it), &d->masklen, err))
					return -1;
				d->has_mask = true;
				d->ip.s_addr &= htonl(vl_prefix_mask(d->masklen));
			}
		} else {
			return unknown(w, err);
		}
	}
	if (d->longer && !d->has_mask) {
		snprintf(err, VL_ERR_SIZE,
			 "\"longer-match\" needs an address and a mask length");
		return -1;
	}
	return 0;
}

int vl_cli_parse(int argc, char **argv, struct vl_cmd *cmd, char *err)
{
	struct argv_iter it = { argc, argv, 0 };
	const char *obj;

	memset(cmd, 0, sizeof(*cmd));
	obj = next(&it);
	if (!obj) {
		snprintf(err, VL_ERR_SIZE, "missing command");
		return -1;
	}
	if (!strcmp(obj, "instance"))
		cmd->obj = VL_OBJ_INSTANCE;
	else if (!strcmp(obj, "tunnel"))
		cmd->obj = VL_OBJ_TUNNEL;
	else if (!strcmp(obj, "nexthop"))
		cmd->obj = VL_OBJ_NEXTHOP;
	else if (!strcmp(obj, "group"))
		cmd->obj = VL_OBJ_GROUP;
	else if (!strcmp(obj, "route"))
		cmd->obj = VL_OBJ_ROUTE;
	else if (!strcmp(obj, "flush"))
		cmd->obj = VL_OBJ_FLUSH;
	else if (!strcmp(obj, "monitor"))
		cmd->obj = VL_OBJ_MONITOR;
	else if (!strcmp(obj, "display"))
		cmd->obj = VL_OBJ_DISPLAY;
	else if (!strcmp(obj, "help"))
		cmd->obj = VL_OBJ_HELP;
	else {
		snprintf(err, VL_ERR_SIZE, "unknown command \"%s\"", obj);
		return -1;
	}

	switch (cmd->obj) {
	case VL_OBJ_FLUSH:
		return parse_flush(cmd, &it, err);
	case VL_OBJ_DISPLAY:
		return parse_display(cmd, &it, err);
	case VL_OBJ_MONITOR:
	case VL_OBJ_HELP:
		if (more(&it))
			return unknown(peek(&it), err);
		return 0;
	default:
		break;
	}

	/* "vpnlbctl route" alone lists, like "ip route". */
	cmd->verb = more(&it) ? parse_verb(next(&it)) : VL_VERB_SHOW;
	if (cmd->verb == VL_VERB_NONE ||
	    (cmd->verb == VL_VERB_GET && cmd->obj != VL_OBJ_ROUTE)) {
		snprintf(err, VL_ERR_SIZE, "unknown %s command \"%s\"", obj,
			 argv[1]);
		return -1;
	}
	switch (cmd->obj) {
	case VL_OBJ_INSTANCE:
		return parse_instance(cmd, &it, err);
	case VL_OBJ_TUNNEL:
		return parse_tunnel(cmd, &it, err);
	case VL_OBJ_NEXTHOP:
		return parse_nexthop(cmd, &it, err);
	case VL_OBJ_GROUP:
		return parse_group(cmd, &it, err);
	case VL_OBJ_ROUTE:
		return parse_route(cmd, &it, err);
	default:
		return -1;
	}
}
