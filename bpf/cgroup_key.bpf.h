/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A task's cgroup key (include/cgroup_key.h says the rule), read from the
 * task: its css_set's v2 cgroup, the css_set's memory and cpu subsystem
 * states for the v1 hierarchies, and its nsproxy's mount namespace. The
 * subsystem ids come from this kernel's enum cgroup_subsys_id (CO-RE): a
 * kernel without memcg or the cpu controller skips that step.
 *
 * Each program that includes this sets host_mnt_ns before load (0: no
 * mount-namespace step, as when /proc/1 could not be read).
 */
#ifndef KVAS_CGROUP_KEY_BPF_H
#define KVAS_CGROUP_KEY_BPF_H

#include "cgroup_key.h"

const volatile __u64 host_mnt_ns = 0;

/* A cgroup's key where it is not its hierarchy's root; 0 where it is. */
static __always_inline __u64 cgroup_key_below_root(struct cgroup *cg, __u32 kind)
{
	if (!cg || !BPF_CORE_READ(cg, level))
		return 0;
	return CGROUP_KEY(kind, BPF_CORE_READ(cg, kn, id));
}

static __always_inline struct cgroup *subsys_cgroup(struct css_set *cs, int id)
{
	struct cgroup_subsys_state *css = NULL;

	/* a bound for the verifier: the ids come from this kernel's enum */
	if (id < 0 || id >= 64)
		return NULL;
	bpf_core_read(&css, sizeof(css), &cs->subsys[id]);
	return css ? BPF_CORE_READ(css, cgroup) : NULL;
}

static __always_inline __u64 task_cgroup_key(struct task_struct *t)
{
	struct css_set *cs = BPF_CORE_READ(t, cgroups);
	struct cgroup *dfl = BPF_CORE_READ(cs, dfl_cgrp);
	__u64 key, ns;

	key = cgroup_key_below_root(dfl, CGROUP_KIND_V2);
	if (key)
		return key;
	if (bpf_core_enum_value_exists(enum cgroup_subsys_id, memory_cgrp_id)) {
		key = cgroup_key_below_root(subsys_cgroup(cs, bpf_core_enum_value(enum cgroup_subsys_id,
										   memory_cgrp_id)),
					    CGROUP_KIND_V1_MEMORY);
		if (key)
			return key;
	}
	if (bpf_core_enum_value_exists(enum cgroup_subsys_id, cpu_cgrp_id)) {
		key = cgroup_key_below_root(subsys_cgroup(cs, bpf_core_enum_value(enum cgroup_subsys_id,
										   cpu_cgrp_id)),
					    CGROUP_KIND_V1_CPU);
		if (key)
			return key;
	}
	if (host_mnt_ns) {
		ns = BPF_CORE_READ(t, nsproxy, mnt_ns, ns.inum);
		/* an exiting task has no nsproxy left: the v2 root stands */
		if (ns && ns != host_mnt_ns)
			return CGROUP_KEY(CGROUP_KIND_MNTNS, ns);
	}
	return dfl ? CGROUP_KEY(CGROUP_KIND_V2, BPF_CORE_READ(dfl, kn, id)) : 0;
}

/*
 * A CPU's last decision: the key of the task with this css_set (which a
 * move to another cgroup replaces) and this nsproxy. Those two hold
 * everything the rule reads, and comparing them is two loads.
 */
struct cgroup_key_cache {
	__u64 cset, nsproxy, key;
};

/* current->cgroups, current->nsproxy: under tp_btf loads, under raw_tp a helper. */
static __always_inline __u64 current_css_set(bool btf)
{
	if (btf)
		return (__u64)bpf_get_current_task_btf()->cgroups;
	return (__u64)BPF_CORE_READ((struct task_struct *)bpf_get_current_task(), cgroups);
}

static __always_inline __u64 current_nsproxy(bool btf)
{
	if (btf)
		return (__u64)bpf_get_current_task_btf()->nsproxy;
	return (__u64)BPF_CORE_READ((struct task_struct *)bpf_get_current_task(), nsproxy);
}

/* The current task's key, decided again only when its css_set or nsproxy changed. */
static __always_inline __u64 current_cgroup_key(struct cgroup_key_cache *kc, bool btf)
{
	__u64 cset = current_css_set(btf), nsp = current_nsproxy(btf);

	if (!cset || kc->cset != cset || kc->nsproxy != nsp) {
		kc->cset = cset;
		kc->nsproxy = nsp;
		kc->key = task_cgroup_key((struct task_struct *)bpf_get_current_task());
	}
	return kc->key;
}

#endif
