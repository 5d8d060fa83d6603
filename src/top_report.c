// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "format.h"
#include "json_util.h"
#include "top_report.h"
#include "vm_decode.h"
#include "x86_layout.h"

static int by_key(const void *a, const void *b)
{
	const struct vm_task_key *x = &((const struct vm_task_entry *)a)->key;
	const struct vm_task_key *y = &((const struct vm_task_entry *)b)->key;

	if (x->tgid != y->tgid)
		return x->tgid < y->tgid ? -1 : 1;
	return x->cgroup < y->cgroup ? -1 : x->cgroup > y->cgroup;
}

int top_snapshot_take(struct vmevents *ev, struct top_snapshot *s)
{
	struct timespec ts;
	int err;

	memset(s, 0, sizeof(*s));
	clock_gettime(CLOCK_MONOTONIC, &ts);
	s->time = ts.tv_sec + ts.tv_nsec / 1e9;
	err = vmevents_counters(ev, &s->counters);
	if (err)
		return err;
	s->tasks = vmevents_tasks(ev, &s->nr_tasks);
	if (s->tasks) {
		size_t kept = 0;

		qsort(s->tasks, s->nr_tasks, sizeof(s->tasks[0]), by_key);
		/* A key seen twice (a table changing as it is read) counts once. */
		for (size_t i = 0; i < s->nr_tasks; i++)
			if (!kept || by_key(&s->tasks[kept - 1], &s->tasks[i]))
				s->tasks[kept++] = s->tasks[i];
		s->nr_tasks = kept;
	}
	direct_map_stats_read(&s->dmap);
	return 0;
}

void top_snapshot_free(struct top_snapshot *s)
{
	free(s->tasks);
	memset(s, 0, sizeof(*s));
}

/* A counter that went backwards was evicted and re-created: count it anew. */
static uint64_t delta(uint64_t cur, uint64_t prev)
{
	return cur >= prev ? cur - prev : cur;
}

static void add_row(struct top_row *row, const struct vm_task_stats *cur,
		    const struct vm_task_stats *prev, double secs)
{
	static const struct vm_task_stats zero;

	if (!prev)
		prev = &zero;
	row->faults_user += delta(cur->faults_user, prev->faults_user) / secs;
	row->faults_kernel += delta(cur->faults_kernel, prev->faults_kernel) / secs;
	row->writes += delta(cur->fault_writes, prev->fault_writes) / secs;
	row->tlb_flushes += delta(cur->tlb_flushes, prev->tlb_flushes) / secs;
	row->ipis_sent += delta(cur->tlb_ipis_sent, prev->tlb_ipis_sent) / secs;
	row->remote_received += delta(cur->tlb_remote_received, prev->tlb_remote_received) / secs;
	row->ipi_cpus += delta(cur->tlb_ipi_cpus, prev->tlb_ipi_cpus) / secs;
}

static double row_weight(const struct top_row *r)
{
	return r->faults_user + r->faults_kernel + r->tlb_flushes;
}

static int by_weight(const void *a, const void *b)
{
	double x = row_weight(a), y = row_weight(b);

	return x < y ? 1 : x > y ? -1 : 0;
}

/* Find or add the row that an entry merges into. */
static struct top_row *row_for(struct top_row **rows, size_t *nr, size_t *cap,
			       enum top_by by, const struct vm_task_entry *e,
			       const char *cgroup)
{
	for (size_t i = 0; i < *nr; i++) {
		struct top_row *r = &(*rows)[i];

		if ((by == TOP_BY_PID && r->pid == e->key.tgid &&
		     !strcmp(r->cgroup, cgroup)) ||
		    (by == TOP_BY_COMM && !strncmp(r->comm, e->stats.comm, 16)) ||
		    (by == TOP_BY_CGROUP && !strcmp(r->cgroup, cgroup)))
			return r;
	}
	if (*nr == *cap) {
		size_t grown = *cap ? *cap * 2 : 64;
		struct top_row *p = realloc(*rows, grown * sizeof(*p));

		if (!p)
			return NULL;
		*rows = p;
		*cap = grown;
	}
	memset(&(*rows)[*nr], 0, sizeof(**rows));
	if (by == TOP_BY_PID)
		(*rows)[*nr].pid = e->key.tgid;
	if (by != TOP_BY_CGROUP)
		memcpy((*rows)[*nr].comm, e->stats.comm, 16);
	if (by != TOP_BY_COMM) {
		snprintf((*rows)[*nr].cgroup, sizeof((*rows)[0].cgroup), "%s", cgroup);
		if (!container_of_cgroup(cgroup, (*rows)[*nr].container,
					 sizeof((*rows)[0].container)))
			(*rows)[*nr].container[0] = '\0';
	}
	return &(*rows)[(*nr)++];
}

