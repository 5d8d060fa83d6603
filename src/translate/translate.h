/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Address translation: what an address is and the physical facts behind it.
 * The arithmetic and decoding here are pure; translate_run.c does the walks
 * (translate_user.c those of user addresses).
 */
#ifndef KVAS_TRANSLATE_H
#define KVAS_TRANSLATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "image_freed.h"
#include "page_decode.h"
#include "pagewalk.h"
#include "procfs.h"
#include "regions.h"

/* What the translation needs from the layout. */
struct translate_ctx {
	int levels;
	uint64_t page_offset_base, vmemmap_base, phys_base;
	uint64_t page_struct_size, pa_mask;
	uint64_t ram_end;	/* last byte of System RAM (/proc/iomem); 0: unknown */
	struct region_table regions;
	struct image_bounds image;	/* what bounds the image's freed parts (kallsyms) */
};

enum translate_input { TIN_VIRTUAL, TIN_PHYSICAL };

/* Which half of the address space a virtual address is in, by the paging levels. */
enum va_kind { VA_USER, VA_NONCANONICAL, VA_KERNEL };

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
	bool parsed;			/* addr holds the input */
	uint64_t addr;
	enum va_kind va_kind;		/* for a virtual input */
	pid_t pid;			/* 0: not a user translation */
	pid_t tid;			/* -p named this thread of pid; 0: none */
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
	bool walk_compared;		/* the walk's PA and pa are the same thing */
	bool walk_agrees;		/* ... and equal */
	struct nonpresent np;
	struct freed_range freed;	/* the image's part freed after boot, if in one */

	uint64_t struct_page, direct_map_alias;
	bool beyond_ram;		/* pfn past the last page frame: no struct page */
	uint64_t ram_last_pfn;		/* that last page frame, when beyond_ram */
	bool beyond_direct_map;		/* pa past the direct map's reach: no alias */
	char resource[96];		/* the /proc/iomem resource of the PA */
	struct memmap_info memmap;	/* whether pa's section has struct pages */
	bool not_ram;			/* pa is in no System RAM range of /proc/iomem */

	/*
	 * A kernel page whose leaf entry has US because the kernel itself runs
	 * in ring 3 (a PVM guest): why, or NULL.
	 */
	const char *us_reason;

	/* --page: the struct page behind pa, decoded */
	bool page_asked;
	struct page_facts page;

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

/*
 * Whether pa has a struct page: where the section's memmap is known, it
 * decides (a hole in a present section has one; a section without a memmap
 * has none); else pa past the end of System RAM has none.
 */
bool translation_has_struct_page(const struct translation *t);

/* Why pa has no struct page, for text and JSON alike. */
const char *no_struct_page_reason(const struct translation *t, char *buf, size_t len);

enum va_kind va_kind_of(uint64_t va, int levels);
const char *va_kind_name(enum va_kind k);

/* Whether pa fits the 52 bits of physical address x86-64 allows. */
bool pa_valid(uint64_t pa);

/* The last page frame of System RAM (the kernel's max_pfn - 1). */
static inline uint64_t last_ram_pfn(const struct translate_ctx *c)
{
	return c->ram_end >> 12;
}

/*
 * Compare the walk with t->pa where both name the same byte: not for a
 * struct page, whose walk finds where it is stored, not what it describes.
 */
void translate_check_walk(struct translation *t);

/*
 * Why pid's address space cannot be walked, given its status, or NULL:
 * zombies and kernel threads have none (into buf, returned).
 */
const char *process_problem(const struct proc_status *st, pid_t pid, char *buf, size_t len);

/* A kernel-image address the walk finds unmapped: it may be a freed part. */
bool image_unmapped(const struct translation *t);

/*
 * Label an image address the kernel freed after boot: in a freed range and
 * unmapped. A mapped one is not freed yet (or on this kernel, never).
 */
void translate_label_freed(const struct translate_ctx *c, struct translation *t);

/* Decode a not-present PTE (arch/x86/include/asm/pgtable_64.h). */
void decode_nonpresent(uint64_t entry, struct nonpresent *np);

/* Why an address cannot be translated without a walk, or NULL. */
const char *translate_reject(const struct translate_ctx *c, uint64_t va,
			     const struct region *r, bool have_pid);

#endif
