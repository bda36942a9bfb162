// SPDX-License-Identifier: GPL-2.0-or-later
/* "display ip routing-table vpn-instance" in Huawei VRP's layout. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "display.h"
#include "names.h"
#include "show.h"

#define DASHES "------------------------------------------------------------------------------"

/* One next hop of a route, everything a line or block of output needs. */
struct hop {
	const struct vl_route *route;
	const struct vl_nexthop *nh;	/* NULL if gone meanwhile */
	const struct vl_tunnel *tun;	/* NULL if gone meanwhile */
	uint8_t state;			/* enum vpnlb_member_state */
	uint32_t weight;
	bool has_counters;
	uint64_t packets;
	uint64_t bytes;
};

static int cmp_route(const void *a, const void *b)
{
	const struct vl_route *x = a, *y = b;
	uint32_t px = ntohl(x->prefix.s_addr), py = ntohl(y->prefix.s_addr);

	if (px != py)
		return px < py ? -1 : 1;
	return (int)x->prefixlen - (int)y->prefixlen;
}

static int cmp_group(const void *a, const void *b)
{
	uint32_t x = ((const struct vl_group *)a)->id;
	uint32_t y = ((const struct vl_group *)b)->id;

	return x < y ? -1 : x > y;
}

static int cmp_nexthop(const void *a, const void *b)
{
	uint32_t x = ((const struct vl_nexthop *)a)->id;
	uint32_t y = ((const struct vl_nexthop *)b)->id;

	return x < y ? -1 : x > y;
}

static int cmp_tunnel(const void *a, const void *b)
{
	uint32_t x = ((const struct vl_tunnel *)a)->id;
	uint32_t y = ((const struct vl_tunnel *)b)->id;

	return x < y ? -1 : x > y;
}

static void sort_view(struct vl_fib_view *v)
{
	if (v->nroutes)
		qsort(v->routes, v->nroutes, sizeof(*v->routes), cmp_route);
	if (v->ngroups)
		qsort(v->groups, v->ngroups, sizeof(*v->groups), cmp_group);
	if (v->nnexthops)
		qsort(v->nexthops, v->nnexthops, sizeof(*v->nexthops),
		      cmp_nexthop);
	if (v->ntunnels)
		qsort(v->tunnels, v->ntunnels, sizeof(*v->tunnels),
		      cmp_tunnel);
}

static int cmp_group_key(const void *key, const void *elem)
{
	uint32_t x = *(const uint32_t *)key;
	uint32_t y = ((const struct vl_group *)elem)->id;

	return x < y ? -1 : x > y;
}

static const struct vl_group *find_group(const struct vl_fib_view *v,
					 uint32_t id)
{
	if (!v->ngroups)
		return NULL;
	return bsearch(&id, v->groups, v->ngroups, sizeof(*v->groups),
		       cmp_group_key);
}

static const struct vl_nexthop *find_nexthop(const struct vl_fib_view *v,
					     uint32_t id)
{
	struct vl_nexthop key = { .id = id };

	if (!v->nnexthops)
		return NULL;
	return bsearch(&key, v->nexthops, v->nnexthops, sizeof(*v->nexthops),
		       cmp_nexthop);
}

static const struct vl_tunnel *find_tunnel(const struct vl_fib_view *v,
					   uint32_t id)
{
	struct vl_tunnel key = { .id = id };

	if (!v->ntunnels)
		return NULL;
	return bsearch(&key, v->tunnels, v->ntunnels, sizeof(*v->tunnels),
		       cmp_tunnel);
}

static void fill_hop(const struct vl_fib_view *v, struct hop *h,
		     const struct vl_route *r, uint32_t nhid)
{
	h->route = r;
	h->nh = find_nexthop(v, nhid);
	h->tun = h->nh ? find_tunnel(v, h->nh->tunnel_id) : NULL;
}

enum hop_filter {
	HOPS_ACTIVE,		/* the brief */
	HOPS_DOWN,		/* the brief of a route with no active member */
	HOPS_ALL,		/* verbose */
};

