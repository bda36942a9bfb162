/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The control socket (see PROTOCOL): a root-only Unix stream socket; each
 * connection is a configuration session with its own candidate.
 */
#ifndef VPNLBD_CTL_SERVER_H
#define VPNLBD_CTL_SERVER_H

#include "agent.h"

struct evconnlistener;

struct ctl_server {
	struct agent *agent;
	struct evconnlistener *listener;
	char path[108];
	bool allow_any_uid;		/* tests only: skip the root check */
};

int ctl_server_start(struct ctl_server *srv, struct agent *a, const char *path);
void ctl_server_stop(struct ctl_server *srv);

/* Handles one request line; returns the reply payload (malloc'd) and
 * sets *ok. Exposed so tests can drive a session without a socket. */
char *ctl_handle_line(struct agent *a, struct cfg_session *s, const char *line,
		      bool *ok);

#endif /* VPNLBD_CTL_SERVER_H */
