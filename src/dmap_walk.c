// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

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

int dmap_walk(const struct dmap_walk_params *p, struct dmap_runs *out, int *chunks)
{
	struct dmap_walk_bpf *skel = dmap_walk_bpf__open();
	int err, fd;

	*chunks = 0;
	if (!skel)
		return -errno;
	skel->rodata->page_offset_base = p->page_offset_base;
	skel->rodata->pa_mask = p->pa_mask;
	skel->rodata->levels = p->levels;
	err = dmap_walk_bpf__load(skel);
	if (err)
		goto out;
	fd = bpf_program__fd(skel->progs.dmap_walk);
	skel->bss->walk_pgd = p->pgd;
	skel->bss->walk_va = p->start;
	skel->bss->walk_end = p->end;
	for (;;) {
		LIBBPF_OPTS(bpf_test_run_opts, opts);
		struct dmap_walk_bpf__bss *bss = skel->bss;

		if (bpf_prog_test_run_opts(fd, &opts)) {
			err = -errno;
			break;
		}
		(*chunks)++;
		for (uint32_t i = 0; i < bss->nr_runs && i < DMAP_RUNS_MAX && !err; i++)
			err = dmap_runs_add(out, &bss->runs[i]);
		if (err || bss->walk_err) {
			err = err ? err : bss->walk_err;
			break;
		}
		if (bss->walk_done)
			break;
	}
out:
	dmap_walk_bpf__destroy(skel);
	return err;
}
