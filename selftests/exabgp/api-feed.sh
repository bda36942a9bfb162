#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# ExaBGP API process: feeds ExaBGP the commands appended to FILE ("announce
# route ...", "withdraw route ..."), from its first line on, as they come.
#
#	process feed { run selftests/exabgp/api-feed.sh FILE; encoder text; }
[ $# -eq 1 ] || { echo "usage: $0 COMMAND-FILE" >&2; exit 2; }
exec tail -n +1 -f "$1"
