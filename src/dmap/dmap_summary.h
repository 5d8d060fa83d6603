/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the direct-map walk found, set against /proc/iomem and DirectMap*.
 * Pure logic: unit-tested on made-up runs.
 */
#ifndef KVAS_DMAP_SUMMARY_H
#define KVAS_DMAP_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>
#include "dmap_runs.h"
#include "procfs.h"
#include "x86_pgtable.h"

enum dmap_size { DMAP_4K, DMAP_2M, DMAP_1G, DMAP_NR_SIZES };

#define DMAP_MAX_HOLES 64

/* A physical range between System RAM ranges, below the last one. */
struct dmap_hole {
	struct phys_range range;
	uint64_t mapped;		/* bytes of it the direct map maps anyway */
	char what[48];			/* the first top-level resource in it */
};

struct dmap_summary {
	uint64_t present[DMAP_NR_SIZES];	/* bytes mapped, by page size */
	uint64_t removed_4k;	/* not-present 4K entries over System RAM, bytes */
	uint64_t unmapped_ram;	/* System RAM with no entry at all, bytes */
	uint64_t mapped_non_ram; /* present entries over no System RAM, bytes */
	uint64_t ram;		/* System RAM in /proc/iomem, bytes */
	uint64_t ram_end;	/* end (exclusive) of the last System RAM range */
	struct dmap_hole holes[DMAP_MAX_HOLES];
	int nr_holes;
};

/* Summarize the runs of a walk of [page_offset_base, ...). */
void dmap_summarize(const struct dmap_runs *runs, uint64_t page_offset_base,
		    const struct iomem *io, struct dmap_summary *s);

/* The walk set against DirectMap*, in pages of each size. */
struct dmap_agreement {
	bool have_meminfo;
	int64_t walk_pages[DMAP_NR_SIZES];	/* 4K: present + removed */
	int64_t meminfo_pages[DMAP_NR_SIZES];
	int64_t diff_pages[DMAP_NR_SIZES];	/* walk - meminfo */
	bool agrees;				/* every |diff| <= 1 */
};

void dmap_agree(const struct dmap_summary *s, const struct direct_map_stats *st,
		struct dmap_agreement *a);

/* Page size in bytes and its name ("4K") for a dmap_size. */
uint64_t dmap_size_bytes(enum dmap_size sz);
const char *dmap_size_name(enum dmap_size sz);
/* The dmap_size of a leaf's shift; -1 for none. */
int dmap_size_of_shift(uint32_t shift);

#endif
