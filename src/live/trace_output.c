// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json_util.h"
#include "trace_output.h"
#include "vm_decode.h"
#include "x86_layout.h"

/* All that a record says, as strings, for the three formats to share. */
struct trace_fields {
	char time[24], cpu[8], pid[12], tid[12], comm[17], event[16];
	char address[24], region[48], error_code[12], error[96];
	char ip[24], symbol[96], reason[24], pages[24];
	char pa[24], page_size[24], alias[24];
	const char *cgroup;
	char cgroup_unknown[32];	/* "cgroup:<id>" when the path is unknown */
};

static void load_ksyms(struct trace_printer *p)
{
	FILE *f;

	p->ksyms_tried = true;
	p->ksyms = calloc(1, sizeof(*p->ksyms));
	f = fopen("/proc/kallsyms", "re");
	if (!p->ksyms || !f || ksyms_load(p->ksyms, f)) {
		if (p->ksyms)
			ksyms_free(p->ksyms);
		free(p->ksyms);
		p->ksyms = NULL;
	}
	if (f)
		fclose(f);
}

static void fill(struct trace_printer *p, const struct vm_event *e, struct trace_fields *f)
{
	uint64_t ns = e->ts > p->start_ns ? e->ts - p->start_ns : 0;

	memset(f, 0, sizeof(*f));
	snprintf(f->time, sizeof(f->time), "%llu.%06llu", (unsigned long long)(ns / 1000000000),
		 (unsigned long long)(ns % 1000000000 / 1000));
	snprintf(f->cpu, sizeof(f->cpu), "%u", e->cpu);
	snprintf(f->pid, sizeof(f->pid), "%u", e->pid);
	snprintf(f->tid, sizeof(f->tid), "%u", e->tid);
	memcpy(f->comm, e->comm, 16);
	snprintf(f->event, sizeof(f->event), "%s", vm_event_name(e->kind));
	f->cgroup = cgroup_path(p->cgroups, e->cgroup);
	if (!f->cgroup) {
		snprintf(f->cgroup_unknown, sizeof(f->cgroup_unknown), "cgroup:%llu",
			 (unsigned long long)e->cgroup);
		f->cgroup = f->cgroup_unknown;
	}
	if (e->kind == VM_TLB_FLUSH) {
		snprintf(f->reason, sizeof(f->reason), "%s", tlb_reason_name(e->reason));
		if (e->arg == (uint64_t)-1)
			snprintf(f->pages, sizeof(f->pages), "full");
		else
			snprintf(f->pages, sizeof(f->pages), "%llu", (unsigned long long)e->arg);
		return;
	}
	snprintf(f->address, sizeof(f->address), "0x%llx", (unsigned long long)e->addr);
	if (e->kind == VM_NR_KINDS) {
		uint64_t size = 1ULL << e->prev.page_shift;

		if (!e->prev.page_shift)
			return;
		snprintf(f->pa, sizeof(f->pa), "0x%llx", (unsigned long long)e->prev.pa);
		snprintf(f->page_size, sizeof(f->page_size), "%llu", (unsigned long long)size);
		snprintf(f->alias, sizeof(f->alias), "0x%llx",
			 (unsigned long long)(p->layout->page_offset_base + e->prev.pa));
		return;
	}
	{
		const struct region *r = region_of(&p->layout->regions, e->addr);

		snprintf(f->region, sizeof(f->region), "%s",
			 !r ? "non-canonical" : r->kind == REGION_USER ? "user" :
			 r->kind == REGION_DIRECT_MAP ? "direct map" :
			 r->kind == REGION_VMALLOC ? "vmalloc" : r->name);
	}
	snprintf(f->error_code, sizeof(f->error_code), "0x%llx", (unsigned long long)e->arg);
	fault_error_str(e->arg, f->error, sizeof(f->error));
	snprintf(f->ip, sizeof(f->ip), "0x%llx", (unsigned long long)e->ip);
	if (e->kind == VM_FAULT_KERNEL) {
		if (!p->ksyms_tried)
			load_ksyms(p);
		if (!p->ksyms || !ksyms_name(p->ksyms, e->ip, f->symbol, sizeof(f->symbol)))
			f->symbol[0] = '\0';
	}
}

int trace_print_header(struct trace_printer *p)
{
	int n = 0;

	if (p->format == TRACE_TEXT)
		n = fprintf(p->out, "%-14s %3s %7s %7s %-16s %-12s %-12s %-18s %s\n", "TIME(s)",
			    "CPU", "PID", "TID", "COMM", "CGROUP", "EVENT", "ADDRESS", "DETAIL");
	else if (p->format == TRACE_CSV)
		n = fprintf(p->out, "time,cpu,pid,tid,comm,cgroup,event,address,region,error_code,"
			    "error,ip,symbol,tlb_reason,tlb_pages,pa,page_size,direct_map_alias\n");
	return n < 0 ? -EIO : 0;
}

