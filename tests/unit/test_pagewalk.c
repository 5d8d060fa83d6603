// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for src/core/pagewalk.c: walks over page tables built in a userspace
 * "physical memory", read through a fake direct map.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "pagewalk.h"

#define NR_PAGES	64
#define PAGE		4096ULL
#define POB		0xffff888000000000ULL	/* fake page_offset_base */
#define EFAULT_RC	(-14)

static uint64_t phys[NR_PAGES][512];
static int nr_reads;

static int fake_read(void *ctx, uint64_t kva, uint64_t *value)
{
	uint64_t off;

	(void)ctx;
	nr_reads++;
	if (kva < POB)
		return EFAULT_RC;
	off = kva - POB;
	if (off >= sizeof(phys) || off % 8)
		return EFAULT_RC;
	*value = phys[off / PAGE][(off % PAGE) / 8];
	return 0;
}

static int setup(void **state)
{
	(void)state;
	memset(phys, 0, sizeof(phys));
	nr_reads = 0;
	return 0;
}

static void set_entry(unsigned int page, unsigned int index, uint64_t entry)
{
	phys[page][index] = entry;
}

static struct walk_params params(int levels, unsigned int pgd_page)
{
	struct walk_params p = {
		.pgd_va = POB + pgd_page * PAGE,
		.page_offset_base = POB,
		.pa_mask = PTE_ADDR_MASK,
		.levels = levels,
		.read_u64 = fake_read,
		.ctx = NULL,
	};

	return p;
}

/* A kernel-half 4-level VA from its indices. */
static uint64_t va4(unsigned int pgd, unsigned int pud, unsigned int pmd,
		    unsigned int pte, uint64_t off)
{
	uint64_t va = ((uint64_t)pgd << 39) | ((uint64_t)pud << 30) |
		      ((uint64_t)pmd << 21) | ((uint64_t)pte << 12) | off;

	return pgd >= 256 ? va | 0xffff000000000000ULL : va;
}

#define TBL	(PTE_PRESENT | PTE_RW | PTE_ACCESSED)	/* a table entry */

static void check_step(const struct walk_step *st, const char *name,
		       unsigned int index, unsigned int table_page,
		       uint64_t entry)
{
	assert_string_equal(st->name, name);
	assert_int_equal(st->index, index);
	assert_int_equal(st->table_va, POB + table_page * PAGE);
	assert_int_equal(st->entry_va, POB + table_page * PAGE + index * 8);
	assert_int_equal(st->entry, entry);
}

static void test_walk_4k(void **state)
{
	/* 0xffffc90001234567: vmalloc space */
	const unsigned int i_pgd = 0x192, i_pud = 0x0, i_pmd = 0x9, i_pte = 0x34;
	uint64_t va = va4(i_pgd, i_pud, i_pmd, i_pte, 0x567);
	uint64_t leaf = 0x12345000ULL | PTE_PRESENT | PTE_RW | PTE_ACCESSED |
			PTE_DIRTY | PTE_GLOBAL | PTE_NX;
	struct walk_params p = params(4, 1);
	struct walk_result r;

	(void)state;
	assert_int_equal(va, 0xffffc90001234567ULL);
	set_entry(1, i_pgd, 2 * PAGE | TBL);
	set_entry(2, i_pud, 3 * PAGE | TBL);
	set_entry(3, i_pmd, 4 * PAGE | TBL);
	set_entry(4, i_pte, leaf);

	assert_int_equal(pagewalk(&p, va, &r), 0);
	assert_int_equal(r.status, WALK_OK);
	assert_int_equal(r.nr_steps, 4);
	assert_int_equal(r.pa, 0x12345567ULL);
	assert_int_equal(r.page_size, 4096);
	check_step(&r.steps[0], "PGD", i_pgd, 1, 2 * PAGE | TBL);
	check_step(&r.steps[1], "PUD", i_pud, 2, 3 * PAGE | TBL);
	check_step(&r.steps[2], "PMD", i_pmd, 3, 4 * PAGE | TBL);
	check_step(&r.steps[3], "PTE", i_pte, 4, leaf);
	assert_int_equal(nr_reads, 4);
}

