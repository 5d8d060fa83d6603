// SPDX-License-Identifier: GPL-2.0
/* Unit tests for src/core/vmcoreinfo.c: the VMCOREINFO ELF note and its keys. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "vmcoreinfo.h"

/* Elf64_Nhdr, as the kernel lays it out in kernel/vmcore_info.c */
struct nhdr {
	uint32_t namesz;
	uint32_t descsz;
	uint32_t type;
};

#define NOTE_NAME_PADDED 12	/* "VMCOREINFO\0" is 11 bytes, padded to 4 */
#define DESC_OFF (sizeof(struct nhdr) + NOTE_NAME_PADDED)

static const char sample_text[] =
	"OSRELEASE=6.8.0-kvas\n"
	"PAGESIZE=4096\n"
	"SYMBOL(_stext)=ffffffff81000000\n"
	"SYMBOL(_text)=ffffffff81000000\n"
	"SYMBOL(init_top_pgt)=ffffffff83a18000\n"
	"NUMBER(VMALLOC_START)=0xffffc90000000000\n"
	"NUMBER(phys_base)=-16777216\n"
	"NUMBER(pgtable_l5_enabled)=1\n"
	"NUMBER(page_offset_base_garbage)=12abc\n"
	"NUMBER(empty)=\n"
	"SYMBOL(bad_hex)=ffffzz\n"
	"KERNELOFFSET=3a000000\n"
	"CRASHTIME=1700000000";	/* last line without a newline */

static union {
	uint64_t align;
	unsigned char b[8192];
} nbuf;

/* Write a note at nbuf; returns the number of bytes it occupies. */
static size_t make_note(const char *name, uint32_t namesz, uint32_t type,
			const char *desc, uint32_t descsz)
{
	struct nhdr h = { .namesz = namesz, .descsz = descsz, .type = type };
	size_t name_pad = (namesz + 3) & ~3u;

	memset(nbuf.b, 0, sizeof(nbuf.b));
	memcpy(nbuf.b, &h, sizeof(h));
	memcpy(nbuf.b + sizeof(h), name, namesz);
	memcpy(nbuf.b + sizeof(h) + name_pad, desc, strlen(desc));
	return sizeof(h) + name_pad + ((descsz + 3) & ~3u);
}

static size_t make_good_note(const char *desc)
{
	return make_note("VMCOREINFO", 11, 0, desc, strlen(desc));
}

static void load_sample(struct vmcoreinfo *vi)
{
	const char *why = NULL;
	size_t len = make_good_note(sample_text);

	assert_int_equal(vmcoreinfo_parse_note(nbuf.b, len, vi, &why), 0);
}

static void test_parse_ok(void **state)
{
	static struct vmcoreinfo vi;
	const char *why = NULL;
	size_t len;

	(void)state;
	len = make_good_note(sample_text);
	assert_int_equal(len, DESC_OFF + ((strlen(sample_text) + 3) & ~3u));
	assert_int_equal(vmcoreinfo_parse_note(nbuf.b, len, &vi, &why), 0);
	assert_int_equal(vi.len, strlen(sample_text));
	assert_string_equal(vi.text, sample_text);
}

static void test_parse_exact_length(void **state)
{
	static struct vmcoreinfo vi;
	const char *why = NULL;
	const char *desc = "PAGESIZE=4096\n";	/* 14 bytes, not padded */

	(void)state;
	make_good_note(desc);
	/* The buffer ends right after the descriptor, without padding. */
	assert_int_equal(vmcoreinfo_parse_note(nbuf.b, DESC_OFF + strlen(desc),
					       &vi, &why), 0);
	assert_string_equal(vi.text, desc);
}

static void test_parse_stops_at_nul(void **state)
{
	static struct vmcoreinfo vi;
	const char *why = NULL;
	size_t len;

	(void)state;
	/* descsz covers padding zeros after the text: len is the text's. */
	len = make_note("VMCOREINFO", 11, 0, "PAGESIZE=4096\n", 32);
	assert_int_equal(vmcoreinfo_parse_note(nbuf.b, len, &vi, &why), 0);
	assert_int_equal(vi.len, strlen("PAGESIZE=4096\n"));
	assert_string_equal(vi.text, "PAGESIZE=4096\n");
}

