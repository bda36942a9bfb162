// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rib-bench: feeds a prefix list (one CIDR per line, optionally gzip'd via
 * stdin) as VPNv4 routes from two PEs (distinct RDs, one RT) through the
 * RIB, selection and the kernel object mapping (writes counted, not sent),
 * and reports time and heap bytes per path. Not a test: numbers only.
 *
 *   zcat full-table-ipv4.txt.gz | rib-bench [MAX_PREFIXES]
 */
#include <arpa/inet.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fib.h"
#include "rib.h"

static unsigned long writes;

static int w_obj(void *c, enum fib_op o, const void *x, uint32_t ow, uint32_t g)
{
	(void)c; (void)o; (void)x; (void)ow; (void)g;
	writes++;
	return 0;
}

static int w_inst(void *c, enum fib_op o, const struct fib_instance_cfg *x,
		  uint32_t ow, uint32_t g) { return w_obj(c, o, x, ow, g); }
static int w_tun(void *c, enum fib_op o, const struct fib_tunnel *x,
		 uint32_t ow, uint32_t g) { return w_obj(c, o, x, ow, g); }
static int w_nh(void *c, enum fib_op o, const struct fib_nexthop *x,
		uint32_t ow, uint32_t g) { return w_obj(c, o, x, ow, g); }
static int w_grp(void *c, enum fib_op o, const struct fib_group *x,
		 uint32_t ow, uint32_t g) { return w_obj(c, o, x, ow, g); }
static int w_routes(void *c, enum fib_op o, const char *i,
		    const struct fib_route_op *r, size_t n, uint32_t ow, uint32_t g)
{
	(void)c; (void)o; (void)i; (void)r; (void)n; (void)ow; (void)g;
	writes++;
	return 0;
}
static int w_flush(void *c, uint32_t ow, uint32_t g) { (void)c; (void)ow; (void)g; return 0; }

static const struct fib_writer writer = {
	.instance = w_inst, .tunnel = w_tun, .nexthop = w_nh, .group = w_grp,
	.routes = w_routes, .flush = w_flush,
};

static void resolve(void *ctx, uint32_t pe, struct fib_resolution *res)
{
	(void)ctx;
	memset(res, 0, sizeof(*res));
	res->ok = true;
	res->gateway = pe;
	res->ifindex = 2;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One UPDATE's worth (like a feeder packs them) per call. */
static void feed(struct rib *rib, struct fib *fib, struct rib_peer *peer,
		 uint32_t pe, uint64_t rd, const struct bgp_vpn_prefix *all,
		 size_t n)
{
	static struct bgp_vpn_prefix chunk[256];
	uint8_t ec[8] = { 0, 2, 0, 111, 0, 0, 0, 1 };	/* RT 111:1 */
	static const uint8_t path[] = { 2, 1, 0, 0, 0xfd, 0xe8 };
	struct bgp_update u;

	for (size_t off = 0; off < n; off += 256) {
		size_t k = n - off < 256 ? n - off : 256;

		memset(&u, 0, sizeof(u));
		for (size_t i = 0; i < k; i++) {
			chunk[i] = all[off + i];
			chunk[i].rd = rd;
			chunk[i].label = 1000 + (uint32_t)(rd & 0xff);
		}
		u.attrs.ext_communities = ec;
		u.attrs.ext_community_count = 1;
		u.attrs.aspath = (uint8_t *)path;
		u.attrs.aspath_len = sizeof(path);
		u.mp_nexthop = pe;
		u.vpn_reach = chunk;
		u.n_vpn_reach = k;
		rib_update(rib, peer, &u);
		fib_flush_pending(fib, rib);
	}
}

int main(int argc, char **argv)
{
	size_t max = argc > 1 ? strtoul(argv[1], NULL, 10) : (size_t)-1;
	size_t n = 0, cap = 1 << 20;
	struct bgp_vpn_prefix *v = malloc(cap * sizeof(*v));
	struct bp_policy pol = { .max_paths = 2 };
	uint64_t rt = 0x0002006f00000001ull;
	struct mallinfo2 before, after;
	struct rib_instance *inst;
	struct rib_peer *p2, *p3;
	char line[64];
	struct fib fib;
	struct rib rib;
	double t0, t1;

	while (v && n < max && fgets(line, sizeof(line), stdin)) {
		char *slash = strchr(line, '/');
		struct in_addr a;

		if (!slash)
			continue;
		*slash = '\0';
		if (inet_pton(AF_INET, line, &a) != 1)
			continue;
		if (n == cap) {
			cap *= 2;
			v = realloc(v, cap * sizeof(*v));
			if (!v)
				return 1;
		}
		memset(&v[n], 0, sizeof(v[n]));
		v[n].len = (uint8_t)atoi(slash + 1);
		v[n].addr = ntohl(a.s_addr) & (v[n].len ? ~0u << (32 - v[n].len) : 0);
		n++;
	}
	if (!v)
		return 1;
	before = mallinfo2();
	fib_init(&fib, &writer, NULL, resolve, NULL, 1, 1);
	rib_init(&rib, &fib_rib_ops, &fib, fib_rib_resolve, &fib);
	inst = rib_instance_add(&rib, "vpna");
	rib_instance_set_import(&rib, inst, &rt, 1);
	rib_instance_set_policy(&rib, inst, &pol);
	p2 = rib_peer_get(&rib, 0x0a000002, 0x02020202, false);
	p3 = rib_peer_get(&rib, 0x0a000003, 0x03030303, false);
	t0 = now();
	feed(&rib, &fib, p2, 0x0a000002, 100ull << 32 | 2, v, n);
	feed(&rib, &fib, p3, 0x0a000003, 100ull << 32 | 3, v, n);
	t1 = now();
	after = mallinfo2();
	printf("prefixes %zu, paths %zu, groups %zu, kernel writes %lu\n", n,
	       rib.n_paths, fib.groups.count, writes);
	printf("time %.2f s (%.0f paths/s)\n", t1 - t0, (double)rib.n_paths / (t1 - t0));
	printf("heap %.1f MB, %.0f bytes per path (RIB + selection + kernel mapping)\n",
	       (double)(after.uordblks - before.uordblks) / 1e6,
	       (double)(after.uordblks - before.uordblks) / (double)rib.n_paths);
	fib_forget(&fib, &rib);
	rib_free(&rib);
	fib_free(&fib);
	free(v);
	return 0;
}
