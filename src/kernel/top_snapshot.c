// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroups.h"
#include "procfs.h"
#include "procfs_read.h"
#include "remote_flush_host.h"
#include "top_snapshot.h"

static void take_time(struct top_snapshot *s)
{
	struct timespec mono, wall;

	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_REALTIME, &wall);
	s->time = mono.tv_sec + mono.tv_nsec / 1e9;
	s->unix_time = wall.tv_sec + wall.tv_nsec / 1e9;
	localtime_r(&wall.tv_sec, &s->local);
}

/* Sorted by key, for bsearch in the next interval. */
static void sort_tasks(struct top_snapshot *s)
{
	size_t kept = 0;

	if (!s->tasks)
		return;
	qsort(s->tasks, s->nr_tasks, sizeof(s->tasks[0]), vm_task_entry_cmp);
	/* A key seen twice (a table changing as it is read) counts once. */
	for (size_t i = 0; i < s->nr_tasks; i++)
		if (!kept || vm_task_entry_cmp(&s->tasks[kept - 1], &s->tasks[i]))
			s->tasks[kept++] = s->tasks[i];
	s->nr_tasks = kept;
}

static int id_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Each cgroup of the task table, looked up once (a miss costs a file handle
 * or a rescan, once a second at most). Many tasks share few cgroups: only
 * the distinct ones get a path's room.
 */
static void resolve_cgroups(struct top_snapshot *s, struct cgroup_cache *cc)
{
	size_t all = s->nr_tasks + s->nr_faults, n = 0;
	uint64_t *ids = calloc(all ? all : 1, sizeof(*ids));

	if (!ids)
		return;	/* every cgroup reads "cgroup:ID" */
	for (size_t i = 0; i < s->nr_tasks; i++)
		ids[i] = s->tasks[i].key.cgroup;
	for (size_t i = 0; i < s->nr_faults; i++)
		ids[s->nr_tasks + i] = s->faults[i].cgroup;
	qsort(ids, all, sizeof(*ids), id_cmp);
	for (size_t i = 0; i < all; i++)
		if (!n || ids[n - 1] != ids[i])
			ids[n++] = ids[i];
	s->cgroups = calloc(n ? n : 1, sizeof(*s->cgroups));
	for (size_t i = 0; s->cgroups && i < n; i++) {
		const char *path = cc ? cgroup_path(cc, ids[i]) : NULL;

		s->cgroups[i].id = ids[i];
		snprintf(s->cgroups[i].path, sizeof(s->cgroups[i].path), "%s", path ? path : "");
	}
	s->nr_cgroups = s->cgroups ? n : 0;
	free(ids);
}

/* "mnt:[4026531840]": the mount namespace of pid; false when it is gone. */
/* A copy of the books' processes, or none when tf is NULL. */
static int take_faults(struct task_faults *tf, struct top_snapshot *s)
{
	const struct thread_faults *b = &tf->books;
	/* a failed read leaves the books as they were, named: the next catches up */
	if (task_faults_read(tf))
		read_failures_merge(&s->failed, &tf->failed);
	s->faults = malloc((b->nr_entries ? b->nr_entries : 1) * sizeof(*s->faults));
	if (!s->faults)
		return -ENOMEM;
	memcpy(s->faults, b->entries, b->nr_entries * sizeof(*s->faults));
	s->nr_faults = b->nr_entries;
	s->exits_lost = tf->exits_lost;
	return 0;
}

int top_snapshot_take(struct vm_count *ev, struct task_faults *tf, struct cgroup_cache *cc,
		      struct top_snapshot *s)
{
	struct vm_reading r;
	int err;

