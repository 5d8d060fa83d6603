// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for src/core/thread_faults.c: faults per process from reads of
 * the kernel's per-thread counts, threads that exit, are born or move.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "thread_faults.h"

#define MS 1000000ULL

static struct task_fault_rec rec(uint32_t tid, uint32_t tgid, uint64_t start, uint64_t cgroup,
				 uint64_t minflt, uint64_t majflt)
{
	struct task_fault_rec r = { tid, tgid, start, cgroup, minflt, majflt, "x" };

	snprintf(r.comm, sizeof(r.comm), "t%u", tid);
	return r;
}

static const struct task_fault_entry *find(const struct thread_faults *t, uint32_t tgid,
					   uint64_t cgroup)
{
	for (size_t i = 0; i < t->nr_entries; i++)
		if (t->entries[i].tgid == tgid && t->entries[i].cgroup == cgroup)
			return &t->entries[i];
	return NULL;
}

static uint64_t faults_of(const struct thread_faults *t, uint32_t tgid, uint64_t cgroup)
{
	const struct task_fault_entry *e = find(t, tgid, cgroup);

	return e ? e->minor + e->major : 0;
}

/* The first read is where counts start: what threads did before is nobody's. */
static void test_first_read_counts_nothing(void **state)
{
	struct task_fault_rec live[] = { rec(10, 10, 1, 7, 500, 3), rec(11, 10, 2, 7, 40, 0) };
	struct thread_faults t = { 0 };

	(void)state;
	assert_int_equal(thread_faults_add(&t, live, 2, NULL, 0, 100 * MS), 0);
	assert_int_equal(t.nr_entries, 1);
	assert_int_equal(faults_of(&t, 10, 7), 0);
	thread_faults_free(&t);
}

/* Threads of a process add up; minor and major apart; the main thread names it. */
static void test_threads_add_up(void **state)
{
	struct task_fault_rec a[] = { rec(11, 10, 2, 7, 40, 0), rec(10, 10, 1, 7, 500, 3) };
	struct task_fault_rec b[] = { rec(10, 10, 1, 7, 600, 5), rec(11, 10, 2, 7, 90, 0) };
	struct thread_faults t = { 0 };
	const struct task_fault_entry *e;

	(void)state;
	assert_int_equal(thread_faults_add(&t, a, 2, NULL, 0, 100 * MS), 0);
	assert_int_equal(thread_faults_add(&t, b, 2, NULL, 0, 200 * MS), 0);
	e = find(&t, 10, 7);
	assert_non_null(e);
	assert_int_equal(e->minor, 150);
	assert_int_equal(e->major, 2);
	assert_string_equal(e->comm, "t10");
	thread_faults_free(&t);
}

/*
 * A thread that exits between reads counts to its last fault; one born and
 * gone between two reads counts all it did; its exit seen beside its live
 * record (it exited during the pass) counts once, the final count.
 */
static void test_exits(void **state)
{
	struct task_fault_rec a[] = { rec(10, 10, 1, 7, 100, 0), rec(11, 10, 2, 7, 10, 0) };
	struct task_fault_rec b_live[] = { rec(10, 10, 1, 7, 150, 0), rec(11, 10, 2, 7, 30, 0) };
	struct task_fault_rec b_exit[] = { rec(11, 10, 2, 7, 35, 0), rec(12, 10, 150 * MS, 7, 8, 1) };
	struct thread_faults t = { 0 };

	(void)state;
	assert_int_equal(thread_faults_add(&t, a, 2, NULL, 0, 100 * MS), 0);
	assert_int_equal(thread_faults_add(&t, b_live, 2, b_exit, 2, 200 * MS), 0);
	/* 50 + 25 (the exit's 35, not the live 30) + 9 */
	assert_int_equal(faults_of(&t, 10, 7), 84);
	/* gone threads are no one's baseline any more */
	assert_int_equal(t.nr_threads, 1);
	thread_faults_free(&t);
}

/*
 * A thread first seen, begun before the last read began, was exiting then:
 * what it did is unknown and counts nothing rather than its whole life.
 */
static void test_unknown_start_counts_nothing(void **state)
{
	struct task_fault_rec a[] = { rec(10, 10, 1, 7, 100, 0) };
	struct task_fault_rec b_exit[] = { rec(20, 20, 50 * MS, 7, 9999, 0) };
	struct thread_faults t = { 0 };

	(void)state;
	assert_int_equal(thread_faults_add(&t, a, 1, NULL, 0, 100 * MS), 0);
	assert_int_equal(thread_faults_add(&t, a, 1, b_exit, 1, 200 * MS), 0);
	assert_int_equal(faults_of(&t, 20, 7), 0);
	/* later too: begun before the read before last, and seen by none */
	b_exit[0] = rec(21, 21, 150 * MS, 7, 777, 0);
	assert_int_equal(thread_faults_add(&t, a, 1, NULL, 0, 300 * MS), 0);
	assert_int_equal(thread_faults_add(&t, a, 1, b_exit, 1, 400 * MS), 0);
	assert_int_equal(faults_of(&t, 21, 7), 0);
	thread_faults_free(&t);
}

