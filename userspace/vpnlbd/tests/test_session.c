// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Session tests over real TCP on loopback: a scripted peer (raw socket)
 * talks to the speaker running in this process's event loop.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <event2/event.h>

#include "bgp_msg.h"
#include "bgp_peer.h"
#include "bgp_update.h"
#include "bgp_wire.h"
#include "log.h"
#include "msgbuild.h"

#define LO(x)	(0x7f000000u | (x))

static uint16_t port;

struct events {
	int established, down, down_stale, updates, eor, stale_expired;
	size_t last_reach, last_unreach;
	uint32_t last_path_ids[4];
	enum bgp_action last_action;
};

static struct events ev;

static void on_established(struct bgp_peer *p, void *c) { (void)p; (void)c; ev.established++; }
static void on_down(struct bgp_peer *p, bool stale, void *c)
{
	(void)p;
	(void)c;
	ev.down++;
	ev.down_stale += stale;
}
static void on_update(struct bgp_peer *p, const struct bgp_update *u, void *c)
{
	(void)p;
	(void)c;
	ev.updates++;
	ev.last_reach = u->n_vpn_reach;
	ev.last_unreach = u->n_vpn_unreach;
	ev.last_action = u->err.action;
	for (size_t i = 0; i < u->n_vpn_reach && i < 4; i++)
		ev.last_path_ids[i] = u->vpn_reach[i].path_id;
}
static void on_eor(struct bgp_peer *p, enum bgp_family f, void *c) { (void)p; (void)f; (void)c; ev.eor++; }
static void on_stale(struct bgp_peer *p, void *c) { (void)p; (void)c; ev.stale_expired++; }

static const struct bgp_handlers handlers = {
	.established = on_established, .down = on_down, .update = on_update,
	.end_of_rib = on_eor, .stale_expired = on_stale,
};

struct fixture {
	struct event_base *base;
	struct bgp_speaker spk;
	struct bgp_peer *peer;
	int fd;
	uint8_t in[65536];
	size_t in_len;
};

static void pump_once(struct fixture *f)
{
	event_base_loop(f->base, EVLOOP_NONBLOCK);
	usleep(1000);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Runs the loop until *counter reaches want, at most secs seconds. */
static bool pump_until(struct fixture *f, const int *counter, int want, double secs)
{
	double end = now() + secs;

	while (now() < end) {
		if (*counter >= want)
			return true;
		pump_once(f);
	}
	return *counter >= want;
}

/* Reads one whole BGP message from the scripted peer's socket. */
static bool recv_msg(struct fixture *f, uint8_t *type, uint8_t *msg, size_t *len,
		     double secs)
{
	double end = now() + secs;

	while (now() < end) {
		ssize_t n = recv(f->fd, f->in + f->in_len, sizeof(f->in) - f->in_len, 0);

		if (n > 0)
			f->in_len += (size_t)n;
		if (f->in_len >= 19) {
			size_t l = get_be16(f->in + 16);

			if (f->in_len >= l) {
				*type = f->in[18];
				memcpy(msg, f->in, l);
				*len = l;
				memmove(f->in, f->in + l, f->in_len - l);
				f->in_len -= l;
				return true;
			}
		}
		pump_once(f);
	}
	return false;
}

static void send_msg(struct fixture *f, const uint8_t *msg, size_t len)
{
	assert_int_equal(send(f->fd, msg, len, 0), (ssize_t)len);
	for (int i = 0; i < 20; i++)
		pump_once(f);
}

static void fixture_start(struct fixture *f, uint16_t hold)
{
	struct bgp_peer_config cfg;

	memset(&ev, 0, sizeof(ev));
	f->base = event_base_new();
	bgp_speaker_init(&f->spk, f->base, 100, 0x01010101, &handlers, NULL);
	f->spk.port = port;
	assert_int_equal(bgp_speaker_listen(&f->spk, LO(1), port), 0);
	bgp_peer_default_config(&cfg);
	cfg.peer_addr = LO(2);
	cfg.peer_as = 100;
	cfg.passive = true;
	cfg.hold_time = hold;
	f->peer = bgp_peer_add(&f->spk, &cfg);
	bgp_peer_start(f->peer);
	f->fd = -1;
	f->in_len = 0;
}

static void fixture_connect(struct fixture *f)
{
	struct sockaddr_in src = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(LO(2)) };
	struct sockaddr_in dst = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(LO(1)),
				   .sin_port = htons(port) };
	int one = 1;

	f->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(f->fd >= 0);
	setsockopt(f->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	assert_int_equal(bind(f->fd, (struct sockaddr *)&src, sizeof(src)), 0);
	assert_int_equal(connect(f->fd, (struct sockaddr *)&dst, sizeof(dst)), 0);
	fcntl(f->fd, F_SETFL, O_NONBLOCK);
	f->in_len = 0;
}

