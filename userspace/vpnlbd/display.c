// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "bgp_aspath.h"
#include "bgp_extcomm.h"
#include "display.h"

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

struct out {
	char *p;
	size_t len, cap;
};

static void outf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void outf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (o->len + (size_t)n + 1 > o->cap) {
		size_t cap = (o->cap + (size_t)n + 1) * 2;
		char *q = realloc(o->p, cap);

		if (!q)
			return;
		o->p = q;
		o->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	o->len += (size_t)n;
}

static char *out_take(struct out *o)
{
	if (!o->p)
		return strdup("");
	return o->p;
}

static char *json_take(struct json_object *j)
{
	char *s = strdup(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY |
							JSON_C_TO_STRING_NOSLASHESCAPE));

	json_object_put(j);
	return s;
}

static const char *ip(uint32_t a, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255,
		 (a >> 8) & 255, a & 255);
	return buf;
}

static const char *origin_code(uint8_t o)
{
	return o == 0 ? "i" : o == 1 ? "e" : "?";
}

static const char *origin_word(uint8_t o)
{
	return o == 0 ? "igp" : o == 1 ? "egp" : "incomplete";
}

/* ---- display bgp peer ---- */

char *display_bgp_peer(struct agent *a, bool json)
{
	struct out o = { 0 };
	struct json_object *j, *arr;
	unsigned int total = 0, up = 0;
	time_t now = time(NULL);
	char b[16];

	for (struct bgp_peer *p = a->spk.peers; a->speaker_up && p; p = p->next) {
		total++;
		up += p->state == BGP_ESTABLISHED;
	}
	if (json) {
		j = json_object_new_object();
		arr = json_object_new_array();
		json_object_object_add(j, "router-id", json_object_new_string(ip(a->running.router_id, b)));
		json_object_object_add(j, "local-as", json_object_new_int64(a->running.as));
		json_object_object_add(j, "peers-total", json_object_new_int(total));
		json_object_object_add(j, "peers-established", json_object_new_int(up));
		for (struct bgp_peer *p = a->spk.peers; a->speaker_up && p; p = p->next) {
			struct json_object *e = json_object_new_object();
			struct rib_peer *rp = rib_peer_find(&a->rib, p->cfg.peer_addr);

			json_object_object_add(e, "peer", json_object_new_string(ip(p->cfg.peer_addr, b)));
			json_object_object_add(e, "as", json_object_new_int64(p->cfg.peer_as));
			json_object_object_add(e, "state", json_object_new_string(bgp_state_name(p->state)));
			json_object_object_add(e, "messages-received", json_object_new_int64((int64_t)p->stats.msgs_in));
			json_object_object_add(e, "messages-sent", json_object_new_int64((int64_t)p->stats.msgs_out));
			json_object_object_add(e, "prefixes-received",
					       json_object_new_int64(rp ? (int64_t)rp->n_paths : 0));
			json_object_object_add(e, "add-path-receive",
					       json_object_new_boolean(p->state == BGP_ESTABLISHED &&
								       p->opts.addpath_rx[BGP_FAM_VPNV4]));
			json_object_object_add(e, "stale", json_object_new_boolean(p->stale));
			json_object_object_add(e, "malformed-updates", json_object_new_int64((int64_t)p->stats.malformed));
			json_object_object_add(e, "seconds-in-state", json_object_new_int64(now - p->last_change));
			json_object_object_add(e, "last-error", json_object_new_string(p->last_error));
			json_object_array_add(arr, e);
		}
		json_object_object_add(j, "peers", arr);
		return json_take(j);
	}
	outf(&o, " BGP local router ID : %s\n", ip(a->running.router_id, b));
	outf(&o, " Local AS number : %u\n", a->running.as);
	outf(&o, " Total number of peers : %u\t\tPeers in established state : %u\n\n",
	     total, up);
	outf(&o, "  %-15s %1s %10s %8s %8s %5s %8s %12s %8s\n", "Peer", "V", "AS",
	     "MsgRcvd", "MsgSent", "OutQ", "Up/Down", "State", "PrefRcv");
	for (struct bgp_peer *p = a->spk.peers; a->speaker_up && p; p = p->next) {
		struct rib_peer *rp = rib_peer_find(&a->rib, p->cfg.peer_addr);
		long s = (long)(now - p->last_change);

		outf(&o, "  %-15s %1d %10u %8llu %8llu %5d %02ld:%02ld:%02ld %12s %8zu\n",
		     ip(p->cfg.peer_addr, b), 4, p->cfg.peer_as,
		     (unsigned long long)p->stats.msgs_in,
		     (unsigned long long)p->stats.msgs_out, 0, s / 3600,
		     (s / 60) % 60, s % 60, bgp_state_name(p->state),
		     rp ? rp->n_paths : 0);
	}
	return out_take(&o);
}

