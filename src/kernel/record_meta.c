// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "kernel_btf.h"
#include "record_meta.h"
#include "regions.h"
#include "vm_decode.h"

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int meta_u64(struct kd_writer *w, const char *key, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return kd_write_meta(w, key, buf);
}

/* A layout address as "0xffff888000000000", or "unknown". */
static int meta_addr(struct kd_writer *w, const char *key, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	return kd_write_meta(w, key, v ? buf : "unknown");
}

static uint64_t region_start(const struct translate_ctx *layout, enum region_kind kind)
{
	for (int i = 0; i < layout->regions.nr; i++)
		if (layout->regions.r[i].kind == kind)
			return layout->regions.r[i].start;
	return 0;
}

static void events_list(uint32_t mask, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned int k = 0; k < VM_NR_TRACED; k++)
		if (mask & VM_MASK(k))
			n += snprintf(buf + n, n < len ? len - n : 0, "%s%s", n ? "," : "",
				      vm_event_name(k));
}

static void layout_meta(struct kd_writer *w, const struct translate_ctx *layout)
{
	meta_addr(w, "page_offset_base", layout->page_offset_base);
	meta_addr(w, "vmalloc_base", region_start(layout, REGION_VMALLOC));
	meta_addr(w, "vmemmap_base", layout->vmemmap_base);
	meta_addr(w, "kernel_text", region_start(layout, REGION_KERNEL_TEXT));
	meta_addr(w, "phys_base", layout->phys_base);
	if (layout->levels)
		meta_u64(w, "paging_levels", layout->levels);
	else
		kd_write_meta(w, "paging_levels", "unknown");
}

/* This kernel's enum tlb_flush_reason as "0=NAME,1=NAME,...": the report names reasons by it. */
struct reason_list {
	char s[1024];
	size_t n;
};

static void add_reason(const char *enumerator, int64_t value, void *arg)
{
	struct reason_list *l = arg;
	int n = snprintf(l->s + l->n, sizeof(l->s) - l->n, "%s%lld=%s", l->n ? "," : "",
			 (long long)value, enumerator);

	/* one that does not fit is left out whole: the report reads it "reason N" */
	if (n > 0 && (size_t)n < sizeof(l->s) - l->n)
		l->n += n;
	else
		l->s[l->n] = '\0';
}

int record_meta_start(struct kd_writer *w, const struct record_run_facts *run,
		      const struct translate_ctx *layout, uint64_t *mono_start_ns)
{
	char events[96], host[256] = "", started[40];
	struct reason_list reasons = { .n = 0 };
	struct utsname u;
	time_t now = time(NULL);
	struct tm tm;

	/* read together: the report converts event times with either */
	*mono_start_ns = clock_ns(CLOCK_MONOTONIC);
	meta_u64(w, "mono_start_ns", *mono_start_ns);
	meta_u64(w, "boot_start_ns", clock_ns(CLOCK_BOOTTIME));
	gmtime_r(&now, &tm);
	strftime(started, sizeof(started), "%Y-%m-%dT%H:%M:%SZ", &tm);
	kd_write_meta(w, "started_at", started);
	kd_write_meta(w, "kvas_version", run->version);
	if (!uname(&u)) {
		kd_write_meta(w, "kernel_release", u.release);
		kd_write_meta(w, "machine", u.machine);
	}
	gethostname(host, sizeof(host) - 1);
	kd_write_meta(w, "hostname", host);
	kd_write_meta(w, "command", run->command);
	kd_write_meta(w, "target", run->target);
	events_list(run->record_mask, events, sizeof(events));
	kd_write_meta(w, "events", events);
	meta_u64(w, "sample_every", run->sample_every);
	meta_u64(w, "freq", run->freq);
	kd_write_meta(w, "stacks", run->stacks ? "kernel,user" : "none");
	layout_meta(w, layout);
	if (kernel_enum_each("tlb_flush_reason", add_reason, &reasons) && reasons.n)
		kd_write_meta(w, "tlb_reasons", reasons.s);
	return w->err;
}

int record_meta_end(struct kd_writer *w, uint64_t mono_start_ns, const struct vm_counters *c,
		    int exit_status)
{
	uint64_t seen = 0;

	for (int k = 0; k < VM_NR_TRACED; k++)
		seen += c->events[k];
	meta_u64(w, "duration_ns", clock_ns(CLOCK_MONOTONIC) - mono_start_ns);
	meta_u64(w, "events_seen", seen);
	meta_u64(w, "sampled_away", c->sampled_away);
	meta_u64(w, "dropped", c->dropped);
	meta_u64(w, "translated", c->translated);
	if (exit_status >= 0)
		meta_u64(w, "exit_status", exit_status);
	return w->err;
}
