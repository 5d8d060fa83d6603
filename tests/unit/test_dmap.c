// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for src/dmap/dmap_summary.c, the run merging of
 * src/dmap/dmap_runs.c and the verdict of src/dmap/dmap_verdict.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "dmap_report.h"
#include "dmap_summary.h"

#define POB 0xffff888000000000ULL
#define K4 0x1000ULL
#define M2 0x200000ULL
#define G1 0x40000000ULL

static void make_iomem(struct iomem *io)
{
	memset(io, 0, sizeof(*io));
	io->ram[0] = (struct phys_range){ 0x1000, 0x9fbff };
	io->ram[1] = (struct phys_range){ 0x100000, G1 - 1 };
	io->nr_ram = 2;
	io->top[0] = (struct iomem_resource){ { 0, 0xfff }, "Reserved" };
	io->top[1] = (struct iomem_resource){ { 0x1000, 0x9fbff }, "System RAM" };
	io->top[2] = (struct iomem_resource){ { 0xa0000, 0xbffff }, "PCI Bus 0000:00" };
	io->top[3] = (struct iomem_resource){ { 0x100000, G1 - 1 }, "System RAM" };
	io->nr_top = 4;
}

static void add(struct dmap_runs *r, uint64_t pa, uint64_t bytes, uint32_t shift,
		uint32_t flags)
{
	struct dmap_run run = { POB + pa, flags ? pa : 0, bytes, shift, flags };

	assert_int_equal(dmap_runs_add(r, &run), 0);
}

#define RW (DMAP_PRESENT | DMAP_RW | DMAP_NX)

/* 4K pages below 4M with two taken out, 2M pages up to 1G. */
static void make_runs(struct dmap_runs *r)
{
	memset(r, 0, sizeof(*r));
	add(r, 0, M2, 12, RW);
	add(r, M2, 2 * K4, 12, 0);
	add(r, M2 + 2 * K4, M2 - 2 * K4, 12, RW);
	add(r, 2 * M2, G1 - 2 * M2, 21, RW);
}

static void test_runs_merge(void **state)
{
	struct dmap_runs r = { 0 };

	(void)state;
	add(&r, 0, K4, 12, RW);
	add(&r, K4, K4, 12, RW);		/* continues: merged */
	add(&r, 2 * K4, K4, 12, DMAP_PRESENT);	/* other flags */
	add(&r, 4 * K4, K4, 12, DMAP_PRESENT);	/* not contiguous */
	assert_int_equal(r.n, 3);
	assert_int_equal(r.v[0].bytes, 2 * K4);
	dmap_runs_free(&r);
	assert_int_equal(r.n, 0);
}

static void test_summarize(void **state)
{
	struct dmap_runs r;
	struct dmap_summary s;
	struct iomem io;

	(void)state;
	make_iomem(&io);
	make_runs(&r);
	dmap_summarize(&r, POB, &io, &s);
	assert_int_equal(s.present[DMAP_4K], 2 * M2 - 2 * K4);
	assert_int_equal(s.present[DMAP_2M], G1 - 2 * M2);
	assert_int_equal(s.present[DMAP_1G], 0);
	assert_int_equal(s.removed_4k, 2 * K4);
	assert_int_equal(s.ram, (0x9fc00 - 0x1000) + (G1 - 0x100000));
	assert_int_equal(s.ram_end, G1);
	/* mapped but not RAM: page 0 and 0x9fc00-0xfffff */
	assert_int_equal(s.mapped_non_ram, K4 + (0x100000 - 0x9fc00));
	assert_int_equal(s.nr_holes, 2);
	assert_string_equal(s.holes[0].what, "Reserved");
	assert_int_equal(s.holes[0].mapped, K4);
	assert_string_equal(s.holes[1].what, "PCI Bus 0000:00");
	assert_int_equal(s.holes[1].range.start, 0x9fc00);
	assert_int_equal(s.holes[1].mapped, 0x100000 - 0x9fc00);
	dmap_runs_free(&r);
}

