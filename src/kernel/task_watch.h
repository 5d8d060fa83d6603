/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The task trace -p/-t follows: that it exists before anything is loaded,
 * and its exit, seen while waiting for ring-buffer records (pidfd_open).
 */
#ifndef KVAS_TASK_WATCH_H
#define KVAS_TASK_WATCH_H

#include <stdbool.h>
#include <sys/types.h>

struct ring_buffer;
struct proc_status;

/* /proc/ID/status of any thread's id; -errno when there is no such task. */
int task_status_read(pid_t id, struct proc_status *st);

struct task_watch {
	pid_t id;		/* as given to -p or -t; 0: nothing watched */
	pid_t tgid;		/* the process id belongs to */
	bool thread;		/* -t: the thread, not its process */
	char comm[16];
	int pidfd;		/* readable once it exits; -1: none */
};

/*
 * Check that id exists (a process for -p, any thread for -t) and start
 * watching it. 0, or -1 with one line in why: no such process, a thread's
 * id given to -p, a process that has already exited.
 */
int task_watch_open(struct task_watch *w, pid_t id, bool thread, char *why, size_t len);

/*
 * Wait up to ms for records in rb or the task's exit, then hand out the
 * records there are. Returns what ring_buffer_drain does; sets *exited
 * once the watched task is gone. Without a task it only drains.
 */
int task_watch_drain(struct task_watch *w, struct ring_buffer *rb, int ms, bool *exited);

void task_watch_close(struct task_watch *w);

#endif
