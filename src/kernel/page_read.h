/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct page on the running kernel: its layout from BTF (probed in
 * page_layout_probe.c), the memmap from SPARSEMEM's mem_section, nodes and
 * zones from pglist_data, and the bytes read through the BPF reader (kread).
 * Where the kernel publishes the data symbols: VMCOREINFO (mem_section,
 * node_data), which needs no KALLSYMS_ALL.
 */
#ifndef KVAS_PAGE_READ_H
#define KVAS_PAGE_READ_H

#include <stdbool.h>
#include <stdint.h>

#include "page_decode.h"
#include "vmcoreinfo.h"

struct kread;

struct page_reader {
	struct kread *kr;
	uint64_t vmemmap_base;

	bool layout_tried, layout_ok;
	char layout_why[128];
	struct page_layout layout;

	/* SPARSEMEM_EXTREME's mem_section, from VMCOREINFO */
	bool have_sections;
	uint64_t mem_section;		/* the root array (struct mem_section **) */
	uint64_t nr_roots, section_struct_size, section_map_off, per_root;
	unsigned int section_bits;

	/* the nodes, from VMCOREINFO: node_data[] (NUMA) or contig_page_data */
	uint64_t node_data, nr_node_data, contig_page_data, node_online_map;
	bool ranges_tried, ranges_ok;
	struct page_ranges ranges;
};

/* Keep what vi (NULL: no note was read) publishes; nothing is read yet. */
void page_reader_init(struct page_reader *pr, struct kread *kr, uint64_t vmemmap_base,
		      const struct vmcoreinfo *vi);

/* Whether pfn's section has a memmap: its mem_section's SECTION_HAS_MEM_MAP. */
void page_memmap(struct page_reader *pr, uint64_t pfn, struct memmap_info *mm);

/* Read and decode pfn's struct page and what it points at; pf->error says why not. */
void page_read(struct page_reader *pr, uint64_t pfn, struct page_facts *pf);

#endif
