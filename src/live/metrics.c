// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "vm_decode.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

char *metrics_label_value(const char *name, char *buf, size_t len)
{
	size_t n = 0;

	for (; *name && n + 1 < len; name++) {
		unsigned char c = *name;

		if (isalnum(c) || c == '-' || c == '+')
			buf[n++] = tolower(c);
		else if (n && buf[n - 1] != '_')
			buf[n++] = '_';
	}
	while (n && buf[n - 1] == '_')
		n--;
	buf[n] = '\0';
	return buf;
}

static void one(struct prom_writer *w, const char *name, enum prom_type type,
		const char *help, double v)
{
	prom_family(w, name, type, help);
	prom_sample(w, NULL, 0, v);
}

static const char *const handled_type[HANDLED_NR] = { "minor", "major" };

static void faults(struct prom_writer *w, const struct metrics *m)
{
	static const char *const access[4] = { "read", "write", "ifetch", "write_ifetch" };
	const struct vm_counters *c = &m->counters;
	char region[32];

	if (m->have_handled) {
		prom_family(w, "kvas_handled_page_faults", PROM_COUNTER,
			    "Page faults the kernel's memory manager handled for every process since"
			    " kvas serve started (the kernel's own per-thread counts, min_flt and"
			    " maj_flt, exited threads included), by type: minor or major. User-mode"
			    " faults and the kernel's faults on user memory; failed faults are not"
			    " counted.");
		for (int k = 0; k < HANDLED_NR; k++)
			prom_sample(w, &(struct prom_label){ "type", handled_type[k] }, 1,
				    m->handled[k]);
	}
	prom_family(w, "kvas_kernel_page_faults", PROM_COUNTER,
		    "Kernel-mode page faults since kvas serve started (every"
		    " exceptions:page_fault_kernel event), by access (read, write, instruction"
		    " fetch) and cause (page not present, or a protection fault), from the error"
		    " code.");
	for (unsigned int cls = 0; cls < FAULT_NR_CLASSES; cls++) {
		struct prom_label l[] = {
			{ "access", access[cls & (FAULT_CLASS_WRITE | FAULT_CLASS_IFETCH)] },
			{ "cause", cls & FAULT_CLASS_PROT ? "protection" : "not_present" },
		};

		prom_sample(w, l, N(l), c->fault_class[1][cls]);
	}
	prom_family(w, "kvas_kernel_page_faults_by_region", PROM_COUNTER,
		    "Kernel-mode page faults since kvas serve started, by the region of the"
		    " faulting address (user memory reached through uaccess, direct map,"
		    " vmalloc, vmemmap, kernel image, modules, other).");
	for (unsigned int r = 0; r < FR_NR; r++) {
		struct prom_label l = { "region", metrics_label_value(fault_region_name(r), region,
								       sizeof(region)) };

		/* "user memory (uaccess)" reads "user_memory_uaccess" */
		prom_sample(w, &l, 1, c->kernel_region[r]);
	}
}

