// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "containers.h"
#include "top_report.h"
#include "top_rows.h"
#include "vm_decode.h"

void top_snapshot_free(struct top_snapshot *s)
{
	free(s->tasks);
	free(s->faults);
	free(s->cgroups);
	memset(s, 0, sizeof(*s));
}

void top_snapshot_since(struct top_snapshot *s, double attached)
{
	memset(&s->counters, 0, sizeof(s->counters));
	s->nr_tasks = 0;
	s->nr_faults = 0;
	s->exits_lost = 0;
	s->user_watched = 0;
	s->time = attached;
}

void remote_flush_mark_of(struct remote_flush_mark *m, const struct top_snapshot *s)
{
	m->sends = s->counters.tlb_class[TLBC_SENT];
	m->received = s->counters.tlb_class[TLBC_REMOTE];
	m->irqs = s->tlb_irqs;
	m->irqs_known = s->tlb_irqs_known;
}

void top_report_judge(struct top_report *r, const struct remote_flush_host *h,
		      const struct remote_flush_mark *since, const struct top_snapshot *cur)
{
	top_report_judge_since(&r->remote_flush, h, since, cur);
}

void top_report_judge_since(struct remote_flush_verdict *v, const struct remote_flush_host *h,
			    const struct remote_flush_mark *since, const struct top_snapshot *cur)
{
	struct remote_flush_mark now;
	struct remote_flush_window w = { 0 };

	remote_flush_mark_of(&now, cur);
	w.tlb_traced = cur->parts[VM_PART_TLB_FLUSHES].on;
	w.send_path = cur->send_path;
	w.sends = now.sends - since->sends;
	w.received = now.received - since->received;
	w.interrupts_known = now.irqs_known && since->irqs_known;
	w.tlb_interrupts = w.interrupts_known && now.irqs >= since->irqs ? now.irqs - since->irqs : 0;
	remote_flush_decide(h, &w, v);
}

int top_cgroup_cmp(const void *a, const void *b)
{
	uint64_t x = ((const struct top_cgroup *)a)->id, y = ((const struct top_cgroup *)b)->id;

	return x < y ? -1 : x > y;
}

const char *top_snapshot_cgroup(const struct top_snapshot *s, uint64_t id)
{
	const struct top_cgroup key = { .id = id }, *c = s->cgroups ?
		bsearch(&key, s->cgroups, s->nr_cgroups, sizeof(key), top_cgroup_cmp) : NULL;

	return c && c->path[0] ? c->path : NULL;
}

/* The latest faults translated in the kernel, with their direct-map aliases. */
static void build_recent(struct top_report *r, const struct top_snapshot *cur)
{
	r->nr_recent = cur->nr_recent;
	for (int i = 0; i < cur->nr_recent; i++) {
		struct top_recent *t = &r->recent[i];

		t->t = cur->recent[i];
		t->direct_map_alias = cur->page_offset_base + t->t.pa;
		snprintf(t->comm, sizeof(t->comm), "?");
		/* the name the kernel saw for the process */
		for (size_t k = 0; k < cur->nr_tasks; k++)
			if (cur->tasks[k].key.tgid == t->t.tgid)
				snprintf(t->comm, sizeof(t->comm), "%.15s",
					 cur->tasks[k].stats.comm);
		for (size_t k = 0; t->comm[0] == '?' && k < cur->nr_faults; k++)
			if (cur->faults[k].tgid == t->t.tgid)
				snprintf(t->comm, sizeof(t->comm), "%.15s", cur->faults[k].comm);
	}
}

static double rest_of(double total, double shown)
{
	/* a difference of sums of doubles: what rounding leaves is no event */
	return total - shown > 1e-6 ? total - shown : 0;
}

