// SPDX-License-Identifier: GPL-2.0
/* kvas audit: the kernel's build configuration, command line and CPU bugs. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "audit_checks.h"
#include "procfs.h"

static const struct config_check {
	const char *opt;
	bool want;		/* the careful setting: built in, or not */
	enum audit_result otherwise;
	const char *why;
} config_checks[] = {
	{ "CONFIG_RANDOMIZE_BASE", true, AUDIT_FAIL, "Text KASLR: without it the kernel is where System.map says." },
	{ "CONFIG_RANDOMIZE_MEMORY", true, AUDIT_FAIL, "Memory KASLR: without it the direct map, vmalloc and vmemmap are at their defaults." },
	{ "CONFIG_PAGE_TABLE_ISOLATION", true, AUDIT_WARN, "PTI unmaps the kernel from user page tables: Meltdown-class CPUs read the kernel, and prefetch timing finds it, without." },
	{ "CONFIG_PROC_KCORE", false, AUDIT_WARN, "/proc/kcore exposes all kernel memory to root (and to whoever gets root's file access)." },
	{ "CONFIG_STRICT_DEVMEM", true, AUDIT_WARN, "Without it /dev/mem reads any physical page, kernel memory included." },
	{ "CONFIG_KALLSYMS_ALL", false, AUDIT_WARN, "Every variable's address is in kallsyms: one reader of it knows the bases outright." },
	{ "CONFIG_HARDENED_USERCOPY", true, AUDIT_WARN, "Bounds copies to and from user space, which otherwise leak or overwrite kernel memory." },
};

static void config_options(struct audit *a, const struct kconfig *kc)
{
	for (size_t i = 0; i < sizeof(config_checks) / sizeof(config_checks[0]); i++) {
		const struct config_check *c = &config_checks[i];
		enum kconfig_state s = kconfig_bool(kc, c->opt);

		/*
		 * A loaded config answers no, never unknown, for an option it
		 * lacks: newer kernels spell PTI with a MITIGATION_ prefix.
		 */
		if (s == KCONFIG_NO && !strcmp(c->opt, "CONFIG_PAGE_TABLE_ISOLATION"))
			s = kconfig_bool(kc, "CONFIG_MITIGATION_PAGE_TABLE_ISOLATION");
		if (s == KCONFIG_NO && !strcmp(c->opt, "CONFIG_STRICT_DEVMEM") &&
		    kconfig_bool(kc, "CONFIG_DEVMEM") == KCONFIG_NO)
			s = KCONFIG_YES;	/* no /dev/mem at all */
		if (!kc->loaded) {
			audit_add(a, "Kernel configuration", c->opt + 7, AUDIT_UNKNOWN,
				  "no /proc/config.gz or /boot/config-$(uname -r)");
		} else {
			bool on = s == KCONFIG_YES;

			audit_add(a, "Kernel configuration", c->opt + 7,
				  on == c->want ? AUDIT_PASS : c->otherwise, "%s=%s (%s)", c->opt,
				  s == KCONFIG_YES ? "y" : "n", kc->path);
		}
		audit_why(a, c->why);
	}
}

static void command_line(struct audit *a)
{
	static const struct { const char *word; enum audit_result r; const char *why; } words[] = {
		{ "nokaslr", AUDIT_FAIL, "Turns off text and memory KASLR." },
		{ "nopti", AUDIT_WARN, "Turns off page-table isolation." },
		{ "mitigations=off", AUDIT_FAIL, "Turns off every CPU-bug mitigation, PTI included." },
	};
	char cmdline[4096];

	if (read_small_file("/proc/cmdline", cmdline, sizeof(cmdline)) < 0)
		cmdline[0] = '\0';
	cmdline[strcspn(cmdline, "\n")] = '\0';
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		bool has = cmdline_has(cmdline, words[i].word);

		audit_add(a, "Kernel command line", words[i].word, has ? words[i].r : AUDIT_PASS,
			  "%s in /proc/cmdline", has ? "present" : "absent");
		audit_why(a, words[i].why);
	}
}

void audit_config(struct audit *a, const struct audit_inputs *in)
{
	config_options(a, &in->d->kconfig);
	command_line(a);
}

static int by_name(const struct dirent **x, const struct dirent **y)
{
	return strcmp((*x)->d_name, (*y)->d_name);
}

void audit_vulnerabilities(struct audit *a, const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, by_name);

	if (n < 0) {
		audit_add(a, "CPU vulnerabilities", "all", AUDIT_UNKNOWN, "%s unreadable", dir);
		return;
	}
	for (int i = 0; i < n; i++) {
		char path[512], text[400];
		enum audit_result r = AUDIT_UNKNOWN;

		if (names[i]->d_name[0] == '.') {
			free(names[i]);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (read_small_file(path, text, sizeof(text)) < 0)
			snprintf(text, sizeof(text), "unreadable");
		text[strcspn(text, "\n")] = '\0';
		if (!strncmp(text, "Not affected", 12) || !strncmp(text, "Mitigation", 10))
			r = AUDIT_PASS;
		else if (!strncmp(text, "Vulnerable", 10))
			r = AUDIT_FAIL;
		audit_add(a, "CPU vulnerabilities", names[i]->d_name, r, "%s", text);
		audit_why(a, "CPU bugs that read across the user/kernel boundary or from other"
			  " tenants undo what KASLR and PTI hide.");
		free(names[i]);
	}
	free(names);
}
