// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "discover.h"
#include "kernel_btf.h"
#include "kread.h"
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

struct kread *discovery_kread(struct discovery *d)
{
	if (!d->kr)
		d->kr = kread_open();
	return d->kr;
}

uint64_t discovery_start_kernel(const struct discovery *d)
{
	uint64_t start = DEFAULT_PHYSICAL_START, align = 0;

	kconfig_u64(&d->kconfig, "CONFIG_PHYSICAL_START", &start);
	if (kconfig_u64(&d->kconfig, "CONFIG_PHYSICAL_ALIGN", &align) && align)
		start = (start + align - 1) & ~(align - 1);
	return START_KERNEL_MAP + start;
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
	char buf[128];
	int err;

	kconfig_load(&d->kconfig);
	iomem_read(&d->iomem);
	direct_map_stats_read(&d->dmap);
	if (read_small_file("/proc/cmdline", d->cmdline, sizeof(d->cmdline)) < 0)
		d->cmdline[0] = '\0';
	err = boot_params_kaslr_flag("/sys/kernel/boot_params/data", &d->kaslr_flag);
	d->kaslr_flag_known = !err;
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
	uint64_t base;

	gather_facts(d);

	/*
	 * Reading through the direct map needs page_offset_base first: when
	 * only vmcoreinfo or pagewalk is selected, ksym and tracepoint still
	 * run, but only to bootstrap; their values are not claimed.
	 */
	if (selected(d, LS_KSYM) || need_base)
		run_source(d, LS_KSYM, source_ksym);
	if (selected(d, LS_TRACEPOINT) ||
	    (need_base && !discovery_value(d, LF_PAGE_OFFSET_BASE, &base)))
		run_source(d, LS_TRACEPOINT, source_tracepoint);
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
