/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Path selection among the active members of a group.
 *
 * Per flow: weighted hash-threshold (RFC 2992). Each active member owns a
 * slice of the 31-bit hash space proportional to its weight; bounds[] holds
 * the inclusive upper end of each slice, so a flow keeps its path while the
 * member set is unchanged.
 *
 * Per packet: smooth weighted round-robin. Over any window of W packets,
 * W being the sum of the weights, member i is chosen exactly weight[i] times.
 * The state is per CPU (the caller passes this CPU's copy with preemption
 * and bottom halves disabled), so no lock and no shared cache line is touched.
 *
 * The same source builds in the kernel and in userspace.
 */
#ifndef _VPNLB_CORE_SELECT_H
#define _VPNLB_CORE_SELECT_H

#include "core_compat.h"

/* Most active members a group forwards over (VPNLB_MAX_PATHS_MAX). */
#define VPNLB_SEL_MAX	64

/* Fills bounds[0..n-1] from weights[0..n-1] (each 1..65535), n >= 1. */
void vpnlb_sel_hash_init(u32 *bounds, const u32 *weights, unsigned int n);

/* Index of the member owning hash (only its low 31 bits are used). */
unsigned int vpnlb_sel_hash(const u32 *bounds, unsigned int n, u32 hash);

/* Smooth WRR state of one CPU for one member set. (Not named "current":
 * that is a macro in the kernel.)
 */
struct vpnlb_sel_wrr {
	s32 credit[VPNLB_SEL_MAX];
};

/* Resets state for a new member set. */
void vpnlb_sel_wrr_init(struct vpnlb_sel_wrr *st);

/* Next member index; total is the sum of weights[0..n-1]. */
unsigned int vpnlb_sel_wrr_next(struct vpnlb_sel_wrr *st, const u32 *weights,
				unsigned int n, u32 total);

#endif /* _VPNLB_CORE_SELECT_H */
