// SPDX-License-Identifier: GPL-2.0
/*
 * A report from a recording: the summary, what to warn of, the main table
 * by --sort's keys, a table per key, the hottest call chains, pages and
 * the time histogram.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "parse_num.h"
#include "report_ctx.h"

/* Room for a tuple of every key's label. */
#define TUPLE_LEN (REPORT_MAX_KEYS * REPORT_LABEL_LEN)

static struct report_count meta_count(const struct recording *r, const char *key)
{
	const char *v = recording_meta(r, key);
	struct report_count c = { 0 };

	c.known = v && !parse_u64(v, 0, UINT64_MAX, &c.value);
	return c;
}

static void summarize(const struct recording *r, const struct report_ctx *c,
		      const struct report_opts *o, struct report_summary *s)
{
	s->command = recording_meta(r, "command");
	s->target = recording_meta(r, "target");
	s->event_list = recording_meta(r, "events");
	s->stacks = recording_meta(r, "stacks");
	s->kernel_release = recording_meta(r, "kernel_release");
	s->hostname = recording_meta(r, "hostname");
	s->machine = recording_meta(r, "machine");
	s->started_at = recording_meta(r, "started_at");
	s->kvas_version = recording_meta(r, "kvas_version");
	s->exit_status = recording_meta(r, "exit_status");
	s->duration_ns = meta_count(r, "duration_ns");
	s->events_seen = meta_count(r, "events_seen");
	s->sampled_away = meta_count(r, "sampled_away");
	s->lost = meta_count(r, "dropped");
	s->sample_every = meta_count(r, "sample_every");
	s->freq = meta_count(r, "freq");
	s->events = r->nr_events;
	for (size_t i = 0; i < r->nr_events; i++) {
		const struct rec_event *e = &r->events[i];

		if (e->kind < VM_NR_TRACED)
			s->by_kind[e->kind]++;
		s->with_stacks += e->stack < r->nr_stacks;
		s->translated += e->page_shift != 0;
	}
	s->cut_short = o->cut_short;
	s->tlb_names = c->tlb_names;
	s->layout_known = c->layout_known;
}

static void warn(struct report *rep, const char *fmt, ...)
{
	va_list ap;
	char *w;

	if (rep->nr_warnings == REPORT_MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	if (vasprintf(&w, fmt, ap) >= 0)
		rep->warnings[rep->nr_warnings++] = w;
	va_end(ap);
}

static void warnings(struct report *rep)
{
	const struct report_summary *s = &rep->summary;

	if (s->cut_short)
		/* the reader's why may say "cut short" itself */
		warn(rep, "the file was cut short: %s; this report holds what came before",
		     strncmp(s->cut_short, "cut short: ", 11) ? s->cut_short : s->cut_short + 11);
	if (s->lost.known && s->lost.value)
		warn(rep, "%" PRIu64 " events were lost (the ring buffer was full): every count is"
		     " short of them", s->lost.value);
	if (s->by_kind[VM_TLB_FLUSH] && !s->tlb_names)
		warn(rep, "the recording does not name the TLB reasons: they are shown by number");
	if (s->by_kind[VM_FAULT_KERNEL] && !s->layout_known)
		warn(rep, "the recording's kernel layout is incomplete: some kernel regions read"
		     " unknown");
}

/* label onto the tuple, its separators replaced: the tuple splits back whole. */
static void tuple_add(char *tuple, size_t *n, const char *label)
{
	if (*n && *n + 1 < TUPLE_LEN)
		tuple[(*n)++] = REPORT_SEP;
	for (; *label && *n + 1 < TUPLE_LEN; label++)
		tuple[(*n)++] = *label == REPORT_SEP ? '?' : *label;
	tuple[*n] = '\0';
}

/*
 * The table of keys over r's events. all: every event counts, a key that
 * does not apply reading REPORT_NA; else only events every key applies to.
 */
static int table(const struct report_ctx *c, const enum report_key *keys, unsigned int nr,
		 bool all, struct report_table *t)
{
	struct report_group g = { 0 };
	char *tuple = malloc(TUPLE_LEN), label[REPORT_LABEL_LEN];
	int err = tuple ? 0 : -ENOMEM;

	memcpy(t->keys, keys, nr * sizeof(*keys));
	t->nr_keys = nr;
	for (size_t i = 0; !err && i < c->r->nr_events; i++) {
		const struct rec_event *e = &c->r->events[i];
		size_t n = 0;
		unsigned int k;

		tuple[0] = '\0';
		for (k = 0; k < nr; k++) {
			const char *v = report_label(c, keys[k], e, label, sizeof(label));

			if (!v && !all)
				break;
			tuple_add(tuple, &n, v ? v : REPORT_NA);
		}
		if (k < nr)
			continue;
		t->total++;
		err = group_add(&g, tuple, 1);
	}
	free(tuple);
	if (!err)
		err = group_table(&g, t);
	group_free(&g);
	return err;
}

static int chains(const struct report_ctx *c, struct report_table *t)
{
	struct report_group g = { 0 };
	int err = 0;

	for (size_t i = 0; !err && i < c->r->nr_events; i++) {
		const struct rec_event *e = &c->r->events[i];

		if (e->stack >= c->r->nr_stacks)
			continue;
		t->total++;
		err = report_chain_add(c, e, &g);
	}
	if (!err)
		err = group_table(&g, t);
	group_free(&g);
	return err;
}

int report_build(const struct recording *r, const struct report_opts *o, struct report *rep)
{
	struct report_ctx *c = malloc(sizeof(*c));
	int err = c ? 0 : -ENOMEM;

	memset(rep, 0, sizeof(*rep));
	if (err)
		return err;
	report_ctx_init(c, r);
	rep->rows = o->rows;
	summarize(r, c, o, &rep->summary);
	warnings(rep);
	err = table(c, o->sort, o->nr_sort, true, &rep->main);
	for (int b = 0; !err && b < RB_NR; b++) {
		enum report_key k = report_by_key(b);

		err = table(c, &k, 1, false, &rep->by[b]);
	}
	if (!err)
		err = chains(c, &rep->chains);
	if (!err)
		err = report_pages_build(r, rep);
	if (!err)
		err = report_histogram_build(r, o->buckets, &rep->histogram);
	if (!err)
		err = report_dmap_build(r, &rep->dmap);
	if (!err && rep->dmap.lost.known && rep->dmap.lost.value)
		warn(rep, "%" PRIu64 " direct-map changes were lost (their ring buffer was full)",
		     rep->dmap.lost.value);
	free(c);
	if (err)
		report_free(rep);
	return err;
}

void report_free(struct report *rep)
{
	for (unsigned int i = 0; i < rep->nr_warnings; i++)
		free(rep->warnings[i]);
	report_table_free(&rep->main);
	for (int b = 0; b < RB_NR; b++)
		report_table_free(&rep->by[b]);
	report_table_free(&rep->chains);
	free(rep->pages);
	free(rep->histogram.counts);
	report_dmap_free(&rep->dmap);
	memset(rep, 0, sizeof(*rep));
}
