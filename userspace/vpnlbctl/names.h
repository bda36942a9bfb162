/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Keywords for the uapi enums, both ways. */
#ifndef VPNLBCTL_NAMES_H
#define VPNLBCTL_NAMES_H

#include <stdint.h>

/* NULL-terminated keyword tables indexed by the enum value. */
extern const char *const vl_lb_mode_names[];
extern const char *const vl_hash_names[];
extern const char *const vl_ttl_names[];
extern const char *const vl_proto_names[];
extern const char *const vl_tunnel_state_names[];
extern const char *const vl_member_state_names[];

/* The keyword for a value, or "unknown" for a value past the table. */
const char *vl_name_of(const char *const *table, unsigned int value);

/* The value of a keyword, or -1. */
int vl_value_of(const char *const *table, const char *word);

/* VRP's spelling of a protocol: Static, IBGP, EBGP. */
const char *vl_proto_vrp(unsigned int proto);

#endif
