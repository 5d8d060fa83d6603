// SPDX-License-Identifier: GPL-2.0
/* The pure half of kvas translate: arithmetic, rejection, swap decoding, freed image parts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "procfs.h"
#include "translate.h"
#include "translate_print.h"
#include "x86_layout.h"

/* arch/x86/include/asm/pgtable_64.h, __swp_entry(), to build real entries. */
static uint64_t swp_entry(uint64_t type, uint64_t offset)
{
	return (~offset << 14 >> 5) | (type << 59);
}

static void test_swap_entry_round_trip(void **state)
{
	static const struct { uint64_t type, offset; } cases[] = {
		{ 0, 0x1 }, { 1, 0x1234 }, { 3, 0xfffff }, { 0, 0x3ffffffffffULL },
	};
	struct nonpresent np;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t e = swp_entry(cases[i].type, cases[i].offset);

		assert_int_equal(e & 1, 0);		/* not present */
		assert_int_equal(e & (1 << 8), 0);	/* not PROT_NONE */
		decode_nonpresent(e, &np);
		assert_int_equal(np.kind, NP_SWAP);
		assert_int_equal(np.swap_type, cases[i].type);
		assert_int_equal(np.swap_offset, cases[i].offset);
	}
}

static void test_special_and_empty_entries(void **state)
{
	struct nonpresent np;

	(void)state;
	decode_nonpresent(swp_entry(30, 0x42), &np);	/* migration-range type */
	assert_int_equal(np.kind, NP_SPECIAL);
	assert_int_equal(np.swap_type, 30);
	decode_nonpresent(0, &np);
	assert_int_equal(np.kind, NP_NONE);
	/* PROT_NONE: the frame stays, present bit clear, bit 8 set. */
	decode_nonpresent(0x8000000123456100ULL | 0x25, &np);
	assert_int_equal(np.kind, NP_PROT_NONE);
}

static void ctx_l4(struct translate_ctx *c)
{
	struct region_input in = {
		.levels = 4, .page_offset_base = 0xffff9a0000000000ULL,
		.vmalloc_base = 0xffffb40000000000ULL, .vmemmap_base = 0xffffd90000000000ULL,
	};

	memset(c, 0, sizeof(*c));
	c->levels = 4;
	c->page_offset_base = in.page_offset_base;
	c->vmemmap_base = in.vmemmap_base;
	c->phys_base = 0xfffffffffe000000ULL;	/* -32 MiB, as seen under KASLR */
	c->page_struct_size = 64;
	c->pa_mask = PTE_ADDR_MASK;
	assert_int_equal(regions_build(&in, &c->regions), 0);
}

static void test_arithmetic_by_region(void **state)
{
	struct translate_ctx c;
	enum pa_method m;
	uint64_t pa, va;

	(void)state;
	ctx_l4(&c);
	va = c.page_offset_base + 0x12345678;
	assert_true(translate_arith(&c, va, region_of(&c.regions, va), &pa, &m));
	assert_int_equal(pa, 0x12345678);
	assert_int_equal(m, PA_DIRECT_MAP);

	va = 0xffffffff9a200000ULL;	/* _text slid by 0x19200000 */
	assert_true(translate_arith(&c, va, region_of(&c.regions, va), &pa, &m));
	assert_int_equal(pa, va - START_KERNEL_MAP - 0x2000000);
	assert_int_equal(m, PA_PHYS_BASE);

	va = c.vmemmap_base + 0x1000 * 64 + 8;	/* inside pfn 0x1000's struct page */
	assert_true(translate_arith(&c, va, region_of(&c.regions, va), &pa, &m));
	assert_int_equal(pa, 0x1000000);
	assert_int_equal(m, PA_STRUCT_PAGE);

	va = 0xffffb40000123000ULL;	/* vmalloc: only a walk can say */
	assert_false(translate_arith(&c, va, region_of(&c.regions, va), &pa, &m));
}

static void test_fill_from_pa(void **state)
{
	struct translate_ctx c;
	struct translation t = { .pa = 0x1000123 };

	(void)state;
	ctx_l4(&c);
	translate_fill_from_pa(&c, &t);
	assert_int_equal(t.direct_map_alias, c.page_offset_base + 0x1000123);
	assert_int_equal(t.struct_page, c.vmemmap_base + 0x1000 * 64);
}

