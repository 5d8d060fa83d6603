// SPDX-License-Identifier: GPL-2.0
/* kvas top on a terminal or in a log: one block per interval. */
#include "format.h"
#include "text_escape.h"
#include "top_report.h"
#include "vm_decode.h"
#include "x86_layout.h"

/* rx: the flushes received are visible to this guest (else "-": not a 0) */
static void print_rates(const struct top_row *w, bool rx, FILE *out)
{
	fprintf(out, " %10.0f %9.0f %9.0f %9.0f %9.0f", w->faults, w->majors,
		w->faults_kernel, w->tlb_flushes, w->tlb_ipis_sent);
	if (rx)
		fprintf(out, " %9.0f", w->tlb_remote_received);
	else
		fprintf(out, " %9s", "-");
	fprintf(out, " %9.0f", w->tlb_no_flush);
}

static void print_container(const struct top_row *w, FILE *out)
{
	struct container_ref c;
	bool in = top_row_container(w, &c);

	fprintf(out, "  %-10s %-12s %-36s", in ? c.runtime : "(host)",
		in && c.short_id[0] ? c.short_id : "-", in && c.pod_uid[0] ? c.pod_uid : "-");
}

/*
 * A row's names: anyone may choose them (a comm, a cgroup's directory), so
 * they are escaped, then cut to their column.
 */
static void print_names(const struct top_row *w, enum top_by by, FILE *out)
{
	char comm[16 + 1], cgroup[40 + 1], container[TEXT_ESCAPED_SIZE(sizeof(w->container))];

	text_escape(w->comm, sizeof(w->comm), comm, sizeof(comm));
	if (by == TOP_BY_CGROUP)
		fprintf(out, "  %-40s %-18s",
			text_escape(w->cgroup, sizeof(w->cgroup), cgroup, sizeof(cgroup)),
			w->container[0] ? text_escape(w->container, sizeof(w->container),
						      container, sizeof(container)) : "-");
	else if (by == TOP_BY_CONTAINER)
		print_container(w, out);
	else if (by == TOP_BY_COMM)
		fprintf(out, "  %-16s", comm);
	else
		fprintf(out, "  %7u %-16s", w->pid, comm);
}

/* The last column of a process's row: its container, else its cgroup. */
static void print_place(const struct top_row *w, FILE *out)
{
	char place[TEXT_ESCAPED_SIZE(sizeof(w->cgroup))];

	if (w->container[0])
		text_escape(w->container, sizeof(w->container), place, sizeof(place));
	else
		text_escape(w->cgroup, sizeof(w->cgroup), place, sizeof(place));
	fprintf(out, "  %s", place);
}

static void print_rows(const struct top_row *rows, size_t nr, enum top_by by, bool rx,
		       FILE *out)
{
	if (by == TOP_BY_CGROUP)
		fprintf(out, "  %-40s %-18s", "CGROUP", "CONTAINER");
	else if (by == TOP_BY_CONTAINER)
		fprintf(out, "  %-10s %-12s %-36s", "RUNTIME", "ID", "POD");
	else if (by == TOP_BY_COMM)
		fprintf(out, "  %-16s", "COMM");
	else
		fprintf(out, "  %7s %-16s", "PID", "COMM");
	fprintf(out, " %10s %9s %9s %9s %9s %9s %9s%s\n", "FAULTS/s", "MAJOR/s", "KFAULT/s",
		"FLUSH/s", "REQ-TX/s", "REQ-RX/s", "NOFLUSH/s", by == TOP_BY_PID ? "  CGROUP" : "");
	if (!nr)
		fprintf(out, "  (no events in this interval)\n");
	for (size_t i = 0; i < nr; i++) {
		print_names(&rows[i], by, out);
		print_rates(&rows[i], rx, out);
		if (by == TOP_BY_PID)
			print_place(&rows[i], out);
		fputc('\n', out);
	}
}

/* What the totals hold beyond the rows, and why the table may lack some. */
static void print_rest(const struct top_report *r, FILE *out)
{
	int width = r->by == TOP_BY_CGROUP ? 59 : r->by == TOP_BY_CONTAINER ? 60 :
		    r->by == TOP_BY_COMM ? 16 : 24;

	fprintf(out, "  %-*s", width, "(all other)");
	print_rates(&r->rest, r->remote_flush.received_visible, out);
	fputc('\n', out);
	if (r->evicted)
		fprintf(out, "  %llu processes evicted from the table in this interval (%llu in all):"
			" their kernel faults and flushes are in (all other); raise -m (now %zu)\n",
			(unsigned long long)r->evicted, (unsigned long long)r->evicted_total,
			r->table_size);
}

