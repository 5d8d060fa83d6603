// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <zlib.h>

#include "kconfig.h"

const char *const kconfig_wanted[] = {
	"CONFIG_RANDOMIZE_BASE", "CONFIG_RANDOMIZE_MEMORY",
	"CONFIG_RANDOMIZE_MEMORY_PHYSICAL_PADDING", "CONFIG_PHYSICAL_START",
	"CONFIG_PHYSICAL_ALIGN", "CONFIG_KASAN", "CONFIG_KMSAN",
	"CONFIG_X86_5LEVEL", "CONFIG_PGTABLE_LEVELS", "CONFIG_KALLSYMS_ALL",
	"CONFIG_MITIGATION_PAGE_TABLE_ISOLATION", "CONFIG_PAGE_TABLE_ISOLATION",
	"CONFIG_PROC_KCORE", "CONFIG_VMCORE_INFO", "CONFIG_CRASH_CORE",
	"CONFIG_VMAP_STACK", "CONFIG_KPROBES", "CONFIG_FUNCTION_TRACER",
	"CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS", "CONFIG_SECRETMEM",
	"CONFIG_KFENCE", "CONFIG_DEBUG_PAGEALLOC", "CONFIG_DEVMEM",
	"CONFIG_STRICT_DEVMEM", "CONFIG_HARDENED_USERCOPY", NULL,
};

static bool wanted(const char *name)
{
	for (int i = 0; kconfig_wanted[i]; i++)
		if (!strcmp(kconfig_wanted[i], name))
			return true;
	return false;
}

static void set_opt(struct kconfig *kc, const char *name, const char *value)
{
	if (!strncmp(name, "CONFIG_", 7))
		kc->lines++;
	if (kc->nr >= KCONFIG_MAX_OPTS || !wanted(name))
		return;
	snprintf(kc->opt[kc->nr].name, sizeof(kc->opt[0].name), "%s", name);
	snprintf(kc->opt[kc->nr].value, sizeof(kc->opt[0].value), "%s", value);
	kc->nr++;
}

void kconfig_parse_line(struct kconfig *kc, const char *line)
{
	char name[64], value[64];

	if (sscanf(line, "# %63[A-Za-z0-9_] is not set", name) == 1) {
		set_opt(kc, name, "");
		return;
	}
	if (sscanf(line, "%63[A-Za-z0-9_]=%63s", name, value) == 2)
		set_opt(kc, name, value);
}

int kconfig_load_file(struct kconfig *kc, const char *path)
{
	gzFile gz = gzopen(path, "rb");	/* reads plain text too */
	char line[512];

	memset(kc, 0, sizeof(*kc));
	if (!gz)
		return -errno ? -errno : -ENOENT;
	while (gzgets(gz, line, sizeof(line)))
		kconfig_parse_line(kc, line);
	gzclose(gz);
	if (!kc->lines)
		return -ENODATA;
	kc->loaded = true;
	snprintf(kc->path, sizeof(kc->path), "%s", path);
	return 0;
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

static const char *lookup(const struct kconfig *kc, const char *name)
{
	for (int i = 0; i < kc->nr; i++)
		if (!strcmp(kc->opt[i].name, name))
			return kc->opt[i].value;
	return NULL;
}

enum kconfig_state kconfig_bool(const struct kconfig *kc, const char *name)
{
	const char *v;

	if (!kc->loaded)
		return KCONFIG_UNKNOWN;
	v = lookup(kc, name);
	/* An option absent from a complete config is off. */
	if (!v || !v[0])
		return KCONFIG_NO;
	return strcmp(v, "n") ? KCONFIG_YES : KCONFIG_NO;
}

bool kconfig_u64(const struct kconfig *kc, const char *name, uint64_t *value)
{
	const char *v = kc->loaded ? lookup(kc, name) : NULL;
	char *end;

	if (!v || !v[0])
		return false;
	errno = 0;
	*value = strtoull(v, &end, 0);
	return !errno && *end == '\0';
}
