// SPDX-License-Identifier: GPL-2.0
/*
 * The hottest pages (faults by process and virtual page, with the physical
 * page record translated it to) and the events over time.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse_num.h"
#include "report_ctx.h"

static int by_page(const void *a, const void *b)
{
	const struct report_page *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->vpage < y->vpage ? -1 : x->vpage > y->vpage;
}

static int by_count(const void *a, const void *b)
{
	const struct report_page *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return by_page(a, b);
}

int report_pages_build(const struct recording *r, struct report *rep)
{
	struct report_page *p = calloc(r->nr_events ? r->nr_events : 1, sizeof(*p));
	size_t n = 0, out = 0;

	if (!p)
		return -ENOMEM;
	for (size_t i = 0; i < r->nr_events; i++) {
		const struct rec_event *e = &r->events[i];

		if (e->kind != VM_FAULT_USER && e->kind != VM_FAULT_KERNEL)
			continue;
		p[n].pid = e->pid;
		p[n].vpage = e->addr & ~0xfffULL;
		if (e->page_shift >= 12 && e->page_shift < 64) {
			/* a translated fault's page is the page it was mapped with (2M, 1G) */
			p[n].vpage = e->addr & ~((1ULL << e->page_shift) - 1);
			p[n].page_shift = e->page_shift;
			p[n].pa_page = e->pa & ~((1ULL << e->page_shift) - 1);
		}
		p[n++].count = 1;
	}
	rep->page_faults = n;
	/* mergesort would keep time order; the last translation wins either way */
	qsort(p, n, sizeof(*p), by_page);
	for (size_t i = 0; i < n; i++) {
		if (out && p[out - 1].pid == p[i].pid && p[out - 1].vpage == p[i].vpage) {
			p[out - 1].count++;
			if (p[i].page_shift) {
				p[out - 1].page_shift = p[i].page_shift;
				p[out - 1].pa_page = p[i].pa_page;
			}
			continue;
		}
		p[out++] = p[i];
	}
	qsort(p, out, sizeof(*p), by_count);
	for (size_t i = 0; i < out; i++) {
		const struct rec_process *proc = recording_process(r, p[i].pid);

		snprintf(p[i].comm, sizeof(p[i].comm), "%s",
			 proc && proc->comm ? proc->comm : "?");
	}
	rep->pages = p;
	rep->nr_pages = out;
	return 0;
}

static bool meta_u64(const struct recording *r, const char *key, uint64_t *v)
{
	const char *s = recording_meta(r, key);

	return s && !parse_u64(s, 0, UINT64_MAX, v);
}

int report_histogram_build(const struct recording *r, unsigned int buckets,
			   struct report_histogram *h)
{
	uint64_t first = UINT64_MAX, last = 0, start, duration;

	h->nr = buckets ? buckets : 1;
	h->counts = calloc(h->nr, sizeof(*h->counts));
	if (!h->counts)
		return -ENOMEM;
	for (size_t i = 0; i < r->nr_events; i++) {
		first = r->events[i].ts_ns < first ? r->events[i].ts_ns : first;
		last = r->events[i].ts_ns > last ? r->events[i].ts_ns : last;
	}
	if (!r->nr_events)
		first = last = 0;
	/* the recording's own span where it says one that holds every event */
	if (meta_u64(r, "mono_start_ns", &start) && start <= first)
		first = start;
	if (meta_u64(r, "duration_ns", &duration) && first + duration >= last &&
	    first + duration > first)
		last = first + duration;
	h->start_ns = first;
	/* rounded up: the buckets cover the span (the very last instant goes in the last) */
	h->bucket_ns = (last - first) / h->nr + ((last - first) % h->nr != 0);
	if (!h->bucket_ns)
		h->bucket_ns = 1;
	for (size_t i = 0; i < r->nr_events; i++) {
		uint64_t b = (r->events[i].ts_ns - first) / h->bucket_ns;

		h->counts[b < h->nr ? b : h->nr - 1]++;
	}
	return 0;
}
