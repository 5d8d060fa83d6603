// SPDX-License-Identifier: GPL-2.0
/* kvas audit: the direct map's fragmentation and secret memory. */
#include "audit_checks.h"

#define AREA "Direct map"
/* More of the direct map in 4K pages than this share costs TLB reach. */
#define DMAP_4K_WARN_PERCENT 10.0
/* Splits since boot past which something keeps changing page attributes. */
#define DMAP_SPLITS_WARN 10000

static const char why_4k[] =
	"Each split of a 1G or 2M page costs TLB reach for every access through the"
	" direct map, on every CPU, for good: splits are rarely undone.";
static const char why_splits[] =
	"Module loads, BPF JIT images, memfd_secret and set_memory_* calls split the"
	" direct map; 'kvas dmap -i' shows who.";
static const char why_secret[] =
	"memfd_secret takes a tenant's secret pages out of the direct map, so a kernel"
	" read primitive through it no longer reaches them.";

static const char remedy_splits[] =
	"See what splits it with 'kvas dmap -i 1' and cut that down (fewer module loads and"
	" unloads, BPF programs loaded once, not again and again); only a reboot merges"
	" the pages back on kernels that do not collapse them.";

static void four_k_share(struct audit *a, const struct dmap_summary *s)
{
	uint64_t total = s->present[DMAP_4K] + s->present[DMAP_2M] + s->present[DMAP_1G];
	double pct = total ? 100.0 * s->present[DMAP_4K] / total : 0;

	audit_add(a, AREA, "4k-share", pct > DMAP_4K_WARN_PERCENT ? AUDIT_WARN : AUDIT_PASS,
		  why_4k, "%.2f%% of the direct map is in 4K pages (%llu MiB of %llu MiB, by a"
		  " walk of its page tables); %llu pages taken out of it",
		  pct, (unsigned long long)(s->present[DMAP_4K] >> 20),
		  (unsigned long long)(total >> 20), (unsigned long long)(s->removed_4k >> 12));
	audit_remedy(a, "%s", remedy_splits);
}

void audit_direct_map(struct audit *a, const struct audit_inputs *in)
{
	const struct direct_map_stats *st = in->dmap_stats;
	uint64_t splits = st->level2_splits + st->level3_splits;

	if (in->dmap)
		four_k_share(a, in->dmap);
	else
		audit_add(a, AREA, "4k-share", AUDIT_UNKNOWN, why_4k,
			  "the direct map could not be walked");
	if (st->have_splits) {
		audit_add(a, AREA, "splits", splits > DMAP_SPLITS_WARN ? AUDIT_WARN : AUDIT_PASS,
			  why_splits, "since boot: %llu 2M pages split to 4K, %llu 1G pages split"
			  " to 2M", (unsigned long long)st->level2_splits,
			  (unsigned long long)st->level3_splits);
		audit_remedy(a, "%s", remedy_splits);
	} else {
		audit_add(a, AREA, "splits", AUDIT_UNKNOWN, why_splits,
			  "no direct_map_* lines in /proc/vmstat");
	}
	audit_add(a, AREA, "memfd-secret", in->secretmem ? AUDIT_PASS : AUDIT_WARN, why_secret,
		  "memfd_secret %s", in->secretmem ? "available" : in->secretmem_why);
	audit_remedy(a, "Run a kernel built with CONFIG_SECRETMEM=y; where it is built in but"
		     " disabled, boot with secretmem.enable=1.");
}
