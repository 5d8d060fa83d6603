// SPDX-License-Identifier: GPL-2.0
/*
 * The tracepoint source: bases derived from allocations this thread causes.
 *  vmemmap_base     = struct page * (mm_page_alloc) - pfn * sizeof(struct page),
 *                     with the pfn of a freshly faulted user page from pagemap;
 *  page_offset_base = kmalloc ptr - pfn << PAGE_SHIFT, for a large kmalloc
 *                     (a 20000-byte setxattr value) served by whole pages;
 *  vmalloc_base     = vstart of alloc_vmap_area for a plain vmalloc (a 4 MiB
 *                     BPF array map).
 * Each is accepted only when at least two samples agree.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "bpf_setup.h"
#include "layout_probe.h"
#include "kernel_btf.h"
#include "layout_tp.h"
#include "layout_tp.skel.h"
#include "tally.h"
#include "x86_layout.h"

#define FAULT_PAGES	8
#define KMALLOC_ROUNDS	4
#define KMALLOC_BYTES	20000	/* > 8 KiB: kmalloc hands out whole pages */
#define VMAP_ROUNDS	2
#define VMAP_MAP_BYTES	(4 * MB)

struct tp_run {
	struct layout_tp_bpf *skel;
	struct discovery *d;
	struct layout *out;
};

static uint32_t sample_mark(struct tp_run *r)
{
	return __atomic_load_n(&r->skel->bss->nr_samples, __ATOMIC_ACQUIRE);
}

static const struct layout_tp_sample *sample_at(struct tp_run *r, uint32_t i)
{
	return i < LAYOUT_TP_MAX_SAMPLES ? &r->skel->bss->samples[i] : NULL;
}

static void record_only(struct tp_run *r, uint32_t mask)
{
	__atomic_store_n(&r->skel->bss->record_mask, mask, __ATOMIC_RELEASE);
}

static int pagemap_pfn(int fd, const void *va, uint64_t *pfn)
{
	uint64_t entry;
	off_t off = (uintptr_t)va / X86_PAGE_SIZE * sizeof(entry);

	if (pread(fd, &entry, sizeof(entry), off) != sizeof(entry))
		return -EIO;
	*pfn = entry & ((1ULL << 55) - 1);
	/* bit 63: present; a zero pfn means pagemap hides it (no CAP_SYS_ADMIN) */
	return (entry >> 63) && *pfn ? 0 : -EPERM;
}

