// SPDX-License-Identifier: GPL-2.0
/* Unit tests for src/kaslr_entropy.c and src/audit.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "kaslr_entropy.h"
#include "x86_layout.h"

static void test_text_slots(void **state)
{
	(void)state;
	/* (1 GiB - 16 MiB - 44 MiB) / 16 MiB + 1 */
	assert_int_equal(text_kaslr_slots(44 * MB, 16 * MB, 16 * MB), 61);
	/* (1 GiB - 16 MiB - 30 MiB) / 2 MiB + 1 */
	assert_int_equal(text_kaslr_slots(30 * MB, 16 * MB, 2 * MB), 490);
	assert_int_equal(text_kaslr_slots(2 * GB, 16 * MB, 2 * MB), 0);
	assert_int_equal(text_kaslr_slots(30 * MB, 16 * MB, 0), 0);
	assert_true(entropy_bits(512) > 8.99 && entropy_bits(512) < 9.01);
}

static void test_memory_slots_l4(void **state)
{
	struct mem_kaslr_input in = {
		.levels = 4, .max_phys = 25 * GB, .padding_tb = 10, .page_struct_size = 64,
	};
	struct mem_kaslr_entropy e;
	/* 0xffff888000000000 up to the cpu_entry_area: 117.5 TiB */
	uint64_t remain = CPU_ENTRY_AREA_BASE - PAGE_OFFSET_BASE_L4 - (11 + 32 + 1) * TB;

	(void)state;
	assert_int_equal(mem_kaslr_entropy(&in, &e), 0);
	assert_int_equal(e.region_tb[0], 11);	/* 1 TiB of RAM rounded up, + 10 */
	assert_int_equal(e.region_tb[1], 32);
	assert_int_equal(e.region_tb[2], 1);
	assert_int_equal(e.slots[0], remain / 3 / GB + 1);
	/* nothing drawn (bases unknown): the next shares are upper bounds */
	assert_int_equal(e.slots[1], remain / 2 / GB + 1);
	assert_int_equal(e.slots[2], remain / GB + 1);
}

/* A base's draw is gone from the shares that follow. */
static void test_memory_slots_after_draws(void **state)
{
	struct mem_kaslr_input in = {
		.levels = 4, .max_phys = 4 * GB, .padding_tb = 10, .page_struct_size = 64,
	};
	uint64_t remain = CPU_ENTRY_AREA_BASE - PAGE_OFFSET_BASE_L4 - (11 + 32 + 1) * TB;
	struct mem_kaslr_entropy e;

	(void)state;
	in.bases[0] = PAGE_OFFSET_BASE_L4 + 100 * GB;
	in.bases[1] = PAGE_OFFSET_BASE_L4 + 100 * GB + 11 * TB + GB;	/* drew 0 */
	assert_int_equal(mem_kaslr_entropy(&in, &e), 0);
	assert_int_equal(e.slots[1], (remain - 100 * GB) / 2 / GB + 1);
	in.bases[1] = PAGE_OFFSET_BASE_L4;	/* below the first region's end */
	assert_int_equal(mem_kaslr_entropy(&in, &e), -1);
}

static void test_audit_findings(void **state)
{
	struct audit a = { 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	json_t *j;

	(void)state;
	audit_add(&a, "KASLR", "text-kaslr", AUDIT_PASS, "slid by 0x%x", 0x200000);
	audit_add(&a, "KASLR", "memory-kaslr", AUDIT_WARN, "hmm");
	audit_why(&a, "because");
	audit_add(&a, "Direct map", "splits", AUDIT_UNKNOWN, "no vmstat");
	assert_false(audit_reaches(&a, AUDIT_FAIL));
	assert_true(audit_reaches(&a, AUDIT_WARN));
	assert_int_equal(audit_severity_parse("warn"), AUDIT_WARN);
	assert_int_equal(audit_severity_parse("fail"), AUDIT_FAIL);
	assert_int_equal(audit_severity_parse("pass"), -1);
	audit_text(&a, f);
	fclose(f);
	/* grouped by area; why only for what did not pass */
	assert_non_null(strstr(text, "KASLR\n  PASS    text-kaslr"));
	assert_non_null(strstr(text, "why: because"));
	assert_non_null(strstr(text, "\nDirect map\n"));
	assert_non_null(strstr(text, "1 pass, 1 warn, 0 fail, 1 unknown"));
	free(text);
	j = audit_json(&a, AUDIT_WARN);
	assert_true(json_is_true(json_object_get(j, "reached")));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "summary"),
							    "unknown")), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
		json_object_get(j, "findings"), 0), "evidence")), "slid by 0x200000");
	json_decref(j);
	audit_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_slots),
		cmocka_unit_test(test_memory_slots_l4),
		cmocka_unit_test(test_memory_slots_after_draws),
		cmocka_unit_test(test_audit_findings),
	};

	return cmocka_run_group_tests_name("audit", tests, NULL, NULL);
}
