/* SPDX-License-Identifier: GPL-2.0 */
/* Walk a process's page tables in BPF (bpf/uwalk.bpf.c). */
#ifndef KVAS_UWALK_H
#define KVAS_UWALK_H

#include <stdint.h>
#include <sys/types.h>

#include "pagewalk.h"

struct uwalk;

enum uwalk_outcome {
	UWALK_WALKED,		/* res holds the walk (ok or not present) */
	UWALK_NO_PROCESS,
	UWALK_KERNEL_THREAD,
	UWALK_FAILED,		/* BPF could not run; errno-style in *err */
};

struct uwalk *uwalk_open(void);
void uwalk_close(struct uwalk *uw);

/*
 * Walk pid's tables for va. params gives page_offset_base, pa_mask and levels
 * (pgd_va and read_u64 are unused: the walk reads in the kernel).
 */
enum uwalk_outcome uwalk_run(struct uwalk *uw, pid_t pid, uint64_t va,
			     const struct walk_params *params,
			     struct walk_result *res, char comm[16]);

#endif
