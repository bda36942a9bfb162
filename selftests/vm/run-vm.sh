#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run a command as root inside a throwaway qemu VM booted on a chosen kernel.
#
# usage: run-vm.sh [--kernel 6.12|6.1|debug|VERSION] [--kvm] [--timeout S]
#                  [--mem M] [--smp N] -- COMMAND [ARG...]
#
# The guest sees the host root read-only over virtio-9p with a tmpfs overlay
# (writes are discarded), switch_roots into it, and runs COMMAND with bash in
# the current directory, PATH=/usr/local/sbin:...:/bin, HOME=/root, and the
# caller's VPNLB* and KSFT_* variables, stdin /dev/null, stdout and stderr
# a pipe. /run and /dev/shm are fresh tmpfs; debugfs is mounted. COMMAND's
# output is streamed; the kernel log (level warning and above) goes to
# console.log in the job directory, printed when the guest dies.
#
# Exit status:
#   COMMAND's status, when the kernel reported nothing;
#   1    the kernel logged a WARNING/BUG/Oops/lockdep/RCU/KASAN/UBSAN/kmemleak
#        report during the run (the report is printed);
#   124  the run (boot included) took longer than --timeout (default 1200 s);
#   125  the guest never reached the command (boot failure, panic or kernel
#        report before it started, boot timeout); the boot is retried once
#        before giving up;
#   2    usage error.
#
# Environment: VPNLB_VM_BOOT_TIMEOUT (default 300 s) bounds the time to reach
# the command; VPNLB_CACHE (default /var/cache/vpnlb) holds the initramfs
# images; VPNLB_VM_KEEP=1 keeps the job directory (console log, dmesg).

# Braces: bash reads the whole script before running it, so editing the
# file while it runs cannot change what runs.
{
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${VPNLB_CACHE:-/var/cache/vpnlb}
kernel=6.12
accel=tcg
timeout=1200
boot_timeout=${VPNLB_VM_BOOT_TIMEOUT:-300}
mem=2048
smp=2

usage() {
	sed -n '/^# usage:/,/^#$/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
	exit 2
}
msg() { echo "run-vm: $*" >&2; }

while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=${2:?}; shift ;;
	--kvm) accel=kvm ;;
	--timeout) timeout=${2:?}; shift ;;
	--mem) mem=${2:?}; shift ;;
	--smp) smp=${2:?}; shift ;;
	--) shift; break ;;
	-h|--help) usage ;;
	*) msg "unknown option '$1'"; usage ;;
	esac
	shift
done
[ $# -gt 0 ] || { msg "no command given"; usage; }

for cmd in qemu-system-x86_64 busybox cpio gzip; do
	command -v $cmd > /dev/null || {
		msg "$cmd is missing (apt-get install qemu-system-x86 busybox-static cpio)"
		exit 125
	}
done

# Resolve the kernel: image, release string, and module build dir (debug).
kdir=
case $kernel in
debug)
	kdir=$("$here/build-debug-kernel.sh" | tail -n1) || {
		msg "cannot build the debug kernel"; exit 125; }
	image=$kdir/bzImage
	kver=$(cat "$kdir/kernelrelease")
	kdir=$kdir/build
	;;
