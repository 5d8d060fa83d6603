// SPDX-License-Identifier: GPL-2.0
/* kvas top: page faults and TLB flushes per second, per process and cgroup. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container_filter.h"
#include "json_util.h"
#include "watch.h"
#include "options.h"
#include "terminal.h"
#include "remote_flush_host.h"
#include "top_snapshot.h"

/* 1 fault in this many per CPU is translated for the "recent" panel. */
#define TOP_TRANSLATE_EVERY 256
/* Percent of each interval the user-mode fault program runs, by default. */
#define TOP_DETAIL_PERCENT 10

static const char top_usage[] =
"Usage: kvas top [OPTIONS]\n"
"\n"
"Page faults and TLB flushes, live: per second, per process and container\n"
"(cgroup); kernel-mode faults by region and error class; TLB flushes by\n"
"reason and size; the direct map's page sizes and splits; and recent\n"
"faults translated to physical pages once resolved.\n"
"\n"
"The faults per process are the kernel's own counts (minor and major),\n"
"read each interval: counting them costs the faulting work nothing.\n"
"Kernel-mode faults and TLB flushes are counted one by one, in the kernel.\n"
"User-mode faults are watched one by one for --detail percent of each\n"
"interval, at a random moment: their error classes and the translations\n"
"come from that window, and say so.\n"
"\n"
"Options:\n"
"  -i, --interval SECONDS  refresh interval (default 1, at least 0.1; a\n"
"                          refresh that takes longer is said on stderr)\n"
"  -d, --duration SECONDS  stop after this long (default: until q or Ctrl-C)\n"
"  -n, --intervals N       stop after N intervals (procps top's -n)\n"
"  -b, --by pid|comm|cgroup|container  what a row of the process table is\n"
"                          (default pid; container: runtime, short id, pod)\n"
"      --rows N            rows in the process table (default 10)\n"
"  -m, --max-processes N   processes tracked in the kernel for kernel faults\n"
"                          and TLB flushes (LRU, default 16384)\n"
"  -D, --detail PERCENT    watch user-mode faults one by one this share of\n"
"                          each interval (0-100, default 10; 100 costs every\n"
"                          user fault about 50 ns, 0 never watches them)\n"
"  -C, --container ID      only these containers: a full id or a prefix of at\n"
"                          least 4 hex digits; repeat it or give a comma list.\n"
"                          Containers started later are counted too.\n"
"  -j, --json              one JSON object per interval (JSON Lines)\n"
"  -v, --verbose           show libbpf's messages\n"
"  -h, --help              this text\n"
"\n"
"On a terminal the screen refreshes (the alternate screen, clipped to the\n"
"window, redrawn when it is resized; q quits); otherwise, or when TERM is\n"
"dumb or unknown, one block per interval, with no escape sequences.\n"
"\n"
"Examples:\n"
"  sudo kvas top\n"
"  sudo kvas top --by cgroup -i 5\n"
"  sudo kvas top --by container\n"
"  sudo kvas top --detail 100\n"
"  sudo kvas top --container 4f1c2d3e --by pid\n"
"  sudo kvas top --json -d 10 > faults.jsonl\n"
"  sudo kvas top -n 2 --rows 20\n";

struct top_cfg {
	enum top_by by;
	uint64_t rows;
	uint64_t detail;		/* percent of each interval */
	struct vm_count_config ev;
	struct container_filter filter;
	struct remote_flush_host host;	/* read before the attach */
};

static int top_option(void *cfg, int opt, const char *arg);

static const struct option top_long[] = {
	{ "by", required_argument, NULL, 'b' },
	{ "rows", required_argument, NULL, OPT_ROWS },
	{ "max-processes", required_argument, NULL, 'm' },
	{ "container", required_argument, NULL, 'C' },
	{ "detail", required_argument, NULL, 'D' },
	{ 0 },
};

static const struct cli_command top_cli = {
	"top", top_usage, CLI_INTERVAL | CLI_DURATION | CLI_INTERVALS | CLI_JSON, "b:m:C:D:",
	top_long, NULL, top_option, CLI_MIN_REFRESH,
};

