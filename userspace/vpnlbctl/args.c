// SPDX-License-Identifier: GPL-2.0-or-later
/* Values on the command line: numbers, addresses, prefixes, labels, names. */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "objects.h"

/* Decimal or 0x-hex, nothing else: no sign, no spaces, no trailing text. */
static int parse_ulong(const char *s, unsigned long long *out)
{
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		*out = strtoull(s + 2, &end, 16);
	else
		*out = strtoull(s, &end, 10);
	if (errno || *end || (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
			      (!s[2] || s[2] == '-' || s[2] == '+')))
		return -1;
	return 0;
}

int vl_parse_u32(const char *what, const char *s, uint32_t min, uint32_t max,
		 uint32_t *out, char *err)
{
	unsigned long long v;

	if (parse_ulong(s, &v) || v < min || v > max) {
		snprintf(err, VL_ERR_SIZE, "invalid %s \"%s\" (%u..%u)", what, s,
			 min, max);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

int vl_parse_ipv4(const char *what, const char *s, struct in_addr *out,
		  char *err)
{
	if (inet_pton(AF_INET, s, out) != 1) {
		snprintf(err, VL_ERR_SIZE, "invalid %s \"%s\"", what, s);
		return -1;
	}
	return 0;
}

uint32_t vl_prefix_mask(uint8_t len)
{
	return len ? 0xffffffffu << (32 - len) : 0;
}

int vl_parse_prefix(const char *s, struct in_addr *addr, uint8_t *len,
		    char *err)
{
	char buf[INET_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	unsigned long long v;
	size_t alen;

	if (!slash) {
		snprintf(err, VL_ERR_SIZE,
			 "invalid prefix \"%s\" (expected ADDRESS/LENGTH)", s);
		return -1;
	}
	alen = (size_t)(slash - s);
	if (alen >= sizeof(buf)) {
		snprintf(err, VL_ERR_SIZE, "invalid prefix \"%s\"", s);
		return -1;
	}
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (inet_pton(AF_INET, buf, addr) != 1) {
		snprintf(err, VL_ERR_SIZE, "invalid prefix \"%s\"", s);
		return -1;
	}
	if (slash[1] == '0' && slash[2] == 'x') {
		snprintf(err, VL_ERR_SIZE, "invalid prefix length \"%s\"",
			 slash + 1);
		return -1;
	}
	if (parse_ulong(slash + 1, &v) || v > 32) {
		snprintf(err, VL_ERR_SIZE, "invalid prefix length \"%s\"",
			 slash + 1);
		return -1;
	}
	*len = (uint8_t)v;
	if (ntohl(addr->s_addr) & ~vl_prefix_mask(*len)) {
		snprintf(err, VL_ERR_SIZE,
			 "invalid prefix \"%s\": host bits set", s);
		return -1;
	}
	return 0;
}

int vl_parse_masklen(const char *s, uint8_t *len, char *err)
{
	struct in_addr mask;
	unsigned long long v;
	uint32_t m;
	uint8_t n;

	if (strchr(s, '.')) {
		if (inet_pton(AF_INET, s, &mask) != 1)
			goto bad;
		m = ntohl(mask.s_addr);
		for (n = 0; n < 32 && (m & (0x80000000u >> n)); n++)
			;
		if (m != vl_prefix_mask(n))
			goto bad;
		*len = n;
		return 0;
	}
	if (s[0] == '0' && s[1] == 'x')
		goto bad;
	if (parse_ulong(s, &v) || v > 32)
		goto bad;
	*len = (uint8_t)v;
	return 0;
bad:
	snprintf(err, VL_ERR_SIZE, "invalid mask length \"%s\"", s);
	return -1;
}

int vl_parse_labels(const char *s, uint32_t *labels, unsigned int *n,
		    char *err)
{
	char buf[128], *tok, *save = NULL;
	unsigned int count = 0;

	if (strlen(s) >= sizeof(buf) || !*s || s[strlen(s) - 1] == '/' ||
	    strstr(s, "//") || s[0] == '/') {
		snprintf(err, VL_ERR_SIZE, "invalid label stack \"%s\"", s);
		return -1;
	}
	strcpy(buf, s);
	for (tok = strtok_r(buf, "/", &save); tok;
	     tok = strtok_r(NULL, "/", &save)) {
		if (count == VPNLB_TUNNEL_LABELS_MAX) {
			snprintf(err, VL_ERR_SIZE,
				 "too many labels in \"%s\" (at most %d)", s,
				 VPNLB_TUNNEL_LABELS_MAX);
			return -1;
		}
		if (vl_parse_u32("label", tok, 0, VPNLB_LABEL_MAX,
				 &labels[count], err))
			return -1;
		count++;
	}
	*n = count;
	return 0;
}

int vl_parse_name(const char *s, char *out, char *err)
{
	size_t len = strlen(s);

	if (len == 0) {
		snprintf(err, VL_ERR_SIZE, "empty instance name");
		return -1;
	}
	if (len > VPNLB_INSTANCE_NAME_MAX) {
		snprintf(err, VL_ERR_SIZE,
			 "instance name \"%.40s%s\" is longer than %d characters",
			 s, len > 40 ? "..." : "", VPNLB_INSTANCE_NAME_MAX);
		return -1;
	}
	memcpy(out, s, len + 1);
	return 0;
}

int vl_parse_ifname(const char *s, char *out, char *err)
{
	size_t len = strlen(s);

	if (len == 0 || len >= IF_NAMESIZE || strchr(s, '/')) {
		snprintf(err, VL_ERR_SIZE, "invalid device name \"%s\"", s);
		return -1;
	}
	memcpy(out, s, len + 1);
	return 0;
}
