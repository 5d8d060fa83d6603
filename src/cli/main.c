// SPDX-License-Identifier: GPL-2.0
/* kvas: a live view of the x86-64 kernel virtual address space, on eBPF. */
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "bpf_setup.h"
#include "commands.h"
#include "libbpf_log.h"
#include "out_stream.h"

static const char main_usage[] =
"Usage: kvas COMMAND [OPTIONS]\n"
"\n"
"A live view of the Linux kernel's virtual address space on x86-64.\n"
"\n"
"Commands:\n"
"  layout     the KASLR layout: bases, _text, phys_base, regions, direct map\n"
"  translate  addresses to physical pages and back, through the direct map,\n"
"             phys_base, vmemmap and page-table walks\n"
"  top        page faults and TLB flushes per second, per process and cgroup\n"
"  trace      page faults and TLB flushes one by one, sampled, translated\n"
"  record     page faults and TLB events into a file (kvas.data), with stacks\n"
"  report     what a kvas record file holds, as perf report says it (no root)\n"
"  dmap       the direct map: coverage, page sizes, splits, who changes it\n"
"  audit      a container host's KASLR and direct-map posture\n"
"  serve      the live counts as Prometheus metrics (HTTP or a textfile)\n"
"  why        what the direct map buys on this machine: TLB reach, measured\n"
"\n"
"Run 'kvas COMMAND --help' for a command's options. Commands may be\n"
"abbreviated to any unique prefix. kvas needs root (CAP_BPF, CAP_PERFMON,\n"
"CAP_SYS_ADMIN) and kernel BTF (/sys/kernel/btf/vmlinux).\n"
"\n"
"Examples:\n"
"  sudo kvas top\n"
"  sudo kvas layout\n"
"  sudo kvas dmap -i 1\n"
"  sudo kvas audit --json\n"
"  sudo kvas layout --json\n"
"  sudo kvas translate -p $$ $(head -1 /proc/$$/maps | cut -d- -f1) --walk\n";

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "layout", cmd_layout },
	{ "translate", cmd_translate },
	{ "top", cmd_top },
	{ "trace", cmd_trace },
	{ "record", cmd_record },
	{ "report", cmd_report },
	{ "dmap", cmd_dmap },
	{ "audit", cmd_audit },
	{ "serve", cmd_serve },
	{ "why", cmd_why },
};

/* The command argv names: its exit status, or a usage error's. */
static int run_command(int argc, char **argv, const char **name)
{
	const struct command *match = NULL;
	size_t len;

	if (argc < 2) {
		fputs(main_usage, stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		fputs(main_usage, stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("kvas %s (libbpf %s)\n", KVAS_VERSION, libbpf_version());
		return EXIT_OK;
	}
	len = strlen(argv[1]);
	for (size_t i = 0; len && i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strncmp(commands[i].name, argv[1], len))
			continue;
		if (match) {
			fprintf(stderr, "kvas: '%s' is ambiguous\n", argv[1]);
			return EXIT_USAGE;
		}
		match = &commands[i];
	}
	if (!match) {
		fprintf(stderr, "kvas: unknown command '%s' (try 'kvas --help')\n", argv[1]);
		return EXIT_USAGE;
	}
	*name = match->name;
	return match->run(argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
	const char *name = NULL;
	int status;

	/*
	 * The live commands allocate per interval what the machine holds (a
	 * record per thread, a row per process that faulted): a fixed mmap
	 * threshold gives those large, short-lived buffers back when freed,
	 * where glibc's adaptive one would keep the largest ever seen in the
	 * heap (8 MB of RSS kept after 100k short-lived processes).
	 */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	libbpf_log_setup(false);
	stdout_install();
	status = run_command(argc, argv, &name);
	return stdout_finish(name, status);
}