static int top_option(void *cfg, int opt, const char *arg)
{
	static const char *const by_names[] = {
		[TOP_BY_PID] = "pid", [TOP_BY_COMM] = "comm", [TOP_BY_CGROUP] = "cgroup",
		[TOP_BY_CONTAINER] = "container",
	};
	struct top_cfg *c = cfg;
	uint64_t v;

	switch (opt) {
	case 'b':
		for (size_t i = 0; i < sizeof(by_names) / sizeof(by_names[0]); i++) {
			if (!strcmp(arg, by_names[i])) {
				c->by = i;
				return 0;
			}
		}
		fprintf(stderr, "kvas top: --by takes pid, comm, cgroup or container, not '%s'\n", arg);
		return -1;
	case OPT_ROWS:
		return cli_u64(&top_cli, "--rows", arg, 1, 1000, &c->rows);
	case 'm':
		if (cli_u64(&top_cli, "-m, --max-processes", arg, 1, 1 << 22, &v))
			return -1;
		c->ev.max_tasks = v;
		return 0;
	case 'D':
		return cli_u64(&top_cli, "-D, --detail", arg, 0, 100, &c->detail);
	case 'C':
		return cli_containers(&top_cli, arg, &c->filter.prefixes, &c->ev.filter_containers);
	}
	return -1;
}

/* A screen drawn from what print writes: clipped to the window, redrawn on a resize. */
static bool draw_screen(void (*print)(const void *what, FILE *out), const void *what)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	bool ok;

	if (!f)
		return false;
	print(what, f);
	ok = !fclose(f) && term_draw(text, len);
	free(text);
	return ok;
}

static void print_report(const void *r, FILE *out)
{
	top_report_text(r, out);
}

static void print_start(const void *st, FILE *out)
{
	top_start_text(st, out);
}

/* Print one interval; false when stdout took no more (main names why). */
static bool show(const struct top_report *r, bool json, bool screen)
{
	if (json)
		return json_emit_line(top_report_json(r), stdout) == 0;
	if (screen)
		return draw_screen(print_report, r);
	top_report_text(r, stdout);
	fputs("\n", stdout);
	return fflush(stdout) == 0;
}

/* A snapshot of the containers asked for (all without --container). */
static int take(struct vm_count *ev, struct task_faults *tf, struct cgroup_cache *cc,
		struct container_filter *f, struct top_snapshot *s)
{
	int err;

	if (f->prefixes.n)
		container_filter_sync(f, cc, &ev->p);
	err = top_snapshot_take(ev, tf, cc, s);
	if (!err)
		container_filter_snapshot(f, cc, &ev->p, s);
	return err;
}

/*
 * Wait seconds, with the user-mode fault program attached for detail
 * percent of them, at a random moment: a window at a fixed place would line
 * up with periodic work. True when the user asked to stop.
 */
static bool wait_watching(struct vm_count *ev, double seconds, unsigned int detail)
{
	static bool told;
	uint64_t start = monotonic_ns(), span = (uint64_t)(seconds * 1e9);
	uint64_t window = span * detail / 100;
	uint64_t before = (uint64_t)((span - window) * (random() / (double)RAND_MAX));
	bool stop;

	if (detail == 0 || detail == 100)
		return live_wait_until(start + span);
	if (live_wait_until(start + before))
		return true;
	if (vm_count_watch_user_faults(ev, true) && !told) {
		fprintf(stderr, "kvas top: cannot attach the user-mode fault program: no user-mode"
			" detail\n");
		told = true;
	}
	stop = live_wait_until(start + before + window);
	vm_count_watch_user_faults(ev, false);
	return stop || live_wait_until(start + span);
}

/* The intervals, until stopped, the duration is over or the reader left. */
static int top_loop(struct vm_count *ev, struct task_faults *tf, struct cgroup_cache *cc,
		    struct top_cfg *cfg, const struct cli_opts *o, bool screen, double attached)
{
	struct top_snapshot prev, cur = { 0 };
	struct remote_flush_mark mark;
	struct live_pace pace = { .cmd = "top", .interval = o->interval, .quiet = screen };
	uint64_t shown = 0;
	int status = EXIT_OK;
	double started;

