// SPDX-License-Identifier: GPL-2.0-or-later
/* "show" output of each object, as text and as JSON. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>

#include "names.h"
#include "show.h"

void vl_format_age(uint64_t s, char *buf, size_t size)
{
	uint64_t days = s / 86400;

	if (days == 0)
		snprintf(buf, size, "%02uh%02um%02us", (unsigned int)(s / 3600),
			 (unsigned int)(s / 60 % 60), (unsigned int)(s % 60));
	else if (days < 7)
		snprintf(buf, size, "%ud%02uh", (unsigned int)days,
			 (unsigned int)(s / 3600 % 24));
	else
		snprintf(buf, size, "%" PRIu64 "w%ud", days / 7,
			 (unsigned int)(days % 7));
}

static const char *ntoa(struct in_addr a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static void sep(FILE *out, bool *first)
{
	if (!*first)
		fputc(' ', out);
	*first = false;
}

void vl_show_instance(FILE *out, const struct vl_instance *in, bool stats)
{
	const struct vl_istats *st = &in->stats;
	bool first = true;

	if (VL_HAS(in, VPNLB_INSTANCE_A_NAME)) {
		sep(out, &first);
		fputs(in->name, out);
	}
	if (VL_HAS(in, VPNLB_INSTANCE_A_VRF_NAME)) {
		sep(out, &first);
		fprintf(out, "vrf %s", in->vrf_name);
	} else if (VL_HAS(in, VPNLB_INSTANCE_A_VRF_IFINDEX)) {
		sep(out, &first);
		fprintf(out, "vrf-ifindex %u", in->vrf_ifindex);
	}
	if (VL_HAS(in, VPNLB_INSTANCE_A_TABLE)) {
		sep(out, &first);
		fprintf(out, "table %u", in->table);
	}
	if (VL_HAS(in, VPNLB_INSTANCE_A_MAX_PATHS)) {
		sep(out, &first);
		fprintf(out, "max-paths %u", in->max_paths);
	}
	if (in->max_paths_ibgp) {
		sep(out, &first);
		fprintf(out, "max-paths-ibgp %u", in->max_paths_ibgp);
	}
	if (in->max_paths_ebgp) {
		sep(out, &first);
		fprintf(out, "max-paths-ebgp %u", in->max_paths_ebgp);
	}
	if (VL_HAS(in, VPNLB_INSTANCE_A_LB_MODE)) {
		sep(out, &first);
		fprintf(out, "mode %s",
			vl_name_of(vl_lb_mode_names, in->lb_mode));
	}
	if (VL_HAS(in, VPNLB_INSTANCE_A_HASH_FIELDS)) {
		sep(out, &first);
		fprintf(out, "hash %s",
			vl_name_of(vl_hash_names, in->hash_fields));
	}
	if (VL_HAS(in, VPNLB_INSTANCE_A_TTL_MODE)) {
		sep(out, &first);
		fprintf(out, "ttl %s", vl_name_of(vl_ttl_names, in->ttl_mode));
	}
	if (VL_HAS(in, VPNLB_INSTANCE_A_ROUTES)) {
		sep(out, &first);
		fprintf(out, "routes %u", in->routes);
	}
	if (VL_HAS(in, VPNLB_INSTANCE_A_OWNER)) {
		sep(out, &first);
		fprintf(out, "owner %u", in->owner);
	}
	if (VL_HAS(in, VPNLB_INSTANCE_A_GENERATION)) {
		sep(out, &first);
		fprintf(out, "generation %u", in->generation);
	}
	fputc('\n', out);
	if (stats && st->present) {
		fprintf(out, "    hits %" PRIu64 " misses %" PRIu64 "\n",
			st->hits, st->misses);
		fprintf(out, "    drop ttl %" PRIu64 " mtu %" PRIu64
			" no-neigh %" PRIu64 " tunnel-down %" PRIu64
			" no-member %" PRIu64 " nomem %" PRIu64 "\n",
			st->drop_ttl, st->drop_mtu, st->drop_no_neigh,
			st->drop_tunnel_down, st->drop_no_member,
			st->drop_nomem);
	}
}

static void format_labels(const struct vl_tunnel *t, char *buf, size_t size)
{
	size_t len = 0;
	unsigned int i;

	if (!t->nlabels) {
		snprintf(buf, size, "none");
		return;
	}
	buf[0] = '\0';
	for (i = 0; i < t->nlabels && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%u",
					i ? "/" : "", t->labels[i]);
}

void vl_show_tunnel(FILE *out, const struct vl_tunnel *t)
{
	char a[INET_ADDRSTRLEN], labels[64];
	bool first = true;

	if (VL_HAS(t, VPNLB_TUNNEL_A_ID)) {
		sep(out, &first);
		fprintf(out, "%u", t->id);
	}
	if (VL_HAS(t, VPNLB_TUNNEL_A_PE)) {
		sep(out, &first);
		fprintf(out, "pe %s", ntoa(t->pe, a));
	}
	if (VL_HAS(t, VPNLB_TUNNEL_A_GATEWAY)) {
		sep(out, &first);
		fprintf(out, "via %s", ntoa(t->gateway, a));
	}
	if (VL_HAS(t, VPNLB_TUNNEL_A_IFNAME)) {
		sep(out, &first);
		fprintf(out, "dev %s", t->ifname);
	} else if (VL_HAS(t, VPNLB_TUNNEL_A_IFINDEX)) {
		sep(out, &first);
		fprintf(out, "dev if%u", t->ifindex);
	}
	/* an object in full (not a delete notice) always has a label stack */
	if (VL_HAS(t, VPNLB_TUNNEL_A_LABEL) || VL_HAS(t, VPNLB_TUNNEL_A_PE)) {
		format_labels(t, labels, sizeof(labels));
		sep(out, &first);
		fprintf(out, "label %s", labels);
	}
	if (VL_HAS(t, VPNLB_TUNNEL_A_STATE)) {
		sep(out, &first);
		fprintf(out, "state %s",
			vl_name_of(vl_tunnel_state_names, t->state));
	}
	if (VL_HAS(t, VPNLB_TUNNEL_A_USERS)) {
		sep(out, &first);
		fprintf(out, "users %u", t->users);
	}
	if (VL_HAS(t, VPNLB_TUNNEL_A_OWNER)) {
		sep(out, &first);
		fprintf(out, "owner %u", t->owner);
	}
	if (VL_HAS(t, VPNLB_TUNNEL_A_GENERATION)) {
		sep(out, &first);
		fprintf(out, "generation %u", t->generation);
	}
	fputc('\n', out);
}

