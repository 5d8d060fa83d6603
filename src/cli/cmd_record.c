// SPDX-License-Identifier: GPL-2.0
/* kvas record: page faults and TLB events into kvas.data, perf record-style. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "parse_num.h"
#include "record_file.h"
#include "record_run.h"
#include "vm_decode.h"

static const char record_usage[] =
"Usage: kvas record [OPTIONS] [-- COMMAND [ARGS...]]\n"
"\n"
"Page faults (user and kernel), TLB events, and direct-map changes where\n"
"the kernel lets kvas hook them (fentry or kprobes; else it says why), into\n"
"a file, kvas.data by default, for kvas report to read later, on this\n"
"machine or another: each fault with its translation, with -g each event's\n"
"kernel and user call stacks; with them the layout, the kernel release,\n"
"the processes, threads, cgroups and containers seen, their mappings, and\n"
"every ip's symbol.\n"
"Filters and sampling run in the kernel. An existing kvas.data is kept as\n"
"kvas.data.old. The file appears whole at the end: a record that is\n"
"killed leaves none.\n"
"\n"
"With -- COMMAND ARGS..., record starts COMMAND, records it and its\n"
"children from its first instruction, ends when it exits, and exits with\n"
"its status (127 when it cannot be run, 128 + N when signal N killed it).\n"
"\n"
"Options:\n"
"  -o, --output FILE     write FILE, not kvas.data; an existing FILE is\n"
"                        refused unless --force\n"
"      --force           let -o replace FILE (kept as FILE.old)\n"
"  -a, --all             every process but kvas (the default)\n"
"  -p, --pid PID         only this process; record ends when it exits\n"
"  -t, --tid TID         only this thread; record ends when it exits\n"
"  -C, --container ID    only these containers: a full id or a prefix of at\n"
"                        least 4 hex digits; repeat it or give a comma list\n"
"      --cgroup PATH     only this cgroup (path under the cgroup2 mount)\n"
"  -e, --events LIST     fault-user, fault-kernel, tlb-flush (comma-separated;\n"
"                        default all)\n"
"  -c, --count N         keep every Nth event per CPU (like perf record -c)\n"
"  -F, --freq RATE       keep at most RATE events per second, all CPUs together\n"
"                        (a cap: perf's -F is a sampling frequency)\n"
"  -g, --call-graph      record kernel and user call stacks (user stacks by\n"
"                        frame pointers)\n"
"      --buffer-size KB  ring buffer, a power of two (512 per CPU; -g 16384)\n"
"  -d, --duration SECONDS  stop after this long\n"
"  -v, --verbose         show libbpf's messages\n"
"  -h, --help            this text\n"
"\n"
"SIGINT, SIGTERM, SIGHUP and SIGQUIT end a recording cleanly (a command\n"
"still running then gets SIGTERM). At the end, one line on stderr says\n"
"how many events were written, and how many were sampled away or lost.\n"
"\n"
"Examples:\n"
"  sudo kvas record -g -- make -j2\n"
"  sudo kvas record -p 1234 -d 10 -o faults.data\n"
"  sudo kvas record -a -e tlb-flush -c 10 -d 5\n"
"  sudo kvas record -C 4f1c2d3e -F 1000 -d 60\n";

static const struct option record_long[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "all", no_argument, NULL, 'a' },
	{ "pid", required_argument, NULL, 'p' },
	{ "tid", required_argument, NULL, 't' },
	{ "container", required_argument, NULL, 'C' },
	{ "cgroup", required_argument, NULL, OPT_CGROUP },
	{ "events", required_argument, NULL, 'e' },
	{ "count", required_argument, NULL, 'c' },
	{ "freq", required_argument, NULL, 'F' },
	{ "call-graph", no_argument, NULL, 'g' },
	{ "buffer-size", required_argument, NULL, OPT_BUFFER_SIZE },
	{ 0 },
};

static int record_option(void *cfg, int opt, const char *arg);

static const struct cli_command record_cli = {
	"record", record_usage, CLI_DURATION, "o:ap:t:C:e:c:F:g", record_long, NULL,
	record_option, 0,
};

/* Only one target: -a, -p, -t, -C, --cgroup or a command. */
static int one_target(struct record_cfg *c, const char *what)
{
	if (c->target[0]) {
		fprintf(stderr, "kvas record: %s and %s do not go together\n", c->target, what);
		return -1;
	}
	snprintf(c->target, sizeof(c->target), "%s", what);
	return 0;
}

