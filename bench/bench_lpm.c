// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * LPM benchmark: vpnlb's trie against DPDK rte_lpm and a path-compressed
 * binary trie, on a real IPv4 table and on subsets of it. Every figure is
 * also given as a ratio to rte_lpm measured in the same run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lpm.h>

#include "lpm.h"
#include "ptrie.h"

#define NLOOKUPS	(1u << 22)
#define NUPDATES	10000u
#define REPEAT		3

struct prefix {
	uint32_t addr;
	uint8_t plen;
	uint32_t value;
};

struct result {
	double lookups_random;		/* lookups per second */
	double lookups_intable;
	double bytes;			/* lookup structure */
	double total_bytes;		/* including the updater's index */
	double build_s;
	double updates;			/* per second */
	uint64_t check;			/* sum of looked-up values */
	bool ok;
};

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 32);
}

/*
 * CPU time of this thread, not wall time: whatever else runs on the machine
 * does not count against the implementation that happens to be measured.
 */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static struct prefix *load_table(const char *path, size_t *count)
{
	char cmd[512], line[128];
	struct prefix *p = NULL;
	size_t n = 0, cap = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "zcat '%s'", path);
	f = popen(cmd, "r");
	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		unsigned int a, b, c, d, l;

		if (sscanf(line, "%u.%u.%u.%u/%u", &a, &b, &c, &d, &l) != 5 ||
		    a > 255 || b > 255 || c > 255 || d > 255 || l > 32)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1 << 16;
			p = realloc(p, cap * sizeof(*p));
			if (!p)
				abort();
		}
		p[n].addr = (a << 24 | b << 16 | c << 8 | d) &
			    (l ? ~0u << (32 - l) : 0);
		p[n].plen = (uint8_t)l;
		/* Distinct next hops: the worst case for leaf compression. */
		p[n].value = 1 + (uint32_t)(n % 0xfffffe);
		n++;
	}
	if (pclose(f) != 0 || !n) {
		free(p);
		return NULL;
	}
	*count = n;
	return p;
}

/* Prefixes longer than /24 need a tbl8 group per /24 in rte_lpm. */
static uint32_t tbl8_groups(const struct prefix *p, size_t n)
{
	uint8_t *seen = calloc(1 << 21, 1);
	uint32_t groups = 0;
	size_t i;

	if (!seen)
		abort();
	for (i = 0; i < n; i++) {
		uint32_t k = p[i].addr >> 8;

		if (p[i].plen <= 24 || (seen[k >> 3] & (1 << (k & 7))))
			continue;
		seen[k >> 3] |= (uint8_t)(1 << (k & 7));
		groups++;
	}
	free(seen);
	return groups;
}

enum impl { IMPL_RTE, IMPL_VPNLB, IMPL_PTRIE, IMPL_COUNT };
static const char *const impl_name[IMPL_COUNT] = {
	"rte_lpm", "vpnlb", "ptrie",
};

struct table {
	enum impl impl;
	struct rte_lpm *rte;
	struct vpnlb_lpm *vl;
	struct ptrie pt;
	uint32_t tbl8s;
	size_t max_rules;
};

static int t_create(struct table *t, enum impl impl, const struct prefix *p,
		    size_t n)
{
	static unsigned int seq;
	struct rte_lpm_config cfg = { 0 };
	char name[32];

	memset(t, 0, sizeof(*t));
	t->impl = impl;
	switch (impl) {
	case IMPL_RTE:
		cfg.max_rules = (uint32_t)n;
		cfg.number_tbl8s = tbl8_groups(p, n) + 1;
		snprintf(name, sizeof(name), "lpm%u", seq++);
		t->rte = rte_lpm_create(name, 0, &cfg);
		t->tbl8s = cfg.number_tbl8s;
		t->max_rules = cfg.max_rules;
		return t->rte ? 0 : -rte_errno;
	case IMPL_VPNLB:
		t->vl = vpnlb_lpm_create();
		return t->vl ? 0 : -ENOMEM;
	default:
		return 0;
	}
}

static int t_insert(struct table *t, const struct prefix *p)
{
	switch (t->impl) {
	case IMPL_RTE:
		return rte_lpm_add(t->rte, p->addr, p->plen, p->value);
	case IMPL_VPNLB:
		return vpnlb_lpm_insert(t->vl, p->addr, p->plen, p->value);
	default:
		return ptrie_insert(&t->pt, p->addr, p->plen, p->value);
	}
}

static int t_delete(struct table *t, const struct prefix *p)
{
	switch (t->impl) {
	case IMPL_RTE:
		return rte_lpm_delete(t->rte, p->addr, p->plen);
	case IMPL_VPNLB:
		return vpnlb_lpm_delete(t->vl, p->addr, p->plen);
	default:
		return ptrie_delete(&t->pt, p->addr, p->plen);
	}
}

