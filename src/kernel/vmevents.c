// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "bpf_setup.h"
#include "cgroup_cache.h"
#include "mono_clock.h"
#include "kernel_btf.h"
#include "ksyms.h"
#include "procfs_read.h"
#include "read_failures.h"
#include "remote_flush.h"
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
	memcpy((void *)ro->targ_cgroups, cfg->cgroups, sizeof(cfg->cgroups));
	ro->host_mnt_ns = cgroup_host_mnt_ns();
	ro->filter_cgroups = cfg->filter_cgroups;
	if (!cfg->filter_cgroups)
		bpf_map__set_max_entries(skel->maps.cgroup_filter, 1);
	ro->kernel_fault_region = cfg->kernel_fault_region;
	if (cfg->comm) {
		ro->filter_comm = true;
		strncpy((char *)ro->targ_comm, cfg->comm, sizeof(ro->targ_comm) - 1);
	}
	ro->sample_every = cfg->sample_every ? cfg->sample_every : 1;
	ro->rate_total = cfg->rate;

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

static void part_off(struct vmevents *ev, enum vm_part part, const char *why)
{
	ev->parts[part].on = false;
	snprintf(ev->parts[part].why, sizeof(ev->parts[part].why), "%s", why);
}

static void learn_reason(const char *enumerator, int64_t value, void *arg)
{
	tlb_reasons_learn(arg, enumerator, value);
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
	tlb_reasons_init(&ev->tlb_reasons);
	if (!kernel_btf()) {
		/* nothing can be probed: the load will tell */
		part_off(ev, VM_PART_TLB_REASON_NAMES, "the kernel has no BTF to name them");
		part_off(ev, VM_PART_REMOTE_CPUS, "the kernel has no BTF to find mm_cpumask in");
		return;
	}
	for (size_t i = 0; i < sizeof(tracepoints) / sizeof(tracepoints[0]); i++)
		if (!kernel_has_tracepoint(tracepoints[i].tp))
			part_off(ev, tracepoints[i].part, tracepoints[i].why);
	if (!kernel_enum_each("tlb_flush_reason", learn_reason, &ev->tlb_reasons))
		part_off(ev, VM_PART_TLB_REASON_NAMES,
			 "no enum tlb_flush_reason in this kernel: reasons are shown by number");
	/* the same homes, in the same order, as bpf/vmevents.bpf.c looks */
	if (!kernel_has_field("mm_struct", "cpu_bitmap") &&
	    !kernel_has_field("mm_struct", "flexible_array"))
		part_off(ev, VM_PART_REMOTE_CPUS,
			 "mm_struct has no cpu_bitmap (nor flexible_array) in this kernel");
}

static void set_autoload(struct vmevents_bpf *skel, const struct vmevents *ev,
			 const struct vmevents_config *cfg, bool raw_tp)
{
	/* a program on user faults costs every one of them: none unless asked */
	bool user = ev->parts[VM_PART_USER_FAULTS].on && (cfg->record_mask & VM_MASK(VM_FAULT_USER));
	bool kernel = ev->parts[VM_PART_KERNEL_FAULTS].on;
	bool tlb = ev->parts[VM_PART_TLB_FLUSHES].on;

	bpf_program__set_autoload(skel->progs.fault_user_btf, user && !raw_tp);
	bpf_program__set_autoload(skel->progs.fault_kernel_btf, kernel && !raw_tp);
	bpf_program__set_autoload(skel->progs.tlb_flush_btf, tlb && !raw_tp);
	bpf_program__set_autoload(skel->progs.fault_user_raw, user && raw_tp);
	bpf_program__set_autoload(skel->progs.fault_kernel_raw, kernel && raw_tp);
	bpf_program__set_autoload(skel->progs.tlb_flush_raw, tlb && raw_tp);
	/* Hyper-V's and Xen PV's requests, where this kernel has their tracepoints */
	bpf_program__set_autoload(skel->progs.hyperv_flush_request_btf, tlb && !raw_tp &&
				  kernel_has_tracepoint("hyperv_mmu_flush_tlb_multi"));
	bpf_program__set_autoload(skel->progs.xen_flush_request_btf, tlb && !raw_tp &&
				  kernel_has_tracepoint("xen_mmu_flush_tlb_multi"));
	/* top's windows attach it themselves (vmevents_watch_user_faults) */
	bpf_program__set_autoattach(skel->progs.fault_user_btf, !cfg->user_faults_detached);
	bpf_program__set_autoattach(skel->progs.fault_user_raw, !cfg->user_faults_detached);
}

/* cfg->before_attach, run once across the tp_btf and raw_tp tries. */
struct attach_hook {
	bool done, failed;
	char why[200];
};

