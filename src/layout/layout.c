// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "layout.h"
#include "x86_layout.h"

static const char *const field_names[LF_NR] = {
	[LF_PAGE_OFFSET_BASE] = "page_offset_base",
	[LF_VMALLOC_BASE] = "vmalloc_base",
	[LF_VMEMMAP_BASE] = "vmemmap_base",
	[LF_TEXT] = "_text",
	[LF_PHYS_BASE] = "phys_base",
	[LF_TEXT_SLIDE] = "text_slide",
	[LF_PAGING_LEVELS] = "paging_levels",
};

static const char *const source_names[LS_NR] = {
	[LS_KSYM] = "ksym",
	[LS_TRACEPOINT] = "tracepoint",
	[LS_VMCOREINFO] = "vmcoreinfo",
	[LS_PAGEWALK] = "pagewalk",
	[LS_ESTIMATE] = "estimate",
	[LS_DEFAULT] = "default",
};

const char *layout_field_name(enum layout_field f)
{
	return f < LF_NR ? field_names[f] : "?";
}

const char *layout_source_name(enum layout_source s)
{
	return s < LS_NR ? source_names[s] : "?";
}

int layout_source_by_name(const char *name)
{
	for (int s = 0; s < LS_NR; s++)
		if (!strcmp(name, source_names[s]))
			return s;
	return -1;
}

const char *resolution_name(enum resolution r)
{
	switch (r) {
	case RES_CONFIRMED: return "confirmed";
	case RES_SINGLE: return "single source";
	case RES_ESTIMATE: return "estimate";
	case RES_CONFLICT: return "conflict";
	default: return "unknown";
	}
}

static bool is_base(enum layout_field f)
{
	return f == LF_PAGE_OFFSET_BASE || f == LF_VMALLOC_BASE ||
	       f == LF_VMEMMAP_BASE;
}

const char *layout_check_invariants(enum layout_field f, uint64_t value,
				    int levels)
{
	if (is_base(f)) {
		if (!is_aligned(value, PUD_SIZE))
			return "not 1 GiB aligned";
		/* Without the mode, the loosest (5-level) range applies. */
		if (!base_in_kaslr_range(value, levels ? levels : 5))
			return "outside the range memory KASLR can choose";
		return NULL;
	}
	switch (f) {
	case LF_TEXT:
		if (value < START_KERNEL_MAP || value >= MODULES_END)
			return "outside the kernel image window";
		if (!is_aligned(value, 2 * MB))
			return "not 2 MiB aligned";
		return NULL;
	case LF_TEXT_SLIDE:
		if (value >= KERNEL_IMAGE_SIZE_KASLR || !is_aligned(value, 2 * MB))
			return "not a 2 MiB step inside the 1 GiB image window";
		return NULL;
	case LF_PHYS_BASE:
		/* Signed in principle, but the kernel keeps it page aligned. */
		if (!is_aligned(value, X86_PAGE_SIZE))
			return "not page aligned";
		return NULL;
	case LF_PAGING_LEVELS:
		return value == 4 || value == 5 ? NULL : "not 4 or 5";
	default:
		return NULL;
	}
}

bool layout_claim(struct layout *l, enum layout_field f, enum layout_source s,
		  uint64_t value, int levels, const char *how_fmt, ...)
{
	struct layout_claim *c = &l->claim[f][s];
	const char *bad = layout_check_invariants(f, value, levels);
	va_list ap;

	if (bad) {
		snprintf(l->rejected[f][s], LAYOUT_NOTE_LEN,
			 "0x%llx rejected: %s", (unsigned long long)value, bad);
		return false;
	}
	c->set = true;
	c->value = value;
	va_start(ap, how_fmt);
	vsnprintf(c->how, sizeof(c->how), how_fmt, ap);
	va_end(ap);
	l->source[s].available = true;
	return true;
}