/*
 * A thread born after a read began, exiting (so skipped) during the next
 * one, whose exit comes in the read after: seen by no read, it counts all
 * it did.
 */
static void test_exiting_through_a_read_counts_all(void **state)
{
	struct task_fault_rec a[] = { rec(10, 10, 1, 7, 100, 0) };
	struct task_fault_rec c_exit[] = { rec(20, 20, 150 * MS, 7, 9999, 1) };
	struct thread_faults t = { 0 };

	(void)state;
	assert_int_equal(thread_faults_add(&t, a, 1, NULL, 0, 100 * MS), 0);
	assert_int_equal(thread_faults_add(&t, a, 1, NULL, 0, 200 * MS), 0);
	assert_int_equal(thread_faults_add(&t, a, 1, c_exit, 1, 300 * MS), 0);
	assert_int_equal(faults_of(&t, 20, 7), 10000);
	thread_faults_free(&t);
}

/* A thread that moves to another cgroup takes its new faults there; the old row keeps its own. */
static void test_cgroup_move(void **state)
{
	struct task_fault_rec a[] = { rec(10, 10, 1, 7, 100, 0) };
	struct task_fault_rec b[] = { rec(10, 10, 1, 7, 130, 0) };
	struct task_fault_rec c[] = { rec(10, 10, 1, 8, 200, 0) };
	struct thread_faults t = { 0 };

	(void)state;
	assert_int_equal(thread_faults_add(&t, a, 1, NULL, 0, 1 * MS), 0);
	assert_int_equal(thread_faults_add(&t, b, 1, NULL, 0, 2 * MS), 0);
	assert_int_equal(faults_of(&t, 10, 7), 30);
	assert_int_equal(thread_faults_add(&t, c, 1, NULL, 0, 3 * MS), 0);
	assert_int_equal(faults_of(&t, 10, 8), 70);
	/* no thread left in cgroup 7 and nothing new there: that row is gone */
	assert_null(find(&t, 10, 7));
	thread_faults_free(&t);
}

/*
 * A thread unseen in a read (exiting during the pass) keeps its baseline,
 * so that its exit in the next read counts from it; a tid reused by a new
 * thread (another start time) is another thread.
 */
static void test_unseen_then_exit_and_reused_tid(void **state)
{
	struct task_fault_rec a[] = { rec(10, 10, 1, 7, 100, 0) };
	struct task_fault_rec c_exit[] = { rec(10, 10, 1, 7, 120, 0) };
	struct task_fault_rec c_live[] = { rec(10, 30, 250 * MS, 9, 5, 0) };
	struct thread_faults t = { 0 };

	(void)state;
	assert_int_equal(thread_faults_add(&t, a, 1, NULL, 0, 100 * MS), 0);
	assert_int_equal(thread_faults_add(&t, NULL, 0, NULL, 0, 200 * MS), 0);
	assert_int_equal(t.nr_threads, 1);
	assert_int_equal(thread_faults_add(&t, c_live, 1, c_exit, 1, 300 * MS), 0);
	assert_int_equal(faults_of(&t, 10, 7), 20);
	assert_int_equal(faults_of(&t, 30, 9), 5);
	thread_faults_free(&t);
}

/* Counts never go backwards: a smaller count (a reader's race) adds nothing. */
static void test_never_negative(void **state)
{
	struct task_fault_rec a[] = { rec(10, 10, 1, 7, 100, 4) };
	struct task_fault_rec b[] = { rec(10, 10, 1, 7, 90, 2) };
	struct thread_faults t = { 0 };

	(void)state;
	assert_int_equal(thread_faults_add(&t, a, 1, NULL, 0, 1 * MS), 0);
	assert_int_equal(thread_faults_add(&t, b, 1, NULL, 0, 2 * MS), 0);
	assert_int_equal(faults_of(&t, 10, 7), 0);
	thread_faults_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_read_counts_nothing),
		cmocka_unit_test(test_threads_add_up),
		cmocka_unit_test(test_exits),
		cmocka_unit_test(test_unknown_start_counts_nothing),
		cmocka_unit_test(test_exiting_through_a_read_counts_all),
		cmocka_unit_test(test_cgroup_move),
		cmocka_unit_test(test_unseen_then_exit_and_reused_tid),
		cmocka_unit_test(test_never_negative),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
