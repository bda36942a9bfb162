// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Per-connection BGP state machine. A peer may have an outgoing and an
 * incoming connection at once; each runs OpenSent -> OpenConfirm ->
 * Established on its own and collision resolution picks one.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "bgp_peer.h"
#include "log.h"

#define OPENSENT_HOLD_TIME	240	/* RFC 4271 8: "large value" */

static const char *addr_str(uint32_t addr, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", addr >> 24, (addr >> 16) & 255,
		 (addr >> 8) & 255, addr & 255);
	return buf;
}

#define PEER_LOG(level, peer, fmt, ...)					\
	do {								\
		char _a[16];						\
		log_msg(level, "peer %s: " fmt,				\
			addr_str((peer)->cfg.peer_addr, _a), ##__VA_ARGS__); \
	} while (0)

const char *bgp_state_name(enum bgp_state state)
{
	static const char *const names[] = {
		[BGP_IDLE] = "Idle", [BGP_CONNECT] = "Connect",
		[BGP_ACTIVE] = "Active", [BGP_OPENSENT] = "OpenSent",
		[BGP_OPENCONFIRM] = "OpenConfirm",
		[BGP_ESTABLISHED] = "Established",
	};

	return state <= BGP_ESTABLISHED ? names[state] : "?";
}

static void peer_update_state(struct bgp_peer *peer)
{
	enum bgp_state s = BGP_IDLE;

	if (peer->enabled)
		s = peer->cfg.passive ? BGP_ACTIVE : BGP_CONNECT;
	for (int i = 0; i < 2; i++)
		if (peer->conn[i] && peer->conn[i]->state > s)
			s = peer->conn[i]->state;
	if (s != peer->state) {
		PEER_LOG(LOG_NOTICE, peer, "state %s -> %s",
			 bgp_state_name(peer->state), bgp_state_name(s));
		peer->state = s;
		peer->last_change = time(NULL);
	}
}

static void conn_free(struct bgp_conn *c)
{
	if (c->bev)
		bufferevent_free(c->bev);
	if (c->hold_timer)
		event_free(c->hold_timer);
	if (c->keepalive_timer)
		event_free(c->keepalive_timer);
	if (c->reaper)
		event_free(c->reaper);
	free(c);
}

static void reaper_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	conn_free(arg);
}

static void drained_cb(struct bufferevent *bev, void *arg)
{
	struct bgp_conn *c = arg;

	(void)bev;
	event_active(c->reaper, 0, 0);
}

static void closing_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct bgp_conn *c = arg;

	(void)bev;
	(void)what;
	event_active(c->reaper, 0, 0);
}

static void peer_session_lost(struct bgp_peer *peer, bool keep_stale);
static void peer_schedule_connect(struct bgp_peer *peer, int seconds);

/*
 * Detaches the connection from its peer and frees it once the output
 * (a NOTIFICATION) is flushed, or after a short grace period.
 */
static void conn_close(struct bgp_conn *c, bool keep_stale)
{
	struct bgp_peer *peer = c->peer;
	struct timeval grace = { 3, 0 };
	bool was_session = peer->session == c;

	if (c->closing)
		return;
	c->closing = true;
	event_del(c->hold_timer);
	event_del(c->keepalive_timer);
	for (int i = 0; i < 2; i++)
		if (peer->conn[i] == c)
			peer->conn[i] = NULL;
	c->state = BGP_IDLE;
	if (c->bev) {
		bufferevent_disable(c->bev, EV_READ);
		bufferevent_setcb(c->bev, NULL, drained_cb, closing_event_cb, c);
		if (evbuffer_get_length(bufferevent_get_output(c->bev)) == 0)
			event_active(c->reaper, 0, 0);
		else
			event_add(c->reaper, &grace);
	} else {
		event_active(c->reaper, 0, 0);
	}
	if (was_session) {
		peer->session = NULL;
		peer_session_lost(peer, keep_stale);
	}
	peer_update_state(peer);
	if (peer->enabled && !peer->cfg.passive && !peer->conn[0] &&
	    !peer->session)
		peer_schedule_connect(peer, peer->cfg.connect_retry);
}

static void conn_send(struct bgp_conn *c, const uint8_t *msg, size_t len)
{
	if (!len || c->closing)
		return;
	bufferevent_write(c->bev, msg, len);
	c->peer->stats.msgs_out++;
}

