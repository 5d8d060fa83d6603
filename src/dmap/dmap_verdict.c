// SPDX-License-Identifier: GPL-2.0
/*
 * Why DirectMap* and the walk differ, decided from two looks: a race (a
 * split or collapse between the read of the counters and the walk) moves
 * the kernel's split counters or changes the difference; bookkeeping kept
 * since boot does neither.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmap_report.h"
#include "format.h"

const char *dmap_verdict_name(enum dmap_verdict_kind k)
{
	static const char *const names[] = {
		[DMAP_AGREE] = "agree", [DMAP_NO_COUNTS] = "no_counts",
		[DMAP_WALK_SHORT] = "walk_short", [DMAP_BOOKKEEPING] = "bookkeeping",
		[DMAP_RACE] = "race", [DMAP_UNJUDGED] = "unjudged",
	};

	return k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}

/* Did a split or collapse run between two reads of /proc/vmstat? */
static bool counters_moved(const struct direct_map_stats *a, const struct direct_map_stats *b)
{
	return a->level2_splits != b->level2_splits || a->level3_splits != b->level3_splits ||
	       a->level2_collapses != b->level2_collapses ||
	       a->level3_collapses != b->level3_collapses;
}

static bool same_difference(const struct dmap_agreement *a, const struct dmap_agreement *b)
{
	return !memcmp(a->diff_pages, b->diff_pages, sizeof(a->diff_pages));
}

/* "4 2M mappings more and 2048 4K pages fewer": the tables against DirectMap*. */
static void describe(const struct dmap_agreement *a, char *buf, size_t len)
{
	static const char *const unit[DMAP_NR_SIZES] = { "4K pages", "2M mappings", "1G mappings" };
	size_t n = 0;

	buf[0] = '\0';
	for (int sz = DMAP_NR_SIZES - 1; sz >= 0 && n < len; sz--) {
		int64_t d = a->diff_pages[sz];

		if (d)
			n += snprintf(buf + n, len - n, "%s%" PRId64 " %s %s", n ? " and " : "",
				      d < 0 ? -d : d, unit[sz], d > 0 ? "more" : "fewer");
	}
}

/* The difference's size in bytes, as the tables hold it less as DirectMap* counts it. */
static int64_t difference_bytes(const struct dmap_agreement *a)
{
	int64_t total = 0;

	for (int sz = 0; sz < DMAP_NR_SIZES; sz++)
		total += a->diff_pages[sz] * (int64_t)dmap_size_bytes(sz);
	return total;
}

static void bookkeeping(const struct dmap_agreement *a, struct dmap_verdict *v)
{
	char what[160], size[24], bytes[40];
	int64_t total = difference_bytes(a);

	describe(a, what, sizeof(what));
	fmt_size(total < 0 ? -total : total, size, sizeof(size));
	if (total)
		snprintf(bytes, sizeof(bytes), "%s %s in all", size, total > 0 ? "more" : "less");
	else
		snprintf(bytes, sizeof(bytes), "the same bytes in all");
	v->kind = DMAP_BOOKKEEPING;
	snprintf(v->text, sizeof(v->text),
		 "not a race: the kernel's DirectMap* counts differ from its page tables by"
		 " %s in the tables (%s) since boot. Two walks found the same difference and"
		 " the split and collapse counters did not move between them. DirectMap* is"
		 " bookkeeping the kernel adds to as it maps memory at boot and moves on each"
		 " split or collapse, not a census of the tables, so mappings the boot code"
		 " made or remade outside that bookkeeping stay counted as they were. The walk"
		 " is what the tables hold.", what, bytes);
}

static void race(const struct dmap_look *first, const struct dmap_look *second,
		 struct dmap_verdict *v)
{
	const struct direct_map_stats *last = second ? &second->after : &first->after;

	v->kind = DMAP_RACE;
	if (counters_moved(&first->stats, last))
		snprintf(v->text, sizeof(v->text),
			 "a split or collapse ran while kvas read: the split counters moved"
			 " (2M->4K %" PRIu64 " to %" PRIu64 ", 1G->2M %" PRIu64 " to %" PRIu64
			 ", collapses %" PRIu64 " to %" PRIu64 ") between the read of"
			 " /proc/meminfo and the walk. The walk is what the tables hold now.",
			 first->stats.level2_splits, last->level2_splits,
			 first->stats.level3_splits, last->level3_splits,
			 first->stats.level2_collapses + first->stats.level3_collapses,
			 last->level2_collapses + last->level3_collapses);
	else
		snprintf(v->text, sizeof(v->text),
			 "the difference changed from one walk to the next: the direct map"
			 " changed while kvas read it. The walk is what the tables hold now.");
}

void dmap_judge(const struct dmap_look *first, const struct dmap_look *second,
		struct dmap_verdict *v)
{
	const struct dmap_agreement *a = &first->agree;

	memset(v, 0, sizeof(*v));
	if (first->stats_err || !a->have_meminfo) {
		v->kind = DMAP_NO_COUNTS;
		if (first->stats_err)
			snprintf(v->text, sizeof(v->text),
				 "/proc/meminfo or /proc/vmstat could not be read: %s",
				 strerror(abs(first->stats_err)));
		else
			snprintf(v->text, sizeof(v->text),
				 "/proc/meminfo has no DirectMap lines on this kernel");
		return;
	}
	if (first->walk_err) {
		v->kind = DMAP_WALK_SHORT;
		snprintf(v->text, sizeof(v->text),
			 "the walk stopped early: a table could not be read");
		return;
	}
	if (a->agrees) {
		v->kind = DMAP_AGREE;
		return;
	}
	if (counters_moved(&first->stats, second ? &second->after : &first->after) ||
	    (second && (second->walk_err || second->stats_err ||
			!same_difference(a, &second->agree)))) {
		race(first, second, v);
		return;
	}
	if (!second) {
		v->kind = DMAP_UNJUDGED;
		snprintf(v->text, sizeof(v->text),
			 "they differ and the counters did not move, but one walk cannot tell"
			 " a fixed difference from a change in progress");
		return;
	}
	bookkeeping(a, v);
}
