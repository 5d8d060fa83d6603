// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "format.h"
#include "json_util.h"
#include "page_print.h"

#define FLAG_NAMES_LEN	1024

/* What the page type field says, where the kernel keeps one apart from the flags. */
static const char *type_text(const struct page_facts *pf)
{
	const struct page_info *pi = &pf->info;

	if (pf->layout->type_scheme == PTYPE_NONE)
		return "not kept apart from the flags in this kernel's BTF (no enum pagetype)";
	if (!pi->type_name)
		return "none (_mapcount holds a count)";
	return pi->type_name;
}

static void mapping_text(const struct page_facts *pf, char *buf, size_t len)
{
	const struct page_info *pi = &pf->info;
	char a[24];

	switch (pi->mapping_kind) {
	case MAP_FILE:
		if (pf->have_inode)
			snprintf(buf, len, "file, inode %llu on device %u:%u (address_space %s)",
				 (unsigned long long)pf->inode, pf->dev >> 20, pf->dev & 0xfffff,
				 fmt_hex(pi->mapping, a, sizeof(a)));
		else
			snprintf(buf, len, "file (address_space %s; its inode not readable)",
				 fmt_hex(pi->mapping, a, sizeof(a)));
		break;
	case MAP_ANON:
	case MAP_KSM:
	case MAP_MOVABLE:
		snprintf(buf, len, "%s (mapping %s, low bits are the kind)",
			 mapping_kind_name(pi->mapping_kind), fmt_hex(pi->mapping, a, sizeof(a)));
		break;
	default:
		snprintf(buf, len, "%s", mapping_kind_name(pi->mapping_kind));
	}
}

static void memcg_text(const struct page_facts *pf, char *buf, size_t len)
{
	const struct page_info *pi = &pf->info;

	if (!pf->layout->have_memcg)
		snprintf(buf, len, "not kept by this kernel (no memcg_data)");
	else if (pi->memcg_kind == MEMCG_NONE)
		snprintf(buf, len, "none (not charged to a memory cgroup)");
	else if (pi->memcg_kind == MEMCG_OBJEXTS)
		snprintf(buf, len, "slab objects: each object is charged on its own");
	else if (pf->have_memcg_id)
		snprintf(buf, len, "id %u, cgroup inode %llu%s", pf->memcg_id,
			 (unsigned long long)pf->memcg_ino,
			 pi->memcg_kind == MEMCG_KMEM ? " (kernel memory, through an obj_cgroup)" : "");
	else
		snprintf(buf, len, "%s (not readable)", memcg_kind_name(pi->memcg_kind));
}

static void folio_text(const struct page_facts *pf, FILE *out)
{
	const struct page_info *pi = &pf->info;
	char a[24], order[48] = "order not kept where kvas looks";
	char names[FLAG_NAMES_LEN];

	if (!pi->large) {
		fprintf(out, "  folio         a single page (not compound)\n");
		return;
	}
	if (pi->order_known)
		snprintf(order, sizeof(order), "%llu pages, order %u",
			 1ull << pi->order, pi->order);
	if (pi->tail)
		fprintf(out, "  folio         tail: its head is %s (pfn 0x%llx), %s\n",
			fmt_hex(pi->head_addr, a, sizeof(a)), (unsigned long long)pi->head_pfn, order);
	else
		fprintf(out, "  folio         head: %s\n", order);
	if (pi->have_entire || pi->have_large) {
		fprintf(out, "  folio maps   ");
		if (pi->have_entire)
			fprintf(out, " %d whole (PMD)", pi->entire_mapcount);
		if (pi->have_large)
			fprintf(out, "%s %d in all", pi->have_entire ? "," : "", pi->large_mapcount);
		fputc('\n', out);
	}
	if (pi->tail)
		fprintf(out, "  folio flags   0x%016llx  %s\n", (unsigned long long)pi->folio_flags,
			page_flags_str(pf->layout, pi->folio_flags, names, sizeof(names)));
}

void page_text(const struct page_facts *pf, FILE *out)
{
	const struct page_info *pi = &pf->info;
	char names[FLAG_NAMES_LEN], buf[256];

	if (!pf->decoded) {
		fprintf(out, "  page flags    not decoded: %s\n", pf->error);
		return;
	}
	page_flags_str(pf->layout, pi->flags, names, sizeof(names));
	fprintf(out, "  page flags    0x%016llx  %s\n", (unsigned long long)pi->flags,
		names[0] ? names : "(none of the low flag bits)");
	fprintf(out, "  page type     %s\n", type_text(pf));
	fprintf(out, "  refcount      %d%s\n", pi->refcount,
		pi->tail ? "  (a tail's; the folio's is the head's)" : "");
	if (pi->has_type)
		fprintf(out, "  mapcount      none: _mapcount holds the page type\n");
	else
		fprintf(out, "  mapcount      %d\n", pi->mapcount);
	mapping_text(pf, buf, sizeof(buf));
	fprintf(out, "  mapping       %s\n", buf);
	memcg_text(pf, buf, sizeof(buf));
	fprintf(out, "  memcg         %s\n", buf);
	if (pi->node >= 0)
		fprintf(out, "  node, zone    node %d, zone %s\n", pi->node, pi->zone ? pi->zone : "none");
	else
		fprintf(out, "  node, zone    none spans this pfn (or the node ranges are not readable)\n");
	folio_text(pf, out);
}