*)
	case $kernel in
	6.12|6.1) pattern="/boot/vmlinuz-$kernel.*" ;;
	*) pattern="/boot/vmlinuz-$kernel" ;;
	esac
	image=$(ls -v $pattern 2>/dev/null | tail -n1)
	[ -n "$image" ] || { msg "no kernel image matches $pattern"; exit 125; }
	kver=${image#/boot/vmlinuz-}
	;;
esac

# Initramfs: busybox, the first-stage init, and the modules needed to reach
# the 9p root (none on a kernel with them built in).
build_initramfs() {
	local mods=() m line seen=" " out tmp
	if [ -z "$kdir" ]; then
		for m in virtio_pci 9pnet_virtio 9p overlay; do
			while read -r line; do
				case $line in
				insmod\ *)
					line=${line#insmod }
					line=${line%% *}
					case $seen in *" $line "*) continue ;; esac
					seen="$seen$line "
					mods+=("$line")
					;;
				esac
			done < <(modprobe -S "$kver" --show-depends "$m" 2>/dev/null)
		done
	fi
	local key
	# Keyed by what goes into it; older images of this kernel are dropped.
	key=$( { cat "$here/initramfs-init.sh"; sha256sum /bin/busybox; \
		printf '%s\n' "${mods[@]}"; } | sha256sum | cut -c1-16)
	out=$cache/initramfs-$kver-$key.cpio.gz
	if [ ! -s "$out" ]; then
		find "$cache" -maxdepth 1 -name "initramfs-$kver-*.cpio.gz" \
			! -name "${out##*/}" -delete 2>/dev/null
		mkdir -p "$cache"
		tmp=$(mktemp -d)
		mkdir -p "$tmp"/{bin,dev,proc,sys,modules}
		cp /bin/busybox "$tmp/bin/busybox"
		cp "$here/initramfs-init.sh" "$tmp/init"
		chmod 755 "$tmp/init"
		mknod "$tmp/dev/console" c 5 1
		# Decompressed, so that busybox insmod needs no fallback.
		for m in "${mods[@]}"; do
			case $m in
			*.xz) xz -dc "$m" > "$tmp/modules/$(basename "$m" .xz)" ;;
			*.zst) zstd -qdc "$m" > "$tmp/modules/$(basename "$m" .zst)" ;;
			*) cp "$m" "$tmp/modules/" ;;
			esac
			basename "${m%.[xz][zs]*}" >> "$tmp/modules/order"
		done
		(cd "$tmp" && find . | cpio -o -H newc --quiet | gzip -1) \
			> "$out.tmp.$$" && mv "$out.tmp.$$" "$out"
		rm -rf "$tmp"
	fi
	echo "$out"
}
initramfs=$(build_initramfs) || { msg "cannot build the initramfs"; exit 125; }

# The job directory is shared read-write with the guest (tag vpnlbjob).
job=$(mktemp -d /var/tmp/vpnlb-vm.XXXXXX)
cleanup() {
	[ -n "${qemu_pid:-}" ] && kill "$qemu_pid" 2>/dev/null
	if [ "${VPNLB_VM_KEEP:-0}" = 1 ]; then
		msg "job directory kept: $job"
	else
		rm -rf "$job"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -n "$kdir" ] && echo "$kdir" > "$job/kdir"

# What counts as a kernel report in dmesg and in the kmemleak file (extended
# regular expressions, one a line; selftests/run.sh uses the same list).
cp "$here/kernel-report-patterns" "$job/report-patterns"

{
	printf 'cd %q || exit 125\n' "$PWD"
	echo 'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
	echo 'export HOME=/root USER=root LOGNAME=root SHELL=/bin/bash TERM=dumb LANG=C.UTF-8'
	while IFS= read -r var; do
		printf 'export %s=%q\n' "$var" "${!var}"
	done < <(compgen -v | grep -E '^(VPNLB|KSFT_)')
	printf 'exec'
	printf ' %q' "$@"
	printf '\n'
} > "$job/cmd.sh"

# Emulated CPUs stop whenever the busy host deschedules qemu, while guest
# time runs on: allow RCU grace periods a minute before calling it a stall.
stall=rcupdate.rcu_cpu_stall_timeout=60

qemu_args=(
	-accel "$([ $accel = kvm ] && echo kvm || echo tcg,thread=single)"
	-cpu "$([ $accel = kvm ] && echo host || echo max)"
	-m "$mem" -smp "$smp"
	-nodefaults -no-reboot -display none -monitor none
	-kernel "$image" -initrd "$initramfs"
	-append "console=ttyS0 loglevel=5 panic=-1 $stall vpnlb_init=$here/guest-init.sh"
	-virtfs local,path=/,mount_tag=root,security_model=none,readonly=on,multidevs=remap
	-virtfs local,path="$job",mount_tag=vpnlbjob,security_model=none
	-serial file:"$job/console.log"
	-serial stdio
	-serial file:"$job/status"
)

# Print each kernel report: the "cut here" line, the report, its trace.
print_reports() {
	awk -v pat="$(paste -sd'|' "$job/report-patterns")" '
		{ line[NR] = $0 }
		$0 ~ pat { hit[NR] = 1 }
		END {
			last = 0
			for (i = 1; i <= NR; i++) {
				if (!hit[i] || i <= last)
					continue
				from = i
				if (i > 1 && line[i - 1] ~ /cut here/)
					from = i - 1
				# lockdep and RCU reports hold blank lines:
				# stop at the end marker or the next report
				to = i + 80
				for (j = i + 1; j <= NR && j <= i + 80; j++) {
					if (line[j] ~ /end trace/) { to = j; break }
					if (line[j] ~ /cut here/) { to = j - 1; break }
				}
				if (to > NR) to = NR
				for (j = from; j <= to; j++) print line[j]
				print "----"
				last = to
			}
		}' "$@"
}

