// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "container_filter.h"

struct sync_walk {
	const struct container_filter *f;
	struct vm_programs *ev;
	size_t matched;
};

static void tell_kernel(uint64_t id, const char *path, void *arg)
{
	struct sync_walk *w = arg;
	bool allow = container_prefixes_match(&w->f->prefixes, path);

	w->matched += allow;
	vm_programs_filter_cgroup(w->ev, id, allow);
}

size_t container_filter_sync(struct container_filter *f, struct cgroup_cache *cc,
			     struct vm_programs *ev)
{
	struct sync_walk w = { f, ev, 0 };

	cgroup_cache_refresh(cc);
	if (f->synced_scans == cc->scans)
		return f->matched;
	f->synced_scans = cc->scans;
	f->last_id = 0;		/* its decision may have been for want of a path */
	cgroup_cache_each(cc, tell_kernel, &w);
	f->matched = w.matched;
	return f->matched;
}

bool container_filter_allows(struct container_filter *f, struct cgroup_cache *cc,
			     struct vm_programs *ev, uint64_t id)
{
	const char *path;

	if (!f->prefixes.n)
		return true;
	if (id == f->last_id)
		return f->last_allow;
	path = cgroup_path(cc, id);
	f->last_id = id;
	f->last_allow = path && container_prefixes_match(&f->prefixes, path);
	/* an id without a path (gone already) stays out of the map: it has no more events */
	if (path)
		vm_programs_filter_cgroup(ev, id, f->last_allow);
	return f->last_allow;
}

void container_filter_snapshot(struct container_filter *f, struct cgroup_cache *cc,
			       struct vm_programs *ev, struct top_snapshot *s)
{
	size_t kept = 0;

	if (!f->prefixes.n)
		return;
	for (size_t i = 0; i < s->nr_tasks; i++)
		if (container_filter_allows(f, cc, ev, s->tasks[i].key.cgroup))
			s->tasks[kept++] = s->tasks[i];
	s->nr_tasks = kept;
	kept = 0;
	for (size_t i = 0; i < s->nr_faults; i++)
		if (container_filter_allows(f, cc, ev, s->faults[i].cgroup))
			s->faults[kept++] = s->faults[i];
	s->nr_faults = kept;
}
