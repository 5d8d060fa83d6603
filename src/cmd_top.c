// SPDX-License-Identifier: GPL-2.0
/* kvas top: page faults and TLB flushes per second, per process and cgroup. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "json_util.h"
#include "live.h"
#include "top_report.h"

/* 1 fault in this many per CPU is translated for the "recent" panel. */
#define TOP_TRANSLATE_EVERY 256

static const char top_usage[] =
"Usage: kvas top [OPTIONS]\n"
"\n"
"Page faults and TLB flushes, live: per second, by error class, kernel\n"
"faults by region, TLB flushes by reason and size, the processes and\n"
"containers (cgroups) that cause them, the direct map's page sizes and\n"
"splits, and recent faults translated to physical pages once resolved.\n"
"Counting happens in the kernel; events lost are always shown.\n"
"\n"
"Options:\n"
"  -i, --interval SECONDS  refresh interval (default 1)\n"
"  -d, --duration SECONDS  stop after this long (default: until q or Ctrl-C)\n"
"  -b, --by pid|comm|cgroup  what a row of the process table is (default pid)\n"
"  -n, --rows N            rows in the process table (default 10)\n"
"  -m, --max-processes N   processes tracked in the kernel (LRU, default 16384)\n"
"  -j, --json              one JSON object per interval (JSON Lines)\n"
"  -v, --verbose           show libbpf's messages\n"
"  -h, --help              this text\n"
"\n"
"On a terminal the screen refreshes; otherwise one block per interval.\n"
"\n"
"Examples:\n"
"  sudo kvas top\n"
"  sudo kvas top --by cgroup -i 5\n"
"  sudo kvas top --json -d 10 > faults.jsonl\n";

static int parse_count(const char *s, long max)
{
	char *end;
	long v = strtol(s, &end, 10);

	return *end || end == s || v <= 0 || v > max ? -1 : (int)v;
}

/* Print one interval; false when stdout is gone (closed pipe). */
static bool show(const struct top_report *r, bool json, bool screen)
{
	if (json) {
		json_t *o = top_report_json(r);
		int err = json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);

		json_decref(o);
		if (err || fputc('\n', stdout) == EOF)
			return false;
	} else {
		if (screen)
			fputs("\033[H\033[2J", stdout);
		top_report_text(r, stdout);
		if (!screen)
			fputs("\n", stdout);
	}
	return fflush(stdout) == 0;
}

int cmd_top(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "duration", required_argument, NULL, 'd' },
		{ "by", required_argument, NULL, 'b' },
		{ "rows", required_argument, NULL, 'n' },
		{ "max-processes", required_argument, NULL, 'm' },
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct vmevents_config cfg = {
		.aggregate = true, .translate_every = TOP_TRANSLATE_EVERY,
		.record_mask = VM_MASK(VM_FAULT_USER) | VM_MASK(VM_FAULT_KERNEL) |
			       VM_MASK(VM_TLB_FLUSH),
		.max_tasks = 16384,
	};
	double interval = 1, duration = 0, started;
	int rows = 10, c, status = EXIT_RUNTIME;
	bool json = false, verbose = false, screen;
	enum top_by by = TOP_BY_PID;
	struct top_snapshot prev = { 0 }, cur = { 0 };
	struct translator tr = { 0 };
	struct cgroup_cache cc = { 0 };
	struct vmevents ev = { 0 };
	struct discovery *d = NULL;
	char why[200];

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "i:d:b:n:m:jvh", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
		case 'd':
			if (parse_seconds(optarg) < 0) {
				fprintf(stderr, "kvas top: invalid %s '%s': seconds, more than 0\n",
					c == 'i' ? "interval" : "duration", optarg);
				return EXIT_USAGE;
			}
			*(c == 'i' ? &interval : &duration) = parse_seconds(optarg);
			break;
		case 'b':
			if (!strcmp(optarg, "pid"))
				by = TOP_BY_PID;
			else if (!strcmp(optarg, "comm"))
				by = TOP_BY_COMM;
			else if (!strcmp(optarg, "cgroup"))
				by = TOP_BY_CGROUP;
			else {
				fprintf(stderr, "kvas top: --by takes pid, comm or cgroup, not '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'n':
		case 'm':
			if (parse_count(optarg, c == 'n' ? 1000 : 1 << 22) < 0) {
				fprintf(stderr, "kvas top: invalid count '%s'\n", optarg);
				return EXIT_USAGE;
			}
			if (c == 'n')
				rows = parse_count(optarg, 1000);
			else
				cfg.max_tasks = parse_count(optarg, 1 << 22);
			break;
		case 'j': json = true; break;
		case 'v': verbose = true; break;
		case 'h': fputs(top_usage, stdout); return EXIT_OK;
		default:
			usage_bad_option("top", argc, argv);
			return EXIT_USAGE;
		}
	}
	if ((c = options_done("top", argc, argv, verbose)) >= 0)
		return c;
	live_signals();

	d = live_layout(&tr, "top");
	if (!d)
		goto cleanup;
	cgroup_cache_init(&cc);
	if (vmevents_open(&ev, &cfg, &tr.ctx, why, sizeof(why))) {
		fprintf(stderr, "kvas top: %s\n", why);
		goto cleanup;
	}
	screen = !json && isatty(STDOUT_FILENO);
	if (screen)
		live_keys_raw();
	if (top_snapshot_take(&ev, &prev)) {
		fprintf(stderr, "kvas top: cannot read the BPF maps\n");
		goto cleanup;
	}
	started = prev.time;
	status = EXIT_OK;
	while (!live_stop) {
		struct top_report r = { .raw_tp = ev.raw_tp };

		memcpy(r.parts, ev.parts, sizeof(r.parts));
		double wait = interval;

		if (duration && started + duration - prev.time < wait)
			wait = started + duration - prev.time;
		if (wait > 0 && live_wait((int)(wait * 1000)))
			break;
		if (top_snapshot_take(&ev, &cur))
			break;
		top_report_build(&r, &prev, &cur, by, rows, &cc);
		top_report_recent(&r, &ev, &cur, tr.ctx.page_offset_base);
		if (!show(&r, json, screen))
			live_stop = 1;	/* the reader went away: a clean end */
		top_report_free(&r);
		top_snapshot_free(&prev);
		prev = cur;
		memset(&cur, 0, sizeof(cur));
		if (duration && prev.time - started >= duration - 1e-3)
			break;
	}
cleanup:
	live_keys_restore();
	top_snapshot_free(&prev);
	top_snapshot_free(&cur);
	vmevents_close(&ev);
	cgroup_cache_free(&cc);
	live_release(&tr, d);
	return status;
}
