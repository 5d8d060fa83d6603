// SPDX-License-Identifier: GPL-2.0
/* Unit tests for src/core/elf_symbols.c: this test binary's own functions, by address. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "elf_symbols.h"

/* The linker's mark of where this image starts in memory. */
extern const char __executable_start[];

__attribute__((noinline)) int elf_symbols_test_target(int x)
{
	return x * 3 + 1;
}

static void load_self(struct elf_symbols *t)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(elf_symbols_load(t, fd), 0);
	close(fd);
}

/* The ELF address of a run-time one: the image is loaded whole at one offset. */
static uint64_t elf_address(const struct elf_symbols *t, const void *p)
{
	uint64_t lowest = UINT64_MAX;

	for (size_t i = 0; i < t->nr_segments; i++)
		if (t->segments[i].vaddr < lowest)
			lowest = t->segments[i].vaddr;
	return (uintptr_t)p - (uintptr_t)__executable_start + (lowest & ~4095ULL);
}

static void test_own_function_by_address(void **state)
{
	struct elf_symbols t;
	const struct elf_symbol *s;
	uint64_t at;

	(void)state;
	load_self(&t);
	assert_true(t.symtab);	/* built with symbols: .symtab, not .dynsym */
	at = elf_address(&t, (const void *)elf_symbols_test_target);
	s = elf_symbols_at(&t, at);
	assert_non_null(s);
	assert_string_equal(elf_symbol_name(&t, s), "elf_symbols_test_target");
	assert_int_equal(s->addr, at);
	s = elf_symbols_at(&t, at + 1);
	assert_non_null(s);
	assert_string_equal(elf_symbol_name(&t, s), "elf_symbols_test_target");
	/* past its end: another function, or none, never this one */
	s = elf_symbols_at(&t, at + s->size);
	assert_true(!s || strcmp(elf_symbol_name(&t, s), "elf_symbols_test_target"));
	assert_null(elf_symbols_at(&t, 0));
	assert_int_equal(elf_symbols_test_target(1), 4);
	elf_symbols_free(&t);
}

/* A file offset inside a loaded segment maps to its ELF address; one past them does not. */
static void test_offset_to_address(void **state)
{
	struct elf_symbols t;
	const struct elf_segment *seg;
	uint64_t vaddr;

	(void)state;
	load_self(&t);
	assert_true(t.nr_segments > 0);
	seg = &t.segments[t.nr_segments - 1];
	assert_true(elf_symbols_vaddr(&t, seg->offset + 8, &vaddr));
	assert_int_equal(vaddr, seg->vaddr + 8);
	assert_false(elf_symbols_vaddr(&t, UINT64_MAX - 1, &vaddr));
	elf_symbols_free(&t);
}

static void test_not_elf(void **state)
{
	static const char text[] = "#!/bin/sh\necho not ELF\n";
	struct elf_symbols t;

	(void)state;
	assert_int_equal(elf_symbols_load_image(&t, text, sizeof(text)), -ENOEXEC);
	assert_int_equal(t.nr, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_own_function_by_address),
		cmocka_unit_test(test_offset_to_address),
		cmocka_unit_test(test_not_elf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
