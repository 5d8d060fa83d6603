// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "json_util.h"
#include "page_print.h"
#include "translate_print.h"
#include "x86_layout.h"

static bool leaf_is_huge(const struct walk_result *w)
{
	return w->status == WALK_OK && w->page_size > X86_PAGE_SIZE;
}

static const char *what_it_is(const struct translation *t, char *buf, size_t len)
{
	int n = 0;

	if (t->in_kind == TIN_PHYSICAL)
		n = snprintf(buf, len, "physical address%s",
			     t->beyond_ram ? " beyond the end of System RAM" : "");
	else if (t->user && t->comm[0])
		n = snprintf(buf, len, "user address of pid %d (%s)", t->pid, t->comm);
	else if (t->user)
		n = snprintf(buf, len, "user address of pid %d", t->pid);
	else if (t->va_kind == VA_USER)
		snprintf(buf, len, "user address, no process given");
	else if (t->va_kind == VA_NONCANONICAL)
		snprintf(buf, len, "non-canonical address");
	else if (t->region)
		snprintf(buf, len, "kernel: %s", t->region->name);
	else
		snprintf(buf, len, "kernel address");
	if (t->tid && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - n, ", through its thread %d", t->tid);
	return buf;
}

/* A struct page of a pfn that is no RAM: text and JSON say the same. */
static const char *struct_page_note(const struct translation *t)
{
	if (!t->not_ram || t->memmap.state != MEMMAP_PRESENT)
		return NULL;
	return "pa is no System RAM, but its memory section has a memmap: this hole has a "
	       "struct page, which the kernel initialised as reserved (PG_reserved)";
}

static const char *no_direct_map(void)
{
	return "beyond what the direct map can cover on this boot";
}

const char *translation_read_error(const struct translation *t, char *buf, size_t len)
{
	char a[24];

	switch (t->read_err) {
	case -EPERM:
		snprintf(buf, len, "not System RAM: kvas does not read device memory");
		break;
	case -EFAULT:
		snprintf(buf, len, "the kernel's read faulted: nothing is mapped at %s "
			 "(a page taken out of the direct map, or a hole)",
			 fmt_hex(t->read_at, a, sizeof(a)));
		break;
	default:
		snprintf(buf, len, "%s", strerror(-t->read_err));
	}
	return buf;
}

static void read_text(const struct translation *t, FILE *out)
{
	char a[24], why[160];

	if (!t->read_asked || !t->read_at)
		return;
	if (t->read_err) {
		fprintf(out, "  read          %s: %s\n", fmt_hex(t->read_at, a, sizeof(a)),
			translation_read_error(t, why, sizeof(why)));
		return;
	}
	fprintf(out, "  read          %zu bytes at %s%s\n", t->read_len,
		fmt_hex(t->read_at, a, sizeof(a)),
		t->read_len < t->read_asked ? " (to the end of its page)" : "");
	for (size_t off = 0; off < t->read_len; off += 16) {
		size_t n = t->read_len - off < 16 ? t->read_len - off : 16;

		fprintf(out, "                +%04zx ", off);
		for (size_t i = 0; i < 16; i++)
			fprintf(out, i < n ? " %02x" : "   ", t->read_buf[off + i]);
		fputs("  |", out);
		for (size_t i = 0; i < n; i++)
			fputc(isprint(t->read_buf[off + i]) ? t->read_buf[off + i] : '.', out);
		fputs("|\n", out);
	}
}

static json_t *read_json(const struct translation *t)
{
	json_t *o = json_object();
	char why[160], *hex;

	json_object_set_new(o, "at", json_hex(t->read_at));
	if (t->read_err) {
		json_object_set_new(o, "error", json_string(translation_read_error(t, why, sizeof(why))));
		return o;
	}
	hex = malloc(t->read_len * 2 + 1);
	if (hex) {
		for (size_t i = 0; i < t->read_len; i++)
			sprintf(hex + i * 2, "%02x", t->read_buf[i]);
		hex[t->read_len * 2] = '\0';
	}
	json_object_set_new(o, "length", json_integer((json_int_t)t->read_len));
	json_object_set_new(o, "hex", hex ? json_string(hex) : json_null());
	json_object_set_new(o, "error", json_null());
	free(hex);
	return o;
}

static void freed_text(const struct freed_range *r, FILE *out)
{
	char a[24], b[24];

	if (r->region == FREED_NONE)
		return;
	fprintf(out, "  freed         lies in memory the kernel freed after boot: %s [%s, %s)\n",
		freed_region_name(r->region), fmt_hex(r->start, a, sizeof(a)),
		fmt_hex(r->end, b, sizeof(b)));
	fprintf(out, "                from %s to %s%s\n", r->start_sym, r->end_sym,
		strcmp(r->end_sym, "_einittext") ? "" :
		" (this kernel does not publish __init_end)");
}