static void tlb(struct prom_writer *w, const struct metrics *m)
{
	const struct vm_counters *c = &m->counters;
	char name[40];

	prom_family(w, "kvas_tlb_flushes", PROM_COUNTER,
		    "TLB flushes run since kvas serve started: local (a task switch that flushed,"
		    " a local or local mm shootdown) or remote (a shootdown IPI received; where the"
		    " hypervisor does remote flushes, none: see kvas_tlb_remote_flush_method_info)."
		    " Shootdown requests sent and switches without a flush are not flushes.");
	prom_sample(w, &(struct prom_label){ "where", "local" }, 1, c->tlb_class[TLBC_LOCAL]);
	prom_sample(w, &(struct prom_label){ "where", "remote" }, 1, c->tlb_class[TLBC_REMOTE]);
	prom_family(w, "kvas_tlb_flushes_by_size", PROM_COUNTER,
		    "TLB flushes run since kvas serve started, by pages flushed: full, 0 (a"
		    " shootdown that found the TLB up to date), 1, 2-3, 4-7, ... (log2 buckets).");
	for (unsigned int b = 0; b < TLB_NR_SIZES; b++) {
		struct prom_label l = { "pages", tlb_size_name(b, name, sizeof(name)) };

		prom_sample(w, &l, 1, c->tlb_size[b]);
	}
	prom_family(w, "kvas_tlb_events_by_reason", PROM_COUNTER,
		    "Every tlb:tlb_flush event since kvas serve started, flush or not, by the"
		    " kernel's reason (enum tlb_flush_reason, names read from BTF).");
	for (unsigned int r = 0; r < TLB_NR_REASONS; r++) {
		const char *reason = tlb_reason_name(m->tlb_reasons, r);
		struct prom_label l = { "reason", metrics_label_value(reason, name, sizeof(name)) };

		/* reasons this kernel does not have stay out, unless they fired */
		if (c->tlb_reason[r] || strncmp(reason, "reason ", 7))
			prom_sample(w, &l, 1, c->tlb_reason[r]);
	}
	one(w, "kvas_tlb_shootdown_requests_sent", PROM_COUNTER,
	    "TLB shootdown requests sent to other CPUs since kvas serve started, by IPI or"
	    " by hypercall (tlb_flush reason remote flush request): the asking, not a flush.",
	    c->tlb_class[TLBC_SENT]);
	one(w, "kvas_tlb_switches_without_flush", PROM_COUNTER,
	    "Task switches that kept the TLB (PCID/ASID up to date, pages 0) since kvas serve"
	    " started: not flushes.", c->tlb_class[TLBC_NO_FLUSH]);
	one(w, "kvas_tlb_other_reason_events", PROM_COUNTER,
	    "tlb:tlb_flush events of any other reason (remote wrong CPU, newer reasons) since"
	    " kvas serve started: not flushes.", c->tlb_class[TLBC_OTHER]);
}

static void container_labels(const struct metrics_container *c, struct prom_label *l)
{
	l[0] = (struct prom_label){ "runtime", c->runtime };
	l[1] = (struct prom_label){ "container_id", c->id };
	l[2] = (struct prom_label){ "pod_uid", c->pod_uid };
}

/* One family over every container row and the other fold: values at offsets of the row. */
static void per_container(struct prom_writer *w, const struct metrics_containers *mc,
			  const char *name, const char *help, const size_t *field, size_t nr,
			  const char *label, const char *const *values)
{
	prom_family(w, name, PROM_COUNTER, help);
	for (size_t i = 0; i <= mc->nr; i++) {
		const struct metrics_container *c = i < mc->nr ? &mc->top[i] : &mc->other;
		struct prom_label l[4];

		if (i == mc->nr && !mc->folded)
			break;
		container_labels(c, l);
		for (size_t k = 0; k < nr; k++) {
			if (label)
				l[3] = (struct prom_label){ label, values[k] };
			prom_sample(w, l, label ? 4 : 3,
				    *(const uint64_t *)((const char *)c + field[k]));
		}
	}
}

#define ROW(f) offsetof(struct metrics_container, f)

static void containers(struct prom_writer *w, const struct metrics_containers *mc)
{
	per_container(w, mc, "kvas_container_handled_page_faults",
		      "Page faults the kernel's memory manager handled for each container's"
		      " processes since kvas serve started (the kernel's own per-process counts,"
		      " summed by cgroup; a process that exits leaves its faults in the total), by"
		      " type; only the --containers busiest containers have their own series, the"
		      " other live ones are summed in runtime=\"other\".",
		      (const size_t[]){ ROW(handled[HANDLED_MINOR]), ROW(handled[HANDLED_MAJOR]) },
		      HANDLED_NR, "type", handled_type);
	/* the programs' counters that have a family (include/task_counters.h) */
#define TC_FAMILY(f, json, prom, help, ...)					\
	if ((prom)[0])								\
		per_container(w, mc, prom, help, (const size_t[]){ ROW(stats.f) }, 1, NULL, NULL);
	TASK_COUNTERS(TC_FAMILY)
#undef TC_FAMILY
	one(w, "kvas_containers_folded", PROM_GAUGE,
	    "Live containers beyond --containers, summed into the runtime=\"other\" series"
	    " instead of having their own.", mc->folded);
}

