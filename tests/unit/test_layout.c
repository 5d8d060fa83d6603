// SPDX-License-Identifier: GPL-2.0
/* Unit tests for src/layout/layout.c: invariants, claims and their resolution. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "layout.h"

static int setup_layout(void **state)
{
	struct layout *l = calloc(1, sizeof(*l));

	if (!l)
		return -1;
	*state = l;
	return 0;
}

static int teardown_layout(void **state)
{
	free(*state);
	return 0;
}

#define ok(f, v, lv) assert_null(layout_check_invariants((f), (v), (lv)))
#define bad(f, v, lv) assert_non_null(layout_check_invariants((f), (v), (lv)))

static void test_invariants_bases_4level(void **state)
{
	static const enum layout_field bases[] = {
		LF_PAGE_OFFSET_BASE, LF_VMALLOC_BASE, LF_VMEMMAP_BASE,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		enum layout_field f = bases[i];

		/* the defaults and randomized bases, all 1 GiB aligned */
		ok(f, 0xffff888000000000ULL, 4);
		ok(f, 0xffffc90000000000ULL, 4);
		ok(f, 0xffffea0000000000ULL, 4);
		ok(f, 0xffff9a0000000000ULL, 4);
		ok(f, 0xffff9a8b40000000ULL, 4);
		/* the last 1 GiB step below cpu_entry_area */
		ok(f, 0xfffffdffc0000000ULL, 4);
		/* the end of the range is exclusive */
		bad(f, 0xfffffe0000000000ULL, 4);
		bad(f, 0xffffffff80000000ULL, 4);
		/* below the range: LDT remap, guard hole, user space */
		bad(f, 0xffff880000000000ULL, 4);
		bad(f, 0xffff887fc0000000ULL, 4);
		bad(f, 0xffff800000000000ULL, 4);
		bad(f, 0x0000000040000000ULL, 4);
		bad(f, 0, 4);
		/* a 5-level base is not a 4-level one */
		bad(f, 0xff11000000000000ULL, 4);
		/* alignment: 2 MiB, 4 KiB and 512 MiB steps are not enough */
		bad(f, 0xffff888000200000ULL, 4);
		bad(f, 0xffff888000001000ULL, 4);
		bad(f, 0xffff9a0020000000ULL, 4);
		bad(f, 0xffff9a0000000001ULL, 4);
	}
}

static void test_invariants_bases_5level(void **state)
{
	(void)state;
	ok(LF_PAGE_OFFSET_BASE, 0xff11000000000000ULL, 5);
	ok(LF_VMALLOC_BASE, 0xffa0000000000000ULL, 5);
	ok(LF_VMEMMAP_BASE, 0xffd4000000000000ULL, 5);
	ok(LF_PAGE_OFFSET_BASE, 0xff3c5e0040000000ULL, 5);
	/* 4-level values are inside the wider 5-level range */
	ok(LF_PAGE_OFFSET_BASE, 0xffff888000000000ULL, 5);
	/* below: the 5-level LDT remap and guard hole */
	bad(LF_PAGE_OFFSET_BASE, 0xff10000000000000ULL, 5);
	bad(LF_PAGE_OFFSET_BASE, 0xff10ffffc0000000ULL, 5);
	bad(LF_PAGE_OFFSET_BASE, 0xff00000000000000ULL, 5);
	bad(LF_PAGE_OFFSET_BASE, 0xfffffe0000000000ULL, 5);
	bad(LF_VMALLOC_BASE, 0xff11000000200000ULL, 5);
	/* levels unknown (0): the loosest, 5-level range applies */
	ok(LF_PAGE_OFFSET_BASE, 0xff11000000000000ULL, 0);
	ok(LF_PAGE_OFFSET_BASE, 0xffff888000000000ULL, 0);
	bad(LF_PAGE_OFFSET_BASE, 0xff10000000000000ULL, 0);
	bad(LF_PAGE_OFFSET_BASE, 0xffff888000200000ULL, 0);
}

