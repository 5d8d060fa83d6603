// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "cgroup_key.h"
#include "containers.h"
#include "top_report.h"
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

static void add_row(struct top_row *row, const struct vm_task_stats *cur,
		    const struct vm_task_stats *prev, double secs)
{
	static const struct vm_task_stats zero;
	struct vm_task_stats d;

	vm_task_stats_delta(&d, cur, prev ? prev : &zero);
#define TC_ADD_RATE(f, ...) row->f += d.f / secs;
	TASK_COUNTERS(TC_ADD_RATE)
#undef TC_ADD_RATE
}

/* A process's faults in the interval (cur less prev), for one that had any. */
struct fault_delta {
	const struct task_fault_entry *e;
	uint64_t minor, major;
};

/* Each process's faults in the interval, looked up once for the rows and the totals. */
static struct fault_delta *fault_deltas(const struct top_snapshot *prev,
					const struct top_snapshot *cur, size_t *n)
{
	struct fault_delta *d = calloc(cur->nr_faults ? cur->nr_faults : 1, sizeof(*d));

	*n = 0;
	for (size_t i = 0; d && i < cur->nr_faults; i++) {
		const struct task_fault_entry *f = &cur->faults[i], *p = NULL;
		uint64_t minor, major;

		if (prev->faults)
			p = bsearch(f, prev->faults, prev->nr_faults, sizeof(*f),
				    task_fault_entry_cmp);
		minor = vm_count_delta(f->minor, p ? p->minor : 0);
		major = vm_count_delta(f->major, p ? p->major : 0);
		if (minor || major)
			d[(*n)++] = (struct fault_delta){ f, minor, major };
	}
	return d;
}

/* What ranks a row: the faults the mm handled and the counters marked TC_RANK. */
static double row_weight(const struct top_row *r)
{
	double w = r->faults;

#define TC_WEIGHT(f, json, prom, help, flags, ...) w += (flags) & TC_RANK ? r->f : 0;
	TASK_COUNTERS(TC_WEIGHT)
#undef TC_WEIGHT
	return w;
}

/* The idle task has a name per CPU (swapper/N): one row says what it is. */
static const char *entry_comm(const struct vm_task_entry *e)
{
	return e->key.tgid ? e->stats.comm : "swapper (idle)";
}

static int by_weight(const void *a, const void *b)
{
	double x = row_weight(a), y = row_weight(b);

	return x < y ? 1 : x > y ? -1 : 0;
}

/* Where a task's events go: its cgroup's path and what named it. */
struct task_place {
	const char *path;
	unsigned int attribution;	/* enum cgroup_kind */
	struct container_ref ref;
	char label[80];
	char unknown[32];
};

static void place_of(const struct top_snapshot *s, const struct vm_task_entry *e,
		     struct task_place *pl)
{
	memset(pl, 0, sizeof(*pl));
	pl->path = top_snapshot_cgroup(s, e->key.cgroup);
	pl->attribution = CGROUP_KEY_KIND(e->key.cgroup);
	if (!pl->path) {
		snprintf(pl->unknown, sizeof(pl->unknown), "cgroup:%llu",
			 (unsigned long long)CGROUP_KEY_ID(e->key.cgroup));
		pl->path = pl->unknown;
	}
	if (container_parse(pl->path, &pl->ref))
		container_label(&pl->ref, pl->label, sizeof(pl->label));
}

static bool row_matches(const struct top_row *r, enum top_by by,
			const struct vm_task_entry *e, const struct task_place *pl)
{
	switch (by) {
	case TOP_BY_PID:
		return r->pid == e->key.tgid && !strcmp(r->cgroup, pl->path);
	case TOP_BY_COMM:
		return !strncmp(r->comm, entry_comm(e), 16);
	case TOP_BY_CGROUP:
		return !strcmp(r->cgroup, pl->path);
	case TOP_BY_CONTAINER:
		/* the processes in no container are one row, the host's */
		return !strcmp(r->container, pl->label);
	}
	return false;
}

/*
 * The rows by what row_matches() compares, so that each task finds its row
 * in about one probe (--by pid has a row per task): open addressing over
 * row indexes, kept at most half full.
 */
struct row_index {
	size_t *slot;			/* a row's index + 1; 0: empty */
	size_t cap;			/* a power of two */
};

