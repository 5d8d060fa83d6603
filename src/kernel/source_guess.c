// SPDX-License-Identifier: GPL-2.0
/*
 * The labelled guesses: an estimate from what /proc shows, and the
 * documented defaults when the kernel says it did not randomize.
 */
#include <errno.h>
#include <stdio.h>

#include "layout_probe.h"
#include "kread.h"
#include "x86_layout.h"

/* The lowest vmalloc area /proc/vmallocinfo shows; 0 if it hides them. */
static uint64_t lowest_vmallocinfo(void)
{
	FILE *f = fopen("/proc/vmallocinfo", "re");
	uint64_t lowest = 0;

	if (!f)
		return 0;
	if (vmallocinfo_lowest(f, &lowest))
		lowest = 0;
	fclose(f);
	return lowest;
}

int source_estimate(struct discovery *d)
{
	struct layout *out = source_target(d, LS_ESTIMATE);
	int levels = discovery_levels(d);
	uint64_t lowest = lowest_vmallocinfo();
	struct kread_context kc;

	/* vmalloc hands out the lowest free range first, so the base is near. */
	if (lowest) {
		layout_claim(out, LF_VMALLOC_BASE, LS_ESTIMATE, align_down(lowest, PUD_SIZE),
			     levels, "lowest /proc/vmallocinfo address 0x%llx rounded down to 1 GiB",
			     (unsigned long long)lowest);
		return 0;
	}
	/* With VMAP_STACK a kernel stack is a vmalloc area, usually an early one. */
	if (kconfig_bool(&d->kconfig, "CONFIG_VMAP_STACK") == KCONFIG_YES &&
	    discovery_kread(d) && !kread_context(d->kr, &kc) &&
	    layout_claim(out, LF_VMALLOC_BASE, LS_ESTIMATE, align_down(kc.stack, PUD_SIZE),
			 levels, "kvas's kernel stack 0x%llx (VMAP_STACK) rounded down to 1 GiB",
			 (unsigned long long)kc.stack))
		return 0;
	source_unavailable(out, LS_ESTIMATE,
			   "/proc/vmallocinfo shows no kernel addresses (hashed by %%pK) and no vmalloc'd kernel stack to round down");
	return -ENOENT;
}

int source_default(struct discovery *d)
{
	struct layout *out = source_target(d, LS_DEFAULT);
	int levels = discovery_levels(d);
	const char *why_mem = d->kaslr_off.memory.why;
	const char *why_text = d->kaslr_off.text.why;

	if (why_mem && levels) {
		for (int f = LF_PAGE_OFFSET_BASE; f <= LF_VMEMMAP_BASE; f++) {
			uint64_t v;

			layout_default_of(f, levels, &v);
			layout_claim(out, f, LS_DEFAULT, v, levels,
				     "%d-level default: %s", levels, why_mem);
		}
	}
	if (why_text) {
		layout_claim(out, LF_TEXT, LS_DEFAULT, discovery_start_kernel(d), 0,
			     "__START_KERNEL: %s", why_text);
		layout_claim(out, LF_TEXT_SLIDE, LS_DEFAULT, 0, 0, "%s", why_text);
	}
	if (!(why_mem && levels) && !why_text)
		source_unavailable(out, LS_DEFAULT,
				   "randomization may be active: defaults are not evidence");
	return 0;
}
