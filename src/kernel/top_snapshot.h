/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvas top's facts of one moment, read in one place: the counters and the
 * task table of bpf/vm_count.bpf.c, the cgroup paths of those tasks, the
 * latest translated faults, the direct map's counters and the clocks.
 * top_report_build() (src/live) turns two snapshots into an interval.
 */
#ifndef KVAS_TOP_SNAPSHOT_H
#define KVAS_TOP_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>

#include "cgroup_cache.h"
#include "task_faults.h"
#include "top_report.h"
#include "vm_count.h"

/*
 * 0, or the negative error of reading the BPF maps. tf, when not NULL,
 * gives the faults per process (top, audit).
 */
int top_snapshot_take(struct vm_count *ev, struct task_faults *tf, struct cgroup_cache *cc,
		      struct top_snapshot *s);

/*
 * The names /proc gives now to the processes of r's rows (by pid) and of
 * its recent faults: a process may have exec'd since the kernel saw it.
 */
void top_report_live_comms(struct top_report *r);

/*
 * Page faults and TLB flushes per cgroup over seconds (kvas audit's
 * tenants): wait(ms) sleeps and returns true when the user asked to stop.
 * 0 with r built; or a negative error, with why set unless wait stopped it.
 */
int top_measure(const struct translate_ctx *ctx, double seconds, bool (*wait)(int ms),
		struct cgroup_cache *cc, struct top_report *r, char *why, size_t len);

#endif
