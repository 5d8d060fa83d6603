/* SPDX-License-Identifier: GPL-2.0 */
/* Shared between bpf/kread.bpf.c and userspace: the on-demand kernel reader. */
#ifndef KVAS_KREAD_SHARED_H
#define KVAS_KREAD_SHARED_H

/* One read covers a page: a page-table page, or a whole VMCOREINFO note. */
#define KREAD_MAX 4096

#endif
