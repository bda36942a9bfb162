# SPDX-License-Identifier: GPL-2.0
#
# vpnlb: load balancing among IPv4 VPN routes on a Linux PE.
#
#   make                  build vpnlb.ko (against KDIR) and the userspace tools
#   make demo             the seed end to end in a VM: FRR remote PEs, vpnlbd,
#                         maximum load-balancing 2, traffic, display
#   make check            every test: unit, fuzz, style, both kernels + debug kernel
#   make install          install the module, tools, man page and uapi header
#   make bench-lpm        LPM benchmark against DPDK rte_lpm
#   make bench-bgp        BGP scale, vpnlbd vs FRR bgpd+zebra in a VM
#                         (BENCH_BGP_PREFIXES=100000|all)
#
# KDIR defaults to the running kernel's build tree; VPNLB_SELFTEST=1 builds the
# FIB core self-test into the module.

KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr/local
DESTDIR ?=
VERSION := 0.1

USERSPACE := userspace/vpnlbctl userspace/vpnlbd

.PHONY: all module userspace clean install install-module install-userspace \
	deps check demo bench-lpm bench-bgp dkms

all: module userspace

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userspace:
	@for d in $(USERSPACE); do \
		if [ -f $$d/Makefile ]; then $(MAKE) -C $$d all || exit 1; fi; \
	done

deps:
	scripts/deps.sh all

check:
	scripts/check.sh

demo:
	scripts/demo.sh

bench-lpm:
	scripts/deps.sh bench
	$(MAKE) -C bench lpm

bench-bgp:
	scripts/deps.sh check
	bench/bgp/run.sh

install: install-module install-userspace

install-module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=updates modules_install
	depmod -b $(or $(INSTALL_MOD_PATH),/) -a $(notdir $(patsubst %/build,%,$(KDIR)))

install-userspace: userspace
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/share/man/man8 \
		$(DESTDIR)$(PREFIX)/include/linux
	install -m 0755 userspace/vpnlbctl/vpnlbctl $(DESTDIR)$(PREFIX)/sbin/
	[ ! -x userspace/vpnlbd/vpnlbd ] || \
		install -m 0755 userspace/vpnlbd/vpnlbd $(DESTDIR)$(PREFIX)/sbin/
	install -m 0644 userspace/vpnlbctl/vpnlbctl.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	install -m 0644 uapi/linux/vpnlb.h $(DESTDIR)$(PREFIX)/include/linux/

# Register the source with DKMS so the module follows kernel upgrades.
dkms:
	install -d $(DESTDIR)/usr/src/vpnlb-$(VERSION)
	cp -a Kbuild kmod uapi dkms.conf $(DESTDIR)/usr/src/vpnlb-$(VERSION)/
	dkms add -m vpnlb -v $(VERSION)
	dkms install -m vpnlb -v $(VERSION)

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	@for d in $(USERSPACE) userspace/core-tests bench bench/bgp; do \
		if [ -f $$d/Makefile ]; then $(MAKE) -C $$d clean; fi; \
	done
	rm -rf build
