/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What kvas record keeps of the tasks it sees: each process (ppid, comm,
 * cmdline, cgroup) and its mappings from /proc/PID/maps, read at its first
 * event, again after an exec or at an ip in none of them, and at the end
 * for those still alive (short-lived ones are
 * covered as far as they can be); each thread; each cgroup with its path
 * and container, resolved at first sight (they may be gone at the end).
 */
#ifndef KVAS_RECORD_PROCS_H
#define KVAS_RECORD_PROCS_H

#include <stddef.h>

#include "kvas_data.h"
#include "record_table.h"
#include "recording.h"

struct cgroup_cache;
struct user_symbols;

/* What is kept of a process besides its record: when its maps were read, under which name. */
struct record_proc_state {
	char comm[16];			/* its main thread's at its last event: a change is an exec */
	uint64_t start_time;		/* /proc/PID/stat's starttime: the same pid is the same process */
	uint64_t read_ts;		/* the event time its maps were last read at */
	struct rec_mapping *maps;	/* every mapping read, none twice */
	size_t nr_maps, cap_maps;
	size_t last_hit;		/* the mapping the last lookup found: faults come in runs */
};

struct record_procs {
	struct cgroup_cache *cc;	/* borrowed: cgroup paths */
	struct user_symbols *us;	/* borrowed: a new process's symbols are read at once */
	struct rec_process *procs;	size_t nr_procs, cap_procs;
	struct record_proc_state *state;	/* by procs' index */
	size_t cap_state;
	struct rec_thread *threads;	size_t nr_threads, cap_threads;
	struct rec_cgroup *cgroups;	size_t nr_cgroups, cap_cgroups;
	struct record_table proc_at, thread_at, cgroup_at;
};

/* Note an event's process, thread and cgroup: read at their first event. */
void record_procs_seen(struct record_procs *rp, const struct vm_event *e);
/*
 * The recorded mapping of e's process holding addr (an ip, a fault's
 * address). Where none does (a library loaded, a buffer mapped since), its
 * maps are read again if the last read is gap_ns older than e. NULL: none.
 */
const struct rec_mapping *record_procs_mapping(struct record_procs *rp, const struct vm_event *e,
					       uint64_t addr, uint64_t gap_ns);
/* At the end: the mappings of the processes still alive, added to. */
void record_procs_refresh(struct record_procs *rp);
int record_procs_write(const struct record_procs *rp, struct kd_writer *w);
void record_procs_free(struct record_procs *rp);

#endif
