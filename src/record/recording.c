// SPDX-License-Identifier: GPL-2.0
/*
 * The recording's lookups and its release. The lookups search arrays that
 * recording_index() sorted once: a report asks for a frame per stack entry
 * and a mapping per event, so a binary search over sorted arrays is what
 * keeps a report of millions of events fast without any index structure
 * to build or free.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recording.h"
#include "vm_decode.h"
#include "x86_pgtable.h"

/* Three-way comparison of two unsigned keys. */
#define CMP_KEY(a, b) (((a) > (b)) - ((a) < (b)))

static int frame_order(const void *a, const void *b)
{
	const struct rec_frame *x = a, *y = b;

	return x->pid != y->pid ? CMP_KEY(x->pid, y->pid) : CMP_KEY(x->ip, y->ip);
}

static int process_order(const void *a, const void *b)
{
	const struct rec_process *x = a, *y = b;

	return CMP_KEY(x->pid, y->pid);
}

static int thread_order(const void *a, const void *b)
{
	const struct rec_thread *x = a, *y = b;

	return CMP_KEY(x->tid, y->tid);
}

static int cgroup_order(const void *a, const void *b)
{
	const struct rec_cgroup *x = a, *y = b;

	return CMP_KEY(x->key, y->key);
}

static int mapping_order(const void *a, const void *b)
{
	const struct rec_mapping *x = a, *y = b;

	return x->pid != y->pid ? CMP_KEY(x->pid, y->pid) : CMP_KEY(x->start, y->start);
}

void recording_index(struct recording *r)
{
	if (r->nr_frames)
		qsort(r->frames, r->nr_frames, sizeof(*r->frames), frame_order);
	if (r->nr_processes)
		qsort(r->processes, r->nr_processes, sizeof(*r->processes), process_order);
	if (r->nr_threads)
		qsort(r->threads, r->nr_threads, sizeof(*r->threads), thread_order);
	if (r->nr_cgroups)
		qsort(r->cgroups, r->nr_cgroups, sizeof(*r->cgroups), cgroup_order);
	if (r->nr_mappings)
		qsort(r->mappings, r->nr_mappings, sizeof(*r->mappings), mapping_order);
}

/*
 * The last meta of that key: kvas record may write a fact again once it
 * knows better (duration_ns, dropped at the end), and the later one holds.
 */
const char *recording_meta(const struct recording *r, const char *key)
{
	for (size_t i = r->nr_meta; i > 0; i--)
		if (r->meta[i - 1].key && !strcmp(r->meta[i - 1].key, key))
			return r->meta[i - 1].value;
	return NULL;
}

/* bsearch, but an empty array (perhaps never allocated) finds nothing. */
static const void *find(const void *key, const void *array, size_t nr, size_t size,
			int (*order)(const void *, const void *))
{
	return nr ? bsearch(key, array, nr, size, order) : NULL;
}

const struct rec_frame *recording_frame(const struct recording *r, uint32_t pid, uint64_t ip)
{
	struct rec_frame want = { .pid = pid, .ip = ip };

	return find(&want, r->frames, r->nr_frames, sizeof(*r->frames), frame_order);
}

const struct rec_process *recording_process(const struct recording *r, uint32_t pid)
{
	struct rec_process want = { .pid = pid };

	return find(&want, r->processes, r->nr_processes, sizeof(*r->processes), process_order);
}

const struct rec_thread *recording_thread(const struct recording *r, uint32_t tid)
{
	struct rec_thread want = { .tid = tid };

	return find(&want, r->threads, r->nr_threads, sizeof(*r->threads), thread_order);
}

const struct rec_cgroup *recording_cgroup(const struct recording *r, uint64_t key)
{
	struct rec_cgroup want = { .key = key };

	return find(&want, r->cgroups, r->nr_cgroups, sizeof(*r->cgroups), cgroup_order);
}

/*
 * The last mapping of pid starting at or below addr holds it, if addr is
 * below its end: a process's mappings do not overlap.
 */
