// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf_setup.h"
#include "cgroup_cache.h"
#include "kernel_btf.h"
#include "ksyms.h"
#include "procfs_read.h"
#include "remote_flush.h"
#include "vm_programs.h"
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

/* The knobs both objects take: the layout from kvas's discovery, and kvas. */
static void knobs_fill(struct vm_knobs *k, const struct translate_ctx *layout,
		       bool filter_containers)
{
	uint64_t unused;

	memset(k, 0, sizeof(*k));
	k->self_tgid = getpid();
	k->filter_containers = filter_containers;
	/* tp_btf programs only (the BPF side checks): a kfunc since 6.2 */
	k->direct_reads = kernel_has_func("bpf_rdonly_cast");
	k->page_offset_base = layout->page_offset_base;
	k->pa_mask = layout->pa_mask;
	k->levels = layout->levels;
	k->user_end = layout->levels == 5 ? USER_END_L5 : USER_END_L4;
	region_bounds(&layout->regions, REGION_DIRECT_MAP, (uint64_t *)&k->dmap_start,
		      (uint64_t *)&k->dmap_end);
	region_bounds(&layout->regions, REGION_VMALLOC, (uint64_t *)&k->vmalloc_start,
		      (uint64_t *)&k->vmalloc_end);
	region_bounds(&layout->regions, REGION_VMEMMAP, (uint64_t *)&k->vmemmap_start,
		      (uint64_t *)&k->vmemmap_end);
	region_bounds(&layout->regions, REGION_KERNEL_TEXT, (uint64_t *)&k->image_start,
		      (uint64_t *)&k->image_end);
	region_bounds(&layout->regions, REGION_MODULES, &unused, (uint64_t *)&k->modules_end);
}

static void part_off(struct vm_programs *p, enum vm_part part, const char *why)
{
	p->parts[part].on = false;
	snprintf(p->parts[part].why, sizeof(p->parts[part].why), "%s", why);
}

static void learn_reason(const char *enumerator, int64_t value, void *arg)
{
	tlb_reasons_learn(arg, enumerator, value);
}

/* Decide every part from the kernel's BTF, before anything is loaded. */
static void probe_parts(struct vm_programs *p)
{
	static const struct { enum vm_part part; const char *tp, *why; } tracepoints[] = {
		{ VM_PART_USER_FAULTS, "page_fault_user",
		  "no exceptions:page_fault_user tracepoint in this kernel" },
		{ VM_PART_KERNEL_FAULTS, "page_fault_kernel",
		  "no exceptions:page_fault_kernel tracepoint in this kernel" },
		{ VM_PART_TLB_FLUSHES, "tlb_flush", "no tlb:tlb_flush tracepoint in this kernel" },
	};

	for (int i = 0; i < VM_NR_PARTS; i++)
		p->parts[i].on = true;
	tlb_reasons_init(&p->tlb_reasons);
	if (!kernel_btf()) {
		/* nothing can be probed: the load will tell */
		part_off(p, VM_PART_TLB_REASON_NAMES, "the kernel has no BTF to name them");
		part_off(p, VM_PART_REMOTE_CPUS, "the kernel has no BTF to find mm_cpumask in");
		return;
	}
	for (size_t i = 0; i < sizeof(tracepoints) / sizeof(tracepoints[0]); i++)
		if (!kernel_has_tracepoint(tracepoints[i].tp))
			part_off(p, tracepoints[i].part, tracepoints[i].why);
	if (!kernel_enum_each("tlb_flush_reason", learn_reason, &p->tlb_reasons))
		part_off(p, VM_PART_TLB_REASON_NAMES,
			 "no enum tlb_flush_reason in this kernel: reasons are shown by number");
	/* the same homes, in the same order, as bpf/vm_count.bpf.c looks */
	if (!kernel_has_field("mm_struct", "cpu_bitmap") &&
	    !kernel_has_field("mm_struct", "flexible_array"))
		part_off(p, VM_PART_REMOTE_CPUS,
			 "mm_struct has no cpu_bitmap (nor flexible_array) in this kernel");
}

static void autoload(struct bpf_object *obj, const char *name, bool load, bool attach)
{
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, name);

	bpf_program__set_autoload(prog, load);
	bpf_program__set_autoattach(prog, attach);
}

/* The programs of the kinds asked for that this kernel has, in one flavour. */
static void set_autoload(struct bpf_object *obj, const struct vm_programs *p,
			 const struct vm_load *load, bool raw_tp)
{
	bool user = p->parts[VM_PART_USER_FAULTS].on && (load->record_mask & VM_MASK(VM_FAULT_USER));
	bool kernel = p->parts[VM_PART_KERNEL_FAULTS].on &&
		      (load->record_mask & VM_MASK(VM_FAULT_KERNEL));
	bool tlb = p->parts[VM_PART_TLB_FLUSHES].on && (load->record_mask & VM_MASK(VM_TLB_FLUSH));
	bool user_attach = !load->user_faults_detached;

	autoload(obj, "fault_user_btf", user && !raw_tp, user_attach);
	autoload(obj, "fault_kernel_btf", kernel && !raw_tp, true);
	autoload(obj, "tlb_flush_btf", tlb && !raw_tp, true);
	autoload(obj, "fault_user_raw", user && raw_tp, user_attach);
	autoload(obj, "fault_kernel_raw", kernel && raw_tp, true);
	autoload(obj, "tlb_flush_raw", tlb && raw_tp, true);
	/* Hyper-V's and Xen PV's requests, where this kernel has their tracepoints */
	autoload(obj, "hyperv_flush_request_btf", tlb && !raw_tp &&
		 kernel_has_tracepoint("hyperv_mmu_flush_tlb_multi"), true);
	autoload(obj, "xen_flush_request_btf", tlb && !raw_tp &&
		 kernel_has_tracepoint("xen_mmu_flush_tlb_multi"), true);
}

