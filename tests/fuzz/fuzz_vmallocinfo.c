// SPDX-License-Identifier: GPL-2.0
/* /proc/vmallocinfo: the lowest vmalloc address that is not a module's. */
#include "fuzz.h"
#include "procfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t addr;
	FILE *f = fuzz_file(data, size);

	vmallocinfo_lowest(f, &addr);
	fclose(f);
	return 0;
}
