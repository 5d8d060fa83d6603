// SPDX-License-Identifier: GPL-2.0
/*
 * kvas report's text: perf report --stdio's shape (comment lines starting
 * with '#', an Overhead column, then the keys), every name from the
 * recording escaped for the terminal (text_escape.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "text_escape.h"
#include "vm_decode.h"

#define COLUMN_MAX 48		/* a column's width at most; the last one is not cut */
#define BAR_WIDTH 50
#define ESCAPED_LEN TEXT_ESCAPED_SIZE(256)

static const char *const by_titles[RB_NR] = {
	[RB_PROCESS] = "process", [RB_THREAD] = "thread", [RB_CONTAINER] = "container or cgroup",
	[RB_REGION] = "memory region", [RB_PAGE_SIZE] = "page size",
	[RB_CLASS] = "fault error class", [RB_REASON] = "TLB reason",
	[RB_SYMBOL] = "symbol (the fault's ip; else the stack's leaf)",
};

static double percent(uint64_t n, uint64_t total)
{
	return total ? 100.0 * (double)n / (double)total : 0.0;
}

static unsigned int shown(size_t nr, unsigned int rows)
{
	return nr < rows ? (unsigned int)nr : rows;
}

/* The rows not shown, in one line, so that no count is silently left out. */
static void rest(FILE *out, const struct report_table *t, unsigned int n, const char *what)
{
	uint64_t events = 0;

	if (n >= t->nr_rows)
		return;
	for (size_t i = n; i < t->nr_rows; i++)
		events += t->rows[i].count;
	fprintf(out, "#  ... %zu more %s (%" PRIu64 " events, %.2f%%): --rows shows more\n",
		t->nr_rows - n, what, events, percent(events, t->total));
}

static void table(FILE *out, const struct report_table *t, unsigned int rows)
{
	unsigned int width[REPORT_MAX_KEYS], n = shown(t->nr_rows, rows);
	char esc[ESCAPED_LEN];

	for (unsigned int k = 0; k < t->nr_keys; k++) {
		width[k] = strlen(report_key_title(t->keys[k]));
		for (unsigned int i = 0; i < n; i++) {
			size_t w = strlen(text_escape(t->rows[i].values[k], SIZE_MAX, esc, sizeof(esc)));

			width[k] = w > width[k] ? (w < COLUMN_MAX ? w : COLUMN_MAX) : width[k];
		}
	}
	fprintf(out, "# %" PRIu64 " events\n#\n# Overhead    Events", t->total);
	for (unsigned int k = 0; k < t->nr_keys; k++)
		fprintf(out, "  %-*s", k + 1 < t->nr_keys ? (int)width[k] : 0,
			report_key_title(t->keys[k]));
	fputs("\n# ........  ........", out);
	for (unsigned int k = 0; k < t->nr_keys; k++) {
		fputs("  ", out);
		for (unsigned int i = 0; i < width[k]; i++)
			fputc('.', out);
	}
	fputc('\n', out);
	for (unsigned int i = 0; i < n; i++) {
		const struct report_row *row = &t->rows[i];

		fprintf(out, "  %7.2f%%  %8" PRIu64, percent(row->count, t->total), row->count);
		for (unsigned int k = 0; k < t->nr_keys; k++) {
			bool last = k + 1 == t->nr_keys;

			/* cut to the column: a width + 1 buffer makes text_escape stop there */
			text_escape(row->values[k], SIZE_MAX, esc,
				    last ? sizeof(esc) : width[k] + 1);
			fprintf(out, "  %-*s", last ? 0 : (int)width[k], esc);
		}
		fputc('\n', out);
	}
	rest(out, t, n, "rows");
}