static json_t *flag_names_json(const struct page_layout *l, uint64_t flags)
{
	json_t *a = json_array();

	for (unsigned int bit = 0; bit < l->nr_pageflags && bit < PAGE_FLAGS_MAX; bit++) {
		char name[16];

		if (!(flags >> bit & 1))
			continue;
		if (!l->flag_names[bit])
			snprintf(name, sizeof(name), "bit%u", bit);
		json_array_append_new(a, json_string(l->flag_names[bit] ? l->flag_names[bit] : name));
	}
	return a;
}

static json_t *mapping_json(const struct page_facts *pf)
{
	const struct page_info *pi = &pf->info;
	json_t *o = json_object();
	char dev[24];

	json_object_set_new(o, "kind", json_string(mapping_kind_name(pi->mapping_kind)));
	json_object_set_new(o, "raw", json_hex(pi->mapping));
	if (pf->have_inode) {
		snprintf(dev, sizeof(dev), "%u:%u", pf->dev >> 20, pf->dev & 0xfffff);
		json_object_set_new(o, "inode", json_integer((json_int_t)pf->inode));
		json_object_set_new(o, "dev", json_string(dev));
	}
	return o;
}

static json_t *memcg_json(const struct page_facts *pf)
{
	const struct page_info *pi = &pf->info;
	json_t *o;

	if (!pf->layout->have_memcg)
		return json_null();
	o = json_object();
	json_object_set_new(o, "kind", json_string(memcg_kind_name(pi->memcg_kind)));
	json_object_set_new(o, "raw", json_hex(pi->memcg_data));
	if (pf->have_memcg_id) {
		json_object_set_new(o, "id", json_integer(pf->memcg_id));
		json_object_set_new(o, "cgroup_ino", json_integer((json_int_t)pf->memcg_ino));
	}
	return o;
}

static json_t *folio_json(const struct page_facts *pf)
{
	const struct page_info *pi = &pf->info;
	json_t *o;

	if (!pi->large)
		return json_null();
	o = json_object();
	json_object_set_new(o, "tail", json_boolean(pi->tail));
	json_object_set_new(o, "head_struct_page", json_hex(pi->head_addr));
	json_object_set_new(o, "head_pfn", json_hex(pi->head_pfn));
	json_object_set_new(o, "order", pi->order_known ? json_integer(pi->order) : json_null());
	json_object_set_new(o, "entire_mapcount",
			    pi->have_entire ? json_integer(pi->entire_mapcount) : json_null());
	json_object_set_new(o, "large_mapcount",
			    pi->have_large ? json_integer(pi->large_mapcount) : json_null());
	json_object_set_new(o, "flags", json_hex(pi->folio_flags));
	json_object_set_new(o, "flag_names", flag_names_json(pf->layout, pi->folio_flags));
	json_object_set_new(o, "refcount", json_integer(pi->folio_refcount));
	return o;
}

json_t *page_json(const struct page_facts *pf)
{
	const struct page_info *pi = &pf->info;
	json_t *o = json_object();

	if (!pf->decoded) {
		json_object_set_new(o, "error", json_string(pf->error));
		return o;
	}
	json_object_set_new(o, "error", json_null());
	json_object_set_new(o, "struct_page", json_hex(pi->page_addr));
	json_object_set_new(o, "flags", json_hex(pi->flags));
	json_object_set_new(o, "flag_names", flag_names_json(pf->layout, pi->flags));
	json_object_set_new(o, "nr_pageflags", json_integer(pf->layout->nr_pageflags));
	json_object_set_new(o, "page_type_kept", json_boolean(pf->layout->type_scheme != PTYPE_NONE));
	json_object_set_new(o, "page_type", pi->type_name ? json_string(pi->type_name) : json_null());
	json_object_set_new(o, "refcount", json_integer(pi->refcount));
	json_object_set_new(o, "mapcount", pi->has_type ? json_null() : json_integer(pi->mapcount));
	json_object_set_new(o, "mapping", mapping_json(pf));
	json_object_set_new(o, "memcg", memcg_json(pf));
	json_object_set_new(o, "node", pi->node >= 0 ? json_integer(pi->node) : json_null());
	json_object_set_new(o, "zone", pi->zone ? json_string(pi->zone) : json_null());
	json_object_set_new(o, "folio", folio_json(pf));
	return o;
}
