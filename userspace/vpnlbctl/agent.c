// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vpnlbctl's client of vpnlbd's control socket: one request line out, one
 * length-prefixed reply in, every byte of the reply checked.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "agent.h"
#include "commands.h"

int vl_agent_parse_header(const char *hdr, struct vl_reply *r)
{
	const char *p = hdr, *view;
	unsigned long long len = 0;
	size_t vlen;

	if (!strncmp(p, "ok ", 3)) {
		r->ok = true;
		p += 3;
	} else if (!strncmp(p, "error ", 6)) {
		r->ok = false;
		p += 6;
	} else {
		return -1;
	}
	if (*p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9') {
		len = len * 10 + (unsigned int)(*p++ - '0');
		if (len > VL_AGENT_REPLY_MAX)
			return -1;
	}
	if (*p++ != ' ')
		return -1;
	view = p;
	vlen = strlen(view);
	if (!vlen || vlen >= sizeof(r->view) || strpbrk(view, " \t\r\n"))
		return -1;
	memcpy(r->view, view, vlen + 1);
	r->len = (size_t)len;
	return 0;
}

struct agent_conn {
	int fd;
	char buf[4096];
	size_t have;
	size_t off;
};

static int agent_connect(struct agent_conn *c, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "Error: socket path \"%s\" is too long\n", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0 ||
	    connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "Error: cannot reach vpnlbd at %s: %s\n", path,
			strerror(errno));
		if (c->fd >= 0)
			close(c->fd);
		c->fd = -1;
		return -1;
	}
	c->have = c->off = 0;
	return 0;
}

static int agent_fill(struct agent_conn *c)
{
	ssize_t n;

	if (c->off < c->have)
		return 0;
	do {
		n = read(c->fd, c->buf, sizeof(c->buf));
	} while (n < 0 && errno == EINTR);
	if (n <= 0)
		return -1;
	c->have = (size_t)n;
	c->off = 0;
	return 0;
}

static int agent_send(struct agent_conn *c, const char *line)
{
	size_t len = strlen(line), done = 0;
	char req[VL_AGENT_LINE_MAX + 1];
	ssize_t n;

	if (len >= VL_AGENT_LINE_MAX) {
		fprintf(stderr, "Error: line longer than %d bytes\n",
			VL_AGENT_LINE_MAX - 1);
		return -1;
	}
	memcpy(req, line, len);
	req[len++] = '\n';
	while (done < len) {
		n = write(c->fd, req + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

static int agent_recv(struct agent_conn *c, struct vl_reply *r)
{
	char hdr[128];
	size_t h = 0, got = 0, take;

	for (;;) {
		if (agent_fill(c))
			return -1;
		if (c->buf[c->off] == '\n') {
			c->off++;
			break;
		}
		if (h == sizeof(hdr) - 1)
			return -1;
		hdr[h++] = c->buf[c->off++];
	}
	hdr[h] = '\0';
	if (vl_agent_parse_header(hdr, r))
		return -1;
	r->payload = malloc(r->len + 1);
	if (!r->payload)
		return -1;
	while (got < r->len) {
		if (agent_fill(c)) {
			free(r->payload);
			r->payload = NULL;
			return -1;
		}
		take = c->have - c->off;
		if (take > r->len - got)
			take = r->len - got;
		memcpy(r->payload + got, c->buf + c->off, take);
		c->off += take;
		got += take;
	}
	r->payload[r->len] = '\0';
	return 0;
}

/* Sends one line and prints its reply; VL_EXIT_* or -1 if the link broke. */
static int agent_exchange(struct agent_conn *c, const char *line, char *view,
			  size_t view_size)
{
	struct vl_reply r = { 0 };
	int ret;

	if (agent_send(c, line) || agent_recv(c, &r)) {
		fprintf(stderr, "Error: vpnlbd closed the session or sent a malformed reply\n");
		return -1;
	}
	if (r.ok) {
		fwrite(r.payload, 1, r.len, stdout);
		ret = VL_EXIT_OK;
	} else {
		/* the reason is one line; keep it so */
		r.payload[strcspn(r.payload, "\n")] = '\0';
		fprintf(stderr, "Error: %s\n", r.payload);
		ret = VL_EXIT_FAIL;
	}
	if (view)
		snprintf(view, view_size, "%s", r.view);
	free(r.payload);
	return ret;
}

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* VRP's prompts: <host> in the user view, [host-view] below it. */
static void print_prompt(const char *view)
{
	char host[HOST_NAME_MAX + 1] = "vpnlb";

	gethostname(host, sizeof(host));
	host[sizeof(host) - 1] = '\0';
	if (!strcmp(view, "user"))
		printf("<%s>", host);
	else if (!strcmp(view, "system"))
		printf("[%s]", host);
	else
		printf("[%s-%s]", host, view);
	fflush(stdout);
}

int vl_agent_session(const char *path, FILE *in, const char *text,
		     bool enter_system)
{
	bool prompt = in && isatty(fileno(in));
	char view[64] = "user";
	struct agent_conn c;
	char *line = NULL, *copy = NULL, *save = NULL, *tok;
	size_t cap = 0;
	int status = VL_EXIT_OK, ret;

	if (agent_connect(&c, path))
		return VL_EXIT_FAIL;
	if (enter_system) {
		ret = agent_exchange(&c, "system-view", view, sizeof(view));
		if (ret) {
			status = VL_EXIT_FAIL;
			goto out;
		}
	}
	if (!in) {
		copy = strdup(text);
		if (!copy) {
			status = VL_EXIT_FAIL;
			goto out;
		}
	}
	for (;;) {
		const char *l;

		if (in) {
			if (prompt)
				print_prompt(view);
			if (getline(&line, &cap, in) < 0)
				break;
			line[strcspn(line, "\r\n")] = '\0';
			l = line;
		} else {
			tok = strtok_r(save ? NULL : copy, ";\n", &save);
			if (!tok)
				break;
			l = tok;
		}
		l = skip_blanks(l);
		if (!*l || *l == '#' || *l == '!')
			continue;
		ret = agent_exchange(&c, l, view, sizeof(view));
		if (ret < 0) {
			status = VL_EXIT_FAIL;
			break;
		}
		if (ret)
			status = ret;
	}
	if (prompt)
		putchar('\n');
out:
	free(line);
	free(copy);
	close(c.fd);
	return status;
}

bool vl_agent_is_display(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[0], "display"))
		return false;
	return !strcmp(argv[1], "bgp") ||
	       !strcmp(argv[1], "current-configuration") ||
	       !strcmp(argv[1], "configuration");
}

int vl_agent_display(const char *path, int argc, char **argv, bool json)
{
	char line[VL_AGENT_LINE_MAX];
	struct agent_conn c;
	size_t off = 0;
	int i, n, ret;

	n = snprintf(line, sizeof(line), "%s", json ? "json" : "");
	off = (size_t)n;
	for (i = 0; i < argc; i++) {
		n = snprintf(line + off, sizeof(line) - off, "%s%s",
			     off ? " " : "", argv[i]);
		if (n < 0 || (size_t)n >= sizeof(line) - off) {
			fprintf(stderr, "Error: command too long\n");
			return VL_EXIT_SYNTAX;
		}
		off += (size_t)n;
	}
	if (agent_connect(&c, path))
		return VL_EXIT_FAIL;
	ret = agent_exchange(&c, line, NULL, 0);
	close(c.fd);
	return ret < 0 ? VL_EXIT_FAIL : ret;
}
