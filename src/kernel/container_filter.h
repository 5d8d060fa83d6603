/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --container ID-OR-PREFIX for kvas top and trace, applied in the kernel by
 * cgroup id. Either event object (bpf/container_filter.bpf.h) drops the events of every cgroup id that
 * its cgroup_filter map says is not a matching container's; userspace fills
 * the map from the cgroup cache, once a second at most (a rescan sees the
 * containers started since). A cgroup made after the last rescan is in the
 * map under neither answer: its events pass, userspace decides for its id
 * on its first event (rescanning if need be) and writes the answer to the
 * map, so the kernel drops or keeps the rest. A container started after
 * kvas is thus counted from its first event.
 */
#ifndef KVAS_CONTAINER_FILTER_H
#define KVAS_CONTAINER_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "cgroup_cache.h"
#include "containers.h"
#include "top_report.h"
#include "vm_programs.h"

struct container_filter {
	struct container_prefixes prefixes;	/* n == 0: no filter */
	uint64_t synced_scans;		/* the cache's scans at the last sync */
	size_t matched;			/* cgroups that matched then */
	uint64_t last_id;		/* events come in runs of one cgroup */
	bool last_allow;
};

/*
 * Rescan (at the cache's bounded rate) and tell the kernel about every
 * cgroup the rescan found: how many cgroups match now.
 */
size_t container_filter_sync(struct container_filter *f, struct cgroup_cache *cc,
			     struct vm_programs *ev);

/* Does an event of cgroup id pass? Decided once per id, then by the kernel. */
bool container_filter_allows(struct container_filter *f, struct cgroup_cache *cc,
			     struct vm_programs *ev, uint64_t id);

/* Drop the snapshot's tasks of cgroups that do not pass (those that got by first). */
void container_filter_snapshot(struct container_filter *f, struct cgroup_cache *cc,
			       struct vm_programs *ev, struct top_snapshot *s);

#endif
