// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "cgroup_key.h"
#include "containers.h"
#include "top_rows.h"
#include "vm_decode.h"

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

struct top_fault_delta *top_fault_deltas(const struct top_snapshot *prev,
					 const struct top_snapshot *cur, size_t *n)
{
	struct top_fault_delta *d = calloc(cur->nr_faults ? cur->nr_faults : 1, sizeof(*d));

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
			d[(*n)++] = (struct top_fault_delta){ f, minor, major };
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

void top_rows_build(struct top_row **rows, size_t *nr, enum top_by by,
		    const struct top_snapshot *prev, const struct top_snapshot *cur,
		    const struct top_fault_delta *fd, size_t nr_fd, double secs, size_t max_rows)
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
