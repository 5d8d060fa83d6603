// SPDX-License-Identifier: GPL-2.0
/*
 * The tracepoint source. Records, in order, the allocations that the loader's
 * own thread triggers, so that userspace can pair a struct page with its pfn
 * and with the direct-map pointer kmalloc returned for it. raw_tp gives the
 * raw tracepoint arguments and needs no tracefs; unlike tp_btf it also loads
 * where the verifier refuses to read a `const void *` argument (6.1's kmalloc).
 * These programs run only while kvas derives the layout, so cost is no concern.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "layout_tp.h"

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 targ_tid = 0;

__u32 record_mask;	/* which layout_tp_kind to record; set by userspace */
__u32 nr_samples;	/* may exceed LAYOUT_TP_MAX_SAMPLES: then samples were lost */
struct layout_tp_sample samples[LAYOUT_TP_MAX_SAMPLES];

static __always_inline struct layout_tp_sample *next_sample(__u32 kind)
{
	__u32 idx;

	if (!(record_mask & kind))
		return NULL;
	if ((__u32)bpf_get_current_pid_tgid() != targ_tid)
		return NULL;
	idx = __sync_fetch_and_add(&nr_samples, 1);
	if (idx >= LAYOUT_TP_MAX_SAMPLES)
		return NULL;
	samples[idx].kind = kind;
	return &samples[idx];
}

SEC("raw_tp/mm_page_alloc")
int BPF_PROG(on_page_alloc, struct page *page, unsigned int order)
{
	struct layout_tp_sample *s = next_sample(LAYOUT_TP_PAGE_ALLOC);

	if (s) {
		s->ptr = (__u64)page;
		s->order = order;
	}
	return 0;
}

SEC("raw_tp/kmalloc")
int BPF_PROG(on_kmalloc, unsigned long call_site, const void *ptr,
	     size_t bytes_req, size_t bytes_alloc)
{
	struct layout_tp_sample *s = next_sample(LAYOUT_TP_KMALLOC);

	if (s) {
		s->ptr = (__u64)ptr;
		s->size = bytes_alloc;
	}
	return 0;
}

SEC("raw_tp/alloc_vmap_area")
int BPF_PROG(on_alloc_vmap_area, unsigned long addr, unsigned long size,
	     unsigned long align, unsigned long vstart)
{
	struct layout_tp_sample *s = next_sample(LAYOUT_TP_VMAP_AREA);

	if (s) {
		s->ptr = addr;
		s->size = size;
		s->start = vstart;
	}
	return 0;
}
