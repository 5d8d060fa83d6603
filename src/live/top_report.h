/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvas top: one interval's figures, built from two snapshots, printed two
 * ways. A snapshot is every fact of one moment, taken in one place
 * (src/kernel/top_snapshot.c); the build and the printers read no clock,
 * no /proc and no cgroup tree, only the snapshots and the report.
 */
#ifndef KVAS_TOP_REPORT_H
#define KVAS_TOP_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "containers.h"
#include "procfs.h"
#include "read_failures.h"
#include "remote_flush.h"
#include "thread_faults.h"
#include "vm_counters.h"
#include "vm_decode.h"
#include "vm_parts.h"

enum top_by { TOP_BY_PID, TOP_BY_COMM, TOP_BY_CGROUP, TOP_BY_CONTAINER };

/* Kubernetes' systemd paths run past 200 characters (rows and cgroups are many: not more). */
#define TOP_PATH_LEN 256

/* A cgroup of the task table and its path under the v2 mount. */
struct top_cgroup {
	uint64_t id;
	char path[TOP_PATH_LEN];	/* "": no directory has that id */
};


/* The cgroup cache's size, for a reader to see it stay bounded. */
struct top_cache_stats {
	size_t entries;			/* ids with a path */
	size_t negative;		/* ids remembered as unknown */
	uint64_t misses;		/* lookups that found nothing, in all */
	uint64_t scans;			/* rescans of the cgroup tree, in all */
};

#define TOP_RECENT 8

struct top_snapshot {
	struct vm_counters counters;
	/*
	 * Faults the mm handled, by process and cgroup, from the kernel's own
	 * per-thread counts (sorted by task_fault_entry_cmp).
	 */
	struct task_fault_entry *faults;
	size_t nr_faults;
	uint64_t exits_lost;		/* exits whose last faults were lost, in all */
	double user_watched;		/* seconds the user-mode fault program ran, in all */
	struct vm_task_entry *tasks;	/* sorted by vm_task_entry_cmp, each key once */
	size_t nr_tasks;
	size_t table_entries;		/* keys in the kernel's table (tasks adds batches) */
	size_t table_size;		/* keys it can hold (-m) */
	bool settled;			/* tasks and counters are of one moment */
	struct top_cgroup *cgroups;	/* every cgroup in tasks, sorted by id */
	size_t nr_cgroups;
	struct top_cache_stats cache;
	struct vm_translation recent[TOP_RECENT];	/* the latest translated faults */
	int nr_recent;
	uint64_t page_offset_base;	/* the direct map the translations point into */
	struct direct_map_stats dmap;
	double time;			/* seconds, monotonic */
	double unix_time;		/* seconds since the epoch */
	struct tm local;		/* the same moment, local time */
	bool raw_tp;			/* the programs run as raw_tp: tp_btf did not load */
	const struct tlb_reasons *tlb_reasons;	/* the names of this kernel's reasons */
	struct vm_part_state parts[VM_NR_PARTS];	/* what this kernel lets kvas count */
	bool tlb_irqs_known;		/* /proc/interrupts has a TLB line */
	uint64_t tlb_irqs;		/* its count, every CPU, read with the maps */
	const char *send_path;		/* the path a remote flush request took; NULL */
	struct read_failures failed;	/* reads that failed: what they fed is short */
};

struct top_row {
	uint32_t pid;			/* by pid: 0 is the idle task */
	char comm[16];
	char cgroup[TOP_PATH_LEN];
	char container[80];		/* container_label(): runtime:short-id pod:uid */
	unsigned int attribution;		/* enum cgroup_kind: what named its cgroup */
	double faults, majors;		/* handled by the mm (the kernel's counts) */
	/* the programs' counters (include/task_counters.h), per second */
#define TOP_ROW_RATE(f, ...) double f;
	TASK_COUNTERS(TOP_ROW_RATE)
#undef TOP_ROW_RATE
};

struct top_recent {
	struct vm_translation t;
	char comm[16];
	uint64_t direct_map_alias;
};