static void conn_notify(struct bgp_conn *c, uint8_t code, uint8_t subcode,
			const void *data, size_t dlen, const char *reason)
{
	struct bgp_peer *peer = c->peer;
	uint8_t buf[BGP_MAX_MSG_LEN];
	size_t len;

	PEER_LOG(LOG_WARNING, peer, "sending NOTIFICATION %s/%s: %s",
		 bgp_notify_code_name(code),
		 bgp_notify_subcode_name(code, subcode), reason);
	snprintf(peer->last_error, sizeof(peer->last_error),
		 "sent %s/%s: %s", bgp_notify_code_name(code),
		 bgp_notify_subcode_name(code, subcode), reason);
	len = bgp_notification_encode(buf, sizeof(buf), code, subcode, data,
				      dlen);
	conn_send(c, buf, len);
	peer->stats.notifications_out++;
	conn_close(c, false);
}

static void conn_restart_hold(struct bgp_conn *c)
{
	struct timeval tv = { c->hold_time, 0 };

	if (c->hold_time)
		event_add(c->hold_timer, &tv);
	else
		event_del(c->hold_timer);
}

static void hold_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct bgp_conn *c = arg;

	(void)fd;
	(void)what;
	conn_notify(c, BGP_ERR_HOLD_TIMER, 0, NULL, 0, "hold timer expired");
}

static void keepalive_cb(evutil_socket_t fd, short what, void *arg)
{
	struct bgp_conn *c = arg;
	uint8_t buf[BGP_HEADER_LEN];
	struct timeval tv = { c->hold_time / 3, 0 };

	(void)fd;
	(void)what;
	conn_send(c, buf, bgp_keepalive_encode(buf, sizeof(buf)));
	if (tv.tv_sec)
		event_add(c->keepalive_timer, &tv);
}

static void local_caps(const struct bgp_peer *peer, struct bgp_caps *caps)
{
	memset(caps, 0, sizeof(*caps));
	caps->mp[BGP_FAM_VPNV4] = true;
	caps->as4 = true;
	caps->route_refresh = true;
	if (peer->cfg.graceful_restart) {
		caps->gr = true;
		caps->gr_time = peer->cfg.gr_restart_time;
		caps->gr_flags = peer->spk->restarting ? BGP_GR_FLAG_RESTART : 0;
		caps->gr_af[BGP_FAM_VPNV4] = true;
		/* vpnlb.ko keeps forwarding while the agent is away */
		caps->gr_af_forwarding[BGP_FAM_VPNV4] = true;
	}
	if (peer->cfg.addpath_receive)
		caps->addpath[BGP_FAM_VPNV4] = BGP_ADDPATH_RECEIVE;
}

static void conn_send_open(struct bgp_conn *c)
{
	struct bgp_peer *peer = c->peer;
	uint8_t buf[BGP_MAX_MSG_LEN];
	struct bgp_caps caps;

	local_caps(peer, &caps);
	conn_send(c, buf, bgp_open_encode(buf, sizeof(buf),
					  peer->spk->local_as,
					  peer->cfg.hold_time,
					  peer->spk->router_id, &caps));
	c->state = BGP_OPENSENT;
	c->hold_time = OPENSENT_HOLD_TIME;
	conn_restart_hold(c);
	peer_update_state(peer);
}

static void fsm_error(struct bgp_conn *c, uint8_t type)
{
	/* RFC 6608 subcodes: 1 OpenSent, 2 OpenConfirm, 3 Established */
	uint8_t sub = c->state == BGP_OPENSENT ? 1 :
		      c->state == BGP_OPENCONFIRM ? 2 : 3;
	char reason[64];

	snprintf(reason, sizeof(reason), "unexpected message type %u in %s",
		 type, bgp_state_name(c->state));
	conn_notify(c, BGP_ERR_FSM, sub, &type, 1, reason);
}