# One boot. Sets $result: exit, early, boot, timeout.
boot_once() {
	local start now state
	rm -f "$job/status" "$job/dmesg" "$job/kmemleak" "$job/qemu.pid" \
		"$job/console.log"
	: > "$job/status"
	start=$(date +%s)
	qemu-system-x86_64 "${qemu_args[@]}" -pidfile "$job/qemu.pid" \
		< /dev/null 2>&1 &
	local pid=$!
	for _ in $(seq 50); do
		[ -s "$job/qemu.pid" ] && break
		sleep 0.1
	done
	qemu_pid=$(cat "$job/qemu.pid" 2>/dev/null)
	state=boot
	while kill -0 "$pid" 2>/dev/null; do
		now=$(date +%s)
		if [ $state = boot ] && grep -q VPNLB-START "$job/status"; then
			state=started
			started_at=$now
			boot_seconds=$((now - start))
		fi
		if [ $state = started ] && grep -q VPNLB-DONE "$job/status"; then
			state=done
			done_at=$now
		fi
		if [ $state = boot ] && [ $((now - start)) -ge $boot_timeout ]; then
			state=boot-timeout
			break
		fi
		if [ $state != boot ] && [ $((now - start)) -ge "$timeout" ]; then
			state=timeout
			break
		fi
		sleep 0.2
	done
	[ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	qemu_pid=
	if grep -q VPNLB-EXIT "$job/status"; then
		result=exit
	elif grep -q VPNLB-EARLY-REPORT "$job/status"; then
		result=early
	elif [ $state = timeout ]; then
		result=timeout
	elif [ $state = started ] || [ $state = done ]; then
		result=died
	elif [ $state = boot-timeout ]; then
		result=boot-timeout
	else
		result=boot
	fi
}

for attempt in 1 2; do
	boot_once
	case $result in
	exit|timeout|died) break ;;
	early)
		why="the kernel reported a problem during boot:"
		print_reports "$job/dmesg" >&2
		;;
	boot)
		why=$(grep -o 'VPNLB-BOOT-FAILED.*' "$job/status")
		[ -n "$why" ] || why="guest died or rebooted before the command"
		;;
	boot-timeout)
		why="the command did not start within ${boot_timeout}s"
		;;
	esac
	if [ $result != early ] && [ -s "$job/console.log" ]; then
		msg "last kernel messages:"
		tail -n 25 "$job/console.log" >&2
	fi
	if [ $attempt = 1 ]; then
		msg "guest never reached the command: $why; retrying the boot once"
	else
		msg "guest never reached the command: $why (kernel $kver, 2 boots)"
		exit 125
	fi
done

case $result in
timeout)
	msg "command timed out after ${timeout}s (kernel $kver)"
	exit 124
	;;
died)
	msg "the guest died while running the command (kernel $kver): panic or reboot"
	if grep -qE -f "$job/report-patterns" "$job/console.log"; then
		print_reports "$job/console.log" >&2
	else
		tail -n 40 "$job/console.log" >&2
	fi
	exit 1
	;;
esac

rc=$(sed -n 's/.*VPNLB-EXIT \([0-9]*\).*/\1/p' "$job/status" | tail -n1)
reports=$(cat "$job/dmesg" "$job/kmemleak" 2>/dev/null |
	grep -E -f "$job/report-patterns")
: "${done_at:=$(date +%s)}"
msg "kernel $kver: booted in ${boot_seconds}s, command ran $((done_at - started_at))s, leak scan and shutdown $(( $(date +%s) - done_at ))s, exit status $rc"
if [ -n "$reports" ]; then
	msg "kernel reports during the run (kernel $kver):"
	print_reports "$job/dmesg" >&2
	[ -s "$job/kmemleak" ] && cat "$job/kmemleak" >&2
	msg "FAIL: the kernel reported problems (command exit status $rc)"
	exit 1
fi
exit "$rc"
exit
}
