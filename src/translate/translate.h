/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Address translation: what an address is and the physical facts behind it.
 * The arithmetic and decoding here are pure; translate_run.c does the walks.
 */
#ifndef KVAS_TRANSLATE_H
#define KVAS_TRANSLATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "pagewalk.h"
#include "regions.h"

/* What the translation needs from the layout. */
struct translate_ctx {
	int levels;
	uint64_t page_offset_base, vmemmap_base, phys_base;
	uint64_t page_struct_size, pa_mask;
	struct region_table regions;
};

enum translate_input { TIN_VIRTUAL, TIN_PHYSICAL };

enum pa_method {
	PA_NONE,
	PA_DIRECT_MAP,		/* va - page_offset_base */
	PA_PHYS_BASE,		/* va - __START_KERNEL_map + phys_base */
	PA_STRUCT_PAGE,		/* (va - vmemmap_base) / sizeof(struct page) */
	PA_WALK,		/* page-table walk */
	PA_GIVEN,		/* --phys */
};

/* A not-present leaf entry, decoded as the kernel would. */
struct nonpresent {
	enum { NP_NONE, NP_PROT_NONE, NP_SWAP, NP_SPECIAL } kind;
	unsigned int swap_type;
	uint64_t swap_offset;
};

struct translation {
	char input[40];
	enum translate_input in_kind;
	uint64_t addr;
	pid_t pid;			/* 0: not a user translation */
	char comm[16];
	char error[200];		/* set: this address failed */

	const struct region *region;
	bool user;			/* a user-space address of pid */
	char mapping[512];		/* the /proc/PID/maps line */

	bool have_pa;
	uint64_t pa;
	enum pa_method method;
	bool have_walk;
	struct walk_result walk;
	bool walk_agrees;		/* walk PA equals the arithmetic PA */
	struct nonpresent np;

	uint64_t struct_page, direct_map_alias;
	char resource[96];		/* the /proc/iomem resource of the PA */

	/* --read: what was asked, where it was read, and what came back */
	size_t read_asked, read_len;
	uint64_t read_at;
	int read_err;			/* -errno; -EPERM: not System RAM */
	unsigned char read_buf[4096];
};

const char *pa_method_name(enum pa_method m);

/* Physical address by arithmetic alone, for the regions that allow it. */
bool translate_arith(const struct translate_ctx *c, uint64_t va,
		     const struct region *r, uint64_t *pa, enum pa_method *m);

/* Fill pfn-derived fields (struct page, direct-map alias) from t->pa. */
void translate_fill_from_pa(const struct translate_ctx *c, struct translation *t);

/* Decode a not-present PTE (arch/x86/include/asm/pgtable_64.h). */
void decode_nonpresent(uint64_t entry, struct nonpresent *np);

/* Why an address cannot be translated without a walk, or NULL. */
const char *translate_reject(const struct translate_ctx *c, uint64_t va,
			     const struct region *r, bool have_pid);

#endif