static void test_walk_4k_other_entries_ignored(void **state)
{
	const unsigned int i_pgd = 0x1ff, i_pud = 0x1fe, i_pmd = 0x8, i_pte = 0x0;
	uint64_t va = va4(i_pgd, i_pud, i_pmd, i_pte, 0xfff);
	struct walk_params p = params(4, 5);
	struct walk_result r;

	(void)state;
	assert_int_equal(va, 0xffffffff81000fffULL);
	/* decoys at neighbouring indices */
	for (unsigned int i = 0; i < 512; i++) {
		set_entry(5, i, 60 * PAGE | TBL);
		set_entry(6, i, 60 * PAGE | TBL);
		set_entry(7, i, 60 * PAGE | TBL);
		set_entry(8, i, 0x7777000ULL | PTE_PRESENT);
	}
	set_entry(5, i_pgd, 6 * PAGE | TBL);
	set_entry(6, i_pud, 7 * PAGE | TBL);
	set_entry(7, i_pmd, 8 * PAGE | TBL);
	set_entry(8, i_pte, 0x3a000000ULL | PTE_PRESENT | PTE_GLOBAL);

	assert_int_equal(pagewalk(&p, va, &r), 0);
	assert_int_equal(r.status, WALK_OK);
	assert_int_equal(r.pa, 0x3a000fffULL);
	assert_int_equal(r.page_size, 4096);
	assert_int_equal(r.steps[0].index, 0x1ff);
	assert_int_equal(r.steps[1].index, 0x1fe);
	assert_int_equal(r.steps[2].index, 0x8);
	assert_int_equal(r.steps[3].index, 0x0);
}

static void test_walk_2m(void **state)
{
	const unsigned int i_pgd = 0x111, i_pud = 0x2, i_pmd = 0x1a7;
	uint64_t off = 0x1b2c3dULL;	/* inside the 2 MiB page */
	uint64_t va = va4(i_pgd, i_pud, i_pmd, 0, 0) | off;
	/* bit 12 of a huge entry is PAT, not an address bit */
	uint64_t leaf = 0x40000000ULL | (1ULL << 12) | PTE_PRESENT | PTE_RW |
			PTE_PSE | PTE_NX;
	struct walk_params p = params(4, 1);
	struct walk_result r;

	(void)state;
	set_entry(1, i_pgd, 2 * PAGE | TBL);
	set_entry(2, i_pud, 3 * PAGE | TBL);
	set_entry(3, i_pmd, leaf);

	assert_int_equal(pagewalk(&p, va, &r), 0);
	assert_int_equal(r.status, WALK_OK);
	assert_int_equal(r.nr_steps, 3);
	assert_string_equal(r.steps[2].name, "PMD");
	assert_int_equal(r.steps[2].index, i_pmd);
	assert_int_equal(r.steps[2].entry, leaf);
	assert_int_equal(r.page_size, 2ULL << 20);
	assert_int_equal(r.pa, 0x40000000ULL + off);
	assert_int_equal(nr_reads, 3);
}

static void test_walk_1g(void **state)
{
	const unsigned int i_pgd = 0x111, i_pud = 0x3;
	uint64_t off = 0x2345678aULL;	/* inside the 1 GiB page */
	uint64_t va = va4(i_pgd, i_pud, 0, 0, 0) | off;
	uint64_t leaf = 0x180000000ULL | (1ULL << 12) | PTE_PRESENT | PTE_RW |
			PTE_PSE | PTE_GLOBAL;
	struct walk_params p = params(4, 1);
	struct walk_result r;

	(void)state;
	set_entry(1, i_pgd, 2 * PAGE | TBL);
	set_entry(2, i_pud, leaf);

	assert_int_equal(pagewalk(&p, va, &r), 0);
	assert_int_equal(r.status, WALK_OK);
	assert_int_equal(r.nr_steps, 2);
	assert_string_equal(r.steps[1].name, "PUD");
	assert_int_equal(r.steps[1].index, i_pud);
	assert_int_equal(r.page_size, 1ULL << 30);
	assert_int_equal(r.pa, 0x180000000ULL + off);
}