static void test_invariants_text(void **state)
{
	(void)state;
	ok(LF_TEXT, 0xffffffff81000000ULL, 4);	/* the non-KASLR default */
	ok(LF_TEXT, 0xffffffff80000000ULL, 4);	/* __START_KERNEL_map */
	ok(LF_TEXT, 0xffffffffbb000000ULL, 4);
	ok(LF_TEXT, 0xffffffffa3e00000ULL, 5);
	ok(LF_TEXT, 0xfffffffffee00000ULL, 0);	/* last 2 MiB step */
	bad(LF_TEXT, 0xffffffffff000000ULL, 4);	/* MODULES_END, exclusive */
	bad(LF_TEXT, 0xffffffff7fe00000ULL, 4);	/* below the window */
	bad(LF_TEXT, 0xffff888000000000ULL, 4);
	bad(LF_TEXT, 0, 4);
	bad(LF_TEXT, 0xffffffff81100000ULL, 4);	/* 1 MiB, not 2 MiB */
	bad(LF_TEXT, 0xffffffff81001000ULL, 4);
	bad(LF_TEXT, 0xffffffff81000001ULL, 4);
}

static void test_invariants_text_slide(void **state)
{
	(void)state;
	ok(LF_TEXT_SLIDE, 0, 4);
	ok(LF_TEXT_SLIDE, 0x200000, 4);
	ok(LF_TEXT_SLIDE, 0x3a000000, 4);
	ok(LF_TEXT_SLIDE, 0x3fe00000, 4);	/* 1 GiB - 2 MiB */
	bad(LF_TEXT_SLIDE, 0x40000000, 4);	/* 1 GiB */
	bad(LF_TEXT_SLIDE, 0x80000000, 4);
	bad(LF_TEXT_SLIDE, 0x100000, 4);	/* 1 MiB */
	bad(LF_TEXT_SLIDE, 0x3a001000, 4);
	bad(LF_TEXT_SLIDE, UINT64_MAX, 4);	/* a negative slide */
}

static void test_invariants_levels_phys_base(void **state)
{
	(void)state;
	ok(LF_PAGING_LEVELS, 4, 0);
	ok(LF_PAGING_LEVELS, 5, 0);
	bad(LF_PAGING_LEVELS, 0, 0);
	bad(LF_PAGING_LEVELS, 3, 0);
	bad(LF_PAGING_LEVELS, 6, 0);
	bad(LF_PAGING_LEVELS, 0x100000004ULL, 0);

	/* phys_base: page aligned, and may be negative (two's complement) */
	ok(LF_PHYS_BASE, 0, 4);
	ok(LF_PHYS_BASE, 0x3a000000, 4);
	ok(LF_PHYS_BASE, 0xffffffffff000000ULL, 4);	/* -16 MiB */
	bad(LF_PHYS_BASE, 0x3a000800, 4);
}

static void test_claim_rejects(void **state)
{
	struct layout *l = *state;

	assert_false(layout_claim(l, LF_PAGE_OFFSET_BASE, LS_KSYM,
				  0xffff888000200000ULL, 4, "from %s", "ksym"));
	assert_false(l->claim[LF_PAGE_OFFSET_BASE][LS_KSYM].set);
	assert_false(l->source[LS_KSYM].available);
	assert_non_null(strstr(l->rejected[LF_PAGE_OFFSET_BASE][LS_KSYM],
			       "ffff888000200000"));
	assert_non_null(strstr(l->rejected[LF_PAGE_OFFSET_BASE][LS_KSYM],
			       layout_check_invariants(LF_PAGE_OFFSET_BASE,
						       0xffff888000200000ULL, 4)));
	/* other cells are untouched */
	assert_string_equal(l->rejected[LF_PAGE_OFFSET_BASE][LS_TRACEPOINT], "");
	assert_string_equal(l->rejected[LF_VMALLOC_BASE][LS_KSYM], "");

	assert_false(layout_claim(l, LF_PAGING_LEVELS, LS_VMCOREINFO, 3, 0, "x"));
	assert_false(l->claim[LF_PAGING_LEVELS][LS_VMCOREINFO].set);
	assert_false(l->source[LS_VMCOREINFO].available);
	assert_true(strlen(l->rejected[LF_PAGING_LEVELS][LS_VMCOREINFO]) > 0);

	/* a rejected claim never reaches the result */
	layout_resolve(l);
	assert_int_equal(l->val[LF_PAGE_OFFSET_BASE].res, RES_UNKNOWN);
	assert_int_equal(l->val[LF_PAGING_LEVELS].res, RES_UNKNOWN);
}

