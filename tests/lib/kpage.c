// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kpage.h"

#define PAGE		4096UL
#define HUGE_2M		(2UL << 20)
/* pages touched after the targets: fills the per-CPU LRU batches so they drain */
#define DRAIN_PAGES	256

static int read_u64_at(const char *path, uint64_t index, uint64_t *v)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = pread(fd, v, 8, (off_t)(index * 8));
	close(fd);
	return n == 8 ? 0 : -EIO;
}

int kpage_pfn(const void *va, uint64_t *pfn)
{
	uint64_t entry;
	int err = read_u64_at("/proc/self/pagemap", (uintptr_t)va / PAGE, &entry);

	if (err)
		return err;
	if (!(entry & (1ULL << 63)))
		return -ENOENT;
	*pfn = entry & ((1ULL << 55) - 1);
	return 0;
}

int kpage_flags(uint64_t pfn, uint64_t *flags)
{
	return read_u64_at("/proc/kpageflags", pfn, flags);
}

int kpage_count(uint64_t pfn, uint64_t *count)
{
	return read_u64_at("/proc/kpagecount", pfn, count);
}

static bool has_kpf(uint64_t pfn, int bit)
{
	uint64_t f;

	return !kpage_flags(pfn, &f) && (f >> bit & 1);
}

/* Wait (at most 2 s) for the page to reach the LRU: added in per-CPU batches. */
static void wait_lru(uint64_t pfn)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	for (int i = 0; i < 200 && !has_kpf(pfn, KPF_LRU); i++) {
		char *p = mmap(NULL, DRAIN_PAGES * PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p != MAP_FAILED) {
			for (size_t off = 0; off < DRAIN_PAGES * PAGE; off += PAGE)
				p[off] = 1;
			munmap(p, DRAIN_PAGES * PAGE);
		}
		nanosleep(&ts, NULL);
	}
}

static int make_file_page(struct kpage_targets *t)
{
	char path[] = "/tmp/kvas-kpage-XXXXXX", buf[PAGE];
	struct stat st;
	int fd = mkstemp(path);

	if (fd < 0)
		return -errno;
	unlink(path);
	memset(buf, 'k', sizeof(buf));
	if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf) || fstat(fd, &st)) {
		close(fd);
		return -EIO;
	}
	t->file_ino = st.st_ino;
	t->file_map = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (t->file_map == MAP_FAILED) {
		t->file_map = NULL;
		return -errno;
	}
	(void)*(volatile char *)t->file_map;
	t->va[KT_FILE] = t->file_map;
	return 0;
}

static void make_thp(struct kpage_targets *t)
{
	char *p, *huge;

	t->thp_len = 2 * HUGE_2M;
	p = mmap(NULL, t->thp_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		snprintf(t->thp_skip, sizeof(t->thp_skip), "cannot map 4 MiB: %s", strerror(errno));
		return;
	}
	t->thp_map = p;
	huge = (char *)(((uintptr_t)p + HUGE_2M - 1) & ~(HUGE_2M - 1));
	if (madvise(huge, HUGE_2M, MADV_HUGEPAGE)) {
		snprintf(t->thp_skip, sizeof(t->thp_skip), "madvise(MADV_HUGEPAGE): %s",
			 strerror(errno));
		return;
	}
	memset(huge, 0x5a, HUGE_2M);
	if (kpage_pfn(huge, &t->pfn[KT_THP_HEAD]) || !has_kpf(t->pfn[KT_THP_HEAD], KPF_THP)) {
		snprintf(t->thp_skip, sizeof(t->thp_skip), "the kernel gave 4K pages, no THP, for a "
			 "MADV_HUGEPAGE range (transparent_hugepage/enabled or defrag, or no free 2M)");
		return;
	}
	t->va[KT_THP_HEAD] = huge;
	t->va[KT_THP_TAIL] = huge + 0x12000;
}

int kpage_targets_make(struct kpage_targets *t)
{
	int err;

	memset(t, 0, sizeof(*t));
	t->anon_map = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (t->anon_map == MAP_FAILED) {
		t->anon_map = NULL;
		return -errno;
	}
	memset(t->anon_map, 0xa5, PAGE);
	t->va[KT_ANON] = t->anon_map;
	err = make_file_page(t);
	if (err)
		return err;
	make_thp(t);
	for (int i = 0; i < KT_NR; i++) {
		if (!t->va[i])
			continue;
		err = kpage_pfn(t->va[i], &t->pfn[i]);
		if (err)
			return err;
		if (i != KT_THP_TAIL)
			wait_lru(t->pfn[i]);
	}
	return 0;
}

void kpage_targets_free(struct kpage_targets *t)
{
	if (t->anon_map)
		munmap(t->anon_map, PAGE);
	if (t->file_map)
		munmap(t->file_map, PAGE);
	if (t->thp_map)
		munmap(t->thp_map, t->thp_len);
	memset(t, 0, sizeof(*t));
}