static int derive_vmemmap(struct tp_run *r, uint64_t *vmemmap, int *votes)
{
	uint32_t before[FAULT_PAGES], after[FAULT_PAGES];
	uint64_t sps = r->d->page_struct_size;
	struct tally t = { 0 };
	char *pages;
	int fd, err = 0;

	pages = mmap(NULL, FAULT_PAGES * X86_PAGE_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (pages == MAP_FAILED)
		return -errno;
	madvise(pages, FAULT_PAGES * X86_PAGE_SIZE, MADV_NOHUGEPAGE);
	record_only(r, LAYOUT_TP_PAGE_ALLOC);
	for (int i = 0; i < FAULT_PAGES; i++) {
		before[i] = sample_mark(r);
		*(volatile char *)(pages + i * X86_PAGE_SIZE) = 1;
		after[i] = sample_mark(r);
	}
	record_only(r, 0);

	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	for (int i = 0; i < FAULT_PAGES; i++) {
		uint64_t pfn;

		if (pagemap_pfn(fd, pages + i * X86_PAGE_SIZE, &pfn))
			continue;
		/* The fault also allocates page tables: only one candidate fits. */
		for (uint32_t s = before[i]; s < after[i]; s++) {
			const struct layout_tp_sample *smp = sample_at(r, s);
			uint64_t cand;

			if (!smp || smp->kind != LAYOUT_TP_PAGE_ALLOC || smp->order)
				continue;
			cand = smp->ptr - pfn * sps;
			if (is_aligned(cand, PUD_SIZE))
				tally_add(&t, cand);
		}
	}
	close(fd);
	err = tally_winner(&t, 2, vmemmap, votes);
out:
	munmap(pages, FAULT_PAGES * X86_PAGE_SIZE);
	return err;
}

/* The page allocation that served a kmalloc: the last one before it. */
static const struct layout_tp_sample *
page_for_kmalloc(struct tp_run *r, uint32_t from, uint32_t kmalloc_idx,
		 uint64_t bytes)
{
	for (uint32_t s = kmalloc_idx; s-- > from;) {
		const struct layout_tp_sample *smp = sample_at(r, s);

		if (smp && smp->kind == LAYOUT_TP_PAGE_ALLOC &&
		    (X86_PAGE_SIZE << smp->order) == bytes)
			return smp;
	}
	return NULL;
}

static int derive_page_offset_base(struct tp_run *r, uint64_t vmemmap,
				   uint64_t *base, int *votes)
{
	static char value[KMALLOC_BYTES];
	uint64_t sps = r->d->page_struct_size;
	struct tally t = { 0 };

	record_only(r, LAYOUT_TP_PAGE_ALLOC | LAYOUT_TP_KMALLOC);
	for (int round = 0; round < KMALLOC_ROUNDS; round++) {
		uint32_t from = sample_mark(r), to;

		/*
		 * The kernel copies the value (kvmalloc) before it asks the
		 * filesystem, which then refuses: procfs has no xattrs.
		 */
		setxattr("/proc/self/status", "user.kvas", value, sizeof(value),
			 XATTR_CREATE);
		to = sample_mark(r);
		for (uint32_t s = from; s < to; s++) {
			const struct layout_tp_sample *smp = sample_at(r, s), *pg;
			uint64_t pfn, cand;

			if (!smp || smp->kind != LAYOUT_TP_KMALLOC ||
			    smp->size < 4 * X86_PAGE_SIZE ||
			    !is_aligned(smp->ptr, X86_PAGE_SIZE))
				continue;
			pg = page_for_kmalloc(r, from, s, smp->size);
			if (!pg || (pg->ptr - vmemmap) % sps)
				continue;
			pfn = (pg->ptr - vmemmap) / sps;
			cand = smp->ptr - (pfn << X86_PAGE_SHIFT);
			if (is_aligned(cand, PUD_SIZE))
				tally_add(&t, cand);
		}
	}
	record_only(r, 0);
	return tally_winner(&t, 2, base, votes);
}

static int derive_vmalloc_base(struct tp_run *r, uint64_t *base, int *votes)
{
	int map_fd[VMAP_ROUNDS];
	struct tally t = { 0 };
	int err = 0;

	record_only(r, LAYOUT_TP_VMAP_AREA);
	for (int round = 0; round < VMAP_ROUNDS; round++) {
		uint32_t from = sample_mark(r), to;

		/* A large array map is a plain vmalloc from VMALLOC_START. */
		map_fd[round] = bpf_map_create(BPF_MAP_TYPE_ARRAY, "kvas_vmalloc",
					       sizeof(uint32_t), 4096,
					       VMAP_MAP_BYTES / 4096, NULL);
		if (map_fd[round] < 0)
			err = -errno;
		to = sample_mark(r);
		for (uint32_t s = from; s < to; s++) {
			const struct layout_tp_sample *smp = sample_at(r, s);

			if (smp && smp->kind == LAYOUT_TP_VMAP_AREA &&
			    smp->size >= VMAP_MAP_BYTES &&
			    is_aligned(smp->start, PUD_SIZE))
				tally_add(&t, smp->start);
		}
	}
	record_only(r, 0);
	for (int round = 0; round < VMAP_ROUNDS; round++)
		if (map_fd[round] >= 0)
			close(map_fd[round]);
	if (err)
		return err;
	return tally_winner(&t, 2, base, votes);
}

int source_tracepoint(struct discovery *d)
{
	struct tp_run r = { .d = d, .out = source_target(d, LS_TRACEPOINT) };
	bool have_alloc, have_kmalloc, have_vmap;
	uint64_t vmemmap = 0, value;
	char why[200];
	int votes, err;

	have_alloc = kernel_has_tracepoint("mm_page_alloc");
	have_kmalloc = kernel_has_tracepoint("kmalloc");
	have_vmap = kernel_has_tracepoint("alloc_vmap_area");
	if (!d->page_struct_size || (!have_alloc && !have_vmap)) {
		source_unavailable(r.out, LS_TRACEPOINT,
				   "tracepoints kmem:mm_page_alloc and vmalloc:alloc_vmap_area not found in kernel BTF");
		return -ENOENT;
	}

	r.skel = layout_tp_bpf__open_opts(kernel_btf_open_opts());
	if (!r.skel) {
		err = -errno;
		source_unavailable(r.out, LS_TRACEPOINT, "cannot open BPF object: %s",
				   strerror(errno));
		return err;
	}
	r.skel->rodata->targ_tid = gettid();
	bpf_program__set_autoload(r.skel->progs.on_page_alloc, have_alloc);
	bpf_program__set_autoload(r.skel->progs.on_kmalloc, have_kmalloc);
	bpf_program__set_autoload(r.skel->progs.on_alloc_vmap_area, have_vmap);
	err = bpf_skel_load(r.skel->skeleton, true, why, sizeof(why));
	if (err) {
		source_unavailable(r.out, LS_TRACEPOINT,
				   "cannot load or attach raw_tp programs: %s", why);
		goto out;
	}

	if (!have_alloc) {
		source_unavailable(r.out, LS_TRACEPOINT,
				   "no kmem:mm_page_alloc tracepoint: vmemmap_base and page_offset_base not derived");
	} else if ((err = derive_vmemmap(&r, &vmemmap, &votes))) {
		source_unavailable(r.out, LS_TRACEPOINT,
				   "no two page faults agreed on vmemmap_base (pagemap: %s)",
				   strerror(-err));
		vmemmap = 0;
	} else {
		layout_claim(r.out, LF_VMEMMAP_BASE, LS_TRACEPOINT, vmemmap, 0,
			     "mm_page_alloc struct page - pagemap pfn * %llu, %d of %d faults agree",
			     (unsigned long long)d->page_struct_size, votes, FAULT_PAGES);
	}

	if (vmemmap && have_kmalloc) {
		if (!derive_page_offset_base(&r, vmemmap, &value, &votes))
			layout_claim(r.out, LF_PAGE_OFFSET_BASE, LS_TRACEPOINT, value, 0,
				     "kmalloc ptr - pfn << 12 of its mm_page_alloc, %d pairs from %d setxattr copies agree",
				     votes, KMALLOC_ROUNDS);
		else
			source_unavailable(r.out, LS_TRACEPOINT,
					   "no two kmalloc/mm_page_alloc pairs agreed on page_offset_base");
	} else if (!have_kmalloc) {
		source_unavailable(r.out, LS_TRACEPOINT,
				   "no kmem:kmalloc tracepoint: page_offset_base not derived");
	}

	if (!have_vmap) {
		source_unavailable(r.out, LS_TRACEPOINT,
				   "no vmalloc:alloc_vmap_area tracepoint: vmalloc_base not derived");
	} else if (!derive_vmalloc_base(&r, &value, &votes)) {
		layout_claim(r.out, LF_VMALLOC_BASE, LS_TRACEPOINT, value, 0,
			     "alloc_vmap_area vstart of a 4 MiB vmalloc, %d of %d agree",
			     votes, VMAP_ROUNDS);
	} else {
		source_unavailable(r.out, LS_TRACEPOINT,
				   "no two alloc_vmap_area events agreed on vmalloc_base");
	}
	err = 0;
out:
	layout_tp_bpf__destroy(r.skel);
	return err;
}
