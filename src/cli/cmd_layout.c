// SPDX-License-Identifier: GPL-2.0
/* kvas layout: the live KASLR layout, each value with its sources. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "discover.h"
#include "layout_report.h"

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
"  tracepoint  bases derived from allocations kvas causes (tp_btf kmalloc,\n"
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
	return 0;
}

int cmd_layout(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "source", required_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct discovery *d;
	struct layout_report *report;
	unsigned int sources = 0;
	bool json = false, verbose = false;
	int c, err;

	optind = 1;
	opterr = 0;	/* one line of our own instead of getopt's */
	while ((c = getopt_long(argc, argv, "js:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 's':
			if (parse_sources(optarg, &sources))
				return EXIT_USAGE;
			break;
		case 'v': verbose = true; break;
		case 'h': fputs(layout_usage, stdout); return EXIT_OK;
		default:
			usage_bad_option("layout", argc, argv);
			return EXIT_USAGE;
		}
	}
	if ((c = options_done("layout", argc, argv, verbose)) >= 0)
		return c;

	d = calloc(1, sizeof(*d));
	report = calloc(1, sizeof(*report));
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
	if (err)
		fprintf(stderr, "kvas layout: cannot write the report\n");
cleanup:
	if (d)
		discovery_release(d);
	free(report);
	free(d);
	return err;
}
