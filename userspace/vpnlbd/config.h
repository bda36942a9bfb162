/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VRP-style configuration: the model, the line parser with its views
 * (system-view, ip vpn-instance, ipv4-family, bgp, ipv4-family vpnv4,
 * ipv4-family vpn-instance), validation, and the text of
 * "display current-configuration". A session edits a candidate copy;
 * commit hands it to the daemon, which applies it and makes it running.
 */
#ifndef VPNLBD_CONFIG_H
#define VPNLBD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CFG_MAX_PEERS		64
#define CFG_MAX_INSTANCES	64
#define CFG_MAX_RTS		16
#define CFG_NAME_MAX		31	/* vpn-instance name */
#define CFG_IFNAME_MAX		15
#define CFG_MAX_PATHS		64

struct cfg_peer {
	uint32_t addr;
	uint32_t as;
	uint32_t connect_if;		/* local address, 0: any */
	/* connect-interface by name: its first IPv4 address, looked up
	 * at each connect ("" : none)
	 */
	char connect_ifname[CFG_IFNAME_MAX + 1];
	bool vpnv4;			/* "peer X enable" under ipv4-family vpnv4 */
};

struct cfg_instance {
	char name[CFG_NAME_MAX + 1];
	bool af_ipv4;			/* "ipv4-family" entered */
	bool has_rd;
	uint64_t rd;
	uint64_t import_rt[CFG_MAX_RTS];
	uint64_t export_rt[CFG_MAX_RTS];
	unsigned int n_import, n_export;
	char vrf[CFG_IFNAME_MAX + 1];
	bool lb_packet;			/* load-balance packet (else flow) */
	/* bgp 100 / ipv4-family vpn-instance NAME */
	bool bgp_af;
	unsigned int max_paths;		/* 0: not set (1) */
	unsigned int max_ebgp, max_ibgp;
	bool as_path_ignore, as_path_relax;
};

struct config {
	bool bgp;
	uint32_t as;
	uint32_t router_id;
	struct cfg_peer peers[CFG_MAX_PEERS];
	unsigned int n_peers;
	struct cfg_instance inst[CFG_MAX_INSTANCES];
	unsigned int n_inst;
};

enum cfg_view {
	CFG_VIEW_USER,
	CFG_VIEW_SYSTEM,
	CFG_VIEW_INSTANCE,		/* ip vpn-instance NAME */
	CFG_VIEW_INSTANCE_AF,		/*  ipv4-family */
	CFG_VIEW_BGP,			/* bgp AS */
	CFG_VIEW_BGP_VPNV4,		/*  ipv4-family vpnv4 */
	CFG_VIEW_BGP_INSTANCE,		/*  ipv4-family vpn-instance NAME */
};

struct cfg_session {
	enum cfg_view view;
	char inst[CFG_NAME_MAX + 1];	/* instance of the current view */
	struct config cand;
	unsigned int line;		/* lines read in this session */
	unsigned int errors;		/* since the last commit/clear */
	char first_error[192];
};

enum cfg_result {
	CFG_DONE,			/* line accepted (or a view change) */
	CFG_ERROR,			/* line refused: message in err */
	CFG_COMMIT,			/* caller validates and applies cand */
	CFG_OTHER,			/* not configuration: display, save... */
};

void cfg_init(struct config *c);
void cfg_session_init(struct cfg_session *s, const struct config *running,
		      enum cfg_view start);

/* One input line. err gets "line N: reason" on CFG_ERROR. */
enum cfg_result cfg_session_line(struct cfg_session *s, const char *line,
				 char *err, size_t err_size);

/* Whole-config checks run at commit; false with a reason. */
bool cfg_validate(const struct config *c, char *err, size_t err_size);

/* The configuration as VRP prints it; returns a malloc'd string. */
char *cfg_format(const struct config *c);

/* The prompt name of a view, e.g. "bgp", "vpn-instance-vpna". */
const char *cfg_view_name(const struct cfg_session *s, char *buf, size_t size);

struct cfg_instance *cfg_find_instance(struct config *c, const char *name);
const struct cfg_instance *cfg_find_instance_const(const struct config *c,
						   const char *name);
struct cfg_peer *cfg_find_peer(struct config *c, uint32_t addr);

#endif /* VPNLBD_CONFIG_H */
