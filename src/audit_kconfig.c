// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "audit_kconfig.h"

const char *config_basis_name(enum config_basis b)
{
	switch (b) {
	case CONFIG_FROM_FILE: return "file";
	case CONFIG_FROM_BOOT: return "boot";
	default: return "none";
	}
}

__attribute__((format(printf, 3, 4)))
static void fact(struct config_fact *f, enum kconfig_state s, const char *fmt, ...)
{
	va_list ap;

	f->state = s;
	f->basis = s == KCONFIG_UNKNOWN ? CONFIG_FROM_NOTHING : CONFIG_FROM_BOOT;
	va_start(ap, fmt);
	vsnprintf(f->evidence, sizeof(f->evidence), fmt, ap);
	va_end(ap);
}

/* The exact sources behind a value: a default agreeing with them is no evidence. */
static void sources_of(unsigned int mask, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int s = 0; s < LS_NR; s++)
		if ((mask & LS_MASK(s)) && source_is_exact(s))
			n += snprintf(buf + n, n < len ? len - n : 0, "%s%s", n ? ", " : "",
				      layout_source_name(s));
}

/*
 * The decompressor and the EFI stub set the KASLR flag only when built with
 * CONFIG_RANDOMIZE_BASE and not told nokaslr: with the lowest slot drawn, the
 * flag is all a randomized boot shows.
 */
static void text_from_boot(const struct discovery *d, const struct layout_report *lr,
			   struct config_fact *f)
{
	const struct resolved_value *rv = &d->layout.val[LF_TEXT_SLIDE];
	const char *off = text_kaslr_off_reason(d);
	char src[80];

	sources_of(rv->sources, src, sizeof(src));
	if (lr->text.state == KASLR_ACTIVE)
		fact(f, KCONFIG_YES, "text slide 0x%llx seen (%s)",
		     (unsigned long long)rv->value, src);
	else if (d->kaslr_flag_known && d->kaslr_flag)
		fact(f, KCONFIG_YES, "the KASLR flag set in boot_params, which only the"
		     " kernel's KASLR boot code sets");
	else if (lr->text.state == KASLR_INACTIVE)
		fact(f, KCONFIG_UNKNOWN, "_text is not slid (seen by %s), which proves nothing:"
		     " nokaslr or a boot without the decompressor leaves it so with the option"
		     " built in%s%s", src, off ? "; here: " : "", off ? off : "");
	else
		fact(f, KCONFIG_UNKNOWN, "the text slide is unknown");
}

/* kernel_randomize_memory() is built only with CONFIG_RANDOMIZE_MEMORY. */
static void memory_from_boot(const struct discovery *d, const struct layout_report *lr,
			     struct config_fact *f)
{
	const char *off = memory_kaslr_off_reason(d);

	if (lr->memory.state == KASLR_ACTIVE)
		fact(f, KCONFIG_YES, "%s seen", lr->memory.why);
	else if (lr->memory.state == KASLR_INACTIVE && d->kaslr_flag_known && d->kaslr_flag)
		fact(f, KCONFIG_UNKNOWN, "the bases are at their defaults although the boot set"
		     " the KASLR flag: built without it, or with KASAN");
	else if (lr->memory.state == KASLR_INACTIVE)
		fact(f, KCONFIG_UNKNOWN, "the bases are at their %d-level defaults, which proves"
		     " nothing: nokaslr, KASAN or a boot without the decompressor leaves them so"
		     " with the option built in%s%s", lr->levels, off ? "; here: " : "",
		     off ? off : "");
	else
		fact(f, KCONFIG_UNKNOWN, "not every base is known");
}

static void from_boot(const struct discovery *d, const struct layout_report *lr,
		      const char *opt, struct config_fact *f)
{
	if (!strcmp(opt, "CONFIG_RANDOMIZE_BASE"))
		text_from_boot(d, lr, f);
	else if (!strcmp(opt, "CONFIG_RANDOMIZE_MEMORY"))
		memory_from_boot(d, lr, f);
	else
		fact(f, KCONFIG_UNKNOWN, "the boot shows nothing of it");
}

static void from_file(const struct kconfig *kc, const char *opt, struct config_fact *f)
{
	enum kconfig_state s = kconfig_bool(kc, opt);
	const char *shown = opt;

	/* newer kernels spell PTI with a MITIGATION_ prefix */
	if (s != KCONFIG_YES && !strcmp(opt, "CONFIG_PAGE_TABLE_ISOLATION") &&
	    kconfig_bool(kc, "CONFIG_MITIGATION_PAGE_TABLE_ISOLATION") == KCONFIG_YES) {
		shown = "CONFIG_MITIGATION_PAGE_TABLE_ISOLATION";
		s = KCONFIG_YES;
	}
	f->state = s;
	f->basis = CONFIG_FROM_FILE;
	snprintf(f->evidence, sizeof(f->evidence), "%s=%s (%s)", shown,
		 s == KCONFIG_YES ? "y" : "n", kc->path);
}

void config_fact(const struct discovery *d, const struct layout_report *lr, const char *opt,
		 struct config_fact *f)
{
	struct config_fact boot;

	memset(f, 0, sizeof(*f));
	from_boot(d, lr, opt, &boot);
	if (!d->kconfig.loaded) {
		f->state = boot.state;
		f->basis = boot.basis;
		if (boot.state == KCONFIG_YES)
			snprintf(f->evidence, sizeof(f->evidence), "%.48s=y, from the boot: %.280s;"
				 " no config file", opt, boot.evidence);
		else
			snprintf(f->evidence, sizeof(f->evidence), "unknown: no /proc/config.gz or"
				 " /boot/config-%.64s, and %.280s", lr->release, boot.evidence);
		return;
	}
	from_file(&d->kconfig, opt, f);
	if (f->state != KCONFIG_NO || boot.state != KCONFIG_YES)
		return;
	/* what the boot did outweighs a file that may be another build's */
	f->state = KCONFIG_YES;
	f->basis = CONFIG_FROM_BOOT;
	snprintf(f->evidence, sizeof(f->evidence), "%.48s=y, from the boot: %.180s, although"
		 " %.96s says n: that file is not this kernel's", opt, boot.evidence,
		 d->kconfig.path);
}