static void chains(FILE *out, const struct report_table *t, unsigned int rows)
{
	unsigned int n = shown(t->nr_rows, rows);
	char esc[ESCAPED_LEN];

	fprintf(out, "\n# Hottest call chains, leaf first: %" PRIu64 " events with stacks\n#\n",
		t->total);
	for (unsigned int i = 0; i < n; i++) {
		fprintf(out, "  %7.2f%%  %8" PRIu64 "\n", percent(t->rows[i].count, t->total),
			t->rows[i].count);
		for (unsigned int f = 0; f < t->rows[i].nr_values; f++)
			fprintf(out, "             %s\n",
				text_escape(t->rows[i].values[f], SIZE_MAX, esc, sizeof(esc)));
		fputc('\n', out);
	}
	rest(out, t, n, "chains");
}

static void pages(FILE *out, const struct report *rep)
{
	unsigned int n = shown(rep->nr_pages, rep->rows);
	char esc[TEXT_ESCAPED_SIZE(16)];

	fprintf(out, "\n# Hottest pages: %" PRIu64 " faults on %zu pages\n#\n"
		"# Overhead    Faults  Pid:Command           Virtual page        Physical page"
		"       Size\n", rep->page_faults, rep->nr_pages);
	for (unsigned int i = 0; i < n; i++) {
		const struct report_page *p = &rep->pages[i];
		char pid[48], pa[24];

		snprintf(pid, sizeof(pid), "%u:%s", p->pid,
			 text_escape(p->comm, sizeof(p->comm), esc, sizeof(esc)));
		if (p->page_shift)
			snprintf(pa, sizeof(pa), "0x%" PRIx64, p->pa_page);
		fprintf(out, "  %7.2f%%  %8" PRIu64 "  %-20s  0x%016" PRIx64 "  %-18s  %s\n",
			percent(p->count, rep->page_faults), p->count, pid, p->vpage,
			p->page_shift ? pa : "not translated",
			p->page_shift == 12 ? "4K" : p->page_shift == 21 ? "2M" :
			p->page_shift == 30 ? "1G" : "-");
	}
	if (n < rep->nr_pages)
		fprintf(out, "#  ... %zu more pages: --rows shows more\n", rep->nr_pages - n);
}

static void histogram(FILE *out, const struct report_histogram *h)
{
	uint64_t max = 0;

	for (unsigned int b = 0; b < h->nr; b++)
		max = h->counts[b] > max ? h->counts[b] : max;
	fprintf(out, "\n# Events over time: %u buckets of %.6f s\n#\n#    Start s    Events\n",
		h->nr, h->bucket_ns / 1e9);
	for (unsigned int b = 0; b < h->nr; b++) {
		/* any event at all shows as one mark, however small beside the largest */
		unsigned int bar = max ? (unsigned int)((h->counts[b] * BAR_WIDTH + max - 1) / max) : 0;

		fprintf(out, "  %10.6f  %8" PRIu64 "%s", (double)b * h->bucket_ns / 1e9, h->counts[b],
			bar ? "  " : "");
		for (unsigned int i = 0; i < bar; i++)
			fputc('#', out);
		fputc('\n', out);
	}
}

/* An optional meta value, escaped: the recording is any file. */
static const char *meta(const char *v, char *buf, size_t len)
{
	return v ? text_escape(v, SIZE_MAX, buf, len) : "unknown";
}

static void count(FILE *out, const char *name, struct report_count c)
{
	if (c.known)
		fprintf(out, "%s %" PRIu64, name, c.value);
	else
		fprintf(out, "%s unknown", name);
}

/* How many, and how they were hooked; or why there are none, in the recording's words. */
static void dmap_status(FILE *out, const struct report_dmap *d)
{
	char esc[ESCAPED_LEN];

	if (d->recorded)
		fprintf(out, "%" PRIu64 " of %" PRIu64 " pages (hooked by %s)", d->changes, d->pages,
			d->status);
	else if (d->status)
		fputs(text_escape(d->status, SIZE_MAX, esc, sizeof(esc)), out);	/* "unavailable: WHY" */
	else
		fputs("not recorded (the recording's kvas did not record them)", out);
}

