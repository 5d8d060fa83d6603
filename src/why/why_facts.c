// SPDX-License-Identifier: GPL-2.0
/* The report's arithmetic and /proc/meminfo's kinds: pure, unit-tested. */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "why_report.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

void why_stat_of(double *samples, int n, struct why_stat *s)
{
	memset(s, 0, sizeof(*s));
	if (n <= 0)
		return;
	qsort(samples, n, sizeof(*samples), cmp_double);
	s->have = true;
	s->repeats = n;
	s->min = samples[0];
	s->max = samples[n - 1];
	s->median = n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
}

static const struct {
	const char *key, *field;
} kinds[WK_NR] = {
	[WK_PAGE_TABLES] = { "page_tables", "PageTables" },
	[WK_SEC_PAGE_TABLES] = { "secondary_page_tables", "SecPageTables" },
	[WK_SLAB_RECLAIMABLE] = { "slab_reclaimable", "SReclaimable" },
	[WK_SLAB_UNRECLAIMABLE] = { "slab_unreclaimable", "SUnreclaim" },
	[WK_PAGE_CACHE] = { "page_cache", "Cached" },
	[WK_KERNEL_STACKS] = { "kernel_stacks", "KernelStack" },
};

const char *why_kind_key(enum why_kind k)
{
	return kinds[k].key;
}

const char *why_kind_field(enum why_kind k)
{
	return kinds[k].field;
}

int why_kinds_parse(FILE *f, struct why_kinds *k)
{
	char line[256], name[64];
	unsigned long long kb;
	bool total = false;

	memset(k->have, 0, sizeof(k->have));
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63[^:]: %llu", name, &kb) != 2)
			continue;
		if (!strcmp(name, "MemTotal")) {
			k->mem_total = kb * 1024;
			total = true;
		}
		for (int i = 0; i < WK_NR; i++) {
			if (strcmp(name, kinds[i].field))
				continue;
			k->have[i] = true;
			k->bytes[i] = kb * 1024;
		}
	}
	return total ? 0 : -ENODATA;
}

bool why_kind_counts(const struct why_kinds *k, enum why_kind kind)
{
	if (!k->have[kind])
		return false;
	/* with VMAP_STACK, stacks are vmalloc'ed: reached through their own mapping */
	return kind != WK_KERNEL_STACKS || (k->vmap_stack_known && !k->vmap_stack);
}

uint64_t why_page_bytes(enum why_page p)
{
	static const uint64_t bytes[WHY_NR_PAGES] = { 4096, 2 << 20, 1 << 30 };

	return bytes[p];
}

const char *why_page_name(enum why_page p)
{
	static const char *const names[WHY_NR_PAGES] = { "4K", "2M", "1G" };

	return names[p];
}

uint64_t why_entries(const struct why_report *r)
{
	uint64_t n = 0;

	for (int p = 0; p < WHY_NR_PAGES; p++)
		n += r->walk_bytes[p] / why_page_bytes(p);
	return n;
}

uint64_t why_entries_if_4k(const struct why_report *r)
{
	uint64_t bytes = 0;

	for (int p = 0; p < WHY_NR_PAGES; p++)
		bytes += r->walk_bytes[p];
	return bytes / 4096;
}

char *why_fmt_count(uint64_t n, char *buf, size_t len)
{
	char digits[24];
	int nd = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)n), o = 0;

	for (int i = 0; i < nd && o < (int)len - 2; i++) {
		if (i && (nd - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}