static void test_claim_accepts(void **state)
{
	struct layout *l = *state;

	assert_true(layout_claim(l, LF_VMALLOC_BASE, LS_TRACEPOINT,
				 0xffffb40000000000ULL, 4, "%d samples", 12));
	assert_true(l->claim[LF_VMALLOC_BASE][LS_TRACEPOINT].set);
	assert_int_equal(l->claim[LF_VMALLOC_BASE][LS_TRACEPOINT].value,
			 0xffffb40000000000ULL);
	assert_string_equal(l->claim[LF_VMALLOC_BASE][LS_TRACEPOINT].how,
			    "12 samples");
	assert_true(l->source[LS_TRACEPOINT].available);
	assert_string_equal(l->rejected[LF_VMALLOC_BASE][LS_TRACEPOINT], "");
	/* only that source */
	assert_false(l->source[LS_KSYM].available);
	assert_false(l->claim[LF_VMALLOC_BASE][LS_KSYM].set);
}

static void test_claim_how_truncated(void **state)
{
	struct layout *l = *state;
	char longer[LAYOUT_NOTE_LEN * 2];

	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	assert_true(layout_claim(l, LF_TEXT, LS_KSYM, 0xffffffff81000000ULL, 4,
				 "%s", longer));
	assert_int_equal(strlen(l->claim[LF_TEXT][LS_KSYM].how),
			 LAYOUT_NOTE_LEN - 1);
}

static void test_source_unavailable(void **state)
{
	struct layout *l = *state;

	source_unavailable(l, LS_VMCOREINFO, "no %s", "/sys/kernel/vmcoreinfo");
	assert_string_equal(l->source[LS_VMCOREINFO].why,
			    "no /sys/kernel/vmcoreinfo");
	assert_false(l->source[LS_VMCOREINFO].available);
}

static void test_resolve_confirmed(void **state)
{
	struct layout *l = *state;
	struct resolved_value *r = &l->val[LF_PAGE_OFFSET_BASE];

	assert_true(layout_claim(l, LF_PAGE_OFFSET_BASE, LS_KSYM,
				 0xffff9a0000000000ULL, 4, "ksym"));
	assert_true(layout_claim(l, LF_PAGE_OFFSET_BASE, LS_PAGEWALK,
				 0xffff9a0000000000ULL, 4, "walk"));
	layout_resolve(l);
	assert_int_equal(r->res, RES_CONFIRMED);
	assert_int_equal(r->value, 0xffff9a0000000000ULL);
	assert_int_equal(r->sources, LS_MASK(LS_KSYM) | LS_MASK(LS_PAGEWALK));
	assert_int_equal(r->dissent, 0);
}

static void test_resolve_three_agree(void **state)
{
	struct layout *l = *state;
	struct resolved_value *r = &l->val[LF_TEXT];

	assert_true(layout_claim(l, LF_TEXT, LS_KSYM, 0xffffffffa3e00000ULL, 4, "a"));
	assert_true(layout_claim(l, LF_TEXT, LS_VMCOREINFO, 0xffffffffa3e00000ULL, 4, "b"));
	assert_true(layout_claim(l, LF_TEXT, LS_TRACEPOINT, 0xffffffffa3e00000ULL, 4, "c"));
	assert_true(layout_claim(l, LF_TEXT, LS_DEFAULT, 0xffffffff81000000ULL, 4, "d"));
	layout_resolve(l);
	assert_int_equal(r->res, RES_CONFIRMED);
	assert_int_equal(r->value, 0xffffffffa3e00000ULL);
	assert_int_equal(r->sources, LS_MASK(LS_KSYM) | LS_MASK(LS_VMCOREINFO) |
				     LS_MASK(LS_TRACEPOINT));
	/* a default differing from exact sources is no dissent */
	assert_int_equal(r->dissent, 0);
}

