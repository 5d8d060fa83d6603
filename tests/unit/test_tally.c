// SPDX-License-Identifier: GPL-2.0
/* Unit tests for src/core/tally.c: counting votes for a value and picking the winner. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tally.h"

static void test_tally_counts(void **state)
{
	struct tally t = { 0 };

	(void)state;
	tally_add(&t, 0xffff9a0000000000ULL);
	tally_add(&t, 0xffffb40000000000ULL);
	tally_add(&t, 0xffff9a0000000000ULL);
	tally_add(&t, 0xffff9a0000000000ULL);
	assert_int_equal(t.nr, 2);
	assert_int_equal(t.value[0], 0xffff9a0000000000ULL);
	assert_int_equal(t.votes[0], 3);
	assert_int_equal(t.value[1], 0xffffb40000000000ULL);
	assert_int_equal(t.votes[1], 1);
}

static void test_tally_winner(void **state)
{
	struct tally t = { 0 };
	uint64_t v = 0;
	int votes = 0;

	(void)state;
	tally_add(&t, 7);
	tally_add(&t, 9);
	tally_add(&t, 9);
	tally_add(&t, 9);
	tally_add(&t, 11);
	assert_int_equal(tally_winner(&t, 3, &v, &votes), 0);
	assert_int_equal(v, 9);
	assert_int_equal(votes, 3);
	/* not enough votes */
	v = 0;
	assert_int_equal(tally_winner(&t, 4, &v, &votes), -ENOENT);
	assert_int_equal(v, 0);
	/* votes may be NULL */
	assert_int_equal(tally_winner(&t, 1, &v, NULL), 0);
	assert_int_equal(v, 9);
}

static void test_tally_winner_last(void **state)
{
	struct tally t = { 0 };
	uint64_t v = 0;
	int votes = 0;

	(void)state;
	/* the first values tie with each other, then one overtakes them */
	tally_add(&t, 1);
	tally_add(&t, 2);
	tally_add(&t, 3);
	tally_add(&t, 3);
	assert_int_equal(tally_winner(&t, 2, &v, &votes), 0);
	assert_int_equal(v, 3);
	assert_int_equal(votes, 2);
}

static void test_tally_tie(void **state)
{
	struct tally t = { 0 };
	uint64_t v = 0x5555;
	int votes = 0;

	(void)state;
	tally_add(&t, 1);
	tally_add(&t, 2);
	tally_add(&t, 1);
	tally_add(&t, 2);
	tally_add(&t, 3);
	assert_int_equal(tally_winner(&t, 1, &v, &votes), -ENOENT);
	assert_int_equal(v, 0x5555);
	/* a third vote breaks the tie */
	tally_add(&t, 2);
	assert_int_equal(tally_winner(&t, 2, &v, &votes), 0);
	assert_int_equal(v, 2);
	assert_int_equal(votes, 3);
	/* a tie at the top after the best, not before it */
	tally_add(&t, 3);
	tally_add(&t, 3);
	assert_int_equal(tally_winner(&t, 1, &v, &votes), -ENOENT);
}

static void test_tally_empty(void **state)
{
	struct tally t = { 0 };
	uint64_t v;

	(void)state;
	assert_int_equal(tally_winner(&t, 0, &v, NULL), -ENOENT);
	assert_int_equal(tally_winner(&t, 1, &v, NULL), -ENOENT);
}

static void test_tally_full(void **state)
{
	struct tally t = { 0 };
	uint64_t v = 0;

	(void)state;
	for (uint64_t i = 0; i < TALLY_MAX + 10; i++)
		tally_add(&t, 0x1000 + i);
	assert_int_equal(t.nr, TALLY_MAX);
	/* known values still count when the table is full */
	tally_add(&t, 0x1000);
	tally_add(&t, 0x1000);
	assert_int_equal(t.votes[0], 3);
	assert_int_equal(tally_winner(&t, 3, &v, NULL), 0);
	assert_int_equal(v, 0x1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tally_counts),
		cmocka_unit_test(test_tally_winner),
		cmocka_unit_test(test_tally_winner_last),
		cmocka_unit_test(test_tally_tie),
		cmocka_unit_test(test_tally_empty),
		cmocka_unit_test(test_tally_full),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