struct top_report {
	double interval;		/* seconds the rates cover */
	double unix_time;		/* when the interval ended */
	struct tm local;
	struct vm_counters delta;	/* events in the interval */
	uint64_t faults, majors;	/* faults the mm handled in the interval */
	uint64_t exits_lost;		/* in the interval */
	double user_watched;		/* seconds of it the user-mode fault program ran */
	struct direct_map_stats dmap, dmap_prev;	/* at the end and at the start */
	enum top_by by;
	/* the rows by --by; and the busiest cgroups, shown beside rows of another kind */
	struct top_row *rows, *cgroups;
	size_t nr_rows, nr_cgroups;
	/*
	 * The totals less the rows shown: processes beyond --rows, evicted from
	 * the table, or gone between reads; rows and this add up to the totals.
	 */
	struct top_row rest;
	uint64_t evicted, evicted_total;	/* from the task table: -m too small */
	struct top_recent recent[TOP_RECENT];
	int nr_recent;
	uint64_t lost_total, sampled_total;
	size_t tracked_tasks;
	size_t table_size;		/* -m: keys the kernel's table holds at most */
	bool raw_tp;
	const struct tlb_reasons *tlb_reasons;
	struct vm_part_state parts[VM_NR_PARTS];
	struct top_cache_stats cache;
	struct remote_flush_verdict remote_flush;	/* since the mark (top_report_judge) */
	/* reads that failed at either end: figures from them are short or long */
	struct read_failures failed;
};

/* Where the evidence of how remote flushes go starts: one snapshot's counts. */
struct remote_flush_mark {
	uint64_t sends, received, irqs;
	bool irqs_known;
};

void remote_flush_mark_of(struct remote_flush_mark *m, const struct top_snapshot *s);
/* r's remote flush method, from what the kernel did between since and cur. */
void top_report_judge(struct top_report *r, const struct remote_flush_host *h,
		      const struct remote_flush_mark *since, const struct top_snapshot *cur);
/* The same, into v: for serve, which has no report. */
void top_report_judge_since(struct remote_flush_verdict *v, const struct remote_flush_host *h,
			    const struct remote_flush_mark *since, const struct top_snapshot *cur);

void top_snapshot_free(struct top_snapshot *s);
/*
 * Make s, read after the programs were attached, the start of the first
 * interval: the maps were empty at attached (monotonic seconds), so what
 * they held when s was read happened inside that interval and counts there.
 * The direct map's state and the names stay those read.
 */
void top_snapshot_since(struct top_snapshot *s, double attached);
/* By id: for qsort and bsearch over struct top_cgroup. */
int top_cgroup_cmp(const void *a, const void *b);
/* Keys the LRU task table lost: it never deletes, so inserts less the keys it holds. */
uint64_t top_snapshot_evicted(const struct top_snapshot *s);
/* id's path in s, or NULL when its directory was not found. */
const char *top_snapshot_cgroup(const struct top_snapshot *s, uint64_t id);

/*
 * The interval between prev and cur: rows sorted, cut to max_rows; the
 * recent faults of cur. The names are those the kernel saw at the events.
 */
void top_report_build(struct top_report *r, const struct top_snapshot *prev,
		      const struct top_snapshot *cur, enum top_by by, size_t max_rows);
void top_report_free(struct top_report *r);

/* Who a row's container is (its runtime, ids, pod), from its cgroup: false for none. */
bool top_row_container(const struct top_row *w, struct container_ref *c);

/* Flushes (local and remote) in the report's interval. */
static inline uint64_t top_flushes(const struct top_report *r)
{
	return r->delta.tlb_class[TLBC_LOCAL] + r->delta.tlb_class[TLBC_REMOTE];
}

/* Events per second over the report's interval. */
static inline double top_rate(const struct top_report *r, uint64_t n)
{
	return n / r->interval;
}

void top_report_text(const struct top_report *r, FILE *out);
json_t *top_report_json(const struct top_report *r);

/*
 * The first screen, as soon as the programs count: what one snapshot knows
 * at once (the direct map, what this kernel lets kvas count) and when the
 * first rates come. It has no rates, so it has no JSON form: a JSON line is
 * an interval's record, and a line without one would be a special case for
 * every reader of the stream.
 */
struct top_start {
	struct tm local;		/* counting since */
	double next_in;			/* seconds until the first rates */
	struct direct_map_stats dmap;
	bool raw_tp;
	struct vm_part_state parts[VM_NR_PARTS];
};

void top_start_build(struct top_start *st, const struct top_snapshot *s, double next_in);
void top_start_text(const struct top_start *st, FILE *out);

#endif
