// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_aspath.h"
#include "bgp_wire.h"

bool aspath_parse(const uint8_t *p, size_t len, int as_size, bool allow_confed,
		  uint8_t **out, size_t *out_len, const char **why)
{
	struct wire_reader r;
	size_t total = 0;
	uint8_t type = 0, count = 0;
	uint8_t *buf, *q;

	*out = NULL;
	*out_len = 0;
	/* first pass: validate and size the 4-octet form */
	wr_init(&r, p, len);
	while (r.len) {
		if (r.len < 2) {
			*why = "AS_PATH has a trailing byte after its last segment";
			return false;
		}
		wr_u8(&r, &type);
		wr_u8(&r, &count);
		if (type < BGP_AS_SET || type > BGP_AS_CONFED_SET) {
			*why = "AS_PATH has an unknown segment type";
			return false;
		}
		if (!allow_confed && type >= BGP_AS_CONFED_SEQUENCE) {
			*why = "AS4_PATH has a confederation segment";
			return false;
		}
		if (count == 0) {
			*why = "AS_PATH has a segment of length zero";
			return false;
		}
		if (r.len < (size_t)count * (size_t)as_size) {
			*why = "AS_PATH segment overruns the attribute";
			return false;
		}
		r.p += (size_t)count * (size_t)as_size;
		r.len -= (size_t)count * (size_t)as_size;
		total += 2 + (size_t)count * 4;
	}
	if (total == 0)
		return true;
	buf = malloc(total);
	if (!buf) {
		*why = "out of memory";
		return false;
	}
	q = buf;
	wr_init(&r, p, len);
	while (r.len) {
		wr_u8(&r, &type);
		wr_u8(&r, &count);
		*q++ = type;
		*q++ = count;
		for (unsigned int i = 0; i < count; i++) {
			uint32_t asn = 0;
			uint16_t as2 = 0;

			if (as_size == 2) {
				wr_u16(&r, &as2);
				asn = as2;
			} else {
				wr_u32(&r, &asn);
			}
			q[0] = (uint8_t)(asn >> 24);
			q[1] = (uint8_t)(asn >> 16);
			q[2] = (uint8_t)(asn >> 8);
			q[3] = (uint8_t)asn;
			q += 4;
		}
	}
	*out = buf;
	*out_len = total;
	return true;
}

unsigned int aspath_count(const uint8_t *p, size_t len)
{
	unsigned int n = 0;
	size_t off = 0;

	while (off + 2 <= len) {
		uint8_t type = p[off], count = p[off + 1];

		if (type == BGP_AS_SEQUENCE)
			n += count;
		else if (type == BGP_AS_SET)
			n += 1;
		off += 2 + (size_t)count * 4;
	}
	return n;
}

uint32_t aspath_first_as(const uint8_t *p, size_t len)
{
	if (len < 6 || p[0] != BGP_AS_SEQUENCE)
		return 0;
	return get_be32(p + 2);
}

bool aspath_contains(const uint8_t *p, size_t len, uint32_t asn)
{
	size_t off = 0;

	while (off + 2 <= len) {
		uint8_t count = p[off + 1];

		for (unsigned int i = 0; i < count; i++)
			if (off + 2 + 4 * (size_t)i + 4 <= len &&
			    get_be32(p + off + 2 + 4 * i) == asn)
				return true;
		off += 2 + (size_t)count * 4;
	}
	return false;
}

bool aspath_merge_as4(const uint8_t *path, size_t path_len,
		      const uint8_t *as4, size_t as4_len,
		      uint8_t **out, size_t *out_len)
{
	unsigned int n_path = aspath_count(path, path_len);
	unsigned int n_as4 = aspath_count(as4, as4_len);
	unsigned int keep;
	size_t off = 0, o = 0;
	uint8_t *buf;

	*out = NULL;
	*out_len = 0;
	/* RFC 6793 4.2.3: an AS4_PATH longer than AS_PATH is ignored */
	if (n_path < n_as4) {
		as4 = NULL;
		as4_len = 0;
		n_as4 = 0;
	}
	keep = n_path - n_as4;
	buf = malloc(path_len + as4_len + 1);
	if (!buf)
		return false;
	while (off + 2 <= path_len) {
		uint8_t type = path[off], count = path[off + 1];
		size_t seg = 2 + (size_t)count * 4;

		if (type == BGP_AS_SEQUENCE) {
			unsigned int take = count < keep ? count : keep;

			if (take) {
				buf[o] = type;
				buf[o + 1] = (uint8_t)take;
				memcpy(buf + o + 2, path + off + 2, 4 * (size_t)take);
				o += 2 + 4 * (size_t)take;
				keep -= take;
			}
		} else if (type == BGP_AS_SET) {
			if (keep) {
				memcpy(buf + o, path + off, seg);
				o += seg;
				keep--;
			}
		} else if (keep) {
			/* confederation segments lead the path and count zero */
			memcpy(buf + o, path + off, seg);
			o += seg;
		}
		off += seg;
	}
	if (as4_len) {
		memcpy(buf + o, as4, as4_len);
		o += as4_len;
	}
	if (o == 0) {
		free(buf);
		return true;
	}
	*out = buf;
	*out_len = o;
	return true;
}

size_t aspath_format(const uint8_t *p, size_t len, char *buf, size_t size)
{
	size_t off = 0, o = 0;
	int n;

	if (size == 0)
		return 0;
	buf[0] = '\0';
	while (off + 2 <= len) {
		uint8_t type = p[off], count = p[off + 1];
		const char *open = "", *close = "";

		if (type == BGP_AS_SET) {
			open = "{";
			close = "}";
		} else if (type == BGP_AS_CONFED_SEQUENCE) {
			open = "(";
			close = ")";
		} else if (type == BGP_AS_CONFED_SET) {
			open = "[";
			close = "]";
		}
		n = snprintf(buf + o, size - o, "%s%s", o ? " " : "", open);
		if (n < 0 || (size_t)n >= size - o)
			return o;
		o += (size_t)n;
		for (unsigned int i = 0; i < count && off + 6 + 4 * (size_t)i <= len; i++) {
			n = snprintf(buf + o, size - o, "%s%u", i ? " " : "",
				     get_be32(p + off + 2 + 4 * i));
			if (n < 0 || (size_t)n >= size - o)
				return o;
			o += (size_t)n;
		}
		n = snprintf(buf + o, size - o, "%s", close);
		if (n < 0 || (size_t)n >= size - o)
			return o;
		o += (size_t)n;
		off += 2 + (size_t)count * 4;
	}
	return o;
}
