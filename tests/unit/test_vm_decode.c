// SPDX-License-Identifier: GPL-2.0
/* Unit tests for src/core/vm_decode.c: fault error codes, event and TLB names. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "vm_decode.h"

static void test_fault_error_codes(void **state)
{
	char buf[96];

	(void)state;
	/* arch/x86/include/asm/trap_pf.h: bit 0 P, 1 W, 2 U, 3 RSVD, 4 I, 5 PK */
	assert_string_equal(fault_error_str(0x6, buf, sizeof(buf)), "write,user,not-present");
	assert_string_equal(fault_error_str(0x0, buf, sizeof(buf)), "read,kernel,not-present");
	assert_string_equal(fault_error_str(0x15, buf, sizeof(buf)),
			    "read,user,protection,ifetch");
	assert_string_equal(fault_error_str(0x27, buf, sizeof(buf)),
			    "write,user,protection,pkey");
	assert_string_equal(fault_error_str(0x8001, buf, sizeof(buf)),
			    "read,kernel,protection,sgx");
}

static void test_event_names_round_trip(void **state)
{
	(void)state;
	for (unsigned int k = 0; k < VM_NR_TRACED; k++)
		assert_int_equal(vm_event_by_name(vm_event_name(k)), k);
	assert_int_equal(vm_event_by_name("page-fault"), -1);
	assert_string_equal(vm_event_name(VM_TRANSLATION), "translation");
	assert_int_equal(vm_event_by_name("translation"), -1);
}

static void test_tlb_names(void **state)
{
	char buf[24], expect[24];
	struct tlb_reasons t, other;

	(void)state;
	/* names come from the kernel's enum, by name, whatever their values */
	tlb_reasons_init(&t);
	tlb_reasons_init(&other);
	assert_string_equal(tlb_reason_name(&t, 1), "reason 1");
	tlb_reasons_learn(&t, "TLB_REMOTE_SHOOTDOWN", 1);
	tlb_reasons_learn(&t, "TLB_REMOTE_SEND_IPI", 7);
	tlb_reasons_learn(&t, "TLB_SOME_NEW_REASON", 6);
	tlb_reasons_learn(&t, "NR_TLB_FLUSH_REASONS", 8);
	assert_string_equal(tlb_reason_name(&t, 1), "remote shootdown");
	assert_string_equal(tlb_reason_name(&t, 7), "remote flush request");
	assert_string_equal(tlb_reason_name(&t, 6), "some new reason");
	assert_string_equal(tlb_reason_name(&t, 8), "reason 8");
	assert_string_equal(tlb_reason_name(&t, TLB_NR_REASONS - 1), "other");
	assert_string_equal(tlb_reason_name(&t, 1000), "other");
	/* the names are each kernel's own: another set learned nothing */
	assert_string_equal(tlb_reason_name(&other, 1), "reason 1");
	assert_string_equal(tlb_reason_name(NULL, 1), "unnamed");
	assert_string_equal(tlb_size_name(0, buf, sizeof(buf)), "full");
	/* a shootdown that found the TLB up to date invalidated nothing */
	assert_string_equal(tlb_size_name(1, buf, sizeof(buf)), "0");
	assert_string_equal(tlb_size_name(2, buf, sizeof(buf)), "1");
	assert_string_equal(tlb_size_name(3, buf, sizeof(buf)), "2-3");
	assert_string_equal(tlb_size_name(4, buf, sizeof(buf)), "4-7");
	assert_string_equal(tlb_size_name(5, buf, sizeof(buf)), "8-15");
	/* the last bucket is open-ended */
	snprintf(expect, sizeof(expect), "%u+", 1u << (TLB_NR_SIZES - 3));
	assert_string_equal(tlb_size_name(TLB_NR_SIZES - 1, buf, sizeof(buf)), expect);
	assert_string_equal(tlb_class_name(TLBC_LOCAL), "local flush");
	assert_string_equal(tlb_class_name(TLBC_SENT), "shootdown request sent");
	assert_string_equal(tlb_class_name(TLBC_NO_FLUSH), "switch without flush");
	assert_string_equal(tlb_class_name(TLBC_NR), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fault_error_codes),
		cmocka_unit_test(test_event_names_round_trip),
		cmocka_unit_test(test_tlb_names),
	};

	return cmocka_run_group_tests_name("vm event decoding (pure)", tests, NULL, NULL);
}
