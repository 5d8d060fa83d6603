/* SPDX-License-Identifier: GPL-2.0 */
/* Shared between bpf/layout_tp.bpf.c and src/kernel/source_tracepoint.c. */
#ifndef KVAS_LAYOUT_TP_H
#define KVAS_LAYOUT_TP_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Which tracepoint produced a sample; also bits of the record mask. */
enum layout_tp_kind {
	LAYOUT_TP_PAGE_ALLOC = 1,	/* kmem:mm_page_alloc: struct page *, order */
	LAYOUT_TP_KMALLOC = 2,		/* kmem:kmalloc: ptr, bytes_alloc */
	LAYOUT_TP_VMAP_AREA = 4,	/* vmalloc:alloc_vmap_area: addr, size, vstart */
};

/*
 * One tracepoint hit in the loader's own thread, in the order the kernel
 * produced them, so that a page allocation can be paired with the kmalloc
 * that follows it.
 */
struct layout_tp_sample {
	__u32 kind;
	__u32 order;		/* PAGE_ALLOC */
	__u64 ptr;		/* struct page * / kmalloc ptr / vmap addr */
	__u64 size;		/* KMALLOC bytes_alloc / VMAP size */
	__u64 start;		/* VMAP vstart */
};

_Static_assert(sizeof(struct layout_tp_sample) == 32, "layout_tp_sample layout");

/* Enough for a handful of trigger rounds; a power of two for the verifier. */
#define LAYOUT_TP_MAX_SAMPLES 1024

#endif
