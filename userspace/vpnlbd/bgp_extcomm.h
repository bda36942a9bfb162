/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Route distinguishers, route targets and the link-bandwidth extended
 * community (RFC 4364 4.2, RFC 4360, RFC 5668, draft-ietf-idr-link-bandwidth).
 * RDs and RTs are held as their 8 wire bytes packed big-endian in a uint64_t.
 */
#ifndef VPNLBD_BGP_EXTCOMM_H
#define VPNLBD_BGP_EXTCOMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BGP_RD_STR_MAX	32

/* "100:1" (type 0), "1.1.1.1:5" (type 1), "4200000000:7" (type 2). */
bool bgp_rd_parse(const char *s, uint64_t *rd);
/* Formats an RD of type 0/1/2; other types as "type:hex". */
void bgp_rd_format(uint64_t rd, char *buf, size_t size);

/* Route targets use the same text forms; the value is the whole community. */
bool bgp_rt_parse(const char *s, uint64_t *rt);
void bgp_rt_format(uint64_t rt, char *buf, size_t size);

/* Reads an 8-byte extended community. */
uint64_t bgp_extcomm_get(const uint8_t *p);
bool bgp_extcomm_is_rt(uint64_t ec);

/*
 * Link bandwidth (type 0x00 or 0x40, subtype 0x04): true with the bandwidth
 * in bytes per second rounded down.
 */
bool bgp_extcomm_link_bandwidth(uint64_t ec, uint64_t *bytes_per_sec);
uint64_t bgp_extcomm_make_link_bandwidth(uint16_t asn, float bytes_per_sec);

#endif /* VPNLBD_BGP_EXTCOMM_H */
