#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build vpnlb.ko for one kernel into build/<kver>/vpnlb.ko.
#
# usage: build-module.sh [--variant NAME] [KVER|KDIR|6.12|6.1|debug]
#                        [MAKE-VAR=VALUE...]
#
#   6.12, 6.1   the newest installed Debian kernel of that series (default 6.12)
#   debug       the selftest debug kernel (build-debug-kernel.sh, cached)
#   KVER        a release with headers under /lib/modules/KVER/build
#   KDIR        a kernel build directory
#   --variant NAME  build into build/<kver>/NAME/vpnlb.ko instead, beside
#               the main module (e.g. one with VPNLB_SELFTEST=1)
# The sources (Kbuild, kmod/, uapi/) are copied into build/<kver>/src and
# built there (build/<kver>/NAME/src for a variant), so builds for different
# kernels or variants never share object files.
# Extra arguments go to make (C=1, W=1, ...). Prints the module's path.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)

die() { echo "build-module: $*" >&2; exit 1; }

variant=
if [ "${1:-}" = --variant ]; then
	variant=${2:-}
	case $variant in
	''|*/*|.|..|src) die "--variant needs a plain name" ;;
	esac
	shift 2
fi
target=${1:-6.12}
[ $# -gt 0 ] && shift

case $target in
debug)
	kdir=$("$here/build-debug-kernel.sh" | tail -n1)/build
	;;
6.12|6.1)
	kdir=$(ls -dv /lib/modules/"$target".*/build 2>/dev/null | tail -n1)
	[ -n "$kdir" ] || die "no headers for $target under /lib/modules"
	;;
/*|./*|../*)
	kdir=$target
	;;
*)
	kdir=/lib/modules/$target/build
	;;
esac
[ -d "$kdir" ] || die "$kdir: no such kernel build directory"
kdir=$(cd "$kdir" && pwd -P)

# UTS_RELEASE is what uname -r says (Debian's 6.1 kernel.release is not).
uts=$kdir/include/generated/utsrelease.h
if [ -f "$uts" ]; then
	kver=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$uts")
else
	kver=$(make -s -C "$kdir" kernelrelease)
fi
[ -n "$kver" ] || die "cannot tell the kernel release of $kdir"

for f in Kbuild kmod uapi; do
	[ -e "$top/$f" ] || die "$top/$f is missing"
done

lock=$top/build/$kver/.lock
out=$top/build/$kver${variant:+/$variant}
src=$out/src
mkdir -p "$out"
# Concurrent builds for one kernel take turns.
exec 9> "$lock"
flock 9
# A fresh copy each time: no stale sources or objects from an older tree.
rm -rf "$src"
mkdir -p "$src"
cp -a "$top/Kbuild" "$top/kmod" "$top/uapi" "$src/"

make -C "$kdir" M="$src" "$@" modules >&2
cp "$src/vpnlb.ko" "$out/vpnlb.ko"
echo "$out/vpnlb.ko"