static void comm_of(uint32_t pid, char comm[17])
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%u/comm", pid);
	/* A live process's current name (it may have exec'd since we met it). */
	if (read_small_file(path, comm, 17) > 0)
		comm[strcspn(comm, "\n")] = '\0';
}

static void build_rows(struct top_row **rows, size_t *nr, enum top_by by,
		       const struct top_snapshot *prev, const struct top_snapshot *cur,
		       double secs, struct cgroup_cache *cc, size_t max_rows)
{
	size_t cap = 0;

	*rows = NULL;
	*nr = 0;
	for (size_t i = 0; i < cur->nr_tasks; i++) {
		const struct vm_task_entry *e = &cur->tasks[i], *p = NULL;
		const char *path = cgroup_path(cc, e->key.cgroup);
		char unknown[32];
		struct top_row *row;

		if (prev && prev->tasks)
			p = bsearch(e, prev->tasks, prev->nr_tasks, sizeof(*e), by_key);
		if (!path) {
			snprintf(unknown, sizeof(unknown), "cgroup:%llu",
				 (unsigned long long)e->key.cgroup);
			path = unknown;
		}
		row = row_for(rows, nr, &cap, by, e, path);
		if (row)
			add_row(row, &e->stats, p ? &p->stats : NULL, secs);
	}
	if (*rows)
		qsort(*rows, *nr, sizeof(**rows), by_weight);
	/* Rows with nothing in this interval say nothing. */
	while (*nr && row_weight(&(*rows)[*nr - 1]) == 0)
		(*nr)--;
	if (*nr > max_rows)
		*nr = max_rows;
	for (size_t i = 0; by == TOP_BY_PID && i < *nr; i++) {
		char comm[17];

		memcpy(comm, (*rows)[i].comm, 16);
		comm[16] = '\0';
		comm_of((*rows)[i].pid, comm);
		/* /proc names can be longer (kworkers): keep 15 and the NUL */
		snprintf((*rows)[i].comm, sizeof((*rows)[i].comm), "%.15s", comm);
	}
}

void top_report_build(struct top_report *r, const struct top_snapshot *prev,
		      const struct top_snapshot *cur, enum top_by by, size_t max_rows,
		      struct cgroup_cache *cc)
{
	const uint64_t *c = (const uint64_t *)&cur->counters;
	const uint64_t *p = (const uint64_t *)&prev->counters;
	uint64_t *d = (uint64_t *)&r->delta;

	r->interval = cur->time - prev->time;
	if (r->interval <= 0)
		r->interval = 1e-9;
	for (size_t i = 0; i < sizeof(r->delta) / sizeof(uint64_t); i++)
		d[i] = delta(c[i], p[i]);
	r->by = by;
	r->dmap = cur->dmap;
	r->dmap_delta.kb_4k = cur->dmap.kb_4k - prev->dmap.kb_4k;
	r->dmap_delta.kb_2m = cur->dmap.kb_2m - prev->dmap.kb_2m;
	r->dmap_delta.kb_1g = cur->dmap.kb_1g - prev->dmap.kb_1g;
	r->dmap_delta.level2_splits = cur->dmap.level2_splits - prev->dmap.level2_splits;
	r->dmap_delta.level3_splits = cur->dmap.level3_splits - prev->dmap.level3_splits;
	r->dmap_delta.level2_collapses = cur->dmap.level2_collapses - prev->dmap.level2_collapses;
	r->dmap_delta.level3_collapses = cur->dmap.level3_collapses - prev->dmap.level3_collapses;
	r->lost_total = cur->counters.dropped;
	r->sampled_total = cur->counters.sampled_away;
	r->tracked_tasks = cur->nr_tasks;
	build_rows(&r->rows, &r->nr_rows, by, prev, cur, r->interval, cc, max_rows);
	build_rows(&r->containers, &r->nr_containers, TOP_BY_CGROUP, prev, cur,
		   r->interval, cc, 5);
}

void top_report_free(struct top_report *r)
{
	free(r->rows);
	free(r->containers);
	r->rows = r->containers = NULL;
}

/* ---- text ---- */

static double rate(const struct top_report *r, uint64_t n)
{
	return n / r->interval;
}