void vl_show_nexthop(FILE *out, const struct vl_nexthop *nh)
{
	char a[INET_ADDRSTRLEN];
	bool first = true;

	if (VL_HAS(nh, VPNLB_NEXTHOP_A_ID)) {
		sep(out, &first);
		fprintf(out, "%u", nh->id);
	}
	if (VL_HAS(nh, VPNLB_NEXTHOP_A_TUNNEL_ID)) {
		sep(out, &first);
		fprintf(out, "tunnel %u", nh->tunnel_id);
	}
	if (VL_HAS(nh, VPNLB_NEXTHOP_A_LABEL)) {
		sep(out, &first);
		fprintf(out, "label %u", nh->label);
	}
	if (VL_HAS(nh, VPNLB_NEXTHOP_A_NEIGHBOR)) {
		sep(out, &first);
		fprintf(out, "neighbor %s", ntoa(nh->neighbor, a));
	}
	if (VL_HAS(nh, VPNLB_NEXTHOP_A_USERS)) {
		sep(out, &first);
		fprintf(out, "users %u", nh->users);
	}
	if (VL_HAS(nh, VPNLB_NEXTHOP_A_OWNER)) {
		sep(out, &first);
		fprintf(out, "owner %u", nh->owner);
	}
	if (VL_HAS(nh, VPNLB_NEXTHOP_A_GENERATION)) {
		sep(out, &first);
		fprintf(out, "generation %u", nh->generation);
	}
	fputc('\n', out);
}

void vl_show_group(FILE *out, const struct vl_group *g, bool stats,
		   bool one_line)
{
	const struct vl_member *m;
	bool first = true;
	unsigned int i;

	if (VL_HAS(g, VPNLB_GROUP_A_ID)) {
		sep(out, &first);
		fprintf(out, "%u", g->id);
	}
	if (VL_HAS(g, VPNLB_GROUP_A_INSTANCE)) {
		sep(out, &first);
		fprintf(out, "instance %s", g->instance);
	}
	if (g->protocol != VPNLB_PROTO_STATIC) {
		sep(out, &first);
		fprintf(out, "proto %s", vl_name_of(vl_proto_names, g->protocol));
	}
	if (VL_HAS(g, VPNLB_GROUP_A_USERS)) {
		sep(out, &first);
		fprintf(out, "users %u", g->users);
	}
	if (VL_HAS(g, VPNLB_GROUP_A_OWNER)) {
		sep(out, &first);
		fprintf(out, "owner %u", g->owner);
	}
	if (VL_HAS(g, VPNLB_GROUP_A_GENERATION)) {
		sep(out, &first);
		fprintf(out, "generation %u", g->generation);
	}
	if (!one_line)
		fputc('\n', out);
	for (i = 0; i < g->nmembers; i++) {
		m = &g->members[i];
		fprintf(out, "%smember %u", one_line ? " " : "    ",
			m->nexthop_id);
		if (VL_HAS(m, VPNLB_MEMBER_A_WEIGHT))
			fprintf(out, " weight %u", m->weight);
		if (VL_HAS(m, VPNLB_MEMBER_A_STATE))
			fprintf(out, " %s",
				vl_name_of(vl_member_state_names, m->state));
		if (stats && VL_HAS(m, VPNLB_MEMBER_A_PACKETS))
			fprintf(out, " packets %" PRIu64, m->packets);
		if (stats && VL_HAS(m, VPNLB_MEMBER_A_BYTES))
			fprintf(out, " bytes %" PRIu64, m->bytes);
		if (!one_line)
			fputc('\n', out);
	}
	if (one_line)
		fputc('\n', out);
}

