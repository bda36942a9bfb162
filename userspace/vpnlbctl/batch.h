/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Splitting a batch line into words, like "ip -batch". */
#ifndef VPNLBCTL_BATCH_H
#define VPNLBCTL_BATCH_H

#include <stddef.h>

#define VL_BATCH_MAX_WORDS	1024

/*
 * Split line in place into argv (at most max words): words are separated
 * by blanks, "double" or 'single' quotes group, a '#' starting a word
 * starts a comment. Returns the word count, or -1 with err (too many
 * words, unterminated quote).
 */
int vl_batch_split(char *line, char **argv, int max, const char **err);

#endif
