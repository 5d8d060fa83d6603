// SPDX-License-Identifier: GPL-2.0
/*
 * kvas report --json: one document with what the text says
 * (docs/schema/report.schema.json). A row has a field per key of its
 * table; a key that does not apply to the row's events (a TLB event's
 * symbol in the --sort table) is left out.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json_util.h"
#include "report.h"
#include "text_escape.h"
#include "vm_decode.h"

static const char *const by_names[RB_NR] = {
	[RB_PROCESS] = "by_process", [RB_THREAD] = "by_thread",
	[RB_CONTAINER] = "by_container", [RB_REGION] = "by_region",
	[RB_PAGE_SIZE] = "by_page_size", [RB_CLASS] = "by_class",
	[RB_REASON] = "by_reason", [RB_SYMBOL] = "by_symbol",
};

static json_t *percent(uint64_t n, uint64_t total)
{
	return json_real(total ? round(10000.0 * (double)n / (double)total) / 100.0 : 0.0);
}

/*
 * A name from the recording: any bytes (a comm, a path, a symbol), which
 * jansson takes only as UTF-8; otherwise escaped as the text report does.
 */
static json_t *text(const char *s)
{
	json_t *j = json_string(s);
	char *esc;

	if (j || !(esc = malloc(TEXT_ESCAPED_SIZE(strlen(s)))))
		return j ? j : json_string("");
	j = json_string(text_escape(s, SIZE_MAX, esc, TEXT_ESCAPED_SIZE(strlen(s))));
	free(esc);
	return j;
}

static json_t *str_or_null(const char *s)
{
	return s ? text(s) : json_null();
}

static json_t *count_or_null(struct report_count c)
{
	return c.known ? json_integer((json_int_t)c.value) : json_null();
}

/* "1234:comm" (report_keys.c makes it so) into its number and name. */
static void id_and_name(json_t *row, const char *id, const char *name, const char *v)
{
	const char *colon = strchr(v, ':');

	json_object_set_new(row, id, json_integer(strtoll(v, NULL, 10)));
	json_object_set_new(row, name, text(colon ? colon + 1 : ""));
}

/* "4K", "2M", "1G", "2^N": bytes; "not translated": null. */
static json_t *page_size(const char *v)
{
	char *end;
	unsigned long n = strtoul(v[0] == '2' && v[1] == '^' ? v + 2 : v, &end, 10);

	if (end == v || !n)
		return json_null();
	switch (*end) {
	case 'K': return json_integer((json_int_t)n << 10);
	case 'M': return json_integer((json_int_t)n << 20);
	case 'G': return json_integer((json_int_t)n << 30);
	}
	return n < 63 ? json_integer((json_int_t)1 << n) : json_null();
}

static void key_field(json_t *row, enum report_key k, const char *v)
{
	static const char *const names[RK_NR] = {
		[RK_COMM] = "comm", [RK_CONTAINER] = "container", [RK_REGION] = "region",
		[RK_CLASS] = "class", [RK_REASON] = "reason", [RK_SYM] = "symbol",
		[RK_KIND] = "kind",
	};

	if (!strcmp(v, REPORT_NA))
		return;
	if (k == RK_PID)
		id_and_name(row, "pid", "process_name", v);
	else if (k == RK_TID)
		id_and_name(row, "tid", "thread_name", v);
	else if (k == RK_PAGE_SIZE)
		json_object_set_new(row, "page_size", page_size(v));
	else
		json_object_set_new(row, names[k], text(v));
}

/* rows, then what --rows left out: counted, so a reader can tell. */
static json_t *rows_object(const struct report_table *t, unsigned int rows, json_t *list)
{
	json_t *o = json_object();
	uint64_t more = 0;

	for (size_t i = rows; i < t->nr_rows; i++)
		more += t->rows[i].count;
	json_object_set_new(o, "total", json_integer((json_int_t)t->total));
	json_object_set_new(o, "rows", list);
	json_object_set_new(o, "more_rows",
			    json_integer(t->nr_rows > rows ? (json_int_t)(t->nr_rows - rows) : 0));
	json_object_set_new(o, "more_events", json_integer((json_int_t)more));
	return o;
}