	/*
	 * The fault counts were read first when they were opened: the first
	 * interval's are the next read's, whatever the programs read now.
	 */
	if (take(ev, NULL, cc, &cfg->filter, &prev)) {
		fprintf(stderr, "kvas top: cannot read the BPF maps\n");
		return EXIT_RUNTIME;
	}
	started = prev.time;
	/*
	 * A person at a terminal sees at once that top runs and what it already
	 * knows; logs and JSON Lines are records of intervals and wait for one.
	 */
	if (screen) {
		struct top_start st;

		top_start_build(&st, &prev, o->duration && o->duration < o->interval ?
				o->duration : o->interval);
		draw_screen(print_start, &st);
	}
	/* what happened between the attach and that first read is the first interval's */
	top_snapshot_since(&prev, attached);
	/* how remote flushes go is judged from everything seen since */
	remote_flush_mark_of(&mark, &prev);
	while (!live_stop) {
		double wait = o->interval;
		struct top_report r;

		if (o->duration && started + o->duration - prev.time < wait)
			wait = started + o->duration - prev.time;
		if (wait_watching(ev, wait, cfg->detail))
			break;
		live_pace_start(&pace);
		if (take(ev, tf, cc, &cfg->filter, &cur)) {
			fprintf(stderr, "kvas top: cannot read the BPF maps or the fault counts\n");
			status = EXIT_RUNTIME;
			break;
		}
		top_report_build(&r, &prev, &cur, cfg->by, cfg->rows);
		top_report_judge(&r, &cfg->host, &mark, &cur);
		top_report_live_comms(&r);
		if (!show(&r, o->json, screen))
			live_stop = 1;	/* a closed pipe ends quietly, an error not: main */
		live_pace_end(&pace);
		top_report_free(&r);
		top_snapshot_free(&prev);
		prev = cur;
		memset(&cur, 0, sizeof(cur));
		if (o->duration && prev.time - started >= o->duration - 1e-3)
			break;
		if (o->intervals && ++shown >= o->intervals)
			break;
	}
	top_snapshot_free(&prev);
	top_snapshot_free(&cur);
	live_pace_report(&pace);
	return status;
}

static int top_run(struct top_cfg *cfg, const struct cli_opts *o)
{
	struct translator tr = { 0 };
	struct cgroup_cache cc = { 0 };
	struct vm_count ev = { 0 };
	struct task_faults tf = { 0 };
	struct discovery *d;
	int status = EXIT_RUNTIME;
	char why[200];
	double attached;
	bool screen;

	live_signals();
	d = live_layout_quick(&tr, "top");
	if (!d)
		return EXIT_RUNTIME;
	cgroup_cache_init(&cc);
	/*
	 * The fault counts start between the programs' load and their attach:
	 * one moment for both, and once the programs are attached (what a
	 * watcher of kvas sees) every fault since is counted.
	 */
	cfg->ev.before_attach = task_faults_start;
	cfg->ev.before_attach_arg = &tf;
	/* the first window comes at a random moment of the first interval */
	cfg->ev.user_faults_detached = cfg->detail < 100;
	/* how remote flushes go: the probe's requests come before kvas counts */
	remote_flush_host_read(&cfg->host);
	if (vm_count_open(&ev, &cfg->ev, &tr.ctx, why, sizeof(why))) {
		fprintf(stderr, "kvas top: %s\n", why);
		goto cleanup;
	}
	srandom((unsigned int)(monotonic_ns() ^ getpid()));
	/* counting starts here (the attach is a moment before) */
	attached = monotonic_ns() / 1e9;
	if (cfg->filter.prefixes.n && !container_filter_sync(&cfg->filter, &cc, &ev.p))
		fprintf(stderr, "kvas top: no container matches --container yet;"
			" counting from when one starts\n");
	/* plain lines where TERM is dumb or unknown: no escape sequence at all */
	screen = !o->json && term_can_draw();
	if (screen)
		term_screen_open();
	status = top_loop(&ev, &tf, &cc, cfg, o, screen, attached);
cleanup:
	term_restore();
	task_faults_close(&tf);
	vm_count_close(&ev);
	cgroup_cache_free(&cc);
	live_release(&tr, d);
	return status;
}

int cmd_top(int argc, char **argv)
{
	struct top_cfg cfg = {
		.by = TOP_BY_PID, .rows = 10, .detail = TOP_DETAIL_PERCENT,
		.ev = {
			.translate_every = TOP_TRANSLATE_EVERY,
			.record_mask = VM_MASK(VM_FAULT_USER) | VM_MASK(VM_FAULT_KERNEL) |
				       VM_MASK(VM_TLB_FLUSH),
			.max_tasks = 16384,
		},
	};
	struct cli_opts o = { .interval = 1 };
	int st = cli_parse(&top_cli, argc, argv, &o, &cfg);

	if (st == CLI_GO)
		st = cli_start(&top_cli, &o);
	return st == CLI_GO ? top_run(&cfg, &o) : st;
}
