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

/* Busiest first: the events a container caused. */
static uint64_t activity(const struct vm_task_stats *s)
{
	return s->faults_user + s->faults_kernel + s->tlb_flushes + s->tlb_ipis_sent +
	       s->tlb_no_flush + s->tlb_other;
}

static int by_activity(const void *a, const void *b)
{
	uint64_t x = activity(&((const struct metrics_container *)a)->stats);
	uint64_t y = activity(&((const struct metrics_container *)b)->stats);
	int c = x < y ? 1 : x > y ? -1 : 0;

	/* ties in a fixed order, so that the same containers stay apart */
	return c ? c : strcmp(((const struct metrics_container *)a)->id,
			      ((const struct metrics_container *)b)->id);
}

static bool same_container(const struct metrics_container *c, const struct container_ref *r)
{
	return !strcmp(c->runtime, r->runtime) && !strcmp(c->id, r->short_id) &&
	       !strcmp(c->pod_uid, r->pod_uid);
}

/* The container of ref, added when new; NULL when out of memory. */
static struct metrics_container *tally_of(struct metrics_tally *t, const struct container_ref *ref,
					  const char *cgroup)
{
	struct metrics_container *c;

	for (size_t i = 0; i < t->nr; i++)
		if (same_container(&t->all[i], ref))
			return &t->all[i];
	if (t->nr == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct metrics_container *n = realloc(t->all, cap * sizeof(*n));

		if (!n)
			return NULL;
		t->all = n;
		t->cap = cap;
	}
	c = &t->all[t->nr++];
	memset(c, 0, sizeof(*c));
	snprintf(c->runtime, sizeof(c->runtime), "%s", ref->runtime);
	snprintf(c->id, sizeof(c->id), "%s", ref->short_id);
	snprintf(c->pod_uid, sizeof(c->pod_uid), "%s", ref->pod_uid);
	snprintf(c->cgroup, sizeof(c->cgroup), "%s", cgroup);
	return c;
}

int metrics_tally_update(struct metrics_tally *t, const struct top_snapshot *s)
{
	static const struct vm_task_stats zero;
	struct vm_task_entry *kept = calloc(s->nr_tasks ? s->nr_tasks : 1, sizeof(*kept));
	size_t nr_kept = 0;

	if (!kept)
		return -ENOMEM;
	for (size_t i = 0; i < s->nr_tasks; i++) {
		const struct vm_task_entry *e = &s->tasks[i], *was;
		const char *path = top_snapshot_cgroup(s, e->key.cgroup);
		struct metrics_container *c;
		struct container_ref ref;
		struct vm_task_stats d;

		/* not resolved yet: its counts are taken whole once it is */
		if (!path)
			continue;
		kept[nr_kept++] = *e;
		if (!container_parse(path, &ref))
			continue;
		was = t->prev ? bsearch(e, t->prev, t->nr_prev, sizeof(*e), vm_task_entry_cmp) : NULL;
		vm_task_stats_delta(&d, &e->stats, was ? &was->stats : &zero);
		c = tally_of(t, &ref, path);
		if (!c) {
			free(kept);
			return -ENOMEM;
		}
		vm_task_stats_add(&c->stats, &d);
	}
	free(t->prev);
	t->prev = kept;
	t->nr_prev = nr_kept;
	return 0;
}

void metrics_tally_prune(struct metrics_tally *t, bool (*exists)(const char *cgroup, void *ctx),
			 void *ctx)
{
	size_t n = 0;

	for (size_t i = 0; i < t->nr; i++)
		if (exists(t->all[i].cgroup, ctx))
			t->all[n++] = t->all[i];
	t->nr = n;
}

void metrics_tally_free(struct metrics_tally *t)
{
	free(t->all);
	free(t->prev);
	memset(t, 0, sizeof(*t));
}

int metrics_containers_build(struct metrics_containers *mc, const struct metrics_tally *t,
			     size_t max)
{
	memset(mc, 0, sizeof(*mc));
	snprintf(mc->other.runtime, sizeof(mc->other.runtime), "other");
	snprintf(mc->other.id, sizeof(mc->other.id), "other");
	if (!t->nr)
		return 0;
	mc->top = malloc(t->nr * sizeof(*mc->top));
	if (!mc->top)
		return -ENOMEM;
	memcpy(mc->top, t->all, t->nr * sizeof(*mc->top));
	qsort(mc->top, t->nr, sizeof(*mc->top), by_activity);
	for (size_t i = max; i < t->nr; i++)
		vm_task_stats_add(&mc->other.stats, &mc->top[i].stats);
	mc->folded = t->nr > max ? t->nr - max : 0;
	mc->nr = t->nr > max ? max : t->nr;
	return 0;
}

