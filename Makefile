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
LDLIBS   := -lbpf -lelf -lz -ljansson -lm -lmicrohttpd -lpthread
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

# The layers, and what each may include: an arrow only points down.
#   cli    -> kernel, models, core   (src/cli: main, options, one cmd_X.c per command)
#   kernel -> models, core           (src/kernel: all that loads BPF or reads the running kernel)
#   models -> core                   (src/layout, translate, live, dmap, audit: facts -> model -> printers)
#   core                             (src/core: pure logic and parsers)
# Everything but src/kernel sees <bpf/...> as an #error, and no skeleton.
INC_core      := src/core
INC_layout    := $(INC_core) src/layout
INC_translate := $(INC_core) src/translate
INC_live      := $(INC_translate) src/live
INC_dmap      := $(INC_translate) src/dmap
INC_audit     := $(INC_layout) $(INC_translate) src/live src/dmap src/audit
INC_kernel    := $(INC_audit) src/kernel $(OUT)
INC_cli       := $(INC_audit) src/kernel src/cli
INC_tests     := $(INC_audit)
layer_incs = -Iinclude $(if $(filter kernel,$(1)),,-I$(OUT)/nobpf) $(addprefix -I,$(INC_$(1)))
SRCS        := $(wildcard src/*/*.c)
OBJS        := $(patsubst src/%.c,$(OUT)/%.o,$(SRCS))
KERNEL_OBJS := $(filter $(OUT)/kernel/%,$(OBJS))
CLI_OBJS    := $(filter $(OUT)/cli/%,$(OBJS))
# Pure logic: no libbpf, nothing read from the running kernel; the unit tests link it alone.
LIB_OBJS    := $(filter-out $(KERNEL_OBJS) $(CLI_OBJS),$(OBJS))
LIB         := $(OUT)/libkvascore.a
LIB_LDLIBS  := -ljansson -lz -lm

UNIT_TESTS := $(patsubst tests/unit/%.c,$(OUT)/tests/%,$(wildcard tests/unit/test_*.c))
INTEG_TESTS := $(patsubst tests/integration/%.c,$(OUT)/tests/%,$(wildcard tests/integration/test_*.c))
TEST_HELPERS := $(patsubst tests/%.c,$(OUT)/tests/%.o,$(wildcard tests/lib/*.c))

.DELETE_ON_ERROR:
# Skeletons and BPF objects are inputs of several rules: keep them.
.SECONDARY:
.PHONY: all run static test unit-test integration-test vm-test bench clean vmlinux deps deps-test check-layers

all: kvas

kvas: $(CLI_OBJS) $(KERNEL_OBJS) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

run: kvas
	$(Q)$(SUDO) ./kvas top

static: kvas-static
# Without libmicrohttpd: its GnuTLS has no static dependencies packaged.
STATIC_OBJS := $(filter-out $(OUT)/kernel/http_server.o,$(CLI_OBJS) $(KERNEL_OBJS)) \
	       $(OUT)/kernel/static/http_server_none.o
kvas-static: $(STATIC_OBJS) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) -static $^ $(STATIC_LDLIBS) -o $@

$(OUT)/%.o: src/%.c | $(SKELS) $(OUT)/nobpf
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(call layer_incs,$(firstword $(subst /, ,$*))) $(CPPFLAGS) $(CFLAGS) $(DEPFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

# <bpf/...> outside src/kernel: a compile error that names the rule.
$(OUT)/nobpf: | $(OUT)
	$(Q)mkdir -p $@/bpf $@/linux
	$(Q)for h in bpf/libbpf.h bpf/bpf.h bpf/btf.h bpf/libbpf_common.h linux/bpf.h; do \
		echo "#error \"<$$h>: only src/kernel/ may use libbpf and BPF syscalls\"" > $@/$$h; done

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
# Unit tests see the models and core only, and link the pure library.
$(OUT)/tests/unit/%.o: tests/unit/%.c | $(SKELS) $(OUT)/nobpf
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(call layer_incs,tests) $(CPPFLAGS) $(CFLAGS) $(DEPFLAGS) -c $< -o $@

$(OUT)/tests/%.o: tests/%.c | $(SKELS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -Iinclude $(addprefix -I,$(INC_cli)) -Itests/lib $(CPPFLAGS) $(CFLAGS) $(DEPFLAGS) -c $< -o $@

$(OUT)/tests/test_%: $(OUT)/tests/unit/test_%.o $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $< $(LIB) $(LIB_LDLIBS) -lcmocka -pthread -o $@

$(OUT)/tests/itest_%: $(OUT)/tests/integration/test_%.o $(TEST_HELPERS) $(KERNEL_OBJS) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -lcmocka -pthread -o $@

UNIT_BINS  := $(patsubst tests/unit/test_%.c,$(OUT)/tests/test_%,$(wildcard tests/unit/test_*.c))
INTEG_BINS := $(patsubst tests/integration/test_%.c,$(OUT)/tests/itest_%,$(wildcard tests/integration/test_*.c))
VM_BINS    := $(OUT)/tests/vmtest

# The QEMU matrix: a static kvas and the ground-truth program go into the guest.
TRUTH_SRCS := tests/vm/truth.c tests/lib/paging.c src/core/procfs.c src/core/ksyms.c src/core/kconfig.c src/kernel/procfs_read.c
$(OUT)/vm/truth: $(TRUTH_SRCS) src/core/procfs.h src/kernel/procfs_read.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -static -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -Isrc/core -Isrc/kernel -Itests/lib $(TRUTH_SRCS) -ljansson -lz -o $@

$(OUT)/tests/vmtest: tests/vm/test_vm.c | $(OUT)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $< -ljansson -lcmocka -o $@

# The two-CPU guests' shootdown storm, with the tests' own storm code.
$(OUT)/vm/shootdown: tests/vm/shootdown.c tests/lib/shootdown.c tests/lib/shootdown.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -static -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -Itests/lib tests/vm/shootdown.c \
		tests/lib/shootdown.c -pthread -o $@

VM_DEPS := kvas-static $(OUT)/vm/truth $(OUT)/vm/shootdown $(VM_BINS)

# Every suite, as root: the integration suite runs the real kvas, the vm
# suite boots Debian's kernels (bookworm, trixie, sid; generic and cloud)
# under QEMU with kvas inside; tests/vm/prepare fetches them once.
test: deps-test
	$(Q)$(MAKE) --no-print-directory kvas check-layers $(UNIT_BINS) $(INTEG_BINS) $(VM_DEPS)
	$(Q)$(SUDO) tests/run-suites $(UNIT_BINS) $(INTEG_BINS) $(VM_BINS)

vm-test:
	$(Q)scripts/install-deps test vm
	$(Q)$(MAKE) --no-print-directory $(VM_DEPS)
	$(Q)$(SUDO) tests/run-suites $(VM_BINS)

unit-test: check-layers $(UNIT_BINS)
	$(Q)tests/run-suites $(UNIT_BINS)

# libkvascore.a stands alone: it links with libc, jansson, zlib and libm only
# (no libbpf, no symbol of src/kernel or src/cli), and calls nothing that
# reads the running system; readers that take their path from the caller
# (read_small_file, the config and boot_params parsers) are the exception.
LAYER_DENY := uname|clock_gettime|time|localtime_r|getpid|gettid|fork|syscall|nftw|scandir|opendir|fopen|isatty|tcgetattr|tcsetattr|poll|klogctl|setxattr|mmap|getpwnam|stat
check-layers: $(LIB)
	$(call msg,CHECK,layers)
	$(Q)printf 'int main(void) { return 0; }\n' > $(OUT)/layers.c
	$(Q)$(CC) $(OUT)/layers.c -Wl,--whole-archive $(LIB) -Wl,--no-whole-archive $(LIB_LDLIBS) -o $(OUT)/layers
	$(Q)bad=$$(nm -u $(LIB) | awk '{print $$2}' | grep -xE '$(LAYER_DENY)' | sort -u | tr '\n' ' '); \
	  [ -z "$$bad" ] || { echo "libkvascore.a reads the running system ($$bad): move that to src/kernel/"; exit 1; }

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

-include $(wildcard $(OUT)/*.d $(OUT)/*/*.d $(OUT)/tests/*/*.d)
