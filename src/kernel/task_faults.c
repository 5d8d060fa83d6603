// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf_setup.h"
#include "cgroup_cache.h"
#include "mono_clock.h"
#include "kernel_btf.h"
#include "task_faults.h"
#include "task_faults.skel.h"

/* Every live thread into tf->live, from one pass of the iterator: 0 or -errno. */
static int read_live(struct task_faults *tf, size_t *nr)
{
	int fd = bpf_iter_create(bpf_link__fd(tf->iter)), err = 0;
	size_t have = 0;
	ssize_t got;

	*nr = 0;
	if (fd < 0)
		return -errno;
	for (;;) {
		if (have + sizeof(*tf->live) * 64 > tf->live_cap * sizeof(*tf->live)) {
			size_t grown = tf->live_cap ? tf->live_cap * 2 : 4096;
			void *p = realloc(tf->live, grown * sizeof(*tf->live));

			if (!p) {
				err = -ENOMEM;
				break;
			}
			tf->live = p;
			tf->live_cap = grown;
		}
		got = read(fd, (char *)tf->live + have, tf->live_cap * sizeof(*tf->live) - have);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			err = got < 0 ? -errno : 0;
			break;
		}
		have += got;
	}
	close(fd);
	*nr = have / sizeof(*tf->live);
	return err;
}

/* Room for more exits: false when there is no memory for it. */
static bool grow_exited(struct task_faults *tf, size_t more)
{
	size_t cap = tf->exited_cap + more;
	struct task_fault_key *k = realloc(tf->exit_keys, cap * sizeof(*k));
	struct task_fault_rec *v;

	if (!k)
		return false;
	tf->exit_keys = k;
	v = realloc(tf->exited, cap * sizeof(*v));
	if (!v)
		return false;
	tf->exited = v;
	tf->exited_cap = cap;
	return true;
}

/*
 * The threads that exited since the last read, taken out of the kernel's
 * map: 0, or the negative error that stopped the read, *nr taken before it
 * (they are out of the map: the caller must count them). The read ends
 * with -ENOENT past the last bucket, and only then; -ENOSPC (a bucket with
 * more keys than the room left) grows the room and reads it again.
 */
static int take_exited(struct task_faults *tf, size_t *nr)
{
	int fd = bpf_map__fd(tf->skel->maps.exited);
	size_t max = bpf_map__max_entries(tf->skel->maps.exited);
	__u32 count, in_batch = 0, token;
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	bool first = true;
	int err = 0;

	*nr = 0;
	while (!err) {
		/* exits go on while it reads: the map can hand out more than it holds */
		if (*nr == tf->exited_cap && !grow_exited(tf, max))
			return -ENOMEM;
		count = tf->exited_cap - *nr;
		err = bpf_map_lookup_and_delete_batch(fd, first ? NULL : &in_batch, &token,
						      tf->exit_keys + *nr, tf->exited + *nr,
						      &count, &opts) ? -errno : 0;
		/* no bucket holds more than the map: with that room, it is a failure */
		if (err == -ENOSPC && count == 0 && tf->exited_cap - *nr < max)
			err = grow_exited(tf, max) ? 0 : -ENOMEM;
		else if (!err || err == -ENOENT)
			*nr += count;
		if (!err) {
			first = false;
			in_batch = token;
		}
	}
	return err == -ENOENT ? 0 : err;
}

int task_faults_read(struct task_faults *tf)
{
	uint64_t pass_ns = monotonic_ns();
	size_t nr_live, nr_exited = 0;
	/*
	 * The exits after the pass: a thread that exits during it is read
	 * live or skipped as exiting, and its exit is in this read either way.
	 */
	int err = read_live(tf, &nr_live), exit_err = 0;

	memset(&tf->failed, 0, sizeof(tf->failed));
	if (err) {
		/* the books stay as they were: the next read brings them up to date */
		read_failure_add(&tf->failed, "threads' fault counts (task iterator)", err);
		return err;
	}
	exit_err = take_exited(tf, &nr_exited);
	if (exit_err)
		read_failure_add(&tf->failed, "exited threads table", exit_err);
	/* the exits taken before a failure are out of the map: counted now or never */
	err = thread_faults_add(&tf->books, tf->live, nr_live, tf->exited, nr_exited, pass_ns);
	tf->exits_lost = tf->skel->bss->exits_lost;
	return err ? err : exit_err;
}

int task_faults_open(struct task_faults *tf, char *why, size_t len)
{
	int err;

	memset(tf, 0, sizeof(*tf));
	why[0] = '\0';
	tf->skel = task_faults_bpf__open_opts(kernel_btf_open_opts());
	if (!tf->skel) {
		snprintf(why, len, "cannot open the BPF object: %s", strerror(errno));
		return -errno;
	}
	tf->skel->rodata->host_mnt_ns = cgroup_host_mnt_ns();
	err = bpf_skel_load(tf->skel->skeleton, false, why, len);
	if (!err) {
		size_t max = bpf_map__max_entries(tf->skel->maps.exited);

		if (!grow_exited(tf, max))
			err = -ENOMEM;
	}
	if (!err) {
		tf->skel->links.task_exit = bpf_program__attach(tf->skel->progs.task_exit);
		if (!tf->skel->links.task_exit)
			err = -errno;
	}
	if (!err) {
		tf->iter = bpf_program__attach_iter(tf->skel->progs.dump_task_faults, NULL);
		if (!tf->iter)
			err = -errno;
	}
	if (!err)
		err = task_faults_read(tf);
	if (err) {
		if (!why[0])
			snprintf(why, len, "cannot read the kernel's fault counts: %s",
				 strerror(-err));
		task_faults_close(tf);
	}
	return err;
}

int task_faults_start(void *tf, char *why, size_t len)
{
	return task_faults_open(tf, why, len);
}

void task_faults_close(struct task_faults *tf)
{
	bpf_link__destroy(tf->iter);
	task_faults_bpf__destroy(tf->skel);
	thread_faults_free(&tf->books);
	free(tf->live);
	free(tf->exited);
	free(tf->exit_keys);
	tf->live = tf->exited = NULL;
	tf->exit_keys = NULL;
	tf->exited_cap = 0;
	tf->iter = NULL;
	tf->skel = NULL;
}
