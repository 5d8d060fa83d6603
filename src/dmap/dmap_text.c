// SPDX-License-Identifier: GPL-2.0
/* kvas dmap's text: the report, then one block per interval. */
#include <inttypes.h>
#include <stdio.h>

#include "dmap_report.h"
#include "format.h"
#include "pagewalk.h"
#include "text_escape.h"
#include "vm_decode.h"

static const char *run_flags(uint32_t flags, char *buf, size_t len)
{
	if (!(flags & DMAP_PRESENT))
		return snprintf(buf, len, "not present"), buf;
	snprintf(buf, len, "%s %s%s", flags & DMAP_RW ? "RW" : "RO",
		 flags & DMAP_NX ? "NX" : "X", flags & DMAP_GLOBAL ? " G" : "");
	return buf;
}

static void text_coverage(const struct dmap_facts *f, const struct dmap_look *l, FILE *out)
{
	uint64_t pob = f->ctx->page_offset_base;
	char a[24], b[24], sz[24];
	int h = 0;

	fprintf(out, "Coverage (/proc/iomem)\n  %-37s %10s  %-24s %s\n", "PHYSICAL", "SIZE",
		"WHAT", "DIRECT MAP");
	for (int i = 0; i < f->io->nr_ram; i++) {
		const struct phys_range *r = &f->io->ram[i];

		for (; h < l->sum.nr_holes && l->sum.holes[h].range.start < r->start; h++) {
			const struct dmap_hole *hl = &l->sum.holes[h];
			char what[40];

			snprintf(what, sizeof(what), "hole: %s", hl->what);
			fprintf(out, "  0x%016" PRIx64 "-0x%016" PRIx64 " %10s  %-24.24s ",
				hl->range.start, hl->range.end,
				fmt_size(hl->range.end + 1 - hl->range.start, sz, sizeof(sz)), what);
			if (hl->mapped)
				fprintf(out, "%s of it mapped anyway\n",
					fmt_size(hl->mapped, a, sizeof(a)));
			else
				fputs("not mapped\n", out);
		}
		fprintf(out, "  0x%016" PRIx64 "-0x%016" PRIx64 " %10s  %-24s %s-%s\n",
			r->start, r->end, fmt_size(r->end + 1 - r->start, sz, sizeof(sz)),
			"System RAM", fmt_hex(pob + r->start, a, sizeof(a)),
			fmt_hex(pob + r->end, b, sizeof(b)));
	}
}

static void text_sizes(const struct dmap_look *l, FILE *out)
{
	const struct dmap_agreement *a = &l->agree;
	const char *why = dmap_disagreement(l);
	char s1[24], s2[24];

	fprintf(out, "Page sizes        %-24s %-24s %s\n", "WALK (pages)", "DirectMap* (pages)",
		"WALK - DirectMap*");
	for (int sz = DMAP_1G; sz >= DMAP_4K; sz--) {
		uint64_t page = dmap_size_bytes(sz);
		char w[40], m[40];

		snprintf(w, sizeof(w), "%s (%" PRId64 ")",
			 fmt_size(a->walk_pages[sz] * page, s1, sizeof(s1)), a->walk_pages[sz]);
		snprintf(m, sizeof(m), "%s (%" PRId64 ")",
			 fmt_size(a->meminfo_pages[sz] * page, s2, sizeof(s2)), a->meminfo_pages[sz]);
		fprintf(out, "  %-15s %-24s %-24s %+" PRId64 "\n", dmap_size_name(sz), w,
			a->have_meminfo ? m : "-", a->diff_pages[sz]);
	}
	fprintf(out, "  The walk's 4K count includes %" PRIu64 " pages over System RAM that are"
		" not present (taken out of the direct map),\n  which DirectMap4k still counts.\n",
		l->sum.removed_4k / 4096);
	if (why)
		fprintf(out, "  They differ: %s\n", why);
	else
		fputs("  They agree to within one page of each size.\n", out);
}

static void text_pieces(const struct dmap_look *l, uint64_t pob, int max, FILE *out)
{
	size_t n = 0, shown = 0;
	char sz[24], fl[24];

	for (size_t i = 0; i < l->runs.n; i++)
		n += dmap_run_is_piece(&l->runs.v[i]);
	fprintf(out, "4K and 2M pieces, by physical address (%zu runs", n);
	if ((size_t)max < n)
		fprintf(out, "; the first %d, --rows N for more", max);
	fputs(")\n", out);
	for (size_t i = 0; i < l->runs.n && shown < (size_t)max; i++) {
		const struct dmap_run *r = &l->runs.v[i];
		uint64_t pa = r->va - pob;

		if (!dmap_run_is_piece(r))
			continue;
		fprintf(out, "  0x%016" PRIx64 "-0x%016" PRIx64 " %10s  %s x %-6" PRIu64 " %s\n",
			pa, pa + (uint64_t)r->bytes - 1, fmt_size(r->bytes, sz, sizeof(sz)),
			r->shift == X86_PAGE_SHIFT ? "4K" : "2M", (uint64_t)r->bytes >> r->shift,
			run_flags(r->flags, fl, sizeof(fl)));
		shown++;
	}
}

