// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "agent.h"
#include "log.h"

/* ---- kernel writer used when vpnlb.ko is not there ---- */

static int null_instance(void *c, enum fib_op o, const struct fib_instance_cfg *i,
			 uint32_t ow, uint32_t g)
{
	(void)c; (void)o; (void)i; (void)ow; (void)g;
	return 0;
}

static int null_tunnel(void *c, enum fib_op o, const struct fib_tunnel *t,
		       uint32_t ow, uint32_t g)
{
	(void)c; (void)o; (void)t; (void)ow; (void)g;
	return 0;
}

static int null_nexthop(void *c, enum fib_op o, const struct fib_nexthop *n,
			uint32_t ow, uint32_t g)
{
	(void)c; (void)o; (void)n; (void)ow; (void)g;
	return 0;
}

static int null_group(void *c, enum fib_op o, const struct fib_group *gr,
		      uint32_t ow, uint32_t g)
{
	(void)c; (void)o; (void)gr; (void)ow; (void)g;
	return 0;
}

static int null_routes(void *c, enum fib_op o, const char *i,
		       const struct fib_route_op *r, size_t n, uint32_t ow,
		       uint32_t g)
{
	(void)c; (void)o; (void)i; (void)r; (void)n; (void)ow; (void)g;
	return 0;
}

static int null_flush(void *c, uint32_t ow, uint32_t g)
{
	(void)c; (void)ow; (void)g;
	return 0;
}

static const struct fib_writer null_writer = {
	.instance = null_instance, .tunnel = null_tunnel,
	.nexthop = null_nexthop, .group = null_group,
	.routes = null_routes, .flush = null_flush,
};

/* ---- sweep after restart ---- */

static void sweep(struct agent *a, const char *why)
{
	if (a->swept)
		return;
	a->swept = true;
	/* later sessions no longer announce a restart (GR R bit) */
	a->spk.restarting = false;
	event_del(a->sweep_timer);
	log_notice("reconciling kernel state (%s): removing objects of older generations",
		   why);
	fib_sweep(&a->fib);
}

static void sweep_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	sweep(arg, "deadline");
}

static void maybe_sweep(struct agent *a)
{
	if (a->swept)
		return;
	for (struct bgp_peer *p = a->spk.peers; p; p = p->next)
		if (p->enabled && !p->eor_received[BGP_FAM_VPNV4])
			return;
	sweep(a, "End-of-RIB from every peer");
}

/* ---- BGP -> RIB ---- */

static struct rib_peer *rib_peer_of(struct agent *a, struct bgp_peer *p)
{
	return rib_peer_find(&a->rib, p->cfg.peer_addr);
}

static void on_established(struct bgp_peer *p, void *ctx)
{
	struct agent *a = ctx;

	rib_peer_get(&a->rib, p->cfg.peer_addr, p->remote_id, p->opts.ebgp);
}

static void on_down(struct bgp_peer *p, bool keep_stale, void *ctx)
{
	struct agent *a = ctx;
	struct rib_peer *rp = rib_peer_of(a, p);

	if (!rp)
		return;
	if (keep_stale)
		rib_peer_mark_stale(&a->rib, rp);
	else
		rib_peer_flush(&a->rib, rp);
	fib_flush_pending(&a->fib, &a->rib);
}

static void on_update(struct bgp_peer *p, const struct bgp_update *u, void *ctx)
{
	struct agent *a = ctx;
	struct rib_peer *rp = rib_peer_of(a, p);

	if (!rp)
		return;
	rib_update(&a->rib, rp, u);
	fib_flush_pending(&a->fib, &a->rib);
}

static void on_eor(struct bgp_peer *p, enum bgp_family fam, void *ctx)
{
	struct agent *a = ctx;
	struct rib_peer *rp = rib_peer_of(a, p);

	if (fam != BGP_FAM_VPNV4)
		return;
	if (rp) {
		rib_peer_sweep_stale(&a->rib, rp);
		fib_flush_pending(&a->fib, &a->rib);
	}
	maybe_sweep(a);
}

static void on_stale_expired(struct bgp_peer *p, void *ctx)
{
	struct agent *a = ctx;
	struct rib_peer *rp = rib_peer_of(a, p);

	if (rp) {
		rib_peer_sweep_stale(&a->rib, rp);
		fib_flush_pending(&a->fib, &a->rib);
	}
}

