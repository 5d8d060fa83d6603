// SPDX-License-Identifier: GPL-2.0
/* kvas dmap's JSON: the report, and one object per interval (docs/schema/dmap). */
#include "cgroup_key.h"
#include "cgroups.h"
#include "direct_map_json.h"
#include "dmap_report.h"
#include "json_util.h"

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
	json_object_set_new(o, "verdict", json_string(dmap_verdict_name(l->verdict.kind)));
	json_object_set_new(o, "explanation", why ? json_string(why) : json_null());
	return o;
}

/* The same object in the report and in every interval. */
static json_t *attribution_json(const struct dmap_facts *f)
{
	json_t *o = json_object();

	json_object_set_new(o, "available", json_boolean(f->attribution));
	json_object_set_new(o, "method", f->attribution ? json_string(f->attribution) : json_null());
	json_object_set_new(o, "why", f->attribution ? json_null() : json_string(f->attribution_why));
	return o;
}

static json_t *ranges_json(const struct dmap_facts *f, const struct dmap_look *l,
			   json_t **holes)
{
	uint64_t pob = f->ctx->page_offset_base;
	json_t *ram = json_array();

	for (int i = 0; i < f->io->nr_ram; i++) {
		json_t *r = json_object();

		json_object_set_new(r, "start", json_hex(f->io->ram[i].start));
		json_object_set_new(r, "end", json_hex(f->io->ram[i].end));
		json_object_set_new(r, "va_start", json_hex(pob + f->io->ram[i].start));
		json_object_set_new(r, "va_end", json_hex(pob + f->io->ram[i].end));
		json_array_append_new(ram, r);
	}
	*holes = json_array();
	for (int i = 0; i < l->sum.nr_holes; i++) {
		json_t *h = json_object();

		json_object_set_new(h, "start", json_hex(l->sum.holes[i].range.start));
		json_object_set_new(h, "end", json_hex(l->sum.holes[i].range.end));
		json_object_set_new(h, "what", json_string(l->sum.holes[i].what));
		json_object_set_new(h, "mapped_bytes", json_integer(l->sum.holes[i].mapped));
		json_array_append_new(*holes, h);
	}
	return ram;
}

static json_t *pieces_json(const struct dmap_look *l, uint64_t pob)
{
	json_t *pieces = json_array();

	for (size_t i = 0; i < l->runs.n; i++) {
		const struct dmap_run *r = &l->runs.v[i];
		json_t *p;

		if (!dmap_run_is_piece(r))
			continue;
		p = json_object();
		json_object_set_new(p, "pa", json_hex(r->va - pob));
		json_object_set_new(p, "bytes", json_integer(r->bytes));
		json_object_set_new(p, "page", json_string(r->shift == X86_PAGE_SHIFT ? "4K" : "2M"));
		json_object_set_new(p, "present", json_boolean(r->flags & DMAP_PRESENT));
		json_object_set_new(p, "rw", json_boolean(r->flags & DMAP_RW));
		json_object_set_new(p, "nx", json_boolean(r->flags & DMAP_NX));
		json_array_append_new(pieces, p);
	}
	return pieces;
}

static json_t *walk_json(const struct dmap_facts *f, const struct dmap_look *l)
{
	json_t *walk = json_object();

	json_object_set_new(walk, "start", json_hex(f->walk_start));
	json_object_set_new(walk, "end", json_hex(f->walk_end));
	json_object_set_new(walk, "bpf_runs", json_integer(l->chunks));
	json_object_set_new(walk, "runs", json_integer(l->runs.n));
	json_object_set_new(walk, "duration_s", json_seconds(l->walk_s));
	json_object_set_new(walk, "complete", json_boolean(!l->walk_err));
	return walk;
}

json_t *dmap_report_json(const struct dmap_facts *f, const struct dmap_look *l)
{
	uint64_t pob = f->ctx->page_offset_base;
	json_t *o = json_object(), *sec = json_object(), *holes, *ram;

	json_object_set_new(o, "page_offset_base", json_hex(pob));
	json_object_set_new(o, "ram_bytes", json_integer(l->sum.ram));
	json_object_set_new(o, "mapped_bytes", json_integer(l->sum.present[0] +
				l->sum.present[1] + l->sum.present[2]));
	json_object_set_new(o, "mapped_non_ram_bytes", json_integer(l->sum.mapped_non_ram));
	ram = ranges_json(f, l, &holes);
	json_object_set_new(o, "system_ram", ram);
	json_object_set_new(o, "holes", holes);
	json_object_set_new(o, "page_sizes", json_sizes(l));
	json_object_set_new(o, "pieces", pieces_json(l, pob));
	json_object_set_new(o, "walk", walk_json(f, l));
	json_object_set_new(o, "counters", direct_map_counters_json(&l->stats));
	json_object_set_new(o, "attribution", attribution_json(f));
	json_object_set_new(sec, "available", json_boolean(f->secretmem));
	json_object_set_new(sec, "why", f->secretmem ? json_null() : json_string(f->secretmem_why));
	json_object_set_new(sec, "pages_out_of_direct_map", json_integer(l->sum.removed_4k / 4096));
	json_object_set_new(o, "secretmem", sec);
	return o;
}

