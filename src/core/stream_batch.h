/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A batch from the streaming object (bpf/stream_batch.bpf.h) back into the
 * records kvas's readers take: each struct vm_event_entry becomes a struct
 * vm_event, with who its thread is from the VM_WHO entry its CPU sent last.
 */
#ifndef KVAS_STREAM_BATCH_H
#define KVAS_STREAM_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmevents_shared.h"

/* Who runs on one CPU, as its last VM_WHO entry said. */
struct batch_who {
	uint64_t cgroup;
	char comm[16];
	bool known;
};

struct batch_expander {
	struct batch_who *who;		/* by CPU */
	uint32_t nr_cpus;
};

/* 0, or -ENOMEM. */
int batch_expander_init(struct batch_expander *x, uint32_t nr_cpus);
void batch_expander_free(struct batch_expander *x);

/* Is a ring-buffer record of len bytes a batch? (records alone are not a multiple) */
bool batch_is(size_t len);

/*
 * Call fn with each event of the batch (len a multiple of the entry's
 * size), as a struct vm_event; VM_WHO entries update the expander. An
 * event of a CPU whose who is not known (its VM_WHO was lost with a full
 * ring buffer) has an empty comm and cgroup 0. Stops at fn's first non-zero
 * answer and returns it.
 */
int batch_expand(struct batch_expander *x, const void *data, size_t len,
		 int (*fn)(void *ctx, void *data, size_t len), void *ctx);

#endif
