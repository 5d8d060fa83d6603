// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "vmevents.h"
#include "vmevents.skel.h"
#include "x86_layout.h"

static void region_bounds(const struct region_table *t, enum region_kind kind,
			  uint64_t *start, uint64_t *end)
{
	for (int i = 0; i < t->nr; i++) {
		if (t->r[i].kind == kind) {
			*start = t->r[i].start;
			*end = t->r[i].end + 1;
			return;
		}
	}
}

static void configure(struct vmevents_bpf *skel, const struct vmevents_config *cfg,
		      const struct translate_ctx *layout, int nr_cpus)
{
	struct vmevents_bpf__rodata *ro = skel->rodata;
	uint64_t unused;

	ro->aggregate = cfg->aggregate;
	ro->stream = cfg->stream;
	ro->record_mask = cfg->record_mask;
	ro->translate_every = cfg->translate_every;
	ro->targ_tgid = cfg->tgid;
	ro->self_tgid = getpid();
	ro->targ_tid = cfg->tid;
	ro->targ_cgroup = cfg->cgroup;
	ro->kernel_fault_region = cfg->kernel_fault_region;
	if (cfg->comm) {
		ro->filter_comm = true;
		strncpy((char *)ro->targ_comm, cfg->comm, sizeof(ro->targ_comm) - 1);
	}
	ro->sample_every = cfg->sample_every ? cfg->sample_every : 1;
	ro->rate_per_cpu = cfg->rate ? (cfg->rate + nr_cpus - 1) / nr_cpus : 0;

	ro->page_offset_base = layout->page_offset_base;
	ro->pa_mask = layout->pa_mask;
	ro->levels = layout->levels;
	ro->user_end = layout->levels == 5 ? USER_END_L5 : USER_END_L4;
	region_bounds(&layout->regions, REGION_DIRECT_MAP,
		      (uint64_t *)&ro->dmap_start, (uint64_t *)&ro->dmap_end);
	region_bounds(&layout->regions, REGION_VMALLOC,
		      (uint64_t *)&ro->vmalloc_start, (uint64_t *)&ro->vmalloc_end);
	region_bounds(&layout->regions, REGION_VMEMMAP,
		      (uint64_t *)&ro->vmemmap_start, (uint64_t *)&ro->vmemmap_end);
	region_bounds(&layout->regions, REGION_KERNEL_TEXT,
		      (uint64_t *)&ro->image_start, (uint64_t *)&ro->image_end);
	region_bounds(&layout->regions, REGION_MODULES, &unused,
		      (uint64_t *)&ro->modules_end);

	bpf_map__set_max_entries(skel->maps.tasks, cfg->aggregate && cfg->max_tasks ?
				 cfg->max_tasks : 1);
	ro->cpu_words = (nr_cpus + 63) / 64;
	ro->ring_bytes = cfg->stream && cfg->ringbuf_bytes ? cfg->ringbuf_bytes : 4096;
	bpf_map__set_max_entries(skel->maps.events, ro->ring_bytes);
}

static struct vmevents_bpf *load(const struct vmevents_config *cfg,
				 const struct translate_ctx *layout, int nr_cpus,
				 bool raw_tp, int *err)
{
	struct vmevents_bpf *skel = vmevents_bpf__open();

	if (!skel) {
		*err = -errno;
		return NULL;
	}
	configure(skel, cfg, layout, nr_cpus);
	bpf_program__set_autoload(skel->progs.fault_user_btf, !raw_tp);
	bpf_program__set_autoload(skel->progs.fault_kernel_btf, !raw_tp);
	bpf_program__set_autoload(skel->progs.tlb_flush_btf, !raw_tp);
	bpf_program__set_autoload(skel->progs.fault_user_raw, raw_tp);
	bpf_program__set_autoload(skel->progs.fault_kernel_raw, raw_tp);
	bpf_program__set_autoload(skel->progs.tlb_flush_raw, raw_tp);
	*err = vmevents_bpf__load(skel);
	if (!*err)
		*err = vmevents_bpf__attach(skel);
	if (*err) {
		vmevents_bpf__destroy(skel);
		return NULL;
	}
	return skel;
}

int vmevents_open(struct vmevents *ev, const struct vmevents_config *cfg,
		  const struct translate_ctx *layout, char *why, size_t len)
{
	int err;

	memset(ev, 0, sizeof(*ev));
	ev->nr_cpus = libbpf_num_possible_cpus();
	if (ev->nr_cpus <= 0) {
		snprintf(why, len, "cannot count CPUs");
		return -EINVAL;
	}
	/* tp_btf is cheapest; raw_tp reads the same arguments where it fails. */
	ev->skel = load(cfg, layout, ev->nr_cpus, false, &err);
	if (!ev->skel) {
		ev->raw_tp = true;
		ev->skel = load(cfg, layout, ev->nr_cpus, true, &err);
	}
	if (!ev->skel) {
		snprintf(why, len, "cannot load the fault and TLB tracepoint programs: %s (are exceptions:page_fault_user and tlb:tlb_flush in this kernel?)",
			 strerror(-err));
		return err;
	}
	return 0;
}