static void test_walk_5level(void **state)
{
	const unsigned int i_pgd = 0x1d1, i_p4d = 0x0a3, i_pud = 0x1ff,
			   i_pmd = 0x100, i_pte = 0x0ab;
	uint64_t va = 0xfe00000000000000ULL | ((uint64_t)i_pgd << 48) |
		      ((uint64_t)i_p4d << 39) | ((uint64_t)i_pud << 30) |
		      ((uint64_t)i_pmd << 21) | ((uint64_t)i_pte << 12) | 0x123;
	uint64_t leaf = 0x5a5a5000ULL | PTE_PRESENT | PTE_RW | PTE_NX;
	struct walk_params p = params(5, 10);
	struct walk_result r;

	(void)state;
	assert_int_equal(va >> 48, 0xffd1);
	set_entry(10, i_pgd, 11 * PAGE | TBL);
	set_entry(11, i_p4d, 12 * PAGE | TBL);
	set_entry(12, i_pud, 13 * PAGE | TBL);
	set_entry(13, i_pmd, 14 * PAGE | TBL);
	set_entry(14, i_pte, leaf);

	assert_int_equal(pagewalk(&p, va, &r), 0);
	assert_int_equal(r.status, WALK_OK);
	assert_int_equal(r.nr_steps, 5);
	check_step(&r.steps[0], "PGD", i_pgd, 10, 11 * PAGE | TBL);
	check_step(&r.steps[1], "P4D", i_p4d, 11, 12 * PAGE | TBL);
	check_step(&r.steps[2], "PUD", i_pud, 12, 13 * PAGE | TBL);
	check_step(&r.steps[3], "PMD", i_pmd, 13, 14 * PAGE | TBL);
	check_step(&r.steps[4], "PTE", i_pte, 14, leaf);
	assert_int_equal(r.pa, 0x5a5a5123ULL);
	assert_int_equal(r.page_size, 4096);
}

static void test_walk_5level_low_half(void **state)
{
	/* a 5-level address above the 4-level user limit is canonical */
	uint64_t va = 0x00ff800000001000ULL;
	struct walk_params p = params(5, 1);
	struct walk_result r;

	(void)state;
	set_entry(1, 0xff, 0);
	assert_int_not_equal(pagewalk(&p, va, &r), 0);
	assert_int_equal(r.status, WALK_NOT_PRESENT);
	assert_int_equal(r.nr_steps, 1);
	assert_string_equal(r.steps[0].name, "PGD");
	assert_int_equal(r.steps[0].index, 0xff);
}

static void test_walk_not_present_pmd(void **state)
{
	const unsigned int i_pgd = 0x111, i_pud = 0x4, i_pmd = 0x55;
	uint64_t va = va4(i_pgd, i_pud, i_pmd, 0x12, 0x340);
	/* a not-present entry may still carry other bits (swap, PROT_NONE) */
	uint64_t pmd = 5 * PAGE | PTE_RW | PTE_ACCESSED;
	struct walk_params p = params(4, 1);
	struct walk_result r;

	(void)state;
	set_entry(1, i_pgd, 2 * PAGE | TBL);
	set_entry(2, i_pud, 3 * PAGE | TBL);
	set_entry(3, i_pmd, pmd);
	set_entry(5, 0x12, 0x1000ULL | PTE_PRESENT);	/* must not be used */

	assert_int_not_equal(pagewalk(&p, va, &r), 0);
	assert_int_equal(r.status, WALK_NOT_PRESENT);
	assert_int_equal(r.nr_steps, 3);
	check_step(&r.steps[r.nr_steps - 1], "PMD", i_pmd, 3, pmd);
	assert_int_equal(nr_reads, 3);
	assert_int_equal(r.page_size, 0);
}