static void test_reject(void **state)
{
	struct translate_ctx c;
	uint64_t va;

	(void)state;
	ctx_l4(&c);
	va = 0x0000800000000000ULL;
	assert_non_null(strstr(translate_reject(&c, va, region_of(&c.regions, va), false),
			       "non-canonical"));
	va = 0xffff800000001000ULL;
	assert_non_null(strstr(translate_reject(&c, va, region_of(&c.regions, va), false), "hole"));
	va = 0x7fff00001000ULL;
	assert_non_null(strstr(translate_reject(&c, va, region_of(&c.regions, va), false), "-p PID"));
	assert_non_null(strstr(translate_reject(&c, va, region_of(&c.regions, va), false),
			       "no process given"));
	assert_null(translate_reject(&c, va, region_of(&c.regions, va), true));
	va = c.page_offset_base + 4096;
	assert_null(translate_reject(&c, va, region_of(&c.regions, va), false));
	/* 5-level: 47-bit overflow is canonical, so only the region can reject it */
	c.levels = 5;
	assert_non_null(strstr(translate_reject(&c, 0x0000800000000000ULL, NULL, true),
			       "outside every known region"));
}

/* The half of the address space follows the paging levels, not the top bit. */
static void test_va_kinds(void **state)
{
	static const struct { int levels; uint64_t va; enum va_kind k; } cases[] = {
		{ 4, 0, VA_USER },
		{ 4, 0x00007fffffffffffULL, VA_USER },
		{ 4, 0x0000800000000000ULL, VA_NONCANONICAL },
		{ 4, 0x8000000000000000ULL, VA_NONCANONICAL },
		{ 4, 0xffff7fffffffffffULL, VA_NONCANONICAL },
		{ 4, 0xffff800000000000ULL, VA_KERNEL },
		{ 4, 0xffffffff81000000ULL, VA_KERNEL },
		{ 5, 0, VA_USER },
		{ 5, 0x0000800000000000ULL, VA_USER },
		{ 5, 0x00ffffffffffffffULL, VA_USER },
		{ 5, 0x0100000000000000ULL, VA_NONCANONICAL },
		{ 5, 0x8000000000000000ULL, VA_NONCANONICAL },
		{ 5, 0xfeffffffffffffffULL, VA_NONCANONICAL },
		{ 5, 0xff00000000000000ULL, VA_KERNEL },
		{ 5, 0xffff888000000000ULL, VA_KERNEL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (va_kind_of(cases[i].va, cases[i].levels) != cases[i].k)
			fail_msg("%d-level 0x%llx: got %s", cases[i].levels,
				 (unsigned long long)cases[i].va,
				 va_kind_name(va_kind_of(cases[i].va, cases[i].levels)));
	assert_string_equal(va_kind_name(VA_USER), "user");
	assert_string_equal(va_kind_name(VA_NONCANONICAL), "non-canonical");
	assert_string_equal(va_kind_name(VA_KERNEL), "kernel");
}

static void test_pa_bound_is_52_bits(void **state)
{
	(void)state;
	assert_true(pa_valid(0));
	assert_true(pa_valid(0xfffffffffffffULL));	/* 2^52 - 1 */
	assert_false(pa_valid(0x10000000000000ULL));	/* 2^52 */
	assert_false(pa_valid(~0ULL));
}

/* Past the last page frame of System RAM there is no struct page. */
static void test_beyond_ram(void **state)
{
	struct translate_ctx c;
	struct translation t = { .pa = 0x63ffff123 };

	(void)state;
	ctx_l4(&c);
	c.ram_end = 0x63fffffffULL;	/* iomem: System RAM ...-63fffffff, 24 GiB */
	translate_fill_from_pa(&c, &t);
	assert_false(t.beyond_ram);
	assert_int_equal(t.struct_page, c.vmemmap_base + 0x63ffffULL * 64);
	t.pa = 0x640000000ULL;
	translate_fill_from_pa(&c, &t);
	assert_true(t.beyond_ram);
	assert_false(translation_has_struct_page(&t));
	/* where the section's memmap is known, it decides */
	t.memmap.state = MEMMAP_PRESENT;
	assert_true(translation_has_struct_page(&t));
	t.memmap.state = MEMMAP_UNKNOWN;
	assert_int_equal(t.ram_last_pfn, 0x63ffff);
	assert_int_equal(t.direct_map_alias, c.page_offset_base + 0x640000000ULL);
	c.ram_end = 0;			/* unknown: no claim either way */
	translate_fill_from_pa(&c, &t);
	assert_false(t.beyond_ram);
}

/* walk_agrees compares the same byte: offset kept on both sides. */
static void test_walk_agrees_like_with_like(void **state)
{
	struct translation t = {
		.have_pa = true, .pa = 0x13f4edff8, .method = PA_WALK, .have_walk = true,
		.walk = { .status = WALK_OK, .pa = 0x13f4edff8, .page_size = 4096 },
	};

	(void)state;
	translate_check_walk(&t);		/* a user address: pa is walk_pa */
	assert_true(t.walk_compared);
	assert_true(t.walk_agrees);
	t.method = PA_DIRECT_MAP;
	t.walk.pa = 0x13f4ed000;		/* the page, not the byte: differs */
	translate_check_walk(&t);
	assert_true(t.walk_compared);
	assert_false(t.walk_agrees);
	t.method = PA_STRUCT_PAGE;		/* where it is stored vs what it describes */
	translate_check_walk(&t);
	assert_false(t.walk_compared);
	assert_false(t.walk_agrees);
	t.method = PA_GIVEN;
	t.walk.status = WALK_NOT_PRESENT;	/* nothing to compare with */
	translate_check_walk(&t);
	assert_false(t.walk_compared);
}

static void parse_status(const char *text, struct proc_status *st)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	assert_non_null(f);
	assert_int_equal(proc_status_parse(f, st), 0);
	fclose(f);
}

/* Zombies, kernel threads and threads of a process each get their own answer. */
static void test_process_problems(void **state)
{
	struct proc_status st;
	char buf[200];

	(void)state;
	parse_status("Name:\tpython3\nState:\tZ (zombie)\nTgid:\t1608\nPid:\t1608\n"
		     "Threads:\t1\n", &st);
	assert_string_equal(st.name, "python3");
	assert_int_equal(st.kthread, -1);	/* no Kthread: line (older kernels) */
	assert_non_null(strstr(process_problem(&st, 1608, buf, sizeof(buf)), "is a zombie"));
	assert_null(strstr(buf, "kernel thread"));

	parse_status("Name:\tpython3\nState:\tZ (zombie)\nTgid:\t1523\nThreads:\t3\n", &st);
	assert_non_null(strstr(process_problem(&st, 1523, buf, sizeof(buf)),
			       "main thread of pid 1523"));

	parse_status("Name:\tkthreadd\nState:\tS (sleeping)\nTgid:\t2\nThreads:\t1\n"
		     "Kthread:\t1\n", &st);
	assert_non_null(strstr(process_problem(&st, 2, buf, sizeof(buf)), "kernel thread"));

	/* a thread's own status names its process in Tgid */
	parse_status("Name:\tpython3\nState:\tS (sleeping)\nTgid:\t1523\nPid:\t1598\n"
		     "Threads:\t2\nKthread:\t0\n", &st);
	assert_int_equal(st.tgid, 1523);
	assert_int_equal(st.threads, 2);
	assert_int_equal(st.kthread, 0);
	assert_null(process_problem(&st, 1523, buf, sizeof(buf)));
}

/* Text and JSON label what the address is, and leave out what does not exist. */
static void test_labels_in_text_and_json(void **state)
{
	static const struct { enum translate_input in; bool parsed; enum va_kind k;
			      const char *kind, *what; } cases[] = {
		{ TIN_VIRTUAL, true, VA_USER, "user", "user address, no process given" },
		{ TIN_VIRTUAL, true, VA_NONCANONICAL, "non-canonical", "non-canonical address" },
		{ TIN_VIRTUAL, true, VA_KERNEL, "kernel", "kernel address" },
		{ TIN_PHYSICAL, true, VA_USER, "physical", "physical address" },
		{ TIN_VIRTUAL, false, VA_USER, NULL, NULL },
	};
	char *text;
	size_t len;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct translation t = { .in_kind = cases[i].in, .parsed = cases[i].parsed,
					 .va_kind = cases[i].k };
		json_t *o = translation_json(&t);
		FILE *f = open_memstream(&text, &len);

		if (cases[i].kind) {
			assert_string_equal(json_string_value(json_object_get(o, "kind")),
					    cases[i].kind);
			assert_string_equal(json_string_value(json_object_get(o, "what")),
					    cases[i].what);
		} else {
			assert_true(json_is_null(json_object_get(o, "kind")));
		}
		translation_text(&t, false, f);
		fclose(f);
		if (cases[i].what)
			assert_non_null(strstr(text, cases[i].what));
		free(text);
		json_decref(o);
	}
}

