// SPDX-License-Identifier: GPL-2.0
/* kvas report: what a kvas.data recording holds, as perf report --stdio says it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "kvas_data.h"
#include "options.h"
#include "outfile.h"
#include "report.h"
#include "report_outputs.h"

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
"      --folded          folded stacks instead of the report: one line per call\n"
"                        chain, root first, and its count (flamegraph.pl,\n"
"                        inferno, speedscope read it)\n"
"      --flamegraph FILE a flame graph of the events by call chain, as an SVG\n"
"                        that needs no script (open it in a browser)\n"
"      --perfetto FILE   a Perfetto trace (ui.perfetto.dev): a track per\n"
"                        process and thread, faults/s and flushes/s counters,\n"
"                        an instant per event with its addresses\n"
"      --force           let --flamegraph and --perfetto replace a file\n"
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
"  kvas report --json | jq '.chains.rows[0]'\n"
"  kvas report --folded > faults.folded\n"
"  kvas report --flamegraph faults.svg --perfetto faults.pftrace\n";

enum { OPT_SORT = OPT_LONG_ONLY_END, OPT_FOLDED, OPT_FLAMEGRAPH, OPT_PERFETTO };

static const struct option report_long[] = {
	{ "input", required_argument, NULL, 'i' },
	{ "sort", required_argument, NULL, OPT_SORT },
	{ "rows", required_argument, NULL, OPT_ROWS },
	{ "folded", no_argument, NULL, OPT_FOLDED },
	{ "flamegraph", required_argument, NULL, OPT_FLAMEGRAPH },
	{ "perfetto", required_argument, NULL, OPT_PERFETTO },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ 0 },
};

struct report_cfg {
	const char *input;
	struct report_opts opts;
	bool folded, force;
	const char *flamegraph, *perfetto;	/* files to write; NULL: none */
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
	case OPT_FOLDED: c->folded = true; return 0;
	case OPT_FORCE: c->force = true; return 0;
	case OPT_FLAMEGRAPH:
	case OPT_PERFETTO:
		if (!arg[0]) {
			fprintf(stderr, "kvas report: --%s takes a file name, not ''\n",
				opt == OPT_FLAMEGRAPH ? "flamegraph" : "perfetto");
			return -1;
		}
		*(opt == OPT_FLAMEGRAPH ? &c->flamegraph : &c->perfetto) = arg;
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

/* The files asked for, checked and opened before the recording is read. */
struct report_files {
	struct outfile flamegraph, perfetto;
	bool flamegraph_open, perfetto_open;
};

static int open_file(struct outfile *of, const char *path, bool force, bool *opened)
{
	char why[PATH_MAX + 64];

	if (!path)
		return 0;
	if (outfile_open(of, path, force, why, sizeof(why))) {
		fprintf(stderr, "kvas report: %s\n", why);
		return -1;
	}
	*opened = true;
	return 0;
}

/* Close the files: kept (renamed into place) when written whole; 0, or -1 after a line. */
static int close_files(struct report_files *f, bool keep)
{
	int ret = 0;

	if (f->flamegraph_open && outfile_finish(&f->flamegraph, keep, "report"))
		ret = -1;
	if (f->perfetto_open && outfile_finish(&f->perfetto, keep, "report"))
		ret = -1;
	return ret;
}

/* Write the files: 0, or -1 after one line naming the file and the error. */
static int write_files(const struct report_cfg *cfg, struct report_files *f,
		       const struct recording *r)
{
	char title[PATH_MAX + 64];
	int err;

	if (f->flamegraph_open) {
		snprintf(title, sizeof(title), "kvas: events by call chain (%s)", cfg->input);
		err = report_flamegraph_svg(r, title, f->flamegraph.out);
		if (err) {
			fprintf(stderr, "kvas report: %s: %s\n", cfg->flamegraph, strerror(-err));
			return -1;
		}
	}
	if (f->perfetto_open) {
		err = report_perfetto(r, f->perfetto.out);
		if (err) {
			fprintf(stderr, "kvas report: %s: %s\n", cfg->perfetto, strerror(-err));
			return -1;
		}
	}
	return 0;
}

static int report_print(const struct report_cfg *cfg, const struct cli_opts *o,
			const struct recording *r, const char *cut_short)
{
	struct report_opts opts = cfg->opts;
	struct report rep;
	int err;

	if (cfg->folded) {
		err = report_folded(r, stdout);
		if (err && err != -EPIPE)
			fprintf(stderr, "kvas report: folded stacks: %s\n", strerror(-err));
		return err ? -1 : 0;
	}
	/* with files to write and no --json, the files are the output */
	if (!o->json && (cfg->flamegraph || cfg->perfetto))
		return 0;
	opts.cut_short = cut_short;
	if (report_build(r, &opts, &rep)) {
		fprintf(stderr, "kvas report: %s: %s\n", cfg->input, strerror(ENOMEM));
		return -1;
	}
	/* a write error (a full disk, a closed pipe) is named by stdout_finish */
	if (o->json)
		report_print_json(&rep, stdout);
	else
		report_print_text(&rep, stdout);
	report_free(&rep);
	return 0;
}

static int report_run(const struct report_cfg *cfg, const struct cli_opts *o)
{
	struct report_files files = { 0 };
	struct recording r = { 0 };
	bool cut_short;
	char why[256];
	int ret;

	if (open_file(&files.flamegraph, cfg->flamegraph, cfg->force, &files.flamegraph_open) ||
	    open_file(&files.perfetto, cfg->perfetto, cfg->force, &files.perfetto_open)) {
		close_files(&files, false);
		return EXIT_USAGE;
	}
	ret = read_recording(cfg->input, &r, why, sizeof(why));
	cut_short = ret > 0;
	if (ret >= 0)
		ret = write_files(cfg, &files, &r);
	if (close_files(&files, ret >= 0) && ret >= 0)
		ret = -1;
	if (ret >= 0)
		ret = report_print(cfg, o, &r, cut_short ? why : NULL);
	recording_free(&r);
	return ret < 0 ? EXIT_RUNTIME : EXIT_OK;
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
	if (st == CLI_GO && cfg.folded && o.json) {
		fprintf(stderr, "kvas report: --folded and --json do not go together\n");
		return EXIT_USAGE;
	}
	if (st == CLI_GO && cfg.flamegraph && cfg.perfetto && !strcmp(cfg.flamegraph, cfg.perfetto)) {
		fprintf(stderr, "kvas report: --flamegraph and --perfetto name the same file\n");
		return EXIT_USAGE;
	}
	/* no cli_start: the report needs no privilege and loads no BPF */
	return st == CLI_GO ? report_run(&cfg, &o) : st;
}
