// SPDX-License-Identifier: GPL-2.0
/*
 * top's rows from two snapshots made here: every task finds its own row
 * in each --by mode (the rows are grouped through a hash), the programs'
 * entries and the kernel's fault counts share a row, and rows and rest add
 * up to the totals.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "top_report.h"

#define TASKS 3000
#define CGROUPS 3

static const char *const paths[CGROUPS] = {
	"/system.slice/docker-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.scope",
	"/system.slice/docker-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.scope",
	"/user.slice",
};

struct fixture {
	struct top_snapshot prev, cur;
	struct vm_task_entry tasks[TASKS];
	struct task_fault_entry faults[TASKS];
	struct top_cgroup cgroups[CGROUPS];
};

/*
 * Task i is pid 1 + i / 2 (each pid in two cgroups: a process that moved),
 * named "n<i % 7>", with i + 1 kernel faults and 1 user fault the kernel
 * counted; the programs saw as many kernel faults as the rows hold.
 */
static struct fixture *fixture(void)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	for (int c = 0; c < CGROUPS; c++) {
		f->cgroups[c].id = 10 + c;
		snprintf(f->cgroups[c].path, sizeof(f->cgroups[c].path), "%s", paths[c]);
	}
	for (int i = 0; i < TASKS; i++) {
		struct vm_task_entry *e = &f->tasks[i];

		e->key.tgid = 1 + i / 2;
		e->key.cgroup = 10 + (i / 2 + i % 2) % CGROUPS;
		e->stats.faults_kernel = i + 1;
		snprintf(e->stats.comm, sizeof(e->stats.comm), "n%d", i % 7);
		f->faults[i] = (struct task_fault_entry){ .tgid = e->key.tgid,
							  .cgroup = e->key.cgroup, .minor = 1 };
		memcpy(f->faults[i].comm, e->stats.comm, sizeof(f->faults[i].comm));
		f->cur.counters.events[VM_FAULT_KERNEL] += i + 1;
	}
	f->cur.tasks = f->tasks;
	f->cur.nr_tasks = TASKS;
	f->cur.faults = f->faults;
	f->cur.nr_faults = TASKS;
	f->cur.cgroups = f->cgroups;
	f->cur.nr_cgroups = CGROUPS;
	f->cur.time = 1;
	return f;
}

static double sum_kernel(const struct top_report *r)
{
	double n = r->rest.faults_kernel;

	for (size_t i = 0; i < r->nr_rows; i++)
		n += r->rows[i].faults_kernel;
	return n;
}

static void test_by_pid(void **state)
{
	struct fixture *f = fixture();
	struct top_report r;

	(void)state;
	top_report_build(&r, &f->prev, &f->cur, TOP_BY_PID, TASKS);
	/* one row per (pid, cgroup): every task alone, its own counts in it */
	assert_int_equal(r.nr_rows, TASKS);
	for (size_t i = 0; i < r.nr_rows; i++) {
		const struct top_row *w = &r.rows[i];
		int found = 0;

		for (int k = 0; k < TASKS; k++)
			if (f->tasks[k].key.tgid == w->pid &&
			    !strcmp(paths[f->tasks[k].key.cgroup - 10], w->cgroup)) {
				found++;
				assert_float_equal(w->faults_kernel, k + 1, 1e-9);
				assert_float_equal(w->faults, 1, 1e-9);
			}
		assert_int_equal(found, 1);
	}
	/* the busiest first */
	assert_float_equal(r.rows[0].faults_kernel, TASKS, 1e-9);
	assert_float_equal(sum_kernel(&r), TASKS * (TASKS + 1) / 2.0, 1e-6);
	top_report_free(&r);
	/* cut to 10: the rest holds the others */
	top_report_build(&r, &f->prev, &f->cur, TOP_BY_PID, 10);
	assert_int_equal(r.nr_rows, 10);
	assert_float_equal(sum_kernel(&r), TASKS * (TASKS + 1) / 2.0, 1e-6);
	top_report_free(&r);
	free(f);
}

static void test_by_comm_cgroup_container(void **state)
{
	struct fixture *f = fixture();
	struct top_report r;
	double want[7] = { 0 };

	(void)state;
	for (int i = 0; i < TASKS; i++)
		want[i % 7] += i + 1;
	top_report_build(&r, &f->prev, &f->cur, TOP_BY_COMM, 100);
	assert_int_equal(r.nr_rows, 7);
	for (size_t i = 0; i < r.nr_rows; i++) {
		int n = atoi(r.rows[i].comm + 1);

		assert_true(n >= 0 && n < 7);
		assert_float_equal(r.rows[i].faults_kernel, want[n], 1e-6);
	}
	top_report_free(&r);

	top_report_build(&r, &f->prev, &f->cur, TOP_BY_CGROUP, 100);
	assert_int_equal(r.nr_rows, CGROUPS);
	assert_float_equal(sum_kernel(&r), TASKS * (TASKS + 1) / 2.0, 1e-6);
	assert_float_equal(r.rest.faults_kernel, 0, 1e-6);
	top_report_free(&r);

	/* two docker containers and the host's row */
	top_report_build(&r, &f->prev, &f->cur, TOP_BY_CONTAINER, 100);
	assert_int_equal(r.nr_rows, 3);
	assert_float_equal(sum_kernel(&r), TASKS * (TASKS + 1) / 2.0, 1e-6);
	top_report_free(&r);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_pid),
		cmocka_unit_test(test_by_comm_cgroup_container),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
