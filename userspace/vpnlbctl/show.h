/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * "show" output of each object, as text (one line per object, iproute2
 * style, counters on indented lines) and as JSON (stable keys). Pure
 * functions over the decoded structs: only attributes present are printed.
 */
#ifndef VPNLBCTL_SHOW_H
#define VPNLBCTL_SHOW_H

#include <stdbool.h>
#include <stdio.h>
#include <json-c/json.h>

#include "objects.h"

void vl_show_instance(FILE *out, const struct vl_instance *in, bool stats);
void vl_show_tunnel(FILE *out, const struct vl_tunnel *t);
void vl_show_nexthop(FILE *out, const struct vl_nexthop *nh);
/* one_line: members on the group's line (monitor) */
void vl_show_group(FILE *out, const struct vl_group *g, bool stats,
		   bool one_line);
void vl_show_route(FILE *out, const struct vl_route *r);
void vl_show_flush(FILE *out, const struct vl_flush *f);

json_object *vl_json_instance(const struct vl_instance *in, bool stats);
json_object *vl_json_tunnel(const struct vl_tunnel *t);
json_object *vl_json_nexthop(const struct vl_nexthop *nh);
json_object *vl_json_group(const struct vl_group *g, bool stats);
json_object *vl_json_route(const struct vl_route *r);
json_object *vl_json_flush(const struct vl_flush *f);

/* Print a JSON value on one line, without escaping '/'. */
void vl_json_print(FILE *out, json_object *obj);

/* VRP's age: 00h01m16s under a day, then 1d02h, then 3w2d. */
void vl_format_age(uint64_t seconds, char *buf, size_t size);

#endif