static void test_no_struct_page_printed(void **state)
{
	struct translation t = {
		.in_kind = TIN_PHYSICAL, .parsed = true, .have_pa = true, .method = PA_GIVEN,
		.pa = 0xfffffffffffffULL, .beyond_ram = true, .ram_last_pfn = 0x63ffff,
		.beyond_direct_map = true,
	};
	json_t *o = translation_json(&t);
	char *text;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	translation_text(&t, false, f);
	fclose(f);
	assert_non_null(strstr(text, "beyond the end of System RAM"));
	assert_non_null(strstr(text, "struct page   none: pfn 0xffffffffff is beyond the last page frame of System RAM (0x63ffff)"));
	assert_non_null(strstr(text, "direct map    none:"));
	assert_null(strstr(text, "0xffffea"));
	assert_true(json_is_null(json_object_get(o, "struct_page")));
	assert_non_null(strstr(json_string_value(json_object_get(o, "no_struct_page")), "0x63ffff"));
	assert_true(json_is_null(json_object_get(o, "direct_map_alias")));
	assert_true(json_is_null(json_object_get(o, "walk_agrees")));
	free(text);
	json_decref(o);
}

/* This machine's kallsyms: no KALLSYMS_ALL, so no __init_end, _sdata or __end_rodata. */
static const char kallsyms_text_only[] =
	"ffffffff81000000 T _stext\n"
	"ffffffff81000000 T _text\n"
	"ffffffff82259b00 T _etext\n"
	"ffffffff82400000 D __start_rodata\n"
	"ffffffff83576000 T _sinittext\n"
	"ffffffff83576000 B __init_begin\n"
	"ffffffff83583300 T startup_64\n"
	"ffffffff835ec770 T _einittext\n"
	"ffffffffc0a01000 t _etext\t[fake_module]\n";