/* RFC 4271 6.8: returns true if c survives the collision check. */
static bool resolve_collision(struct bgp_conn *c)
{
	struct bgp_peer *peer = c->peer;
	struct bgp_conn *other = peer->conn[c->outgoing ? 1 : 0];
	struct bgp_conn *loser;

	if (!other || other->state < BGP_OPENCONFIRM)
		return true;
	if (other->state == BGP_ESTABLISHED) {
		loser = c;
	} else {
		/* the lower BGP identifier's own connection is closed */
		bool local_lower = peer->spk->router_id < c->remote.bgp_id;

		loser = (local_lower == c->outgoing) ? c : other;
	}
	PEER_LOG(LOG_NOTICE, peer, "connection collision: closing the %s connection",
		 loser->outgoing ? "outgoing" : "incoming");
	conn_notify(loser, BGP_ERR_CEASE, BGP_CEASE_COLLISION, NULL, 0,
		    "connection collision resolution");
	return loser != c;
}

static void handle_open(struct bgp_conn *c, const uint8_t *msg, size_t len)
{
	struct bgp_peer *peer = c->peer;
	struct bgp_error err;
	struct bgp_open *o = &c->remote;
	uint8_t ka[BGP_HEADER_LEN];
	uint32_t remote_as;
	static const uint8_t mp_vpnv4_cap[] = { BGP_CAP_MP, 4, 0, BGP_AFI_IPV4,
						0, BGP_SAFI_MPLS_VPN };

	bgp_error_clear(&err);
	if (!bgp_open_parse(msg, len, o, &err)) {
		conn_notify(c, err.code, err.subcode, err.data, err.data_len,
			    err.reason);
		return;
	}
	remote_as = o->caps.as4 ? o->caps.as4_asn : o->my_as;
	if (remote_as != peer->cfg.peer_as) {
		char reason[80];

		snprintf(reason, sizeof(reason), "peer AS %u, expected %u",
			 remote_as, peer->cfg.peer_as);
		conn_notify(c, BGP_ERR_OPEN, BGP_OPEN_BAD_PEER_AS, msg + 20, 2,
			    reason);
		return;
	}
	if (o->bgp_id == peer->spk->router_id &&
	    peer->cfg.peer_as == peer->spk->local_as) {
		conn_notify(c, BGP_ERR_OPEN, BGP_OPEN_BAD_BGP_ID, NULL, 0,
			    "BGP identifier equals ours on an iBGP session");
		return;
	}
	if (!o->caps.mp[BGP_FAM_VPNV4]) {
		conn_notify(c, BGP_ERR_OPEN, BGP_OPEN_UNSUPPORTED_CAPABILITY,
			    mp_vpnv4_cap, sizeof(mp_vpnv4_cap),
			    "peer does not support VPNv4 (AFI 1 SAFI 128)");
		return;
	}
	c->hold_time = o->hold_time < peer->cfg.hold_time ? o->hold_time :
							     peer->cfg.hold_time;
	c->state = BGP_OPENCONFIRM;
	if (!resolve_collision(c))
		return;
	conn_send(c, ka, bgp_keepalive_encode(ka, sizeof(ka)));
	conn_restart_hold(c);
	if (c->hold_time / 3) {
		struct timeval tv = { c->hold_time / 3, 0 };

		event_add(c->keepalive_timer, &tv);
	}
	peer_update_state(peer);
}

static void peer_stop_gr_timers(struct bgp_peer *peer)
{
	event_del(peer->restart_timer);
	event_del(peer->stale_timer);
}

static void drop_stale(struct bgp_peer *peer, const char *why)
{
	if (!peer->stale)
		return;
	PEER_LOG(LOG_NOTICE, peer, "dropping stale paths: %s", why);
	peer->stale = false;
	peer_stop_gr_timers(peer);
	if (peer->spk->handlers->stale_expired)
		peer->spk->handlers->stale_expired(peer, peer->spk->ctx);
}

