/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parts of the kernel image x86-64 gives back after boot, from the
 * symbols that bound them (arch/x86/mm/init_64.c: mark_rodata_ro() frees the
 * text/rodata and rodata/data gaps, free_initmem() the init sections).
 */
#ifndef KVAS_IMAGE_FREED_H
#define KVAS_IMAGE_FREED_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* The bounding symbols' addresses; 0: this kernel does not publish it. */
struct image_bounds {
	uint64_t etext, start_rodata, end_rodata, sdata;
	uint64_t init_begin, init_end, einittext;
};

enum freed_region { FREED_NONE, FREED_INITMEM, FREED_TEXT_RODATA, FREED_RODATA_DATA };

/* Where a freed address lies: the range and the symbols that bound it. */
struct freed_range {
	enum freed_region region;
	uint64_t start, end;		/* [start, end), page-aligned as the kernel frees */
	const char *start_sym, *end_sym;
};

/* Read the bounding symbols from kallsyms text; absent ones stay 0. */
void image_bounds_parse(FILE *kallsyms, struct image_bounds *b);

/*
 * The freed range holding va, by the best bounds published: the init
 * sections end at __init_end, or where only init text's end is known, at
 * _einittext; a gap counts only when both its bounds are known.
 */
bool image_freed_range(const struct image_bounds *b, uint64_t va, struct freed_range *r);

/* "initmem", "text/rodata gap", "rodata/data gap" */
const char *freed_region_name(enum freed_region region);

#endif
