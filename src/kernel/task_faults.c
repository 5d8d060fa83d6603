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

/* The threads that exited since the last read, taken out of the kernel's map. */
static int take_exited(struct task_faults *tf, size_t *nr)
{
	int fd = bpf_map__fd(tf->skel->maps.exited);
	__u32 max = bpf_map__max_entries(tf->skel->maps.exited), count, in_batch = 0, token;
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	bool first = true;
	int err = 0;

	*nr = 0;
	while (!err && *nr < max) {
		count = max - *nr;
		err = bpf_map_lookup_and_delete_batch(fd, first ? NULL : &in_batch, &token,
						      tf->exit_keys + *nr, tf->exited + *nr,
						      &count, &opts);
		first = false;
		in_batch = token;
		*nr += count;
	}
	/* ENOSPC: a bucket larger than the room left stays for the next read */
	return err && errno != ENOENT && errno != ENOSPC ? -errno : 0;
}

int task_faults_read(struct task_faults *tf)
{
	uint64_t pass_ns = monotonic_ns();
	size_t nr_live, nr_exited;
	/*
	 * The exits after the pass: a thread that exits during it is read
	 * live or skipped as exiting, and its exit is in this read either way.
	 */
	int err = read_live(tf, &nr_live);

	if (!err)
		err = take_exited(tf, &nr_exited);
	if (!err)
		err = thread_faults_add(&tf->books, tf->live, nr_live, tf->exited, nr_exited,
					pass_ns);
	tf->exits_lost = tf->skel->bss->exits_lost;
	return err;
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

		tf->exit_keys = calloc(max, sizeof(*tf->exit_keys));
		tf->exited = calloc(max, sizeof(*tf->exited));
		if (!tf->exit_keys || !tf->exited)
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
	tf->iter = NULL;
	tf->skel = NULL;
}
