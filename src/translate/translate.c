// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "translate.h"
#include "x86_layout.h"
#include "x86_pgtable.h"

/* arch/x86/include/asm/pgtable_64.h */
#define SWP_TYPE_BITS		5
#define SWP_OFFSET_SHIFT	(8 + 1 + SWP_TYPE_BITS)	/* past PTE_PROTNONE (bit 8) */
/*
 * The highest swap types are not swap devices: migration, device-private,
 * hwpoison and PTE markers (include/linux/swap.h). How many depends on the
 * config; 27 and up are special on every x86-64 distribution kernel.
 */
#define SWP_FIRST_SPECIAL	27

const char *pa_method_name(enum pa_method m)
{
	switch (m) {
	case PA_DIRECT_MAP: return "direct map: va - page_offset_base";
	case PA_PHYS_BASE: return "kernel image: va - __START_KERNEL_map + phys_base";
	case PA_STRUCT_PAGE: return "vmemmap: pfn = (va - vmemmap_base) / sizeof(struct page)";
	case PA_WALK: return "page-table walk";
	case PA_GIVEN: return "given";
	default: return "none";
	}
}

bool translate_arith(const struct translate_ctx *c, uint64_t va,
		     const struct region *r, uint64_t *pa, enum pa_method *m)
{
	if (!r)
		return false;
	switch (r->kind) {
	case REGION_DIRECT_MAP:
		*pa = va - c->page_offset_base;
		*m = PA_DIRECT_MAP;
		return true;
	case REGION_KERNEL_TEXT:
		*pa = va - START_KERNEL_MAP + c->phys_base;
		*m = PA_PHYS_BASE;
		return true;
	case REGION_VMEMMAP:
		/* The PA a struct page describes, not where it is stored. */
		*pa = (va - c->vmemmap_base) / c->page_struct_size << X86_PAGE_SHIFT;
		*m = PA_STRUCT_PAGE;
		return true;
	default:
		return false;
	}
}

void translate_fill_from_pa(const struct translate_ctx *c, struct translation *t)
{
	uint64_t pfn = t->pa >> X86_PAGE_SHIFT;

	/* vmemmap has struct pages up to max_pfn only: past it is no page at all */
	t->beyond_ram = c->ram_end && pfn > last_ram_pfn(c);
	t->ram_last_pfn = t->beyond_ram ? last_ram_pfn(c) : 0;
	t->struct_page = c->vmemmap_base + pfn * c->page_struct_size;
	t->direct_map_alias = c->page_offset_base + t->pa;
}

bool translation_has_struct_page(const struct translation *t)
{
	if (t->memmap.state == MEMMAP_PRESENT)
		return true;
	return t->memmap.state == MEMMAP_UNKNOWN && !t->beyond_ram;
}

const char *no_struct_page_reason(const struct translation *t, char *buf, size_t len)
{
	unsigned long long pfn = t->pa >> X86_PAGE_SHIFT;
	int n = 0;

	if (t->beyond_ram)
		n = snprintf(buf, len, "pfn 0x%llx is beyond the last page frame of System RAM (0x%llx)",
			     pfn, (unsigned long long)t->ram_last_pfn);
	if (t->memmap.state != MEMMAP_NONE || n < 0 || (size_t)n >= len)
		return buf;
	snprintf(buf + n, len - n, "%spfn 0x%llx is in memory section %llu, which %s: "
		 "the kernel keeps struct pages only for sections with a memmap",
		 n ? "; " : "", pfn, (unsigned long long)t->memmap.section_nr,
		 t->memmap.root_absent ? "does not exist (no mem_section for it)" :
		 "has no memmap (SECTION_HAS_MEM_MAP clear)");
	return buf;
}

enum va_kind va_kind_of(uint64_t va, int levels)
{
	if (va <= x86_user_end(levels))
		return VA_USER;
	return x86_canonical(va, levels) ? VA_KERNEL : VA_NONCANONICAL;
}

const char *va_kind_name(enum va_kind k)
{
	switch (k) {
	case VA_USER: return "user";
	case VA_NONCANONICAL: return "non-canonical";
	default: return "kernel";
	}
}

bool pa_valid(uint64_t pa)
{
	return pa <= PHYS_ADDR_MAX;
}

void translate_check_walk(struct translation *t)
{
	/* both carry the byte offset within the page: compare them whole */
	t->walk_compared = t->have_pa && t->have_walk && t->walk.status == WALK_OK &&
			   t->method != PA_STRUCT_PAGE;
	t->walk_agrees = t->walk_compared && t->walk.pa == t->pa;
}

const char *process_problem(const struct proc_status *st, pid_t pid, char *buf, size_t len)
{
	if ((st->state == 'Z' || st->state == 'X') && st->threads > 1)
		snprintf(buf, len, "the main thread of pid %d (%s) has exited while its other "
			 "threads run: kvas reaches a process's tables through its main thread",
			 pid, st->name);
	else if (st->state == 'Z' || st->state == 'X')
		snprintf(buf, len, "pid %d (%s) is a zombie: it has exited and its address "
			 "space is gone (its parent has not reaped it)", pid, st->name);
	else if (st->kthread == 1)
		snprintf(buf, len, "pid %d (%s) is a kernel thread: it has no user address space",
			 pid, st->name);
	else
		return NULL;
	return buf;
}

bool image_unmapped(const struct translation *t)
{
	return t->region && t->region->kind == REGION_KERNEL_TEXT && t->have_walk &&
	       t->walk.status == WALK_NOT_PRESENT;
}

void translate_label_freed(const struct translate_ctx *c, struct translation *t)
{
	if (image_unmapped(t))
		image_freed_range(&c->image, t->addr, &t->freed);
}

void decode_nonpresent(uint64_t entry, struct nonpresent *np)
{
	memset(np, 0, sizeof(*np));
	if (!entry) {
		np->kind = NP_NONE;
		return;
	}
	if (entry & PTE_PROTNONE) {
		np->kind = NP_PROT_NONE;	/* present to the kernel, not to the MMU */
		return;
	}
	np->swap_type = entry >> (64 - SWP_TYPE_BITS);
	np->swap_offset = ~entry << SWP_TYPE_BITS >> SWP_OFFSET_SHIFT;
	np->kind = np->swap_type >= SWP_FIRST_SPECIAL ? NP_SPECIAL : NP_SWAP;
}

const char *translate_reject(const struct translate_ctx *c, uint64_t va,
			     const struct region *r, bool have_pid)
{
	if (!x86_canonical(va, c->levels))
		return c->levels == 5 ?
		       "non-canonical address: bits 63..56 must all equal bit 56" :
		       "non-canonical address: bits 63..47 must all equal bit 47";
	if (!r)
		return "address outside every known region";
	if (r->kind == REGION_HOLE || r->kind == REGION_GUARD_HOLE)
		return "address in a hole of the kernel's address space: nothing is mapped there";
	if (r->kind == REGION_USER && !have_pid)
		return "user address, no process given: say whose with -p PID";
	return NULL;
}