/* load->before_attach, run once across the tp_btf and raw_tp tries. */
struct attach_hook {
	bool done, failed;
	char why[200];
};

/* Open, configure, load, attach; on failure, the kernel's reason in why. */
static void *load_once(struct vm_programs *p, const struct vm_mode *mode, const void *cfg,
		       const struct vm_load *load, const struct translate_ctx *layout,
		       bool raw_tp, struct attach_hook *hook, int *err, char *why, size_t len)
{
	struct vm_skeleton vs;
	void *skel = mode->open(cfg, p, &vs);

	if (!skel) {
		*err = -errno;
		snprintf(why, len, "cannot open the BPF object: %s", strerror(errno));
		return NULL;
	}
	p->obj = *vs.s->obj;
	p->taken_path = vs.taken_path;
	knobs_fill(vs.knobs, layout, load->filter_containers);
	*vs.host_mnt_ns = cgroup_host_mnt_ns();
	if (!load->filter_containers)
		bpf_map__set_max_entries(bpf_object__find_map_by_name(p->obj, "cgroup_filter"), 1);
	set_autoload(p->obj, p, load, raw_tp);
	*err = bpf_skel_load(vs.s, false, why, len);
	if (!*err && load->before_attach && !hook->done) {
		*err = load->before_attach(load->before_attach_arg, hook->why, sizeof(hook->why));
		hook->done = true;
		/* not the programs' failure: raw_tp would not help */
		hook->failed = *err;
	}
	if (!*err)
		*err = bpf_skel_attach(vs.s, why, len);
	if (*err) {
		mode->destroy(skel);
		p->obj = NULL;
		p->taken_path = NULL;
		return NULL;
	}
	return skel;
}

/* The parts this run records, all of them off: nothing to load. */
static bool nothing_wanted(const struct vm_programs *p, uint32_t record_mask, char *why,
			   size_t len)
{
	static const struct { enum vm_part part; uint32_t kinds; } needs[] = {
		{ VM_PART_USER_FAULTS, VM_MASK(VM_FAULT_USER) },
		{ VM_PART_KERNEL_FAULTS, VM_MASK(VM_FAULT_KERNEL) },
		{ VM_PART_TLB_FLUSHES, VM_MASK(VM_TLB_FLUSH) },
	};
	int n = 0;

	for (size_t i = 0; i < sizeof(needs) / sizeof(needs[0]); i++) {
		const struct vm_part_state *part = &p->parts[needs[i].part];

		if (!(record_mask & needs[i].kinds))
			continue;
		if (part->on)
			return false;
		n += snprintf(why + n, n < (int)len ? len - n : 0, "%s%s: %s", n ? "; " : "",
			      vm_part_name(needs[i].part), part->why);
	}
	return true;
}

int vm_programs_open(struct vm_programs *p, const struct vm_mode *mode, const void *cfg,
		     const struct vm_load *load, const struct translate_ctx *layout,
		     void **skel, char *why, size_t len)
{
	struct attach_hook hook = { 0 };
	char raw_why[200];
	int err;

	memset(p, 0, sizeof(*p));
	*skel = NULL;
	p->nr_cpus = libbpf_num_possible_cpus();
	if (p->nr_cpus <= 0) {
		snprintf(why, len, "cannot count CPUs");
		return -EINVAL;
	}
	p->page_offset_base = layout->page_offset_base;
	probe_parts(p);
	if (nothing_wanted(p, load->record_mask, why, len))
		return -EOPNOTSUPP;
	/* tp_btf is cheapest; raw_tp reads the same arguments where it fails. */
	*skel = load_once(p, mode, cfg, load, layout, false, &hook, &err, p->tp_btf_failure,
			  sizeof(p->tp_btf_failure));
	if (!*skel && hook.failed) {
		snprintf(why, len, "%s", hook.why);
		return err;
	}
	if (!*skel) {
		p->raw_tp = true;
		*skel = load_once(p, mode, cfg, load, layout, true, &hook, &err, raw_why,
				  sizeof(raw_why));
	}
	if (!*skel) {
		snprintf(why, len, "cannot load the fault and TLB programs: %s", raw_why);
		return err;
	}
	return 0;
}

const char *vm_programs_send_path(struct vm_programs *p)
{
	uint64_t ips[VM_SEND_PATH_FRAMES];
	struct ksyms ks;
	long long bytes;

	if (p->send_path[0] || !p->taken_path)
		return p->send_path;
	bytes = p->taken_path->bytes;
	if (bytes <= 0)
		return p->send_path;
	memcpy(ips, (const void *)p->taken_path->ips, sizeof(ips));
	if (!kallsyms_read(&ks)) {
		remote_flush_send_path(&ks, ips, bytes / sizeof(ips[0]), p->send_path,
				       sizeof(p->send_path));
		ksyms_free(&ks);
	}
	return p->send_path;
}

int vm_programs_filter_cgroup(struct vm_programs *p, uint64_t id, bool allow)
{
	struct bpf_map *map = bpf_object__find_map_by_name(p->obj, "cgroup_filter");
	__u8 v = allow;

	return bpf_map__update_elem(map, &id, sizeof(id), &v, sizeof(v), BPF_ANY) ? -errno : 0;
}

int vm_programs_read_cpus(struct vm_programs *p, void *vals, size_t value_size)
{
	struct bpf_map *map = bpf_object__find_map_by_name(p->obj, "cpu_counts");
	uint32_t zero = 0;

	return bpf_map__lookup_elem(map, &zero, sizeof(zero), vals,
				    value_size * p->nr_cpus, 0) ? -errno : 0;
}
