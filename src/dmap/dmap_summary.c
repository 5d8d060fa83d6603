// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "dmap_summary.h"

uint64_t dmap_size_bytes(enum dmap_size sz)
{
	return 1ULL << (12 + 9 * sz);
}

const char *dmap_size_name(enum dmap_size sz)
{
	static const char *const names[DMAP_NR_SIZES] = { "4K", "2M", "1G" };

	return sz < DMAP_NR_SIZES ? names[sz] : "?";
}

int dmap_size_of_shift(uint32_t shift)
{
	return shift == X86_PAGE_SHIFT ? DMAP_4K : shift == PMD_SHIFT ? DMAP_2M :
	       shift == PUD_SHIFT ? DMAP_1G : -1;
}

/* Bytes of [start, end) that lie in System RAM. */
static uint64_t ram_overlap(const struct iomem *io, uint64_t start, uint64_t end)
{
	uint64_t total = 0;

	for (int i = 0; i < io->nr_ram; i++) {
		uint64_t lo = io->ram[i].start, hi = io->ram[i].end + 1;

		lo = lo > start ? lo : start;
		hi = hi < end ? hi : end;
		if (hi > lo)
			total += hi - lo;
	}
	return total;
}

static void find_holes(const struct iomem *io, struct dmap_summary *s)
{
	uint64_t prev_end = 0;

	for (int i = 0; i < io->nr_ram; i++) {
		struct dmap_hole *h;

		if (io->ram[i].start > prev_end && s->nr_holes < DMAP_MAX_HOLES) {
			h = &s->holes[s->nr_holes++];
			h->range.start = prev_end;
			h->range.end = io->ram[i].start - 1;
			snprintf(h->what, sizeof(h->what), "nothing in /proc/iomem");
			for (int k = 0; k < io->nr_top; k++) {
				const struct phys_range *t = &io->top[k].range;

				if (t->end >= h->range.start && t->start <= h->range.end) {
					snprintf(h->what, sizeof(h->what), "%s", io->top[k].name);
					break;
				}
			}
		}
		if (io->ram[i].end + 1 > prev_end)
			prev_end = io->ram[i].end + 1;
	}
	s->ram_end = prev_end;
}

/* Present bytes of a run that fall in each hole. */
static void count_in_holes(struct dmap_summary *s, uint64_t pa, uint64_t bytes)
{
	for (int i = 0; i < s->nr_holes; i++) {
		uint64_t lo = s->holes[i].range.start, hi = s->holes[i].range.end + 1;

		lo = lo > pa ? lo : pa;
		hi = hi < pa + bytes ? hi : pa + bytes;
		if (hi > lo)
			s->holes[i].mapped += hi - lo;
	}
}

void dmap_summarize(const struct dmap_runs *runs, uint64_t page_offset_base,
		    const struct iomem *io, struct dmap_summary *s)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < io->nr_ram; i++)
		s->ram += io->ram[i].end + 1 - io->ram[i].start;
	find_holes(io, s);
	for (size_t i = 0; i < runs->n; i++) {
		const struct dmap_run *r = &runs->v[i];
		int sz = dmap_size_of_shift(r->shift);
		/* what the direct map should map at this address */
		uint64_t pa = r->va - page_offset_base;
		uint64_t in_ram = ram_overlap(io, pa, pa + r->bytes);

		if (!(r->flags & DMAP_PRESENT)) {
			if (r->shift == X86_PAGE_SHIFT)
				s->removed_4k += in_ram;
			else
				s->unmapped_ram += in_ram;
			continue;
		}
		if (sz >= 0)
			s->present[sz] += r->bytes;
		s->mapped_non_ram += r->bytes - ram_overlap(io, r->pa, r->pa + r->bytes);
		count_in_holes(s, r->pa, r->bytes);
	}
}

void dmap_agree(const struct dmap_summary *s, const struct direct_map_stats *st,
		struct dmap_agreement *a)
{
	const uint64_t kb[DMAP_NR_SIZES] = { st->kb_4k, st->kb_2m, st->kb_1g };

	memset(a, 0, sizeof(*a));
	a->have_meminfo = st->have_sizes;
	a->agrees = st->have_sizes;
	for (int sz = 0; sz < DMAP_NR_SIZES; sz++) {
		uint64_t page = dmap_size_bytes(sz);

		/* DirectMap4k still counts the 4K entries made not present */
		a->walk_pages[sz] = (s->present[sz] + (sz == DMAP_4K ? s->removed_4k : 0)) / page;
		a->meminfo_pages[sz] = kb[sz] * 1024 / page;
		a->diff_pages[sz] = a->walk_pages[sz] - a->meminfo_pages[sz];
		if (a->diff_pages[sz] > 1 || a->diff_pages[sz] < -1)
			a->agrees = false;
	}
}
