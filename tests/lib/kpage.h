/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pages a test owns, and what the kernel publishes of them in /proc/kpageflags
 * and /proc/kpagecount: the truth kvas translate --page is checked against,
 * on the host (tests/integration) and in the QEMU guests (tests/vm/truth.c).
 */
#ifndef KVAS_TESTS_KPAGE_H
#define KVAS_TESTS_KPAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* include/uapi/linux/kernel-page-flags.h */
#define KPF_LRU			5
#define KPF_ANON		12
#define KPF_COMPOUND_HEAD	15
#define KPF_COMPOUND_TAIL	16
#define KPF_THP			22

enum kpage_target { KT_ANON, KT_FILE, KT_THP_HEAD, KT_THP_TAIL, KT_NR };

struct kpage_targets {
	void *va[KT_NR];		/* NULL: not made (the THP ones, see thp_skip) */
	uint64_t pfn[KT_NR];
	uint64_t file_ino;		/* the mapped file's inode */
	char thp_skip[160];		/* why there is no THP */
	void *anon_map, *file_map, *thp_map;
	size_t thp_len;
};

/*
 * An anonymous page touched, a file page mapped and read, and a THP made
 * with MADV_HUGEPAGE (checked in kpageflags); each waited for (bounded) to
 * reach the LRU, so that what kvas reads next is settled. 0 or -errno.
 */
int kpage_targets_make(struct kpage_targets *t);
void kpage_targets_free(struct kpage_targets *t);

/* The pfn of va in this process, from /proc/self/pagemap: 0 or -errno. */
int kpage_pfn(const void *va, uint64_t *pfn);
/* /proc/kpageflags and /proc/kpagecount of pfn: 0 or -errno. */
int kpage_flags(uint64_t pfn, uint64_t *flags);
int kpage_count(uint64_t pfn, uint64_t *count);

/*
 * Compare kvas translate --page's object for target which (translated at
 * t->va[which]) with kpageflags and kpagecount; append a string per
 * disagreement to mismatches. Returns the number of facts checked.
 */
int kpage_check(const struct kpage_targets *t, enum kpage_target which, json_t *translation,
		json_t *mismatches);

#endif