/* A KALLSYMS_ALL kernel publishes every bound. */
static const char kallsyms_all[] =
	"ffffffff81000000 T _text\n"
	"ffffffff81e02a51 T _etext\n"
	"ffffffff82000000 D __start_rodata\n"
	"ffffffff826b4e08 D __end_rodata\n"
	"ffffffff82800000 D _sdata\n"
	"ffffffff82c4b000 D __init_begin\n"
	"ffffffff82c4b000 T _sinittext\n"
	"ffffffff82c5a5e0 T startup_64\n"
	"ffffffff82cb90d2 T _einittext\n"
	"ffffffff83000000 D __init_end\n";

static void bounds_from(const char *kallsyms, struct image_bounds *b)
{
	FILE *f = fmemopen((void *)kallsyms, strlen(kallsyms), "r");

	assert_non_null(f);
	image_bounds_parse(f, b);
	fclose(f);
}

/* Which range an address is in, or FREED_NONE. */
static enum freed_region freed_at(const struct image_bounds *b, uint64_t va)
{
	struct freed_range r;

	return image_freed_range(b, va, &r) ? r.region : FREED_NONE;
}

/* Without __init_end, init text's end bounds initmem; a gap needs both its bounds. */
static void test_freed_ranges_text_symbols_only(void **state)
{
	struct image_bounds b;
	struct freed_range r;

	(void)state;
	bounds_from(kallsyms_text_only, &b);
	assert_int_equal(b.etext, 0xffffffff82259b00ULL);	/* not the module's */
	assert_int_equal(b.init_end, 0);
	assert_int_equal(b.sdata, 0);
	assert_true(image_freed_range(&b, 0xffffffff83583300ULL, &r));	/* startup_64 */
	assert_int_equal(r.region, FREED_INITMEM);
	assert_int_equal(r.start, 0xffffffff83576000ULL);
	assert_int_equal(r.end, 0xffffffff835ed000ULL);	/* _einittext's page is freed too */
	assert_string_equal(r.start_sym, "__init_begin");
	assert_string_equal(r.end_sym, "_einittext");
	assert_string_equal(freed_region_name(r.region), "initmem");
	/* past init text the bound is unknown: no claim */
	assert_int_equal(freed_at(&b, 0xffffffff835ed000ULL), FREED_NONE);
	assert_int_equal(freed_at(&b, 0xffffffff83575fffULL), FREED_NONE);
	/* _etext's own page stays mapped: the gap starts at the next page */
	assert_int_equal(freed_at(&b, 0xffffffff82259affULL), FREED_NONE);
	assert_int_equal(freed_at(&b, 0xffffffff82259fffULL), FREED_NONE);
	assert_true(image_freed_range(&b, 0xffffffff8225a000ULL, &r));
	assert_int_equal(r.region, FREED_TEXT_RODATA);
	assert_string_equal(r.end_sym, "__start_rodata");
	assert_int_equal(freed_at(&b, 0xffffffff823fffffULL), FREED_TEXT_RODATA);
	assert_int_equal(freed_at(&b, 0xffffffff82400000ULL), FREED_NONE);
	assert_int_equal(freed_at(&b, 0xffffffff81000000ULL), FREED_NONE);
}

