// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vpnlbctl: configure and inspect vpnlb (load balancing among VPN routes)
 * over its generic netlink family. See vpnlbctl(8).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "batch.h"
#include "cli.h"
#include "commands.h"
#include "nlconn.h"
#include "usage.h"

/* Consecutive route lines gathered before sending (then split in messages
 * of what fits in 256 KiB: 2000 routes at least).
 */
#define VL_BATCH_ROUTES	4096

struct batch_state {
	struct vl_ctx *ctx;
	const char *file;
	bool force;
	int status;		/* worst VL_EXIT_* so far */
	/* consecutive "route add" or "route del" lines, sent as one */
	enum vl_verb pending_verb;
	struct vl_route *routes;
	size_t *lines;
	size_t n;
};

static void failed_at(const struct batch_state *b, size_t first, size_t last)
{
	if (first == last)
		fprintf(stderr, "Command failed %s:%zu\n", b->file, first);
	else
		fprintf(stderr, "Command failed %s:%zu-%zu\n", b->file, first,
			last);
}

/* Send the pending routes; 0, or the exit status of the failure. */
static int flush_routes(struct batch_state *b)
{
	struct vl_batch_error bad;
	int ret;

	if (!b->n)
		return 0;
	ret = vl_route_batch(b->ctx, b->pending_verb == VL_VERB_ADD,
			     b->routes, b->n, &bad);
	if (ret) {
		if (bad.entry >= 0)
			failed_at(b, b->lines[bad.entry], b->lines[bad.entry]);
		else
			failed_at(b, b->lines[bad.first], b->lines[bad.last]);
	}
	b->n = 0;
	return ret;
}

static int record(struct batch_state *b, int ret)
{
	if (ret > b->status)
		b->status = ret;
	return ret && !b->force ? -1 : 0;
}

/* One batch line; -1 to stop. */
static int batch_line(struct batch_state *b, char *line, size_t lineno)
{
	char *argv[VL_BATCH_MAX_WORDS], err[VL_ERR_SIZE];
	const char *split_err = NULL;
	struct vl_cmd *cmd;
	int argc, ret;

	argc = vl_batch_split(line, argv, VL_BATCH_MAX_WORDS, &split_err);
	if (argc == 0)
		return 0;
	cmd = malloc(sizeof(*cmd));
	if (!cmd) {
		fprintf(stderr, "Error: out of memory\n");
		return record(b, VL_EXIT_FAIL);
	}
	if (argc < 0 || vl_cli_parse(argc, argv, cmd, err)) {
		free(cmd);
		if (record(b, flush_routes(b)))
			return -1;
		fprintf(stderr, "Error: %s\n", argc < 0 ? split_err : err);
		failed_at(b, lineno, lineno);
		return record(b, VL_EXIT_SYNTAX);
	}
	if (cmd->obj == VL_OBJ_ROUTE &&
	    (cmd->verb == VL_VERB_ADD || cmd->verb == VL_VERB_DEL)) {
		if (b->n && (b->pending_verb != cmd->verb ||
			     b->n == VL_BATCH_ROUTES) &&
		    record(b, flush_routes(b))) {
			free(cmd);
			return -1;
		}
		b->pending_verb = cmd->verb;
		b->routes[b->n] = cmd->u.route;
		b->lines[b->n++] = lineno;
		free(cmd);
		return 0;
	}
	if (record(b, flush_routes(b))) {
		free(cmd);
		return -1;
	}
	if (cmd->obj == VL_OBJ_MONITOR || cmd->obj == VL_OBJ_HELP) {
		free(cmd);
		fprintf(stderr, "Error: \"%s\" cannot run in a batch\n",
			argv[0]);
		failed_at(b, lineno, lineno);
		return record(b, VL_EXIT_SYNTAX);
	}
	ret = vl_run(b->ctx, cmd);
	free(cmd);
	if (ret)
		failed_at(b, lineno, lineno);
	return record(b, ret);
}

static int run_batch(struct vl_ctx *ctx, const char *file, bool force)
{
	struct batch_state b = { .ctx = ctx, .file = file, .force = force };
	size_t cap = 0, lineno = 0;
	char *line = NULL;
	FILE *in;

	in = strcmp(file, "-") ? fopen(file, "r") : stdin;
	if (!in) {
		fprintf(stderr, "Error: cannot open \"%s\": %s\n", file,
			strerror(errno));
		return VL_EXIT_FAIL;
	}
	b.routes = calloc(VL_BATCH_ROUTES, sizeof(*b.routes));
	b.lines = calloc(VL_BATCH_ROUTES, sizeof(*b.lines));
	if (!b.routes || !b.lines) {
		fprintf(stderr, "Error: out of memory\n");
		b.status = VL_EXIT_FAIL;
		goto out;
	}
	while (getline(&line, &cap, in) >= 0) {
		lineno++;
		if (batch_line(&b, line, lineno))
			goto out;
	}
	record(&b, flush_routes(&b));
out:
	free(line);
	free(b.routes);
	free(b.lines);
	if (in != stdin)
		fclose(in);
	return b.status;
}

