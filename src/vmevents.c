// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "kernel_btf.h"
#include "libbpf_log.h"
#include "vm_decode.h"
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

const char *vm_part_name(enum vm_part part)
{
	static const char *const names[VM_NR_PARTS] = {
		[VM_PART_USER_FAULTS] = "user page faults",
		[VM_PART_KERNEL_FAULTS] = "kernel page faults",
		[VM_PART_TLB_FLUSHES] = "TLB flushes",
		[VM_PART_TLB_REASON_NAMES] = "TLB flush reason names",
		[VM_PART_REMOTE_CPUS] = "remote CPUs",
	};

	return part < VM_NR_PARTS ? names[part] : "?";
}

static void part_off(struct vmevents *ev, enum vm_part part, const char *why)
{
	ev->parts[part].on = false;
	snprintf(ev->parts[part].why, sizeof(ev->parts[part].why), "%s", why);
}

static void learn_reason(const char *enumerator, int64_t value, void *arg)
{
	(void)arg;
	tlb_reason_learn(enumerator, value);
}

/* Decide every part from the kernel's BTF, before anything is loaded. */
static void probe_parts(struct vmevents *ev)
{
	static const struct { enum vm_part part; const char *tp, *why; } tracepoints[] = {
		{ VM_PART_USER_FAULTS, "page_fault_user",
		  "no exceptions:page_fault_user tracepoint in this kernel" },
		{ VM_PART_KERNEL_FAULTS, "page_fault_kernel",
		  "no exceptions:page_fault_kernel tracepoint in this kernel" },
		{ VM_PART_TLB_FLUSHES, "tlb_flush", "no tlb:tlb_flush tracepoint in this kernel" },
	};

	for (int p = 0; p < VM_NR_PARTS; p++)
		ev->parts[p].on = true;
	if (!kernel_btf()) {
		/* nothing can be probed: the load will tell */
		part_off(ev, VM_PART_TLB_REASON_NAMES, "the kernel has no BTF to name them");
		part_off(ev, VM_PART_REMOTE_CPUS, "the kernel has no BTF to find mm_cpumask in");
		return;
	}
	for (size_t i = 0; i < sizeof(tracepoints) / sizeof(tracepoints[0]); i++)
		if (!kernel_has_tracepoint(tracepoints[i].tp))
			part_off(ev, tracepoints[i].part, tracepoints[i].why);
	tlb_reason_forget();
	if (!kernel_enum_each("tlb_flush_reason", learn_reason, NULL))
		part_off(ev, VM_PART_TLB_REASON_NAMES,
			 "no enum tlb_flush_reason in this kernel: reasons are shown by number");
	/* the same homes, in the same order, as bpf/vmevents.bpf.c looks */
	if (!kernel_has_field("mm_struct", "cpu_bitmap") &&
	    !kernel_has_field("mm_struct", "flexible_array"))
		part_off(ev, VM_PART_REMOTE_CPUS,
			 "mm_struct has no cpu_bitmap (nor flexible_array) in this kernel");
}

static void set_autoload(struct vmevents_bpf *skel, const struct vmevents *ev, bool raw_tp)
{
	bool user = ev->parts[VM_PART_USER_FAULTS].on;
	bool kernel = ev->parts[VM_PART_KERNEL_FAULTS].on;
	bool tlb = ev->parts[VM_PART_TLB_FLUSHES].on;

	bpf_program__set_autoload(skel->progs.fault_user_btf, user && !raw_tp);
	bpf_program__set_autoload(skel->progs.fault_kernel_btf, kernel && !raw_tp);
	bpf_program__set_autoload(skel->progs.tlb_flush_btf, tlb && !raw_tp);
	bpf_program__set_autoload(skel->progs.fault_user_raw, user && raw_tp);
	bpf_program__set_autoload(skel->progs.fault_kernel_raw, kernel && raw_tp);
	bpf_program__set_autoload(skel->progs.tlb_flush_raw, tlb && raw_tp);
}

