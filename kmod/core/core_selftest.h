/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Self-test of the FIB core, run at module load in builds made with
 * VPNLB_SELFTEST=1: the LPM against a naive table, and path selection.
 */
#ifndef _VPNLB_CORE_SELFTEST_H
#define _VPNLB_CORE_SELFTEST_H

#ifdef VPNLB_SELFTEST
/* Returns 0 when every check passes, a negative errno otherwise. */
int vpnlb_core_selftest(void);
#else
static inline int vpnlb_core_selftest(void)
{
	return 0;
}
#endif

#endif /* _VPNLB_CORE_SELFTEST_H */
