#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# Second stage of the selftest VM, PID 1 in the host root (overlay) after
# switch_root; started by initramfs-init.sh, driven by run-vm.sh.
#
# The job directory (a writable 9p share, tag "vpnlbjob") holds cmd.sh, the
# command to run; this script writes dmesg and the kmemleak report there.
# Serial ports: ttyS0 is the kernel console (a log file on the host), ttyS1
# carries the command's output (streamed by run-vm.sh), ttyS2 the progress
# markers run-vm.sh watches:
#   VPNLB-BOOTED            userspace is up
#   VPNLB-EARLY-REPORT      the kernel already reported a problem: not started
#   VPNLB-START             the command starts now
#   VPNLB-DONE              the command ended; the kmemleak scan starts
#   VPNLB-EXIT <status>     the command ended; dmesg and kmemleak are written
bb=/bin/busybox
job=/run/vpnlb-job
output=/dev/ttyS1
status=/dev/ttyS2

$bb mount -t proc proc /proc
$bb mount -t sysfs sysfs /sys
$bb mount -t devtmpfs devtmpfs /dev
$bb mkdir -p /dev/pts /dev/shm
$bb ln -sf /proc/self/fd /dev/fd
$bb ln -sf /proc/self/fd/0 /dev/stdin
$bb ln -sf /proc/self/fd/1 /dev/stdout
$bb ln -sf /proc/self/fd/2 /dev/stderr
$bb mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
$bb mount -t tmpfs -o mode=1777 shm /dev/shm
$bb mount -t tmpfs -o mode=0755 run /run
$bb mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
$bb mkdir -p $job
$bb mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 vpnlbjob $job

$bb stty -F $output raw -echo 2>/dev/null
$bb stty -F $status raw -echo 2>/dev/null
mark() { echo "$*" > $status; }

$bb hostname vpnlb-vm
$bb ip link set lo up

# Kernels whose drivers are all built in (the debug kernel) have no
# /lib/modules in the host root: give modprobe the list of built-in modules
# so "modprobe vrf" succeeds there as on the Debian kernels.
kver=$($bb uname -r)
if [ -f $job/kdir ] && [ ! -d /lib/modules/$kver ]; then
	kdir=$($bb cat $job/kdir)
	$bb mkdir -p /lib/modules/$kver
	for f in modules.builtin modules.builtin.modinfo modules.order; do
		[ -f "$kdir/$f" ] && $bb cp "$kdir/$f" /lib/modules/$kver/
	done
	$bb ln -s "$kdir" /lib/modules/$kver/build
	/sbin/depmod "$kver" 2>/dev/null || $bb depmod "$kver"
fi

mark VPNLB-BOOTED

# A report before the command is a boot problem, not a test failure.
if $bb dmesg | $bb grep -qE -f $job/report-patterns; then
	$bb dmesg > $job/dmesg
	mark VPNLB-EARLY-REPORT
	$bb sync
	$bb reboot -f
fi

kmemleak=/sys/kernel/debug/kmemleak
if [ -w $kmemleak ]; then
	# Forget what boot left behind, so only the command's leaks count.
	echo scan > $kmemleak
	echo clear > $kmemleak
fi

mark VPNLB-START
# Through a pipe, as in a CI log: the command's stdout is not a terminal.
{
	/bin/bash $job/cmd.sh < /dev/null 2>&1
	echo $? > /run/vpnlb-rc
} | $bb cat > $output
rc=$($bb cat /run/vpnlb-rc)
mark VPNLB-DONE

if [ -w $kmemleak ]; then
	# kmemleak ignores objects younger than 5 s; scan twice to settle.
	$bb sleep 6
	echo scan > $kmemleak
	echo scan > $kmemleak
	$bb cat $kmemleak > $job/kmemleak
fi
$bb dmesg > $job/dmesg
$bb sync
mark "VPNLB-EXIT $rc"
$bb reboot -f