static void test_walk_read_failed(void **state)
{
	const unsigned int i_pgd = 0x111, i_pud = 0x4;
	uint64_t va = va4(i_pgd, i_pud, 0x10, 0x12, 0);
	struct walk_params p = params(4, 1);
	struct walk_result r;

	(void)state;
	set_entry(1, i_pgd, 2 * PAGE | TBL);
	/* the PMD table lies outside the memory the reader can see */
	set_entry(2, i_pud, 1000 * PAGE | TBL);

	assert_int_not_equal(pagewalk(&p, va, &r), 0);
	assert_int_equal(r.status, WALK_READ_FAILED);
	/* the last step tried is the unreadable table */
	assert_true(r.nr_steps >= 2);
	assert_int_equal(r.steps[r.nr_steps - 1].table_va, POB + 1000 * PAGE);
	assert_int_equal(r.steps[1].entry, 1000 * PAGE | TBL);
	assert_int_equal(r.page_size, 0);
}

static void test_walk_read_failed_pgd(void **state)
{
	/* a wrong pgd_va: the first read fails */
	struct walk_params p = params(4, 1);
	struct walk_result r;

	(void)state;
	p.pgd_va = 0xffffc90000000000ULL;
	assert_int_not_equal(pagewalk(&p, 0xffffffff81000000ULL, &r), 0);
	assert_int_equal(r.status, WALK_READ_FAILED);
	assert_int_equal(nr_reads, 1);
}

static void test_walk_non_canonical(void **state)
{
	static const uint64_t bad4[] = {
		0x0000800000000000ULL, 0xffff7fffffffffffULL,
		0x00ff800000000000ULL, 0xdead000000000000ULL,
	};
	static const uint64_t bad5[] = {
		0x0100000000000000ULL, 0xfeffffffffffffffULL,
	};
	struct walk_params p4 = params(4, 1), p5 = params(5, 1);
	struct walk_result r;

	(void)state;
	for (size_t i = 0; i < sizeof(bad4) / sizeof(bad4[0]); i++) {
		assert_int_not_equal(pagewalk(&p4, bad4[i], &r), 0);
		assert_int_equal(r.status, WALK_NON_CANONICAL);
		assert_int_equal(r.nr_steps, 0);
	}
	for (size_t i = 0; i < sizeof(bad5) / sizeof(bad5[0]); i++) {
		assert_int_not_equal(pagewalk(&p5, bad5[i], &r), 0);
		assert_int_equal(r.status, WALK_NON_CANONICAL);
		assert_int_equal(r.nr_steps, 0);
	}
	/* nothing was read */
	assert_int_equal(nr_reads, 0);
}

static void test_walk_sme_bit(void **state)
{
	const uint64_t c_bit = 1ULL << 47;	/* the SME encryption bit */
	const unsigned int i_pgd = 0x192, i_pud = 0x1, i_pmd = 0x2, i_pte = 0x3;
	uint64_t va = va4(i_pgd, i_pud, i_pmd, i_pte, 0x10);
	struct walk_params p = params(4, 1);
	struct walk_result r;

	(void)state;
	set_entry(1, i_pgd, c_bit | 2 * PAGE | TBL);
	set_entry(2, i_pud, c_bit | 3 * PAGE | TBL);
	set_entry(3, i_pmd, c_bit | 4 * PAGE | TBL);
	set_entry(4, i_pte, c_bit | 0xabcde000ULL | PTE_PRESENT | PTE_NX);

	p.pa_mask = PTE_ADDR_MASK & ~c_bit;
	assert_int_equal(pagewalk(&p, va, &r), 0);
	assert_int_equal(r.status, WALK_OK);
	assert_int_equal(r.pa, 0xabcde010ULL);
	assert_int_equal(r.steps[1].table_va, POB + 2 * PAGE);
	assert_int_equal(r.steps[3].table_va, POB + 4 * PAGE);

	/* with the bit left in the mask, the tables are read at wrong places */
	p.pa_mask = PTE_ADDR_MASK;
	assert_int_not_equal(pagewalk(&p, va, &r), 0);
	assert_int_equal(r.status, WALK_READ_FAILED);
}

