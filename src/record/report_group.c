// SPDX-License-Identifier: GPL-2.0
/*
 * Rows of a report table by their value tuples: an open-addressing hash
 * of the tuples seen, so that a million events make as many rows as they
 * have distinct values, then sorted most events first.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report_ctx.h"

/* FNV-1a: short strings, no adversary that profits from collisions here. */
static uint64_t hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/* The slot of tuple (empty or holding it); cap is a power of two. */
static size_t slot_of(char **tuples, size_t cap, const char *tuple)
{
	size_t i = hash(tuple) & (cap - 1);

	while (tuples[i] && strcmp(tuples[i], tuple))
		i = (i + 1) & (cap - 1);
	return i;
}

/* Twice the room: every tuple moves to its slot in the bigger table. */
static int grow(struct report_group *g)
{
	size_t cap = g->cap ? g->cap * 2 : 64;
	char **tuples = calloc(cap, sizeof(*tuples));
	uint64_t *counts = calloc(cap, sizeof(*counts));

	if (!tuples || !counts) {
		free(tuples);
		free(counts);
		return -ENOMEM;
	}
	for (size_t i = 0; i < g->cap; i++) {
		if (g->tuples[i]) {
			size_t s = slot_of(tuples, cap, g->tuples[i]);

			tuples[s] = g->tuples[i];
			counts[s] = g->counts[i];
		}
	}
	free(g->tuples);
	free(g->counts);
	g->tuples = tuples;
	g->counts = counts;
	g->cap = cap;
	return 0;
}

int group_add(struct report_group *g, const char *tuple, uint64_t count)
{
	size_t s;

	/* at most 3/4 full, so a probe ends soon */
	if ((g->nr + 1) * 4 > g->cap * 3 && grow(g))
		return -ENOMEM;
	s = slot_of(g->tuples, g->cap, tuple);
	if (!g->tuples[s]) {
		g->tuples[s] = strdup(tuple);
		if (!g->tuples[s])
			return -ENOMEM;
		g->nr++;
	}
	g->counts[s] += count;
	return 0;
}

static int by_count(const void *a, const void *b)
{
	const struct report_row *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	for (unsigned int i = 0; i < x->nr_values && i < y->nr_values; i++) {
		int c = strcmp(x->values[i], y->values[i]);

		if (c)
			return c;
	}
	return (int)x->nr_values - (int)y->nr_values;
}

/* tuple's values, split in place: row->values[0] is the allocation. */
static int split(char *tuple, struct report_row *row)
{
	unsigned int n = 1;

	for (char *p = tuple; *p; p++)
		n += *p == REPORT_SEP;
	row->values = malloc(n * sizeof(*row->values));
	if (!row->values)
		return -ENOMEM;
	row->nr_values = 0;
	for (char *p = tuple, *sep;; p = sep + 1) {
		row->values[row->nr_values++] = p;
		sep = strchr(p, REPORT_SEP);
		if (!sep)
			break;
		*sep = '\0';
	}
	return 0;
}

int group_table(struct report_group *g, struct report_table *t)
{
	size_t n = 0;

	t->rows = calloc(g->nr ? g->nr : 1, sizeof(*t->rows));
	if (!t->rows)
		return -ENOMEM;
	for (size_t i = 0; i < g->cap; i++) {
		if (!g->tuples[i])
			continue;
		if (split(g->tuples[i], &t->rows[n])) {
			t->nr_rows = n;
			return -ENOMEM;
		}
		g->tuples[i] = NULL;	/* the row owns it now */
		t->rows[n++].count = g->counts[i];
	}
	t->nr_rows = n;
	qsort(t->rows, n, sizeof(*t->rows), by_count);
	group_free(g);
	return 0;
}

void group_free(struct report_group *g)
{
	for (size_t i = 0; i < g->cap; i++)
		free(g->tuples[i]);
	free(g->tuples);
	free(g->counts);
	memset(g, 0, sizeof(*g));
}

void report_table_free(struct report_table *t)
{
	for (size_t i = 0; i < t->nr_rows; i++) {
		if (t->rows[i].values)
			free(t->rows[i].values[0]);
		free(t->rows[i].values);
	}
	free(t->rows);
	t->rows = NULL;
	t->nr_rows = 0;
}