static void conn_established(struct bgp_conn *c)
{
	struct bgp_peer *peer = c->peer;
	const struct bgp_caps *rc = &c->remote.caps;
	struct bgp_conn *other = peer->conn[c->outgoing ? 1 : 0];
	uint8_t buf[64];

	c->state = BGP_ESTABLISHED;
	peer->session = c;
	peer->remote_caps = *rc;
	peer->remote_id = c->remote.bgp_id;
	memset(&peer->opts, 0, sizeof(peer->opts));
	peer->opts.as4 = rc->as4;
	peer->opts.ebgp = peer->cfg.peer_as != peer->spk->local_as;
	peer->opts.peer_as = peer->cfg.peer_as;
	peer->opts.addpath_rx[BGP_FAM_VPNV4] =
		peer->cfg.addpath_receive &&
		(rc->addpath[BGP_FAM_VPNV4] & BGP_ADDPATH_SEND);
	memset(peer->disabled, 0, sizeof(peer->disabled));
	memset(peer->eor_received, 0, sizeof(peer->eor_received));
	peer->stats.established_count++;
	peer->last_error[0] = '\0';
	event_del(peer->connect_timer);
	if (other)
		conn_notify(other, BGP_ERR_CEASE, BGP_CEASE_COLLISION, NULL, 0,
			    "connection collision resolution");
	peer_update_state(peer);
	PEER_LOG(LOG_NOTICE, peer,
		 "session up: hold %u, 4-octet AS %s, add-path %s, graceful restart %s",
		 c->hold_time, rc->as4 ? "yes" : "no",
		 peer->opts.addpath_rx[BGP_FAM_VPNV4] ? "receive" : "no",
		 rc->gr ? "yes" : "no");
	if (peer->stale) {
		event_del(peer->restart_timer);
		/* RFC 4724 4.2: no GR or no forwarding state: drop at once */
		if (!rc->gr || !rc->gr_af[BGP_FAM_VPNV4] ||
		    !rc->gr_af_forwarding[BGP_FAM_VPNV4]) {
			drop_stale(peer, "peer came back without preserved forwarding state");
		} else {
			struct timeval tv = { peer->cfg.gr_stale_time, 0 };

			event_add(peer->stale_timer, &tv);
		}
	}
	if (peer->spk->handlers->established)
		peer->spk->handlers->established(peer, peer->spk->ctx);
	/* nothing to advertise: End-of-RIB right away (RFC 4724 2) */
	conn_send(c, buf, bgp_eor_encode(buf, sizeof(buf), BGP_FAM_VPNV4));
}

static void log_update_error(struct bgp_peer *peer, const struct bgp_update *u)
{
	if (u->err.action == BGP_ACT_NONE)
		return;
	peer->stats.malformed++;
	PEER_LOG(LOG_WARNING, peer, "malformed UPDATE (%s): %s",
		 bgp_action_name(u->err.action), u->err.reason);
}

static void handle_update(struct bgp_conn *c, const uint8_t *msg, size_t len)
{
	struct bgp_peer *peer = c->peer;
	const struct bgp_handlers *h = peer->spk->handlers;
	struct bgp_update *u = malloc(sizeof(*u));
	enum bgp_family fam;

	if (!u) {
		conn_notify(c, BGP_ERR_CEASE, BGP_CEASE_OUT_OF_RESOURCES, NULL,
			    0, "out of memory");
		return;
	}
	peer->stats.updates_in++;
	bgp_update_parse(msg, len, &peer->opts, u);
	log_update_error(peer, u);
	switch (u->err.action) {
	case BGP_ACT_SESSION_RESET:
		conn_notify(c, u->err.code, u->err.subcode, u->err.data,
			    u->err.data_len, u->err.reason);
		goto out;
	case BGP_ACT_AFISAFI_DISABLE:
		if (bgp_family_from_afi_safi(u->err.afi, u->err.safi, &fam) &&
		    !peer->disabled[fam]) {
			peer->disabled[fam] = true;
			PEER_LOG(LOG_ERR, peer,
				 "%s disabled for this session, its paths are removed",
				 bgp_family_name(fam));
			if (h->family_disabled)
				h->family_disabled(peer, fam, peer->spk->ctx);
		}
		break;
	default:
		break;
	}
	if (u->eor) {
		peer->eor_received[u->eor_family] = true;
		PEER_LOG(LOG_INFO, peer, "End-of-RIB for %s",
			 bgp_family_name(u->eor_family));
		if (h->end_of_rib)
			h->end_of_rib(peer, u->eor_family, peer->spk->ctx);
		if (u->eor_family == BGP_FAM_VPNV4 && peer->stale) {
			peer->stale = false;
			peer_stop_gr_timers(peer);
		}
		goto out;
	}
	if (peer->disabled[BGP_FAM_VPNV4]) {
		u->n_vpn_reach = 0;
		u->n_vpn_unreach = 0;
	}
	if (h->update)
		h->update(peer, u, peer->spk->ctx);
out:
	bgp_update_free(u);
	free(u);
}

