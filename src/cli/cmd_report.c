// SPDX-License-Identifier: GPL-2.0
/* kvas report: what a kvas.data recording holds, as perf report --stdio says it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "kvas_data.h"
#include "options.h"
#include "report.h"

#define DEFAULT_INPUT "kvas.data"
#define DEFAULT_SORT "kind,pid,region"
#define HISTOGRAM_BUCKETS 20

static const char report_usage[] =
"Usage: kvas report [OPTIONS]\n"
"\n"
"What a recording of kvas record holds, as perf report --stdio says it:\n"
"what was recorded, when and where; events by process, thread, container,\n"
"memory region, page size, fault error class, TLB reason and symbol, with\n"
"percentages; the hottest call chains (recorded with -g), leaf first, a\n"
"chain cut short by missing frame pointers marked as such; the hottest\n"
"pages; and the events over time. Everything comes from the file: the\n"
"report needs no root, loads nothing into the kernel, and says the same\n"
"on another machine after the recorded programs are gone.\n"
"\n"
"Options:\n"
"  -i, --input FILE      the recording to read (default kvas.data), as perf\n"
"                        report's -i; a file cut short (kvas record killed,\n"
"                        a full disk) is reported with a warning\n"
"      --sort KEYS       the main table's keys, comma-separated: pid, tid,\n"
"                        comm, container, region, page-size, class, reason,\n"
"                        sym, kind (default kind,pid,region)\n"
"      --rows N          rows of each table, chains and pages (default 10)\n"
"  -j, --json            one JSON document\n"
"  -v, --verbose         accepted for symmetry; the report loads no BPF\n"
"  -h, --help            this text\n"
"\n"
"A file that is missing, unreadable, not a kvas.data file, from a newer\n"
"kvas, or corrupt is one line naming it and why (exit 1).\n"
"\n"
"Examples:\n"
"  kvas report\n"
"  kvas report -i faults.data --sort pid,sym --rows 20\n"
"  kvas report --sort container,region\n"
"  kvas report --json | jq '.chains.rows[0]'\n";

enum { OPT_SORT = OPT_LONG_ONLY_END };

static const struct option report_long[] = {
	{ "input", required_argument, NULL, 'i' },
	{ "sort", required_argument, NULL, OPT_SORT },
	{ "rows", required_argument, NULL, OPT_ROWS },
	/* --folded, --flamegraph FILE and --perfetto FILE go here (report_outputs.h) */
	{ 0 },
};

struct report_cfg {
	const char *input;
	struct report_opts opts;
};

static int report_option(void *cfg, int opt, const char *arg);

static const struct cli_command report_cli = {
	"report", report_usage, CLI_JSON, "i:", report_long, NULL, report_option, 0,
};

static int report_option(void *cfg, int opt, const char *arg)
{
	struct report_cfg *c = cfg;
	char bad[64];
	uint64_t v;

	switch (opt) {
	case 'i':
		if (!arg[0]) {
			fprintf(stderr, "kvas report: --input takes a file name, not ''\n");
			return -1;
		}
		c->input = arg;
		return 0;
	case OPT_SORT:
		if (!report_parse_sort(arg, &c->opts, bad, sizeof(bad)))
			return 0;
		fprintf(stderr, "kvas report: --sort: '%s' is no key, or a key twice (pid, tid, comm,"
			" container, region, page-size, class, reason, sym, kind)\n", bad);
		return -1;
	case OPT_ROWS:
		if (cli_u64(&report_cli, "--rows", arg, 1, 1000000, &v))
			return -1;
		c->opts.rows = (unsigned int)v;
		return 0;
	}
	return -1;
}

/* The recording at path into r: 0 whole, 1 cut short (why says), or -1 after the error line. */
static int read_recording(const char *path, struct recording *r, char *why, size_t len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	int ret;

	if (!f) {
		fprintf(stderr, "kvas report: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!fstat(fileno(f), &st) && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "kvas report: %s: %s\n", path, strerror(EISDIR));
		fclose(f);
		return -1;
	}
	ret = kd_read(f, r, why, len);
	fclose(f);
	if (ret < 0)
		fprintf(stderr, "kvas report: %s: %s\n", path, why);
	else if (ret > 0)
		fprintf(stderr, "kvas report: %s: %s: reporting what it holds\n", path, why);
	return ret;
}

static int report_run(const struct report_cfg *cfg, const struct cli_opts *o)
{
	struct report_opts opts = cfg->opts;
	struct recording r = { 0 };
	struct report rep;
	char why[256];
	int ret = read_recording(cfg->input, &r, why, sizeof(why));

	if (ret < 0) {
		recording_free(&r);
		return EXIT_RUNTIME;
	}
	opts.cut_short = ret > 0 ? why : NULL;
	if (report_build(&r, &opts, &rep)) {
		fprintf(stderr, "kvas report: %s: %s\n", cfg->input, strerror(ENOMEM));
		recording_free(&r);
		return EXIT_RUNTIME;
	}
	/* a write error (a full disk, a closed pipe) is named by stdout_finish */
	if (o->json)
		report_print_json(&rep, stdout);
	else
		report_print_text(&rep, stdout);
	report_free(&rep);
	recording_free(&r);
	return EXIT_OK;
}

int cmd_report(int argc, char **argv)
{
	struct report_cfg cfg = {
		.input = DEFAULT_INPUT,
		.opts = { .rows = 10, .buckets = HISTOGRAM_BUCKETS },
	};
	struct cli_opts o = { 0 };
	char bad[8];
	int st;

	report_parse_sort(DEFAULT_SORT, &cfg.opts, bad, sizeof(bad));
	st = cli_parse(&report_cli, argc, argv, &o, &cfg);
	/* no cli_start: the report needs no privilege and loads no BPF */
	return st == CLI_GO ? report_run(&cfg, &o) : st;
}