void metrics_containers_free(struct metrics_containers *mc)
{
	free(mc->top);
	memset(mc, 0, sizeof(*mc));
}

static void one(struct prom_writer *w, const char *name, enum prom_type type,
		const char *help, double v)
{
	prom_family(w, name, type, help);
	prom_sample(w, NULL, 0, v);
}

static void faults(struct prom_writer *w, const struct vm_counters *c)
{
	static const char *const access[4] = { "read", "write", "ifetch", "write_ifetch" };
	char region[32];

	prom_family(w, "kvas_page_faults", PROM_COUNTER,
		    "Page faults since kvas serve started, by mode (user or kernel, from the error"
		    " code), access (read, write, instruction fetch) and cause (page not present,"
		    " or a protection fault).");
	for (int mode = 0; mode < 2; mode++) {
		for (unsigned int cls = 0; cls < FAULT_NR_CLASSES; cls++) {
			struct prom_label l[] = {
				{ "mode", mode ? "kernel" : "user" },
				{ "access", access[cls & (FAULT_CLASS_WRITE | FAULT_CLASS_IFETCH)] },
				{ "cause", cls & FAULT_CLASS_PROT ? "protection" : "not_present" },
			};

			prom_sample(w, l, N(l), c->fault_class[mode][cls]);
		}
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

static void tlb(struct prom_writer *w, const struct vm_counters *c)
{
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
		const char *reason = tlb_reason_name(r);
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

/* One family over every container row and the other fold. */
static void per_container(struct prom_writer *w, const struct metrics_containers *mc,
			  const char *name, const char *help, size_t field_a, long field_b,
			  const char *label, const char *va, const char *vb)
{
	prom_family(w, name, PROM_COUNTER, help);
	for (size_t i = 0; i <= mc->nr; i++) {
		const struct metrics_container *c = i < mc->nr ? &mc->top[i] : &mc->other;
		const char *s = (const char *)&c->stats;
		struct prom_label l[4];

		if (i == mc->nr && !mc->folded)
			break;
		container_labels(c, l);
		l[3] = (struct prom_label){ label, va };
		prom_sample(w, l, label ? 4 : 3, *(const uint64_t *)(s + field_a));
		if (field_b >= 0) {
			l[3].value = vb;
			prom_sample(w, l, 4, *(const uint64_t *)(s + field_b));
		}
	}
}

#define STAT(f) offsetof(struct vm_task_stats, f)

static void containers(struct prom_writer *w, const struct metrics_containers *mc)
{
	per_container(w, mc, "kvas_container_page_faults",
		      "Page faults of each container since kvas serve started, by mode; only the"
		      " --containers busiest containers have their own series, the other live ones"
		      " are summed in runtime=\"other\".", STAT(faults_user),
		      STAT(faults_kernel), "mode", "user", "kernel");
	per_container(w, mc, "kvas_container_tlb_flushes",
		      "TLB flushes (local and remote) run by each container's tasks since kvas"
		      " serve started; the rest of the live containers in runtime=\"other\".",
		      STAT(tlb_flushes), -1, NULL, NULL, NULL);
	per_container(w, mc, "kvas_container_tlb_shootdown_requests_sent",
		      "TLB shootdown requests sent by each container's tasks since kvas serve"
		      " started; the rest of the live containers in runtime=\"other\".",
		      STAT(tlb_ipis_sent), -1, NULL, NULL, NULL);
	per_container(w, mc, "kvas_container_tlb_switches_without_flush",
		      "Task switches to each container's tasks that kept the TLB, since kvas"
		      " serve started; the rest of the live containers in runtime=\"other\".",
		      STAT(tlb_no_flush), -1, NULL, NULL, NULL);
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
		faults(w, &m->counters);
		tlb(w, &m->counters);
		one(w, "kvas_events_lost", PROM_COUNTER, "Events the kernel side could not"
		    " count or pass on since kvas serve started.", m->counters.dropped);
		one(w, "kvas_processes_evicted", PROM_COUNTER, "Processes the kernel's task"
		    " table (LRU) evicted since kvas serve started: their per-container counts"
		    " are lost, the totals are not.", m->evicted_total);
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
