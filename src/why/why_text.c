// SPDX-License-Identifier: GPL-2.0
/* kvas why's text: sections, each figure with its source in brackets, 80 columns. */
#include <string.h>

#include "format.h"
#include "why_report.h"

/* text wrapped at 78 columns, each line indented by indent spaces */
static void wrap(FILE *out, const char *text, int indent)
{
	const int width = 78 - indent;

	while (*text) {
		int n = (int)strlen(text), cut = n;

		if (n > width) {
			cut = width;
			while (cut > 0 && text[cut] != ' ')
				cut--;
			if (!cut)
				cut = width;
		}
		fprintf(out, "%*s%.*s\n", indent, "", cut, text);
		text += cut;
		while (*text == ' ')
			text++;
	}
}

static void print_tlb(const struct why_report *r, FILE *out)
{
	char reach[24], shown[256];

	snprintf(shown, sizeof(shown), "TLB reach (%s, %s; the kernel's view: %s)",
		 r->tlb.vendor, r->cpuid_shown,
		 !r->cpuid_have_dev ? r->cpuid_dev_why : r->cpuid_differs ? "differs" : "the same");
	wrap(out, shown, 0);
	if (r->hypervisor)
		fprintf(out, "  under a hypervisor: these are what it reports, not the silicon's\n");
	for (int i = 0; i < r->tlb.n; i++) {
		const struct tlb_entry *e = &r->tlb.e[i];
		char ways[16];

		if (e->ways)
			snprintf(ways, sizeof(ways), "%u-way", e->ways);
		else
			snprintf(ways, sizeof(ways), "full");
		fprintf(out, "  L%d %-4s %-3s %5u entries %-6s%s %9s  [%s]\n", e->level,
			e->core_type, e->page_size == 4096 ? "4K" : e->page_size == 2u << 20 ? "2M" : "1G",
			e->entries, ways, e->shared ? "*" : " ",
			fmt_size(e->page_size * e->entries, reach, sizeof(reach)), e->source);
	}
	if (!r->tlb.n)
		fprintf(out, "  CPUID reports no data TLB kvas can decode\n");
	for (int i = 0; i < r->tlb.n; i++)
		if (r->tlb.e[i].shared) {
			fprintf(out, "  * the same entries serve several page sizes\n");
			break;
		}
	if (r->tlb.note[0])
		fprintf(out, "  (%s)\n", r->tlb.note);
}

static void print_dmap(const struct why_report *r, FILE *out)
{
	char a[24], b[24], c[24];

	fprintf(out, "\nDirect map (%d-level paging, at %s)\n", r->levels,
		fmt_hex(r->page_offset_base, a, sizeof(a)));
	if (!r->have_walk) {
		fprintf(out, "  not walked\n");
		return;
	}
	for (int p = WHY_NR_PAGES - 1; p >= 0; p--) {
		if (r->have_meminfo_sizes)
			snprintf(c, sizeof(c), "DirectMap%s %s", p == WHY_4K ? "4k" : why_page_name(p),
				 fmt_size(r->meminfo_bytes[p], b, sizeof(b)));
		fprintf(out, "  %s pages %10s %12s entries  [walk; %s]\n", why_page_name(p),
			fmt_size(r->walk_bytes[p], a, sizeof(a)),
			why_fmt_count(r->walk_bytes[p] / why_page_bytes(p), b, sizeof(b)),
			r->have_meminfo_sizes ? c : "no DirectMap*");
	}
	fprintf(out, "  entries: %s with this mix, ", why_fmt_count(why_entries(r), a, sizeof(a)));
	fprintf(out, "%s with 4K pages only\n", why_fmt_count(why_entries_if_4k(r), a, sizeof(a)));
	if (r->agreement[0])
		wrap(out, r->agreement, 2);
}

static void print_stat(FILE *out, const char *what, const struct why_stat *s, const char *src)
{
	fprintf(out, "  %-19s %7.1f ns  min %7.1f  max %7.1f  [%s]\n", what, s->median,
		s->min, s->max, src);
}

