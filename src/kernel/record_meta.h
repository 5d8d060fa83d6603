/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvas record's meta records (the keys kvas_data.h lists): the machine and
 * the run at the start, the counts at the end.
 */
#ifndef KVAS_RECORD_META_H
#define KVAS_RECORD_META_H

#include <stdint.h>

#include "kvas_data.h"
#include "translate.h"
#include "vmevents_shared.h"

/* What the command line asked for, as the meta says it. */
struct record_run_facts {
	const char *version;		/* kvas's */
	const char *command;		/* record's own command line */
	const char *target;		/* "-a", "-p 123", "-- make -j2" */
	uint32_t record_mask;		/* VM_MASK bits */
	uint32_t sample_every;
	uint64_t freq;
	bool stacks;
};

/* The start's meta; the CLOCK_MONOTONIC start in *mono_start_ns. */
int record_meta_start(struct kd_writer *w, const struct record_run_facts *run,
		      const struct translate_ctx *layout, uint64_t *mono_start_ns);
/* The end's: duration, the programs' counts, the command's exit status (-1: none). */
int record_meta_end(struct kd_writer *w, uint64_t mono_start_ns, const struct vm_counters *c,
		    int exit_status);

#endif
