// SPDX-License-Identifier: GPL-2.0
/* One look at the direct map: its counters, then a walk of its tables. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "dmap_report.h"
#include "translate_run.h"
#include "x86_layout.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void dmap_facts_init(struct dmap_facts *f, const struct iomem *io,
		     const struct translate_ctx *ctx)
{
	uint64_t ram_end = io->nr_ram ? io->ram[io->nr_ram - 1].end + 1 : 0;

	f->io = io;
	f->ctx = ctx;
	f->walk_start = ctx->page_offset_base;
	/* to the 1 GiB boundary past the last RAM: the last entry the walk reads */
	f->walk_end = f->walk_start + ((ram_end + GB - 1) & ~(GB - 1));
}

int dmap_look_take(struct dmap_look *l, const struct translator *tr,
		   const struct dmap_facts *f)
{
	struct dmap_walk_params p = {
		.pgd = tr->kernel_pgd,
		.page_offset_base = tr->ctx.page_offset_base,
		.pa_mask = tr->ctx.pa_mask,
		.levels = tr->ctx.levels,
		.start = f->walk_start,
		.end = f->walk_end,
	};
	double t0;

	memset(l, 0, sizeof(*l));
	direct_map_stats_read(&l->stats);
	t0 = now_s();
	l->walk_err = dmap_walk(&p, &l->runs, &l->chunks);
	l->time = now_s();
	l->walk_ms = (l->time - t0) * 1000;
	if (l->walk_err && l->walk_err != -EFAULT)
		return l->walk_err;
	dmap_summarize(&l->runs, p.page_offset_base, f->io, &l->sum);
	dmap_agree(&l->sum, &l->stats, &l->agree);
	return 0;
}