static void fixture_stop(struct fixture *f)
{
	if (f->fd >= 0)
		close(f->fd);
	bgp_speaker_free(&f->spk);
	for (int i = 0; i < 10; i++)
		event_base_loop(f->base, EVLOOP_NONBLOCK);
	event_base_free(f->base);
}

static void peer_caps(struct bgp_caps *caps, bool gr)
{
	memset(caps, 0, sizeof(*caps));
	caps->mp[BGP_FAM_VPNV4] = true;
	caps->as4 = true;
	caps->addpath[BGP_FAM_VPNV4] = BGP_ADDPATH_SEND;
	if (gr) {
		caps->gr = true;
		caps->gr_time = 30;
		caps->gr_af[BGP_FAM_VPNV4] = true;
		caps->gr_af_forwarding[BGP_FAM_VPNV4] = true;
	}
}

/* Drives the scripted peer to Established. */
static void handshake(struct fixture *f, uint32_t as, uint16_t hold, bool gr)
{
	uint8_t msg[4096], type;
	size_t len;
	struct bgp_caps caps;
	struct bgp_open open;
	struct bgp_error err;
	int est = ev.established;

	fixture_connect(f);
	assert_true(recv_msg(f, &type, msg, &len, 3));
	assert_int_equal(type, BGP_MSG_OPEN);
	bgp_error_clear(&err);
	assert_true(bgp_open_parse(msg, len, &open, &err));
	assert_int_equal(open.my_as, 100);
	assert_int_equal(open.bgp_id, 0x01010101);
	assert_true(open.caps.mp[BGP_FAM_VPNV4]);
	assert_true(open.caps.as4);
	assert_true(open.caps.gr);
	assert_true(open.caps.gr_af_forwarding[BGP_FAM_VPNV4]);
	assert_int_equal(open.caps.addpath[BGP_FAM_VPNV4], BGP_ADDPATH_RECEIVE);
	peer_caps(&caps, gr);
	send_msg(f, msg, bgp_open_encode(msg, sizeof(msg), as, hold, 0x02020202, &caps));
	if (as != 100)
		return;
	assert_true(recv_msg(f, &type, msg, &len, 3));
	assert_int_equal(type, BGP_MSG_KEEPALIVE);
	send_msg(f, msg, bgp_keepalive_encode(msg, sizeof(msg)));
	assert_true(pump_until(f, &ev.established, est + 1, 3));
	assert_int_equal(f->peer->state, BGP_ESTABLISHED);
	/* the speaker has nothing to advertise: End-of-RIB at once */
	assert_true(recv_msg(f, &type, msg, &len, 3));
	assert_int_equal(type, BGP_MSG_UPDATE);
	assert_int_equal(len, 29);
}

static void expect_notification(struct fixture *f, uint8_t code, uint8_t sub)
{
	uint8_t msg[4096], type = 0;
	size_t len;

	do {
		assert_true(recv_msg(f, &type, msg, &len, 8));
	} while (type == BGP_MSG_KEEPALIVE);
	assert_int_equal(type, BGP_MSG_NOTIFICATION);
	assert_int_equal(msg[19], code);
	assert_int_equal(msg[20], sub);
}