static void t_memory(const struct table *t, double *lookup, double *total)
{
	switch (t->impl) {
	case IMPL_RTE:
		*lookup = (double)(RTE_LPM_TBL24_NUM_ENTRIES +
				   (size_t)t->tbl8s *
				   RTE_LPM_TBL8_GROUP_NUM_ENTRIES) *
			  sizeof(struct rte_lpm_tbl_entry);
		*total = *lookup + (double)t->max_rules * 8;
		break;
	case IMPL_VPNLB:
		*lookup = (double)vpnlb_lpm_memory_lookup(t->vl);
		*total = (double)vpnlb_lpm_memory(t->vl);
		break;
	default:
		*lookup = *total = (double)ptrie_memory(&t->pt);
		break;
	}
}

static void t_destroy(struct table *t)
{
	switch (t->impl) {
	case IMPL_RTE:
		rte_lpm_free(t->rte);
		break;
	case IMPL_VPNLB:
		vpnlb_lpm_destroy(t->vl);
		break;
	default:
		ptrie_destroy(&t->pt);
		break;
	}
}

/* Returns seconds for all lookups; *sum gets the sum of the results. */
static double t_lookups(const struct table *t, const uint32_t *addr,
			size_t n, uint64_t *sum)
{
	uint64_t s = 0;
	double t0 = now();
	size_t i;

	switch (t->impl) {
	case IMPL_RTE:
		for (i = 0; i < n; i++) {
			uint32_t nh;

			if (rte_lpm_lookup(t->rte, addr[i], &nh) == 0)
				s += nh;
		}
		break;
	case IMPL_VPNLB:
		for (i = 0; i < n; i++)
			s += vpnlb_lpm_lookup(t->vl, addr[i]);
		break;
	default:
		for (i = 0; i < n; i++)
			s += ptrie_lookup(&t->pt, addr[i]);
		break;
	}
	*sum = s;
	return now() - t0;
}

static int build(struct table *t, enum impl impl, const struct prefix *p,
		 size_t n, struct result *res)
{
	double t0;
	size_t i;
	int err;

	memset(res, 0, sizeof(*res));
	err = t_create(t, impl, p, n);
	if (err) {
		fprintf(stderr, "%s: create failed: %s\n", impl_name[impl],
			strerror(-err));
		return err;
	}
	t0 = now();
	for (i = 0; i < n; i++) {
		err = t_insert(t, &p[i]);
		if (err) {
			fprintf(stderr, "%s: insert %zu failed: %d\n",
				impl_name[impl], i, err);
			t_destroy(t);
			return err;
		}
	}
	res->build_s = now() - t0;
	t_memory(t, &res->bytes, &res->total_bytes);
	res->ok = true;
	return 0;
}

/* Deletes a sample of prefixes, then adds them back. */
static int updates(struct table *t, const struct prefix *p, const size_t *upd,
		   size_t nupd, struct result *res)
{
	double t0 = now();
	size_t i;
	int err = 0;

	for (i = 0; i < nupd && !err; i++)
		err = t_delete(t, &p[upd[i]]);
	for (i = 0; i < nupd && !err; i++)
		err = t_insert(t, &p[upd[i]]);
	res->updates = 2.0 * (double)nupd / (now() - t0);
	if (err) {
		fprintf(stderr, "%s: update failed: %d\n", impl_name[t->impl], err);
		res->ok = false;
	}
	return err;
}

/* Lookup rates, the implementations taking turns so that a change in the
 * machine's load hits all of them alike; the best of REPEAT turns counts.
 */
static void lookups(struct table *t, struct result *res, const uint32_t *rnd,
		    const uint32_t *inside)
{
	double best_rnd[IMPL_COUNT], best_in[IMPL_COUNT];
	uint64_t sum_rnd, sum_in;
	enum impl im;
	int r;

	for (im = 0; im < IMPL_COUNT; im++)
		best_rnd[im] = best_in[im] = 1e30;
	for (r = 0; r < REPEAT; r++) {
		for (im = 0; im < IMPL_COUNT; im++) {
			double s;

			if (!res[im].ok)
				continue;
			s = t_lookups(&t[im], rnd, NLOOKUPS, &sum_rnd);
			if (s < best_rnd[im])
				best_rnd[im] = s;
			s = t_lookups(&t[im], inside, NLOOKUPS, &sum_in);
			if (s < best_in[im])
				best_in[im] = s;
			res[im].check = sum_rnd * 31 + sum_in;
		}
	}
	for (im = 0; im < IMPL_COUNT; im++) {
		res[im].lookups_random = NLOOKUPS / best_rnd[im];
		res[im].lookups_intable = NLOOKUPS / best_in[im];
	}
}

static void print_ratio(double v, double base)
{
	if (base > 0)
		printf(" (%5.2fx)", v / base);
	else
		printf(" (  n/a )");
}