/* ---- display bgp vpnv4 all routing-table ---- */

struct path_ref {
	const struct rib_vpn_dest *d;
	const struct rib_path *p;
};

static int path_ref_cmp(const void *x, const void *y)
{
	const struct path_ref *a = x, *b = y;

	if (a->d->rd != b->d->rd)
		return a->d->rd < b->d->rd ? -1 : 1;
	if (a->d->addr != b->d->addr)
		return a->d->addr < b->d->addr ? -1 : 1;
	if (a->d->len != b->d->len)
		return a->d->len < b->d->len ? -1 : 1;
	if (a->p->peer->addr != b->p->peer->addr)
		return a->p->peer->addr < b->p->peer->addr ? -1 : 1;
	return a->p->path_id < b->p->path_id ? -1 : a->p->path_id > b->p->path_id;
}

struct collect {
	struct path_ref *v;
	size_t n, cap;
};

static void collect_dest(struct hnode *n, void *arg)
{
	struct rib_vpn_dest *d = container_of(n, struct rib_vpn_dest, h);
	struct collect *c = arg;

	for (struct rib_path *p = d->paths; p; p = p->next) {
		if (c->n == c->cap) {
			size_t cap = c->cap ? c->cap * 2 : 64;
			void *q = realloc(c->v, cap * sizeof(*c->v));

			if (!q)
				return;
			c->v = q;
			c->cap = cap;
		}
		c->v[c->n].d = d;
		c->v[c->n].p = p;
		c->n++;
	}
}

static void rts_text(const struct rib_attr *at, char *buf, size_t size)
{
	size_t o = 0;

	buf[0] = '\0';
	for (uint16_t i = 0; i < at->n_rt && o < size; i++) {
		char rt[32];

		bgp_rt_format(rib_attr_rts(at)[i], rt, sizeof(rt));
		o += (size_t)snprintf(buf + o, size - o, "%sRT <%s>", i ? ", " : "", rt);
	}
}

char *display_vpnv4_all(struct agent *a, bool json)
{
	struct collect c = { 0 };
	struct out o = { 0 };
	uint64_t last_rd = ~0ull;
	char b[16], nh[16], rd[BGP_RD_STR_MAX], pfx[20];

	htab_foreach(&a->rib.vpn, collect_dest, &c);
	if (c.n)
		qsort(c.v, c.n, sizeof(*c.v), path_ref_cmp);
	if (json) {
		struct json_object *j = json_object_new_object(), *arr = json_object_new_array();

		json_object_object_add(j, "router-id", json_object_new_string(ip(a->running.router_id, b)));
		json_object_object_add(j, "total", json_object_new_int64((int64_t)c.n));
		for (size_t i = 0; i < c.n; i++) {
			const struct rib_path *p = c.v[i].p;
			struct json_object *e = json_object_new_object();
			char asp[256], rts[512];

			bgp_rd_format(c.v[i].d->rd, rd, sizeof(rd));
			snprintf(pfx, sizeof(pfx), "%s/%u", ip(c.v[i].d->addr, b), c.v[i].d->len);
			aspath_format(rib_attr_aspath(p->attr), p->attr->aspath_len, asp, sizeof(asp));
			rts_text(p->attr, rts, sizeof(rts));
			json_object_object_add(e, "rd", json_object_new_string(rd));
			json_object_object_add(e, "prefix", json_object_new_string(pfx));
			json_object_object_add(e, "nexthop", json_object_new_string(ip(p->attr->nexthop, nh)));
			json_object_object_add(e, "peer", json_object_new_string(ip(p->peer->addr, b)));
			json_object_object_add(e, "label", json_object_new_int64(p->label));
			json_object_object_add(e, "med", json_object_new_int64(p->attr->med));
			json_object_object_add(e, "local-pref", json_object_new_int64(p->attr->local_pref));
			json_object_object_add(e, "as-path", json_object_new_string(asp));
			json_object_object_add(e, "origin", json_object_new_string(origin_word(p->attr->origin)));
			json_object_object_add(e, "ext-communities", json_object_new_string(rts));
			json_object_object_add(e, "path-id", json_object_new_int64(p->path_id));
			json_object_object_add(e, "stale", json_object_new_boolean(p->stale));
			json_object_array_add(arr, e);
		}
		json_object_object_add(j, "routes", arr);
		free(c.v);
		return json_take(j);
	}
	outf(&o, " BGP Local router ID is %s\n", ip(a->running.router_id, b));
	outf(&o, " Status codes: * - valid, s - stale\n");
	outf(&o, " Origin : i - IGP, e - EGP, ? - incomplete\n\n");
	outf(&o, " Total number of routes from all PE: %zu\n", c.n);
	for (size_t i = 0; i < c.n; i++) {
		const struct rib_path *p = c.v[i].p;
		char asp[256];

		if (c.v[i].d->rd != last_rd) {
			last_rd = c.v[i].d->rd;
			bgp_rd_format(last_rd, rd, sizeof(rd));
			outf(&o, " Route Distinguisher: %s\n\n", rd);
			outf(&o, "        %-18s %-15s %-10s %-9s %-7s %-10s %s\n", "Network",
			     "NextHop", "MED", "LocPrf", "PrefVal", "Label", "Path/Ogn");
		}
		snprintf(pfx, sizeof(pfx), "%s/%u", ip(c.v[i].d->addr, b), c.v[i].d->len);
		aspath_format(rib_attr_aspath(p->attr), p->attr->aspath_len, asp, sizeof(asp));
		outf(&o, " *%-5s %-18s %-15s %-10u %-9u %-7u %-10u %s%s%s\n",
		     p->stale ? "s" : "", pfx, ip(p->attr->nexthop, nh), p->attr->med,
		     p->attr->local_pref, 0, p->label, asp, asp[0] ? " " : "",
		     origin_code(p->attr->origin));
	}
	free(c.v);
	return out_take(&o);
}

