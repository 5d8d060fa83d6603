// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include "cgroup_key.h"
#include "cgroups.h"
#include "json_util.h"
#include "text_escape.h"
#include "trace_output.h"
#include "vm_decode.h"
#include "x86_layout.h"

/* What text and CSV print, as strings; JSON is built from the event itself. */
struct trace_fields {
	char time[24], cpu[8], pid[12], tid[12], comm[17], event[16];
	char address[24], region[48], error_code[12], error[96];
	char ip[24], symbol[160], module[96], reason[24], tlb_class[24], pages[24];
	char pa[24], page_size[24], alias[24];
	const char *cgroup, *container;
	char cgroup_unknown[32];	/* "cgroup:<id>" when the path is unknown */
};

/* Microseconds since the start: both forms show the time to the µs, truncated. */
static uint64_t since_start_us(const struct trace_printer *p, const struct vm_event *e)
{
	return (e->ts > p->start_ns ? e->ts - p->start_ns : 0) / 1000;
}

static const char *region_label(const struct trace_printer *p, uint64_t addr)
{
	const struct region *r = region_of(&p->layout->regions, addr);

	return !r ? "non-canonical" : r->kind == REGION_USER ? "user" :
	       r->kind == REGION_DIRECT_MAP ? "direct map" :
	       r->kind == REGION_VMALLOC ? "vmalloc" : r->name;
}

static const char *cgroup_label(const struct vm_event *e, const struct trace_names *n,
				char *buf, size_t len)
{
	if (n && n->cgroup)
		return n->cgroup;
	snprintf(buf, len, "cgroup:%llu", (unsigned long long)CGROUP_KEY_ID(e->cgroup));
	return buf;
}

static bool translated(const struct vm_event *e)
{
	return e->kind == VM_TRANSLATION && e->prev.page_shift;
}

static uint64_t direct_map_alias(const struct trace_printer *p, const struct vm_event *e)
{
	return p->layout->page_offset_base + e->prev.pa;
}

static void fill(const struct trace_printer *p, const struct vm_event *e,
		 const struct trace_names *n, struct trace_fields *f)
{
	uint64_t us = since_start_us(p, e);

	memset(f, 0, sizeof(*f));
	snprintf(f->time, sizeof(f->time), "%llu.%06llu", (unsigned long long)(us / 1000000),
		 (unsigned long long)(us % 1000000));
	snprintf(f->cpu, sizeof(f->cpu), "%u", e->cpu);
	snprintf(f->pid, sizeof(f->pid), "%u", e->pid);
	snprintf(f->tid, sizeof(f->tid), "%u", e->tid);
	memcpy(f->comm, e->comm, 16);
	snprintf(f->event, sizeof(f->event), "%s", vm_event_name(e->kind));
	f->cgroup = cgroup_label(e, n, f->cgroup_unknown, sizeof(f->cgroup_unknown));
	f->container = n && n->container ? n->container : "";
	if (e->kind == VM_TLB_FLUSH) {
		snprintf(f->reason, sizeof(f->reason), "%s", tlb_reason_name(p->tlb_reasons, e->reason));
		snprintf(f->tlb_class, sizeof(f->tlb_class), "%s", tlb_class_name(e->tlb_class));
		if (e->arg == (uint64_t)-1)
			snprintf(f->pages, sizeof(f->pages), "full");
		else
			snprintf(f->pages, sizeof(f->pages), "%llu", (unsigned long long)e->arg);
		return;
	}
	snprintf(f->address, sizeof(f->address), "0x%llx", (unsigned long long)e->addr);
	if (e->kind == VM_TRANSLATION) {
		if (!translated(e))
			return;
		snprintf(f->pa, sizeof(f->pa), "0x%llx", (unsigned long long)e->prev.pa);
		snprintf(f->page_size, sizeof(f->page_size), "%llu",
			 1ULL << e->prev.page_shift);
		snprintf(f->alias, sizeof(f->alias), "0x%llx",
			 (unsigned long long)direct_map_alias(p, e));
		return;
	}
	snprintf(f->region, sizeof(f->region), "%s", region_label(p, e->addr));
	snprintf(f->error_code, sizeof(f->error_code), "0x%llx", (unsigned long long)e->arg);
	fault_error_str(e->arg, f->error, sizeof(f->error));
	snprintf(f->ip, sizeof(f->ip), "0x%llx", (unsigned long long)e->ip);
	if (n && n->symbol)
		snprintf(f->symbol, sizeof(f->symbol), "%s", n->symbol);
	if (n && n->module)
		snprintf(f->module, sizeof(f->module), "%s", n->module);
}

