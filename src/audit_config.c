// SPDX-License-Identifier: GPL-2.0
/* kvas audit: the kernel's build configuration, command line and CPU bugs. */
#include <dirent.h>
#include <stdlib.h>
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
} config_checks[] = {
	{ "CONFIG_RANDOMIZE_BASE", true, AUDIT_FAIL, NULL, "Text KASLR: without it the kernel is where System.map says." },
	{ "CONFIG_RANDOMIZE_MEMORY", true, AUDIT_FAIL, NULL, "Memory KASLR: without it the direct map, vmalloc and vmemmap are at their defaults." },
	{ "CONFIG_PAGE_TABLE_ISOLATION", true, AUDIT_WARN, NULL, "PTI unmaps the kernel from user page tables: Meltdown-class CPUs read the kernel, and prefetch timing finds it, without." },
	{ "CONFIG_PROC_KCORE", false, AUDIT_WARN, NULL, "/proc/kcore exposes all kernel memory to root (and to whoever gets root's file access)." },
	{ "CONFIG_STRICT_DEVMEM", true, AUDIT_WARN, "CONFIG_DEVMEM", "Without it /dev/mem reads any physical page, kernel memory included." },
	{ "CONFIG_KALLSYMS_ALL", false, AUDIT_WARN, NULL, "Every variable's address is in kallsyms: one reader of it knows the bases outright." },
	{ "CONFIG_HARDENED_USERCOPY", true, AUDIT_WARN, NULL, "Bounds copies to and from user space, which otherwise leak or overwrite kernel memory." },
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
		audit_add(a, "Kernel configuration", c->opt + 7, r, "%s", f.evidence);
		audit_basis(a, config_basis_name(f.basis));
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
	config_options(a, in);
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
