# SPDX-License-Identifier: GPL-2.0
# kvas: build the BPF objects, their skeletons, the kvas binary and the tests.
#   make            build kvas
#   make run        build kvas and run the live report (kvas top)
#   make static     build a statically linked kvas (for the QEMU guests)
#   make test       build and run every test suite (unit, integration, vm)
#   make vmlinux    regenerate vmlinux/vmlinux.h from this kernel's BTF
#   make V=1        show the full commands

OUT      := build
CLANG    ?= clang
BPFTOOL  ?= bpftool
CC       ?= gcc
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux

CFLAGS   ?= -g -O2
CFLAGS   += -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE
CPPFLAGS += -Iinclude -Isrc -I$(OUT)
LDLIBS   := -lbpf -lelf -lz -ljansson -lm
STATIC_LDLIBS := -lbpf -lelf -lz -lzstd -ljansson -lm
BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 -Wall -Werror \
	      -Ivmlinux -Iinclude
DEPFLAGS = -MMD -MP

# kvas and its integration tests need root: sudo only when not root already.
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

BPF_NAMES := $(patsubst bpf/%.bpf.c,%,$(wildcard bpf/*.bpf.c))
SKELS     := $(patsubst %,$(OUT)/%.skel.h,$(BPF_NAMES))
# Pure logic: no libbpf, unit-tested without root.
CORE_SRCS := $(filter-out src/main.c,$(wildcard src/*.c))
CORE_OBJS := $(patsubst src/%.c,$(OUT)/%.o,$(CORE_SRCS))

UNIT_TESTS := $(patsubst tests/unit/%.c,$(OUT)/tests/%,$(wildcard tests/unit/test_*.c))
INTEG_TESTS := $(patsubst tests/integration/%.c,$(OUT)/tests/%,$(wildcard tests/integration/test_*.c))
TEST_HELPERS := $(patsubst tests/%.c,$(OUT)/tests/%.o,$(wildcard tests/lib/*.c))

.DELETE_ON_ERROR:
# Skeletons and BPF objects are inputs of several rules: keep them.
.SECONDARY:
.PHONY: all run static test unit-test integration-test vm-test bench clean vmlinux deps deps-test

all: kvas

kvas: $(OUT)/main.o $(CORE_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

run: kvas
	$(Q)$(SUDO) ./kvas top

static: kvas-static
kvas-static: $(OUT)/main.o $(CORE_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) -static $^ $(STATIC_LDLIBS) -o $@

$(OUT)/%.o: src/%.c | $(SKELS)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(DEPFLAGS) -c $< -o $@

$(OUT)/%.bpf.o: bpf/%.bpf.c vmlinux/vmlinux.h | $(OUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(DEPFLAGS) -MT $@ -c $< -o $(@:.bpf.o=.tmp.bpf.o)
	$(Q)$(BPFTOOL) gen object $@ $(@:.bpf.o=.tmp.bpf.o)

$(OUT)/%.skel.h: $(OUT)/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf > $@

$(OUT):
	$(Q)mkdir -p $(OUT)/tests/unit $(OUT)/tests/integration $(OUT)/tests/lib

# Tests ------------------------------------------------------------------
$(OUT)/tests/%.o: tests/%.c | $(SKELS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) -Itests/lib $(CFLAGS) $(DEPFLAGS) -c $< -o $@

$(OUT)/tests/test_%: $(OUT)/tests/unit/test_%.o $(CORE_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -lcmocka -pthread -o $@

$(OUT)/tests/itest_%: $(OUT)/tests/integration/test_%.o $(TEST_HELPERS) $(CORE_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -lcmocka -pthread -o $@

UNIT_BINS  := $(patsubst tests/unit/test_%.c,$(OUT)/tests/test_%,$(wildcard tests/unit/test_*.c))
INTEG_BINS := $(patsubst tests/integration/test_%.c,$(OUT)/tests/itest_%,$(wildcard tests/integration/test_*.c))
VM_BINS    := $(OUT)/tests/vmtest

# The QEMU matrix: a static kvas and the ground-truth program go into the guest.
$(OUT)/vm/truth: tests/vm/truth.c src/procfs.c src/procfs.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -static -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -Isrc tests/vm/truth.c src/procfs.c -ljansson -o $@

$(OUT)/tests/vmtest: tests/vm/test_vm.c | $(OUT)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $< -ljansson -lcmocka -o $@

VM_DEPS := kvas-static $(OUT)/vm/truth $(VM_BINS)

# Every suite, as root: the integration suite runs the real kvas, the vm
# suite boots Debian's kernels (bookworm, trixie, sid; generic and cloud)
# under QEMU with kvas inside; tests/vm/prepare fetches them once.
test: deps-test
	$(Q)$(MAKE) --no-print-directory kvas $(UNIT_BINS) $(INTEG_BINS) $(VM_DEPS)
	$(Q)$(SUDO) tests/run-suites $(UNIT_BINS) $(INTEG_BINS) $(VM_BINS)

vm-test:
	$(Q)scripts/install-deps test vm
	$(Q)$(MAKE) --no-print-directory $(VM_DEPS)
	$(Q)$(SUDO) tests/run-suites $(VM_BINS)

unit-test: $(UNIT_BINS)
	$(Q)tests/run-suites $(UNIT_BINS)

integration-test: kvas $(INTEG_BINS)
	$(Q)$(SUDO) tests/run-suites $(INTEG_BINS)

bench: kvas
	$(Q)scripts/install-deps bench
	$(Q)bench/layout-startup
	$(Q)bench/events-overhead

deps:
	$(Q)scripts/install-deps build

deps-test:
	$(Q)scripts/install-deps test vm

vmlinux:
	$(call msg,GEN,vmlinux/vmlinux.h)
	$(Q)$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > vmlinux/vmlinux.h

clean:
	$(call msg,CLEAN,)
	$(Q)rm -rf $(OUT) kvas kvas-static

-include $(wildcard $(OUT)/*.d $(OUT)/tests/*/*.d)
