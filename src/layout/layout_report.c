// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "layout_report.h"

const char *kaslr_state_name(enum kaslr_state s)
{
	switch (s) {
	case KASLR_ACTIVE: return "active";
	case KASLR_INACTIVE: return "inactive";
	default: return "unknown";
	}
}

/* ": why" when the kernel shows randomization was off, and the build supports it. */
static void inactive_why(struct kaslr_verdict *v, const char *at, const char *opt,
			 const struct discovery *d, bool by_boot)
{
	bool built = kconfig_bool(&d->kconfig, opt) == KCONFIG_YES;

	snprintf(v->why, sizeof(v->why), "%s%s%s%s%s%s", at,
		 v->off_reason ? ": " : " although nothing shows randomization was off",
		 v->off_reason ? v->off_reason : "",
		 built && by_boot ? " (the kernel supports it: " : "",
		 built && by_boot ? opt : "", built && by_boot ? "=y)" : "");
}

static void verdict_memory(struct layout_report *r)
{
	struct kaslr_verdict *v = &r->memory;
	int moved = 0, known = 0;
	char at[48];
	size_t n = 0;

	v->off_reason = r->d->kaslr_off.memory.why;
	for (int f = LF_PAGE_OFFSET_BASE; f <= LF_VMEMMAP_BASE && r->levels; f++) {
		uint64_t val;
		char off_s[32];

		if (!layout_value_exact(&r->d->layout, f, &val))
			continue;
		known++;
		if (!r->offset[f])
			continue;
		n += snprintf(v->why + n, n < sizeof(v->why) ? sizeof(v->why) - n : 0,
			      "%s%s %s", moved ? ", " : "bases moved: ", layout_field_name(f),
			      fmt_offset(val, r->def[f], off_s, sizeof(off_s)));
		moved++;
	}
	if (moved) {
		v->state = KASLR_ACTIVE;
		return;
	}
	if (known < 3) {
		v->state = KASLR_UNKNOWN;
		snprintf(v->why, sizeof(v->why), "not every base is known");
		return;
	}
	v->state = KASLR_INACTIVE;
	snprintf(at, sizeof(at), "bases at their %d-level defaults", r->levels);
	inactive_why(v, at, "CONFIG_RANDOMIZE_MEMORY", r->d, r->d->kaslr_off.memory.by_boot);
}

static void verdict_text(struct layout_report *r)
{
	struct kaslr_verdict *v = &r->text;
	uint64_t slide;

	v->off_reason = r->d->kaslr_off.text.why;
	if (!layout_value_exact(&r->d->layout, LF_TEXT_SLIDE, &slide)) {
		v->state = KASLR_UNKNOWN;
		snprintf(v->why, sizeof(v->why), "text slide unknown");
		return;
	}
	if (slide) {
		v->state = KASLR_ACTIVE;
		snprintf(v->why, sizeof(v->why), "_text slid by 0x%llx",
			 (unsigned long long)slide);
		return;
	}
	v->state = KASLR_INACTIVE;
	inactive_why(v, "_text at __START_KERNEL", "CONFIG_RANDOMIZE_BASE", r->d,
		     r->d->kaslr_off.text.by_boot);
}

/* Each value's default on this boot, and its offset from it when known. */
static void offsets(struct layout_report *r)
{
	const struct layout *l = &r->d->layout;

	for (int f = 0; f < LF_NR; f++) {
		r->have_default[f] = f != LF_PAGING_LEVELS &&
				     layout_default_of(f, r->levels, &r->def[f]);
		r->have_offset[f] = r->have_default[f] && resolved_known(&l->val[f]);
		if (r->have_offset[f])
			r->offset[f] = (int64_t)(l->val[f].value - r->def[f]);
	}
}

static void ram_extent(struct layout_report *r)
{
	const struct iomem *io = &r->d->iomem;

	for (int i = 0; i < io->nr_ram; i++) {
		const struct phys_range *pr = &io->ram[i];

		if (!i || pr->start < r->ram_start)
			r->ram_start = pr->start;
		if (pr->end > r->ram_end)
			r->ram_end = pr->end;
		r->ram_bytes += pr->end - pr->start + 1;
	}
}

void layout_report_build(const struct discovery *d, struct layout_report *r)
{
	const struct layout *l = &d->layout;
	struct region_input in = { 0 };
	uint64_t v;

	memset(r, 0, sizeof(*r));
	r->d = d;
	if (layout_value_known(l, LF_PAGING_LEVELS, &v))
		r->levels = (int)v;
	offsets(r);
	verdict_memory(r);
	verdict_text(r);

	in.levels = r->levels;
	layout_value_known(l, LF_PAGE_OFFSET_BASE, &in.page_offset_base);
	layout_value_known(l, LF_VMALLOC_BASE, &in.vmalloc_base);
	layout_value_known(l, LF_VMEMMAP_BASE, &in.vmemmap_base);
	in.kernel_image_size = d->kernel_image_size;
	r->have_regions = r->levels && !regions_build(&in, &r->regions);
	ram_extent(r);
}