/* ---- display bgp vpnv4 vpn-instance NAME routing-table [PREFIX] ---- */

static bool parse_prefix(const char *s, uint32_t *addr, int *len)
{
	char buf[32];
	char *slash;
	struct in_addr in;

	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	*len = -1;
	if (slash) {
		char *end;
		long l = strtol(slash + 1, &end, 10);

		if (*end || l < 0 || l > 32 || end == slash + 1)
			return false;
		*len = (int)l;
		*slash = '\0';
	}
	if (inet_pton(AF_INET, buf, &in) != 1)
		return false;
	*addr = ntohl(in.s_addr);
	return true;
}

static struct rib_inst_dest *lookup(struct rib_instance *ri, uint32_t addr, int len)
{
	if (len >= 0) {
		uint32_t mask = len ? ~0u << (32 - len) : 0;

		return rib_inst_dest_find(ri, addr & mask, (uint8_t)len);
	}
	for (int l = 32; l >= 0; l--) {
		uint32_t mask = l ? ~0u << (32 - l) : 0;
		struct rib_inst_dest *d = rib_inst_dest_find(ri, addr & mask, (uint8_t)l);

		if (d && d->n)
			return d;
	}
	return NULL;
}

/* Adds what the routing table says about an unusable next hop: no route,
 * or a route without an LSP. */
static void append_resolution(struct agent *a, uint32_t nexthop, char *why,
			      size_t size)
{
	struct fib_resolution res;
	size_t len = strlen(why);

	if (!a->fib.resolve)
		return;
	a->fib.resolve(a->fib.resolve_ctx, nexthop, &res);
	if (!res.ok && res.reason[0] && len < size)
		snprintf(why + len, size - len, " (%s)", res.reason);
}

static void explain_dest(struct agent *a, struct rib_instance *ri,
			 struct rib_inst_dest *d, struct out *o,
			 struct json_object *jarr)
{
	struct bp_path *c;
	struct bp_verdict *v;
	struct bp_result res;
	size_t n = rib_inst_dest_select(&a->rib, ri, d, &c, &v, &res);
	size_t *order;
	size_t n_backup = res.n_members - res.n_active;
	char b[16], b2[16], pfx[20], rd[BGP_RD_STR_MAX], why[200], asp[256], rts[512];

