// SPDX-License-Identifier: GPL-2.0
/* kvas layout: the live KASLR layout, each value with its sources. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout_probe.h"
#include "layout_report.h"
#include "options.h"

static const char layout_usage[] =
"Usage: kvas layout [OPTIONS]\n"
"\n"
"Discover the running kernel's virtual address-space layout (KASLR bases,\n"
"_text, phys_base, text slide, paging levels) from independent sources,\n"
"cross-check them, and print the region table and direct-map summary.\n"
"\n"
"Options:\n"
"  -j, --json           one JSON document (addresses as \"0x...\" strings)\n"
"  -s, --source LIST    use only these sources (comma-separated, repeatable):\n"
"                       ksym, tracepoint, vmcoreinfo, pagewalk, estimate, default\n"
"  -v, --verbose        show libbpf's messages\n"
"  -h, --help           this text\n"
"\n"
"Sources:\n"
"  ksym        /proc/kallsyms through libbpf __ksym externs; the ksym iterator\n"
"              when kptr_restrict censors kallsyms\n"
"  tracepoint  bases derived from allocations kvas causes (raw_tp kmalloc,\n"
"              mm_page_alloc, alloc_vmap_area) and pagemap\n"
"  vmcoreinfo  the VMCOREINFO note, read through the direct map in BPF\n"
"  pagewalk    a walk of the kernel page tables through the direct map\n"
"  estimate    the lowest /proc/vmallocinfo address, rounded to 1 GiB\n"
"  default     documented defaults, when the kernel shows it did not randomize\n"
"vmcoreinfo and pagewalk read through page_offset_base: when chosen alone they\n"
"find it with ksym or tracepoint first, without reporting those.\n"
"\n"
"Examples:\n"
"  sudo kvas layout\n"
"  sudo kvas layout --json | jq .values.page_offset_base\n"
"  sudo kvas layout --source vmcoreinfo\n"
"  sudo kvas layout -s tracepoint,pagewalk\n";

static int parse_sources(const char *arg, unsigned int *mask)
{
	char buf[256], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", arg);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int s = layout_source_by_name(tok);

		if (s < 0) {
			fprintf(stderr, "kvas layout: unknown source '%s' (try --help)\n", tok);
			return -1;
		}
		*mask |= LS_MASK(s);
	}
	/* "" or ",": an empty list is no shorthand for every source */
	if (!*mask) {
		fprintf(stderr, "kvas layout: --source needs at least one source (try --help)\n");
		return -1;
	}
	return 0;
}

/* -s, the only option of its own: the sources, as a mask. */
static int layout_option(void *cfg, int opt, const char *arg)
{
	return opt == 's' ? parse_sources(arg, cfg) : -1;
}

static const struct option layout_long[] = {
	{ "source", required_argument, NULL, 's' },
	{ 0 },
};

static const struct cli_command layout_cli = {
	"layout", layout_usage, CLI_JSON, "s:", layout_long, NULL, layout_option, 0,
};

static int layout_run(unsigned int sources, bool json)
{
	struct discovery *d = calloc(1, sizeof(*d));
	struct layout_report *report = calloc(1, sizeof(*report));
	int err;

	if (!d || !report) {
		fprintf(stderr, "kvas layout: out of memory\n");
		err = EXIT_RUNTIME;
		goto cleanup;
	}
	d->selected = sources ? sources : LS_ALL;
	discover_layout(d);
	layout_report_build(d, report);
	if (json) {
		err = layout_report_json(report, stdout) ? EXIT_RUNTIME : EXIT_OK;
	} else {
		layout_report_text(report, stdout);
		err = fflush(stdout) ? EXIT_RUNTIME : EXIT_OK;
	}
	/* a write error is named by main (stdout_finish) */
cleanup:
	if (d)
		discovery_release(d);
	free(report);
	free(d);
	return err;
}

int cmd_layout(int argc, char **argv)
{
	struct cli_opts o = { 0 };
	unsigned int sources = 0;
	int st = cli_parse(&layout_cli, argc, argv, &o, &sources);

	if (st == CLI_GO)
		st = cli_start(&layout_cli, &o);
	return st == CLI_GO ? layout_run(sources, o.json) : st;
}
