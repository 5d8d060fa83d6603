// SPDX-License-Identifier: GPL-2.0
/*
 * Reading what the counting object counted: each CPU's published counts
 * (counters, unflushed batch, recent translations) and the task table, read
 * until both agree on the batches flushed, so that a reading is of one moment.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "read_failures.h"
#include "vm_count.h"
#include "vm_count.skel.h"

/* Every CPU's counts, nr_cpus of them; NULL on failure, errno set. */
static struct vm_cpu_counts *read_states(struct vm_count *vc)
{
	struct vm_cpu_counts *st = calloc(vc->p.nr_cpus, sizeof(*st));
	int err = st ? vm_programs_read_cpus(&vc->p, st, sizeof(*st)) : -ENOMEM;

	if (err) {
		free(st);
		errno = -err;
		return NULL;
	}
	return st;
}

static void sum_counters(const struct vm_count *vc, const struct vm_cpu_counts *st,
			 struct vm_counters *sum)
{
	memset(sum, 0, sizeof(*sum));
	for (int c = 0; c < vc->p.nr_cpus; c++)
		vm_counters_add(sum, &st[c].counters);
}

/* Add each CPU's batch, not yet flushed into the table, to the entries. */
static struct vm_task_entry *add_batches(const struct vm_count *vc,
					 const struct vm_cpu_counts *st,
					 struct vm_task_entry *out, size_t *nr)
{
	for (int c = 0; c < vc->p.nr_cpus; c++) {
		const struct vm_cpu_counts *b = &st[c];
		struct vm_task_entry *e = NULL, *grown;

		if (!b->batch_events)
			continue;
		for (size_t i = 0; i < *nr && !e; i++)
			if (out[i].key.tgid == b->batch_key.tgid &&
			    out[i].key.cgroup == b->batch_key.cgroup)
				e = &out[i];
		if (!e) {
			grown = realloc(out, (*nr + 1) * sizeof(*out));
			if (!grown)
				break;
			out = grown;
			e = &out[(*nr)++];
			memset(e, 0, sizeof(*e));
			e->key = b->batch_key;
			memcpy(e->stats.comm, b->batch.comm, sizeof(e->stats.comm));
		}
		vm_task_stats_add(&e->stats, &b->batch);
	}
	return out;
}

/* Room for more entries: false when there is no memory for it. */
static bool grow_table(struct vm_task_key **keys, struct vm_task_stats **vals, size_t *cap,
		       size_t more)
{
	struct vm_task_key *k = realloc(*keys, (*cap + more) * sizeof(**keys));
	struct vm_task_stats *v;

	if (!k)
		return false;
	*keys = k;
	v = realloc(*vals, (*cap + more) * sizeof(**vals));
	if (!v)
		return false;
	*vals = v;
	*cap += more;
	return true;
}

/*
 * Every entry of the task table itself, into *out (the caller's to free):
 * 0, or the negative error that cut the read short, the entries read before
 * it kept. A batch read ends with -ENOENT once past the last bucket, and
 * only then; -ENOSPC says the next bucket holds more keys than the room
 * left: grow the room and read that bucket again. Anything else is a failure.
 */
static int read_table(struct vm_count *vc, struct vm_task_entry **out, size_t *nr)
{
	int fd = bpf_map__fd(vc->skel->maps.tasks);
	size_t max = bpf_map__max_entries(vc->skel->maps.tasks), cap = max, n = 0;
	struct vm_task_key *keys = calloc(cap, sizeof(*keys));
	struct vm_task_stats *vals = calloc(cap, sizeof(*vals));
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	__u32 count, in_batch = 0, token;
	bool first = true;
	int err = keys && vals ? 0 : -ENOMEM;

	/*
	 * Batches walk the table bucket by bucket; a key-by-key walk can meet
	 * a key twice while the LRU evicts and inserts under it. An LRU that
	 * evicts and inserts meanwhile can hand out more keys than it holds.
	 */
	while (!err) {
		if (n == cap && !grow_table(&keys, &vals, &cap, max)) {
			err = -ENOMEM;
			break;
		}
		count = cap - n;
		err = bpf_map_lookup_batch(fd, first ? NULL : &in_batch, &token, keys + n,
					   vals + n, &count, &opts) ? -errno : 0;
		/* no bucket holds more than the table: with that room, it is a failure */
		if (err == -ENOSPC && count == 0 && cap - n < max)
			err = grow_table(&keys, &vals, &cap, max) ? 0 : -ENOMEM;
		else if (!err || err == -ENOENT)
			n += count;
		if (!err) {
			first = false;
			in_batch = token;
		}
	}
	*out = calloc(n + 1, sizeof(**out));
	for (size_t i = 0; *out && i < n; i++) {
		(*out)[i].key = keys[i];
		(*out)[i].stats = vals[i];
	}
	free(keys);
	free(vals);
	*nr = *out ? n : 0;
	if (!*out)
		return -ENOMEM;
	return err == -ENOENT ? 0 : err;
}

