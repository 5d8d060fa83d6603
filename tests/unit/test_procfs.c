// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for src/core/procfs.c, the /proc and /sys parsers, fed text;
 * and for kallsyms_line() of src/core/ksyms.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ksyms.h"
#include "procfs.h"

static FILE *text_stream(const char *text)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	assert_non_null(f);
	return f;
}

/* ---- /proc/iomem ------------------------------------------------------ */

static const char iomem_text[] =
	"00000000-00000fff : Reserved\n"
	"00001000-0009fbff : System RAM\n"
	"0009fc00-0009ffff : Reserved\n"
	"000a0000-000bffff : PCI Bus 0000:00\n"
	"000c0000-000c99ff : Video ROM\n"
	"000f0000-000fffff : Reserved\n"
	"  000f0000-000fffff : System ROM\n"
	"00100000-bffdffff : System RAM\n"
	"  2e000000-35ffffff : Crash kernel\n"
	"  3a000000-3b002116 : Kernel code\n"
	"  3b200000-3bb3cfff : Kernel rodata\n"
	"  3bc00000-3bf4a67f : Kernel data\n"
	"  3c4bc000-3c9fffff : Kernel bss\n"
	"bffe0000-bfffffff : Reserved\n"
	"c0000000-febfffff : PCI Bus 0000:00\n"
	"  fd000000-fdffffff : 0000:00:02.0\n"
	"    fd000000-fdffffff : bochs-drm\n"
	"  feb80000-febbffff : 0000:00:03.0\n"
	"    feb80000-febbffff : System RAM\n"	/* nested: not top level */
	"fec00000-fec003ff : IOAPIC 0\n"
	"fed00000-fed003ff : HPET 0\n"
	"  fed00000-fed003ff : PNP0103:00\n"
	"fee00000-fee00fff : Local APIC\n"
	"fffc0000-ffffffff : Reserved\n"
	"100000000-63fffffff : System RAM\n"
	"  40c000000-40cffffff : Kernel code\n"	/* not the first one */
	"640000000-6bfffffff : PCI Bus 0000:00\n";

/* iomem_text, parsed; the caller frees it. */
static struct iomem *parsed_iomem(void)
{
	struct iomem *io = calloc(1, sizeof(*io));
	FILE *f = text_stream(iomem_text);

	assert_non_null(io);
	assert_int_equal(iomem_parse(f, io), 0);
	fclose(f);
	return io;
}

static void test_iomem(void **state)
{
	struct iomem *io = parsed_iomem();

	(void)state;
	assert_int_equal(io->nr_ram, 3);
	assert_int_equal(io->ram[0].start, 0x1000);
	assert_int_equal(io->ram[0].end, 0x9fbff);
	assert_int_equal(io->ram[1].start, 0x100000);
	assert_int_equal(io->ram[1].end, 0xbffdffff);
	assert_int_equal(io->ram[2].start, 0x100000000ULL);
	assert_int_equal(io->ram[2].end, 0x63fffffffULL);
	assert_true(io->kernel_code_found);
	assert_int_equal(io->kernel_code.start, 0x3a000000);
	assert_int_equal(io->kernel_code.end, 0x3b002116);
	assert_true(io->kernel_bss_found);
	assert_int_equal(io->kernel_bss.end, 0x3c9fffff);
	assert_false(io->censored);
	/* every top-level line, in order; nested ones are not top level */
	assert_int_equal(io->nr_top, 15);
	assert_string_equal(io->top[0].name, "Reserved");
	assert_int_equal(io->top[0].range.end, 0xfff);
	assert_string_equal(io->top[9].name, "IOAPIC 0");
	assert_string_equal(io->top[14].name, "PCI Bus 0000:00");
	assert_int_equal(io->top[14].range.start, 0x640000000ULL);
	free(io);
}

/* A range is RAM only inside one top-level System RAM line, never nested. */
static void test_iomem_is_ram(void **state)
{
	struct iomem *io = parsed_iomem();

	(void)state;
	assert_true(iomem_is_ram(io, 0x3a000000, 4096));	/* kernel code is RAM */
	assert_true(iomem_is_ram(io, 0xbffdf000, 4096));	/* up to the last byte */
	assert_false(iomem_is_ram(io, 0xbffdf001, 4096));	/* one byte past it */
	assert_false(iomem_is_ram(io, 0xfec00000, 8));		/* IOAPIC */
	assert_false(iomem_is_ram(io, 0xfeb80000, 8));		/* nested "System RAM" */
	assert_false(iomem_is_ram(io, 0x0, 8));			/* Reserved */
	assert_true(iomem_is_ram(io, 0x63ffffff8ULL, 8));
	assert_false(iomem_is_ram(io, 0x100000, 0));		/* nothing to read */
	free(io);
}

