// SPDX-License-Identifier: GPL-2.0-or-later
/* Splitting a batch line into words, like "ip -batch". */
#include "batch.h"

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int vl_batch_split(char *line, char **argv, int max, const char **err)
{
	char *r = line, *w;
	char quote;
	int argc = 0;

	for (;;) {
		while (blank(*r))
			r++;
		if (!*r || *r == '#')
			return argc;
		if (argc == max) {
			*err = "too many words";
			return -1;
		}
		/* the word is rewritten in place without its quotes */
		w = r;
		argv[argc++] = w;
		while (*r && !blank(*r)) {
			if (*r == '"' || *r == '\'') {
				quote = *r++;
				while (*r && *r != quote)
					*w++ = *r++;
				if (!*r) {
					*err = "unterminated quote";
					return -1;
				}
				r++;
			} else {
				*w++ = *r++;
			}
		}
		if (*r)
			r++;
		*w = '\0';
	}
}