static json_t *freed_json(const struct freed_range *r)
{
	json_t *o = json_object();

	json_object_set_new(o, "region", json_string(freed_region_name(r->region)));
	json_object_set_new(o, "start", json_hex(r->start));
	json_object_set_new(o, "end", json_hex(r->end));
	json_object_set_new(o, "start_symbol", json_string(r->start_sym));
	json_object_set_new(o, "end_symbol", json_string(r->end_sym));
	return o;
}

static void walk_text(const struct walk_result *w, FILE *out)
{
	fprintf(out, "  walk          %-5s %5s  %-18s  %-28s %s\n", "LEVEL", "INDEX",
		"ENTRY", "FLAGS", "TABLE READ AT (direct map)");
	for (int i = 0; i < w->nr_steps; i++) {
		const struct walk_step *st = &w->steps[i];
		bool leaf = i == w->nr_steps - 1;
		char flags[64], e[24], tv[24];

		pte_flags_str(st->entry, leaf && leaf_is_huge(w), flags, sizeof(flags));
		fprintf(out, "                %-5s %5u  %s  %-28s %s\n", st->name, st->index,
			fmt_hex(st->entry, e, sizeof(e)), flags,
			fmt_hex(st->table_va, tv, sizeof(tv)));
	}
}

void translation_text(const struct translation *t, bool show_walk, FILE *out)
{
	char what[96], why[320], a[24], b[24], sz[24], flags[64];
	const struct walk_result *w = &t->walk;

	fprintf(out, "%s  %s\n", t->input, t->parsed ? what_it_is(t, what, sizeof(what)) : "");
	freed_text(&t->freed, out);
	if (t->mapping[0])
		fprintf(out, "  mapping       %s\n", t->mapping);
	if (t->error[0])
		fprintf(out, "  error         %s\n", t->error);
	if (t->have_pa) {
		if (t->method == PA_STRUCT_PAGE)
			fprintf(out, "  describes     pfn 0x%llx, physical %s\n",
				(unsigned long long)(t->pa >> X86_PAGE_SHIFT),
				fmt_hex(t->pa, a, sizeof(a)));
		else
			fprintf(out, "  physical      %s  pfn 0x%llx  (%s%s)\n",
				fmt_hex(t->pa, a, sizeof(a)),
				(unsigned long long)(t->pa >> X86_PAGE_SHIFT),
				pa_method_name(t->method),
				t->method == PA_WALK || !t->walk_compared ? "" :
				t->walk_agrees ? "; the walk agrees" : "; the walk differs");
		if (t->have_walk && w->status == WALK_OK && t->method != PA_STRUCT_PAGE)
			fprintf(out, "  page          %s  %s\n",
				fmt_size(w->page_size, sz, sizeof(sz)),
				pte_flags_str(w->steps[w->nr_steps - 1].entry, leaf_is_huge(w),
					      flags, sizeof(flags)));
		else if (t->have_walk && w->status == WALK_OK)
			fprintf(out, "  stored at     physical %s (vmemmap mapped with %s pages)\n",
				fmt_hex(w->pa, b, sizeof(b)), fmt_size(w->page_size, sz, sizeof(sz)));
		else if (t->have_walk)
			fprintf(out, "  page          not mapped: walk %s\n", walk_status_str(w->status));
		if (t->us_reason)
			fprintf(out, "  US            %s\n", t->us_reason);
		if (!translation_has_struct_page(t))
			fprintf(out, "  struct page   none: %s\n",
				no_struct_page_reason(t, why, sizeof(why)));
		else
			fprintf(out, "  struct page   %s\n", fmt_hex(t->struct_page, a, sizeof(a)));
		if (translation_has_struct_page(t) && struct_page_note(t))
			fprintf(out, "                %s\n", struct_page_note(t));
		/* no struct page is said once, above */
		if (t->page_asked && translation_has_struct_page(t))
			page_text(&t->page, out);
		if (t->beyond_direct_map)
			fprintf(out, "  direct map    none: %s\n", no_direct_map());
		else
			fprintf(out, "  direct map    %s%s\n", fmt_hex(t->direct_map_alias, a, sizeof(a)),
				t->user ? "  (the kernel reads this page here)" : "");
		if (t->resource[0])
			fprintf(out, "  resource      %s\n", t->resource);
	}
	if (show_walk && t->have_walk && w->nr_steps)
		walk_text(w, out);
	read_text(t, out);
}

