// SPDX-License-Identifier: GPL-2.0
/* The text form of the `kvas layout` report: tables a terminal fits. */
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "layout_report.h"
#include "x86_layout.h"

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
		char val[24] = "unknown", src[96], off[32] = "";

		if (resolved_known(rv))
			value_text(f, rv->value, val, sizeof(val));
		sources_list(rv->sources, src, sizeof(src));
		if (rv->res == RES_CONFLICT) {
			char dis[64];

			sources_list(rv->dissent, dis, sizeof(dis));
			snprintf(src + strlen(src), sizeof(src) - strlen(src),
				 " vs %s", dis);
		}
		if (r->have_offset[f])
			fmt_offset(rv->value, r->def[f], off, sizeof(off));
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
		if (layout_value_known(&r->d->layout, LF_PAGE_OFFSET_BASE, &base))
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
	fprintf(out, "Kernel %s, %s paging\n\n", r->d->release,
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