void vmevents_close(struct vmevents *ev)
{
	vmevents_bpf__destroy(ev->skel);
	ev->skel = NULL;
}

int vmevents_counters(struct vmevents *ev, struct vm_counters *sum)
{
	struct vm_counters *per_cpu = calloc(ev->nr_cpus, sizeof(*per_cpu));
	uint32_t zero = 0;
	int err;

	if (!per_cpu)
		return -ENOMEM;
	memset(sum, 0, sizeof(*sum));
	err = bpf_map__lookup_elem(ev->skel->maps.counters, &zero, sizeof(zero), per_cpu,
				   sizeof(*per_cpu) * ev->nr_cpus, 0);
	for (int c = 0; !err && c < ev->nr_cpus; c++) {
		const uint64_t *src = (const uint64_t *)&per_cpu[c];
		uint64_t *dst = (uint64_t *)sum;

		/* All fields are u64 counters. */
		for (size_t i = 0; i < sizeof(*sum) / sizeof(uint64_t); i++)
			dst[i] += src[i];
	}
	free(per_cpu);
	return err;
}

/* Add each CPU's batch, not yet flushed into the table, to the entries. */
static struct vm_task_entry *add_batches(struct vmevents *ev, struct vm_task_entry *out,
					 size_t *nr)
{
	struct vm_cpu_state *st = calloc(ev->nr_cpus, sizeof(*st));
	uint32_t zero = 0;

	if (!st || bpf_map__lookup_elem(ev->skel->maps.cpu_states, &zero, sizeof(zero), st,
					sizeof(*st) * ev->nr_cpus, 0))
		goto out;
	for (int c = 0; c < ev->nr_cpus; c++) {
		const struct vm_cpu_state *b = &st[c];
		struct vm_task_entry *e = NULL, *grown;

		if (!b->batch_key.tgid)
			continue;
		for (size_t i = 0; i < *nr && !e; i++)
			if (out[i].key.tgid == b->batch_key.tgid &&
			    out[i].key.cgroup == b->batch_key.cgroup)
				e = &out[i];
		if (!e) {
			grown = realloc(out, (*nr + 1) * sizeof(*out));
			if (!grown)
				break;
			out = grown;
			e = &out[(*nr)++];
			memset(e, 0, sizeof(*e));
			e->key = b->batch_key;
			memcpy(e->stats.comm, b->batch.comm, sizeof(e->stats.comm));
		}
		e->stats.faults_user += b->batch.faults_user;
		e->stats.faults_kernel += b->batch.faults_kernel;
		e->stats.fault_writes += b->batch.fault_writes;
		e->stats.tlb_flushes += b->batch.tlb_flushes;
		e->stats.tlb_ipis_sent += b->batch.tlb_ipis_sent;
		e->stats.tlb_remote_received += b->batch.tlb_remote_received;
		e->stats.tlb_ipi_cpus += b->batch.tlb_ipi_cpus;
	}
out:
	free(st);
	return out;
}

struct vm_task_entry *vmevents_tasks(struct vmevents *ev, size_t *nr)
{
	int fd = bpf_map__fd(ev->skel->maps.tasks);
	__u32 max = bpf_map__max_entries(ev->skel->maps.tasks), count, in_batch = 0;
	struct vm_task_key *keys = calloc(max, sizeof(*keys));
	struct vm_task_stats *vals = calloc(max, sizeof(*vals));
	struct vm_task_entry *out = calloc(max + 1, sizeof(*out));
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	bool first = true;
	__u32 token;
	int err = 0;

	*nr = 0;
	/*
	 * Batches walk the table bucket by bucket; a key-by-key walk can meet
	 * a key twice while the LRU evicts and inserts under it.
	 */
	while (keys && vals && out && !err && *nr < max) {
		count = max - *nr;
		err = bpf_map_lookup_batch(fd, first ? NULL : &in_batch, &token,
					   keys + *nr, vals + *nr, &count, &opts);
		first = false;
		in_batch = token;
		*nr += count;
	}
	for (size_t i = 0; out && i < *nr; i++) {
		out[i].key = keys[i];
		out[i].stats = vals[i];
	}
	free(keys);
	free(vals);
	if (!out) {
		*nr = 0;
		return NULL;
	}
	return add_batches(ev, out, nr);
}

int vmevents_recent(struct vmevents *ev, struct vm_translation *out, int max)
{
	struct vm_cpu_state *st = calloc(ev->nr_cpus, sizeof(*st));
	uint32_t zero = 0;
	int n = 0;

	if (!st)
		return 0;
	if (!bpf_map__lookup_elem(ev->skel->maps.cpu_states, &zero, sizeof(zero), st,
				  sizeof(*st) * ev->nr_cpus, 0)) {
		for (int c = 0; c < ev->nr_cpus; c++) {
			for (uint32_t k = 0; k < VM_RECENT && n < max; k++) {
				/* oldest first within a CPU */
				uint32_t slot = (st[c].recent_next + k) % VM_RECENT;

				if (st[c].recent[slot].addr)
					out[n++] = st[c].recent[slot];
			}
		}
	}
	free(st);
	return n;
}

int vmevents_ringbuf_fd(struct vmevents *ev)
{
	return bpf_map__fd(ev->skel->maps.events);
}
