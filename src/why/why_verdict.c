// SPDX-License-Identifier: GPL-2.0
/* kvas why's closing verdict: numbers in, plain sentences out. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "why_report.h"

/* A ratio within this of 1 is no difference a few repeats can tell. */
#define WHY_SAME 0.10

struct verdict_buf {
	char *buf;
	size_t len, used;
};

static void say(struct verdict_buf *v, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (v->used >= v->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(v->buf + v->used, v->len - v->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		v->used += (size_t)n < v->len - v->used ? (size_t)n : v->len - v->used - 1;
}

static void say_shape(struct verdict_buf *v, const struct why_report *r)
{
	char a[24], b[24], c[24], d[24], e[24];
	uint64_t total = 0;
	int lvl;
	uint32_t l2m = tlb_last_level(&r->tlb, 2 << 20, "", &lvl), l4k;

	for (int p = 0; p < WHY_NR_PAGES; p++)
		total += r->walk_bytes[p];
	say(v, "The direct map covers %s with %s entries (%s 1G, %s 2M and the rest 4K; "
	    "kvas's walk); with 4K pages alone it would take %s.",
	    fmt_size(total, a, sizeof(a)), why_fmt_count(why_entries(r), b, sizeof(b)),
	    why_fmt_count(r->walk_bytes[WHY_1G] >> 30, c, sizeof(c)),
	    why_fmt_count(r->walk_bytes[WHY_2M] >> 21, d, sizeof(d)),
	    why_fmt_count(why_entries_if_4k(r), e, sizeof(e)));
	if (!l2m) {
		say(v, " CPUID reports no 2M data-TLB entries to set them against.");
		return;
	}
	l4k = tlb_entries(&r->tlb, lvl, 4096, "");
	say(v, " The L%d TLB holds %u 2M entries (%s", lvl, l2m,
	    fmt_size((uint64_t)l2m << 21, a, sizeof(a)));
	say(v, ", %.1f%% of it) and %u 4K entries (%s, %.3f%%).", 100.0 * ((double)l2m * (2 << 20)) /
	    (double)(total ? total : 1), l4k, fmt_size((uint64_t)l4k << 12, b, sizeof(b)),
	    100.0 * ((double)l4k * 4096) / (double)(total ? total : 1));
}

static void say_reads(struct verdict_buf *v, const struct why_measure *m)
{
	const struct why_read *k4 = &m->read[WHY_4K], *m2 = &m->read[WHY_2M];
	double ratio;

	if (!m->done) {
		say(v, " Nothing was measured (--no-measure).");
		return;
	}
	if (!k4->ns.have || !m2->ns.have) {
		say(v, " A TLB-missing read could not be compared: %s.",
		    !k4->ns.have ? k4->why_not : m2->why_not);
		return;
	}
	ratio = k4->ns.median / m2->ns.median;
	say(v, " A TLB-missing read costs %.1f ns on 4K pages and %.1f ns on 2M pages here "
	    "(x%.2f, medians of %d).", k4->ns.median, m2->ns.median, ratio, k4->ns.repeats);
	/* a difference counts only when the runs' spreads do not overlap either */
	if (ratio > 1 + WHY_SAME && k4->ns.min > m2->ns.max)
		say(v, " Large pages pay on this machine: every 4K miss costs %.0f%% more.",
		    100 * (ratio - 1));
	else if (ratio < 1 - WHY_SAME && m2->ns.min > k4->ns.max)
		say(v, " 2M pages were slower here: a hypervisor's shadow page tables may back "
		    "guest huge pages with 4K ones.");
	else
		say(v, " The page size made no difference the runs' spread can tell here (a "
		    "hypervisor's shadow page tables may back guest huge pages with 4K ones).");
	if (m->read[WHY_1G].ns.have)
		say(v, " On 1G pages: %.1f ns.", m->read[WHY_1G].ns.median);
}

static void say_walk(struct verdict_buf *v, const struct why_report *r)
{
	const struct why_measure *m = &r->m;

	if (!m->done || !m->walk_ns.have || !m->direct_map_ns.have)
		return;
	say(v, " In the kernel, a physical address becomes a pointer by one addition: %.1f ns "
	    "with the read, against %.1f ns through a %d-level walk of the page tables (x%.1f).",
	    m->direct_map_ns.median, m->walk_ns.median, r->levels,
	    m->walk_ns.median / (m->direct_map_ns.median > 0 ? m->direct_map_ns.median : 1));
}

static void say_needed(struct verdict_buf *v, const struct why_report *r)
{
	uint64_t sum = 0;
	char a[24], b[24];

	for (int k = 0; k < WK_NR; k++)
		if (why_kind_counts(&r->kinds, k))
			sum += r->kinds.bytes[k];
	if (!r->kinds.mem_total)
		return;
	say(v, " The kernel reaches %s (%.1f%% of RAM) of page tables, slab and page cache "
	    "through it alone (/proc/meminfo); %s %s out of it now.",
	    fmt_size(sum, a, sizeof(a)), 100.0 * (double)sum / (double)r->kinds.mem_total,
	    fmt_size(r->removed_bytes, b, sizeof(b)), r->removed_bytes == 1 ? "is" : "are");
	if (r->secretmem)
		say(v, " memfd_secret can take more out on this kernel.");
}

void why_verdict(const struct why_report *r, char *buf, size_t len)
{
	struct verdict_buf v = { buf, len, 0 };

	buf[0] = '\0';
	if (r->have_walk)
		say_shape(&v, r);
	else
		say(&v, "The direct map could not be walked.");
	say_reads(&v, &r->m);
	say_walk(&v, r);
	say_needed(&v, r);
}
