// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "procfs.h"
#include "tlb_measure.h"

#define MiB (1ULL << 20)
#define SZ_2M (2 * MiB)
#define SZ_1G (1024 * MiB)
#define READS_PER_RUN (1u << 18)	/* ~30 ms a run at 100 ns a read */

#ifndef MAP_HUGE_1GB
#define MAP_HUGE_1GB (30 << 26)
#endif

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

uint64_t tlb_measure_buffer_bytes(const struct tlb_list *t)
{
	int lvl;
	uint64_t reach4k = (uint64_t)tlb_last_level(t, 4096, "", &lvl) * 4096;
	uint64_t reach2m = (uint64_t)tlb_last_level(t, SZ_2M, "", &lvl) * SZ_2M;
	uint64_t bytes = reach4k ? reach4k * 128 : 64 * MiB, avail = 0;
	char text[4096], *p;

	if (reach2m && bytes > reach2m / 4)
		bytes = reach2m / 4;	/* the 2M buffer stays within the 2M TLB */
	if (bytes < 16 * MiB)
		bytes = 16 * MiB;
	if (bytes > 256 * MiB)
		bytes = 256 * MiB;
	if (read_small_file("/proc/meminfo", text, sizeof(text)) >= 0 &&
	    (p = strstr(text, "MemAvailable:")))
		avail = strtoull(p + 13, NULL, 10) * 1024;
	while (avail && bytes > 16 * MiB && bytes * 3 > avail / 4)
		bytes /= 2;		/* three buffers at most, within a quarter of it */
	return (bytes + SZ_2M - 1) & ~(SZ_2M - 1);
}

/*
 * A random cycle through the buffer's 4K pages, each visited once a lap at a
 * random cache line, so neither the prefetcher nor one line's set helps.
 */
static void build_chain(char *buf, uint64_t bytes)
{
	uint64_t pages = bytes / 4096;
	uint32_t *order = malloc(pages * sizeof(*order));
	unsigned int seed = 2025;

	if (!order)
		return;
	for (uint64_t i = 0; i < pages; i++)
		order[i] = (uint32_t)i;
	for (uint64_t i = pages - 1; i > 0; i--) {
		uint64_t j = (((uint64_t)rand_r(&seed) << 31) ^ rand_r(&seed)) % (i + 1);
		uint32_t t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t from = order[i], to = order[(i + 1) % pages];
		void **slot = (void **)(buf + from * 4096 + (from * 2654435761u % 64) * 64);

		*slot = buf + to * 4096 + (to * 2654435761u % 64) * 64;
	}
	free(order);
}

/* ns per read over runs of dependent loads. */
static void chase(char *buf, struct why_read *rd, uint64_t reads, int repeats)
{
	double ns[16];
	void **p = (void **)buf;	/* page 0 is at its line 0 */
	int n = 0;

	for (uint64_t i = 0; i < reads; i++)	/* warm the caches' share, fault nothing later */
		p = *p;
	for (; n < repeats && n < 16; n++) {
		double t0 = now_ns();

		for (uint64_t i = 0; i < reads; i++)
			p = *p;
		ns[n] = (now_ns() - t0) / (double)reads;
	}
	__asm__ volatile("" : : "r"(p));	/* the chain's end is used */
	why_stat_of(ns, n, &rd->ns);
}