const struct rec_mapping *recording_mapping(const struct recording *r, uint32_t pid, uint64_t addr)
{
	struct rec_mapping want = { .pid = pid, .start = addr };
	size_t lo = 0, hi = r->nr_mappings;
	const struct rec_mapping *m;

	/* lo: the first mapping ordered after (pid, addr) */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (mapping_order(&r->mappings[mid], &want) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	m = &r->mappings[lo - 1];
	return m->pid == pid && addr < m->end ? m : NULL;
}

const char *recording_dmap_function(uint16_t function)
{
	static const char *const names[DMAP_NR_CHANGE_KINDS] = {
		[DMAP_CHANGE_CPA] = "__change_page_attr_set_clr",
		[DMAP_CHANGE_INVALID] = "set_direct_map_invalid_noflush",
		[DMAP_CHANGE_DEFAULT] = "set_direct_map_default_noflush",
	};

	return function < DMAP_NR_CHANGE_KINDS ? names[function] : "unknown";
}

/* A page-attribute change that clears or sets the present bit takes pages out or puts them back. */
enum rec_dmap_effect recording_dmap_effect(const struct rec_dmap_change *c)
{
	if (c->function == DMAP_CHANGE_INVALID ||
	    (c->function == DMAP_CHANGE_CPA && (c->mask_clr & PTE_PRESENT)))
		return REC_DMAP_NOT_PRESENT;
	if (c->function == DMAP_CHANGE_DEFAULT ||
	    (c->function == DMAP_CHANGE_CPA && (c->mask_set & PTE_PRESENT)))
		return REC_DMAP_PRESENT;
	return REC_DMAP_PERMISSIONS;
}

const char *recording_dmap_effect_name(enum rec_dmap_effect e)
{
	static const char *const names[REC_DMAP_NR_EFFECTS] = {
		[REC_DMAP_PERMISSIONS] = "permissions", [REC_DMAP_NOT_PRESENT] = "not present",
		[REC_DMAP_PRESENT] = "present",
	};

	return e < REC_DMAP_NR_EFFECTS ? names[e] : "unknown";
}

void recording_free(struct recording *r)
{
	for (size_t i = 0; i < r->nr_meta; i++) {
		free(r->meta[i].key);
		free(r->meta[i].value);
	}
	for (size_t i = 0; i < r->nr_stacks; i++)
		free(r->stacks[i].ips);
	for (size_t i = 0; i < r->nr_frames; i++) {
		free(r->frames[i].function);
		free(r->frames[i].module);
	}
	for (size_t i = 0; i < r->nr_processes; i++) {
		free(r->processes[i].comm);
		free(r->processes[i].cmdline);
	}
	for (size_t i = 0; i < r->nr_cgroups; i++) {
		free(r->cgroups[i].path);
		free(r->cgroups[i].container);
	}
	for (size_t i = 0; i < r->nr_mappings; i++)
		free(r->mappings[i].name);
	free(r->meta);
	free(r->events);
	free(r->stacks);
	free(r->frames);
	free(r->processes);
	free(r->threads);
	free(r->cgroups);
	free(r->mappings);
	free(r->dmap_changes);
	memset(r, 0, sizeof(*r));
}

/* Kernel addresses are the upper canonical half: their frames are pid 0's. */
static bool kernel_ip(uint64_t ip)
{
	return ip >> 63;
}

const char *recording_frame_name(const struct recording *r, uint32_t pid, uint64_t ip,
				 char *buf, size_t len)
{
	const struct rec_frame *f = recording_frame(r, kernel_ip(ip) ? 0 : pid, ip);

	if (f && f->function && f->function[0])
		return f->function;
	if (f && f->module && f->module[0])
		snprintf(buf, len, "%s+0x%" PRIx64, f->module, f->module_offset);
	else
		snprintf(buf, len, "0x%" PRIx64, ip);
	return buf;
}

/*
 * The frames a kernel stack taken in a tracepoint program starts with are
 * the tracing's own (__traceiter_page_fault_user, bpf_trace_run2): not
 * the work that raised the event, as perf does not show them either.
 */
uint32_t recording_tracing_frames(const struct recording *r, const struct rec_stack *s)
{
	static const char *const prefixes[] = {
		"__traceiter_", "__bpf_trace_", "bpf_trace_run", "perf_trace_",
		"trace_event_raw_event_",
	};
	uint32_t n = 0;

	for (; n < s->nr_kernel; n++) {
		const struct rec_frame *f = recording_frame(r, 0, s->ips[n]);
		size_t i = 0;

		while (f && f->function && i < sizeof(prefixes) / sizeof(prefixes[0]) &&
		       strncmp(f->function, prefixes[i], strlen(prefixes[i])))
			i++;
		if (!f || !f->function || i == sizeof(prefixes) / sizeof(prefixes[0]))
			break;
	}
	return n;
}

bool recording_tlb_reasons(const struct recording *r, struct tlb_reasons *t)
{
	const char *list = recording_meta(r, "tlb_reasons");
	char item[96];
	bool any = false;

	tlb_reasons_init(t);
	while (list && *list) {
		size_t n = strcspn(list, ",");
		char *eq, *end;
		long v;

		snprintf(item, sizeof(item), "%.*s", (int)(n < sizeof(item) ? n : sizeof(item) - 1),
			 list);
		eq = strchr(item, '=');
		if (eq) {
			*eq = '\0';
			v = strtol(item, &end, 10);
			/* a malformed item names nothing: its reason reads "reason N" */
			if (end != item && !*end && eq[1]) {
				tlb_reasons_learn(t, eq + 1, v);
				any = true;
			}
		}
		list += n + (list[n] == ',');
	}
	return any;
}
