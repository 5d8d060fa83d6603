// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "container_filter.h"
#include "dmap_report.h"
#include "record_dmap.h"
#include "record_sink.h"

bool record_dmap_wanted(const struct record_dmap_target *t, uint32_t pid, uint32_t tid,
			uint64_t cgroup)
{
	uint8_t followed;
	bool in = false;

	if (t->self && pid == (uint32_t)t->self)
		return false;
	if (t->tgid)
		return pid == (uint32_t)t->tgid;
	if (t->tid)
		return tid == (uint32_t)t->tid;
	if (t->follow)
		return t->follow_fd >= 0 && !bpf_map_lookup_elem(t->follow_fd, &pid, &followed);
	if (t->cgroups && t->cgroups[0]) {
		for (int i = 0; i < VM_CGROUP_TARGETS && t->cgroups[i] && !in; i++)
			in = t->cgroups[i] == cgroup;
		return in;
	}
	if (t->containers)
		return container_filter_allows(t->containers, t->cc, t->p, cgroup);
	return true;
}

/* The change's kernel stack, past the hook's own frames, as the events' stacks are written. */
static uint32_t change_stack(struct record_dmap *rd, const struct dmap_change *ch,
			     const struct vm_event *e)
{
	struct vm_event_stack s = { .e = *e };
	int first = dmap_first_frame(ch, rd->sink->frames.ks);
	uint32_t index = REC_NO_STACK;

	for (int i = first; i < dmap_stack_depth(ch) && s.nr_kernel < VM_STACK_KERNEL_MAX; i++)
		s.kernel_ips[s.nr_kernel++] = ch->stack[i];
	if (dmap_stack_depth(ch) == DMAP_STACK_DEPTH)
		s.flags |= VM_STACK_KERNEL_FULL;
	if (s.nr_kernel)
		record_stack(&rd->sink->frames, rd->sink->w, &s, &index);
	return index;
}

static void from_change(struct rec_dmap_change *r, const struct dmap_change *ch)
{
	memset(r, 0, sizeof(*r));
	r->ts_ns = ch->ts;
	r->addr = ch->addr;
	r->pages = ch->pages;
	r->mask_set = ch->mask_set;
	r->mask_clr = ch->mask_clr;
	r->cgroup = ch->cgroup;
	r->pid = ch->pid;
	r->tid = ch->tid;
	r->stack = REC_NO_STACK;
	r->cpa_flags = ch->cpa_flags;
	r->function = (uint16_t)ch->kind;
	r->addr_kind = (uint8_t)ch->addr_kind;
	r->primary = ch->primary != 0;
	memcpy(r->comm, ch->comm, sizeof(r->comm));
}

static int on_change(void *ctx, void *data, size_t len)
{
	struct record_dmap *rd = ctx;
	const struct dmap_change *ch = data;
	struct vm_event e = { 0 };
	struct rec_dmap_change r;
	uint64_t va = 0, pa = 0;

	if (len < sizeof(*ch) || !record_dmap_wanted(&rd->target, ch->pid, ch->tid, ch->cgroup))
		return 0;
	from_change(&r, ch);
	if (rd->layout && dmap_change_page(rd->layout, ch, &va, &pa)) {
		r.va = va;
		r.pa = pa;
	}
	/* the task as an event's: its process, thread and cgroup are named in the file */
	e.ts = ch->ts;
	e.cgroup = ch->cgroup;
	e.pid = ch->pid;
	e.tid = ch->tid;
	memcpy(e.comm, ch->comm, sizeof(e.comm));
	if (ch->pid)
		record_procs_seen(&rd->sink->procs, &e);
	if (rd->stacks)
		r.stack = change_stack(rd, ch, &e);
	if (!kd_write_dmap_change(rd->sink->w, &r))
		rd->written++;
	return 0;
}

bool record_dmap_open(struct record_dmap *rd, const struct kconfig *kc, struct ring_buffer *rb)
{
	int err;

	/* the stream's own map: a child the command forks is followed from its fork */
	if (rd->target.follow)
		rd->target.follow_fd = bpf_object__find_map_fd_by_name(rd->target.p->obj,
								       "follow_tgids");
	if (dmap_changes_open(&rd->dc, kc, rd->status, sizeof(rd->status)))
		return false;
	err = ring_buffer__add(rb, dmap_changes_ringbuf_fd(&rd->dc), on_change, rd);
	if (err) {
		dmap_changes_close(&rd->dc);
		snprintf(rd->status, sizeof(rd->status), "unavailable: cannot read their ring"
			 " buffer: %s", strerror(-err));
		return false;
	}
	snprintf(rd->status, sizeof(rd->status), "%s", rd->dc.method);
	return true;
}

int record_dmap_meta_start(const struct record_dmap *rd, struct kd_writer *w)
{
	return kd_write_meta(w, "dmap_changes", rd->status);
}

int record_dmap_meta_end(struct record_dmap *rd, struct kd_writer *w)
{
	char lost[24];

	if (!rd->dc.skel)
		return w->err;
	snprintf(lost, sizeof(lost), "%" PRIu64, dmap_changes_lost(&rd->dc));
	return kd_write_meta(w, "dmap_changes_lost", lost);
}

void record_dmap_close(struct record_dmap *rd)
{
	if (rd->dc.skel)
		dmap_changes_close(&rd->dc);
}
