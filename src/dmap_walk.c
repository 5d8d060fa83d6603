// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "kernel_btf.h"
#include "libbpf_log.h"
#include "dmap_walk.h"
#include "dmap_walk.skel.h"

static bool continues(const struct dmap_run *last, const struct dmap_run *run)
{
	return last->shift == run->shift && last->flags == run->flags &&
	       last->va + last->bytes == run->va &&
	       (!(run->flags & DMAP_PRESENT) || last->pa + last->bytes == run->pa);
}

int dmap_runs_add(struct dmap_runs *r, const struct dmap_run *run)
{
	if (r->n && continues(&r->v[r->n - 1], run)) {
		r->v[r->n - 1].bytes += run->bytes;
		return 0;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;
		struct dmap_run *v = realloc(r->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n++] = *run;
	return 0;
}

void dmap_runs_free(struct dmap_runs *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}

struct dmap_walker {
	struct dmap_walk_bpf *skel;
	int prog_fd;
};

struct dmap_walker *dmap_walker_open(uint64_t page_offset_base, uint64_t pa_mask, int levels)
{
	struct dmap_walker *w = calloc(1, sizeof(*w));
	int err;

	if (!w)
		return NULL;
	w->skel = dmap_walk_bpf__open_opts(kernel_btf_open_opts());
	if (!w->skel)
		goto fail;
	w->skel->rodata->page_offset_base = page_offset_base;
	w->skel->rodata->pa_mask = pa_mask;
	w->skel->rodata->levels = levels;
	libbpf_log_reset();
	if (dmap_walk_bpf__load(w->skel))
		goto fail;
	w->prog_fd = bpf_program__fd(w->skel->progs.dmap_walk);
	return w;
fail:
	err = errno;
	dmap_walker_close(w);
	errno = err;
	return NULL;
}

void dmap_walker_close(struct dmap_walker *w)
{
	if (!w)
		return;
	dmap_walk_bpf__destroy(w->skel);
	free(w);
}

int dmap_walk(struct dmap_walker *w, uint64_t pgd, uint64_t start, uint64_t end,
	      struct dmap_runs *out, int *chunks)
{
	struct dmap_walk_bpf__bss *bss = w->skel->bss;
	int err = 0;

	*chunks = 0;
	bss->walk_pgd = pgd;
	bss->walk_va = start;
	bss->walk_end = end;
	for (;;) {
		LIBBPF_OPTS(bpf_test_run_opts, opts);

		if (bpf_prog_test_run_opts(w->prog_fd, &opts))
			return -errno;
		(*chunks)++;
		for (uint32_t i = 0; i < bss->nr_runs && i < DMAP_RUNS_MAX && !err; i++)
			err = dmap_runs_add(out, &bss->runs[i]);
		if (err || bss->walk_err)
			return err ? err : bss->walk_err;
		if (bss->walk_done)
			return 0;
	}
}