static void print_measure(const struct why_report *r, FILE *out)
{
	const struct why_measure *m = &r->m;
	char a[24], b[24], what[224];

	if (!m->done) {
		fprintf(out, "\nMeasured: nothing (--no-measure)\n");
		return;
	}
	fprintf(out, "\nMeasured: random dependent reads, one per 4K page over %s, median\n"
		"of %d runs of %s reads [clock_gettime]\n", fmt_size(m->buffer_bytes, a, sizeof(a)),
		m->read[WHY_4K].ns.have ? m->read[WHY_4K].ns.repeats : m->read[WHY_2M].ns.repeats,
		why_fmt_count(m->reads, b, sizeof(b)));
	for (int p = 0; p < WHY_NR_PAGES; p++) {
		const struct why_read *rd = &m->read[p];

		snprintf(what, sizeof(what), "%s pages", why_page_name(p));
		if (!rd->ns.have) {
			snprintf(what, sizeof(what), "%s pages: not had: %s", why_page_name(p),
				 rd->why_not);
			wrap(out, what, 2);
			continue;
		}
		print_stat(out, what, &rd->ns, p == WHY_4K ? "NOHUGEPAGE" :
			   p == WHY_2M ? "THP, smaps" : "hugetlb");
	}
	if (m->read[WHY_4K].ns.have && m->read[WHY_2M].ns.have)
		fprintf(out, "  4K against 2M       x%.2f\n",
			m->read[WHY_4K].ns.median / m->read[WHY_2M].ns.median);
	fprintf(out, "  In the kernel, a physical address to a pointer and a read, per address\n"
		"  (%u addresses a run, read once before; %u reads refused):\n",
		m->walk_addresses, m->walk_failed);
	if (!m->walk_ns.have) {
		fprintf(out, "    not had: %s\n", m->walk_why_not);
		return;
	}
	print_stat(out, "by addition", &m->direct_map_ns, "BPF");
	snprintf(what, sizeof(what), "by %d-level walk", r->levels);
	print_stat(out, what, &m->walk_ns, "BPF");
}

static void print_needed(const struct why_report *r, FILE *out)
{
	const struct why_kinds *k = &r->kinds;
	char a[24], line[600];

	fprintf(out, "\nReached only through the direct map (of RAM %s)\n",
		fmt_size(k->mem_total, a, sizeof(a)));
	for (int i = 0; i < WK_NR; i++) {
		if (!why_kind_counts(k, i)) {
			if (i == WK_KERNEL_STACKS)
				fprintf(out, "  %-22s not counted: %s\n", why_kind_key(i),
					!k->vmap_stack_known ? "CONFIG_VMAP_STACK unknown" :
					"in vmalloc (CONFIG_VMAP_STACK=y)");
			continue;
		}
		fprintf(out, "  %-22s %10s %5.1f%%  [/proc/meminfo %s]\n", why_kind_key(i),
			fmt_size(k->bytes[i], a, sizeof(a)),
			k->mem_total ? 100.0 * (double)k->bytes[i] / (double)k->mem_total : 0,
			why_kind_field(i));
	}
	fprintf(out, "  %-22s %10s         [walk: not-present 4K over RAM]\n", "taken out now",
		fmt_size(r->removed_bytes, a, sizeof(a)));
	snprintf(line, sizeof(line), "can take more out: memfd_secret %s; guest_memfd %s; ASI %s",
		 r->secretmem ? "yes" : r->secretmem_why,
		 r->guest_memfd > 0 ? "yes" : r->guest_memfd_why,
		 r->asi ? "yes" : r->asi_why);
	wrap(out, line, 2);
}

static void print_since_boot(const struct why_report *r, FILE *out)
{
	char line[512];

	fprintf(out, "\nSince boot [/proc/vmstat direct_map_level*]\n");
	if (!r->have_splits) {
		fprintf(out, "  this kernel does not count the direct map's splits\n");
	} else {
		fprintf(out, "  2M pages split into 4K %llu, 1G into 2M %llu",
			(unsigned long long)r->level2_splits, (unsigned long long)r->level3_splits);
		if (r->have_collapses)
			fprintf(out, "; collapsed back %llu and %llu",
				(unsigned long long)r->level2_collapses,
				(unsigned long long)r->level3_collapses);
		fputs("\n", out);
	}
	snprintf(line, sizeof(line), "who: kvas cannot know who split them before it ran; "
		 "`kvas dmap -i` attributes each change live (%s)",
		 r->attribution ? r->attribution : r->attribution_why);
	wrap(out, line, 2);
}

void why_report_text(const struct why_report *r, FILE *out)
{
	char verdict[2048];

	print_tlb(r, out);
	print_dmap(r, out);
	print_measure(r, out);
	print_needed(r, out);
	print_since_boot(r, out);
	why_verdict(r, verdict, sizeof(verdict));
	fprintf(out, "\nVerdict\n");
	wrap(out, verdict, 2);
}
