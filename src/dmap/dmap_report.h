/* SPDX-License-Identifier: GPL-2.0 */
/* kvas dmap's report: the direct map once, and what changed each interval. */
#ifndef KVAS_DMAP_REPORT_H
#define KVAS_DMAP_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include "dmap_summary.h"
#include "ksyms.h"
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

/* One look at the direct map: counters and a walk. */
struct dmap_look {
	double time;
	struct direct_map_stats stats;
	struct dmap_runs runs;
	int chunks, walk_err;
	double walk_ms;
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

/* Why DirectMap* and the walk differ, or NULL when they agree. */
const char *dmap_disagreement(const struct dmap_look *l);

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