/* ---- live ------------------------------------------------------------- */

static json_t *change_json(const struct dmap_facts *f, const struct dmap_change *ch,
			   const struct ksyms *ks)
{
	json_t *c = json_object(), *stack = json_array();
	uint64_t va = 0, pa = 0;
	char sym[96];

	json_object_set_new(c, "kind", json_string(dmap_change_kind_name(ch->kind)));
	json_object_set_new(c, "pid", json_integer(ch->pid));
	json_object_set_new(c, "tid", json_integer(ch->tid));
	json_object_set_new(c, "comm", json_string(ch->comm));
	json_object_set_new(c, "cgroup_id", json_integer(CGROUP_KEY_ID(ch->cgroup)));
	json_object_set_new(c, "attribution",
			    json_string(cgroup_kind_name(CGROUP_KEY_KIND(ch->cgroup))));
	if (dmap_change_page(f->ctx, ch, &va, &pa)) {
		json_object_set_new(c, "va", json_hex(va));
		json_object_set_new(c, "pa", json_hex(pa));
	} else {
		json_object_set_new(c, "va", json_hex(ch->addr));
		json_object_set_new(c, "region", json_string(dmap_va_region(f->ctx, ch->addr)));
	}
	json_object_set_new(c, "pages", json_integer(ch->pages));
	json_object_set_new(c, "primary", json_boolean(ch->primary));
	json_object_set_new(c, "mask_set", json_hex(ch->mask_set));
	json_object_set_new(c, "mask_clear", json_hex(ch->mask_clr));
	for (int k = dmap_first_frame(ch, ks); k < dmap_stack_depth(ch); k++)
		json_array_append_new(stack, json_string(dmap_frame_name(ch, k, ks, sym,
									 sizeof(sym))));
	json_object_set_new(c, "stack", stack);
	return c;
}

static json_t *fault_json(const struct vm_event *e, const struct ksyms *ks)
{
	json_t *x = json_object();
	char sym[96];

	json_object_set_new(x, "pid", json_integer(e->pid));
	json_object_set_new(x, "comm", json_string(e->comm));
	json_object_set_new(x, "address", json_hex(e->addr));
	json_object_set_new(x, "ip", json_hex(e->ip));
	json_object_set_new(x, "symbol", ks && ksyms_name(ks, e->ip, sym, sizeof(sym)) ?
			    json_string(sym) : json_null());
	json_object_set_new(x, "error_code", json_integer(e->arg));
	return x;
}

json_t *dmap_interval_json(const struct dmap_facts *f, const struct dmap_look *prev,
			   const struct dmap_look *cur, const struct dmap_events *ev,
			   const struct ksyms *ks)
{
	struct read_failures failed;
	json_t *o = json_object(), *chs = json_array(), *fs = json_array();

	json_object_set_new(o, "interval_s", json_seconds(cur->time - prev->time));
	json_object_set_new(o, "counters", direct_map_counters_json(&cur->stats));
	json_object_set_new(o, "previous_counters", direct_map_counters_json(&prev->stats));
	json_object_set_new(o, "page_sizes", json_sizes(cur));
	json_object_set_new(o, "read_errors", read_failures_json(dmap_look_failures(cur, &failed)));
	json_object_set_new(o, "attribution", attribution_json(f));
	for (int i = 0; i < ev->nr_changes; i++)
		json_array_append_new(chs, change_json(f, &ev->changes[i], ks));
	json_object_set_new(o, "changes", chs);
	json_object_set_new(o, "changes_not_shown", json_integer(ev->changes_over));
	for (int i = 0; i < ev->nr_faults; i++)
		json_array_append_new(fs, fault_json(&ev->faults[i], ks));
	json_object_set_new(o, "kernel_faults", fs);
	json_object_set_new(o, "kernel_faults_not_shown", json_integer(ev->faults_over));
	return o;
}