static json_t *walk_json(const struct walk_result *w)
{
	json_t *a = json_array();

	for (int i = 0; i < w->nr_steps; i++) {
		const struct walk_step *st = &w->steps[i];
		bool leaf = i == w->nr_steps - 1;
		json_t *o = json_object();
		char flags[64];

		json_object_set_new(o, "level", json_string(st->name));
		json_object_set_new(o, "index", json_integer(st->index));
		json_object_set_new(o, "entry", json_hex(st->entry));
		json_object_set_new(o, "flags", json_string(pte_flags_str(st->entry,
					leaf && leaf_is_huge(w), flags, sizeof(flags))));
		json_object_set_new(o, "table_va", json_hex(st->table_va));
		json_array_append_new(a, o);
	}
	return a;
}

json_t *translation_json(const struct translation *t)
{
	const struct walk_result *w = &t->walk;
	json_t *o = json_object();
	char what[96], why[320];

	json_object_set_new(o, "input", json_string(t->input));
	/* an input that did not parse has no kind */
	json_object_set_new(o, "kind", !t->parsed ? json_null() :
			    json_string(t->in_kind == TIN_PHYSICAL ? "physical" :
					va_kind_name(t->va_kind)));
	if (t->pid)
		json_object_set_new(o, "pid", json_integer(t->pid));
	if (t->tid)
		json_object_set_new(o, "tid", json_integer(t->tid));
	if (t->user)
		json_object_set_new(o, "comm", json_string(t->comm));
	if (t->parsed)
		json_object_set_new(o, "what", json_string(what_it_is(t, what, sizeof(what))));
	if (t->mapping[0])
		json_object_set_new(o, "mapping", json_string(t->mapping));
	if (t->freed.region != FREED_NONE)
		json_object_set_new(o, "freed_after_boot", freed_json(&t->freed));
	json_object_set_new(o, "error", t->error[0] ? json_string(t->error) : json_null());
	if (t->have_pa) {
		json_object_set_new(o, "pa", json_hex(t->pa));
		json_object_set_new(o, "pfn", json_hex(t->pa >> X86_PAGE_SHIFT));
		json_object_set_new(o, "method", json_string(pa_method_name(t->method)));
		json_object_set_new(o, "walk_agrees", t->walk_compared ?
				    json_boolean(t->walk_agrees) : json_null());
		json_object_set_new(o, "struct_page", !translation_has_struct_page(t) ? json_null() :
				    json_hex(t->struct_page));
		if (!translation_has_struct_page(t))
			json_object_set_new(o, "no_struct_page",
					    json_string(no_struct_page_reason(t, why, sizeof(why))));
		else if (struct_page_note(t))
			json_object_set_new(o, "struct_page_note", json_string(struct_page_note(t)));
		if (t->memmap.state != MEMMAP_UNKNOWN)
			json_object_set_new(o, "section", json_integer((json_int_t)t->memmap.section_nr));
		json_object_set_new(o, "section_has_memmap",
				    t->memmap.state == MEMMAP_UNKNOWN ? json_null() :
				    json_boolean(t->memmap.state == MEMMAP_PRESENT));
		if (t->page_asked)
			json_object_set_new(o, "page", page_json(&t->page));
		json_object_set_new(o, "direct_map_alias", t->beyond_direct_map ? json_null() :
				    json_hex(t->direct_map_alias));
		if (t->beyond_direct_map)
			json_object_set_new(o, "no_direct_map", json_string(no_direct_map()));
		if (t->resource[0])
			json_object_set_new(o, "resource", json_string(t->resource));
	}
	if (t->have_walk) {
		char flags[64];

		json_object_set_new(o, "walk_status", json_string(walk_status_str(w->status)));
		if (w->status == WALK_OK) {
			json_object_set_new(o, "walk_pa", json_hex(w->pa));
			json_object_set_new(o, "page_size", json_integer((json_int_t)w->page_size));
			json_object_set_new(o, "flags", json_string(pte_flags_str(
				w->steps[w->nr_steps - 1].entry, leaf_is_huge(w), flags, sizeof(flags))));
		}
		json_object_set_new(o, "walk", walk_json(w));
		if (t->us_reason)
			json_object_set_new(o, "us_reason", json_string(t->us_reason));
	}
	if (t->read_asked && t->read_at)
		json_object_set_new(o, "read", read_json(t));
	if (t->np.kind == NP_SWAP || t->np.kind == NP_SPECIAL) {
		json_object_set_new(o, "swap_type", json_integer(t->np.swap_type));
		json_object_set_new(o, "swap_offset", json_hex(t->np.swap_offset));
	}
	return o;
}
