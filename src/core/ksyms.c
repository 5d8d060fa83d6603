// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ksyms.h"

static int by_addr(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

bool kallsyms_line(const char *line, uint64_t *addr, char *type, char *name, size_t len)
{
	const char *p = line;
	char *end;
	size_t n = 0;

	if (!isxdigit((unsigned char)*p))
		return false;
	*addr = strtoull(p, &end, 16);
	if (*end != ' ' || !isgraph((unsigned char)end[1]) || end[2] != ' ')
		return false;
	*type = end[1];
	for (p = end + 3; *p && !isspace((unsigned char)*p); p++)
		if (n + 1 < len)
			name[n++] = *p;
	if (len)
		name[n] = '\0';
	return n > 0;
}

int ksyms_load(struct ksyms *ks, FILE *f)
{
	char line[512], name[256], type;
	uint64_t addr;
	size_t cap = 0;

	memset(ks, 0, sizeof(*ks));
	while (fgets(line, sizeof(line), f)) {
		if (!kallsyms_line(line, &addr, &type, name, sizeof(name)) || !addr ||
		    (type != 't' && type != 'T'))
			continue;
		if (ks->nr == cap) {
			struct ksym *s;

			cap = cap ? cap * 2 : 4096;
			s = realloc(ks->syms, cap * sizeof(*s));
			if (!s)
				return -ENOMEM;
			ks->syms = s;
		}
		ks->syms[ks->nr].addr = addr;
		ks->syms[ks->nr].name = strdup(name);
		if (!ks->syms[ks->nr].name)
			return -ENOMEM;
		ks->nr++;
	}
	/* Censored (all zero): no array at all, and qsort's base must not be NULL. */
	if (!ks->nr)
		return -ENOENT;
	qsort(ks->syms, ks->nr, sizeof(ks->syms[0]), by_addr);
	return 0;
}

void ksyms_free(struct ksyms *ks)
{
	for (size_t i = 0; i < ks->nr; i++)
		free(ks->syms[i].name);
	free(ks->syms);
	memset(ks, 0, sizeof(*ks));
}

const char *ksyms_name(const struct ksyms *ks, uint64_t addr, char *buf, size_t len)
{
	size_t lo = 0, hi = ks->nr;

	/* The last symbol at or below addr. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ks->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	snprintf(buf, len, "%s+0x%llx", ks->syms[lo - 1].name,
		 (unsigned long long)(addr - ks->syms[lo - 1].addr));
	return buf;
}