	memset(s, 0, sizeof(*s));
	/* the two readings of faults back to back: they end at one moment, nearly */
	err = tf ? take_faults(tf, s) : 0;
	if (err)
		return err;
	s->user_watched = vm_count_user_watched_ns(ev) / 1e9;
	err = vm_count_read(ev, &r);
	read_failures_merge(&s->failed, &r.failed);
	/* the kernel's TLB interrupts at the moment of the counters */
	s->tlb_irqs_known = tlb_interrupts_read(&s->tlb_irqs);
	s->send_path = vm_programs_send_path(&ev->p);
	/* the clock of the reading's end: the moment its totals are of */
	take_time(s);
	if (err)
		return err;
	s->counters = r.totals;
	s->tasks = r.tasks;
	s->nr_tasks = r.nr_tasks;
	s->table_entries = r.table_entries;
	s->table_size = r.table_size;
	s->settled = r.settled;
	s->nr_recent = r.nr_recent < TOP_RECENT ? r.nr_recent : TOP_RECENT;
	memcpy(s->recent, r.recent + r.nr_recent - s->nr_recent,
	       s->nr_recent * sizeof(s->recent[0]));
	sort_tasks(s);
	resolve_cgroups(s, cc);
	if (cc) {
		s->cache.entries = cc->entries;
		s->cache.negative = cc->negative;
		s->cache.misses = cc->misses;
		s->cache.scans = cc->scans;
	}
	s->page_offset_base = ev->p.page_offset_base;
	err = direct_map_stats_read(&s->dmap);
	if (err)
		read_failure_add(&s->failed, "/proc/meminfo or /proc/vmstat", err);
	s->raw_tp = ev->p.raw_tp;
	s->tlb_reasons = &ev->p.tlb_reasons;
	memcpy(s->parts, ev->p.parts, sizeof(s->parts));
	return 0;
}

static void live_comm(uint32_t pid, char comm[16])
{
	char path[64], now[17];
	int n;

	snprintf(path, sizeof(path), "/proc/%u/comm", pid);
	n = read_small_file(path, now, sizeof(now));
	if (n <= 0)
		return;	/* gone: the name the kernel saw stays */
	/* the newline /proc adds, not one of the name's own ("x\ny" is a name) */
	if (now[n - 1] == '\n')
		now[n - 1] = '\0';
	/* /proc names can be longer (kworkers): keep 15 and the NUL */
	snprintf(comm, 16, "%.15s", now);
}

void top_report_live_comms(struct top_report *r)
{
	for (size_t i = 0; r->by == TOP_BY_PID && i < r->nr_rows; i++)
		live_comm(r->rows[i].pid, r->rows[i].comm);
	for (int i = 0; i < r->nr_recent; i++)
		live_comm(r->recent[i].t.tgid, r->recent[i].comm);
}

int top_measure(const struct translate_ctx *ctx, double seconds, bool (*wait)(int ms),
		struct cgroup_cache *cc, struct top_report *r, char *why, size_t len)
{
	struct vm_count_config cfg = {
		/* user faults: the kernel's own counts, by process, cost nothing */
		.record_mask = VM_MASK(VM_FAULT_KERNEL) | VM_MASK(VM_TLB_FLUSH),
		.max_tasks = 16384,
	};
	struct top_snapshot prev = { 0 }, cur = { 0 };
	struct remote_flush_host host;
	struct remote_flush_mark mark;
	struct vm_count ev = { 0 };
	struct task_faults tf = { 0 };
	int err;

	why[0] = '\0';
	cfg.before_attach = task_faults_start;
	cfg.before_attach_arg = &tf;
	/* how remote flushes go: the probe's requests come before kvas counts */
	remote_flush_host_read(&host);
	err = vm_count_open(&ev, &cfg, ctx, why, len);
	if (err) {
		task_faults_close(&tf);
		return err;
	}
	err = top_snapshot_take(&ev, &tf, cc, &prev);
	remote_flush_mark_of(&mark, &prev);
	if (!err && wait((int)(seconds * 1000)))
		err = -EINTR;
	if (!err)
		err = top_snapshot_take(&ev, &tf, cc, &cur);
	if (!err) {
		top_report_build(r, &prev, &cur, TOP_BY_CGROUP, 1000);
		top_report_judge(r, &host, &mark, &cur);
	} else if (err != -EINTR) {
		snprintf(why, len, "cannot read the BPF maps: %s", strerror(-err));
	}
	top_snapshot_free(&prev);
	top_snapshot_free(&cur);
	task_faults_close(&tf);
	vm_count_close(&ev);
	return err;
}