static size_t vpn_update(uint8_t *buf, uint32_t path_id_base, bool bad_extcomm,
			 bool dup_mp)
{
	struct tmsg m;
	uint8_t nlri[64], v[128];
	size_t n = 0;

	for (uint32_t i = 0; i < 2; i++) {
		nlri[n++] = 0;
		nlri[n++] = 0;
		nlri[n++] = 0;
		nlri[n++] = (uint8_t)(path_id_base + i);
		n += t_vpn_nlri(nlri + n, 1000 + i, 100ull << 32 | 1, 0x0a010000, 16);
	}
	t_update_begin(&m);
	t_attr(&m, ATTR_O, BGP_ATTR_MP_REACH_NLRI, v, t_mp_reach_vpn(v, 0x02020202, nlri, n));
	if (dup_mp)
		t_attr(&m, ATTR_O, BGP_ATTR_MP_REACH_NLRI, v, t_mp_reach_vpn(v, 0x02020202, nlri, n));
	t_attr(&m, ATTR_T, BGP_ATTR_ORIGIN, "\x00", 1);
	t_attr(&m, ATTR_T, BGP_ATTR_AS_PATH, NULL, 0);
	t_attr(&m, ATTR_T, BGP_ATTR_LOCAL_PREF, "\x00\x00\x00\x64", 4);
	if (bad_extcomm)
		t_attr(&m, ATTR_OT, BGP_ATTR_EXT_COMMUNITIES, "1234567", 7);
	t_update_end(&m, NULL, 0);
	memcpy(buf, m.b, m.len);
	return m.len;
}

static void test_passive_open_and_updates(void **state)
{
	struct fixture f;
	uint8_t msg[4096];

	(void)state;
	fixture_start(&f, 90);
	handshake(&f, 100, 90, false);
	assert_true(f.peer->opts.addpath_rx[BGP_FAM_VPNV4]);
	assert_false(f.peer->opts.ebgp);

	send_msg(&f, msg, vpn_update(msg, 7, false, false));
	assert_true(pump_until(&f, &ev.updates, 1, 3));
	assert_int_equal(ev.last_reach, 2);
	assert_int_equal(ev.last_path_ids[0], 7);
	assert_int_equal(ev.last_path_ids[1], 8);
	assert_int_equal(ev.last_action, BGP_ACT_NONE);

	/* RFC 7606: the routes are withdrawn, the session stays */
	send_msg(&f, msg, vpn_update(msg, 7, true, false));
	assert_true(pump_until(&f, &ev.updates, 2, 3));
	assert_int_equal(ev.last_reach, 0);
	assert_int_equal(ev.last_unreach, 2);
	assert_int_equal(ev.last_action, BGP_ACT_TREAT_AS_WITHDRAW);
	assert_int_equal(f.peer->stats.malformed, 1);
	assert_int_equal(f.peer->state, BGP_ESTABLISHED);

	/* a duplicate MP_REACH_NLRI resets the session */
	send_msg(&f, msg, vpn_update(msg, 7, false, true));
	expect_notification(&f, BGP_ERR_UPDATE, BGP_UPD_MALFORMED_ATTR_LIST);
	assert_true(pump_until(&f, &ev.down, 1, 3));
	assert_int_equal(ev.down_stale, 0);
	assert_int_equal(ev.updates, 2);
	assert_int_equal(f.peer->state, BGP_ACTIVE);
	fixture_stop(&f);
}