static int target_option(struct record_cfg *c, int opt, const char *arg)
{
	char what[256];
	uint64_t v;

	snprintf(what, sizeof(what), "%s%s%s", opt == 'a' ? "-a" : opt == 'p' ? "-p" :
		 opt == 't' ? "-t" : opt == 'C' ? "-C" : "--cgroup", arg ? " " : "", arg ? arg : "");
	if (opt != 'C' && one_target(c, what))
		return -1;
	switch (opt) {
	case 'p':
	case 't':
		if (cli_u64(&record_cli, opt == 'p' ? "-p, --pid" : "-t, --tid", arg, 1, 4194304, &v))
			return -1;
		*(opt == 'p' ? &c->ev.tgid : &c->ev.tid) = (pid_t)v;
		return 0;
	case 'C':
		if (!c->filter.prefixes.n && one_target(c, what))
			return -1;
		return cli_containers(&record_cli, arg, &c->filter.prefixes,
				      &c->ev.filter_containers);
	case OPT_CGROUP:
		if (!arg[0]) {
			fprintf(stderr, "kvas record: --cgroup takes a cgroup path, not ''\n");
			return -1;
		}
		c->cgroup = arg;
		return 0;
	}
	return 0;
}

static int record_option(void *cfg, int opt, const char *arg)
{
	struct record_cfg *c = cfg;
	uint64_t v;

	switch (opt) {
	case 'a': case 'p': case 't': case 'C': case OPT_CGROUP:
		return target_option(c, opt, opt == 'a' ? NULL : arg);
	case 'o':
		if (!arg[0]) {
			fprintf(stderr, "kvas record: --output takes a file name, not ''\n");
			return -1;
		}
		c->output = arg;
		c->explicit_output = true;
		return 0;
	case OPT_FORCE: c->force = true; return 0;
	case 'e': return cli_events(&record_cli, arg, &c->ev.record_mask);
	case 'c':
		if (cli_u64(&record_cli, "-c, --count", arg, 1, 1 << 30, &v))
			return -1;
		c->ev.sample_every = (uint32_t)v;
		return 0;
	case 'F': return cli_u64(&record_cli, "-F, --freq", arg, 1, 1 << 30, &c->ev.rate);
	case 'g': c->ev.stacks = true; return 0;
	case OPT_BUFFER_SIZE: return cli_buffer_size(&record_cli, arg, &c->ev.ringbuf_bytes);
	}
	return -1;
}

/* args joined by spaces into buf, cut to fit. */
static void join(char *buf, size_t len, const char *first, char **args, int n)
{
	size_t at = snprintf(buf, len, "%s", first);

	for (int i = 0; i < n && at < len; i++)
		at += snprintf(buf + at, len - at, "%s%s", at ? " " : "", args[i]);
}

/* What follows "--" is the command: cut it off before the options are parsed. */
static int split_command(struct record_cfg *c, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--"))
			continue;
		if (i + 1 == argc) {
			fprintf(stderr, "kvas record: no command after '--'\n");
			return -1;
		}
		c->command = &argv[i + 1];
		return i;
	}
	return argc;
}

int cmd_record(int argc, char **argv)
{
	struct record_cfg cfg = {
		.ev = {
			.sample_every = 1,
			.record_mask = VM_MASK(VM_FAULT_USER) | VM_MASK(VM_FAULT_KERNEL) |
				       VM_MASK(VM_TLB_FLUSH),
		},
		.output = RECORD_DEFAULT_FILE,
	};
	struct cli_opts o = { 0 };
	int n = split_command(&cfg, argc, argv), st = EXIT_USAGE;
	char why[300], command[256];

	join(cfg.cmdline, sizeof(cfg.cmdline), "kvas", argv, argc);
	if (n >= 0)
		st = cli_parse(&record_cli, n, argv, &o, &cfg);
	if (st == CLI_GO && cfg.command) {
		join(command, sizeof(command), "--", cfg.command, argc - n - 1);
		st = one_target(&cfg, command) ? EXIT_USAGE : CLI_GO;
		cfg.ev.follow = true;
	}
	if (st == CLI_GO && !cfg.target[0])
		snprintf(cfg.target, sizeof(cfg.target), "-a");
	/* a file that would be lost is said before anything starts */
	if (st == CLI_GO && record_file_check(cfg.output, cfg.explicit_output, cfg.force, why,
					      sizeof(why))) {
		fprintf(stderr, "kvas record: %s\n", why);
		st = EXIT_USAGE;
	}
	if (st == CLI_GO)
		st = cli_start(&record_cli, &o);
	return st == CLI_GO ? record_run(&cfg, &o) : st;
}