static bool hop_wanted(uint8_t state, enum hop_filter filter)
{
	switch (filter) {
	case HOPS_ACTIVE:
		return state == VPNLB_MEMBER_ACTIVE;
	case HOPS_DOWN:
		return state == VPNLB_MEMBER_DOWN;
	default:
		return true;
	}
}

/*
 * The next hops of a route: a group's members in order (all of them, or
 * only the active ones), or its single nexthop, active while its tunnel is
 * up. A route whose group has no active member shows its down members,
 * not downloaded, so that the destination does not vanish from the brief.
 */
static size_t route_hops(const struct vl_fib_view *v, const struct vl_route *r,
			 enum hop_filter filter, struct hop *hops)
{
	const struct vl_group *g;
	const struct vl_member *m;
	size_t n = 0, i;

	if (VL_HAS(r, VPNLB_ROUTE_A_NEXTHOP_ID)) {
		memset(hops, 0, sizeof(*hops));
		fill_hop(v, hops, r, r->nexthop_id);
		hops->state = hops->tun && hops->tun->state == VPNLB_TUNNEL_UP ?
			      VPNLB_MEMBER_ACTIVE : VPNLB_MEMBER_DOWN;
		hops->weight = 1;
		return 1;
	}
	g = find_group(v, r->group_id);
	if (!g)
		return 0;
	for (i = 0; i < g->nmembers; i++) {
		m = &g->members[i];
		if (!hop_wanted(m->state, filter))
			continue;
		memset(&hops[n], 0, sizeof(hops[n]));
		fill_hop(v, &hops[n], r, m->nexthop_id);
		hops[n].state = m->state;
		hops[n].weight = m->weight;
		hops[n].has_counters = VL_HAS(m, VPNLB_MEMBER_A_PACKETS);
		hops[n].packets = m->packets;
		hops[n].bytes = m->bytes;
		n++;
	}
	if (n == 0 && filter == HOPS_ACTIVE)
		return route_hops(v, r, HOPS_DOWN, hops);
	return n;
}

static const char *hop_flags(const struct hop *h)
{
	return h->state == VPNLB_MEMBER_ACTIVE ? "RD" : "R";
}

static const char *hop_state(const struct hop *h)
{
	switch (h->state) {
	case VPNLB_MEMBER_ACTIVE:
		return "Active Adv";
	case VPNLB_MEMBER_BACKUP:
		return "Inactive backup";
	}
	return "Down";
}

