/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * AS_PATH handling. Paths are kept in 4-octet encoding: segments of
 * (type, count, count * 4-byte AS numbers).
 */
#ifndef VPNLBD_BGP_ASPATH_H
#define VPNLBD_BGP_ASPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum bgp_aspath_segment {
	BGP_AS_SET = 1,
	BGP_AS_SEQUENCE = 2,
	BGP_AS_CONFED_SEQUENCE = 3,
	BGP_AS_CONFED_SET = 4,
};

/*
 * Checks an AS_PATH or AS4_PATH of as_size (2 or 4) byte AS numbers and
 * converts it to 4-octet encoding in a new buffer (*out, freed by the caller;
 * NULL for an empty path). Returns false with a reason on a malformed path
 * (RFC 7606 7.2): unknown segment type, zero-length segment, overrun, or a
 * trailing single byte. allow_confed=false also rejects confederation
 * segments (they are not allowed in AS4_PATH, RFC 6793 6).
 */
bool aspath_parse(const uint8_t *p, size_t len, int as_size, bool allow_confed,
		  uint8_t **out, size_t *out_len, const char **why);

/* Path length for best-path selection: a set counts as one, confederation
 * segments do not count (RFC 4271 9.1.2.2, RFC 5065 5.3). */
unsigned int aspath_count(const uint8_t *p, size_t len);

/* Leftmost AS of a leading AS_SEQUENCE, or 0. */
uint32_t aspath_first_as(const uint8_t *p, size_t len);

bool aspath_contains(const uint8_t *p, size_t len, uint32_t asn);

/*
 * RFC 6793 4.2.3: rebuilds the true path from a 2-octet session's AS_PATH
 * (already converted to 4-octet encoding) and its AS4_PATH. Returns a new
 * buffer (or NULL for empty) in *out; false only when out of memory.
 */
bool aspath_merge_as4(const uint8_t *path, size_t path_len,
		      const uint8_t *as4, size_t as4_len,
		      uint8_t **out, size_t *out_len);

/* "65001 65002 {65003 65004} (65005)"; returns the string length. */
size_t aspath_format(const uint8_t *p, size_t len, char *buf, size_t size);

#endif /* VPNLBD_BGP_ASPATH_H */
