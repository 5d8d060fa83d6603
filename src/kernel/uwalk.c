// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf_setup.h"
#include "kernel_btf.h"
#include "uwalk.h"
#include "uwalk_shared.h"
#include "uwalk.skel.h"
#include "x86_layout.h"

struct uwalk {
	struct uwalk_bpf *skel;
};

struct uwalk *uwalk_open(void)
{
	struct uwalk *uw = calloc(1, sizeof(*uw));
	int err;

	if (!uw)
		return NULL;
	/* KVAS_BTF's BTF for its relocations too, as for every program */
	uw->skel = uwalk_bpf__open_opts(kernel_btf_open_opts());
	err = uw->skel ? -bpf_skel_load(uw->skel->skeleton, false, NULL, 0) : errno;
	if (err) {
		uwalk_close(uw);
		errno = err;
		return NULL;
	}
	return uw;
}

void uwalk_close(struct uwalk *uw)
{
	if (!uw)
		return;
	uwalk_bpf__destroy(uw->skel);
	free(uw);
}

/* Run the iterator once over every task; the program acts on the one wanted. */
static int run_iterator(struct uwalk *uw)
{
	struct bpf_link *link = bpf_program__attach_iter(uw->skel->progs.walk_task, NULL);
	char buf[64];
	int fd, err = 0;

	if (!link)
		return -errno;
	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0) {
		err = -errno;
	} else {
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		close(fd);
	}
	bpf_link__destroy(link);
	return err;
}

enum uwalk_outcome uwalk_run(struct uwalk *uw, pid_t pid, uint64_t va,
			     const struct walk_params *params,
			     struct walk_result *res, char comm[16])
{
	struct uwalk_bpf__bss *bss = uw->skel->bss;
	const struct uwalk_result *out = &bss->result;

	memset(&bss->result, 0, sizeof(bss->result));
	bss->targ_pid = pid;
	bss->targ_va = va;
	bss->page_offset_base = params->page_offset_base;
	bss->pa_mask = params->pa_mask;
	bss->levels = params->levels;
	if (run_iterator(uw))
		return UWALK_FAILED;
	memcpy(comm, out->comm, 16);
	comm[15] = '\0';
	if (out->status == UWALK_NO_TASK)
		return UWALK_NO_PROCESS;
	if (out->status == UWALK_NO_MM)
		return UWALK_KERNEL_THREAD;

	memset(res, 0, sizeof(*res));
	res->nr_steps = out->nr_steps;
	for (unsigned int i = 0; i < out->nr_steps && i < 5; i++) {
		res->steps[i].name = walk_level_name(params->levels, i);
		res->steps[i].index = out->steps[i].index;
		res->steps[i].table_va = out->steps[i].table_va;
		res->steps[i].entry_va = out->steps[i].table_va + out->steps[i].index * 8;
		res->steps[i].entry = out->steps[i].entry;
	}
	if (out->status == UWALK_OK && out->nr_steps)
		walk_set_leaf(res, params->levels, out->nr_steps - 1, va, params->pa_mask);
	else
		res->status = out->status == UWALK_NOT_PRESENT ? WALK_NOT_PRESENT
							       : WALK_READ_FAILED;
	return UWALK_WALKED;
}
