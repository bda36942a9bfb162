// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bgp-feeder: a BGP speaker that sends one prefix list as VPNv4 routes as
 * fast as the receiver takes them, so that the receiver is what a scale
 * benchmark measures. The UPDATEs (as many NLRI as fit in 4096 bytes) and
 * the End-of-RIB are encoded before the session opens; once it is
 * Established they go out in one write queue. The session then stays up
 * (keepalives) until the process is killed.
 *
 *   bgp-feeder --peer ADDR --local ADDR --as AS --router-id ID --rd RD
 *              --rt RT --label L [--nexthop ADDR] [--port P] [--max N]
 *              TABLE
 *
 * TABLE: one CIDR per line ("-" reads stdin). Prints, one line each:
 *   encoded PREFIXES UPDATES BYTES
 *   first-update EPOCH_SECONDS.NANOSECONDS   (just before the first write)
 *   sent EPOCH_SECONDS.NANOSECONDS           (the kernel took the last byte)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "bgp_extcomm.h"
#include "bgp_msg.h"
#include "bgp_update.h"

#define FEEDER_HOLD_TIME	180
#define FEEDER_KEEPALIVE_SECS	30

struct feeder {
	struct event_base *base;
	struct bufferevent *bev;
	struct event *retry, *keepalive;
	struct sockaddr_in peer, local;
	uint32_t as, router_id;
	uint8_t *updates;		/* every UPDATE, then the End-of-RIB */
	size_t updates_len;
	bool open_rcvd, established, sent;
};

static void die(const char *what)
{
	fprintf(stderr, "bgp-feeder: %s\n", what);
	exit(1);
}

static void print_time(const char *what)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	printf("%s %lld.%09ld\n", what, (long long)ts.tv_sec, ts.tv_nsec);
	fflush(stdout);
}

static bool parse_ipv4(const char *s, uint32_t *out)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return false;
	*out = ntohl(a.s_addr);
	return true;
}

static bool parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* Reads "A.B.C.D/LEN" lines; host bits are cleared, bad lines skipped. */
static struct bgp_vpn_prefix *read_table(const char *path, size_t max,
					 size_t *n_out)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	struct bgp_vpn_prefix *v = NULL;
	size_t n = 0, cap = 0;
	char line[128];

	if (!f)
		die("cannot open the prefix table");
	while (n < max && fgets(line, sizeof(line), f)) {
		char *slash = strchr(line, '/');
		uint32_t addr, len;

		if (!slash)
			continue;
		*slash = '\0';
		slash[1 + strcspn(slash + 1, " \t\r\n")] = '\0';
		if (!parse_ipv4(line, &addr) || !parse_u32(slash + 1, 32, &len))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			v = realloc(v, cap * sizeof(*v));
			if (!v)
				die("out of memory");
		}
		memset(&v[n], 0, sizeof(v[n]));
		v[n].len = (uint8_t)len;
		v[n].addr = len ? addr & (~0u << (32 - len)) : 0;
		n++;
	}
	if (f != stdin)
		fclose(f);
	*n_out = n;
	return v;
}

/* Encodes every UPDATE and the End-of-RIB into one buffer. */
static void encode_all(struct feeder *fd, struct bgp_vpn_prefix *routes,
		       size_t n, const struct bgp_tx_attrs *tx)
{
	size_t cap = 1 << 20, off = 0, done = 0, updates = 0, k;

	fd->updates = malloc(cap);
	while (fd->updates) {
		if (cap - off < BGP_MAX_MSG_LEN) {
			cap *= 2;
			fd->updates = realloc(fd->updates, cap);
			continue;
		}
		if (done == n) {
			k = bgp_eor_encode(fd->updates + off, cap - off,
					   BGP_FAM_VPNV4);
			if (!k)
				die("cannot encode the End-of-RIB");
			off += k;
			break;
		}
		size_t used;

		k = bgp_update_encode_vpn(fd->updates + off, BGP_MAX_MSG_LEN,
					  tx, true, false, routes + done,
					  n - done, &used);
		if (!k)
			die("cannot encode an UPDATE");
		off += k;
		done += used;
		updates++;
	}
	if (!fd->updates)
		die("out of memory");
	fd->updates_len = off;
	printf("encoded %zu %zu %zu\n", n, updates, off);
	fflush(stdout);
}

