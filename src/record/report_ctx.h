/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside kvas report's model: what every event's labels are made from
 * (the recording, the TLB reasons' names and the kernel's regions as the
 * recording's meta gives them), and the grouping of labels into tables.
 * Pure logic.
 */
#ifndef KVAS_REPORT_CTX_H
#define KVAS_REPORT_CTX_H

#include <stddef.h>

#include "regions.h"
#include "report.h"
#include "vm_decode.h"

/* Room for one label: a path's basename, a symbol, "PID:COMM". */
#define REPORT_LABEL_LEN 256

struct report_ctx {
	const struct recording *r;
	struct tlb_reasons reasons;
	bool tlb_names;			/* meta tlb_reasons named them */
	struct region_table regions;
	bool layout_known;		/* paging_levels and every base recorded */
	uint64_t user_end;		/* the last user address; 0: levels unknown */
};

/* The TLB reasons' names and the kernel's regions, from r's meta. */
void report_ctx_init(struct report_ctx *c, const struct recording *r);

/* e's value under k into buf (REPORT_LABEL_LEN); NULL: k does not apply to e. */
const char *report_label(const struct report_ctx *c, enum report_key k,
			 const struct rec_event *e, char *buf, size_t len);

/* The memory region of a fault: a mapping's name or kind, or a kernel region. */
const char *report_region(const struct report_ctx *c, const struct rec_event *e,
			  char *buf, size_t len);

/* An event's leaf function (a fault's ip, else its stack's first frame); NULL: none. */
const char *report_symbol(const struct report_ctx *c, const struct rec_event *e,
			  char *buf, size_t len);

/*
 * Rows by their values: a value tuple is the values joined by
 * REPORT_SEP. group_add counts one event for a tuple; group_table sorts
 * the rows into t (which then owns them) and empties g.
 */
#define REPORT_SEP '\x1f'

struct report_group {
	char **tuples;
	uint64_t *counts;
	size_t cap, nr;
};

int group_add(struct report_group *g, const char *tuple, uint64_t count);
int group_table(struct report_group *g, struct report_table *t);
void group_free(struct report_group *g);
void report_table_free(struct report_table *t);

/* A call chain's frame names, leaf first, as a tuple into g: 0 or -ENOMEM. */
int report_chain_add(const struct report_ctx *c, const struct rec_event *e,
		     struct report_group *g);

int report_pages_build(const struct recording *r, struct report *rep);
/* The direct-map changes' section: 0 or -ENOMEM; report_dmap_free() frees it either way. */
int report_dmap_build(const struct recording *r, struct report_dmap *d);
void report_dmap_free(struct report_dmap *d);
int report_histogram_build(const struct recording *r, unsigned int buckets,
			   struct report_histogram *h);

#endif