static void test_freed_ranges_kallsyms_all(void **state)
{
	struct image_bounds b;
	struct freed_range r;

	(void)state;
	bounds_from(kallsyms_all, &b);
	assert_true(image_freed_range(&b, 0xffffffff82c5a5e0ULL, &r));
	assert_int_equal(r.region, FREED_INITMEM);
	assert_string_equal(r.end_sym, "__init_end");
	assert_int_equal(r.end, 0xffffffff83000000ULL);
	assert_int_equal(freed_at(&b, 0xffffffff82ffffffULL), FREED_INITMEM);	/* init data */
	assert_int_equal(freed_at(&b, 0xffffffff83000000ULL), FREED_NONE);
	assert_true(image_freed_range(&b, 0xffffffff826b5000ULL, &r));
	assert_int_equal(r.region, FREED_RODATA_DATA);
	assert_int_equal(r.start, 0xffffffff826b5000ULL);
	assert_string_equal(r.start_sym, "__end_rodata");
	assert_string_equal(freed_region_name(r.region), "rodata/data gap");
	assert_int_equal(freed_at(&b, 0xffffffff826b4fffULL), FREED_NONE);
	assert_int_equal(freed_at(&b, 0xffffffff82800000ULL), FREED_NONE);	/* _sdata */
	assert_int_equal(freed_at(&b, 0xffffffff81e03000ULL), FREED_TEXT_RODATA);
	/* censored kallsyms (all zeros) bounds nothing */
	bounds_from("0000000000000000 B __init_begin\n0000000000000000 T _einittext\n", &b);
	assert_int_equal(freed_at(&b, 0xffffffff82c5a5e0ULL), FREED_NONE);
}

/* Labelled only where the walk finds it unmapped: a mapped one is not freed yet. */
static void test_freed_label_needs_an_unmapped_page(void **state)
{
	struct translate_ctx c;
	struct translation t = { .addr = 0xffffffff83583300ULL, .have_walk = true,
				 .walk = { .status = WALK_NOT_PRESENT } };
	char *text;
	size_t len;
	FILE *f;
	json_t *o, *freed;

	(void)state;
	ctx_l4(&c);
	bounds_from(kallsyms_text_only, &c.image);
	t.region = region_of(&c.regions, t.addr);
	translate_label_freed(&c, &t);
	assert_int_equal(t.freed.region, FREED_INITMEM);

	o = translation_json(&t);
	freed = json_object_get(o, "freed_after_boot");
	assert_string_equal(json_string_value(json_object_get(freed, "region")), "initmem");
	assert_string_equal(json_string_value(json_object_get(freed, "end_symbol")), "_einittext");
	assert_string_equal(json_string_value(json_object_get(freed, "start")), "0xffffffff83576000");
	json_decref(o);
	f = open_memstream(&text, &len);
	translation_text(&t, false, f);
	fclose(f);
	assert_non_null(strstr(text, "freed after boot: initmem [0xffffffff83576000, 0xffffffff835ed000)"));
	assert_non_null(strstr(text, "from __init_begin to _einittext (this kernel does not publish __init_end)"));
	free(text);

	memset(&t.freed, 0, sizeof(t.freed));
	t.walk.status = WALK_OK;		/* not freed yet: a present 4K leaf */
	t.walk.nr_steps = 1;
	t.walk.steps[0].entry = 0x1;
	translate_label_freed(&c, &t);
	assert_int_equal(t.freed.region, FREED_NONE);
	o = translation_json(&t);
	assert_null(json_object_get(o, "freed_after_boot"));
	json_decref(o);
	t.walk.status = WALK_NOT_PRESENT;	/* a direct-map address is no image part */
	t.addr = c.page_offset_base + 0x3583300;
	t.region = region_of(&c.regions, t.addr);
	translate_label_freed(&c, &t);
	assert_int_equal(t.freed.region, FREED_NONE);
}