/* AnonHugePages of the mapping that starts at start, from /proc/self/smaps; -errno. */
static int64_t anon_huge_bytes(const void *start)
{
	FILE *f = fopen("/proc/self/smaps", "re");
	char line[256];
	bool in = false;
	int64_t kb = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long lo, hi, v;

		if (sscanf(line, "%llx-%llx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' '))
			in = lo <= (uintptr_t)start && (uintptr_t)start < hi;
		else if (in && sscanf(line, "AnonHugePages: %llu", &v) == 1)
			kb = (int64_t)v;
	}
	fclose(f);
	return kb < 0 ? kb : kb * 1024;
}

static void thp_mode(char *buf, size_t len)
{
	char text[128], *a, *b;

	snprintf(buf, len, "unknown");
	if (read_small_file("/sys/kernel/mm/transparent_hugepage/enabled", text,
			    sizeof(text)) < 0)
		return;
	a = strchr(text, '[');
	b = a ? strchr(a, ']') : NULL;
	if (a && b)
		snprintf(buf, len, "%.*s", (int)(b - a - 1), a + 1);
}

/* One buffer: map, touch, check its backing, chase. */
static void measure_one(struct why_measure *m, enum why_page pg, int repeats)
{
	struct why_read *rd = &m->read[pg];
	uint64_t bytes = m->buffer_bytes, len = bytes, align = pg == WHY_2M ? SZ_2M : 0;
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;
	char *map, *buf;
	int64_t huge;

	if (pg == WHY_1G) {
		len = SZ_1G;
		flags |= MAP_HUGETLB | MAP_HUGE_1GB;
	}
	map = mmap(NULL, len + align, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (map == MAP_FAILED) {
		snprintf(rd->why_not, sizeof(rd->why_not), "mmap: %s", strerror(errno));
		return;
	}
	buf = align ? (char *)(((uintptr_t)map + align - 1) & ~(align - 1)) : map;
	if (pg != WHY_1G && madvise(buf, bytes, pg == WHY_2M ? MADV_HUGEPAGE : MADV_NOHUGEPAGE)) {
		snprintf(rd->why_not, sizeof(rd->why_not), "madvise: %s", strerror(errno));
		goto out;
	}
	memset(buf, 1, bytes);
	huge = pg == WHY_1G ? (int64_t)len : anon_huge_bytes(buf);
	rd->backed_bytes = huge > 0 ? (uint64_t)huge : 0;
	rd->huge_backed = pg != WHY_4K && rd->backed_bytes >= bytes;
	if (pg == WHY_4K && huge > 0) {
		snprintf(rd->why_not, sizeof(rd->why_not),
			 "%lld bytes of the 4K buffer came as huge pages", (long long)huge);
		goto out;
	}
	if (pg == WHY_2M && !rd->huge_backed) {
		char mode[16];

		thp_mode(mode, sizeof(mode));
		snprintf(rd->why_not, sizeof(rd->why_not),
			 "only %llu MiB of %llu MiB came as huge pages (AnonHugePages; THP is \"%s\")",
			 (unsigned long long)(rd->backed_bytes >> 20),
			 (unsigned long long)(bytes >> 20), mode);
		goto out;
	}
	build_chain(buf, bytes);
	chase(buf, rd, m->reads, repeats);
out:
	munmap(map, len + align);
}

/* Only where hugetlb has a free 1G page already: kvas never changes nr_hugepages. */
static bool one_gig_free(struct why_read *rd)
{
	char text[32];

	if (read_small_file("/sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages",
			    text, sizeof(text)) < 0) {
		snprintf(rd->why_not, sizeof(rd->why_not),
			 "no 1G hugetlb pool on this kernel (hugepages-1048576kB absent)");
		return false;
	}
	if (!strtoull(text, NULL, 10)) {
		snprintf(rd->why_not, sizeof(rd->why_not),
			 "no free 1G hugetlb page (kvas does not reserve any)");
		return false;
	}
	return true;
}

void tlb_measure(struct why_measure *m, int repeats)
{
	char mode[16];

	m->done = true;
	m->reads = READS_PER_RUN;
	measure_one(m, WHY_4K, repeats);
	thp_mode(mode, sizeof(mode));
	if (!strcmp(mode, "never"))
		snprintf(m->read[WHY_2M].why_not, sizeof(m->read[WHY_2M].why_not),
			 "transparent huge pages are \"never\" on this machine");
	else
		measure_one(m, WHY_2M, repeats);
	if (one_gig_free(&m->read[WHY_1G]))
		measure_one(m, WHY_1G, repeats);
}
