// SPDX-License-Identifier: GPL-2.0-or-later
/* The local BGP speaker: its peers and the listening socket. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/listener.h>

#include "bgp_peer.h"
#include "log.h"

void bgp_speaker_init(struct bgp_speaker *spk, struct event_base *base,
		      uint32_t local_as, uint32_t router_id,
		      const struct bgp_handlers *handlers, void *ctx)
{
	memset(spk, 0, sizeof(*spk));
	spk->base = base;
	spk->local_as = local_as;
	spk->router_id = router_id;
	spk->port = BGP_PORT;
	spk->handlers = handlers;
	spk->ctx = ctx;
}

struct bgp_peer *bgp_peer_find(struct bgp_speaker *spk, uint32_t addr)
{
	for (struct bgp_peer *p = spk->peers; p; p = p->next)
		if (p->cfg.peer_addr == addr)
			return p;
	return NULL;
}

static void accept_cb(struct evconnlistener *l, evutil_socket_t fd,
		      struct sockaddr *sa, int salen, void *arg)
{
	struct bgp_speaker *spk = arg;
	struct sockaddr_in *sin = (struct sockaddr_in *)sa;
	struct bgp_peer *peer;
	uint32_t addr;
	char buf[INET_ADDRSTRLEN];

	(void)l;
	if (sa->sa_family != AF_INET || salen < (int)sizeof(*sin)) {
		close(fd);
		return;
	}
	addr = ntohl(sin->sin_addr.s_addr);
	peer = bgp_peer_find(spk, addr);
	if (!peer) {
		log_info("connection from unknown address %s refused",
			 inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof(buf)));
		close(fd);
		return;
	}
	evutil_make_socket_nonblocking(fd);
	bgp_conn_accepted(peer, fd);
}

int bgp_speaker_listen(struct bgp_speaker *spk, uint32_t addr, uint16_t port)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(addr),
	};

	spk->listener = evconnlistener_new_bind(
		spk->base, accept_cb, spk,
		LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_EXEC,
		16, (struct sockaddr *)&sin, sizeof(sin));
	if (!spk->listener)
		return -(errno ? errno : EADDRINUSE);
	return 0;
}

void bgp_speaker_free(struct bgp_speaker *spk)
{
	while (spk->peers)
		bgp_peer_delete(spk->peers);
	if (spk->listener)
		evconnlistener_free(spk->listener);
	spk->listener = NULL;
}
