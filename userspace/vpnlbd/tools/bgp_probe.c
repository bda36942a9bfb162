// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bgp-probe: runs vpnlbd's BGP sessions against real peers and prints what
 * it hears, one line per event, for interop tests:
 *   state PEER Established
 *   route PEER RD PREFIX/LEN label L nexthop NH path-id ID
 *   withdraw PEER RD PREFIX/LEN path-id ID
 *   eor PEER vpnv4
 *   down PEER stale|flush
 * Usage: bgp-probe --as AS --router-id ID [--listen ADDR] [--port P]
 *        [--exit-after-eor N] [--timeout S]
 *        --peer ADDR,AS[,passive][,local=ADDR][,hold=S] ...
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "bgp_extcomm.h"
#include "bgp_peer.h"
#include "log.h"

static int eor_target = -1;
static int eor_seen;
static struct event_base *base;

static const char *ip(uint32_t a, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255,
		 (a >> 8) & 255, a & 255);
	return buf;
}

static void on_established(struct bgp_peer *peer, void *ctx)
{
	char a[16];

	(void)ctx;
	printf("state %s Established\n", ip(peer->cfg.peer_addr, a));
	fflush(stdout);
}

static void on_down(struct bgp_peer *peer, bool keep_stale, void *ctx)
{
	char a[16];

	(void)ctx;
	printf("down %s %s\n", ip(peer->cfg.peer_addr, a),
	       keep_stale ? "stale" : "flush");
	fflush(stdout);
}

static void on_update(struct bgp_peer *peer, const struct bgp_update *u,
		      void *ctx)
{
	char a[16], p[16], nh[16], rd[BGP_RD_STR_MAX], rt[32];

	(void)ctx;
	ip(peer->cfg.peer_addr, a);
	for (size_t i = 0; i < u->n_vpn_unreach; i++) {
		const struct bgp_vpn_prefix *r = &u->vpn_unreach[i];

		bgp_rd_format(r->rd, rd, sizeof(rd));
		printf("withdraw %s %s %s/%u path-id %u\n", a, rd,
		       ip(r->addr, p), r->len, r->path_id);
	}
	for (size_t i = 0; i < u->n_vpn_reach; i++) {
		const struct bgp_vpn_prefix *r = &u->vpn_reach[i];

		bgp_rd_format(r->rd, rd, sizeof(rd));
		printf("route %s %s %s/%u label %u nexthop %s path-id %u", a,
		       rd, ip(r->addr, p), r->len, r->label,
		       ip(u->mp_nexthop, nh), r->path_id);
		for (size_t e = 0; e < u->attrs.ext_community_count; e++) {
			uint64_t ec = bgp_extcomm_get(u->attrs.ext_communities + 8 * e);
			uint64_t bw;

			if (bgp_extcomm_is_rt(ec)) {
				bgp_rt_format(ec, rt, sizeof(rt));
				printf(" rt %s", rt);
			} else if (bgp_extcomm_link_bandwidth(ec, &bw)) {
				printf(" bandwidth %llu", (unsigned long long)bw);
			}
		}
		printf("\n");
	}
	fflush(stdout);
}

static void on_eor(struct bgp_peer *peer, enum bgp_family fam, void *ctx)
{
	char a[16];

	(void)ctx;
	printf("eor %s %s\n", ip(peer->cfg.peer_addr, a), bgp_family_name(fam));
	fflush(stdout);
	if (fam == BGP_FAM_VPNV4 && eor_target > 0 && ++eor_seen >= eor_target)
		event_base_loopexit(base, NULL);
}

static void on_stale(struct bgp_peer *peer, void *ctx)
{
	char a[16];

	(void)ctx;
	printf("stale-flushed %s\n", ip(peer->cfg.peer_addr, a));
	fflush(stdout);
}

static const struct bgp_handlers handlers = {
	.established = on_established,
	.down = on_down,
	.update = on_update,
	.end_of_rib = on_eor,
	.stale_expired = on_stale,
};

static bool parse_ip(const char *s, uint32_t *out)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return false;
	*out = ntohl(a.s_addr);
	return true;
}

static bool parse_peer(char *spec, struct bgp_peer_config *cfg)
{
	char *tok, *save = NULL;
	int i = 0;

	bgp_peer_default_config(cfg);
	cfg->connect_retry = 2;
	for (tok = strtok_r(spec, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save), i++) {
		if (i == 0) {
			if (!parse_ip(tok, &cfg->peer_addr))
				return false;
		} else if (i == 1) {
			cfg->peer_as = (uint32_t)strtoul(tok, NULL, 10);
		} else if (strcmp(tok, "passive") == 0) {
			cfg->passive = true;
		} else if (strncmp(tok, "local=", 6) == 0) {
			if (!parse_ip(tok + 6, &cfg->local_addr))
				return false;
		} else if (strncmp(tok, "hold=", 5) == 0) {
			cfg->hold_time = (uint16_t)atoi(tok + 5);
		} else {
			return false;
		}
	}
	return i >= 2 && cfg->peer_as;
}

static void timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	printf("timeout\n");
	fflush(stdout);
	event_base_loopexit(base, NULL);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "as", required_argument, NULL, 'a' },
		{ "router-id", required_argument, NULL, 'r' },
		{ "listen", required_argument, NULL, 'l' },
		{ "port", required_argument, NULL, 'p' },
		{ "peer", required_argument, NULL, 'P' },
		{ "exit-after-eor", required_argument, NULL, 'e' },
		{ "timeout", required_argument, NULL, 't' },
		{ "debug", no_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	struct bgp_peer_config peers[16];
	struct bgp_speaker spk;
	uint32_t as = 0, rid = 0, listen_addr = 0;
	int npeers = 0, timeout = 60, c, level = LOG_NOTICE, port = BGP_PORT;
	struct timeval tv;
	struct event *tev;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			as = (uint32_t)strtoul(optarg, NULL, 10);
			break;
		case 'r':
			if (!parse_ip(optarg, &rid))
				return 2;
			break;
		case 'l':
			if (!parse_ip(optarg, &listen_addr))
				return 2;
			break;
		case 'p':
			port = atoi(optarg);
			break;
		case 'P':
			if (npeers == 16 || !parse_peer(optarg, &peers[npeers])) {
				fprintf(stderr, "bad --peer %s\n", optarg);
				return 2;
			}
			npeers++;
			break;
		case 'e':
			eor_target = atoi(optarg);
			break;
		case 't':
			timeout = atoi(optarg);
			break;
		case 'd':
			level = LOG_DEBUG;
			break;
		default:
			return 2;
		}
	}
	if (!as || !rid || !npeers) {
		fprintf(stderr, "usage: bgp-probe --as AS --router-id ID --peer ADDR,AS[,passive][,local=ADDR][,hold=S]...\n");
		return 2;
	}
	log_init("bgp-probe", false, level);
	base = event_base_new();
	bgp_speaker_init(&spk, base, as, rid, &handlers, NULL);
	spk.port = (uint16_t)port;
	if (bgp_speaker_listen(&spk, listen_addr, (uint16_t)port) < 0) {
		fprintf(stderr, "cannot listen on port %d\n", port);
		return 1;
	}
	for (int i = 0; i < npeers; i++)
		bgp_peer_start(bgp_peer_add(&spk, &peers[i]));
	tev = evtimer_new(base, timeout_cb, NULL);
	tv.tv_sec = timeout;
	tv.tv_usec = 0;
	evtimer_add(tev, &tv);
	event_base_dispatch(base);
	bgp_speaker_free(&spk);
	event_free(tev);
	event_base_free(base);
	return 0;
}
