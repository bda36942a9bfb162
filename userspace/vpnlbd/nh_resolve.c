// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/event.h>
#include <linux/rtnetlink.h>
#include <netlink/cache.h>
#include <netlink/netlink.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>

#include "log.h"
#include "nh_resolve.h"

static void change_cb(struct nl_cache *cache, struct nl_object *obj, int action,
		      void *arg)
{
	struct nh_resolver *r = arg;

	(void)cache;
	(void)obj;
	(void)action;
	r->pending = true;
	r->epoch++;
}

static void debounce_cb(evutil_socket_t fd, short what, void *arg)
{
	struct nh_resolver *r = arg;

	(void)fd;
	(void)what;
	if (r->pending && r->changed) {
		r->pending = false;
		r->changed(r->ctx);
	}
}

static void mngr_cb(evutil_socket_t fd, short what, void *arg)
{
	struct nh_resolver *r = arg;
	struct timeval tv = { 0, 50000 };

	(void)fd;
	(void)what;
	nl_cache_mngr_data_ready(r->mngr);
	if (r->pending)
		event_add(r->debounce, &tv);
}

int nh_resolver_open(struct nh_resolver *r, struct event_base *base,
		     void (*changed)(void *ctx), void *ctx)
{
	int err;

	memset(r, 0, sizeof(*r));
	r->changed = changed;
	r->ctx = ctx;
	r->epoch = 1;		/* zeroed entries never match */
	err = nl_cache_mngr_alloc(NULL, NETLINK_ROUTE, NL_AUTO_PROVIDE, &r->mngr);
	if (err < 0)
		return -EIO;
	err = nl_cache_mngr_add(r->mngr, "route/route", change_cb, r, &r->routes);
	if (err < 0) {
		nl_cache_mngr_free(r->mngr);
		r->mngr = NULL;
		return -EIO;
	}
	if (base) {
		r->ev = event_new(base, nl_cache_mngr_get_fd(r->mngr),
				  EV_READ | EV_PERSIST, mngr_cb, r);
		r->debounce = evtimer_new(base, debounce_cb, r);
		if (!r->ev || !r->debounce) {
			nh_resolver_close(r);
			return -ENOMEM;
		}
		event_add(r->ev, NULL);
	}
	return 0;
}

void nh_resolver_close(struct nh_resolver *r)
{
	if (r->ev)
		event_free(r->ev);
	if (r->debounce)
		event_free(r->debounce);
	if (r->mngr)
		nl_cache_mngr_free(r->mngr);
	memset(r, 0, sizeof(*r));
}

bool nh_resolver_poll(struct nh_resolver *r, int timeout_ms)
{
	bool changed;

	while (nl_cache_mngr_poll(r->mngr, timeout_ms) > 0)
		timeout_ms = 0;
	changed = r->pending;
	r->pending = false;
	return changed;
}

static bool addr4(struct nl_addr *a, uint32_t *out)
{
	uint32_t be;

	if (!a || nl_addr_get_family(a) != AF_INET || nl_addr_get_len(a) != 4)
		return false;
	memcpy(&be, nl_addr_get_binary_addr(a), 4);
	*out = ntohl(be);
	return true;
}

struct lookup {
	uint32_t pe;
	struct rtnl_route *best;
	int best_len;
	uint32_t best_prio;
};

static void match_route(struct nl_object *obj, void *arg)
{
	struct rtnl_route *rt = (struct rtnl_route *)obj;
	struct lookup *lk = arg;
	struct nl_addr *dst = rtnl_route_get_dst(rt);
	uint32_t net = 0, mask;
	int len;

	if (rtnl_route_get_family(rt) != AF_INET ||
	    rtnl_route_get_table(rt) != RT_TABLE_MAIN ||
	    rtnl_route_get_type(rt) != RTN_UNICAST || !dst)
		return;
	len = (int)nl_addr_get_prefixlen(dst);
	if (len > 32 || (len > 0 && !addr4(dst, &net)))
		return;
	mask = len ? ~0u << (32 - len) : 0;
	if ((lk->pe & mask) != (net & mask))
		return;
	if (len > lk->best_len ||
	    (len == lk->best_len && rtnl_route_get_priority(rt) < lk->best_prio)) {
		lk->best = rt;
		lk->best_len = len;
		lk->best_prio = rtnl_route_get_priority(rt);
	}
}

static void resolve_uncached(struct nh_resolver *r, uint32_t pe,
			     struct fib_resolution *res)
{
	struct lookup lk = { .pe = pe, .best_len = -1 };
	struct rtnl_nexthop *nh;
	struct nl_addr *labels;
	char a[INET_ADDRSTRLEN];
	uint32_t be = htonl(pe);

	memset(res, 0, sizeof(*res));
	inet_ntop(AF_INET, &be, a, sizeof(a));
	nl_cache_foreach(r->routes, match_route, &lk);
	if (!lk.best) {
		snprintf(res->reason, sizeof(res->reason), "no route to %s", a);
		return;
	}
	nh = rtnl_route_nexthop_n(lk.best, 0);
	if (!nh) {
		snprintf(res->reason, sizeof(res->reason),
			 "route to %s has no next hop", a);
		return;
	}
	res->metric = lk.best_prio;
	res->ifindex = rtnl_route_nh_get_ifindex(nh);
	if (!addr4(rtnl_route_nh_get_gateway(nh), &res->gateway))
		res->gateway = 0;
	labels = rtnl_route_nh_get_encap_mpls_dst(nh);
	if (labels) {
		const uint8_t *p = nl_addr_get_binary_addr(labels);
		unsigned int n = nl_addr_get_len(labels) / 4;

		/* label stack entries, outermost first: label << 12 */
		for (unsigned int i = 0; i < n && i < VPNLB_TUNNEL_LABELS_MAX; i++)
			res->labels[res->n_labels++] =
				((uint32_t)p[4 * i] << 12) | ((uint32_t)p[4 * i + 1] << 4) |
				(p[4 * i + 2] >> 4);
	}
	if (res->gateway == 0) {
		/* on-link PE: its own address is the neighbour */
		res->gateway = pe;
		res->ok = true;
		return;
	}
	if (res->n_labels == 0) {
		snprintf(res->reason, sizeof(res->reason),
			 "route to %s has no MPLS label (no LSP)", a);
		return;
	}
	res->ok = true;
}

void nh_resolve(void *ctx, uint32_t pe, struct fib_resolution *res)
{
	struct nh_resolver *r = ctx;
	/* the table walk is linear: remember answers until the next change */
	struct nh_cache_entry *e = &r->cache[(pe ^ (pe >> 8) ^ (pe >> 16)) %
					     NH_CACHE_SIZE];

	if (e->epoch == r->epoch && e->pe == pe) {
		*res = e->res;
		return;
	}
	resolve_uncached(r, pe, res);
	e->pe = pe;
	e->epoch = r->epoch;
	e->res = *res;
}
