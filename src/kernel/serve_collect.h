/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvas serve's collector: at each scrape, the kernel's own per-thread fault
 * counts (bpf/task_faults.bpf.c) and the counters of bpf/vm_count.bpf.c, read
 * as kvas top reads them; and the costly facts (the direct-map walk
 * and the audit) refreshed by the caller every --interval. A scrape and a
 * refresh may run at once, from two threads: the refreshed facts are
 * swapped in under a lock, and a refresh never resets a counter.
 */
#ifndef KVAS_SERVE_COLLECT_H
#define KVAS_SERVE_COLLECT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cgroup_cache.h"
#include "dmap_changes.h"
#include "dmap_report.h"
#include "metrics.h"
#include "task_faults.h"
#include "vm_count.h"

struct discovery;
struct ring_buffer;
struct translator;

struct serve_collector {
	pthread_mutex_t lock;
	const char *version;
	size_t max_containers;		/* --containers */
	struct vm_count ev;
	struct task_faults tf;		/* the faults the mm handled, per thread */
	struct cgroup_cache cc;
	uint64_t scrape_errors;		/* scrapes with a read that failed */
	struct read_failures told;	/* the failures said on stderr, once each */
	struct remote_flush_host host;	/* how remote flushes go: read at the start */
	struct remote_flush_mark mark;	/* and judged from then on */
	struct remote_flush_verdict remote_flush;
	struct metrics_tally tally;	/* per container, across scrapes */
	bool tallied;			/* the tally has taken one snapshot at least */
	/* the direct map's changes, drained at each scrape, when attached */
	struct dmap_changes dc;
	struct ring_buffer *dc_reader;	/* NULL: not attached */
	struct metrics_dmap_changes dmap_changes;
	char attribution_why[256];	/* why not attached; "" when attached */
	struct metrics_refreshed refreshed;	/* under lock */
	bool have_refreshed;
	/* the refresh's own, used by the refreshing thread only */
	struct translator *tr;
	struct discovery *d;
	struct dmap_facts facts;
	bool have_facts;
	uid_t probe_uid;		/* the audit's unprivileged view */
	gid_t probe_gid;
};

/*
 * Load the counting programs: 0, or -1 with why set. The hooks on the
 * direct map's changes are tried too; without them it still opens, with
 * attribution_why saying why (for the caller to print).
 */
int serve_collector_open(struct serve_collector *c, struct translator *tr, struct discovery *d,
			 size_t max_containers, double interval, char *why, size_t len);
void serve_collector_close(struct serve_collector *c);

/* Walk the direct map and run the audit, then swap the result in. */
void serve_collector_refresh(struct serve_collector *c);

/* One exposition, malloc'd: 0, or -errno. Fits http_metrics_fn. */
int serve_collector_write(void *collector, enum prom_format format, char **body, size_t *len);

#endif