int trace_print_header(struct trace_printer *p)
{
	int n = 0;

	if (p->format == TRACE_TEXT)
		n = fprintf(p->out, "%-14s %3s %7s %7s %-16s %-12s %-12s %-18s %s\n", "TIME(s)",
			    "CPU", "PID", "TID", "COMM", "CGROUP", "EVENT", "ADDRESS", "DETAIL");
	else if (p->format == TRACE_CSV)
		n = fprintf(p->out, "time,cpu,pid,tid,comm,cgroup,event,address,region,error_code,"
			    "error,ip,symbol,module,tlb_reason,tlb_class,tlb_pages,pa,page_size,"
			    "direct_map_alias,container\n");
	return n < 0 ? -EIO : 0;
}

static void csv_field(FILE *out, const char *s, bool last)
{
	bool quote = strpbrk(s, ",\"\r\n") != NULL;

	if (quote) {
		fputc('"', out);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', out);
			fputc(*s, out);
		}
		fputc('"', out);
	} else {
		fputs(s, out);
	}
	fputc(last ? '\n' : ',', out);
}

/*
 * " name+0xoff (module)" and the line's end. A user symbol and its file's
 * name come from files anyone may map: escaped like the names below.
 */
static void print_symbol(struct trace_printer *p, const struct trace_fields *f)
{
	char symbol[TEXT_ESCAPED_SIZE(sizeof(f->symbol))];
	char module[TEXT_ESCAPED_SIZE(sizeof(f->module))];

	if (f->symbol[0])
		fprintf(p->out, " %s", text_escape(f->symbol, strlen(f->symbol), symbol,
						   sizeof(symbol)));
	if (f->module[0])
		fprintf(p->out, " (%s)", text_escape(f->module, strlen(f->module), module,
						     sizeof(module)));
	fputc('\n', p->out);
}

/*
 * The names are anyone's to choose (prctl PR_SET_NAME, mkdir in a delegated
 * cgroup): escaped, so that a newline cannot forge a line nor an ESC
 * rewrite the terminal, then cut to their column. CSV quotes them instead.
 */
static void print_text(struct trace_printer *p, const struct vm_event *e,
		       const struct trace_fields *f)
{
	char comm[16 + 1], cgroup[12 + 1], container[TEXT_ESCAPED_SIZE(96)];

	/* a container's name whole: its short id is what tells containers apart */
	fprintf(p->out, "%-14s %3s %7s %7s %-16s %-12s %-12s ", f->time, f->cpu, f->pid,
		f->tid, text_escape(f->comm, sizeof(f->comm), comm, sizeof(comm)),
		f->container[0] ? text_escape(f->container, strlen(f->container), container,
					      sizeof(container)) :
		text_escape(f->cgroup, sizeof(cgroup) - 1, cgroup, sizeof(cgroup)), f->event);
	if (e->kind == VM_TLB_FLUSH) {
		fprintf(p->out, "%-18s %s reason=%s pages=%s\n", "-", f->tlb_class, f->reason,
			f->pages);
	} else if (e->kind == VM_TRANSLATION) {
		if (f->pa[0])
			fprintf(p->out, "%-18s pa=%s size=%s direct_map=%s\n", f->address, f->pa,
				f->page_size, f->alias);
		else
			fprintf(p->out, "%-18s not mapped\n", f->address);
	} else {
		fprintf(p->out, "%-18s %s %s ip=%s", f->address, f->region, f->error, f->ip);
		print_symbol(p, f);
	}
}

static void print_csv(struct trace_printer *p, const struct trace_fields *f)
{
	const char *cols[] = {
		f->time, f->cpu, f->pid, f->tid, f->comm, f->cgroup, f->event, f->address,
		f->region, f->error_code, f->error, f->ip, f->symbol, f->module, f->reason,
		f->tlb_class,
		f->pages,
		f->pa, f->page_size, f->alias, f->container,
	};
	size_t n = sizeof(cols) / sizeof(cols[0]);

	for (size_t i = 0; i < n; i++)
		csv_field(p->out, cols[i], i + 1 == n);
}

static void set_text(json_t *o, const char *key, const char *value)
{
	if (value && value[0])
		json_object_set_new(o, key, json_string(value));
}

