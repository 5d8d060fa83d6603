// SPDX-License-Identifier: GPL-2.0
/*
 * A kernel config, plain or gzip (/proc/config.gz, /boot/config-*): the
 * bytes go in a memfd, so kconfig_load_file() reads them by path as it
 * reads the real file, through zlib.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* memfd_create(), whatever CFLAGS a build gives */
#endif
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "kconfig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kconfig kc;
	char path[64];
	uint64_t v;
	int fd = memfd_create("kconfig", MFD_CLOEXEC);

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (!kconfig_load_file(&kc, path)) {
		for (int i = 0; kconfig_wanted[i]; i++) {
			kconfig_bool(&kc, kconfig_wanted[i]);
			kconfig_u64(&kc, kconfig_wanted[i], &v);
		}
	}
	close(fd);
	return 0;
}
