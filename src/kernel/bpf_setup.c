// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <bpf/libbpf.h>

#include "bpf_setup.h"
#include "kernel_btf.h"
#include "libbpf_log.h"

int bpf_skel_load(struct bpf_object_skeleton *s, bool attach, char *why, size_t len)
{
	int err;

	libbpf_log_reset();
	err = bpf_object__load_skeleton(s);
	if (err && why)
		libbpf_load_failure(err, why, len);
	return !err && attach ? bpf_skel_attach(s, why, len) : err;
}

int bpf_skel_attach(struct bpf_object_skeleton *s, char *why, size_t len)
{
	int err;

	libbpf_log_reset();
	err = bpf_object__attach_skeleton(s);
	if (err && why)
		libbpf_load_failure(err, why, len);
	return err;
}

struct ring_buffer *ring_buffer_open(int map_fd, int (*fn)(void *ctx, void *data, size_t len),
				     void *ctx)
{
	return ring_buffer__new(map_fd, fn, ctx, NULL);
}

void ring_buffer_close(struct ring_buffer *rb)
{
	ring_buffer__free(rb);
}

int ring_buffer_drain(struct ring_buffer *rb, int ms)
{
	int n = ring_buffer__poll(rb, ms);

	if (n >= 0 || n == -EINTR)
		n = ring_buffer__consume(rb);
	return n == -EINTR ? 0 : n;
}

bool libbpf_start(bool verbose)
{
	const char *custom = kernel_btf_custom_path();

	libbpf_log_setup(verbose);
	/* a BTF file asked for by name must be there: silently using none misleads */
	if (custom && !kernel_btf()) {
		char why[128];

		/* libbpf's own errors (a file that is no BTF) have numbers past errno's */
		libbpf_strerror(errno, why, sizeof(why));
		fprintf(stderr, "kvas: cannot read the BTF in KVAS_BTF=%s: %s\n", custom, why);
		return false;
	}
	return true;
}

const char *libbpf_version(void)
{
	return libbpf_version_string();
}