static void test_resolve_single(void **state)
{
	struct layout *l = *state;
	struct resolved_value *r = &l->val[LF_VMEMMAP_BASE];

	assert_true(layout_claim(l, LF_VMEMMAP_BASE, LS_VMCOREINFO,
				 0xffffd90000000000ULL, 4, "note"));
	layout_resolve(l);
	assert_int_equal(r->res, RES_SINGLE);
	assert_int_equal(r->value, 0xffffd90000000000ULL);
	assert_int_equal(r->sources, LS_MASK(LS_VMCOREINFO));
	assert_int_equal(r->dissent, 0);
	/* other fields stay unknown */
	assert_int_equal(l->val[LF_VMALLOC_BASE].res, RES_UNKNOWN);
}

static void test_resolve_conflict(void **state)
{
	struct layout *l = *state;
	struct resolved_value *r = &l->val[LF_VMALLOC_BASE];

	assert_true(layout_claim(l, LF_VMALLOC_BASE, LS_KSYM,
				 0xffffb40000000000ULL, 4, "a"));
	assert_true(layout_claim(l, LF_VMALLOC_BASE, LS_TRACEPOINT,
				 0xffffb40000000000ULL, 4, "b"));
	assert_true(layout_claim(l, LF_VMALLOC_BASE, LS_PAGEWALK,
				 0xffffb50000000000ULL, 4, "c"));
	layout_resolve(l);
	assert_int_equal(r->res, RES_CONFLICT);
	assert_int_equal(r->dissent, LS_MASK(LS_PAGEWALK));
	assert_int_equal(r->sources, LS_MASK(LS_KSYM) | LS_MASK(LS_TRACEPOINT));
	assert_int_equal(r->sources & r->dissent, 0);
}

static void test_resolve_conflict_two(void **state)
{
	struct layout *l = *state;
	struct resolved_value *r = &l->val[LF_PHYS_BASE];

	assert_true(layout_claim(l, LF_PHYS_BASE, LS_KSYM, 0x3a000000, 4, "a"));
	assert_true(layout_claim(l, LF_PHYS_BASE, LS_VMCOREINFO, 0x3c000000, 4, "b"));
	assert_true(layout_claim(l, LF_PHYS_BASE, LS_ESTIMATE, 0x3a000000, 4, "c"));
	layout_resolve(l);
	assert_int_equal(r->res, RES_CONFLICT);
	/* both exact sources are involved, one on each side */
	assert_int_equal(r->sources | r->dissent,
			 LS_MASK(LS_KSYM) | LS_MASK(LS_VMCOREINFO));
	assert_int_not_equal(r->sources, 0);
	assert_int_not_equal(r->dissent, 0);
}

static void test_resolve_estimate(void **state)
{
	struct layout *l = *state;

	/* estimate and default: the estimate wins */
	assert_true(layout_claim(l, LF_PAGE_OFFSET_BASE, LS_DEFAULT,
				 0xffff888000000000ULL, 4, "default"));
	assert_true(layout_claim(l, LF_PAGE_OFFSET_BASE, LS_ESTIMATE,
				 0xffff9a0000000000ULL, 4, "estimate"));
	/* default only */
	assert_true(layout_claim(l, LF_VMALLOC_BASE, LS_DEFAULT,
				 0xffffc90000000000ULL, 4, "default"));
	/* estimate only */
	assert_true(layout_claim(l, LF_VMEMMAP_BASE, LS_ESTIMATE,
				 0xffffd90000000000ULL, 4, "estimate"));
	layout_resolve(l);

	assert_int_equal(l->val[LF_PAGE_OFFSET_BASE].res, RES_ESTIMATE);
	assert_int_equal(l->val[LF_PAGE_OFFSET_BASE].value, 0xffff9a0000000000ULL);
	assert_int_equal(l->val[LF_PAGE_OFFSET_BASE].sources, LS_MASK(LS_ESTIMATE));

	assert_int_equal(l->val[LF_VMALLOC_BASE].res, RES_ESTIMATE);
	assert_int_equal(l->val[LF_VMALLOC_BASE].value, 0xffffc90000000000ULL);
	assert_int_equal(l->val[LF_VMALLOC_BASE].sources, LS_MASK(LS_DEFAULT));

	assert_int_equal(l->val[LF_VMEMMAP_BASE].res, RES_ESTIMATE);
	assert_int_equal(l->val[LF_VMEMMAP_BASE].value, 0xffffd90000000000ULL);
	assert_int_equal(l->val[LF_VMEMMAP_BASE].sources, LS_MASK(LS_ESTIMATE));
}

