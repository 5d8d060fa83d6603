/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cost of a read that misses the TLB, measured in user space: a random
 * chain of dependent loads, one per 4K page, over a buffer mapped with 4K
 * pages, with 2M pages (THP, checked in /proc/self/smaps) and with 1G pages
 * where hugetlb already has some free (kvas never reserves them).
 */
#ifndef KVAS_TLB_MEASURE_H
#define KVAS_TLB_MEASURE_H

#include "why_report.h"

/*
 * The buffer for these TLBs: many times the 4K reach and within the 2M
 * reach, bounded by the memory available. 0 when none fits.
 */
uint64_t tlb_measure_buffer_bytes(const struct tlb_list *t);
/* Measure into m (buffer_bytes set): each page size's reads, or why not. */
void tlb_measure(struct why_measure *m, int repeats);

#endif
