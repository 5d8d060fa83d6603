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

/* "0=TLB_FLUSH_ON_TASK_SWITCH,1=TLB_REMOTE_SHOOTDOWN,...": false when absent. */
static bool learn_reasons(struct tlb_reasons *t, const char *list)
{
	char item[96];
	bool any = false;

	tlb_reasons_init(t);
	while (list && *list) {
		size_t n = strcspn(list, ",");
		char *eq, *end;
		long v;

		snprintf(item, sizeof(item), "%.*s", (int)(n < sizeof(item) ? n : sizeof(item) - 1),
			 list);
		eq = strchr(item, '=');
		if (eq) {
			*eq = '\0';
			v = strtol(item, &end, 10);
			/* a malformed item names nothing: its reason reads "reason N" */
			if (end != item && !*end && eq[1]) {
				tlb_reasons_learn(t, eq + 1, v);
				any = true;
			}
		}
		list += n + (list[n] == ',');
	}
	return any;
}

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
	c->tlb_names = learn_reasons(&c->reasons, recording_meta(r, "tlb_reasons"));
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
