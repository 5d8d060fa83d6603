// SPDX-License-Identifier: GPL-2.0
/* The JSON form of the `kvas layout` report; same content as the text form. */
#include "direct_map_json.h"
#include "json_util.h"
#include "layout_report.h"

static json_t *value_json(enum layout_field f, uint64_t v)
{
	return f == LF_PAGING_LEVELS ? json_integer((json_int_t)v) : json_hex(v);
}

static json_t *source_names(unsigned int mask)
{
	json_t *a = json_array();

	for (int s = 0; s < LS_NR; s++)
		if (mask & LS_MASK(s))
			json_array_append_new(a, json_string(layout_source_name(s)));
	return a;
}

static json_t *values_json(const struct layout_report *r)
{
	const struct layout *l = &r->d->layout;
	json_t *values = json_object();

	for (int f = 0; f < LF_NR; f++) {
		const struct resolved_value *rv = &l->val[f];
		json_t *o = json_object(), *ev = json_object();

		json_object_set_new(o, "value",
				    resolved_known(rv) ? value_json(f, rv->value) : json_null());
		json_object_set_new(o, "status", json_string(resolution_name(rv->res)));
		json_object_set_new(o, "sources", source_names(rv->sources));
		json_object_set_new(o, "disagreeing_sources", source_names(rv->dissent));
		if (r->have_default[f])
			json_object_set_new(o, "default", json_hex(r->def[f]));
		if (r->have_offset[f])
			json_object_set_new(o, "offset_from_default", json_hex_signed(r->offset[f]));
		for (int s = 0; s < LS_NR; s++) {
			json_t *c;

			if (l->claim[f][s].set) {
				c = json_object();
				json_object_set_new(c, "value", value_json(f, l->claim[f][s].value));
				json_object_set_new(c, "how", json_string(l->claim[f][s].how));
				json_object_set_new(ev, layout_source_name(s), c);
			} else if (l->rejected[f][s][0]) {
				c = json_object();
				json_object_set_new(c, "rejected", json_string(l->rejected[f][s]));
				json_object_set_new(ev, layout_source_name(s), c);
			}
		}
		json_object_set_new(o, "evidence", ev);
		json_object_set_new(values, layout_field_name(f), o);
	}
	return values;
}

static json_t *sources_json(const struct layout_report *r)
{
	json_t *o = json_object();

	for (int s = 0; s < LS_NR; s++) {
		const struct source_state *st = &r->d->layout.source[s];
		json_t *so = json_object();

		json_object_set_new(so, "selected", json_boolean(st->ran));
		json_object_set_new(so, "available", json_boolean(st->available));
		json_object_set_new(so, "note", json_string(st->why));
		json_object_set_new(o, layout_source_name(s), so);
	}
	return o;
}

static json_t *verdict_json(const struct kaslr_verdict *v)
{
	json_t *o = json_object();

	json_object_set_new(o, "state", json_string(kaslr_state_name(v->state)));
	json_object_set_new(o, "why", json_string(v->why));
	json_object_set_new(o, "off_reason",
			    v->off_reason ? json_string(v->off_reason) : json_null());
	return o;
}

static json_t *regions_json(const struct layout_report *r)
{
	json_t *a = json_array();

	for (int i = 0; r->have_regions && i < r->regions.nr; i++) {
		const struct region *rg = &r->regions.r[i];
		json_t *o = json_object();

		json_object_set_new(o, "start", json_hex(rg->start));
		json_object_set_new(o, "end", json_hex(rg->end));
		json_object_set_new(o, "size", json_hex(rg->end - rg->start + 1));
		json_object_set_new(o, "name", json_string(rg->name));
		json_object_set_new(o, "kaslr_base", json_boolean(rg->randomized_base));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *memory_json(const struct layout_report *r)
{
	json_t *o = json_object(), *ram = json_array();
	uint64_t pob;

	for (int i = 0; i < r->d->iomem.nr_ram; i++) {
		json_t *rg = json_object();

		json_object_set_new(rg, "start", json_hex(r->d->iomem.ram[i].start));
		json_object_set_new(rg, "end", json_hex(r->d->iomem.ram[i].end));
		json_array_append_new(ram, rg);
	}
	json_object_set_new(o, "system_ram", ram);
	if (r->d->iomem.nr_ram) {
		json_object_set_new(o, "phys_start", json_hex(r->ram_start));
		json_object_set_new(o, "phys_end", json_hex(r->ram_end));
		json_object_set_new(o, "ram_bytes", json_integer((json_int_t)r->ram_bytes));
		if (layout_value_exact(&r->d->layout, LF_PAGE_OFFSET_BASE, &pob)) {
			json_object_set_new(o, "direct_map_start", json_hex(pob + r->ram_start));
			json_object_set_new(o, "direct_map_end", json_hex(pob + r->ram_end));
		}
	}
	json_object_set_new(o, "direct_map_counters", direct_map_counters_json(&r->d->dmap));
	return o;
}

int layout_report_json(const struct layout_report *r, FILE *out)
{
	json_t *root = json_object(), *rand = json_object();

	json_object_set_new(root, "kernel", json_string(r->d->release));
	json_object_set_new(root, "paging_levels",
			    r->levels ? json_integer(r->levels) : json_null());
	json_object_set_new(root, "values", values_json(r));
	json_object_set_new(root, "base_order_ok", json_boolean(r->d->layout.order_ok));
	json_object_set_new(rand, "memory", verdict_json(&r->memory));
	json_object_set_new(rand, "text", verdict_json(&r->text));
	json_object_set_new(root, "randomization", rand);
	json_object_set_new(root, "sources", sources_json(r));
	json_object_set_new(root, "regions", regions_json(r));
	json_object_set_new(root, "memory", memory_json(r));
	return json_emit(root, out);
}
