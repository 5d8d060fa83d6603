/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A task's cgroup identity, one 64-bit key decided in the kernel where its
 * events are counted, the same in every command (top, trace, serve, audit,
 * dmap). The rule, for hosts with cgroup v2, v1 or both (hybrid):
 *   - its cgroup v2 directory, where that is not the v2 root;
 *   - else its v1 memory cgroup, where that is not the hierarchy's root;
 *   - else its v1 cpu cgroup, likewise (a runtime on a hybrid host may put
 *     its containers in v1 hierarchies only: their tasks are in the v2 root);
 *   - else its mount namespace, where that is not the host's (pid 1's);
 *   - else the v2 root.
 * The key is the directory's kernfs id (its inode number under that
 * hierarchy's mount) or the namespace's inode, with the kind in the top
 * bits: ids of different hierarchies can be equal, keys cannot. Kernfs
 * ids keep a generation above bit 32 that never comes near bit 60.
 */
#ifndef KVAS_CGROUP_KEY_H
#define KVAS_CGROUP_KEY_H

enum cgroup_kind {
	CGROUP_KIND_V2,
	CGROUP_KIND_V1_MEMORY,
	CGROUP_KIND_V1_CPU,
	CGROUP_KIND_MNTNS,
	CGROUP_NR_KINDS,
};

#define CGROUP_KEY_SHIFT	60
#define CGROUP_KEY_ID_MASK	((1ULL << CGROUP_KEY_SHIFT) - 1)

#define CGROUP_KEY(kind, id) \
	(((unsigned long long)(kind) << CGROUP_KEY_SHIFT) | ((id) & CGROUP_KEY_ID_MASK))
#define CGROUP_KEY_KIND(key)	((unsigned int)((key) >> CGROUP_KEY_SHIFT))
#define CGROUP_KEY_ID(key)	((key) & CGROUP_KEY_ID_MASK)

#endif
