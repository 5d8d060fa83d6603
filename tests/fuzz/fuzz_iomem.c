// SPDX-License-Identifier: GPL-2.0
/* /proc/iomem: System RAM, the kernel image, and the resource a pa lies in. */
#include "fuzz.h"
#include "procfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct iomem io;
	uint64_t pa = fuzz_u64(data, size, 0);
	char buf[96], tiny[1];
	FILE *f = fuzz_file(data, size);

	if (!iomem_parse(f, &io)) {
		iomem_ram_end(&io);
		iomem_is_ram(&io, pa, 4096);
		iomem_is_ram(&io, UINT64_MAX, 4096);
		for (int i = 0; i < io.nr_ram; i++)
			iomem_is_ram(&io, io.ram[i].start, 1);
	}
	rewind(f);
	iomem_resource_of(f, pa, buf, sizeof(buf));
	rewind(f);
	iomem_resource_of(f, 0x1000, tiny, sizeof(tiny));
	fclose(f);
	return 0;
}
