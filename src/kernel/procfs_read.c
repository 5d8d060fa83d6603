// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "procfs_read.h"

int iomem_read(struct iomem *io)
{
	FILE *f = fopen("/proc/iomem", "re");
	int err;

	if (!f)
		return -errno;
	err = iomem_parse(f, io);
	fclose(f);
	return err;
}

int direct_map_stats_read(struct direct_map_stats *st)
{
	FILE *f;

	memset(st, 0, sizeof(*st));
	f = fopen("/proc/meminfo", "re");
	if (!f)
		return -errno;
	meminfo_parse_direct_map(f, st);
	fclose(f);
	f = fopen("/proc/vmstat", "re");
	if (!f)
		return -errno;
	vmstat_parse_direct_map(f, st);
	fclose(f);
	return 0;
}

int kallsyms_find(const char *symbol, uint64_t *addr, bool *censored)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	int found;

	*censored = true;
	if (!f)
		return -errno;
	found = kallsyms_lookup(f, symbol, addr, censored);
	fclose(f);
	return found;
}

int kallsyms_read(struct ksyms *ks)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	int err;

	memset(ks, 0, sizeof(*ks));
	if (!f)
		return -errno;
	err = ksyms_load(ks, f);
	fclose(f);
	if (err)
		ksyms_free(ks);
	return err;
}

int kconfig_load(struct kconfig *kc)
{
	struct utsname u;
	char path[128];

	if (!kconfig_load_file(kc, "/proc/config.gz"))
		return 0;
	if (uname(&u))
		return -errno;
	snprintf(path, sizeof(path), "/boot/config-%s", u.release);
	return kconfig_load_file(kc, path);
}