static void print_rows(const struct top_row *rows, size_t nr, enum top_by by, FILE *out)
{
	if (by == TOP_BY_CGROUP)
		fprintf(out, "  %-40s %-18s", "CGROUP", "CONTAINER");
	else if (by == TOP_BY_COMM)
		fprintf(out, "  %-16s", "COMM");
	else
		fprintf(out, "  %7s %-16s", "PID", "COMM");
	fprintf(out, " %10s %9s %9s %9s %9s %9s%s\n", "UFAULT/s", "KFAULT/s", "WRITE/s",
		"TLB/s", "IPI-TX/s", "REMOTE/s", by == TOP_BY_PID ? "  CGROUP" : "");
	if (!nr)
		fprintf(out, "  (no events in this interval)\n");
	for (size_t i = 0; i < nr; i++) {
		const struct top_row *w = &rows[i];

		if (by == TOP_BY_CGROUP)
			fprintf(out, "  %-40.40s %-18s", w->cgroup, w->container[0] ? w->container : "-");
		else if (by == TOP_BY_COMM)
			fprintf(out, "  %-16s", w->comm);
		else
			fprintf(out, "  %7u %-16s", w->pid, w->comm);
		fprintf(out, " %10.0f %9.0f %9.0f %9.0f %9.0f %9.0f", w->faults_user,
			w->faults_kernel, w->writes, w->tlb_flushes, w->ipis_sent,
			w->remote_received);
		if (by == TOP_BY_PID)
			fprintf(out, "  %s", w->container[0] ? w->container : w->cgroup);
		fputc('\n', out);
	}
}

void top_report_text(const struct top_report *r, FILE *out)
{
	const struct vm_counters *d = &r->delta;
	char a[24], b[24], c[24];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	fprintf(out, "kvas top  %02d:%02d:%02d  interval %.1f s%s\n\n", tm.tm_hour, tm.tm_min,
		tm.tm_sec, r->interval, r->raw_tp ? "  (raw_tp)" : "");
	fprintf(out, "PAGE FAULTS/s   user %.0f   kernel %.0f\n", rate(r, d->events[VM_FAULT_USER]),
		rate(r, d->events[VM_FAULT_KERNEL]));
	for (int k = 0; k < 2; k++) {
		fprintf(out, "  %-6s", k ? "kernel" : "user");
		for (unsigned int cls = 0; cls < FAULT_NR_CLASSES; cls++)
			if (d->fault_class[k][cls])
				fprintf(out, "  %s %.0f", fault_class_name(cls),
					rate(r, d->fault_class[k][cls]));
		fputc('\n', out);
	}
	fprintf(out, "  kernel faults by region:");
	for (unsigned int reg = 0; reg < FR_NR; reg++)
		if (d->kernel_region[reg])
			fprintf(out, "  %s %.0f", fault_region_name(reg), rate(r, d->kernel_region[reg]));
	fprintf(out, "\n\nTLB FLUSHES/s   %.0f\n  by reason:", rate(r, d->events[VM_TLB_FLUSH]));
	for (unsigned int reason = 0; reason < TLB_NR_REASONS; reason++)
		if (d->tlb_reason[reason])
			fprintf(out, "  %s %.0f", tlb_reason_name(reason), rate(r, d->tlb_reason[reason]));
	fprintf(out, "\n  by size (pages):");
	for (unsigned int s = 0; s < TLB_NR_SIZES; s++)
		if (d->tlb_size[s])
			fprintf(out, "  %s %.0f", tlb_size_name(s, a, sizeof(a)), rate(r, d->tlb_size[s]));
	fprintf(out, "\n\nDIRECT MAP      4K %s (%+lld kB)  2M %s  1G %s   splits 2M->4K %llu (%+lld)  1G->2M %llu (%+lld)\n",
		fmt_size(r->dmap.kb_4k * KB, a, sizeof(a)), (long long)r->dmap_delta.kb_4k,
		fmt_size(r->dmap.kb_2m * KB, b, sizeof(b)), fmt_size(r->dmap.kb_1g * KB, c, sizeof(c)),
		(unsigned long long)r->dmap.level2_splits, (long long)r->dmap_delta.level2_splits,
		(unsigned long long)r->dmap.level3_splits, (long long)r->dmap_delta.level3_splits);
	fprintf(out, "EVENTS          lost %llu (total %llu)  sampled away %llu  translated %llu  untranslatable %llu  tracked processes %zu\n",
		(unsigned long long)d->dropped, (unsigned long long)r->lost_total,
		(unsigned long long)d->sampled_away,
		(unsigned long long)d->translated, (unsigned long long)d->translate_failed,
		r->tracked_tasks);

	vm_parts_text(r->parts, out);

	fprintf(out, "\nTOP %s\n", r->by == TOP_BY_CGROUP ? "CGROUPS" : r->by == TOP_BY_COMM ?
		"COMMANDS" : "PROCESSES");
	print_rows(r->rows, r->nr_rows, r->by, out);
	if (r->by != TOP_BY_CGROUP) {
		fprintf(out, "\nTOP CONTAINERS (cgroups)\n");
		print_rows(r->containers, r->nr_containers, TOP_BY_CGROUP, out);
	}
	fprintf(out, "\nRECENT FAULTS, translated after they resolved\n");
	fprintf(out, "  %7s %-16s %-18s %-18s %5s  %s\n", "PID", "COMM", "ADDRESS", "PHYSICAL",
		"PAGE", "DIRECT MAP");
	for (int i = 0; i < r->nr_recent; i++) {
		const struct top_recent *t = &r->recent[i];
		char e[24];

		fprintf(out, "  %7u %-16s %s %s %5s  %s\n", t->t.tgid, t->comm,
			fmt_hex(t->t.addr, a, sizeof(a)), fmt_hex(t->t.pa, b, sizeof(b)),
			t->t.page_shift == 30 ? "1G" : t->t.page_shift == 21 ? "2M" : "4K",
			fmt_hex(t->direct_map_alias, e, sizeof(e)));
	}
	if (!r->nr_recent)
		fprintf(out, "  (none yet)\n");
}

