/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cgroup keys (include/cgroup_key.h) to paths. A key's id is the inode
 * number of the cgroup's directory under its hierarchy's mount (v2, v1
 * memory, v1 cpu), so walking those trees maps keys to paths; a mount
 * namespace's key reads "mnt:[inode]", as /proc/PID/ns/mnt does. On hosts where containers come and go by the thousand the
 * cache must neither stall nor grow:
 *   - ids live in a hash table (lookups are per event in kvas trace);
 *   - a miss opens the id as a file handle (one syscall: a cgroup made since
 *     the last scan), else rescans the tree, at most once per CGROUP_RESCAN_MS;
 *   - an id still unknown after the rescan is remembered as unknown for
 *     CGROUP_NEGATIVE_MS (no rescan for it meanwhile), CGROUP_NEGATIVE_MAX
 *     of them at most;
 *   - each rescan drops the ids whose directories are gone.
 * So the table holds the cgroups that exist plus a bounded number of misses.
 */
#ifndef KVAS_CGROUP_CACHE_H
#define KVAS_CGROUP_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cgroup_key.h"

#define CGROUP_RESCAN_MS	1000
#define CGROUP_NEGATIVE_MS	10000
#define CGROUP_NEGATIVE_MAX	4096

struct cgroup_entry {
	uint64_t id;		/* the key */
	char *path;		/* relative to its hierarchy's mount, "/" for the root; NULL: unknown */
	uint64_t expires_ms;	/* unknown ids: when to look again */
	uint32_t scan;		/* the scan that last saw it */
	struct cgroup_entry *next;
};

/* A hierarchy: a cgroup key kind's mount. */
struct cgroup_tree {
	char mount[256];	/* "" when not mounted */
	int mount_fd;		/* for open_by_handle_at; -1 without */
};

struct cgroup_cache {
	char mount[256];	/* the v2 mount; "" when no cgroup2 mount exists */
	struct cgroup_tree trees[CGROUP_KIND_MNTNS];	/* by kind: v2, v1 memory, v1 cpu */
	struct cgroup_entry **buckets;
	size_t nr_buckets;
	size_t entries;		/* ids with a path */
	size_t negative;	/* ids remembered as unknown */
	uint64_t misses;	/* lookups that found no path */
	uint64_t scans;		/* rescans of the tree */
	uint64_t last_scan_ms;	/* CLOCK_MONOTONIC */
};

int cgroup_cache_init(struct cgroup_cache *cc);
void cgroup_cache_free(struct cgroup_cache *cc);

/* The path of id, or NULL when it is unknown (even after a rescan). */
const char *cgroup_path(struct cgroup_cache *cc, uint64_t id);

/* Rescan now unless the last scan is younger than CGROUP_RESCAN_MS: whether it did. */
bool cgroup_cache_refresh(struct cgroup_cache *cc);

/* Call fn for every known cgroup (not the unknown ids). */
void cgroup_cache_each(const struct cgroup_cache *cc,
		       void (*fn)(uint64_t id, const char *path, void *arg), void *arg);

/*
 * The keys of a cgroup given as top prints it: a path (absolute, or
 * relative to a mount), one key for each hierarchy where that directory
 * exists (a task's key names one of them), or "mnt:[inode]". The number of
 * keys (at most max), or -errno when none exists.
 */
int cgroup_keys_of(const struct cgroup_cache *cc, const char *path, uint64_t *keys, int max);

/* The host's mount namespace (pid 1's) inode, for the BPF programs; 0: unknown. */
uint64_t cgroup_host_mnt_ns(void);

#endif
