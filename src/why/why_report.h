/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvas why: what the direct map buys on this machine. The facts are read
 * in src/kernel (cpuid_read.c, tlb_measure.c, why_walk.c, why_facts.c)
 * and the direct map's walk is kvas dmap's (dmap_look.c); this model holds
 * the numbers and builds the verdict, and why_text.c and why_json.c print
 * the same report.
 */
#ifndef KVAS_WHY_REPORT_H
#define KVAS_WHY_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "tlb_cpuid.h"

/* A measured figure over repeats. */
struct why_stat {
	bool have;
	double median, min, max;
	int repeats;
};

/* samples[0..n) sorted in place, into s (have when n > 0). */
void why_stat_of(double *samples, int n, struct why_stat *s);

enum why_page { WHY_4K, WHY_2M, WHY_1G, WHY_NR_PAGES };

/* One buffer of the random-read measurement. */
struct why_read {
	struct why_stat ns;		/* per read */
	bool huge_backed;		/* 2M, 1G: checked backed by pages of its size */
	uint64_t backed_bytes;		/* AnonHugePages (2M), or the hugetlb mapping (1G) */
	char why_not[160];		/* why ns is not had, or "" */
};

struct why_measure {
	bool done;			/* false: --no-measure */
	uint64_t buffer_bytes;		/* each buffer */
	uint64_t reads;			/* per repeat */
	struct why_read read[WHY_NR_PAGES];
	/* The kernel: a physical address to a pointer. */
	struct why_stat walk_ns, direct_map_ns;	/* per address */
	uint32_t walk_addresses;	/* addresses per round */
	uint32_t walk_failed;		/* reads the kernel refused (pages not mapped) */
	char walk_why_not[160];
};

/* What /proc/meminfo says the kernel reaches only through the direct map. */
enum why_kind {
	WK_PAGE_TABLES, WK_SEC_PAGE_TABLES, WK_SLAB_RECLAIMABLE, WK_SLAB_UNRECLAIMABLE,
	WK_PAGE_CACHE, WK_KERNEL_STACKS, WK_NR
};

struct why_kinds {
	bool have[WK_NR];
	uint64_t bytes[WK_NR];
	uint64_t mem_total;
	bool vmap_stack_known, vmap_stack;	/* CONFIG_VMAP_STACK */
};

/* JSON key and /proc/meminfo field of a kind. */
const char *why_kind_key(enum why_kind k);
const char *why_kind_field(enum why_kind k);
/*
 * /proc/meminfo's text into k (MemTotal and the kinds' fields; a kind
 * kernel stacks are not counted as when VMAP_STACK puts them in vmalloc
 * is left out by the report, not here). 0, or -ENODATA without MemTotal.
 */
int why_kinds_parse(FILE *f, struct why_kinds *k);
/* Whether a kind is reached only through the direct map on this kernel. */
bool why_kind_counts(const struct why_kinds *k, enum why_kind kind);

struct why_report {
	/* 1. TLB reach */
	struct tlb_list tlb;
	bool cpuid_have_dev, cpuid_differs, hypervisor;
	char cpuid_shown[96];		/* which view the TLB list is */
	char cpuid_dev_why[96];
	/* 2. the direct map */
	int levels;
	uint64_t page_offset_base;
	bool have_walk;
	uint64_t walk_bytes[WHY_NR_PAGES];	/* present, by page size */
	bool have_meminfo_sizes;
	uint64_t meminfo_bytes[WHY_NR_PAGES];	/* DirectMap4k/2M/1G */
	char agreement[640];		/* the walk against DirectMap*, from kvas dmap's verdict */
	const char *agreement_kind;	/* dmap_verdict_name() */
	/* 3. measured */
	struct why_measure m;
	/* 4. reached through it, taken out of it */
	struct why_kinds kinds;
	uint64_t removed_bytes;		/* RAM whose 4K entry is not present */
	uint64_t unmapped_ram;		/* RAM without any entry */
	bool secretmem;
	char secretmem_why[160];
	int guest_memfd;		/* 1 yes, 0 no, -1 unknown */
	char guest_memfd_why[160];
	bool asi;
	char asi_why[160];
	/* 5. since boot */
	bool have_splits, have_collapses;
	uint64_t level2_splits, level3_splits, level2_collapses, level3_collapses;
	const char *attribution;	/* what `kvas dmap -i` would use, or NULL */
	char attribution_why[256];
};

/* Entries the walk's mix takes, and 4K pages alone would take. */
uint64_t why_entries(const struct why_report *r);
uint64_t why_entries_if_4k(const struct why_report *r);
uint64_t why_page_bytes(enum why_page p);
const char *why_page_name(enum why_page p);
/* "12,288" */
char *why_fmt_count(uint64_t n, char *buf, size_t len);

/* 6. The closing verdict, sentence by sentence, into buf. */
void why_verdict(const struct why_report *r, char *buf, size_t len);

void why_report_text(const struct why_report *r, FILE *out);
json_t *why_report_json(const struct why_report *r);

#endif
