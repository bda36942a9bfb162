/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * BGP peers and their sessions (RFC 4271 8): active and passive open, one
 * outgoing and one incoming connection per peer with collision resolution
 * (RFC 4271 6.8), hold and keepalive timers, capability negotiation, and
 * the graceful restart helper (RFC 4724 4.2). Routes are handed to the
 * owner through struct bgp_handlers.
 */
#ifndef VPNLBD_BGP_PEER_H
#define VPNLBD_BGP_PEER_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "bgp_msg.h"
#include "bgp_update.h"

struct event_base;
struct event;
struct bufferevent;
struct evconnlistener;

enum bgp_state {
	BGP_IDLE,
	BGP_CONNECT,
	BGP_ACTIVE,
	BGP_OPENSENT,
	BGP_OPENCONFIRM,
	BGP_ESTABLISHED,
};

struct bgp_peer_config {
	uint32_t peer_addr;		/* host byte order */
	uint32_t peer_as;
	uint32_t local_addr;		/* connect-interface; 0: any */
	char local_ifname[IF_NAMESIZE];	/* connect-interface by name, with no
					 * local_addr: its first IPv4 address
					 */
	bool passive;			/* never connect out */
	uint16_t hold_time;		/* 0 or >= 3 */
	uint16_t connect_retry;		/* seconds between connect attempts */
	bool graceful_restart;		/* advertise GR, act as helper */
	uint16_t gr_restart_time;	/* advertised restart time */
	uint16_t gr_stale_time;		/* keep stale paths this long after
					 * the session is back, waiting for EoR */
	bool addpath_receive;		/* accept several paths per prefix */
};

struct bgp_peer;
struct bgp_conn;

struct bgp_handlers {
	void (*established)(struct bgp_peer *peer, void *ctx);
	/* keep_stale: GR helper keeps the peer's paths, marked stale */
	void (*down)(struct bgp_peer *peer, bool keep_stale, void *ctx);
	void (*update)(struct bgp_peer *peer, const struct bgp_update *upd,
		       void *ctx);
	/* End-of-RIB: paths still stale for that family go */
	void (*end_of_rib)(struct bgp_peer *peer, enum bgp_family fam,
			   void *ctx);
	/* GR timers ran out or the peer came back without GR: drop stale */
	void (*stale_expired)(struct bgp_peer *peer, void *ctx);
	/* RFC 7606 AFI/SAFI disable: drop every path of that family */
	void (*family_disabled)(struct bgp_peer *peer, enum bgp_family fam,
				void *ctx);
};

struct bgp_speaker {
	struct event_base *base;
	struct evconnlistener *listener;
	struct bgp_peer *peers;
	uint32_t local_as;
	uint32_t router_id;		/* host byte order */
	uint16_t port;			/* remote port for outgoing sessions */
	bool restarting;		/* R bit: we restarted, forwarding kept */
	const struct bgp_handlers *handlers;
	void *ctx;
};

struct bgp_conn {
	struct bgp_peer *peer;
	struct bufferevent *bev;
	struct event *hold_timer;
	struct event *keepalive_timer;
	struct event *reaper;
	bool outgoing;
	bool closing;
	enum bgp_state state;
	uint16_t hold_time;		/* negotiated */
	struct bgp_open remote;		/* valid from OpenConfirm on */
};

struct bgp_peer_stats {
	uint64_t msgs_in, msgs_out;
	uint64_t updates_in, notifications_in, notifications_out;
	uint64_t malformed;		/* UPDATEs with any RFC 7606 error */
	unsigned int established_count;
};

struct bgp_peer {
	struct bgp_speaker *spk;
	struct bgp_peer *next;
	struct bgp_peer_config cfg;
	enum bgp_state state;
	struct bgp_conn *conn[2];	/* [0] outgoing, [1] incoming */
	struct bgp_conn *session;	/* the established one */
	struct event *connect_timer;
	struct event *restart_timer;	/* GR: peer must come back by then */
	struct event *stale_timer;	/* GR: stale paths must be refreshed */
	struct bgp_session_opts opts;	/* what UPDATE parsing needs */
	struct bgp_caps remote_caps;
	uint32_t remote_id;
	bool enabled;
	bool stale;			/* GR helper holds stale paths */
	bool disabled[BGP_FAM_COUNT];
	bool eor_received[BGP_FAM_COUNT];
	time_t last_change;
	char last_error[BGP_ERR_REASON_MAX + 64];
	struct bgp_peer_stats stats;
};

void bgp_speaker_init(struct bgp_speaker *spk, struct event_base *base,
		      uint32_t local_as, uint32_t router_id,
		      const struct bgp_handlers *handlers, void *ctx);
/* Listens on addr:port (host order; addr 0 = any). -errno on failure. */
int bgp_speaker_listen(struct bgp_speaker *spk, uint32_t addr, uint16_t port);
void bgp_speaker_free(struct bgp_speaker *spk);

struct bgp_peer *bgp_peer_add(struct bgp_speaker *spk,
			      const struct bgp_peer_config *cfg);
struct bgp_peer *bgp_peer_find(struct bgp_speaker *spk, uint32_t addr);
void bgp_peer_default_config(struct bgp_peer_config *cfg);
void bgp_peer_start(struct bgp_peer *peer);
/* Administrative stop: Cease/Administrative Shutdown with text (RFC 9003). */
void bgp_peer_stop(struct bgp_peer *peer, const char *text);
void bgp_peer_delete(struct bgp_peer *peer);

const char *bgp_state_name(enum bgp_state state);

/* Internal to the session code: an accepted TCP connection for peer. */
void bgp_conn_accepted(struct bgp_peer *peer, int fd);

#endif /* VPNLBD_BGP_PEER_H */