static void test_bad_peer_as(void **state)
{
	struct fixture f;
	uint8_t msg[4096], type;
	size_t len;

	(void)state;
	fixture_start(&f, 90);
	handshake(&f, 200, 90, false);
	assert_true(recv_msg(&f, &type, msg, &len, 3));
	assert_int_equal(type, BGP_MSG_NOTIFICATION);
	assert_int_equal(len, 23);
	assert_int_equal(msg[19], BGP_ERR_OPEN);
	assert_int_equal(msg[20], BGP_OPEN_BAD_PEER_AS);
	assert_int_equal(get_be16(msg + 21), 200);
	assert_int_equal(ev.established, 0);
	assert_string_equal(f.peer->last_error,
			    "sent OPEN Message Error/Bad Peer AS: peer AS 200, expected 100");
	fixture_stop(&f);
}

static void test_no_vpnv4(void **state)
{
	struct fixture f;
	uint8_t msg[4096], type;
	size_t len;
	struct bgp_caps caps = { .as4 = true };

	(void)state;
	fixture_start(&f, 90);
	fixture_connect(&f);
	assert_true(recv_msg(&f, &type, msg, &len, 3));
	caps.mp[BGP_FAM_IPV4_UNICAST] = true;
	send_msg(&f, msg, bgp_open_encode(msg, sizeof(msg), 100, 90, 0x02020202, &caps));
	assert_true(recv_msg(&f, &type, msg, &len, 3));
	assert_int_equal(type, BGP_MSG_NOTIFICATION);
	assert_int_equal(msg[19], BGP_ERR_OPEN);
	assert_int_equal(msg[20], BGP_OPEN_UNSUPPORTED_CAPABILITY);
	/* the data names the missing capability */
	assert_int_equal(len, 21 + 6);
	assert_memory_equal(msg + 21, "\x01\x04\x00\x01\x00\x80", 6);
	fixture_stop(&f);
}

static void test_unexpected_message(void **state)
{
	struct fixture f;
	uint8_t msg[4096], type;
	size_t len;
	struct bgp_caps caps;

	(void)state;
	fixture_start(&f, 90);
	fixture_connect(&f);
	assert_true(recv_msg(&f, &type, msg, &len, 3));
	peer_caps(&caps, false);
	send_msg(&f, msg, bgp_open_encode(msg, sizeof(msg), 100, 90, 0x02020202, &caps));
	assert_true(recv_msg(&f, &type, msg, &len, 3));
	assert_int_equal(type, BGP_MSG_KEEPALIVE);
	/* OpenConfirm wants KEEPALIVE; an UPDATE is an FSM error (RFC 6608) */
	send_msg(&f, msg, bgp_eor_encode(msg, sizeof(msg), BGP_FAM_VPNV4));
	expect_notification(&f, BGP_ERR_FSM, 2);
	assert_int_equal(ev.established, 0);
	fixture_stop(&f);
}

static void test_hold_timer(void **state)
{
	struct fixture f;
	uint8_t msg[4096], type;
	size_t len;
	int keepalives = 0;

	(void)state;
	fixture_start(&f, 3);
	handshake(&f, 100, 3, false);
	assert_int_equal(f.peer->session->hold_time, 3);
	/* silent peer: the speaker keeps sending KEEPALIVEs every second,
	 * then gives up with Hold Timer Expired */
	for (;;) {
		assert_true(recv_msg(&f, &type, msg, &len, 6));
		if (type != BGP_MSG_KEEPALIVE)
			break;
		keepalives++;
	}
	assert_int_equal(type, BGP_MSG_NOTIFICATION);
	assert_int_equal(msg[19], BGP_ERR_HOLD_TIMER);
	assert_true(keepalives >= 1);
	assert_true(pump_until(&f, &ev.down, 1, 2));
	assert_int_equal(ev.down_stale, 0);
	fixture_stop(&f);
}