/* A layout as 6.18's BTF gives it (struct page of 64 bytes, PGTY_* types). */
static void layout_618(struct page_layout *l)
{
	static const char *const names[] = { "PG_locked", "PG_writeback", "PG_referenced",
		"PG_uptodate", "PG_dirty", "PG_lru", "PG_head" };

	memset(l, 0, sizeof(*l));
	l->page_size = 64;
	l->off_compound_head = 8;
	l->off_mapping = 24;
	l->off_mapcount = 48;
	l->off_refcount = 52;
	l->have_memcg = true;
	l->off_memcg = 56;
	l->memcg_flag_mask = 3;
	l->memcg_objexts = 1;
	l->memcg_kmem = 2;
	l->nr_pageflags = 24;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		l->flag_names[i] = names[i];
	l->head_bit = 6;
	l->slab_bit = -1;
	l->type_scheme = PTYPE_TOP_BYTE;
	l->types[l->nr_types++] = (struct named_value){ "buddy", 0xf0 };
	l->types[l->nr_types++] = (struct named_value){ "slab", 0xf5 };
	l->order_at = ORDER_FLAGS_1;
	l->off_order = 64;
	l->have_entire_mapcount = true;
	l->off_entire_mapcount = 64 + 24;
	l->have_large_mapcount = true;
	l->off_large_mapcount = 64 + 16;
}

static void put64(uint8_t *b, uint32_t off, uint64_t v)
{
	memcpy(b + off, &v, 8);
}

static void put32(uint8_t *b, uint32_t off, uint32_t v)
{
	memcpy(b + off, &v, 4);
}

/* Flags by name, only the low bits; mapcount, refcount, anon mapping, memcg. */
static void test_page_decode_small_anon(void **state)
{
	uint8_t page[FOLIO_READ_MAX] = { 0 };
	struct page_layout l;
	struct page_info pi;
	char buf[256];

	(void)state;
	layout_618(&l);
	/* node/zone/section bits high up are no flags */
	put64(page, 0, (1ull << 5) | (1ull << 2) | (0x17fffull << 40));
	put64(page, 24, 0xffff888100000001ull);
	put32(page, 48, 0);		/* _mapcount 0: mapped once */
	put32(page, 52, 2);
	put64(page, 56, 0xffff888123456000ull);
	page_decode(&l, 0x1234, 0xffffea0000048d00ull, page, page, &pi);
	assert_string_equal(page_flags_str(&l, pi.flags, buf, sizeof(buf)), "PG_referenced PG_lru");
	assert_false(pi.tail);
	assert_false(pi.large);
	assert_int_equal(pi.head_pfn, 0x1234);
	assert_int_equal(pi.mapcount, 1);
	assert_int_equal(pi.refcount, 2);
	assert_null(pi.type_name);
	assert_int_equal(pi.mapping_kind, MAP_ANON);
	assert_int_equal(pi.memcg_kind, MEMCG_PLAIN);
	assert_int_equal(pi.memcg_ptr, 0xffff888123456000ull);
	/* the kmem flag: an obj_cgroup; objexts: a slab's vector */
	put64(page, 56, 0xffff888123456002ull);
	page_decode(&l, 0x1234, 0xffffea0000048d00ull, page, page, &pi);
	assert_int_equal(pi.memcg_kind, MEMCG_KMEM);
	assert_int_equal(pi.memcg_ptr, 0xffff888123456000ull);
	put64(page, 56, 0xffff888123456001ull);
	page_decode(&l, 0x1234, 0xffffea0000048d00ull, page, page, &pi);
	assert_int_equal(pi.memcg_kind, MEMCG_OBJEXTS);
	/* a file mapping, and KSM's both bits */
	put64(page, 24, 0xffff888100000040ull);
	page_decode(&l, 0x1234, 0xffffea0000048d00ull, page, page, &pi);
	assert_int_equal(pi.mapping_kind, MAP_FILE);
	put64(page, 24, 0xffff888100000043ull);
	page_decode(&l, 0x1234, 0xffffea0000048d00ull, page, page, &pi);
	assert_int_equal(pi.mapping_kind, MAP_KSM);
}

