/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's layout as both event objects need it: where page tables are
 * read (the direct map) and where a kernel fault's address lies. Userspace
 * fills the knobs from its discovery before load (vm_layout_knobs_fill).
 */
#ifndef KVAS_VM_LAYOUT_BPF_H
#define KVAS_VM_LAYOUT_BPF_H

#include "vmevents_shared.h"

const volatile struct vm_layout_knobs layout = {};

static __always_inline __u32 kernel_region(__u64 addr)
{
	if (addr <= layout.user_end)
		return FR_USER;
	if (addr >= layout.dmap_start && addr < layout.dmap_end)
		return FR_DIRECT_MAP;
	if (addr >= layout.vmalloc_start && addr < layout.vmalloc_end)
		return FR_VMALLOC;
	if (addr >= layout.vmemmap_start && addr < layout.vmemmap_end)
		return FR_VMEMMAP;
	if (addr >= layout.image_start && addr < layout.image_end)
		return FR_KERNEL_IMAGE;
	if (addr >= layout.image_end && addr < layout.modules_end)
		return FR_MODULES;
	return FR_OTHER;
}

#endif
