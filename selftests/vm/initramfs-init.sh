#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# First stage of the selftest VM (the initramfs /init, built by run-vm.sh):
# load the 9p/overlay modules listed in /modules/order (none on the debug
# kernel, where they are built in), mount the host root read-only over
# virtio-9p with a tmpfs overlay on top, and switch_root into it. switch_root
# rather than chroot, so that the kernel's module autoload helper runs in the
# host root and finds /lib/modules there.
/bin/busybox --install -s /bin
export PATH=/bin

fail() {
	echo "vpnlb-initramfs: $*"
	echo "VPNLB-BOOT-FAILED $*" > /dev/ttyS1
	reboot -f
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

if [ -f /modules/order ]; then
	while read -r mod; do
		insmod "/modules/$mod" || fail "insmod $mod failed"
	done < /modules/order
fi

stage2=
for arg in $(cat /proc/cmdline); do
	case $arg in
	vpnlb_init=*) stage2=${arg#vpnlb_init=} ;;
	esac
done
[ -n "$stage2" ] || fail "no vpnlb_init= on the kernel command line"

mkdir -p /lower /rw /newroot
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000 root /lower ||
	fail "cannot mount the host root over 9p"
mount -t tmpfs -o mode=0755 rw /rw
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work \
	overlay /newroot || fail "cannot mount the overlay root"
[ -x "/newroot$stage2" ] || fail "$stage2 is missing in the host root"

umount /proc /sys
umount /dev
exec switch_root /newroot "$stage2"
