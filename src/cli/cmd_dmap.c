// SPDX-License-Identifier: GPL-2.0
/* kvas dmap: how the direct map is used, once or live. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf_setup.h"
#include "libbpf_log.h"
#include "dmap_changes.h"
#include "dmap_report.h"
#include "json_util.h"
#include "watch.h"
#include "terminal.h"
#include "options.h"
#include "secretmem.h"
#include "vm_stream.h"

static const char dmap_usage[] =
"Usage: kvas dmap [OPTIONS]\n"
"\n"
"How the direct map (the kernel's linear map of all physical memory) is\n"
"used: which physical ranges it maps and which it skips (/proc/iomem),\n"
"its page-size mix from a walk of its page tables in BPF set against\n"
"DirectMap* in /proc/meminfo, where the 4K and 2M pieces are, the splits\n"
"since boot, and whether memfd_secret can take pages out of it.\n"
"\n"
"With -i, live: the counters every interval and each change as it happens,\n"
"with the process and kernel stack that made it (fentry or kprobes on\n"
"__change_page_attr_set_clr and set_direct_map_*, where the kernel has\n"
"them), and kernel accesses that fault inside the direct map.\n"
"\n"
"Options:\n"
"  -i, --interval SECONDS  live: report every SECONDS (at least 0.1; a\n"
"                          refresh that takes longer is said on stderr)\n"
"  -d, --duration SECONDS  live: stop after this long (default: until q or Ctrl-C)\n"
"  -n, --intervals N       live: stop after N intervals\n"
"      --rows N            4K and 2M runs listed in the text report (default 20)\n"
"  -j, --json              JSON (live: JSON Lines, the report then one per interval)\n"
"  -v, --verbose           show libbpf's messages\n"
"  -h, --help              this text\n"
"\n"
"Examples:\n"
"  sudo kvas dmap\n"
"  sudo kvas dmap --json | jq .page_sizes\n"
"  sudo kvas dmap -i 1       # then load a module, or fault in a memfd_secret page\n"
"  sudo kvas dmap -i 5 -n 12 --json > dmap.jsonl\n";

struct dmap_cfg {
	int pieces;		/* 4K and 2M runs the text report lists */
	bool rows_given;
};

static const struct cli_command dmap_cli;

static int dmap_option(void *cfg, int opt, const char *arg)
{
	struct dmap_cfg *c = cfg;
	uint64_t n;

	if (opt != OPT_ROWS || cli_u64(&dmap_cli, "--rows", arg, 0, 1000000, &n))
		return -1;
	c->pieces = (int)n;
	c->rows_given = true;
	return 0;
}

static const struct option dmap_long[] = {
	{ "rows", required_argument, NULL, OPT_ROWS },
	{ 0 },
};

static const struct cli_command dmap_cli = {
	.name = "dmap", .usage = dmap_usage,
	.common = CLI_INTERVAL | CLI_DURATION | CLI_INTERVALS | CLI_JSON,
	.own_long = dmap_long, .option = dmap_option, .min_interval = CLI_MIN_REFRESH,
};

/* What a run holds, from the layout to the events of the current interval. */
struct dmap_run_ctx {
	struct translator tr;
	struct dmap_facts facts;
	struct dmap_changes dc;
	struct dmap_events events;
	struct ksyms ks;
	bool have_ks;
};

/* Indented alone; one line each in the live mode's JSON Lines. */
static bool emit_json(json_t *o, const char *type, bool line)
{
	json_t *root = json_object();

	json_object_set_new(root, "type", json_string(type));
	json_object_update(root, o);
	json_decref(o);
	return (line ? json_emit_line(root, stdout) : json_emit(root, stdout)) == 0;
}

/* The live mode's sources: kernel faults in the direct map, and the changes when attributed. */
static struct ring_buffer *live_open(struct dmap_run_ctx *rc, struct vm_stream *ev)
{
	struct vm_stream_config cfg = {
		.record_mask = VM_MASK(VM_FAULT_KERNEL),
		.kernel_fault_region = FR_DIRECT_MAP + 1, .ringbuf_bytes = 256 * 1024,
	};
	struct ring_buffer *rb;
	char why[200];

