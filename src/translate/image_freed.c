// SPDX-License-Identifier: GPL-2.0
#include <stddef.h>
#include <string.h>

#include "image_freed.h"
#include "ksyms.h"
#include "x86_layout.h"

#define PAGE_UP(a)	(((a) + X86_PAGE_SIZE - 1) & ~(uint64_t)(X86_PAGE_SIZE - 1))
#define PAGE_DOWN(a)	((a) & ~(uint64_t)(X86_PAGE_SIZE - 1))

void image_bounds_parse(FILE *f, struct image_bounds *b)
{
	static const struct { const char *name; size_t off; } syms[] = {
		{ "_etext", offsetof(struct image_bounds, etext) },
		{ "__start_rodata", offsetof(struct image_bounds, start_rodata) },
		{ "__end_rodata", offsetof(struct image_bounds, end_rodata) },
		{ "_sdata", offsetof(struct image_bounds, sdata) },
		{ "__init_begin", offsetof(struct image_bounds, init_begin) },
		{ "__init_end", offsetof(struct image_bounds, init_end) },
		{ "_einittext", offsetof(struct image_bounds, einittext) },
	};
	char line[512], name[64], type;
	uint64_t addr;

	memset(b, 0, sizeof(*b));
	while (fgets(line, sizeof(line), f)) {
		if (!kallsyms_line(line, &addr, &type, name, sizeof(name)) || !addr)
			continue;
		for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
			uint64_t *v = (uint64_t *)((char *)b + syms[i].off);

			/* the image's symbols come first; a module's namesake is not it */
			if (!*v && !strcmp(name, syms[i].name))
				*v = addr;
		}
	}
}

/* Both bounds published and va in [start, end). */
static bool in_range(struct freed_range *r, enum freed_region region, uint64_t va,
		     uint64_t start, const char *start_sym, uint64_t end, const char *end_sym)
{
	if (!start || !end || va < start || va >= end)
		return false;
	*r = (struct freed_range){ region, start, end, start_sym, end_sym };
	return true;
}

/* free_reserved_area() frees whole pages: the start rounds up, the end down. */
bool image_freed_range(const struct image_bounds *b, uint64_t va, struct freed_range *r)
{
	bool init;

	memset(r, 0, sizeof(*r));
	if (b->init_end)
		init = in_range(r, FREED_INITMEM, va, PAGE_UP(b->init_begin), "__init_begin",
				PAGE_DOWN(b->init_end), "__init_end");
	else	/* init data follows init text: the page _einittext is on is freed too */
		init = in_range(r, FREED_INITMEM, va, PAGE_UP(b->init_begin), "__init_begin",
				PAGE_UP(b->einittext), "_einittext");
	return init ||
	       in_range(r, FREED_TEXT_RODATA, va, PAGE_UP(b->etext), "_etext",
			PAGE_DOWN(b->start_rodata), "__start_rodata") ||
	       in_range(r, FREED_RODATA_DATA, va, PAGE_UP(b->end_rodata), "__end_rodata",
			PAGE_DOWN(b->sdata), "_sdata");
}

const char *freed_region_name(enum freed_region region)
{
	switch (region) {
	case FREED_INITMEM: return "initmem";
	case FREED_TEXT_RODATA: return "text/rodata gap";
	case FREED_RODATA_DATA: return "rodata/data gap";
	default: return "none";
	}
}