static json_t *table(const struct report_table *t, unsigned int rows)
{
	json_t *list = json_array(), *keys = json_array(), *o;

	for (size_t i = 0; i < t->nr_rows && i < rows; i++) {
		json_t *row = json_object();

		for (unsigned int k = 0; k < t->nr_keys; k++)
			key_field(row, t->keys[k], t->rows[i].values[k]);
		json_object_set_new(row, "events", json_integer((json_int_t)t->rows[i].count));
		json_object_set_new(row, "percent", percent(t->rows[i].count, t->total));
		json_array_append_new(list, row);
	}
	for (unsigned int k = 0; k < t->nr_keys; k++)
		json_array_append_new(keys, json_string(report_key_name(t->keys[k])));
	o = rows_object(t, rows, list);
	json_object_set_new(o, "keys", keys);
	return o;
}

static json_t *chains(const struct report_table *t, unsigned int rows)
{
	json_t *list = json_array();

	for (size_t i = 0; i < t->nr_rows && i < rows; i++) {
		json_t *row = json_object(), *frames = json_array();
		bool user_cut = false, kernel_cut = false;

		for (unsigned int f = 0; f < t->rows[i].nr_values; f++) {
			const char *v = t->rows[i].values[f];

			/* the cut markers are flags here, not frames */
			if (!strcmp(v, REPORT_USER_CUT))
				user_cut = true;
			else if (!strcmp(v, REPORT_KERNEL_CUT))
				kernel_cut = true;
			else
				json_array_append_new(frames, text(v));
		}
		json_object_set_new(row, "events", json_integer((json_int_t)t->rows[i].count));
		json_object_set_new(row, "percent", percent(t->rows[i].count, t->total));
		json_object_set_new(row, "frames", frames);
		json_object_set_new(row, "user_cut", json_boolean(user_cut));
		json_object_set_new(row, "kernel_cut", json_boolean(kernel_cut));
		json_array_append_new(list, row);
	}
	return rows_object(t, rows, list);
}

static json_t *pages(const struct report *rep)
{
	json_t *o = json_object(), *list = json_array();

	for (size_t i = 0; i < rep->nr_pages && i < rep->rows; i++) {
		const struct report_page *p = &rep->pages[i];
		json_t *row = json_object();

		json_object_set_new(row, "pid", json_integer(p->pid));
		json_object_set_new(row, "comm", text(p->comm));
		json_object_set_new(row, "address", json_hex(p->vpage));
		json_object_set_new(row, "pa", p->page_shift ? json_hex(p->pa_page) : json_null());
		json_object_set_new(row, "page_size", p->page_shift ?
				    json_integer((json_int_t)1 << p->page_shift) : json_null());
		json_object_set_new(row, "events", json_integer((json_int_t)p->count));
		json_object_set_new(row, "percent", percent(p->count, rep->page_faults));
		json_array_append_new(list, row);
	}
	json_object_set_new(o, "total", json_integer((json_int_t)rep->page_faults));
	json_object_set_new(o, "pages", json_integer((json_int_t)rep->nr_pages));
	json_object_set_new(o, "rows", list);
	json_object_set_new(o, "more_rows", json_integer(rep->nr_pages > rep->rows ?
				(json_int_t)(rep->nr_pages - rep->rows) : 0));
	return o;
}

static json_t *histogram(const struct report_histogram *h)
{
	json_t *o = json_object(), *list = json_array();

	for (unsigned int b = 0; b < h->nr; b++) {
		json_t *bucket = json_object();

		json_object_set_new(bucket, "start_s", json_seconds((double)b * h->bucket_ns / 1e9));
		json_object_set_new(bucket, "events", json_integer((json_int_t)h->counts[b]));
		json_array_append_new(list, bucket);
	}
	json_object_set_new(o, "bucket_s", json_seconds(h->bucket_ns / 1e9));
	json_object_set_new(o, "buckets", list);
	return o;
}

/* A table of direct-map changes: its rows as far as --rows, then how many were left out. */
static json_t *dmap_table(const struct report_dmap_table *t, const char *name, unsigned int rows)
{
	json_t *o = json_object(), *list = json_array();

	for (size_t i = 0; i < t->nr_rows && i < rows; i++) {
		const struct report_dmap_row *r = &t->rows[i];
		json_t *row = json_object();

		if (!strcmp(name, "comm"))
			json_object_set_new(row, "pid", json_integer(r->pid));
		json_object_set_new(row, name, text(r->name));
		json_object_set_new(row, "changes", json_integer((json_int_t)r->changes));
		json_object_set_new(row, "pages", json_integer((json_int_t)r->pages));
		json_array_append_new(list, row);
	}
	json_object_set_new(o, "rows", list);
	json_object_set_new(o, "more_rows", json_integer(t->nr_rows > rows ?
				(json_int_t)(t->nr_rows - rows) : 0));
	return o;
}

