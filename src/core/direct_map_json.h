/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The direct map's counters as the kernel publishes them (/proc/meminfo
 * DirectMap*, /proc/vmstat direct_map_level*), under one set of names and
 * one unit in every command's JSON: bytes for sizes, counts for splits and
 * collapses, null where this kernel does not publish the figure.
 */
#ifndef KVAS_DIRECT_MAP_JSON_H
#define KVAS_DIRECT_MAP_JSON_H

#include <jansson.h>

#include "procfs.h"

/*
 * {"directmap_4k_bytes", "directmap_2m_bytes", "directmap_1g_bytes",
 *  "level2_splits", "level3_splits", "level2_collapses", "level3_collapses"}:
 * all seven keys always, each an integer or null.
 */
json_t *direct_map_counters_json(const struct direct_map_stats *st);
/* The same keys, each cur - prev as a signed integer (null where either lacks it). */
json_t *direct_map_counters_delta_json(const struct direct_map_stats *cur,
				       const struct direct_map_stats *prev);

#endif