/* A page type in _mapcount's place: no mapcount, and the mapping is no mapping. */
static void test_page_decode_types(void **state)
{
	uint8_t page[FOLIO_READ_MAX] = { 0 };
	struct page_layout l;
	struct page_info pi;

	(void)state;
	layout_618(&l);
	put32(page, 48, 0xf0000000);
	page_decode(&l, 1, 0xffffea0000000040ull, page, page, &pi);
	assert_string_equal(pi.type_name, "buddy");
	assert_true(pi.has_type);
	assert_int_equal(pi.mapcount, 0);
	assert_int_equal(pi.mapping_kind, MAP_NOT_MAPPING);
	put32(page, 48, 0xf5000000);
	page_decode(&l, 1, 0xffffea0000000040ull, page, page, &pi);
	assert_int_equal(pi.mapping_kind, MAP_SLAB);
	/* -1 (unmapped) and 0xff...: no type */
	assert_null(page_type_name(&l, 0xffffffff));
	assert_null(page_type_name(&l, 5));
	/* 6.9-6.11: a type is a bit cleared below PAGE_TYPE_BASE */
	l.type_scheme = PTYPE_INVERTED_BITS;
	l.type_base = 0x80000000;
	l.nr_types = 0;
	l.types[l.nr_types++] = (struct named_value){ "buddy", 0x80 };
	l.types[l.nr_types++] = (struct named_value){ "table", 0x200 };
	assert_string_equal(page_type_name(&l, 0xffffffff & ~0x200u & ~0x7fff0000u), "table");
	assert_null(page_type_name(&l, 0xffffffff));
	l.type_scheme = PTYPE_NONE;
	assert_null(page_type_name(&l, 0xf0000000));
}

/* A THP's head and a tail: order in _flags_1, mapcounts from the folio. */
static void test_page_decode_folio(void **state)
{
	uint8_t head[FOLIO_READ_MAX] = { 0 }, tail[FOLIO_READ_MAX] = { 0 };
	uint64_t head_addr = 0xffffea0004270000ull;
	struct page_layout l;
	struct page_info pi;

	(void)state;
	layout_618(&l);
	put64(head, 0, (1ull << 6) | (1ull << 5));
	put32(head, 48, 0xffffffff);		/* head's own _mapcount -1 */
	put32(head, 52, 1);
	put64(head, 24, 0xffff888100000001ull);
	put64(head, 64, 9);			/* _flags_1: order 9 */
	put32(head, 64 + 16, 0);		/* _large_mapcount 0: once */
	put32(head, 64 + 24, 0);		/* _entire_mapcount 0: once by PMD */
	page_decode(&l, 0x109c00, head_addr, head, head, &pi);
	assert_true(pi.large);
	assert_false(pi.tail);
	assert_true(pi.order_known);
	assert_int_equal(pi.order, 9);
	assert_int_equal(pi.mapcount, 1);
	assert_int_equal(pi.entire_mapcount, 1);
	assert_int_equal(pi.large_mapcount, 1);
	put64(tail, 8, head_addr | 1);
	put32(tail, 48, 0xffffffff);
	page_decode(&l, 0x109c12, head_addr + 0x12 * 64, tail, head, &pi);
	assert_true(pi.tail);
	assert_int_equal(pi.head_addr, head_addr);
	assert_int_equal(pi.head_pfn, 0x109c00);
	assert_int_equal(pi.mapcount, 1);
	assert_int_equal(pi.mapping_kind, MAP_ANON);
	assert_int_equal(pi.order, 9);
	/* 7.x: compound_info holds a mask for the tail's own address */
	put64(tail, 8, ~((1ull << (9 + 6)) - 1) | 1);
	page_decode(&l, 0x109c12, head_addr + 0x12 * 64, tail, head, &pi);
	assert_true(pi.tail);
	assert_int_equal(pi.head_addr, head_addr);
	assert_int_equal(page_compound_head(head_addr | 1, head_addr + 0x12 * 64, 64), head_addr);
	assert_int_equal(page_compound_head(head_addr, head_addr, 64), 0);
	/* 6.1: a byte in the folio; before folios: page[1].compound_order */
	l.order_at = ORDER_FOLIO_ORDER;
	l.off_order = 64 + 17;
	head[64 + 17] = 4;
	page_decode(&l, 0x109c00, head_addr, head, head, &pi);
	assert_int_equal(pi.order, 4);
}