	if (vm_stream_open(ev, &cfg, &rc->tr.ctx, why, sizeof(why))) {
		fprintf(stderr, "kvas dmap: %s\n", why);
		return NULL;
	}
	rb = dmap_events_reader(&rc->dc, vm_stream_ringbuf_fd(ev), &rc->events);
	if (!rb)
		fprintf(stderr, "kvas dmap: cannot open the ring buffers: %s\n", strerror(errno));
	return rb;
}

/* Stack frames by name where /proc/kallsyms shows them (kptr_restrict may hide them). */
static void load_ksyms(struct dmap_run_ctx *rc)
{
	FILE *f = fopen("/proc/kallsyms", "re");

	if (f) {
		rc->have_ks = !ksyms_load(&rc->ks, f);
		fclose(f);
	}
}

/*
 * Wait up to seconds or until told to stop, reading the buffers in slices
 * so that a burst does not overflow them. 0, or the ring buffers' error.
 */
static int wait_draining(struct ring_buffer *rb, double seconds)
{
	int n = 0;

	for (double left = seconds; left > 0 && n >= 0; left -= 0.1) {
		if (live_wait(left < 0.1 ? (int)(left * 1000) : 100))
			return 0;
		n = ring_buffer_drain(rb, 0);
	}
	if (n >= 0)
		n = ring_buffer_drain(rb, 0);	/* what came in with the last slice */
	return n < 0 ? n : 0;
}

static bool print_interval(struct dmap_run_ctx *rc, const struct dmap_look *prev,
			   const struct dmap_look *cur, bool json)
{
	const struct ksyms *ks = rc->have_ks ? &rc->ks : NULL;

	if (json)
		return emit_json(dmap_interval_json(&rc->facts, prev, cur, &rc->events, ks),
				 "interval", true);
	dmap_interval_text(&rc->facts, prev, cur, &rc->events, ks, stdout);
	return fflush(stdout) == 0;
}

/* One look per interval, each set against the one before, until stopped. */
static int run_live(struct dmap_run_ctx *rc, struct dmap_look *prev, const struct cli_opts *o)
{
	double started = prev->time;
	struct vm_stream ev = { 0 };
	struct ring_buffer *rb = live_open(rc, &ev);
	struct live_pace pace = { .cmd = "dmap", .interval = o->interval };
	uint64_t shown = 0;
	int status = EXIT_OK, err;

	if (!rb) {
		vm_stream_close(&ev);
		return EXIT_RUNTIME;
	}
	load_ksyms(rc);
	term_keys_raw();
	while (!live_stop) {
		double wait = o->interval;
		struct dmap_look cur;
		bool ok;

		if (o->duration && started + o->duration - prev->time < wait)
			wait = started + o->duration - prev->time;
		err = wait_draining(rb, wait);
		if (err) {
			fprintf(stderr, "kvas dmap: cannot read the ring buffers: %s\n", strerror(-err));
			status = EXIT_RUNTIME;
			break;
		}
		if (live_stop)
			break;
		live_pace_start(&pace);
		if (dmap_look_take(&cur, &rc->tr, &rc->facts)) {
			fprintf(stderr, "kvas dmap: the walk failed\n");
			status = EXIT_RUNTIME;
			break;
		}
		ok = print_interval(rc, prev, &cur, o->json);
		live_pace_end(&pace);
		memset(&rc->events, 0, sizeof(rc->events));
		dmap_look_free(prev);
		*prev = cur;
		if (!ok || (o->duration && prev->time - started >= o->duration - 1e-3))
			break;
		if (o->intervals && ++shown >= o->intervals)
			break;
	}
	term_restore();
	if (dmap_changes_lost(&rc->dc))
		fprintf(stderr, "kvas dmap: %llu changes lost (ring buffer full)\n",
			(unsigned long long)dmap_changes_lost(&rc->dc));
	ring_buffer_close(rb);
	vm_stream_close(&ev);
	return status;
}

