/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Usage text, whole or of one command. */
#ifndef VPNLBCTL_USAGE_H
#define VPNLBCTL_USAGE_H

#include <stdio.h>

#include "cli.h"

#define VPNLBCTL_VERSION "1.0"

/* The usage of obj (all of it for VL_OBJ_NONE / VL_OBJ_HELP). */
void vl_usage(FILE *out, enum vl_object obj);

#endif
