// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "format.h"
#include "layout_report.h"
#include "x86_layout.h"

const char *kaslr_state_name(enum kaslr_state s)
{
	switch (s) {
	case KASLR_ACTIVE: return "active";
	case KASLR_INACTIVE: return "inactive";
	default: return "unknown";
	}
}

static bool value_of(const struct layout_report *r, enum layout_field f,
		     uint64_t *v)
{
	const struct resolved_value *rv = &r->d->layout.val[f];

	if (rv->res == RES_UNKNOWN || rv->res == RES_CONFLICT)
		return false;
	*v = rv->value;
	return true;
}

static bool value_exact(const struct layout_report *r, enum layout_field f,
			uint64_t *v)
{
	const struct resolved_value *rv = &r->d->layout.val[f];

	return (rv->res == RES_CONFIRMED || rv->res == RES_SINGLE) &&
	       value_of(r, f, v);
}

static void verdict_memory(struct layout_report *r)
{
	const char *off = memory_kaslr_off_reason(r->d);
	enum kconfig_state cfg = kconfig_bool(&r->d->kconfig, "CONFIG_RANDOMIZE_MEMORY");
	struct kaslr_verdict *v = &r->memory;
	int moved = 0, known = 0;
	size_t n = 0;

	for (int f = LF_PAGE_OFFSET_BASE; f <= LF_VMEMMAP_BASE && r->levels; f++) {
		uint64_t val, def;

		if (!value_exact(r, f, &val))
			continue;
		layout_default_of(f, r->levels, &def);
		known++;
		if (val != def) {
			char off_s[32];

			n += snprintf(v->why + n, n < sizeof(v->why) ? sizeof(v->why) - n : 0,
				      "%s%s %s", moved ? ", " : "bases moved: ",
				      layout_field_name(f), fmt_offset(val, def, off_s, sizeof(off_s)));
			moved++;
		}
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
	snprintf(v->why, sizeof(v->why), "bases at their %d-level defaults%s%s%s",
		 r->levels, off ? ": " : " although nothing shows randomization was off",
		 off ? off : "",
		 cfg == KCONFIG_YES && off && strstr(off, "booted") ?
		 " (the kernel supports it: CONFIG_RANDOMIZE_MEMORY=y)" : "");
}

static void verdict_text(struct layout_report *r)
{
	const char *off = text_kaslr_off_reason(r->d);
	enum kconfig_state cfg = kconfig_bool(&r->d->kconfig, "CONFIG_RANDOMIZE_BASE");
	struct kaslr_verdict *v = &r->text;
	uint64_t slide;

	if (!value_exact(r, LF_TEXT_SLIDE, &slide)) {
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
	snprintf(v->why, sizeof(v->why), "_text at __START_KERNEL%s%s%s",
		 off ? ": " : " although nothing shows randomization was off",
		 off ? off : "",
		 cfg == KCONFIG_YES && off && strstr(off, "booted") ?
		 " (the kernel supports it: CONFIG_RANDOMIZE_BASE=y)" : "");
}

void layout_report_build(const struct discovery *d, struct layout_report *r)
{
	struct region_input in = { 0 };
	struct utsname u;
	uint64_t v;

	memset(r, 0, sizeof(*r));
	r->d = d;
	if (!uname(&u))
		snprintf(r->release, sizeof(r->release), "%s", u.release);
	if (value_of(r, LF_PAGING_LEVELS, &v))
		r->levels = (int)v;
	verdict_memory(r);
	verdict_text(r);

	in.levels = r->levels;
	value_of(r, LF_PAGE_OFFSET_BASE, &in.page_offset_base);
	value_of(r, LF_VMALLOC_BASE, &in.vmalloc_base);
	value_of(r, LF_VMEMMAP_BASE, &in.vmemmap_base);
	in.kernel_image_size = d->kernel_image_size;
	r->have_regions = r->levels && !regions_build(&in, &r->regions);

	for (int i = 0; i < d->iomem.nr_ram; i++) {
		const struct phys_range *pr = &d->iomem.ram[i];

		if (!i || pr->start < r->ram_start)
			r->ram_start = pr->start;
		if (pr->end > r->ram_end)
			r->ram_end = pr->end;
		r->ram_bytes += pr->end - pr->start + 1;
	}
}

/* ---- text ---------------------------------------------------------------- */

static void sources_list(unsigned int mask, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int s = 0; s < LS_NR; s++)
		if (mask & LS_MASK(s))
			n += snprintf(buf + n, n < len ? len - n : 0, "%s%s",
				      n ? "," : "", layout_source_name(s));
	if (!n)
		snprintf(buf, len, "-");
}

static void value_text(enum layout_field f, uint64_t v, char *buf, size_t len)
{
	if (f == LF_PAGING_LEVELS)
		snprintf(buf, len, "%llu", (unsigned long long)v);
	else
		fmt_hex(v, buf, len);
}

static void print_values(const struct layout_report *r, FILE *out)
{
	fprintf(out, "%-17s %-18s  %-13s %-36s %s\n", "VALUE", "", "STATUS",
		"SOURCES", "FROM DEFAULT");
	for (int f = 0; f < LF_NR; f++) {
		const struct resolved_value *rv = &r->d->layout.val[f];
		char val[24] = "unknown", src[96], off[32] = "", def_s[24];
		uint64_t def;

		if (rv->res != RES_UNKNOWN && rv->res != RES_CONFLICT)
			value_text(f, rv->value, val, sizeof(val));
		sources_list(rv->sources, src, sizeof(src));
		if (rv->res == RES_CONFLICT) {
			char dis[64];

			sources_list(rv->dissent, dis, sizeof(dis));
			snprintf(src + strlen(src), sizeof(src) - strlen(src),
				 " vs %s", dis);
		}
		if (val[0] == '0' && f != LF_PAGING_LEVELS &&
		    layout_default_of(f, r->levels, &def) &&
		    (r->levels || f >= LF_TEXT))
			snprintf(off, sizeof(off), "%s",
				 fmt_offset(rv->value, def, def_s, sizeof(def_s)));
		fprintf(out, "%-17s %-18s  %-13s %-36s %s\n", layout_field_name(f),
			val, resolution_name(rv->res), src, off);
	}
}

static void print_evidence(const struct layout_report *r, FILE *out)
{
	const struct layout *l = &r->d->layout;

	fprintf(out, "\nEvidence\n");
	for (int f = 0; f < LF_NR; f++) {
		fprintf(out, "  %s\n", layout_field_name(f));
		for (int s = 0; s < LS_NR; s++) {
			char val[24];

			if (l->claim[f][s].set) {
				value_text(f, l->claim[f][s].value, val, sizeof(val));
				fprintf(out, "    %-10s %-18s  %s\n", layout_source_name(s),
					val, l->claim[f][s].how);
			} else if (l->rejected[f][s][0]) {
				fprintf(out, "    %-10s %s\n", layout_source_name(s),
					l->rejected[f][s]);
			}
		}
	}
}

static void print_sources(const struct layout_report *r, FILE *out)
{
	const struct layout *l = &r->d->layout;

	fprintf(out, "\nSources\n");
	for (int s = 0; s < LS_NR; s++) {
		const struct source_state *st = &l->source[s];
		const char *state = !st->ran ? "not selected" :
				    st->available ? "used" : "unavailable";

		fprintf(out, "  %-10s %-12s %s\n", layout_source_name(s), state,
			st->why);
	}
}

static void print_regions(const struct layout_report *r, FILE *out)
{
	if (!r->have_regions) {
		fprintf(out, "\nRegions: unknown (paging mode unknown)\n");
		return;
	}
	fprintf(out, "\nRegions of this boot (%d-level paging)\n", r->levels);
	fprintf(out, "  %-18s  %-18s  %10s  %s\n", "START", "END", "SIZE", "REGION");
	for (int i = 0; i < r->regions.nr; i++) {
		const struct region *rg = &r->regions.r[i];
		char s[24], e[24], sz[24];

		fprintf(out, "  %s  %s  %10s  %s%s\n", fmt_hex(rg->start, s, sizeof(s)),
			fmt_hex(rg->end, e, sizeof(e)),
			fmt_size(rg->end - rg->start + 1, sz, sizeof(sz)), rg->name,
			rg->randomized_base ? " (KASLR base)" : "");
	}
}

static void print_memory(const struct layout_report *r, FILE *out)
{
	const struct direct_map_stats *dm = &r->d->dmap;
	char a[24], b[24], c[24], sz[24];
	uint64_t base;

	fprintf(out, "\nPhysical memory and the direct map\n");
	if (!r->d->iomem.nr_ram) {
		fprintf(out, "  System RAM: unknown (/proc/iomem %s)\n",
			r->d->iomem.censored ? "shows no addresses" : "unreadable");
	} else {
		fprintf(out, "  System RAM      %s - %s in %d ranges, %s\n",
			fmt_hex(r->ram_start, a, sizeof(a)), fmt_hex(r->ram_end, b, sizeof(b)),
			r->d->iomem.nr_ram, fmt_size(r->ram_bytes, sz, sizeof(sz)));
		if (value_of(r, LF_PAGE_OFFSET_BASE, &base))
			fprintf(out, "  mapped at       %s - %s\n",
				fmt_hex(base + r->ram_start, a, sizeof(a)),
				fmt_hex(base + r->ram_end, b, sizeof(b)));
	}
	if (dm->have_sizes)
		fprintf(out, "  page sizes      4K %s, 2M %s, 1G %s\n",
			fmt_size(dm->kb_4k * KB, a, sizeof(a)),
			fmt_size(dm->kb_2m * KB, b, sizeof(b)),
			fmt_size(dm->kb_1g * KB, c, sizeof(c)));
	if (dm->have_splits)
		fprintf(out, "  splits          2M->4K %llu, 1G->2M %llu\n",
			(unsigned long long)dm->level2_splits,
			(unsigned long long)dm->level3_splits);
	if (dm->have_collapses)
		fprintf(out, "  collapses       4K->2M %llu, 2M->1G %llu\n",
			(unsigned long long)dm->level2_collapses,
			(unsigned long long)dm->level3_collapses);
}

void layout_report_text(const struct layout_report *r, FILE *out)
{
	fprintf(out, "Kernel %s, %s paging\n\n", r->release,
		r->levels == 5 ? "5-level" : r->levels == 4 ? "4-level" : "unknown");
	print_values(r, out);
	fprintf(out, "\nRandomization\n  memory KASLR  %-8s %s\n  text KASLR    %-8s %s\n",
		kaslr_state_name(r->memory.state), r->memory.why,
		kaslr_state_name(r->text.state), r->text.why);
	if (!r->d->layout.order_ok)
		fprintf(out, "\nWARNING: the bases break the order direct map < vmalloc < vmemmap: shown as conflicts\n");
	print_sources(r, out);
	print_evidence(r, out);
	print_regions(r, out);
	print_memory(r, out);
}