static void test_resolve_exact_beats_estimate(void **state)
{
	struct layout *l = *state;
	struct resolved_value *r = &l->val[LF_TEXT];

	assert_true(layout_claim(l, LF_TEXT, LS_ESTIMATE, 0xffffffff81000000ULL, 4, "e"));
	assert_true(layout_claim(l, LF_TEXT, LS_DEFAULT, 0xffffffff81000000ULL, 4, "d"));
	assert_true(layout_claim(l, LF_TEXT, LS_PAGEWALK, 0xffffffffbb000000ULL, 4, "w"));
	layout_resolve(l);
	assert_int_equal(r->res, RES_SINGLE);
	assert_int_equal(r->value, 0xffffffffbb000000ULL);
	assert_int_equal(r->sources, LS_MASK(LS_PAGEWALK));
	assert_int_equal(r->dissent, 0);
}

static void test_resolve_unknown(void **state)
{
	struct layout *l = *state;

	/* stale results are cleared by a new resolution */
	l->val[LF_TEXT].res = RES_CONFIRMED;
	l->val[LF_TEXT].value = 0xffffffff81000000ULL;
	l->val[LF_TEXT].sources = LS_ALL;
	layout_resolve(l);
	for (int f = 0; f < LF_NR; f++) {
		assert_int_equal(l->val[f].res, RES_UNKNOWN);
		assert_int_equal(l->val[f].sources, 0);
		assert_int_equal(l->val[f].dissent, 0);
	}
}

static void test_known(void **state)
{
	struct layout *l = *state;
	uint64_t v = 0;

	assert_false(layout_known(l, LF_TEXT, &v));
	/* guesses are not known */
	assert_true(layout_claim(l, LF_TEXT, LS_DEFAULT, 0xffffffff81000000ULL, 4, "d"));
	assert_true(layout_claim(l, LF_TEXT, LS_ESTIMATE, 0xffffffff81000000ULL, 4, "e"));
	assert_false(layout_known(l, LF_TEXT, &v));
	/* one exact source */
	assert_true(layout_claim(l, LF_TEXT, LS_KSYM, 0xffffffffa3e00000ULL, 4, "k"));
	assert_true(layout_known(l, LF_TEXT, &v));
	assert_int_equal(v, 0xffffffffa3e00000ULL);
	/* two agreeing */
	assert_true(layout_claim(l, LF_TEXT, LS_VMCOREINFO, 0xffffffffa3e00000ULL, 4, "v"));
	v = 0;
	assert_true(layout_known(l, LF_TEXT, &v));
	assert_int_equal(v, 0xffffffffa3e00000ULL);
	/* disagreement: nothing to build on */
	assert_true(layout_claim(l, LF_TEXT, LS_PAGEWALK, 0xffffffffa4000000ULL, 4, "w"));
	assert_false(layout_known(l, LF_TEXT, &v));
}

static void test_known_levels_needed(void **state)
{
	struct layout *l = *state;
	uint64_t v = 0;

	/* known works before resolve, for sources that run later */
	assert_true(layout_claim(l, LF_PAGING_LEVELS, LS_KSYM, 5, 0, "cr4"));
	assert_true(layout_known(l, LF_PAGING_LEVELS, &v));
	assert_int_equal(v, 5);
	assert_false(layout_known(l, LF_PAGE_OFFSET_BASE, &v));
}

