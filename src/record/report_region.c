// SPDX-License-Identifier: GPL-2.0
/*
 * The memory region of a fault, as kvas report names it: for a user fault
 * the mapping it hit (a file's basename, [heap], [stack], [anon]), as
 * record read /proc/PID/maps; for a kernel fault the kernel's region
 * (direct map, vmalloc, ...), told from the layout the recording carries.
 */
#include <string.h>

#include "report_ctx.h"

#define NO_MAPPING "unknown (no mapping recorded)"
#define UNKNOWN_REGION "unknown"

static const char *mapping_name(const struct rec_mapping *m, char *buf, size_t len)
{
	const char *slash;

	if (!m->name || !m->name[0])
		return "[anon]";
	if (m->name[0] == '[')
		return m->name;
	slash = strrchr(m->name, '/');
	snprintf(buf, len, "%s", slash && slash[1] ? slash + 1 : m->name);
	return buf;
}

/* enum fault_region of a kernel fault's address; -1: the layout does not say. */
static int kernel_region(const struct report_ctx *c, uint64_t addr)
{
	const struct region *reg;

	/* the lower canonical half is user memory whatever the paging mode */
	if (addr < (1ULL << 47) || (c->user_end && addr <= c->user_end))
		return FR_USER;
	if (!c->user_end)
		return -1;
	reg = region_of(&c->regions, addr);
	switch (reg ? reg->kind : REGION_HOLE) {
	case REGION_USER: return FR_USER;
	case REGION_DIRECT_MAP: return FR_DIRECT_MAP;
	case REGION_VMALLOC: return FR_VMALLOC;
	case REGION_VMEMMAP: return FR_VMEMMAP;
	case REGION_KERNEL_TEXT: return FR_KERNEL_IMAGE;
	case REGION_MODULES: return FR_MODULES;
	case REGION_HOLE:
		/* a hole may be where an unrecorded base put its region */
		return c->layout_known ? FR_OTHER : -1;
	default: return FR_OTHER;
	}
}

const char *report_region(const struct report_ctx *c, const struct rec_event *e,
			  char *buf, size_t len)
{
	const struct rec_mapping *m;
	int fr;

	if (e->kind == VM_FAULT_USER) {
		m = recording_mapping(c->r, e->pid, e->addr);
		return m ? mapping_name(m, buf, len) : NO_MAPPING;
	}
	if (e->kind != VM_FAULT_KERNEL)
		return NULL;
	fr = kernel_region(c, e->addr);
	return fr < 0 ? UNKNOWN_REGION : fault_region_name((unsigned int)fr);
}
