// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>

#include "bpf_setup.h"
#include "kernel_btf.h"
#include "kread.h"
#include "kread.skel.h"

struct kread {
	struct kread_bpf *skel;
	int prog_fd;
};

struct kread *kread_open(void)
{
	struct kread *kr = calloc(1, sizeof(*kr));
	int err;

	if (!kr)
		return NULL;
	/* KVAS_BTF's BTF for its relocations too, as for every program */
	kr->skel = kread_bpf__open_opts(kernel_btf_open_opts());
	err = kr->skel ? -bpf_skel_load(kr->skel->skeleton, false, NULL, 0) : errno;
	if (err) {
		kread_close(kr);
		errno = err;
		return NULL;
	}
	kr->prog_fd = bpf_program__fd(kr->skel->progs.kread);
	return kr;
}

void kread_close(struct kread *kr)
{
	if (!kr)
		return;
	kread_bpf__destroy(kr->skel);
	free(kr);
}

static int run_once(struct kread *kr)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);

	return bpf_prog_test_run_opts(kr->prog_fd, &opts) ? -errno : 0;
}

int kread_bytes(struct kread *kr, uint64_t kva, void *dst, size_t len)
{
	struct kread_bpf__bss *bss = kr->skel->bss;

	while (len) {
		size_t chunk = len < sizeof(bss->read_buf) ? len : sizeof(bss->read_buf);
		int err;

		bss->read_addr = kva;
		bss->read_len = chunk;
		err = run_once(kr);
		if (err)
			return err;
		if (bss->read_err)
			return (int)bss->read_err;
		memcpy(dst, bss->read_buf, chunk);
		dst = (char *)dst + chunk;
		kva += chunk;
		len -= chunk;
	}
	return 0;
}

int kread_u64(void *kr, uint64_t kva, uint64_t *value)
{
	return kread_bytes(kr, kva, value, sizeof(*value));
}

int kread_context(struct kread *kr, struct kread_context *ctx)
{
	int err;

	kr->skel->bss->read_len = 0;
	err = run_once(kr);
	if (err)
		return err;
	ctx->pgd = kr->skel->bss->current_pgd;
	ctx->stack = kr->skel->bss->current_stack;
	ctx->page_struct_size = kr->skel->bss->struct_page_size;
	return 0;
}
