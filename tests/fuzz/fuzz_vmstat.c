// SPDX-License-Identifier: GPL-2.0
/* /proc/vmstat's direct_map_level*_splits and _collapses. */
#include "fuzz.h"
#include "procfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct direct_map_stats st = { 0 };
	FILE *f = fuzz_file(data, size);

	vmstat_parse_direct_map(f, &st);
	fclose(f);
	return 0;
}