static void test_agree(void **state)
{
	struct direct_map_stats st = { .have_sizes = true };
	struct dmap_agreement a;
	struct dmap_summary s;
	struct dmap_runs r;
	struct iomem io;

	(void)state;
	make_iomem(&io);
	make_runs(&r);
	dmap_summarize(&r, POB, &io, &s);
	/* DirectMap4k still counts the two pages taken out */
	st.kb_4k = 2 * M2 / 1024;
	st.kb_2m = (G1 - 2 * M2) / 1024;
	dmap_agree(&s, &st, &a);
	assert_true(a.agrees);
	assert_int_equal(a.walk_pages[DMAP_4K], 1024);
	assert_int_equal(a.diff_pages[DMAP_2M], 0);
	st.kb_2m += 2 * 2048;		/* two 2M pages more than the tables hold */
	st.kb_4k -= 4;			/* one 4K page fewer: within one page */
	dmap_agree(&s, &st, &a);
	assert_false(a.agrees);
	assert_int_equal(a.diff_pages[DMAP_2M], -2);
	assert_int_equal(a.diff_pages[DMAP_4K], 1);
	st.have_sizes = false;
	dmap_agree(&s, &st, &a);
	assert_false(a.have_meminfo);
	assert_false(a.agrees);
	dmap_runs_free(&r);
}

static void test_sizes(void **state)
{
	(void)state;
	assert_int_equal(dmap_size_bytes(DMAP_2M), M2);
	assert_string_equal(dmap_size_name(DMAP_1G), "1G");
	assert_int_equal(dmap_size_of_shift(12), DMAP_4K);
	assert_int_equal(dmap_size_of_shift(30), DMAP_1G);
	assert_int_equal(dmap_size_of_shift(39), -1);
}

/* A look whose walk differs from DirectMap* by diff 2M pages (counted as 4K), splits so far. */
static void make_look(struct dmap_look *l, int64_t diff_2m, uint64_t splits_before,
		      uint64_t splits_after)
{
	memset(l, 0, sizeof(*l));
	l->agree.have_meminfo = true;
	l->agree.diff_pages[DMAP_2M] = diff_2m;
	l->agree.diff_pages[DMAP_4K] = -diff_2m * 512;
	l->agree.agrees = diff_2m == 0;
	l->stats.have_splits = l->after.have_splits = true;
	l->stats.level2_splits = splits_before;
	l->after.level2_splits = splits_after;
}

static void test_verdict(void **state)
{
	struct dmap_look a, b;
	struct dmap_verdict v;

	(void)state;
	/* equal: nothing to explain, whatever a second look says */
	make_look(&a, 0, 57, 57);
	dmap_judge(&a, NULL, &v);
	assert_int_equal(v.kind, DMAP_AGREE);
	assert_string_equal(dmap_verdict_name(v.kind), "agree");

	/* the same difference twice, the counters still: bookkeeping, named */
	make_look(&a, 4, 57, 57);
	make_look(&b, 4, 57, 57);
	dmap_judge(&a, &b, &v);
	assert_int_equal(v.kind, DMAP_BOOKKEEPING);
	assert_non_null(strstr(v.text, "not a race"));
	assert_non_null(strstr(v.text, "4 2M mappings more and 2048 4K pages fewer"));
	assert_non_null(strstr(v.text, "since boot"));

	/* a split between the first read and the second walk's end: a race */
	make_look(&b, 4, 57, 58);
	dmap_judge(&a, &b, &v);
	assert_int_equal(v.kind, DMAP_RACE);
	assert_non_null(strstr(v.text, "57 to 58"));
	/* and one during the first walk alone */
	make_look(&a, 4, 57, 58);
	dmap_judge(&a, NULL, &v);
	assert_int_equal(v.kind, DMAP_RACE);

	/* the counters still, but the difference changed: a race too */
	make_look(&a, 4, 57, 57);
	make_look(&b, 5, 57, 57);
	dmap_judge(&a, &b, &v);
	assert_int_equal(v.kind, DMAP_RACE);
	assert_non_null(strstr(v.text, "changed"));

	/* one walk only: it cannot say which */
	dmap_judge(&a, NULL, &v);
	assert_int_equal(v.kind, DMAP_UNJUDGED);

	/* nothing to set against: no counts, or a walk cut short */
	a.agree.have_meminfo = false;
	dmap_judge(&a, &b, &v);
	assert_int_equal(v.kind, DMAP_NO_COUNTS);
	make_look(&a, 4, 57, 57);
	a.stats_err = -EACCES;
	dmap_judge(&a, &b, &v);
	assert_int_equal(v.kind, DMAP_NO_COUNTS);
	assert_non_null(strstr(v.text, strerror(EACCES)));
	make_look(&a, 4, 57, 57);
	a.walk_err = -EFAULT;
	dmap_judge(&a, &b, &v);
	assert_int_equal(v.kind, DMAP_WALK_SHORT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runs_merge),
		cmocka_unit_test(test_summarize),
		cmocka_unit_test(test_agree),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_verdict),
	};

	return cmocka_run_group_tests_name("dmap", tests, NULL, NULL);
}
