# SPDX-License-Identifier: GPL-2.0
# kvas: build the BPF objects, their skeletons, the kvas binary and the tests.
#   make            build kvas and its man pages (build/man/*.8)
#   make run        build kvas and run the live report (kvas top)
#   make static     build a statically linked kvas (for the QEMU guests)
#   make install    install kvas, its man pages and bash completion (PREFIX,
#                   DESTDIR, sbindir, mandir, bashcompdir); make uninstall
#   make deb        build the Debian package into build/deb/
#   make test       build and run every test suite (unit, integration, vm);
#                   it installs nothing: scripts/install-deps test vm does
#                   (the unit suites built with ASan and UBSan, in build-asan/;
#                   SANITIZE_UNIT=0 builds them plain)
#   make test SANITIZE=1 (and unit-test, integration-test): kvas and the
#                   unit and integration tests built with ASan and UBSan into
#                   build-asan/ and run so (not the vm suite: kvas-static)
#   make vmlinux    regenerate vmlinux/vmlinux.h from this kernel's BTF
#   make V=1        show the full commands; WERROR=0 builds without -Werror

# The suites' build and the package's, on every CPU: part of make test's time.
NPROC ?= $(shell nproc 2>/dev/null || echo 1)
OUT      := build
# The kvas the tests run; SANITIZE=1 builds its own (below).
KVAS_BIN := kvas
CLANG    ?= clang
BPFTOOL  ?= bpftool
CC       ?= gcc
PKG_CONFIG ?= pkg-config
SCDOC    ?= scdoc
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux

# Where make install puts things (GNU names). kvas is an administrator's
# tool that needs root: sbin, and section 8 of the manual.
PREFIX      ?= /usr/local
exec_prefix ?= $(PREFIX)
sbindir     ?= $(exec_prefix)/sbin
datarootdir ?= $(PREFIX)/share
mandir      ?= $(datarootdir)/man
man8dir     ?= $(mandir)/man8
bashcompdir ?= $(datarootdir)/bash-completion/completions
unitdir     ?= $(PREFIX)/lib/systemd/system
INSTALL     ?= install

