// SPDX-License-Identifier: GPL-2.0
/* A failed load is explained by the program and the kernel's own words. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "libbpf_reason.h"

#define NR(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* As libbpf 1.1 logs a CO-RE relocation that found no field in the kernel. */
static void test_core_relocation(void **state)
{
	static const char *const lines[] = {
		"libbpf: prog 'tlb_flush_btf': relo #3: no matching targets found",
		"libbpf: prog 'tlb_flush_btf': BPF program load failed: Invalid argument",
		"libbpf: prog 'tlb_flush_btf': -- BEGIN PROG LOAD LOG --",
		"0: R1=ctx(off=0,imm=0) R10=fp0",
		"45: <invalid CO-RE relocation>",
		"failed to resolve CO-RE relocation <byte_off> [5066] struct mm_struct.cpu_bitmap (0:62 @ offset 1000)",
		"processed 301 insns (limit 1000000) max_states_per_insn 1 total_states 20",
		"-- END PROG LOAD LOG --",
		"libbpf: prog 'tlb_flush_btf': failed to load: -22",
		"libbpf: failed to load object 'vmevents_bpf'",
	};
	char buf[256];

	(void)state;
	assert_string_equal(libbpf_log_reason_of(lines, NR(lines), buf, sizeof(buf)),
			    "program 'tlb_flush_btf': failed to resolve CO-RE relocation <byte_off>"
			    " [5066] struct mm_struct.cpu_bitmap (0:62 @ offset 1000)");
}

/* A verifier rejection: its last line, not the count of what it processed. */
static void test_verifier_last_line(void **state)
{
	static const char *const lines[] = {
		"libbpf: prog 'on_kmalloc': BPF program load failed: Permission denied",
		"libbpf: prog 'on_kmalloc': -- BEGIN PROG LOAD LOG --",
		"reg type unsupported for arg#0 function on_kmalloc#12",
		"0: R1=ctx(off=0,imm=0) R10=fp0",
		"; int BPF_PROG(on_kmalloc, unsigned long call_site, const void *ptr,",
		"0: (79) r2 = *(u64 *)(r1 +8)",
		"func 'kmalloc' arg1 type UNKNOWN is not a struct",
		"invalid bpf_context access off=8 size=8",
		"processed 1 insns (limit 1000000) max_states_per_insn 0 total_states 0",
		"-- END PROG LOAD LOG --",
		"libbpf: prog 'on_kmalloc': failed to load: -13",
	};
	char buf[256];

	(void)state;
	assert_string_equal(libbpf_log_reason_of(lines, NR(lines), buf, sizeof(buf)),
			    "program 'on_kmalloc': invalid bpf_context access off=8 size=8");
}

static void test_nothing_said(void **state)
{
	static const char *const lines[] = { "libbpf: loading object 'x' from buffer" };
	char buf[64] = "stale";

	(void)state;
	assert_string_equal(libbpf_log_reason_of(lines, 0, buf, sizeof(buf)), "");
	assert_string_equal(libbpf_log_reason_of(lines, NR(lines), buf, sizeof(buf)), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_core_relocation),
		cmocka_unit_test(test_verifier_last_line),
		cmocka_unit_test(test_nothing_said),
	};

	return cmocka_run_group_tests_name("libbpf load failures explained", tests, NULL, NULL);
}
