/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Bounds-checked big-endian readers and writers for BGP wire data.
 * A reader never reads past its length; a writer that runs out of room
 * sets its overflow flag and writes nothing further, so encoders can check
 * once at the end.
 */
#ifndef VPNLBD_BGP_WIRE_H
#define VPNLBD_BGP_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct wire_reader {
	const uint8_t *p;
	size_t len;		/* bytes left */
};

static inline void wr_init(struct wire_reader *r, const uint8_t *p, size_t len)
{
	r->p = p;
	r->len = len;
}

static inline bool wr_u8(struct wire_reader *r, uint8_t *v)
{
	if (r->len < 1)
		return false;
	*v = r->p[0];
	r->p++;
	r->len--;
	return true;
}

static inline bool wr_u16(struct wire_reader *r, uint16_t *v)
{
	if (r->len < 2)
		return false;
	*v = (uint16_t)(r->p[0] << 8 | r->p[1]);
	r->p += 2;
	r->len -= 2;
	return true;
}

static inline bool wr_u24(struct wire_reader *r, uint32_t *v)
{
	if (r->len < 3)
		return false;
	*v = (uint32_t)r->p[0] << 16 | (uint32_t)r->p[1] << 8 | r->p[2];
	r->p += 3;
	r->len -= 3;
	return true;
}

static inline bool wr_u32(struct wire_reader *r, uint32_t *v)
{
	if (r->len < 4)
		return false;
	*v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 |
	     (uint32_t)r->p[2] << 8 | r->p[3];
	r->p += 4;
	r->len -= 4;
	return true;
}

static inline bool wr_u64(struct wire_reader *r, uint64_t *v)
{
	uint32_t hi, lo;

	if (r->len < 8)
		return false;
	wr_u32(r, &hi);
	wr_u32(r, &lo);
	*v = (uint64_t)hi << 32 | lo;
	return true;
}

/* Takes a sub-reader of n bytes and advances past it. */
static inline bool wr_sub(struct wire_reader *r, size_t n, struct wire_reader *sub)
{
	if (r->len < n)
		return false;
	wr_init(sub, r->p, n);
	r->p += n;
	r->len -= n;
	return true;
}

static inline bool wr_bytes(struct wire_reader *r, void *dst, size_t n)
{
	if (r->len < n)
		return false;
	memcpy(dst, r->p, n);
	r->p += n;
	r->len -= n;
	return true;
}

static inline uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

struct wire_writer {
	uint8_t *buf;
	size_t cap;
	size_t len;
	bool overflow;
};

static inline void ww_init(struct wire_writer *w, uint8_t *buf, size_t cap)
{
	w->buf = buf;
	w->cap = cap;
	w->len = 0;
	w->overflow = false;
}

static inline bool ww_room(struct wire_writer *w, size_t n)
{
	if (w->overflow || w->cap - w->len < n) {
		w->overflow = true;
		return false;
	}
	return true;
}

static inline void ww_u8(struct wire_writer *w, uint8_t v)
{
	if (ww_room(w, 1))
		w->buf[w->len++] = v;
}

static inline void ww_u16(struct wire_writer *w, uint16_t v)
{
	if (ww_room(w, 2)) {
		w->buf[w->len++] = (uint8_t)(v >> 8);
		w->buf[w->len++] = (uint8_t)v;
	}
}

static inline void ww_u24(struct wire_writer *w, uint32_t v)
{
	if (ww_room(w, 3)) {
		w->buf[w->len++] = (uint8_t)(v >> 16);
		w->buf[w->len++] = (uint8_t)(v >> 8);
		w->buf[w->len++] = (uint8_t)v;
	}
}

static inline void ww_u32(struct wire_writer *w, uint32_t v)
{
	if (ww_room(w, 4)) {
		w->buf[w->len++] = (uint8_t)(v >> 24);
		w->buf[w->len++] = (uint8_t)(v >> 16);
		w->buf[w->len++] = (uint8_t)(v >> 8);
		w->buf[w->len++] = (uint8_t)v;
	}
}

static inline void ww_u64(struct wire_writer *w, uint64_t v)
{
	ww_u32(w, (uint32_t)(v >> 32));
	ww_u32(w, (uint32_t)v);
}

static inline void ww_bytes(struct wire_writer *w, const void *src, size_t n)
{
	if (ww_room(w, n)) {
		if (n)
			memcpy(w->buf + w->len, src, n);
		w->len += n;
	}
}

/* Writes v at an earlier offset (length fields filled in afterwards). */
static inline void ww_put16_at(struct wire_writer *w, size_t off, uint16_t v)
{
	if (!w->overflow && off + 2 <= w->len) {
		w->buf[off] = (uint8_t)(v >> 8);
		w->buf[off + 1] = (uint8_t)v;
	}
}

static inline void ww_put8_at(struct wire_writer *w, size_t off, uint8_t v)
{
	if (!w->overflow && off < w->len)
		w->buf[off] = v;
}

#endif /* VPNLBD_BGP_WIRE_H */
