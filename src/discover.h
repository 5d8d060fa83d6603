/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Layout discovery: runs the selected sources in dependency order against the
 * running kernel and fills a struct layout. Also gathers the facts the report
 * shows beside the values (boot flags, config, physical memory, direct map).
 */
#ifndef KVAS_DISCOVER_H
#define KVAS_DISCOVER_H

#include <stdbool.h>
#include <stdint.h>

#include "kconfig.h"
#include "layout.h"
#include "procfs.h"
#include "vmcoreinfo.h"

struct kread;
struct btf;

struct discovery {
	unsigned int selected;		/* LS_MASK bits chosen by --source */

	struct layout layout;		/* what the selected sources claim */
	struct layout bootstrap;	/* helper results of unselected sources */

	struct kread *kr;		/* opened on first use */
	const struct btf *vmlinux_btf;	/* for feature probes and type sizes */
	uint64_t page_struct_size;

	struct kconfig kconfig;
	struct iomem iomem;
	struct direct_map_stats dmap;
	char cmdline[4096];
	bool kaslr_flag_known, kaslr_flag;

	bool vmcoreinfo_sysfs;		/* /sys/kernel/vmcoreinfo gave an address */
	uint64_t vmcoreinfo_pa, vmcoreinfo_size;
	bool have_vmcoreinfo;		/* the note itself was read */
	struct vmcoreinfo vmcoreinfo;
	uint64_t sme_mask;
	uint64_t kernel_image_size;	/* 0 when unknown */
};

/* Run discovery; returns 0 or a negative errno for a fatal setup failure. */
int discover_layout(struct discovery *d);
void discovery_release(struct discovery *d);

/* The layout a source writes to: the real one if selected, else bootstrap. */
struct layout *source_target(struct discovery *d, enum layout_source s);
/* A value for internal use (any source, selected or bootstrap). */
bool discovery_value(const struct discovery *d, enum layout_field f,
		     uint64_t *value);
/* The kread handle, opened on first use; NULL if BPF cannot load. */
struct kread *discovery_kread(struct discovery *d);
/* __START_KERNEL: the kernel-image VA of _text when not randomized. */
uint64_t discovery_start_kernel(const struct discovery *d);
/* Paging levels as far as known (0 if not). */
int discovery_levels(const struct discovery *d);

int source_ksym(struct discovery *d);
int source_tracepoint(struct discovery *d);
int source_vmcoreinfo(struct discovery *d);
int source_pagewalk(struct discovery *d);
int source_estimate(struct discovery *d);
int source_default(struct discovery *d);



/* Why randomization did not run, or NULL when it may have (source_guess.c). */
const char *memory_kaslr_off_reason(const struct discovery *d);
const char *text_kaslr_off_reason(const struct discovery *d);
#endif
