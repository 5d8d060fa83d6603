/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvas dmap's report: the direct map once, and what changed each interval.
 * The facts and looks are taken in src/kernel/dmap_look.c; the printers are
 * dmap_text.c and dmap_json.c.
 */
#ifndef KVAS_DMAP_REPORT_H
#define KVAS_DMAP_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include "dmap_summary.h"
#include "ksyms.h"
#include "read_failures.h"
#include "translate.h"
#include "vmevents_shared.h"

/* Facts that hold for the whole run. */
struct dmap_facts {
	const struct iomem *io;
	const struct translate_ctx *ctx;
	uint64_t walk_start, walk_end;
	struct dmap_walker *walker;
	const char *attribution;	/* "fentry", "kprobe", or NULL */
	char attribution_why[256];
	bool secretmem;			/* memfd_secret works */
	char secretmem_why[160];
};

/* What DirectMap* against the walk means: dmap_judge(). */
enum dmap_verdict_kind {
	DMAP_AGREE,		/* within one page of each size */
	DMAP_NO_COUNTS,		/* no DirectMap* to compare: none on this kernel, or unreadable */
	DMAP_WALK_SHORT,	/* the walk stopped early */
	DMAP_BOOKKEEPING,	/* a fixed difference: two walks agree, the counters still */
	DMAP_RACE,		/* the counters moved, or the difference changed */
	DMAP_UNJUDGED,		/* one look only: no second walk to tell */
};

struct dmap_verdict {
	enum dmap_verdict_kind kind;
	char text[640];		/* why, for text and JSON; "" when they agree */
};

/* One look at the direct map: counters and a walk. */
struct dmap_look {
	double time;
	struct direct_map_stats stats;	/* read before the walk */
	struct direct_map_stats after;	/* the split counters again, after it */
	int stats_err;			/* 0, or why /proc/meminfo or /proc/vmstat failed */
	struct dmap_verdict verdict;
	struct dmap_runs runs;
	int chunks, walk_err;
	double walk_s;			/* how long the walk took */
	struct dmap_summary sum;
	struct dmap_agreement agree;
};

/* What the probes saw during one interval. */
#define DMAP_MAX_EVENTS 2048
struct dmap_events {
	struct dmap_change changes[DMAP_MAX_EVENTS];
	int nr_changes, changes_over;	/* over: more than fit */
	struct vm_event faults[DMAP_MAX_EVENTS];
	int nr_faults, faults_over;
};

void dmap_look_free(struct dmap_look *l);

struct translator;
/*
 * The walk's range, from System RAM (at least one range is needed), and its
 * program, loaded once. -errno when it does not load.
 */
int dmap_facts_init(struct dmap_facts *f, const struct iomem *io,
		    const struct translate_ctx *ctx);
void dmap_facts_release(struct dmap_facts *f);
/* Read the counters and walk the direct map; 0 or -errno. */
int dmap_look_take(struct dmap_look *l, const struct translator *tr,
		   const struct dmap_facts *f);

/*
 * What DirectMap* against first's walk means, from first and a second look
 * taken after it (NULL: none): a difference is bookkeeping kept since boot
 * only when both walks found the same one and the split and collapse
 * counters did not move from first's read to second's; a race when they
 * moved or the difference changed.
 */
void dmap_judge(const struct dmap_look *first, const struct dmap_look *second,
		struct dmap_verdict *v);
/* "agree", "no_counts", "walk_short", "bookkeeping", "race", "unjudged". */
const char *dmap_verdict_name(enum dmap_verdict_kind k);
/* The look's reads that failed, into rf (returned). */
const struct read_failures *dmap_look_failures(const struct dmap_look *l,
					       struct read_failures *rf);
/* Why DirectMap* and the walk differ (the look's verdict), or NULL when they agree. */
const char *dmap_disagreement(const struct dmap_look *l);
/* "page-attr", "unmap", "restore". */
const char *dmap_change_kind_name(uint32_t kind);
/* The runs worth listing: 4K and 2M runs, and 4K holes over RAM. */
bool dmap_run_is_piece(const struct dmap_run *r);
/* A change's first page as a direct-map address and PA; false if unknown. */
bool dmap_change_page(const struct translate_ctx *c, const struct dmap_change *ch,
		      uint64_t *va, uint64_t *pa);
/* The name of the region va is in, or "?". */
const char *dmap_va_region(const struct translate_ctx *c, uint64_t va);
/* A change's kernel stack: frames recorded, the first past kvas's own probe, frame i's name. */
int dmap_stack_depth(const struct dmap_change *ch);
int dmap_first_frame(const struct dmap_change *ch, const struct ksyms *ks);
const char *dmap_frame_name(const struct dmap_change *ch, int i, const struct ksyms *ks,
			    char *buf, size_t len);

void dmap_report_text(const struct dmap_facts *f, const struct dmap_look *l,
		      int max_pieces, FILE *out);
json_t *dmap_report_json(const struct dmap_facts *f, const struct dmap_look *l);

void dmap_interval_text(const struct dmap_facts *f, const struct dmap_look *prev,
			const struct dmap_look *cur, const struct dmap_events *ev,
			const struct ksyms *ks, FILE *out);
json_t *dmap_interval_json(const struct dmap_facts *f, const struct dmap_look *prev,
			   const struct dmap_look *cur, const struct dmap_events *ev,
			   const struct ksyms *ks);

#endif