static void test_parse_wrong_name(void **state)
{
	static struct vmcoreinfo vi;
	const char *why = NULL;
	size_t len;

	(void)state;
	len = make_note("VMCOREINFX", 11, 0, "PAGESIZE=4096\n", 14);
	assert_int_equal(vmcoreinfo_parse_note(nbuf.b, len, &vi, &why), -EINVAL);
	assert_non_null(why);
	assert_true(strlen(why) > 0);
}

static void test_parse_wrong_namesz(void **state)
{
	static struct vmcoreinfo vi;
	const char *why = NULL;
	size_t len;

	(void)state;
	/* "CORE\0" (an NT_PRSTATUS note) is not VMCOREINFO. */
	len = make_note("CORE", 5, 0, "PAGESIZE=4096\n", 14);
	assert_int_equal(vmcoreinfo_parse_note(nbuf.b, len, &vi, &why), -EINVAL);
	assert_non_null(why);
}

static void test_parse_wrong_type(void **state)
{
	static struct vmcoreinfo vi;
	const char *why = NULL;
	size_t len;

	(void)state;
	len = make_note("VMCOREINFO", 11, 1, "PAGESIZE=4096\n", 14);
	assert_int_equal(vmcoreinfo_parse_note(nbuf.b, len, &vi, &why), -EINVAL);
	assert_non_null(why);
}

static void test_parse_garbage(void **state)
{
	static struct vmcoreinfo vi;
	const char *why = NULL;

	(void)state;
	/* What a read at a wrong direct-map base looks like: noise. */
	memset(nbuf.b, 0xcc, 256);
	assert_int_equal(vmcoreinfo_parse_note(nbuf.b, 256, &vi, &why), -EINVAL);
	assert_non_null(why);
	why = NULL;
	memset(nbuf.b, 0, 256);
	assert_int_equal(vmcoreinfo_parse_note(nbuf.b, 256, &vi, &why), -EINVAL);
	assert_non_null(why);
}

static void test_parse_desc_too_large(void **state)
{
	static struct vmcoreinfo vi;
	const char *why = NULL;
	size_t len;

	(void)state;
	len = make_note("VMCOREINFO", 11, 0, "PAGESIZE=4096\n", 14);
	assert_int_equal(len, DESC_OFF + 16);
	/* descsz claims more than the buffer holds */
	((struct nhdr *)nbuf.b)->descsz = 17;
	assert_int_equal(vmcoreinfo_parse_note(nbuf.b, len, &vi, &why), -EINVAL);
	assert_non_null(why);
	/* and more than the text can hold, in a buffer large enough */
	why = NULL;
	((struct nhdr *)nbuf.b)->descsz = VMCOREINFO_MAX_TEXT + 1;
	assert_int_equal(vmcoreinfo_parse_note(nbuf.b, sizeof(nbuf.b), &vi, &why),
			 -EINVAL);
	assert_non_null(why);
	/* and a huge descsz that would wrap an addition */
	why = NULL;
	((struct nhdr *)nbuf.b)->descsz = 0xffffffffu;
	assert_int_equal(vmcoreinfo_parse_note(nbuf.b, len, &vi, &why), -EINVAL);
	assert_non_null(why);
}

static void test_parse_too_short(void **state)
{
	static struct vmcoreinfo vi;
	const char *why;

	(void)state;
	make_good_note("PAGESIZE=4096\n");
	why = NULL;
	assert_int_equal(vmcoreinfo_parse_note(nbuf.b, 0, &vi, &why), -EINVAL);
	assert_non_null(why);
	why = NULL;
	assert_int_equal(vmcoreinfo_parse_note(nbuf.b, sizeof(struct nhdr), &vi,
					       &why), -EINVAL);
	assert_non_null(why);
}

/*
 * The header and the 11-byte name fit in 23 bytes, but not the name's
 * padding: a descriptor would start at byte 24, past the end of the buffer.
 */