/* What a fault, a TLB flush or a translation adds to the common fields. */
static void json_detail(const struct trace_printer *p, const struct vm_event *e,
			const struct trace_names *n, json_t *o)
{
	char error[96];

	if (e->kind == VM_TLB_FLUSH) {
		set_text(o, "tlb_reason", tlb_reason_name(p->tlb_reasons, e->reason));
		set_text(o, "tlb_class", tlb_class_name(e->tlb_class));
		if (e->arg != (uint64_t)-1)
			json_object_set_new(o, "tlb_pages", json_integer((json_int_t)e->arg));
		json_object_set_new(o, "tlb_full", json_boolean(e->arg == (uint64_t)-1));
		return;
	}
	json_object_set_new(o, "address", json_hex(e->addr));
	if (e->kind == VM_TRANSLATION) {
		if (!translated(e))
			return;
		json_object_set_new(o, "pa", json_hex(e->prev.pa));
		json_object_set_new(o, "page_size", json_integer(1LL << e->prev.page_shift));
		json_object_set_new(o, "direct_map_alias", json_hex(direct_map_alias(p, e)));
		return;
	}
	set_text(o, "region", region_label(p, e->addr));
	json_object_set_new(o, "error_code", json_integer((json_int_t)e->arg));
	set_text(o, "error", fault_error_str(e->arg, error, sizeof(error)));
	json_object_set_new(o, "ip", json_hex(e->ip));
	if (n) {
		set_text(o, "symbol", n->symbol);
		set_text(o, "module", n->module);
	}
}

json_t *trace_record_json(const struct trace_printer *p, const struct vm_event *e,
			  const struct trace_names *n)
{
	json_t *o = json_object();
	char comm[17] = "", unknown[32];

	memcpy(comm, e->comm, 16);
	json_object_set_new(o, "event", json_string(vm_event_name(e->kind)));
	json_object_set_new(o, "time", json_seconds(since_start_us(p, e) / 1e6));
	json_object_set_new(o, "cpu", json_integer(e->cpu));
	json_object_set_new(o, "pid", json_integer(e->pid));
	json_object_set_new(o, "tid", json_integer(e->tid));
	set_text(o, "comm", comm);
	set_text(o, "cgroup", cgroup_label(e, n, unknown, sizeof(unknown)));
	json_object_set_new(o, "attribution",
			    json_string(cgroup_kind_name(CGROUP_KEY_KIND(e->cgroup))));
	if (n)
		set_text(o, "container", n->container);
	json_detail(p, e, n, o);
	return o;
}

json_t *trace_summary_json(const struct trace_printer *p, const struct vm_counters *totals,
			   json_t *unavailable, const struct remote_flush_verdict *flushes)
{
	/*
	 * The records are counted as they are printed: the programs' own
	 * count also has translations carried by records lost to a full
	 * buffer, or dropped by the --container filter here.
	 */
	json_t *o = json_pack("{s:s, s:I, s:I, s:I, s:I, s:o}", "event", "summary",
			      "written", (json_int_t)p->written,
			      "lost", (json_int_t)totals->dropped,
			      "sampled_away", (json_int_t)totals->sampled_away,
			      "translated", (json_int_t)p->translated,
			      "unavailable", unavailable);

	if (o && flushes) {
		json_object_set_new(o, "remote_flush_method",
				    json_string(remote_flush_method_name(flushes->method)));
		json_object_set_new(o, "remote_flush_evidence", json_string(flushes->evidence));
		json_object_set_new(o, "remote_flush_requests",
				    json_integer((json_int_t)totals->tlb_class[TLBC_SENT]));
	}
	return o;
}

static void print_one(struct trace_printer *p, const struct vm_event *e,
		      const struct trace_names *n)
{
	struct trace_fields f;

	if (p->format == TRACE_JSON) {
		json_emit_line(trace_record_json(p, e, n), p->out);
	} else {
		fill(p, e, n, &f);
		if (p->format == TRACE_TEXT)
			print_text(p, e, &f);
		else
			print_csv(p, &f);
	}
	p->written++;
	p->translated += translated(e);
	if (p->record_end)
		p->record_end(p->record_end_ctx, p->written);
}

int trace_print(struct trace_printer *p, const struct vm_event *e, const struct trace_names *n)
{
	print_one(p, e, n);
	/* A kept event carries the translation of its thread's previous fault. */
	if (e->kind != VM_TRANSLATION && e->prev.addr) {
		struct vm_event t = *e;

		t.kind = VM_TRANSLATION;
		t.addr = e->prev.addr;
		t.pid = e->prev.tgid;
		print_one(p, &t, n);
	}
	return ferror(p->out) ? -EIO : 0;
}
