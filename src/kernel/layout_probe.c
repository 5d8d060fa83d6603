// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "layout_probe.h"
#include "kernel_btf.h"
#include "kread.h"
#include "procfs_read.h"

struct kread *discovery_kread(struct discovery *d)
{
	if (!d->kr)
		d->kr = kread_open();
	return d->kr;
}

static bool cpu_has_la57(void)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	char line[4096];
	bool found = false;

	if (!f)
		return true;	/* unknown: do not rule 5-level out */
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "flags", 5)) {
			found = strstr(line, " la57") != NULL;
			break;
		}
	}
	fclose(f);
	return found;
}

int discovery_levels(const struct discovery *d)
{
	uint64_t v;

	if (discovery_value(d, LF_PAGING_LEVELS, &v))
		return (int)v;
	/* A CPU without LA57 can only run 4-level paging. */
	return cpu_has_la57() ? 0 : 4;
}

static void gather_facts(struct discovery *d)
{
	struct utsname u;
	char buf[128];
	int err;

	if (!uname(&u))
		snprintf(d->release, sizeof(d->release), "%s", u.release);
	kconfig_load(&d->kconfig);
	iomem_read(&d->iomem);
	direct_map_stats_read(&d->dmap);
	if (read_small_file("/proc/cmdline", d->cmdline, sizeof(d->cmdline)) < 0)
		d->cmdline[0] = '\0';
	err = boot_params_kaslr_flag("/sys/kernel/boot_params/data", &d->kaslr_flag);
	d->kaslr_flag_known = !err;
	kaslr_off_establish(d);
	if (read_small_file("/sys/kernel/vmcoreinfo", buf, sizeof(buf)) > 0 &&
	    !vmcoreinfo_parse_sysfs(buf, &d->vmcoreinfo_pa, &d->vmcoreinfo_size))
		d->vmcoreinfo_sysfs = true;

	d->vmlinux_btf = kernel_btf();
	if (d->vmlinux_btf) {
		int id = btf__find_by_name_kind(d->vmlinux_btf, "page", BTF_KIND_STRUCT);

		if (id > 0)
			d->page_struct_size = btf__resolve_size(d->vmlinux_btf, id);
	}
}

static bool selected(const struct discovery *d, enum layout_source s)
{
	return d->selected & LS_MASK(s);
}

static void run_source(struct discovery *d, enum layout_source s,
		       int (*fn)(struct discovery *))
{
	if (selected(d, s))
		d->layout.source[s].ran = true;
	fn(d);
}

int discover_layout(struct discovery *d)
{
	bool need_base = selected(d, LS_VMCOREINFO) || selected(d, LS_PAGEWALK);
	bool ksym_ran = false;
	uint64_t base;

	gather_facts(d);

	/*
	 * Reading through the direct map needs page_offset_base first: when
	 * ksym or tracepoint is not selected, it still runs if the base is
	 * missing, but only to bootstrap; its values are not claimed. ksym
	 * bootstraps first (it only reads), except after a selected tracepoint
	 * source: that one found the base already, quicker than ksym's read of
	 * /proc/kallsyms.
	 */
	if (selected(d, LS_KSYM) || (need_base && !selected(d, LS_TRACEPOINT))) {
		run_source(d, LS_KSYM, source_ksym);
		ksym_ran = true;
	}
	if (selected(d, LS_TRACEPOINT) ||
	    (need_base && !discovery_value(d, LF_PAGE_OFFSET_BASE, &base)))
		run_source(d, LS_TRACEPOINT, source_tracepoint);
	if (!ksym_ran && need_base && !discovery_value(d, LF_PAGE_OFFSET_BASE, &base))
		run_source(d, LS_KSYM, source_ksym);
	if (need_base)
		run_source(d, LS_VMCOREINFO, source_vmcoreinfo);
	if (selected(d, LS_PAGEWALK))
		run_source(d, LS_PAGEWALK, source_pagewalk);
	if (selected(d, LS_ESTIMATE))
		run_source(d, LS_ESTIMATE, source_estimate);
	if (selected(d, LS_DEFAULT))
		run_source(d, LS_DEFAULT, source_default);

	layout_resolve(&d->layout);
	return 0;
}

void discovery_release(struct discovery *d)
{
	kread_close(d->kr);
	d->kr = NULL;
	d->vmlinux_btf = NULL;	/* kernel_btf()'s: shared by the run */
}
