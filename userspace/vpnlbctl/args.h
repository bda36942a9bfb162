/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Values on the command line: numbers, addresses, prefixes, labels, names.
 * Each parser returns 0, or -1 with a one-line reason in err (no "Error: ").
 */
#ifndef VPNLBCTL_ARGS_H
#define VPNLBCTL_ARGS_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define VL_ERR_SIZE	256

int vl_parse_u32(const char *what, const char *s, uint32_t min, uint32_t max,
		 uint32_t *out, char *err);
int vl_parse_ipv4(const char *what, const char *s, struct in_addr *out,
		  char *err);
int vl_parse_prefix(const char *s, struct in_addr *addr, uint8_t *len,
		    char *err);
/* A mask length (0..32) or a contiguous dotted mask (255.255.0.0). */
int vl_parse_masklen(const char *s, uint8_t *len, char *err);
/* "L[/L[/L]]", each 0..VPNLB_LABEL_MAX, at most VPNLB_TUNNEL_LABELS_MAX. */
int vl_parse_labels(const char *s, uint32_t *labels, unsigned int *n,
		    char *err);
/* A VPN instance name: 1..VPNLB_INSTANCE_NAME_MAX characters. */
int vl_parse_name(const char *s, char *out, char *err);
/* A network device name (IFNAMSIZ). */
int vl_parse_ifname(const char *s, char *out, char *err);

uint32_t vl_prefix_mask(uint8_t len);

#endif