static void dmap_table(FILE *out, const struct report_dmap_table *t, const char *title,
		       unsigned int rows)
{
	unsigned int n = shown(t->nr_rows, rows);
	char esc[TEXT_ESCAPED_SIZE(64)];

	fprintf(out, "#\n#  Changes     Pages  %s\n# ........  ........  ........\n", title);
	for (unsigned int i = 0; i < n; i++) {
		const struct report_dmap_row *row = &t->rows[i];
		char pid[16] = "";

		if (!strcmp(title, "Pid:Command"))
			snprintf(pid, sizeof(pid), "%u:", row->pid);
		fprintf(out, "  %8" PRIu64 "  %8" PRIu64 "  %s%s\n", row->changes, row->pages, pid,
			text_escape(row->name, SIZE_MAX, esc, sizeof(esc)));
	}
	if (n < t->nr_rows)
		fprintf(out, "#  ... %zu more: --rows shows more\n", t->nr_rows - n);
}

static void dmap_changes(FILE *out, const struct report *rep)
{
	const struct report_dmap *d = &rep->dmap;

	fputs("\n# Direct-map changes: ", out);
	dmap_status(out, d);
	fputc('\n', out);
	if (!d->recorded)
		return;
	dmap_table(out, &d->by_function, "Function", rep->rows);
	dmap_table(out, &d->by_effect, "Effect", rep->rows);
	dmap_table(out, &d->by_process, "Pid:Command", rep->rows);
}

static void summary(FILE *out, const struct report *rep)
{
	const struct report_summary *s = &rep->summary;
	char a[1024], b[256], c[256];

	fprintf(out, "# kvas report\n#\n# Recorded by: %s (kvas %s)\n", meta(s->command, a, sizeof(a)),
		meta(s->kvas_version, b, sizeof(b)));
	fprintf(out, "# Target: %s; events: %s; stacks: %s\n", meta(s->target, a, sizeof(a)),
		meta(s->event_list, b, sizeof(b)), meta(s->stacks, c, sizeof(c)));
	fprintf(out, "# Machine: %s, kernel %s", meta(s->hostname, a, sizeof(a)),
		meta(s->kernel_release, b, sizeof(b)));
	fprintf(out, ", %s\n# Started: %s", meta(s->machine, a, sizeof(a)),
		meta(s->started_at, b, sizeof(b)));
	if (s->duration_ns.known)
		fprintf(out, ", for %.6f s", s->duration_ns.value / 1e9);
	if (s->exit_status)
		fprintf(out, "; the command's exit status %s", meta(s->exit_status, a, sizeof(a)));
	fprintf(out, "\n# Events: %" PRIu64 " in the file (", s->events);
	for (int k = 0; k < VM_NR_TRACED; k++)
		fprintf(out, "%s%s %" PRIu64, k ? ", " : "", vm_event_name(k), s->by_kind[k]);
	fprintf(out, "), %" PRIu64 " with stacks, %" PRIu64 " translated\n# In the kernel: ",
		s->with_stacks, s->translated);
	count(out, "seen", s->events_seen);
	fputs(", ", out);
	count(out, "sampled away", s->sampled_away);
	fputs(", ", out);
	count(out, "lost", s->lost);
	fputs("\n# Direct-map changes: ", out);
	dmap_status(out, &rep->dmap);
	fputc('\n', out);
	for (unsigned int i = 0; i < rep->nr_warnings; i++)
		fprintf(out, "# Warning: %s\n", text_escape(rep->warnings[i], SIZE_MAX, a, sizeof(a)));
}

int report_print_text(const struct report *rep, FILE *out)
{
	summary(out, rep);
	fputs("\n# Events by", out);
	for (unsigned int k = 0; k < rep->main.nr_keys; k++)
		fprintf(out, "%s %s", k ? "," : "", report_key_name(rep->main.keys[k]));
	fputs(" (--sort)\n", out);
	table(out, &rep->main, rep->rows);
	for (int b = 0; b < RB_NR; b++) {
		fprintf(out, "\n# Events by %s\n", by_titles[b]);
		table(out, &rep->by[b], rep->rows);
	}
	chains(out, &rep->chains, rep->rows);
	pages(out, rep);
	histogram(out, &rep->histogram);
	dmap_changes(out, rep);
	return ferror(out) || fflush(out) ? -EIO : 0;
}
