// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "kread.h"
#include "procfs.h"
#include "procfs_read.h"
#include "translate_host.h"
#include "translate_run.h"
#include "translate_user.h"
#include "uwalk.h"
#include "x86_layout.h"

static bool need(struct discovery *d, enum layout_field f, uint64_t *v,
		 char *why, size_t len)
{
	const struct resolved_value *rv = &d->layout.val[f];

	if (rv->res == RES_CONFIRMED || rv->res == RES_SINGLE) {
		*v = rv->value;
		return true;
	}
	snprintf(why, len, "%s is %s: cannot translate", layout_field_name(f),
		 resolution_name(rv->res));
	return false;
}

int translator_init(struct translator *tr, struct discovery *d, char *why,
		    size_t len)
{
	struct region_input in = { 0 };
	struct kread_context kc;
	uint64_t levels;

	memset(tr, 0, sizeof(*tr));
	if (!need(d, LF_PAGING_LEVELS, &levels, why, len) ||
	    !need(d, LF_PAGE_OFFSET_BASE, &tr->ctx.page_offset_base, why, len) ||
	    !need(d, LF_VMEMMAP_BASE, &tr->ctx.vmemmap_base, why, len) ||
	    !need(d, LF_PHYS_BASE, &tr->ctx.phys_base, why, len))
		return -ENOENT;
	tr->ctx.levels = (int)levels;
	tr->ctx.page_struct_size = d->page_struct_size;
	tr->ctx.pa_mask = PTE_ADDR_MASK & ~d->sme_mask;
	tr->kr = discovery_kread(d);
	if (!tr->kr || kread_context(tr->kr, &kc)) {
		snprintf(why, len, "cannot load the BPF reader: %s", strerror(errno));
		return -EIO;
	}
	tr->kernel_pgd = kc.pgd;
	/* where struct pages end; unknown (0) when iomem is hidden from us */
	tr->have_io = !iomem_read(&tr->io) && !tr->io.censored;
	if (tr->have_io)
		tr->ctx.ram_end = iomem_ram_end(&tr->io);
	page_reader_init(&tr->pages, tr->kr, tr->ctx.vmemmap_base,
			 d->have_vmcoreinfo ? &d->vmcoreinfo : NULL);
	in.levels = tr->ctx.levels;
	in.page_offset_base = tr->ctx.page_offset_base;
	in.vmemmap_base = tr->ctx.vmemmap_base;
	/* vmalloc_base only bounds regions; an unknown one leaves a hole. */
	if (d->layout.val[LF_VMALLOC_BASE].res == RES_CONFIRMED ||
	    d->layout.val[LF_VMALLOC_BASE].res == RES_SINGLE)
		in.vmalloc_base = d->layout.val[LF_VMALLOC_BASE].value;
	in.kernel_image_size = d->kernel_image_size;
	return regions_build(&in, &tr->ctx.regions);
}

void translator_release(struct translator *tr)
{
	uwalk_close(tr->uw);
	tr->uw = NULL;
}

static void set_error(struct translation *t, const char *fmt, const char *detail)
{
	snprintf(t->error, sizeof(t->error), fmt, detail);
}

static void lookup_resource(struct translation *t)
{
	FILE *f = fopen("/proc/iomem", "re");

	if (!f)
		return;
	if (iomem_resource_of(f, t->pa, t->resource, sizeof(t->resource)))
		snprintf(t->resource, sizeof(t->resource), "no /proc/iomem resource");
	fclose(f);
}

/* A walk that stopped at a not-present entry: say where, and what it holds. */
static void explain_not_present(struct translation *t)
{
	const struct walk_step *st = &t->walk.steps[t->walk.nr_steps - 1];
	int n;

	decode_nonpresent(st->entry, &t->np);
	n = snprintf(t->error, sizeof(t->error), "not present at the %s level", st->name);
	if (strcmp(st->name, "PTE")) {
		snprintf(t->error + n, sizeof(t->error) - n, " (entry 0x%llx): nothing mapped below",
			 (unsigned long long)st->entry);
		return;
	}
	switch (t->np.kind) {
	case NP_NONE:
		snprintf(t->error + n, sizeof(t->error) - n, ": empty entry (never touched, or freed)");
		break;
	case NP_PROT_NONE:
		snprintf(t->error + n, sizeof(t->error) - n, ": PROT_NONE mapping (entry 0x%llx)",
			 (unsigned long long)st->entry);
		break;
	case NP_SWAP:
		snprintf(t->error + n, sizeof(t->error) - n, ": swapped out, swap type %u offset 0x%llx",
			 t->np.swap_type, (unsigned long long)t->np.swap_offset);
		break;
	case NP_SPECIAL:
		snprintf(t->error + n, sizeof(t->error) - n,
			 ": special swap entry type %u (migration, device or hwpoison), offset 0x%llx",
			 t->np.swap_type, (unsigned long long)t->np.swap_offset);
		break;
	}
}

/* The walk is the only way to the PA: take it, or say why there is none. */
static void take_walk_pa(struct translation *t)
{
	if (t->walk.status != WALK_OK) {
		set_error(t, "page-table walk failed: %s", walk_status_str(t->walk.status));
		return;
	}
	t->have_pa = true;
	t->pa = t->walk.pa;
	t->method = PA_WALK;
}