/* The walker, and whether attribution and memfd_secret are there: false after saying why not. */
static bool facts_open(struct dmap_run_ctx *rc, struct discovery *d, bool live)
{
	char why[200];
	int err;

	if (!d->iomem.nr_ram) {
		fprintf(stderr, "kvas dmap: /proc/iomem lists no System RAM%s\n",
			d->iomem.censored ? " (its addresses are hidden)" : "");
		return false;
	}
	err = dmap_facts_init(&rc->facts, &d->iomem, &rc->tr.ctx);
	if (err) {
		fprintf(stderr, "kvas dmap: cannot load the direct-map walker: %s\n",
			libbpf_load_failure(err, why, sizeof(why)));
		return false;
	}
	if (!dmap_changes_open(&rc->dc, &d->kconfig, rc->facts.attribution_why,
			       sizeof(rc->facts.attribution_why)))
		rc->facts.attribution = rc->dc.method;
	rc->facts.secretmem = secretmem_available(&d->kconfig, rc->facts.secretmem_why,
						  sizeof(rc->facts.secretmem_why));
	if (!live)
		dmap_changes_close(&rc->dc);	/* it only had to say whether it can */
	return true;
}

static bool print_report(struct dmap_run_ctx *rc, const struct dmap_look *look,
			 const struct dmap_cfg *cfg, const struct cli_opts *o)
{
	if (o->json)
		return emit_json(dmap_report_json(&rc->facts, look), "report", o->interval > 0);
	dmap_report_text(&rc->facts, look, cfg->pieces, stdout);
	if (o->interval)
		fputs("\n", stdout);
	return fflush(stdout) == 0;
}

static int dmap_run(const struct dmap_cfg *cfg, const struct cli_opts *o)
{
	struct dmap_run_ctx *rc = calloc(1, sizeof(*rc));
	struct dmap_look look = { 0 };
	struct discovery *d = NULL;
	int status = EXIT_RUNTIME;

	if (!rc) {
		fprintf(stderr, "kvas dmap: out of memory\n");
		return EXIT_RUNTIME;
	}
	live_signals();
	d = live_layout(&rc->tr, "dmap");
	if (!d || !facts_open(rc, d, o->interval > 0))
		goto out;
	if (dmap_look_take(&look, &rc->tr, &rc->facts)) {
		fprintf(stderr, "kvas dmap: cannot walk the direct map: %s\n",
			strerror(-look.walk_err));
		goto out;
	}
	if (!print_report(rc, &look, cfg, o))
		goto out;
	status = o->interval ? run_live(rc, &look, o) : EXIT_OK;
out:
	if (rc->have_ks)
		ksyms_free(&rc->ks);
	dmap_changes_close(&rc->dc);
	dmap_look_free(&look);
	dmap_facts_release(&rc->facts);
	live_release(&rc->tr, d);
	free(rc);
	return status;
}

int cmd_dmap(int argc, char **argv)
{
	struct dmap_cfg cfg = { .pieces = 20 };
	struct cli_opts o = { 0 };	/* no -i: the report alone */
	int st = cli_parse(&dmap_cli, argc, argv, &o, &cfg);

	if (st == CLI_GO && (o.duration || o.intervals) && !o.interval) {
		fprintf(stderr, "kvas dmap: %s needs -i (it is for the live mode)\n",
			o.duration ? "-d" : "-n");
		st = EXIT_USAGE;
	}
	if (st == CLI_GO && o.json && cfg.rows_given) {
		fprintf(stderr, "kvas dmap: --rows is for the text report; --json lists every run\n");
		st = EXIT_USAGE;
	}
	if (st == CLI_GO)
		st = cli_start(&dmap_cli, &o);
	return st == CLI_GO ? dmap_run(&cfg, &o) : st;
}