static void on_family_disabled(struct bgp_peer *p, enum bgp_family fam, void *ctx)
{
	struct agent *a = ctx;
	struct rib_peer *rp = rib_peer_of(a, p);

	if (fam == BGP_FAM_VPNV4 && rp) {
		rib_peer_flush(&a->rib, rp);
		fib_flush_pending(&a->fib, &a->rib);
	}
}

static const struct bgp_handlers handlers = {
	.established = on_established,
	.down = on_down,
	.update = on_update,
	.end_of_rib = on_eor,
	.stale_expired = on_stale_expired,
	.family_disabled = on_family_disabled,
};

static void routes_changed(void *ctx)
{
	struct agent *a = ctx;

	log_info("routing table changed: re-resolving remote PEs");
	fib_reresolve(&a->fib, &a->rib);
}

/* ---- configuration ---- */

static void instance_policy(const struct cfg_instance *in, struct bp_policy *pol)
{
	memset(pol, 0, sizeof(*pol));
	pol->max_paths = in->max_paths ? in->max_paths : 1;
	pol->max_ebgp = in->max_ebgp;
	pol->max_ibgp = in->max_ibgp;
	pol->as_path_ignore = in->as_path_ignore;
	pol->as_path_relax = in->as_path_relax;
	pol->max_members = VPNLB_GROUP_MEMBERS_MAX;
}

/* The maximums the kernel enforces per group protocol, as configured. */
static bool same_kernel_max(const struct cfg_instance *x,
			    const struct cfg_instance *y)
{
	return (x->max_paths ? x->max_paths : 1) ==
	       (y->max_paths ? y->max_paths : 1) &&
	       x->max_ibgp == y->max_ibgp && x->max_ebgp == y->max_ebgp;
}

static bool same_peer(const struct cfg_peer *x, const struct cfg_peer *y)
{
	return x->as == y->as && x->connect_if == y->connect_if &&
	       !strcmp(x->connect_ifname, y->connect_ifname) &&
	       x->vpnv4 == y->vpnv4;
}

static bool check(struct agent *a, const struct config *c, char *err, size_t size)
{
	if (!cfg_validate(c, err, size))
		return false;
	for (unsigned int i = 0; i < c->n_inst; i++) {
		const struct cfg_instance *in = &c->inst[i];

		if (!a->kernel || !in->bgp_af)
			continue;
		if (!in->vrf[0]) {
			snprintf(err, size, "vpn-instance %s: bind it to a VRF device (vrf DEVICE)",
				 in->name);
			return false;
		}
		if (!if_nametoindex(in->vrf)) {
			snprintf(err, size, "vpn-instance %s: VRF device %s does not exist",
				 in->name, in->vrf);
			return false;
		}
	}
	for (unsigned int i = 0; i < c->n_peers; i++) {
		const struct cfg_peer *p = &c->peers[i];

		if (p->connect_ifname[0] && !if_nametoindex(p->connect_ifname)) {
			struct in_addr addr = { htonl(p->addr) };

			snprintf(err, size, "peer %s: connect-interface %s does not exist",
				 inet_ntoa(addr), p->connect_ifname);
			return false;
		}
	}
	if (c->bgp && c->router_id && a->speaker_up &&
	    (c->as != a->running.as || c->router_id != a->running.router_id))
		return true;	/* the speaker restarts below */
	if (c->bgp && c->router_id && !a->speaker_up) {
		int e;

		bgp_speaker_init(&a->spk, a->base, c->as, c->router_id, &handlers, a);
		a->spk.port = a->bgp_port;
		a->spk.restarting = a->kernel && !a->swept;
		e = bgp_speaker_listen(&a->spk, a->listen_addr, a->bgp_port);
		if (e < 0) {
			snprintf(err, size, "cannot listen on BGP port %u: %s",
				 a->bgp_port, strerror(-e));
			return false;
		}
		a->speaker_up = true;
	}
	return true;
}

