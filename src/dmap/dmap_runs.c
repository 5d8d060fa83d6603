// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "dmap_runs.h"

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
