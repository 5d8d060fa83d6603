/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvas serve's metrics: what one scrape exports, as a model built from the
 * same counts as kvas top (one snapshot, src/kernel/top_snapshot.c: the
 * kernel's own per-process fault counts and the programs' counters) and
 * the facts refreshed at --interval (the direct-map walk, the audit), and
 * written through the one exposition writer (src/core/prom_writer.c).
 *
 * No kernel address, base or offset is in the model: only counts, page
 * counts, check results and bits of entropy.
 */
#ifndef KVAS_METRICS_H
#define KVAS_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "containers.h"
#include "dmap_shared.h"
#include "prom_writer.h"
#include "remote_flush.h"
#include "top_report.h"

enum { HANDLED_MINOR, HANDLED_MAJOR, HANDLED_NR };

/* One container's counts since kvas serve started, or the "other" fold. */
struct metrics_container {
	char runtime[16];
	char id[CONTAINER_SHORT_LEN + 1];	/* "" for a pod's own cgroup */
	char pod_uid[POD_UID_LEN + 1];
	char cgroup[400];		/* where it was seen: gone with it */
	/* faults the mm handled for its processes (their min_flt, maj_flt) */
	uint64_t handled[HANDLED_NR];
	struct vm_task_stats stats;	/* kernel-mode faults and TLB, from events */
};

/*
 * A process in a cgroup at the last update: the counts the host's and its
 * container's totals have taken from it so far. Its container's stay where
 * they were while its cgroup has no path yet, so that the container takes
 * them whole once it has one.
 */
struct metrics_process {
	uint32_t tgid;
	uint64_t cgroup;
	uint64_t host[HANDLED_NR], container[HANDLED_NR];
};

/*
 * Each container's counts, added up scrape by scrape: the faults the mm
 * handled from the kernel's per-process counts (src/core/thread_faults.c),
 * the rest from the programs' task table. A process that exits, or that
 * the table (an LRU) forgets, leaves what it did in its container's total:
 * a container's counters never go back while its cgroup exists.
 */
struct metrics_tally {
	struct metrics_container *all;
	size_t nr, cap;
	struct vm_task_entry *prev;	/* the last snapshot's tasks, sorted */
	size_t nr_prev;
	struct metrics_process *procs;	/* the last snapshot's processes, sorted */
	size_t nr_procs;
	uint64_t handled[HANDLED_NR];	/* every process of the host, exited ones too */
};

/* Add what each container's processes did since the last update: 0 or -ENOMEM. */
int metrics_tally_update(struct metrics_tally *t, const struct top_snapshot *s);
/* Forget the containers whose cgroup no longer exists(): their series disappear. */
void metrics_tally_prune(struct metrics_tally *t, bool (*exists)(const char *cgroup, void *ctx),
			 void *ctx);
void metrics_tally_free(struct metrics_tally *t);

struct metrics_containers {
	struct metrics_container *top;	/* the busiest, busiest first */
	size_t nr;
	struct metrics_container other;	/* every other live container, summed */
	size_t folded;			/* containers in other */
};

/* The max busiest containers of t kept apart, the rest folded into other. */
int metrics_containers_build(struct metrics_containers *mc, const struct metrics_tally *t,
			     size_t max);
void metrics_containers_free(struct metrics_containers *mc);

/* A finding of the audit, as exported: no evidence (it holds addresses). */
struct metrics_check {
	char area[32];			/* "kaslr", "unprivileged_view", ... */
	char id[80];
	const char *result;		/* "pass", "warn", "fail", "unknown" */
};

enum { KASLR_TEXT_PART, KASLR_MEMORY_PART, KASLR_NR_PARTS };

/* What --interval refreshes: costly to take, so not taken per scrape. */
struct metrics_refreshed {
	double interval;		/* seconds between refreshes */
	double unix_time;		/* when taken; 0: not yet */
	double seconds;			/* how long it took */
	uint64_t errors[2];		/* walks, audits that failed, since start */
	bool have_walk;
	uint64_t dmap_pages[3];		/* by page size: 4K, 2M, 1G, from the walk */
	uint64_t dmap_removed_pages;	/* 4K pages over RAM taken out of the direct map */
	struct metrics_check *checks;
	size_t nr_checks;
	int kaslr_active[KASLR_NR_PARTS];	/* 1, 0, -1 unknown */
	double text_bits;		/* NaN: unknown */
	double memory_bits[3];		/* direct map, vmalloc, vmemmap; NaN: unknown */
};

/*
 * The direct map's page-attribute changes since kvas serve started, by the
 * kernel function kvas hooked (one of DMAP_NR_CHANGE_KINDS: a fixed set, so
 * few series); method says how, "none" when the kernel let kvas hook none.
 * Counts only: the events' addresses and stacks are not kept.
 */
struct metrics_dmap_changes {
	const char *method;		/* "fentry", "kprobe" or "none" */
	uint64_t changes[DMAP_NR_CHANGE_KINDS];	/* calls of each hooked function */
	uint64_t pages[DMAP_NR_CHANGE_KINDS];	/* pages those calls asked to change */
	uint64_t lost;			/* events the ring buffer had no room for */
};

/* Count one change event (struct dmap_change of bpf/dmap_changes.bpf.c). */
void metrics_dmap_change_count(struct metrics_dmap_changes *d, const struct dmap_change *c);

struct metrics {
	const char *version;
	bool have_counters;		/* false: this scrape could not read them */
	struct vm_counters counters;	/* since start */
	bool have_handled;		/* false: the per-process counts not read yet */
	uint64_t handled[HANDLED_NR];	/* faults the mm handled, every process, since start */
	uint64_t evicted_total;		/* processes the task table lost */
	uint64_t exits_lost;		/* thread exits whose last counts were lost */
	const struct metrics_containers *containers;
	const struct metrics_refreshed *refreshed;	/* NULL: none yet */
	const struct metrics_dmap_changes *dmap_changes;	/* NULL: not asked */
	/* how remote TLB flushes go, judged since kvas serve started; NULL: not judged */
	const struct remote_flush_verdict *remote_flush;
	const struct tlb_reasons *tlb_reasons;	/* the names of this kernel's reasons */
	double scrape_seconds;		/* reading this scrape's counters */
	uint64_t scrape_errors;		/* scrapes whose counters could not be read */
};

/* Every family, with HELP and TYPE; the writer's error or 0. */
int metrics_write(const struct metrics *m, struct prom_writer *w);

/* "task switch" -> "task_switch": a label value from a name of vm_decode.h. */
char *metrics_label_value(const char *name, char *buf, size_t len);

#endif
