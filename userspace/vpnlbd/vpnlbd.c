// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vpnlbd: BGP VPNv4 agent for vpnlb.ko.
 *
 * vpnlbd [-f] [-c CONFIG] [-s SOCKET] [-l LEVEL] [--syslog] [--no-kernel]
 *        [--bgp-port PORT] [--listen ADDRESS]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "agent.h"
#include "ctl_server.h"
#include "log.h"

#define DEFAULT_CONFIG	"/etc/vpnlb/vpnlbd.conf"
#define DEFAULT_SOCKET	"/run/vpnlbd.sock"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: vpnlbd [-f] [-c CONFIG] [-s SOCKET] [-l LEVEL] [--syslog]\n"
		"              [--no-kernel] [--bgp-port PORT] [--listen ADDRESS]\n"
		"  -f, --foreground      stay in the foreground (log to stderr)\n"
		"  -c, --config FILE     configuration read at start and written by save\n"
		"                        (default " DEFAULT_CONFIG ")\n"
		"  -s, --socket PATH     control socket (default " DEFAULT_SOCKET ")\n"
		"  -l, --log-level LEVEL error|warning|notice|info|debug (default info)\n"
		"      --syslog          log to syslog even in the foreground\n"
		"      --no-kernel       run BGP and selection without programming vpnlb.ko\n"
		"      --bgp-port PORT   BGP port to listen on and connect to (default 179)\n"
		"      --listen ADDRESS  local address for BGP (default all)\n");
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	log_notice("signal %d: exiting; the kernel keeps forwarding", (int)sig);
	event_base_loopexit(arg, NULL);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "config", required_argument, NULL, 'c' },
		{ "socket", required_argument, NULL, 's' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "syslog", no_argument, NULL, 'S' },
		{ "no-kernel", no_argument, NULL, 'K' },
		{ "bgp-port", required_argument, NULL, 'P' },
		{ "listen", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct agent_options ao = { .config_path = DEFAULT_CONFIG };
	const char *sock = DEFAULT_SOCKET;
	bool foreground = false, use_syslog = false;
	int level = LOG_INFO, c, ret = 1;
	struct event_base *base;
	struct event *sigint, *sigterm;
	struct ctl_server srv;
	struct agent *a;
	char err[256];

	while ((c = getopt_long(argc, argv, "fc:s:l:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			foreground = true;
			break;
		case 'c':
			ao.config_path = optarg;
			break;
		case 's':
			sock = optarg;
			break;
		case 'l':
			level = log_level_parse(optarg);
			if (level < 0) {
				fprintf(stderr, "vpnlbd: unknown log level %s\n", optarg);
				return 2;
			}
			break;
		case 'S':
			use_syslog = true;
			break;
		case 'K':
			ao.no_kernel = true;
			break;
		case 'P': {
			char *end;
			long p = strtol(optarg, &end, 10);

			if (*end || p < 1 || p > 65535) {
				fprintf(stderr, "vpnlbd: bad port %s\n", optarg);
				return 2;
			}
			ao.bgp_port = (uint16_t)p;
			break;
		}
		case 'L': {
			struct in_addr in;

			if (inet_pton(AF_INET, optarg, &in) != 1) {
				fprintf(stderr, "vpnlbd: bad address %s\n", optarg);
				return 2;
			}
			ao.listen_addr = ntohl(in.s_addr);
			break;
		}
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	log_init("vpnlbd", use_syslog || !foreground, level);
	if (!foreground && daemon(0, 0) != 0) {
		fprintf(stderr, "vpnlbd: daemon: %s\n", strerror(errno));
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	base = event_base_new();
	a = calloc(1, sizeof(*a));
	if (!base || !a)
		return 1;
	if (agent_init(a, base, &ao) < 0)
		goto out;
	if (!agent_load(a, err, sizeof(err))) {
		log_err("configuration not loaded: %s", err);
		goto out_agent;
	}
	if (ctl_server_start(&srv, a, sock) < 0) {
		log_err("cannot create control socket %s: %s", sock, strerror(errno));
		goto out_agent;
	}
	sigint = evsignal_new(base, SIGINT, on_signal, base);
	sigterm = evsignal_new(base, SIGTERM, on_signal, base);
	event_add(sigint, NULL);
	event_add(sigterm, NULL);
	log_notice("vpnlbd running: control socket %s, configuration %s", sock,
		   ao.config_path);
	event_base_dispatch(base);
	event_free(sigint);
	event_free(sigterm);
	ctl_server_stop(&srv);
	ret = 0;
out_agent:
	agent_free(a);
out:
	free(a);
	event_base_free(base);
	return ret;
}
