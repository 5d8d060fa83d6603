/* SPDX-License-Identifier: GPL-2.0 */
/* The `kvas layout` report: built once from a discovery, printed as text or JSON. */
#ifndef KVAS_LAYOUT_REPORT_H
#define KVAS_LAYOUT_REPORT_H

#include <stdio.h>

#include "discover.h"
#include "regions.h"

enum kaslr_state { KASLR_UNKNOWN, KASLR_ACTIVE, KASLR_INACTIVE };

struct kaslr_verdict {
	enum kaslr_state state;
	char why[320];
};

struct layout_report {
	const struct discovery *d;
	char release[80];
	int levels;			/* 0: unknown */
	struct kaslr_verdict memory, text;
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
