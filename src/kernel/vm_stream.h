/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Load and read the streaming object, bpf/vm_stream.bpf.c: page faults and
 * TLB flushes, filtered and sampled in the kernel, each kept one a struct
 * vm_event (with stacks, a struct vm_event_stack) in a ring buffer, for
 * kvas trace, dmap -i and record.
 */
#ifndef KVAS_VM_STREAM_H
#define KVAS_VM_STREAM_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "vm_programs.h"
#include "stream_batch.h"

struct vm_stream_bpf;

struct vm_stream_config {
	uint32_t record_mask;		/* VM_MASK bits */
	pid_t tgid, tid;		/* 0: any */
	uint64_t cgroups[VM_CGROUP_TARGETS];	/* --cgroup: its keys (0: unused) */
	bool filter_containers;		/* --container: container_filter decides */
	const char *comm;
	uint32_t sample_every;		/* -c: every Nth event per CPU */
	uint64_t rate;			/* -F: events per second, all CPUs; 0: no cap */
	uint32_t ringbuf_bytes;		/* 0: 512 KiB per CPU, 1 to 16 MiB (16 with stacks) */
	uint32_t kernel_fault_region;	/* FR_* + 1: kernel faults there only */
	bool stacks;			/* record -g: struct vm_event_stack records */
	bool follow;			/* record -- COMMAND: vm_stream_follow()'s processes only */
};

struct vm_stream {
	struct vm_programs p;
	struct vm_stream_bpf *skel;
	int (*fn)(void *ctx, void *data, size_t len);	/* vm_stream_reader()'s */
	void *fn_ctx;
	struct batch_expander batches;	/* who runs on each CPU, for batches */
};

int vm_stream_open(struct vm_stream *vs, const struct vm_stream_config *cfg,
		   const struct translate_ctx *layout, char *why, size_t len);
void vm_stream_close(struct vm_stream *vs);

/*
 * Counters summed over CPUs: 0, or a negative error. For the end: the
 * events batched in the kernel are sent first, so that the ring buffer
 * then holds every record the counters count.
 */
int vm_stream_counters(struct vm_stream *vs, struct vm_counters *sum);
/*
 * Detach the programs (their maps stay): no event is counted or sent
 * after this, so counters read then cover exactly what the ring buffer
 * holds. For a run's end.
 */
void vm_stream_stop(struct vm_stream *vs);

int vm_stream_ringbuf_fd(struct vm_stream *vs);

/*
 * The ring buffer's reader, calling fn with each event (a struct vm_event,
 * or with stacks a struct vm_event_stack) however the programs grouped
 * them: a reader that knows batches lets them batch plain records, which
 * costs each event less. NULL, with errno, on failure.
 */
struct ring_buffer *vm_stream_reader(struct vm_stream *vs,
				     int (*fn)(void *ctx, void *data, size_t len), void *ctx);

/*
 * With cfg->follow: record tgid's events, and its children's as it forks
 * them (before it runs: kvas record -- COMMAND). 0, or a negative error.
 */
int vm_stream_follow(struct vm_stream *vs, pid_t tgid);

#endif