static void text_counters(const struct dmap_facts *f, const struct direct_map_stats *st,
			  FILE *out)
{
	if (st->have_splits)
		fprintf(out, "Splits since boot: 2M->4K %" PRIu64 ", 1G->2M %" PRIu64,
			st->level2_splits, st->level3_splits);
	else
		fputs("Splits since boot: unknown (no direct_map_* in /proc/vmstat)", out);
	if (st->have_collapses)
		fprintf(out, "; collapses: 4K->2M %" PRIu64 ", 2M->1G %" PRIu64,
			st->level2_collapses, st->level3_collapses);
	fputs("\n", out);
	if (f->attribution)
		fprintf(out, "Attribution: by %s on __change_page_attr_set_clr and"
			" set_direct_map_*; run with -i to see changes live\n", f->attribution);
	else
		fprintf(out, "Attribution: %s; changes are seen through the counters only\n",
			f->attribution_why);
}

void dmap_report_text(const struct dmap_facts *f, const struct dmap_look *l,
		      int max_pieces, FILE *out)
{
	uint64_t mapped = l->sum.present[0] + l->sum.present[1] + l->sum.present[2];
	char a[24], b[24], c[24];

	fprintf(out, "Direct map at %s (page_offset_base), walked %s-%s\n",
		fmt_hex(f->ctx->page_offset_base, a, sizeof(a)),
		fmt_hex(f->walk_start, b, sizeof(b)), fmt_hex(f->walk_end - 1, c, sizeof(c)));
	fprintf(out, "System RAM %s in %d ranges; the direct map maps %s",
		fmt_size(l->sum.ram, a, sizeof(a)), f->io->nr_ram, fmt_size(mapped, b, sizeof(b)));
	fprintf(out, " (%s of it not RAM); walk: %d BPF runs, %zu runs of pages, %.1f ms\n\n",
		fmt_size(l->sum.mapped_non_ram, c, sizeof(c)), l->chunks, l->runs.n,
		l->walk_s * 1000);
	text_coverage(f, l, out);
	fputs("\n", out);
	text_sizes(l, out);
	fputs("\n", out);
	text_pieces(l, f->ctx->page_offset_base, max_pieces, out);
	fputs("\n", out);
	text_counters(f, &l->stats, out);
	fprintf(out, "Secret memory: memfd_secret %s; %" PRIu64
		" pages of System RAM are out of the direct map now\n",
		f->secretmem ? "available" : f->secretmem_why, l->sum.removed_4k / 4096);
}

/* ---- live ------------------------------------------------------------- */

static void stack_str(const struct dmap_change *ch, const struct ksyms *ks, char *buf,
		      size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = dmap_first_frame(ch, ks); i < dmap_stack_depth(ch) && used + 1 < len; i++) {
		char sym[96];

		used += snprintf(buf + used, len - used, "%s%s", used ? " <- " : "",
				 dmap_frame_name(ch, i, ks, sym, sizeof(sym)));
	}
}

static void mask_str(uint64_t set, uint64_t clr, char *buf, size_t len)
{
	char s[64] = "-", c[64] = "-";

	if (set)
		pte_flags_str(set, false, s, sizeof(s));
	if (clr)
		pte_flags_str(clr, false, c, sizeof(c));
	snprintf(buf, len, "set %s clear %s", s, c);
}

static void counters_delta_text(const struct direct_map_stats *p,
				const struct direct_map_stats *c, FILE *out)
{
	fprintf(out, "DirectMap 4K %" PRIu64 " kB (%+" PRId64 ")  2M %" PRIu64 " kB (%+" PRId64
		")  1G %" PRIu64 " kB (%+" PRId64 ")\n", c->kb_4k, (int64_t)(c->kb_4k - p->kb_4k),
		c->kb_2m, (int64_t)(c->kb_2m - p->kb_2m), c->kb_1g, (int64_t)(c->kb_1g - p->kb_1g));
	if (c->have_splits)
		fprintf(out, "splits 2M->4K %" PRIu64 " (%+" PRId64 ")  1G->2M %" PRIu64 " (%+" PRId64 ")",
			c->level2_splits, (int64_t)(c->level2_splits - p->level2_splits),
			c->level3_splits, (int64_t)(c->level3_splits - p->level3_splits));
	if (c->have_collapses)
		fprintf(out, "  collapses 4K->2M %" PRIu64 " (%+" PRId64 ")  2M->1G %" PRIu64 " (%+" PRId64 ")",
			c->level2_collapses, (int64_t)(c->level2_collapses - p->level2_collapses),
			c->level3_collapses, (int64_t)(c->level3_collapses - p->level3_collapses));
	fputs("\n", out);
}

