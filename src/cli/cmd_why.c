// SPDX-License-Identifier: GPL-2.0
/* kvas why: what the direct map buys on this machine, measured. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuid_read.h"
#include "dmap_report.h"
#include "dmap_changes.h"
#include "json_util.h"
#include "options.h"
#include "tlb_measure.h"
#include "watch.h"
#include "why_read.h"
#include "why_report.h"
#include "why_walk.h"

#define WHY_REPEATS 5

static const char why_usage[] =
"Usage: kvas why [OPTIONS]\n"
"\n"
"What the direct map (the kernel's linear map of all physical memory)\n"
"buys on this machine, each figure with its source: the data TLBs CPUID\n"
"reports and their reach; the direct map's page-size mix (kvas dmap's\n"
"walk, set against DirectMap* in /proc/meminfo) and the TLB entries it\n"
"takes, and would take with 4K pages; measured, a TLB-missing random read\n"
"on 4K, 2M (THP) and 1G (hugetlb, where pages are already free) pages, and\n"
"in the kernel a physical address made a pointer by one addition against\n"
"a walk of the page tables; what the kernel reaches only through it\n"
"(/proc/meminfo), what is out of it now and what could take more out;\n"
"the splits since boot; and a verdict from those numbers.\n"
"\n"
"The measurement takes a few seconds and up to three buffers of at most\n"
"256 MiB each (fewer where memory is short).\n"
"\n"
"Options:\n"
"      --no-measure        skip the measurements (reads and the kernel's walk)\n"
"  -j, --json              JSON\n"
"  -v, --verbose           show libbpf's messages\n"
"  -h, --help              this text\n"
"\n"
"Examples:\n"
"  sudo kvas why\n"
"  sudo kvas why --no-measure --json | jq .tlb\n"
"  sudo kvas why --json | jq .measured.random_read_ns\n";

enum { OPT_NO_MEASURE = OPT_LONG_ONLY_END };

struct why_cfg {
	bool measure;
};

static int why_option(void *cfg, int opt, const char *arg)
{
	(void)arg;
	if (opt != OPT_NO_MEASURE)
		return -1;
	((struct why_cfg *)cfg)->measure = false;
	return 0;
}

static const struct option why_long[] = {
	{ "no-measure", no_argument, NULL, OPT_NO_MEASURE },
	{ 0 },
};

static const struct cli_command why_cli = {
	.name = "why", .usage = why_usage, .common = CLI_JSON,
	.own_long = why_long, .option = why_option,
};

/* 1. The TLBs, from user space's CPUID; the kernel's view compared. */
static void read_tlb(struct why_report *r)
{
	struct cpuid_view v;
	int err = cpuid_view_read(&v);

	if (err) {
		snprintf(r->cpuid_shown, sizeof(r->cpuid_shown), "CPUID could not be run: %s",
			 strerror(-err));
		return;
	}
	for (int i = 0; i < v.nr; i++)
		tlb_decode(&v.user[i], &r->tlb);
	r->hypervisor = v.hypervisor;
	r->cpuid_have_dev = v.have_dev;
	r->cpuid_differs = v.differs;
	snprintf(r->cpuid_dev_why, sizeof(r->cpuid_dev_why), "%s", v.dev_why);
	snprintf(r->cpuid_shown, sizeof(r->cpuid_shown), "CPUID as kvas executes it%s",
		 v.nr > 1 ? " on one CPU of each core type" : "");
}

/* 2, 4, 5: kvas dmap's walk, its judgement against DirectMap*, its holes and splits. */
static int read_dmap(struct why_report *r, struct translator *tr, struct discovery *d)
{
	struct dmap_facts facts = { 0 };
	struct dmap_look look = { 0 };
	struct dmap_changes dc = { 0 };
	int err = dmap_facts_init(&facts, &d->iomem, &tr->ctx);

	r->levels = tr->ctx.levels;
	r->page_offset_base = tr->ctx.page_offset_base;
	if (err)
		return err;
	err = dmap_look_take(&look, tr, &facts);
	if (!err && !look.walk_err) {
		r->have_walk = true;
		for (int p = 0; p < WHY_NR_PAGES; p++)
			r->walk_bytes[p] = look.sum.present[p];
		r->removed_bytes = look.sum.removed_4k;
		r->unmapped_ram = look.sum.unmapped_ram;
		r->agreement_kind = dmap_verdict_name(look.verdict.kind);
		snprintf(r->agreement, sizeof(r->agreement), "%s", look.verdict.text);
	}
	if (!look.stats_err) {
		r->have_meminfo_sizes = look.stats.have_sizes;
		r->meminfo_bytes[WHY_4K] = look.stats.kb_4k * 1024;
		r->meminfo_bytes[WHY_2M] = look.stats.kb_2m * 1024;
		r->meminfo_bytes[WHY_1G] = look.stats.kb_1g * 1024;
		r->have_splits = look.stats.have_splits;
		r->have_collapses = look.stats.have_collapses;
		r->level2_splits = look.stats.level2_splits;
		r->level3_splits = look.stats.level3_splits;
		r->level2_collapses = look.stats.level2_collapses;
		r->level3_collapses = look.stats.level3_collapses;
	}
	/* only whether `kvas dmap -i` could attribute: nothing stays attached */
	if (!dmap_changes_open(&dc, &d->kconfig, r->attribution_why, sizeof(r->attribution_why)))
		r->attribution = dc.method;
	dmap_changes_close(&dc);
	dmap_look_free(&look);
	dmap_facts_release(&facts);
	return err;
}

static int why_run(const struct why_cfg *cfg, const struct cli_opts *o)
{
	struct why_report *r = calloc(1, sizeof(*r));
	struct translator tr = { 0 };
	struct discovery *d;
	int status = EXIT_RUNTIME;

	if (!r) {
		fprintf(stderr, "kvas why: out of memory\n");
		return EXIT_RUNTIME;
	}
	d = live_layout(&tr, "why");
	if (!d)
		goto out;
	read_tlb(r);
	if (read_dmap(r, &tr, d))
		fprintf(stderr, "kvas why: the direct map could not be walked\n");
	if (why_kinds_read(r, &d->kconfig))
		fprintf(stderr, "kvas why: /proc/meminfo could not be read\n");
	why_removal_probe(r, &d->kconfig);
	if (cfg->measure) {
		r->m.buffer_bytes = tlb_measure_buffer_bytes(&r->tlb);
		tlb_measure(&r->m, WHY_REPEATS);
		why_walk_measure(&tr.ctx, tr.kernel_pgd, &d->iomem, WHY_REPEATS, &r->m);
	}
	if (o->json) {
		if (json_emit(why_report_json(r), stdout))
			goto out;
	} else {
		why_report_text(r, stdout);
	}
	status = fflush(stdout) ? EXIT_RUNTIME : EXIT_OK;
out:
	live_release(&tr, d);
	free(r);
	return status;
}

int cmd_why(int argc, char **argv)
{
	struct why_cfg cfg = { .measure = true };
	struct cli_opts o = { 0 };
	int st = cli_parse(&why_cli, argc, argv, &o, &cfg);

	if (st == CLI_GO)
		st = cli_start(&why_cli, &o);
	return st == CLI_GO ? why_run(&cfg, &o) : st;
}
