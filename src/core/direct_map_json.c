// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>

#include "direct_map_json.h"

/* Each figure with the flag that says the kernel publishes it. */
struct counter {
	const char *name;
	bool have;
	uint64_t value;
};

static void counters_of(const struct direct_map_stats *st, struct counter c[7])
{
	const struct counter all[7] = {
		{ "directmap_4k_bytes", st->have_sizes, st->kb_4k * 1024 },
		{ "directmap_2m_bytes", st->have_sizes, st->kb_2m * 1024 },
		{ "directmap_1g_bytes", st->have_sizes, st->kb_1g * 1024 },
		{ "level2_splits", st->have_splits, st->level2_splits },
		{ "level3_splits", st->have_splits, st->level3_splits },
		{ "level2_collapses", st->have_collapses, st->level2_collapses },
		{ "level3_collapses", st->have_collapses, st->level3_collapses },
	};

	for (int i = 0; i < 7; i++)
		c[i] = all[i];
}

json_t *direct_map_counters_json(const struct direct_map_stats *st)
{
	json_t *o = json_object();
	struct counter c[7];

	counters_of(st, c);
	for (int i = 0; i < 7; i++)
		json_object_set_new(o, c[i].name, c[i].have ? json_integer((json_int_t)c[i].value)
							   : json_null());
	return o;
}

json_t *direct_map_counters_delta_json(const struct direct_map_stats *cur,
				       const struct direct_map_stats *prev)
{
	json_t *o = json_object();
	struct counter now[7], before[7];

	counters_of(cur, now);
	counters_of(prev, before);
	for (int i = 0; i < 7; i++)
		json_object_set_new(o, now[i].name, now[i].have && before[i].have ?
				    json_integer((json_int_t)(now[i].value - before[i].value)) :
				    json_null());
	return o;
}