	snprintf(pfx, sizeof(pfx), "%s/%u", ip(d->addr, b), d->len);
	if (!c)
		return;
	order = calloc(n ? n : 1, sizeof(*order));
	for (size_t i = 0; order && i < n; i++)
		order[v[i].rank] = i;
	if (o) {
		const struct bp_policy *pol = &ri->policy;
		/* the cap that applied: "maximum load-balancing ebgp|ibgp N"
		 * when the best path's kind has its own */
		bool ebgp = res.n_members && c[res.best].ebgp;
		unsigned int kind_max = !res.n_members ? 0 :
					ebgp ? pol->max_ebgp : pol->max_ibgp;

		outf(o, " Paths:   %zu available, %zu selected, %zu backup, maximum load-balancing %s%u\n\n",
		     n, res.n_active, n_backup,
		     kind_max ? (ebgp ? "ebgp " : "ibgp ") : "",
		     kind_max ? kind_max : pol->max_paths);
		outf(o, " BGP routing table entry information of %s:\n", pfx);
	}
	for (size_t r = 0; order && r < n; r++) {
		size_t i = order[r];
		const struct rib_path *p = d->paths[i];
		const struct rib_attr *at = p->attr;
		uint16_t weight = v[i].status == BP_NOT_SELECTED ? 0 : v[i].weight;

		bgp_rd_format(p->dest->rd, rd, sizeof(rd));
		bp_explain(&c[i], &c[res.n_members ? res.best : 0], &v[i], why, sizeof(why));
		if (v[i].status == BP_NOT_SELECTED && v[i].reason == BP_R_UNRESOLVED)
			append_resolution(a, at->nexthop, why, sizeof(why));
		aspath_format(rib_attr_aspath(at), at->aspath_len, asp, sizeof(asp));
		rts_text(at, rts, sizeof(rts));
		if (o) {
			outf(o, "\n Route Distinguisher: %s\n", rd);
			outf(o, " From: %s (%s)\n", ip(p->peer->addr, b), ip(p->peer->router_id, b2));
			outf(o, " Original nexthop: %s, IGP cost %u\n", ip(at->nexthop, b), c[i].igp_cost);
			outf(o, " Label: %u\n", p->label);
			if (rts[0])
				outf(o, " Ext-Community: %s\n", rts);
			if (at->has_bandwidth)
				outf(o, " Link-Bandwidth: %llu bytes/s\n",
				     (unsigned long long)at->bandwidth);
			outf(o, " AS-path %s, origin %s, MED %u, localpref %u, pref-val 0, %s%s%s\n",
			     asp[0] ? asp : "Nil", origin_word(at->origin), at->med,
			     at->local_pref, p->peer->ebgp ? "external" : "internal",
			     p->stale ? ", stale" : "",
			     p->path_id ? "" : "");
			if (weight)
				outf(o, " Weight: %u\n", weight);
			outf(o, " Status: %s\n", why);
		}
		if (jarr) {
			struct json_object *e = json_object_new_object();

			json_object_object_add(e, "rd", json_object_new_string(rd));
			json_object_object_add(e, "peer", json_object_new_string(ip(p->peer->addr, b)));
			json_object_object_add(e, "nexthop", json_object_new_string(ip(at->nexthop, b)));
			json_object_object_add(e, "label", json_object_new_int64(p->label));
			json_object_object_add(e, "path-id", json_object_new_int64(p->path_id));
			json_object_object_add(e, "as-path", json_object_new_string(asp));
			json_object_object_add(e, "local-pref", json_object_new_int64(at->local_pref));
			json_object_object_add(e, "med", json_object_new_int64(at->med));
			json_object_object_add(e, "origin", json_object_new_string(origin_word(at->origin)));
			json_object_object_add(e, "status", json_object_new_string(bp_status_name(v[i].status)));
			json_object_object_add(e, "reason", json_object_new_string(bp_reason_name(v[i].reason)));
			json_object_object_add(e, "explanation", json_object_new_string(why));
			json_object_object_add(e, "weight", json_object_new_int(weight));
			json_object_object_add(e, "stale", json_object_new_boolean(p->stale));
			json_object_array_add(jarr, e);
		}
	}
	free(order);
	free(c);
	free(v);
	free(res.members);
}

struct dest_list {
	struct rib_inst_dest **v;
	size_t n, cap;
};

static void collect_inst_dest(struct hnode *n, void *arg)
{
	struct dest_list *l = arg;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		void *q = realloc(l->v, cap * sizeof(*l->v));

		if (!q)
			return;
		l->v = q;
		l->cap = cap;
	}
	l->v[l->n++] = container_of(n, struct rib_inst_dest, h);
}

