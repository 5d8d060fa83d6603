/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Vote among candidate values derived from independent samples. A derived
 * value is accepted only when several samples produce it: one pairing of two
 * events can be wrong (an interrupt allocating in between), two cannot agree
 * by accident.
 */
#ifndef KVAS_TALLY_H
#define KVAS_TALLY_H

#include <stdint.h>

#define TALLY_MAX 64

struct tally {
	int nr;
	uint64_t value[TALLY_MAX];
	int votes[TALLY_MAX];
};

void tally_add(struct tally *t, uint64_t value);
/* The value with the most votes if it has at least min_votes and no tie. */
int tally_winner(const struct tally *t, int min_votes, uint64_t *value,
		 int *votes);

#endif