static uint64_t hash_str(uint64_t h, const char *s, size_t max)
{
	for (size_t i = 0; i < max && s[i]; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;	/* FNV-1a */
	return h;
}

#define HASH_BASIS 0xcbf29ce484222325ull
#define ROW_LEN(f) (sizeof(((struct top_row *)0)->f) - 1)

/* The hash of a row's key fields; strings cut as the row's copies of them are. */
static uint64_t key_hash(enum top_by by, uint32_t pid, const char *comm, const char *cgroup,
			 const char *container)
{
	switch (by) {
	case TOP_BY_PID:
		return hash_str(HASH_BASIS ^ pid, cgroup, ROW_LEN(cgroup));
	case TOP_BY_COMM:
		return hash_str(HASH_BASIS, comm, sizeof(((struct top_row *)0)->comm));
	case TOP_BY_CGROUP:
		return hash_str(HASH_BASIS, cgroup, ROW_LEN(cgroup));
	case TOP_BY_CONTAINER:
		return hash_str(HASH_BASIS, container, ROW_LEN(container));
	}
	return 0;
}

static uint64_t row_hash(enum top_by by, const struct top_row *r)
{
	return key_hash(by, r->pid, r->comm, r->cgroup, r->container);
}

static uint64_t entry_hash(enum top_by by, const struct vm_task_entry *e,
			   const struct task_place *pl)
{
	return key_hash(by, e->key.tgid, entry_comm(e), pl->path, pl->label);
}

static void index_put(struct row_index *x, uint64_t h, size_t row)
{
	size_t i = h & (x->cap - 1);

	while (x->slot[i])
		i = (i + 1) & (x->cap - 1);
	x->slot[i] = row + 1;
}

/* Room for one more row: false when there is no memory for it. */
static bool index_reserve(struct row_index *x, const struct top_row *rows, size_t nr,
			  enum top_by by)
{
	size_t cap = x->cap ? x->cap * 2 : 128;
	size_t *slot;

	if (2 * (nr + 1) <= x->cap)
		return true;
	slot = calloc(cap, sizeof(*slot));
	if (!slot)
		return false;
	free(x->slot);
	x->slot = slot;
	x->cap = cap;
	for (size_t i = 0; i < nr; i++)
		index_put(x, row_hash(by, &rows[i]), i);
	return true;
}

/* Find or add the row that an entry merges into. */
static struct top_row *row_for(struct top_row **rows, size_t *nr, size_t *cap,
			       struct row_index *x, enum top_by by,
			       const struct vm_task_entry *e, const struct task_place *pl)
{
	uint64_t h = entry_hash(by, e, pl);
	struct top_row *r;
	size_t i;

	if (!index_reserve(x, *rows, *nr, by))
		return NULL;
	for (i = h & (x->cap - 1); x->slot[i]; i = (i + 1) & (x->cap - 1))
		if (row_matches(&(*rows)[x->slot[i] - 1], by, e, pl))
			return &(*rows)[x->slot[i] - 1];
	if (*nr == *cap) {
		size_t grown = *cap ? *cap * 2 : 64;
		struct top_row *p = realloc(*rows, grown * sizeof(*p));

		if (!p)
			return NULL;
		*rows = p;
		*cap = grown;
	}
	x->slot[i] = *nr + 1;
	r = &(*rows)[(*nr)++];
	memset(r, 0, sizeof(*r));
	if (by == TOP_BY_PID)
		r->pid = e->key.tgid;
	if (by == TOP_BY_PID || by == TOP_BY_COMM)
		strncpy(r->comm, entry_comm(e), 16);
	if (by != TOP_BY_COMM) {
		/* by container: the first cgroup seen of it (its own, or one below) */
		snprintf(r->cgroup, sizeof(r->cgroup), "%s", pl->path);
		snprintf(r->container, sizeof(r->container), "%s", pl->label);
		r->attribution = pl->attribution;
	}
	return r;
}

static void build_rows(struct top_row **rows, size_t *nr, enum top_by by,
		       const struct top_snapshot *prev, const struct top_snapshot *cur,
		       const struct fault_delta *fd, size_t nr_fd, double secs, size_t max_rows)
{
	struct row_index by_key = { 0 };
	size_t cap = 0;

	*rows = NULL;
	*nr = 0;
	for (size_t i = 0; i < cur->nr_tasks; i++) {
		const struct vm_task_entry *e = &cur->tasks[i], *p = NULL;
		struct task_place pl;
		struct top_row *row;

		if (prev->tasks)
			p = bsearch(e, prev->tasks, prev->nr_tasks, sizeof(*e), vm_task_entry_cmp);
		place_of(cur, e, &pl);
		row = row_for(rows, nr, &cap, &by_key, by, e, &pl);
		if (row)
			add_row(row, &e->stats, p ? &p->stats : NULL, secs);
	}
	for (size_t i = 0; i < nr_fd; i++) {
		const struct task_fault_entry *f = fd[i].e;
		/* the same key and name as the programs' entries, to share their rows */
		struct vm_task_entry e = { .key = { .tgid = f->tgid, .cgroup = f->cgroup } };
		struct task_place pl;
		struct top_row *row;

		memcpy(e.stats.comm, f->comm, sizeof(e.stats.comm));
		place_of(cur, &e, &pl);
		row = row_for(rows, nr, &cap, &by_key, by, &e, &pl);
		if (!row)
			continue;
		row->faults += (fd[i].minor + fd[i].major) / secs;
		row->majors += fd[i].major / secs;
		/* the name read last: an event's may be from before an exec */
		if (by == TOP_BY_PID && f->tgid)
			memcpy(row->comm, f->comm, sizeof(row->comm));
	}
	free(by_key.slot);
	if (*rows)
		qsort(*rows, *nr, sizeof(**rows), by_weight);
	/* Rows with nothing in this interval say nothing. */
	while (*nr && row_weight(&(*rows)[*nr - 1]) == 0)
		(*nr)--;
	if (*nr > max_rows)
		*nr = max_rows;
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
			    const struct top_snapshot *cur, const struct fault_delta *fd,
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
	struct fault_delta *fd;
	size_t nr_fd;

	memset(r, 0, sizeof(*r));
	r->interval = cur->time - prev->time;
	if (r->interval <= 0)
		r->interval = 1e-9;
	r->unix_time = cur->unix_time;
	r->local = cur->local;
	vm_counters_delta(&r->delta, &cur->counters, &prev->counters);
	fd = fault_deltas(prev, cur, &nr_fd);
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
	build_rows(&r->rows, &r->nr_rows, by, prev, cur, fd, nr_fd, r->interval, max_rows);
	build_rows(&r->cgroups, &r->nr_cgroups, TOP_BY_CGROUP, prev, cur, fd, nr_fd,
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