static void handle_notification(struct bgp_conn *c, const uint8_t *msg,
				size_t len)
{
	struct bgp_peer *peer = c->peer;
	struct bgp_notification n;
	struct bgp_error err;
	char text[1200];

	bgp_error_clear(&err);
	peer->stats.notifications_in++;
	if (bgp_notification_parse(msg, len, &n, &err)) {
		bgp_notification_format(&n, text, sizeof(text));
		PEER_LOG(LOG_WARNING, peer, "received NOTIFICATION %s", text);
		snprintf(peer->last_error, sizeof(peer->last_error),
			 "received %.200s", text);
	}
	conn_close(c, false);
}

static void handle_message(struct bgp_conn *c, uint8_t type,
			   const uint8_t *msg, size_t len)
{
	struct bgp_error err;
	struct bgp_route_refresh rr;

	c->peer->stats.msgs_in++;
	bgp_error_clear(&err);
	if (type == BGP_MSG_NOTIFICATION) {
		handle_notification(c, msg, len);
		return;
	}
	switch (c->state) {
	case BGP_OPENSENT:
		if (type != BGP_MSG_OPEN) {
			fsm_error(c, type);
			return;
		}
		handle_open(c, msg, len);
		return;
	case BGP_OPENCONFIRM:
		if (type != BGP_MSG_KEEPALIVE) {
			fsm_error(c, type);
			return;
		}
		conn_restart_hold(c);
		conn_established(c);
		return;
	case BGP_ESTABLISHED:
		conn_restart_hold(c);
		switch (type) {
		case BGP_MSG_KEEPALIVE:
			return;
		case BGP_MSG_UPDATE:
			handle_update(c, msg, len);
			return;
		case BGP_MSG_ROUTE_REFRESH:
			/* nothing is advertised, so nothing to resend */
			if (!bgp_route_refresh_parse(msg, len, &rr, &err))
				conn_notify(c, err.code, err.subcode, err.data,
					    err.data_len, err.reason);
			return;
		default:
			fsm_error(c, type);
			return;
		}
	default:
		return;
	}
}

static void conn_read_cb(struct bufferevent *bev, void *arg)
{
	struct bgp_conn *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);

	while (!c->closing) {
		size_t avail = evbuffer_get_length(in);
		struct bgp_error err;
		uint16_t len;
		uint8_t type;
		uint8_t *p;

		if (avail < BGP_HEADER_LEN)
			return;
		p = evbuffer_pullup(in, BGP_HEADER_LEN);
		bgp_error_clear(&err);
		if (!bgp_header_parse(p, BGP_HEADER_LEN, &len, &type, &err)) {
			conn_notify(c, err.code, err.subcode, err.data,
				    err.data_len, err.reason);
			return;
		}
		if (avail < len)
			return;
		p = evbuffer_pullup(in, len);
		handle_message(c, type, p, len);
		evbuffer_drain(in, len);
	}
}

static void conn_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct bgp_conn *c = arg;
	struct bgp_peer *peer = c->peer;

	(void)bev;
	if (what & BEV_EVENT_CONNECTED) {
		PEER_LOG(LOG_INFO, peer, "TCP connection established (outgoing)");
		conn_send_open(c);
		return;
	}
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
		int e = EVUTIL_SOCKET_ERROR();

		PEER_LOG(c->state >= BGP_OPENCONFIRM ? LOG_WARNING : LOG_INFO,
			 peer, "%s connection %s%s%s",
			 c->outgoing ? "outgoing" : "incoming",
			 (what & BEV_EVENT_EOF) ? "closed by peer" : "failed",
			 (what & BEV_EVENT_ERROR) ? ": " : "",
			 (what & BEV_EVENT_ERROR) ? evutil_socket_error_to_string(e) : "");
		if (c->state == BGP_ESTABLISHED)
			snprintf(peer->last_error, sizeof(peer->last_error),
				 "TCP connection lost");
		/* RFC 4724 4.2: a session lost without NOTIFICATION keeps
		 * its paths when the peer does graceful restart */
		conn_close(c, true);
	}
}

