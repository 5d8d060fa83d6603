/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The `kvas layout` report: built once from a discovery, without I/O, then
 * printed as text (layout_text.c) or JSON (layout_json.c).
 */
#ifndef KVAS_LAYOUT_REPORT_H
#define KVAS_LAYOUT_REPORT_H

#include <stdio.h>

#include "discovery.h"
#include "regions.h"

enum kaslr_state { KASLR_UNKNOWN, KASLR_ACTIVE, KASLR_INACTIVE };

struct kaslr_verdict {
	enum kaslr_state state;
	char why[320];
	const char *off_reason;	/* why randomization did not run; NULL: it may have */
};

struct layout_report {
	const struct discovery *d;
	int levels;			/* 0: unknown */
	struct kaslr_verdict memory, text;
	/* "from default", for the values that have a default on this boot */
	bool have_default[LF_NR];
	uint64_t def[LF_NR];
	bool have_offset[LF_NR];	/* and a known value */
	int64_t offset[LF_NR];		/* value - default, two's complement */
	struct region_table regions;
	bool have_regions;
	uint64_t ram_start, ram_end;	/* lowest and highest System RAM byte */
	uint64_t ram_bytes;
};

void layout_report_build(const struct discovery *d, struct layout_report *r);
void layout_report_text(const struct layout_report *r, FILE *out);
int layout_report_json(const struct layout_report *r, FILE *out);

const char *kaslr_state_name(enum kaslr_state s);

#endif
