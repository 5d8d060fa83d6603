// SPDX-License-Identifier: GPL-2.0
/*
 * Who changes the direct map: the function that applies page-attribute
 * changes (and so splits large pages), and the two that take pages out of
 * the direct map and put them back (memfd_secret, and others). fentry where
 * the kernel has BPF trampolines, kprobes otherwise; kvas loads one kind.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "dmap_shared.h"
#include "cgroup_key.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* arch/x86/mm/pat/set_memory.c */
#define CPA_ARRAY	2
#define CPA_PAGES_ARRAY	4

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} changes SEC(".maps");

__u64 lost;

static __always_inline struct dmap_change *start(void *ctx, __u32 kind)
{
	struct dmap_change *e = bpf_ringbuf_reserve(&changes, sizeof(*e), 0);
	__u64 id = bpf_get_current_pid_tgid();

	if (!e) {
		__sync_fetch_and_add(&lost, 1);
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->ts = bpf_ktime_get_ns();
	e->cgroup = task_cgroup_key((struct task_struct *)bpf_get_current_task());
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->kind = kind;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	e->stack_bytes = bpf_get_stack(ctx, e->stack, sizeof(e->stack), 0);
	return e;
}

static __always_inline int on_cpa(void *ctx, struct cpa_data *cpa, int primary)
{
	struct dmap_change *e = start(ctx, DMAP_CHANGE_CPA);
	unsigned long *vaddr;
	struct page **pages;

	if (!e)
		return 0;
	e->cpa_flags = BPF_CORE_READ(cpa, flags);
	e->pages = BPF_CORE_READ(cpa, numpages);
	e->mask_set = BPF_CORE_READ(cpa, mask_set.pgprot);
	e->mask_clr = BPF_CORE_READ(cpa, mask_clr.pgprot);
	e->primary = primary;
	/* The first page: an address, an array of them, or of struct pages. */
	if (e->cpa_flags & CPA_PAGES_ARRAY) {
		pages = BPF_CORE_READ(cpa, pages);
		bpf_probe_read_kernel(&e->addr, sizeof(e->addr), pages);
		e->addr_kind = DMAP_ADDR_PAGE;
	} else {
		vaddr = BPF_CORE_READ(cpa, vaddr);
		bpf_probe_read_kernel(&e->addr, sizeof(e->addr), vaddr);
		e->addr_kind = DMAP_ADDR_VA;
	}
	bpf_ringbuf_submit(e, 0);
	return 0;
}

static __always_inline int on_direct_map(void *ctx, struct page *page, __u32 kind)
{
	struct dmap_change *e = start(ctx, kind);

	if (!e)
		return 0;
	e->addr = (__u64)page;
	e->addr_kind = DMAP_ADDR_PAGE;
	e->pages = 1;
	e->primary = 1;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("fentry/__change_page_attr_set_clr")
int BPF_PROG(cpa_fentry, struct cpa_data *cpa, int primary)
{
	return on_cpa(ctx, cpa, primary);
}

SEC("fentry/set_direct_map_invalid_noflush")
int BPF_PROG(invalid_fentry, struct page *page)
{
	return on_direct_map(ctx, page, DMAP_CHANGE_INVALID);
}

SEC("fentry/set_direct_map_default_noflush")
int BPF_PROG(default_fentry, struct page *page)
{
	return on_direct_map(ctx, page, DMAP_CHANGE_DEFAULT);
}

SEC("kprobe/__change_page_attr_set_clr")
int BPF_KPROBE(cpa_kprobe, struct cpa_data *cpa, int primary)
{
	return on_cpa(ctx, cpa, primary);
}

SEC("kprobe/set_direct_map_invalid_noflush")
int BPF_KPROBE(invalid_kprobe, struct page *page)
{
	return on_direct_map(ctx, page, DMAP_CHANGE_INVALID);
}

SEC("kprobe/set_direct_map_default_noflush")
int BPF_KPROBE(default_kprobe, struct page *page)
{
	return on_direct_map(ctx, page, DMAP_CHANGE_DEFAULT);
}
