// SPDX-License-Identifier: GPL-2.0
/* /proc/meminfo's DirectMap lines (dmap, audit, serve). */
#include "fuzz.h"
#include "procfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct direct_map_stats st = { 0 };
	FILE *f = fuzz_file(data, size);

	meminfo_parse_direct_map(f, &st);
	fclose(f);
	return 0;
}
