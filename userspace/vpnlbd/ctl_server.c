// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE	/* struct ucred, vasprintf */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "ctl_server.h"
#include "display.h"
#include "log.h"

#define CTL_LINE_MAX	1024

struct ctl_client {
	struct ctl_server *srv;
	struct bufferevent *bev;
	struct cfg_session session;
};

static char *dupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *dupf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

static int words(const char *line, char w[8][64])
{
	int n = 0;
	const char *p = line;

	while (*p && n < 8) {
		size_t k = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '\n' || *p == '\r')
			break;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
			if (k < 63)
				w[n][k++] = *p;
			p++;
		}
		w[n][k] = '\0';
		n++;
	}
	return n;
}

static char *handle_other(struct agent *a, struct cfg_session *s, const char *line,
			  bool json, bool *ok)
{
	char w[8][64], err[256];
	int n = words(line, w);
	char *out;

	*ok = true;
	if (n >= 2 && !strcmp(w[0], "display") && !strcmp(w[1], "current-configuration")) {
		out = cfg_format(&a->running);
		return out ? out : strdup("");
	}
	if (n == 3 && !strcmp(w[0], "display") && !strcmp(w[1], "configuration") &&
	    !strcmp(w[2], "candidate")) {
		out = cfg_format(&s->cand);
		return out ? out : strdup("");
	}
	if (n == 3 && !strcmp(w[0], "display") && !strcmp(w[1], "bgp") &&
	    !strcmp(w[2], "peer"))
		return display_bgp_peer(a, json);
	if (n == 5 && !strcmp(w[0], "display") && !strcmp(w[1], "bgp") &&
	    !strcmp(w[2], "vpnv4") && !strcmp(w[3], "all") &&
	    !strcmp(w[4], "routing-table"))
		return display_vpnv4_all(a, json);
	if ((n == 6 || n == 7) && !strcmp(w[0], "display") && !strcmp(w[1], "bgp") &&
	    !strcmp(w[2], "vpnv4") && !strcmp(w[3], "vpn-instance") &&
	    !strcmp(w[5], "routing-table")) {
		out = display_vpnv4_instance(a, w[4], n == 7 ? w[6] : NULL, json,
					     err, sizeof(err));
		if (!out) {
			*ok = false;
			return strdup(err);
		}
		return out;
	}
	if (n == 1 && !strcmp(w[0], "save")) {
		if (!agent_save(a, err, sizeof(err))) {
			*ok = false;
			return strdup(err);
		}
		return dupf("configuration saved to %s\n", a->config_path);
	}
	if (n == 3 && !strcmp(w[0], "clear") && !strcmp(w[1], "configuration") &&
	    !strcmp(w[2], "candidate")) {
		s->cand = a->running;
		s->errors = 0;
		s->first_error[0] = '\0';
		return strdup("");
	}
	*ok = false;
	return dupf("unrecognized command \"%s\"", n ? w[0] : "");
}

char *ctl_handle_line(struct agent *a, struct cfg_session *s, const char *line,
		      bool *ok)
{
	char err[256];
	bool json = false;
	enum cfg_result r;

	while (*line == ' ' || *line == '\t')
		line++;
	if (!strncmp(line, "json ", 5)) {
		json = true;
		line += 5;
		s->line++;
		return handle_other(a, s, line, json, ok);
	}
	r = cfg_session_line(s, line, err, sizeof(err));
	switch (r) {
	case CFG_DONE:
		*ok = true;
		return strdup("");
	case CFG_ERROR:
		*ok = false;
		return strdup(err);
	case CFG_COMMIT:
		if (s->errors) {
			*ok = false;
			return dupf("commit refused: %u line(s) had errors since the last commit, first %s; nothing was applied (fix them, or \"clear configuration candidate\")",
				    s->errors, s->first_error);
		}
		if (!agent_commit(a, &s->cand, err, sizeof(err))) {
			*ok = false;
			return dupf("commit failed: %s; nothing was applied", err);
		}
		s->cand = a->running;
		*ok = true;
		return strdup("");
	case CFG_OTHER:
		return handle_other(a, s, line, false, ok);
	}
	*ok = false;
	return strdup("internal error");
}

static void client_free(struct ctl_client *c)
{
	bufferevent_free(c->bev);
	free(c);
}

static void reply(struct ctl_client *c, bool ok, const char *payload)
{
	char view[64];
	size_t len = payload ? strlen(payload) : 0;

	evbuffer_add_printf(bufferevent_get_output(c->bev), "%s %zu %s\n",
			    ok ? "ok" : "error", len,
			    cfg_view_name(&c->session, view, sizeof(view)));
	if (len)
		bufferevent_write(c->bev, payload, len);
}

static void read_cb(struct bufferevent *bev, void *arg)
{
	struct ctl_client *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	char *line;
	size_t n;

	while ((line = evbuffer_readln(in, &n, EVBUFFER_EOL_LF))) {
		bool ok = false;
		char *out = NULL;

		if (n > CTL_LINE_MAX)
			reply(c, false, "line too long");
		else if (memchr(line, '\0', n))
			reply(c, false, "line contains a NUL byte");
		else {
			out = ctl_handle_line(c->srv->agent, &c->session, line, &ok);
			reply(c, ok, out ? out : "out of memory");
		}
		free(out);
		free(line);
	}
	if (evbuffer_get_length(in) > CTL_LINE_MAX) {
		reply(c, false, "line too long");
		evbuffer_drain(in, evbuffer_get_length(in));
	}
}

static void event_cb(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		client_free(arg);
}

static void accept_cb(struct evconnlistener *l, evutil_socket_t fd,
		      struct sockaddr *sa, int salen, void *arg)
{
	struct ctl_server *srv = arg;
	struct ucred cred;
	socklen_t cl = sizeof(cred);
	struct ctl_client *c;

	(void)l;
	(void)sa;
	(void)salen;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cl) != 0 ||
	    (cred.uid != 0 && !srv->allow_any_uid)) {
		static const char text[] = "vpnlbd accepts only root (uid 0)";
		char msg[80];
		int n = snprintf(msg, sizeof(msg), "error %zu user\n%s",
				 sizeof(text) - 1, text);

		(void)!write(fd, msg, (size_t)n);
		close(fd);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	c->srv = srv;
	c->bev = bufferevent_socket_new(evconnlistener_get_base(srv->listener), fd,
					BEV_OPT_CLOSE_ON_FREE);
	if (!c->bev) {
		close(fd);
		free(c);
		return;
	}
	cfg_session_init(&c->session, &srv->agent->running, CFG_VIEW_USER);
	bufferevent_setcb(c->bev, read_cb, NULL, event_cb, c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
}

int ctl_server_start(struct ctl_server *srv, struct agent *a, const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	mode_t old;

	memset(srv, 0, sizeof(*srv));
	srv->agent = a;
	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, path);
	strcpy(srv->path, path);
	unlink(path);
	/* root-only from the first moment: no window with a wider mode */
	old = umask(0177);
	srv->listener = evconnlistener_new_bind(a->base, accept_cb, srv,
						LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC,
						8, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (!srv->listener)
		return -errno;
	return 0;
}

void ctl_server_stop(struct ctl_server *srv)
{
	if (srv->listener) {
		evconnlistener_free(srv->listener);
		unlink(srv->path);
	}
	srv->listener = NULL;
}