static const char *ntoa(struct in_addr a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static const char *hop_nexthop(const struct hop *h, char *buf)
{
	if (!h->tun)
		return "-";
	return ntoa(h->tun->pe, buf);
}

static const char *hop_neighbour(const struct hop *h, char *buf)
{
	if (h->nh && VL_HAS(h->nh, VPNLB_NEXTHOP_A_NEIGHBOR))
		return ntoa(h->nh->neighbor, buf);
	return hop_nexthop(h, buf);
}

static const char *hop_interface(const struct hop *h, char *buf)
{
	if (!h->tun)
		return "-";
	if (VL_HAS(h->tun, VPNLB_TUNNEL_A_IFNAME))
		return h->tun->ifname;
	snprintf(buf, IF_NAMESIZE + 8, "if%u", h->tun->ifindex);
	return buf;
}

static void prefix_str(const struct vl_route *r, char *buf, size_t size)
{
	char a[INET_ADDRSTRLEN];

	snprintf(buf, size, "%s/%u", ntoa(r->prefix, a), r->prefixlen);
}

/* The next hops of every route, and how many there are. */
static struct hop *collect(struct vl_fib_view *v, bool all, size_t **counts,
			   size_t *total)
{
	struct hop *hops;
	size_t cap = 0, i, n = 0;

	sort_view(v);
	for (i = 0; i < v->nroutes; i++) {
		const struct vl_group *g = NULL;

		if (!VL_HAS(&v->routes[i], VPNLB_ROUTE_A_NEXTHOP_ID))
			g = find_group(v, v->routes[i].group_id);
		cap += g ? g->nmembers : 1;
	}
	hops = calloc(cap ? cap : 1, sizeof(*hops));
	*counts = calloc(v->nroutes ? v->nroutes : 1, sizeof(**counts));
	if (!hops || !*counts) {
		free(hops);
		free(*counts);
		*counts = NULL;
		*total = 0;
		return NULL;
	}
	for (i = 0; i < v->nroutes; i++) {
		(*counts)[i] = route_hops(v, &v->routes[i],
					  all ? HOPS_ALL : HOPS_ACTIVE, hops + n);
		n += (*counts)[i];
	}
	*total = n;
	return hops;
}

static void header(FILE *out, const struct vl_fib_view *v)
{
	fprintf(out, "Route Flags: R - relay, D - download to fib\n");
	fprintf(out, "%s\n", DASHES);
	fprintf(out, "Routing Table : %s\n", v->instance);
}

static void brief(FILE *out, const struct vl_fib_view *v,
		  const struct hop *hops, const size_t *counts, size_t total)
{
	char dest[INET_ADDRSTRLEN + 4], a[INET_ADDRSTRLEN];
	char ifbuf[IF_NAMESIZE + 8];
	const struct hop *h = hops;
	size_t i, j;

	fprintf(out, "         Destinations : %-8zu Routes : %zu\n\n",
		v->nroutes, total);
	fprintf(out, "Destination/Mask    Proto   Pre  Cost      Flags NextHop         Interface\n\n");
	for (i = 0; i < v->nroutes; i++) {
		const struct vl_route *r = &v->routes[i];

		prefix_str(r, dest, sizeof(dest));
		for (j = 0; j < counts[i]; j++, h++)
			fprintf(out, "%18s  %-8s%-5u%-10u  %-4s%-16s%s\n",
				j ? "" : dest, vl_proto_vrp(r->protocol),
				r->preference, r->cost, hop_flags(h),
				hop_nexthop(h, a), hop_interface(h, ifbuf));
	}
}

/* "     Protocol: IBGP            Preference: 255", VRP's two columns */
static void pair(FILE *out, const char *l, const char *lv, const char *r,
		 const char *rv)
{
	if (r)
		fprintf(out, "%13s: %-16s%10s: %s\n", l, lv, r, rv);
	else
		fprintf(out, "%13s: %s\n", l, lv);
}

static void verbose_block(FILE *out, const struct hop *h)
{
	const struct vl_route *r = h->route;
	char dest[INET_ADDRSTRLEN + 4], a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	char n1[24], n2[24], age[32], ifbuf[IF_NAMESIZE + 8];

	prefix_str(r, dest, sizeof(dest));
	fprintf(out, "Destination: %s\n", dest);
	snprintf(n1, sizeof(n1), "%u", r->preference);
	pair(out, "Protocol", vl_proto_vrp(r->protocol), "Preference", n1);
	snprintf(n1, sizeof(n1), "%u", r->cost);
	snprintf(n2, sizeof(n2), "%u", h->weight);
	pair(out, "Cost", n1, "Weight", n2);
	pair(out, "NextHop", hop_nexthop(h, a), "Neighbour",
	     hop_neighbour(h, b));
	vl_format_age(r->age, age, sizeof(age));
	pair(out, "State", hop_state(h), "Age", age);
	if (h->nh)
		snprintf(n1, sizeof(n1), "%u", h->nh->label);
	else
		snprintf(n1, sizeof(n1), "-");
	pair(out, "Label", n1, NULL, NULL);
	pair(out, "RelayNextHop", h->tun ? ntoa(h->tun->gateway, a) : "-",
	     "Interface", hop_interface(h, ifbuf));
	snprintf(n1, sizeof(n1), "0x%010x", h->tun ? h->tun->id : 0);
	pair(out, "TunnelID", n1, "Flags", hop_flags(h));
	if (h->has_counters) {
		snprintf(n1, sizeof(n1), "%" PRIu64, h->packets);
		snprintf(n2, sizeof(n2), "%" PRIu64, h->bytes);
		pair(out, "Packets", n1, "Bytes", n2);
	}
}

void vl_display_text(FILE *out, struct vl_fib_view *v, bool verbose)
{
	size_t *counts, total, i;
	struct hop *hops;

	hops = collect(v, verbose, &counts, &total);
	header(out, v);
	if (!hops) {
		fprintf(out, "(out of memory)\n");
		return;
	}
	if (!verbose) {
		brief(out, v, hops, counts, total);
	} else {
		fprintf(out, "Summary Count : %zu\n", total);
		for (i = 0; i < total; i++) {
			fputc('\n', out);
			verbose_block(out, &hops[i]);
		}
	}
	free(hops);
	free(counts);
}

static json_object *hop_json(const struct hop *h)
{
	char a[INET_ADDRSTRLEN], ifbuf[IF_NAMESIZE + 8];
	json_object *o = json_object_new_object();

	json_object_object_add(o, "nexthop",
			       json_object_new_string(hop_nexthop(h, a)));
	json_object_object_add(o, "neighbour",
			       json_object_new_string(hop_neighbour(h, a)));
	json_object_object_add(o, "state", json_object_new_string(
		vl_name_of(vl_member_state_names, h->state)));
	json_object_object_add(o, "label", h->nh ?
			       json_object_new_uint64(h->nh->label) : NULL);
	json_object_object_add(o, "relay_nexthop", h->tun ?
			       json_object_new_string(ntoa(h->tun->gateway, a)) :
			       NULL);
	json_object_object_add(o, "interface",
			       json_object_new_string(hop_interface(h, ifbuf)));
	json_object_object_add(o, "tunnel_id", h->tun ?
			       json_object_new_uint64(h->tun->id) : NULL);
	json_object_object_add(o, "weight", json_object_new_uint64(h->weight));
	json_object_object_add(o, "flags",
			       json_object_new_string(hop_flags(h)));
	if (h->has_counters) {
		json_object_object_add(o, "packets",
				       json_object_new_uint64(h->packets));
		json_object_object_add(o, "bytes",
				       json_object_new_uint64(h->bytes));
	}
	return o;
}

json_object *vl_display_json(struct vl_fib_view *v, bool verbose)
{
	json_object *o = json_object_new_object(), *entries, *e, *nhs;
	char dest[INET_ADDRSTRLEN + 4];
	size_t *counts, total, i, j;
	struct hop *hops, *h;

	hops = collect(v, verbose, &counts, &total);
	json_object_object_add(o, "table", json_object_new_string(v->instance));
	json_object_object_add(o, "destinations",
			       json_object_new_uint64(v->nroutes));
	json_object_object_add(o, "routes", json_object_new_uint64(total));
	entries = json_object_new_array();
	for (i = 0, h = hops; hops && i < v->nroutes; i++) {
		const struct vl_route *r = &v->routes[i];

		e = json_object_new_object();
		prefix_str(r, dest, sizeof(dest));
		json_object_object_add(e, "destination",
				       json_object_new_string(dest));
		json_object_object_add(e, "protocol", json_object_new_string(
			vl_name_of(vl_proto_names, r->protocol)));
		json_object_object_add(e, "preference",
				       json_object_new_uint64(r->preference));
		json_object_object_add(e, "cost",
				       json_object_new_uint64(r->cost));
		json_object_object_add(e, "age",
				       json_object_new_uint64(r->age));
		nhs = json_object_new_array();
		for (j = 0; j < counts[i]; j++, h++)
			json_object_array_add(nhs, hop_json(h));
		json_object_object_add(e, "nexthops", nhs);
		json_object_array_add(entries, e);
	}
	json_object_object_add(o, "entries", entries);
	free(hops);
	free(counts);
	return o;
}