static void test_walk_sme_bit_huge(void **state)
{
	const uint64_t c_bit = 1ULL << 51;
	const unsigned int i_pgd = 0x192, i_pud = 0x1, i_pmd = 0x2;
	uint64_t va = va4(i_pgd, i_pud, i_pmd, 0, 0) | 0xfedcb;
	struct walk_params p = params(4, 1);
	struct walk_result r;

	(void)state;
	set_entry(1, i_pgd, c_bit | 2 * PAGE | TBL);
	set_entry(2, i_pud, c_bit | 3 * PAGE | TBL);
	set_entry(3, i_pmd, c_bit | 0x7fe00000ULL | PTE_PRESENT | PTE_PSE);
	p.pa_mask = PTE_ADDR_MASK & ~c_bit;
	assert_int_equal(pagewalk(&p, va, &r), 0);
	assert_int_equal(r.pa, 0x7fefedcbULL);
	assert_int_equal(r.page_size, 2ULL << 20);
}

static void test_flags_str(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(pte_flags_str(PTE_PRESENT | PTE_RW | PTE_ACCESSED |
					  PTE_DIRTY | PTE_NX, false, buf,
					  sizeof(buf)), "P RW A D NX");
	assert_ptr_equal(pte_flags_str(PTE_PRESENT, false, buf, sizeof(buf)), buf);
	assert_string_equal(buf, "P");
	assert_string_equal(pte_flags_str(0, false, buf, sizeof(buf)), "");
	/* address bits are no flags */
	assert_string_equal(pte_flags_str(0x000ffffffffff000ULL | PTE_PRESENT,
					  false, buf, sizeof(buf)), "P");
	assert_string_equal(pte_flags_str(PTE_PRESENT | PTE_USER | PTE_PWT |
					  PTE_PCD | PTE_GLOBAL, false, buf,
					  sizeof(buf)), "P US PWT PCD G");
}

static void test_flags_str_ps(void **state)
{
	char buf[64];
	uint64_t e = PTE_PRESENT | PTE_RW | PTE_PSE | PTE_GLOBAL;

	(void)state;
	/* bit 7 of a 4K PTE is PAT: PS only for a huge leaf */
	assert_string_equal(pte_flags_str(e, false, buf, sizeof(buf)), "P RW G");
	assert_string_equal(pte_flags_str(e, true, buf, sizeof(buf)), "P RW PS G");
}

static void test_flags_str_pkey(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(pte_flags_str(PTE_PRESENT | PTE_NX |
					  (3ULL << PTE_PKEY_SHIFT), false, buf,
					  sizeof(buf)), "P NX PKEY=3");
	assert_string_equal(pte_flags_str(PTE_PRESENT | PTE_PKEY_MASK, false,
					  buf, sizeof(buf)), "P PKEY=15");
	/* pkey 0 is not shown */
	assert_string_equal(pte_flags_str(PTE_PRESENT | PTE_RW, false, buf,
					  sizeof(buf)), "P RW");
}

static void test_flags_str_truncates(void **state)
{
	char buf[16];

	(void)state;
	memset(buf, 'X', sizeof(buf));
	pte_flags_str(PTE_PRESENT | PTE_RW | PTE_ACCESSED | PTE_DIRTY | PTE_NX |
		      (3ULL << PTE_PKEY_SHIFT), false, buf, 5);
	assert_string_equal(buf, "P RW");
	for (size_t i = 5; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 'X');
}

static void test_status_str(void **state)
{
	(void)state;
	assert_string_equal(walk_status_str(WALK_OK), "ok");
	assert_string_equal(walk_status_str(WALK_NOT_PRESENT), "not present");
	assert_string_not_equal(walk_status_str(WALK_READ_FAILED),
				walk_status_str(WALK_NON_CANONICAL));
	assert_string_equal(walk_status_str((enum walk_status)99), "?");
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_walk_4k),
		T(test_walk_4k_other_entries_ignored),
		T(test_walk_2m),
		T(test_walk_1g),
		T(test_walk_5level),
		T(test_walk_5level_low_half),
		T(test_walk_not_present_pmd),
		T(test_walk_read_failed),
		T(test_walk_read_failed_pgd),
		T(test_walk_non_canonical),
		T(test_walk_sme_bit),
		T(test_walk_sme_bit_huge),
		cmocka_unit_test(test_flags_str),
		cmocka_unit_test(test_flags_str_ps),
		cmocka_unit_test(test_flags_str_pkey),
		cmocka_unit_test(test_flags_str_truncates),
		cmocka_unit_test(test_status_str),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
