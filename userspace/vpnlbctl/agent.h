/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The vpnlbd side of vpnlbctl: a VRP-style configuration session and the
 * BGP "display" commands, spoken over vpnlbd's control socket
 * (userspace/vpnlbd/PROTOCOL).
 */
#ifndef VPNLBCTL_AGENT_H
#define VPNLBCTL_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define VL_AGENT_SOCKET		"/run/vpnlbd.sock"
#define VL_AGENT_LINE_MAX	1024		/* the protocol's request limit */
#define VL_AGENT_REPLY_MAX	(64u << 20)	/* larger replies are refused */

struct vl_reply {
	bool ok;
	char view[64];
	char *payload;		/* NUL-terminated, malloc'ed */
	size_t len;
};

/*
 * Parses a reply header "<ok|error> <length> <view>" (without the LF).
 * Returns 0 and fills ok, len and view, or -1 when it is malformed or the
 * length is over VL_AGENT_REPLY_MAX.
 */
int vl_agent_parse_header(const char *hdr, struct vl_reply *r);

/* True when argv starts a command vpnlbd answers (display bgp ...). */
bool vl_agent_is_display(int argc, char **argv);

/*
 * Runs lines in one session on the socket at path, printing each reply;
 * "system-view" first when enter_system is set. Lines come from in (a
 * prompt is shown when it is a terminal) or, when in is NULL, from
 * text split at ';' and newlines. Returns the VL_EXIT_* status: failure
 * when any line was refused.
 */
int vl_agent_session(const char *path, FILE *in, const char *text,
		     bool enter_system);

/* One display command (argv joined by spaces), as JSON when json is set. */
int vl_agent_display(const char *path, int argc, char **argv, bool json);

#endif
