#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Installs the Debian bookworm packages vpnlb needs to build, test and demo.
# Usage: scripts/deps.sh [build|check|demo|bench|all]   (default: all)
# Installs only what is missing; safe to run again.
set -euo pipefail

build_pkgs=(
	build-essential pkg-config kmod cpio xz-utils bc flex bison libelf-dev libssl-dev
	linux-headers-6.12-amd64 linux-headers-amd64
	libnl-3-dev libnl-genl-3-dev libnl-route-3-dev libevent-dev libjson-c-dev
)
vm_pkgs=(
	linux-image-6.12-amd64 linux-image-amd64 linux-source-6.12
	qemu-system-x86 busybox-static iproute2 iputils-ping tcpdump tshark procps
	python3 python3-yaml python3-jsonschema util-linux jq
)
check_pkgs=(
	libcmocka-dev clang libclang-rt-14-dev sparse frr gobgpd exabgp
)
demo_pkgs=(frr)
bench_pkgs=(libdpdk-dev)

want=()
case "${1:-all}" in
build) want=("${build_pkgs[@]}") ;;
demo) want=("${build_pkgs[@]}" "${vm_pkgs[@]}" "${demo_pkgs[@]}") ;;
check) want=("${build_pkgs[@]}" "${vm_pkgs[@]}" "${check_pkgs[@]}") ;;
bench) want=("${build_pkgs[@]}" "${bench_pkgs[@]}" "${check_pkgs[@]}") ;;
all) want=("${build_pkgs[@]}" "${vm_pkgs[@]}" "${check_pkgs[@]}" "${bench_pkgs[@]}") ;;
*) echo "usage: $0 [build|check|demo|bench|all]" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: run as root: apt-get install ${missing[*]}" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
