/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvas record's run, apart from its command line (src/cli/cmd_record.c):
 * the output file, the command it starts, the programs and the ring
 * buffer, each kept event written as it comes, and the end.
 */
#ifndef KVAS_RECORD_RUN_H
#define KVAS_RECORD_RUN_H

#include <stdbool.h>

#include "container_filter.h"
#include "options.h"
#include "vm_stream.h"

/* What the command line asks for. */
struct record_cfg {
	struct vm_stream_config ev;
	const char *cgroup;		/* --cgroup, until resolved to ev.cgroups */
	const char *output;		/* -o, else kvas.data */
	bool explicit_output;		/* -o given: an existing file needs --force */
	bool force;
	struct container_filter filter;	/* --container */
	char **command;			/* -- COMMAND ARGS..., NULL-ended; NULL: none */
	char target[256];		/* the meta's "target": "-a", "-p 123", "-- make -j2" */
	char cmdline[1024];		/* record's own command line, for the meta */
};

/*
 * Record as cfg asks until stopped, -d is over, the target exits or the
 * command ends: the exit status (the command's, with -- COMMAND).
 */
int record_run(struct record_cfg *cfg, const struct cli_opts *o);

#endif