static bool same_flushes(const struct vm_count *vc, const struct vm_cpu_counts *a,
			 const struct vm_cpu_counts *b)
{
	for (int c = 0; c < vc->p.nr_cpus; c++)
		if (a[c].counters.batches_flushed != b[c].counters.batches_flushed)
			return false;
	return true;
}

static int by_time(const void *a, const void *b)
{
	uint64_t x = ((const struct vm_recent *)a)->ts, y = ((const struct vm_recent *)b)->ts;

	return x < y ? -1 : x > y;
}

/* The newest translations of all CPUs, merged by time, newest last. */
static void take_recent(const struct vm_count *vc, const struct vm_cpu_counts *st,
			struct vm_reading *r)
{
	struct vm_recent *all = calloc((size_t)vc->p.nr_cpus * VM_RECENT, sizeof(*all));
	size_t n = 0, from;

	r->nr_recent = 0;
	if (!all)
		return;
	for (int c = 0; c < vc->p.nr_cpus; c++)
		for (int k = 0; k < VM_RECENT; k++)
			if (st[c].recent[k].t.addr)
				all[n++] = st[c].recent[k];
	qsort(all, n, sizeof(*all), by_time);
	from = n > VM_READ_RECENT ? n - VM_READ_RECENT : 0;
	for (size_t i = from; i < n; i++)
		r->recent[r->nr_recent++] = all[i].t;
	free(all);
}

/*
 * The totals and the rows must be of one moment, or a row can exceed its
 * total. Each CPU's counters and unflushed batch come from one read of its
 * state; the table is read between two such reads, and it holds exactly
 * the batches the CPUs had flushed at the second when no CPU flushed one
 * meanwhile (their flush counts agree). Otherwise read again: a CPU flushes
 * every 1024 events or on a switch of process, far less often than this
 * takes. After VM_READ_TRIES the last reading stands, its rows short of
 * the batches flushed during it (the "other" line holds them).
 */
#define VM_READ_TRIES 8

/* Every CPU's state into *st: 0, or the negative error, named in r. */
static int read_states_of(struct vm_count *vc, struct vm_cpu_counts **st, struct vm_reading *r)
{
	int err;

	*st = read_states(vc);
	if (*st)
		return 0;
	err = errno ? -errno : -ENOMEM;
	read_failure_add(&r->failed, "per-CPU counts", err);
	return err;
}

int vm_count_read(struct vm_count *vc, struct vm_reading *r)
{
	struct vm_cpu_counts *before, *after = NULL;
	int err, table_err = 0;

	memset(r, 0, sizeof(*r));
	/* the totals come from the states: without them there is nothing to show */
	err = read_states_of(vc, &before, r);
	for (int i = 0; !err && i < VM_READ_TRIES; i++) {
		free(r->tasks);
		table_err = read_table(vc, &r->tasks, &r->nr_tasks);
		if (!r->tasks)
			err = -ENOMEM;
		if (!err)
			err = read_states_of(vc, &after, r);
		if (err)
			goto out;
		/* a table that failed is read again: the next try may pass */
		r->settled = !table_err && same_flushes(vc, before, after);
		if (r->settled)
			break;
		free(before);
		before = after;
		after = NULL;
	}
	if (err)
		goto out;
	if (!after) {
		after = before;
		before = NULL;
	}
	if (table_err)
		read_failure_add(&r->failed, "tasks table", table_err);
	r->table_entries = r->nr_tasks;
	r->table_size = bpf_map__max_entries(vc->skel->maps.tasks);
	sum_counters(vc, after, &r->totals);
	r->tasks = add_batches(vc, after, r->tasks, &r->nr_tasks);
	take_recent(vc, after, r);
out:
	free(before);
	free(after);
	if (err) {
		free(r->tasks);
		r->tasks = NULL;
		r->nr_tasks = 0;
	}
	return err;
}