static void test_graceful_restart_helper(void **state)
{
	struct fixture f;
	uint8_t msg[4096];

	(void)state;
	fixture_start(&f, 90);
	handshake(&f, 100, 90, true);
	/* TCP dies without a NOTIFICATION: paths kept as stale */
	close(f.fd);
	f.fd = -1;
	assert_true(pump_until(&f, &ev.down, 1, 3));
	assert_int_equal(ev.down_stale, 1);
	assert_true(f.peer->stale);

	/* back with forwarding state preserved: stale until End-of-RIB */
	handshake(&f, 100, 90, true);
	assert_true(f.peer->stale);
	assert_int_equal(ev.stale_expired, 0);
	send_msg(&f, msg, bgp_eor_encode(msg, sizeof(msg), BGP_FAM_VPNV4));
	assert_true(pump_until(&f, &ev.eor, 1, 3));
	assert_false(f.peer->stale);
	assert_int_equal(ev.stale_expired, 0);

	/* down again, and back without GR: stale paths go at once */
	close(f.fd);
	f.fd = -1;
	assert_true(pump_until(&f, &ev.down, 2, 3));
	assert_int_equal(ev.down_stale, 2);
	handshake(&f, 100, 90, false);
	assert_int_equal(ev.stale_expired, 1);
	assert_false(f.peer->stale);
	fixture_stop(&f);
}

static void test_collision(void **state)
{
	struct event_base *base = event_base_new();
	struct bgp_speaker a, b;
	struct bgp_peer_config cfg;
	struct bgp_peer *pa, *pb;
	double end;

	(void)state;
	memset(&ev, 0, sizeof(ev));
	bgp_speaker_init(&a, base, 100, 0x01010101, &handlers, NULL);
	bgp_speaker_init(&b, base, 100, 0x02020202, &handlers, NULL);
	a.port = b.port = port;
	assert_int_equal(bgp_speaker_listen(&a, LO(1), port), 0);
	assert_int_equal(bgp_speaker_listen(&b, LO(2), port), 0);
	bgp_peer_default_config(&cfg);
	cfg.peer_as = 100;
	cfg.connect_retry = 1;
	cfg.peer_addr = LO(2);
	cfg.local_addr = LO(1);
	pa = bgp_peer_add(&a, &cfg);
	cfg.peer_addr = LO(1);
	cfg.local_addr = LO(2);
	pb = bgp_peer_add(&b, &cfg);
	/* both open at once */
	bgp_peer_start(pa);
	bgp_peer_start(pb);
	end = now() + 5;
	while (now() < end && !(pa->state == BGP_ESTABLISHED &&
				pb->state == BGP_ESTABLISHED &&
				!(pa->conn[0] && pa->conn[1]) &&
				!(pb->conn[0] && pb->conn[1]))) {
		event_base_loop(base, EVLOOP_NONBLOCK);
		usleep(1000);
	}
	assert_int_equal(pa->state, BGP_ESTABLISHED);
	assert_int_equal(pb->state, BGP_ESTABLISHED);
	assert_int_equal(pa->stats.established_count, 1);
	assert_int_equal(pb->stats.established_count, 1);
	/* RFC 4271 6.8: the connection opened by the higher identifier (B)
	 * survives */
	assert_false(pa->session->outgoing);
	assert_true(pb->session->outgoing);
	assert_int_equal(pa->stats.notifications_in + pa->stats.notifications_out +
			 pb->stats.notifications_in + pb->stats.notifications_out, 2);
	bgp_speaker_free(&a);
	bgp_speaker_free(&b);
	for (int i = 0; i < 10; i++)
		event_base_loop(base, EVLOOP_NONBLOCK);
	event_base_free(base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_passive_open_and_updates),
		cmocka_unit_test(test_bad_peer_as),
		cmocka_unit_test(test_no_vpnv4),
		cmocka_unit_test(test_unexpected_message),
		cmocka_unit_test(test_hold_timer),
		cmocka_unit_test(test_graceful_restart_helper),
		cmocka_unit_test(test_collision),
	};

	port = (uint16_t)(20000 + getpid() % 20000);
	log_init("test", false, getenv("TEST_DEBUG") ? LOG_DEBUG : LOG_EMERG);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
