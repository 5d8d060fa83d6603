/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvas trace's run, apart from its command line (src/cli/cmd_trace.c): the
 * layout, the programs and the ring buffer, each record printed as it
 * comes, and the summary at the end.
 */
#ifndef KVAS_TRACE_RUN_H
#define KVAS_TRACE_RUN_H

#include <stdbool.h>

#include "container_filter.h"
#include "options.h"
#include "vm_stream.h"

/* What the command line asks for. */
struct trace_cfg {
	struct vm_stream_config ev;
	const char *cgroup;		/* --cgroup, until resolved to ev.cgroups */
	const char *output;		/* -o */
	bool force;			/* --force: -o may replace a file */
	bool csv;
	struct container_filter filter;	/* --container */
};

/* Trace as cfg asks until stopped, -d is over or the target exits: the exit status. */
int trace_run(struct trace_cfg *cfg, const struct cli_opts *o);

#endif