static void send_msg(struct feeder *fd, const uint8_t *msg, size_t len)
{
	if (!len || bufferevent_write(fd->bev, msg, len))
		die("cannot queue a message");
}

static void on_keepalive_timer(evutil_socket_t s, short what, void *arg)
{
	struct feeder *fd = arg;
	uint8_t ka[BGP_KEEPALIVE_LEN];

	(void)s;
	(void)what;
	send_msg(fd, ka, bgp_keepalive_encode(ka, sizeof(ka)));
}

static void on_written(struct bufferevent *bev, void *arg)
{
	struct feeder *fd = arg;

	(void)bev;
	if (fd->established && !fd->sent) {
		fd->sent = true;
		print_time("sent");
	}
}

static void start_feed(struct feeder *fd)
{
	static const struct timeval every = { FEEDER_KEEPALIVE_SECS, 0 };

	fd->established = true;
	fd->keepalive = event_new(fd->base, -1, EV_PERSIST,
				  on_keepalive_timer, fd);
	if (!fd->keepalive || event_add(fd->keepalive, &every))
		die("cannot arm the keepalive timer");
	print_time("first-update");
	/* zero copy: the encoded buffer outlives the session */
	if (evbuffer_add_reference(bufferevent_get_output(fd->bev),
				   fd->updates, fd->updates_len, NULL, NULL))
		die("cannot queue the UPDATEs");
}

/* Reads whole messages; everything but OPEN, KEEPALIVE, NOTIFICATION is
 * discarded (a receiver may send routes back). */
static void on_read(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	struct feeder *fd = arg;
	uint8_t hdr[BGP_HEADER_LEN];

	while (evbuffer_get_length(in) >= BGP_HEADER_LEN) {
		struct bgp_error err;
		uint16_t len;
		uint8_t type;

		evbuffer_copyout(in, hdr, sizeof(hdr));
		if (!bgp_header_parse(hdr, sizeof(hdr), &len, &type, &err))
			die("bad message header from the peer");
		if (evbuffer_get_length(in) < len)
			return;
		if (type == BGP_MSG_NOTIFICATION) {
			uint8_t msg[BGP_MAX_MSG_LEN];
			struct bgp_notification n;
			char text[256];

			evbuffer_remove(in, msg, len);
			if (bgp_notification_parse(msg, len, &n, &err)) {
				bgp_notification_format(&n, text, sizeof(text));
				fprintf(stderr, "bgp-feeder: NOTIFICATION %s\n",
					text);
			}
			exit(1);
		}
		evbuffer_drain(in, len);
		if (type == BGP_MSG_OPEN && !fd->open_rcvd) {
			uint8_t ka[BGP_KEEPALIVE_LEN];

			fd->open_rcvd = true;
			send_msg(fd, ka, bgp_keepalive_encode(ka, sizeof(ka)));
		} else if (type == BGP_MSG_KEEPALIVE && fd->open_rcvd &&
			   !fd->established) {
			start_feed(fd);
		}
	}
}

static void connect_peer(struct feeder *fd);

static void on_event(struct bufferevent *bev, short what, void *arg)
{
	static const struct timeval again = { 1, 0 };
	struct feeder *fd = arg;

	if (what & BEV_EVENT_CONNECTED) {
		struct bgp_caps caps = { .as4 = true, .as4_asn = fd->as,
					 .route_refresh = true };
		uint8_t open[BGP_MAX_MSG_LEN];
		int one = 1;

		caps.mp[BGP_FAM_VPNV4] = true;
		setsockopt(bufferevent_getfd(bev), IPPROTO_TCP, TCP_NODELAY,
			   &one, sizeof(one));
		send_msg(fd, open, bgp_open_encode(open, sizeof(open), fd->as,
						   FEEDER_HOLD_TIME,
						   fd->router_id, &caps));
		return;
	}
	if (fd->established) {
		fprintf(stderr, "bgp-feeder: session closed by the peer\n");
		exit(1);
	}
	/* not up yet (receiver still starting): try again */
	bufferevent_free(bev);
	fd->bev = NULL;
	fd->open_rcvd = false;
	evtimer_add(fd->retry, &again);
}