int main(int argc, char **argv)
{
	size_t sizes[8] = { 1000, 10000, 100000, 0 }, nsizes = 4;
	const char *path = argc > 1 ? argv[1] :
		"../../shared/data/full-table-ipv4.txt.gz";
	char *eal_argv[] = {
		"bench_lpm", "--no-huge", "--no-pci", "--no-telemetry",
		"-l", "0", "--log-level=1", "-m", "1024", NULL,
	};
	struct prefix *all;
	size_t total, s;
	uint32_t *rnd, *inside;
	size_t *upd;
	bool have_rte;
	int status = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* Optional sizes after the table path; 0 is the whole table. */
	if (argc > 2) {
		for (nsizes = 0; nsizes < 8 && (int)nsizes + 2 < argc; nsizes++)
			sizes[nsizes] = strtoul(argv[nsizes + 2], NULL, 10);
	}
	all = load_table(path, &total);
	if (!all) {
		fprintf(stderr, "cannot read the prefix table %s\n", path);
		return 1;
	}
	have_rte = rte_eal_init((int)(sizeof(eal_argv) / sizeof(eal_argv[0])) - 1,
				eal_argv) >= 0;
	if (!have_rte)
		fprintf(stderr, "rte_eal_init failed (%s): no rte_lpm baseline, "
			"ratios are n/a\n", rte_strerror(rte_errno));

	rnd = malloc(NLOOKUPS * sizeof(*rnd));
	inside = malloc(NLOOKUPS * sizeof(*inside));
	upd = malloc(NUPDATES * sizeof(*upd));
	if (!rnd || !inside || !upd)
		abort();

	printf("LPM benchmark: %zu prefixes in %s; %u lookups per run, best of %d;\n"
	       "updates: %u deletes then %u re-adds of table prefixes\n",
	       total, path, NLOOKUPS, REPEAT, NUPDATES, NUPDATES);
	printf("ratios in parentheses are to rte_lpm from the same run; "
	       "bytes/prefix counts the lookup structure (total incl. update index)\n");
	printf("memory: rte_lpm = tbl24 + tbl8 arrays, 4 B per entry (total adds "
	       "8 B per rule); vpnlb = each allocation at the kmalloc size class\n"
	       "it occupies, direct-pointing array included (total adds the shadow "
	       "trie); ptrie = nodes at their malloc size class\n");
	printf("times are this thread's CPU time; every implementation runs the "
	       "same addresses in the same loop\n\n");
	printf("%-8s %-8s %20s %20s %22s %16s %18s %14s\n", "prefixes", "impl",
	       "Mlookups/s random", "Mlookups/s in-table", "bytes/prefix",
	       "total B/prefix", "build ms", "kupdates/s");

	for (s = 0; s < nsizes; s++) {
		size_t n = sizes[s] && sizes[s] < total ? sizes[s] : total;
		size_t nupd = n < NUPDATES ? n : NUPDATES;
		struct result res[IMPL_COUNT];
		struct table tbl[IMPL_COUNT];
		enum impl im;
		size_t i;

		if (sizes[s] && sizes[s] >= total)
			continue;
		for (i = 0; i < NLOOKUPS; i++) {
			const struct prefix *q = &all[rng() % n];
			uint32_t host = q->plen ? ~(~0u << (32 - q->plen)) : ~0u;

			rnd[i] = rng();
			inside[i] = q->plen == 32 ? q->addr :
				    q->addr | (rng() & host);
		}
		/* Distinct prefixes to delete and re-add: a strided walk. */
		for (i = 0; i < nupd; i++)
			upd[i] = (i * (n / nupd) + (size_t)(rng() % (n / nupd))) % n;

		for (im = 0; im < IMPL_COUNT; im++) {
			res[im].ok = false;
			if (im == IMPL_RTE && !have_rte)
				continue;
			if (build(&tbl[im], im, all, n, &res[im]))
				status = 1;
		}
		lookups(tbl, res, rnd, inside);
		for (im = 0; im < IMPL_COUNT; im++) {
			if (!res[im].ok)
				continue;
			if (updates(&tbl[im], all, upd, nupd, &res[im]))
				status = 1;
			t_destroy(&tbl[im]);
		}
		for (im = 0; im < IMPL_COUNT; im++) {
			const struct result *r = &res[im], *b = &res[IMPL_RTE];
			bool base = res[IMPL_RTE].ok;

			if (!r->ok)
				continue;
			if (base && r->check != b->check) {
				fprintf(stderr, "%s: lookup results differ from rte_lpm\n",
					impl_name[im]);
				status = 1;
			}
			printf("%-8zu %-8s %10.1f", n, impl_name[im],
			       r->lookups_random / 1e6);
			print_ratio(r->lookups_random, base ? b->lookups_random : 0);
			printf(" %10.1f", r->lookups_intable / 1e6);
			print_ratio(r->lookups_intable, base ? b->lookups_intable : 0);
			printf(" %11.1f", r->bytes / (double)n);
			print_ratio(r->bytes, base ? b->bytes : 0);
			printf(" %7.1f", r->total_bytes / (double)n);
			print_ratio(r->total_bytes, base ? b->total_bytes : 0);
			printf(" %8.1f", r->build_s * 1e3);
			print_ratio(r->build_s, base ? b->build_s : 0);
			printf(" %6.0f", r->updates / 1e3);
			print_ratio(r->updates, base ? b->updates : 0);
			printf("\n");
		}
		printf("\n");
	}
	if (have_rte)
		rte_eal_cleanup();
	free(all);
	free(rnd);
	free(inside);
	free(upd);
	return status;
}
