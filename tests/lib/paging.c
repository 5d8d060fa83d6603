// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <sys/mman.h>

#include "paging.h"

int truth_paging_levels(void)
{
	/* Only a 5-level kernel places a mapping above 47 bits, and only on request. */
	void *hint = (void *)(1ULL << 50);
	void *p = mmap(hint, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int levels;

	if (p == MAP_FAILED)
		return 4;
	levels = (uintptr_t)p >= (1ULL << 47) ? 5 : 4;
	munmap(p, 4096);
	return levels;
}