void vl_show_route(FILE *out, const struct vl_route *r)
{
	char a[INET_ADDRSTRLEN], age[32];
	bool first = true;

	if (VL_HAS(r, VPNLB_ROUTE_A_INSTANCE)) {
		sep(out, &first);
		fputs(r->instance, out);
	}
	if (VL_HAS(r, VPNLB_ROUTE_A_PREFIX)) {
		sep(out, &first);
		fprintf(out, "%s/%u", ntoa(r->prefix, a), r->prefixlen);
	}
	if (VL_HAS(r, VPNLB_ROUTE_A_GROUP_ID)) {
		sep(out, &first);
		fprintf(out, "group %u", r->group_id);
	}
	if (VL_HAS(r, VPNLB_ROUTE_A_NEXTHOP_ID)) {
		sep(out, &first);
		fprintf(out, "nexthop %u", r->nexthop_id);
	}
	if (VL_HAS(r, VPNLB_ROUTE_A_PROTOCOL)) {
		sep(out, &first);
		fprintf(out, "proto %s",
			vl_name_of(vl_proto_names, r->protocol));
	}
	if (VL_HAS(r, VPNLB_ROUTE_A_PREFERENCE)) {
		sep(out, &first);
		fprintf(out, "preference %u", r->preference);
	}
	if (VL_HAS(r, VPNLB_ROUTE_A_COST)) {
		sep(out, &first);
		fprintf(out, "cost %u", r->cost);
	}
	if (VL_HAS(r, VPNLB_ROUTE_A_OWNER)) {
		sep(out, &first);
		fprintf(out, "owner %u", r->owner);
	}
	if (VL_HAS(r, VPNLB_ROUTE_A_GENERATION)) {
		sep(out, &first);
		fprintf(out, "generation %u", r->generation);
	}
	if (VL_HAS(r, VPNLB_ROUTE_A_AGE)) {
		vl_format_age(r->age, age, sizeof(age));
		sep(out, &first);
		fprintf(out, "age %s", age);
	}
	fputc('\n', out);
}

void vl_show_flush(FILE *out, const struct vl_flush *f)
{
	fprintf(out, "deleted %u\n", f->deleted);
}

/* JSON */

static void jadd(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
}

static json_object *jaddr(struct in_addr a)
{
	char buf[INET_ADDRSTRLEN];

	return json_object_new_string(ntoa(a, buf));
}

static json_object *ju64(uint64_t v)
{
	return json_object_new_uint64(v);
}

