/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Load and read bpf/task_faults.bpf.c: every thread's fault counts at each
 * read, with no program run per fault (src/core/thread_faults.c keeps the
 * books).
 */
#ifndef KVAS_TASK_FAULTS_H
#define KVAS_TASK_FAULTS_H

#include <stddef.h>
#include <stdint.h>

#include "read_failures.h"
#include "thread_faults.h"

struct task_faults_bpf;
struct bpf_link;

struct task_faults {
	struct task_faults_bpf *skel;
	struct bpf_link *iter;
	struct thread_faults books;
	/* kept from read to read: fresh buffers would fault in kvas's own row */
	struct task_fault_rec *live, *exited;
	size_t live_cap;		/* records live can hold */
	struct task_fault_key *exit_keys;
	size_t exited_cap;		/* records exited and exit_keys can hold */
	uint64_t exits_lost;		/* exits the kernel's map had no room for, in all */
	struct read_failures failed;	/* the last read's, named */
};

/* Load, attach and take the first read: 0, or a negative error and why. */
int task_faults_open(struct task_faults *tf, char *why, size_t len);
/* task_faults_open() for vm_count's before_attach: the counts start where the programs do. */
int task_faults_start(void *tf, char *why, size_t len);
/* Read every thread's counts now: 0, or a negative error, named in tf->failed. */
int task_faults_read(struct task_faults *tf);
void task_faults_close(struct task_faults *tf);

#endif
