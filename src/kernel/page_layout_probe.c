// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "kernel_btf.h"
#include "page_layout_probe.h"

struct enum_scan {
	struct page_layout *l;
	int64_t nr;		/* __NR_PAGEFLAGS; -1 until seen */
	bool top_byte, inverted;
};

static void scan_pageflag(const char *name, int64_t value, void *arg)
{
	struct enum_scan *s = arg;
	struct page_layout *l = s->l;

	if (!strcmp(name, "__NR_PAGEFLAGS")) {
		s->nr = value;
		return;
	}
	/* the first name of a bit is its own; later ones are aliases (PG_readahead) */
	if (value >= 0 && value < PAGE_FLAGS_MAX && s->nr < 0 && !l->flag_names[value])
		l->flag_names[value] = name;
	if (!strcmp(name, "PG_head"))
		l->head_bit = (int)value;
	else if (!strcmp(name, "PG_slab"))
		l->slab_bit = (int)value;
}

static void scan_pagetype(const char *name, int64_t value, void *arg)
{
	struct enum_scan *s = arg;
	struct page_layout *l = s->l;

	if (!strcmp(name, "PAGE_TYPE_BASE")) {
		s->inverted = true;
		l->type_base = (uint32_t)value;
		return;
	}
	if (!strncmp(name, "PGTY_", 5)) {
		s->top_byte = true;
		if (!strcmp(name, "PGTY_mapcount_underflow"))
			return;
		name += 5;
	} else if (!strncmp(name, "PG_", 3)) {
		name += 3;
	} else {
		return;		/* PAGE_MAPCOUNT_RESERVE and the like */
	}
	if (l->nr_types < PAGE_TYPES_MAX)
		l->types[l->nr_types++] = (struct named_value){ name, value };
}

static bool probe_flags(struct page_layout *l, char *why, size_t len)
{
	struct enum_scan s = { .l = l, .nr = -1 };

	l->head_bit = l->slab_bit = -1;
	if (!kernel_enum_each("pageflags", scan_pageflag, &s) || s.nr <= 0) {
		snprintf(why, len, "no enum pageflags with __NR_PAGEFLAGS in the kernel's BTF");
		return false;
	}
	l->nr_pageflags = s.nr < PAGE_FLAGS_MAX ? (unsigned int)s.nr : PAGE_FLAGS_MAX;
	memset(&s, 0, sizeof(s));
	s.l = l;
	kernel_enum_each("pagetype", scan_pagetype, &s);
	l->type_scheme = s.top_byte ? PTYPE_TOP_BYTE : s.inverted ? PTYPE_INVERTED_BITS : PTYPE_NONE;
	if (l->type_scheme == PTYPE_NONE)
		l->nr_types = 0;
	return true;
}

static void probe_memcg(struct page_layout *l)
{
	int64_t v;

	l->have_memcg = kernel_member_offset("page", "memcg_data", &l->off_memcg);
	/* include/linux/memcontrol.h since 5.11, when the enum is not in BTF */
	l->memcg_flag_mask = 3;
	l->memcg_objexts = 1;
	l->memcg_kmem = 2;
	if (kernel_enum_value("page_memcg_data_flags", "__NR_MEMCG_DATA_FLAGS", &v) && v > 0)
		l->memcg_flag_mask = (uint64_t)v - 1;
	if (kernel_enum_value("page_memcg_data_flags", "MEMCG_DATA_KMEM", &v))
		l->memcg_kmem = (uint64_t)v;
	if (kernel_enum_value("page_memcg_data_flags", "MEMCG_DATA_OBJEXTS", &v) ||
	    kernel_enum_value("page_memcg_data_flags", "MEMCG_DATA_OBJCGS", &v))
		l->memcg_objexts = (uint64_t)v;
}

/* Where the folio keeps its order and its mapcounts, on this kernel. */
static void probe_folio(struct page_layout *l)
{
	uint32_t off;

	if (kernel_member_offset("folio", "_folio_order", &off)) {
		l->order_at = ORDER_FOLIO_ORDER;
		l->off_order = off;
	} else if (kernel_member_offset("folio", "_flags_1", &off)) {
		l->order_at = ORDER_FLAGS_1;
		l->off_order = off;
	} else if (kernel_member_offset("page", "compound_order", &off)) {
		l->order_at = ORDER_COMPOUND_ORDER;
		l->off_order = l->page_size + off;	/* in the first tail page */
	}
	if (kernel_member_offset("folio", "_entire_mapcount", &off)) {
		l->have_entire_mapcount = true;
		l->off_entire_mapcount = off;
	} else if (kernel_member_offset("page", "compound_mapcount", &off)) {
		l->have_entire_mapcount = true;
		l->off_entire_mapcount = l->page_size + off;
	}
	l->have_large_mapcount = kernel_member_offset("folio", "_large_mapcount",
						      &l->off_large_mapcount);
}

bool page_layout_probe(struct page_layout *l, char *why, size_t len)
{
	memset(l, 0, sizeof(*l));
	if (!kernel_struct_size("page", &l->page_size) || l->page_size > FOLIO_READ_MAX / 2 ||
	    !kernel_member_offset("page", "flags", &l->off_flags) ||
	    (!kernel_member_offset("page", "compound_head", &l->off_compound_head) &&
	     !kernel_member_offset("page", "compound_info", &l->off_compound_head)) ||
	    !kernel_member_offset("page", "mapping", &l->off_mapping) ||
	    !kernel_member_offset("page", "_mapcount", &l->off_mapcount) ||
	    !kernel_member_offset("page", "_refcount", &l->off_refcount)) {
		snprintf(why, len, "struct page in the kernel's BTF lacks flags, compound_head "
			 "(compound_info), mapping, _mapcount or _refcount");
		return false;
	}
	if (!probe_flags(l, why, len))
		return false;
	probe_memcg(l);
	probe_folio(l);
	return true;
}
