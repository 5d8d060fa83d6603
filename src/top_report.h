/* SPDX-License-Identifier: GPL-2.0 */
/* kvas top: one interval's figures, built from two snapshots, printed two ways. */
#ifndef KVAS_TOP_REPORT_H
#define KVAS_TOP_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "cgroups.h"
#include "procfs.h"
#include "vmevents.h"

enum top_by { TOP_BY_PID, TOP_BY_COMM, TOP_BY_CGROUP };

struct top_snapshot {
	struct vm_counters counters;
	struct vm_task_entry *tasks;	/* sorted by key */
	size_t nr_tasks;
	struct direct_map_stats dmap;
	double time;			/* seconds, monotonic */
};

struct top_row {
	uint32_t pid;			/* 0 when rows are merged by comm or cgroup */
	char comm[16];
	char cgroup[160];
	char container[48];
	double faults_user, faults_kernel, writes, tlb_flushes, ipis_sent, remote_received;
	double ipi_cpus;		/* other CPUs in the mm's cpumask, per send */
};

#define TOP_RECENT 8

struct top_recent {
	struct vm_translation t;
	char comm[16];
	uint64_t direct_map_alias;
};

struct top_report {
	double interval;		/* seconds the rates cover */
	struct vm_counters delta;	/* events in the interval */
	struct direct_map_stats dmap, dmap_delta;
	enum top_by by;
	struct top_row *rows, *containers;
	size_t nr_rows, nr_containers;
	struct top_recent recent[TOP_RECENT];
	int nr_recent;
	uint64_t lost_total, sampled_total;
	size_t tracked_tasks;
	bool raw_tp;
	struct vm_part_state parts[VM_NR_PARTS];	/* what this kernel lets kvas count */
};

int top_snapshot_take(struct vmevents *ev, struct top_snapshot *s);
void top_snapshot_free(struct top_snapshot *s);

/* The interval between prev and cur; rows sorted, cut to max_rows. */
void top_report_build(struct top_report *r, const struct top_snapshot *prev,
		      const struct top_snapshot *cur, enum top_by by, size_t max_rows,
		      struct cgroup_cache *cc);
void top_report_free(struct top_report *r);
/* The latest faults translated in the kernel, with their direct-map aliases. */
void top_report_recent(struct top_report *r, struct vmevents *ev,
		       const struct top_snapshot *cur, uint64_t page_offset_base);

void top_report_text(const struct top_report *r, FILE *out);
json_t *top_report_json(const struct top_report *r);

#endif
