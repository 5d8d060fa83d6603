// SPDX-License-Identifier: GPL-2.0
/*
 * kvas translate against pages this test maps and touches: physical addresses
 * must agree with /proc/self/pagemap, the direct-map alias must hold the bytes
 * the test wrote, kernel-image translations must agree with the walk, and
 * init text the kernel freed after boot must be labelled so.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kpage.h"
#include "kread.h"
#include "procfs.h"
#include "procfs_read.h"
#include "testlib.h"

#define PAGE	4096UL
#define HUGE_2M	(2UL << 20)

/* Run kvas translate with args; returns the parsed JSON array. */
static json_t *translate_json(int expect_status, const char *const *args)
{
	const char *argv[32] = { "translate", "--json" };
	struct run_result r;
	json_t *root;
	int n = 2;

	for (int i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	assert_int_equal(run_kvas(&r, NULL, argv), 0);
	if (r.status != expect_status)
		fail_msg("kvas translate exited %d, expected %d: %s", r.status,
			 expect_status, r.err);
	root = run_json(&r);
	run_result_free(&r);
	assert_non_null(root);
	assert_true(json_is_array(root));
	return root;
}

static uint64_t hex_field(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	if (!s)
		fail_msg("no '%s' in %s", key, json_dumps(o, 0));
	return strtoull(s, NULL, 16);
}

static const char *text_field(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static char *hexstr(uint64_t v)
{
	char *s;

	if (asprintf(&s, "%llx", (unsigned long long)v) < 0)
		abort();
	return s;
}

static char pid_arg[16];

static const char *self_pid(void)
{
	snprintf(pid_arg, sizeof(pid_arg), "%d", getpid());
	return pid_arg;
}

/* The PA kvas gives for va in this process must be pagemap's. */
static void expect_pagemap_pa(json_t *o, const void *va, uint64_t page_size)
{
	uint64_t pfn;

	assert_int_equal(truth_pagemap_pfn(va, &pfn), 0);
	assert_true(json_is_null(json_object_get(o, "error")));
	assert_int_equal(hex_field(o, "pa"), pfn * PAGE + ((uintptr_t)va & (PAGE - 1)));
	assert_int_equal(json_integer_value(json_object_get(o, "page_size")), page_size);
	assert_string_equal(text_field(o, "kind"), "user");
	/* the walk is how a user PA is found: the two are the same byte */
	assert_int_equal(hex_field(o, "walk_pa"), hex_field(o, "pa"));
	assert_true(json_is_true(json_object_get(o, "walk_agrees")));
}

static void test_4k_pages_match_pagemap(void **state)
{
	char *pages = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *a[4];
	json_t *root;

	(void)state;
	assert_true(pages != MAP_FAILED);
	madvise(pages, 4 * PAGE, MADV_NOHUGEPAGE);
	for (int i = 0; i < 4; i++) {
		pages[i * PAGE + 123] = (char)i;	/* fault it in */
		a[i] = hexstr((uintptr_t)(pages + i * PAGE + 123));
	}
	root = translate_json(0, (const char *const[]){ "-p", self_pid(), a[0], a[1], a[2], a[3], NULL });
	assert_int_equal(json_array_size(root), 4);
	for (int i = 0; i < 4; i++) {
		json_t *o = json_array_get(root, i);

		expect_pagemap_pa(o, pages + i * PAGE + 123, PAGE);
		assert_non_null(strstr(text_field(o, "flags"), "US"));
		assert_non_null(strstr(text_field(o, "flags"), " A"));	/* touched */
		/*
		 * Forking kvas write-protected the page for copy-on-write (and
		 * since 6.6 x86 moves Dirty to a software bit when it does).
		 */
		assert_null(strstr(text_field(o, "flags"), "RW"));
		free(a[i]);
	}
	json_decref(root);
	munmap(pages, 4 * PAGE);
}

static char *aligned_2m(size_t *map_len)
{
	char *p;

	*map_len = 2 * HUGE_2M;
	p = mmap(NULL, *map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED);
	return (char *)(((uintptr_t)p + HUGE_2M - 1) & ~(HUGE_2M - 1));
}

static void test_thp_2m_matches_pagemap(void **state)
{
	char mode[64];
	size_t len;
	char *base, *huge, *addr;
	json_t *root;

	(void)state;
	assert_int_equal(read_sysctl("/sys/kernel/mm/transparent_hugepage/enabled", mode, sizeof(mode)), 0);
	if (strstr(mode, "[never]")) {
		printf("THP is disabled on this kernel ([never]): skipped\n");
		skip();
	}
	huge = aligned_2m(&len);
	base = huge;
	assert_int_equal(madvise(huge, HUGE_2M, MADV_HUGEPAGE), 0);
	memset(huge, 0x5a, HUGE_2M);
	addr = hexstr((uintptr_t)(huge + 0x12345));
	root = translate_json(0, (const char *const[]){ "-p", self_pid(), addr, NULL });
	expect_pagemap_pa(json_array_get(root, 0), huge + 0x12345, HUGE_2M);
	assert_non_null(strstr(text_field(json_array_get(root, 0), "flags"), "PS"));
	free(addr);
	json_decref(root);
	munmap((void *)((uintptr_t)base & ~(HUGE_2M - 1)), len);
}

/* vm.nr_hugepages as the host had it, put back after the test whatever happens. */
static struct saved_sysctls nr_hugepages = { .path = { "/proc/sys/vm/nr_hugepages" } };

static void test_hugetlb_matches_pagemap(void **state)
{
	char *huge, *addr;
	json_t *root;

	(void)state;
	assert_int_equal(write_sysctl("/proc/sys/vm/nr_hugepages", "1"), 0);
	huge = mmap(NULL, HUGE_2M, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (huge == MAP_FAILED)
		fail_msg("cannot map a hugetlb page: %s", strerror(errno));
	huge[0x1000] = 1;
	addr = hexstr((uintptr_t)(huge + 0x1000));
	root = translate_json(0, (const char *const[]){ "-p", self_pid(), addr, NULL });
	expect_pagemap_pa(json_array_get(root, 0), huge + 0x1000, HUGE_2M);
	free(addr);
	json_decref(root);
	munmap(huge, HUGE_2M);
}

/* The kernel reads the user's page at its direct-map alias: same bytes. */
static void test_direct_map_alias_holds_the_bytes(void **state)
{
	unsigned char *page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char back[PAGE];
	struct kread *kr;
	char *addr;
	json_t *root;

	(void)state;
	assert_true(page != MAP_FAILED);
	for (unsigned i = 0; i < PAGE; i++)
		page[i] = (unsigned char)(i ^ 0xa5 ^ getpid());
	addr = hexstr((uintptr_t)page);
	root = translate_json(0, (const char *const[]){ "-p", self_pid(), addr, NULL });
	kr = kread_open();
	assert_non_null(kr);
	assert_int_equal(kread_bytes(kr, hex_field(json_array_get(root, 0), "direct_map_alias"),
				     back, PAGE), 0);
	assert_memory_equal(back, page, PAGE);
	kread_close(kr);
	free(addr);
	json_decref(root);
	munmap(page, PAGE);
}

/*
 * Image addresses that stay mapped after boot: _text, text's last byte, and
 * schedule(), which is text on every kernel. Not startup_64: it is init
 * text, freed after boot (test_freed_init_text_is_labelled).
 */
static void mapped_image_addresses(uint64_t va[3])
{
	uint64_t etext, init_begin;

	assert_int_equal(truth_kallsyms("_text", &va[0]), 0);
	assert_int_equal(truth_kallsyms("_etext", &etext), 0);
	va[1] = etext - 1;	/* _etext's own page is kept: the gap after it starts a page on */
	assert_int_equal(truth_kallsyms("schedule", &va[2]), 0);
	if (va[2] < va[0] || va[2] >= etext)
		fail_msg("schedule at 0x%llx is outside _text..._etext",
			 (unsigned long long)va[2]);
	if (!truth_kallsyms("__init_begin", &init_begin))
		assert_true(etext <= init_begin);
}

/* A kernel symbol's PA through phys_base equals the PA its walk finds. */
static void test_kernel_image_agrees_with_walk(void **state)
{
	uint64_t va[3], code_pa, text;
	json_t *root;

	(void)state;
	mapped_image_addresses(va);
	assert_int_equal(truth_kernel_code_pa(&code_pa), 0);
	assert_int_equal(truth_kallsyms("_text", &text), 0);
	for (size_t i = 0; i < sizeof(va) / sizeof(va[0]); i++) {
		char *addr = hexstr(va[i]);
		json_t *o;

		root = translate_json(0, (const char *const[]){ addr, NULL });
		o = json_array_get(root, 0);
		if (!json_is_true(json_object_get(o, "walk_agrees")))
			fail_msg("%s: the walk does not agree: %s", addr, json_dumps(o, 0));
		assert_int_equal(hex_field(o, "pa"), hex_field(o, "walk_pa"));
		assert_non_null(strstr(text_field(o, "method"), "phys_base"));
		assert_null(json_object_get(o, "freed_after_boot"));
		/* and with iomem's "Kernel code", which starts at PA(_text) */
		assert_int_equal(hex_field(o, "pa"), code_pa + (va[i] - text));
		free(addr);
		json_decref(root);
	}
}

/* startup_64 where it is init text (x86-64 puts it there), else the first init text symbol. */
static bool init_text_symbol(uint64_t init_begin, uint64_t *va, const char **name)
{
	static char first[256];
	struct ksyms ks;

	*name = "startup_64";
	if (!truth_kallsyms(*name, va) && *va >= init_begin)
		return true;
	assert_int_equal(kallsyms_read(&ks), 0);
	for (size_t i = 0; i < ks.nr; i++) {
		if (ks.syms[i].addr >= init_begin) {
			*va = ks.syms[i].addr;
			snprintf(first, sizeof(first), "%s", ks.syms[i].name);
			*name = first;
			break;
		}
	}
	ksyms_free(&ks);
	return *name == first;
}

/*
 * Init text that the kernel unmapped after boot is labelled freed, in the
 * init sections bounded by __init_begin and the best end the kernel publishes.
 */
static void test_freed_init_text_is_labelled(void **state)
{
	const char *args[] = { "translate", NULL, NULL };
	uint64_t init_begin, init_end, va;
	struct run_result r;
	const char *name;
	json_t *root, *o, *freed;
	char *addr;

	(void)state;
	if (truth_kallsyms("__init_begin", &init_begin)) {
		printf("this kernel does not publish __init_begin in kallsyms: skipped\n");
		skip();
	}
	assert_true(init_text_symbol(init_begin, &va, &name));
	addr = hexstr(va);
	root = translate_json(0, (const char *const[]){ addr, NULL });
	o = json_array_get(root, 0);
	freed = json_object_get(o, "freed_after_boot");
	if (strcmp(text_field(o, "walk_status"), "not present")) {
		printf("%s (%s) is still mapped (walk %s): this kernel has not freed it\n",
		       name, addr, text_field(o, "walk_status"));
		assert_null(freed);
		json_decref(root);
		free(addr);
		skip();
	}
	if (!freed)
		fail_msg("%s (%s) is unmapped, not labelled freed: %s", name, addr, json_dumps(o, 0));
	assert_string_equal(text_field(freed, "region"), "initmem");
	assert_string_equal(text_field(freed, "start_symbol"), "__init_begin");
	assert_string_equal(text_field(freed, "end_symbol"),
			    truth_kallsyms("__init_end", &init_end) ? "_einittext" : "__init_end");
	assert_int_equal(hex_field(freed, "start"), init_begin);
	assert_true(hex_field(freed, "start") <= va && va < hex_field(freed, "end"));
	/* the image's physical page is still named: it went back to the allocator */
	assert_non_null(strstr(text_field(o, "method"), "phys_base"));
	json_decref(root);

	args[1] = addr;
	assert_int_equal(run_kvas(&r, NULL, args), 0);
	assert_int_equal(r.status, 0);
	if (!strstr(r.out, "lies in memory the kernel freed after boot: initmem"))
		fail_msg("no freed label in:\n%s", r.out);
	run_result_free(&r);
	free(addr);
}

/* Direct-map and struct page translations lead back to the same page. */
static void test_direct_map_and_vmemmap_round_trip(void **state)
{
	uint64_t text, code_pa;
	char *alias, *page, *phys;
	json_t *root, *a, *p, *ph;

	(void)state;
	assert_int_equal(truth_kallsyms("_text", &text), 0);
	assert_int_equal(truth_kernel_code_pa(&code_pa), 0);
	phys = hexstr(code_pa);
	root = translate_json(0, (const char *const[]){ "--phys", phys, NULL });
	ph = json_array_get(root, 0);
	alias = hexstr(hex_field(ph, "direct_map_alias"));
	page = hexstr(hex_field(ph, "struct_page"));
	json_decref(root);
	root = translate_json(0, (const char *const[]){ alias, page, NULL });
	a = json_array_get(root, 0);
	p = json_array_get(root, 1);
	assert_int_equal(hex_field(a, "pa"), code_pa);
	assert_true(json_is_true(json_object_get(a, "walk_agrees")));
	assert_int_equal(hex_field(p, "pa"), code_pa);	/* the page it describes */
	assert_non_null(strstr(text_field(p, "resource"), "Kernel code"));
	json_decref(root);
	free(alias);
	free(page);
	free(phys);
}

/* Each bad address gets its error; the good one in the same call is answered. */
static void test_errors_do_not_stop_the_others(void **state)
{
	char *untouched = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *none_page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *good = hexstr((uintptr_t)&state), *fresh = hexstr((uintptr_t)untouched);
	char *prot = hexstr((uintptr_t)none_page);
	static const struct { const char *input, *error; } cases[] = {
		{ "0x0000800000000000", "non-canonical" },
		{ "ffff800000001000", "hole" },
	};
	json_t *root;

	(void)state;
	none_page[0] = 1;
	assert_int_equal(mprotect(none_page, PAGE, PROT_NONE), 0);
	root = translate_json(1, (const char *const[]){ "-p", self_pid(), cases[0].input,
		cases[1].input, fresh, prot, good, NULL });
	assert_int_equal(json_array_size(root), 5);
	for (int i = 0; i < 2; i++)
		assert_non_null(strstr(text_field(json_array_get(root, i), "error"), cases[i].error));
	assert_non_null(strstr(text_field(json_array_get(root, 2), "error"), "not present at the PTE level"));
	assert_non_null(strstr(text_field(json_array_get(root, 3), "error"), "PROT_NONE"));
	expect_pagemap_pa(json_array_get(root, 4), &state, PAGE);
	json_decref(root);
	free(good);
	free(fresh);
	free(prot);
	munmap(untouched, PAGE);
	munmap(none_page, PAGE);
}

/* --read: the "read" object of o, its bytes decoded into buf; returns how many. */
static size_t read_hex(json_t *o, unsigned char *buf, size_t len)
{
	json_t *rd = json_object_get(o, "read");
	const char *hex = json_string_value(json_object_get(rd, "hex"));
	size_t n = hex ? strlen(hex) / 2 : 0;

	if (!hex)
		fail_msg("no bytes read: %s", json_dumps(o, 0));
	assert_int_equal(json_integer_value(json_object_get(rd, "length")), n);
	assert_true(n <= len);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(sscanf(hex + 2 * i, "%2hhx", &buf[i]), 1);
	return n;
}

/*
 * --read shows the bytes this test wrote: at a user address (through the
 * direct map, to the end of the page), at its physical address, and the
 * kernel image read where it runs equals the same bytes read by PA.
 */
static void test_read_shows_what_the_test_wrote(void **state)
{
	unsigned char *page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char got[PAGE], text_bytes[64];
	uint64_t pfn, text, code_pa;
	char *user, *phys, *ktext, *kphys;
	json_t *root;

	(void)state;
	assert_true(page != MAP_FAILED);
	for (unsigned i = 0; i < PAGE; i++)
		page[i] = (unsigned char)(i * 7 ^ getpid());
	assert_int_equal(truth_pagemap_pfn(page, &pfn), 0);
	user = hexstr((uintptr_t)page + 100);
	phys = hexstr(pfn * PAGE + 4000);
	root = translate_json(0, (const char *const[]){ "-p", self_pid(), "--read", "4096", user, NULL });
	assert_int_equal(read_hex(json_array_get(root, 0), got, sizeof(got)), PAGE - 100);
	assert_memory_equal(got, page + 100, PAGE - 100);
	json_decref(root);
	root = translate_json(0, (const char *const[]){ "--phys", "--read", "64", phys, NULL });
	assert_int_equal(read_hex(json_array_get(root, 0), got, sizeof(got)), 64);
	assert_memory_equal(got, page + 4000, 64);
	json_decref(root);

	assert_int_equal(truth_kallsyms("_text", &text), 0);
	assert_int_equal(truth_kernel_code_pa(&code_pa), 0);
	ktext = hexstr(text);
	kphys = hexstr(code_pa);
	root = translate_json(0, (const char *const[]){ "--read", "64", ktext, NULL });
	assert_int_equal(read_hex(json_array_get(root, 0), text_bytes, sizeof(text_bytes)), 64);
	json_decref(root);
	root = translate_json(0, (const char *const[]){ "--read", "64", "--phys", kphys, NULL });
	assert_int_equal(read_hex(json_array_get(root, 0), got, sizeof(got)), 64);
	assert_memory_equal(got, text_bytes, 64);
	json_decref(root);
	free(user);
	free(phys);
	free(ktext);
	free(kphys);
	munmap(page, PAGE);
}

/* Device memory is never read: a non-RAM resource is refused, exit 1. */
static void test_read_refuses_device_memory(void **state)
{
	struct iomem io;
	json_t *root, *rd;
	char *addr = NULL;

	(void)state;
	assert_int_equal(iomem_read(&io), 0);
	for (int i = 0; i < io.nr_top && !addr; i++)
		if (strcmp(io.top[i].name, "System RAM") && io.top[i].range.start >= 0x100000)
			addr = hexstr(io.top[i].range.start);
	assert_non_null(addr);
	root = translate_json(1, (const char *const[]){ "--phys", "--read", "8", addr, NULL });
	rd = json_object_get(json_array_get(root, 0), "read");
	assert_non_null(strstr(text_field(rd, "error"), "not System RAM"));
	assert_null(json_object_get(rd, "hex"));
	json_decref(root);
	free(addr);
}

static void test_process_errors(void **state)
{
	json_t *root;

	(void)state;
	root = translate_json(1, (const char *const[]){ "0x1000", NULL });
	assert_non_null(strstr(text_field(json_array_get(root, 0), "error"), "-p PID"));
	json_decref(root);
	root = translate_json(1, (const char *const[]){ "-p", "2", "0x1000", NULL });
	assert_non_null(strstr(text_field(json_array_get(root, 0), "error"), "kernel thread"));
	json_decref(root);
	/* A pid that existed and is gone. */
	pid_t child = fork();

	if (!child)
		_exit(0);
	waitpid_nohang:
	if (waitpid(child, NULL, 0) < 0 && errno == EINTR)
		goto waitpid_nohang;
	snprintf(pid_arg, sizeof(pid_arg), "%d", child);
	root = translate_json(1, (const char *const[]){ "-p", pid_arg, "0x1000", NULL });
	assert_non_null(strstr(text_field(json_array_get(root, 0), "error"), "no such process"));
	json_decref(root);
}

static bool is_zombie(void *arg)
{
	char path[64], buf[512];

	snprintf(path, sizeof(path), "/proc/%d/status", *(pid_t *)arg);
	return read_small_file(path, buf, sizeof(buf)) >= 0 && strstr(buf, "State:\tZ");
}

/* A child that exited and was not waited for is a zombie, not a kernel thread. */
static void test_zombie(void **state)
{
	pid_t child = fork();
	json_t *root;
	const char *err;

	(void)state;
	if (!child)
		_exit(0);
	assert_true(child > 0);
	assert_true(wait_until(is_zombie, &child, 5000));
	snprintf(pid_arg, sizeof(pid_arg), "%d", child);
	root = translate_json(1, (const char *const[]){ "-p", pid_arg, "0x1000", NULL });
	err = text_field(json_array_get(root, 0), "error");
	if (!strstr(err, "zombie") || strstr(err, "kernel thread"))
		fail_msg("-p of zombie %d: %s", child, err);
	json_decref(root);
	assert_int_equal(waitpid(child, NULL, 0), child);
}

struct thread_arg {
	int go[2];
	pid_t tid;
};

static void *idle_thread(void *p)
{
	struct thread_arg *a = p;
	char c;

	__atomic_store_n(&a->tid, gettid(), __ATOMIC_RELEASE);
	while (read(a->go[0], &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

static bool tid_known(void *p)
{
	return __atomic_load_n(&((struct thread_arg *)p)->tid, __ATOMIC_ACQUIRE) != 0;
}

/* -p of a thread's id walks its process's tables, and says which thread it was. */
static void test_thread_id(void **state)
{
	struct thread_arg a = { 0 };
	pthread_t th;
	char tid[16], *addr = hexstr((uintptr_t)&a);
	json_t *root, *o;

	(void)state;
	assert_int_equal(pipe(a.go), 0);
	assert_int_equal(pthread_create(&th, NULL, idle_thread, &a), 0);
	assert_true(wait_until(tid_known, &a, 5000));
	snprintf(tid, sizeof(tid), "%d", a.tid);
	root = translate_json(0, (const char *const[]){ "-p", tid, addr, NULL });
	o = json_array_get(root, 0);
	assert_int_equal(json_integer_value(json_object_get(o, "pid")), getpid());
	assert_int_equal(json_integer_value(json_object_get(o, "tid")), a.tid);
	assert_non_null(strstr(text_field(o, "what"), tid));
	expect_pagemap_pa(o, &a, PAGE);
	json_decref(root);
	assert_int_equal(write(a.go[1], "g", 1), 1);
	pthread_join(th, NULL);
	close(a.go[0]);
	close(a.go[1]);
	free(addr);
}

/* Each address says which half of the address space it is in. */
static void test_kinds(void **state)
{
	json_t *root;

	(void)state;
	/* vsyscall's page: the kernel half under either paging mode */
	root = translate_json(1, (const char *const[]){ "0", "8000000000000000",
		"ffffffffff600000", NULL });
	assert_string_equal(text_field(json_array_get(root, 0), "kind"), "user");
	assert_non_null(strstr(text_field(json_array_get(root, 0), "what"), "no process given"));
	/* non-canonical under 4- and 5-level paging alike */
	assert_string_equal(text_field(json_array_get(root, 1), "kind"), "non-canonical");
	assert_string_equal(text_field(json_array_get(root, 2), "kind"), "kernel");
	json_decref(root);
}

/*
 * The 52-bit bound is exact, and past the last page frame of System RAM
 * there is no struct page, in JSON and text.
 */
static void test_physical_bounds(void **state)
{
	static const char *const text_args[] = { "translate", "--phys", "0xfffffffffffff", NULL };
	struct run_result r;
	struct iomem io;
	uint64_t last = 0;
	char *past, *in_ram;
	json_t *root, *o;

	(void)state;
	assert_int_equal(iomem_read(&io), 0);
	for (int i = 0; i < io.nr_ram; i++)
		if (io.ram[i].end > last)
			last = io.ram[i].end;
	past = hexstr((last | (PAGE - 1)) + 1);
	in_ram = hexstr(last & ~(PAGE - 1));
	root = translate_json(1, (const char *const[]){ "--phys", "0xfffffffffffff",
		"0x10000000000000", past, in_ram, NULL });
	o = json_array_get(root, 0);
	assert_true(json_is_null(json_object_get(o, "error")));
	assert_int_equal(hex_field(o, "pa"), 0xfffffffffffffULL);
	assert_true(json_is_null(json_object_get(o, "struct_page")));
	assert_non_null(strstr(text_field(json_array_get(root, 1), "error"), "52 bits"));
	o = json_array_get(root, 2);
	assert_true(json_is_null(json_object_get(o, "error")));
	assert_true(json_is_null(json_object_get(o, "struct_page")));
	assert_non_null(strstr(text_field(o, "no_struct_page"), "beyond the last page frame"));
	o = json_array_get(root, 3);
	assert_true(json_is_null(json_object_get(o, "error")));
	assert_non_null(json_string_value(json_object_get(o, "struct_page")));
	json_decref(root);

	assert_int_equal(run_kvas(&r, NULL, text_args), 0);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "struct page   none: "));
	assert_null(strstr(r.out, "52 bits"));
	run_result_free(&r);
	free(past);
	free(in_ram);
}

/*
 * translate --page against what the kernel publishes of the test's own
 * pages: /proc/kpageflags (anon, LRU, compound head and tail, THP) and
 * /proc/kpagecount (mappings), for an anonymous page, a file page (its
 * inode too) and a THP's head and a tail.
 */
static void test_page_matches_kpageflags(void **state)
{
	const char *args[KT_NR + 4] = { "--page", "-p", self_pid() };
	json_t *root, *mismatches = json_array();
	struct kpage_targets t;
	char *addrs[KT_NR] = { 0 };
	int n = 3, checked = 0, idx[KT_NR];

	(void)state;
	assert_int_equal(kpage_targets_make(&t), 0);
	for (int i = 0; i < KT_NR; i++) {
		idx[i] = -1;
		if (!t.va[i])
			continue;
		addrs[i] = hexstr((uintptr_t)t.va[i]);
		idx[i] = n - 3;
		args[n++] = addrs[i];
	}
	args[n] = NULL;
	root = translate_json(0, args);
	for (int i = 0; i < KT_NR; i++)
		if (idx[i] >= 0)
			checked += kpage_check(&t, i, json_array_get(root, idx[i]), mismatches);
	if (json_array_size(mismatches))
		fail_msg("translate --page disagrees with kpageflags/kpagecount: %s",
			 json_dumps(mismatches, JSON_COMPACT));
	assert_true(checked >= 10);
	json_decref(root);
	json_decref(mismatches);
	for (int i = 0; i < KT_NR; i++)
		free(addrs[i]);
	if (t.thp_skip[0]) {
		printf("no THP to check: %s\n", t.thp_skip);
		kpage_targets_free(&t);
		skip();
	}
	kpage_targets_free(&t);
}

/* The memory block (a section, or several) holding pa: sysfs lists the present ones. */
static bool memory_block_present(uint64_t pa, uint64_t block)
{
	char path[96];

	snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%llu",
		 (unsigned long long)(pa / block));
	return access(path, F_OK) == 0;
}

/*
 * A non-RAM physical address in a section the kernel has no memory block
 * for (so no memmap) has no struct page, said so; a hole in a present
 * section has one, reserved. Both decided from /proc/iomem and the
 * kernel's memory blocks in sysfs, not from kvas.
 */
static void test_struct_page_only_where_memmap(void **state)
{
	uint64_t block = 0, absent = 0, hole = 0;
	char *a = NULL, *h = NULL, buf[32];
	struct iomem io;
	json_t *root, *o;

	(void)state;
	if (read_sysctl("/sys/devices/system/memory/block_size_bytes", buf, sizeof(buf))) {
		printf("no /sys/devices/system/memory: the kernel lists no memory blocks: skipped\n");
		skip();
	}
	block = strtoull(buf, NULL, 16);
	assert_int_equal(iomem_read(&io), 0);
	for (int i = 0; i < io.nr_top; i++) {
		const struct iomem_resource *r = &io.top[i];
		uint64_t pa = (r->range.start + PAGE - 1) & ~(PAGE - 1);

		if (!strcmp(r->name, "System RAM") || pa > r->range.end)
			continue;
		if (!absent && !memory_block_present(pa, block))
			absent = pa;
		if (!hole && memory_block_present(pa, block) && !iomem_is_ram(&io, pa, 1))
			hole = pa;
	}
	if (!absent || !hole) {
		printf("no non-RAM address %s here: skipped\n",
		       !absent ? "outside every memory block" : "inside a present memory block");
		skip();
	}
	a = hexstr(absent);
	h = hexstr(hole);
	root = translate_json(1, (const char *const[]){ "--phys", "--page", a, h, NULL });
	o = json_array_get(root, 0);
	assert_true(json_is_null(json_object_get(o, "struct_page")));
	assert_true(json_is_false(json_object_get(o, "section_has_memmap")));
	assert_non_null(strstr(text_field(o, "no_struct_page"), "memmap"));
	o = json_array_get(root, 1);
	assert_true(json_is_true(json_object_get(o, "section_has_memmap")));
	assert_non_null(json_string_value(json_object_get(o, "struct_page")));
	assert_non_null(strstr(text_field(o, "struct_page_note"), "reserved"));
	assert_true(json_is_null(json_object_get(json_object_get(o, "page"), "error")));
	json_decref(root);
	free(a);
	free(h);
}

/* The kernel runs in ring 3 under PVM: its log says so, or its kallsyms has pvm_ code. */
static bool host_is_pvm(void)
{
	int size = klogctl(10, NULL, 0);
	char *buf, *syms;
	bool pvm = false;
	int n;

	if (size > 0 && (buf = malloc(size + 1))) {
		n = klogctl(3, buf, size);
		buf[n > 0 ? n : 0] = '\0';
		pvm = strstr(buf, "Hypervisor detected: PVM") != NULL;
		free(buf);
	}
	syms = pvm ? NULL : read_text_file("/proc/kallsyms");
	if (syms)
		pvm = strstr(syms, " pvm_") != NULL;
	free(syms);
	return pvm;
}

/* US on kernel text is explained exactly when the host is PVM, in JSON and text. */
static void test_us_explained_under_pvm(void **state)
{
	const char *text_args[] = { "translate", NULL, NULL };
	bool pvm = host_is_pvm(), us;
	struct run_result r;
	uint64_t text;
	char *addr;
	json_t *root, *o;

	(void)state;
	if (truth_kallsyms("_text", &text)) {
		printf("_text not readable in kallsyms: skipped\n");
		skip();
	}
	addr = hexstr(text);
	root = translate_json(0, (const char *const[]){ addr, NULL });
	o = json_array_get(root, 0);
	us = strstr(text_field(o, "flags"), "US") != NULL;
	if (pvm && us)
		assert_non_null(strstr(text_field(o, "us_reason"), "PVM"));
	else
		assert_null(json_object_get(o, "us_reason"));
	text_args[1] = addr;
	assert_int_equal(run_kvas(&r, NULL, text_args), 0);
	assert_int_equal(r.status, 0);
	if (pvm && us)
		assert_non_null(strstr(r.out, "  US            PVM"));
	else
		assert_null(strstr(r.out, "  US  "));
	run_result_free(&r);
	json_decref(root);
	free(addr);
}

/* A live process kvas may not read is not called gone. */
static void test_unreadable_is_not_gone(void **state)
{
	int fd = open("/proc/1/maps", O_RDONLY | O_CLOEXEC);
	json_t *root;

	(void)state;
	if (fd >= 0) {
		close(fd);
		printf("/proc/1/maps is readable here: nothing unreadable to show: skipped\n");
		skip();
	}
	root = translate_json(1, (const char *const[]){ "-p", "1", "0", NULL });
	assert_null(strstr(text_field(json_array_get(root, 0), "error"), "exited"));
	assert_non_null(strstr(text_field(json_array_get(root, 0), "error"), "alive"));
	json_decref(root);
}

/* The text form carries what the JSON form does. */
static void test_text_matches_json(void **state)
{
	const char *args[] = { "translate", "--walk", NULL, NULL };
	struct run_result r;
	uint64_t text;
	char *addr, expect[64];
	json_t *root, *o, *step;
	size_t i;

	(void)state;
	assert_int_equal(truth_kallsyms("_text", &text), 0);
	addr = hexstr(text);
	args[2] = addr;
	root = translate_json(0, (const char *const[]){ addr, NULL });
	o = json_array_get(root, 0);
	assert_int_equal(run_kvas(&r, NULL, args), 0);
	assert_int_equal(r.status, 0);
	snprintf(expect, sizeof(expect), "physical      0x%016llx", (unsigned long long)hex_field(o, "pa"));
	assert_non_null(strstr(r.out, expect));
	snprintf(expect, sizeof(expect), "struct page   0x%016llx", (unsigned long long)hex_field(o, "struct_page"));
	assert_non_null(strstr(r.out, expect));
	json_array_foreach(json_object_get(o, "walk"), i, step) {
		snprintf(expect, sizeof(expect), "0x%016llx", (unsigned long long)hex_field(step, "entry"));
		assert_non_null(strstr(r.out, expect));
	}
	run_result_free(&r);
	json_decref(root);
	free(addr);
}

static void test_usage_errors(void **state)
{
	static const char *const no_addr[] = { "translate", NULL };
	static const char *const bad_pid[] = { "translate", "-p", "abc", "0x1", NULL };
	static const char *const both[] = { "translate", "-p", "1", "--phys", "0x1", NULL };
	static const char *const big[] = { "translate", "--read", "4097", "0x1", NULL };
	static const char *const zero[] = { "translate", "--read", "0", "0x1", NULL };
	/* no number at all: a usage error before anything is loaded, not a result */
	static const char *const word[] = { "translate", "0x1", "zzz", NULL };
	static const char *const *const cases[] = { no_addr, bad_pid, both, big, zero, word };
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(expect_usage_error(cases[i]), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_4k_pages_match_pagemap),
		cmocka_unit_test(test_thp_2m_matches_pagemap),
		cmocka_unit_test_prestate_setup_teardown(test_hugetlb_matches_pagemap, sysctls_save,
							 sysctls_restore, &nr_hugepages),
		cmocka_unit_test(test_direct_map_alias_holds_the_bytes),
		cmocka_unit_test(test_kernel_image_agrees_with_walk),
		cmocka_unit_test(test_freed_init_text_is_labelled),
		cmocka_unit_test(test_direct_map_and_vmemmap_round_trip),
		cmocka_unit_test(test_errors_do_not_stop_the_others),
		cmocka_unit_test(test_read_shows_what_the_test_wrote),
		cmocka_unit_test(test_read_refuses_device_memory),
		cmocka_unit_test(test_process_errors),
		cmocka_unit_test(test_zombie),
		cmocka_unit_test(test_thread_id),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_physical_bounds),
		cmocka_unit_test(test_text_matches_json),
		cmocka_unit_test(test_page_matches_kpageflags),
		cmocka_unit_test(test_struct_page_only_where_memmap),
		cmocka_unit_test(test_us_explained_under_pvm),
		cmocka_unit_test(test_unreadable_is_not_gone),
		cmocka_unit_test(test_usage_errors),
	};

	return run_root_suite("translate (root, live kernel)", tests, NULL, NULL);
}