static json_t *dmap_changes(const struct report_dmap *d, unsigned int rows)
{
	json_t *o = json_object();

	json_object_set_new(o, "status", str_or_null(d->status));
	json_object_set_new(o, "recorded", json_boolean(d->recorded));
	json_object_set_new(o, "changes", json_integer((json_int_t)d->changes));
	json_object_set_new(o, "pages", json_integer((json_int_t)d->pages));
	json_object_set_new(o, "lost", count_or_null(d->lost));
	json_object_set_new(o, "by_function", dmap_table(&d->by_function, "function", rows));
	json_object_set_new(o, "by_effect", dmap_table(&d->by_effect, "effect", rows));
	json_object_set_new(o, "by_process", dmap_table(&d->by_process, "comm", rows));
	return o;
}

static json_t *summary(const struct report_summary *s)
{
	const struct { const char *key, *value; } meta[] = {
		{ "command", s->command }, { "target", s->target },
		{ "events_recorded", s->event_list }, { "stacks", s->stacks },
		{ "kvas_version", s->kvas_version }, { "hostname", s->hostname },
		{ "kernel_release", s->kernel_release }, { "machine", s->machine },
		{ "started_at", s->started_at },
	};
	json_t *o = json_object(), *kinds = json_object();

	for (size_t i = 0; i < sizeof(meta) / sizeof(meta[0]); i++)
		json_object_set_new(o, meta[i].key, str_or_null(meta[i].value));
	json_object_set_new(o, "duration_s", s->duration_ns.known ?
			    json_seconds(s->duration_ns.value / 1e9) : json_null());
	json_object_set_new(o, "exit_status", str_or_null(s->exit_status));
	json_object_set_new(o, "events", json_integer((json_int_t)s->events));
	for (int k = 0; k < VM_NR_TRACED; k++)
		json_object_set_new(kinds, vm_event_name(k), json_integer((json_int_t)s->by_kind[k]));
	json_object_set_new(o, "by_kind", kinds);
	json_object_set_new(o, "with_stacks", json_integer((json_int_t)s->with_stacks));
	json_object_set_new(o, "translated", json_integer((json_int_t)s->translated));
	json_object_set_new(o, "events_seen", count_or_null(s->events_seen));
	json_object_set_new(o, "sampled_away", count_or_null(s->sampled_away));
	json_object_set_new(o, "lost", count_or_null(s->lost));
	json_object_set_new(o, "cut_short", str_or_null(s->cut_short));
	json_object_set_new(o, "tlb_reasons_named", json_boolean(s->tlb_names));
	json_object_set_new(o, "layout_known", json_boolean(s->layout_known));
	return o;
}

int report_print_json(const struct report *rep, FILE *out)
{
	json_t *root = json_object(), *warnings = json_array(), *sort = json_array();

	for (unsigned int i = 0; i < rep->nr_warnings; i++)
		json_array_append_new(warnings, text(rep->warnings[i]));
	for (unsigned int k = 0; k < rep->main.nr_keys; k++)
		json_array_append_new(sort, json_string(report_key_name(rep->main.keys[k])));
	json_object_set_new(root, "summary", summary(&rep->summary));
	json_object_set_new(root, "warnings", warnings);
	json_object_set_new(root, "sort", sort);
	json_object_set_new(root, "main", table(&rep->main, rep->rows));
	for (int b = 0; b < RB_NR; b++)
		json_object_set_new(root, by_names[b], table(&rep->by[b], rep->rows));
	json_object_set_new(root, "chains", chains(&rep->chains, rep->rows));
	json_object_set_new(root, "pages", pages(rep));
	json_object_set_new(root, "histogram", histogram(&rep->histogram));
	json_object_set_new(root, "dmap_changes", dmap_changes(&rep->dmap, rep->rows));
	json_object_set_new(json_object_get(root, "summary"), "dmap_changes",
			    json_integer((json_int_t)rep->dmap.changes));
	return json_emit(root, out) ? -EIO : 0;
}
