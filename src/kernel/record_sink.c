// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "record_sink.h"

#define NONE UINT16_MAX
#define VM_USER_END (1ULL << 47)	/* 4-level paging's; a 5-level user half is larger, rarely used */

int record_sink_init(struct record_sink *s, struct kd_writer *w, int nr_cpus)
{
	memset(s, 0, sizeof(*s));
	s->w = w;
	s->nr_cpus = nr_cpus;
	s->waiting = calloc(nr_cpus, sizeof(*s->waiting));
	if (!s->waiting)
		return -1;
	for (int c = 0; c < nr_cpus; c++)
		s->waiting[c].kind = NONE;
	s->frames.rp = &s->procs;
	return 0;
}

static int write_event(struct record_sink *s, struct rec_event *r)
{
	int err = kd_write_event(s->w, r);

	r->kind = NONE;
	if (err)
		return err;
	s->written++;
	s->with_stacks += r->stack != REC_NO_STACK;
	return 0;
}

/* The CPU's waiting fault, if the translation is its. */
static int translated(struct record_sink *s, const struct vm_translation *t, uint32_t cpu)
{
	struct rec_event *r = &s->waiting[cpu];

	if (r->kind == NONE || r->tid != t->tid || r->addr != t->addr)
		return 0;
	r->pa = t->pa;
	r->page_shift = t->page_shift;
	return write_event(s, r);
}

static void from_event(struct rec_event *r, const struct vm_event *e)
{
	memset(r, 0, sizeof(*r));
	r->ts_ns = e->ts;
	r->addr = e->addr;
	r->ip = e->ip;
	r->arg = e->arg;
	r->cgroup = e->cgroup;
	r->pid = e->pid;
	r->tid = e->tid;
	r->cpu = e->cpu;
	r->kind = e->kind;
	r->reason = e->reason;
	r->tlb_class = e->tlb_class;
	r->stack = REC_NO_STACK;
}

int record_sink_take(struct record_sink *s, const void *data, size_t len)
{
	const struct vm_event *e = data;
	struct rec_event r;
	uint32_t cpu;
	int err;

	if (len < sizeof(*e) || e->cpu >= (uint32_t)s->nr_cpus)
		return 0;
	cpu = e->cpu;
	if (e->prev.addr && (err = translated(s, &e->prev, cpu)))
		return err;
	if (e->kind == VM_TRANSLATION)
		return 0;
	from_event(&r, e);
	record_procs_seen(&s->procs, e);
	if (e->kind == VM_FAULT_USER || e->kind == VM_FAULT_KERNEL)
		record_frame(&s->frames, e, e->kind == VM_FAULT_USER ? e->pid : 0, e->ip);
	/* the mapping a user address faulted in, for the report (10 ms apart at most) */
	if (e->kind != VM_TLB_FLUSH && e->addr < VM_USER_END)
		record_procs_mapping(&s->procs, e, e->addr, 10000000);
	if (len >= sizeof(struct vm_event_stack) &&
	    (err = record_stack(&s->frames, s->w, data, &r.stack)))
		return err;
	if (e->kind == VM_TLB_FLUSH)
		return write_event(s, &r);
	/* a fault waits for its translation; the one it replaces goes without */
	if (s->waiting[cpu].kind != NONE && (err = write_event(s, &s->waiting[cpu])))
		return err;
	s->waiting[cpu] = r;
	return 0;
}

int record_sink_finish(struct record_sink *s)
{
	for (int c = 0; c < s->nr_cpus; c++)
		if (s->waiting[c].kind != NONE)
			write_event(s, &s->waiting[c]);
	record_procs_refresh(&s->procs);
	record_frames_write(&s->frames, s->w);
	return record_procs_write(&s->procs, s->w);
}

void record_sink_free(struct record_sink *s)
{
	free(s->waiting);
	record_frames_free(&s->frames);
	record_procs_free(&s->procs);
	s->waiting = NULL;
}