static void connect_peer(struct feeder *fd)
{
	evutil_socket_t s = socket(AF_INET, SOCK_STREAM, 0);

	if (s < 0)
		die("socket");
	if (fd->local.sin_addr.s_addr &&
	    bind(s, (struct sockaddr *)&fd->local, sizeof(fd->local)))
		die("cannot bind the local address");
	evutil_make_socket_nonblocking(s);
	fd->bev = bufferevent_socket_new(fd->base, s, BEV_OPT_CLOSE_ON_FREE);
	if (!fd->bev)
		die("bufferevent");
	bufferevent_setcb(fd->bev, on_read, on_written, on_event, fd);
	bufferevent_enable(fd->bev, EV_READ | EV_WRITE);
	if (bufferevent_socket_connect(fd->bev, (struct sockaddr *)&fd->peer,
				       sizeof(fd->peer)))
		on_event(fd->bev, BEV_EVENT_ERROR, fd);
}

static void on_retry(evutil_socket_t s, short what, void *arg)
{
	(void)s;
	(void)what;
	connect_peer(arg);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: bgp-feeder --peer ADDR --local ADDR --as AS --router-id ID\n"
		"                  --rd RD --rt RT --label L [--nexthop ADDR]\n"
		"                  [--port P] [--max N] TABLE\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "peer", required_argument, NULL, 'p' },
		{ "local", required_argument, NULL, 'l' },
		{ "as", required_argument, NULL, 'a' },
		{ "router-id", required_argument, NULL, 'i' },
		{ "rd", required_argument, NULL, 'd' },
		{ "rt", required_argument, NULL, 't' },
		{ "label", required_argument, NULL, 'L' },
		{ "nexthop", required_argument, NULL, 'n' },
		{ "port", required_argument, NULL, 'P' },
		{ "max", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	static const uint8_t aspath_empty[1];
	uint32_t peer = 0, local = 0, label = 0, port = BGP_PORT, nexthop = 0;
	struct bgp_tx_attrs tx = { .origin = BGP_ORIGIN_IGP,
				   .aspath = aspath_empty, .aspath_len = 0,
				   .has_local_pref = true, .local_pref = 100 };
	struct feeder fd = { 0 };
	uint64_t rd = 0, rt = 0;
	uint8_t rt_wire[8];
	struct bgp_vpn_prefix *routes;
	size_t n, max = (size_t)-1, i;
	uint32_t max32;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		bool ok = true;

		switch (c) {
		case 'p': ok = parse_ipv4(optarg, &peer); break;
		case 'l': ok = parse_ipv4(optarg, &local); break;
		case 'a': ok = parse_u32(optarg, UINT32_MAX, &fd.as); break;
		case 'i': ok = parse_ipv4(optarg, &fd.router_id); break;
		case 'd': ok = bgp_rd_parse(optarg, &rd); break;
		case 't': ok = bgp_rt_parse(optarg, &rt); break;
		case 'L': ok = parse_u32(optarg, 0xfffff, &label); break;
		case 'n': ok = parse_ipv4(optarg, &nexthop); break;
		case 'P': ok = parse_u32(optarg, 65535, &port); break;
		case 'm':
			ok = parse_u32(optarg, UINT32_MAX, &max32);
			max = max32 ? max32 : (size_t)-1;
			break;
		default: usage();
		}
		if (!ok) {
			fprintf(stderr, "bgp-feeder: bad value '%s'\n", optarg);
			usage();
		}
	}
	if (optind != argc - 1 || !peer || !fd.as || !fd.router_id || !rd ||
	    !rt || !label)
		usage();

	routes = read_table(argv[optind], max, &n);
	if (!n)
		die("no prefixes in the table");
	for (i = 0; i < n; i++) {
		routes[i].rd = rd;
		routes[i].label = label;
	}
	for (i = 0; i < 8; i++)
		rt_wire[i] = (uint8_t)(rt >> (56 - 8 * i));
	tx.nexthop = nexthop ? nexthop : local;
	tx.ext_communities = rt_wire;
	tx.ext_community_count = 1;
	encode_all(&fd, routes, n, &tx);
	free(routes);

	fd.peer.sin_family = AF_INET;
	fd.peer.sin_port = htons((uint16_t)port);
	fd.peer.sin_addr.s_addr = htonl(peer);
	fd.local.sin_family = AF_INET;
	fd.local.sin_addr.s_addr = htonl(local);
	fd.base = event_base_new();
	if (!fd.base)
		die("event_base_new");
	fd.retry = evtimer_new(fd.base, on_retry, &fd);
	if (!fd.retry)
		die("evtimer_new");
	connect_peer(&fd);
	event_base_dispatch(fd.base);
	return 1;
}
