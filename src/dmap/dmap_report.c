// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dmap_changes.h"
#include "dmap_report.h"
#include "format.h"
#include "json_util.h"
#include "pagewalk.h"
#include "regions.h"
#include "vm_decode.h"

void dmap_look_free(struct dmap_look *l)
{
	dmap_runs_free(&l->runs);
}

const char *dmap_disagreement(const struct dmap_look *l)
{
	const struct dmap_agreement *a = &l->agree;
	int64_t total = 0;

	if (!a->have_meminfo)
		return "/proc/meminfo has no DirectMap lines on this kernel";
	if (l->walk_err)
		return "the walk stopped early: a table could not be read";
	if (a->agrees)
		return NULL;
	for (int sz = 0; sz < DMAP_NR_SIZES; sz++)
		total += a->diff_pages[sz] * (int64_t)dmap_size_bytes(sz);
	if (total < 0)
		return "DirectMap* counts more than the page tables map. These counters"
		       " are bookkeeping kept at boot and on each split or collapse, not a"
		       " census of the tables, and the x86-64 boot code can count a range"
		       " it maps more than once; on the kernels kvas is tested on (6.1,"
		       " 6.18) the difference is set at boot and stays constant, while"
		       " splits move both alike. The walk is what the tables hold now.";
	return "the page tables map more than DirectMap* counts: a split or collapse"
	       " ran between the walk and the read of /proc/meminfo, or the counts"
	       " missed an update. The walk is what the tables hold now.";
}

static const char *run_flags(uint32_t flags, char *buf, size_t len)
{
	if (!(flags & DMAP_PRESENT))
		return snprintf(buf, len, "not present"), buf;
	snprintf(buf, len, "%s %s%s", flags & DMAP_RW ? "RW" : "RO",
		 flags & DMAP_NX ? "NX" : "X", flags & DMAP_GLOBAL ? " G" : "");
	return buf;
}

