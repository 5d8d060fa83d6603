// SPDX-License-Identifier: GPL-2.0
#include "x86_layout.h"

bool x86_canonical(uint64_t va, int levels)
{
	int top = levels == 5 ? 56 : 47;
	int64_t sext = (int64_t)(va << (63 - top)) >> (63 - top);

	return (uint64_t)sext == va;
}

uint64_t x86_user_end(int levels)
{
	return levels == 5 ? USER_END_L5 : USER_END_L4;
}

uint64_t default_page_offset_base(int levels)
{
	return levels == 5 ? PAGE_OFFSET_BASE_L5 : PAGE_OFFSET_BASE_L4;
}

uint64_t default_vmalloc_base(int levels)
{
	return levels == 5 ? VMALLOC_BASE_L5 : VMALLOC_BASE_L4;
}

uint64_t default_vmemmap_base(int levels)
{
	return levels == 5 ? VMEMMAP_BASE_L5 : VMEMMAP_BASE_L4;
}

bool base_in_kaslr_range(uint64_t base, int levels)
{
	return base >= default_page_offset_base(levels) &&
	       base < CPU_ENTRY_AREA_BASE;
}