json_object *vl_json_instance(const struct vl_instance *in, bool stats)
{
	json_object *o = json_object_new_object(), *s;
	const struct vl_istats *st = &in->stats;

	if (VL_HAS(in, VPNLB_INSTANCE_A_NAME))
		jadd(o, "name", json_object_new_string(in->name));
	if (VL_HAS(in, VPNLB_INSTANCE_A_VRF_NAME))
		jadd(o, "vrf", json_object_new_string(in->vrf_name));
	if (VL_HAS(in, VPNLB_INSTANCE_A_VRF_IFINDEX))
		jadd(o, "vrf_ifindex", ju64(in->vrf_ifindex));
	if (VL_HAS(in, VPNLB_INSTANCE_A_TABLE))
		jadd(o, "table", ju64(in->table));
	if (VL_HAS(in, VPNLB_INSTANCE_A_MAX_PATHS))
		jadd(o, "max_paths", ju64(in->max_paths));
	if (VL_HAS(in, VPNLB_INSTANCE_A_MAX_PATHS_IBGP))
		jadd(o, "max_paths_ibgp", ju64(in->max_paths_ibgp));
	if (VL_HAS(in, VPNLB_INSTANCE_A_MAX_PATHS_EBGP))
		jadd(o, "max_paths_ebgp", ju64(in->max_paths_ebgp));
	if (VL_HAS(in, VPNLB_INSTANCE_A_LB_MODE))
		jadd(o, "mode", json_object_new_string(
			vl_name_of(vl_lb_mode_names, in->lb_mode)));
	if (VL_HAS(in, VPNLB_INSTANCE_A_HASH_FIELDS))
		jadd(o, "hash", json_object_new_string(
			vl_name_of(vl_hash_names, in->hash_fields)));
	if (VL_HAS(in, VPNLB_INSTANCE_A_TTL_MODE))
		jadd(o, "ttl", json_object_new_string(
			vl_name_of(vl_ttl_names, in->ttl_mode)));
	if (VL_HAS(in, VPNLB_INSTANCE_A_ROUTES))
		jadd(o, "routes", ju64(in->routes));
	if (VL_HAS(in, VPNLB_INSTANCE_A_OWNER))
		jadd(o, "owner", ju64(in->owner));
	if (VL_HAS(in, VPNLB_INSTANCE_A_GENERATION))
		jadd(o, "generation", ju64(in->generation));
	if (stats && st->present) {
		s = json_object_new_object();
		jadd(s, "hits", ju64(st->hits));
		jadd(s, "misses", ju64(st->misses));
		jadd(s, "drop_ttl", ju64(st->drop_ttl));
		jadd(s, "drop_mtu", ju64(st->drop_mtu));
		jadd(s, "drop_no_neigh", ju64(st->drop_no_neigh));
		jadd(s, "drop_tunnel_down", ju64(st->drop_tunnel_down));
		jadd(s, "drop_no_member", ju64(st->drop_no_member));
		jadd(s, "drop_nomem", ju64(st->drop_nomem));
		jadd(o, "stats", s);
	}
	return o;
}

json_object *vl_json_tunnel(const struct vl_tunnel *t)
{
	json_object *o = json_object_new_object(), *l;
	unsigned int i;

	if (VL_HAS(t, VPNLB_TUNNEL_A_ID))
		jadd(o, "id", ju64(t->id));
	if (VL_HAS(t, VPNLB_TUNNEL_A_PE))
		jadd(o, "pe", jaddr(t->pe));
	if (VL_HAS(t, VPNLB_TUNNEL_A_GATEWAY))
		jadd(o, "via", jaddr(t->gateway));
	if (VL_HAS(t, VPNLB_TUNNEL_A_IFNAME))
		jadd(o, "dev", json_object_new_string(t->ifname));
	if (VL_HAS(t, VPNLB_TUNNEL_A_IFINDEX))
		jadd(o, "ifindex", ju64(t->ifindex));
	if (VL_HAS(t, VPNLB_TUNNEL_A_LABEL) || VL_HAS(t, VPNLB_TUNNEL_A_PE)) {
		l = json_object_new_array();
		for (i = 0; i < t->nlabels; i++)
			json_object_array_add(l, ju64(t->labels[i]));
		jadd(o, "labels", l);
	}
	if (VL_HAS(t, VPNLB_TUNNEL_A_STATE))
		jadd(o, "state", json_object_new_string(
			vl_name_of(vl_tunnel_state_names, t->state)));
	if (VL_HAS(t, VPNLB_TUNNEL_A_USERS))
		jadd(o, "users", ju64(t->users));
	if (VL_HAS(t, VPNLB_TUNNEL_A_OWNER))
		jadd(o, "owner", ju64(t->owner));
	if (VL_HAS(t, VPNLB_TUNNEL_A_GENERATION))
		jadd(o, "generation", ju64(t->generation));
	return o;
}

json_object *vl_json_nexthop(const struct vl_nexthop *nh)
{
	json_object *o = json_object_new_object();

	if (VL_HAS(nh, VPNLB_NEXTHOP_A_ID))
		jadd(o, "id", ju64(nh->id));
	if (VL_HAS(nh, VPNLB_NEXTHOP_A_TUNNEL_ID))
		jadd(o, "tunnel", ju64(nh->tunnel_id));
	if (VL_HAS(nh, VPNLB_NEXTHOP_A_LABEL))
		jadd(o, "label", ju64(nh->label));
	if (VL_HAS(nh, VPNLB_NEXTHOP_A_NEIGHBOR))
		jadd(o, "neighbor", jaddr(nh->neighbor));
	if (VL_HAS(nh, VPNLB_NEXTHOP_A_USERS))
		jadd(o, "users", ju64(nh->users));
	if (VL_HAS(nh, VPNLB_NEXTHOP_A_OWNER))
		jadd(o, "owner", ju64(nh->owner));
	if (VL_HAS(nh, VPNLB_NEXTHOP_A_GENERATION))
		jadd(o, "generation", ju64(nh->generation));
	return o;
}

