// SPDX-License-Identifier: GPL-2.0
/* kvas audit: the kernel's build configuration, command line and CPU bugs. */
#include <string.h>

#include "audit_checks.h"
#include "audit_kconfig.h"
#include "procfs.h"

static const struct config_check {
	const char *opt;
	bool want;		/* the careful setting: built in, or not */
	enum audit_result otherwise;
	const char *moot_if_off;	/* an option without which the concern is gone */
	const char *why;
	const char *remedy;
} config_checks[] = {
	{ "CONFIG_RANDOMIZE_BASE", true, AUDIT_FAIL, NULL, "Text KASLR: without it the kernel is where System.map says.", "Run a kernel built with CONFIG_RANDOMIZE_BASE=y (distribution kernels are)." },
	{ "CONFIG_RANDOMIZE_MEMORY", true, AUDIT_FAIL, NULL, "Memory KASLR: without it the direct map, vmalloc and vmemmap are at their defaults.", "Run a kernel built with CONFIG_RANDOMIZE_MEMORY=y (distribution kernels are)." },
	{ "CONFIG_PAGE_TABLE_ISOLATION", true, AUDIT_WARN, NULL, "PTI unmaps the kernel from user page tables: Meltdown-class CPUs read the kernel, and prefetch timing finds it, without.", "Run a kernel built with CONFIG_MITIGATION_PAGE_TABLE_ISOLATION=y (CONFIG_PAGE_TABLE_ISOLATION before 6.9)." },
	{ "CONFIG_PROC_KCORE", false, AUDIT_WARN, NULL, "/proc/kcore exposes all kernel memory to root (and to whoever gets root's file access).", "Run a kernel built without CONFIG_PROC_KCORE, unless live debugging with it is worth the exposure." },
	{ "CONFIG_STRICT_DEVMEM", true, AUDIT_WARN, "CONFIG_DEVMEM", "Without it /dev/mem reads any physical page, kernel memory included.", "Run a kernel built with CONFIG_STRICT_DEVMEM=y (and CONFIG_IO_STRICT_DEVMEM=y), or without CONFIG_DEVMEM." },
	{ "CONFIG_KALLSYMS_ALL", false, AUDIT_WARN, NULL, "Every variable's address is in kallsyms: one reader of it knows the bases outright.", "Run a kernel built without CONFIG_KALLSYMS_ALL, or keep kernel.kptr_restrict at 1 or 2 so only privileged readers see the addresses." },
	{ "CONFIG_HARDENED_USERCOPY", true, AUDIT_WARN, NULL, "Bounds copies to and from user space, which otherwise leak or overwrite kernel memory.", "Run a kernel built with CONFIG_HARDENED_USERCOPY=y." },
};

static enum audit_result check_result(const struct config_check *c, const struct config_fact *f)
{
	if (f->state == KCONFIG_UNKNOWN)
		return AUDIT_UNKNOWN;
	return (f->state == KCONFIG_YES) == c->want ? AUDIT_PASS : c->otherwise;
}

static void config_options(struct audit *a, const struct audit_inputs *in)
{
	for (size_t i = 0; i < sizeof(config_checks) / sizeof(config_checks[0]); i++) {
		const struct config_check *c = &config_checks[i];
		struct config_fact f, moot;
		enum audit_result r;

		config_fact(in->d, in->layout, c->opt, &f);
		r = check_result(c, &f);
		if (r != AUDIT_PASS && c->moot_if_off) {
			config_fact(in->d, in->layout, c->moot_if_off, &moot);
			if (moot.state == KCONFIG_NO) {
				snprintf(f.evidence, sizeof(f.evidence), "%.300s: nothing to restrict",
					 moot.evidence);
				r = AUDIT_PASS;
			}
		}
		audit_add(a, "Kernel configuration", c->opt + 7, r, c->why, "%s", f.evidence);
		audit_basis(a, config_basis_name(f.basis));
		audit_remedy(a, "%s", c->remedy);
	}
}

static const char remove_from_cmdline[] =
	"the boot loader's entry (GRUB_CMDLINE_LINUX in /etc/default/grub, then update-grub),"
	" or the hypervisor's or loader's boot arguments, and reboot";

static void command_line(struct audit *a, const struct discovery *d)
{
	static const struct { const char *word; enum audit_result r; const char *why; } words[] = {
		{ "nokaslr", AUDIT_FAIL, "Turns off text and memory KASLR." },
		{ "nopti", AUDIT_WARN, "Turns off page-table isolation." },
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		bool has = cmdline_has(d->cmdline, words[i].word);

		audit_add(a, "Kernel command line", words[i].word, has ? words[i].r : AUDIT_PASS,
			  words[i].why, "%s in /proc/cmdline", has ? "present" : "absent");
		audit_remedy(a, "Remove %s from %s.", words[i].word, remove_from_cmdline);
	}
}

void audit_config(struct audit *a, const struct audit_inputs *in)
{
	config_options(a, in);
	command_line(a, in->d);
	audit_mitigations(a, in);
}
