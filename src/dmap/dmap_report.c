// SPDX-License-Identifier: GPL-2.0
/*
 * What dmap's two printers (dmap_text.c, dmap_json.c) read the same way: the
 * verdict on DirectMap* against the walk, the pieces worth listing, and where
 * a change's page is and who made it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "dmap_report.h"
#include "regions.h"

void dmap_look_free(struct dmap_look *l)
{
	dmap_runs_free(&l->runs);
}

const char *dmap_change_kind_name(uint32_t kind)
{
	static const char *const names[DMAP_NR_CHANGE_KINDS] = {
		[DMAP_CHANGE_CPA] = "page-attr",
		[DMAP_CHANGE_INVALID] = "unmap",
		[DMAP_CHANGE_DEFAULT] = "restore",
	};

	return kind < DMAP_NR_CHANGE_KINDS ? names[kind] : "?";
}

const struct read_failures *dmap_look_failures(const struct dmap_look *l,
					       struct read_failures *rf)
{
	memset(rf, 0, sizeof(*rf));
	if (l->stats_err)
		read_failure_add(rf, "/proc/meminfo or /proc/vmstat", l->stats_err);
	return rf;
}

const char *dmap_disagreement(const struct dmap_look *l)
{
	return l->verdict.kind == DMAP_AGREE ? NULL : l->verdict.text;
}

bool dmap_run_is_piece(const struct dmap_run *r)
{
	return r->shift == X86_PAGE_SHIFT || (r->shift == PMD_SHIFT && (r->flags & DMAP_PRESENT));
}

bool dmap_change_page(const struct translate_ctx *c, const struct dmap_change *ch,
		      uint64_t *va, uint64_t *pa)
{
	const struct region *r;

	if (ch->addr_kind == DMAP_ADDR_PAGE) {
		if (!c->page_struct_size || ch->addr < c->vmemmap_base)
			return false;
		*pa = (ch->addr - c->vmemmap_base) / c->page_struct_size * 4096;
		*va = c->page_offset_base + *pa;
		return true;
	}
	*va = ch->addr;
	r = region_of(&c->regions, ch->addr);
	if (!r || r->kind != REGION_DIRECT_MAP)
		return false;
	*pa = ch->addr - c->page_offset_base;
	return true;
}

const char *dmap_va_region(const struct translate_ctx *c, uint64_t va)
{
	const struct region *r = region_of(&c->regions, va);

	return r ? r->name : "?";
}

int dmap_stack_depth(const struct dmap_change *ch)
{
	int n = ch->stack_bytes > 0 ? ch->stack_bytes / 8 : 0;

	return n < DMAP_STACK_DEPTH ? n : DMAP_STACK_DEPTH;
}

const char *dmap_frame_name(const struct dmap_change *ch, int i, const struct ksyms *ks,
			    char *buf, size_t len)
{
	if (!ks || !ksyms_name(ks, ch->stack[i], buf, len))
		snprintf(buf, len, "0x%llx", (unsigned long long)ch->stack[i]);
	return buf;
}

int dmap_first_frame(const struct dmap_change *ch, const struct ksyms *ks)
{
	static const char *const hook[] = {
		"bpf_prog_", "bpf_trampoline_", "kprobe", "__kprobe", "aggr_pre_handler",
		"ftrace", "arch_ftrace", "trace_call_bpf", NULL,
	};
	int i;

	for (i = 0; i < dmap_stack_depth(ch); i++) {
		char sym[96];
		bool ours = false;

		dmap_frame_name(ch, i, ks, sym, sizeof(sym));
		for (int k = 0; hook[k] && !ours; k++)
			ours = !strncmp(sym, hook[k], strlen(hook[k]));
		if (!ours)
			break;
	}
	return i < dmap_stack_depth(ch) ? i : 0;
}