/* Open, configure, load, attach; on failure, the kernel's reason in why. */
static struct vmevents_bpf *load(const struct vmevents_config *cfg,
				 const struct translate_ctx *layout, struct vmevents *ev,
				 bool raw_tp, struct attach_hook *hook, int *err, char *why,
				 size_t len)
{
	struct vmevents_bpf *skel = vmevents_bpf__open_opts(kernel_btf_open_opts());

	if (!skel) {
		*err = -errno;
		snprintf(why, len, "cannot open the BPF object: %s", strerror(errno));
		return NULL;
	}
	configure(skel, cfg, layout, ev->nr_cpus);
	skel->rodata->count_ipi_cpus = ev->parts[VM_PART_REMOTE_CPUS].on;
	set_autoload(skel, ev, cfg, raw_tp);
	*err = bpf_skel_load(skel->skeleton, false, why, len);
	if (!*err && cfg->before_attach && !hook->done) {
		*err = cfg->before_attach(cfg->before_attach_arg, hook->why, sizeof(hook->why));
		hook->done = true;
		/* not the programs' failure: raw_tp would not help */
		hook->failed = *err;
	}
	if (!*err)
		*err = bpf_skel_attach(skel->skeleton, why, len);
	if (*err) {
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

static struct bpf_program *user_fault_prog(struct vmevents *ev, struct bpf_link ***link)
{
	if (ev->raw_tp) {
		*link = &ev->skel->links.fault_user_raw;
		return ev->skel->progs.fault_user_raw;
	}
	*link = &ev->skel->links.fault_user_btf;
	return ev->skel->progs.fault_user_btf;
}

/* The user-fault program's link: NULL while it is not attached. */
static struct bpf_link **user_fault_link(struct vmevents *ev)
{
	struct bpf_link **link;

	user_fault_prog(ev, &link);
	return link;
}

int vmevents_open(struct vmevents *ev, const struct vmevents_config *cfg,
		  const struct translate_ctx *layout, char *why, size_t len)
{
	struct attach_hook hook = { 0 };
	char raw_why[200];
	int err;

	memset(ev, 0, sizeof(*ev));
	ev->nr_cpus = libbpf_num_possible_cpus();
	if (ev->nr_cpus <= 0) {
		snprintf(why, len, "cannot count CPUs");
		return -EINVAL;
	}
	ev->page_offset_base = layout->page_offset_base;
	probe_parts(ev);
	if (nothing_wanted(ev, cfg->record_mask, why, len))
		return -EOPNOTSUPP;
	/* tp_btf is cheapest; raw_tp reads the same arguments where it fails. */
	ev->skel = load(cfg, layout, ev, false, &hook, &err, ev->tp_btf_failure,
			sizeof(ev->tp_btf_failure));
	if (!ev->skel && hook.failed) {
		snprintf(why, len, "%s", hook.why);
		return err;
	}
	if (!ev->skel) {
		ev->raw_tp = true;
		ev->skel = load(cfg, layout, ev, true, &hook, &err, raw_why, sizeof(raw_why));
	}
	if (!ev->skel) {
		snprintf(why, len, "cannot load the fault and TLB programs: %s", raw_why);
		return err;
	}
	ev->user_on = *user_fault_link(ev) != NULL;
	ev->user_on_since_ns = monotonic_ns();
	return 0;
}


int vmevents_watch_user_faults(struct vmevents *ev, bool on)
{
	struct bpf_link **link;
	struct bpf_program *prog = user_fault_prog(ev, &link);
	uint64_t now;

	if (!bpf_program__autoload(prog) || on == ev->user_on)
		return 0;
	if (on) {
		*link = bpf_program__attach(prog);
		if (!*link)
			return -errno;
	} else {
		bpf_link__destroy(*link);
		*link = NULL;
	}
	now = monotonic_ns();
	if (on)
		ev->user_on_since_ns = now;
	else
		ev->user_on_total_ns += now - ev->user_on_since_ns;
	ev->user_on = on;
	return 0;
}

uint64_t vmevents_user_watched_ns(const struct vmevents *ev)
{
	return ev->user_on_total_ns + (ev->user_on ? monotonic_ns() - ev->user_on_since_ns : 0);
}

void vmevents_close(struct vmevents *ev)
{
	vmevents_bpf__destroy(ev->skel);
	ev->skel = NULL;
}

const char *vmevents_send_path(struct vmevents *ev)
{
	uint64_t ips[VM_SEND_PATH_FRAMES];
	struct ksyms ks;
	long long bytes;

	if (ev->send_path[0] || !ev->skel || !ev->skel->bss)
		return ev->send_path;
	bytes = ev->skel->bss->send_path_bytes;
	if (bytes <= 0)
		return ev->send_path;
	memcpy(ips, (const void *)ev->skel->bss->send_path, sizeof(ips));
	if (!kallsyms_read(&ks)) {
		remote_flush_send_path(&ks, ips, bytes / sizeof(ips[0]), ev->send_path,
				       sizeof(ev->send_path));
		ksyms_free(&ks);
	}
	return ev->send_path;
}

int vmevents_ringbuf_fd(struct vmevents *ev)
{
	return bpf_map__fd(ev->skel->maps.events);
}

int vmevents_filter_cgroup(struct vmevents *ev, uint64_t id, bool allow)
{
	__u8 v = allow;

	return bpf_map__update_elem(ev->skel->maps.cgroup_filter, &id, sizeof(id), &v,
				    sizeof(v), BPF_ANY) ? -errno : 0;
}
