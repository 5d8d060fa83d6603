// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "page_decode.h"

/* include/linux/page-flags.h: mapping's low bits (FOLIO_MAPPING_* on 6.18) */
#define PAGE_MAPPING_ANON	0x1ull
#define PAGE_MAPPING_MOVABLE	0x2ull
#define PAGE_MAPPING_FLAGS	0x3ull

static uint64_t get_u64(const uint8_t *p, uint32_t off)
{
	uint64_t v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

static uint32_t get_u32(const uint8_t *p, uint32_t off)
{
	uint32_t v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

/* the largest folio: a 1 GiB PUD page of 4K pages */
#define MAX_FOLIO_PAGES		(1ull << 18)

uint64_t page_compound_head(uint64_t info, uint64_t page_addr, uint32_t page_size)
{
	uint64_t head = info - 1;

	if (!(info & 1))
		return 0;
	if (head <= page_addr && page_addr - head < MAX_FOLIO_PAGES * page_size)
		return head;
	return page_addr & info & ~1ull;
}

static bool flag_set(const struct page_layout *l, uint64_t flags, int bit)
{
	return bit >= 0 && (unsigned int)bit < l->nr_pageflags && (flags >> bit & 1);
}

const char *page_type_name(const struct page_layout *l, uint32_t page_type)
{
	for (unsigned int i = 0; i < l->nr_types; i++) {
		const struct named_value *t = &l->types[i];

		switch (l->type_scheme) {
		case PTYPE_TOP_BYTE:
			/*
			 * page_type_has_type(): below PGTY_mapcount_underflow << 24 as
			 * a signed int; a mapcount (>= -1) never is.
			 */
			if ((int32_t)page_type < (int32_t)0xff000000 &&
			    page_type >> 24 == (uint64_t)t->value)
				return t->name;
			break;
		case PTYPE_INVERTED_BITS:
			/* a type is a bit cleared from PAGE_TYPE_BASE's all-ones pattern */
			if ((page_type & (l->type_base | (uint32_t)t->value)) == l->type_base)
				return t->name;
			break;
		default:
			return NULL;
		}
	}
	return NULL;
}

static void decode_order(const struct page_layout *l, const uint8_t *folio, struct page_info *pi)
{
	switch (l->order_at) {
	case ORDER_FLAGS_1:
		pi->order = (unsigned int)(get_u64(folio, l->off_order) & 0xff);
		break;
	case ORDER_FOLIO_ORDER:
	case ORDER_COMPOUND_ORDER:
		pi->order = folio[l->off_order];
		break;
	default:
		return;
	}
	pi->order_known = true;
}

static void decode_mapping(const struct page_layout *l, const uint8_t *folio, bool slab,
			   struct page_info *pi)
{
	pi->mapping = get_u64(folio, l->off_mapping);
	if (slab)
		pi->mapping_kind = MAP_SLAB;
	else if (pi->has_type)
		pi->mapping_kind = MAP_NOT_MAPPING;
	else if (!pi->mapping)
		pi->mapping_kind = MAP_NONE;
	else if ((pi->mapping & PAGE_MAPPING_FLAGS) == PAGE_MAPPING_FLAGS)
		pi->mapping_kind = MAP_KSM;
	else if (pi->mapping & PAGE_MAPPING_ANON)
		pi->mapping_kind = MAP_ANON;
	else if (pi->mapping & PAGE_MAPPING_MOVABLE)
		pi->mapping_kind = MAP_MOVABLE;
	else
		pi->mapping_kind = MAP_FILE;
}

static void decode_memcg(const struct page_layout *l, const uint8_t *folio, struct page_info *pi)
{
	if (!l->have_memcg)
		return;
	pi->memcg_data = get_u64(folio, l->off_memcg);
	pi->memcg_ptr = pi->memcg_data & ~l->memcg_flag_mask;
	if (!pi->memcg_data)
		pi->memcg_kind = MEMCG_NONE;
	else if (pi->memcg_data & l->memcg_objexts)
		pi->memcg_kind = MEMCG_OBJEXTS;	/* a slab's per-object vector, no one memcg */
	else if (pi->memcg_data & l->memcg_kmem)
		pi->memcg_kind = MEMCG_KMEM;	/* an obj_cgroup */
	else
		pi->memcg_kind = MEMCG_PLAIN;
}

void page_decode(const struct page_layout *l, uint64_t pfn, uint64_t page_addr,
		 const uint8_t *page, const uint8_t *folio, struct page_info *pi)
{
	const char *head_type;
	bool slab;

	memset(pi, 0, sizeof(*pi));
	pi->pfn = pfn;
	pi->page_addr = page_addr;
	pi->node = -1;
	pi->flags = get_u64(page, l->off_flags);
	pi->head_addr = page_compound_head(get_u64(page, l->off_compound_head), page_addr,
					   l->page_size);
	pi->tail = pi->head_addr != 0;
	if (!pi->tail)
		pi->head_addr = page_addr;
	pi->head_pfn = pfn - (page_addr - pi->head_addr) / l->page_size;
	pi->folio_flags = get_u64(folio, l->off_flags);
	pi->large = flag_set(l, pi->folio_flags, l->head_bit);
	if (pi->large)
		decode_order(l, folio, pi);
	pi->refcount = (int32_t)get_u32(page, l->off_refcount);
	pi->folio_refcount = (int32_t)get_u32(folio, l->off_refcount);

	pi->page_type = get_u32(page, l->off_mapcount);
	pi->type_name = page_type_name(l, pi->page_type);
	/* a tail's type (slab, hugetlb) is kept on its head */
	head_type = pi->tail ? page_type_name(l, get_u32(folio, l->off_mapcount)) : NULL;
	pi->has_type = pi->type_name != NULL;
	if (!pi->type_name)
		pi->type_name = head_type;
	/* page_mapcount(): this page's own count, plus the folio's PMD mappings */
	pi->mapcount = pi->has_type ? 0 : (int32_t)pi->page_type + 1;
	if (pi->large && l->have_entire_mapcount) {
		pi->have_entire = true;
		pi->entire_mapcount = (int32_t)get_u32(folio, l->off_entire_mapcount) + 1;
		if (!pi->has_type)
			pi->mapcount += pi->entire_mapcount;
	}
	if (pi->large && l->have_large_mapcount) {
		pi->have_large = true;
		pi->large_mapcount = (int32_t)get_u32(folio, l->off_large_mapcount) + 1;
	}
	slab = flag_set(l, pi->folio_flags, l->slab_bit) ||
	       (pi->type_name && !strcmp(pi->type_name, "slab"));
	decode_mapping(l, folio, slab, pi);
	decode_memcg(l, folio, pi);
}

const char *page_flags_str(const struct page_layout *l, uint64_t flags, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned int bit = 0; bit < l->nr_pageflags && bit < PAGE_FLAGS_MAX; bit++) {
		const char *name = l->flag_names[bit];
		int w;

		if (!(flags >> bit & 1))
			continue;
		w = name ? snprintf(buf + n, len - n, "%s%s", n ? " " : "", name)
			 : snprintf(buf + n, len - n, "%sbit%u", n ? " " : "", bit);
		if (w < 0 || (size_t)w >= len - n)
			break;
		n += (size_t)w;
	}
	return buf;
}

void page_locate(const struct page_ranges *r, uint64_t pfn, int *node, const char **zone)
{
	*node = -1;
	*zone = NULL;
	for (unsigned int i = 0; i < r->nr_nodes; i++) {
		const struct pfn_range *n = &r->nodes[i];

		if (pfn >= n->start_pfn && pfn - n->start_pfn < n->spanned) {
			*node = n->node;
			break;
		}
	}
	for (unsigned int i = 0; i < r->nr_zones; i++) {
		const struct pfn_range *z = &r->zones[i];

		if (z->spanned && pfn >= z->start_pfn && pfn - z->start_pfn < z->spanned) {
			*zone = z->name;
			/* zones never span nodes: the zone names its node as well */
			*node = z->node;
			return;
		}
	}
}

const char *mapping_kind_name(enum mapping_kind k)
{
	switch (k) {
	case MAP_ANON: return "anon";
	case MAP_KSM: return "ksm";
	case MAP_MOVABLE: return "movable";
	case MAP_FILE: return "file";
	case MAP_SLAB: return "slab";
	case MAP_NOT_MAPPING: return "not a mapping";
	default: return "none";
	}
}

const char *memcg_kind_name(enum memcg_kind k)
{
	switch (k) {
	case MEMCG_PLAIN: return "memcg";
	case MEMCG_KMEM: return "objcg";
	case MEMCG_OBJEXTS: return "slab objects";
	default: return "none";
	}
}

void section_of_pfn(uint64_t pfn, unsigned int section_size_bits, uint64_t sections_per_root,
		    struct section_pos *pos)
{
	pos->nr = pfn >> (section_size_bits - 12);
	pos->root = pos->nr / sections_per_root;
	pos->index = pos->nr % sections_per_root;
}
