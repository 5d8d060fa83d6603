// SPDX-License-Identifier: GPL-2.0
/* One look at the direct map: its counters, then a walk of its tables. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "dmap_report.h"
#include "dmap_walk.h"
#include "procfs_read.h"
#include "translate_run.h"
#include "x86_layout.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int dmap_facts_init(struct dmap_facts *f, const struct iomem *io,
		    const struct translate_ctx *ctx)
{
	uint64_t ram_end = io->nr_ram ? io->ram[io->nr_ram - 1].end + 1 : 0;

	f->io = io;
	f->ctx = ctx;
	f->walk_start = ctx->page_offset_base;
	/* to the 1 GiB boundary past the last RAM: the last entry the walk reads */
	f->walk_end = f->walk_start + ((ram_end + GB - 1) & ~(GB - 1));
	f->walker = dmap_walker_open(ctx->page_offset_base, ctx->pa_mask, ctx->levels);
	return f->walker ? 0 : -errno;
}

void dmap_facts_release(struct dmap_facts *f)
{
	dmap_walker_close(f->walker);
	f->walker = NULL;
}

/* The counters, a walk, the split counters again: one look, unjudged. */
static int look_once(struct dmap_look *l, const struct translator *tr,
		     const struct dmap_facts *f)
{
	double t0;

	memset(l, 0, sizeof(*l));
	l->stats_err = direct_map_stats_read(&l->stats);
	t0 = now_s();
	l->walk_err = dmap_walk(f->walker, tr->kernel_pgd, f->walk_start, f->walk_end,
				&l->runs, &l->chunks);
	l->time = now_s();
	l->walk_s = l->time - t0;
	/* a split during the walk moves these: the verdict must see it */
	if (!l->stats_err)
		l->stats_err = direct_map_stats_read(&l->after);
	if (l->walk_err && l->walk_err != -EFAULT)
		return l->walk_err;
	dmap_summarize(&l->runs, f->ctx->page_offset_base, f->io, &l->sum);
	dmap_agree(&l->sum, &l->stats, &l->agree);
	return 0;
}

int dmap_look_take(struct dmap_look *l, const struct translator *tr,
		   const struct dmap_facts *f)
{
	struct dmap_look again;
	bool differ;
	int err = look_once(l, tr, f);

	if (err)
		return err;
	/*
	 * A difference is judged from a second look (a walk takes about a
	 * millisecond): a fixed one is bookkeeping, a moving one a race.
	 */
	differ = !l->agree.agrees && !l->walk_err && !l->stats_err && l->agree.have_meminfo;
	err = differ ? look_once(&again, tr, f) : -ENODATA;
	dmap_judge(l, err ? NULL : &again, &l->verdict);
	if (differ)
		dmap_look_free(&again);
	return 0;
}
