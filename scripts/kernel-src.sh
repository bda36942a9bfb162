#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Prints the root of an extracted linux-source-6.12 tree, extracting the
# named paths (shell globs inside the tarball, relative to its top) first
# when they are missing. The tree lives outside the repo, in
# ${VPNLB_CACHE:-/var/cache/vpnlb}/src.
#   scripts/kernel-src.sh scripts/checkpatch.pl 'tools/net/ynl/*'
set -euo pipefail

cache=${VPNLB_CACHE:-/var/cache/vpnlb}/src
tarball=$(ls /usr/src/linux-source-6.12.tar.xz 2>/dev/null || true)
[ -n "$tarball" ] || { echo "kernel-src: linux-source-6.12 is not installed" >&2; exit 1; }
top=$cache/linux-source-6.12
mkdir -p "$cache"
need=()
for p in "$@"; do
	# shellcheck disable=SC2086
	compgen -G "$top/$p" >/dev/null || need+=("linux-source-6.12/$p")
done
if [ ${#need[@]} -gt 0 ]; then
	tar -C "$cache" -xf "$tarball" --wildcards "${need[@]}"
fi
echo "$top"
