// SPDX-License-Identifier: GPL-2.0
/* Kernel differences that need code; see compat.h. */
#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/netlink.h>

#include "compat.h"

#define VPNLB_MSG_LEN	80

#ifdef VPNLB_HAVE_ERR_MSG_FMT
void vpnlb_errf(struct netlink_ext_ack *extack, const char *fmt, ...)
{
	char buf[VPNLB_MSG_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	NL_SET_ERR_MSG_FMT_MOD(extack, "%s", buf);
}
#else
/*
 * Without a message buffer in the extack, the text must outlive the request:
 * a ring of buffers, reused only after many more rejected requests.
 */
#define VPNLB_MSG_RING	256

static char vpnlb_msg_ring[VPNLB_MSG_RING][VPNLB_MSG_LEN];
static atomic_t vpnlb_msg_pos = ATOMIC_INIT(0);

void vpnlb_errf(struct netlink_ext_ack *extack, const char *fmt, ...)
{
	unsigned int slot;
	va_list ap;
	char *buf;
	int len;

	if (!extack)
		return;
	slot = (unsigned int)atomic_inc_return(&vpnlb_msg_pos) % VPNLB_MSG_RING;
	buf = vpnlb_msg_ring[slot];
	len = scnprintf(buf, VPNLB_MSG_LEN, KBUILD_MODNAME ": ");
	va_start(ap, fmt);
	vscnprintf(buf + len, VPNLB_MSG_LEN - len, fmt, ap);
	va_end(ap);
	extack->_msg = buf;
}
#endif
