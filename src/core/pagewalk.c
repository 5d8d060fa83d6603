// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "pagewalk.h"
#include "x86_layout.h"

static const char *const level_names5[] = { "PGD", "P4D", "PUD", "PMD", "PTE" };
static const char *const level_names4[] = { "PGD", "PUD", "PMD", "PTE" };

const char *walk_level_name(int levels, int lvl)
{
	return levels == 5 ? level_names5[lvl] : level_names4[lvl];
}

void walk_set_leaf(struct walk_result *res, int levels, int lvl,
		   uint64_t va, uint64_t pa_mask)
{
	uint64_t size = 1ULL << PT_LEVEL_SHIFT(levels, lvl);
	uint64_t frame = res->steps[lvl].entry & pa_mask;

	res->page_size = size;
	res->pa = (frame & ~(size - 1)) | (va & (size - 1));
	res->status = WALK_OK;
}

int pagewalk(const struct walk_params *p, uint64_t va, struct walk_result *res)
{
	uint64_t table_va = p->pgd_va;

	memset(res, 0, sizeof(*res));
	if (!x86_canonical(va, p->levels)) {
		res->status = WALK_NON_CANONICAL;
		return -1;
	}
	for (int lvl = 0; lvl < p->levels; lvl++) {
		struct walk_step *st = &res->steps[res->nr_steps++];
		int shift = PT_LEVEL_SHIFT(p->levels, lvl);

		st->name = walk_level_name(p->levels, lvl);
		st->index = PT_INDEX(va, shift);
		st->table_va = table_va;
		st->entry_va = table_va + st->index * 8;
		if (p->read_u64(p->ctx, st->entry_va, &st->entry)) {
			res->status = WALK_READ_FAILED;
			return -1;
		}
		if (!(st->entry & PTE_PRESENT)) {
			res->status = WALK_NOT_PRESENT;
			return -1;
		}
		if (PT_IS_LEAF(st->entry, shift)) {
			walk_set_leaf(res, p->levels, lvl, va, p->pa_mask);
			return 0;
		}
		table_va = p->page_offset_base + (st->entry & p->pa_mask);
	}
	res->status = WALK_READ_FAILED;
	return -1;
}

char *pte_flags_str(uint64_t entry, bool leaf_huge, char *buf, size_t len)
{
	static const struct { uint64_t bit; const char *name; } flags[] = {
		{ PTE_PRESENT, "P" }, { PTE_RW, "RW" }, { PTE_USER, "US" },
		{ PTE_PWT, "PWT" }, { PTE_PCD, "PCD" }, { PTE_ACCESSED, "A" },
		{ PTE_DIRTY, "D" }, { PTE_PSE, "PS" }, { PTE_GLOBAL, "G" },
		{ PTE_NX, "NX" },
	};
	size_t off = 0;
	unsigned int pkey = (entry & PTE_PKEY_MASK) >> PTE_PKEY_SHIFT;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		if (!(entry & flags[i].bit))
			continue;
		if (flags[i].bit == PTE_PSE && !leaf_huge)
			continue;
		off += snprintf(buf + off, off < len ? len - off : 0, "%s%s",
				off ? " " : "", flags[i].name);
	}
	if (pkey && off < len)
		snprintf(buf + off, len - off, " PKEY=%u", pkey);
	return buf;
}

const char *walk_status_str(enum walk_status s)
{
	switch (s) {
	case WALK_OK: return "ok";
	case WALK_NOT_PRESENT: return "not present";
	case WALK_READ_FAILED: return "table not readable";
	case WALK_NON_CANONICAL: return "non-canonical address";
	}
	return "?";
}