# -Werror by default for developers and CI; packagers with other compilers
# build with WERROR=0.
WERROR   ?= 1
WERROR_FLAG := $(if $(filter 1,$(WERROR)),-Werror)
WARNINGS := -Wall -Wextra $(WERROR_FLAG)
CFLAGS   ?= -g -O2
CFLAGS   += $(WARNINGS) -std=gnu11 -D_GNU_SOURCE
# The libraries' flags from pkg-config (Debian's .pc files), so a libbpf or
# jansson installed elsewhere is found the same way. libelf's .pc omits the
# zstd its static archive needs, hence -lzstd in the static link.
# libyaml: the parser of serve's --web-config (in libkvascore.a, so the static
# kvas has it too); GnuTLS and libcrypt: serve's TLS and basic auth.
PKGS          := libbpf libelf zlib jansson yaml-0.1
PKG_CFLAGS    := $(shell $(PKG_CONFIG) --cflags $(PKGS) libmicrohttpd gnutls libcrypt)
PKG_LIBS      := $(shell $(PKG_CONFIG) --libs $(PKGS))
LDLIBS        := $(PKG_LIBS) $(shell $(PKG_CONFIG) --libs libmicrohttpd gnutls libcrypt) -lpthread -lm
STATIC_LDLIBS := $(shell $(PKG_CONFIG) --static --libs $(PKGS)) -lzstd -lm
LIB_LDLIBS    := $(shell $(PKG_CONFIG) --libs jansson zlib libelf yaml-0.1) -lm
CPPFLAGS      += $(PKG_CFLAGS)
# SANITIZE=1: ASan and UBSan (any UB ends the run), in their own output
# folder so that a normal build is never mixed with them; kvas links
# dynamically (ASan cannot link static) as build-asan/kvas, and the
# integration tests run that one ($KVAS). A report makes the sanitized
# program exit 86 (kvas's own codes are 0, 1 and 2), and a suite whose
# kvas printed one exits 86 too (tests/lib/testlib.c): a failure either
# way. verify_asan_link_order=0: test_read_errors preloads its shim before
# ASan's runtime.
SANITIZE ?= 0
SAN_OUT  := build-asan
ASAN_OPTS := detect_leaks=1:exitcode=86:verify_asan_link_order=0
ASAN_OPTS := $(ASAN_OPTS):strict_string_checks=1:detect_stack_use_after_return=1
# A 16 MiB quarantine of freed memory (ASan's default: 256): test_containers
# bounds kvas's RSS growth, which is otherwise ASan's.
ASAN_OPTS := $(ASAN_OPTS):quarantine_size_mb=16
UBSAN_OPTS := print_stacktrace=1:halt_on_error=1:exitcode=86
SAN_ENV  := ASAN_OPTIONS=$(ASAN_OPTS) UBSAN_OPTIONS=$(UBSAN_OPTS)
ifeq ($(SANITIZE),1)
OUT      := $(SAN_OUT)
KVAS_BIN := $(OUT)/kvas
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
CFLAGS   += $(SAN_FLAGS)
export KVAS := $(abspath $(KVAS_BIN))
# Not to test_install's own (plain) make: MAKEFLAGS carries it to ours.
unexport SANITIZE
export ASAN_OPTIONS := $(ASAN_OPTS)
export UBSAN_OPTIONS := $(UBSAN_OPTS)
endif
BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 -Wall $(WERROR_FLAG) \
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
#   models -> core                   (src/layout, translate, live, dmap, audit, record, why: facts -> model -> printers)
#   core                             (src/core: pure logic and parsers)
# Everything but src/kernel sees <bpf/...> as an #error, and no skeleton.
INC_core      := src/core
INC_layout    := $(INC_core) src/layout
INC_translate := $(INC_core) src/translate
INC_live      := $(INC_translate) src/live
INC_dmap      := $(INC_translate) src/dmap
INC_audit     := $(INC_layout) $(INC_translate) src/live src/dmap src/audit
INC_record    := $(INC_core) src/record
INC_why       := $(INC_core) src/why
INC_kernel    := $(INC_audit) src/record src/why src/kernel $(OUT)
INC_cli       := $(INC_audit) src/record src/why src/kernel src/cli
INC_tests     := $(INC_audit) src/record src/why
layer_incs = -Iinclude $(if $(filter kernel,$(1)),,-I$(OUT)/nobpf) $(addprefix -I,$(INC_$(1)))
SRCS        := $(wildcard src/*/*.c)
OBJS        := $(patsubst src/%.c,$(OUT)/%.o,$(SRCS))
KERNEL_OBJS := $(filter $(OUT)/kernel/%,$(OBJS))
CLI_OBJS    := $(filter $(OUT)/cli/%,$(OBJS))
# Pure logic: no libbpf, nothing read from the running kernel; the unit tests link it alone.
LIB_OBJS    := $(filter-out $(KERNEL_OBJS) $(CLI_OBJS),$(OBJS))
LIB         := $(OUT)/libkvascore.a

UNIT_TESTS := $(patsubst tests/unit/%.c,$(OUT)/tests/%,$(wildcard tests/unit/test_*.c))
INTEG_TESTS := $(patsubst tests/integration/%.c,$(OUT)/tests/%,$(wildcard tests/integration/test_*.c))
TEST_HELPERS := $(patsubst tests/%.c,$(OUT)/tests/%.o,$(wildcard tests/lib/*.c))

.DELETE_ON_ERROR:
# Skeletons and BPF objects are inputs of several rules: keep them.
.SECONDARY:
.PHONY: all run static test unit-test integration-test vm-test bench clean vmlinux deps \
	check-layers man install uninstall deb

all: $(KVAS_BIN) man

# Without pkg-config or a library's .pc file every link would fail obscurely.
need_pkgs = $(if $(PKG_LIBS),,$(error pkg-config finds no $(PKGS): run scripts/install-deps))

$(KVAS_BIN): $(CLI_OBJS) $(KERNEL_OBJS) $(LIB)
	$(need_pkgs)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

run: kvas
	$(Q)$(SUDO) ./kvas top

static: kvas-static
# Without libmicrohttpd: its GnuTLS has no static dependencies packaged.
STATIC_OBJS := $(filter-out $(addprefix $(OUT)/kernel/,http_server.o http_tls.o http_auth.o),\
		 $(CLI_OBJS) $(KERNEL_OBJS)) \
	       $(OUT)/kernel/static/http_server_none.o
kvas-static: $(STATIC_OBJS) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -static $^ $(STATIC_LDLIBS) -o $@

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
# make test runs the unit suites sanitized (SANITIZE_UNIT=0: plain): their
# build-asan/ library and binaries take ~60 s of CPU to build (BPF skeletons
# included), and they run about as long as the plain ones.
SANITIZE_UNIT ?= 1
ifeq ($(SANITIZE)$(SANITIZE_UNIT),01)
TEST_UNIT_BINS := $(patsubst $(OUT)/%,$(SAN_OUT)/%,$(UNIT_BINS))
else
TEST_UNIT_BINS := $(UNIT_BINS)
endif
INTEG_BINS := $(patsubst tests/integration/test_%.c,$(OUT)/tests/itest_%,$(wildcard tests/integration/test_*.c))
VM_BINS    := $(OUT)/tests/vmtest

# Fuzzing (tests/fuzz/README.md) ------------------------------------------
# One libFuzzer target per parser of what kvas does not write itself
# (tests/fuzz/fuzz_NAME.c). make test replays each one's seeds and
# regression inputs, built with the suite's compiler and flags
# ($(OUT)/tests/fuzz_NAME: no fuzzing, a few ms); make fuzz builds them with
# clang's libFuzzer, ASan and UBSan and runs each for FUZZ_SECONDS, one at a
# time, on a copy of its seeds: new inputs land in $(OUT)/fuzz, never in the
# tree, and a crash in $(OUT)/fuzz/crashes/NAME/.
FUZZ_NAMES   := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_REPLAYS := $(patsubst %,$(OUT)/tests/fuzz_%,$(FUZZ_NAMES))
UNIT_BINS    += $(FUZZ_REPLAYS)
FUZZ_CC      ?= clang-14
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS  := -g -O1 -fno-omit-frame-pointer $(WARNINGS) -std=gnu11 -D_GNU_SOURCE \
		-fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_INCS    := $(call layer_incs,cli) -Itests/fuzz
FUZZ_OBJS    := $(patsubst $(OUT)/%.o,$(OUT)/fuzz/obj/%.o,$(LIB_OBJS))
# The options target links src/cli/options.c (it stubs what cli_start calls).
FUZZ_EXTRA_options := cli/options.o

.PHONY: fuzz
$(OUT)/tests/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(LIB) \
		$(OUT)/cli/options.o | $(OUT)/nobpf
	$(call msg,LINK,$@)
	$(Q)$(CC) $(FUZZ_INCS) $(CPPFLAGS) $(CFLAGS) -DFUZZ_NAME='"$*"' \
		-DFUZZ_ROOT='"$(CURDIR)/tests/fuzz"' $(LDFLAGS) $< tests/fuzz/replay.c \
		$(addprefix $(OUT)/,$(FUZZ_EXTRA_$*)) $(LIB) $(LIB_LDLIBS) -lcmocka -o $@

$(OUT)/fuzz/obj/%.o: src/%.c | $(OUT)/nobpf
	$(call msg,FUZZ-CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(call layer_incs,$(firstword $(subst /, ,$*))) $(CPPFLAGS) $(FUZZ_CFLAGS) \
		$(DEPFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@
-include $(wildcard $(OUT)/fuzz/obj/*/*.d)

