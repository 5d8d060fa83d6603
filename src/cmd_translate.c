// SPDX-License-Identifier: GPL-2.0
/* kvas translate: addresses to the physical facts behind them. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "json_util.h"
#include "live.h"
#include "translate_print.h"
#include "translate_read.h"
#include "translate_run.h"

static const char translate_usage[] =
"Usage: kvas translate [OPTIONS] ADDRESS...\n"
"\n"
"Translate addresses (hex, with or without 0x) on the running kernel:\n"
"  a kernel virtual address   its region, physical address, pfn, struct page\n"
"                             and direct-map alias (direct map by arithmetic,\n"
"                             kernel image through phys_base, the rest by a\n"
"                             page-table walk)\n"
"  a user address with -p     walked in BPF in that process's page tables:\n"
"                             physical address, page size, flags, mapping,\n"
"                             and the direct-map address the kernel reads it at\n"
"  a struct page address      the pfn and physical page it describes\n"
"  a physical address --phys  its direct-map address, pfn, struct page and\n"
"                             /proc/iomem resource\n"
"\n"
"Options:\n"
"  -p, --pid PID   user addresses belong to process PID\n"
"  -P, --phys      the addresses are physical\n"
"  -w, --walk      show every level of the page-table walk\n"
"  -r, --read N    also read N bytes (at most 4096, up to the end of the\n"
"                  page) at the address, in BPF with the kernel's nofault\n"
"                  copy; user and physical addresses are read through the\n"
"                  direct map, and only System RAM is read\n"
"  -j, --json      one JSON array, one object per address\n"
"  -v, --verbose   show libbpf's messages\n"
"  -h, --help      this text\n"
"\n"
"Every address is answered; kvas exits 1 if any of them failed.\n"
"\n"
"Examples:\n"
"  sudo kvas translate ffffffff81000000\n"
"  sudo kvas translate -p 1234 7ffd4a5b6000 --walk\n"
"  sudo kvas translate --phys 0x1000000\n"
"  sudo kvas translate --read 64 ffffffff81000000\n"
"  sudo kvas translate --json ffff888000100000 ffffea0000000040\n";

int cmd_translate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "phys", no_argument, NULL, 'P' },
		{ "walk", no_argument, NULL, 'w' },
		{ "read", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	bool json = false, walk = false, phys = false, verbose = false, failed = false;
	struct translator tr = { 0 };
	struct translation t;
	struct discovery *d = NULL;
	json_t *results = NULL;
	char *end;
	long pid = 0, read_len = 0;
	struct iomem io;
	int c, status = EXIT_RUNTIME;

	optind = 1;
	opterr = 0;	/* one line of our own instead of getopt's */
	while ((c = getopt_long(argc, argv, "p:Pwr:jvh", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			pid = strtol(optarg, &end, 10);
			if (*end || pid <= 0 || pid > 4194304) {
				fprintf(stderr, "kvas translate: invalid pid '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'P': phys = true; break;
		case 'w': walk = true; break;
		case 'r':
			read_len = strtol(optarg, &end, 10);
			if (*end || read_len <= 0 || read_len > 4096) {
				fprintf(stderr, "kvas translate: --read takes 1 to 4096 bytes, not '%s'\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 'j': json = true; break;
		case 'v': verbose = true; break;
		case 'h': fputs(translate_usage, stdout); return EXIT_OK;
		default:
			usage_bad_option("translate", argc, argv);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "kvas translate: no address given (try 'kvas translate --help')\n");
		return EXIT_USAGE;
	}
	if (phys && pid) {
		fprintf(stderr, "kvas translate: --phys and --pid do not go together\n");
		return EXIT_USAGE;
	}
	if (!check_privileges())
		return EXIT_RUNTIME;
	if (!setup_libbpf_logging(verbose))
		return EXIT_RUNTIME;

	d = live_layout(&tr, "translate");
	if (!d)
		goto cleanup;
	if (read_len && iomem_read(&io)) {
		fprintf(stderr, "kvas translate: cannot read /proc/iomem to tell RAM from device memory\n");
		goto cleanup;
	}
	if (json)
		results = json_array();
	for (int i = optind; i < argc; i++) {
		translate_one(&tr, argv[i], phys ? TIN_PHYSICAL : TIN_VIRTUAL, (pid_t)pid, &t);
		if (t.error[0]) {
			failed = true;
			fprintf(stderr, "kvas translate: %s: %s\n", t.input, t.error);
		}
		if (read_len && translation_read(tr.kr, &io, (size_t)read_len, &t)) {
			char why[160];

			failed = true;
			fprintf(stderr, "kvas translate: %s: cannot read it: %s\n", t.input,
				translation_read_error(&t, why, sizeof(why)));
		}
		if (json)
			json_array_append_new(results, translation_json(&t));
		else
			translation_text(&t, walk, stdout);
		if (!json && i + 1 < argc)
			putchar('\n');
	}
	if (json && json_emit(results, stdout)) {
		fprintf(stderr, "kvas translate: cannot write the output\n");
		goto cleanup;
	}
	results = NULL;
	status = failed ? EXIT_RUNTIME : EXIT_OK;
cleanup:
	json_decref(results);
	live_release(&tr, d);
	return status;
}