/* SPARSEMEM: 128 MiB sections, 256 to a root; nodes and zones by pfn. */
static void test_sections_and_zones(void **state)
{
	struct page_ranges r = { .nr_nodes = 1, .nr_zones = 3 };
	struct section_pos pos;
	const char *zone;
	int node;

	(void)state;
	section_of_pfn(0xc0001, 27, 256, &pos);
	assert_int_equal(pos.nr, 24);
	assert_int_equal(pos.root, 0);
	assert_int_equal(pos.index, 24);
	section_of_pfn(0x640000, 27, 256, &pos);
	assert_int_equal(pos.nr, 200);
	section_of_pfn(1ull << 31, 27, 256, &pos);
	assert_int_equal(pos.root, 256);
	assert_int_equal(pos.index, 0);
	r.nodes[0] = (struct pfn_range){ 1, 0x63ffff, 0, NULL };
	r.zones[0] = (struct pfn_range){ 1, 0xfff, 0, "DMA" };
	r.zones[1] = (struct pfn_range){ 0x1000, 0xff000, 0, "DMA32" };
	r.zones[2] = (struct pfn_range){ 0x100000, 0x540000, 0, "NORMAL" };
	page_locate(&r, 0x9f, &node, &zone);
	assert_int_equal(node, 0);
	assert_string_equal(zone, "DMA");
	page_locate(&r, 0x109c00, &node, &zone);
	assert_string_equal(zone, "NORMAL");
	page_locate(&r, 0x640000, &node, &zone);
	assert_int_equal(node, -1);
	assert_null(zone);
}

/* No memmap for a section: said instead of a struct page address. */
static void test_no_memmap_reason(void **state)
{
	struct translation t = { .pa = 0xc0001000 };
	char why[320];

	(void)state;
	t.memmap.state = MEMMAP_NONE;
	t.memmap.section_nr = 24;
	assert_false(translation_has_struct_page(&t));
	assert_non_null(strstr(no_struct_page_reason(&t, why, sizeof(why)),
			       "memory section 24, which has no memmap"));
	t.memmap.state = MEMMAP_PRESENT;
	assert_true(translation_has_struct_page(&t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_swap_entry_round_trip),
		cmocka_unit_test(test_special_and_empty_entries),
		cmocka_unit_test(test_arithmetic_by_region),
		cmocka_unit_test(test_fill_from_pa),
		cmocka_unit_test(test_reject),
		cmocka_unit_test(test_va_kinds),
		cmocka_unit_test(test_pa_bound_is_52_bits),
		cmocka_unit_test(test_beyond_ram),
		cmocka_unit_test(test_page_decode_small_anon),
		cmocka_unit_test(test_page_decode_types),
		cmocka_unit_test(test_page_decode_folio),
		cmocka_unit_test(test_sections_and_zones),
		cmocka_unit_test(test_no_memmap_reason),
		cmocka_unit_test(test_walk_agrees_like_with_like),
		cmocka_unit_test(test_process_problems),
		cmocka_unit_test(test_labels_in_text_and_json),
		cmocka_unit_test(test_no_struct_page_printed),
		cmocka_unit_test(test_freed_ranges_text_symbols_only),
		cmocka_unit_test(test_freed_ranges_kallsyms_all),
		cmocka_unit_test(test_freed_label_needs_an_unmapped_page),
	};

	return cmocka_run_group_tests_name("translate (pure)", tests, NULL, NULL);
}