static void direct_map(struct prom_writer *w, const struct metrics_refreshed *f)
{
	static const char *const sizes[3] = { "4k", "2m", "1g" };

	if (!f->have_walk)
		return;
	prom_family(w, "kvas_direct_map_pages", PROM_GAUGE,
		    "Pages mapping the direct map, by page size, from a walk of its page tables"
		    " (refreshed every --interval, see kvas_refresh_timestamp_seconds).");
	for (int i = 0; i < 3; i++)
		prom_sample(w, &(struct prom_label){ "size", sizes[i] }, 1, f->dmap_pages[i]);
	one(w, "kvas_direct_map_removed_pages", PROM_GAUGE,
	    "4K pages of System RAM taken out of the direct map (memfd_secret, KFENCE,"
	    " debug_pagealloc), from the same walk (refreshed every --interval).",
	    f->dmap_removed_pages);
}

/* The hooked functions, by enum dmap_change_kind: kernel names, no addresses. */
static const char *const dmap_change_function[DMAP_NR_CHANGE_KINDS] = {
	[DMAP_CHANGE_CPA] = "__change_page_attr_set_clr",
	[DMAP_CHANGE_INVALID] = "set_direct_map_invalid_noflush",
	[DMAP_CHANGE_DEFAULT] = "set_direct_map_default_noflush",
};

void metrics_dmap_change_count(struct metrics_dmap_changes *d, const struct dmap_change *c)
{
	/* a kind this kvas does not know (a newer BPF object) is not invented a name */
	if (c->kind >= DMAP_NR_CHANGE_KINDS)
		return;
	d->changes[c->kind]++;
	d->pages[c->kind] += c->pages;
}

static void dmap_changes(struct prom_writer *w, const struct metrics_dmap_changes *d)
{
	prom_family(w, "kvas_direct_map_change_attribution", PROM_GAUGE,
		    "How kvas hooks the kernel functions that change the direct map's page"
		    " attributes (fentry or kprobe), or none when this kernel lets it hook"
		    " neither: then kvas_direct_map_changes is absent (kvas serve said why on"
		    " stderr at start).");
	prom_sample(w, &(struct prom_label){ "method", d->method }, 1, 1);
	if (!strcmp(d->method, "none"))
		return;
	prom_family(w, "kvas_direct_map_changes", PROM_COUNTER,
		    "Changes to the direct map's page attributes, by the kernel function kvas"
		    " hooked (each call counts, a change's alias included), counted since kvas"
		    " serve started.");
	for (int i = 0; i < DMAP_NR_CHANGE_KINDS; i++)
		prom_sample(w, &(struct prom_label){ "function", dmap_change_function[i] }, 1,
			    d->changes[i]);
	prom_family(w, "kvas_direct_map_changed_pages", PROM_COUNTER,
		    "Pages the changes to the direct map's page attributes asked to change, by"
		    " the kernel function kvas hooked, counted since kvas serve started.");
	for (int i = 0; i < DMAP_NR_CHANGE_KINDS; i++)
		prom_sample(w, &(struct prom_label){ "function", dmap_change_function[i] }, 1,
			    d->pages[i]);
	one(w, "kvas_direct_map_change_events_lost", PROM_COUNTER,
	    "Changes to the direct map that kvas could not count (its ring buffer was full"
	    " between two scrapes) since kvas serve started.", d->lost);
}

static void kaslr(struct prom_writer *w, const struct metrics_refreshed *f)
{
	static const char *const part[KASLR_NR_PARTS] = { "text", "memory" };
	static const char *const base[3] = { "direct_map", "vmalloc", "vmemmap" };

	prom_family(w, "kvas_kaslr_active", PROM_GAUGE,
		    "1 when this boot's kernel text or memory layout is randomized, 0 when not"
		    " (absent when kvas cannot tell).");
	for (int i = 0; i < KASLR_NR_PARTS; i++)
		if (f->kaslr_active[i] >= 0)
			prom_sample(w, &(struct prom_label){ "part", part[i] }, 1,
				    f->kaslr_active[i]);
	prom_family(w, "kvas_kaslr_entropy", PROM_GAUGE,
		    "Entropy in bits (log2 of the positions) KASLR draws for the text slide and each memory base under"
		    " this kernel's rules (what it would draw when inactive; refreshed every"
		    " --interval).");
	if (!isnan(f->text_bits))
		prom_sample(w, &(struct prom_label){ "part", "text" }, 1, f->text_bits);
	for (int i = 0; i < 3; i++)
		if (!isnan(f->memory_bits[i]))
			prom_sample(w, &(struct prom_label){ "part", base[i] }, 1, f->memory_bits[i]);
}

