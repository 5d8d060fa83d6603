// SPDX-License-Identifier: GPL-2.0
/* kvas trace: page faults and TLB flushes one by one, sampled perf-style. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "options.h"
#include "parse_num.h"
#include "trace_run.h"
#include "vm_decode.h"

static const char trace_usage[] =
"Usage: kvas trace [OPTIONS]\n"
"\n"
"Page faults and TLB flushes, one line each: time, CPU, pid, tid, comm,\n"
"cgroup, event, address, region, decoded error code, the ip and its symbol\n"
"(for user faults, and the file it is in); and, once the fault has\n"
"resolved, a translation line with the physical address, page size and\n"
"direct-map alias. Filters run in the kernel. Events lost to a full\n"
"buffer are counted and reported.\n"
"\n"
"Options:\n"
"  -e, --events LIST     fault-user, fault-kernel, tlb-flush (comma-separated;\n"
"                        default all)\n"
"  -p, --pid PID         only this process; the trace ends when it exits\n"
"  -t, --tid TID         only this thread; the trace ends when it exits\n"
"      --comm NAME       only tasks with this name\n"
"      --cgroup PATH     only this cgroup v2 (path under the cgroup2 mount)\n"
"  -C, --container ID    only these containers: a full id or a prefix of at\n"
"                        least 4 hex digits; repeat it or give a comma list.\n"
"                        Containers started later are traced too.\n"
"  -c, --count N         keep every Nth event per CPU (like perf record -c)\n"
"  -F, --freq RATE       keep at most RATE events per second, all CPUs together\n"
"      --buffer-size KB  ring buffer, a power of two (default 512 per CPU)\n"
"  -d, --duration SECONDS  stop after this long\n"
"  -o, --output FILE     write to FILE, checked before tracing starts: a new\n"
"                        file (mode 0600) appears whole at the end; a device,\n"
"                        FIFO or /dev/stdout is written as it goes; a\n"
"                        symlink's target is written; a directory is refused\n"
"      --force           let -o replace an existing file (its mode is kept)\n"
"  -j, --json            JSON Lines, ending with a summary line\n"
"      --csv             CSV with a header row\n"
"  -v, --verbose         show libbpf's messages\n"
"  -h, --help            this text\n"
"\n"
"A -p or -t that names no such task is an error (exit 1) before anything\n"
"is loaded. A write error (a full disk) is named, what was written is kept,\n"
"and kvas exits 1. SIGINT, SIGTERM, SIGHUP and SIGQUIT end a trace cleanly.\n"
"\n"
"Examples:\n"
"  sudo kvas trace -p 1 -d 5\n"
"  sudo kvas trace -e tlb-flush -c 100 -d 10\n"
"  sudo kvas trace --cgroup \"$(sed -n 's/^0:://p' /proc/self/cgroup)\" --json -o faults.jsonl -d 10\n"
"  sudo kvas trace -F 1000 --csv | head\n"
"  sudo kvas trace --container 4f1c2d3e -e fault-user -d 10\n";


static const struct option trace_long[] = {
	{ "events", required_argument, NULL, 'e' },
	{ "pid", required_argument, NULL, 'p' },
	{ "tid", required_argument, NULL, 't' },
	{ "comm", required_argument, NULL, OPT_COMM },
	{ "cgroup", required_argument, NULL, OPT_CGROUP },
	{ "container", required_argument, NULL, 'C' },
	{ "count", required_argument, NULL, 'c' },
	{ "freq", required_argument, NULL, 'F' },
	{ "buffer-size", required_argument, NULL, OPT_BUFFER_SIZE },
	{ "output", required_argument, NULL, 'o' },
	{ "csv", no_argument, NULL, OPT_CSV },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ 0 },
};

static int trace_option(void *cfg, int opt, const char *arg);

static const struct cli_command trace_cli = {
	"trace", trace_usage, CLI_DURATION | CLI_JSON, "e:p:t:c:F:o:C:", trace_long, NULL,
	trace_option, 0,
};

static int trace_option(void *cfg, int opt, const char *arg)
{
	struct trace_cfg *c = cfg;
	uint64_t v;

	switch (opt) {
	case 'e':
		return cli_events(&trace_cli, arg, &c->ev.record_mask);
	case 'p':
	case 't':
		if (cli_u64(&trace_cli, opt == 'p' ? "-p, --pid" : "-t, --tid", arg, 1, 4194304, &v))
			return -1;
		*(opt == 'p' ? &c->ev.tgid : &c->ev.tid) = (pid_t)v;
		return 0;
	case OPT_COMM:
		if (!arg[0] || strlen(arg) > 15) {
			fprintf(stderr, "kvas trace: --comm takes a task name of 1 to 15 characters\n");
			return -1;
		}
		c->ev.comm = arg;
		return 0;
	case 'c':
		if (cli_u64(&trace_cli, "-c, --count", arg, 1, 1 << 30, &v))
			return -1;
		c->ev.sample_every = (uint32_t)v;
		return 0;
	case 'F':
		return cli_u64(&trace_cli, "-F, --freq", arg, 1, 1 << 30, &c->ev.rate);
	case OPT_BUFFER_SIZE: return cli_buffer_size(&trace_cli, arg, &c->ev.ringbuf_bytes);
	case OPT_CGROUP:
		if (!arg[0]) {
			fprintf(stderr, "kvas trace: --cgroup takes a cgroup path as kvas top prints it"
				" (\"/\" for the root), not ''\n");
			return -1;
		}
		c->cgroup = arg;
		return 0;
	case 'C': return cli_containers(&trace_cli, arg, &c->filter.prefixes, &c->ev.filter_containers);
	case 'o':
		if (!arg[0]) {
			fprintf(stderr, "kvas trace: --output takes a file name, not ''\n");
			return -1;
		}
		c->output = arg;
		return 0;
	case OPT_CSV: c->csv = true; return 0;
	case OPT_FORCE: c->force = true; return 0;
	}
	return -1;
}

int cmd_trace(int argc, char **argv)
{
	struct trace_cfg cfg = {
		.ev = {
			.sample_every = 1,
			.record_mask = VM_MASK(VM_FAULT_USER) | VM_MASK(VM_FAULT_KERNEL) |
				       VM_MASK(VM_TLB_FLUSH),
		},
	};
	struct cli_opts o = { 0 };
	int st = cli_parse(&trace_cli, argc, argv, &o, &cfg);

	if (st == CLI_GO && cfg.csv && o.json) {
		fprintf(stderr, "kvas trace: --csv and --json do not go together\n");
		st = EXIT_USAGE;
	}
	if (st == CLI_GO)
		st = cli_start(&trace_cli, &o);
	return st == CLI_GO ? trace_run(&cfg, &o) : st;
}
