// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>

#include "record_table.h"

static size_t slot_of(const struct record_table *t, uint64_t a, uint64_t b)
{
	uint64_t h = (a ^ (b * 0x9e3779b97f4a7c15ULL)) * 0xff51afd7ed558ccdULL;

	return (h ^ (h >> 32)) & (t->cap - 1);
}

static struct record_slot *find(struct record_table *t, uint64_t a, uint64_t b)
{
	size_t i = slot_of(t, a, b);

	while (t->slots[i].used && (t->slots[i].a != a || t->slots[i].b != b))
		i = (i + 1) & (t->cap - 1);
	return &t->slots[i];
}

static int grow(struct record_table *t)
{
	struct record_table bigger = { .cap = t->cap ? t->cap * 2 : 256, .nr = t->nr };

	bigger.slots = calloc(bigger.cap, sizeof(*bigger.slots));
	if (!bigger.slots)
		return -1;
	for (size_t i = 0; i < t->cap; i++)
		if (t->slots[i].used)
			*find(&bigger, t->slots[i].a, t->slots[i].b) = t->slots[i];
	free(t->slots);
	*t = bigger;
	return 0;
}

uint32_t *record_table_get(struct record_table *t, uint64_t a, uint64_t b, uint32_t value,
			   bool *added)
{
	struct record_slot *s;

	*added = false;
	if ((t->nr + 1) * 2 > t->cap && grow(t))
		return NULL;
	s = find(t, a, b);
	if (!s->used) {
		*s = (struct record_slot){ a, b, value, true };
		t->nr++;
		*added = true;
	}
	return &s->value;
}

void record_table_free(struct record_table *t)
{
	free(t->slots);
	t->slots = NULL;
	t->cap = t->nr = 0;
}
