/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 page-table walk. Tables are read through the direct map, so the walk
 * needs page_offset_base: table VA = page_offset_base + (entry & PA mask).
 * Pure logic: the caller supplies how to read a kernel u64.
 */
#ifndef KVAS_PAGEWALK_H
#define KVAS_PAGEWALK_H

#include <stdbool.h>
#include <stdint.h>

#include "x86_pgtable.h"

typedef int (*read_u64_fn)(void *ctx, uint64_t kva, uint64_t *value);

struct walk_step {
	const char *name;	/* "PGD", "P4D", "PUD", "PMD", "PTE" */
	unsigned int index;
	uint64_t table_va;	/* the direct-map address the table was read at */
	uint64_t entry_va;
	uint64_t entry;
};

enum walk_status {
	WALK_OK,
	WALK_NOT_PRESENT,	/* steps[nr_steps - 1] is the not-present entry */
	WALK_READ_FAILED,	/* could not read a table: wrong base, or a hole */
	WALK_NON_CANONICAL,
};

struct walk_result {
	enum walk_status status;
	int nr_steps;
	struct walk_step steps[5];
	uint64_t pa;
	uint64_t page_size;
};

struct walk_params {
	uint64_t pgd_va;		/* top table, a direct-map address */
	uint64_t page_offset_base;
	uint64_t pa_mask;		/* PTE_ADDR_MASK less the SME C-bit */
	int levels;			/* 4 or 5 */
	read_u64_fn read_u64;
	void *ctx;
};

int pagewalk(const struct walk_params *p, uint64_t va, struct walk_result *res);

/* Level names ("PGD" ... "PTE"); the VA shift of each is PT_LEVEL_SHIFT(levels, lvl). */
const char *walk_level_name(int levels, int lvl);

/* Fill res->pa and page_size from a present leaf at level lvl. */
void walk_set_leaf(struct walk_result *res, int levels, int lvl,
		   uint64_t va, uint64_t pa_mask);

/* Flags as a short text, e.g. "P RW US A D NX"; returns buf. */
char *pte_flags_str(uint64_t entry, bool leaf_huge, char *buf, size_t len);

const char *walk_status_str(enum walk_status s);

#endif