static void change_text(const struct dmap_facts *f, const struct dmap_change *ch,
			const struct ksyms *ks, FILE *out)
{
	char a[24], m[160], st[1024], comm[TEXT_ESCAPED_SIZE(sizeof(ch->comm))];
	uint64_t va = 0, pa = 0;
	bool known = dmap_change_page(f->ctx, ch, &va, &pa);

	mask_str(ch->mask_set, ch->mask_clr, m, sizeof(m));
	stack_str(ch, ks, st, sizeof(st));
	fprintf(out, "change %-9s pid %u tid %u %s: %s x %" PRIu64 " pages%s",
		dmap_change_kind_name(ch->kind), ch->pid, ch->tid,
		text_escape(ch->comm, sizeof(ch->comm), comm, sizeof(comm)),
		known ? fmt_hex(va, a, sizeof(a)) : fmt_hex(ch->addr, a, sizeof(a)),
		(uint64_t)ch->pages, ch->primary ? "" : " (alias)");
	if (known)
		fprintf(out, " PA 0x%" PRIx64, pa);
	else
		fprintf(out, " in %s", dmap_va_region(f->ctx, ch->addr));
	if (ch->kind == DMAP_CHANGE_CPA)
		fprintf(out, ", %s", m);
	fprintf(out, "\n    stack: %s\n", st[0] ? st : "unavailable");
}

static void fault_text(const struct dmap_facts *f, const struct vm_event *e,
		       const struct ksyms *ks, FILE *out)
{
	char sym[96], err[64], comm[TEXT_ESCAPED_SIZE(sizeof(e->comm))];

	if (!ks || !ksyms_name(ks, e->ip, sym, sizeof(sym)))
		snprintf(sym, sizeof(sym), "0x%llx", (unsigned long long)e->ip);
	fprintf(out, "kernel fault in the direct map: pid %u %s at 0x%llx (PA 0x%llx), ip %s, %s\n",
		e->pid, text_escape(e->comm, sizeof(e->comm), comm, sizeof(comm)), (unsigned long long)e->addr,
		(unsigned long long)(e->addr - f->ctx->page_offset_base), sym,
		fault_error_str(e->arg, err, sizeof(err)));
}

void dmap_interval_text(const struct dmap_facts *f, const struct dmap_look *prev,
			const struct dmap_look *cur, const struct dmap_events *ev,
			const struct ksyms *ks, FILE *out)
{
	struct read_failures failed;
	char list[256];

	fprintf(out, "-- %.1f s --\n", cur->time - prev->time);
	if (dmap_look_failures(cur, &failed)->nr)
		fprintf(out, "READ FAILED  %s: the counters below are not this interval's\n",
			read_failures_list(&failed, list, sizeof(list)));
	counters_delta_text(&prev->stats, &cur->stats, out);
	fputs("walk pages", out);
	for (int sz = DMAP_4K; sz < DMAP_NR_SIZES; sz++)
		fprintf(out, "  %s %" PRId64 " (%+" PRId64 ")", dmap_size_name(sz),
			cur->agree.walk_pages[sz],
			cur->agree.walk_pages[sz] - prev->agree.walk_pages[sz]);
	fprintf(out, ", %" PRIu64 " 4K pages out of the direct map (%+" PRId64 ")\n",
		cur->sum.removed_4k / 4096,
		(int64_t)(cur->sum.removed_4k - prev->sum.removed_4k) / 4096);
	if (!f->attribution)
		fprintf(out, "changes: not attributed (%s)\n", f->attribution_why);
	for (int i = 0; i < ev->nr_changes; i++)
		change_text(f, &ev->changes[i], ks, out);
	if (ev->changes_over)
		fprintf(out, "  ... and %d more changes\n", ev->changes_over);
	for (int i = 0; i < ev->nr_faults; i++)
		fault_text(f, &ev->faults[i], ks, out);
	if (ev->faults_over)
		fprintf(out, "  ... and %d more kernel faults in the direct map\n", ev->faults_over);
}
