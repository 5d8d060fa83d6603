/* SPDX-License-Identifier: GPL-2.0 */
/* Read kernel memory on demand through a BPF program run with test_run. */
#ifndef KVAS_KREAD_H_USER
#define KVAS_KREAD_H_USER

#include <stddef.h>
#include <stdint.h>

struct kread;

/* Open and load the reader; NULL with errno set on failure. */
struct kread *kread_open(void);
void kread_close(struct kread *kr);

/* Copy len bytes at kernel address kva; -EFAULT if not mapped. */
int kread_bytes(struct kread *kr, uint64_t kva, void *dst, size_t len);
int kread_u64(void *kr, uint64_t kva, uint64_t *value);	/* a read_u64_fn */

struct kread_context {
	uint64_t pgd;			/* current->mm->pgd, a direct-map address */
	uint64_t stack;			/* current->stack */
	uint64_t page_struct_size;	/* sizeof(struct page) */
};

/* Facts about the calling thread, read in BPF. */
int kread_context(struct kread *kr, struct kread_context *ctx);

#endif
