// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "procfs.h"
#include "procfs_read.h"
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

/* Each cgroup of the task table, looked up once (a miss rescans, once a second at most). */
static void resolve_cgroups(struct top_snapshot *s, struct cgroup_cache *cc)
{
	size_t n = 0;

	s->cgroups = calloc(s->nr_tasks ? s->nr_tasks : 1, sizeof(*s->cgroups));
	if (!s->cgroups)
		return;	/* every cgroup reads "cgroup:ID" */
	for (size_t i = 0; i < s->nr_tasks; i++)
		s->cgroups[i].id = s->tasks[i].key.cgroup;
	qsort(s->cgroups, s->nr_tasks, sizeof(*s->cgroups), top_cgroup_cmp);
	for (size_t i = 0; i < s->nr_tasks; i++) {
		const char *path;

		if (n && s->cgroups[n - 1].id == s->cgroups[i].id)
			continue;
		s->cgroups[n].id = s->cgroups[i].id;
		path = cc ? cgroup_path(cc, s->cgroups[n].id) : NULL;
		snprintf(s->cgroups[n].path, sizeof(s->cgroups[n].path), "%s", path ? path : "");
		n++;
	}
	s->nr_cgroups = n;
}

int top_snapshot_take(struct vmevents *ev, struct cgroup_cache *cc, struct top_snapshot *s)
{
	struct vm_reading r;
	int err;

	memset(s, 0, sizeof(*s));
	err = vmevents_read(ev, &r);
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
	s->page_offset_base = ev->page_offset_base;
	direct_map_stats_read(&s->dmap);
	s->raw_tp = ev->raw_tp;
	memcpy(s->parts, ev->parts, sizeof(s->parts));
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
	struct vmevents_config cfg = {
		.aggregate = true,
		.record_mask = VM_MASK(VM_FAULT_USER) | VM_MASK(VM_FAULT_KERNEL) |
			       VM_MASK(VM_TLB_FLUSH),
		.max_tasks = 16384,
	};
	struct top_snapshot prev = { 0 }, cur = { 0 };
	struct vmevents ev = { 0 };
	int err;

	why[0] = '\0';
	err = vmevents_open(&ev, &cfg, ctx, why, len);
	if (err)
		return err;
	err = top_snapshot_take(&ev, cc, &prev);
	if (!err && wait((int)(seconds * 1000)))
		err = -EINTR;
	if (!err)
		err = top_snapshot_take(&ev, cc, &cur);
	if (!err)
		top_report_build(r, &prev, &cur, TOP_BY_CGROUP, 1000);
	else if (err != -EINTR)
		snprintf(why, len, "cannot read the BPF maps: %s", strerror(-err));
	top_snapshot_free(&prev);
	top_snapshot_free(&cur);
	vmevents_close(&ev);
	return err;
}
