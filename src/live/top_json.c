// SPDX-License-Identifier: GPL-2.0
/* kvas top --json: one object per interval (JSON Lines). */
#include <string.h>

#include "cgroups.h"
#include "direct_map_json.h"
#include "json_util.h"
#include "top_report.h"
#include "vm_decode.h"

/*
 * A row's rates; ipi_cpus is NULL where no count of remote CPUs stands; rx:
 * the flushes received are this guest's to see (else null, not a 0).
 */
static json_t *rates_json(const struct top_row *w, json_t *ipi_cpus, bool rx)
{
	json_t *o = json_object();

	json_object_set_new(o, "faults_per_s", json_real(w->faults));
	json_object_set_new(o, "major_faults_per_s", json_real(w->majors));
#define TC_JSON(f, json, prom, help, flags, ...)					\
	if ((json)[0])								\
		json_object_set_new(o, json, (flags) & TC_RX && !rx ?		\
					     json_null() : json_real(w->f));
	TASK_COUNTERS(TC_JSON)
#undef TC_JSON
	if (ipi_cpus)
		json_object_set_new(o, "tlb_request_cpus_per_s", ipi_cpus);
	return o;
}

/* A row of --by container: who the container is, or the host's row. */
static void container_fields(json_t *o, const struct top_row *w)
{
	struct container_ref ref, *c = &ref;

	if (!top_row_container(w, c)) {
		json_object_set_new(o, "host", json_true());
		return;
	}
	json_object_set_new(o, "runtime", json_string(c->runtime));
	if (c->id[0]) {
		json_object_set_new(o, "id", json_string(c->id));
		json_object_set_new(o, "short_id", json_string(c->short_id));
	}
	if (c->pod_uid[0])
		json_object_set_new(o, "pod_uid", json_string(c->pod_uid));
	if (c->ns[0])
		json_object_set_new(o, "namespace", json_string(c->ns));
}

static json_t *rows_json(const struct top_row *rows, size_t nr, enum top_by by,
			 bool cpus_counted, bool rx)
{
	json_t *a = json_array();

	for (size_t i = 0; i < nr; i++) {
		const struct top_row *w = &rows[i];
		/* null where this kernel hides the mask: not zero, unknown */
		json_t *o = rates_json(w, cpus_counted ? json_real(w->tlb_ipi_cpus) : json_null(), rx);

		if (by == TOP_BY_PID)
			json_object_set_new(o, "pid", json_integer(w->pid));
		if (w->comm[0])
			json_object_set_new(o, "comm", json_stringn(w->comm, strnlen(w->comm, 16)));
		if (w->cgroup[0]) {
			json_object_set_new(o, "cgroup", json_string(w->cgroup));
			json_object_set_new(o, "attribution",
					    json_string(cgroup_kind_name(w->attribution)));
		}
		if (w->container[0])
			json_object_set_new(o, "container", json_string(w->container));
		if (by == TOP_BY_CONTAINER)
			container_fields(o, w);
		json_array_append_new(a, o);
	}
	return a;
}

/* Per second of seconds: the interval's, or the time user faults were watched. */
static json_t *counts_per(const __u64 *v, unsigned int n, const char *(*name)(unsigned int),
			  double seconds)
{
	json_t *o = json_object();

	for (unsigned int i = 0; i < n; i++)
		if (v[i])
			json_object_set_new(o, name(i), json_real(v[i] / seconds));
	return o;
}

static json_t *named_counts(const struct top_report *r, const __u64 *v, unsigned int n,
			    const char *(*name)(unsigned int))
{
	return counts_per(v, n, name, r->interval);
}

/* tlb:tlb_flush events per second by reason, named as the report's kernel names them. */
static json_t *reasons_json(const struct top_report *r)
{
	json_t *o = json_object();

	for (unsigned int i = 0; i < TLB_NR_REASONS; i++)
		if (r->delta.tlb_reason[i])
			json_object_set_new(o, tlb_reason_name(r->tlb_reasons, i),
					    json_real(r->delta.tlb_reason[i] / r->interval));
	return o;
}

static const char *size_key(unsigned int bucket)
{
	static char names[TLB_NR_SIZES][16];

	return tlb_size_name(bucket, names[bucket], sizeof(names[0]));
}

static json_t *faults_json(const struct top_report *r)
{
	const struct vm_counters *d = &r->delta;
	json_t *o = json_object();

	json_object_set_new(o, "per_s", json_real(top_rate(r, r->faults)));
	json_object_set_new(o, "minor_per_s", json_real(top_rate(r, r->faults - r->majors)));
	json_object_set_new(o, "major_per_s", json_real(top_rate(r, r->majors)));
	json_object_set_new(o, "kernel_per_s", json_real(top_rate(r, d->events[VM_FAULT_KERNEL])));
	/* user-mode faults one by one: only while watched, per second watched */
	json_object_set_new(o, "user_watched_s", json_seconds(r->user_watched));
	if (r->user_watched >= 1e-3) {
		json_object_set_new(o, "user_per_watched_s",
				    json_real(d->events[VM_FAULT_USER] / r->user_watched));
		json_object_set_new(o, "user_by_class_per_watched_s",
				    counts_per(d->fault_class[0], FAULT_NR_CLASSES,
					       fault_class_name, r->user_watched));
	}
	json_object_set_new(o, "kernel_by_class",
			    named_counts(r, d->fault_class[1], FAULT_NR_CLASSES, fault_class_name));
	json_object_set_new(o, "kernel_by_region",
			    named_counts(r, d->kernel_region, FR_NR, fault_region_name));
	return o;
}