static void apply_instances(struct agent *a, const struct config *c)
{
	/* removed instances */
	for (struct rib_instance *ri = a->rib.instances, *next; ri; ri = next) {
		const struct cfg_instance *in = cfg_find_instance_const(c, ri->name);

		next = ri->next;
		if (!in || !in->bgp_af) {
			log_notice("vpn-instance %s removed", ri->name);
			fib_instance_release(&a->fib, ri);
			rib_instance_del(&a->rib, ri);
		}
	}
	for (unsigned int i = 0; i < c->n_inst; i++) {
		const struct cfg_instance *in = &c->inst[i];
		const struct cfg_instance *old = cfg_find_instance_const(&a->running, in->name);
		struct rib_instance *ri = rib_instance_find(&a->rib, in->name);
		struct fib_instance_cfg kc = { 0 };
		struct bp_policy pol;

		if (!in->bgp_af)
			continue;
		if (!ri) {
			ri = rib_instance_add(&a->rib, in->name);
			if (!ri)
				continue;
			old = NULL;
		}
		snprintf(kc.name, sizeof(kc.name), "%s", in->name);
		kc.vrf_ifindex = in->vrf[0] ? (int)if_nametoindex(in->vrf) : 0;
		kc.max_paths = in->max_paths ? in->max_paths : 1;
		kc.max_ibgp = in->max_ibgp;
		kc.max_ebgp = in->max_ebgp;
		kc.lb_mode = in->lb_packet ? VPNLB_LB_PACKET : VPNLB_LB_FLOW;
		/* the kernel's maximum first: changing it alone moves traffic */
		if (!old || !same_kernel_max(old, in) ||
		    old->lb_packet != in->lb_packet || strcmp(old->vrf, in->vrf))
			fib_instance_apply(&a->fib, ri, &kc);
		if (!old || old->n_import != in->n_import ||
		    memcmp(old->import_rt, in->import_rt, sizeof(in->import_rt)))
			rib_instance_set_import(&a->rib, ri, in->import_rt, in->n_import);
		instance_policy(in, &pol);
		rib_instance_set_policy(&a->rib, ri, &pol);
	}
	fib_flush_pending(&a->fib, &a->rib);
}

static void apply_peers(struct agent *a, const struct config *c)
{
	for (struct bgp_peer *p = a->spk.peers, *next; p; p = next) {
		const struct cfg_peer *cp = cfg_find_peer((struct config *)c, p->cfg.peer_addr);
		const struct cfg_peer *op = cfg_find_peer(&a->running, p->cfg.peer_addr);

		next = p->next;
		if (!cp || !cp->vpnv4 || !op || !same_peer(cp, op)) {
			struct rib_peer *rp = rib_peer_find(&a->rib, p->cfg.peer_addr);

			bgp_peer_delete(p);
			if (rp) {
				rib_peer_flush(&a->rib, rp);
				fib_flush_pending(&a->fib, &a->rib);
			}
		}
	}
	for (unsigned int i = 0; i < c->n_peers; i++) {
		const struct cfg_peer *cp = &c->peers[i];
		struct bgp_peer_config pc;
		struct bgp_peer *p;

		if (!cp->vpnv4 || bgp_peer_find(&a->spk, cp->addr))
			continue;
		bgp_peer_default_config(&pc);
		pc.peer_addr = cp->addr;
		pc.peer_as = cp->as;
		pc.local_addr = cp->connect_if;
		snprintf(pc.local_ifname, sizeof(pc.local_ifname), "%s",
			 cp->connect_ifname);
		pc.connect_retry = 5;
		p = bgp_peer_add(&a->spk, &pc);
		if (p)
			bgp_peer_start(p);
	}
}

bool agent_commit(struct agent *a, const struct config *cand, char *err,
		  size_t size)
{
	if (!check(a, cand, err, size))
		return false;
	if (a->speaker_up && (!cand->bgp || !cand->router_id ||
			      cand->as != a->running.as ||
			      cand->router_id != a->running.router_id)) {
		log_notice("bgp %u: stopping every session (AS or router-id changed)",
			   a->running.as);
		bgp_speaker_free(&a->spk);
		a->speaker_up = false;
		for (struct rib_peer *rp = a->rib.peers; rp; rp = rp->next)
			rib_peer_flush(&a->rib, rp);
		memset(a->running.peers, 0, sizeof(a->running.peers));
		a->running.n_peers = 0;
		if (!check(a, cand, err, size))
			log_err("bgp restart: %s", err);
	}
	apply_instances(a, cand);
	if (a->speaker_up)
		apply_peers(a, cand);
	a->running = *cand;
	log_notice("configuration committed");
	return true;
}

