/* SPDX-License-Identifier: GPL-2.0 */
/* Translate addresses on the running kernel: walks in BPF, /proc lookups. */
#ifndef KVAS_TRANSLATE_RUN_H
#define KVAS_TRANSLATE_RUN_H

#include "layout_probe.h"
#include "page_read.h"
#include "procfs.h"
#include "translate.h"

struct uwalk;

struct translator {
	struct translate_ctx ctx;
	struct kread *kr;	/* kernel reads, from the discovery */
	uint64_t kernel_pgd;	/* kvas's own mm->pgd: its kernel half is everyone's */
	struct uwalk *uw;	/* opened on the first user address */
	bool image_read;	/* ctx.image read from kallsyms, on the first unmapped image address */
	struct page_reader pages;	/* struct pages and their memmap */
	bool have_io;		/* io read, not censored */
	struct iomem io;	/* System RAM, to tell holes */
};

/* From a finished discovery; fails with a reason when a value is missing. */
int translator_init(struct translator *tr, struct discovery *d, char *why,
		    size_t len);
void translator_release(struct translator *tr);

/* --page: read and decode the struct page behind t's physical address. */
void translation_page(struct translator *tr, struct translation *t);

void translate_one(struct translator *tr, const char *input,
		   enum translate_input kind, pid_t pid, struct translation *t);

#endif
