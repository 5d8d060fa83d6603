// SPDX-License-Identifier: GPL-2.0
/* kvas why --json: the same report as the text, every figure a number. */
#include <stdio.h>

#include "why_report.h"

static json_t *str_or_null(const char *s)
{
	return s && s[0] ? json_string(s) : json_null();
}

static json_t *stat_json(const struct why_stat *s)
{
	if (!s->have)
		return json_null();
	return json_pack("{s:f, s:f, s:f, s:i}", "median", s->median, "min", s->min,
			 "max", s->max, "repeats", s->repeats);
}

/* {"4096": v(4K), "2097152": v(2M), "1073741824": v(1G)} */
static json_t *by_page_size(json_t *(*value)(const struct why_report *, int),
			    const struct why_report *r)
{
	json_t *o = json_object();

	for (int p = 0; p < WHY_NR_PAGES; p++) {
		char key[24];

		snprintf(key, sizeof(key), "%llu", (unsigned long long)why_page_bytes(p));
		json_object_set_new(o, key, value(r, p));
	}
	return o;
}

static json_t *walk_bytes(const struct why_report *r, int p)
{
	return json_integer((json_int_t)r->walk_bytes[p]);
}

static json_t *meminfo_bytes(const struct why_report *r, int p)
{
	return json_integer((json_int_t)r->meminfo_bytes[p]);
}

static json_t *read_ns(const struct why_report *r, int p)
{
	return stat_json(&r->m.read[p].ns);
}

static json_t *read_buffer(const struct why_report *r, int p)
{
	const struct why_read *rd = &r->m.read[p];

	return json_pack("{s:b, s:I, s:o}", "huge_backed", p == WHY_4K ? 0 : rd->huge_backed,
			 "backed_bytes", (json_int_t)rd->backed_bytes,
			 "why_not", str_or_null(rd->why_not));
}

static json_t *tlb_json(const struct tlb_list *t)
{
	json_t *a = json_array();

	for (int i = 0; i < t->n; i++) {
		const struct tlb_entry *e = &t->e[i];

		json_array_append_new(a, json_pack("{s:i, s:I, s:i, s:o, s:b, s:o, s:s}",
			"level", e->level, "page_size", (json_int_t)e->page_size,
			"entries", (int)e->entries,
			"ways", e->ways ? json_integer(e->ways) : json_null(),
			"shared", e->shared, "core_type", str_or_null(e->core_type),
			"source", e->source));
	}
	return a;
}

static json_t *cpuid_json(const struct why_report *r)
{
	return json_pack("{s:s, s:b, s:b, s:s, s:o, s:o, s:o}",
		"vendor", r->tlb.vendor, "hybrid", r->tlb.hybrid, "hypervisor", r->hypervisor,
		"shown", r->cpuid_shown,
		"kernel_view", r->cpuid_have_dev ? json_string(r->cpuid_differs ? "differs" : "same")
						 : json_null(),
		"kernel_view_why", str_or_null(r->cpuid_dev_why),
		"note", str_or_null(r->tlb.note));
}

static json_t *direct_map_json(const struct why_report *r)
{
	if (!r->have_walk)
		return json_null();
	return json_pack("{s:i, s:o, s:I, s:I, s:o, s:s, s:o}",
		"levels", r->levels, "bytes_by_page_size", by_page_size(walk_bytes, r),
		"entries", (json_int_t)why_entries(r),
		"entries_if_4k", (json_int_t)why_entries_if_4k(r),
		"meminfo_bytes_by_page_size",
		r->have_meminfo_sizes ? by_page_size(meminfo_bytes, r) : json_null(),
		"agreement", r->agreement_kind ? r->agreement_kind : "unjudged",
		"agreement_why", str_or_null(r->agreement));
}

static json_t *measured_json(const struct why_report *r)
{
	const struct why_measure *m = &r->m;
	const struct why_stat *k4 = &m->read[WHY_4K].ns, *m2 = &m->read[WHY_2M].ns;

	return json_pack("{s:b, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:i, s:i, s:i, s:o}",
		"done", m->done, "buffer_bytes", (json_int_t)m->buffer_bytes,
		"reads_per_repeat", (json_int_t)m->reads,
		"random_read_ns", by_page_size(read_ns, r),
		"buffers", by_page_size(read_buffer, r),
		"ratio_4k_to_2m", k4->have && m2->have ? json_real(k4->median / m2->median)
						       : json_null(),
		"walk_ns", stat_json(&m->walk_ns), "direct_map_ns", stat_json(&m->direct_map_ns),
		"walk_levels", r->levels, "walk_addresses", (int)m->walk_addresses,
		"walk_failed", (int)m->walk_failed, "walk_why_not", str_or_null(m->walk_why_not));
}

static json_t *kinds_json(const struct why_kinds *k)
{
	json_t *o = json_object();

	for (int i = 0; i < WK_NR; i++)
		json_object_set_new(o, why_kind_key(i),
				    why_kind_counts(k, i) ? json_integer((json_int_t)k->bytes[i])
							  : json_null());
	return o;
}

static const char *stacks_in(const struct why_kinds *k)
{
	if (!k->vmap_stack_known)
		return "unknown";
	return k->vmap_stack ? "vmalloc" : "direct_map";
}

static json_t *count_or_null(bool have, uint64_t v)
{
	return have ? json_integer((json_int_t)v) : json_null();
}

json_t *why_report_json(const struct why_report *r)
{
	char verdict[2048], who[400];

	why_verdict(r, verdict, sizeof(verdict));
	snprintf(who, sizeof(who), "kvas cannot know who split them before it ran; "
		 "kvas dmap -i attributes each change live%s%s",
		 r->attribution ? "" : ": ", r->attribution ? "" : r->attribution_why);
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:I, s:s, s:I, s:I, s:o, s:o, s:s}",
		"tlb", tlb_json(&r->tlb), "cpuid", cpuid_json(r),
		"direct_map", direct_map_json(r), "measured", measured_json(r),
		"only_through_direct_map_bytes", kinds_json(&r->kinds),
		"mem_total_bytes", (json_int_t)r->kinds.mem_total,
		"kernel_stacks_in", stacks_in(&r->kinds),
		"removed_bytes", (json_int_t)r->removed_bytes,
		"unmapped_ram_bytes", (json_int_t)r->unmapped_ram,
		"can_remove_more", json_pack("{s:b, s:o, s:o, s:o, s:b, s:o}",
			"memfd_secret", r->secretmem, "memfd_secret_why", str_or_null(r->secretmem_why),
			"guest_memfd_no_direct_map",
			r->guest_memfd < 0 ? json_null() : json_boolean(r->guest_memfd),
			"guest_memfd_why", str_or_null(r->guest_memfd_why),
			"asi", r->asi, "asi_why", str_or_null(r->asi_why)),
		"since_boot", json_pack("{s:o, s:o, s:o, s:o, s:o, s:s}",
			"level2_splits", count_or_null(r->have_splits, r->level2_splits),
			"level3_splits", count_or_null(r->have_splits, r->level3_splits),
			"level2_collapses", count_or_null(r->have_collapses, r->level2_collapses),
			"level3_collapses", count_or_null(r->have_collapses, r->level3_collapses),
			"attribution", str_or_null(r->attribution),
			"attribution_note", who),
		"verdict", verdict);
}
