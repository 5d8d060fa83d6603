/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What kvas audit knows of a kernel option, and from where: the config file,
 * the boot, or nothing. The boot proves an option only by what it did: a text
 * slide needs CONFIG_RANDOMIZE_BASE, bases away from their defaults need
 * CONFIG_RANDOMIZE_MEMORY. Defaults prove nothing: nokaslr, a boot that
 * bypasses the decompressor (Firecracker, a direct vmlinux boot) and KASAN
 * leave them with the option built in.
 */
#ifndef KVAS_AUDIT_KCONFIG_H
#define KVAS_AUDIT_KCONFIG_H

#include "discover.h"
#include "layout_report.h"

enum config_basis { CONFIG_FROM_FILE, CONFIG_FROM_BOOT, CONFIG_FROM_NOTHING };

struct config_fact {
	enum kconfig_state state;	/* KCONFIG_UNKNOWN exactly when from nothing */
	enum config_basis basis;
	char evidence[400];		/* the line and file, what the boot showed, or why unknown */
};

/* opt is a full name, "CONFIG_RANDOMIZE_BASE". */
void config_fact(const struct discovery *d, const struct layout_report *lr, const char *opt,
		 struct config_fact *f);

/* "file", "boot", "none": for JSON. */
const char *config_basis_name(enum config_basis b);

#endif
