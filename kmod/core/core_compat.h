/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the FIB core needs from its environment.
 *
 * In the kernel these are the kernel's own headers. In userspace (unit tests,
 * fuzzing, benchmarks) a small shim provides the same names, so lpm.c and
 * select.c are one source for both.
 *
 * Userspace builds are single-threaded: no lookup can be running while an
 * update runs, so every point between two calls is a grace period and
 * call_rcu() may run its callback at once.
 */
#ifndef _VPNLB_CORE_COMPAT_H
#define _VPNLB_CORE_COMPAT_H

#ifdef __KERNEL__

#include <linux/bitops.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/prefetch.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/types.h>

/* Bytes the slab allocator really spends on a kmalloc() of size bytes. */
static inline size_t vpnlb_alloc_size(size_t size)
{
	return size ? kmalloc_size_roundup(size) : 0;
}

#else /* userspace */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef int s32;
typedef unsigned long long u64;

#define __rcu
#ifndef likely
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#endif
#ifndef BIT
#define BIT(n)			(1UL << (n))
#endif
#define BIT_ULL(n)		(1ULL << (n))
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif
#define U32_MAX			((u32)~0U)

#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

#define gfp_t			unsigned int
#define GFP_KERNEL		0U
#define __GFP_NOFAIL		1U

/*
 * Allocation failure injection for tests: when vpnlb_compat_fail_after is
 * N >= 0, the first N allocations succeed and the following ones fail; -1
 * (the initial value) never fails. Defined in userspace/core-tests/compat_user.c.
 */
extern long vpnlb_compat_fail_after;

static inline bool vpnlb_compat_alloc_fails(gfp_t gfp)
{
	if (gfp & __GFP_NOFAIL)
		return false;
	if (vpnlb_compat_fail_after < 0)
		return false;
	if (vpnlb_compat_fail_after == 0)
		return true;
	vpnlb_compat_fail_after--;
	return false;
}

/* Userspace has no reclaim to wait for: __GFP_NOFAIL gives up on failure. */
static inline void *vpnlb_compat_nofail(void *p, gfp_t gfp)
{
	if (!p && (gfp & __GFP_NOFAIL))
		abort();
	return p;
}

static inline void *kmalloc(size_t size, gfp_t gfp)
{
	if (vpnlb_compat_alloc_fails(gfp))
		return NULL;
	return vpnlb_compat_nofail(malloc(size ? size : 1), gfp);
}

static inline void *kzalloc(size_t size, gfp_t gfp)
{
	if (vpnlb_compat_alloc_fails(gfp))
		return NULL;
	return vpnlb_compat_nofail(calloc(1, size ? size : 1), gfp);
}

static inline void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	if (size && n > (size_t)-1 / size)
		return NULL;
	return kmalloc(n * size, gfp);
}

static inline void kfree(const void *p)
{
	free((void *)p);
}

static inline void *kvmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	return kmalloc_array(n, size, gfp);
}

static inline void kvfree(const void *p)
{
	free((void *)p);
}

#define prefetch(x)	__builtin_prefetch(x)

/* Orders the stores that build a node before those that publish it. */
#define smp_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)

/* The kernel's kmalloc size classes, so memory figures match the kernel. */
static inline size_t vpnlb_alloc_size(size_t size)
{
	size_t cls;

	if (!size)
		return 0;
	if (size <= 8)
		return 8;
	if (size > 64 && size <= 96)
		return 96;
	if (size > 128 && size <= 192)
		return 192;
	for (cls = 16; cls < size; cls <<= 1)
		;
	return cls;
}

static inline unsigned int hweight64(u64 w)
{
	return (unsigned int)__builtin_popcountll(w);
}

static inline unsigned int hweight32(u32 w)
{
	return (unsigned int)__builtin_popcount(w);
}

/* Index of the most significant set bit, 1-based; 0 for 0. */
static inline int fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

/* Index of the least significant set bit; w must not be 0. */
static inline unsigned int __ffs64(u64 w)
{
	return (unsigned int)__builtin_ctzll(w);
}

struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
};

#define rcu_read_lock()			do { } while (0)
#define rcu_read_unlock()		do { } while (0)
#define rcu_dereference(p)		READ_ONCE(p)
#define rcu_dereference_protected(p, c)	((void)(c), (p))
#define rcu_access_pointer(p)		READ_ONCE(p)
#define rcu_assign_pointer(p, v)	__atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
#define RCU_INIT_POINTER(p, v)		((p) = (v))

/* Single-threaded: no reader can hold a reference, the grace period is over. */
static inline void call_rcu(struct rcu_head *head,
			    void (*func)(struct rcu_head *head))
{
	func(head);
}

static inline void synchronize_rcu(void)
{
}

static inline void rcu_barrier(void)
{
}

#ifndef container_of
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#endif

#define pr_err(...)	fprintf(stderr, __VA_ARGS__)
#define pr_info(...)	fprintf(stderr, __VA_ARGS__)

/*
 * Random numbers for the self-test: a fixed-seed xorshift so userspace runs
 * are reproducible. Defined in userspace/core-tests/compat_user.c.
 */
extern u64 vpnlb_compat_rand_state;

static inline u32 get_random_u32(void)
{
	u64 x = vpnlb_compat_rand_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	vpnlb_compat_rand_state = x;
	return (u32)(x >> 32);
}

static inline u32 get_random_u32_below(u32 ceil)
{
	return (u32)(((u64)get_random_u32() * ceil) >> 32);
}

static inline void cond_resched(void)
{
}

#endif /* __KERNEL__ */

#endif /* _VPNLB_CORE_COMPAT_H */
