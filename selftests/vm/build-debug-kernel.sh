#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or reuse) the debug kernel for the selftests: linux-source-6.12,
# allnoconfig + selftests/vm/debug.config + olddefconfig, everything built in,
# KASAN/lockdep/kmemleak/UBSAN on. Cached under
# /var/cache/vpnlb/kernel-<hash>/, the hash covering the fragment, this script
# and the source package version, so later runs reuse it.
#
# Usage: build-debug-kernel.sh [--print-dir] [--no-build]
#   prints the kernel directory on stdout (the last line); it holds bzImage,
#   kernelrelease and build/ (an O= tree usable as KDIR for external modules).
#   --no-build: fail (exit 1) instead of building when the cache is empty.
# Env: VPNLB_CACHE (default /var/cache/vpnlb), JOBS (default 2, at most 2).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${VPNLB_CACHE:-/var/cache/vpnlb}
fragment=$here/debug.config
tarball=/usr/src/linux-source-6.12.tar.xz
jobs=${JOBS:-2}
[ "$jobs" -gt 2 ] && jobs=2

build=1
while [ $# -gt 0 ]; do
	case $1 in
	--print-dir) ;;
	--no-build) build=0 ;;
	*) echo "usage: $0 [--print-dir] [--no-build]" >&2; exit 2 ;;
	esac
	shift
done

die() { echo "build-debug-kernel: $*" >&2; exit 1; }

[ -r "$tarball" ] || die "$tarball missing (apt-get install linux-source-6.12)"
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) ||
	die "linux-source-6.12 is not installed"
hash=$( { cat "$fragment" "${BASH_SOURCE[0]}"; echo "$srcver"; } |
	sha256sum | cut -c1-16)
kdir=$cache/kernel-$hash
srcdir=$cache/linux-source-$(echo "$srcver" | tr -c 'A-Za-z0-9.+\n-' _)

if [ -f "$kdir/complete" ]; then
	echo "$kdir"
	exit 0
fi
[ "$build" = 1 ] || die "no cached debug kernel at $kdir (run $0)"

mkdir -p "$cache"
exec 9>"$kdir.lock"
flock 9
if [ -f "$kdir/complete" ]; then
	echo "$kdir"
	exit 0
fi

log() { echo "build-debug-kernel: $*" >&2; }

if [ ! -f "$srcdir/.extracted" ]; then
	log "extracting $tarball into $srcdir"
	rm -rf "$srcdir" "$srcdir.tmp"
	mkdir -p "$srcdir.tmp"
	tar -xJf "$tarball" -C "$srcdir.tmp" --strip-components=1
	touch "$srcdir.tmp/.extracted"
	mv "$srcdir.tmp" "$srcdir"
fi

rm -rf "$kdir"
mkdir -p "$kdir/build"
obj=$kdir/build
start=$(date +%s)
log "configuring in $obj"
make -s -C "$srcdir" O="$obj" allnoconfig >&2
"$srcdir/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" \
	"$fragment" >&2
make -s -C "$srcdir" O="$obj" olddefconfig >&2

# Kconfig drops options whose dependencies are unmet without a word
# (NET_VRF without NET_L3_MASTER_DEV + IPV6_MULTIPLE_TABLES): check each one.
missing=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=*)
		grep -qxF "$line" "$obj/.config" || {
			log "requested '$line', got '$(grep -E "^(# )?${line%%=*}[= ]" \
				"$obj/.config" || echo "${line%%=*} absent")'"
			missing=1
		}
		;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }
		opt=${opt%% *}
		if grep -qE "^$opt=" "$obj/.config"; then
			log "requested $opt off, got $(grep -E "^$opt=" "$obj/.config")"
			missing=1
		fi
		;;
	esac
done < "$fragment"
[ "$missing" = 0 ] || die "the final .config lacks options from $fragment"

log "building bzImage (make -j$jobs), several minutes"
make -s -C "$srcdir" O="$obj" -j"$jobs" bzImage modules_prepare >&2
# No modules are configured; this writes Module.symvers and modules.builtin,
# which external module builds and modprobe of built-in drivers need.
make -s -C "$srcdir" O="$obj" -j"$jobs" modules >&2
[ -f "$obj/Module.symvers" ] || die "Module.symvers was not written"

ln -sf build/arch/x86/boot/bzImage "$kdir/bzImage"
make -s -C "$srcdir" O="$obj" kernelrelease > "$kdir/kernelrelease"
echo "$srcver" > "$kdir/source-version"
touch "$kdir/complete"
log "built $(cat "$kdir/kernelrelease") in $(( $(date +%s) - start )) s"
echo "$kdir"
