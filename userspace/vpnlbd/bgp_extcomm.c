// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_extcomm.h"
#include "bgp_wire.h"

#define EC_SUBTYPE_RT		0x02
#define EC_SUBTYPE_LINK_BW	0x04

static bool parse_u32(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	char tmp[16];
	char *end;
	unsigned long long v;

	if (n == 0 || n >= sizeof(tmp))
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	errno = 0;
	v = strtoull(tmp, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

/* Builds the 6-byte value part and the type byte shared by RD and RT. */
static bool parse_admin_assigned(const char *s, uint8_t *type, uint64_t *value)
{
	const char *colon = strchr(s, ':');
	uint64_t admin, num;
	char ip[16];
	struct in_addr a;

	if (!colon || strchr(colon + 1, ':'))
		return false;
	if (memchr(s, '.', (size_t)(colon - s))) {
		if ((size_t)(colon - s) >= sizeof(ip))
			return false;
		memcpy(ip, s, (size_t)(colon - s));
		ip[colon - s] = '\0';
		if (inet_pton(AF_INET, ip, &a) != 1 ||
		    !parse_u32(colon + 1, strlen(colon + 1), 0xffff, &num))
			return false;
		*type = 1;
		*value = (uint64_t)ntohl(a.s_addr) << 16 | num;
		return true;
	}
	if (!parse_u32(s, (size_t)(colon - s), 0xffffffffu, &admin))
		return false;
	if (admin <= 0xffff) {
		if (!parse_u32(colon + 1, strlen(colon + 1), 0xffffffffu, &num))
			return false;
		*type = 0;
		*value = admin << 32 | num;
		return true;
	}
	if (!parse_u32(colon + 1, strlen(colon + 1), 0xffff, &num))
		return false;
	*type = 2;
	*value = admin << 16 | num;
	return true;
}

static void format_admin_assigned(uint8_t type, uint64_t v, char *buf,
				  size_t size)
{
	switch (type) {
	case 0:
		snprintf(buf, size, "%u:%u", (unsigned int)(v >> 32) & 0xffff,
			 (unsigned int)v);
		break;
	case 1:
		snprintf(buf, size, "%u.%u.%u.%u:%u",
			 (unsigned int)(v >> 40) & 0xff,
			 (unsigned int)(v >> 32) & 0xff,
			 (unsigned int)(v >> 24) & 0xff,
			 (unsigned int)(v >> 16) & 0xff,
			 (unsigned int)v & 0xffff);
		break;
	case 2:
		snprintf(buf, size, "%u:%u", (unsigned int)(v >> 16),
			 (unsigned int)v & 0xffff);
		break;
	default:
		snprintf(buf, size, "%u:%012" PRIx64, type,
			 (uint64_t)(v & 0xffffffffffffull));
		break;
	}
}

bool bgp_rd_parse(const char *s, uint64_t *rd)
{
	uint8_t type;
	uint64_t v;

	if (!parse_admin_assigned(s, &type, &v))
		return false;
	*rd = (uint64_t)type << 48 | v;
	return true;
}

void bgp_rd_format(uint64_t rd, char *buf, size_t size)
{
	uint16_t type = (uint16_t)(rd >> 48);

	format_admin_assigned(type > 2 ? 0xff : (uint8_t)type,
			      rd & 0xffffffffffffull, buf, size);
}

bool bgp_rt_parse(const char *s, uint64_t *rt)
{
	uint8_t type;
	uint64_t v;

	if (!parse_admin_assigned(s, &type, &v))
		return false;
	*rt = (uint64_t)type << 56 | (uint64_t)EC_SUBTYPE_RT << 48 | v;
	return true;
}

void bgp_rt_format(uint64_t rt, char *buf, size_t size)
{
	format_admin_assigned((uint8_t)(rt >> 56), rt & 0xffffffffffffull, buf,
			      size);
}

uint64_t bgp_extcomm_get(const uint8_t *p)
{
	return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

bool bgp_extcomm_is_rt(uint64_t ec)
{
	uint8_t type = (uint8_t)(ec >> 56), subtype = (uint8_t)(ec >> 48);

	return type <= 2 && subtype == EC_SUBTYPE_RT;
}

bool bgp_extcomm_link_bandwidth(uint64_t ec, uint64_t *bytes_per_sec)
{
	uint8_t type = (uint8_t)(ec >> 56), subtype = (uint8_t)(ec >> 48);
	uint32_t bits = (uint32_t)ec;
	float f;

	if ((type != 0x00 && type != 0x40) || subtype != EC_SUBTYPE_LINK_BW)
		return false;
	memcpy(&f, &bits, sizeof(f));
	if (!(f >= 0.0f) || f >= 1.8e19f)	/* rejects NaN and inf */
		return false;
	*bytes_per_sec = (uint64_t)f;
	return true;
}

uint64_t bgp_extcomm_make_link_bandwidth(uint16_t asn, float bytes_per_sec)
{
	uint32_t bits;

	memcpy(&bits, &bytes_per_sec, sizeof(bits));
	return (uint64_t)0x40 << 56 | (uint64_t)EC_SUBTYPE_LINK_BW << 48 |
	       (uint64_t)asn << 32 | bits;
}
