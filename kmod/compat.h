/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels vpnlb builds on (6.1 and later), found by
 * the header probes in Kbuild (VPNLB_HAVE_*), not by version numbers.
 */
#ifndef _VPNLB_COMPAT_H
#define _VPNLB_COMPAT_H

#include <net/genetlink.h>
#ifdef VPNLB_HAVE_NET_GSO_H
#include <net/gso.h>		/* skb_gso_validate_network_len() */
#endif

/* Attributes of a dump request, parsed by the genetlink core. */
static inline struct nlattr **vpnlb_dump_attrs(struct netlink_callback *cb)
{
#ifdef VPNLB_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/* Formatted extack messages, prefixed with the module name. */
__printf(2, 3)
void vpnlb_errf(struct netlink_ext_ack *extack, const char *fmt, ...);

#endif /* _VPNLB_COMPAT_H */