static void test_iomem_no_kernel_code(void **state)
{
	struct iomem *io = calloc(1, sizeof(*io));
	FILE *f = text_stream("00001000-0009fbff : System RAM\n"
			      "00100000-bffdffff : System RAM\n"
			      "  3a000000-3b002116 : Kernel codex\n");

	(void)state;
	assert_int_equal(iomem_parse(f, io), 0);
	fclose(f);
	assert_int_equal(io->nr_ram, 2);
	assert_false(io->kernel_code_found);
	assert_false(io->censored);
	free(io);
}

static void test_iomem_censored(void **state)
{
	struct iomem *io = calloc(1, sizeof(*io));
	FILE *f = text_stream("00000000-00000000 : Reserved\n"
			      "00000000-00000000 : System RAM\n"
			      "00000000-00000000 : Reserved\n"
			      "00000000-00000000 : System RAM\n"
			      "  00000000-00000000 : Kernel code\n"
			      "  00000000-00000000 : Kernel rodata\n"
			      "00000000-00000000 : System RAM\n");

	(void)state;
	/* stale values must be cleared by the parser */
	memset(io, 0xff, sizeof(*io));
	assert_int_equal(iomem_parse(f, io), 0);
	fclose(f);
	assert_true(io->censored);
	for (int i = 0; i < io->nr_ram; i++) {
		assert_int_equal(io->ram[i].start, 0);
		assert_int_equal(io->ram[i].end, 0);
	}
	free(io);
}

static void test_iomem_empty(void **state)
{
	struct iomem *io = calloc(1, sizeof(*io));
	FILE *f = text_stream("");

	(void)state;
	assert_int_equal(iomem_parse(f, io), 0);
	fclose(f);
	assert_int_equal(io->nr_ram, 0);
	assert_false(io->kernel_code_found);
	free(io);
}

/* ---- /proc/meminfo and /proc/vmstat ----------------------------------- */

static const char meminfo_head[] =
	"MemTotal:       16318508 kB\n"
	"MemFree:         9735212 kB\n"
	"MemAvailable:   13129772 kB\n"
	"Hugepagesize:       2048 kB\n"
	"Hugetlb:               0 kB\n";

static void test_meminfo(void **state)
{
	struct direct_map_stats st = { 0 };
	char text[1024];
	FILE *f;

	(void)state;
	snprintf(text, sizeof(text), "%s%s", meminfo_head,
		 "DirectMap4k:      404352 kB\n"
		 "DirectMap2M:    11063296 kB\n"
		 "DirectMap1G:     5242880 kB\n");
	f = text_stream(text);
	assert_int_equal(meminfo_parse_direct_map(f, &st), 0);
	fclose(f);
	assert_true(st.have_sizes);
	assert_int_equal(st.kb_4k, 404352);
	assert_int_equal(st.kb_2m, 11063296);
	assert_int_equal(st.kb_1g, 5242880);
}

static void test_meminfo_no_1g(void **state)
{
	struct direct_map_stats st = { 0 };
	char text[1024];
	FILE *f;

	(void)state;
	snprintf(text, sizeof(text), "%s%s", meminfo_head,
		 "DirectMap4k:      169836 kB\n"
		 "DirectMap2M:     8218624 kB\n");
	f = text_stream(text);
	assert_int_equal(meminfo_parse_direct_map(f, &st), 0);
	fclose(f);
	assert_true(st.have_sizes);
	assert_int_equal(st.kb_4k, 169836);
	assert_int_equal(st.kb_2m, 8218624);
	assert_int_equal(st.kb_1g, 0);
}

static void test_meminfo_absent(void **state)
{
	struct direct_map_stats st = { 0 };
	FILE *f;

	(void)state;
	f = text_stream(meminfo_head);
	assert_int_equal(meminfo_parse_direct_map(f, &st), -ENOENT);
	fclose(f);
	assert_false(st.have_sizes);

	/* a key that only starts like DirectMap4k is not it */
	f = text_stream("DirectMap4kB:  100 kB\nDirectMap2M:  200 kB\n");
	assert_int_equal(meminfo_parse_direct_map(f, &st), -ENOENT);
	fclose(f);
	assert_false(st.have_sizes);
}