static void test_parse_short_of_padding(void **state)
{
	static struct vmcoreinfo vi;
	const char *why = NULL;

	(void)state;
	make_good_note("P");	/* descsz 1 */
	assert_int_equal(vmcoreinfo_parse_note(nbuf.b, sizeof(struct nhdr) + 11,
					       &vi, &why), -EINVAL);
	assert_non_null(why);
}

static void test_get(void **state)
{
	static struct vmcoreinfo vi;
	char out[64];

	(void)state;
	load_sample(&vi);
	assert_ptr_equal(vmcoreinfo_get(&vi, "OSRELEASE", out, sizeof(out)), out);
	assert_string_equal(out, "6.8.0-kvas");
	assert_non_null(vmcoreinfo_get(&vi, "SYMBOL(init_top_pgt)", out, sizeof(out)));
	assert_string_equal(out, "ffffffff83a18000");
	/* the last line has no newline */
	assert_non_null(vmcoreinfo_get(&vi, "CRASHTIME", out, sizeof(out)));
	assert_string_equal(out, "1700000000");
	/* an empty value is present, and empty */
	assert_non_null(vmcoreinfo_get(&vi, "NUMBER(empty)", out, sizeof(out)));
	assert_string_equal(out, "");
}

static void test_get_prefix_keys(void **state)
{
	static struct vmcoreinfo vi;
	const char *why = NULL;
	char out[64];
	const char *text =
		"SYMBOL(_stext)=ffffffff81000000\n"
		"SYMBOL(_text_end)=ffffffff82000000\n"
		"SYMBOL(_text)=ffffffff80200000\n"
		"PAGESIZE_EXTRA=1\n"
		"PAGESIZE=4096\n";

	(void)state;
	assert_int_equal(vmcoreinfo_parse_note(nbuf.b, make_good_note(text),
					       &vi, &why), 0);
	/* "_text)" is a substring of "_stext)": still the right line */
	assert_non_null(vmcoreinfo_get(&vi, "SYMBOL(_text)", out, sizeof(out)));
	assert_string_equal(out, "ffffffff80200000");
	assert_non_null(vmcoreinfo_get(&vi, "SYMBOL(_stext)", out, sizeof(out)));
	assert_string_equal(out, "ffffffff81000000");
	assert_non_null(vmcoreinfo_get(&vi, "SYMBOL(_text_end)", out, sizeof(out)));
	assert_string_equal(out, "ffffffff82000000");
	/* a key that is a prefix of an earlier key */
	assert_non_null(vmcoreinfo_get(&vi, "PAGESIZE", out, sizeof(out)));
	assert_string_equal(out, "4096");
	/* a prefix of keys is no key */
	assert_null(vmcoreinfo_get(&vi, "SYMBOL(_text", out, sizeof(out)));
	assert_null(vmcoreinfo_get(&vi, "SYMBOL", out, sizeof(out)));
	assert_null(vmcoreinfo_get(&vi, "PAGE", out, sizeof(out)));
	assert_null(vmcoreinfo_get(&vi, "text)", out, sizeof(out)));
}

static void test_get_missing(void **state)
{
	static struct vmcoreinfo vi;
	char out[64];
	uint64_t v = 0x1234;

	(void)state;
	load_sample(&vi);
	assert_null(vmcoreinfo_get(&vi, "SYMBOL(swapper_pg_dir)", out, sizeof(out)));
	assert_null(vmcoreinfo_get(&vi, "NUMBER(phys_base_x)", out, sizeof(out)));
	assert_false(vmcoreinfo_get_u64(&vi, "SYMBOL(swapper_pg_dir)", &v));
	/* a value, not a key */
	assert_null(vmcoreinfo_get(&vi, "4096", out, sizeof(out)));
}

static void test_get_truncates(void **state)
{
	static struct vmcoreinfo vi;
	char out[8];

	(void)state;
	memset(out, 'X', sizeof(out));
	load_sample(&vi);
	assert_non_null(vmcoreinfo_get(&vi, "SYMBOL(_stext)", out, 5));
	assert_string_equal(out, "ffff");
	assert_int_equal(out[5], 'X');
}

