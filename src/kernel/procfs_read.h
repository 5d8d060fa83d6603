/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The running system's /proc, /sys and /boot files, opened and handed to the
 * parsers of core/ (procfs.h, kconfig.h, ksyms.h), which the unit tests feed
 * text instead.
 */
#ifndef KVAS_PROCFS_READ_H
#define KVAS_PROCFS_READ_H

#include <stdbool.h>
#include <stdint.h>

#include "kconfig.h"
#include "ksyms.h"
#include "procfs.h"

/* /proc/iomem; -errno when it cannot be opened. */
int iomem_read(struct iomem *io);
/* /proc/meminfo's DirectMap* and /proc/vmstat's direct_map_* lines. */
int direct_map_stats_read(struct direct_map_stats *st);
/* kallsyms_lookup() on /proc/kallsyms; -errno when it cannot be read. */
int kallsyms_find(const char *symbol, uint64_t *addr, bool *censored);
/* Every text symbol of /proc/kallsyms, for ksyms_name(); -errno, or -ENOENT when censored. */
int kallsyms_read(struct ksyms *ks);
/* /proc/config.gz, then /boot/config-$(uname -r). */
int kconfig_load(struct kconfig *kc);

#endif