static const char vmstat_splits[] =
	"nr_free_pages 2433803\n"
	"nr_zone_inactive_anon 3\n"
	"direct_map_level2_splits 1234\n"
	"direct_map_level3_splits 56\n"
	"nr_unstable 0\n";

static void test_vmstat(void **state)
{
	struct direct_map_stats st = { 0 };
	char text[1024];
	FILE *f;

	(void)state;
	snprintf(text, sizeof(text), "%s%s", vmstat_splits,
		 "direct_map_level2_collapses 7\n"
		 "direct_map_level3_collapses 2\n");
	f = text_stream(text);
	assert_int_equal(vmstat_parse_direct_map(f, &st), 0);
	fclose(f);
	assert_true(st.have_splits);
	assert_true(st.have_collapses);
	assert_int_equal(st.level2_splits, 1234);
	assert_int_equal(st.level3_splits, 56);
	assert_int_equal(st.level2_collapses, 7);
	assert_int_equal(st.level3_collapses, 2);
}

static void test_vmstat_no_collapses(void **state)
{
	struct direct_map_stats st = { 0 };
	FILE *f;

	(void)state;
	f = text_stream(vmstat_splits);
	assert_int_equal(vmstat_parse_direct_map(f, &st), 0);
	fclose(f);
	assert_true(st.have_splits);
	assert_false(st.have_collapses);
	assert_int_equal(st.level2_splits, 1234);
	assert_int_equal(st.level3_splits, 56);
	assert_int_equal(st.level2_collapses, 0);
}

static void test_vmstat_none(void **state)
{
	struct direct_map_stats st = { 0 };
	FILE *f;

	(void)state;
	f = text_stream("nr_free_pages 2433803\n"
			"direct_map_level2_splits_total 9\n");
	vmstat_parse_direct_map(f, &st);
	fclose(f);
	assert_false(st.have_splits);
	assert_false(st.have_collapses);
	assert_int_equal(st.level2_splits, 0);
}

/* ---- /proc/kallsyms --------------------------------------------------- */

static const char kallsyms_text[] =
	"ffffffff9a000000 T startup_64\n"
	"ffffffff9a0000e0 T _text_foo\n"
	"ffffffff9a000000 T _text\n"
	"ffffffff9a001000 T _stext_foo\n"
	"ffffffff9b800000 D _sdata\n"
	"ffffffffc0a01000 t cleanup_module\t[ext4]\n";

static void test_kallsyms(void **state)
{
	uint64_t a = 0;
	bool censored = true;
	FILE *f;

	(void)state;
	f = text_stream(kallsyms_text);
	assert_int_equal(kallsyms_lookup(f, "_text", &a, &censored), 1);
	fclose(f);
	assert_int_equal(a, 0xffffffff9a000000ULL);
	assert_false(censored);

	f = text_stream(kallsyms_text);
	assert_int_equal(kallsyms_lookup(f, "_sdata", &a, &censored), 1);
	fclose(f);
	assert_int_equal(a, 0xffffffff9b800000ULL);

	/* a module symbol, with its [module] suffix */
	f = text_stream(kallsyms_text);
	assert_int_equal(kallsyms_lookup(f, "cleanup_module", &a, &censored), 1);
	fclose(f);
	assert_int_equal(a, 0xffffffffc0a01000ULL);
}

static void test_kallsyms_prefix(void **state)
{
	uint64_t a = 0x5555;
	bool censored = true;
	FILE *f;

	(void)state;
	/* "_stext_foo" is not "_stext", "_text_foo" not "_tex" */
	f = text_stream(kallsyms_text);
	assert_int_equal(kallsyms_lookup(f, "_stext", &a, &censored), 0);
	fclose(f);
	assert_false(censored);
	assert_int_equal(a, 0x5555);

	f = text_stream(kallsyms_text);
	assert_int_equal(kallsyms_lookup(f, "_tex", &a, &censored), 0);
	fclose(f);
	f = text_stream(kallsyms_text);
	assert_int_equal(kallsyms_lookup(f, "text", &a, &censored), 0);
	fclose(f);
	assert_int_equal(a, 0x5555);
}

