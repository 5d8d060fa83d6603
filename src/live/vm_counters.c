// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "vm_counters.h"

/* Every u64 of the structs below, by name: a new field fails here first. */
_Static_assert(sizeof(struct vm_counters) ==
	       (VM_NR_TRACED + 2 * FAULT_NR_CLASSES + FR_SLOTS + TLB_NR_REASONS +
		TLBC_SLOTS + TLB_NR_SIZES + 6) * sizeof(__u64),
	       "a field of struct vm_counters is missing from counters_combine()");
/* task_combine() takes its fields from the list, as the struct does: this checks the struct. */
_Static_assert(sizeof(struct vm_task_stats) == TASK_NR_COUNTERS * sizeof(__u64) + 16,
	       "struct vm_task_stats has a field that is not in TASK_COUNTERS()");

typedef uint64_t (*count_op)(uint64_t a, uint64_t b);

static uint64_t plus(uint64_t a, uint64_t b)
{
	return a + b;
}

uint64_t vm_count_delta(uint64_t cur, uint64_t prev)
{
	return cur >= prev ? cur - prev : cur;
}

static void combine(__u64 *out, const __u64 *a, const __u64 *b, size_t n, count_op op)
{
	for (size_t i = 0; i < n; i++)
		out[i] = op(a[i], b[i]);
}

#define COMBINE_ARRAY(f) combine(out->f, a->f, b->f, sizeof(out->f) / sizeof(out->f[0]), op)
#define COMBINE(f) (out->f = op(a->f, b->f))

static void counters_combine(struct vm_counters *out, const struct vm_counters *a,
			     const struct vm_counters *b, count_op op)
{
	COMBINE_ARRAY(events);
	for (int k = 0; k < 2; k++)
		COMBINE_ARRAY(fault_class[k]);
	COMBINE_ARRAY(kernel_region);
	COMBINE_ARRAY(tlb_reason);
	COMBINE_ARRAY(tlb_class);
	COMBINE_ARRAY(tlb_size);
	COMBINE(sampled_away);
	COMBINE(dropped);
	COMBINE(translated);
	COMBINE(translate_failed);
	COMBINE(task_inserts);
	COMBINE(batches_flushed);
}

static void task_combine(struct vm_task_stats *out, const struct vm_task_stats *a,
			 const struct vm_task_stats *b, count_op op)
{
#define TC_COMBINE(f, ...) COMBINE(f);
	TASK_COUNTERS(TC_COMBINE)
#undef TC_COMBINE
}

void vm_counters_add(struct vm_counters *sum, const struct vm_counters *c)
{
	counters_combine(sum, sum, c, plus);
}

void vm_counters_delta(struct vm_counters *d, const struct vm_counters *cur,
		       const struct vm_counters *prev)
{
	counters_combine(d, cur, prev, vm_count_delta);
}

void vm_task_stats_add(struct vm_task_stats *sum, const struct vm_task_stats *s)
{
	task_combine(sum, sum, s, plus);
}

void vm_task_stats_delta(struct vm_task_stats *d, const struct vm_task_stats *cur,
			 const struct vm_task_stats *prev)
{
	task_combine(d, cur, prev, vm_count_delta);
	memcpy(d->comm, cur->comm, sizeof(d->comm));
}

int vm_task_entry_cmp(const void *a, const void *b)
{
	const struct vm_task_key *x = &((const struct vm_task_entry *)a)->key;
	const struct vm_task_key *y = &((const struct vm_task_entry *)b)->key;

	if (x->tgid != y->tgid)
		return x->tgid < y->tgid ? -1 : 1;
	return x->cgroup < y->cgroup ? -1 : x->cgroup > y->cgroup;
}
