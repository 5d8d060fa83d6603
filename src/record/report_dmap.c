// SPDX-License-Identifier: GPL-2.0
/*
 * The report's direct-map changes: how kvas record hooked them (or the
 * kernel's refusal, in the meta), and the changes and their pages by the
 * hooked function, by what they did, and by process. Rows are grouped by
 * a number (the function, the effect, the pid) sorted once: no labels to
 * hash, and a file of a million changes costs one array of them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse_num.h"
#include "report_ctx.h"

struct keyed {
	uint64_t key, pages;
};

#define CMP_KEY(a, b) (((a) > (b)) - ((a) < (b)))

static int by_key(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	return CMP_KEY(x->key, y->key);
}

/* Most changes first; ties by key, so that output is stable. */
static int by_changes(const void *a, const void *b)
{
	const struct report_dmap_row *x = a, *y = b;

	return x->changes != y->changes ? CMP_KEY(y->changes, x->changes) : CMP_KEY(x->pid, y->pid);
}

/* The process's name: its recorded comm, else the change's own. */
static const char *process_name(const struct recording *r, const struct rec_dmap_change *c)
{
	const struct rec_process *p = recording_process(r, c->pid);

	return p && p->comm ? p->comm : c->comm;
}

enum grouping { BY_FUNCTION, BY_EFFECT, BY_PROCESS };

static uint64_t key_of(const struct rec_dmap_change *c, enum grouping g)
{
	return g == BY_FUNCTION ? c->function : g == BY_EFFECT ? recording_dmap_effect(c) : c->pid;
}

static const char *name_of(const struct recording *r, const struct rec_dmap_change *c,
			   enum grouping g)
{
	return g == BY_FUNCTION ? recording_dmap_function(c->function) :
	       g == BY_EFFECT ? recording_dmap_effect_name(recording_dmap_effect(c)) :
	       process_name(r, c);
}

/* One table: the changes grouped by g's key. keyed has room for every change. */
static int group(const struct recording *r, enum grouping g, struct keyed *keyed,
		 struct report_dmap_table *t)
{
	size_t n = r->nr_dmap_changes, first = 0;

	for (size_t i = 0; i < n; i++)
		keyed[i] = (struct keyed){ key_of(&r->dmap_changes[i], g) << 32 | i,
					   r->dmap_changes[i].pages };
	/* the key above the change's index: a group's first change names it */
	qsort(keyed, n, sizeof(*keyed), by_key);
	t->rows = calloc(n ? n : 1, sizeof(*t->rows));
	if (!t->rows)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct report_dmap_row *row;

		if (i && keyed[i].key >> 32 == keyed[first].key >> 32) {
			row = &t->rows[t->nr_rows - 1];
		} else {
			const struct rec_dmap_change *c = &r->dmap_changes[keyed[i].key & UINT32_MAX];

			first = i;
			row = &t->rows[t->nr_rows++];
			row->name = name_of(r, c, g);
			row->pid = (uint32_t)(keyed[i].key >> 32);
		}
		row->changes++;
		/* pages a hostile file claims may not add up: held at the most */
		row->pages = keyed[i].pages > UINT64_MAX - row->pages ? UINT64_MAX :
			     row->pages + keyed[i].pages;
	}
	qsort(t->rows, t->nr_rows, sizeof(*t->rows), by_changes);
	return 0;
}

int report_dmap_build(const struct recording *r, struct report_dmap *d)
{
	const char *lost = recording_meta(r, "dmap_changes_lost");
	struct keyed *keyed;
	int err = 0;

	memset(d, 0, sizeof(*d));
	d->status = recording_meta(r, "dmap_changes");
	d->recorded = d->status && (!strcmp(d->status, "fentry") || !strcmp(d->status, "kprobe"));
	d->lost.known = lost && !parse_u64(lost, 0, UINT64_MAX, &d->lost.value);
	d->changes = r->nr_dmap_changes;
	for (size_t i = 0; i < r->nr_dmap_changes; i++) {
		uint64_t p = r->dmap_changes[i].pages;

		d->pages = p > UINT64_MAX - d->pages ? UINT64_MAX : d->pages + p;
	}
	/* indices fit the key's low half: a file holds fewer changes than 2^32 */
	if (r->nr_dmap_changes > UINT32_MAX)
		return -ENOMEM;
	keyed = malloc((r->nr_dmap_changes ? r->nr_dmap_changes : 1) * sizeof(*keyed));
	if (!keyed)
		return -ENOMEM;
	err = group(r, BY_FUNCTION, keyed, &d->by_function);
	if (!err)
		err = group(r, BY_EFFECT, keyed, &d->by_effect);
	if (!err)
		err = group(r, BY_PROCESS, keyed, &d->by_process);
	free(keyed);
	return err;
}

void report_dmap_free(struct report_dmap *d)
{
	free(d->by_function.rows);
	free(d->by_effect.rows);
	free(d->by_process.rows);
	memset(d, 0, sizeof(*d));
}