static int inst_dest_cmp(const void *x, const void *y)
{
	const struct rib_inst_dest *a = *(struct rib_inst_dest *const *)x;
	const struct rib_inst_dest *b = *(struct rib_inst_dest *const *)y;

	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return a->len < b->len ? -1 : a->len > b->len;
}

char *display_vpnv4_instance(struct agent *a, const char *name,
			     const char *prefix, bool json, char *err,
			     size_t err_size)
{
	struct rib_instance *ri = rib_instance_find(&a->rib, name);
	struct rib_inst_dest *d = NULL;
	struct out o = { 0 };
	struct json_object *j = NULL, *arr = NULL;
	uint32_t addr = 0;
	int len = -1;
	char b[16];

	if (!ri) {
		snprintf(err, err_size, "vpn-instance %s does not exist or has no ipv4-family under bgp",
			 name);
		return NULL;
	}
	if (prefix && !parse_prefix(prefix, &addr, &len)) {
		snprintf(err, err_size, "bad prefix %s", prefix);
		return NULL;
	}
	if (json) {
		j = json_object_new_object();
		json_object_object_add(j, "vpn-instance", json_object_new_string(name));
		json_object_object_add(j, "maximum-load-balancing",
				       json_object_new_int(ri->policy.max_paths));
	} else {
		outf(&o, " BGP local router ID : %s\n", ip(a->running.router_id, b));
		outf(&o, " Local AS number : %u\n", a->running.as);
		outf(&o, " VPN-Instance %s, Router ID %s:\n", name, b);
	}
	if (prefix) {
		d = lookup(ri, addr, len);
		if (!d || !d->n) {
			if (json) {
				json_object_object_add(j, "paths", json_object_new_array());
				return json_take(j);
			}
			outf(&o, " Info: the network does not exist.\n");
			return out_take(&o);
		}
		if (json) {
			char pfx[20];

			snprintf(pfx, sizeof(pfx), "%s/%u", ip(d->addr, b), d->len);
			json_object_object_add(j, "prefix", json_object_new_string(pfx));
			arr = json_object_new_array();
			explain_dest(a, ri, d, NULL, arr);
			json_object_object_add(j, "paths", arr);
			return json_take(j);
		}
		explain_dest(a, ri, d, &o, NULL);
		return out_take(&o);
	}
	{
		struct dest_list l = { 0 };

		htab_foreach(&ri->dests, collect_inst_dest, &l);
		if (l.n)
			qsort(l.v, l.n, sizeof(*l.v), inst_dest_cmp);
		if (json)
			arr = json_object_new_array();
		else
			outf(&o, "\n Total Number of Routes: %zu\n\n        %-18s %-15s %-10s %s\n",
			     l.n, "Network", "NextHop", "Label", "Status");
		for (size_t i = 0; i < l.n; i++) {
			struct bp_path *c;
			struct bp_verdict *v;
			struct bp_result res;
			size_t n = rib_inst_dest_select(&a->rib, ri, l.v[i], &c, &v, &res);
			char pfx[20], nh[16];

			snprintf(pfx, sizeof(pfx), "%s/%u", ip(l.v[i]->addr, b), l.v[i]->len);
			for (size_t k = 0; c && k < res.n_members; k++) {
				size_t m = res.members[k];

				if (json) {
					struct json_object *e = json_object_new_object();

					json_object_object_add(e, "prefix", json_object_new_string(pfx));
					json_object_object_add(e, "nexthop", json_object_new_string(ip(c[m].nexthop, nh)));
					json_object_object_add(e, "label", json_object_new_int64(l.v[i]->paths[m]->label));
					json_object_object_add(e, "status", json_object_new_string(bp_status_name(v[m].status)));
					json_object_array_add(arr, e);
				} else {
					outf(&o, " *%-5s %-18s %-15s %-10u %s\n",
					     v[m].status == BP_BEST ? ">" : "", k ? "" : pfx,
					     ip(c[m].nexthop, nh), l.v[i]->paths[m]->label,
					     bp_status_name(v[m].status));
				}
			}
			(void)n;
			free(c);
			free(v);
			free(res.members);
		}
		free(l.v);
	}
	if (json) {
		json_object_object_add(j, "routes", arr);
		return json_take(j);
	}
	return out_take(&o);
}