/* What the totals hold beyond the rows shown, per second. */
static void build_rest(struct top_report *r)
{
	const struct vm_counters *d = &r->delta;
	struct top_row shown = { 0 }, *o = &r->rest;

	for (size_t i = 0; i < r->nr_rows; i++) {
		const struct top_row *w = &r->rows[i];

		shown.faults += w->faults;
		shown.majors += w->majors;
#define TC_SHOWN(f, ...) shown.f += w->f;
		TASK_COUNTERS(TC_SHOWN)
#undef TC_SHOWN
	}
	memset(o, 0, sizeof(*o));
	o->faults = rest_of(top_rate(r, r->faults), shown.faults);
	o->majors = rest_of(top_rate(r, r->majors), shown.majors);
	/* a counter with no machine-wide total (0) has no rest: shown is never below 0 */
#define TC_REST(f, json, prom, help, flags, total, ...) o->f = rest_of(top_rate(r, total), shown.f);
	TASK_COUNTERS(TC_REST)
#undef TC_REST
}

uint64_t top_snapshot_evicted(const struct top_snapshot *s)
{
	return s->counters.task_inserts > s->table_entries ?
	       s->counters.task_inserts - s->table_entries : 0;
}

/* The faults of every process in the interval (what the rows share out), and the rest. */
static void interval_totals(struct top_report *r, const struct top_snapshot *prev,
			    const struct top_snapshot *cur, const struct top_fault_delta *fd,
			    size_t nr_fd)
{
	for (size_t i = 0; i < nr_fd; i++) {
		r->faults += fd[i].minor + fd[i].major;
		r->majors += fd[i].major;
	}
	r->exits_lost = vm_count_delta(cur->exits_lost, prev->exits_lost);
	r->user_watched = cur->user_watched > prev->user_watched ?
			  cur->user_watched - prev->user_watched : 0;
}

void top_report_build(struct top_report *r, const struct top_snapshot *prev,
		      const struct top_snapshot *cur, enum top_by by, size_t max_rows)
{
	struct top_fault_delta *fd;
	size_t nr_fd;

	memset(r, 0, sizeof(*r));
	r->interval = cur->time - prev->time;
	if (r->interval <= 0)
		r->interval = 1e-9;
	r->unix_time = cur->unix_time;
	r->local = cur->local;
	vm_counters_delta(&r->delta, &cur->counters, &prev->counters);
	fd = top_fault_deltas(prev, cur, &nr_fd);
	interval_totals(r, prev, cur, fd, nr_fd);
	r->by = by;
	r->dmap = cur->dmap;
	r->dmap_prev = prev->dmap;
	r->lost_total = cur->counters.dropped;
	r->sampled_total = cur->counters.sampled_away;
	r->tracked_tasks = cur->nr_tasks;
	r->table_size = cur->table_size;
	r->raw_tp = cur->raw_tp;
	r->tlb_reasons = cur->tlb_reasons;
	r->cache = cur->cache;
	memcpy(r->parts, cur->parts, sizeof(r->parts));
	top_rows_build(&r->rows, &r->nr_rows, by, prev, cur, fd, nr_fd, r->interval, max_rows);
	top_rows_build(&r->cgroups, &r->nr_cgroups, TOP_BY_CGROUP, prev, cur, fd, nr_fd,
		       r->interval, 5);
	free(fd);
	build_rest(r);
	r->evicted_total = top_snapshot_evicted(cur);
	r->evicted = vm_count_delta(r->evicted_total, top_snapshot_evicted(prev));
	build_recent(r, cur);
	/* an interval is the difference of two reads: a failure of either shows */
	read_failures_merge(&r->failed, &cur->failed);
	read_failures_merge(&r->failed, &prev->failed);
}

bool top_row_container(const struct top_row *w, struct container_ref *c)
{
	return w->container[0] && container_parse(w->cgroup, c);
}

void top_report_free(struct top_report *r)
{
	free(r->rows);
	free(r->cgroups);
	r->rows = r->cgroups = NULL;
}

void top_start_build(struct top_start *st, const struct top_snapshot *s, double next_in)
{
	memset(st, 0, sizeof(*st));
	st->local = s->local;
	st->next_in = next_in;
	st->dmap = s->dmap;
	st->raw_tp = s->raw_tp;
	memcpy(st->parts, s->parts, sizeof(st->parts));
}
