/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The facts layout discovery gathers about the running kernel, and what the
 * sources claimed: the input of the layout report and of kvas audit. Filled
 * by kernel/layout_probe.c; read here without any I/O.
 */
#ifndef KVAS_DISCOVERY_H
#define KVAS_DISCOVERY_H

#include <stdbool.h>
#include <stdint.h>

#include "kconfig.h"
#include "layout.h"
#include "procfs.h"
#include "vmcoreinfo.h"

struct kread;
struct btf;

/*
 * Why randomization did not run, one fact per kind (NULL: it may have run),
 * and whether the boot rather than the build turned it off.
 */
struct kaslr_off {
	struct {
		const char *why;
		bool by_boot;
	} memory, text;
};

struct discovery {
	unsigned int selected;		/* LS_MASK bits chosen by --source */

	struct layout layout;		/* what the selected sources claim */
	struct layout bootstrap;	/* helper results of unselected sources */

	struct kread *kr;		/* opened on first use */
	const struct btf *vmlinux_btf;	/* for feature probes and type sizes */
	uint64_t page_struct_size;

	char release[80];		/* uname -r */
	struct kconfig kconfig;
	struct iomem iomem;
	struct direct_map_stats dmap;
	char cmdline[4096];
	bool kaslr_flag_known, kaslr_flag;
	struct kaslr_off kaslr_off;	/* from the four above: kaslr_off_establish() */

	bool vmcoreinfo_sysfs;		/* /sys/kernel/vmcoreinfo gave an address */
	uint64_t vmcoreinfo_pa, vmcoreinfo_size;
	bool have_vmcoreinfo;		/* the note itself was read */
	struct vmcoreinfo vmcoreinfo;
	uint64_t sme_mask;
	uint64_t kernel_image_size;	/* 0 when unknown */
};

/* The layout a source writes to: the real one if selected, else bootstrap. */
struct layout *source_target(struct discovery *d, enum layout_source s);
/* A value for internal use (any source, selected or bootstrap). */
bool discovery_value(const struct discovery *d, enum layout_field f,
		     uint64_t *value);
/* __START_KERNEL: the kernel-image VA of _text when not randomized. */
uint64_t discovery_start_kernel(const struct discovery *d);

/*
 * Set d->kaslr_off from the config, the command line and the boot's KASLR
 * flag, once: the default source, the report and the audit all read it.
 */
void kaslr_off_establish(struct discovery *d);

#endif