/* ---- JSON ---- */

static json_t *rows_json(const struct top_row *rows, size_t nr, bool cpus_counted)
{
	json_t *a = json_array();

	for (size_t i = 0; i < nr; i++) {
		const struct top_row *w = &rows[i];
		json_t *o = json_object();

		if (w->pid)
			json_object_set_new(o, "pid", json_integer(w->pid));
		if (w->comm[0])
			json_object_set_new(o, "comm", json_stringn(w->comm, strnlen(w->comm, 16)));
		if (w->cgroup[0])
			json_object_set_new(o, "cgroup", json_string(w->cgroup));
		if (w->container[0])
			json_object_set_new(o, "container", json_string(w->container));
		json_object_set_new(o, "user_faults_per_s", json_real(w->faults_user));
		json_object_set_new(o, "kernel_faults_per_s", json_real(w->faults_kernel));
		json_object_set_new(o, "write_faults_per_s", json_real(w->writes));
		json_object_set_new(o, "tlb_flushes_per_s", json_real(w->tlb_flushes));
		json_object_set_new(o, "tlb_ipis_sent_per_s", json_real(w->ipis_sent));
		json_object_set_new(o, "tlb_remote_received_per_s", json_real(w->remote_received));
		/* null where this kernel hides the mask: not zero, unknown */
		json_object_set_new(o, "tlb_ipi_cpus_per_s",
				    cpus_counted ? json_real(w->ipi_cpus) : json_null());
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *named_counts(const struct top_report *r, const __u64 *v, unsigned int n,
			    const char *(*name)(unsigned int))
{
	json_t *o = json_object();

	for (unsigned int i = 0; i < n; i++)
		if (v[i])
			json_object_set_new(o, name(i), json_real(rate(r, v[i])));
	return o;
}

static const char *size_key(unsigned int bucket)
{
	static char names[TLB_NR_SIZES][16];

	return tlb_size_name(bucket, names[bucket], sizeof(names[0]));
}

json_t *top_report_json(const struct top_report *r)
{
	const struct vm_counters *d = &r->delta;
	json_t *o = json_object(), *faults = json_object(), *tlb = json_object();
	json_t *dm = json_object(), *ev = json_object(), *recent = json_array();
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	json_object_set_new(o, "time", json_real(ts.tv_sec + ts.tv_nsec / 1e9));
	json_object_set_new(o, "interval_s", json_real(r->interval));
	json_object_set_new(faults, "user_per_s", json_real(rate(r, d->events[VM_FAULT_USER])));
	json_object_set_new(faults, "kernel_per_s", json_real(rate(r, d->events[VM_FAULT_KERNEL])));
	json_object_set_new(faults, "user_by_class", named_counts(r, d->fault_class[0], FAULT_NR_CLASSES, fault_class_name));
	json_object_set_new(faults, "kernel_by_class", named_counts(r, d->fault_class[1], FAULT_NR_CLASSES, fault_class_name));
	json_object_set_new(faults, "kernel_by_region", named_counts(r, d->kernel_region, FR_NR, fault_region_name));
	json_object_set_new(o, "page_faults", faults);
	json_object_set_new(tlb, "per_s", json_real(rate(r, d->events[VM_TLB_FLUSH])));
	json_object_set_new(tlb, "by_reason", named_counts(r, d->tlb_reason, TLB_NR_REASONS, tlb_reason_name));
	json_object_set_new(tlb, "by_size", named_counts(r, d->tlb_size, TLB_NR_SIZES, size_key));
	json_object_set_new(o, "tlb_flushes", tlb);
	json_object_set_new(dm, "4k_bytes", json_integer((json_int_t)(r->dmap.kb_4k * KB)));
	json_object_set_new(dm, "2m_bytes", json_integer((json_int_t)(r->dmap.kb_2m * KB)));
	json_object_set_new(dm, "1g_bytes", json_integer((json_int_t)(r->dmap.kb_1g * KB)));
	json_object_set_new(dm, "4k_bytes_change", json_integer((json_int_t)(int64_t)(r->dmap_delta.kb_4k * KB)));
	json_object_set_new(dm, "level2_splits", json_integer((json_int_t)r->dmap.level2_splits));
	json_object_set_new(dm, "level3_splits", json_integer((json_int_t)r->dmap.level3_splits));
	json_object_set_new(dm, "level2_splits_change", json_integer((json_int_t)r->dmap_delta.level2_splits));
	json_object_set_new(dm, "level3_splits_change", json_integer((json_int_t)r->dmap_delta.level3_splits));
	json_object_set_new(o, "direct_map", dm);
	json_object_set_new(ev, "lost", json_integer((json_int_t)d->dropped));
	json_object_set_new(ev, "lost_total", json_integer((json_int_t)r->lost_total));
	json_object_set_new(ev, "sampled_away", json_integer((json_int_t)d->sampled_away));
	json_object_set_new(ev, "translated", json_integer((json_int_t)d->translated));
	json_object_set_new(ev, "untranslatable", json_integer((json_int_t)d->translate_failed));
	json_object_set_new(ev, "tracked_processes", json_integer((json_int_t)r->tracked_tasks));
	json_object_set_new(o, "events", ev);
	json_object_set_new(o, "unavailable", vm_parts_json(r->parts));
	json_object_set_new(o, r->by == TOP_BY_CGROUP ? "cgroups" : r->by == TOP_BY_COMM ?
			    "commands" : "processes", rows_json(r->rows, r->nr_rows, r->parts[VM_PART_REMOTE_CPUS].on));
	if (r->by != TOP_BY_CGROUP)
		json_object_set_new(o, "cgroups", rows_json(r->containers, r->nr_containers, r->parts[VM_PART_REMOTE_CPUS].on));
	for (int i = 0; i < r->nr_recent; i++) {
		const struct top_recent *t = &r->recent[i];
		json_t *x = json_object();

		json_object_set_new(x, "pid", json_integer(t->t.tgid));
		json_object_set_new(x, "tid", json_integer(t->t.tid));
		json_object_set_new(x, "comm", json_string(t->comm));
		json_object_set_new(x, "address", json_hex(t->t.addr));
		json_object_set_new(x, "pa", json_hex(t->t.pa));
		json_object_set_new(x, "page_size", json_integer(1LL << t->t.page_shift));
		json_object_set_new(x, "direct_map_alias", json_hex(t->direct_map_alias));
		json_array_append_new(recent, x);
	}
	json_object_set_new(o, "recent_faults", recent);
	return o;
}

void top_report_recent(struct top_report *r, struct vmevents *ev,
		       const struct top_snapshot *cur, uint64_t page_offset_base)
{
	struct vm_translation all[64];
	int n = vmevents_recent(ev, all, 64);
	int from = n > TOP_RECENT ? n - TOP_RECENT : 0;

	r->nr_recent = 0;
	for (int i = from; i < n; i++) {
		struct top_recent *t = &r->recent[r->nr_recent++];
		char comm[17] = "?";

		t->t = all[i];
		t->direct_map_alias = page_offset_base + all[i].pa;
		/* The name the kernel saw, then the live one if it still runs. */
		for (size_t k = 0; k < cur->nr_tasks; k++)
			if (cur->tasks[k].key.tgid == all[i].tgid)
				memcpy(comm, cur->tasks[k].stats.comm, 16);
		comm_of(all[i].tgid, comm);
		snprintf(t->comm, sizeof(t->comm), "%.15s", comm);
	}
}