/* The pieces worth listing: 4K and 2M runs, and 4K holes over RAM. */
static bool is_piece(const struct dmap_run *r)
{
	return r->shift == 12 || (r->shift == 21 && (r->flags & DMAP_PRESENT));
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
		n += is_piece(&l->runs.v[i]);
	fprintf(out, "4K and 2M pieces, by physical address (%zu runs", n);
	if ((size_t)max < n)
		fprintf(out, "; the first %d, --pieces N for more", max);
	fputs(")\n", out);
	for (size_t i = 0; i < l->runs.n && shown < (size_t)max; i++) {
		const struct dmap_run *r = &l->runs.v[i];
		uint64_t pa = r->va - pob;

		if (!is_piece(r))
			continue;
		fprintf(out, "  0x%016" PRIx64 "-0x%016" PRIx64 " %10s  %s x %-6" PRIu64 " %s\n",
			pa, pa + (uint64_t)r->bytes - 1, fmt_size(r->bytes, sz, sizeof(sz)),
			r->shift == 12 ? "4K" : "2M", (uint64_t)r->bytes >> r->shift,
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
		fmt_size(l->sum.mapped_non_ram, c, sizeof(c)), l->chunks, l->runs.n, l->walk_ms);
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

static json_t *json_sizes(const struct dmap_look *l)
{
	const struct dmap_agreement *a = &l->agree;
	json_t *o = json_object(), *w = json_object(), *m = json_object(), *d = json_object();
	const char *why = dmap_disagreement(l);

	for (int sz = 0; sz < DMAP_NR_SIZES; sz++) {
		json_object_set_new(w, dmap_size_name(sz), json_integer(a->walk_pages[sz]));
		json_object_set_new(m, dmap_size_name(sz), json_integer(a->meminfo_pages[sz]));
		json_object_set_new(d, dmap_size_name(sz), json_integer(a->diff_pages[sz]));
	}
	json_object_set_new(o, "walk_pages", w);
	json_object_set_new(o, "meminfo_pages", a->have_meminfo ? m : (json_decref(m), json_null()));
	json_object_set_new(o, "diff_pages", d);
	json_object_set_new(o, "removed_4k_pages", json_integer(l->sum.removed_4k / 4096));
	json_object_set_new(o, "agrees", json_boolean(!why));
	json_object_set_new(o, "explanation", why ? json_string(why) : json_null());
	return o;
}

static json_t *json_counters(const struct direct_map_stats *st)
{
	json_t *o = json_object();

	json_object_set_new(o, "directmap_4k_kb", json_integer(st->kb_4k));
	json_object_set_new(o, "directmap_2m_kb", json_integer(st->kb_2m));
	json_object_set_new(o, "directmap_1g_kb", json_integer(st->kb_1g));
	if (st->have_splits) {
		json_object_set_new(o, "level2_splits", json_integer(st->level2_splits));
		json_object_set_new(o, "level3_splits", json_integer(st->level3_splits));
	}
	if (st->have_collapses) {
		json_object_set_new(o, "level2_collapses", json_integer(st->level2_collapses));
		json_object_set_new(o, "level3_collapses", json_integer(st->level3_collapses));
	}
	return o;
}

json_t *dmap_report_json(const struct dmap_facts *f, const struct dmap_look *l)
{
	json_t *o = json_object(), *cov = json_array(), *holes = json_array();
	json_t *pieces = json_array(), *walk = json_object(), *att = json_object();
	json_t *sec = json_object();
	uint64_t pob = f->ctx->page_offset_base;

	json_object_set_new(o, "page_offset_base", json_hex(pob));
	json_object_set_new(o, "ram_bytes", json_integer(l->sum.ram));
	json_object_set_new(o, "mapped_bytes", json_integer(l->sum.present[0] +
				l->sum.present[1] + l->sum.present[2]));
	json_object_set_new(o, "mapped_non_ram_bytes", json_integer(l->sum.mapped_non_ram));
	for (int i = 0; i < f->io->nr_ram; i++) {
		json_t *r = json_object();

		json_object_set_new(r, "start", json_hex(f->io->ram[i].start));
		json_object_set_new(r, "end", json_hex(f->io->ram[i].end));
		json_object_set_new(r, "va_start", json_hex(pob + f->io->ram[i].start));
		json_object_set_new(r, "va_end", json_hex(pob + f->io->ram[i].end));
		json_array_append_new(cov, r);
	}
	json_object_set_new(o, "system_ram", cov);
	for (int i = 0; i < l->sum.nr_holes; i++) {
		json_t *h = json_object();

		json_object_set_new(h, "start", json_hex(l->sum.holes[i].range.start));
		json_object_set_new(h, "end", json_hex(l->sum.holes[i].range.end));
		json_object_set_new(h, "what", json_string(l->sum.holes[i].what));
		json_object_set_new(h, "mapped_bytes", json_integer(l->sum.holes[i].mapped));
		json_array_append_new(holes, h);
	}
	json_object_set_new(o, "holes", holes);
	json_object_set_new(o, "page_sizes", json_sizes(l));
	for (size_t i = 0; i < l->runs.n; i++) {
		const struct dmap_run *r = &l->runs.v[i];
		json_t *p;

		if (!is_piece(r))
			continue;
		p = json_object();
		json_object_set_new(p, "pa", json_hex(r->va - pob));
		json_object_set_new(p, "bytes", json_integer(r->bytes));
		json_object_set_new(p, "page", json_string(r->shift == 12 ? "4K" : "2M"));
		json_object_set_new(p, "present", json_boolean(r->flags & DMAP_PRESENT));
		json_object_set_new(p, "rw", json_boolean(r->flags & DMAP_RW));
		json_object_set_new(p, "nx", json_boolean(r->flags & DMAP_NX));
		json_array_append_new(pieces, p);
	}
	json_object_set_new(o, "pieces", pieces);
	json_object_set_new(walk, "start", json_hex(f->walk_start));
	json_object_set_new(walk, "end", json_hex(f->walk_end));
	json_object_set_new(walk, "bpf_runs", json_integer(l->chunks));
	json_object_set_new(walk, "runs", json_integer(l->runs.n));
	json_object_set_new(walk, "ms", json_real(l->walk_ms));
	json_object_set_new(walk, "complete", json_boolean(!l->walk_err));
	json_object_set_new(o, "walk", walk);
	json_object_set_new(o, "counters", json_counters(&l->stats));
	json_object_set_new(att, "available", json_boolean(f->attribution));
	json_object_set_new(att, "method", f->attribution ? json_string(f->attribution) : json_null());
	json_object_set_new(att, "why", f->attribution ? json_null() : json_string(f->attribution_why));
	json_object_set_new(o, "attribution", att);
	json_object_set_new(sec, "available", json_boolean(f->secretmem));
	json_object_set_new(sec, "why", f->secretmem ? json_null() : json_string(f->secretmem_why));
	json_object_set_new(sec, "pages_out_of_direct_map", json_integer(l->sum.removed_4k / 4096));
	json_object_set_new(o, "secretmem", sec);
	return o;
}

/* ---- live ------------------------------------------------------------- */

/* A change's first page as a direct-map address and PA; false if unknown. */
static bool change_page(const struct translate_ctx *c, const struct dmap_change *ch,
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

static const char *va_region(const struct translate_ctx *c, uint64_t va)
{
	const struct region *r = region_of(&c->regions, va);

	return r ? r->name : "?";
}

static int stack_depth(const struct dmap_change *ch)
{
	int n = ch->stack_bytes > 0 ? ch->stack_bytes / 8 : 0;

	return n < DMAP_STACK_DEPTH ? n : DMAP_STACK_DEPTH;
}

/* Frame i, symbolized where kallsyms allows, else its address. */
static const char *frame_name(const struct dmap_change *ch, int i, const struct ksyms *ks,
			      char *buf, size_t len)
{
	if (!ks || !ksyms_name(ks, ch->stack[i], buf, len))
		snprintf(buf, len, "0x%llx", (unsigned long long)ch->stack[i]);
	return buf;
}

/* The first frame past kvas's own probe: its program, trampoline or kprobe. */
static int first_frame(const struct dmap_change *ch, const struct ksyms *ks)
{
	static const char *const hook[] = {
		"bpf_prog_", "bpf_trampoline_", "kprobe", "__kprobe", "aggr_pre_handler",
		"ftrace", "arch_ftrace", "trace_call_bpf", NULL,
	};
	int i;

	for (i = 0; i < stack_depth(ch); i++) {
		char sym[96];
		bool ours = false;

		frame_name(ch, i, ks, sym, sizeof(sym));
		for (int k = 0; hook[k] && !ours; k++)
			ours = !strncmp(sym, hook[k], strlen(hook[k]));
		if (!ours)
			break;
	}
	return i < stack_depth(ch) ? i : 0;
}

static void stack_str(const struct dmap_change *ch, const struct ksyms *ks, char *buf,
		      size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = first_frame(ch, ks); i < stack_depth(ch) && used + 1 < len; i++) {
		char sym[96];

		used += snprintf(buf + used, len - used, "%s%s", used ? " <- " : "",
				 frame_name(ch, i, ks, sym, sizeof(sym)));
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

void dmap_interval_text(const struct dmap_facts *f, const struct dmap_look *prev,
			const struct dmap_look *cur, const struct dmap_events *ev,
			const struct ksyms *ks, FILE *out)
{
	char a[24], m[160], st[1024];

	fprintf(out, "-- %.1f s --\n", cur->time - prev->time);
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
	for (int i = 0; i < ev->nr_changes; i++) {
		const struct dmap_change *ch = &ev->changes[i];
		uint64_t va = 0, pa = 0;
		bool known = change_page(f->ctx, ch, &va, &pa);

		mask_str(ch->mask_set, ch->mask_clr, m, sizeof(m));
		stack_str(ch, ks, st, sizeof(st));
		fprintf(out, "change %-9s pid %u tid %u %s: %s x %" PRIu64 " pages%s",
			dmap_change_kind_name(ch->kind), ch->pid, ch->tid, ch->comm,
			known ? fmt_hex(va, a, sizeof(a)) : fmt_hex(ch->addr, a, sizeof(a)),
			(uint64_t)ch->pages, ch->primary ? "" : " (alias)");
		if (known)
			fprintf(out, " PA 0x%" PRIx64, pa);
		else
			fprintf(out, " in %s", va_region(f->ctx, ch->addr));
		if (ch->kind == DMAP_CHANGE_CPA)
			fprintf(out, ", %s", m);
		fprintf(out, "\n    stack: %s\n", st[0] ? st : "unavailable");
	}
	if (ev->changes_over)
		fprintf(out, "  ... and %d more changes\n", ev->changes_over);
	for (int i = 0; i < ev->nr_faults; i++) {
		const struct vm_event *e = &ev->faults[i];
		char sym[96], err[64];

		if (!ks || !ksyms_name(ks, e->ip, sym, sizeof(sym)))
			snprintf(sym, sizeof(sym), "0x%llx", (unsigned long long)e->ip);
		fprintf(out, "kernel fault in the direct map: pid %u %s at 0x%llx (PA 0x%llx), ip %s, %s\n",
			e->pid, e->comm, (unsigned long long)e->addr,
			(unsigned long long)(e->addr - f->ctx->page_offset_base), sym,
			fault_error_str(e->arg, err, sizeof(err)));
	}
	if (ev->faults_over)
		fprintf(out, "  ... and %d more kernel faults in the direct map\n", ev->faults_over);
}

json_t *dmap_interval_json(const struct dmap_facts *f, const struct dmap_look *prev,
			   const struct dmap_look *cur, const struct dmap_events *ev,
			   const struct ksyms *ks)
{
	json_t *o = json_object(), *chs = json_array(), *fs = json_array();

	json_object_set_new(o, "seconds", json_real(cur->time - prev->time));
	json_object_set_new(o, "counters", json_counters(&cur->stats));
	json_object_set_new(o, "previous_counters", json_counters(&prev->stats));
	json_object_set_new(o, "page_sizes", json_sizes(cur));
	json_object_set_new(o, "attribution", f->attribution ? json_string(f->attribution) : json_null());
	if (!f->attribution)
		json_object_set_new(o, "attribution_why", json_string(f->attribution_why));
	for (int i = 0; i < ev->nr_changes; i++) {
		const struct dmap_change *ch = &ev->changes[i];
		json_t *c = json_object(), *stack = json_array();
		uint64_t va = 0, pa = 0;
		char sym[96];

		json_object_set_new(c, "kind", json_string(dmap_change_kind_name(ch->kind)));
		json_object_set_new(c, "pid", json_integer(ch->pid));
		json_object_set_new(c, "tid", json_integer(ch->tid));
		json_object_set_new(c, "comm", json_string(ch->comm));
		json_object_set_new(c, "cgroup_id", json_integer(ch->cgroup));
		if (change_page(f->ctx, ch, &va, &pa)) {
			json_object_set_new(c, "va", json_hex(va));
			json_object_set_new(c, "pa", json_hex(pa));
		} else {
			json_object_set_new(c, "va", json_hex(ch->addr));
			json_object_set_new(c, "region", json_string(va_region(f->ctx, ch->addr)));
		}
		json_object_set_new(c, "pages", json_integer(ch->pages));
		json_object_set_new(c, "primary", json_boolean(ch->primary));
		json_object_set_new(c, "mask_set", json_hex(ch->mask_set));
		json_object_set_new(c, "mask_clear", json_hex(ch->mask_clr));
		for (int k = first_frame(ch, ks); k < stack_depth(ch); k++)
			json_array_append_new(stack, json_string(frame_name(ch, k, ks, sym,
									    sizeof(sym))));
		json_object_set_new(c, "stack", stack);
		json_array_append_new(chs, c);
	}
	json_object_set_new(o, "changes", chs);
	json_object_set_new(o, "changes_not_shown", json_integer(ev->changes_over));
	for (int i = 0; i < ev->nr_faults; i++) {
		const struct vm_event *e = &ev->faults[i];
		json_t *x = json_object();
		char sym[96];

		json_object_set_new(x, "pid", json_integer(e->pid));
		json_object_set_new(x, "comm", json_string(e->comm));
		json_object_set_new(x, "address", json_hex(e->addr));
		json_object_set_new(x, "ip", json_hex(e->ip));
		json_object_set_new(x, "symbol", ks && ksyms_name(ks, e->ip, sym, sizeof(sym)) ?
				    json_string(sym) : json_null());
		json_object_set_new(x, "error_code", json_integer(e->arg));
		json_array_append_new(fs, x);
	}
	json_object_set_new(o, "kernel_faults", fs);
	json_object_set_new(o, "kernel_faults_not_shown", json_integer(ev->faults_over));
	return o;
}
