// SPDX-License-Identifier: GPL-2.0
/* /proc/self/mountinfo: where the cgroup hierarchies are (src/core/cgroups.c). */
#include "cgroups.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const controllers[] = { "memory", "cpu", "" };
	char mount[256], tiny[1];
	FILE *f = fuzz_file(data, size);

	cgroup2_mount_parse(f, mount, sizeof(mount));
	rewind(f);
	cgroup2_mount_parse(f, tiny, sizeof(tiny));
	for (size_t i = 0; i < sizeof(controllers) / sizeof(controllers[0]); i++) {
		rewind(f);
		cgroup1_mount_parse(f, controllers[i], mount, sizeof(mount));
	}
	fclose(f);
	return 0;
}
