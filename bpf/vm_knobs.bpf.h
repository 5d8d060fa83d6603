/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The knobs both event objects take (struct vm_knobs, set by userspace
 * before load, src/kernel/vm_programs.c): the kernel's layout, for where page
 * tables are read (the direct map) and where a kernel fault's address
 * lies; kvas's own process; whether --container filters.
 */
#ifndef KVAS_VM_KNOBS_BPF_H
#define KVAS_VM_KNOBS_BPF_H

#include "vmevents_shared.h"

const volatile struct vm_knobs knobs = {};

static __always_inline __u32 kernel_region(__u64 addr)
{
	if (addr <= knobs.user_end)
		return FR_USER;
	if (addr >= knobs.dmap_start && addr < knobs.dmap_end)
		return FR_DIRECT_MAP;
	if (addr >= knobs.vmalloc_start && addr < knobs.vmalloc_end)
		return FR_VMALLOC;
	if (addr >= knobs.vmemmap_start && addr < knobs.vmemmap_end)
		return FR_VMEMMAP;
	if (addr >= knobs.image_start && addr < knobs.image_end)
		return FR_KERNEL_IMAGE;
	if (addr >= knobs.image_end && addr < knobs.modules_end)
		return FR_MODULES;
	return FR_OTHER;
}

#endif