/* The direct map now, and how it changed since was (NULL: no interval yet). */
static void print_dmap(const struct direct_map_stats *dm, const struct direct_map_stats *was,
		       FILE *out)
{
	char a[24], b[24], c[24];

	fmt_size(dm->kb_4k * KB, a, sizeof(a));
	fmt_size(dm->kb_2m * KB, b, sizeof(b));
	fmt_size(dm->kb_1g * KB, c, sizeof(c));
	if (!was) {
		fprintf(out, "DIRECT MAP      4K %s  2M %s  1G %s   splits 2M->4K %llu  1G->2M %llu\n",
			a, b, c, (unsigned long long)dm->level2_splits,
			(unsigned long long)dm->level3_splits);
		return;
	}
	fprintf(out, "DIRECT MAP      4K %s (%+lld kB)  2M %s  1G %s   splits 2M->4K %llu (%+lld)  1G->2M %llu (%+lld)\n",
		a, (long long)(dm->kb_4k - was->kb_4k), b, c,
		(unsigned long long)dm->level2_splits,
		(long long)(dm->level2_splits - was->level2_splits),
		(unsigned long long)dm->level3_splits,
		(long long)(dm->level3_splits - was->level3_splits));
}

/* Error classes with events, per second of seconds. */
static void print_classes(const __u64 *v, double seconds, FILE *out)
{
	for (unsigned int cls = 0; cls < FAULT_NR_CLASSES; cls++)
		if (v[cls])
			fprintf(out, "  %s %.0f", fault_class_name(cls), v[cls] / seconds);
}

/*
 * User-mode faults are watched one by one only in a window of the
 * interval: their rates are per second watched, and say so.
 */
static void print_user_mode(const struct top_report *r, FILE *out)
{
	const struct vm_counters *d = &r->delta;

	if (!r->parts[VM_PART_USER_FAULTS].on)
		return;	/* vm_parts_text says why */
	if (r->user_watched < 1e-3) {
		fprintf(out, "\n  user mode    not watched in this interval (see --detail)");
		return;
	}
	fprintf(out, "\n  user mode    watched %.2f s of %.2f s, per second watched:  #PF %.0f",
		r->user_watched, r->interval, d->events[VM_FAULT_USER] / r->user_watched);
	print_classes(d->fault_class[0], r->user_watched, out);
}

/* The whole machine: faults by class and region, TLB flushes, the direct map, losses. */
static void print_counters(const struct top_report *r, FILE *out)
{
	const struct vm_counters *d = &r->delta;
	const struct direct_map_stats *dm = &r->dmap, *was = &r->dmap_prev;
	char a[24];

	fprintf(out, "kvas top  %02d:%02d:%02d  interval %.2f s%s\n\n", r->local.tm_hour,
		r->local.tm_min, r->local.tm_sec, r->interval, r->raw_tp ? "  (raw_tp)" : "");
	fprintf(out, "PAGE FAULTS/s   %.0f   minor %.0f   major %.0f   (every fault the mm handled,"
		" the kernel's own counts)\n", top_rate(r, r->faults),
		top_rate(r, r->faults - r->majors), top_rate(r, r->majors));
	fprintf(out, "  kernel mode  #PF %.0f", top_rate(r, d->events[VM_FAULT_KERNEL]));
	print_classes(d->fault_class[1], r->interval, out);
	fprintf(out, "\n  kernel-mode faults by region:");
	for (unsigned int reg = 0; reg < FR_NR; reg++)
		if (d->kernel_region[reg])
			fprintf(out, "  %s %.0f", fault_region_name(reg),
				top_rate(r, d->kernel_region[reg]));
	print_user_mode(r, out);
	fprintf(out, "\n\nTLB FLUSHES/s   %.0f   local %.0f   remote (received) ",
		top_rate(r, top_flushes(r)), top_rate(r, d->tlb_class[TLBC_LOCAL]));
	if (r->remote_flush.received_visible)
		fprintf(out, "%.0f\n", top_rate(r, d->tlb_class[TLBC_REMOTE]));
	else
		fprintf(out, "not visible: the %s carries them out\n",
			r->remote_flush.method == RFM_BROADCAST ? "CPU (INVLPGB)" : "hypervisor");
	fprintf(out, "  remote flushes go by: %s (%s)\n",
		remote_flush_method_name(r->remote_flush.method), r->remote_flush.evidence);
	fprintf(out, "  by size (pages):");
	for (unsigned int s = 0; s < TLB_NR_SIZES; s++)
		if (d->tlb_size[s])
			fprintf(out, "  %s %.0f", tlb_size_name(s, a, sizeof(a)),
				top_rate(r, d->tlb_size[s]));
	fprintf(out, "\n  not flushes:  %s %.0f  %s %.0f  %s %.0f",
		tlb_class_name(TLBC_SENT), top_rate(r, d->tlb_class[TLBC_SENT]),
		tlb_class_name(TLBC_NO_FLUSH), top_rate(r, d->tlb_class[TLBC_NO_FLUSH]),
		tlb_class_name(TLBC_OTHER), top_rate(r, d->tlb_class[TLBC_OTHER]));
	fprintf(out, "\n  tlb_flush events by reason:");
	for (unsigned int reason = 0; reason < TLB_NR_REASONS; reason++)
		if (d->tlb_reason[reason])
			fprintf(out, "  %s %.0f", tlb_reason_name(r->tlb_reasons, reason),
				top_rate(r, d->tlb_reason[reason]));
	fputs("\n\n", out);
	print_dmap(dm, was, out);
	/* counted in the kernel, nothing streamed: no event can be lost or sampled away */
	fprintf(out, "EVENTS          translated %llu  untranslatable %llu  tracked processes %zu",
		(unsigned long long)d->translated, (unsigned long long)d->translate_failed,
		r->tracked_tasks);
	if (r->exits_lost)
		fprintf(out, "  exits lost %llu (their last faults are in no count)",
			(unsigned long long)r->exits_lost);
	fputc('\n', out);
}