static void test_get_u64(void **state)
{
	static struct vmcoreinfo vi;
	uint64_t v;

	(void)state;
	load_sample(&vi);
	v = 0;
	assert_true(vmcoreinfo_get_u64(&vi, "SYMBOL(_stext)", &v));
	assert_int_equal(v, 0xffffffff81000000ULL);
	v = 0;
	assert_true(vmcoreinfo_get_u64(&vi, "NUMBER(VMALLOC_START)", &v));
	assert_int_equal(v, 0xffffc90000000000ULL);
	v = 0;
	assert_true(vmcoreinfo_get_u64(&vi, "NUMBER(phys_base)", &v));
	assert_int_equal(v, 0xffffffffff000000ULL);	/* -16 MiB */
	assert_int_equal((int64_t)v, -16777216LL);
	v = 0;
	assert_true(vmcoreinfo_get_u64(&vi, "KERNELOFFSET", &v));
	assert_int_equal(v, 0x3a000000ULL);		/* hex, not decimal */
	v = 0;
	assert_true(vmcoreinfo_get_u64(&vi, "NUMBER(pgtable_l5_enabled)", &v));
	assert_int_equal(v, 1);
	v = 0;
	assert_true(vmcoreinfo_get_u64(&vi, "PAGESIZE", &v));
	assert_int_equal(v, 4096);			/* decimal, not 0x4096 */
}

static void test_get_u64_garbage(void **state)
{
	static struct vmcoreinfo vi;
	uint64_t v;

	(void)state;
	load_sample(&vi);
	assert_false(vmcoreinfo_get_u64(&vi, "NUMBER(page_offset_base_garbage)", &v));
	assert_false(vmcoreinfo_get_u64(&vi, "NUMBER(empty)", &v));
	assert_false(vmcoreinfo_get_u64(&vi, "SYMBOL(bad_hex)", &v));
	assert_false(vmcoreinfo_get_u64(&vi, "OSRELEASE", &v));
}

static void test_parse_sysfs(void **state)
{
	uint64_t pa = 0, size = 0;

	(void)state;
	assert_int_equal(vmcoreinfo_parse_sysfs("0x0000000100c66000 1024\n",
						&pa, &size), 0);
	assert_int_equal(pa, 0x100c66000ULL);
	assert_int_equal(size, 0x1024);	/* the kernel prints the size in hex */

	assert_int_equal(vmcoreinfo_parse_sysfs("1ff9e4000 1000", &pa, &size), 0);
	assert_int_equal(pa, 0x1ff9e4000ULL);
	assert_int_equal(size, 0x1000);
}

static void test_parse_sysfs_bad(void **state)
{
	uint64_t pa = 7, size = 9;

	(void)state;
	assert_true(vmcoreinfo_parse_sysfs("", &pa, &size) < 0);
	assert_true(vmcoreinfo_parse_sysfs("\n", &pa, &size) < 0);
	assert_true(vmcoreinfo_parse_sysfs("garbage", &pa, &size) < 0);
	assert_true(vmcoreinfo_parse_sysfs("0x100c66000", &pa, &size) < 0);
	assert_true(vmcoreinfo_parse_sysfs("0x100c66000 zz", &pa, &size) < 0);
	/* the outputs are left alone on failure */
	assert_int_equal(pa, 7);
	assert_int_equal(size, 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_exact_length),
		cmocka_unit_test(test_parse_stops_at_nul),
		cmocka_unit_test(test_parse_wrong_name),
		cmocka_unit_test(test_parse_wrong_namesz),
		cmocka_unit_test(test_parse_wrong_type),
		cmocka_unit_test(test_parse_garbage),
		cmocka_unit_test(test_parse_desc_too_large),
		cmocka_unit_test(test_parse_too_short),
		cmocka_unit_test(test_parse_short_of_padding),
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_get_prefix_keys),
		cmocka_unit_test(test_get_missing),
		cmocka_unit_test(test_get_truncates),
		cmocka_unit_test(test_get_u64),
		cmocka_unit_test(test_get_u64_garbage),
		cmocka_unit_test(test_parse_sysfs),
		cmocka_unit_test(test_parse_sysfs_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