static struct bgp_conn *conn_new(struct bgp_peer *peer, int fd, bool outgoing)
{
	struct event_base *base = peer->spk->base;
	struct bgp_conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->peer = peer;
	c->outgoing = outgoing;
	c->bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	c->hold_timer = evtimer_new(base, hold_timer_cb, c);
	c->keepalive_timer = evtimer_new(base, keepalive_cb, c);
	c->reaper = evtimer_new(base, reaper_cb, c);
	if (!c->bev || !c->hold_timer || !c->keepalive_timer || !c->reaper) {
		if (!c->bev && fd >= 0)
			close(fd);
		conn_free(c);
		return NULL;
	}
	bufferevent_setcb(c->bev, conn_read_cb, NULL, conn_event_cb, c);
	bufferevent_enable(c->bev, EV_READ);
	return c;
}

/*
 * The source for sessions over connect-interface name: its first IPv4
 * address outside 127/8 (so "lo" works as VRP's LoopBack0 does).
 */
static bool interface_ipv4(const char *name, struct in_addr *out)
{
	struct ifaddrs *list, *ifa;
	bool found = false;

	if (getifaddrs(&list) < 0)
		return false;
	for (ifa = list; ifa && !found; ifa = ifa->ifa_next) {
		struct in_addr a;

		if (!ifa->ifa_addr || ifa->ifa_addr->sa_family != AF_INET ||
		    strcmp(ifa->ifa_name, name))
			continue;
		a = ((struct sockaddr_in *)ifa->ifa_addr)->sin_addr;
		if ((ntohl(a.s_addr) >> 24) == 127)
			continue;
		*out = a;
		found = true;
	}
	freeifaddrs(list);
	return found;
}

static void connect_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct bgp_peer *peer = arg;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct bgp_conn *c;
	int s;

	(void)fd;
	(void)what;
	if (!peer->enabled || peer->cfg.passive || peer->conn[0] ||
	    peer->session)
		return;
	s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0) {
		PEER_LOG(LOG_ERR, peer, "socket: %s", strerror(errno));
		peer_schedule_connect(peer, peer->cfg.connect_retry);
		return;
	}
	if (!peer->cfg.local_addr && peer->cfg.local_ifname[0] &&
	    !interface_ipv4(peer->cfg.local_ifname, &sin.sin_addr)) {
		PEER_LOG(LOG_WARNING, peer,
			 "connect-interface %s has no IPv4 address: retrying in %u s",
			 peer->cfg.local_ifname, peer->cfg.connect_retry);
		close(s);
		peer_schedule_connect(peer, peer->cfg.connect_retry);
		return;
	}
	if (peer->cfg.local_addr)
		sin.sin_addr.s_addr = htonl(peer->cfg.local_addr);
	if (sin.sin_addr.s_addr) {
		if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
			PEER_LOG(LOG_ERR, peer, "bind to connect-interface: %s",
				 strerror(errno));
			close(s);
			peer_schedule_connect(peer, peer->cfg.connect_retry);
			return;
		}
	}
	c = conn_new(peer, s, true);
	if (!c) {
		peer_schedule_connect(peer, peer->cfg.connect_retry);
		return;
	}
	peer->conn[0] = c;
	c->state = BGP_CONNECT;
	sin.sin_addr.s_addr = htonl(peer->cfg.peer_addr);
	sin.sin_port = htons(peer->spk->port);
	if (bufferevent_socket_connect(c->bev, (struct sockaddr *)&sin,
				       sizeof(sin)) < 0) {
		conn_close(c, false);
		return;
	}
	PEER_LOG(LOG_DEBUG, peer, "connecting");
	peer_update_state(peer);
}

static void peer_schedule_connect(struct bgp_peer *peer, int seconds)
{
	struct timeval tv = { seconds, 0 };

	event_add(peer->connect_timer, &tv);
}