static void print_recent(const struct top_report *r, FILE *out)
{
	char a[24], b[24], e[24];

	fprintf(out, "\nRECENT FAULTS, translated after they resolved\n");
	fprintf(out, "  %7s %-16s %-18s %-18s %5s  %s\n", "PID", "COMM", "ADDRESS", "PHYSICAL",
		"PAGE", "DIRECT MAP");
	for (int i = 0; i < r->nr_recent; i++) {
		const struct top_recent *t = &r->recent[i];
		char comm[16 + 1];

		fprintf(out, "  %7u %-16s %s %s %5s  %s\n", t->t.tgid,
			text_escape(t->comm, sizeof(t->comm), comm, sizeof(comm)),
			fmt_hex(t->t.addr, a, sizeof(a)), fmt_hex(t->t.pa, b, sizeof(b)),
			t->t.page_shift == 30 ? "1G" : t->t.page_shift == 21 ? "2M" : "4K",
			fmt_hex(t->direct_map_alias, e, sizeof(e)));
	}
	if (!r->nr_recent)
		fprintf(out, "  (none yet)\n");
}

/* Reads that failed, each named: the figures they fed are not whole. */
static void print_failed(const struct read_failures *f, FILE *out)
{
	char list[512];

	if (f->nr)
		fprintf(out, "READ FAILED  %s: this interval's figures from %s are incomplete\n",
			read_failures_list(f, list, sizeof(list)), f->nr > 1 ? "them" : "it");
}

void top_report_text(const struct top_report *r, FILE *out)
{
	print_counters(r, out);
	print_failed(&r->failed, out);
	vm_parts_text(r->parts, out);
	fprintf(out, "\nTOP %s\n", r->by == TOP_BY_CGROUP ? "CGROUPS" : r->by == TOP_BY_COMM ?
		"COMMANDS" : r->by == TOP_BY_CONTAINER ? "CONTAINERS" : "PROCESSES");
	print_rows(r->rows, r->nr_rows, r->by, r->remote_flush.received_visible, out);
	print_rest(r, out);
	if (r->by != TOP_BY_CGROUP && r->by != TOP_BY_CONTAINER) {
		fprintf(out, "\nTOP CONTAINERS (cgroups)\n");
		print_rows(r->cgroups, r->nr_cgroups, TOP_BY_CGROUP,
			   r->remote_flush.received_visible, out);
	}
	print_recent(r, out);
}

void top_start_text(const struct top_start *st, FILE *out)
{
	fprintf(out, "kvas top  %02d:%02d:%02d  counting page faults and TLB flushes from now;"
		" the first rates in %.1f s%s\n\n", st->local.tm_hour, st->local.tm_min,
		st->local.tm_sec, st->next_in, st->raw_tp ? "  (raw_tp)" : "");
	print_dmap(&st->dmap, NULL, out);
	vm_parts_text(st->parts, out);
}
