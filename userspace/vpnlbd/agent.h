/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The agent: BGP sessions feed the RIB, the RIB's selections go to the
 * kernel through the FIB layer, and committed configuration is applied to
 * all three. Restart: adopt the kernel's objects, rewrite what is still
 * wanted with a new generation, and flush the rest once every peer has
 * sent End-of-RIB (or after a deadline).
 */
#ifndef VPNLBD_AGENT_H
#define VPNLBD_AGENT_H

#include <stdbool.h>
#include <stdint.h>

#include "bgp_peer.h"
#include "config.h"
#include "fib.h"
#include "nh_resolve.h"
#include "rib.h"
#include "vpnlb_nl.h"

#define AGENT_OWNER		0x76706c62u	/* "vplb" */
#define AGENT_SWEEP_DEADLINE	180		/* seconds */

struct agent {
	struct event_base *base;
	struct config running;
	struct bgp_speaker spk;
	bool speaker_up;
	uint32_t listen_addr;
	uint16_t bgp_port;
	struct rib rib;
	struct fib fib;
	bool kernel;			/* vpnlb.ko reachable */
	struct vpnlb_nl nl;
	struct nh_resolver resolver;
	struct event *sweep_timer;
	bool swept;
	char config_path[256];
};

struct agent_options {
	bool no_kernel;			/* never program vpnlb.ko */
	uint16_t bgp_port;
	uint32_t listen_addr;
	const char *config_path;
};

int agent_init(struct agent *a, struct event_base *base,
	       const struct agent_options *opt);
void agent_free(struct agent *a);

/* Validates and applies a candidate; on error nothing changes. */
bool agent_commit(struct agent *a, const struct config *cand, char *err,
		  size_t err_size);

/* Writes the running configuration to the config file. */
bool agent_save(struct agent *a, char *err, size_t err_size);

/* Reads the config file (if any) at start, all-or-nothing. */
bool agent_load(struct agent *a, char *err, size_t err_size);

#endif /* VPNLBD_AGENT_H */
