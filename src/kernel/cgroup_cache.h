/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cgroup v2 ids to paths. bpf_get_current_cgroup_id() is the inode number
 * of the cgroup's directory under the v2 mount, so walking that tree maps
 * ids to paths. The map is cached and rebuilt on a miss, at most once a second.
 */
#ifndef KVAS_CGROUP_CACHE_H
#define KVAS_CGROUP_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct cgroup_entry {
	uint64_t id;
	char *path;		/* relative to the v2 mount, "/" for the root */
};

struct cgroup_cache {
	char mount[256];	/* "" when no cgroup2 mount exists */
	struct cgroup_entry *entries;
	size_t nr, cap;
	time_t last_scan;
};

int cgroup_cache_init(struct cgroup_cache *cc);
void cgroup_cache_free(struct cgroup_cache *cc);

/* The path of id, or NULL when it is unknown (even after a rescan). */
const char *cgroup_path(struct cgroup_cache *cc, uint64_t id);

/* The id of a cgroup given as a path (absolute, or relative to the mount). */
int cgroup_id_of(const struct cgroup_cache *cc, const char *path, uint64_t *id);

#endif
