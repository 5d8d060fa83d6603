// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "kernel_btf.h"
#include "bpf_setup.h"
#include "vm_counters.h"
#include "vm_stream.h"
#include "vm_stream.skel.h"
#include "stream_batch.h"

/*
 * The ring buffer when no --buffer-size is given: 512 KiB per CPU, a power
 * of two from 1 to 16 MiB, and 16 MiB for records with stacks (632 bytes
 * each). No larger: the programs write each record into memory the CPU's
 * caches no longer hold once the ring outgrows them, and that write is
 * most of what a record costs (bench/README.md, record-overhead: a fault
 * cost ~110 ns more of BPF time with 16 MiB than with 1 MiB, 2 CPUs).
 */
static uint32_t default_ring_bytes(bool stacks)
{
	int cpus = libbpf_num_possible_cpus();
	uint32_t bytes = 1 << 20;

	if (stacks)
		return 16 << 20;
	while (cpus > 0 && bytes < (16u << 20) && bytes < (uint64_t)cpus * (512 << 10))
		bytes <<= 1;
	return bytes;
}

static void *stream_open(const void *arg, const struct vm_programs *p,
			 struct vm_skeleton *out)
{
	const struct vm_stream_config *cfg = arg;
	struct vm_stream_bpf *skel = vm_stream_bpf__open_opts(kernel_btf_open_opts());
	struct vm_stream_bpf__rodata *ro;

	if (!skel)
		return NULL;
	ro = skel->rodata;
	ro->targ_tgid = cfg->tgid;
	ro->targ_tid = cfg->tid;
	memcpy(ro->targ_cgroups, cfg->cgroups, sizeof(cfg->cgroups));
	if (cfg->comm) {
		ro->filter_comm = true;
		strncpy(ro->targ_comm, cfg->comm, sizeof(ro->targ_comm) - 1);
	}
	ro->kernel_fault_region = cfg->kernel_fault_region;
	ro->sample_every = cfg->sample_every ? cfg->sample_every : 1;
	ro->rate_total = cfg->rate;
	ro->ring_bytes = cfg->ringbuf_bytes ? cfg->ringbuf_bytes : default_ring_bytes(cfg->stacks);
	bpf_map__set_max_entries(skel->maps.events, ro->ring_bytes);
	/* kvas record's knobs; off, they cost the others nothing */
	ro->with_stacks = cfg->stacks;
	ro->follow = cfg->follow;
	if (!cfg->follow)
		bpf_map__set_max_entries(skel->maps.follow_tgids, 1);
	bpf_map__set_max_entries(skel->maps.batches, libbpf_num_possible_cpus() > 0 ?
				 libbpf_num_possible_cpus() : 1);
	bpf_program__set_autoload(skel->progs.follow_fork_btf, cfg->follow && !p->raw_tp);
	bpf_program__set_autoload(skel->progs.follow_fork_raw, cfg->follow && p->raw_tp);
	*out = (struct vm_skeleton){ skel->skeleton, &ro->knobs, &ro->host_mnt_ns,
				     &skel->bss->send_path };
	return skel;
}

static void stream_destroy(void *skel)
{
	vm_stream_bpf__destroy(skel);
}

static const struct vm_mode stream_mode = { stream_open, stream_destroy };

int vm_stream_open(struct vm_stream *vs, const struct vm_stream_config *cfg,
		   const struct translate_ctx *layout, char *why, size_t len)
{
	struct vm_load load = {
		.record_mask = cfg->record_mask,
		.filter_containers = cfg->filter_containers,
	};
	void *skel;
	int err = vm_programs_open(&vs->p, &stream_mode, cfg, &load, layout, &skel, why, len);

	vs->skel = skel;
	return err;
}

void vm_stream_close(struct vm_stream *vs)
{
	batch_expander_free(&vs->batches);
	vm_stream_bpf__destroy(vs->skel);
	vs->skel = NULL;
	vs->p.obj = NULL;
	vs->p.taken_path = NULL;
}

/*
 * What bpf/vm_stream.bpf.c's struct batch_slot begins with. The slot's
 * timer sends a batch BATCH_WAIT_NS (10 ms) after its first event at the
 * latest; the wait is bounded for a timer that came too late to be armed.
 */
struct batch_head {
	struct bpf_timer timer;
	uint32_t n;
};

static void batches_send(struct vm_stream *vs)
{
	size_t size = bpf_map__value_size(vs->skel->maps.batches);
	int fd = bpf_map__fd(vs->skel->maps.batches);
	char *slot = malloc(size);
	bool waiting = true;

	if (!vs->skel->bss->batching || !slot || size < sizeof(struct batch_head)) {
		free(slot);
		return;
	}
	__atomic_store_n(&vs->skel->bss->batching, 0, __ATOMIC_SEQ_CST);
	for (int tries = 0; waiting && tries < 50; tries++) {
		waiting = false;
		for (__u32 cpu = 0; !waiting && cpu < bpf_map__max_entries(vs->skel->maps.batches);
		     cpu++)
			waiting = !bpf_map_lookup_elem(fd, &cpu, slot) &&
				  ((struct batch_head *)slot)->n;
		if (waiting)
			usleep(2000);
	}
	free(slot);
}

static int split_batch(void *ctx, void *data, size_t len)
{
	struct vm_stream *vs = ctx;

	if (!batch_is(len))
		return vs->fn(vs->fn_ctx, data, len);
	return batch_expand(&vs->batches, data, len, vs->fn, vs->fn_ctx);
}

struct ring_buffer *vm_stream_reader(struct vm_stream *vs,
				     int (*fn)(void *ctx, void *data, size_t len), void *ctx)
{
	struct ring_buffer *rb;

	if (batch_expander_init(&vs->batches, bpf_map__max_entries(vs->skel->maps.batches))) {
		errno = ENOMEM;
		return NULL;
	}
	rb = ring_buffer_open(vm_stream_ringbuf_fd(vs), split_batch, vs);
	vs->fn = fn;
	vs->fn_ctx = ctx;
	if (rb)
		__atomic_store_n(&vs->skel->bss->batching, 1, __ATOMIC_SEQ_CST);
	return rb;
}

int vm_stream_counters(struct vm_stream *vs, struct vm_counters *sum)
{
	struct vm_counters *cpus = calloc(vs->p.nr_cpus, sizeof(*cpus));
	int err;

	batches_send(vs);
	err = cpus ? vm_programs_read_cpus(&vs->p, cpus, sizeof(*cpus)) : -ENOMEM;

	memset(sum, 0, sizeof(*sum));
	for (int c = 0; !err && c < vs->p.nr_cpus; c++)
		vm_counters_add(sum, &cpus[c]);
	free(cpus);
	return err;
}

void vm_stream_stop(struct vm_stream *vs)
{
	vm_stream_bpf__detach(vs->skel);
}

int vm_stream_ringbuf_fd(struct vm_stream *vs)
{
	return bpf_map__fd(vs->skel->maps.events);
}

int vm_stream_follow(struct vm_stream *vs, pid_t tgid)
{
	__u32 key = tgid;
	__u8 yes = 1;

	return bpf_map__update_elem(vs->skel->maps.follow_tgids, &key, sizeof(key), &yes,
				    sizeof(yes), BPF_ANY) ? -errno : 0;
}
