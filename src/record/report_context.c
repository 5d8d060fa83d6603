// SPDX-License-Identifier: GPL-2.0
/*
 * What kvas report names events by that the recording carries as meta: the
 * TLB reasons' names (the kernel's enum, which record read from BTF) and
 * the kernel's layout, from which the regions of kernel faults follow.
 */
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "report_ctx.h"
#include "x86_layout.h"

/* A hex meta value; 0 when absent or "unknown". */
static uint64_t meta_hex(const struct recording *r, const char *key)
{
	const char *v = recording_meta(r, key);
	uint64_t x;

	return v && !parse_hex_u64(v, &x) ? x : 0;
}

void report_ctx_init(struct report_ctx *c, const struct recording *r)
{
	const char *levels = recording_meta(r, "paging_levels");
	struct region_input in = { 0 };

	memset(c, 0, sizeof(*c));
	c->r = r;
	c->tlb_names = recording_tlb_reasons(r, &c->reasons);
	if (!levels || (strcmp(levels, "4") && strcmp(levels, "5")))
		return;
	in.levels = levels[0] - '0';
	in.page_offset_base = meta_hex(r, "page_offset_base");
	in.vmalloc_base = meta_hex(r, "vmalloc_base");
	in.vmemmap_base = meta_hex(r, "vmemmap_base");
	/* an unknown base is a hole in the table: its addresses read "unknown" */
	if (regions_build(&in, &c->regions))
		return;
	c->user_end = x86_user_end(in.levels);
	c->layout_known = in.page_offset_base && in.vmalloc_base && in.vmemmap_base;
}