static void audit(struct prom_writer *w, const struct metrics_refreshed *f)
{
	prom_family(w, "kvas_audit_check", PROM_GAUGE,
		    "kvas audit's checks, one series per check with its result (pass, warn,"
		    " fail, unknown) as a label and the value 1; refreshed every --interval.");
	for (size_t i = 0; i < f->nr_checks; i++) {
		struct prom_label l[] = {
			{ "area", f->checks[i].area }, { "check", f->checks[i].id },
			{ "result", f->checks[i].result },
		};

		prom_sample(w, l, N(l), 1);
	}
}

static void refreshed(struct prom_writer *w, const struct metrics_refreshed *f)
{
	direct_map(w, f);
	kaslr(w, f);
	audit(w, f);
	one(w, "kvas_refresh_interval_seconds", PROM_GAUGE,
	    "Seconds between refreshes of the direct-map walk and the audit (--interval).",
	    f->interval);
	one(w, "kvas_refresh_timestamp_seconds", PROM_GAUGE,
	    "When the direct-map walk and the audit were last refreshed, in seconds since"
	    " the epoch.", f->unix_time);
	one(w, "kvas_refresh_duration_seconds", PROM_GAUGE,
	    "How long the last refresh of the direct-map walk and the audit took.", f->seconds);
	prom_family(w, "kvas_refresh_errors", PROM_COUNTER,
		    "Refreshes whose direct-map walk or audit failed, since kvas serve started.");
	prom_sample(w, &(struct prom_label){ "part", "walk" }, 1, f->errors[0]);
	prom_sample(w, &(struct prom_label){ "part", "audit" }, 1, f->errors[1]);
}

int metrics_write(const struct metrics *m, struct prom_writer *w)
{
	prom_family(w, "kvas_build", PROM_INFO, "The kvas that serves these metrics.");
	prom_sample(w, &(struct prom_label){ "version", m->version }, 1, 1);
	/* counters that could not be read are absent, not reset to 0 */
	if (m->have_counters) {
		faults(w, m);
		tlb(w, m);
		one(w, "kvas_processes_evicted", PROM_COUNTER, "Processes the programs' task"
		    " table (LRU) evicted since kvas serve started: their per-container"
		    " kernel-mode faults and TLB events are lost, the totals and the handled"
		    " page faults are not.", m->evicted_total);
		one(w, "kvas_thread_exits_lost", PROM_COUNTER, "Thread exits whose last fault"
		    " counts kvas could not keep (its table of exits was full) since kvas serve"
		    " started: what they did since the scrape before is in no handled count.",
		    m->exits_lost);
	}
	if (m->remote_flush) {
		prom_family(w, "kvas_tlb_remote_flush_method", PROM_INFO,
			    "How this kernel carries out remote TLB flushes, judged since kvas serve"
			    " started from the requests sent against the TLB interrupts the kernel"
			    " counted: ipi, hypervisor, partly-hypervisor, broadcast or unknown.");
		prom_sample(w, &(struct prom_label){ "method",
			    remote_flush_method_name(m->remote_flush->method) }, 1, 1);
	}
	if (m->containers)
		containers(w, m->containers);
	if (m->dmap_changes)
		dmap_changes(w, m->dmap_changes);
	if (m->refreshed)
		refreshed(w, m->refreshed);
	one(w, "kvas_scrape_duration_seconds", PROM_GAUGE,
	    "How long this scrape took to read the counters.", m->scrape_seconds);
	one(w, "kvas_scrape_errors", PROM_COUNTER,
	    "Scrapes whose counters could not be read, since kvas serve started.",
	    m->scrape_errors);
	return prom_end(w);
}
