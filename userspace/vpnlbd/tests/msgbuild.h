/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Builds raw BGP messages byte by byte, so tests can also build broken ones. */
#ifndef VPNLBD_TESTS_MSGBUILD_H
#define VPNLBD_TESTS_MSGBUILD_H

#include <stdint.h>
#include <string.h>

struct tmsg {
	uint8_t b[8192];
	size_t len;
	size_t attr_len_at;
	size_t attr_start;
};

static inline void t_u8(struct tmsg *m, uint8_t v)
{
	m->b[m->len++] = v;
}

static inline void t_u16(struct tmsg *m, uint16_t v)
{
	t_u8(m, (uint8_t)(v >> 8));
	t_u8(m, (uint8_t)v);
}

static inline void t_u32(struct tmsg *m, uint32_t v)
{
	t_u16(m, (uint16_t)(v >> 16));
	t_u16(m, (uint16_t)v);
}

static inline void t_bytes(struct tmsg *m, const void *p, size_t n)
{
	memcpy(m->b + m->len, p, n);
	m->len += n;
}

static inline void t_header(struct tmsg *m, uint8_t type)
{
	m->len = 0;
	memset(m->b, 0xff, 16);
	m->len = 16;
	t_u16(m, 0);
	t_u8(m, type);
}

static inline void t_finish(struct tmsg *m)
{
	m->b[16] = (uint8_t)(m->len >> 8);
	m->b[17] = (uint8_t)m->len;
}

/* UPDATE with no legacy withdrawn routes; attributes follow. */
static inline void t_update_begin(struct tmsg *m)
{
	t_header(m, 2);
	t_u16(m, 0);
	m->attr_len_at = m->len;
	t_u16(m, 0);
	m->attr_start = m->len;
}

static inline void t_attr(struct tmsg *m, uint8_t flags, uint8_t type,
			  const void *v, size_t len)
{
	t_u8(m, flags);
	t_u8(m, type);
	if (flags & 0x10)
		t_u16(m, (uint16_t)len);
	else
		t_u8(m, (uint8_t)len);
	if (len)
		t_bytes(m, v, len);
}

/* Closes the attribute list; nlri (legacy field) follows. */
static inline void t_update_end(struct tmsg *m, const void *nlri, size_t n)
{
	size_t alen = m->len - m->attr_start;

	m->b[m->attr_len_at] = (uint8_t)(alen >> 8);
	m->b[m->attr_len_at + 1] = (uint8_t)alen;
	if (n)
		t_bytes(m, nlri, n);
	t_finish(m);
}

/* One VPNv4 NLRI entry; returns its size. */
static inline size_t t_vpn_nlri(uint8_t *p, uint32_t label, uint64_t rd,
				uint32_t addr, uint8_t plen)
{
	size_t n = 0, bytes = ((size_t)plen + 7) / 8;

	p[n++] = (uint8_t)(88 + plen);
	p[n++] = (uint8_t)(label >> 12);
	p[n++] = (uint8_t)(label >> 4);
	p[n++] = (uint8_t)(label << 4 | 1);
	for (int i = 7; i >= 0; i--)
		p[n++] = (uint8_t)(rd >> (8 * i));
	for (size_t i = 0; i < bytes; i++)
		p[n++] = (uint8_t)(addr >> (24 - 8 * i));
	return n;
}

/* MP_REACH_NLRI value for VPNv4 with the given next hop and NLRI bytes. */
static inline size_t t_mp_reach_vpn(uint8_t *p, uint32_t nh, const uint8_t *nlri,
				    size_t n)
{
	size_t o = 0;

	p[o++] = 0;
	p[o++] = 1;
	p[o++] = 128;
	p[o++] = 12;
	memset(p + o, 0, 8);
	o += 8;
	p[o++] = (uint8_t)(nh >> 24);
	p[o++] = (uint8_t)(nh >> 16);
	p[o++] = (uint8_t)(nh >> 8);
	p[o++] = (uint8_t)nh;
	p[o++] = 0;
	memcpy(p + o, nlri, n);
	return o + n;
}

#define ATTR_O		0x80
#define ATTR_T		0x40
#define ATTR_OT		0xc0
#define ATTR_EXT	0x10

#endif /* VPNLBD_TESTS_MSGBUILD_H */