static void kernel_walk(struct translator *tr, uint64_t va, struct translation *t)
{
	struct walk_params p = {
		.pgd_va = tr->kernel_pgd, .page_offset_base = tr->ctx.page_offset_base,
		.pa_mask = tr->ctx.pa_mask, .levels = tr->ctx.levels,
		.read_u64 = kread_u64, .ctx = tr->kr,
	};

	pagewalk(&p, va, &t->walk);
	t->have_walk = true;
}

static void translate_user(struct translator *tr, struct translation *t)
{
	if (!translate_user_walk(tr, t))
		return;
	if (t->walk.status == WALK_NOT_PRESENT) {
		explain_not_present(t);
		if (!t->mapping[0])
			snprintf(t->error + strlen(t->error), sizeof(t->error) - strlen(t->error),
				 "; no mapping of pid %d contains it", t->pid);
		return;
	}
	take_walk_pa(t);
}

/*
 * Only an unmapped image address needs the bounds of the freed parts: read
 * kallsyms then, once, not in every live command. Censored or unreadable
 * kallsyms leaves them unknown, and nothing labelled.
 */
static void label_freed(struct translator *tr, struct translation *t)
{
	FILE *f;

	if (!image_unmapped(t))
		return;
	if (!tr->image_read) {
		tr->image_read = true;
		f = fopen("/proc/kallsyms", "re");
		if (f) {
			image_bounds_parse(f, &tr->ctx.image);
			fclose(f);
		}
	}
	translate_label_freed(&tr->ctx, t);
}

static void translate_kernel(struct translator *tr, struct translation *t)
{
	const char *reject;

	t->region = region_of(&tr->ctx.regions, t->addr);
	reject = translate_reject(&tr->ctx, t->addr, t->region, t->pid != 0);
	if (reject) {
		set_error(t, "%s", reject);
		return;
	}
	if (t->region->kind == REGION_USER) {
		translate_user(tr, t);
		return;
	}
	kernel_walk(tr, t->addr, t);
	label_freed(tr, t);
	if (translate_arith(&tr->ctx, t->addr, t->region, &t->pa, &t->method)) {
		t->have_pa = true;
		return;
	}
	if (t->walk.status == WALK_NOT_PRESENT) {
		explain_not_present(t);
		return;
	}
	take_walk_pa(t);
}

/* What the kernel keeps for pa: a memmap for its section, and whether it is RAM. */
static void check_memmap(struct translator *tr, struct translation *t)
{
	page_memmap(&tr->pages, t->pa >> X86_PAGE_SHIFT, &t->memmap);
	t->not_ram = tr->have_io && !iomem_is_ram(&tr->io, t->pa, 1);
}

/* US on a kernel page: explained where the kernel runs in ring 3. */
static void explain_us(struct translation *t)
{
	const struct walk_result *w = &t->walk;

	if (t->user || !t->have_walk || w->status != WALK_OK || !w->nr_steps ||
	    !(w->steps[w->nr_steps - 1].entry & PTE_USER))
		return;
	t->us_reason = kernel_ring3_reason();
}

static void translate_physical(struct translator *tr, struct translation *t)
{
	const struct region *dm;

	if (!pa_valid(t->addr)) {
		set_error(t, "%s is beyond the 52 bits of physical address x86-64 allows", t->input);
		return;
	}
	t->pa = t->addr;
	t->method = PA_GIVEN;
	translate_fill_from_pa(&tr->ctx, t);
	dm = region_of(&tr->ctx.regions, t->direct_map_alias);
	t->beyond_direct_map = t->pa > ~tr->ctx.page_offset_base ||
			       !dm || dm->kind != REGION_DIRECT_MAP;
	if (t->beyond_direct_map) {
		t->direct_map_alias = 0;
		/* past the end of RAM that is the whole answer; within RAM, a failure */
		if (!t->beyond_ram) {
			set_error(t, "%s is beyond what the direct map can cover on this boot",
				  t->input);
			return;
		}
	}
	t->have_pa = true;
	if (!t->beyond_direct_map)
		kernel_walk(tr, t->direct_map_alias, t);
	lookup_resource(t);
}

void translate_one(struct translator *tr, const char *input,
		   enum translate_input kind, pid_t pid, struct translation *t)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->input, sizeof(t->input), "%s", input);
	t->in_kind = kind;
	t->pid = pid;
	if (parse_hex_u64(input, &t->addr)) {
		set_error(t, "cannot parse '%s' as a hex address", input);
		return;
	}
	t->parsed = true;
	if (kind == TIN_PHYSICAL) {
		translate_physical(tr, t);
		if (t->have_pa)
			check_memmap(tr, t);
		explain_us(t);
		translate_check_walk(t);
		return;
	}
	t->va_kind = va_kind_of(t->addr, tr->ctx.levels);
	translate_kernel(tr, t);
	if (t->have_pa) {
		translate_fill_from_pa(&tr->ctx, t);
		lookup_resource(t);
		check_memmap(tr, t);
	}
	explain_us(t);
	translate_check_walk(t);
}

void translation_page(struct translator *tr, struct translation *t)
{
	char why[sizeof(t->page.error)];

	t->page_asked = true;
	if (t->error[0] || !t->have_pa)
		return;
	if (!translation_has_struct_page(t)) {
		snprintf(t->page.error, sizeof(t->page.error), "no struct page: %s",
			 no_struct_page_reason(t, why, sizeof(why)));
		return;
	}
	page_read(&tr->pages, t->pa >> X86_PAGE_SHIFT, &t->page);
}
