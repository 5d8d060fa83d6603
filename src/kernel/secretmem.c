// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kconfig.h"
#include "procfs.h"
#include "secretmem.h"

#ifndef SYS_memfd_secret
#define SYS_memfd_secret 447	/* x86-64, since 5.14 */
#endif

bool secretmem_available(const struct kconfig *kc, char *why, size_t len)
{
	int fd = (int)syscall(SYS_memfd_secret, 0);
	char enable[8];

	if (fd >= 0) {
		close(fd);
		return true;
	}
	if (errno != ENOSYS)
		snprintf(why, len, "fails: %s", strerror(errno));
	else if (read_small_file("/sys/module/secretmem/parameters/enable", enable,
				 sizeof(enable)) > 0 && enable[0] == 'N')
		snprintf(why, len, "disabled at boot (boot with secretmem.enable=1)");
	else if (kc && kconfig_bool(kc, "CONFIG_SECRETMEM") == KCONFIG_NO)
		snprintf(why, len, "not built in (CONFIG_SECRETMEM is off)");
	else
		snprintf(why, len, "not available (this kernel has no memfd_secret)");
	return false;
}
