/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --container, in both event objects: cgroup key -> 1 (a matching
 * container's) or 0 (another's), filled by userspace from its cgroup cache
 * (src/kernel/container_filter.c), where knobs.filter_containers is set
 * (elsewhere userspace shrinks the map to one entry). A cgroup made since
 * (a new container) is in neither until userspace sees it: its events
 * pass, and userspace decides for them and records the decision here.
 */
#ifndef KVAS_CONTAINER_FILTER_BPF_H
#define KVAS_CONTAINER_FILTER_BPF_H

#include "vm_knobs.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, __u8);
} cgroup_filter SEC(".maps");

static __always_inline bool container_passes(__u64 key)
{
	__u8 *allow;

	if (!knobs.filter_containers)
		return true;
	allow = bpf_map_lookup_elem(&cgroup_filter, &key);
	return !allow || *allow;
}

#endif
