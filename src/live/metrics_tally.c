// SPDX-License-Identifier: GPL-2.0
/*
 * kvas serve's books per container: what each container's processes did,
 * added up scrape by scrape, so that a process's exit (or the programs'
 * task table forgetting it) takes nothing from its container's counters.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "thread_faults.h"

/* Busiest first: the faults it caused and the counters that rank (TC_RANK). */
static uint64_t activity(const struct metrics_container *c)
{
	const struct vm_task_stats *s = &c->stats;
	uint64_t n = c->handled[HANDLED_MINOR] + c->handled[HANDLED_MAJOR];

#define TC_ACTIVITY(f, json, prom, help, flags, ...) n += (flags) & TC_RANK ? s->f : 0;
	TASK_COUNTERS(TC_ACTIVITY)
#undef TC_ACTIVITY
	return n;
}

static int by_activity(const void *a, const void *b)
{
	uint64_t x = activity(a), y = activity(b);
	int c = x < y ? 1 : x > y ? -1 : 0;

	/* ties in a fixed order, so that the same containers stay apart */
	return c ? c : strcmp(((const struct metrics_container *)a)->id,
			      ((const struct metrics_container *)b)->id);
}

static bool same_container(const struct metrics_container *c, const struct container_ref *r)
{
	return !strcmp(c->runtime, r->runtime) && !strcmp(c->id, r->short_id) &&
	       !strcmp(c->pod_uid, r->pod_uid);
}

/* The container of ref, added when new; NULL when out of memory. */
static struct metrics_container *tally_of(struct metrics_tally *t, const struct container_ref *ref,
					  const char *cgroup)
{
	struct metrics_container *c;

	for (size_t i = 0; i < t->nr; i++)
		if (same_container(&t->all[i], ref))
			return &t->all[i];
	if (t->nr == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct metrics_container *n = realloc(t->all, cap * sizeof(*n));

		if (!n)
			return NULL;
		t->all = n;
		t->cap = cap;
	}
	c = &t->all[t->nr++];
	memset(c, 0, sizeof(*c));
	snprintf(c->runtime, sizeof(c->runtime), "%s", ref->runtime);
	snprintf(c->id, sizeof(c->id), "%s", ref->short_id);
	snprintf(c->pod_uid, sizeof(c->pod_uid), "%s", ref->pod_uid);
	snprintf(c->cgroup, sizeof(c->cgroup), "%s", cgroup);
	return c;
}

/* The container a cgroup path names, added when new; NULL when none or out of memory. */
static struct metrics_container *container_of(struct metrics_tally *t, const char *path,
					      int *err)
{
	struct container_ref ref;
	struct metrics_container *c;

	if (!container_parse(path, &ref))
		return NULL;
	c = tally_of(t, &ref, path);
	if (!c)
		*err = -ENOMEM;
	return c;
}

/* The programs' task table: kernel-mode faults and TLB events by container. */
static int tally_events(struct metrics_tally *t, const struct top_snapshot *s)
{
	static const struct vm_task_stats zero;
	struct vm_task_entry *kept = calloc(s->nr_tasks ? s->nr_tasks : 1, sizeof(*kept));
	size_t nr_kept = 0;
	int err = 0;

	if (!kept)
		return -ENOMEM;
	for (size_t i = 0; i < s->nr_tasks && !err; i++) {
		const struct vm_task_entry *e = &s->tasks[i], *was;
		const char *path = top_snapshot_cgroup(s, e->key.cgroup);
		struct metrics_container *c;
		struct vm_task_stats d;

		/* not resolved yet: its counts are taken whole once it is */
		if (!path)
			continue;
		kept[nr_kept++] = *e;
		c = container_of(t, path, &err);
		if (!c)
			continue;
		was = t->prev ? bsearch(e, t->prev, t->nr_prev, sizeof(*e), vm_task_entry_cmp) : NULL;
		vm_task_stats_delta(&d, &e->stats, was ? &was->stats : &zero);
		vm_task_stats_add(&c->stats, &d);
	}
	if (err) {
		free(kept);
		return err;
	}
	free(t->prev);
	t->prev = kept;
	t->nr_prev = nr_kept;
	return 0;
}

