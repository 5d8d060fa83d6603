// SPDX-License-Identifier: GPL-2.0
#include <errno.h>

#include "tally.h"

void tally_add(struct tally *t, uint64_t value)
{
	for (int i = 0; i < t->nr; i++) {
		if (t->value[i] == value) {
			t->votes[i]++;
			return;
		}
	}
	if (t->nr < TALLY_MAX) {
		t->value[t->nr] = value;
		t->votes[t->nr++] = 1;
	}
}

int tally_winner(const struct tally *t, int min_votes, uint64_t *value,
		 int *votes)
{
	int best = -1, tie = 0;

	for (int i = 0; i < t->nr; i++) {
		if (best < 0 || t->votes[i] > t->votes[best]) {
			best = i;
			tie = 0;
		} else if (t->votes[i] == t->votes[best]) {
			tie = 1;
		}
	}
	if (best < 0 || tie || t->votes[best] < min_votes)
		return -ENOENT;
	*value = t->value[best];
	if (votes)
		*votes = t->votes[best];
	return 0;
}
