// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for src/core/stream_batch.c: a batch of the streaming object's
 * entries back into struct vm_event, who each thread is taken from the
 * VM_WHO entry its CPU sent last.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "stream_batch.h"

struct seen {
	struct vm_event ev[8];
	int n;
	int stop_at;		/* answer 1 at this event (0: never) */
};

static int collect(void *ctx, void *data, size_t len)
{
	struct seen *s = ctx;

	assert_int_equal(len, sizeof(struct vm_event));
	assert_true(s->n < 8);
	memcpy(&s->ev[s->n++], data, len);
	return s->stop_at && s->n == s->stop_at;
}

static struct vm_event_entry who(uint32_t cpu, uint32_t pid, uint64_t cgroup, const char *comm)
{
	struct vm_event_entry e;
	struct vm_who_entry *w = (struct vm_who_entry *)&e;

	memset(&e, 0, sizeof(e));
	w->kind = VM_WHO;
	w->cpu = cpu;
	w->pid = pid;
	w->tid = pid;
	w->cgroup = cgroup;
	memcpy(w->comm, comm, strnlen(comm, sizeof(w->comm)));
	return e;
}

static struct vm_event_entry fault(uint32_t cpu, uint32_t pid, uint64_t addr)
{
	struct vm_event_entry e = { .ts = 1000 + addr, .addr = addr, .ip = 0x401000, .arg = 6,
				    .pid = pid, .tid = pid + 1, .cpu = cpu,
				    .kind = VM_FAULT_USER };
	return e;
}

static void test_batch_is_by_length(void **state)
{
	(void)state;
	assert_true(batch_is(sizeof(struct vm_event_entry)));
	assert_true(batch_is(64 * sizeof(struct vm_event_entry)));
	assert_false(batch_is(0));
	assert_false(batch_is(sizeof(struct vm_event)));
	assert_false(batch_is(sizeof(struct vm_event_stack)));
}

static void test_events_take_their_cpus_who(void **state)
{
	struct batch_expander x;
	struct vm_event_entry b[5] = {
		who(0, 100, 7, "storm"), fault(0, 100, 0x1000),
		who(1, 200, 9, "other"), fault(1, 200, 0x2000), fault(0, 100, 0x3000),
	};
	struct seen s = { 0 };

	(void)state;
	assert_int_equal(batch_expander_init(&x, 2), 0);
	assert_int_equal(batch_expand(&x, b, sizeof(b), collect, &s), 0);
	assert_int_equal(s.n, 3);	/* VM_WHO entries are not events */
	assert_string_equal(s.ev[0].comm, "storm");
	assert_int_equal(s.ev[0].cgroup, 7);
	assert_int_equal(s.ev[0].addr, 0x1000);
	assert_int_equal(s.ev[0].ts, 0x1000 + 1000);
	assert_int_equal(s.ev[0].tid, 101);
	assert_int_equal(s.ev[0].kind, VM_FAULT_USER);
	assert_string_equal(s.ev[1].comm, "other");
	assert_int_equal(s.ev[1].cgroup, 9);
	assert_int_equal(s.ev[1].cpu, 1);
	/* CPU 0's who still holds after CPU 1's, and across batches */
	assert_string_equal(s.ev[2].comm, "storm");
	s.n = 0;
	b[0] = fault(0, 100, 0x4000);
	assert_int_equal(batch_expand(&x, b, sizeof(b[0]), collect, &s), 0);
	assert_string_equal(s.ev[0].comm, "storm");
	batch_expander_free(&x);
}

static void test_translation_is_the_events_thread(void **state)
{
	struct batch_expander x;
	struct vm_event_entry b[2] = { who(0, 100, 7, "storm"), fault(0, 100, 0x2000) };
	struct seen s = { 0 };

	(void)state;
	b[1].prev_addr = 0x1000;
	b[1].prev_pa = 0x12345000;
	b[1].prev_shift = 12;
	assert_int_equal(batch_expander_init(&x, 1), 0);
	assert_int_equal(batch_expand(&x, b, sizeof(b), collect, &s), 0);
	assert_int_equal(s.ev[0].prev.addr, 0x1000);
	assert_int_equal(s.ev[0].prev.pa, 0x12345000);
	assert_int_equal(s.ev[0].prev.page_shift, 12);
	assert_int_equal(s.ev[0].prev.tid, 101);
	assert_int_equal(s.ev[0].prev.tgid, 100);
	/* none: prev.addr 0, and no thread either */
	s.n = 0;
	b[1] = fault(0, 100, 0x3000);
	assert_int_equal(batch_expand(&x, &b[1], sizeof(b[1]), collect, &s), 0);
	assert_int_equal(s.ev[0].prev.addr, 0);
	assert_int_equal(s.ev[0].prev.tid, 0);
	batch_expander_free(&x);
}

static void test_unknown_who_and_cpu_out_of_range(void **state)
{
	struct batch_expander x;
	struct vm_event_entry b[3] = { fault(0, 100, 0x1000), who(5, 1, 1, "bogus"),
				       fault(5, 100, 0x2000) };
	struct seen s = { 0 };

	(void)state;
	assert_int_equal(batch_expander_init(&x, 2), 0);
	assert_int_equal(batch_expand(&x, b, sizeof(b), collect, &s), 0);
	assert_int_equal(s.n, 2);
	/* no VM_WHO yet (lost with a full ring buffer): empty, never garbage */
	assert_string_equal(s.ev[0].comm, "");
	assert_int_equal(s.ev[0].cgroup, 0);
	/* a CPU beyond the expander's is not looked up */
	assert_string_equal(s.ev[1].comm, "");
	assert_int_equal(s.ev[1].cpu, 5);
	batch_expander_free(&x);
}

static void test_unterminated_comm_and_stop(void **state)
{
	struct batch_expander x;
	struct vm_event_entry b[3] = { who(0, 1, 1, "0123456789abcdefXYZ"), fault(0, 1, 0x1000),
				       fault(0, 1, 0x2000) };
	struct seen s = { .stop_at = 1 };

	(void)state;
	assert_int_equal(batch_expander_init(&x, 1), 0);
	/* the reader's first non-zero answer stops the batch and is returned */
	assert_int_equal(batch_expand(&x, b, sizeof(b), collect, &s), 1);
	assert_int_equal(s.n, 1);
	assert_int_equal(strlen(s.ev[0].comm), 15);
	batch_expander_free(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batch_is_by_length),
		cmocka_unit_test(test_events_take_their_cpus_who),
		cmocka_unit_test(test_translation_is_the_events_thread),
		cmocka_unit_test(test_unknown_who_and_cpu_out_of_range),
		cmocka_unit_test(test_unterminated_comm_and_stop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