static void test_default_of(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_true(layout_default_of(LF_PAGE_OFFSET_BASE, 4, &v));
	assert_int_equal(v, 0xffff888000000000ULL);
	assert_true(layout_default_of(LF_PAGE_OFFSET_BASE, 5, &v));
	assert_int_equal(v, 0xff11000000000000ULL);
	assert_true(layout_default_of(LF_VMALLOC_BASE, 4, &v));
	assert_int_equal(v, 0xffffc90000000000ULL);
	assert_true(layout_default_of(LF_VMALLOC_BASE, 5, &v));
	assert_int_equal(v, 0xffa0000000000000ULL);
	assert_true(layout_default_of(LF_VMEMMAP_BASE, 4, &v));
	assert_int_equal(v, 0xffffea0000000000ULL);
	assert_true(layout_default_of(LF_VMEMMAP_BASE, 5, &v));
	assert_int_equal(v, 0xffd4000000000000ULL);
	assert_true(layout_default_of(LF_TEXT, 4, &v));
	assert_int_equal(v, 0xffffffff81000000ULL);
	assert_true(layout_default_of(LF_TEXT_SLIDE, 4, &v));
	assert_int_equal(v, 0);
	/* a base's default depends on the paging mode */
	assert_false(layout_default_of(LF_PAGE_OFFSET_BASE, 0, &v));
	assert_false(layout_default_of(LF_PAGING_LEVELS, 4, &v));
	/* every default passes the invariants */
	for (int f = 0; f < LF_NR; f++)
		for (int lv = 4; lv <= 5; lv++)
			if (layout_default_of(f, lv, &v))
				assert_null(layout_check_invariants(f, v, lv));
}

static void test_names(void **state)
{
	(void)state;
	for (int s = 0; s < LS_NR; s++) {
		const char *name = layout_source_name(s);

		assert_non_null(name);
		assert_string_not_equal(name, "?");
		assert_int_equal(layout_source_by_name(name), s);
	}
	assert_string_equal(layout_source_name(LS_KSYM), "ksym");
	assert_string_equal(layout_source_name(LS_VMCOREINFO), "vmcoreinfo");
	assert_int_equal(layout_source_by_name("pagewalk"), LS_PAGEWALK);
	assert_int_equal(layout_source_by_name("tracepoint"), LS_TRACEPOINT);
	assert_int_equal(layout_source_by_name("nosuch"), -1);
	assert_int_equal(layout_source_by_name(""), -1);
	assert_int_equal(layout_source_by_name("ksym "), -1);
	assert_int_equal(layout_source_by_name("KSYM"), -1);
	assert_string_equal(layout_source_name(LS_NR), "?");

	assert_string_equal(layout_field_name(LF_PAGE_OFFSET_BASE), "page_offset_base");
	assert_string_equal(layout_field_name(LF_TEXT), "_text");
	assert_string_equal(layout_field_name(LF_NR), "?");
	for (int f = 0; f < LF_NR; f++)
		assert_string_not_equal(layout_field_name(f), "?");

	assert_string_equal(resolution_name(RES_CONFIRMED), "confirmed");
	assert_string_equal(resolution_name(RES_CONFLICT), "conflict");
	assert_string_equal(resolution_name(RES_UNKNOWN), "unknown");
	assert_string_not_equal(resolution_name(RES_SINGLE),
				resolution_name(RES_ESTIMATE));
}

static void test_source_is_exact(void **state)
{
	(void)state;
	assert_true(source_is_exact(LS_KSYM));
	assert_true(source_is_exact(LS_TRACEPOINT));
	assert_true(source_is_exact(LS_VMCOREINFO));
	assert_true(source_is_exact(LS_PAGEWALK));
	assert_false(source_is_exact(LS_ESTIMATE));
	assert_false(source_is_exact(LS_DEFAULT));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_layout, teardown_layout)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_invariants_bases_4level),
		cmocka_unit_test(test_invariants_bases_5level),
		cmocka_unit_test(test_invariants_text),
		cmocka_unit_test(test_invariants_text_slide),
		cmocka_unit_test(test_invariants_levels_phys_base),
		T(test_claim_rejects),
		T(test_claim_accepts),
		T(test_claim_how_truncated),
		T(test_source_unavailable),
		T(test_resolve_confirmed),
		T(test_resolve_three_agree),
		T(test_resolve_single),
		T(test_resolve_conflict),
		T(test_resolve_conflict_two),
		T(test_resolve_estimate),
		T(test_resolve_exact_beats_estimate),
		T(test_resolve_unknown),
		T(test_known),
		T(test_known_levels_needed),
		cmocka_unit_test(test_default_of),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_source_is_exact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
