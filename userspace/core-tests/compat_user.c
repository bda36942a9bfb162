// SPDX-License-Identifier: GPL-2.0-or-later
/* State of the FIB core's userspace shim (kmod/core/core_compat.h). */
#include "core_compat.h"

long vpnlb_compat_fail_after = -1;
u64 vpnlb_compat_rand_state = 0x9e3779b97f4a7c15ULL;
