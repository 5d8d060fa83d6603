// SPDX-License-Identifier: GPL-2.0
/* Unit tests for src/kaslr_entropy.c, src/audit.c and src/audit_notes.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "audit_notes.h"
#include "kaslr_entropy.h"
#include "ksyms.h"
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

/* ---- /sys/kernel/notes ------------------------------------------------- */

#define XEN_ENTRY	1
#define XEN_VIRT_BASE	3
#define XEN_HV_START_LOW 12
#define XEN_INIT_P2M	15

struct note_blob {
	unsigned char b[1024];
	size_t n;
};

/* Append a note as the kernel's ELFNOTE() lays it out: 4-byte aligned. */
static void add_note(struct note_blob *bl, const char *name, uint32_t type,
		     const void *desc, uint32_t descsz)
{
	uint32_t hdr[3] = { (uint32_t)strlen(name) + 1, descsz, type };

	memcpy(bl->b + bl->n, hdr, sizeof(hdr));
	bl->n += sizeof(hdr);
	memcpy(bl->b + bl->n, name, hdr[0]);
	bl->n += (hdr[0] + 3) & ~3u;
	memcpy(bl->b + bl->n, desc, descsz);
	bl->n += (descsz + 3) & ~3u;
}

static void add_xen_u64(struct note_blob *bl, uint32_t type, uint64_t v)
{
	add_note(bl, "Xen", type, &v, sizeof(v));
}

/* Xen PV's notes around one ENTRY value, as trixie's kernel has them. */
static void xen_pv_notes(struct note_blob *bl, uint64_t entry)
{
	static const unsigned char build_id[20] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};

	memset(bl, 0, sizeof(*bl));
	add_note(bl, "Linux", 0x100, "6.12.0\0", 8);	/* 8 bytes, but a string */
	add_note(bl, "Xen", 6, "linux", 6);
	add_xen_u64(bl, XEN_VIRT_BASE, START_KERNEL_MAP);
	add_xen_u64(bl, XEN_INIT_P2M, 0x8000000000ULL);	/* user half: no address */
	add_xen_u64(bl, XEN_ENTRY, entry);
	add_xen_u64(bl, XEN_HV_START_LOW, GUARD_HOLE_L4);
	add_note(bl, "GNU", 3, build_id, sizeof(build_id));	/* random bytes */
}

/* A boot whose text slid by slide, with a 48 MiB image. */
static struct notes_context slid_boot(uint64_t slide)
{
	return (struct notes_context){
		.slide_known = true, .slide = slide, .start_kernel = DEFAULT_TEXT,
		.image_size = 48 * MB,
	};
}

static enum audit_result judge_blob(const struct note_blob *bl, const struct notes_context *c,
				    char *text, size_t len)
{
	struct note_addr a[8];
	int n = notes_judge(bl->b, bl->n, c, a, 8);

	assert_true(n >= 0);
	return notes_describe(a, n, text, len);
}

static void test_notes_parse(void **state)
{
	struct note_addr a[8];
	struct note_blob bl;
	struct elf_note n;
	size_t off = 0;
	int count = 0;

	(void)state;
	xen_pv_notes(&bl, DEFAULT_TEXT + 0x2000000);
	while (elf_note_next(bl.b, bl.n, &off, &n) == 1) {
		if (count == 2) {
			uint64_t v;

			assert_string_equal(n.name, "Xen");
			assert_int_equal(n.type, XEN_VIRT_BASE);
			assert_int_equal(n.descsz, 8);
			memcpy(&v, n.desc, 8);
			assert_true(v == START_KERNEL_MAP);
		}
		count++;
	}
	assert_int_equal(count, 7);
	assert_int_equal(off, bl.n);
	/* a descriptor running past the end is no note section */
	off = 0;
	assert_int_equal(elf_note_next(bl.b, 20, &off, &n), -1);
	assert_int_equal(notes_judge(bl.b, bl.n - 4, &(struct notes_context){ 0 }, a, 8), -1);
}