void source_unavailable(struct layout *l, enum layout_source s,
			const char *why_fmt, ...)
{
	char *why = l->source[s].why;
	size_t used = strlen(why);
	va_list ap;

	/* A source can lose several derivations: keep every reason. */
	if (used && used + 2 < sizeof(l->source[s].why)) {
		strcpy(why + used, "; ");
		used += 2;
	}
	va_start(ap, why_fmt);
	vsnprintf(why + used, sizeof(l->source[s].why) - used, why_fmt, ap);
	va_end(ap);
}

static void resolve_field(struct layout *l, enum layout_field f)
{
	struct resolved_value *r = &l->val[f];
	int nr_exact = 0;

	memset(r, 0, sizeof(*r));
	for (int s = 0; s < LS_NR; s++) {
		const struct layout_claim *c = &l->claim[f][s];

		if (!c->set || !source_is_exact(s))
			continue;
		if (!nr_exact) {
			r->value = c->value;
			r->sources = LS_MASK(s);
		} else if (c->value == r->value) {
			r->sources |= LS_MASK(s);
		} else {
			r->dissent |= LS_MASK(s);
		}
		nr_exact++;
	}
	if (r->dissent) {
		r->res = RES_CONFLICT;
		return;
	}
	if (nr_exact >= 2) {
		r->res = RES_CONFIRMED;
		return;
	}
	if (nr_exact == 1) {
		r->res = RES_SINGLE;
		return;
	}
	/* Only guesses: an estimate beats a default, and both are labelled. */
	for (int s = LS_ESTIMATE; s <= LS_DEFAULT; s++) {
		if (l->claim[f][s].set) {
			r->res = RES_ESTIMATE;
			r->value = l->claim[f][s].value;
			r->sources = LS_MASK(s);
			return;
		}
	}
	r->res = RES_UNKNOWN;
}

/* lo below hi, or either unknown: nothing to hold against them. */
static bool in_order(const struct resolved_value *lo, const struct resolved_value *hi)
{
	return !resolved_known(lo) || !resolved_known(hi) || lo->value < hi->value;
}

void layout_resolve(struct layout *l)
{
	struct resolved_value *pob = &l->val[LF_PAGE_OFFSET_BASE];
	struct resolved_value *vmalloc = &l->val[LF_VMALLOC_BASE];
	struct resolved_value *vmemmap = &l->val[LF_VMEMMAP_BASE];

	for (int f = 0; f < LF_NR; f++)
		resolve_field(l, f);
	l->order_ok = in_order(pob, vmalloc) && in_order(vmalloc, vmemmap) &&
		      in_order(pob, vmemmap);
	if (!l->order_ok) {
		pob->res = RES_CONFLICT;
		vmalloc->res = RES_CONFLICT;
		vmemmap->res = RES_CONFLICT;
	}
}

bool layout_value_known(const struct layout *l, enum layout_field f, uint64_t *value)
{
	if (!resolved_known(&l->val[f]))
		return false;
	*value = l->val[f].value;
	return true;
}

bool layout_value_exact(const struct layout *l, enum layout_field f, uint64_t *value)
{
	if (!resolved_exact(&l->val[f]))
		return false;
	*value = l->val[f].value;
	return true;
}

bool layout_known(const struct layout *l, enum layout_field f, uint64_t *value)
{
	bool found = false;

	for (int s = 0; s < LS_NR; s++) {
		const struct layout_claim *c = &l->claim[f][s];

		if (!c->set || !source_is_exact(s))
			continue;
		if (found && c->value != *value)
			return false;	/* disagreement: nothing to build on */
		*value = c->value;
		found = true;
	}
	return found;
}

bool layout_default_of(enum layout_field f, int levels, uint64_t *value)
{
	switch (f) {
	case LF_PAGE_OFFSET_BASE: *value = default_page_offset_base(levels); return levels;
	case LF_VMALLOC_BASE: *value = default_vmalloc_base(levels); return levels;
	case LF_VMEMMAP_BASE: *value = default_vmemmap_base(levels); return levels;
	case LF_TEXT: *value = DEFAULT_TEXT; return true;
	case LF_PHYS_BASE: *value = 0; return true;
	case LF_TEXT_SLIDE: *value = 0; return true;
	default: return false;
	}
}