static json_t *tlb_json(const struct top_report *r)
{
	const struct vm_counters *d = &r->delta;
	json_t *o = json_object();

	json_object_set_new(o, "per_s", json_real(top_rate(r, top_flushes(r))));
	json_object_set_new(o, "local_per_s", json_real(top_rate(r, d->tlb_class[TLBC_LOCAL])));
	json_object_set_new(o, "remote_per_s", r->remote_flush.received_visible ?
			    json_real(top_rate(r, d->tlb_class[TLBC_REMOTE])) : json_null());
	json_object_set_new(o, "by_size", named_counts(r, d->tlb_size, TLB_NR_SIZES, size_key));
	json_object_set_new(o, "shootdown_requests_sent_per_s",
			    json_real(top_rate(r, d->tlb_class[TLBC_SENT])));
	json_object_set_new(o, "switches_without_flush_per_s",
			    json_real(top_rate(r, d->tlb_class[TLBC_NO_FLUSH])));
	json_object_set_new(o, "other_reasons_per_s",
			    json_real(top_rate(r, d->tlb_class[TLBC_OTHER])));
	json_object_set_new(o, "events_by_reason", reasons_json(r));
	json_object_set_new(o, "remote_flush_method",
			    json_string(remote_flush_method_name(r->remote_flush.method)));
	json_object_set_new(o, "remote_flush_evidence", json_string(r->remote_flush.evidence));
	json_object_set_new(o, "remote_received_visible",
			    json_boolean(r->remote_flush.received_visible));
	return o;
}

static json_t *events_json(const struct top_report *r)
{
	const struct vm_counters *d = &r->delta;
	json_t *o = json_object();

	json_object_set_new(o, "lost", json_integer((json_int_t)d->dropped));
	json_object_set_new(o, "lost_total", json_integer((json_int_t)r->lost_total));
	json_object_set_new(o, "sampled_away", json_integer((json_int_t)d->sampled_away));
	json_object_set_new(o, "translated", json_integer((json_int_t)d->translated));
	json_object_set_new(o, "untranslatable", json_integer((json_int_t)d->translate_failed));
	json_object_set_new(o, "tracked_processes", json_integer((json_int_t)r->tracked_tasks));
	json_object_set_new(o, "evicted", json_integer((json_int_t)r->evicted));
	json_object_set_new(o, "evicted_total", json_integer((json_int_t)r->evicted_total));
	json_object_set_new(o, "table_size", json_integer((json_int_t)r->table_size));
	json_object_set_new(o, "exits_lost", json_integer((json_int_t)r->exits_lost));
	return o;
}

static json_t *cache_json(const struct top_cache_stats *c)
{
	return json_pack("{s:I, s:I, s:I, s:I}", "entries", (json_int_t)c->entries,
			 "negative", (json_int_t)c->negative, "misses", (json_int_t)c->misses,
			 "scans", (json_int_t)c->scans);
}

static const char *rows_name(enum top_by by)
{
	static const char *const names[] = {
		[TOP_BY_PID] = "processes", [TOP_BY_COMM] = "commands",
		[TOP_BY_CGROUP] = "cgroups", [TOP_BY_CONTAINER] = "containers",
	};

	return names[by];
}

static json_t *recent_json(const struct top_report *r)
{
	json_t *a = json_array();

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
		json_array_append_new(a, x);
	}
	return a;
}

json_t *top_report_json(const struct top_report *r)
{
	bool cpus = r->parts[VM_PART_REMOTE_CPUS].on, rx = r->remote_flush.received_visible;
	json_t *o = json_object();

	json_object_set_new(o, "unix_time", json_unix_time(r->unix_time));
	json_object_set_new(o, "interval_s", json_seconds(r->interval));
	json_object_set_new(o, "page_faults", faults_json(r));
	json_object_set_new(o, "tlb_flushes", tlb_json(r));
	json_object_set_new(o, "direct_map_counters", direct_map_counters_json(&r->dmap));
	json_object_set_new(o, "direct_map_change",
			    direct_map_counters_delta_json(&r->dmap, &r->dmap_prev));
	json_object_set_new(o, "events", events_json(r));
	json_object_set_new(o, "unavailable", vm_parts_json(r->parts));
	json_object_set_new(o, "cgroup_cache", cache_json(&r->cache));
	json_object_set_new(o, rows_name(r->by), rows_json(r->rows, r->nr_rows, r->by, cpus, rx));
	json_object_set_new(o, "all_other", rates_json(&r->rest, NULL, rx));
	if (r->by != TOP_BY_CGROUP)
		json_object_set_new(o, "cgroups", rows_json(r->cgroups, r->nr_cgroups,
							    TOP_BY_CGROUP, cpus, rx));
	json_object_set_new(o, "recent_faults", recent_json(r));
	json_object_set_new(o, "read_errors", read_failures_json(&r->failed));
	return o;
}
