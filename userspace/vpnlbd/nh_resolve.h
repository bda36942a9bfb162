/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Remote-PE next-hop resolution through the kernel's main routing table,
 * kept current by a libnl-route-3 cache manager: the longest match gives the
 * gateway, the device and, with "encap mpls", the transport labels. A PE is
 * usable when its route carries labels (an LSP) or the PE is on-link.
 */
#ifndef VPNLBD_NH_RESOLVE_H
#define VPNLBD_NH_RESOLVE_H

#include <stdbool.h>
#include <stdint.h>

#include "fib.h"

struct event_base;
struct event;
struct nl_cache_mngr;
struct nl_cache;

#define NH_CACHE_SIZE	256	/* remote PEs remembered between changes */

struct nh_cache_entry {
	uint32_t pe;
	uint32_t epoch;			/* valid while equal to the resolver's */
	struct fib_resolution res;
};

struct nh_resolver {
	struct nh_cache_entry cache[NH_CACHE_SIZE];
	uint32_t epoch;			/* bumped by every table change */
	struct nl_cache_mngr *mngr;
	struct nl_cache *routes;
	struct event *ev;		/* cache manager socket */
	struct event *debounce;		/* coalesces bursts of changes */
	void (*changed)(void *ctx);
	void *ctx;
	bool pending;
};

/* base may be NULL: then nh_resolver_poll() picks up changes. */
int nh_resolver_open(struct nh_resolver *r, struct event_base *base,
		     void (*changed)(void *ctx), void *ctx);
void nh_resolver_close(struct nh_resolver *r);
/* Reads pending routing notifications; true if the table changed. */
bool nh_resolver_poll(struct nh_resolver *r, int timeout_ms);

/* fib_resolve_fn: ctx is the struct nh_resolver. */
void nh_resolve(void *ctx, uint32_t pe, struct fib_resolution *res);

#endif /* VPNLBD_NH_RESOLVE_H */
