// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "bpf_setup.h"
#include "procfs.h"
#include "task_watch.h"

#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif
#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL	/* 6.9: a pidfd for the thread, not its process */
#endif

int task_status_read(pid_t id, struct proc_status *st)
{
	char path[64];
	FILE *f;
	int err;

	/* /proc/TID/status exists for every thread, though /proc lists only leaders */
	snprintf(path, sizeof(path), "/proc/%d/status", id);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	err = proc_status_parse(f, st);
	fclose(f);
	return err;
}

static int pidfd_open(pid_t pid, unsigned int flags)
{
	return (int)syscall(__NR_pidfd_open, pid, flags);
}

/*
 * w->pidfd for the task; 0 or -errno. A thread's own pidfd needs
 * PIDFD_THREAD (6.9). Before it, the leader's pidfd stands for the whole
 * process (the trace ends when the process does, should the leader exit
 * alone); another thread gets none (-1), and task_watch_drain asks tgkill
 * on each wake instead.
 */
static int open_pidfd(struct task_watch *w)
{
	int fd;

	if (!w->thread) {
		fd = pidfd_open(w->id, 0);
	} else {
		fd = pidfd_open(w->id, PIDFD_THREAD);
		if (fd < 0 && errno == EINVAL && w->id == w->tgid)
			fd = pidfd_open(w->id, 0);
		if (fd < 0 && errno == EINVAL)
			return 0;
	}
	if (fd < 0)
		return -errno;
	w->pidfd = fd;
	return 0;
}

int task_watch_open(struct task_watch *w, pid_t id, bool thread, char *why, size_t len)
{
	const char *what = thread ? "thread" : "process";
	struct proc_status st;
	int err;

	memset(w, 0, sizeof(*w));
	w->pidfd = -1;
	if (!id)
		return 0;
	w->id = id;
	w->thread = thread;
	if (task_status_read(id, &st)) {
		snprintf(why, len, "no such %s: %s %d", what, thread ? "tid" : "pid", id);
		return -1;
	}
	w->tgid = st.tgid;
	snprintf(w->comm, sizeof(w->comm), "%s", st.name);
	if (!thread && st.tgid != id) {
		snprintf(why, len, "%d is a thread of process %d (%s): use -p %d for the process "
			 "or -t %d for this thread", id, st.tgid, st.name, st.tgid, id);
		return -1;
	}
	if (st.state == 'Z' || st.state == 'X') {
		snprintf(why, len, "%s %d (%s) has already exited (a zombie): nothing to trace",
			 what, id, st.name);
		return -1;
	}
	err = open_pidfd(w);
	if (err == -ESRCH)	/* gone since /proc was read */
		snprintf(why, len, "no such %s: %s %d", what, thread ? "tid" : "pid", id);
	else if (err)
		snprintf(why, len, "cannot watch %s %d: %s", what, id, strerror(-err));
	return err ? -1 : 0;
}

static bool thread_gone(const struct task_watch *w)
{
	return syscall(SYS_tgkill, w->tgid, w->id, 0) && errno == ESRCH;
}

int task_watch_drain(struct task_watch *w, struct ring_buffer *rb, int ms, bool *exited)
{
	struct pollfd fds[2] = {
		{ .fd = ring_buffer__epoll_fd(rb), .events = POLLIN },
		{ .fd = w->pidfd, .events = POLLIN },
	};
	int n;

	if (!w->id)
		return ring_buffer_drain(rb, ms);
	/* the ring buffer's epoll fd is itself pollable: wait on both at once */
	n = poll(fds, w->pidfd >= 0 ? 2 : 1, ms);
	if (n < 0 && errno != EINTR)
		return -errno;
	if (w->pidfd >= 0 ? fds[1].revents != 0 : thread_gone(w))
		*exited = true;
	return ring_buffer_drain(rb, 0);
}

void task_watch_close(struct task_watch *w)
{
	if (w->pidfd >= 0)
		close(w->pidfd);
	w->pidfd = -1;
}