void bgp_conn_accepted(struct bgp_peer *peer, int fd)
{
	struct bgp_conn *c, *old;

	if (!peer->enabled) {
		close(fd);
		return;
	}
	if (peer->session) {
		if (peer->session->remote.caps.gr) {
			/* RFC 4724 4.2: treat the old session as failed */
			PEER_LOG(LOG_NOTICE, peer,
				 "new connection while established: peer restarted");
			conn_close(peer->session, true);
		} else {
			PEER_LOG(LOG_INFO, peer,
				 "refusing a new connection while established");
			close(fd);
			return;
		}
	}
	old = peer->conn[1];
	if (old)
		conn_close(old, false);
	c = conn_new(peer, fd, false);
	if (!c)
		return;
	peer->conn[1] = c;
	PEER_LOG(LOG_INFO, peer, "TCP connection accepted (incoming)");
	conn_send_open(c);
}

static void restart_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	drop_stale(arg, "restart time expired before the session came back");
}

static void stale_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	drop_stale(arg, "no End-of-RIB before the stale-path time expired");
}

static void peer_session_lost(struct bgp_peer *peer, bool keep_stale)
{
	const struct bgp_caps *rc = &peer->remote_caps;
	bool stale = keep_stale && peer->cfg.graceful_restart && rc->gr &&
		     rc->gr_af[BGP_FAM_VPNV4] && !peer->disabled[BGP_FAM_VPNV4];

	if (stale) {
		struct timeval tv = { rc->gr_time, 0 };

		/* a second failure while stale keeps the first timers */
		if (!peer->stale) {
			peer->stale = true;
			event_add(peer->restart_timer, &tv);
		}
		PEER_LOG(LOG_NOTICE, peer,
			 "session lost, keeping its paths as stale for %u s",
			 rc->gr_time);
	} else {
		peer->stale = false;
		peer_stop_gr_timers(peer);
	}
	if (peer->spk->handlers->down)
		peer->spk->handlers->down(peer, stale, peer->spk->ctx);
}

void bgp_peer_default_config(struct bgp_peer_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->hold_time = 180;
	cfg->connect_retry = 32;
	cfg->graceful_restart = true;
	cfg->gr_restart_time = 120;
	cfg->gr_stale_time = 360;
	cfg->addpath_receive = true;
}

struct bgp_peer *bgp_peer_add(struct bgp_speaker *spk,
			      const struct bgp_peer_config *cfg)
{
	struct bgp_peer *peer = calloc(1, sizeof(*peer));

	if (!peer)
		return NULL;
	peer->spk = spk;
	peer->cfg = *cfg;
	peer->connect_timer = evtimer_new(spk->base, connect_timer_cb, peer);
	peer->restart_timer = evtimer_new(spk->base, restart_timer_cb, peer);
	peer->stale_timer = evtimer_new(spk->base, stale_timer_cb, peer);
	if (!peer->connect_timer || !peer->restart_timer || !peer->stale_timer) {
		bgp_peer_delete(peer);
		return NULL;
	}
	peer->last_change = time(NULL);
	peer->next = spk->peers;
	spk->peers = peer;
	return peer;
}

void bgp_peer_start(struct bgp_peer *peer)
{
	if (peer->enabled)
		return;
	peer->enabled = true;
	peer_update_state(peer);
	if (!peer->cfg.passive)
		peer_schedule_connect(peer, 0);
}

void bgp_peer_stop(struct bgp_peer *peer, const char *text)
{
	uint8_t comm[256];
	size_t n = strlen(text);

	if (n > 255)
		n = 255;
	comm[0] = (uint8_t)n;
	memcpy(comm + 1, text, n);
	peer->enabled = false;
	event_del(peer->connect_timer);
	for (int i = 0; i < 2; i++) {
		struct bgp_conn *c = peer->conn[i];

		if (!c)
			continue;
		if (c->state >= BGP_OPENSENT)
			conn_notify(c, BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN,
				    comm, n + 1, text);
		else
			conn_close(c, false);
	}
	drop_stale(peer, "peer stopped");
	peer_update_state(peer);
}

void bgp_peer_delete(struct bgp_peer *peer)
{
	struct bgp_peer **pp;

	if (peer->enabled)
		bgp_peer_stop(peer, "peer deleted");
	for (pp = &peer->spk->peers; *pp; pp = &(*pp)->next) {
		if (*pp == peer) {
			*pp = peer->next;
			break;
		}
	}
	if (peer->connect_timer)
		event_free(peer->connect_timer);
	if (peer->restart_timer)
		event_free(peer->restart_timer);
	if (peer->stale_timer)
		event_free(peer->stale_timer);
	free(peer);
}
