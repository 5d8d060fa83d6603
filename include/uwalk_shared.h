/* SPDX-License-Identifier: GPL-2.0 */
/* Shared between bpf/uwalk.bpf.c and src/kernel/uwalk.c: one page-table walk. */
#ifndef KVAS_UWALK_SHARED_H
#define KVAS_UWALK_SHARED_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

enum uwalk_status {
	UWALK_NO_TASK,		/* no process with that pid (or it exited) */
	UWALK_NO_MM,		/* a kernel thread: no user address space */
	UWALK_OK,		/* steps[nr_steps - 1] is the leaf */
	UWALK_NOT_PRESENT,	/* steps[nr_steps - 1] is not present */
	UWALK_READ_FAILED,	/* a table could not be read */
};

struct uwalk_step {
	__u64 table_va;		/* direct-map address the table was read at */
	__u64 entry;
	__u32 index;
	__u32 pad;
};

struct uwalk_result {
	__u32 status;
	__u32 nr_steps;
	__u64 pgd;		/* mm->pgd */
	struct uwalk_step steps[5];
	char comm[16];
};

_Static_assert(sizeof(struct uwalk_step) == 24, "uwalk_step layout");
_Static_assert(sizeof(struct uwalk_result) == 16 + 5 * 24 + 16, "uwalk_result layout");

#endif
