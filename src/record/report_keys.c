// SPDX-License-Identifier: GPL-2.0
/*
 * kvas report's keys (--sort's words, perf's where perf has one) and an
 * event's value under each: what a row of a table is.
 */
#include <inttypes.h>
#include <string.h>

#include "report_ctx.h"

static const struct {
	const char *name, *title;
} keys[RK_NR] = {
	[RK_PID] = { "pid", "Pid:Command" },
	[RK_TID] = { "tid", "Tid:Command" },
	[RK_COMM] = { "comm", "Command" },
	[RK_CONTAINER] = { "container", "Container or cgroup" },
	[RK_REGION] = { "region", "Memory region" },
	[RK_PAGE_SIZE] = { "page-size", "Page size" },
	[RK_CLASS] = { "class", "Fault class" },
	[RK_REASON] = { "reason", "TLB reason" },
	[RK_SYM] = { "sym", "Symbol" },
	[RK_KIND] = { "kind", "Event" },
};

static const enum report_key by_keys[RB_NR] = {
	[RB_PROCESS] = RK_PID, [RB_THREAD] = RK_TID, [RB_CONTAINER] = RK_CONTAINER,
	[RB_REGION] = RK_REGION, [RB_PAGE_SIZE] = RK_PAGE_SIZE, [RB_CLASS] = RK_CLASS,
	[RB_REASON] = RK_REASON, [RB_SYMBOL] = RK_SYM,
};

const char *report_key_name(enum report_key k)
{
	return k < RK_NR ? keys[k].name : "?";
}

const char *report_key_title(enum report_key k)
{
	return k < RK_NR ? keys[k].title : "?";
}

enum report_key report_by_key(enum report_by b)
{
	return by_keys[b];
}

int report_key_by_name(const char *name)
{
	for (int k = 0; k < RK_NR; k++)
		if (!strcmp(name, keys[k].name))
			return k;
	return -1;
}

int report_parse_sort(const char *list, struct report_opts *o, char *bad, size_t len)
{
	o->nr_sort = 0;
	while (*list) {
		size_t n = strcspn(list, ",");
		char word[32];
		int k = -1;

		snprintf(word, sizeof(word), "%.*s", (int)(n < sizeof(word) ? n : sizeof(word) - 1),
			 list);
		if (n < sizeof(word))
			k = report_key_by_name(word);
		for (unsigned int i = 0; k >= 0 && i < o->nr_sort; i++)
			if (o->sort[i] == (enum report_key)k)
				k = -1;		/* a key twice is a mistake */
		if (k < 0 || o->nr_sort == REPORT_MAX_KEYS) {
			snprintf(bad, len, "%.*s", (int)n, list);
			return -1;
		}
		o->sort[o->nr_sort++] = k;
		list += n + (list[n] == ',');
	}
	if (o->nr_sort)
		return 0;
	snprintf(bad, len, "%s", "");
	return -1;
}

/*
 * A thread's name: the main thread's is its process's (record may have met
 * it before its exec, under the parent's name), another's its own.
 */
static const char *comm_of(const struct recording *r, uint32_t pid, uint32_t tid)
{
	const struct rec_thread *t = tid != pid ? recording_thread(r, tid) : NULL;
	const struct rec_process *p = recording_process(r, pid);

	if (t && t->comm[0])
		return t->comm;
	if (p && p->comm && p->comm[0])
		return p->comm;
	t = recording_thread(r, tid);
	return t && t->comm[0] ? t->comm : "?";
}

static const char *container_of(const struct recording *r, uint64_t key, char *buf, size_t len)
{
	const struct rec_cgroup *c = recording_cgroup(r, key);

	if (c && c->container && c->container[0])
		return c->container;
	if (c && c->path && c->path[0])
		return c->path;
	snprintf(buf, len, "cgroup 0x%" PRIx64 " (not recorded)", key);
	return buf;
}

static bool is_fault(const struct rec_event *e)
{
	return e->kind == VM_FAULT_USER || e->kind == VM_FAULT_KERNEL;
}

static const char *page_size(uint8_t shift, char *buf, size_t len)
{
	switch (shift) {
	case 0: return "not translated";
	case 12: return "4K";
	case 21: return "2M";
	case 30: return "1G";
	}
	snprintf(buf, len, "2^%u", shift);
	return buf;
}

/* The error code's class, by the CPU's bits (write 2, ifetch 16, protection 1). */
static unsigned int fault_class(uint64_t error_code)
{
	return !!(error_code & 2) * FAULT_CLASS_WRITE | !!(error_code & 16) * FAULT_CLASS_IFETCH |
	       !!(error_code & 1) * FAULT_CLASS_PROT;
}

const char *report_label(const struct report_ctx *c, enum report_key k,
			 const struct rec_event *e, char *buf, size_t len)
{
	const struct recording *r = c->r;

	switch (k) {
	case RK_PID:
		snprintf(buf, len, "%u:%s", e->pid, comm_of(r, e->pid, e->pid));
		return buf;
	case RK_TID:
		snprintf(buf, len, "%u:%s", e->tid, comm_of(r, e->pid, e->tid));
		return buf;
	case RK_COMM: return comm_of(r, e->pid, e->tid);
	case RK_CONTAINER: return container_of(r, e->cgroup, buf, len);
	case RK_REGION: return report_region(c, e, buf, len);
	case RK_PAGE_SIZE: return is_fault(e) ? page_size(e->page_shift, buf, len) : NULL;
	case RK_CLASS: return is_fault(e) ? fault_class_name(fault_class(e->arg)) : NULL;
	case RK_REASON:
		return e->kind == VM_TLB_FLUSH ? tlb_reason_name(&c->reasons, e->reason) : NULL;
	case RK_SYM: return report_symbol(c, e, buf, len);
	case RK_KIND: return vm_event_name(e->kind);
	default: return NULL;
	}
}
