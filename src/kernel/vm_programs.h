/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the loaders of the two event objects share: the counting object
 * (bpf/vm_count.bpf.c, src/kernel/vm_count.c) and the streaming one
 * (bpf/vm_stream.bpf.c, src/kernel/vm_stream.c) attach the same tracepoints
 * (bpf/vm_programs.bpf.h). Here: which parts this kernel allows (from its
 * BTF, before anything loads), the load with tp_btf and, where that fails,
 * raw_tp, the first remote flush request's path, and --container's map.
 */
#ifndef KVAS_VM_PROGRAMS_H
#define KVAS_VM_PROGRAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "translate.h"
#include "vm_decode.h"
#include "vm_parts.h"
#include "vmevents_shared.h"

struct bpf_object;
struct bpf_object_skeleton;

struct vm_programs {
	struct bpf_object *obj;
	bool raw_tp;			/* tp_btf did not load */
	char tp_btf_failure[200];	/* why, when raw_tp stands in */
	int nr_cpus;
	uint64_t page_offset_base;	/* where the programs' walks read page tables */
	struct vm_part_state parts[VM_NR_PARTS];
	struct tlb_reasons tlb_reasons;	/* this kernel's enum tlb_flush_reason */
	const volatile struct vm_send_path *taken_path;	/* the object's, once loaded */
	char send_path[200];		/* the first request's callers, named; "" not yet */
};

/* What the loader sets and reads in either mode's skeleton. */
struct vm_skeleton {
	struct bpf_object_skeleton *s;
	struct vm_knobs *knobs;		/* in its rodata */
	__u64 *host_mnt_ns;		/* in its rodata (bpf/cgroup_key.bpf.h) */
	const volatile struct vm_send_path *taken_path;	/* in its bss */
};

/*
 * How one mode's skeleton is opened and destroyed. The loader fills what
 * both modes share (struct vm_knobs, host_mnt_ns, the cgroup_filter map's
 * size); the mode sets only its own knobs.
 */
struct vm_mode {
	/* open the skeleton, its own knobs set: NULL with errno set on failure */
	void *(*open)(const void *cfg, const struct vm_programs *p, struct vm_skeleton *out);
	void (*destroy)(void *skel);
};

/* What the load itself needs of a mode's configuration. */
struct vm_load {
	uint32_t record_mask;		/* VM_MASK bits: only their programs load */
	bool filter_containers;		/* --container: the cgroup_filter map decides */
	bool user_faults_detached;	/* loaded, attached later by the caller */
	/*
	 * Run between the load and the attach (top: the first read of the
	 * kernel's fault counts, so that it and the attach are one moment):
	 * 0, or a negative error that fails the open, with why set.
	 */
	int (*before_attach)(void *arg, char *why, size_t len);
	void *before_attach_arg;
};

/*
 * Probe, open, configure, load and attach one mode's object: its skeleton
 * in *skel, or a negative error with why set (-EOPNOTSUPP: this kernel
 * has none of the parts asked for).
 */
int vm_programs_open(struct vm_programs *p, const struct vm_mode *mode, const void *cfg,
		     const struct vm_load *load, const struct translate_ctx *layout,
		     void **skel, char *why, size_t len);

/*
 * The path the first remote flush request took ("native_flush_tlb_multi <-
 * flush_tlb_mm_range <- ..."), named from kallsyms once it was seen; "" not yet.
 */
const char *vm_programs_send_path(struct vm_programs *p);

/* --container: let cgroup id's events through (allow) or drop them in the kernel. */
int vm_programs_filter_cgroup(struct vm_programs *p, uint64_t id, bool allow);

/* Each CPU's value of the object's one-entry per-CPU map "cpu_counts", into vals. */
int vm_programs_read_cpus(struct vm_programs *p, void *vals, size_t value_size);

#endif