/* Xen's VIRT_BASE is __START_KERNEL_map, whatever the slide: no leak. */
static void test_notes_constants_pass(void **state)
{
	struct notes_context unknown = { .start_kernel = DEFAULT_TEXT };
	struct notes_context slid = slid_boot(0x1e000000);
	struct note_blob bl;
	struct note_addr a[8];
	char text[600];

	(void)state;
	memset(&bl, 0, sizeof(bl));
	add_xen_u64(&bl, XEN_VIRT_BASE, START_KERNEL_MAP);
	add_xen_u64(&bl, XEN_HV_START_LOW, GUARD_HOLE_L4);
	add_xen_u64(&bl, XEN_INIT_P2M, 0x8000000000ULL);
	assert_int_equal(notes_judge(bl.b, bl.n, &slid, a, 8), 2);	/* INIT_P2M is no address */
	assert_int_equal(a[0].kind, NOTE_CONSTANT);
	assert_int_equal(judge_blob(&bl, &slid, text, sizeof(text)), AUDIT_PASS);
	assert_non_null(strstr(text, "Xen VIRT_BASE 0xffffffff80000000: __START_KERNEL_map"));
	assert_non_null(strstr(text, "never moves"));
	assert_int_equal(judge_blob(&bl, &unknown, text, sizeof(text)), AUDIT_PASS);
}

/* ENTRY relocated by the slide fails; System.map's ENTRY passes. */
static void test_notes_slid_entry_fails(void **state)
{
	uint64_t slide = 0x1e000000, link = DEFAULT_TEXT + 0x2340000;
	struct notes_context c = slid_boot(slide);
	struct note_blob bl;
	char text[600], want[80];

	(void)state;
	xen_pv_notes(&bl, link + slide);
	assert_int_equal(judge_blob(&bl, &c, text, sizeof(text)), AUDIT_FAIL);
	snprintf(want, sizeof(want), "Xen ENTRY 0x%llx: this boot's address",
		 (unsigned long long)(link + slide));
	assert_non_null(strstr(text, want));
	assert_true(strstr(text, want) == text);	/* the leak comes first */
	assert_non_null(strstr(text, "Xen VIRT_BASE 0xffffffff80000000"));

	xen_pv_notes(&bl, link);	/* the kernel no longer relocates .notes */
	assert_int_equal(judge_blob(&bl, &c, text, sizeof(text)), AUDIT_PASS);
	assert_non_null(strstr(text, "System.map's address"));
	/* a slide of 0 leaves nothing to reveal; an unknown one cannot be judged */
	c = slid_boot(0);
	assert_int_equal(judge_blob(&bl, &c, text, sizeof(text)), AUDIT_PASS);
	assert_non_null(strstr(text, "did not slide"));
	c.slide_known = false;
	assert_int_equal(judge_blob(&bl, &c, text, sizeof(text)), AUDIT_UNKNOWN);
}

/* A slide smaller than the image: the running kernel's symbols break the tie. */
static void test_notes_tie_by_symbols(void **state)
{
	uint64_t slide = 0x200000, link = DEFAULT_TEXT + 0x2340000;
	struct ksym syms[] = {
		{ DEFAULT_TEXT + slide, "_text" }, { link + slide, "startup_xen" },
	};
	struct ksyms ks = { syms, 2 };
	struct notes_context c = slid_boot(slide);
	struct note_blob bl;
	char text[600];

	(void)state;
	xen_pv_notes(&bl, link + slide);
	assert_int_equal(judge_blob(&bl, &c, text, sizeof(text)), AUDIT_UNKNOWN);
	c.syms = &ks;
	assert_int_equal(judge_blob(&bl, &c, text, sizeof(text)), AUDIT_FAIL);
	assert_non_null(strstr(text, "address of startup_xen"));
	xen_pv_notes(&bl, link);
	assert_int_equal(judge_blob(&bl, &c, text, sizeof(text)), AUDIT_PASS);
	assert_non_null(strstr(text, "System.map's address of startup_xen"));
}

static void test_notes_none(void **state)
{
	struct notes_context c = slid_boot(0x1e000000);
	struct note_blob bl = { 0 };
	char text[600];

	(void)state;
	add_note(&bl, "Linux", 0x100, "6.18\0\0\0", 8);
	assert_int_equal(judge_blob(&bl, &c, text, sizeof(text)), AUDIT_PASS);
	assert_string_equal(text, "no kernel address in it");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_slots),
		cmocka_unit_test(test_memory_slots_l4),
		cmocka_unit_test(test_memory_slots_after_draws),
		cmocka_unit_test(test_audit_findings),
		cmocka_unit_test(test_notes_parse),
		cmocka_unit_test(test_notes_constants_pass),
		cmocka_unit_test(test_notes_slid_entry_fails),
		cmocka_unit_test(test_notes_tie_by_symbols),
		cmocka_unit_test(test_notes_none),
	};

	return cmocka_run_group_tests_name("audit", tests, NULL, NULL);
}
