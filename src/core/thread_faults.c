// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "thread_faults.h"

int task_fault_entry_cmp(const void *a, const void *b)
{
	const struct task_fault_entry *x = a, *y = b;

	if (x->tgid != y->tgid)
		return x->tgid < y->tgid ? -1 : 1;
	return x->cgroup < y->cgroup ? -1 : x->cgroup > y->cgroup;
}

/* A record of this read: exited says its counts are final. */
struct seen {
	const struct task_fault_rec *rec;
	bool exited;
};

/* A thread's identity: its tid, and its start time (tids are reused). */
static int thread_cmp(uint32_t tid_a, uint64_t start_a, uint32_t tid_b, uint64_t start_b)
{
	if (tid_a != tid_b)
		return tid_a < tid_b ? -1 : 1;
	return start_a < start_b ? -1 : start_a > start_b;
}

static int seen_cmp(const void *a, const void *b)
{
	const struct task_fault_rec *x = ((const struct seen *)a)->rec;
	const struct task_fault_rec *y = ((const struct seen *)b)->rec;

	return thread_cmp(x->tid, x->start_ns, y->tid, y->start_ns);
}

static int base_cmp(const void *a, const void *b)
{
	const struct thread_fault_base *x = a, *y = b;

	return thread_cmp(x->tid, x->start_ns, y->tid, y->start_ns);
}

static uint64_t since(uint64_t now, uint64_t then)
{
	return now > then ? now - then : 0;
}

/* What one thread did since the last read, for its process in its cgroup. */
struct share {
	struct task_fault_entry e;
	bool leader;			/* the main thread: its name is the process's */
};

static int share_cmp(const void *a, const void *b)
{
	return task_fault_entry_cmp(&((const struct share *)a)->e, &((const struct share *)b)->e);
}

/*
 * The shares of one process in one cgroup folded into one, sorted by key,
 * into out: their number. The name is the main thread's where it was read
 * (threads can name themselves), else any thread's.
 */
static size_t fold_shares(struct share *sh, size_t n, struct task_fault_entry *out)
{
	size_t kept = 0;
	bool named = false;

	qsort(sh, n, sizeof(*sh), share_cmp);
	for (size_t i = 0; i < n; i++) {
		if (kept && !task_fault_entry_cmp(&out[kept - 1], &sh[i].e)) {
			out[kept - 1].minor += sh[i].e.minor;
			out[kept - 1].major += sh[i].e.major;
			if (sh[i].leader && !named)
				memcpy(out[kept - 1].comm, sh[i].e.comm, sizeof(out->comm));
			named |= sh[i].leader;
			continue;
		}
		out[kept++] = sh[i].e;
		named = sh[i].leader;
	}
	return kept;
}

/* Sorted seen records: a thread read live and at its exit once, as exited. */
static size_t collect(struct seen *s, const struct task_fault_rec *live, size_t nr_live,
		      const struct task_fault_rec *exited, size_t nr_exited)
{
	size_t n = 0, kept = 0;

	for (size_t i = 0; i < nr_exited; i++)
		s[n++] = (struct seen){ &exited[i], true };
	for (size_t i = 0; i < nr_live; i++)
		s[n++] = (struct seen){ &live[i], false };
	qsort(s, n, sizeof(*s), seen_cmp);
	for (size_t i = 0; i < n; i++) {
		if (kept && !seen_cmp(&s[kept - 1], &s[i])) {
			if (s[i].exited)
				s[kept - 1] = s[i];
			continue;
		}
		s[kept++] = s[i];
	}
	return kept;
}

/*
 * The books' counts added to this read's folded shares (sorted), which
 * become the books' entries. Only processes in this read stay: one neither
 * live nor with a share is gone, and its count would not change again.
 */
static void add_books(const struct thread_faults *t, struct task_fault_entry *sh, size_t nr_sh)
{
	size_t j = 0;

	for (size_t i = 0; i < nr_sh; i++) {
		while (j < t->nr_entries && task_fault_entry_cmp(&t->entries[j], &sh[i]) < 0)
			j++;
		if (j < t->nr_entries && !task_fault_entry_cmp(&t->entries[j], &sh[i])) {
			sh[i].minor += t->entries[j].minor;
			sh[i].major += t->entries[j].major;
		}
	}
}

int thread_faults_add(struct thread_faults *t, const struct task_fault_rec *live,
		      size_t nr_live, const struct task_fault_rec *exited, size_t nr_exited,
		      uint64_t pass_ns)
{
	size_t total = nr_live + nr_exited, n, nr_sh = 0, nr_base = 0;
	struct seen *s = calloc(total ? total : 1, sizeof(*s));
	struct share *sh = calloc(total ? total : 1, sizeof(*sh));
	struct task_fault_entry *folded = calloc(total ? total : 1, sizeof(*folded));
	struct thread_fault_base *base = calloc(total + t->nr_threads + 1, sizeof(*base));
	bool *matched = calloc(t->nr_threads + 1, sizeof(*matched));
	int err = -ENOMEM;

	if (!s || !sh || !folded || !base || !matched)
		goto out;
	n = collect(s, live, nr_live, exited, nr_exited);
	for (size_t i = 0; i < n; i++) {
		const struct task_fault_rec *r = s[i].rec;
		struct thread_fault_base key = { .tid = r->tid, .start_ns = r->start_ns }, *b = NULL;
		struct share *e = &sh[nr_sh++];
		uint64_t minor = 0, major = 0;

		if (t->threads)
			b = bsearch(&key, t->threads, t->nr_threads, sizeof(key), base_cmp);
		if (b) {
			matched[b - t->threads] = true;
			minor = since(r->minflt, b->minflt);
			major = since(r->majflt, b->majflt);
		} else if (t->reads && r->start_ns >= t->older_pass_ns) {
			/* born since the read before last began, seen by none: all it did is new */
			minor = r->minflt;
			major = r->majflt;
		}
		e->e = (struct task_fault_entry){ r->tgid, r->cgroup, minor, major, { 0 } };
		memcpy(e->e.comm, r->comm, sizeof(e->e.comm));
		e->leader = r->tid == r->tgid;
		if (!s[i].exited)
			base[nr_base++] = (struct thread_fault_base){ r->tid, r->start_ns,
								       r->minflt, r->majflt, 0 };
	}
	/*
	 * A thread not seen was exiting during the read: its exit, in a later
	 * read, counts from its last counts here. One never seen again (its
	 * exit lost) is let go after a few reads.
	 */
	for (size_t i = 0; i < t->nr_threads; i++) {
		if (matched[i] || t->threads[i].unseen >= 3)
			continue;
		base[nr_base] = t->threads[i];
		base[nr_base++].unseen++;
	}
	qsort(base, nr_base, sizeof(*base), base_cmp);
	nr_sh = fold_shares(sh, nr_sh, folded);
	add_books(t, folded, nr_sh);
	free(t->threads);
	free(t->entries);
	t->threads = base;
	t->nr_threads = nr_base;
	t->entries = folded;
	t->nr_entries = nr_sh;
	folded = NULL;
	t->older_pass_ns = t->reads ? t->last_pass_ns : pass_ns;
	t->last_pass_ns = pass_ns;
	t->reads++;
	base = NULL;
	err = 0;
out:
	free(s);
	free(sh);
	free(folded);
	free(base);
	free(matched);
	return err;
}

void thread_faults_free(struct thread_faults *t)
{
	free(t->threads);
	free(t->entries);
	memset(t, 0, sizeof(*t));
}
