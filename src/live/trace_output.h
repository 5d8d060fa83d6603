/* SPDX-License-Identifier: GPL-2.0 */
/* One kvas trace record as a text line, a JSON line or a CSV row. */
#ifndef KVAS_TRACE_OUTPUT_H
#define KVAS_TRACE_OUTPUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "remote_flush.h"
#include "translate.h"
#include "vm_decode.h"
#include "vmevents_shared.h"

enum trace_format { TRACE_TEXT, TRACE_JSON, TRACE_CSV };

struct trace_printer {
	enum trace_format format;
	FILE *out;
	uint64_t start_ns;		/* CLOCK_MONOTONIC at the start */
	const struct translate_ctx *layout;
	const struct tlb_reasons *tlb_reasons;	/* this kernel's names of them */
	uint64_t written;		/* records printed */
	uint64_t translated;		/* of them, translation records with a pa */
	/* Told each record's end (or NULL): what went out whole after a write error. */
	void (*record_end)(void *ctx, uint64_t written);
	void *record_end_ctx;
};

/*
 * What the event only names by number, resolved by the caller on the
 * running system: NULL when unknown (the cgroup then reads "cgroup:<id>").
 */
struct trace_names {
	const char *cgroup;		/* its cgroup key's path (cgroup_cache.h) */
	const char *container;		/* container_label() of that path, or NULL */
	const char *symbol;		/* "name+0xoff" of a fault's ip */
	const char *module;		/* user faults: the ELF file holding that symbol */
};

/* The header line (text and CSV); nothing for JSON. */
int trace_print_header(struct trace_printer *p);
/* One event, and the translation it carries; -EIO when the output is gone. */
int trace_print(struct trace_printer *p, const struct vm_event *e,
		const struct trace_names *names);

/* The JSON record of one event (docs/schema/trace.schema.json). */
json_t *trace_record_json(const struct trace_printer *p, const struct vm_event *e,
			  const struct trace_names *names);
/*
 * The last JSON line: the records p printed (and the translations among
 * them), events lost or sampled away, parts off. flushes: how remote
 * flushes went, NULL where TLB events were not traced.
 */
json_t *trace_summary_json(const struct trace_printer *p, const struct vm_counters *totals,
			   json_t *unavailable, const struct remote_flush_verdict *flushes);

#endif
