/* SPDX-License-Identifier: GPL-2.0 */
/* One kvas trace record as a text line, a JSON line or a CSV row. */
#ifndef KVAS_TRACE_OUTPUT_H
#define KVAS_TRACE_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "cgroup_cache.h"
#include "ksyms.h"
#include "translate.h"
#include "vmevents_shared.h"

enum trace_format { TRACE_TEXT, TRACE_JSON, TRACE_CSV };

struct trace_printer {
	enum trace_format format;
	FILE *out;
	uint64_t start_ns;		/* CLOCK_MONOTONIC at the start */
	const struct translate_ctx *layout;
	struct cgroup_cache *cgroups;
	struct ksyms *ksyms;		/* loaded on the first kernel fault */
	bool ksyms_tried;
	uint64_t written;
};

/* The header line (text and CSV); nothing for JSON. */
int trace_print_header(struct trace_printer *p);
/* One record; -EIO when the output is gone. */
int trace_print(struct trace_printer *p, const struct vm_event *e);

#endif