/* The one kallsyms line parser: address, type, name; a module's suffix dropped. */
static void test_kallsyms_line(void **state)
{
	uint64_t a;
	char type, name[8];

	(void)state;
	assert_true(kallsyms_line("ffffffffc0a01000 t cleanup_module\t[ext4]\n", &a, &type,
				  name, sizeof(name)));
	assert_int_equal(a, 0xffffffffc0a01000ULL);
	assert_int_equal(type, 't');
	assert_string_equal(name, "cleanup");	/* cut to the buffer */
	assert_true(kallsyms_line("0000000000000000 T _text\n", &a, &type, name, sizeof(name)));
	assert_int_equal(a, 0);
	assert_string_equal(name, "_text");
	assert_false(kallsyms_line("", &a, &type, name, sizeof(name)));
	assert_false(kallsyms_line(" ffffffff81000000 T _text", &a, &type, name, sizeof(name)));
	assert_false(kallsyms_line("ffffffff81000000 T", &a, &type, name, sizeof(name)));
	assert_false(kallsyms_line("ffffffff81000000 T \n", &a, &type, name, sizeof(name)));
	assert_false(kallsyms_line("zz T _text", &a, &type, name, sizeof(name)));
}

static void test_kallsyms_censored(void **state)
{
	uint64_t a = 0x5555;
	bool censored = false;
	FILE *f;

	(void)state;
	f = text_stream("0000000000000000 T startup_64\n"
			"0000000000000000 T _text\n"
			"0000000000000000 T _stext\n");
	assert_int_equal(kallsyms_lookup(f, "_text", &a, &censored), 0);
	fclose(f);
	assert_true(censored);
	assert_int_equal(a, 0x5555);
}

/* ---- /proc/cmdline ---------------------------------------------------- */

static void test_cmdline(void **state)
{
	(void)state;
	assert_true(cmdline_has("quiet nokaslr ro", "nokaslr"));
	assert_false(cmdline_has("quiet nokaslr ro", "nokaslrx"));
	assert_false(cmdline_has("quiet nokaslr ro", "kaslr"));
	assert_false(cmdline_has("quiet nokaslr ro", "nokas"));
	/* an empty word is no word (it once looped forever: tests/fuzz/regressions/status) */
	assert_false(cmdline_has("quiet nokaslr ro", ""));
	/* at the start, at the end, with the file's newline */
	assert_true(cmdline_has("nokaslr quiet", "nokaslr"));
	assert_true(cmdline_has("quiet nokaslr", "nokaslr"));
	assert_true(cmdline_has("BOOT_IMAGE=/vmlinuz root=/dev/sda1 nokaslr\n",
				"nokaslr"));
	assert_true(cmdline_has("nokaslr", "nokaslr"));
	/* a partial match first, then the word */
	assert_true(cmdline_has("kaslr_seed=1 nokaslr kaslr", "kaslr"));
	assert_false(cmdline_has("nokaslr=1 quiet", "nokaslr"));
	assert_false(cmdline_has("", "nokaslr"));
	assert_false(cmdline_has("ro quiet", "nokaslr"));
}

/* ---- /proc/vmallocinfo ------------------------------------------------ */

static void test_vmallocinfo(void **state)
{
	uint64_t a = 0;
	FILE *f;

	(void)state;
	f = text_stream(
		"0x0000000080e86400-0x0000000097a3bf9a    8192 hpet_enable+0x31/0x2b0 phys=0x00000000fed00000 ioremap\n"
		"0xffffc90000004000-0xffffc90000006000    8192 acpi_os_map_iomem+0x1ac/0x1f0 phys=0x00000000bffe0000 ioremap\n"
		"0xffffffffc0000000-0xffffffffc0005000   20480 load_module+0x7a4/0x2260 pages=4 vmalloc N0=4\n"
		"0xffffc90000000000-0xffffc90000002000    8192 gen_pool_add_owner+0x3e/0xb0 pages=1 vmalloc N0=1\n"
		"0xffffa3a0c0000000-0xffffa3a0c0002000    8192 pcpu_get_vm_areas+0x0/0x1130 vmalloc\n"
		"0xffffffffa0000000-0xffffffffa0001000    4096 bpf_prog_alloc+0x2e/0x90 pages=1 vmalloc\n"
		"0xffffc90000008000-0xffffc9000000d000   20480 dup_task_struct+0x4a/0x1b0 pages=4 vmalloc N0=4\n");
	assert_int_equal(vmallocinfo_lowest(f, &a), 0);
	fclose(f);
	assert_int_equal(a, 0xffffa3a0c0000000ULL);
}