static bool names_have(json_t *names, const char *flag)
{
	size_t i;
	json_t *v;

	json_array_foreach(names, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), flag))
			return true;
	return false;
}

static const char *target_name(enum kpage_target which)
{
	static const char *const names[KT_NR] = { "anon page", "file page", "THP head", "THP tail" };

	return names[which];
}

static int expect(json_t *mismatches, enum kpage_target which, bool ok, const char *fmt,
		  long long a, long long b)
{
	char msg[256];
	int n;

	if (ok)
		return 1;
	n = snprintf(msg, sizeof(msg), "%s: ", target_name(which));
	snprintf(msg + n, sizeof(msg) - n, fmt, a, b);
	json_array_append_new(mismatches, json_string(msg));
	return 1;
}

int kpage_check(const struct kpage_targets *t, enum kpage_target which, json_t *translation,
		json_t *mismatches)
{
	json_t *page = json_object_get(translation, "page");
	json_t *folio = json_object_get(page, "folio");
	json_t *mapping = json_object_get(page, "mapping");
	const char *kind = json_string_value(json_object_get(mapping, "kind"));
	uint64_t pfn = t->pfn[which], kf, kc;
	bool lru, anon;
	int n = 0;

	if (!json_is_object(page) || !json_is_null(json_object_get(page, "error")) ||
	    kpage_flags(pfn, &kf) || kpage_count(pfn, &kc)) {
		char msg[256];

		snprintf(msg, sizeof(msg), "%s: no decoded page, or kpageflags unreadable: %s",
			 target_name(which), json_dumps(translation, JSON_COMPACT));
		json_array_append_new(mismatches, json_string(msg));
		return 0;
	}
	anon = kind && !strcmp(kind, "anon");
	n += expect(mismatches, which, anon == !!(kf >> KPF_ANON & 1),
		    "kvas says anon %lld, KPF_ANON %lld", anon, kf >> KPF_ANON & 1);
	n += expect(mismatches, which,
		    (json_is_object(folio) && !json_is_true(json_object_get(folio, "tail"))) ==
		    !!(kf >> KPF_COMPOUND_HEAD & 1),
		    "kvas says head %lld, KPF_COMPOUND_HEAD %lld",
		    json_is_object(folio) && !json_is_true(json_object_get(folio, "tail")),
		    kf >> KPF_COMPOUND_HEAD & 1);
	n += expect(mismatches, which, json_is_true(json_object_get(folio, "tail")) ==
		    !!(kf >> KPF_COMPOUND_TAIL & 1), "kvas says tail %lld, KPF_COMPOUND_TAIL %lld",
		    json_is_true(json_object_get(folio, "tail")), kf >> KPF_COMPOUND_TAIL & 1);
	if (kf >> KPF_THP & 1)
		n += expect(mismatches, which,
			    json_integer_value(json_object_get(folio, "order")) == 9,
			    "a THP (KPF_THP) of order %lld in kvas, expected %lld",
			    json_integer_value(json_object_get(folio, "order")), 9);
	/*
	 * A tail's KPF_LRU is its folio's on recent kernels and its own (never
	 * set) on 6.1: on a tail, LRU in kpageflags means the folio is on it.
	 */
	if (which == KT_THP_TAIL) {
		lru = names_have(json_object_get(folio, "flag_names"), "PG_lru");
		n += expect(mismatches, which, lru || !(kf >> KPF_LRU & 1),
			    "kvas's folio has PG_lru %lld, KPF_LRU %lld", lru, kf >> KPF_LRU & 1);
		n += expect(mismatches, which,
			    strtoull(json_string_value(json_object_get(folio, "head_pfn")) ?: "0",
				     NULL, 16) == t->pfn[KT_THP_HEAD],
			    "head pfn %lld in kvas, pagemap's THP head %lld",
			    (long long)strtoull(json_string_value(json_object_get(folio, "head_pfn")) ?: "0",
						NULL, 16), (long long)t->pfn[KT_THP_HEAD]);
	} else {
		lru = names_have(json_object_get(page, "flag_names"), "PG_lru");
		n += expect(mismatches, which, lru == !!(kf >> KPF_LRU & 1),
			    "kvas says PG_lru %lld, KPF_LRU %lld", lru, kf >> KPF_LRU & 1);
	}
	n += expect(mismatches, which,
		    json_integer_value(json_object_get(page, "mapcount")) == (json_int_t)kc,
		    "kvas says mapcount %lld, kpagecount %lld",
		    json_integer_value(json_object_get(page, "mapcount")), (long long)kc);
	if (which == KT_FILE)
		n += expect(mismatches, which, kind && !strcmp(kind, "file") &&
			    (uint64_t)json_integer_value(json_object_get(mapping, "inode")) == t->file_ino,
			    "kvas says inode %lld, fstat %lld",
			    json_integer_value(json_object_get(mapping, "inode")), (long long)t->file_ino);
	return n;
}