bool agent_save(struct agent *a, char *err, size_t size)
{
	char tmp[300];
	char *text = cfg_format(&a->running);
	FILE *f;

	if (!text) {
		snprintf(err, size, "out of memory");
		return false;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", a->config_path);
	f = fopen(tmp, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0 ||
	    rename(tmp, a->config_path) != 0) {
		snprintf(err, size, "cannot write %s: %s", a->config_path,
			 strerror(errno));
		free(text);
		return false;
	}
	free(text);
	return true;
}

bool agent_load(struct agent *a, char *err, size_t size)
{
	struct cfg_session *s;
	char line[512], e[256];
	bool ok = true;
	FILE *f = fopen(a->config_path, "r");

	if (!f)
		return errno == ENOENT;
	s = malloc(sizeof(*s));
	if (!s) {
		fclose(f);
		return false;
	}
	cfg_session_init(s, &a->running, CFG_VIEW_SYSTEM);
	while (fgets(line, sizeof(line), f)) {
		enum cfg_result r = cfg_session_line(s, line, e, sizeof(e));

		if (r == CFG_ERROR) {
			snprintf(err, size, "%s: %s", a->config_path, e);
			ok = false;
			break;
		}
	}
	fclose(f);
	if (ok)
		ok = agent_commit(a, &s->cand, err, size);
	free(s);
	return ok;
}

int agent_init(struct agent *a, struct event_base *base,
	       const struct agent_options *opt)
{
	const struct fib_writer *w = &null_writer;
	void *wctx = NULL;
	struct timeval tv = { AGENT_SWEEP_DEADLINE, 0 };
	int err;

	memset(a, 0, sizeof(*a));
	a->base = base;
	a->bgp_port = opt->bgp_port ? opt->bgp_port : BGP_PORT;
	a->listen_addr = opt->listen_addr;
	snprintf(a->config_path, sizeof(a->config_path), "%s", opt->config_path);
	cfg_init(&a->running);
	err = nh_resolver_open(&a->resolver, base, routes_changed, a);
	if (err < 0) {
		log_err("cannot read the routing table: %s", strerror(-err));
		return err;
	}
	if (!opt->no_kernel) {
		err = vpnlb_nl_open(&a->nl);
		if (err == 0) {
			a->kernel = true;
			w = &vpnlb_nl_writer;
			wctx = &a->nl;
		} else {
			log_err("vpnlb generic netlink family not available (%s): routes will not be installed",
				err == -ENOENT ? "is vpnlb.ko loaded?" : strerror(-err));
		}
	}
	/* generations follow the clock so every start is newer than the last */
	if (!fib_init(&a->fib, w, wctx, nh_resolve, &a->resolver, AGENT_OWNER,
		      (uint32_t)time(NULL)))
		return -ENOMEM;
	if (!rib_init(&a->rib, &fib_rib_ops, &a->fib, fib_rib_resolve, &a->fib))
		return -ENOMEM;
	a->sweep_timer = evtimer_new(base, sweep_timer_cb, a);
	if (!a->sweep_timer)
		return -ENOMEM;
	if (a->kernel) {
		int n = vpnlb_nl_adopt(&a->nl, &a->fib);

		if (n < 0)
			log_err("reading kernel objects failed: %d", n);
		else
			log_notice("kernel holds %d objects of ours from a previous run", n);
		event_add(a->sweep_timer, &tv);
	} else {
		a->swept = true;
	}
	return 0;
}

void agent_free(struct agent *a)
{
	if (a->speaker_up)
		bgp_speaker_free(&a->spk);
	/* the kernel keeps its state: forwarding continues without us */
	fib_forget(&a->fib, &a->rib);
	rib_free(&a->rib);
	fib_free(&a->fib);
	if (a->sweep_timer)
		event_free(a->sweep_timer);
	nh_resolver_close(&a->resolver);
	if (a->kernel)
		vpnlb_nl_close(&a->nl);
}