static void test_vmallocinfo_hashed_only(void **state)
{
	uint64_t a = 0x5555;
	FILE *f;

	(void)state;
	f = text_stream(
		"0x0000000080e86400-0x0000000097a3bf9a    8192 hpet_enable+0x31/0x2b0 ioremap\n"
		"0x00000000d0d3a1b5-0x00000000e1c0ff33    8192 gen_pool_add_owner+0x3e/0xb0 vmalloc\n"
		"0xffffffffc0000000-0xffffffffc0005000   20480 load_module+0x7a4/0x2260 vmalloc\n");
	assert_int_equal(vmallocinfo_lowest(f, &a), -ENOENT);
	fclose(f);
	assert_int_equal(a, 0x5555);

	f = text_stream("");
	assert_int_equal(vmallocinfo_lowest(f, &a), -ENOENT);
	fclose(f);
}

/* ---- /sys/kernel/boot_params/data ------------------------------------- */

static int write_temp(char *path, size_t path_len, size_t size, int off,
		      unsigned char byte)
{
	unsigned char *data = calloc(1, size ? size : 1);
	int fd;

	snprintf(path, path_len, "%s/kvas-bp-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	fd = mkstemp(path);
	if (fd < 0 || !data) {
		free(data);
		return -1;
	}
	if (off >= 0 && (size_t)off < size)
		data[off] = byte;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		free(data);
		return -1;
	}
	close(fd);
	free(data);
	return 0;
}

static void check_flag(unsigned char loadflags, bool expect)
{
	char path[256];
	bool set = !expect;

	assert_int_equal(write_temp(path, sizeof(path), 4096,
				    BOOT_PARAMS_LOADFLAGS_OFFSET, loadflags), 0);
	assert_int_equal(boot_params_kaslr_flag(path, &set), 0);
	unlink(path);
	assert_int_equal(set, expect);
}

static void test_boot_params(void **state)
{
	(void)state;
	check_flag(0x02, true);
	check_flag(0x01, false);	/* LOADED_HIGH only */
	check_flag(0x83, true);		/* CAN_USE_HEAP | KASLR | LOADED_HIGH */
	check_flag(0x81, false);
	check_flag(0x00, false);
}

static void test_boot_params_offset(void **state)
{
	char path[256];
	bool set = false;

	(void)state;
	/* the flag one byte off is not the flag */
	assert_int_equal(write_temp(path, sizeof(path), 4096,
				    BOOT_PARAMS_LOADFLAGS_OFFSET - 1, 0xff), 0);
	assert_int_equal(boot_params_kaslr_flag(path, &set), 0);
	unlink(path);
	assert_false(set);
}

static void test_boot_params_short(void **state)
{
	char path[256];
	bool set = false;

	(void)state;
	assert_int_equal(write_temp(path, sizeof(path),
				    BOOT_PARAMS_LOADFLAGS_OFFSET, -1, 0), 0);
	assert_true(boot_params_kaslr_flag(path, &set) < 0);
	unlink(path);

	assert_int_equal(write_temp(path, sizeof(path), 0, -1, 0), 0);
	assert_true(boot_params_kaslr_flag(path, &set) < 0);
	unlink(path);

	assert_int_equal(boot_params_kaslr_flag("/nonexistent/kvas/boot_params",
						&set), -ENOENT);
}

static void test_read_small_file(void **state)
{
	char path[256], buf[8];
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "%s/kvas-rsf-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "0x1 2\n", 6), 6);
	close(fd);
	assert_int_equal(read_small_file(path, buf, sizeof(buf)), 6);
	assert_string_equal(buf, "0x1 2\n");
	/* truncated to fit, still terminated */
	assert_int_equal(read_small_file(path, buf, 4), 3);
	assert_string_equal(buf, "0x1");
	unlink(path);
	assert_int_equal(read_small_file(path, buf, sizeof(buf)), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iomem),
		cmocka_unit_test(test_iomem_is_ram),
		cmocka_unit_test(test_iomem_no_kernel_code),
		cmocka_unit_test(test_iomem_censored),
		cmocka_unit_test(test_iomem_empty),
		cmocka_unit_test(test_meminfo),
		cmocka_unit_test(test_meminfo_no_1g),
		cmocka_unit_test(test_meminfo_absent),
		cmocka_unit_test(test_vmstat),
		cmocka_unit_test(test_vmstat_no_collapses),
		cmocka_unit_test(test_vmstat_none),
		cmocka_unit_test(test_kallsyms),
		cmocka_unit_test(test_kallsyms_prefix),
		cmocka_unit_test(test_kallsyms_line),
		cmocka_unit_test(test_kallsyms_censored),
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_vmallocinfo),
		cmocka_unit_test(test_vmallocinfo_hashed_only),
		cmocka_unit_test(test_boot_params),
		cmocka_unit_test(test_boot_params_offset),
		cmocka_unit_test(test_boot_params_short),
		cmocka_unit_test(test_read_small_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
