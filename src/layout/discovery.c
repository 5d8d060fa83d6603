// SPDX-License-Identifier: GPL-2.0
#include "discovery.h"
#include "x86_layout.h"

struct layout *source_target(struct discovery *d, enum layout_source s)
{
	return d->selected & LS_MASK(s) ? &d->layout : &d->bootstrap;
}

bool discovery_value(const struct discovery *d, enum layout_field f,
		     uint64_t *value)
{
	return layout_known(&d->layout, f, value) ||
	       layout_known(&d->bootstrap, f, value);
}

uint64_t discovery_start_kernel(const struct discovery *d)
{
	uint64_t start = DEFAULT_PHYSICAL_START, align = 0;

	kconfig_u64(&d->kconfig, "CONFIG_PHYSICAL_START", &start);
	if (kconfig_u64(&d->kconfig, "CONFIG_PHYSICAL_ALIGN", &align) && align)
		start = (start + align - 1) & ~(align - 1);
	return START_KERNEL_MAP + start;
}

/* Why the boot itself turned KASLR off, or NULL. */
static const char *boot_off(const struct discovery *d)
{
	if (cmdline_has(d->cmdline, "nokaslr"))
		return "booted with nokaslr";
	if (d->kaslr_flag_known && !d->kaslr_flag)
		return "booted without the KASLR flag (boot_params loadflags): the decompressor did not run or did not randomize";
	return NULL;
}

/* The build's reason wins: it holds whatever the boot did. */
static const char *memory_build_off(const struct kconfig *kc)
{
	if (kconfig_bool(kc, "CONFIG_RANDOMIZE_MEMORY") == KCONFIG_NO)
		return "the kernel is built without CONFIG_RANDOMIZE_MEMORY";
	if (kconfig_bool(kc, "CONFIG_KASAN") == KCONFIG_YES)
		return "KASAN kernels do not randomize memory";
	return NULL;
}

static const char *text_build_off(const struct kconfig *kc)
{
	if (kconfig_bool(kc, "CONFIG_RANDOMIZE_BASE") == KCONFIG_NO)
		return "the kernel is built without CONFIG_RANDOMIZE_BASE";
	return NULL;
}

void kaslr_off_establish(struct discovery *d)
{
	struct kaslr_off *k = &d->kaslr_off;
	const char *boot = boot_off(d);

	k->memory.why = memory_build_off(&d->kconfig);
	k->memory.by_boot = !k->memory.why && boot;
	if (k->memory.by_boot)
		k->memory.why = boot;
	k->text.why = text_build_off(&d->kconfig);
	k->text.by_boot = !k->text.why && boot;
	if (k->text.by_boot)
		k->text.why = boot;
}