static int process_cmp(const void *a, const void *b)
{
	const struct metrics_process *x = a, *y = b;

	if (x->tgid != y->tgid)
		return x->tgid < y->tgid ? -1 : 1;
	return x->cgroup < y->cgroup ? -1 : x->cgroup > y->cgroup;
}

static uint64_t since(uint64_t now, uint64_t then)
{
	return now > then ? now - then : 0;
}

/*
 * The kernel's per-process counts (s->faults: each process's faults since
 * kvas started, exits included, until the process is gone): what each
 * added since the last update goes to the host and to its container. A
 * process gone from s->faults has given all it had.
 */
static int tally_handled(struct metrics_tally *t, const struct top_snapshot *s)
{
	struct metrics_process *kept = calloc(s->nr_faults ? s->nr_faults : 1, sizeof(*kept));
	int err = 0;

	if (!kept)
		return -ENOMEM;
	for (size_t i = 0; i < s->nr_faults && !err; i++) {
		const struct task_fault_entry *e = &s->faults[i];
		const uint64_t now[HANDLED_NR] = { e->minor, e->major };
		struct metrics_process *p = &kept[i], *was = NULL;
		const char *path = top_snapshot_cgroup(s, e->cgroup);
		struct metrics_container *c = NULL;

		p->tgid = e->tgid;
		p->cgroup = e->cgroup;
		if (t->procs)
			was = bsearch(p, t->procs, t->nr_procs, sizeof(*p), process_cmp);
		if (path)
			c = container_of(t, path, &err);
		for (int k = 0; k < HANDLED_NR; k++) {
			t->handled[k] += since(now[k], was ? was->host[k] : 0);
			p->host[k] = now[k];
			/* no path yet: the container's share waits, from where it was */
			p->container[k] = was ? was->container[k] : 0;
			if (!path)
				continue;
			if (c)
				c->handled[k] += since(now[k], p->container[k]);
			p->container[k] = now[k];
		}
	}
	if (err) {
		free(kept);
		return err;
	}
	free(t->procs);
	t->procs = kept;
	t->nr_procs = s->nr_faults;
	return 0;
}

int metrics_tally_update(struct metrics_tally *t, const struct top_snapshot *s)
{
	int err = tally_handled(t, s);

	return err ? err : tally_events(t, s);
}

void metrics_tally_prune(struct metrics_tally *t, bool (*exists)(const char *cgroup, void *ctx),
			 void *ctx)
{
	size_t n = 0;

	for (size_t i = 0; i < t->nr; i++)
		if (exists(t->all[i].cgroup, ctx))
			t->all[n++] = t->all[i];
	t->nr = n;
}

void metrics_tally_free(struct metrics_tally *t)
{
	free(t->all);
	free(t->prev);
	free(t->procs);
	memset(t, 0, sizeof(*t));
}

int metrics_containers_build(struct metrics_containers *mc, const struct metrics_tally *t,
			     size_t max)
{
	memset(mc, 0, sizeof(*mc));
	snprintf(mc->other.runtime, sizeof(mc->other.runtime), "other");
	snprintf(mc->other.id, sizeof(mc->other.id), "other");
	if (!t->nr)
		return 0;
	mc->top = malloc(t->nr * sizeof(*mc->top));
	if (!mc->top)
		return -ENOMEM;
	memcpy(mc->top, t->all, t->nr * sizeof(*mc->top));
	qsort(mc->top, t->nr, sizeof(*mc->top), by_activity);
	for (size_t i = max; i < t->nr; i++) {
		vm_task_stats_add(&mc->other.stats, &mc->top[i].stats);
		for (int k = 0; k < HANDLED_NR; k++)
			mc->other.handled[k] += mc->top[i].handled[k];
	}
	mc->folded = t->nr > max ? t->nr - max : 0;
	mc->nr = t->nr > max ? max : t->nr;
	return 0;
}

void metrics_containers_free(struct metrics_containers *mc)
{
	free(mc->top);
	memset(mc, 0, sizeof(*mc));
}