/* Open, configure, load, attach; on failure, the kernel's reason in why. */
static struct vmevents_bpf *load(const struct vmevents_config *cfg,
				 const struct translate_ctx *layout, struct vmevents *ev,
				 bool raw_tp, int *err, char *why, size_t len)
{
	struct vmevents_bpf *skel = vmevents_bpf__open_opts(kernel_btf_open_opts());

	if (!skel) {
		*err = -errno;
		snprintf(why, len, "cannot open the BPF object: %s", strerror(errno));
		return NULL;
	}
	configure(skel, cfg, layout, ev->nr_cpus);
	skel->rodata->count_ipi_cpus = ev->parts[VM_PART_REMOTE_CPUS].on;
	set_autoload(skel, ev, raw_tp);
	libbpf_log_reset();
	*err = vmevents_bpf__load(skel);
	if (!*err)
		*err = vmevents_bpf__attach(skel);
	if (*err) {
		char reason[sizeof(ev->tp_btf_failure)];

		libbpf_log_reason(reason, sizeof(reason));
		snprintf(why, len, "%s", reason[0] ? reason : strerror(-*err));
		vmevents_bpf__destroy(skel);
		return NULL;
	}
	return skel;
}

/* The parts this run records, all of them off: nothing to load. */
static bool nothing_wanted(const struct vmevents *ev, uint32_t record_mask, char *why,
			   size_t len)
{
	static const struct { enum vm_part part; uint32_t kinds; } needs[] = {
		{ VM_PART_USER_FAULTS, VM_MASK(VM_FAULT_USER) },
		{ VM_PART_KERNEL_FAULTS, VM_MASK(VM_FAULT_KERNEL) },
		{ VM_PART_TLB_FLUSHES, VM_MASK(VM_TLB_FLUSH) },
	};
	int n = 0;

	for (size_t i = 0; i < sizeof(needs) / sizeof(needs[0]); i++) {
		const struct vm_part_state *p = &ev->parts[needs[i].part];

		if (!(record_mask & needs[i].kinds))
			continue;
		if (p->on)
			return false;
		n += snprintf(why + n, n < (int)len ? len - n : 0, "%s%s: %s", n ? "; " : "",
			      vm_part_name(needs[i].part), p->why);
	}
	return true;
}

int vmevents_open(struct vmevents *ev, const struct vmevents_config *cfg,
		  const struct translate_ctx *layout, char *why, size_t len)
{
	char raw_why[200];
	int err;

	memset(ev, 0, sizeof(*ev));
	ev->nr_cpus = libbpf_num_possible_cpus();
	if (ev->nr_cpus <= 0) {
		snprintf(why, len, "cannot count CPUs");
		return -EINVAL;
	}
	probe_parts(ev);
	if (nothing_wanted(ev, cfg->record_mask, why, len))
		return -EOPNOTSUPP;
	/* tp_btf is cheapest; raw_tp reads the same arguments where it fails. */
	ev->skel = load(cfg, layout, ev, false, &err, ev->tp_btf_failure,
			sizeof(ev->tp_btf_failure));
	if (!ev->skel) {
		ev->raw_tp = true;
		ev->skel = load(cfg, layout, ev, true, &err, raw_why, sizeof(raw_why));
	}
	if (!ev->skel) {
		snprintf(why, len, "cannot load the fault and TLB programs: %s", raw_why);
		return err;
	}
	return 0;
}

void vm_parts_text(const struct vm_part_state *parts, FILE *out)
{
	for (int p = 0; p < VM_NR_PARTS; p++)
		if (!parts[p].on)
			fprintf(out, "not counted: %s: %s\n", vm_part_name(p), parts[p].why);
}

json_t *vm_parts_json(const struct vm_part_state *parts)
{
	json_t *a = json_array();

	for (int p = 0; p < VM_NR_PARTS; p++) {
		if (parts[p].on)
			continue;
		json_array_append_new(a, json_pack("{s:s, s:s}", "part", vm_part_name(p),
						   "why", parts[p].why));
	}
	return a;
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