$(OUT)/fuzz/libkvascore.a: $(FUZZ_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(OUT)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(OUT)/fuzz/libkvascore.a \
		$(OUT)/fuzz/obj/cli/options.o
	$(call msg,FUZZ-LD,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_INCS) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(LDFLAGS) $< \
		$(addprefix $(OUT)/fuzz/obj/,$(FUZZ_EXTRA_$*)) $(OUT)/fuzz/libkvascore.a \
		$(LIB_LDLIBS) -o $@

# tests/fuzz/make-seeds' helper: a recording without this host's layout.
$(OUT)/fuzz/scrub_kvas_data: tests/fuzz/scrub_kvas_data.c $(LIB) | $(OUT)/nobpf
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(call layer_incs,record) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $< $(LIB) $(LIB_LDLIBS) -o $@

fuzz: $(patsubst %,$(OUT)/fuzz/fuzz_%,$(FUZZ_NAMES))
	$(Q)failed=""; for n in $(FUZZ_NAMES); do \
		rm -rf $(OUT)/fuzz/corpus/$$n && mkdir -p $(OUT)/fuzz/corpus/$$n $(OUT)/fuzz/crashes/$$n && \
		cp tests/fuzz/corpus/$$n/* $(OUT)/fuzz/corpus/$$n/ && \
		{ [ ! -d tests/fuzz/regressions/$$n ] || cp tests/fuzz/regressions/$$n/* $(OUT)/fuzz/corpus/$$n/; }; \
		echo "  FUZZ     $$n ($(FUZZ_SECONDS) s)"; \
		if $(OUT)/fuzz/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 \
			-artifact_prefix=$(OUT)/fuzz/crashes/$$n/ $(OUT)/fuzz/corpus/$$n > $(OUT)/fuzz/$$n.log 2>&1; then \
			grep -aE '^#[0-9]+[[:space:]]+DONE' $(OUT)/fuzz/$$n.log | sed "s/^/  $$n: /"; \
		else tail -n 30 $(OUT)/fuzz/$$n.log; failed="$$failed $$n"; fi; \
	done; [ -z "$$failed" ] || { echo "make fuzz: failed:$$failed (logs in $(OUT)/fuzz/NAME.log," \
		"inputs in $(OUT)/fuzz/crashes/NAME/)"; exit 1; }

# The QEMU matrix: a static kvas and the ground-truth program go into the guest.
TRUTH_SRCS := tests/vm/truth.c tests/lib/paging.c tests/lib/kpage.c src/core/procfs.c src/core/ksyms.c src/core/kconfig.c src/kernel/procfs_read.c
$(OUT)/vm/truth: $(TRUTH_SRCS) src/core/procfs.h src/kernel/procfs_read.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -static -O2 $(WARNINGS) -D_GNU_SOURCE -Isrc/core -Isrc/kernel -Itests/lib $(CPPFLAGS) $(LDFLAGS) $(TRUTH_SRCS) $(LIB_LDLIBS) -o $@

$(OUT)/tests/vmtest: tests/vm/test_vm.c | $(OUT)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $< $(LIB_LDLIBS) -lcmocka -o $@

# The two-CPU guests' shootdown storm, with the tests' own storm code.
$(OUT)/vm/shootdown: tests/vm/shootdown.c tests/lib/shootdown.c tests/lib/shootdown.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -static -O2 $(WARNINGS) -D_GNU_SOURCE -Itests/lib $(LDFLAGS) \
		tests/vm/shootdown.c tests/lib/shootdown.c -pthread -o $@

# The workload the container tests run under runc: static, for a busybox root.
$(OUT)/tests/container-workload: tests/container/workload.c tests/lib/shootdown.c tests/lib/shootdown.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -static -O2 $(WARNINGS) -D_GNU_SOURCE -Itests/lib $(LDFLAGS) \
		tests/container/workload.c tests/lib/shootdown.c -pthread -o $@

$(OUT)/tests/itest_containers $(OUT)/tests/itest_serve: | $(OUT)/tests/container-workload

# An LD_PRELOAD shim that makes a BPF map's batch reads fail (test_read_errors).
$(OUT)/tests/fail_bpf.so: tests/preload/fail_bpf.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -shared -fPIC -O2 $(WARNINGS) $< -ldl -o $@

$(OUT)/tests/itest_read_errors: | $(OUT)/tests/fail_bpf.so

VM_DEPS := kvas-static $(OUT)/vm/truth $(OUT)/vm/shootdown $(VM_BINS)

# Every suite, as root: the integration suite runs the real kvas, the vm
# suite boots Debian's kernels (bookworm, trixie, sid; generic and cloud)
# under QEMU with kvas inside; tests/vm/prepare fetches them once. The test
# packages come from scripts/install-deps test vm, never from here; the
# .deb is built first (a few minutes) so that test_install only checks it.
# SANITIZE=1: the unit and integration suites only (the guests run kvas-static).
ifeq ($(SANITIZE),1)
test:
	$(Q)$(MAKE) --no-print-directory -j$(NPROC) all check-layers $(UNIT_BINS) $(INTEG_BINS)
	$(Q)$(SUDO) tests/run-suites $(UNIT_BINS) $(INTEG_BINS)
else
test:
	$(Q)$(MAKE) --no-print-directory -j$(NPROC) all check-layers deb $(INTEG_BINS) $(VM_DEPS)
	$(Q)$(MAKE) --no-print-directory -j$(NPROC) $(if $(filter 1,$(SANITIZE_UNIT)),SANITIZE=1) \
		$(TEST_UNIT_BINS)
	$(Q)$(SUDO) env $(SAN_ENV) tests/run-suites $(TEST_UNIT_BINS) $(INTEG_BINS) $(VM_BINS)
endif

vm-test:
	$(Q)$(MAKE) --no-print-directory $(VM_DEPS)
	$(Q)$(SUDO) tests/run-suites $(VM_BINS)

unit-test: check-layers $(UNIT_BINS)
	$(Q)tests/run-suites $(UNIT_BINS)

# libkvascore.a stands alone: it links with libc, jansson, zlib, libelf, libyaml and libm only
# (no libbpf, no symbol of src/kernel or src/cli), and calls nothing that
# reads the running system; readers that take their path from the caller
# (read_small_file, the config and boot_params parsers) are the exception.
LAYER_DENY := uname|clock_gettime|time|localtime_r|getpid|gettid|fork|syscall|nftw|scandir|opendir|fopen|isatty|tcgetattr|tcsetattr|poll|klogctl|setxattr|mmap|getpwnam|stat
check-layers: $(LIB)
	$(call msg,CHECK,layers)
	$(Q)printf 'int main(void) { return 0; }\n' > $(OUT)/layers.c
	$(Q)$(CC) $(LDFLAGS) $(SAN_FLAGS) $(OUT)/layers.c -Wl,--whole-archive $(LIB) -Wl,--no-whole-archive $(LIB_LDLIBS) -o $(OUT)/layers
	$(Q)bad=$$(nm -u $(LIB) | awk '{print $$2}' | grep -xE '$(LAYER_DENY)' | sort -u | tr '\n' ' '); \
	  [ -z "$$bad" ] || { echo "libkvascore.a reads the running system ($$bad): move that to src/kernel/"; exit 1; }

integration-test: all $(INTEG_BINS)
	$(Q)$(SUDO) tests/run-suites $(INTEG_BINS)

# Its tools (bpftrace, hyperfine, perf) come from scripts/install-deps bench.
bench: kvas
	$(Q)bench/layout-startup
	$(Q)bench/events-overhead

deps:
	$(Q)scripts/install-deps build

# Manual pages: scdoc sources in man/, section 8 (a root tool).
MAN_SRCS  := $(wildcard man/*.scd)
MAN_PAGES := $(patsubst man/%.scd,$(OUT)/man/%,$(MAN_SRCS))
man: $(MAN_PAGES)

$(OUT)/man/%: man/%.scd
	$(call msg,SCDOC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(SCDOC) < $< > $@

# A command with --json gets a JSON FIELDS section from its schema: every
# field, described once, in docs/schema (tools/schema_man.c). The source
# it made stays beside the page, for test_docs to read.
JSON_PAGES := layout translate top trace dmap audit report why
$(OUT)/tools/schema-man: tools/schema_man.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) $< $(shell $(PKG_CONFIG) --cflags --libs jansson) -o $@

$(foreach p,$(JSON_PAGES),$(OUT)/man/kvas-$(p).8): $(OUT)/man/kvas-%.8: man/kvas-%.8.scd \
		docs/schema/%.schema.json docs/schema/defs.schema.json $(OUT)/tools/schema-man
	$(call msg,SCDOC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(OUT)/tools/schema-man $< docs/schema/$*.schema.json > $@.scd
	$(Q)$(SCDOC) < $@.scd > $@

install: $(KVAS_BIN) man
	$(Q)$(INSTALL) -d $(DESTDIR)$(sbindir) $(DESTDIR)$(man8dir) $(DESTDIR)$(bashcompdir) \
		$(DESTDIR)$(unitdir)
	$(Q)$(INSTALL) -m 0755 kvas $(DESTDIR)$(sbindir)/kvas
	$(Q)$(INSTALL) -m 0644 $(MAN_PAGES) $(DESTDIR)$(man8dir)/
	$(Q)$(INSTALL) -m 0644 completion/kvas.bash $(DESTDIR)$(bashcompdir)/kvas
	$(Q)sed 's|^ExecStart=/usr/local/sbin/kvas |ExecStart=$(sbindir)/kvas |' \
		deploy/kvas-serve.service > $(DESTDIR)$(unitdir)/kvas-serve.service
	$(Q)chmod 0644 $(DESTDIR)$(unitdir)/kvas-serve.service

uninstall:
	$(Q)rm -f $(DESTDIR)$(sbindir)/kvas $(DESTDIR)$(bashcompdir)/kvas \
		$(DESTDIR)$(unitdir)/kvas-serve.service \
		$(addprefix $(DESTDIR)$(man8dir)/,$(notdir $(MAN_PAGES)))

# The Debian package, from a copy of the source tree in build/deb/src so
# that dpkg-buildpackage's outputs (written to the parent directory) and its
# debian/ leftovers stay in build/deb/. Rebuilt only when a packaged file
# changed; build/deb/kvas_*.deb is the package.
DEB_INPUTS := Makefile README.md $(wildcard bpf/* include/* src/*/* vmlinux/* man/* \
	completion/* deploy/* debian/* debian/*/*)