json_object *vl_json_group(const struct vl_group *g, bool stats)
{
	json_object *o = json_object_new_object(), *ms, *mo;
	const struct vl_member *m;
	unsigned int i;

	if (VL_HAS(g, VPNLB_GROUP_A_ID))
		jadd(o, "id", ju64(g->id));
	if (VL_HAS(g, VPNLB_GROUP_A_INSTANCE))
		jadd(o, "instance", json_object_new_string(g->instance));
	if (VL_HAS(g, VPNLB_GROUP_A_PROTOCOL))
		jadd(o, "proto", json_object_new_string(
			vl_name_of(vl_proto_names, g->protocol)));
	if (VL_HAS(g, VPNLB_GROUP_A_USERS))
		jadd(o, "users", ju64(g->users));
	if (VL_HAS(g, VPNLB_GROUP_A_OWNER))
		jadd(o, "owner", ju64(g->owner));
	if (VL_HAS(g, VPNLB_GROUP_A_GENERATION))
		jadd(o, "generation", ju64(g->generation));
	if (g->nmembers || VL_HAS(g, VPNLB_GROUP_A_MEMBER)) {
		ms = json_object_new_array();
		for (i = 0; i < g->nmembers; i++) {
			m = &g->members[i];
			mo = json_object_new_object();
			jadd(mo, "nexthop", ju64(m->nexthop_id));
			if (VL_HAS(m, VPNLB_MEMBER_A_WEIGHT))
				jadd(mo, "weight", ju64(m->weight));
			if (VL_HAS(m, VPNLB_MEMBER_A_STATE))
				jadd(mo, "state", json_object_new_string(
					vl_name_of(vl_member_state_names,
						   m->state)));
			if (stats && VL_HAS(m, VPNLB_MEMBER_A_PACKETS))
				jadd(mo, "packets", ju64(m->packets));
			if (stats && VL_HAS(m, VPNLB_MEMBER_A_BYTES))
				jadd(mo, "bytes", ju64(m->bytes));
			json_object_array_add(ms, mo);
		}
		jadd(o, "members", ms);
	}
	return o;
}

json_object *vl_json_route(const struct vl_route *r)
{
	json_object *o = json_object_new_object();
	char a[INET_ADDRSTRLEN], p[INET_ADDRSTRLEN + 4];

	if (VL_HAS(r, VPNLB_ROUTE_A_INSTANCE))
		jadd(o, "instance", json_object_new_string(r->instance));
	if (VL_HAS(r, VPNLB_ROUTE_A_PREFIX)) {
		snprintf(p, sizeof(p), "%s/%u", ntoa(r->prefix, a),
			 r->prefixlen);
		jadd(o, "prefix", json_object_new_string(p));
	}
	if (VL_HAS(r, VPNLB_ROUTE_A_GROUP_ID))
		jadd(o, "group", ju64(r->group_id));
	if (VL_HAS(r, VPNLB_ROUTE_A_NEXTHOP_ID))
		jadd(o, "nexthop", ju64(r->nexthop_id));
	if (VL_HAS(r, VPNLB_ROUTE_A_PROTOCOL))
		jadd(o, "proto", json_object_new_string(
			vl_name_of(vl_proto_names, r->protocol)));
	if (VL_HAS(r, VPNLB_ROUTE_A_PREFERENCE))
		jadd(o, "preference", ju64(r->preference));
	if (VL_HAS(r, VPNLB_ROUTE_A_COST))
		jadd(o, "cost", ju64(r->cost));
	if (VL_HAS(r, VPNLB_ROUTE_A_OWNER))
		jadd(o, "owner", ju64(r->owner));
	if (VL_HAS(r, VPNLB_ROUTE_A_GENERATION))
		jadd(o, "generation", ju64(r->generation));
	if (VL_HAS(r, VPNLB_ROUTE_A_AGE))
		jadd(o, "age", ju64(r->age));
	return o;
}

json_object *vl_json_flush(const struct vl_flush *f)
{
	json_object *o = json_object_new_object();

	jadd(o, "deleted", ju64(f->deleted));
	return o;
}

void vl_json_print(FILE *out, json_object *obj)
{
	fprintf(out, "%s\n", json_object_to_json_string_ext(obj,
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
}