static int syntax_error(enum vl_object obj, const char *err)
{
	fprintf(stderr, "Error: %s\n", err);
	vl_usage(stderr, obj);
	return VL_EXIT_SYNTAX;
}

/* -c LINES, "system-view [FILE]" and vpnlbd's display commands. */
static int run_agent(const char *sock, const char *text, bool json, int argc,
		     char **argv)
{
	FILE *in;
	int ret;

	if (text) {
		if (argc)
			return syntax_error(VL_OBJ_NONE,
					    "-c takes no command on the line");
		return vl_agent_session(sock, NULL, text, false);
	}
	if (strcmp(argv[0], "system-view"))
		return vl_agent_display(sock, argc, argv, json);
	if (argc > 2)
		return syntax_error(VL_OBJ_NONE,
				    "\"system-view\" takes at most one FILE");
	if (argc == 1 || !strcmp(argv[1], "-"))
		return vl_agent_session(sock, stdin, NULL, true);
	in = fopen(argv[1], "r");
	if (!in) {
		fprintf(stderr, "Error: cannot open \"%s\": %s\n", argv[1],
			strerror(errno));
		return VL_EXIT_FAIL;
	}
	ret = vl_agent_session(sock, in, NULL, true);
	fclose(in);
	return ret;
}

int main(int argc, char **argv)
{
	struct vl_ctx ctx = { 0 };
	const char *netns = NULL, *batch = NULL, *agent_text = NULL;
	const char *agent_sock = getenv("VPNLBD_SOCKET");
	char err[VL_ERR_SIZE];
	struct vl_cmd *cmd;
	bool force = false;
	int i, ret;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *o = argv[i];

		if (!strcmp(o, "-j") || !strcmp(o, "-json")) {
			ctx.json = true;
		} else if (!strcmp(o, "-s") || !strcmp(o, "-stats")) {
			ctx.stats = true;
		} else if (!strcmp(o, "-force")) {
			force = true;
		} else if (!strcmp(o, "-n") || !strcmp(o, "-netns")) {
			if (++i == argc)
				return syntax_error(VL_OBJ_NONE,
					"missing value after \"-n\"");
			netns = argv[i];
		} else if (!strcmp(o, "-b") || !strcmp(o, "-batch")) {
			if (++i == argc)
				return syntax_error(VL_OBJ_NONE,
					"missing value after \"-b\"");
			batch = argv[i];
		} else if (!strcmp(o, "-S") || !strcmp(o, "-socket")) {
			if (++i == argc)
				return syntax_error(VL_OBJ_NONE,
					"missing value after \"-S\"");
			agent_sock = argv[i];
		} else if (!strcmp(o, "-c")) {
			if (++i == argc)
				return syntax_error(VL_OBJ_NONE,
					"missing value after \"-c\"");
			agent_text = argv[i];
		} else if (!strcmp(o, "-V") || !strcmp(o, "-version")) {
			printf("vpnlbctl %s (vpnlb genetlink version %d)\n",
			       VPNLBCTL_VERSION, VPNLB_GENL_VERSION);
			return VL_EXIT_OK;
		} else if (!strcmp(o, "-h") || !strcmp(o, "-help") ||
			   !strcmp(o, "--help")) {
			vl_usage(stdout, VL_OBJ_NONE);
			return VL_EXIT_OK;
		} else {
			snprintf(err, sizeof(err), "unknown option \"%s\"", o);
			return syntax_error(VL_OBJ_NONE, err);
		}
	}
	if (!agent_sock || !*agent_sock)
		agent_sock = VL_AGENT_SOCKET;
	if (agent_text || (i < argc && !strcmp(argv[i], "system-view")) ||
	    vl_agent_is_display(argc - i, argv + i))
		return run_agent(agent_sock, agent_text, ctx.json, argc - i,
				 argv + i);
	if (!batch && i < argc && !strcmp(argv[i], "batch")) {
		if (i + 2 != argc)
			return syntax_error(VL_OBJ_NONE,
					    "\"batch\" takes one FILE");
		batch = argv[i + 1];
		i = argc;
	}
	if (!batch && i == argc)
		return syntax_error(VL_OBJ_NONE, "missing command");
	if (batch && i != argc)
		return syntax_error(VL_OBJ_NONE,
				    "a batch takes no command on the line");

	cmd = calloc(1, sizeof(*cmd));
	if (!cmd) {
		fprintf(stderr, "Error: out of memory\n");
		return VL_EXIT_FAIL;
	}
	/* the whole line is checked before anything else happens */
	if (!batch && vl_cli_parse(argc - i, argv + i, cmd, err)) {
		ret = syntax_error(cmd->obj, err);
	} else if (!batch && cmd->obj == VL_OBJ_HELP) {
		vl_usage(stdout, VL_OBJ_NONE);
		ret = VL_EXIT_OK;
	} else if (netns && vl_enter_netns(netns)) {
		fprintf(stderr, "Error: cannot enter netns \"%s\": %s\n",
			netns, strerror(errno));
		ret = VL_EXIT_FAIL;
	} else if (batch) {
		ret = run_batch(&ctx, batch, force);
	} else {
		ret = vl_run(&ctx, cmd);
	}
	free(cmd);
	vl_nl_close(&ctx.nl);
	return ret;
}
