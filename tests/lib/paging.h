/* SPDX-License-Identifier: GPL-2.0 */
/* The paging mode as user space sees it: for the host tests and the guest's truth. */
#ifndef KVAS_TESTS_PAGING_H
#define KVAS_TESTS_PAGING_H

/* 4 or 5, by whether the kernel will place a mapping above 47 bits. */
int truth_paging_levels(void);

#endif