static void csv_field(FILE *out, const char *s, bool last)
{
	bool quote = strpbrk(s, ",\"\n") != NULL;

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

static void print_text(struct trace_printer *p, const struct vm_event *e,
		       const struct trace_fields *f)
{
	fprintf(p->out, "%-14s %3s %7s %7s %-16s %-12.12s %-12s ", f->time, f->cpu, f->pid,
		f->tid, f->comm, f->cgroup, f->event);
	if (e->kind == VM_TLB_FLUSH) {
		fprintf(p->out, "%-18s reason=%s pages=%s\n", "-", f->reason, f->pages);
	} else if (e->kind == VM_NR_KINDS) {
		if (f->pa[0])
			fprintf(p->out, "%-18s pa=%s size=%s direct_map=%s\n", f->address, f->pa,
				f->page_size, f->alias);
		else
			fprintf(p->out, "%-18s not mapped\n", f->address);
	} else {
		fprintf(p->out, "%-18s %s %s ip=%s%s%s\n", f->address, f->region, f->error, f->ip,
			f->symbol[0] ? " " : "", f->symbol);
	}
}

static void print_json(struct trace_printer *p, const struct trace_fields *f)
{
	static const struct { size_t off; const char *key; bool number; } keys[] = {
		{ offsetof(struct trace_fields, event), "event", false },
		{ offsetof(struct trace_fields, time), "time", true },
		{ offsetof(struct trace_fields, cpu), "cpu", true },
		{ offsetof(struct trace_fields, pid), "pid", true },
		{ offsetof(struct trace_fields, tid), "tid", true },
		{ offsetof(struct trace_fields, comm), "comm", false },
		{ offsetof(struct trace_fields, address), "address", false },
		{ offsetof(struct trace_fields, region), "region", false },
		{ offsetof(struct trace_fields, error_code), "error_code", false },
		{ offsetof(struct trace_fields, error), "error", false },
		{ offsetof(struct trace_fields, ip), "ip", false },
		{ offsetof(struct trace_fields, symbol), "symbol", false },
		{ offsetof(struct trace_fields, reason), "tlb_reason", false },
		{ offsetof(struct trace_fields, pages), "tlb_pages", false },
		{ offsetof(struct trace_fields, pa), "pa", false },
		{ offsetof(struct trace_fields, page_size), "page_size", true },
		{ offsetof(struct trace_fields, alias), "direct_map_alias", false },
	};
	json_t *o = json_object();

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = (const char *)f + keys[i].off;

		if (!v[0])
			continue;
		json_object_set_new(o, keys[i].key, keys[i].number ?
				    json_real(strtod(v, NULL)) : json_string(v));
		if (!strcmp(keys[i].key, "comm"))
			json_object_set_new(o, "cgroup", json_string(f->cgroup));
	}
	json_dumpf(o, p->out, JSON_COMPACT | JSON_PRESERVE_ORDER);
	fputc('\n', p->out);
	json_decref(o);
}

static void print_csv(struct trace_printer *p, const struct trace_fields *f)
{
	const char *cols[] = {
		f->time, f->cpu, f->pid, f->tid, f->comm, f->cgroup, f->event, f->address,
		f->region, f->error_code, f->error, f->ip, f->symbol, f->reason, f->pages,
		f->pa, f->page_size, f->alias,
	};
	size_t n = sizeof(cols) / sizeof(cols[0]);

	for (size_t i = 0; i < n; i++)
		csv_field(p->out, cols[i], i + 1 == n);
}

static void print_one(struct trace_printer *p, const struct vm_event *e)
{
	struct trace_fields f;

	fill(p, e, &f);
	if (p->format == TRACE_TEXT)
		print_text(p, e, &f);
	else if (p->format == TRACE_JSON)
		print_json(p, &f);
	else
		print_csv(p, &f);
	p->written++;
}

int trace_print(struct trace_printer *p, const struct vm_event *e)
{
	print_one(p, e);
	/* A kept event carries the translation of its thread's previous fault. */
	if (e->kind != VM_NR_KINDS && e->prev.addr) {
		struct vm_event t = *e;

		t.kind = VM_NR_KINDS;
		t.addr = e->prev.addr;
		t.pid = e->prev.tgid;
		print_one(p, &t);
	}
	return ferror(p->out) ? -EIO : 0;
}