deb: $(OUT)/deb/built
$(OUT)/deb/built: $(DEB_INPUTS)
	$(call msg,DEB,$(OUT)/deb)
	$(Q)v=$$(dpkg-parsechangelog -S Version); grep -q "KVAS_VERSION \"$$v\"" src/cli/commands.h || \
		{ echo "make deb: debian/changelog's $$v is not src/cli/commands.h's KVAS_VERSION"; exit 1; }
	$(Q)rm -rf $(OUT)/deb && mkdir -p $(OUT)/deb/src
	$(Q)tar -c --exclude=./$(OUT) --exclude=./$(SAN_OUT) --exclude=./.git --exclude=./kvas --exclude=./kvas-static \
		--exclude=./tests/vm/cache . | tar -x -C $(OUT)/deb/src
	$(Q)cd $(OUT)/deb/src && dpkg-buildpackage -us -uc -b --jobs-try=$(NPROC) > ../build.log 2>&1 || \
		{ tail -n 30 ../build.log; echo "make deb: dpkg-buildpackage failed, see $(OUT)/deb/build.log"; exit 1; }
	$(Q)rm -rf $(OUT)/deb/src
	$(Q)ls $(OUT)/deb/kvas_*.deb > $@

vmlinux:
	$(call msg,GEN,vmlinux/vmlinux.h)
	$(Q)$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > vmlinux/vmlinux.h

clean:
	$(call msg,CLEAN,)
	$(Q)rm -rf $(OUT) kvas kvas-static

-include $(wildcard $(OUT)/*.d $(OUT)/*/*.d $(OUT)/tests/*/*.d)
